"""RecordTableModel over the real table service: Qt's model checks, paging, roles and SQL sorting."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import partial

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QIcon
from PySide6.QtWidgets import QTableView
from sqlalchemy import event

from app.domain.levels import Level, Module
from app.services import tables
from app.services.tables import TableQuery, TableRow
from ui.common import roles
from ui.common.table_model import RecordTableModel
from ui.common.theme import Theme
from ui.records.columns import model_columns

MODULES = (Module.CASE, Module.DISPUTE, Module.PERSON)
Q = Qt.ItemDataRole


class Counting:
    """Wraps the row service and remembers every page asked for."""

    def __init__(self, db, module):
        self.fetch = partial(tables.fetch_rows, db, module)
        self.calls: list[list[int]] = []

    def __call__(self, ids):
        self.calls.append(list(ids))
        return self.fetch(ids)


def make_model(db, module, query=None, **kwargs):
    counting = Counting(db, module)
    model = RecordTableModel(model_columns(module), partial(tables.list_ids, db, module), counting,
                             query or TableQuery(), **kwargs)
    return model, counting


class SqlCounter:
    """Counts the statements the database engine runs while it is active."""

    def __init__(self, db):
        self.engine = db.engine
        self.count = 0

    def _on(self, *_args):
        self.count += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._on)
        return self

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._on)


@pytest.mark.parametrize("module", MODULES)
def test_qt_model_checks_pass_on_every_module(qtmodeltester, station_db, module):
    model, _ = make_model(station_db, module)
    assert model.rowCount() > 0
    qtmodeltester.check(model)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.set_query(replace(model.query, levels=frozenset({"red"})))
    qtmodeltester.check(model)


def test_row_count_matches_the_service(station_db):
    for module in MODULES:
        model, _ = make_model(station_db, module)
        expected = sum(tables.level_counts(station_db, module, TableQuery()).values())
        assert model.rowCount() == expected == len(tables.list_ids(station_db, module, TableQuery()))
        assert model.columnCount() == len(tables.columns(module))


def test_first_paint_fetches_one_page_and_cached_data_never_touches_the_database(qtbot, station_db):
    model, counting = make_model(station_db, Module.CASE, page_size=32)
    assert model.rowCount() > 64, "the demo station should have more than two pages of cases"
    assert counting.calls == []  # building the model reads ids only
    view = QTableView()
    view.verticalHeader().hide()
    view.setModel(model)
    view.resize(1280, 400)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: len(counting.calls) > 0)  # the first paint
    qtbot.wait(50)  # and whatever else the event loop does before settling
    assert len(counting.calls) == 1
    assert counting.calls[0] == list(model.ids[:32])

    visible_rows = range(min(32, model.rowCount()))
    all_roles = [Q.DisplayRole, Q.BackgroundRole, Q.ForegroundRole, Q.FontRole, Q.TextAlignmentRole,
                 Q.DecorationRole, Q.ToolTipRole, Q.SizeHintRole, Q.CheckStateRole,
                 roles.SortRole, roles.RowRole, roles.LevelRole]
    with SqlCounter(station_db) as sql:
        for _ in range(3):  # three "frames"
            for r in visible_rows:
                for c in range(model.columnCount()):
                    for role in all_roles:
                        model.data(model.index(r, c), role)
            view.viewport().repaint()
    assert sql.count == 0
    assert len(counting.calls) == 1

    model.data(model.index(40, 1))  # the second page
    assert len(counting.calls) == 2 and counting.calls[1] == list(model.ids[32:64])


def test_unused_roles_return_before_any_fetch(station_db):
    model, counting = make_model(station_db, Module.CASE)
    for role in (Q.SizeHintRole, Q.CheckStateRole, Q.WhatsThisRole, Q.EditRole):
        assert model.data(model.index(0, 0), role) is None
    assert counting.calls == []


def test_the_page_cache_is_a_bounded_lru(station_db):
    model, counting = make_model(station_db, Module.CASE, page_size=16, max_pages=2)
    assert model.rowCount() > 48
    for row in (0, 20, 0, 40, 0, 20):
        model.data(model.index(row, 0))
    # pages 0, 1 fetched; 0 is hit and stays fresh; 2 evicts 1; 0 is hit; 1 is fetched again
    assert [ids[0] for ids in counting.calls] == [model.ids[0], model.ids[16], model.ids[32], model.ids[16]]


def test_roles_give_native_values_rows_levels_and_theme_brushes(station_db):
    theme = Theme("light")
    model, _ = make_model(station_db, Module.CASE, theme=theme)
    level_col, due_col = model.column_of("level"), model.column_of("next_due")
    accepted_col = model.column_of("accepted_on")
    for r in range(min(50, model.rowCount())):
        row = model.data(model.index(r, 0), roles.RowRole)
        assert isinstance(row, TableRow) and row.id == model.ids[r]
        assert model.data(model.index(r, 3), roles.LevelRole) == row.level
        assert model.data(model.index(r, accepted_col), roles.SortRole) == row.values[accepted_col]
        assert isinstance(model.data(model.index(r, accepted_col), roles.SortRole), date)
        assert model.data(model.index(r, level_col), roles.SortRole) == Level(row.level).rank
        brush = model.data(model.index(r, 2), Q.BackgroundRole)
        assert isinstance(brush, QBrush) and brush.color() == theme.level_background(row.level).color()
        # the level's name is in its own column, with a colour chip beside it: never colour alone
        assert model.data(model.index(r, level_col), Q.DisplayRole) == Level(row.level).zh
        assert isinstance(model.data(model.index(r, level_col), Q.DecorationRole), QIcon)
        assert model.data(model.index(r, due_col), Q.DisplayRole) == (
            row.values[due_col].isoformat() if row.values[due_col] else "")


def test_overdue_due_dates_are_marked_beyond_the_colour(station_db):
    query = TableQuery(overdue_only=True)
    model, _ = make_model(station_db, Module.CASE, query, theme=Theme("light"))
    assert model.rowCount() > 0, "the demo station should have overdue cases"
    due = model.column_of("next_due")
    index = model.index(0, due)
    assert model.data(index, roles.RowRole).overdue
    assert model.data(index, Q.ForegroundRole).color().name().upper() == "#B3261E"
    assert model.data(index, Q.FontRole).bold()
    assert isinstance(model.data(index, Q.DecorationRole), QIcon)
    assert "已超期" in model.data(index, Q.ToolTipRole)
    other = model.index(0, model.column_of("officer"))
    assert model.data(other, Q.FontRole) is None and model.data(other, Q.DecorationRole) is None

    plain, _ = make_model(station_db, Module.CASE, TableQuery(levels=frozenset({"green"})))
    if plain.rowCount():
        cell = plain.index(0, due)
        assert not plain.data(cell, roles.RowRole).overdue and plain.data(cell, Q.FontRole) is None


@pytest.mark.parametrize("key", ["case_no", "accepted_on", "officer", "next_due", "level"])
def test_sort_requeries_ids_in_sql(station_db, key):
    model, counting = make_model(station_db, Module.CASE)
    column = model.column_of(key)
    model.sort(column, Qt.SortOrder.DescendingOrder)
    expected = tables.list_ids(station_db, Module.CASE, TableQuery(sort_key=key, descending=True))
    assert list(model.ids) == list(expected)
    assert model.query.sort_key == key and model.query.descending
    model.sort(column, Qt.SortOrder.AscendingOrder)
    assert list(model.ids) == list(tables.list_ids(station_db, Module.CASE, TableQuery(sort_key=key)))


def test_sort_keeps_the_selected_record_selected(station_db):
    model, _ = make_model(station_db, Module.CASE)
    target_row = 5
    record_id = model.ids[target_row]
    persistent = QPersistentModelIndex(model.index(target_row, 2))
    with_signals = []
    model.layoutChanged.connect(lambda *a: with_signals.append("layout"))
    model.modelReset.connect(lambda *a: with_signals.append("reset"))
    model.sort(model.column_of("case_no"), Qt.SortOrder.DescendingOrder)
    assert with_signals == ["layout"]
    assert persistent.isValid() and persistent.column() == 2
    assert model.ids[persistent.row()] == record_id


def test_an_unsortable_column_or_the_same_order_does_nothing(station_db):
    model, _ = make_model(station_db, Module.PERSON)
    before = list(model.ids)
    calls = []
    model.layoutChanged.connect(lambda *a: calls.append(1))
    model.sort(model.column_of("id_number"), Qt.SortOrder.AscendingOrder)  # masked: not sortable
    model.sort(model.column_of("level"), Qt.SortOrder.AscendingOrder)  # already so
    assert calls == [] and list(model.ids) == before


def test_set_query_resets_and_filters(qtbot, station_db):
    model, counting = make_model(station_db, Module.CASE)
    model.data(model.index(0, 0))
    red = replace(model.query, levels=frozenset({"red"}))
    with qtbot.waitSignal(model.modelReset):
        model.set_query(red)
    assert model.rowCount() == tables.level_counts(station_db, Module.CASE, TableQuery())[Level.RED]
    assert {model.data(model.index(r, 0), roles.LevelRole) for r in range(model.rowCount())} == {"red"}
    assert counting.calls[-1] == list(model.ids[:256])  # the old page was dropped, not reused


def test_header_texts_are_chinese_and_vertical_headers_empty(station_db):
    model, _ = make_model(station_db, Module.DISPUTE)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:3] == ["等级", "纠纷编号", "纠纷类别"]
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.data(QModelIndex()) is None
