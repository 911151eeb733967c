"""The first window on a demo station: tabs, row counts against SQL, sorting, filters, banner."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from sqlalchemy import text

from app.domain.levels import LEVEL_ORDER, Level, Module
from app.services import org, tables
from app.services.tables import TableQuery
from app.store import SqliteStore
from ui.common import roles

ROOT = Path(__file__).resolve().parents[2]
TABLE = {Module.CASE: "case_record", Module.DISPUTE: "dispute", Module.PERSON: "person"}


def sql_count(db, module, where: str = "status IN ('active', 'closed')") -> int:
    with db.read() as session:
        return session.execute(text(f"SELECT count(*) FROM {TABLE[module]} WHERE {where}")).scalar_one()


def first_ids(view, n=20) -> list[int]:
    return [view.model.data(view.model.index(r, 0), roles.RowRole).id for r in range(min(n, view.model.rowCount()))]


def click_header(qtbot, view, key: str) -> None:
    header = view.table.horizontalHeader()
    col = view.model.column_of(key)
    x = header.sectionViewportPosition(col) + header.sectionSize(col) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def type_chinese(widget, value: str) -> None:
    """QTest key clicks are Latin-1 only; Chinese arrives as an input-method commit."""
    event = QInputMethodEvent("", [])
    event.setCommitString(value)
    QApplication.sendEvent(widget, event)


def test_three_tabs_with_the_rows_sql_counts(window):
    db = window.database
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == ["案件", "矛盾纠纷", "重点人员"]
    info = org.station_info(db)
    assert info.name in window.windowTitle()
    for module, view in window.views.items():
        expected = sql_count(db, module)
        assert expected > 0
        assert view.model.rowCount() == expected
        counts = tables.level_counts(db, module, TableQuery())
        for level in LEVEL_ORDER:
            assert view.cards[level].count() == counts[level] == sql_count(
                db, module, f"status IN ('active', 'closed') AND level = '{level.value}'")
        assert f"共 {expected} 条" in view.total_label.text()
    assert f"显示 {sql_count(db, Module.CASE)} 条" in window.count_label.text()
    assert str(db.path) in window.path_label.text()
    window.tabs.setCurrentIndex(2)
    assert window.count_label.text().startswith("重点人员：显示 " + str(sql_count(db, Module.PERSON)))


def test_the_legend_explains_each_level_in_the_modules_own_words(window):
    case_red = window.views[Module.CASE].cards[Level.RED]
    person_red = window.views[Module.PERSON].cards[Level.RED]
    assert case_red._meaning.text() == "有条件破案" and case_red._title.text() == "红色"
    assert person_red._meaning.text().startswith("重大刑事前科")
    assert window.views[Module.DISPUTE].cards[Level.GREEN]._meaning.text() == "调解完成"
    assert window.views[Module.PERSON].cards[Level.RED].count_text().endswith("人")


def test_the_demo_banner_is_visible(window):
    assert window.is_demo
    assert window.banner.isVisible()
    assert "演示数据库" in window.banner.text() and "虚构" in window.banner.text()


def test_no_banner_on_a_real_station(configured_app, tmp_path, qtbot):
    from ui.main_window import MainWindow

    db = SqliteStore(tmp_path / "real.db", create=True)
    try:
        org.init_station(db, "城关派出所")
        win = MainWindow(db)
        qtbot.addWidget(win)
        win.show()
        assert not win.banner.isVisible()
        assert all(v.model.rowCount() == 0 for v in win.views.values())
    finally:
        db.close()


def test_clicking_headers_sorts_in_sql(window, qtbot):
    view = window.views[Module.CASE]
    db = window.database
    for key in ("accepted_on", "officer"):
        click_header(qtbot, view, key)
        header = view.table.horizontalHeader()
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        assert view.model.query.sort_key == key and view.model.query.descending == descending
        expected = tables.list_ids(db, Module.CASE, TableQuery(sort_key=key, descending=descending))
        assert first_ids(view) == list(expected[:20])
        click_header(qtbot, view, key)  # the other way round
        expected = tables.list_ids(db, Module.CASE, TableQuery(sort_key=key, descending=not descending))
        assert view.model.query.descending == (not descending)
        assert first_ids(view) == list(expected[:20])
    before = view.model.query
    click_header(qtbot, view, "summary")  # free text: not sortable, the order stays
    assert view.model.query == before
    assert view.table.horizontalHeader().sortIndicatorSection() == view.model.column_of("officer")


def test_the_level_filter_changes_the_rows_and_the_counts(window, qtbot):
    view = window.views[Module.CASE]
    db = window.database
    total = view.model.rowCount()
    red = view.cards[Level.RED].count()
    assert red > 0
    qtbot.mouseClick(view.cards[Level.RED], Qt.MouseButton.LeftButton)
    assert not view.cards[Level.RED].isChecked()
    assert view.model.rowCount() == total - red == sql_count(
        db, Module.CASE, "status IN ('active', 'closed') AND level != 'red'")
    shown_levels = {view.model.data(view.model.index(r, 0), roles.LevelRole) for r in range(view.model.rowCount())}
    assert "red" not in shown_levels
    assert f"共 {total - red} 条" in view.total_label.text()
    assert "已隐藏：红色" in window.count_label.text()
    # a hidden level still says how many rows it would bring back
    assert view.cards[Level.RED].count() == red
    qtbot.mouseClick(view.cards[Level.RED], Qt.MouseButton.LeftButton)
    assert view.model.rowCount() == total


def test_search_is_debounced_and_narrows_rows_and_counts(window, qtbot):
    view = window.views[Module.CASE]
    db = window.database
    row = view.model.data(view.model.index(0, 0), roles.RowRole)
    case_no = row.values[view.model.column_of("case_no")]
    qtbot.keyClicks(view.search, case_no)
    assert view.model.rowCount() > 1  # nothing happens while typing
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=2000)
    assert view.model.data(view.model.index(0, 0), roles.RowRole).id == row.id
    assert sum(c.count() for c in view.cards.values()) == 1

    view.search.clear()
    cause = next(r.values[view.model.column_of("cause")] for r in
                 tables.fetch_rows(db, Module.CASE, view.model.ids[:50]) if r.values[view.model.column_of("cause")])
    view.apply_filters()
    type_chinese(view.search, cause)
    assert view.search.text() == cause
    expected = tables.list_ids(db, Module.CASE, TableQuery(text=cause))
    qtbot.waitUntil(lambda: list(view.model.ids) == list(expected), timeout=2000)
    counts = tables.level_counts(db, Module.CASE, TableQuery(text=cause))
    assert {lv: c.count() for lv, c in view.cards.items()} == counts
    # a one-character search: the ids and the cards come from one scan, and agree with the services
    view.search.clear()
    view.apply_filters()
    type_chinese(view.search, cause[:1])
    short = TableQuery(text=cause[:1])
    expected = tables.list_ids(db, Module.CASE, short)
    qtbot.waitUntil(lambda: list(view.model.ids) == list(expected), timeout=2000)
    qtbot.waitUntil(lambda: {lv: c.count() for lv, c in view.cards.items()} == tables.level_counts(db, Module.CASE, short),
                    timeout=2000)
    late = tables.level_counts(db, Module.CASE, replace(short, overdue_only=True))
    qtbot.waitUntil(lambda: view.overdue_count() == sum(late.values()), timeout=2000)


def test_overdue_only(window, qtbot):
    view = window.views[Module.CASE]
    expected = tables.list_ids(window.database, Module.CASE, TableQuery(overdue_only=True))
    assert len(expected) > 0
    assert f"超期 {len(expected)} 条" in view.total_label.text()
    view.overdue_only.click()
    assert list(view.model.ids) == list(expected)
    assert all(view.model.data(view.model.index(r, 0), roles.RowRole).overdue for r in range(view.model.rowCount()))


def test_qt_dialogs_speak_chinese(configured_app):
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().startswith("取消")


@pytest.mark.parametrize("content, message", [(None, "数据库文件不存在"), (b"not a database at all" * 10, "不是本系统")])
def test_a_database_that_cannot_open_gives_a_message_not_a_traceback(configured_app, tmp_path, monkeypatch,
                                                                    content, message):
    from PySide6.QtWidgets import QMessageBox

    import ui.main

    path = tmp_path / "station.db"
    if content is not None:
        path.write_bytes(content)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, body: shown.append((title, body)))
    assert ui.main.run(str(path)) == 1
    (title, body), = shown
    assert title == "无法打开数据库"
    assert message in body and str(path) in body


def test_a_protected_database_asks_for_an_account(configured_app, tmp_path, monkeypatch, qtbot):
    from app.services.accounts import create_protected_database
    from ui.login_dialog import LoginDialog
    from ui.main import open_window

    path = tmp_path / "protected.db"
    create_protected_database(path, "correct-horse-1").close()
    attempts = iter([("admin", "wrong-password"), ("admin", "correct-horse-1")])
    errors = []

    def fake_exec(dialog):
        for user, password in attempts:
            dialog.username.setText(user)
            dialog.password.setText(password)
            dialog.accept()
            if dialog.result() == LoginDialog.DialogCode.Accepted:
                return dialog.result()
            errors.append(dialog.error.text())
        return LoginDialog.DialogCode.Rejected

    monkeypatch.setattr(LoginDialog, "exec", fake_exec)
    win = open_window(str(path))
    assert win is not None
    qtbot.addWidget(win)
    try:
        assert errors == ["用户名或密码错误"]
        assert win.actor.account == "admin" and "系统管理员" in win.user_label.text()
    finally:
        win.database.close()


def test_start_imports_nothing_heavy_before_the_window(station_path):
    script = (
        "import sys\n"
        "import ui.main\n"
        "before = sorted(m for m in ('sqlalchemy', 'pyqtgraph', 'numpy') if m in sys.modules)\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "ui.main.configure_application(app)\n"
        f"w = ui.main.open_window({str(station_path)!r})\n"
        "w.show(); app.processEvents()\n"
        "after = sorted(m for m in ('pyqtgraph', 'numpy') if m in sys.modules)\n"
        "print(before, after)\n"
        "w.database.close()\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[] []"
