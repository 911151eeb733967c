"""A large table opens on its first page and reads the whole id list after its first paint
(issue 21: at 1M records the id list alone took 0.5 s before anything was shown)."""
from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt

from app.domain.levels import Module
from app.services import tables
from app.services.tables import TableQuery
from ui.common.table_model import VIEW_PAGE_SIZE, RecordTableModel
from ui.records.columns import model_columns

DISPLAY = Qt.ItemDataRole.DisplayRole


def make(db, module=Module.CASE, query=None):
    return RecordTableModel(model_columns(module), partial(tables.list_ids, db, module),
                            partial(tables.fetch_rows, db, module), query or TableQuery(),
                            page_size=VIEW_PAGE_SIZE, first_ids=partial(tables.first_ids, db, module))


def test_a_large_table_shows_its_first_page_then_appends_the_rest(station_db, monkeypatch, qtbot):
    monkeypatch.setattr(tables, "FIRST_PAGE_FROM", 10)  # the station counts as large
    full = tables.list_ids(station_db, Module.CASE, TableQuery())
    assert len(full) > VIEW_PAGE_SIZE
    model = make(station_db)
    assert not model.ids_complete() and model.rowCount() == VIEW_PAGE_SIZE
    no_col = model.column_of("case_no")
    first = model.index(0, no_col).data(DISPLAY)
    assert first == tables.fetch_rows(station_db, Module.CASE, [full[0]])[0].values[no_col]
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.complete_ids()
    assert inserted.args[1:] == [VIEW_PAGE_SIZE, len(full) - 1]
    assert model.ids_complete() and model.rowCount() == len(full) and model.ids == full
    assert model.index(0, no_col).data(DISPLAY) == first  # the first page stayed where it was


def test_asking_for_the_ids_or_a_row_completes_the_list(station_db, monkeypatch):
    monkeypatch.setattr(tables, "FIRST_PAGE_FROM", 10)
    full = tables.list_ids(station_db, Module.CASE, TableQuery())
    model = make(station_db)
    assert model.row_of(full[-1]) == len(full) - 1 and model.ids_complete()
    model = make(station_db)
    assert list(model.ids) == list(full)


def test_a_small_table_or_a_search_reads_the_whole_list_at_once(station_db, monkeypatch):
    model = make(station_db)  # the demo station is far below FIRST_PAGE_FROM
    assert model.ids_complete() and model.rowCount() == len(tables.list_ids(station_db, Module.CASE, TableQuery()))
    monkeypatch.setattr(tables, "FIRST_PAGE_FROM", 10)
    q = TableQuery(text="路")
    model = make(station_db, query=q)
    assert model.ids_complete() and list(model.ids) == list(tables.list_ids(station_db, Module.CASE, q))


def test_the_view_counts_after_its_first_paint_with_the_whole_list(station_db, monkeypatch, qtbot):
    from ui.records.table_view import RecordTableView

    monkeypatch.setattr(tables, "FIRST_PAGE_FROM", 10)
    view = RecordTableView(station_db, Module.CASE)
    qtbot.addWidget(view)
    assert view.model.rowCount() == VIEW_PAGE_SIZE and view.total_label.text() == ""
    view.show()
    qtbot.waitUntil(lambda: not view.counts_pending())
    total = len(tables.list_ids(station_db, Module.CASE, TableQuery()))
    assert view.model.rowCount() == total == view.total()
    assert f"{total}" in view.total_label.text()
