"""Rows appended below the visible ones move the scroll bars without repainting the rows on screen
(issue 21 item 2: at 1M records a search's whole list, appended after its first page, repainted the
table's viewport a second time, 10 ms of 114 ms); rows appended in sight, and every other change of
the model, repaint as before."""
from __future__ import annotations

from functools import partial

import pytest
from PySide6.QtCore import QEvent, QObject

from app.domain.levels import Module
from app.services import tables
from app.services.tables import TableQuery
from ui.common.table_model import RecordTableModel
from ui.records.columns import model_columns
from ui.records.table_look import RecordsTable


class Paints(QObject):
    def __init__(self):
        super().__init__()
        self.count = 0

    def eventFilter(self, _obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def shown_table(qtbot, db, page_size: int, height: int) -> tuple[RecordsTable, RecordTableModel, Paints]:
    model = RecordTableModel(model_columns(Module.CASE), partial(tables.list_ids, db, Module.CASE),
                             partial(tables.fetch_rows, db, Module.CASE), TableQuery(), page_size=page_size,
                             first_ids=partial(tables.first_ids, db, Module.CASE))
    table = RecordsTable()
    qtbot.addWidget(table)
    table.setModel(model)
    table.verticalHeader().setDefaultSectionSize(20)
    table.resize(600, height)
    table.show()
    qtbot.waitExposed(table)
    qtbot.wait(20)  # the first layout and paint
    paints = Paints()
    table.viewport().installEventFilter(paints)
    return table, model, paints


@pytest.fixture
def large(monkeypatch):
    monkeypatch.setattr(tables, "FIRST_PAGE_FROM", 10)  # the station's tables count as large


def test_rows_appended_out_of_sight_move_only_the_scroll_bar(qtbot, station_db, large):
    table, model, paints = shown_table(qtbot, station_db, page_size=40, height=300)
    assert not model.ids_complete() and model.rowCount() == 40
    bottom = table.rowAt(table.viewport().height() - 1)
    assert 0 < bottom < 39  # the first page fills the viewport
    before = table.verticalScrollBar().maximum()
    model.complete_ids()
    assert table.quiet_layout_pending()
    qtbot.wait(30)
    assert model.rowCount() > 40
    assert paints.count == 0, "the rows on screen were repainted"
    assert not table.quiet_layout_pending()
    assert table.verticalScrollBar().maximum() > before  # the new rows can be scrolled to
    table.scrollToBottom()
    qtbot.waitUntil(lambda: paints.count > 0)
    assert table.rowAt(table.viewport().height() - 1) == model.rowCount() - 1


def test_rows_appended_in_sight_are_painted(qtbot, station_db, large):
    table, model, paints = shown_table(qtbot, station_db, page_size=3, height=600)
    assert model.rowCount() == 3 and table.rowAt(table.viewport().height() - 1) == -1
    model.complete_ids()
    assert not table.quiet_layout_pending()
    qtbot.waitUntil(lambda: paints.count > 0)
    assert table.rowAt(5 * 20 + 5) == 5  # a row appended in sight is laid out where it belongs


def test_a_reset_before_the_layout_still_repaints(qtbot, station_db, large):
    """A change of query (a reset) and rows appended before the table laid itself out again: the
    rows on screen changed, so they are repainted."""
    table, model, paints = shown_table(qtbot, station_db, page_size=40, height=300)
    model.set_query(TableQuery(descending=True))  # a reset, its layout not yet run
    model.complete_ids()
    assert not table.quiet_layout_pending()
    qtbot.waitUntil(lambda: paints.count > 0)


def settle_layouts() -> None:
    from PySide6.QtWidgets import QApplication

    for _ in range(4):
        QApplication.sendPostedEvents()


@pytest.mark.parametrize("module", list(Module))
def test_the_level_cards_keep_their_size_when_their_counts_arrive(qtbot, station_db, module):
    """The counts are read after the first paint: the cards and their counts ("…" until then) must
    keep their geometry, or the view lays out and repaints a third time (4 ms at 1M records)."""
    from ui.records.table_view import RecordTableView

    for width in (1366, 1920):
        view = RecordTableView(station_db, module)
        qtbot.addWidget(view)
        view.resize(width - 40, 700)
        view.show()
        qtbot.waitExposed(view)
        view.search.setText("")
        view._defer_counts()  # counts to come, as after a new query
        settle_layouts()  # posted events only: the counts' timer after the paint does not run

        def geometry(view=view):
            return {lv: (card.geometry(), card._count_label.geometry()) for lv, card in view.cards.items()}

        waiting = geometry()
        assert all(card._count_label.text() == "…" for card in view.cards.values())
        view._ensure_counts()
        settle_layouts()
        assert not view.counts_pending()
        assert any(card.count() for card in view.cards.values())
        assert geometry() == waiting
