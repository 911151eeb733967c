"""The branch console's record table: a 派出所 column and a station filter over two merged stations."""
from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import Qt

from app.domain.levels import LEVEL_ORDER, Module
from app.services import tables
from app.services.tables import TableQuery
from app.store import SqliteStore
from tests.sync.helpers import Net, demo_station


@pytest.fixture(scope="module")
def branch_path(tmp_path_factory):
    folder = tmp_path_factory.mktemp("branch_console")
    net = Net(SqliteStore(folder / "branch.db", create=True), folder / "carry")
    for seed in (3, 4):
        net.join(f"s{seed}", demo_station(folder / f"s{seed}.db", seed))
        assert net.send(f"s{seed}", full=True).status == "applied"
    for db in (net.branch, *net.stations.values()):
        db.close()
    return folder / "branch.db"


@pytest.fixture
def branch_db(branch_path):
    db = SqliteStore(branch_path)
    yield db
    db.close()


def _view(qtbot, db, module=Module.CASE):
    from ui.records.table_view import RecordTableView

    view = RecordTableView(db, module)
    qtbot.addWidget(view)
    return view


def _column_texts(view, key: str) -> list[str]:
    col = view.model.column_of(key)
    return [view.model.index(r, col).data() for r in range(view.model.rowCount())]


@pytest.mark.parametrize("module", [Module.CASE, Module.PERSON])
def test_branch_table_shows_station_column_and_filters_by_station(qtbot, branch_db, module):
    view = _view(qtbot, branch_db, module)
    assert view.branch and view.station is not None
    headers = [view.model.headerData(i, Qt.Orientation.Horizontal) for i in range(view.model.columnCount())]
    assert headers[1] == "派出所"
    stations = tables.list_stations(branch_db)
    assert [view.station.itemText(i) for i in range(view.station.count())] == ["全部派出所"] + [n for _i, n in stations]
    everything = Counter(_column_texts(view, "station"))
    assert set(everything) == {n for _i, n in stations}
    assert view.total() == sum(everything.values())

    for i, (sid, name) in enumerate(stations, start=1):
        view.station.setCurrentIndex(i)           # the combo re-queries at once
        assert view.model.query.station_id == sid
        assert set(_column_texts(view, "station")) == {name}
        assert view.total() == everything[name] < sum(everything.values())
        counts = tables.level_counts(branch_db, module, TableQuery(station_id=sid))
        assert {lv: view.cards[lv].count() for lv in LEVEL_ORDER} == counts
        assert sum(counts.values()) == everything[name]

    view.clear_filters()
    assert view.station.currentIndex() == 0 and view.model.query.station_id is None
    assert view.total() == sum(everything.values())


def test_sorting_by_the_station_column(qtbot, branch_db):
    view = _view(qtbot, branch_db)
    view.table.sortByColumn(view.model.column_of("station"), Qt.SortOrder.AscendingOrder)
    assert view.model.query.sort_key == "station"
    names = _column_texts(view, "station")
    assert names == sorted(names) and len(set(names)) == 2


def test_a_station_table_has_no_station_column_or_filter(qtbot, db, station):
    view = _view(qtbot, db)
    assert not view.branch and view.station is None
    assert "station" not in [c.key for c in view.model.columns()]
    assert view.table.horizontalHeader().count() == len(tables.COLUMNS[Module.CASE])
