"""Record services: create, change level, log actions, convert, de-list, void, link, read.

Every function here is one transaction: it validates first, writes the change and its history
together, and returns a `Changes` value. Nothing is ever deleted; a wrong entry is voided.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, Literal, ParamSpec, TypeVar, overload

from sqlalchemy import func, inspect as sa_inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.domain.fields import check_required, field_values
from app.domain.identity import normalise_phone, parse_id_number
from app.domain.levels import (
    ACTION_KIND_NAMES,
    CASE_KIND_NAMES,
    DISPUTE_CATEGORY_NAMES,
    DISPUTE_SOURCE_NAMES,
    FOCUS_AREA_NAMES,
    PERSON_RISK_CATEGORIES,
    SATISFACTION_NAMES,
    Level,
    Module,
    level_of,
    module_of,
)
from app.domain.permissions import authorize
from app.domain.rules import Actor, check_level_change, next_due_date, require_text, status_for_level
from app.domain.search import build_search_text
from app.errors import NotFound, RuleViolation, StaleRecord, ValidationError
from app.services.cadence import load_cadence
from app.services.changes import Changes
from app.store import Store
from app.store.records import MODELS
from models import Action, Case, Dispute, LevelChange, Officer, Person, PersonLink, Station
from models.records import RecordMixin


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


# -- inputs ------------------------------------------------------------------------------------
@dataclass
class Responsibility:
    """The three levels of responsibility a record names (所领导包责、民警包案)."""

    officer_id: int | None = None
    team_leader_id: int | None = None
    leader_id: int | None = None
    team_id: int | None = None


@dataclass
class CaseInput:
    case_no: str
    kind: str
    level: str
    accepted_on: date
    category: str = ""
    cause: str = ""
    place: str = ""
    summary: str = ""
    filed_on: date | None = None
    solved_on: date | None = None
    closed_on: date | None = None
    people: Responsibility = field(default_factory=Responsibility)
    reason: str = "受案登记"
    outcome: str = ""


@dataclass
class DisputeInput:
    dispute_no: str
    category: str
    source: str
    level: str
    found_on: date
    parties: str = ""
    focus_area: str = "other"
    place: str = ""
    community: str = ""
    summary: str = ""
    resolved_on: date | None = None
    outcome: str = ""
    satisfaction: str | None = None
    people: Responsibility = field(default_factory=Responsibility)
    reason: str = "排查发现"


@dataclass
class PersonInput:
    name: str
    level: str
    listed_on: date
    id_number: str | None = None
    phone: str = ""
    address: str = ""
    community: str = ""
    grid: str = ""
    risk_categories: tuple[str, ...] = ()
    control_plan: str = ""
    mental_risk_grade: int | None = None
    guardian_name: str = ""
    guardian_phone: str = ""
    summary: str = ""
    people: Responsibility = field(default_factory=Responsibility)
    reason: str = "列管登记"
    outcome: str = ""


# -- validation helpers ---------------------------------------------------------------------
def _choice(value: str | None, allowed: Mapping[str, Any], zh: str, en: str, field_name: str) -> str:
    if value is None or value not in allowed:
        raise ValidationError(f"{zh}无效：{value}", f"{en} is not one of {', '.join(allowed)}: {value}",
                              field_name)
    return value


@overload
def checked_date(value: Any, zh: str, en: str, field_name: str, required: Literal[True]) -> date: ...
@overload
def checked_date(value: Any, zh: str, en: str, field_name: str, required: bool = False) -> date | None: ...
def checked_date(value: Any, zh: str, en: str, field_name: str, required: bool = False) -> date | None:
    if value is None or value == "":
        if required:
            raise ValidationError(f"{zh}不能为空", f"{en} is required", field_name)
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(f"{zh}不是有效日期：{value}", f"{en} is not a date: {value}", field_name) from None


def not_future(d: date | None, zh: str, en: str, field_name: str) -> None:
    if d is not None and d > date.today():
        raise ValidationError(f"{zh}不能晚于今天：{d}", f"{en} cannot be in the future: {d}", field_name)


def date_order(earlier: date | None, later: date | None, zh: str, en: str, field_name: str) -> None:
    if earlier and later and later < earlier:
        raise ValidationError(zh, en, field_name)


def station_of(session: Session, actor: Actor) -> Station:
    if actor.station_id is not None:
        st = session.get(Station, actor.station_id)
    else:
        st = session.scalars(select(Station).order_by(Station.id)).first()
    if st is None:
        raise NotFound("数据库中没有派出所信息", "the database has no station")
    return st


def resolve_people(session: Session, station: Station, people: Responsibility) -> Responsibility:
    """Check the named people belong to the station and fill the team, team leader and station
    leader from the responsible officer when they are not given."""
    if people.officer_id is None:
        raise ValidationError("须指定责任民警", "a responsible officer is required", "officer_id")
    officer = session.get(Officer, people.officer_id)
    if officer is None or officer.station_id != station.id:
        raise ValidationError(f"责任民警不存在：{people.officer_id}", f"no such officer: {people.officer_id}",
                              "officer_id")
    if officer.auxiliary:
        raise ValidationError(f"辅警{officer.name}不能担任责任民警", f"assisting staff ({officer.name}) cannot be the "
                              "responsible officer", "officer_id")
    team_id = people.team_id if people.team_id is not None else officer.team_id
    team_leader_id = people.team_leader_id
    if team_leader_id is None and team_id is not None:
        team_leader_id = session.scalar(select(Officer.id).where(
            Officer.team_id == team_id, Officer.role == "team_leader", Officer.active).order_by(Officer.id))
    leader_id = people.leader_id
    if leader_id is None:
        leader_id = session.scalar(select(Officer.id).where(
            Officer.station_id == station.id, Officer.role == "leader", Officer.active).order_by(Officer.id))
    for oid, role, zh, en, f in ((team_leader_id, "team_leader", "队长", "team leader", "team_leader_id"),
                                 (leader_id, "leader", "所领导", "station leader", "leader_id")):
        if oid is None:
            raise ValidationError(f"须指定{zh}", f"a {en} is required", f)
        o = session.get(Officer, oid)
        if o is None or o.station_id != station.id or o.role != role:
            raise ValidationError(f"{zh}无效：{oid}", f"not a {en} of this station: {oid}", f)
    return Responsibility(officer.id, team_leader_id, leader_id, team_id)


def _start_record(session: Session, module: Module, rec: RecordMixin, station: Station, level: Level,
                  people: Responsibility, reason: str, outcome: str, actor: Actor, opened_on: date,
                  at: datetime | None = None) -> None:
    """`at`: the record's own opening time, for history brought in from a ledger (the record then
    exists, for every figure, from that day on); otherwise now."""
    ts = _prepare_record(rec, station.id, level, people, actor, opened_on, load_cadence(session, module), at)
    session.add(rec)
    session.flush()
    session.add(creation_change(module, rec, level, reason, outcome, actor, at or ts))


def _prepare_record(rec: RecordMixin, station_id: int, level: Level, people: Responsibility, actor: Actor,
                    opened_on: date, cadence: dict[Level, int | None], at: datetime | None = None) -> datetime:
    """Everything a new record carries before it is written (the policy decides first)."""
    ts = now()
    rec.station_id = station_id
    rec.level = level.value
    rec.status = status_for_level(level)
    rec.officer_id, rec.team_leader_id, rec.leader_id, rec.team_id = (
        people.officer_id, people.team_leader_id, people.leader_id, people.team_id)
    rec.updated_at = ts
    rec.created_at = rec.level_changed_at = at or ts
    rec.last_activity_on = max(opened_on, ts.date()) if opened_on else ts.date()
    rec.next_due = next_due_date(level, rec.last_activity_on, None, cadence)
    if level == Level.GREEN and isinstance(rec, Dispute):  # entered already resolved
        start_followup(rec)
    authorize(actor, "create_record", rec)
    return ts


def creation_change(module: Module, rec: RecordMixin, level: Level, reason: str, outcome: str, actor: Actor,
                    at: datetime) -> LevelChange:
    """The first level change of a written record (it has its id)."""
    return LevelChange(module=module.value, record_id=rec.id, from_level=None, to_level=level.value,
                       changed_at=at, officer_id=actor.officer_id,
                       reason=require_text(reason, "登记理由", "a reason", "reason"), outcome=outcome)


# -- create ---------------------------------------------------------------------------------
def validate_case(session: Session, station: Station, data: CaseInput, exclude_id: int | None = None) -> Level:
    level = check_case(data)
    dup = select(Case.id).where(Case.station_id == station.id, Case.case_no == data.case_no.strip())
    if exclude_id is not None:
        dup = dup.where(Case.id != exclude_id)
    if session.scalar(dup) is not None:
        raise ValidationError(f"案件编号已存在：{data.case_no}", f"case number already exists: {data.case_no}",
                              "case_no")
    return level


def check_case(data: CaseInput) -> Level:
    """Every check of a new case that needs no database (the number on file is checked apart)."""
    require_text(data.case_no, "案件编号", "the case number", "case_no")
    _choice(data.kind, CASE_KIND_NAMES, "案件类别", "case kind", "kind")
    level = level_of(data.level)
    data.accepted_on = checked_date(data.accepted_on, "受案日期", "accepted date", "accepted_on", required=True)
    data.filed_on = checked_date(data.filed_on, "立案日期", "filed date", "filed_on")
    data.solved_on = checked_date(data.solved_on, "破案日期", "solved date", "solved_on")
    data.closed_on = checked_date(data.closed_on, "办结日期", "closed date", "closed_on")
    for d, zh, en, f in ((data.accepted_on, "受案日期", "accepted date", "accepted_on"),
                         (data.filed_on, "立案日期", "filed date", "filed_on"),
                         (data.solved_on, "破案日期", "solved date", "solved_on"),
                         (data.closed_on, "办结日期", "closed date", "closed_on")):
        not_future(d, zh, en, f)
    date_order(data.accepted_on, data.filed_on, "立案日期不能早于受案日期", "filed date is before the accepted date",
           "filed_on")
    date_order(data.accepted_on, data.closed_on, "办结日期不能早于受案日期", "closed date is before the accepted date",
           "closed_on")
    if level == Level.GREEN and data.closed_on is None:
        raise ValidationError("绿色（办结）案件须填写办结日期", "a green (concluded) case needs the closed date",
                              "closed_on")
    check_required(Module.CASE, level, field_values(Module.CASE, data))
    return level


def case_search_text(c: Case) -> str:
    return build_search_text(c.case_no, c.category, c.cause, c.place, c.summary)


def create_case(db: Store, actor: Actor, data: CaseInput) -> int:
    with db.write(actor, "create_case") as session:
        return _create_case(session, actor, data).id


def _create_case(session: Session, actor: Actor, data: CaseInput, source_dispute_id: int | None = None,
                 at: datetime | None = None) -> Case:
    station = station_of(session, actor)
    level = validate_case(session, station, data)
    people = resolve_people(session, station, data.people)
    c = new_case(data, source_dispute_id)
    _start_record(session, Module.CASE, c, station, level, people, data.reason, case_outcome(data, level), actor,
                  data.accepted_on, at)
    return c


def new_case(data: CaseInput, source_dispute_id: int | None = None) -> Case:
    """The Case a checked CaseInput becomes (not yet written)."""
    c = Case(case_no=data.case_no.strip(), kind=data.kind, category=data.category.strip(),
             cause=data.cause.strip(), place=data.place.strip(), summary=data.summary.strip(),
             accepted_on=data.accepted_on, filed_on=data.filed_on, solved_on=data.solved_on,
             closed_on=data.closed_on, source_dispute_id=source_dispute_id)
    c.search_text = case_search_text(c)
    return c


def case_outcome(data: CaseInput, level: Level) -> str:
    return data.outcome or ("案件办结" if level == Level.GREEN else "")


def validate_dispute(data: DisputeInput) -> Level:
    require_text(data.dispute_no, "纠纷编号", "the dispute number", "dispute_no")
    _choice(data.category, DISPUTE_CATEGORY_NAMES, "纠纷类别", "dispute category", "category")
    _choice(data.source, DISPUTE_SOURCE_NAMES, "纠纷来源", "dispute source", "source")
    _choice(data.focus_area or "other", FOCUS_AREA_NAMES, "重点领域", "focus area", "focus_area")
    if data.satisfaction is not None:
        _choice(data.satisfaction, SATISFACTION_NAMES, "回访满意度", "follow-up satisfaction", "satisfaction")
    level = level_of(data.level)
    data.found_on = checked_date(data.found_on, "发现日期", "found date", "found_on", required=True)
    data.resolved_on = checked_date(data.resolved_on, "化解日期", "resolved date", "resolved_on")
    not_future(data.found_on, "发现日期", "found date", "found_on")
    not_future(data.resolved_on, "化解日期", "resolved date", "resolved_on")
    date_order(data.found_on, data.resolved_on, "化解日期不能早于发现日期", "resolved date is before the found date",
           "resolved_on")
    require_text(data.parties, "当事人", "the parties", "parties")
    if level == Level.GREEN:
        if data.resolved_on is None:
            raise ValidationError("绿色（调解完成）纠纷须填写化解日期", "a green dispute needs the resolved date",
                                  "resolved_on")
        require_text(data.outcome, "调解结果", "the mediation outcome", "outcome")
    check_required(Module.DISPUTE, level, field_values(Module.DISPUTE, data))
    return level


def create_dispute(db: Store, actor: Actor, data: DisputeInput) -> int:
    with db.write(actor, "create_dispute") as session:
        return create_dispute_in(session, actor, data).id


def dispute_search_text(d: Dispute) -> str:
    names = tuple(p for p in d.parties.replace("，", ",").replace("、", ",").split(",") if p.strip())
    return build_search_text(d.dispute_no, d.place, d.community, d.summary, names=tuple(n.strip() for n in names))


def validate_person(data: PersonInput) -> tuple[Level, Any]:
    name = require_text(data.name, "姓名", "the name", "name")
    if len(name) > 30:
        raise ValidationError("姓名过长", "the name is too long", "name")
    level = level_of(data.level)
    data.listed_on = checked_date(data.listed_on, "列管日期", "listed date", "listed_on", required=True)
    not_future(data.listed_on, "列管日期", "listed date", "listed_on")
    ident = parse_id_number(data.id_number) if data.id_number and data.id_number.strip() else None
    if (data.phone or "").strip():
        data.phone = normalise_phone(data.phone)
    if (data.guardian_phone or "").strip():
        data.guardian_phone = normalise_phone(data.guardian_phone, "guardian_phone")
    for cat in data.risk_categories:
        _choice(cat, PERSON_RISK_CATEGORIES, "人员类别", "risk category", "risk_categories")
    if data.mental_risk_grade is not None:
        if not isinstance(data.mental_risk_grade, int) or not 0 <= data.mental_risk_grade <= 5:
            raise ValidationError("精神病人风险等级应为0–5级", "the mental-illness risk grade is 0 to 5",
                                  "mental_risk_grade")
        if data.mental_risk_grade >= 3 and not data.guardian_name.strip():
            raise ValidationError("风险等级3级及以上须登记监护人", "grade 3 and above needs a guardian",
                                  "guardian_name")
    if level == Level.RED and not data.control_plan.strip():
        raise ValidationError("红色重点人员须制定管控方案（一人一策）", "a red key person needs a control plan",
                              "control_plan")
    check_required(Module.PERSON, level, field_values(Module.PERSON, data))
    return level, ident


def create_person(db: Store, actor: Actor, data: PersonInput) -> int:
    with db.write(actor, "create_person") as session:
        return create_person_in(session, actor, data).id


def person_search_text(p: Person) -> str:
    return build_search_text(p.id_number, p.phone, p.address, p.community, p.summary, names=(p.name,))


def search_text_of(rec: RecordMixin) -> str:
    """The search text of a case, a dispute or a key person."""
    if isinstance(rec, Case):
        return case_search_text(rec)
    if isinstance(rec, Dispute):
        return dispute_search_text(rec)
    if isinstance(rec, Person):
        return person_search_text(rec)
    raise TypeError(f"not a record: {rec!r}")


# -- changes to an existing record --------------------------------------------------------------
def load_record(session: Session, module: Module, record_id: int, expected_version: int | None = None) -> RecordMixin:
    rec = session.get(MODELS[module], record_id)
    if rec is None:
        raise NotFound(f"{module.zh}记录不存在：{record_id}", f"no such {module.value}: {record_id}")
    if expected_version is not None and rec.version != expected_version:
        raise StaleRecord("记录已被他人修改，请刷新后重试", "someone else changed this record; reload and retry")
    return rec


_Model = TypeVar("_Model", Case, Dispute, Person)


def record_as(model: type[_Model], rec: RecordMixin) -> _Model:
    """`rec` as the mapped class of its module (load_record returns their common base)."""
    if not isinstance(rec, model):
        raise TypeError(f"{rec!r} is not a {model.__name__}")
    return rec


def _touch(rec: RecordMixin, module: Module, session: Session, activity: date | None = None,
           explicit_due: date | None = None) -> None:
    ts = now()
    rec.updated_at = ts
    if activity is not None:
        rec.last_activity_on = max(rec.last_activity_on, activity)
    with session.no_autoflush:  # one UPDATE per change, so the version counts changes, not flushes
        cadence = load_cadence(session, module)
    rec.next_due = next_due_date(Level(rec.level), rec.last_activity_on, explicit_due, cadence)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def commit_guard(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Turn an optimistic-lock failure (version_id_col) into a message, never a silent overwrite."""
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return fn(*args, **kwargs)
        except StaleDataError:
            raise StaleRecord("记录已被他人修改，请刷新后重试", "someone else changed this record; reload and retry") from None
    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


@commit_guard
def change_level(db: Store, actor: Actor, module: str, record_id: int, to_level: str, reason: str,
                 outcome: str = "", expected_version: int | None = None, on: date | None = None,
                 solved_on: date | str | None = None) -> Changes:
    """Change a record's level with a reason; green needs the closing outcome and may need the leader.

    `solved_on` records the solving (破案) of a criminal case that moves to yellow (取得初步战果)
    or green (办结) in the same transaction: the 破案日期 that 破刑事案件 and 破案率 count."""
    mod = module_of(module)
    with db.write(actor, "change_level") as session:
        rec = load_record(session, mod, record_id, expected_version)
        authorize(actor, "change_level", rec)
        to, why, result = check_level_change(mod, Level(rec.level), rec.status, to_level, reason, outcome, actor)
        if solved_on not in (None, ""):
            if to not in (Level.YELLOW, Level.GREEN):
                raise ValidationError("只有转为黄色（取得初步战果）或绿色（办结）时可登记破案",
                                      "a case is recorded as solved only when it moves to yellow or green",
                                      "solved_on")
            _set_solved(rec, solved_on)
        apply_level(session, mod, rec, to, why, result, actor, on)
    return Changes.of((mod.value, record_id))


def _set_solved(rec: RecordMixin, solved_on: date | str) -> date:
    """Store the 破案日期 of a criminal case, checked: a date, not in the future, not before the
    case was accepted, and only once (a solved case stays solved on its first date)."""
    if not isinstance(rec, Case) or rec.kind != "criminal":
        raise ValidationError("只有刑事案件登记破案日期", "only a criminal case has a solved date", "solved_on")
    if rec.status in ("voided", "converted"):
        raise RuleViolation("记录已作废，不能登记破案", "the case is voided; it cannot be marked solved", "status")
    if rec.solved_on is not None:
        raise RuleViolation(f"案件已于{rec.solved_on.isoformat()}破案", f"the case was already solved on {rec.solved_on}",
                            "solved_on")
    day = checked_date(solved_on, "破案日期", "solved date", "solved_on", required=True)
    not_future(day, "破案日期", "solved date", "solved_on")
    date_order(rec.accepted_on, day, "破案日期不能早于受案日期", "the solved date is before the accepted date", "solved_on")
    rec.solved_on = day
    return day


@commit_guard
def mark_case_solved(db: Store, actor: Actor, case_id: int, solved_on: date | str, note: str,
                     expected_version: int | None = None) -> Changes:
    """Record that a criminal case was solved (破案) without changing its level: the 破案日期 and,
    in the case's history, an investigation entry saying how (抓获犯罪嫌疑人…)."""
    text = require_text(note, "破案情况", "how the case was solved", "note")
    with db.write(actor, "mark_case_solved") as session:
        rec = record_as(Case, load_record(session, Module.CASE, case_id, expected_version))
        authorize(actor, "mark_solved", rec)
        day = _set_solved(rec, solved_on)
        ts = now()
        session.add(Action(module=Module.CASE.value, record_id=rec.id, kind="investigation",
                           content=f"破案：{text}", outcome="破案", officer_id=actor.officer_id,
                           acted_at=datetime.combine(day, ts.time()), recorded_at=ts))
        _touch(rec, Module.CASE, session, activity=day)
    return Changes.of(("case", case_id))


def start_followup(d: Dispute) -> None:
    """跟踪回访: a dispute that turns green is due its follow-up visit a week after it was resolved,
    however it turned green (the window, a ledger import closing it, a record entered resolved);
    not when the visit is already on file (its day, or the satisfaction a ledger gives)."""
    from app.domain.workflows import followup_due

    if d.resolved_on is not None and d.followed_up_on is None and not d.satisfaction:
        d.followup_due = followup_due(d.resolved_on)


def apply_level(session: Session, mod: Module, rec: RecordMixin, to: Level, why: str, result: str,
                 actor: Actor, on: date | None = None) -> None:
    """Move `rec` to level `to`, with its history row. `on`: the day the change was made, when it is
    entered later (补录): the change is dated that day, as a back-dated action is, so the record's
    due date runs from that day by the statistics' rule (due_from_history_in), not from today. A
    day before the record's last level change (or its entry) dates the change just after that one:
    the history stays in order; the closing dates (办结/化解/撤销列管) still take the day given."""
    ts = now()
    day = on or ts.date()
    not_future(day, "变更日期", "the date of the change", "on")
    opened = getattr(rec, {Module.CASE: "accepted_on", Module.DISPUTE: "found_on", Module.PERSON: "listed_on"}[mod])
    if opened and day < opened:
        raise ValidationError(f"变更日期{day}早于登记日期{opened}", f"the date of the change {day} is before the opening "
                              f"{opened}", "on")
    at = ts if day >= ts.date() else max(datetime.combine(day, ts.time()), rec.level_changed_at)
    change = LevelChange(module=mod.value, record_id=rec.id, from_level=rec.level, to_level=to.value,
                         changed_at=at, officer_id=actor.officer_id, reason=why, outcome=result)
    session.add(change)
    rec.level = to.value
    rec.status = status_for_level(to)
    rec.level_changed_at = at
    if to == Level.GREEN:
        if mod == Module.CASE and isinstance(rec, Case) and rec.closed_on is None:
            rec.closed_on = day
        elif mod == Module.DISPUTE and isinstance(rec, Dispute):
            rec.resolved_on = rec.resolved_on or day
            rec.outcome = result
            start_followup(rec)
        elif mod == Module.PERSON and isinstance(rec, Person):
            rec.delisted_on = day
            rec.delist_reason = result
    elif mod == Module.PERSON and isinstance(rec, Person) and rec.delisted_on is not None:
        rec.delisted_on = None  # re-listed
    _touch(rec, mod, session, activity=day)
    rec.next_due = due_from_history_in(session, mod, rec, pending_change=change)


@commit_guard
def log_action(db: Store, actor: Actor, module: str, record_id: int, kind: str, content: str,
               outcome: str = "", acted_on: date | None = None, next_due: date | None = None) -> Changes:
    """Record work done on a record (talk, visit, mediation, investigation…) and the next due date."""
    mod = module_of(module)
    with db.write(actor, "log_action") as session:
        log_action_in(session, actor, mod, record_id, kind, content, outcome, acted_on, next_due)
    return Changes.of((mod.value, record_id))


def log_action_in(session: Session, actor: Actor, mod: Module, record_id: int, kind: str, content: str,
                outcome: str = "", acted_on: date | None = None, next_due: date | None = None) -> RecordMixin:
    _choice(kind, ACTION_KIND_NAMES, "工作类型", "action kind", "kind")
    text = require_text(content, "工作内容", "what was done", "content")
    day = checked_date(acted_on, "工作日期", "action date", "acted_on") or date.today()
    not_future(day, "工作日期", "action date", "acted_on")
    due = checked_date(next_due, "下次跟进日期", "next due date", "next_due")
    if due is not None and due < day:
        raise ValidationError("下次跟进日期不能早于工作日期", "the next due date is before the action date", "next_due")
    rec = load_record(session, mod, record_id)
    authorize(actor, "log_action", rec)
    if rec.status in ("voided", "converted"):
        raise RuleViolation("记录已作废或已转案件，不能再登记工作", "the record is voided or converted", "status")
    ts = now()
    action = Action(module=mod.value, record_id=rec.id, kind=kind, content=text,
                    outcome=(outcome or "").strip(), next_due=due, officer_id=actor.officer_id,
                    acted_at=datetime.combine(day, ts.time()), recorded_at=ts)
    session.add(action)
    _touch(rec, mod, session, activity=day, explicit_due=due)
    # A back-dated action (before a later action or the last level change) must not set the due
    # date with its own: the record keeps the one its history gives, as the statistics rebuild it.
    rec.next_due = due_from_history_in(session, mod, rec, action)
    return rec


def due_from_history_in(session: Session, mod: Module, rec: RecordMixin, pending: Action | None = None,
                        pending_change: LevelChange | None = None) -> date | None:
    """The record's follow-up due date now, by the rule the statistics rebuild it with
    (stats.state_select): the explicit next due of its latest action when that action is not older
    than its latest level change (or its creation), else the day of its last activity (creation,
    level change or action) plus its level's cadence. `pending` / `pending_change`: an action or a
    level change not yet flushed."""
    from app.services.stats import not_marker

    if rec.level == Level.GREEN.value:
        return None
    with session.no_autoflush:
        cadence = load_cadence(session, mod)
        changed = session.scalar(select(LevelChange.changed_at).where(
            LevelChange.module == mod.value, LevelChange.record_id == rec.id, not_marker())
            .order_by(LevelChange.changed_at.desc(), LevelChange.id.desc()).limit(1))
        latest = session.execute(select(Action.acted_at, Action.next_due).where(
            Action.module == mod.value, Action.record_id == rec.id)
            .order_by(Action.acted_at.desc(), Action.id.desc()).limit(1)).first()
    acted, explicit = latest if latest is not None else (None, None)
    if pending is not None and (acted is None or pending.acted_at >= acted):
        acted, explicit = pending.acted_at, pending.next_due
    if pending_change is not None and (changed is None or pending_change.changed_at >= changed):
        changed = pending_change.changed_at
    since = changed or rec.created_at
    if acted is not None and acted >= since and explicit is not None:
        return explicit
    activity = max(t for t in (rec.created_at, since, acted) if t is not None)
    return next_due_date(Level(rec.level), activity.date(), None, cadence)


@commit_guard
def record_followup(db: Store, actor: Actor, dispute_id: int, satisfaction: str, content: str,
                    on: date | None = None, next_due: date | None = None) -> Changes:
    """The follow-up visit after mediation (跟踪回访) with the parties' satisfaction, in one transaction."""
    _choice(satisfaction, SATISFACTION_NAMES, "回访满意度", "follow-up satisfaction", "satisfaction")
    with db.write(actor, "record_followup") as session:
        d = record_as(Dispute, log_action_in(session, actor, Module.DISPUTE, dispute_id, "followup", content,
                                             SATISFACTION_NAMES[satisfaction][0], acted_on=on, next_due=next_due))
        d.satisfaction = satisfaction
        d.followed_up_on = on or date.today()
    return Changes.of(("dispute", dispute_id))


@commit_guard
def convert_dispute(db: Store, actor: Actor, dispute_id: int, case: CaseInput, reason: str) -> int:
    """A dispute that cannot be mediated becomes a case: both stay, linked both ways; the dispute
    leaves the active list. Returns the new case id."""
    why = require_text(reason, "转案理由", "a reason for the conversion", "reason")
    with db.write(actor, "convert_dispute") as session:
        d = record_as(Dispute, load_record(session, Module.DISPUTE, dispute_id))
        authorize(actor, "convert_dispute", d)
        if d.status != "active":
            raise RuleViolation("只有在办的纠纷可以转为案件", "only an active dispute can become a case", "status")
        if not case.summary:
            case.summary = d.summary
        if case.people.officer_id is None:
            case.people = Responsibility(d.officer_id, d.team_leader_id, d.leader_id, d.team_id)
        case.reason = f"由纠纷{d.dispute_no}转为案件：{why}"
        c = _create_case(session, actor, case, source_dispute_id=d.id)
        ts = now()
        session.add(LevelChange(module="dispute", record_id=d.id, from_level=d.level, to_level=d.level,
                                changed_at=ts, officer_id=actor.officer_id,
                                reason=f"调解不成，转为案件{c.case_no}：{why}", outcome="converted"))
        d.status = "converted"
        d.converted_case_id = c.id
        d.converted_at = ts
        d.updated_at = ts
        d.next_due = None
        for link in session.scalars(select(PersonLink).where(PersonLink.module == "dispute",
                                                             PersonLink.record_id == d.id)).all():
            session.add(PersonLink(person_id=link.person_id, module="case", record_id=c.id, role=link.role,
                                   created_at=ts))
        return c.id


def delist_person(db: Store, actor: Actor, person_id: int, assessment: str, reason: str = "撤销列管",
                  on: date | None = None) -> Changes:
    """De-list a key person (撤销列管): green with the assessment; station leader only."""
    return change_level(db, actor, "person", person_id, "green", reason, assessment, on=on)


@commit_guard
def void_record(db: Store, actor: Actor, module: str, record_id: int, reason: str) -> Changes:
    """Void a wrong entry: it stays, with the reason, and leaves every active list and count."""
    mod = module_of(module)
    why = require_text(reason, "作废理由", "a reason for voiding", "reason")
    with db.write(actor, "void_record") as session:
        rec = load_record(session, mod, record_id)
        authorize(actor, "void_record", rec)
        if rec.status == "voided":
            raise RuleViolation("记录已作废", "the record is already voided", "status")
        if rec.status == "converted":
            raise RuleViolation("已转为案件的纠纷不能作废，请作废对应案件",
                                "a converted dispute cannot be voided; void its case", "status")
        ts = now()
        session.add(LevelChange(module=mod.value, record_id=rec.id, from_level=rec.level, to_level=rec.level,
                                changed_at=ts, officer_id=actor.officer_id, reason=f"作废：{why}",
                                outcome="voided"))
        rec.status = "voided"
        rec.voided_at = ts
        rec.void_reason = why
        rec.updated_at = ts
        rec.next_due = None
    return Changes.of((mod.value, record_id))


def link_person(db: Store, actor: Actor, person_id: int, module: str, record_id: int,
                role: str = "party") -> Changes:
    mod = module_of(module)
    if mod == Module.PERSON:
        raise ValidationError("人员只能关联案件或纠纷", "a person links to a case or a dispute", "module")
    with db.write(actor, "link_person") as session:
        load_record(session, Module.PERSON, person_id)
        authorize(actor, "link_person", load_record(session, mod, record_id))
        exists = session.scalar(select(PersonLink.id).where(
            PersonLink.person_id == person_id, PersonLink.module == mod.value, PersonLink.record_id == record_id))
        if exists is None:
            session.add(PersonLink(person_id=person_id, module=mod.value, record_id=record_id, role=role,
                                   created_at=now()))
    return Changes.of(("person", person_id), (mod.value, record_id))


# -- read -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    kind: str  # "level" or an action kind
    who: str
    text: str
    from_level: str | None = None
    to_level: str | None = None
    outcome: str = ""
    next_due: date | None = None


@dataclass(frozen=True)
class LinkedRecord:
    module: str
    record_id: int
    label: str
    level: str
    status: str
    role: str = ""


@dataclass(frozen=True)
class RecordDetail:
    module: str
    id: int
    uuid: str
    level: str
    status: str
    version: int
    fields: dict[str, Any]
    people: dict[str, str]
    timeline: tuple[TimelineEntry, ...]
    links: tuple[LinkedRecord, ...]
    next_due: date | None


def record_label(module: Module, rec: RecordMixin) -> str:
    if isinstance(rec, Case):
        return f"{rec.case_no} {rec.cause or rec.category}".strip()
    if isinstance(rec, Dispute):
        return f"{rec.dispute_no} {rec.parties}".strip()
    if isinstance(rec, Person):
        return f"{rec.name}"
    raise TypeError(f"not a record: {rec!r}")


def officer_names_in(session: Session) -> dict[int | None, str]:
    """Every officer's name by id (a record's responsible people, who did an action…)."""
    return {oid: name for oid, name in session.execute(select(Officer.id, Officer.name))}


def get_record(db: Store, module: str, record_id: int) -> RecordDetail:
    """The whole record: fields, the responsible people, every level change and action, links."""
    mod = module_of(module)
    with db.read() as session:
        rec = load_record(session, mod, record_id)
        names = officer_names_in(session)
        flds = {c.key: getattr(rec, c.key) for c in sa_inspect(rec).mapper.local_table.columns
                if c.key != "search_text"}
        people = {k: names.get(getattr(rec, k), "") for k in ("leader_id", "team_leader_id", "officer_id")}
        timeline: list[TimelineEntry] = []
        for lc in session.scalars(select(LevelChange).where(LevelChange.module == mod.value,
                                                            LevelChange.record_id == rec.id)):
            timeline.append(TimelineEntry(lc.changed_at, "level", names.get(lc.officer_id, ""), lc.reason,
                                          lc.from_level, lc.to_level, lc.outcome))
        for a in session.scalars(select(Action).where(Action.module == mod.value, Action.record_id == rec.id)):
            timeline.append(TimelineEntry(a.acted_at, a.kind, names.get(a.officer_id, ""), a.content,
                                          outcome=a.outcome, next_due=a.next_due))
        timeline.sort(key=lambda e: e.when)
        links: list[LinkedRecord] = []
        if isinstance(rec, Dispute) and rec.converted_case_id:
            c = session.get(Case, rec.converted_case_id)
            assert c is not None  # a foreign key: the case is there
            links.append(LinkedRecord("case", c.id, record_label(Module.CASE, c), c.level, c.status, "converted"))
        if isinstance(rec, Case) and rec.source_dispute_id:
            d = session.get(Dispute, rec.source_dispute_id)
            assert d is not None  # a foreign key: the dispute is there
            links.append(LinkedRecord("dispute", d.id, record_label(Module.DISPUTE, d), d.level, d.status,
                                      "source"))
        if mod == Module.PERSON:
            for link in session.scalars(select(PersonLink).where(PersonLink.person_id == rec.id)):
                other = session.get(MODELS[Module(link.module)], link.record_id)
                assert other is not None  # records are never deleted
                links.append(LinkedRecord(link.module, other.id, record_label(Module(link.module), other),
                                          other.level, other.status, link.role))
        else:
            for link in session.scalars(select(PersonLink).where(PersonLink.module == mod.value,
                                                                 PersonLink.record_id == rec.id)):
                p = session.get(Person, link.person_id)
                assert p is not None  # a foreign key: the person is there
                links.append(LinkedRecord("person", p.id, p.name, p.level, p.status, link.role))
        return RecordDetail(mod.value, rec.id, rec.uuid, rec.level, rec.status, rec.version, flds, people,
                            tuple(timeline), tuple(links), rec.next_due)


def count_records(db: Store, module: str) -> int:
    mod = module_of(module)
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(MODELS[mod])) or 0


def input_fields(cls: type[CaseInput] | type[DisputeInput] | type[PersonInput]) -> list[str]:
    return [f.name for f in fields(cls)]


# == Ledger import (app/ledger) ===================================================================
# The same creation as create_case / create_dispute / create_person, inside a transaction the
# caller holds, so a whole ledger is one unit of work; validation is the public functions' own.
def create_case_in(session: Session, actor: Actor, data: CaseInput, at: datetime | None = None,
                   source_dispute_id: int | None = None) -> Case:
    """create_case inside the caller's transaction; returns the flushed Case. `at`: see _start_record."""
    return _create_case(session, actor, data, source_dispute_id, at)


def create_dispute_in(session: Session, actor: Actor, data: DisputeInput, at: datetime | None = None) -> Dispute:
    """create_dispute inside the caller's transaction; returns the flushed Dispute."""
    station = station_of(session, actor)
    level = validate_dispute(data)
    if session.scalar(select(Dispute.id).where(Dispute.station_id == station.id,
                                               Dispute.dispute_no == data.dispute_no.strip())):
        raise ValidationError(f"纠纷编号已存在：{data.dispute_no}",
                              f"dispute number already exists: {data.dispute_no}", "dispute_no")
    people = resolve_people(session, station, data.people)
    d = new_dispute(data)
    _start_record(session, Module.DISPUTE, d, station, level, people, data.reason,
                  data.outcome.strip() if level == Level.GREEN else "", actor, data.found_on, at)
    return d


def create_person_in(session: Session, actor: Actor, data: PersonInput, sex: str | None = None,
                     birth_date: date | None = None, at: datetime | None = None) -> Person:
    """create_person inside the caller's transaction. Without an ID number, the sex and birth date
    a ledger gives are kept (they help to tell namesakes apart); with one, the ID number decides."""
    station = station_of(session, actor)
    level, ident = validate_person(data)
    if ident and session.scalar(select(Person.id).where(Person.station_id == station.id,
                                                        Person.id_number == ident.number,
                                                        Person.status != "voided")):
        raise ValidationError(f"该身份证号的人员已在册：{ident.number}",
                              f"a person with this ID number is already on file: {ident.number}", "id_number")
    if sex is not None and sex not in ("M", "F"):
        raise ValidationError(f"性别无效：{sex}", f"sex must be M or F: {sex}", "sex")
    birth = checked_date(birth_date, "出生日期", "birth date", "birth_date")
    not_future(birth, "出生日期", "birth date", "birth_date")
    people = resolve_people(session, station, data.people)
    p = Person(name=data.name.strip(), id_number=ident.number if ident else None,
               sex=ident.sex if ident else sex, birth_date=ident.birth_date if ident else birth,
               phone=data.phone, address=data.address.strip(), community=data.community.strip(),
               grid=data.grid.strip(), risk_categories=",".join(data.risk_categories),
               control_plan=data.control_plan.strip(), mental_risk_grade=data.mental_risk_grade,
               guardian_name=data.guardian_name.strip(), guardian_phone=data.guardian_phone,
               summary=data.summary.strip(), listed_on=data.listed_on)
    p.search_text = person_search_text(p)
    _start_record(session, Module.PERSON, p, station, level, people, data.reason, data.outcome, actor,
                  data.listed_on, at)
    return p


def station_in(session: Session, actor: Actor) -> Station:
    """The actor's station, inside the caller's transaction."""
    return station_of(session, actor)


# -- history from a ledger: the later steps of a record, on their own dates ----------------------------
def close_from_history_in(session: Session, actor: Actor, module: Module, rec: RecordMixin, on: date, reason: str,
                          outcome: str) -> None:
    """A record a ledger shows closed (已办结 / 已化解 / 撤销列管) with the level it had while open:
    the level goes green on the closing day, with the ledger's words as the reason. The policy
    decides as for a person closing it now (a red record needs close_red, a person delist_person)."""
    session.add(close_from_history(actor, module, rec, on, reason, outcome))


def close_from_history(actor: Actor, module: Module, rec: RecordMixin, on: date, reason: str,
                       outcome: str) -> LevelChange:
    """close_from_history_in without the session: checks, closes `rec` and returns its level
    change (whose record_id the caller sets when `rec` has no id yet)."""
    not_future(on, "办结日期", "closing date", "closed_on")
    opened = getattr(rec, {Module.CASE: "accepted_on", Module.DISPUTE: "found_on", Module.PERSON: "listed_on"}[module])
    if opened and on < opened:
        raise ValidationError(f"办结日期{on}早于登记日期{opened}", f"the closing date {on} is before the opening {opened}",
                              "closed_on")
    authorize(actor, "change_level", rec)
    if rec.level == Level.RED.value:
        authorize(actor, "close_red", rec)
    if module == Module.PERSON:
        authorize(actor, "delist_person", rec)
    why = require_text(reason, "办结理由", "a reason", "reason")
    result = require_text(outcome, "办结结果", "the outcome", "outcome")
    at = datetime.combine(on, datetime.min.time())
    change = LevelChange(module=module.value, record_id=rec.id, from_level=rec.level, to_level=Level.GREEN.value,
                         changed_at=at, officer_id=actor.officer_id, reason=why, outcome=result)
    rec.level = Level.GREEN.value
    rec.status = status_for_level(Level.GREEN)
    rec.level_changed_at = at
    if isinstance(rec, Case):
        rec.closed_on = on
    elif isinstance(rec, Dispute):
        rec.resolved_on = on
        rec.outcome = result
        start_followup(rec)
    elif isinstance(rec, Person):
        rec.delisted_on = on
        rec.delist_reason = result
    rec.last_activity_on = max(rec.last_activity_on, on)
    rec.next_due = None
    return change


def convert_from_history_in(session: Session, actor: Actor, d: Dispute, case: Case, on: date, reason: str) -> None:
    """A dispute a ledger shows converted to a case (转案件), linked to `case`, on its own day."""
    not_future(on, "转案日期", "converted date", "converted_on")
    if on < d.found_on:
        raise ValidationError(f"转案日期{on}早于发现日期{d.found_on}", f"the converted date {on} is before the found date",
                              "converted_on")
    authorize(actor, "convert_dispute", d)
    if case.source_dispute_id not in (None, d.id):
        raise ValidationError(f"案件{case.case_no}已由另一起纠纷转来", f"case {case.case_no} came from another dispute",
                              "case_no")
    at = datetime.combine(on, datetime.min.time())
    session.add(LevelChange(module="dispute", record_id=d.id, from_level=d.level, to_level=d.level, changed_at=at,
                            officer_id=actor.officer_id, reason=require_text(reason, "转案理由", "a reason", "reason"),
                            outcome="converted"))
    case.source_dispute_id = d.id
    d.status = "converted"
    d.converted_case_id = case.id
    d.converted_at = at
    d.next_due = None


def started_following_in(session: Session, actor: Actor, module: Module, rec: RecordMixin, content: str,
                         due: date | None = None) -> None:
    """An active record brought in from a ledger is followed up from today (its earlier follow-ups
    are not in the ledger): an action dated now restarts the cadence, or `due` (整改期限) is set."""
    with session.no_autoflush:
        cadence = load_cadence(session, module)
    session.add(follow_from_today(actor, module, rec, content, due, cadence))


def follow_from_today(actor: Actor, module: Module, rec: RecordMixin, content: str, due: date | None,
                      cadence: dict[Level, int | None]) -> Action:
    """started_following_in without the session: sets the due date and returns the action
    (whose record_id the caller sets when `rec` has no id yet)."""
    ts = now()
    rec.last_activity_on = ts.date()
    rec.next_due = next_due_date(Level(rec.level), rec.last_activity_on, due, cadence)
    return Action(module=module.value, record_id=rec.id, kind="other", content=content, outcome="",
                  next_due=due, officer_id=actor.officer_id, acted_at=ts, recorded_at=ts)


def new_dispute(data: DisputeInput) -> Dispute:
    """The Dispute a checked DisputeInput becomes (not yet written)."""
    d = Dispute(dispute_no=data.dispute_no.strip(), category=data.category, source=data.source,
                focus_area=data.focus_area or "other", parties=data.parties.strip(), place=data.place.strip(),
                community=data.community.strip(), summary=data.summary.strip(), found_on=data.found_on,
                resolved_on=data.resolved_on, outcome=data.outcome.strip(), satisfaction=data.satisfaction)
    d.search_text = dispute_search_text(d)
    return d


def check_dispute(data: DisputeInput) -> Level:
    """Every check of a new dispute that needs no database (the number on file is checked apart)."""
    return validate_dispute(data)


class PeopleOnFile:
    """The station's officers, loaded once for a batch: the same rules and words as
    resolve_people (the responsible officer of this station; the team, its team leader and the
    station leader filled in when not given) without a query per record."""

    def __init__(self, session: Session, station: Station):
        self.station = station
        self.officers = {o.id: (o.station_id, o.team_id, o.role, o.active)
                         for o in session.scalars(select(Officer))}
        self.team_leader: dict[int, int] = {}
        self.leader: int | None = None
        for oid, (sid, team, role, active) in sorted(self.officers.items()):
            if not active:
                continue
            if role == "team_leader" and team is not None:
                self.team_leader.setdefault(team, oid)
            if role == "leader" and sid == station.id and self.leader is None:
                self.leader = oid

    def resolve(self, people: Responsibility) -> Responsibility:
        if people.officer_id is None:
            raise ValidationError("须指定责任民警", "a responsible officer is required", "officer_id")
        officer = self.officers.get(people.officer_id)
        if officer is None or officer[0] != self.station.id:
            raise ValidationError(f"责任民警不存在：{people.officer_id}", f"no such officer: {people.officer_id}",
                                  "officer_id")
        team_id = people.team_id if people.team_id is not None else officer[1]
        team_leader_id = people.team_leader_id
        if team_leader_id is None and team_id is not None:
            team_leader_id = self.team_leader.get(team_id)
        leader_id = people.leader_id if people.leader_id is not None else self.leader
        for oid, role, zh, en, f in ((team_leader_id, "team_leader", "队长", "team leader", "team_leader_id"),
                                     (leader_id, "leader", "所领导", "station leader", "leader_id")):
            if oid is None:
                raise ValidationError(f"须指定{zh}", f"a {en} is required", f)
            o = self.officers.get(oid)
            if o is None or o[0] != self.station.id or o[2] != role:
                raise ValidationError(f"{zh}无效：{oid}", f"not a {en} of this station: {oid}", f)
        return Responsibility(people.officer_id, team_leader_id, leader_id, team_id)


def prepare_record(rec: RecordMixin, station_id: int, level: Level, people: Responsibility, actor: Actor,
                   opened_on: date, cadence: dict[Level, int | None], at: datetime | None = None) -> datetime:
    """_prepare_record for a batch: the record as it will be written, the policy deciding first."""
    return _prepare_record(rec, station_id, level, people, actor, opened_on, cadence, at)


#: Fields a ledger row (or a merged person file) may fill in when the record has them empty.
FILLABLE = {
    Module.CASE: ("category", "cause", "place", "summary", "filed_on", "solved_on"),
    Module.DISPUTE: ("place", "community", "summary"),
    Module.PERSON: ("id_number", "sex", "birth_date", "phone", "address", "community", "grid", "risk_categories",
                    "control_plan", "mental_risk_grade", "guardian_name", "guardian_phone", "summary"),
}


def fill_blank_fields_in(session: Session, actor: Actor, module: Module, rec: RecordMixin,
                         values: dict[str, Any]) -> dict[str, Any]:
    """Fill the record's empty fields from `values` (never overwrite what is there); returns what
    was filled. An ID number is checked and must not belong to another person on file."""
    filled: dict[str, Any] = {}
    for key in FILLABLE[module]:
        new = values.get(key)
        if key in filled or new in (None, "", ()) or getattr(rec, key) not in (None, ""):
            continue
        if key == "id_number":
            ident = parse_id_number(new)
            if session.scalar(select(Person.id).where(Person.station_id == rec.station_id, Person.id != rec.id,
                                                      Person.id_number == ident.number, Person.status != "voided")):
                raise ValidationError(f"该身份证号的人员已在册：{ident.number}",
                                      f"a person with this ID number is already on file: {ident.number}", "id_number")
            new = ident.number
            for extra, value in (("sex", ident.sex), ("birth_date", ident.birth_date)):
                if getattr(rec, extra) is None:
                    filled[extra] = value
        elif key in ("phone", "guardian_phone"):
            new = normalise_phone(new, key)
        elif key == "risk_categories" and not isinstance(new, str):
            new = ",".join(new)
        filled[key] = new
    if not filled:
        return filled
    authorize(actor, "edit_record", rec)
    for key, value in filled.items():
        setattr(rec, key, value)
    rec.updated_at = now()
    rec.search_text = search_text_of(rec)
    return filled
