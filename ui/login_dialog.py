"""The log-in dialog for a protected station database: user name and password unlock the file."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.common.theme import show_as_error


class LoginDialog(QDialog):
    """Asks for an account until the database opens or the person cancels. On success
    `logged_in` holds the open database and the acting account (app.services.accounts.LoggedIn)."""

    def __init__(self, db_path: str | Path | None, *, demo_hint: str = "", server=None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.db_path = Path(db_path) if db_path is not None else None
        #: A station or branch server (app.server.setup.ServerAddress): the account logs in as its
        #: own PostgreSQL user there, and the dialog names the server instead of a file.
        self.server = server
        self.logged_in = None
        self.change_dialog = None
        self.setWindowTitle(self.tr("登录"))
        self.setModal(True)

        title = QLabel(self.tr("派出所情报信息分级分类跟踪系统"))
        title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        where = QLabel(self.tr("服务器：%1").replace("%1", server.shown) if server is not None
                       else self.tr("数据库：%1").replace("%1", str(self.db_path)))
        where.setObjectName("loginWhere")
        where.setProperty("role", "muted")
        where.setWordWrap(True)
        self.username = QLineEdit()
        self.username.setPlaceholderText(self.tr("用户名"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("密码"))
        self.error = QLabel()
        self.error.setObjectName("loginError")
        show_as_error(self.error)
        self.error.setWordWrap(True)
        self.error.hide()
        self.hint = QLabel(demo_hint)
        self.hint.setObjectName("demoHint")
        self.hint.setWordWrap(True)
        self.hint.setVisible(bool(demo_hint))

        form = QFormLayout()
        form.addRow(self.tr("用户名："), self.username)
        form.addRow(self.tr("密码："), self.password)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("登录"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        box = QVBoxLayout(self)
        box.setSpacing(10)
        box.addWidget(title)
        box.addWidget(where)
        box.addWidget(self.hint)
        box.addLayout(form)
        box.addWidget(self.error)
        box.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.username.setFocus()

    def accept(self) -> None:
        """Try the account; stay open with the reason when it fails."""
        from app.errors import StationError
        from app.services.accounts import login

        user = self.username.text().strip()
        if not user:
            self._fail(self.tr("请输入用户名"))
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # Argon2id takes a moment on purpose
        try:
            if self.server is not None:
                from app.server.setup import login_to_server

                self.logged_in = login_to_server(self.server, user, self.password.text())
            else:
                self.logged_in = login(self.db_path, user, self.password.text())
        except StationError as exc:
            self._fail(exc.message(_lang()))
            return
        finally:
            QApplication.restoreOverrideCursor()
        if self.logged_in.must_change_password:  # a one-time password: choose your own first
            from ui.admin.dialogs import ChangePasswordDialog

            self.change_dialog = ChangePasswordDialog(self.logged_in.db, self.logged_in.actor, forced=True, parent=self)
            self.change_dialog.old.setText(self.password.text())
            self.change_dialog.finished.connect(self._on_change_dialog_finished)
            self.change_dialog.open()
            return
        super().accept()

    def _on_change_dialog_finished(self, result: int) -> None:
        self.change_dialog = None
        if result == QDialog.DialogCode.Accepted:
            super().accept()
            return
        self.logged_in.db.close()
        self.logged_in = None
        self._fail(self.tr("须先设置自己的密码才能使用系统"))

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.password.clear()
        self.password.setFocus()


class UnlockDialog(QDialog):
    """Shown over a locked window: the logged-in account's password brings the data back;
    "退出" closes the app instead."""

    def __init__(self, db, actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.setWindowTitle(self.tr("已锁定"))
        self.setModal(True)
        text = QLabel(self.tr("长时间未操作，界面已锁定。请输入 %1 的密码解锁。").replace("%1", actor.account or actor.name))
        text.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("密码"))
        self.error = QLabel()
        show_as_error(self.error)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("解锁"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("退出"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(text)
        box.addWidget(self.password)
        box.addWidget(self.error)
        box.addWidget(self.buttons)
        self.setMinimumWidth(380)

    def accept(self) -> None:
        from app.errors import StationError
        from app.services.accounts import verify_password

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            verify_password(self._db, self._actor, self.password.text())
        except StationError as exc:
            self.error.setText(exc.message(_lang()))
            self.error.show()
            self.password.clear()
            return
        finally:
            QApplication.restoreOverrideCursor()
        super().accept()


def _lang() -> str:
    """The interface language's half of a StationError (imported late: no SQL layer at start)."""
    from ui.records.columns import lang_code

    return lang_code()
