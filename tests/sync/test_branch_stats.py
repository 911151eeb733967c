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
