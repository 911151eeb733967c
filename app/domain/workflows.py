"""The seed's working methods as rules: 在管在控 (control status, check cadence, events), the
risk assessment that proposes a key person's level, mediation and hand-over of disputes, 回访
due dates, case-series candidates and repeated 110 alerts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.domain.levels import PERSON_RISK_CATEGORIES, Level
from app.errors import ValidationError

# -- 在管在控 -----------------------------------------------------------------------------------
CONTROL_STATUS_NAMES = {
    "in_control": ("在控", "Under control"),
    "out_of_control": ("脱控", "Out of control"),
    "lost_contact": ("失联", "Lost contact"),
    "away_reported": ("外出报备", "Away (reported)"),
}
#: Statuses that mean the station does not have the person in hand (shown in red).
NOT_IN_HAND = ("out_of_control", "lost_contact")
CONTROL_ENTRY_NAMES = {
    "check": ("核查", "Check"),
    "hit": ("天网比中", "Camera hit"),
    "status": ("状态变更", "Status change"),
}
CONTROL_OUTCOME_HINTS = ("本人在家", "见面核查正常", "电话核查正常", "比中，轨迹正常", "未找到本人")
PERSON_EVENT_NAMES = {
    "lost_control": ("失控", "Lost control"),
    "petition": ("非访", "Irregular petition"),
    "trouble": ("滋事", "Caused trouble"),
}
PETITION_TIER_NAMES = {
    "central": ("中联办", "Central joint office (中联办)"),
    "ministry": ("部督", "Ministry-supervised (部督)"),
    "province": ("省督", "Province-supervised (省督)"),
}
#: Hours within which a listed key person must have a check or a camera hit, per level. Red
#: persons are scanned every half hour (每半小时扫脸一次，确保24小时在管在控): a red person with no
#: hit or check for a day is overdue. Green persons are off the watch.
CHECK_CADENCE_HOURS = {Level.RED: 24, Level.ORANGE: 7 * 24, Level.YELLOW: 30 * 24, Level.GREEN: None}


def check_due(level: Level, last_check: datetime | None, listed_at: datetime) -> datetime | None:
    """When the next check of a listed person is due: the last check (or the listing) plus the
    level's cadence; None for green."""
    hours = CHECK_CADENCE_HOURS.get(level)
    if hours is None:
        return None
    return (last_check or listed_at) + timedelta(hours=hours)


def check_overdue(level: Level, status: str, last_check: datetime | None, listed_at: datetime,
                  now: datetime) -> bool:
    """超期 when a listed (active) person has had no check within the cadence."""
    due = check_due(level, last_check, listed_at)
    return status == "active" and due is not None and due < now


def control_code(value: str) -> str:
    if value not in CONTROL_STATUS_NAMES:
        raise ValidationError(f"管控状态无效：{value}", f"control status is not one of "
                              f"{', '.join(CONTROL_STATUS_NAMES)}: {value}", "status")
    return value


def event_kind(value: str, tier: str | None) -> tuple[str, str | None]:
    """A checked event kind with its tier: 非访 needs its tier, the others have none."""
    if value not in PERSON_EVENT_NAMES:
        raise ValidationError(f"事件类型无效：{value}", f"event kind is not one of {', '.join(PERSON_EVENT_NAMES)}: "
                              f"{value}", "kind")
    if value == "petition":
        if tier not in PETITION_TIER_NAMES:
            raise ValidationError("非访事件须注明级别（中联办、部督、省督）",
                                  "an irregular petition needs its tier (central, ministry or province)", "tier")
        return value, tier
    return value, None


# -- risk assessment --------------------------------------------------------------------------
@dataclass(frozen=True)
class Proposal:
    level: Level
    reason_zh: str
    reason_en: str


def propose_level(categories: tuple[str, ...] | list[str], mental_risk_grade: int | None = None,
                  petition_tier: str | None = None) -> Proposal:
    """The level the seed's categories propose, with its reason (DOMAIN.md, module 3).

    Red: 重大刑事前科, 扬言极端, 肇事肇祸精神病人 at risk grade 3 or above (the grade that needs
    四帮一), 非访重点人员 named by a higher office (中联办、部督、省督). Orange: 涉退, 涉众, 五失
    人员, and a mentally ill person or petitioner short of the red condition. Yellow: 一般重点人员.
    The highest level any category gives wins; every category found is named in the reason."""
    cats = list(dict.fromkeys(categories))
    if not cats:
        raise ValidationError("请至少选择一项人员类别", "choose at least one category", "categories")
    for c in cats:
        if c not in PERSON_RISK_CATEGORIES:
            raise ValidationError(f"人员类别无效：{c}", f"unknown risk category: {c}", "categories")
    if petition_tier is not None and petition_tier not in PETITION_TIER_NAMES:
        raise ValidationError(f"非访级别无效：{petition_tier}", f"unknown petition tier: {petition_tier}",
                              "petition_tier")
    if mental_risk_grade is not None and not (isinstance(mental_risk_grade, int) and 0 <= mental_risk_grade <= 5):
        raise ValidationError("精神病人风险等级应为0–5级", "the mental-illness risk grade is 0 to 5", "mental_risk_grade")
    if "mental_incident" in cats and mental_risk_grade is None:
        raise ValidationError("肇事肇祸精神病人须填写风险等级（0–5级）", "a mentally ill person needs the risk grade (0-5)",
                              "mental_risk_grade")
    found: list[tuple[Level, str, str]] = []
    for c in cats:
        zh, en, level = PERSON_RISK_CATEGORIES[c]
        if c == "mental_incident":
            if mental_risk_grade is not None and mental_risk_grade >= 3:
                found.append((Level.RED, f"{zh}，风险等级{mental_risk_grade}级（3级及以上）",
                              f"{en}, risk grade {mental_risk_grade} (3 or above)"))
            else:
                found.append((Level.ORANGE, f"{zh}，风险等级{mental_risk_grade}级（低于3级）",
                              f"{en}, risk grade {mental_risk_grade} (below 3)"))
        elif c == "key_petitioner":
            if petition_tier:
                tz, te = PETITION_TIER_NAMES[petition_tier]
                found.append((Level.RED, f"{zh}（{tz}）", f"{en} ({te})"))
            else:
                found.append((Level.ORANGE, f"{zh}，未列入中联办、部督、省督",
                              f"{en}, not named by a higher office"))
        else:
            found.append((level, zh, en))
    top = min(level.rank for level, _, _ in found)
    level = next(lv for lv, _, _ in found if lv.rank == top)
    main = [f for f in found if f[0] == level]
    zh = "、".join(f[1] for f in main)
    en = "; ".join(f[2] for f in main)
    return Proposal(level, f"{zh}，建议{level.zh}", f"{en}: proposes {level.en.lower()}")


# -- 融调化解 -------------------------------------------------------------------------------------
MEDIATION_BODY_KIND_NAMES = {
    "center": ("融调解中心", "Integrated mediation centre"),
    "work_room": ("群众工作室", "Community work room"),
    "committee": ("人民调解委员会", "People's mediation committee"),
    "justice": ("司法所", "Judicial office"),
    "other": ("其他", "Other"),
}
MEDIATION_RESULT_NAMES = {
    "agreed": ("达成协议", "Agreement reached"),
    "partial": ("部分达成", "Partly agreed"),
    "failed": ("调解未成", "No agreement"),
}
#: Days after a dispute turns green (调解完成) when its follow-up visit (回访) is due.
FOLLOWUP_AFTER_DAYS = 7
#: Days a department is given by default to answer a hand-over.
ANSWER_DAYS = 15


def followup_due(resolved_on: date, days: int = FOLLOWUP_AFTER_DAYS) -> date:
    return resolved_on + timedelta(days=days)


def answer_overdue(answer_due: date | None, answered_on: date | None, status: str, today: date) -> bool:
    """A hand-over is 超期 when its department has not answered by the due date."""
    return status != "voided" and answer_due is not None and answered_on is None and answer_due < today


def followup_overdue(due: date | None, followed_up_on: date | None, today: date) -> bool:
    return due is not None and followed_up_on is None and due < today


# -- 串并侦查 ------------------------------------------------------------------------------------
#: Days apart within which two orange cases may be one series.
SERIES_WINDOW_DAYS = 60


def place_key(place: str) -> str:
    """The part of an address that names where (community, road, estate) without the house number:
    the text up to the first digit, at most 8 characters."""
    text = (place or "").strip()
    for i, ch in enumerate(text):
        if ch.isdigit():
            text = text[:i]
            break
    return text[:8]


def series_score(cause_a: str, place_a: str, day_a: date, cause_b: str, place_b: str, day_b: date,
                 window_days: int = SERIES_WINDOW_DAYS) -> tuple[int, tuple[str, ...]]:
    """How alike two cases are for 串并 (0-3) and what they share: the same cause, the same place
    (its name without the house number) and dates within the window."""
    shared: list[str] = []
    if cause_a and cause_a == cause_b:
        shared.append("cause")
    ka, kb = place_key(place_a), place_key(place_b)
    if ka and kb and (ka.startswith(kb) or kb.startswith(ka)) and min(len(ka), len(kb)) >= 2:
        shared.append("place")
    if abs((day_a - day_b).days) <= window_days:
        shared.append("time")
    return len(shared), tuple(shared)


# -- 110 alerts -----------------------------------------------------------------------------------
#: Alerts from one address or one caller within this many days are "repeated" (the existing
#: repeat-call suggestion uses the same window).
REPEAT_ALERT_DAYS = 30
REPEAT_ALERT_MIN = 2
