"""The report pack at a branch office: counts summed over every station, each record listed with its station."""
from __future__ import annotations

import pytest

from app.reports import data
from app.reports.pack import build_report
from app.store import SqliteStore
from tests.sync.helpers import AS_OF, Net, demo_station

DAY = AS_OF.isoformat()


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    folder = tmp_path_factory.mktemp("branch_reports")
    net = Net(SqliteStore(folder / "branch.db", create=True), folder / "carry")
    for seed in (1, 2):
        net.join(f"s{seed}", demo_station(folder / f"s{seed}.db", seed))
        assert net.send(f"s{seed}", full=True).status == "applied"
    yield net
    for db in (net.branch, *net.stations.values()):
        db.close()


def _table(report, title_start: str):
    return next(t for t in report.all_tables() if t.title.startswith(title_start))


def test_scope(merged):
    assert data.scope(merged.branch) == data.Scope(True, "东湖分局", 2)
    st = data.scope(merged.stations["s1"])
    assert not st.branch and st.stations == 1 and st.name


def test_red_list_holds_every_stations_red_records_with_the_station(merged):
    branch = build_report(merged.branch, "red", DAY, today=AS_OF)
    assert branch.station == "东湖分局（2个派出所汇总）"
    per_station = {n: build_report(db, "red", DAY, today=AS_OF) for n, db in merged.stations.items()}
    for i, table in enumerate(branch.all_tables()):
        assert [c.key for c in table.columns][:3] == ["module", "station", "label"]
        got = sorted((r[1], r[2]) for r in table.rows)
        want = sorted((rep.station, r[1]) for rep in per_station.values() for r in rep.all_tables()[i].rows)
        assert got == want
    assert len({r[1] for t in branch.all_tables() for r in t.rows}) == 2   # both stations have red records
    for rep in per_station.values():   # a station's own list has no station column
        assert "station" not in [c.key for c in rep.all_tables()[0].columns]


def test_morning_overview_sums_the_stations(merged):
    branch = _table(build_report(merged.branch, "morning", DAY, today=AS_OF), "各类预警等级")
    stations = [_table(build_report(db, "morning", DAY, today=AS_OF), "各类预警等级")
                for db in merged.stations.values()]
    keys = [c.key for c in branch.columns]
    for row_i, row in enumerate(branch.rows):
        for key in ("red", "orange", "yellow", "green", "active", "overdue"):
            k = keys.index(key)
            assert row[k] == sum(t.rows[row_i][k] for t in stations), (row[0], key)
    assert all(t.rows[0][keys.index("active")] > 0 for t in stations)   # both stations count


def test_accountability_names_each_stations_teams(merged):
    branch = build_report(merged.branch, "accountability", "2026-10", today=AS_OF)
    stations = {n: build_report(db, "accountability", "2026-10", today=AS_OF) for n, db in merged.stations.items()}
    officers = branch.all_tables()[0]
    assert len(officers.rows) == sum(len(r.all_tables()[0].rows) for r in stations.values())
    names = {rep.station for rep in stations.values()}
    assert {row[0].split("·")[0] for row in officers.rows} == names
    teams = _table(branch, "各队")
    want = sorted(f"{rep.station}·{row[0]}" for rep in stations.values() for row in _table(rep, "各队").rows
                  if not row[0].startswith("（"))
    assert sorted(r[0] for r in teams.rows if not r[0].startswith("（")) == want
    k = [c.key for c in teams.columns].index("active")
    assert sum(r[k] for r in teams.rows) == sum(r[k] for rep in stations.values() for r in _table(rep, "各队").rows)
