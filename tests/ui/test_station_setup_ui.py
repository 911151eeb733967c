"""Day one through the widgets: the administrator sets up the station in 系统管理, the officer logs in
with the one-time password, must change it, enters a dispute, and the leader sees it."""
from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app.services import accounts as A, briefing as B, org


def type_chinese(widget, value: str) -> None:
    """QTest key clicks are Latin-1 only; Chinese arrives as an input-method commit."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(value)
    QApplication.sendEvent(widget, event)


def add_person(qtbot, admin, name: str, badge: str, role: str, team: str | None) -> None:
    from ui.admin.admin_window import OfficerDialog

    dlg = OfficerDialog(org.list_teams(admin.officers._db), admin)
    qtbot.addWidget(dlg)
    type_chinese(dlg.name, name)
    qtbot.keyClicks(dlg.badge, badge)
    dlg.role.setCurrentIndex(dlg.role.findData(role))
    if team:
        dlg.team.setCurrentIndex(dlg.team.findText(team))
    dlg.accept()
    assert admin.officers.add_officer(dlg)


def add_account(qtbot, admin, username: str, person: str) -> str:
    from ui.admin.admin_window import AccountDialog

    dlg = AccountDialog(org.list_officers(admin.accounts._db), admin)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.username, username)
    dlg.officer.setCurrentIndex(next(i for i in range(dlg.officer.count()) if dlg.officer.itemText(i).startswith(person)))
    assert dlg.generate.isChecked()
    dlg.accept()
    assert admin.accounts.add_account(dlg)
    slip = admin.accounts.slip
    assert slip.isVisible() and slip.password.text() == slip.new.password
    assert slip.new.password in slip.slip_document().toPlainText()
    slip.accept()
    return slip.new.password


def log_in_first_time(qtbot, path, username: str, one_time: str, own: str):
    from ui.login_dialog import LoginDialog

    dlg = LoginDialog(path)
    qtbot.addWidget(dlg)
    qtbot.keyClicks(dlg.username, username)
    qtbot.keyClicks(dlg.password, one_time)
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    change = dlg.change_dialog
    assert change is not None and change.isVisible() and not dlg.result()
    qtbot.keyClicks(change.new, own)
    qtbot.keyClicks(change.again, own)
    with qtbot.waitSignal(dlg.accepted, timeout=10000):
        qtbot.mouseClick(change.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    return dlg.logged_in


def test_day_one_through_the_widgets(configured_app, qtbot, tmp_path):
    from ui.admin.first_start import SetupWizard, remembered_station
    from ui.main_window import MainWindow

    wizard = SetupWizard(tmp_path)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.station_page
    type_chinese(page.name, "城关派出所")
    qtbot.keyClicks(page.code, "36010200100")  # 11 digits
    type_chinese(page.branch, "东湖分局")
    qtbot.keyClicks(page.password, "admin-pass-1")
    qtbot.keyClicks(page.again, "admin-pass-1")
    wizard.next()
    assert wizard.currentPage() is page and "12" in page.error.text()
    path = tmp_path / "station-main.db"
    assert not path.exists()  # nothing is made until the page is right
    page.code.setText("360102001001")
    wizard.next()
    assert wizard.currentPage() is wizard.teams_page and path.exists() and remembered_station() == path.resolve()
    type_chinese(wizard.teams_page.names, "社区警务一队")
    wizard.next()
    admin = wizard  # the people and accounts pages are 系统管理's own
    add_person(qtbot, admin, "王建国", "010001", "leader", None)
    add_person(qtbot, admin, "李强", "010002", "team_leader", "社区警务一队")
    add_person(qtbot, admin, "张伟", "010003", "officer", "社区警务一队")
    assert admin.officers.model.rowCount() == 3
    wizard.next()
    passwords = {u: add_account(qtbot, admin, u, p) for u, p in (("wangjianguo", "王建国"), ("liqiang", "李强"),
                                                                 ("zhangwei", "张伟"))}
    rows = {admin.accounts.model.row_at(i).username: admin.accounts.model.row_at(i)
            for i in range(admin.accounts.model.rowCount())}
    assert rows["zhangwei"].role == "officer" and rows["zhangwei"].team_name == "社区警务一队"
    assert rows["zhangwei"].must_change_password
    with qtbot.waitSignal(wizard.accepted):
        wizard.button(wizard.WizardButton.FinishButton).click()
    logged = wizard.logged_in
    info = org.station_info(logged.db)
    assert (info.name, info.code, info.branch_name) == ("城关派出所", "360102001001", "东湖分局")
    win = MainWindow(logged.db, actor=logged.actor)
    qtbot.addWidget(win)
    assert "城关派出所" in win.windowTitle() and "station-main.db" in win.windowTitle()
    assert win.admin_action.isVisible() and win.admin_action.isEnabled()
    win.close()
    logged.db.close()

    # The officer: the one-time password opens the change-password dialog before anything else.
    officer = log_in_first_time(qtbot, path, "zhangwei", passwords["zhangwei"], "zhangwei-own-1")
    assert officer.actor.role == "officer" and officer.actor.name == "张伟"
    from ui.records.workstation import Workstation

    ws = Workstation(officer.db, officer.actor)
    form = ws.new_record("dispute")
    qtbot.addWidget(form)
    qtbot.keyClicks(form.rows["dispute_no"].widget, "JF2026001")
    type_chinese(form.rows["parties"].widget, "邻里甲、邻里乙")
    form.set_field("source", "110")
    form.rows["level"].widget.setCurrentIndex(form.rows["level"].widget.findData("red"))
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    officer.db.close()

    # The station leader sees it in 我的工作 and on the briefing.
    leader = log_in_first_time(qtbot, path, "wangjianguo", passwords["wangjianguo"], "leader-own-1")
    work = Workstation(leader.db, leader.actor).show_my_work()
    qtbot.addWidget(work)
    labels = [work.model.item(i) for i in range(work.model.rowCount())]
    assert any("JF2026001" in json.dumps(str(item), ensure_ascii=False) for item in labels)
    red = B.build_briefing(leader.db, unmask_by=leader.actor).red["dispute"]
    assert [r.number for r in red.rows] == ["JF2026001"] and red.rows[0].officer == "张伟"
    leader.db.close()


def test_log_out_and_help(configured_app, qtbot, tmp_path):
    from ui.admin.menus import about_text, log_out, show_user_guide
    from ui.main_window import MainWindow

    path = tmp_path / "station.db"
    db = A.create_protected_database(path, "admin-pass-1")
    org.init_station(db, "城关派出所")
    db.close()
    logged = A.login(path, "admin", "admin-pass-1")
    win = MainWindow(logged.db, actor=logged.actor)
    qtbot.addWidget(win)
    guide = show_user_guide(win)
    qtbot.addWidget(guide)
    assert "第一次登录" in guide.browser.toPlainText() and "我的工作" in guide.browser.toPlainText()
    text = about_text(win)
    assert "城关派出所" in text and str(path) in text
    with qtbot.waitSignal(win.logged_out):
        log_out(win)
    from app.services import audit

    assert "logout" in [e.action for e in audit.list_entries(logged.db)]
    win.close()
    logged.db.close()


def test_the_admin_window_models(configured_app, qtbot, qtmodeltester, tmp_path):
    from app.domain.rules import Actor
    from app.store import SqliteStore
    from ui.admin.admin_window import AdminWindow

    db = SqliteStore(tmp_path / "s.db", create=True)
    org.init_station(db, "城关派出所", "360102001001")
    t = org.add_team(db, "一队")
    org.add_officer(db, "张伟", "officer", t, "010003")
    org.add_officer(db, "孙立", "officer", t, actor=None, auxiliary=True, duty="辅警")
    admin = AdminWindow(db, Actor(None, "admin", "admin", account="admin"))
    qtbot.addWidget(admin)
    for page in (admin.teams, admin.officers, admin.accounts):
        qtmodeltester.check(page.model)
    texts = [admin.officers.model.index(1, c).data() for c in range(admin.officers.model.columnCount())]
    assert "辅警" in texts
    db.close()


def test_the_station_idle_lock_minutes_apply_to_the_window(configured_app, qtbot, tmp_path):
    from app.services import settings as S
    from ui.main_window import MainWindow

    path = tmp_path / "station.db"
    db = A.create_protected_database(path, "admin-pass-1")
    org.init_station(db, "城关派出所")
    db.close()
    logged = A.login(path, "admin", "admin-pass-1")
    S.set_idle_minutes(logged.db, logged.actor, 3)
    win = MainWindow(logged.db, actor=logged.actor)
    qtbot.addWidget(win)
    assert win.idle_watcher._timer.interval() == 3 * 60_000
    win.close()
    logged.db.close()


def test_station_details_in_the_admin_window(configured_app, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from ui.admin.menus import show_admin
    from ui.main_window import MainWindow

    path = tmp_path / "station.db"
    db = A.create_protected_database(path, "admin-pass-1")
    org.init_station(db, "新建派出所")
    db.close()
    logged = A.login(path, "admin", "admin-pass-1")
    win = MainWindow(logged.db, actor=logged.actor)
    qtbot.addWidget(win)
    admin = show_admin(win)
    qtbot.addWidget(admin)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: shown.append(a[2])))
    admin.station.name.clear()
    type_chinese(admin.station.name, "城关派出所")
    admin.station.code.setText("36010200100")
    assert not admin.station.save() and "12" in shown[0]
    admin.station.code.setText("360102001001")
    assert admin.station.save()
    assert org.station_info(logged.db).code == "360102001001"
    assert admin.teams.add_team("社区警务一队") and admin.teams.model.rowCount() == 1
    assert not admin.teams.add_team("社区警务一队") and "已存在" in shown[-1]
    win.close()
    logged.db.close()


def test_log_out_shows_the_log_in_and_a_new_window_for_the_next_user(configured_app, qtbot, tmp_path):
    from PySide6.QtCore import QTimer

    from ui.login_dialog import LoginDialog
    from ui.main import follow_log_outs

    path = tmp_path / "station.db"
    db = A.create_protected_database(path, "admin-pass-1")
    org.init_station(db, "城关派出所")
    db.close()
    logged = A.login(path, "admin", "admin-pass-1")
    from ui.main_window import MainWindow

    win = MainWindow(logged.db, actor=logged.actor)
    qtbot.addWidget(win)
    windows = [win]
    follow_log_outs(windows, str(path))
    win.show()
    seen = []

    def answer_log_in() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LoginDialog):
            QTimer.singleShot(50, answer_log_in)
            return
        seen.append(dialog)  # the log-in for the same station file, after the old window closed
        dialog.username.setText("admin")
        dialog.password.setText("admin-pass-1")
        dialog.accept()

    QTimer.singleShot(0, answer_log_in)
    with qtbot.waitSignal(win.logged_out):
        win.logout_action.trigger()
    qtbot.waitUntil(lambda: windows[0] is not win, timeout=15000)
    assert seen and not win.isVisible()
    new = windows[0]
    qtbot.addWidget(new)
    assert new.actor.account == "admin" and new.isVisible() and "station.db" in new.windowTitle()
    new.close()
    new.database.close()


def test_first_start_offers_set_up_demo_or_a_file(configured_app, qtbot):
    from ui.admin.first_start import FirstStartDialog

    for button, choice in (("setup_button", FirstStartDialog.SETUP), ("demo_button", FirstStartDialog.DEMO),
                           ("open_button", FirstStartDialog.OPEN)):
        dialog = FirstStartDialog()
        qtbot.addWidget(dialog)
        dialog.show()
        with qtbot.waitSignal(dialog.accepted):
            qtbot.mouseClick(getattr(dialog, button), Qt.MouseButton.LeftButton)
        assert dialog.choice == choice


def test_roster_in_the_people_page_and_duty_titles_set_the_role(configured_app, qtbot, tmp_path, monkeypatch):
    from openpyxl import Workbook, load_workbook
    from PySide6.QtWidgets import QMessageBox

    from app.domain.rules import Actor
    from app.store import SqliteStore
    from ui.admin.admin_window import OfficerDialog, OfficersPage

    db = SqliteStore(tmp_path / "s.db", create=True)
    org.init_station(db, "城关派出所", "360102001001")
    page = OfficersPage(db, Actor(None, "admin", "admin", account="admin"))
    qtbot.addWidget(page)
    dlg = OfficerDialog([], page)
    qtbot.addWidget(dlg)
    type_chinese(dlg.duty, "辅警")
    assert dlg.role.currentData() == "officer" and dlg.auxiliary.isChecked()
    dlg.duty.clear()
    type_chinese(dlg.duty, "教导员")
    assert dlg.role.currentData() == "leader" and not dlg.auxiliary.isChecked()
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "警号", "所属中队/部门", "职务", "手机"])
    ws.append(["李强", "010002", "社区警务一队", "中队长", ""])
    ws.append(["钱多", "010005", "社区警务一队", "副中队长", ""])
    wb.save(tmp_path / "r.xlsx")
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Close)
    page.import_roster(str(tmp_path / "r.xlsx"))
    assert page.model.rowCount() == 1 and "副中队长" in page.report_box.text()
    page.save_rejects(str(tmp_path / "rejects.xlsx"))
    rows = list(load_workbook(tmp_path / "rejects.xlsx").active.iter_rows(values_only=True))
    assert rows[1][0] == "钱多" and "副中队长" in rows[1][-1]
    db.close()
