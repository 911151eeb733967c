"""在管在控 and the person's file: control status with its history, checks and camera hits,
the events 失控/非访/滋事, the watch list handed to the camera system (天网), and the risk
assessment that proposes a level (一人一档). Every function is one transaction."""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.domain.levels import PERSON_RISK_CATEGORIES, Level, Module, level_of
from app.domain.permissions import authorize
from app.domain.rules import Actor, check_level_change, require_text
from app.domain.workflows import (
    CONTROL_STATUS_NAMES,
    NOT_IN_HAND,
    PETITION_TIER_NAMES,
    check_due,
    control_code,
    event_kind,
    propose_level,
)
from app.errors import NotFound, RuleViolation, ValidationError
from app.services.changes import Changes
from app.services.records import apply_level, commit_guard, load_record, not_future, now, officer_names_in
from app.services.settings import load_check_cadence
from app.store import Store
from models import ControlCheck, Person, PersonEvent, RiskAssessment


def bounded_text(value: str | None, limit: int, zh: str, en: str, field: str) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationError(f"{zh}过长（最多{limit}字）", f"{en} is longer than {limit} characters", field)
    return text


def _when(value: datetime | date | str | None, zh: str, en: str, field: str) -> datetime:
    if value is None or value == "":
        return now()
    if isinstance(value, datetime):
        at = value.replace(microsecond=0)
    elif isinstance(value, date):
        at = datetime.combine(value, now().time())
    else:
        try:
            at = datetime.fromisoformat(str(value).strip()).replace(microsecond=0)
        except ValueError:
            raise ValidationError(f"{zh}不是有效时间：{value}", f"{en} is not a date and time: {value}", field) from None
    if at > now():
        raise ValidationError(f"{zh}不能晚于现在：{at}", f"{en} cannot be in the future: {at}", field)
    return at


def _person(session: Session, person_id: int) -> Person:
    """The key person (load_record's checks: the record exists, it is this station's)."""
    p = load_record(session, Module.PERSON, person_id)
    if not isinstance(p, Person):  # pragma: no cover - Module.PERSON loads a Person
        raise NotFound(f"重点人员不存在：{person_id}", f"no such key person: {person_id}")
    return p


def _listed_person(session: Session, actor: Actor, person_id: int, action: str) -> Person:
    p = _person(session, person_id)
    authorize(actor, action, p)
    if p.status != "active":
        raise RuleViolation("该人员已撤销列管或已作废，不再管控", "the person is de-listed or voided; no longer watched",
                            "status")
    return p


# -- 在管在控 --------------------------------------------------------------------------------------
@commit_guard  # type: ignore[untyped-decorator, unused-ignore]
def record_check(db: Store, actor: Actor, person_id: int, kind: str = "check", *,
                 at: datetime | date | str | None = None, place: str = "",
                 outcome: str = "", status: str | None = None) -> Changes:
    """A check by an officer (核查) or a camera hit (天网比中) against a listed person: time,
    place, who, outcome. `status` records what the check found (失联 when the person was not
    found); without it the person keeps the current status."""
    if kind not in ("check", "hit"):
        raise ValidationError(f"核查类型无效：{kind}", f"a check is 'check' or 'hit': {kind}", "kind")
    when = _when(at, "核查时间", "the check time", "checked_at")
    text = require_text(outcome, "核查结果", "the outcome", "outcome")
    with db.write(actor, "record_check") as session:
        p = _listed_person(session, actor, person_id, "control_check")
        new_status = control_code(status) if status else p.control_status
        session.add(ControlCheck(person_id=p.id, kind=kind, checked_at=when,
                                 place=bounded_text(place, 200, "地点", "the place", "place"), officer_id=actor.officer_id,
                                 status=new_status, outcome=bounded_text(text, 2000, "核查结果", "the outcome", "outcome"),
                                 recorded_at=now()))
        p.control_status = new_status
        p.updated_at = now()  # a check has its own cadence (set_check_cadence), not the follow-up's
    return Changes.of(("person", person_id))


@commit_guard  # type: ignore[untyped-decorator, unused-ignore]
def set_control_status(db: Store, actor: Actor, person_id: int, status: str, reason: str, *,
                       at: datetime | date | str | None = None,
                       place: str = "") -> Changes:
    """Change a listed person's control status (在控 / 脱控 / 失联 / 外出报备) with the reason; the
    change is kept in the person's control history."""
    code = control_code(status)
    why = require_text(reason, "变更理由", "a reason", "reason")
    when = _when(at, "变更时间", "the time", "checked_at")
    with db.write(actor, "set_control_status") as session:
        p = _listed_person(session, actor, person_id, "control_check")
        if p.control_status == code:
            raise ValidationError(f"管控状态已是{CONTROL_STATUS_NAMES[code][0]}",
                                  f"the control status is already {CONTROL_STATUS_NAMES[code][1]}", "status")
        session.add(ControlCheck(person_id=p.id, kind="status", checked_at=when,
                                 place=bounded_text(place, 200, "地点", "the place", "place"), officer_id=actor.officer_id,
                                 status=code, outcome=bounded_text(why, 2000, "理由", "the reason", "reason"),
                                 recorded_at=now()))
        p.control_status = code
        p.updated_at = now()
    return Changes.of(("person", person_id))


@commit_guard  # type: ignore[untyped-decorator, unused-ignore]
def record_person_event(db: Store, actor: Actor, person_id: int, kind: str, occurred_on: date | str, summary: str,
                        *, tier: str | None = None, place: str = "") -> Changes:
    """An event against 零失控、零非访、零滋事: 失控, 非访 (with its tier) or 滋事. It stays in the
    person's file and in the period's figures; nothing removes it."""
    kind, tier = event_kind(kind, tier)
    text = bounded_text(require_text(summary, "事件经过", "what happened", "summary"), 2000, "事件经过", "the summary",
                 "summary")
    from app.services.records import checked_date
    day = checked_date(occurred_on, "发生日期", "the date", "occurred_on", required=True) or date.today()
    not_future(day, "发生日期", "the date", "occurred_on")
    with db.write(actor, "record_person_event") as session:
        p = _person(session, person_id)
        authorize(actor, "person_event", p)
        if p.status == "voided":
            raise RuleViolation("记录已作废", "the record is voided", "status")
        if day < p.listed_on:
            raise ValidationError(f"发生日期早于列管日期{p.listed_on}", f"the date is before the listing ({p.listed_on})",
                                  "occurred_on")
        session.add(PersonEvent(person_id=p.id, kind=kind, tier=tier, occurred_on=day,
                                place=bounded_text(place, 200, "地点", "the place", "place"), summary=text,
                                officer_id=actor.officer_id, recorded_at=now()))
        p.updated_at = now()
    return Changes.of(("person", person_id))


@dataclass(frozen=True)
class ControlRow:
    """One entry of a person's control history, names joined."""

    when: datetime
    kind: str
    status: str
    place: str
    officer: str
    outcome: str


@dataclass(frozen=True)
class EventRow:
    id: int
    person_id: int
    person: str
    kind: str
    tier: str | None
    occurred_on: date
    place: str
    summary: str
    officer: str


@dataclass(frozen=True)
class ControlState:
    """A person's 在管在控 at a glance: status, the last check, when the next is due, overdue."""

    person_id: int
    status: str
    last_check: datetime | None
    due: datetime | None
    overdue: bool
    on_watch_list: bool


def control_history(db: Store, person_id: int) -> list[ControlRow]:
    with db.read() as session:
        names = officer_names_in(session)
        rows = session.scalars(select(ControlCheck).where(ControlCheck.person_id == person_id)
                               .order_by(ControlCheck.checked_at.desc(), ControlCheck.id.desc()))
        return [ControlRow(c.checked_at, c.kind, c.status, c.place, names.get(c.officer_id, ""), c.outcome)
                for c in rows]


def _last_checks(session: Session, person_ids: list[int] | None = None) -> dict[int, datetime]:
    stmt = (select(ControlCheck.person_id, func.max(ControlCheck.checked_at))
            .where(ControlCheck.kind.in_(("check", "hit"))).group_by(ControlCheck.person_id))
    if person_ids is not None:
        stmt = stmt.where(ControlCheck.person_id.in_(person_ids))
    return {pid: _dt(at) for pid, at in session.execute(stmt)}


def _dt(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def on_watch_list(p: Person) -> bool:
    """Red listed persons are on the camera watch list automatically; others when an officer
    put them there (the 天网 mark)."""
    return p.status == "active" and (p.level == Level.RED.value or bool(p.skynet))


def control_state(db: Store, person_id: int, at: datetime | None = None) -> ControlState:
    when = at or now()
    with db.read() as session:
        p = _person(session, person_id)
        last = _last_checks(session, [p.id]).get(p.id)
        cadence = load_check_cadence(session)
        due = check_due(Level(p.level), last, p.created_at, cadence) if p.status == "active" else None
        return ControlState(p.id, p.control_status, last, due, due is not None and due < when, on_watch_list(p))


def person_events(db: Store, person_id: int | None = None, start: date | None = None,
                  end: date | None = None) -> list[EventRow]:
    """Events of one person, or of every person in [start, end]."""
    with db.read() as session:
        names = officer_names_in(session)
        stmt = (select(PersonEvent, Person.name).join(Person, Person.id == PersonEvent.person_id)
                .where(Person.status != "voided").order_by(PersonEvent.occurred_on.desc(), PersonEvent.id.desc()))
        if person_id is not None:
            stmt = stmt.where(PersonEvent.person_id == person_id)
        if start is not None:
            stmt = stmt.where(PersonEvent.occurred_on >= start)
        if end is not None:
            stmt = stmt.where(PersonEvent.occurred_on <= end)
        return [EventRow(e.id, e.person_id, name, e.kind, e.tier, e.occurred_on, e.place, e.summary,
                         names.get(e.officer_id, "")) for e, name in session.execute(stmt)]


@dataclass(frozen=True)
class WatchRow:
    person_id: int
    name: str
    id_number: str
    sex: str
    address: str
    level: str
    control_status: str
    categories: str
    officer: str
    phone: str
    last_check: datetime | None
    overdue: bool


def watch_list(db: Store, at: datetime | None = None) -> list[WatchRow]:
    """The persons to hand to the face-recognition system: every listed red person, and others
    marked 天网; with their control status and whether their check is overdue."""
    when = at or now()
    with db.read() as session:
        names = officer_names_in(session)
        persons = list(session.scalars(select(Person).where(
            Person.status == "active", or_(Person.level == Level.RED.value, Person.skynet.is_(True)))
            .order_by(Person.level != Level.RED.value, Person.name, Person.id)))
        last = _last_checks(session, [p.id for p in persons])
        cadence = load_check_cadence(session)
        out = []
        for p in persons:
            lc = last.get(p.id)
            due = check_due(Level(p.level), lc, p.created_at, cadence)
            cats = "、".join(PERSON_RISK_CATEGORIES[c][0] for c in p.risk_categories.split(",")
                            if c in PERSON_RISK_CATEGORIES)
            out.append(WatchRow(p.id, p.name, p.id_number or "", {"M": "男", "F": "女"}.get(p.sex or "", ""),
                                p.address, p.level, p.control_status, cats, names.get(p.officer_id, ""), p.phone,
                                lc, due is not None and due < when))
        return out


@dataclass(frozen=True)
class OverdueCheck:
    person_id: int
    name: str
    level: str
    control_status: str
    last_check: datetime | None
    due: datetime
    officer: str


def overdue_checks(db: Store, at: datetime | None = None) -> list[OverdueCheck]:
    """Listed persons with no check or camera hit within their level's cadence (超期), the
    longest overdue first."""
    when = at or now()
    with db.read() as session:
        names = officer_names_in(session)
        persons = list(session.scalars(select(Person).where(Person.status == "active",
                                                            Person.level != Level.GREEN.value)))
        last = _last_checks(session)
        cadence = load_check_cadence(session)
        out = []
        for p in persons:
            due = check_due(Level(p.level), last.get(p.id), p.created_at, cadence)
            if due is not None and due < when:
                out.append(OverdueCheck(p.id, p.name, p.level, p.control_status, last.get(p.id), due,
                                        names.get(p.officer_id, "")))
        out.sort(key=lambda r: (Level(r.level).rank, r.due))
        return out


def not_in_hand(db: Store) -> list[tuple[int, str, str, str]]:
    """Listed persons the station does not have in hand now (脱控、失联): id, name, level, status."""
    with db.read() as session:
        return [(i, name, level, status) for i, name, level, status in session.execute(
            select(Person.id, Person.name, Person.level, Person.control_status)
            .where(Person.status == "active", Person.control_status.in_(NOT_IN_HAND)).order_by(Person.name))]


def export_watch_list(db: Store, actor: Actor, path: str | Path, lang: int = 0) -> int:
    """The watch list as an xlsx for the camera system (天网); returns the number of persons.
    Personal data leaves the station: the policy decides first and the export is audited."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from app.services import audit
    from app.spreadsheet import append_row
    from app.store.fileio import write_verified

    authorize(actor, "watch_list")
    rows = watch_list(db)
    heads = (["姓名", "身份证号", "性别", "住址", "预警等级", "管控状态", "人员类别", "责任民警", "联系电话"] if lang == 0 else
             ["Name", "ID number", "Sex", "Address", "Level", "Control status", "Categories", "Officer", "Phone"])
    wb = Workbook()
    ws = wb.active
    ws.title = "天网布控名单" if lang == 0 else "Watch list"
    append_row(ws, heads)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        n = append_row(ws, [r.name, r.id_number, r.sex, r.address, Level(r.level).zh if lang == 0 else Level(r.level).en,
                            CONTROL_STATUS_NAMES[r.control_status][lang], r.categories, r.officer, r.phone])
        ws.cell(n, 2).number_format = "@"
    for col, width in zip("ABCDEFGHI", (10, 21, 6, 30, 8, 10, 24, 10, 14)):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    with db.write(actor, "export_watch_list") as session:
        audit.append_event(session, actor, "export_watch_list", "person", "",
                           {"persons": len(rows), "file": Path(path).name})
        write_verified(Path(path), buf.getvalue())
    return len(rows)


# -- risk assessment ----------------------------------------------------------------------------
@dataclass(frozen=True)
class AssessmentRow:
    id: int
    assessed_at: datetime
    officer: str
    categories: tuple[str, ...]
    mental_risk_grade: int | None
    petition_tier: str | None
    proposed_level: str
    proposed_reason: str
    confirmed_level: str
    override_reason: str
    note: str


@commit_guard  # type: ignore[untyped-decorator, unused-ignore]
def assess_risk(db: Store, actor: Actor, person_id: int, categories: Sequence[str], *, mental_risk_grade: int | None = None,
                petition_tier: str | None = None, confirmed_level: str | None = None, override_reason: str = "",
                note: str = "", expected_version: int | None = None) -> Changes:
    """Keep a risk assessment in the person's file: the categories propose a level with its
    reason; the officer confirms it or sets another with a reason. When the confirmed level
    differs from the person's, the level changes in the same transaction (reasoned, dated,
    with the leader's approval rules of any level change)."""
    proposal = propose_level(tuple(categories), mental_risk_grade, petition_tier)
    confirmed = level_of(confirmed_level) if confirmed_level else proposal.level
    why_other = (override_reason or "").strip()
    if confirmed != proposal.level and not why_other:
        raise ValidationError(f"确认等级（{confirmed.zh}）与建议等级（{proposal.level.zh}）不同，须说明理由",
                              f"the confirmed level ({confirmed.en}) differs from the proposal ({proposal.level.en}): "
                              "give the reason", "override_reason")
    if confirmed == Level.GREEN:
        raise ValidationError("评估不直接撤销列管；撤销列管请由所领导在等级变更中办理",
                              "an assessment does not de-list; the station leader de-lists through a level change",
                              "confirmed_level")
    with db.write(actor, "assess_risk") as session:
        p = _listed_person(session, actor, person_id, "assess_risk")
        if expected_version is not None and p.version != expected_version:
            from app.errors import StaleRecord
            raise StaleRecord("记录已被他人修改，请刷新后重试", "someone else changed this record; reload and retry")
        if mental_risk_grade is not None and mental_risk_grade >= 3 and not p.guardian_name.strip():
            raise ValidationError("风险等级3级及以上须登记监护人", "grade 3 and above needs a guardian", "guardian_name")
        ts = now()
        session.add(RiskAssessment(person_id=p.id, assessed_at=ts, officer_id=actor.officer_id,
                                   categories=",".join(dict.fromkeys(categories)), mental_risk_grade=mental_risk_grade,
                                   petition_tier=petition_tier, proposed_level=proposal.level.value,
                                   proposed_reason=proposal.reason_zh, confirmed_level=confirmed.value,
                                   override_reason=bounded_text(why_other, 2000, "理由", "the reason", "override_reason"),
                                   note=bounded_text(note, 2000, "评估意见", "the note", "note")))
        p.risk_categories = ",".join(dict.fromkeys(categories))
        p.mental_risk_grade = mental_risk_grade if mental_risk_grade is not None else p.mental_risk_grade
        if confirmed.value != p.level:
            reason = f"风险评估：{proposal.reason_zh}" + (f"；调整理由：{why_other}" if why_other else "")
            to, why, result = check_level_change(Module.PERSON, Level(p.level), p.status, confirmed.value, reason, "",
                                                 actor)
            authorize(actor, "change_level", p)
            apply_level(session, Module.PERSON, p, to, why, result, actor)
        else:
            p.updated_at = ts
    return Changes.of(("person", person_id))


def assessments(db: Store, person_id: int) -> list[AssessmentRow]:
    """The person's assessments, newest first (一人一档)."""
    with db.read() as session:
        names = officer_names_in(session)
        return [AssessmentRow(a.id, a.assessed_at, names.get(a.officer_id, ""),
                              tuple(c for c in a.categories.split(",") if c), a.mental_risk_grade, a.petition_tier,
                              a.proposed_level, a.proposed_reason, a.confirmed_level, a.override_reason, a.note)
                for a in session.scalars(select(RiskAssessment).where(RiskAssessment.person_id == person_id)
                                         .order_by(RiskAssessment.assessed_at.desc(), RiskAssessment.id.desc()))]


PETITION_TIERS = tuple(PETITION_TIER_NAMES)
