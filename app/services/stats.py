"""Headline statistics (the figures a station reports upward) and the current legend counts.

Definitions (the branch office's scripts read `headline_stats`; the keys are a contract):

- Everything is counted "as of" the end of `as_of` (default today), as known then: a record
  counts if it was created (``created_at``) on or before `as_of` and was not voided on or before
  `as_of`. A record voided later still counts for an earlier `as_of`; the same rule applies to
  the period counts of all three windows (they are compared as known at `as_of`).
- The level of a record as of `as_of` is the ``to_level`` of its latest LevelChange with
  ``changed_at`` at or before the end of `as_of` (ties broken by row id). Marker rows written by
  voiding and by conversion (outcome 'voided' / 'converted', same from and to level) do not
  change the level.
- A dispute converted into a case on or before `as_of` left the active list and lives on as a
  case: it is left out of the dispute ``by_level`` and ``total`` and reported as ``converted``.
- ``total`` is the sum of ``by_level`` (green included: concluded cases, mediated disputes,
  de-listed persons).
- ``overdue``: active as of `as_of` (not green, not converted, not voided) and the next
  follow-up was due before `as_of`. The due date as of `as_of` is rebuilt from history: the
  last activity is the latest of the creation date, the level-change dates and the action dates
  on or before `as_of`; the due date is that plus the station's cadence for the level as of then
  (settings.load_cadence, rules.next_due_date), or the explicit ``next_due`` of an action when
  that action is the latest event (a later level change restarts the cadence, as the record
  services do).
- Period figures ("P") compare three windows: ``current`` is day 1 of the month of `as_of` up
  to and including `as_of`; ``previous`` the same days of the month before; ``last_year`` the
  same days a year earlier. When the earlier month is shorter the window ends on its last day
  (1-31 March -> 1-29 February in a leap year; 29 Feb -> 28 Feb a year earlier).
  ``mom_pct`` (环比) = (current - previous) / previous * 100 and ``yoy_pct`` (同比) likewise with
  last_year, rounded half up to one decimal, null when the base is 0. Each P carries a
  ``windows`` entry with the three ISO date ranges.
- ``overdue_share``: overdue / active (not green) as of `as_of`, a fraction of 1, null when
  nothing is active. ``days_to_green_ytd``: per entry level (red/orange/yellow), the average
  calendar days from entry to the first green, over the records that first went green from
  1 January to `as_of` (app.services.trends.days_to_green); null for a level with none.
- ``criminal_solved`` (破刑事案件): criminal cases with ``solved_on`` in the window.
  ``administrative_handled`` (查处行政案件): administrative cases with ``closed_on`` (concluded)
  in the window.
- Disputes ``found`` (排查发现): ``found_on`` in the window (converted ones included: they were
  found). ``resolved`` (化解): ``resolved_on`` in the window (mediation completed, green).
  ``resolution_rate`` (化解率) = ``resolution.rate``: of the disputes found in the current
  window, the share mediated (``resolved_on``) by `as_of`: a fraction of 1 rounded to 4 decimals
  that cannot pass 1, null when nothing was found; ``resolution_rate_ytd`` over 1 January to
  `as_of`. ``resolution`` carries what the rate is made of: ``found`` (the denominator: all three
  categories, 救助警情 and disputes converted to cases included), ``resolved_of_found`` (the
  numerator), ``rate``, ``resolved_earlier`` (found before the window, mediated in it: counted
  apart, never in the rate), ``converted_of_found``, ``assistance_of_found`` and the ``window``
  (see `Resolution` for why). ``resolution_text`` says it in one Chinese sentence.
- ``satisfaction_rate`` (群众回访满意率) = (satisfied + basic) / follow-up visits in the window:
  disputes with a satisfaction recorded whose follow-up date (or, without one, resolution date)
  is in the window up to `as_of`; null when there is none; ``_ytd`` likewise.
  ``satisfaction_visits`` = {visits, satisfied, rate, window}; ``satisfaction`` the counts by code.
- ``cases.solve_rate`` (破案率) = {solved, filed, rate, window}: criminal cases solved in the
  current window ÷ criminal cases filed (立案) in it; ``solve_rate_ytd`` likewise (see `SolveRate`).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import ModuleType
from typing import TYPE_CHECKING, Any, Sequence

from sqlalchemy import DateTime, String, and_, bindparam, case as sql_case, func, literal, or_, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import CompoundSelect, Select
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from app.domain.levels import LEVEL_ORDER, Level, Module
from app.services.cadence import load_cadence
from app.store import Store
from app.store.records import MODELS
from models import Action, Case, Dispute, LevelChange
from models.records import RecordMixin

if TYPE_CHECKING:
    from app.services.daily_counts import DayState

LEVEL_CODES = tuple(lvl.value for lvl in LEVEL_ORDER)
#: Outcomes of the history rows that mark voiding and conversion; they keep the level as it was.
MARKER_OUTCOMES = ("voided", "converted")


# -- windows ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Window:
    start: date
    end: date  # inclusive

    def as_dict(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def _same_days(year: int, month: int, last_day: int) -> Window:
    """Day 1 to `last_day` of a month, the end clamped to the month's length."""
    days_in_month = calendar.monthrange(year, month)[1]
    return Window(date(year, month, 1), date(year, month, min(last_day, days_in_month)))


def period_windows(as_of: date) -> dict[str, Window]:
    """The current, previous-month and last-year windows compared by every period figure."""
    year, month = (as_of.year, as_of.month - 1) if as_of.month > 1 else (as_of.year - 1, 12)
    return {
        "current": Window(as_of.replace(day=1), as_of),
        "previous": _same_days(year, month, as_of.day),
        "last_year": _same_days(as_of.year - 1, as_of.month, as_of.day),
    }


def change_pct(current: int, base: int) -> float | None:
    """(current - base) / base as a percentage with one decimal, half up; None when base is 0."""
    if not base:
        return None
    pct = Decimal(current - base) * 100 / Decimal(base)
    return float(pct.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def ratio(part: int, whole: int) -> float | None:
    """part / whole as a fraction of 1 with four decimals, half up; None when whole is 0."""
    if not whole:
        return None
    return float((Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def end_of(day: date) -> datetime:
    """The first instant after `day`: timestamps strictly before it are on or before `day`."""
    return datetime.combine(day + timedelta(days=1), time())


def known_at(model: type[RecordMixin], end: datetime | ColumnElement[datetime]) -> list[ColumnElement[bool]]:
    """Created on/before, and not voided on/before, the day that ends at `end`."""
    return [model.created_at < end, or_(model.voided_at.is_(None), model.voided_at >= end)]


# -- period figures (SQL aggregation) -------------------------------------------------------------
def summary_module(session: Session) -> ModuleType | None:
    """app.services.daily_counts when this database keeps the daily summary, else None (the SQL
    recounts below then answer)."""
    from app.services import daily_counts

    return daily_counts if daily_counts.available(session) else None


def _pct_text(rate: float | None) -> str:
    if rate is None:
        return "—"
    return f"{(Decimal(str(rate)) * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


@dataclass(frozen=True)
class Resolution:
    """化解率, the one definition: of the disputes found (排查) in the window, the share mediated
    (化解, green with a resolved date) by the window's end or `as_of` if earlier. All three
    categories count, 重要救助警情 included (the seed lists them as one of the module's three
    categories and a green one is help completed); a dispute converted into a case (转案件) stays
    in the denominator and is not resolved (mediation failed: leaving it out would raise the rate
    by hiding the failures). Disputes found earlier and mediated in the window are counted apart
    (``resolved_earlier``), never in the rate, so the rate cannot pass 100%."""

    window: Window
    found: int
    resolved_of_found: int
    resolved_earlier: int
    converted_of_found: int
    assistance_of_found: int

    @property
    def rate(self) -> float | None:
        return ratio(self.resolved_of_found, self.found)

    def as_dict(self) -> dict[str, Any]:
        return {"found": self.found, "resolved_of_found": self.resolved_of_found, "rate": self.rate,
                "resolved_earlier": self.resolved_earlier, "converted_of_found": self.converted_of_found,
                "assistance_of_found": self.assistance_of_found, "window": self.window.as_dict()}

    def text_zh(self, period: str = "本期") -> str:
        """本期排查 39 起，其中已化解 28 起，化解率 71.8%；另化解往期纠纷 6 起（…）."""
        return (f"{period}排查 {self.found} 起，其中已化解 {self.resolved_of_found} 起，化解率 {_pct_text(self.rate)}；"
                f"另化解往期纠纷 {self.resolved_earlier} 起（排查数含转为案件 {self.converted_of_found} 起、"
                f"重要救助警情 {self.assistance_of_found} 起；转为案件的计入排查数、不计为化解）")


def resolution_of(session: Session, window: Window, as_of: date) -> Resolution:
    """The 化解率 of `window` as known at the end of `as_of` (see Resolution). Two statements, each a
    range on one date index (ix_dispute_found, ix_dispute_resolved)."""
    end_day = min(window.end, as_of)
    dc = summary_module(session)
    if dc is not None and window.end == as_of:  # mediated "by as_of": the summary's known_on is that day
        D = Module.DISPUTE

        def n(event: str, w: Window = window, **kw: Any) -> int:
            count: int = dc.event_count(session, D, event, w, as_of, **kw)
            return count

        return Resolution(Window(window.start, end_day), n("new"), n("found_resolved"),
                          n("resolved_found", Window(window.start, end_day), key_before=window.start.isoformat()),
                          n("found_converted"), n("new", category="assistance"))
    known = known_at(Dispute, end_of(as_of))
    done = and_(Dispute.resolved_on.is_not(None), Dispute.resolved_on <= end_day)
    conv = and_(Dispute.converted_at.is_not(None), Dispute.converted_at < end_of(end_day))

    def share(cond: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(sql_case((cond, 1), else_=0)), 0)

    found, resolved, converted, assistance = session.execute(select(
        func.count(), share(done), share(conv), share(Dispute.category == "assistance"),
    ).where(*known, Dispute.found_on.between(window.start, window.end))).one()
    earlier = session.scalar(select(func.count()).where(
        *known, Dispute.resolved_on.between(window.start, end_day), Dispute.found_on < window.start))
    return Resolution(Window(window.start, end_day), int(found), int(resolved), int(earlier or 0), int(converted),
                      int(assistance))


@dataclass(frozen=True)
class Satisfaction:
    """群众回访满意率, the one definition: satisfied follow-up visits ÷ follow-up visits in the
    window. A visit is a dispute's recorded satisfaction, dated by its follow-up (回访日期; a ledger
    row without one is dated by its resolution); 满意 and 基本满意 both count as satisfied."""

    window: Window
    satisfied: int
    basic: int
    unsatisfied: int

    @property
    def visits(self) -> int:
        return self.satisfied + self.basic + self.unsatisfied

    @property
    def rate(self) -> float | None:
        return ratio(self.satisfied + self.basic, self.visits)

    def as_dict(self) -> dict[str, Any]:
        return {"visits": self.visits, "satisfied": self.satisfied + self.basic, "rate": self.rate,
                "window": self.window.as_dict()}

    def text_zh(self, period: str = "本期") -> str:
        return (f"{period}回访 {self.visits} 起，满意（含基本满意）{self.satisfied + self.basic} 起，"
                f"回访满意率 {_pct_text(self.rate)}")


def satisfaction_of(session: Session, window: Window, as_of: date) -> Satisfaction:
    """The 群众回访满意率 of `window` as known at the end of `as_of` (see Satisfaction)."""
    end_day = min(window.end, as_of)
    dc = summary_module(session)
    if dc is not None:
        got = dc.event_counts(session, Module.DISPUTE, "visit", [Window(window.start, end_day)], as_of, by_key=True)
        c = {code: cells[0][0] for code, cells in got.items()}
        return Satisfaction(Window(window.start, end_day), c.get("satisfied", 0), c.get("basic", 0),
                            c.get("unsatisfied", 0))
    visit_day = func.coalesce(Dispute.followed_up_on, Dispute.resolved_on)
    rows = session.execute(
        select(Dispute.satisfaction, func.count()).where(
            *known_at(Dispute, end_of(as_of)), Dispute.satisfaction.is_not(None),
            visit_day.between(window.start, end_day)).group_by(Dispute.satisfaction)).all()
    counts = {"satisfied": 0, "basic": 0, "unsatisfied": 0}
    counts.update({code: int(n) for code, n in rows if code in counts})
    return Satisfaction(Window(window.start, end_day), counts["satisfied"], counts["basic"], counts["unsatisfied"])


@dataclass(frozen=True)
class SolveRate:
    """破案率: criminal cases solved (破案日期 in the window) ÷ criminal cases filed (立案日期 in the
    window), both counted as known at `as_of`. Two period counts, not a cohort: a case filed last
    month and solved this month counts in this month's solved, so the rate can pass 100%."""

    window: Window
    solved: int
    filed: int

    @property
    def rate(self) -> float | None:
        return ratio(self.solved, self.filed)

    def as_dict(self) -> dict[str, Any]:
        return {"solved": self.solved, "filed": self.filed, "rate": self.rate, "window": self.window.as_dict()}

    def text_zh(self, period: str = "本期") -> str:
        return (f"{period}破刑事案件 {self.solved} 起，刑事立案 {self.filed} 起，破案率 {_pct_text(self.rate)}"
                f"（{self.window.start.isoformat()}至{self.window.end.isoformat()}）")


def solve_rate_of(session: Session, window: Window, as_of: date) -> SolveRate:
    """The 破案率 of `window` as known at the end of `as_of` (see SolveRate): two counts, each a
    range on its date (ix_case_record_solved, ix_case_record_filed)."""
    end_day = min(window.end, as_of)
    dc = summary_module(session)
    if dc is not None:
        w = Window(window.start, end_day)
        return SolveRate(w, dc.event_count(session, Module.CASE, "solved", w, as_of, category="criminal"),
                         dc.event_count(session, Module.CASE, "filed", w, as_of, category="criminal"))
    known = [*known_at(Case, end_of(as_of)), Case.kind == "criminal"]
    solved = session.scalar(select(func.count()).where(*known, Case.solved_on.between(window.start, end_day)))
    filed = session.scalar(select(func.count()).where(*known, Case.filed_on.between(window.start, end_day)))
    return SolveRate(Window(window.start, end_day), int(solved or 0), int(filed or 0))


# -- state as of a day (one SQL engine, used by the headline figures and every trend) -----------
def not_marker(lc: Any = LevelChange) -> ColumnElement[bool]:
    """A LevelChange that really changed the level (not a void or conversion marker row)."""
    return or_(lc.outcome.not_in(MARKER_OUTCOMES), lc.from_level.is_(None), lc.from_level != lc.to_level)


class iso_day(ColumnElement[str]):
    """The ISO text (YYYY-MM-DD) of the day of a date or timestamp, plus `days`: SQLite's
    date(x, '+N days'), PostgreSQL's to_char(CAST(x AS DATE) + N, 'YYYY-MM-DD'). Text, so that
    due dates compare as strings on both and reach Python without a date parse."""

    inherit_cache = True
    type = String()
    _traverse_internals = [("expr", InternalTraversal.dp_clauseelement), ("days", InternalTraversal.dp_plain_obj)]

    def __init__(self, expr: ColumnElement[Any], days: int = 0):
        self.expr, self.days = expr, int(days)


@compiles(iso_day)
def _iso_day_default(element: iso_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"to_char(CAST({compiler.process(element.expr, **kw)} AS DATE) + {element.days}, 'YYYY-MM-DD')"


@compiles(iso_day, "sqlite")
def _iso_day_sqlite(element: iso_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"date({compiler.process(element.expr, **kw)}, '{element.days:+d} days')"


class _greatest(ColumnElement[Any]):
    """The greatest of non-null values: SQLite's scalar max(), PostgreSQL's greatest()."""

    inherit_cache = True
    _traverse_internals = [("exprs", InternalTraversal.dp_clauseelement_tuple)]

    def __init__(self, *exprs: ColumnElement[Any]):
        self.exprs = exprs
        self.type = exprs[0].type


@compiles(_greatest)
def _greatest_default(element: _greatest, compiler: SQLCompiler, **kw: Any) -> str:
    return f"greatest({', '.join(compiler.process(e, **kw) for e in element.exprs)})"


@compiles(_greatest, "sqlite")
def _greatest_sqlite(element: _greatest, compiler: SQLCompiler, **kw: Any) -> str:
    return f"max({', '.join(compiler.process(e, **kw) for e in element.exprs)})"


def state_select(module: Module, as_of: date, cadence: dict[Level, int | None],
                 where: Sequence[ColumnElement[bool]] = ()) -> Select[Any]:
    """One row per record known at the end of `as_of` (and matching `where`), with its state then,
    rebuilt from history in SQL. Columns:

    ``id``; ``level`` (the to_level of the latest real level change at or before the end of
    `as_of`, ties broken by row id, else the record's current level: a record without a creation
    row keeps its level); ``converted`` (1 for a dispute converted by then, else 0); ``due`` (ISO
    text, null for green, converted or no cadence) and ``overdue`` (1 when due < `as_of`); and the
    facts behind them: ``created_at``, ``changed_at`` (that level change), ``acted_at`` /
    ``next_due`` (the latest action by then, ties broken by row id).

    The due date is stats' rule (rules.next_due_date): the explicit ``next_due`` of the latest
    action when that action is not older than the latest level change (or the creation, without
    one), else the last activity day (latest of creation, level change and action) plus the
    cadence of the level.

    The latest level change and action are picked per record by correlated subqueries that walk
    ix_level_change_record / ix_action_record backwards: one index seek each, no sort of the
    history.

    The day is bound as the parameters of `state_params` ("state_end", "state_day"): one
    statement serves every day (a series executes it again with other parameters)."""
    model = MODELS[module]
    end = bindparam("state_end", end_of(as_of), type_=DateTime())
    day = bindparam("state_day", as_of.isoformat(), type_=String())
    lc, act = aliased(LevelChange), aliased(Action)
    last_lc = (select(lc.id).where(lc.module == module.value, lc.record_id == model.id, lc.changed_at < end,
                                   not_marker(lc))
               .order_by(lc.changed_at.desc(), lc.id.desc()).limit(1).correlate(model).scalar_subquery())
    last_act = (select(act.id).where(act.module == module.value, act.record_id == model.id, act.acted_at < end)
                .order_by(act.acted_at.desc(), act.id.desc()).limit(1).correlate(model).scalar_subquery())
    converted: ColumnElement[int]
    if module == Module.DISPUTE:
        converted = sql_case((and_(Dispute.converted_at.is_not(None), Dispute.converted_at < end), 1), else_=0)
    else:
        converted = literal(0)
    rec = (select(model.id.label("id"), model.level.label("current_level"), model.created_at.label("created_at"),
                  converted.label("converted"), last_lc.label("lc_id"), last_act.label("act_id"))
           .where(*known_at(model, end), *where).subquery("rec"))
    lc2, act2 = aliased(LevelChange), aliased(Action)
    level = func.coalesce(lc2.to_level, rec.c.current_level)
    since = func.coalesce(lc2.changed_at, rec.c.created_at)
    activity = _greatest(rec.c.created_at, func.coalesce(lc2.changed_at, rec.c.created_at),
                         func.coalesce(act2.acted_at, rec.c.created_at))
    by_cadence = [(level == Level(lvl).value, iso_day(activity, days)) for lvl, days in cadence.items()
                  if Level(lvl) != Level.GREEN and days is not None]
    due = sql_case((level == Level.GREEN.value, None), (rec.c.converted == 1, None),
                   (and_(act2.acted_at >= since, act2.next_due.is_not(None)), iso_day(act2.next_due.expression)),
                   *by_cadence, else_=None)
    overdue = sql_case((due < day, 1), else_=0)
    return (select(rec.c.id, level.label("level"), rec.c.converted, due.label("due"), overdue.label("overdue"),
                   rec.c.created_at, lc2.changed_at.label("changed_at"), act2.acted_at.label("acted_at"),
                   act2.next_due.label("next_due"))
            .select_from(rec).outerjoin(lc2, lc2.id == rec.c.lc_id).outerjoin(act2, act2.id == rec.c.act_id))


def state_params(as_of: date) -> dict[str, Any]:
    """The parameters that move a state_select statement to another day."""
    return {"state_end": end_of(as_of), "state_day": as_of.isoformat()}


@dataclass(frozen=True)
class _State:
    by_level: dict[str, int]
    overdue: int
    converted: int


def state_counts(session: Session, module: Module, as_of: date, cadence: dict[Level, int | None],
                 where: Sequence[ColumnElement[bool]] = ()) -> _State:
    """Records per level, overdue and converted as of the end of `as_of`: state_select summed in
    SQL (converted disputes are counted apart, not in by_level)."""
    rows = state_select(module, as_of, cadence, where).subquery()
    stmt = (select(rows.c.level, rows.c.converted, func.count(), func.sum(rows.c.overdue))
            .group_by(rows.c.level, rows.c.converted))
    by_level = dict.fromkeys(LEVEL_CODES, 0)
    overdue = converted = 0
    for level, conv, n, n_overdue in session.execute(stmt):
        if conv:
            converted += int(n)
            continue
        by_level[level] = by_level.get(level, 0) + int(n)
        overdue += int(n_overdue or 0)
    return _State(by_level, overdue, converted)


@dataclass(frozen=True)
class _DayState:
    by_level: dict[str, int]
    overdue: int

    @property
    def active(self) -> int:
        return sum(n for lv, n in self.by_level.items() if lv != Level.GREEN.value)


def _touched(module: Module, model: type[RecordMixin]) -> CompoundSelect[Any]:
    """Ids of the records whose state can differ between two instants (bound as "touched_from"
    and "touched_to"): a level change, an action, the creation, the voiding or the conversion in
    between (nothing else moves a record's level or due date; only the clock moves it past the
    due date). Each part is a range on an index of migration 0007 (or ix_*_created)."""
    a = bindparam("touched_from", type_=DateTime())
    b = bindparam("touched_to", type_=DateTime())
    lc, act = LevelChange, Action
    parts = [select(lc.record_id).where(lc.module == module.value, lc.changed_at >= a, lc.changed_at < b),
             select(act.record_id).where(act.module == module.value, act.acted_at >= a, act.acted_at < b),
             select(model.id).where(model.created_at >= a, model.created_at < b),
             select(model.id).where(model.voided_at >= a, model.voided_at < b)]
    if module == Module.DISPUTE:
        parts.append(select(Dispute.id).where(Dispute.converted_at >= a, Dispute.converted_at < b))
    return union_all(*parts)  # for IN (…): no distinct needed, so no merge in record order


def state_series(session: Session, module: Module, days: list[date], cadence: dict[Level, int | None],
                 where: Sequence[ColumnElement[bool]] = ()) -> list[_DayState]:
    """Records per level (converted disputes left out) and overdue at the end of each of `days`
    (ascending): state_select at the first day, then, from one day to the next, state_select
    again for the records touched in between only (see `_touched`); a record nobody touched keeps
    its level and due date, and the clock alone makes it overdue."""
    if not days:
        return []
    model = MODELS[module]

    def known(rows: Any) -> Select[Any]:
        return select(rows.c.id, rows.c.level, rows.c.due).where(rows.c.converted == 0)

    state: dict[int, tuple[str, str | None]] = {
        rid: (level, due) for rid, level, due in session.execute(
            known(state_select(module, days[0], cadence, where).subquery()), state_params(days[0]))}
    by_level = dict.fromkeys(LEVEL_CODES, 0)
    dues: dict[str | None, int] = {}  # records per due date (green ones have none)
    for level, due in state.values():
        by_level[level] = by_level.get(level, 0) + 1
        dues[due] = dues.get(due, 0) + 1
    touched = _touched(module, model).subquery()
    touched_ids = select(touched.c.record_id).distinct()
    again = known(state_select(module, days[0], cadence,
                               [*where, model.id.in_(select(touched.c.record_id))]).subquery())
    out = []
    for i, day in enumerate(days):
        if i:
            span = {"touched_from": end_of(days[i - 1]), "touched_to": end_of(day)}
            for rid in session.scalars(touched_ids, span):
                old = state.pop(rid, None)
                if old is not None:
                    by_level[old[0]] -= 1
                    dues[old[1]] -= 1
            for rid, level, due in session.execute(again, {**span, **state_params(day)}):
                state[rid] = (level, due)
                by_level[level] = by_level.get(level, 0) + 1
                dues[due] = dues.get(due, 0) + 1
        iso = day.isoformat()
        out.append(_DayState(dict(by_level), sum(n for due, n in dues.items() if due is not None and due < iso)))
    return out


# -- the public figures ----------------------------------------------------------------------------
def summary_state(session: Session, module: Module, as_of: date) -> DayState | _State:
    """Records per level, overdue and converted at the end of `as_of`: the maintained daily summary
    (app.services.daily_counts, equal to state_counts by construction and by test), or the recount
    on a database without it."""
    from app.services import daily_counts

    if daily_counts.available(session):
        return daily_counts.state_on(session, module, as_of)
    return state_counts(session, module, as_of, load_cadence(session, module))


def summary_series(session: Session, module: Module, days: list[date], *, team_id: int | None = None,
                   category: str | None = None, officer_id: int | None = None) -> list[DayState] | list[_DayState]:
    """Records per level and overdue at the end of each of `days` (ascending): the daily summary,
    or state_series on a database without it or for one officer (the summary has no officer)."""
    from app.services import daily_counts

    if officer_id is None and daily_counts.available(session):
        return daily_counts.states_on(session, module, days, team_id=team_id, category=category)
    model = MODELS[module]
    where = [c for c, v in ((model.team_id == team_id, team_id), (model.officer_id == officer_id, officer_id))
             if v is not None]
    if category is not None:
        where.append((Case.kind if module == Module.CASE else Dispute.category) == category)
    return state_series(session, module, days, load_cadence(session, module), where)


def count_by_level_now(db: Store) -> dict[str, dict[str, int]]:
    """Current records per module and level for the legends: voided records and converted
    disputes are left out (they left every active list); green (closed) records are counted."""
    out: dict[str, dict[str, int]] = {}
    with db.read() as session:
        for module, model in MODELS.items():
            rows = session.execute(
                select(model.level, func.count()).where(model.status.not_in(("voided", "converted")))
                .group_by(model.level)).all()
            counts = dict.fromkeys(LEVEL_CODES, 0)
            counts.update({lvl: int(n) for lvl, n in rows})
            out[module.value] = counts
    return out


# -- consistency (used by `python -m app check`) --------------------------------------------------
def consistency_problems(db: Store) -> list[str]:
    """Records whose level or status disagrees with their history, each as one bilingual line:
    the current level must be the last real level change, and the status must fit the level."""
    problems: list[str] = []
    with db.read() as session:
        for module, model in MODELS.items():
            last: dict[int, str] = {}
            for rid, to_level in session.execute(
                    select(LevelChange.record_id, LevelChange.to_level).where(
                        LevelChange.module == module.value, not_marker())
                    .order_by(LevelChange.record_id, LevelChange.changed_at, LevelChange.id)):
                last[rid] = to_level
            extra = [Dispute.converted_case_id] if module == Module.DISPUTE else []
            for row in session.execute(select(model.id, model.level, model.status, model.voided_at, *extra)
                                       .order_by(model.id)):
                rid, level, status, voided_at = row[0], row[1], row[2], row[3]
                tag_zh, tag_en = f"{module.zh} #{rid}", f"{module.value} {rid}"
                if rid not in last:
                    problems.append(f"{tag_zh}: 没有等级变更记录 ({tag_en}: no level history)")
                elif last[rid] != level:
                    problems.append(f"{tag_zh}: 等级 {level} 与最后一次等级变更 {last[rid]} 不一致 "
                                    f"({tag_en}: level {level} differs from its last level change {last[rid]})")
                problems += _status_problems(module, tag_zh, tag_en, level, status, voided_at,
                                             row[4] if extra else None)
    return problems


def _status_problems(module: Module, tag_zh: str, tag_en: str, level: str, status: str,
                     voided_at: datetime | None, converted_case_id: int | None) -> list[str]:
    out = []
    if status == "active" and level == Level.GREEN.value:
        out.append(f"{tag_zh}: 绿色记录状态仍为在办 ({tag_en}: green but status active)")
    elif status == "closed" and level != Level.GREEN.value:
        out.append(f"{tag_zh}: 状态已办结但等级为 {level} ({tag_en}: status closed but level {level})")
    elif status == "voided" and voided_at is None:
        out.append(f"{tag_zh}: 已作废但没有作废时间 ({tag_en}: voided without a void time)")
    elif status == "converted" and (module != Module.DISPUTE or converted_case_id is None):
        out.append(f"{tag_zh}: 已转案件但没有对应案件 ({tag_en}: converted without its case)")
    if status != "voided" and voided_at is not None:
        out.append(f"{tag_zh}: 有作废时间但状态为 {status} ({tag_en}: void time set but status {status})")
    return out


__all__ = ["summary_state", "summary_series", "Window", "period_windows", "change_pct", "ratio", "count_by_level_now",
           "consistency_problems", "Resolution", "resolution_of", "Satisfaction", "satisfaction_of", "SolveRate",
           "solve_rate_of"]
