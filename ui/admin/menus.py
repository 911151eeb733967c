"""The main window's menus for accounts and help: 系统管理, own password, log out / switch user,
open another station file, the user guide and About. The window only composes them."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QMessageBox, QTextBrowser, QVBoxLayout

from app.domain.permissions import allowed

USER_GUIDE = Path(__file__).resolve().parents[2] / "docs" / "user-guide.md"


def _tr(text: str) -> str:
    return QCoreApplication.translate("AccountMenus", text)


def build_account_menus(window) -> None:
    actor = window.actor
    bar = window.menuBar()
    file_menu = bar.actions()[0].menu()
    quit_action = next((a for a in file_menu.actions() if a.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)),
                       None)

    def add(menu, text: str, slot, before=None, enabled: bool = True) -> QAction:
        action = QAction(text, window)
        action.triggered.connect(slot)
        action.setEnabled(enabled)
        if before is not None:
            menu.insertAction(before, action)
        else:
            menu.addAction(action)
        return action

    window.open_station_action = add(file_menu, _tr("打开派出所数据库(&O)…"), lambda: open_station_file(window),
                                     quit_action)
    has_account = actor is not None and bool(actor.account) and window.database.is_file
    window.change_password_action = add(file_menu, _tr("修改密码(&P)…"), lambda: change_password(window),
                                        quit_action, has_account)
    window.logout_action = add(file_menu, _tr("注销 / 切换用户(&L)"), lambda: log_out(window), quit_action,
                               has_account)
    if quit_action is not None:
        file_menu.insertSeparator(quit_action)
    tools = bar.actions()[1].menu()
    window.admin_action = add(tools, _tr("系统管理(&G)…"), lambda: show_admin(window),
                              enabled=actor is not None and allowed(actor.role, "manage_org"))
    window.admin_action.setVisible(window.admin_action.isEnabled())
    help_menu = bar.addMenu(_tr("帮助(&H)"))
    window.user_guide_action = add(help_menu, _tr("用户指南(&U)"), lambda: show_user_guide(window))
    window.user_guide_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    window.about_action = add(help_menu, _tr("关于(&A)…"), lambda: show_about(window))


def apply_station_settings(window) -> None:
    """The idle-lock minutes the administrator set for the station (when set) apply to this window."""
    if getattr(window, "idle_watcher", None) is None or not window.database.is_file:
        return
    from app.services.settings import station_settings

    conf = station_settings(window.database)
    if conf.idle_configured:
        window.idle_watcher.set_minutes(conf.idle_minutes)


def show_admin(window):
    from ui.admin.admin_window import AdminWindow

    dialog = AdminWindow(window.database, window.actor, window)
    dialog.changed.connect(window.refresh)
    dialog.changed.connect(lambda: apply_station_settings(window))
    window.admin_window = dialog
    dialog.open()
    return dialog


def change_password(window):
    from ui.admin.dialogs import ChangePasswordDialog

    dialog = ChangePasswordDialog(window.database, window.actor, parent=window)
    window.password_dialog = dialog
    dialog.open()
    return dialog


def log_out(window) -> None:
    """The application closes this window and its database and shows the log-in again (ui.main)."""
    from app.services import audit

    audit.record_event(window.database, window.actor, "logout")
    window.logged_out.emit()


def open_station_file(window) -> None:
    path, _ = QFileDialog.getOpenFileName(window, _tr("打开派出所数据库"), str(window.database.path or ""),
                                          _tr("派出所数据库 (*.db);;所有文件 (*)"))
    if path:
        window.station_file_requested.emit(path)


class UserGuideDialog(QDialog):
    """docs/user-guide.md, rendered."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_tr("用户指南"))
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        try:
            self.browser.setMarkdown(USER_GUIDE.read_text(encoding="utf-8"))
        except OSError:
            self.browser.setPlainText(_tr("找不到用户指南文件：%1").replace("%1", str(USER_GUIDE)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(self.browser)
        box.addWidget(buttons)
        self.resize(760, 640)


def show_user_guide(window):
    dialog = UserGuideDialog(window)
    window.user_guide = dialog
    dialog.show()
    return dialog


def about_text(window) -> str:
    from html import escape

    from app import __version__

    where = window.database.title
    return (_tr("<h3>派出所情报信息分级分类跟踪系统</h3><p>版本 %1</p><p>派出所：%2</p><p>数据库文件：%3</p>")
            .replace("%1", escape(__version__)).replace("%2", escape(window.station_name))
            .replace("%3", escape(str(where))))


def show_about(window) -> None:
    QMessageBox.about(window, _tr("关于"), about_text(window))
