"""First start of a workstation whose station database is on a station server.

The person gives the server's address (host, port, database; the role prefix if the server's
administrator chose one), the program fetches the certificate the server presents and shows its
SHA-256 fingerprint, to be compared with the one `server-cert` printed at the server. Only once
the person confirms they match is the certificate kept (the only root this workstation trusts for
that server, app.server.tls) and the server remembered: later starts go straight to the log-in
dialog, which names the server, and never ask about the fingerprint again.
"""
from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import StationError
from ui.common.theme import show_as_error
from ui.window_frame import SERVER_PREFIX_KEY, SERVER_URL_KEY


def remembered_server():
    """The station server this workstation was set up for (app.server.setup.ServerAddress), or None."""
    url, prefix = QSettings().value(SERVER_URL_KEY, ""), QSettings().value(SERVER_PREFIX_KEY, "")
    if not url or not prefix:
        return None
    from app.server.setup import ServerAddress  # only for a server: a file station's start stays light

    try:
        return ServerAddress(str(url), str(prefix))
    except StationError:  # settings edited by hand: set up again
        return None


def remember_server(address) -> None:
    QSettings().setValue(SERVER_URL_KEY, address.url)
    QSettings().setValue(SERVER_PREFIX_KEY, address.prefix)


class ServerSetupDialog(QDialog):
    """Where the station server is, and its certificate confirmed by fingerprint. On success
    `address` holds the pinned ServerAddress, already remembered."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.address = None
        self._der: bytes | None = None
        self.setWindowTitle(self.tr("连接派出所服务器"))
        self.setModal(True)
        intro = QLabel(self.tr("本所数据库在派出所服务器上时，请填写服务器管理员提供的地址。"
                               "首次连接须核对服务器证书的指纹，核对一次后本机记住该服务器。"))
        intro.setWordWrap(True)
        self.host = QLineEdit()
        self.host.setPlaceholderText(self.tr("例如 192.168.1.10"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit()
        self.database.setPlaceholderText(self.tr("例如 chengguan"))
        self.prefix = QLineEdit()
        self.prefix.setPlaceholderText(self.tr("默认与数据库名相同"))
        self.fetch_button = QPushButton(self.tr("连接并获取证书"))
        self.fetch_button.clicked.connect(self._on_fetch_button_clicked)
        self.fingerprint_help = QLabel(self.tr("请与服务器上运行 server-cert 时显示的指纹逐段核对："))
        self.fingerprint_help.setWordWrap(True)
        self.fingerprint = QLabel()
        self.fingerprint.setObjectName("serverFingerprint")
        self.fingerprint.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint.setStyleSheet("font-size: 12pt;")
        self.confirm = QCheckBox(self.tr("指纹与服务器管理员提供的完全一致"))
        self.confirm.toggled.connect(self._update_ok)
        for w in (self.fingerprint_help, self.fingerprint, self.confirm):
            w.hide()
        self.error = QLabel()
        self.error.setObjectName("serverError")
        show_as_error(self.error)
        self.error.setWordWrap(True)
        self.error.hide()

        form = QFormLayout()
        form.addRow(self.tr("服务器地址："), self.host)
        form.addRow(self.tr("端口："), self.port)
        form.addRow(self.tr("数据库名："), self.database)
        form.addRow(self.tr("角色前缀："), self.prefix)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("确认并记住"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for edit in (self.host, self.database, self.prefix):
            edit.textEdited.connect(self._on_address_edited)
        self.port.valueChanged.connect(self._on_address_edited)

        box = QVBoxLayout(self)
        box.setSpacing(10)
        box.addWidget(intro)
        box.addLayout(form)
        box.addWidget(self.fetch_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.fingerprint_help)
        box.addWidget(self.fingerprint)
        box.addWidget(self.confirm)
        box.addWidget(self.error)
        box.addStretch(1)
        box.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self._update_ok()

    def _fail(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _on_address_edited(self, *_args) -> None:
        """Another address: whatever certificate was shown is not this one's."""
        self._der = None
        self.confirm.setChecked(False)
        for w in (self.fingerprint_help, self.fingerprint, self.confirm):
            w.hide()
        self._update_ok()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(self._der is not None and self.confirm.isChecked())

    def _on_fetch_button_clicked(self) -> None:
        from app.server.tls import fetch_server_certificate, server_url
        from ui.records.columns import lang_code

        self._on_address_edited()
        self._fail("")
        host = self.host.text().strip()
        if not host or not self.database.text().strip():
            self._fail(self.tr("请填写服务器地址和数据库名"))
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            server_url(host, self.port.value(), self.database.text())  # each part checked first
            self._der = fetch_server_certificate(host, self.port.value())
        except StationError as exc:
            self._fail(exc.message(lang_code()))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.show_certificate(self._der)

    def show_certificate(self, der: bytes) -> None:
        """The certificate the server presented: its fingerprint, to be confirmed."""
        from app.server.tls import fingerprint

        self._der = der
        pairs = fingerprint(der).split(":")  # 32 pairs: four lines of eight, read out group by group
        self.fingerprint.setText("\n".join(":".join(pairs[i:i + 8]) for i in range(0, len(pairs), 8)))
        for w in (self.fingerprint_help, self.fingerprint, self.confirm):
            w.show()
        self._update_ok()

    def accept(self) -> None:
        """Keep the confirmed certificate and remember the server."""
        from app.server.setup import ServerAddress, default_prefix
        from app.server.tls import pin_certificate, pinned_url, server_certificate_path, server_url
        from ui.records.columns import lang_code

        if self._der is None or not self.confirm.isChecked():
            return
        host, port, database = self.host.text().strip(), self.port.value(), self.database.text().strip()
        try:
            plain = server_url(host, port, database)
            path = pin_certificate(self._der, server_certificate_path(host, port))
            url = pinned_url(plain, path)
            self.address = ServerAddress(url, self.prefix.text().strip() or default_prefix(database))
        except StationError as exc:
            self._fail(exc.message(lang_code()))
            return
        remember_server(self.address)
        super().accept()
