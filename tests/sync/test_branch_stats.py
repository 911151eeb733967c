"""The "state as of a day" engine (stats.state_select: levels, overdue, due dates) on a branch
database, SQLite and PostgreSQL: a branch holding one station's package gives the station's own
figures (the SQL uses no SQLite-only function: dates are added by constructs compiled per dialect)."""
from __future__ import annotations

from datetime import date

from app.domain.levels import Module
from app.services import trends as T
from app.services.settings import load_cadence
from app.services.stats import state_counts
from tests.sync.helpers import AS_OF, Net, demo_station


def figures(db) -> dict:
    out = {}
    with db.read() as s:
        cadence = load_cadence(s)
        for module in Module:
            for day in (date(2025, 12, 31), date(2026, 6, 30), AS_OF):
                st = state_counts(s, module, day, cadence)
                states = T.record_states(s, module, day, cadence=cadence)
                dues = sorted((str(x.due), x.level, x.overdue) for x in states.values())
                out[(module, day)] = (st.by_level, st.overdue, st.converted, dues)
    for module in Module:
        tr = T.overdue_series(db, module, "month", start=date(2025, 11, 1), as_of=AS_OF)
        out[(module, "series")] = tuple(s.values for s in tr.series)
    return out


def test_branch_figures_equal_the_station_figures(branch, tmp_path):
    net = Net(branch, tmp_path / "carry")
    station = net.join("s1", demo_station(tmp_path / "s1.db", seed=4))
    net.deliver(net.export("s1"))
    expected = figures(station)
    assert sum(v[1] for k, v in expected.items() if k[1] != "series") > 0  # some records are overdue
    assert figures(branch) == expected


def chart_figures(db) -> dict:
    """Every dashboard series, for every grain, as plain values (record ids differ between the
    station and the branch; these figures must not)."""
    out = {}
    for module in Module:
        for grain in T.GRAINS:
            start = {"day": date(2026, 10, 1), "week": date(2026, 6, 1)}.get(grain, date(2024, 1, 1))
            kw = {"start": start, "as_of": AS_OF}
            events = ("new", "closed", "solved") if module == Module.CASE else ("new", "closed")
            trends = [T.event_series(db, module, events, grain, **kw),
                      T.event_series(db, module, ("new",), grain, by="level", **kw),
                      T.level_series(db, module, grain, **kw),
                      T.days_to_green_series(db, module, grain, **kw),
                      T.last_year_series(db, module, "closed", grain, **kw)]
            for tr in trends:
                out[(module, grain, tr.spec.kind, tr.spec.by)] = (
                    tuple(p.start for p in tr.periods), tuple((s.key, s.values) for s in tr.series))
            out[(module, grain, "compare")] = T.compare(db, module, "new", grain, AS_OF).as_dict()
    return out


def test_branch_charts_equal_the_station_charts(branch, tmp_path):
    """Bucketing by day/week/month/quarter/year and days-to-green arithmetic compile for SQLite and
    PostgreSQL alike: the branch's charts of one station are that station's charts."""
    net = Net(branch, tmp_path / "carry")
    station = net.join("s1", demo_station(tmp_path / "s1.db", seed=4))
    net.deliver(net.export("s1"))
    expected = chart_figures(station)
    nonzero = sum(1 for v in expected.values() if isinstance(v, tuple) and any(any(x for x in vals if x) for _k, vals in v[1]))
    assert nonzero > 50  # the comparison is about real counts
    assert chart_figures(branch) == expected
