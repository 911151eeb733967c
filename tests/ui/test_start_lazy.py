"""What the first window does before it paints: one table, counts after the paint, no workstation."""
from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject

from app.domain.levels import LEVEL_ORDER, Module
from app.services import tables
from app.services.tables import TableQuery
from ui.common.table_model import VIEW_PAGE_SIZE
from ui.main_window import MainWindow
from ui.records.table_view import RecordTableView


def test_only_the_table_in_front_is_built_at_start(configured_app, station_path, qtbot):
    from ui.main import open_window

    win = open_window(str(station_path))
    qtbot.addWidget(win)
    assert list(win.views.built) == [Module.CASE]
    assert [win.tabs.tabText(i) for i in range(win.tabs.count())] == ["案件", "矛盾纠纷", "重点人员"]
    assert not isinstance(win.tabs.widget(2), RecordTableView)
    win.tabs.setCurrentIndex(2)
    person = win.tabs.currentWidget()
    assert isinstance(person, RecordTableView) and person.module == Module.PERSON
    assert win.views[Module.PERSON] is person and win.tabs.currentIndex() == 2
    assert person.total() == len(tables.list_ids(win.database, Module.PERSON, TableQuery()))
    assert win.count_label.text().startswith("重点人员：显示 ")
    assert set(win.views.built) == {Module.CASE, Module.PERSON}
    dispute = win.views[Module.DISPUTE]  # asked for: built where its tab is, the front tab unchanged
    assert win.tabs.widget(1) is dispute and win.tabs.currentIndex() == 2
    win.database.close()


def test_counts_load_after_the_paint_or_when_read(configured_app, station_path, qtbot):
    from app.store import SqliteStore

    db = SqliteStore(station_path)
    try:
        painted = []

        class Spy(QObject):
            def eventFilter(self, obj, event):
                if event.type() == QEvent.Type.Paint:
                    painted.append(view.counts_pending())
                return False

        view = RecordTableView(db, Module.CASE)
        qtbot.addWidget(view)
        spy = Spy()
        view.table.viewport().installEventFilter(spy)
        assert view.counts_pending()
        assert all(card._count_label.text() == "…" for card in view.cards.values())
        view.resize(1200, 700)
        view.show()
        qtbot.waitUntil(lambda: not view.counts_pending(), timeout=5000)
        assert painted and painted[0] is True  # the rows painted before the counts were read
        counts = tables.level_counts(db, Module.CASE, TableQuery())
        assert {lv: view.cards[lv].count() for lv in LEVEL_ORDER} == counts

        hidden = RecordTableView(db, Module.DISPUTE)  # never shown: reading a count reads them
        qtbot.addWidget(hidden)
        assert hidden.counts_pending()
        expected = tables.level_counts(db, Module.DISPUTE, TableQuery())
        assert hidden.cards[LEVEL_ORDER[0]].count() == expected[LEVEL_ORDER[0]]
        assert not hidden.counts_pending()
        assert hidden.overdue_count() == sum(tables.level_counts(
            db, Module.DISPUTE, TableQuery(overdue_only=True)).values())
    finally:
        db.close()


def test_the_workstation_is_made_on_first_use_and_shared(configured_app, station_path, qtbot):
    from app.store import SqliteStore

    db = SqliteStore(station_path)
    try:
        win = MainWindow(db)
        qtbot.addWidget(win)
        assert win._workstation is None
        cases = win.views[Module.CASE]
        assert cases.action_buttons["new"].isEnabled()  # from the acting role, before it exists
        ws = cases.workstation
        assert win._workstation is ws and win.workstation is ws
        persons = win.views[Module.PERSON]
        assert persons.workstation is ws  # a table built later joins the same one
        assert "ui.records.workstation" in sys.modules
    finally:
        db.close()


def test_pyside_import_hook_reads_no_source_into_linecache(tmp_path):
    import linecache

    from ui.common import pyside_hook

    assert pyside_hook.install()  # this PySide6 keeps the check where we replace it
    uses = tmp_path / "uses_qt.py"
    uses.write_text("from PySide6.QtCore import Qt\n", encoding="utf-8")
    plain = tmp_path / "plain.py"
    plain.write_text("x = 1\n", encoding="utf-8")

    class Mod:
        def __init__(self, path):
            self.__file__ = str(path)

    assert pyside_hook._mod_uses_pyside(Mod(uses)) is True
    assert pyside_hook._mod_uses_pyside(Mod(plain)) is False
    assert pyside_hook._mod_uses_pyside(Mod(tmp_path / "gone.py")) is False
    assert str(uses) not in linecache.cache and str(plain) not in linecache.cache


def test_a_large_table_s_window_paints_before_reading_its_whole_id_list(configured_app, station_path, qtbot,
                                                                         monkeypatch):
    from app.store import SqliteStore

    monkeypatch.setattr(tables, "FIRST_PAGE_FROM", 10)  # the station's cases count as a large table
    db = SqliteStore(station_path)
    try:
        win = MainWindow(db)
        qtbot.addWidget(win)
        view = win.views[Module.CASE]
        at_paint = []

        class Spy(QObject):
            def eventFilter(self, obj, event):
                if event.type() == QEvent.Type.Paint and not at_paint:
                    at_paint.append((view.model.ids_complete(), win.count_label.text()))
                return False

        spy = Spy()
        view.table.viewport().installEventFilter(spy)
        assert not view.model.ids_complete()  # the status bar did not ask for the count while building
        win.resize(1200, 700)
        win.show()
        qtbot.waitUntil(lambda: not view.counts_pending(), timeout=5000)
        assert at_paint and at_paint[0] == (False, "")  # the first page painted, the count still to come
        total = len(tables.list_ids(db, Module.CASE, TableQuery()))
        assert view.model.rowCount() == total
        assert win.count_label.text().startswith(f"案件：显示 {total} 条")  # brought by totals_changed
        win.close()
    finally:
        db.close()


def test_a_large_table_s_rows_paint_once_for_a_search(configured_app, station_path, qtbot, monkeypatch):
    """A search of a large table paints its first page, then reads its whole list and counts: the
    rows are painted once (they were laid out after the first paint and repainted, then repainted
    again when the rest of the list was appended out of sight); the scroll bar reaches them all."""
    from app.store import SqliteStore

    monkeypatch.setattr(tables, "FIRST_PAGE_FROM", 10)  # the station's cases count as a large table
    db = SqliteStore(station_path)
    try:
        view = RecordTableView(db, Module.CASE)
        qtbot.addWidget(view)
        view.resize(1200, 700)
        view.show()
        qtbot.waitUntil(lambda: not view.counts_pending(), timeout=5000)
        qtbot.wait(50)
        term = next(t for t in ("盗", "路", "区") if len(tables.list_ids(db, Module.CASE, TableQuery(text=t)))
                    > VIEW_PAGE_SIZE)
        painted: list[bool] = []

        class Spy(QObject):
            def eventFilter(self, obj, event):
                if event.type() == QEvent.Type.Paint:
                    painted.append(view.model.ids_complete())
                return False

        spy = Spy()
        view.table.viewport().installEventFilter(spy)
        view.search.setText(term)
        view.apply_filters()
        assert not view.model.ids_complete()  # the first page alone
        qtbot.waitUntil(lambda: not view.counts_pending(), timeout=5000)
        qtbot.wait(100)  # every repaint it causes
        assert view.model.rowCount() == len(tables.list_ids(db, Module.CASE, TableQuery(text=term)))
        assert painted == [False], painted
        view.table.scrollToBottom()
        qtbot.waitUntil(lambda: len(painted) > 1)
        assert view.table.rowAt(view.table.viewport().height() - 1) == view.model.rowCount() - 1
    finally:
        db.close()
