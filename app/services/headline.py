"""The station's headline figures (`headline_stats`), defined in app.services.stats' docstring:
the states per level from the daily summary, the period counts with their month-on-month and
year-on-year changes, 化解率, 满意率, 破案率 and the average days to green of the year. It builds
on app.services.stats (windows, states, rates) and app.services.trends (days to green)."""
from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, Callable

from sqlalchemy import and_, case as sql_case, func, select
from sqlalchemy.orm import Session

from app.domain.levels import Level, Module
from app.services.stats import (
    Window,
    change_pct,
    end_of,
    known_at,
    period_windows,
    ratio,
    resolution_of,
    satisfaction_of,
    solve_rate_of,
    summary_module,
    summary_state,
)
from app.services.trends import days_to_green
from app.store import Store
from models import Case, Dispute, Station
from models.records import RecordMixin


def _event_windows(session: Session, module: Module, event: str, windows: dict[str, Window], as_of: date,
                   category: str | None, recount: Callable[[], dict[str, int]]) -> dict[str, int]:
    """How many `event`s fall in each window as known at `as_of`: the daily summary's events, or
    `recount` (the SQL over the record table) without it."""
    dc = summary_module(session)
    if dc is None:
        return recount()
    got = dc.event_counts(session, module, event, list(windows.values()), as_of, category=category)
    cells = got.get("", [[0, 0]] * len(windows))
    return {name: cells[i][0] for i, name in enumerate(windows)}


def _on_days(day_col: Any) -> Callable[[Window], Any]:
    return lambda w: day_col.between(w.start, w.end)


def _at_times(ts_col: Any) -> Callable[[Window], Any]:
    return lambda w: and_(ts_col >= datetime.combine(w.start, time()), ts_col < end_of(w.end))


def _window_counts(session: Session, model: type[RecordMixin], in_window: Callable[[Window], Any], where: list[Any],
                   end: datetime, windows: dict[str, Window]) -> dict[str, int]:
    """One row of conditional sums: how many records known at `end` fall in each window."""
    cols = [func.coalesce(func.sum(sql_case((in_window(w), 1), else_=0)), 0).label(name)
            for name, w in windows.items()]
    # Only the rows inside the span of the windows can count: that range uses the date's index.
    span = Window(min(w.start for w in windows.values()), max(w.end for w in windows.values()))
    row = session.execute(select(*cols).where(in_window(span), *known_at(model, end), *where)).one()
    return {name: int(row[i]) for i, name in enumerate(windows)}


def _period(counts: dict[str, int], windows: dict[str, Window]) -> dict[str, Any]:
    return {
        "current": counts["current"],
        "previous": counts["previous"],
        "last_year": counts["last_year"],
        "mom_pct": change_pct(counts["current"], counts["previous"]),
        "yoy_pct": change_pct(counts["current"], counts["last_year"]),
        "windows": {k: windows[k].as_dict() for k in ("current", "previous", "last_year")},
    }


def _satisfaction(session: Session, window: Window, end: datetime, as_of: date) -> dict[str, int]:
    s = satisfaction_of(session, window, as_of)
    return {"satisfied": s.satisfied, "basic": s.basic, "unsatisfied": s.unsatisfied, "surveyed": s.visits}


def headline_stats(db: Store, as_of: date | None = None) -> dict[str, Any]:
    """The station's headline figures as of the end of `as_of` (default today): see
    app.services.stats' docstring for every definition. JSON-ready (dates as ISO strings)."""
    as_of = as_of or date.today()
    end = end_of(as_of)
    windows = period_windows(as_of)
    ytd = Window(date(as_of.year, 1, 1), as_of)
    with db.read() as session:
        station = session.execute(select(Station.uuid, Station.code, Station.name).order_by(Station.id)).first()
        states = {m: summary_state(session, m, as_of) for m in Module}

        C, D = Module.CASE, Module.DISPUTE
        solved = _event_windows(session, C, "solved", windows, as_of, "criminal", lambda: _window_counts(
            session, Case, _on_days(Case.solved_on), [Case.kind == "criminal"], end, windows))
        handled = _event_windows(session, C, "closed", windows, as_of, "administrative", lambda: _window_counts(
            session, Case, _on_days(Case.closed_on), [Case.kind == "administrative"], end, windows))
        dispute_windows = {**windows, "ytd": ytd}
        found = _event_windows(session, D, "new", dispute_windows, as_of, None, lambda: _window_counts(
            session, Dispute, _on_days(Dispute.found_on), [], end, dispute_windows))
        resolved = _event_windows(session, D, "closed", dispute_windows, as_of, None, lambda: _window_counts(
            session, Dispute, _on_days(Dispute.resolved_on), [], end, dispute_windows))
        converted = _event_windows(session, D, "converted", windows, as_of, None, lambda: _window_counts(
            session, Dispute, _at_times(Dispute.converted_at), [Dispute.converted_at < end], end, windows))
        sat_now = _satisfaction(session, windows["current"], end, as_of)
        sat_ytd = _satisfaction(session, ytd, end, as_of)
        resolution_now = resolution_of(session, windows["current"], as_of)
        resolution_ytd = resolution_of(session, ytd, as_of)
        satisfaction_now = satisfaction_of(session, windows["current"], as_of)
        solve_now = solve_rate_of(session, windows["current"], as_of)
        solve_ytd = solve_rate_of(session, ytd, as_of)



    def module_block(m: Module) -> dict[str, Any]:
        st = states[m]
        active = sum(n for lv, n in st.by_level.items() if lv != Level.GREEN.value)
        to_green = days_to_green(db, m, ytd, as_of=as_of)
        return {"total": sum(st.by_level.values()), "by_level": st.by_level, "overdue": st.overdue,
                "overdue_share": ratio(st.overdue, active),
                "days_to_green_ytd": {lv: avg for lv, (avg, _n) in to_green.items()}}

    def satisfied(s: dict[str, int]) -> float | None:
        return ratio(s["satisfied"] + s["basic"], s["surveyed"])

    disputes = module_block(Module.DISPUTE)
    disputes.update({
        "converted": states[Module.DISPUTE].converted,
        "found": _period(found, windows),
        "resolved": _period(resolved, windows),
        "resolution_rate": resolution_now.rate,
        "resolution_rate_ytd": resolution_ytd.rate,
        "resolution": resolution_now.as_dict(),
        "resolution_text": resolution_now.text_zh(),
        "satisfaction_visits": satisfaction_now.as_dict(),
        "satisfaction_text": satisfaction_now.text_zh(),
        "satisfaction_rate": satisfied(sat_now),
        "satisfaction_rate_ytd": satisfied(sat_ytd),
        "converted_to_case": _period(converted, windows),
        "satisfaction": sat_now,
        "ytd": {"window": ytd.as_dict(), "found": found["ytd"], "resolved": resolved["ytd"],
                "satisfaction": sat_ytd},
    })
    cases = module_block(Module.CASE)
    cases.update({"criminal_solved": _period(solved, windows),
                  "administrative_handled": _period(handled, windows),
                  "solve_rate": solve_now.as_dict(), "solve_rate_ytd": solve_ytd.as_dict(),
                  "solve_rate_text": solve_now.text_zh()})
    return {
        "as_of": as_of.isoformat(),
        "station": None if station is None else {"uuid": station[0], "code": station[1], "name": station[2]},
        "cases": cases,
        "disputes": disputes,
        "persons": module_block(Module.PERSON),
    }
