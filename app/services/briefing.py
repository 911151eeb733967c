"""The morning briefing (晨会简报) and the weekly consultation (每周会商研判): one Qt-free snapshot of the station.

Every figure comes from the existing services where one exists: the KPIs per module and level,
the overdue totals and the 同比/环比 figures from `headline.headline_stats`; the red records and the
overdue follow-ups from `tables` (the same rules and SQL the record tables use). The SQL written
here is only for what no other service answers: the events between two briefings and the level
history behind the trends.

Definitions:

- "Since the last briefing" counts the level_change rows with ``since <= changed_at < until``
  (half-open, so consecutive briefings count every event exactly once). A row with no
  ``from_level`` is a new record (its creation; a case made by converting a dispute is a new case
  as well); a void or conversion marker row (stats.MARKER_OUTCOMES, same from and to level) is a
  void or a conversion; a move to green is a closure (办结 / 化解 / 撤管), never also a fall; any
  other move towards red is a rise (升级: a re-opened green record included) and away from red a
  fall (降级). For cases red means "most actionable", not "most dangerous": a rise is still a
  move towards red.
- The window starts at the time the previous briefing was shown, kept per station in the
  setting table (``briefing.last_shown_at``; ``briefing.weekly.last_shown_at`` for the weekly
  mode). The first showing of a day (of an ISO week in the weekly mode) is that day's briefing;
  opening it again the same day keeps its start, so closing and re-opening the window does not
  empty the page, and the next day's briefing still starts at the first showing. Without a
  previous briefing the window is the last day (the last 7 days in the weekly mode).
- Trends: the number of records at each level at the end of each of the last N weeks (the last
  point is the end of today), rebuilt from the level history with the same rules as
  `headline_stats` (created by then, not voided or converted by then, the level of the latest
  real level change by then), so that each point equals ``headline_stats(day)[module]["by_level"]``.
- Masking: key persons' names and ID numbers, and the names of dispute parties, are masked
  (张*三, 3601**********1234) unless the briefing is asked for with an actor whose role may
  unmask; that request is written to the audit trail with the persons it showed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.domain.identity import mask_id_number, mask_name
from app.domain.levels import LEVEL_ORDER, Level, Module
from app.domain.permissions import allowed, authorize
from app.domain.rules import Actor
from app.errors import StationError, ValidationError
from app.services import audit, tables
from app.services.headline import headline_stats
from app.services.stats import MARKER_OUTCOMES, summary_series
from app.store import Store
from app.store.records import MODELS
from models import Case, Dispute, LevelChange, Officer, Person, Setting, Station, Team

MODULES = (Module.CASE, Module.DISPUTE, Module.PERSON)
LEVEL_CODES = tuple(lv.value for lv in LEVEL_ORDER)
#: Severity rank: 0 is red. A change to a smaller rank is a rise.
RANK = {code: i for i, code in enumerate(LEVEL_CODES)}
EVENT_KINDS = ("new", "raised", "lowered", "closed", "converted", "voided")
#: Separators between the names of a dispute's parties (张三、李四 / 张三,李四).
_PARTY_SEPARATORS = ("、", "，", ",", "；", ";", " ")


@dataclass(frozen=True)
class Mode:
    key: str
    window: timedelta
    trend_weeks: int
    setting_prefix: str
    title_zh: str
    title_en: str


MODES: dict[str, Mode] = {
    "daily": Mode("daily", timedelta(days=1), 8, "briefing", "晨会简报", "Morning briefing"),
    "weekly": Mode("weekly", timedelta(days=7), 12, "briefing.weekly", "每周会商研判", "Weekly consultation"),
}


def mode_of(key: str) -> Mode:
    try:
        return MODES[key]
    except KeyError:
        raise ValidationError(f"未知的简报模式：{key}", f"unknown briefing mode: {key}", "mode") from None


# -- the snapshot ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ModuleOverview:
    module: str
    by_level: dict[str, int]
    #: Red, orange and yellow: the records still being worked on.
    active: int
    overdue: int
    #: Disputes that became cases (left the dispute list); 0 for the other modules.
    converted: int = 0


@dataclass(frozen=True)
class ChangeCounts:
    new: int = 0
    raised: int = 0
    lowered: int = 0
    closed: int = 0
    converted: int = 0
    voided: int = 0
    new_by_level: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVEL_CODES, 0))

    def get(self, kind: str) -> int:
        value: int = getattr(self, kind)  # kind is one of EVENT_KINDS: the int fields above
        return value


@dataclass(frozen=True)
class ChangeItem:
    """A record that is new, or rose, since the last briefing: what the meeting dispatches first."""

    module: str
    record_id: int
    kind: str  # "new" or "raised"
    at: datetime
    from_level: str | None
    to_level: str
    number: str  # case or dispute number; empty for a person
    label: str  # cause / masked parties / masked name
    officer: str
    team: str


@dataclass(frozen=True)
class SinceLast:
    since: datetime
    until: datetime
    by_module: dict[str, ChangeCounts]
    #: New and raised records, the most severe level first, then the latest first (every one).
    items: tuple[ChangeItem, ...]
    #: The same counts over the window of the same length just before (weekly mode), else None.
    previous: dict[str, ChangeCounts] | None = None

    def total(self, kind: str, previous: bool = False) -> int:
        source = self.previous if previous else self.by_module
        return sum(c.get(kind) for c in (source or {}).values())


@dataclass(frozen=True)
class RedRecord:
    module: str
    record_id: int
    number: str  # case or dispute number; the masked ID number of a person
    label: str  # cause / masked parties / masked name
    detail: str  # place / community / risk categories (codes joined by ",")
    officer: str
    team: str
    next_due: date | None
    days_overdue: int  # 0 when not overdue


@dataclass(frozen=True)
class RedList:
    module: str
    total: int
    rows: tuple[RedRecord, ...]


@dataclass(frozen=True)
class TeamOverdue:
    team_id: int | None  # None: records that name no team
    team: str
    by_module: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_module.values())


@dataclass(frozen=True)
class OverdueItem:
    module: str
    record_id: int
    number: str
    label: str
    level: str
    officer: str
    team: str
    next_due: date
    days_overdue: int


@dataclass(frozen=True)
class Overdue:
    teams: tuple[TeamOverdue, ...]  # most overdue first; teams with none included
    by_module: dict[str, int]
    oldest: tuple[OverdueItem, ...]

    @property
    def total(self) -> int:
        return sum(self.by_module.values())


@dataclass(frozen=True)
class Trend:
    module: str
    days: tuple[date, ...]
    counts: dict[str, tuple[int, ...]]  # level code -> one count per day


@dataclass(frozen=True)
class Briefing:
    mode: str
    station_name: str
    branch_name: str
    #: The data is current to this moment (the footer's 数据截至).
    as_of: datetime
    overview: dict[str, ModuleOverview]
    since_last: SinceLast
    red: dict[str, RedList]
    overdue: Overdue
    trends: dict[str, Trend]
    #: headline.headline_stats as of today (the 同比/环比 figures), unchanged.
    headline: dict[str, Any]
    unmasked: bool = False
    #: app.services.workflow_figures.WorkflowBriefing: 零失控/零非访/零滋事 and what is overdue.
    workflows: Any = None

    @property
    def today(self) -> date:
        return self.as_of.date()


# -- when was the last briefing -------------------------------------------------------------------
def _keys(mode: Mode) -> tuple[str, str]:
    return f"{mode.setting_prefix}.last_shown_at", f"{mode.setting_prefix}.last_since"


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None  # a hand-edited or damaged setting must not stop the briefing


def last_shown_at(db: Store, mode: str = "daily") -> datetime | None:
    """When a briefing of this mode was last shown at this station (None: never)."""
    shown_key, _ = _keys(mode_of(mode))
    with db.read() as session:
        return _parse_time(session.scalar(select(Setting.value).where(Setting.key == shown_key)))


def _same_period(mode: Mode, a: datetime, b: datetime) -> bool:
    if mode.key == "weekly":
        return a.isocalendar()[:2] == b.isocalendar()[:2]
    return a.date() == b.date()


def start_briefing(db: Store, actor: Actor, mode: str = "daily", at: datetime | None = None) -> datetime:
    """The UI calls this when a briefing is shown; it returns where "since the last briefing"
    starts for this showing.

    The first showing of a day (of an ISO week in the weekly mode) is that period's briefing:
    its time and its start are stored per station in the setting table, and the next period's
    briefing starts from that time. Showing it again in the same period changes nothing stored
    and starts where the first showing did (the window simply runs on to now)."""
    spec = mode_of(mode)
    at = (at or datetime.now()).replace(microsecond=0)
    shown_key, since_key = _keys(spec)
    with db.read() as session:
        values = dict(session.execute(select(Setting.key, Setting.value)
                                      .where(Setting.key.in_((shown_key, since_key)))).all())
    shown, kept = _parse_time(values.get(shown_key)), _parse_time(values.get(since_key))
    if shown is not None and kept is not None and kept <= shown <= at and _same_period(spec, shown, at):
        return kept
    since = shown if shown is not None and shown <= at else at - spec.window
    if db.read_only:
        return since  # a briefing from read-only media still shows; it cannot remember itself
    if not allowed(str(getattr(actor, "role", None)), "briefing_shown"):
        return since  # the administrator's or a branch analyst's look: shown, the station's mark kept
    try:
        with db.write(actor, "briefing_shown") as session:
            for key, value in ((shown_key, at), (since_key, since)):
                row = session.get(Setting, key)
                if row is None:
                    session.add(Setting(key=key, value=value.isoformat(sep=" ")))
                else:
                    row.value = value.isoformat(sep=" ")
    except (StationError, SQLAlchemyError):
        pass  # a locked file: the briefing is shown all the same, and the next one starts here again
    return since


# -- masking --------------------------------------------------------------------------------------
def mask_parties(parties: str) -> str:
    """Each name in a dispute's list of parties masked, the separators kept."""
    out, word = [], ""
    for ch in parties or "":
        if ch in _PARTY_SEPARATORS:
            out.append(mask_name(word) if word else "")
            out.append(ch)
            word = ""
        else:
            word += ch
    if word:
        out.append(mask_name(word))
    return "".join(out)


class _Shown:
    """Masks (or, for an authorised actor, shows) personal data, noting the persons shown."""

    def __init__(self, unmasked: bool):
        self.unmasked = unmasked
        self.person_uuids: set[str] = set()
        self.disputes = 0

    def person(self, uuid: str, name: str) -> str:
        self.person_uuids.add(uuid)
        return name if self.unmasked else mask_name(name)

    def id_number(self, number: str | None) -> str:
        return (number or "") if self.unmasked else mask_id_number(number)

    def parties(self, parties: str) -> str:
        self.disputes += 1
        return parties if self.unmasked else mask_parties(parties)


# -- since the last briefing ----------------------------------------------------------------------
def classify(from_level: str | None, to_level: str, outcome: str) -> str:
    """The kind of one level_change row (see the module docstring)."""
    if from_level is None:
        return "new"
    if from_level == to_level and outcome in MARKER_OUTCOMES:
        return "converted" if outcome == "converted" else "voided"
    if to_level == Level.GREEN.value:
        return "closed"
    return "raised" if RANK[to_level] < RANK[from_level] else "lowered"


class _Event(NamedTuple):
    """A new or raised level change, as `_count_changes` notes it."""

    module: str
    record_id: int
    kind: str
    at: datetime
    from_level: str | None
    to_level: str


#: (number, label, officer, team, status) of a record, as the briefing lists it.
_Label = tuple[str, str, str, str, str]


def _count_changes(session: Session, since: datetime, until: datetime) -> tuple[dict[str, ChangeCounts], list[_Event]]:
    rows = session.execute(
        select(LevelChange.module, LevelChange.record_id, LevelChange.from_level, LevelChange.to_level,
               LevelChange.outcome, LevelChange.changed_at, LevelChange.id)
        .where(LevelChange.changed_at >= since, LevelChange.changed_at < until)
        .order_by(LevelChange.changed_at, LevelChange.id)).all()
    counts = {m.value: dict.fromkeys(EVENT_KINDS, 0) for m in MODULES}
    new_levels = {m.value: dict.fromkeys(LEVEL_CODES, 0) for m in MODULES}
    notable: list[_Event] = []
    for module, rid, frm, to, outcome, at, _ in rows:
        kind = classify(frm, to, outcome or "")
        counts[module][kind] += 1
        if kind == "new":
            new_levels[module][to] += 1
        if kind in ("new", "raised"):
            notable.append(_Event(module, rid, kind, at, frm, to))
    return ({m: ChangeCounts(**c, new_by_level=new_levels[m]) for m, c in counts.items()}, notable)


def _record_labels(session: Session, module: Module, ids: list[int], shown: _Shown) -> dict[int, _Label]:
    """(number, label, officer, team, status) per record id, personal data masked or not."""
    if not ids:
        return {}
    model = MODELS[module]
    cols = {Module.CASE: (Case.case_no, Case.cause), Module.DISPUTE: (Dispute.dispute_no, Dispute.parties),
            Module.PERSON: (Person.uuid, Person.name)}[module]
    stmt = (select(model.id, model.status, Officer.name, Team.name, *cols)
            .outerjoin(Officer, Officer.id == model.officer_id).outerjoin(Team, Team.id == model.team_id)
            .where(model.id.in_(ids)))
    out: dict[int, _Label] = {}
    for rid, status, officer, team, a, b in session.execute(stmt):
        if module == Module.CASE:
            number, label = a, b or ""
        elif module == Module.DISPUTE:
            number, label = a, shown.parties(b or "")
        else:
            number, label = "", shown.person(a, b)
        out[rid] = (number, label, officer or "", team or "", status)
    return out


def since_last(db: Store, since: datetime, until: datetime, *, compare_previous: bool = False,
               _shown: _Shown | None = None) -> SinceLast:
    """What changed between two moments: counts per module and kind, and the new and raised records."""
    if until < since:
        raise ValidationError("简报时间窗口的结束早于开始", "the briefing window ends before it starts", "since")
    shown = _shown or _Shown(False)
    with db.read() as session:
        by_module, notable = _count_changes(session, since, until)
        previous = None
        if compare_previous:
            previous, _ = _count_changes(session, since - (until - since), since)
        # One line per record: its most severe new or raised event, the latest of equals.
        best: dict[tuple[str, int], _Event] = {}
        for ev in notable:
            key = (ev[0], ev[1])
            old = best.get(key)
            if old is None or (RANK[ev[5]], -ev[3].timestamp()) <= (RANK[old[5]], -old[3].timestamp()):
                best[key] = ev
        labels = {m.value: _record_labels(session, m, sorted(rid for mod, rid in best if mod == m.value), shown)
                  for m in MODULES}
    items = []
    for (module, rid), (_, _, kind, at, frm, to) in best.items():
        number, label, officer, team, status = labels[module].get(rid, ("", "", "", "", "voided"))
        if status == "voided":
            continue  # a wrong entry voided since is counted above but not dispatched
        items.append(ChangeItem(module, rid, kind, at, frm, to, number, label, officer, team))
    items.sort(key=lambda i: (RANK[i.to_level], -i.at.timestamp(), i.module, i.record_id))
    return SinceLast(since, until, by_module, tuple(items), previous)


# -- red records and overdue follow-ups (through the tables service) ------------------------------
def _row_values(module: Module, row: tables.TableRow) -> dict[str, Any]:
    return dict(zip((c.key for c in tables.columns(module)), row.values))


def _days_overdue(next_due: date | None, today: date) -> int:
    return max(0, (today - next_due).days) if next_due is not None else 0


def _persons(db: Store, ids: list[int]) -> dict[int, tuple[str, str, str | None]]:
    """uuid, name and full ID number of persons (the tables service masks ID numbers itself)."""
    if not ids:
        return {}
    with db.read() as session:
        return {r[0]: (r[1], r[2], r[3]) for r in session.execute(
            select(Person.id, Person.uuid, Person.name, Person.id_number).where(Person.id.in_(ids)))}


def red_records(db: Store, module: Module, today: date, limit: int, shown: _Shown) -> RedList:
    query = tables.TableQuery(levels=frozenset({Level.RED.value}), statuses=frozenset({"active"}),
                              sort_key="next_due", as_of=today)
    ids = tables.list_ids(db, module, query)
    rows = tables.fetch_rows(db, module, ids[:limit], as_of=today)
    persons = _persons(db, [r.id for r in rows]) if module == Module.PERSON else {}
    out = []
    for row in rows:
        v = _row_values(module, row)
        if module == Module.CASE:
            number, label, detail = v["case_no"], v["cause"], v["place"]
        elif module == Module.DISPUTE:
            number, label, detail = v["dispute_no"], shown.parties(v["parties"] or ""), v["focus_area"]
        else:
            uuid, name, id_number = persons[row.id]
            number, label, detail = shown.id_number(id_number), shown.person(uuid, name), v["risk_categories"]
        out.append(RedRecord(module.value, row.id, number or "", label or "", detail or "", v["officer"] or "",
                             v["team"] or "", v["next_due"], _days_overdue(v["next_due"], today)
                             if row.overdue else 0))
    return RedList(module.value, len(ids), tuple(out))


def overdue_by_team(db: Store, today: date, oldest: int, shown: _Shown) -> Overdue:
    base = tables.TableQuery(statuses=frozenset({"active"}), overdue_only=True, sort_key="next_due", as_of=today)
    with db.read() as session:
        teams = session.execute(select(Team.id, Team.name).order_by(Team.id)).all()
    totals = {m.value: sum(tables.level_counts(db, m, base).values()) for m in MODULES}
    rows = []
    for team_id, name in teams:
        q = tables.TableQuery(statuses=base.statuses, overdue_only=True, team_id=team_id, as_of=today)
        rows.append(TeamOverdue(team_id, name, {m.value: sum(tables.level_counts(db, m, q).values())
                                                for m in MODULES}))
    rest = {m: totals[m] - sum(t.by_module[m] for t in rows) for m in totals}
    if any(rest.values()):
        rows.append(TeamOverdue(None, "", rest))
    rows.sort(key=lambda t: (-t.total, t.team_id is None, t.team_id or 0))

    candidates: list[OverdueItem] = []
    for module in MODULES:
        ids = tables.list_ids(db, module, base)[:oldest]
        page = tables.fetch_rows(db, module, ids, as_of=today)
        persons = _persons(db, [r.id for r in page]) if module == Module.PERSON else {}
        for row in page:
            v = _row_values(module, row)
            if module == Module.CASE:
                number, label = v["case_no"], v["cause"] or ""
            elif module == Module.DISPUTE:
                number, label = v["dispute_no"], shown.parties(v["parties"] or "")
            else:
                number, label = "", shown.person(persons[row.id][0], persons[row.id][1])
            candidates.append(OverdueItem(module.value, row.id, number, label, row.level, v["officer"] or "",
                                          v["team"] or "", v["next_due"], _days_overdue(v["next_due"], today)))
    candidates.sort(key=lambda i: (-i.days_overdue, RANK[i.level], i.module, i.record_id))
    return Overdue(tuple(rows), totals, tuple(candidates[:oldest]))


# -- trends ---------------------------------------------------------------------------------------
def trend_days(today: date, weeks: int) -> tuple[date, ...]:
    """The end of today and of the same weekday in each of the weeks before, oldest first."""
    if not 1 <= weeks <= 104:
        raise ValidationError("趋势周数应为1–104", "the trend covers 1 to 104 weeks", "weeks")
    return tuple(today - timedelta(days=7 * k) for k in range(weeks - 1, -1, -1))


def level_trend(db: Store, module: Module, days: tuple[date, ...]) -> Trend:
    """Records per level at the end of each day (module docstring): the state engine of
    app.services.stats (stats.summary_series: the daily summary), so each point is
    headline_stats(day)'s by_level."""
    with db.read() as session:
        states = summary_series(session, module, list(days))
    return Trend(module.value, tuple(days), {code: tuple(st.by_level.get(code, 0) for st in states)
                                             for code in LEVEL_CODES})


# -- the whole briefing ---------------------------------------------------------------------------
def build_briefing(db: Store, *, mode: str = "daily", since: datetime | None = None,
                   now: datetime | None = None, unmask_by: Actor | None = None, red_limit: int = 40,
                   oldest_overdue: int = 6) -> Briefing:
    """Every figure of the briefing, current to `now` (default: this second).

    `since` is where "since the last briefing" starts (start_briefing gives it; default: one
    mode window before `now`). Personal data is masked unless `unmask_by` is an actor whose role
    may unmask (PermissionDenied otherwise, nothing read); that unmasking is audited."""
    spec = mode_of(mode)
    now = (now or datetime.now()).replace(microsecond=0)
    since = since or now - spec.window
    if unmask_by is not None:
        authorize(unmask_by, "unmask")
    shown = _Shown(unmask_by is not None)
    today = now.date()
    headline = headline_stats(db, today)
    overview = {}
    for module in MODULES:
        block = headline[{Module.CASE: "cases", Module.DISPUTE: "disputes", Module.PERSON: "persons"}[module]]
        by_level = dict(block["by_level"])
        overview[module.value] = ModuleOverview(
            module.value, by_level, sum(n for code, n in by_level.items() if code != Level.GREEN.value),
            block["overdue"], block.get("converted", 0))
    changes = since_last(db, since, now, compare_previous=spec.key == "weekly", _shown=shown)
    red = {m.value: red_records(db, m, today, red_limit, shown) for m in MODULES}
    overdue = overdue_by_team(db, today, oldest_overdue, shown)
    days = trend_days(today, spec.trend_weeks)
    trends = {m.value: level_trend(db, m, days) for m in MODULES}
    from app.services.workflow_figures import workflow_briefing
    workflows = workflow_briefing(db, now, names=lambda n: n if shown.unmasked else mask_name(n))
    with db.read() as session:
        station = session.execute(select(Station.name, Station.branch_name).order_by(Station.id)).first()
    if shown.unmasked:
        audit.record_event(db, unmask_by, "unmask", module="person", detail={
            "view": f"briefing.{spec.key}", "persons": sorted(shown.person_uuids),
            "disputes_with_parties": shown.disputes})
    return Briefing(spec.key, station[0] if station else "", station[1] if station else "", now, overview,
                    changes, red, overdue, trends, headline, shown.unmasked, workflows)


__all__ = ["MODES", "Mode", "Briefing", "ModuleOverview", "ChangeCounts", "ChangeItem", "SinceLast", "RedRecord",
           "RedList", "TeamOverdue", "OverdueItem", "Overdue", "Trend", "build_briefing", "start_briefing",
           "last_shown_at", "since_last", "classify", "level_trend", "trend_days", "mask_parties"]
