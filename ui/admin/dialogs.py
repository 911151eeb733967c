"""Dialogs of accounts: change your own password, and the one-time password shown once with its slip."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.common.theme import show_as_error


class ChangePasswordDialog(QDialog):
    """The account changes its own password; `forced` at the first log-in with a one-time password
    (then cancelling means not working today)."""

    def __init__(self, db, actor, *, forced: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.setWindowTitle(self.tr("修改密码"))
        self.setModal(True)
        intro = QLabel(self.tr("这是管理员设置的初始密码，请设置您自己的密码后再开始工作。") if forced
                       else self.tr("修改账户 %1 的密码。").replace("%1", actor.account))
        intro.setWordWrap(True)
        self.old = QLineEdit()
        self.new = QLineEdit()
        self.again = QLineEdit()
        for field in (self.old, self.new, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("passwordError")
        show_as_error(self.error)
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("原密码："), self.old)
        form.addRow(self.tr("新密码（至少8位）："), self.new)
        form.addRow(self.tr("再次输入新密码："), self.again)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addLayout(form)
        box.addWidget(self.error)
        box.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def accept(self) -> None:
        from app.errors import StationError
        from app.services.accounts import change_password

        if self.new.text() != self.again.text():
            self._fail(self.tr("两次输入的新密码不一致"))
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            change_password(self._db, self._actor, self._actor.account, self.old.text(), self.new.text())
        except StationError as exc:
            self._fail(exc.message("zh"))
            return
        finally:
            QApplication.restoreOverrideCursor()
        super().accept()

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


class PasswordSlipDialog(QDialog):
    """A one-time password, shown once, with a slip to print and hand over."""

    def __init__(self, station: str, new, parent: QWidget | None = None):
        super().__init__(parent)
        self.new = new
        self.station = station
        self.setWindowTitle(self.tr("初始密码"))
        self.setModal(True)
        text = QLabel(self.tr("账户 %1（%2）的初始密码如下。它只显示这一次：请打印密码条或抄下后交给本人，"
                              "本人首次登录时须修改。").replace("%1", new.username).replace("%2", new.display_name))
        text.setWordWrap(True)
        self.password = QLabel(new.password)
        self.password.setObjectName("oneTimePassword")
        font = QFont("monospace")
        font.setPointSize(18)
        font.setBold(True)
        self.password.setFont(font)
        self.password.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.password.setAlignment(Qt.AlignmentFlag.AlignCenter)
        print_button = QPushButton(self.tr("打印密码条…"))
        print_button.clicked.connect(self.print_slip)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        buttons.addButton(print_button, QDialogButtonBox.ButtonRole.ActionRole)
        box = QVBoxLayout(self)
        box.addWidget(text)
        box.addWidget(self.password)
        box.addWidget(buttons)
        self.setMinimumWidth(460)

    def slip_document(self) -> QTextDocument:
        doc = QTextDocument()
        from html import escape

        doc.setHtml(self.tr("<h3>%1 系统账户</h3><p>姓名：%2</p><p>用户名：%3</p><p>初始密码：<b>%4</b></p>"
                            "<p>首次登录后须修改密码；本条阅后请销毁。</p>")
                    .replace("%1", escape(self.station)).replace("%2", escape(self.new.display_name))
                    .replace("%3", escape(self.new.username)).replace("%4", escape(self.new.password)))
        return doc

    def print_slip(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.slip_document().print_(printer)
