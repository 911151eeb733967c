"""Trend series and labelled period comparisons for the charts and the report pack (SQL GROUP BY per period).

Definitions (each pinned by tests/unit/test_trends.py on hand-built data):

- Periods: day, ISO week (Monday to Sunday, labelled ``2025-W19``), month, quarter, year. A series
  covers every period that meets [start, end]; the last one ends at `as_of` (default today) and is
  flagged ``partial`` when that cuts it short. Periods wholly after `as_of` are left out.
- Everything is "as known at the end of `as_of`" (the rule of app.services.stats): a record counts
  if it was created on or before `as_of` and not voided on or before it.
- Event counts (GROUP BY the period of a date column): ``new`` = the module's main date
  (cases accepted_on, disputes found_on, persons listed_on); ``closed`` = cases closed_on,
  disputes resolved_on (mediated), persons delisted_on; ``solved`` = criminal cases by solved_on
  (破刑事案件); ``handled`` = administrative cases by closed_on (查处行政案件). Disputes found vs
  resolved are ``new`` vs ``closed`` of the dispute module. Converted disputes count as found.
- Records per level over time is an "as of" series: for each period the number of records at each
  level at the end of the period (or of `as_of`), the level being the last real level change at
  or before that instant (stats' rule: void and conversion marker rows keep the level; a dispute
  converted by then has left the list). Computed in SQL as running sums of level-change deltas.
- Comparisons (同比/环比) for a grain and a day: ``current`` is the period to date; ``previous``
  (环比) the same stretch of the period before; ``last_year`` (同比) the same stretch a year before.
  Month: exactly stats.period_windows (1-15 May against 1-15 April, ends clamped to shorter
  months). Day: the day before / the same date a year before (29 Feb -> 28 Feb). Week: the same
  weekdays of the week before / of the same ISO week number a year before (week 53 -> 52).
  Quarter: the same month offset and day of the quarter before / a year before (clamped).
  Year: 1 January to the same date of the year before (both windows the same). Changes are
  stats.change_pct: one decimal, half up, None (shown as "—", never infinite) from zero.
- Average days from entry to green per level: of the records whose first move to green (from
  another level) falls in the period, the calendar days from the creation date to that date,
  averaged per entry level (the level the record was created at), one decimal half up.
  Records entered already green are not counted.
- Share overdue at a period end: overdue / active (red, orange, yellow) records at that instant,
  with overdue rebuilt from history exactly as stats does (a fraction of 1, four decimals).
"""
from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable, overload

from sqlalchemy import Integer, String, and_, case as sql_case, func, literal, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased
from sqlalchemy.sql import Select
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from app.domain.levels import (
    CASE_KIND_NAMES,
    DISPUTE_CATEGORY_NAMES,
    FOCUS_AREA_NAMES,
    LEVEL_NAMES,
    LEVEL_ORDER,
    Level,
    Module,
    module_of,
)
from app.errors import ValidationError
from app.services.cadence import load_cadence
from app.services.stats import (
    Window,
    change_pct,
    end_of,
    iso_day,
    known_at,
    period_windows,
    ratio,
    state_select,
    summary_series,
)
from app.services.tables import TableQuery, id_in
from app.store import Store
from app.store.records import MODELS
from models import Action, Case, Dispute, LevelChange, Officer, Person, Team
from models.records import CASE_KINDS, RecordMixin

GRAINS = ("day", "week", "month", "quarter", "year")
GRAIN_NAMES = {"day": ("日", "Day"), "week": ("周", "Week"), "month": ("月", "Month"),
               "quarter": ("季度", "Quarter"), "year": ("年", "Year")}
LEVEL_CODES = tuple(lv.value for lv in LEVEL_ORDER)
EVENTS = ("new", "closed", "solved", "handled", "filed")
EVENT_NAMES = {"new": ("新增", "New"), "closed": ("办结", "Closed"), "solved": ("破案", "Solved"),
               "handled": ("查处", "Handled"), "filed": ("立案", "Filed")}
#: Per module, what "new" and "closed" mean in the station's words.
MODULE_EVENT_NAMES = {
    Module.CASE: {"new": ("受案", "Accepted"), "closed": ("办结", "Concluded"),
                  "solved": ("破刑事案件", "Criminal cases solved"),
                  "handled": ("查处行政案件", "Administrative cases handled"), "filed": ("立案", "Filed")},
    Module.DISPUTE: {"new": ("排查发现", "Found"), "closed": ("化解", "Resolved")},
    Module.PERSON: {"new": ("列管", "Listed"), "closed": ("撤销列管", "De-listed")},
}
DIMENSIONS = ("level", "category", "team", "officer", "team_leader", "leader", "case_category", "focus_area")
#: Dimensions whose keys are codes or text (the others are officer or team ids).
TEXT_DIMENSIONS = ("level", "category", "case_category", "focus_area")
QUARTER_NAMES = ("一", "二", "三", "四")


# -- periods -----------------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class Period:
    """One whole calendar period of a grain (end inclusive)."""

    start: date
    end: date
    grain: str = field(compare=False)

    @property
    def label(self) -> str:
        """ISO-style: 2025-05-15, 2025-W19, 2025-05, 2025-Q2, 2025 (what --period accepts)."""
        s = self.start
        if self.grain == "day":
            return s.isoformat()
        if self.grain == "week":
            y, w, _ = s.isocalendar()
            return f"{y}-W{w:02d}"
        if self.grain == "month":
            return f"{s.year}-{s.month:02d}"
        if self.grain == "quarter":
            return f"{s.year}-Q{(s.month - 1) // 3 + 1}"
        return str(s.year)

    @property
    def label_zh(self) -> str:
        """As documents write it (GB/T 9704: no zero padding): 2025年5月, 2025年第19周…"""
        s = self.start
        if self.grain == "day":
            return f"{s.year}年{s.month}月{s.day}日"
        if self.grain == "week":
            y, w, _ = s.isocalendar()
            return f"{y}年第{w}周（{s.month}月{s.day}日—{self.end.month}月{self.end.day}日）"
        if self.grain == "month":
            return f"{s.year}年{s.month}月"
        if self.grain == "quarter":
            return f"{s.year}年第{QUARTER_NAMES[(s.month - 1) // 3]}季度"
        return f"{s.year}年"

    @property
    def short_label(self) -> str:
        """A compact axis label: 5月15日, 第19周, 5月, 二季度, 2025."""
        s = self.start
        return {"day": f"{s.month}月{s.day}日", "week": f"第{s.isocalendar()[1]}周", "month": f"{s.year % 100:02d}年{s.month}月",
                "quarter": f"{s.year % 100:02d}年Q{(s.month - 1) // 3 + 1}", "year": f"{s.year}年"}[self.grain]

    def window(self, as_of: date | None = None) -> Window:
        """The period, cut short at `as_of` (period to date)."""
        return Window(self.start, self.end if as_of is None else min(self.end, as_of))

    def previous(self) -> "Period":
        return period_of(self.grain, self.start - timedelta(days=1))

    def next(self) -> "Period":
        return period_of(self.grain, self.end + timedelta(days=1))


def _check_grain(grain: str) -> str:
    if grain not in GRAINS:
        raise ValidationError(f"未知的统计周期：{grain}", f"unknown grain (day/week/month/quarter/year): {grain}",
                              "grain")
    return grain


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_of(grain: str, day: date) -> Period:
    """The period of `grain` that holds `day`."""
    _check_grain(grain)
    if grain == "day":
        return Period(day, day, grain)
    if grain == "week":
        monday = day - timedelta(days=day.weekday())
        return Period(monday, monday + timedelta(days=6), grain)
    if grain == "month":
        return Period(day.replace(day=1), _month_end(day.year, day.month), grain)
    if grain == "quarter":
        first = (day.month - 1) // 3 * 3 + 1
        return Period(date(day.year, first, 1), _month_end(day.year, first + 2), grain)
    return Period(date(day.year, 1, 1), date(day.year, 12, 31), grain)


def periods(grain: str, start: date, end: date) -> list[Period]:
    """Every period of `grain` that meets [start, end], in order."""
    if end < start:
        raise ValidationError("结束日期早于开始日期", "the end date is before the start date", "end")
    out = [period_of(grain, start)]
    while out[-1].end < end:
        out.append(out[-1].next())
    return out


def parse_period(text: str) -> Period:
    """--period: 2025-05-15 (day), 2025-W19 (ISO week), 2025-05 (month), 2025-Q2, 2025."""
    t = (text or "").strip().upper()
    bad = ValidationError(f"统计期间格式无效：{text}（例如 2025-05、2025-W19、2025-05-15、2025-Q2、2025）",
                          f"not a period like 2025-05, 2025-W19, 2025-05-15, 2025-Q2 or 2025: {text}", "period")
    try:
        if len(t) == 10:
            return period_of("day", date.fromisoformat(t))
        if "-W" in t:
            y, w = t.split("-W")
            return period_of("week", date.fromisocalendar(int(y), int(w), 1))
        if "-Q" in t:
            y, q = t.split("-Q")
            if not 1 <= int(q) <= 4:
                raise bad
            return period_of("quarter", date(int(y), 3 * int(q) - 2, 1))
        if len(t) == 7:
            y, m = t.split("-")
            return period_of("month", date(int(y), int(m), 1))
        if len(t) == 4 and t.isdigit():
            return period_of("year", date(int(t), 1, 1))
    except ValueError:
        raise bad from None
    raise bad


# -- comparison windows (同比 / 环比) ---------------------------------------------------------------
def _clamped(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _add_months(day: date, months: int) -> date:
    n = day.year * 12 + day.month - 1 + months
    return _clamped(n // 12, n % 12 + 1, day.day)


def year_before(day: date) -> date:
    """The same date a year earlier (29 February -> 28 February)."""
    return _clamped(day.year - 1, day.month, day.day)


def compare_windows(grain: str, as_of: date) -> dict[str, Window]:
    """The current period to `as_of`, the same stretch of the period before (环比) and of the
    same period a year before (同比). See the module docstring for each grain."""
    _check_grain(grain)
    if grain == "month":
        return period_windows(as_of)  # the headline figures' own definition, reused as is
    if grain == "day":
        day_before = as_of - timedelta(days=1)
        return {"current": Window(as_of, as_of), "previous": Window(day_before, day_before),
                "last_year": Window(year_before(as_of), year_before(as_of))}
    if grain == "week":
        cur = period_of("week", as_of)
        offset = (as_of - cur.start).days
        iso_year, week, _ = as_of.isocalendar()
        weeks_last_year = date(iso_year - 1, 12, 28).isocalendar()[1]  # 28 Dec is always in the last week
        ly_monday = date.fromisocalendar(iso_year - 1, min(week, weeks_last_year), 1)
        return {"current": Window(cur.start, as_of),
                "previous": Window(cur.start - timedelta(days=7), as_of - timedelta(days=7)),
                "last_year": Window(ly_monday, ly_monday + timedelta(days=offset))}
    if grain == "quarter":
        cur = period_of("quarter", as_of)
        months_in = as_of.month - cur.start.month
        prev_start = _add_months(cur.start, -3)
        ly_start = date(cur.start.year - 1, cur.start.month, 1)
        return {"current": Window(cur.start, as_of),
                "previous": Window(prev_start, _clamped(*divmod_month(prev_start, months_in), as_of.day)),
                "last_year": Window(ly_start, _clamped(*divmod_month(ly_start, months_in), as_of.day))}
    cur = period_of("year", as_of)
    same = Window(date(as_of.year - 1, 1, 1), year_before(as_of))
    return {"current": Window(cur.start, as_of), "previous": same, "last_year": same}


def divmod_month(start: date, months: int) -> tuple[int, int]:
    """(year, month) `months` after the month of `start`."""
    n = start.year * 12 + start.month - 1 + months
    return n // 12, n % 12 + 1


def window_label(w: Window) -> str:
    return w.start.isoformat() if w.start == w.end else f"{w.start.isoformat()}~{w.end.isoformat()}"


WINDOW_NAMES = {"current": ("本期", "Current"), "previous": ("上期（环比）", "Previous (MoM)"),
                "last_year": ("去年同期（同比）", "Same period last year (YoY)")}


# -- filters and SQL pieces ----------------------------------------------------------------------
@dataclass(frozen=True)
class TrendFilter:
    """Narrow a series to one team, one officer or one category (case kind / dispute category)."""

    team_id: int | None = None
    officer_id: int | None = None
    category: str | None = None


def _category_col(module: Module) -> InstrumentedAttribute[str]:
    if module == Module.CASE:
        return Case.kind
    if module == Module.DISPUTE:
        return Dispute.category
    raise ValidationError("重点人员没有可统计的类别", "key persons have no category to count by", "category")


def _filters(module: Module, model: type[RecordMixin], filt: TrendFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if filt.team_id is not None:
        conds.append(model.team_id == filt.team_id)
    if filt.officer_id is not None:
        conds.append(model.officer_id == filt.officer_id)
    if filt.category is not None:
        conds.append(_category_col(module) == filt.category)
    return conds


class _Bucket(ColumnElement[str]):
    """The first day of `expr`'s period (day, week from Monday, month, quarter, year) as ISO text:
    SQLite's date() modifiers, PostgreSQL's date_trunc (whose weeks also begin on Monday)."""

    inherit_cache = True
    type = String()
    _traverse_internals = [("expr", InternalTraversal.dp_clauseelement), ("grain", InternalTraversal.dp_plain_obj)]

    def __init__(self, grain: str, expr: ColumnElement[Any]):
        self.grain, self.expr = grain, expr


@compiles(_Bucket)
def _bucket_default(element: _Bucket, compiler: SQLCompiler, **kw: Any) -> str:
    x = compiler.process(element.expr, **kw)
    if element.grain == "day":
        return f"to_char(CAST({x} AS DATE), 'YYYY-MM-DD')"
    return f"to_char(date_trunc('{element.grain}', CAST({x} AS TIMESTAMP)), 'YYYY-MM-DD')"


@compiles(_Bucket, "sqlite")
def _bucket_sqlite(element: _Bucket, compiler: SQLCompiler, **kw: Any) -> str:
    x = compiler.process(element.expr, **kw)
    return {"day": f"date({x})",
            "week": f"date({x}, '-6 days', 'weekday 1')",  # the Monday on or before
            "month": f"date({x}, 'start of month')",
            "year": f"date({x}, 'start of year')",
            "quarter": f"date({x}, 'start of month', printf('-%d months', (CAST(strftime('%m', {x}) AS INTEGER) - 1) % 3))",
            }[element.grain]


class _DaysBetween(ColumnElement[int]):
    """Whole days from one ISO day text to another: julianday() on SQLite, date subtraction on PostgreSQL."""

    inherit_cache = True
    type = Integer()
    _traverse_internals = [("later", InternalTraversal.dp_clauseelement),
                           ("earlier", InternalTraversal.dp_clauseelement)]

    def __init__(self, later: ColumnElement[Any], earlier: ColumnElement[Any]):
        self.later, self.earlier = later, earlier


@compiles(_DaysBetween)
def _days_between_default(element: _DaysBetween, compiler: SQLCompiler, **kw: Any) -> str:
    return (f"(CAST({compiler.process(element.later, **kw)} AS DATE) - "
            f"CAST({compiler.process(element.earlier, **kw)} AS DATE))")


@compiles(_DaysBetween, "sqlite")
def _days_between_sqlite(element: _DaysBetween, compiler: SQLCompiler, **kw: Any) -> str:
    return (f"CAST(julianday({compiler.process(element.later, **kw)}) - "
            f"julianday({compiler.process(element.earlier, **kw)}) AS INTEGER)")


def bucket_expr(grain: str, col: ColumnElement[Any] | InstrumentedAttribute[Any]) -> _Bucket:
    """SQL for the first day of `col`'s period, as an ISO date string (SQLite and PostgreSQL)."""
    return _Bucket(_check_grain(grain), col if isinstance(col, ColumnElement) else col.expression)


def event_column(module: Module, event: str) -> tuple[InstrumentedAttribute[Any], list[ColumnElement[bool]]]:
    """(date column, extra conditions) of an event."""
    if event not in EVENTS:
        raise ValidationError(f"未知的统计项：{event}", f"unknown event: {event}", "event")
    if event == "new":
        return {Module.CASE: Case.accepted_on, Module.DISPUTE: Dispute.found_on,
                Module.PERSON: Person.listed_on}[module], []
    if event == "closed":
        if module == Module.CASE:  # every kind (the column's check constraint): ix_case_record_closed serves
            return Case.closed_on, [Case.kind.in_(CASE_KINDS)]
        return {Module.DISPUTE: Dispute.resolved_on, Module.PERSON: Person.delisted_on}[module], []
    if module != Module.CASE:
        raise ValidationError(f"{EVENT_NAMES[event][0]}只适用于案件", f"{event} applies to cases only", "event")
    if event == "solved":
        return Case.solved_on, [Case.kind == "criminal"]
    if event == "filed":
        return Case.filed_on, [Case.kind.in_(CASE_KINDS)]
    return Case.closed_on, [Case.kind == "administrative"]


# -- results ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Series:
    """One line or bar stack: a key (level code, group id, "new"…), its label and one value per period."""

    key: str
    label: str
    values: tuple[Any, ...]
    level: str | None = None


@dataclass(frozen=True)
class TrendSpec:
    """What a trend shows: enough to recompute any of its points and the records behind it."""

    kind: str  # "events" / "levels" / "last_year" / "days_to_green" / "overdue"
    module: Module
    grain: str
    start: date
    end: date
    as_of: date
    events: tuple[str, ...] = ()
    by: str | None = None
    filt: TrendFilter = TrendFilter()


@dataclass(frozen=True)
class Trend:
    spec: TrendSpec
    periods: tuple[Period, ...]
    windows: tuple[Window, ...]  # each period cut at as_of
    series: tuple[Series, ...]

    @property
    def partial(self) -> tuple[bool, ...]:
        return tuple(w.end < p.end for p, w in zip(self.periods, self.windows))

    def series_by_key(self, key: str) -> Series:
        for s in self.series:
            if s.key == key:
                return s
        raise KeyError(key)


def _spec_periods(spec: TrendSpec) -> tuple[list[Period], list[Window]]:
    ps = [p for p in periods(spec.grain, spec.start, spec.end) if p.start <= spec.as_of]
    return ps, [p.window(spec.as_of) for p in ps]


def _make_spec(kind: str, module: Module | str, grain: str, start: date | None, end: date | None,
               as_of: date | None, **kw: Any) -> TrendSpec:
    as_of = as_of or date.today()
    end = min(end or as_of, as_of)
    start = start or period_of(_check_grain(grain), end).start
    return TrendSpec(kind, module_of(module), _check_grain(grain), start, end, as_of, **kw)


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


# -- event counts ---------------------------------------------------------------------------------
@overload
def _group_col(module: Module, model: type[RecordMixin], by: str) -> InstrumentedAttribute[Any]: ...
@overload
def _group_col(module: Module, model: type[RecordMixin], by: str | None) -> InstrumentedAttribute[Any] | None: ...
def _group_col(module: Module, model: type[RecordMixin], by: str | None) -> InstrumentedAttribute[Any] | None:
    if by is None:
        return None
    if by not in DIMENSIONS:
        raise ValidationError(f"未知的分组：{by}", f"unknown dimension ({'/'.join(DIMENSIONS)}): {by}", "by")
    if by == "category":
        return _category_col(module)
    if by in ("case_category", "focus_area"):
        owner, col = BREAKDOWNS[by]
        if owner != module:
            raise ValidationError(f"{module.zh}不能按该分类统计：{by}", f"{module.value} has no {by}", "by")
        return col
    return {"level": model.level, "team": model.team_id, "officer": model.officer_id,
            "team_leader": model.team_leader_id, "leader": model.leader_id}[by]


def _group_labels(session: Session, module: Module, by: str, keys: Iterable[Any]) -> dict[Any, str]:
    keys = [k for k in keys if k is not None]
    if by == "level":
        return {k: LEVEL_NAMES[Level(k)][0] for k in keys}
    if by == "category":
        names = CASE_KIND_NAMES if module == Module.CASE else DISPUTE_CATEGORY_NAMES
        return {k: names.get(k, (k,))[0] for k in keys}
    if by == "focus_area":
        return {k: FOCUS_AREA_NAMES.get(k, (k or "（未填）",))[0] for k in keys}
    if by == "case_category":
        return {k: k or "（未填案别）" for k in keys}
    table = Team if by == "team" else Officer
    return dict(session.execute(select(table.id, table.name).where(table.id.in_(keys))).all())


def event_series(db: Store, module: Module | str, events: Iterable[str] = ("new", "closed"), grain: str = "month", *,
                 start: date | None = None, end: date | None = None, as_of: date | None = None,
                 by: str | None = None, filt: TrendFilter = TrendFilter()) -> Trend:
    """Counts of events per period (one series per event, or one per group of `by` for one event)."""
    events = tuple(events)
    if by is not None and len(events) != 1:
        raise ValidationError("分组统计一次只能统计一项", "group by one event at a time", "by")
    spec = _make_spec("events", module, grain, start, end, as_of, events=events, by=by, filt=filt)
    ps, ws = _spec_periods(spec)
    index = {p.start: i for i, p in enumerate(ps)}
    model = MODELS[spec.module]
    known = known_at(model, end_of(spec.as_of))
    series: list[Series] = []
    with db.read() as session:
        summary = _event_summary(session, spec.module, events, filt) if by is None else None
        if summary is not None:  # the daily summary's events, one statement per event
            for event, (_col_extra, category) in summary.items():
                got = summary_counts(session, spec.module, event, ws, spec.as_of, filt, category)
                names = MODULE_EVENT_NAMES[spec.module].get(event, EVENT_NAMES[event])
                series.append(Series(event, names[0], tuple(got)))
            return Trend(spec, tuple(ps), tuple(ws), tuple(series))
        for event in events:
            col, extra = event_column(spec.module, event)
            bucket = bucket_expr(grain, col).label("b")
            group = _group_col(spec.module, model, by)
            cols = [bucket] + ([group] if group is not None else []) + [func.count()]
            stmt = (select(*cols).where(*known, *extra, *_filters(spec.module, model, filt),
                                        col >= ps[0].start, col <= spec.as_of)
                    .group_by(*cols[:-1]))
            found: dict[Any, list[int]] = defaultdict(lambda: [0] * len(ps))
            for row in session.execute(stmt):
                i = index.get(_day(row[0]))
                if i is not None:
                    found[row[1] if group is not None else event][i] += int(row[-1])
            if group is None:
                names = MODULE_EVENT_NAMES[spec.module].get(event, EVENT_NAMES[event])
                series.append(Series(event, names[0], tuple(found[event])))
            elif by is not None:  # (a group column is a `by`'s)
                labels = _group_labels(session, spec.module, by, found)
                order = LEVEL_CODES if by == "level" else sorted(found, key=lambda k: (k is None, str(labels.get(k, ""))))
                for key in order:  # by level: every level present, zero included, so colours stay put
                    series.append(Series(str(key), labels.get(key, "未指定"), tuple(found[key]),
                                         level=key if by == "level" else None))
    return Trend(spec, tuple(ps), tuple(ws), tuple(series))


def _event_summary(session: Session, module: Module, events: Iterable[str], filt: TrendFilter
                   ) -> dict[str, tuple[Any, str | None]] | None:
    """{event: (its column and conditions, the category it is limited to)} when the daily summary
    can count every one of `events` under `filt` (not for one officer), else None."""
    from app.services import daily_counts

    if filt.officer_id is not None or filt.team_id is not None or not daily_counts.available(session):
        return None  # the events summary has no officer or team: the recount narrows to them
    out = {}
    for event in events:
        col, extra = event_column(module, event)
        category = {"solved": "criminal", "handled": "administrative"}.get(event)
        if category is not None and filt.category is not None and filt.category != category:
            category = "-"  # two categories at once: nothing
        out[event] = ((col, extra), category or filt.category)
    _filters(module, MODELS[module], filt)  # refuses a category the module has not
    return out


def summary_counts(session: Session, module: Module, event: str, windows: list[Window], as_of: date,
                   filt: TrendFilter, category: str | None) -> list[int]:
    """How many `event`s in each window up to `as_of` (known at as_of), from the daily summary."""
    from app.services import daily_counts

    stored = {"handled": "closed"}.get(event, event)
    got = daily_counts.event_counts(session, module, stored, windows, as_of, category=category)
    cells = got.get("", [[0, 0]] * len(windows))
    return [c[0] for c in cells]


# -- levels as of each period end ------------------------------------------------------------------
def level_series(db: Store, module: Module | str, grain: str = "month", *, start: date | None = None,
                 end: date | None = None, as_of: date | None = None, filt: TrendFilter = TrendFilter()) -> Trend:
    """Records at each level at the end of each period: the state of stats (stats.summary_series:
    the maintained daily summary, or the state engine for one officer), so that each point is
    headline_stats(period end)["by_level"] (converted disputes and voided records left out)."""
    spec = _make_spec("levels", module, grain, start, end, as_of, filt=filt)
    ps, ws = _spec_periods(spec)
    _filters(spec.module, MODELS[spec.module], filt)  # refuses a category the module has not
    with db.read() as session:
        states = summary_series(session, spec.module, [w.end for w in ws], team_id=filt.team_id,
                                category=filt.category, officer_id=filt.officer_id)
    series = tuple(Series(lv, LEVEL_NAMES[Level(lv)][0], tuple(st.by_level[lv] for st in states), level=lv)
                   for lv in LEVEL_CODES)
    return Trend(spec, tuple(ps), tuple(ws), series)


@dataclass(frozen=True)
class RecordState:
    level: str
    overdue: bool
    #: When the record reached this level (its last real level change, or its creation).
    since: datetime | None = None
    #: The follow-up due date then (None for green).
    due: date | None = None


def record_states(session: Session, module: Module, as_of: date, filt: TrendFilter = TrendFilter(),
                  cadence: dict[Level, int | None] | None = None, ids: Iterable[int] | None = None
                  ) -> dict[int, RecordState]:
    """Each record's level, overdue flag and due date at the end of `as_of`, rebuilt from history
    by the one SQL engine of app.services.stats (stats.state_select: the headline figures are its
    sums). Converted disputes (by then) are left out; records without a creation row keep their level.
    With `ids`, only those records (one index seek each instead of every record)."""
    module = module_of(module)
    model = MODELS[module]
    cadence = cadence if cadence is not None else load_cadence(session, module)
    where = _filters(module, model, filt)
    if ids is not None:
        ids = set(ids)
        if not ids:
            return {}
        where = [*where, id_in(model.id, ids, session.get_bind().dialect.name == "postgresql")]
    rows = state_select(module, as_of, cadence, where).subquery()
    return {rid: RecordState(level, bool(overdue), changed_at or created_at, date.fromisoformat(due) if due else None)
            for rid, level, overdue, due, created_at, changed_at in session.execute(
                select(rows.c.id, rows.c.level, rows.c.overdue, rows.c.due, rows.c.created_at, rows.c.changed_at)
                .where(rows.c.converted == 0))}


def states_at(db: Store, module: Module | str, as_of: date, filt: TrendFilter = TrendFilter()) -> dict[int, RecordState]:
    with db.read() as session:
        return record_states(session, module_of(module), as_of, filt)


def states_of(db: Store, module: Module | str, as_of: date, ids: Iterable[int]) -> dict[int, RecordState]:
    """record_states of the records `ids` only."""
    with db.read() as session:
        return record_states(session, module_of(module), as_of, ids=ids)


# -- bounded reads of the records that need attention ------------------------------------------------
#: Which records a bounded read may need, by their stored (current) columns: red now; red now or
#: past their stored due date; not green now.
ATTENTION = ("red", "red_or_overdue", "active")
#: Above this many records written since the day asked (a day long past), the engine over every
#: record is faster than over those ids (1M records, 2026-09-15: 135k cases written since, 20 s
#: by ids against 10 s for all): the bounded reads fall back to it, with the same figures.
CHANGED_MAX = 25_000


def changed_since(session: Session, module: Module | str, as_of: date) -> set[int]:
    """Ids of the records written after the end of `as_of`: a level change or an action dated from
    then on, or the record edited, voided or converted since. Every other record known then has
    the same latest level change and latest action then as now, so its state then is its stored
    state (level, and the due date the writers keep in `next_due`). Index reads only
    (ix_level_change_module_changed, ix_action_module_acted, ix_*_updated, ix_*_voided)."""
    module = module_of(module)
    model = MODELS[module]
    end = end_of(as_of)
    stmts = [select(LevelChange.record_id).where(LevelChange.module == module.value, LevelChange.changed_at >= end),
             select(Action.record_id).where(Action.module == module.value, Action.acted_at >= end),
             select(model.id).where(model.updated_at >= end),
             select(model.id).where(model.voided_at >= end)]
    if module == Module.DISPUTE:
        stmts.append(select(Dispute.id).where(Dispute.converted_at >= end))
    out: set[int] = set()
    for stmt in stmts:
        out.update(session.scalars(stmt))
    return out


def attention_states(db: Store, module: Module | str, as_of: date, which: str) -> dict[int, RecordState]:
    """The state at the end of `as_of` (record_states, the one engine) of every record that may be,
    then, red (`which` = "red"), red or overdue ("red_or_overdue") or at any active level
    ("active"), and of some that are not: the candidates are the records whose stored columns say
    so now, and every record written since (`changed_since`). Callers filter the states. The
    records written since get their state from the engine (record_states); the others' state then
    is their stored state. At a million records this reads thousands of records instead of running
    the engine over every one (a report as of today or a recent day; a day long past has more
    records written since)."""
    if which not in ATTENTION:
        raise ValueError(which)
    module = module_of(module)
    model = MODELS[module]
    current = {"red": model.level == Level.RED.value,
               "red_or_overdue": or_(model.level == Level.RED.value,
                                     and_(model.next_due.is_not(None), model.next_due < as_of,
                                          model.level != Level.GREEN.value)),
               "active": model.level != Level.GREEN.value}[which]
    end = end_of(as_of)
    conds = [current, *known_at(model, end)]
    # A dispute converted by then has left the lists (one converted since is in `changed`); its
    # column is read, not filtered on: its index would lead the planner away from the level's.
    converted = Dispute.converted_at if module == Module.DISPUTE else literal(None)
    with db.read() as session:
        changed = changed_since(session, module, as_of)
        if len(changed) > CHANGED_MAX:
            return record_states(session, module, as_of)
        out = record_states(session, module, as_of, ids=changed)
        # The others' state is what the writers stored: the level, the time it was reached and
        # the due date (the engine's rule, kept in next_due).
        for rid, level, since, due, conv in session.execute(
                select(model.id, model.level, model.level_changed_at, model.next_due, converted).where(*conds)):
            if rid in changed or conv is not None:
                continue
            due = None if level == Level.GREEN.value else due
            out[rid] = RecordState(level, due is not None and due < as_of, since, due)
        return out


def events_by_owner(db: Store, module: Module | str, event: str, start: date, end: date, as_of: date
                    ) -> list[tuple[dict[str, int | None], int]]:
    """`event`s dated from `start` to `end` (cut at `as_of`), as known at `as_of`, counted per owner
    (OWNER_KEYS) in one GROUP BY: what event_series(by=officer / team / team_leader / leader) counts
    for one period, for the four dimensions at once."""
    module = module_of(module)
    model = MODELS[module]
    col, extra = event_column(module, event)
    cols = [getattr(model, k) for k in OWNER_KEYS]
    with db.read() as session:
        return [(dict(zip(OWNER_KEYS, owners)), int(n)) for *owners, n in session.execute(
            select(*cols, func.count()).where(col >= start, col <= min(end, as_of), *extra,
                                              *known_at(model, end_of(as_of))).group_by(*cols))]


ACTIVE_LEVELS = tuple(lv.value for lv in LEVEL_ORDER if lv != Level.GREEN)
#: The responsibility columns a record carries (三级责任 and the team).
OWNER_KEYS = ("officer_id", "team_id", "team_leader_id", "leader_id")


def active_by_owner(db: Store, module: Module | str, as_of: date) -> list[tuple[dict[str, int | None], str, int, int]]:
    """Active (not green) records at the end of `as_of`, counted per owner and level: rows of
    (owners {officer_id, team_id, team_leader_id, leader_id}, level, records, overdue records).
    The records not written since (`changed_since`) are counted from their stored level and due
    date by one GROUP BY; those written since get their state from the engine (record_states).
    Together: the engine's figures for every record, without running it over every record."""
    module = module_of(module)
    model = MODELS[module]
    end = end_of(as_of)
    cols = [getattr(model, k) for k in OWNER_KEYS]
    out: list[tuple[dict[str, int | None], str, int, int]] = []
    with db.read() as session:
        changed = changed_since(session, module, as_of)
        pg = session.get_bind().dialect.name == "postgresql"
        if len(changed) > CHANGED_MAX:  # a day long past: the engine over every record
            states = record_states(session, module, as_of)
            owner_of = {r[0]: r[1:] for r in session.execute(select(model.id, *cols).where(*known_at(model, end)))}
            for rid, st in states.items():
                if st.level != Level.GREEN.value:
                    out.append((dict(zip(OWNER_KEYS, owner_of[rid])), st.level, 1, int(st.overdue)))
            return out
        # The active levels by name (not `!= green`): a range of ix_*_owner_state, read alone.
        conds = [*known_at(model, end), model.level.in_(ACTIVE_LEVELS)]
        if module == Module.DISPUTE:
            conds.append(Dispute.converted_at.is_(None))
        if changed:
            conds.append(~id_in(model.id, changed, pg))
        late = sql_case((and_(model.next_due.is_not(None), model.next_due < as_of), 1), else_=0)
        stmt = select(*cols, model.level, func.count(), func.sum(late)).where(*conds).group_by(*cols, model.level)
        for *owners, level, n, n_late in session.execute(stmt):
            out.append((dict(zip(OWNER_KEYS, owners)), level, int(n), int(n_late or 0)))
        if changed:
            states = record_states(session, module, as_of, ids=changed)
            owner_of = {r[0]: r[1:] for r in session.execute(
                select(model.id, *cols).where(id_in(model.id, set(states), pg)))} if states else {}
            for rid, st in states.items():
                if st.level != Level.GREEN.value:
                    out.append((dict(zip(OWNER_KEYS, owner_of[rid])), st.level, 1, int(st.overdue)))
    return out


def overdue_series(db: Store, module: Module | str, grain: str = "month", *, start: date | None = None,
                   end: date | None = None, as_of: date | None = None,
                   filt: TrendFilter = TrendFilter()) -> Trend:
    """At each period end: overdue records, active (not green) records and the share overdue
    (stats.summary_series: the maintained daily summary, or the one recount engine for one
    officer)."""
    spec = _make_spec("overdue", module, grain, start, end, as_of, filt=filt)
    ps, ws = _spec_periods(spec)
    _filters(spec.module, MODELS[spec.module], filt)  # refuses a category the module has not
    with db.read() as session:
        states = summary_series(session, spec.module, [w.end for w in ws], team_id=filt.team_id,
                                category=filt.category, officer_id=filt.officer_id)
    overdue = tuple(st.overdue for st in states)
    active = tuple(st.active for st in states)
    share = tuple(ratio(o, a) for o, a in zip(overdue, active))
    return Trend(spec, tuple(ps), tuple(ws), (Series("overdue", "超期", overdue), Series("active", "在办", active),
                                               Series("share", "超期占比", share)))


# -- days from entry to green -----------------------------------------------------------------------
def _avg(total: int, n: int) -> float | None:
    if not n:
        return None
    return float((Decimal(total) / Decimal(n)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def green_rows(module: Module, as_of: date, filt: TrendFilter, since: date | None = None
               ) -> Select[int, str, str, str]:
    """(record id, entry level, entry day, first green day) of records that went green by as_of
    (first green on or after `since`, when given).

    The first green per record: the earliest change from another level to green. With `since`,
    only the changes from `since` on are scanned (ix_level_change_changed) and a record counts when
    no such change precedes `since` (an index seek on ix_level_change_record); the entry (the
    earliest creation row, ties by id) is one more seek per record, not a GROUP BY of the history."""
    model = MODELS[module]
    end = end_of(as_of)
    lc, earlier, first, entry = (aliased(LevelChange) for _ in range(4))

    def to_green(t: Any) -> ColumnElement[bool]:
        return and_(t.module == module.value, t.to_level == Level.GREEN.value, t.from_level.is_not(None),
                    t.from_level != Level.GREEN.value)

    conds = [to_green(lc), lc.changed_at < end]
    if since is not None:
        since_at = datetime.combine(since, time())
        conds += [lc.changed_at >= since_at,
                  ~select(earlier.id).where(to_green(earlier), earlier.record_id == lc.record_id,
                                            earlier.changed_at < since_at).exists()]
    green = select(lc.record_id.label("rid"), func.min(lc.changed_at).label("green_at")).where(*conds) \
        .group_by(lc.record_id).subquery()
    entry_id = (select(first.id).where(first.module == module.value, first.record_id == green.c.rid,
                                       first.from_level.is_(None), first.changed_at < end)
                .order_by(first.changed_at, first.id).limit(1).correlate(green).scalar_subquery())
    return (select(model.id, entry.to_level.label("level"), iso_day(entry.changed_at.expression).label("entered"),
                   iso_day(green.c.green_at).label("greened"))
            .select_from(green).join(model, model.id == green.c.rid).join(entry, entry.id == entry_id)
            .where(*known_at(model, end), *_filters(module, model, filt),
                   entry.to_level != Level.GREEN.value))


def days_to_green_series(db: Store, module: Module | str, grain: str = "month", *, start: date | None = None,
                         end: date | None = None, as_of: date | None = None,
                         filt: TrendFilter = TrendFilter()) -> Trend:
    """Average calendar days from entry to the first green, per entry level, per period of the green."""
    spec = _make_spec("days_to_green", module, grain, start, end, as_of, filt=filt)
    ps, ws = _spec_periods(spec)
    _filters(spec.module, MODELS[spec.module], filt)  # refuses a category the module has not
    if filt.officer_id is None and filt.team_id is None:  # the events summary has no officer or team
        from app.services import daily_counts

        with db.read() as session:
            if daily_counts.available(session):
                got = daily_counts.event_counts(session, spec.module, "green", ws, spec.as_of,
                                                category=filt.category, by_key=True)
                empty = [[0, 0]] * len(ws)
                cells = {lv: got.get(lv, empty) for lv in LEVEL_CODES[:3]}
                series = tuple(Series(lv, LEVEL_NAMES[Level(lv)][0], tuple(_avg(t, n) for n, t in cells[lv]), level=lv)
                               for lv in LEVEL_CODES[:3])
                series += tuple(Series(f"n_{lv}", f"{LEVEL_NAMES[Level(lv)][0]}（件数）", tuple(n for n, _t in cells[lv]),
                                       level=lv) for lv in LEVEL_CODES[:3])
                return Trend(spec, tuple(ps), tuple(ws), series)
    index = {p.start: i for i, p in enumerate(ps)}
    rows = green_rows(spec.module, spec.as_of, filt, since=ps[0].start).subquery()
    days = _DaysBetween(rows.c.greened, rows.c.entered)
    bucket = bucket_expr(grain, rows.c.greened).label("b")
    stmt = (select(bucket, rows.c.level, func.count(), func.sum(days))
            .where(rows.c.greened >= ps[0].start.isoformat()).group_by(bucket, rows.c.level))
    totals = {lv: [0] * len(ps) for lv in LEVEL_CODES[:3]}
    counts = {lv: [0] * len(ps) for lv in LEVEL_CODES[:3]}
    with db.read() as session:
        for b, level, n, total in session.execute(stmt):
            i = index.get(_day(b))
            if i is not None:
                totals[level][i] += int(total)
                counts[level][i] += int(n)
    series = tuple(Series(lv, LEVEL_NAMES[Level(lv)][0], tuple(_avg(t, n) for t, n in zip(totals[lv], counts[lv])),
                          level=lv) for lv in LEVEL_CODES[:3])
    series += tuple(Series(f"n_{lv}", f"{LEVEL_NAMES[Level(lv)][0]}（件数）", tuple(counts[lv]), level=lv)
                    for lv in LEVEL_CODES[:3])
    return Trend(spec, tuple(ps), tuple(ws), series)


def days_to_green(db: Store, module: Module | str, window: Window, filt: TrendFilter = TrendFilter(),
                  as_of: date | None = None) -> dict[str, tuple[float | None, int]]:
    """(average days, records) per entry level for first greens inside `window`: the daily
    summary's first-green events (their day count summed), or the SQL over the history for one
    officer or without the summary."""
    module = module_of(module)
    _filters(module, MODELS[module], filt)  # refuses a category the module has not
    if filt.officer_id is None and filt.team_id is None:  # the events summary has no officer or team
        from app.services import daily_counts

        with db.read() as session:
            if daily_counts.available(session):
                got = daily_counts.event_counts(session, module, "green", [window], as_of or window.end,
                                                category=filt.category, by_key=True)
                out: dict[str, tuple[float | None, int]] = {lv: (None, 0) for lv in LEVEL_CODES[:3]}
                for level, ((n, total),) in got.items():
                    if level in out and n:
                        out[level] = (_avg(total, n), n)
                return out
    rows = green_rows(module_of(module), as_of or window.end, filt, since=window.start).subquery()
    days = _DaysBetween(rows.c.greened, rows.c.entered)
    stmt = (select(rows.c.level, func.count(), func.sum(days))
            .where(rows.c.greened >= window.start.isoformat(), rows.c.greened <= window.end.isoformat())
            .group_by(rows.c.level))
    out = {lv: (None, 0) for lv in LEVEL_CODES[:3]}
    with db.read() as session:
        for level, n, total in session.execute(stmt):
            out[level] = (_avg(int(total), int(n)), int(n))
    return out


# -- same period last year -------------------------------------------------------------------------
def shifted_year(w: Window, grain: str) -> Window:
    """The window of the same period a year before (ISO week for weeks; clamped dates otherwise)."""
    if grain == "week":
        cw = compare_windows("week", w.end)["last_year"]
        return Window(cw.start, cw.start + (w.end - w.start))
    start = year_before(w.start)
    # A whole month (or a stretch ending on its last day) maps to the whole month a year before.
    end = year_before(w.end)
    if grain in ("month", "quarter", "year") and w.end == _month_end(w.end.year, w.end.month):
        end = _month_end(w.end.year - 1, w.end.month)
    return Window(start, end)


def _window_count_row(session: Session, module: Module, event: str, windows: list[Window], end: datetime,
                      filt: TrendFilter) -> list[int]:
    """One row of conditional sums (as stats does): how many events fall in each window."""
    from sqlalchemy import case as sql_case

    model = MODELS[module]
    col, extra = event_column(module, event)
    if not windows:
        return []
    known = (end - timedelta(days=1)).date()
    if all(w.end <= known for w in windows):  # events up to the day known: the daily summary answers
        summary = _event_summary(session, module, (event,), filt)
        if summary is not None:
            return summary_counts(session, module, event, windows, known, filt, summary[event][1])
    cols = [func.coalesce(func.sum(sql_case((col.between(w.start, w.end), 1), else_=0)), 0) for w in windows]
    span = col.between(min(w.start for w in windows), max(w.end for w in windows))  # the date's index
    row = session.execute(select(*cols).where(span, *known_at(model, end), *extra,
                                              *_filters(module, model, filt))).one()
    return [int(v) for v in row]


def last_year_series(db: Store, module: Module | str, event: str = "solved", grain: str = "month", *,
                     start: date | None = None, end: date | None = None, as_of: date | None = None,
                     filt: TrendFilter = TrendFilter()) -> Trend:
    """An event per period beside the same period a year before, with the 同比 change per period."""
    spec = _make_spec("last_year", module, grain, start, end, as_of, events=(event,), filt=filt)
    ps, ws = _spec_periods(spec)
    earlier = [shifted_year(w, grain) for w in ws]
    with db.read() as session:
        now = _window_count_row(session, spec.module, event, ws, end_of(spec.as_of), filt)
        before = _window_count_row(session, spec.module, event, earlier, end_of(spec.as_of), filt)
    names = MODULE_EVENT_NAMES[spec.module].get(event, EVENT_NAMES[event])
    series = (Series("current", names[0], tuple(now)), Series("last_year", f"去年同期{names[0]}", tuple(before)),
              Series("yoy_pct", "同比", tuple(change_pct(a, b) for a, b in zip(now, before))))
    return Trend(spec, tuple(ps), tuple(ws), series)


# -- labelled comparisons ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Comparison:
    """One figure in three labelled windows with its changes (None = from zero, shown as —)."""

    current: int
    previous: int
    last_year: int
    mom_pct: float | None
    yoy_pct: float | None
    windows: dict[str, Window]

    def labels(self) -> dict[str, str]:
        return {k: f"{WINDOW_NAMES[k][0]} {window_label(w)}" for k, w in self.windows.items()}

    def as_dict(self) -> dict[str, Any]:
        return {"current": self.current, "previous": self.previous, "last_year": self.last_year,
                "mom_pct": self.mom_pct, "yoy_pct": self.yoy_pct,
                "windows": {k: w.as_dict() for k, w in self.windows.items()}}


def compare(db: Store, module: Module | str, event: str, grain: str, as_of: date, *, filt: TrendFilter = TrendFilter(),
            known_at: date | None = None) -> Comparison:
    """An event counted in the current, previous and last-year windows of `grain` at `as_of`."""
    mod = module_of(module)
    windows = compare_windows(grain, as_of)
    names = ("current", "previous", "last_year")
    with db.read() as session:
        counts = _window_count_row(session, mod, event, [windows[k] for k in names],
                                   end_of(known_at or as_of), filt)
    c = dict(zip(names, counts))
    return Comparison(c["current"], c["previous"], c["last_year"], change_pct(c["current"], c["previous"]),
                      change_pct(c["current"], c["last_year"]), windows)


#: The breakdowns a station sends (分类统计): the column each groups by, per module.
BREAKDOWNS = {"kind": (Module.CASE, Case.kind), "case_category": (Module.CASE, Case.category),
              "dispute_category": (Module.DISPUTE, Dispute.category), "focus_area": (Module.DISPUTE, Dispute.focus_area)}


def compare_by(db: Store, module: Module | str, event: str, grain: str, as_of: date, by: str, *,
               filt: TrendFilter = TrendFilter()) -> dict[str, Comparison]:
    """`compare` split by a breakdown (BREAKDOWNS: case kind or 案别, dispute category or focus
    area): one Comparison per group that has an event in any of the three windows, in one SQL
    statement. The groups sum to `compare` of the same event (an empty 案别 is its own group "")."""
    mod = module_of(module)
    if by not in BREAKDOWNS or BREAKDOWNS[by][0] != mod:
        raise ValidationError(f"未知的分类：{by}", f"unknown breakdown for {mod.value}: {by}", "by")
    group = func.coalesce(BREAKDOWNS[by][1], "")
    windows = compare_windows(grain, as_of)
    names = ("current", "previous", "last_year")
    model = MODELS[mod]
    col, extra = event_column(mod, event)
    # One GROUP BY per window on the date's index: the three windows are a few weeks of records,
    # the span from last year's window to today a whole year of them.
    found: dict[str, dict[str, int]] = {}
    with db.read() as session:
        for k in names:
            for key, n in session.execute(
                    select(group, func.count()).where(col.between(windows[k].start, windows[k].end),
                                                      *known_at(model, end_of(as_of)), *extra,
                                                      *_filters(mod, model, filt)).group_by(group)):
                found.setdefault(str(key), dict.fromkeys(names, 0))[k] += int(n)
    out: dict[str, Comparison] = {}
    for key in sorted(found):
        c = found[key]
        out[key] = Comparison(c["current"], c["previous"], c["last_year"], change_pct(c["current"], c["previous"]),
                              change_pct(c["current"], c["last_year"]), windows)
    return out


# -- drill-down: the records behind a point ---------------------------------------------------------
def point_ids(db: Store, trend: Trend, index: int, key: str) -> list[int]:
    """The ids of the records counted in series `key` at period `index` of `trend`, sorted."""
    spec = trend.spec
    w = trend.windows[index]
    model = MODELS[spec.module]
    if spec.kind == "levels" or (spec.kind == "overdue" and key in ("overdue", "active")):
        st = states_at(db, spec.module, w.end, spec.filt)
        if spec.kind == "levels":
            return sorted(i for i, s in st.items() if s.level == key)
        if key == "overdue":
            return sorted(i for i, s in st.items() if s.overdue)
        return sorted(i for i, s in st.items() if s.level != Level.GREEN.value)
    if spec.kind == "days_to_green":
        level = key[2:] if key.startswith("n_") else key
        rows = green_rows(spec.module, spec.as_of, spec.filt, since=w.start).subquery()
        stmt = select(rows.c.id).where(rows.c.level == level, rows.c.greened >= w.start.isoformat(),
                                       rows.c.greened <= w.end.isoformat())
    else:
        if spec.kind == "last_year":
            event = spec.events[0]
            if key == "last_year":
                w = shifted_year(w, spec.grain)
            elif key != "current":
                raise ValidationError(f"该数据点没有对应记录：{key}", f"no records behind series {key}", "key")
        else:
            event = key if spec.by is None else spec.events[0]
        col, extra = event_column(spec.module, event)
        conds = [*known_at(model, end_of(spec.as_of)), *extra, *_filters(spec.module, model, spec.filt),
                 col.between(w.start, w.end)]
        if spec.by is not None:
            group = _group_col(spec.module, model, spec.by)
            conds.append(group.is_(None) if key == "None" else group == (key if spec.by in TEXT_DIMENSIONS
                                                                          else int(key)))
        stmt = select(model.id).where(*conds)
    with db.read() as session:
        return sorted(session.scalars(stmt))


def point_query(db: Store, trend: Trend, index: int, key: str) -> TableQuery:
    """A table query showing exactly the records behind a chart point (any status: a record that
    has since been closed, converted or voided is still one of them)."""
    return TableQuery(ids=frozenset(point_ids(db, trend, index, key)), statuses=frozenset(),
                      as_of=trend.spec.as_of)


__all__ = ["GRAINS", "Period", "period_of", "periods", "parse_period", "compare_windows", "year_before",
           "window_label", "TrendFilter", "Series", "TrendSpec", "Trend", "event_series", "level_series",
           "record_states", "states_at", "overdue_series", "days_to_green_series", "days_to_green",
           "last_year_series", "shifted_year", "Comparison", "compare", "point_ids", "point_query",
           "bucket_expr", "RecordState"]
