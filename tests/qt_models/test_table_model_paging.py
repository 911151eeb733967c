"""The view's model keeps the last row it answered for and binds its labels to one language."""
from __future__ import annotations

from dataclasses import replace
from functools import partial

from PySide6.QtCore import QLocale, Qt

from app.domain.levels import Module
from app.services import tables
from app.services.tables import TableQuery
from ui.common.table_model import VIEW_PAGE_SIZE, RecordTableModel
from ui.records.columns import model_columns

DISPLAY = Qt.ItemDataRole.DisplayRole


def make(db, module=Module.CASE, query=None):
    return RecordTableModel(model_columns(module), partial(tables.list_ids, db, module),
                            partial(tables.fetch_rows, db, module), query or TableQuery(),
                            page_size=VIEW_PAGE_SIZE)


def test_a_new_query_never_answers_with_the_previous_rows(station_db):
    model = make(station_db)
    no_col = model.column_of("case_no")
    first = model.index(0, no_col).data(DISPLAY)
    assert first  # now the model keeps row 0's entry
    model.set_query(replace(model.query, sort_key="case_no", descending=True))
    expected = tables.fetch_rows(station_db, Module.CASE, [model.ids[0]])[0].values[no_col]
    assert model.index(0, no_col).data(DISPLAY) == expected != first
    model.sort(no_col, Qt.SortOrder.AscendingOrder)
    expected = tables.fetch_rows(station_db, Module.CASE, [model.ids[0]])[0].values[no_col]
    assert model.index(0, no_col).data(DISPLAY) == expected


def test_rows_on_either_side_of_a_page_boundary_are_their_own(station_db):
    model = make(station_db)
    assert model.rowCount() > VIEW_PAGE_SIZE + 1
    no_col = model.column_of("case_no")
    for row in (VIEW_PAGE_SIZE - 1, VIEW_PAGE_SIZE, 0, VIEW_PAGE_SIZE):
        expected = tables.fetch_rows(station_db, Module.CASE, [model.ids[row]])[0].values[no_col]
        assert model.index(row, no_col).data(DISPLAY) == expected


def test_an_invalid_index_has_no_data(station_db):
    model = make(station_db)
    assert model.data(model.index(-1, 0), DISPLAY) is None
    assert model.data(model.index(model.rowCount(), 0), DISPLAY) is None


def test_labels_follow_the_language_the_columns_were_made_in(station_db):
    zh = make(station_db)
    QLocale.setDefault(QLocale("en_US"))
    try:
        en = make(station_db)
    finally:
        QLocale.setDefault(QLocale("zh_CN"))
    level = zh.column_of("level")
    status = zh.column_of("status")
    assert zh.index(0, level).data(DISPLAY) in {"红色", "橙色", "黄色", "绿色"}
    assert en.index(0, level).data(DISPLAY).lower() in {"red", "orange", "yellow", "green"}
    assert zh.index(0, status).data(DISPLAY) != en.index(0, status).data(DISPLAY)
