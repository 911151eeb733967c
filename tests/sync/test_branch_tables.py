"""The branch console's record tables: two demo stations merged, a station column and a station filter."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from app.domain.levels import LEVEL_ORDER, Module
from app.services import tables
from app.services.tables import TableQuery
from app.store import SqliteStore
from models import Case, Dispute, Person, Station
from tests.sync.helpers import Net, demo_station

_MODELS = {Module.CASE: Case, Module.DISPUTE: Dispute, Module.PERSON: Person}


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    """A branch holding the full packages of two demo stations (seeds 1 and 2)."""
    folder = tmp_path_factory.mktemp("branch_tables")
    net = Net(SqliteStore(folder / "branch.db", create=True), folder / "carry")
    for seed in (1, 2):
        net.join(f"s{seed}", demo_station(folder / f"s{seed}.db", seed))
        assert net.send(f"s{seed}", full=True).status == "applied"
    yield net
    net.branch.close()
    for db in net.stations.values():
        db.close()


def _truth(db, module: Module) -> dict[int, Counter]:
    """Per station id, live (active/closed) records per level, counted straight from the table."""
    m = _MODELS[module]
    out: dict[int, Counter] = {}
    with db.read() as s:
        for sid, level, n in s.execute(select(m.station_id, m.level, func.count())
                                       .where(m.status.in_(sorted(tables.DEFAULT_STATUSES)))
                                       .group_by(m.station_id, m.level)):
            out.setdefault(sid, Counter())[level] = n
    return out


def test_station_column_is_additive():
    for module in Module:
        assert tables.columns_for(module) == tables.COLUMNS[module] == tables.columns(module)
        keys = [c.key for c in tables.columns_for(module, branch=True)]
        assert keys[:2] == ["level", "station"] and keys[2:] == [c.key for c in tables.COLUMNS[module][1:]]
    assert TableQuery().station_id is None


@pytest.mark.parametrize("module", list(Module))
def test_the_table_shows_both_stations_and_the_filter_narrows_to_one(merged, module):
    db = merged.branch
    stations = tables.list_stations(db)
    with db.read() as s:
        names = dict(s.execute(select(Station.id, Station.name)).all())
    assert len(stations) == 2 and dict(stations) == names and len(set(names.values())) == 2
    truth = _truth(db, module)
    assert set(truth) == set(names)        # both stations have records of this module

    ids = tables.list_ids(db, module, TableQuery())
    assert len(ids) == sum(sum(c.values()) for c in truth.values())
    rows = tables.fetch_rows(db, module, ids, branch=True)
    col = [c.key for c in tables.columns_for(module, branch=True)].index("station")
    assert Counter(r.values[col] for r in rows) == {names[sid]: sum(c.values()) for sid, c in truth.items()}
    # Without `branch` the rows are a station's rows: no station column.
    assert len(tables.fetch_rows(db, module, ids[:5])[0].values) == len(tables.COLUMNS[module])

    for sid, name in stations:
        q = TableQuery(station_id=sid)
        only = tables.list_ids(db, module, q)
        assert 0 < len(only) < len(ids) and len(only) == sum(truth[sid].values())
        assert {r.values[col] for r in tables.fetch_rows(db, module, only, branch=True)} == {name}
        counts = tables.level_counts(db, module, q)
        assert counts == {lv: truth[sid][lv.value] for lv in LEVEL_ORDER}
        # The filter composes with the others (level, overdue) instead of replacing them.
        red = tables.list_ids(db, module, TableQuery(station_id=sid, levels=frozenset({"red"})))
        assert len(red) == truth[sid]["red"]
    total = tables.level_counts(db, module, TableQuery())
    assert total == {lv: sum(c[lv.value] for c in truth.values()) for lv in LEVEL_ORDER}


def test_sorting_by_station_groups_the_stations(merged):
    db = merged.branch
    ids = tables.list_ids(db, "case", TableQuery(sort_key="station"))
    col = [c.key for c in tables.columns_for("case", branch=True)].index("station")
    names = [r.values[col] for r in tables.fetch_rows(db, "case", ids, branch=True)]
    assert names == sorted(names) and len(set(names)) == 2
    down = tables.list_ids(db, "case", TableQuery(sort_key="station", descending=True))
    assert [r.values[col] for r in tables.fetch_rows(db, "case", down[:1], branch=True)] == [names[-1]]
    exported = list(tables.iter_export_rows(db, "case", ids[:10], branch=True))
    assert [r.values[col] for r in exported] == names[:10]


def test_a_station_lists_only_itself(db, station):
    assert tables.list_stations(db) == [(station.leader.station_id, "城关派出所")]
