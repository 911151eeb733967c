"""Backups, restore and the audit trail from the window."""
from datetime import date

import pytest
from PySide6.QtCore import QLocale, QThreadPool
from PySide6.QtWidgets import QMessageBox

from app.services import audit, records as R
from app.services.backup import backup_dir_for, list_backups
from ui.trust.audit_view import AuditDialog
from ui.trust.backup_dialog import BackupDialog


@pytest.fixture
def chinese():
    """The app's default language (ui.main sets it at start)."""
    before = QLocale()
    QLocale.setDefault(QLocale("zh_CN"))
    yield
    QLocale.setDefault(before)


def _case(db, station, no="A1"):
    return R.create_case(db, station.officer, R.CaseInput(
        no, "criminal", "red", date.today(), people=R.Responsibility(officer_id=station.officer.officer_id)))


def test_audit_dialog_lists_changes_and_reports_the_chain(qtbot, db, station, chinese):
    cid = _case(db, station)
    R.change_level(db, station.officer, "case", cid, "orange", "线索中断")
    dialog = AuditDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.chain_label.objectName() == "chainOk"
    actions = {dialog.table.item(r, 4).text() for r in range(dialog.table.rowCount())}
    assert "变更等级（修改）" in actions and "新建案件（新建）" in actions
    details = " ".join(dialog.table.item(r, 6).text() for r in range(dialog.table.rowCount()))
    assert "预警等级：红色 → 橙色" in details and "red" not in details  # words, not codes
    assert {dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount())} >= {"民警"}
    dialog.module.setCurrentIndex(dialog.module.findData("case"))
    assert {dialog.table.item(r, 5).text() for r in range(dialog.table.rowCount())} == {"案件"}
    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("DROP TRIGGER audit_log_no_update")
        raw.execute("UPDATE audit_log SET account='someone' WHERE seq=2")
        raw.execute("COMMIT")
    broken = AuditDialog(db)
    qtbot.addWidget(broken)
    assert broken.chain_label.objectName() == "chainBroken" and "2" in broken.chain_label.text()


def test_backup_dialog_backs_up_and_lists(qtbot, db, station, monkeypatch):
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    _case(db, station)
    dialog = BackupDialog(db, station.leader)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0
    assert not dialog.restore_button.isEnabled()  # only the administrator restores
    dialog.backup_button.click()
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 3).text() == "完好"
    assert len(list_backups(backup_dir_for(db.path))) == 1


def test_restore_from_the_window_as_administrator(qtbot, db, station, monkeypatch):
    from app.domain.rules import Actor
    from ui.main_window import MainWindow

    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    _case(db, station, "A1")
    from app.services.backup import make_backup

    backup = make_backup(db, "manual").path
    _case(db, station, "A2")  # after the backup
    admin = Actor(None, "admin", "admin", account="admin")
    window = MainWindow(db, actor=admin)
    qtbot.addWidget(window)

    def choose_restore(self):
        self.restore_requested = backup
        return BackupDialog.DialogCode.Accepted

    monkeypatch.setattr(BackupDialog, "exec", choose_restore)
    quit_called = []
    monkeypatch.setattr("PySide6.QtWidgets.QApplication.quit", lambda *_: quit_called.append(1))
    window.show_backups()
    assert quit_called == [1]
    from app.store import SqliteStore

    again = SqliteStore(db.path)
    with again.read() as s:
        from sqlalchemy import text

        assert [r[0] for r in s.execute(text("SELECT case_no FROM case_record"))] == ["A1"]
    assert any(e.action == "restore" for e in audit.list_entries(again))
    again.close()
    assert any(b.kind == "pre-restore" for b in list_backups(backup_dir_for(db.path)))


def test_daily_backup_runs_off_the_gui_thread(qtbot, db, station):
    from ui.main_window import MainWindow

    window = MainWindow(db, actor=station.leader)
    qtbot.addWidget(window)
    window.start_daily_backup()
    assert QThreadPool.globalInstance().waitForDone(30_000)
    assert [b.kind for b in list_backups(backup_dir_for(db.path))] == ["daily"]
    window._backup_timer.stop()
