"""The features reach the window: the dashboard's drill-down filters the record table."""
from sqlalchemy import text

from app.demo import generate_demo
from app.domain.levels import Module
from app.services.org import default_actor
from app.services.tables import TableQuery
from ui.common import roles
from ui.main_window import MainWindow


def test_dashboard_drill_down_shows_exactly_the_records_and_clears(qtbot, db):
    generate_demo(db, seed=5, scale=0.1)
    window = MainWindow(db, actor=default_actor(db))
    qtbot.addWidget(window)
    cases = window.views[Module.CASE]
    full = cases.total()
    window.show_dashboard()
    assert window.tabs.currentWidget() is window.dashboard
    with db.read() as s:
        red = {r[0] for r in s.execute(text("SELECT id FROM case_record WHERE level='red'"))}
    assert red and len(red) < full
    window.dashboard.drill_down.emit("case", TableQuery(ids=frozenset(red), statuses=frozenset()), "红色案件")
    assert window.tabs.currentWidget() is cases
    assert cases.total() == len(red)
    shown = {cases.model.index(r, 0).data(roles.RowRole).id for r in range(cases.model.rowCount())}
    assert shown == red
    assert cases.drill_bar.isVisibleTo(window) and "红色案件" in cases.drill_label.text()
    cases.clear_drill_down()
    assert cases.total() == full and not cases.drill_bar.isVisibleTo(window)


def test_menus_open_ledger_import_and_statistics(qtbot, db, station):
    window = MainWindow(db, actor=station.leader)
    qtbot.addWidget(window)
    texts = [a.text() for m in window.menuBar().actions() for a in m.menu().actions()]
    assert any("导入台账" in t for t in texts) and any("统计分析" in t for t in texts)
    assert window.import_ledger_action.isEnabled()


def test_branch_database_opens_on_the_freshness_console(qtbot, tmp_path):
    from app.domain.rules import Actor
    from app.services.org import init_station
    from app.store import SqliteStore
    from app.sync.keys import init_branch

    branch = SqliteStore(tmp_path / "branch.db", create=True)
    admin = Actor(None, "admin", "admin", account="admin")
    init_station(branch, "东湖分局")
    init_branch(branch, admin, "东湖分局")
    window = MainWindow(branch, actor=admin)
    qtbot.addWidget(window)
    assert window.tabs.tabText(0) == "各所数据" and window.tabs.currentWidget() is window.freshness
    assert window.export_package_action.isEnabled()
    branch.close()


def test_a_station_has_no_branch_console(qtbot, db, station):
    window = MainWindow(db, actor=station.officer)
    qtbot.addWidget(window)
    assert getattr(window, "freshness", None) is None
    assert not window.export_package_action.isEnabled()  # officers do not export


def test_f7_opens_the_briefing_and_the_idle_lock_closes_it(qtbot, db):
    from ui.briefing.window import BriefingWindow

    generate_demo(db, seed=7, scale=0.05)
    window = MainWindow(db, actor=default_actor(db))
    qtbot.addWidget(window)
    window.briefing_action.trigger()
    briefings = window.findChildren(BriefingWindow)
    assert len(briefings) == 1
    qtbot.waitUntil(lambda: briefings[0].isVisible(), timeout=5000)
    window.idle_watcher = type("W", (), {"paused": False})()  # a watcher stand-in: lock() pauses it
    window.lock()
    qtbot.waitUntil(lambda: not window.findChildren(BriefingWindow) or not briefings[0].isVisible(), timeout=5000)
    window.unlock_dialog.reject()
