"""A workstation's first start on a station server: the address, the server's certificate
fingerprint shown and confirmed once, the certificate kept and the server remembered; the next
start goes straight to a log-in dialog that names the server. Against a real PostgreSQL server
with TLS (tests/server/test_tls.py's)."""
from __future__ import annotations

import os
import ssl

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.server.test_tls import SUPER_PASSWORD, tls_server  # noqa: F401 - the fixture
from tests.ui.conftest import configured_app  # noqa: F401 - the fixture


def test_the_fingerprint_is_confirmed_once_and_the_server_remembered(tls_server, configured_app, qtbot,  # noqa: F811
                                                                     monkeypatch):
    pytest.importorskip("PySide6")
    from PySide6.QtCore import Qt

    from ui import main as ui_main
    from ui.admin.first_start import FirstStartDialog
    from ui.admin.server_setup import ServerSetupDialog, remembered_server
    from ui.login_dialog import LoginDialog

    assert remembered_server() is None
    dialog = ServerSetupDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    # A server without TLS (the suite's plain one) is refused, with the reason.
    plain = make_url(os.environ["STATION_TEST_PG_URL"])
    qtbot.keyClicks(dialog.host, "127.0.0.1")
    dialog.port.setValue(plain.port)
    qtbot.keyClicks(dialog.database, "cg")
    qtbot.mouseClick(dialog.fetch_button, Qt.MouseButton.LeftButton)
    assert "TLS" in dialog.error.text() and not dialog.fingerprint.isVisible()
    assert not dialog.ok_button.isEnabled()

    dialog.port.setValue(tls_server["port"])
    qtbot.mouseClick(dialog.fetch_button, Qt.MouseButton.LeftButton)
    assert dialog.fingerprint.isVisible() and dialog.fingerprint.text().replace("\n", ":") == tls_server["cert"].fingerprint
    assert not dialog.ok_button.isEnabled()  # not before the person confirms
    dialog.confirm.setChecked(True)
    assert dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.database, "x")  # another address: the shown fingerprint is not its own
    assert not dialog.ok_button.isEnabled() and not dialog.fingerprint.isVisible()
    qtbot.keyClick(dialog.database, Qt.Key.Key_Backspace)
    qtbot.mouseClick(dialog.fetch_button, Qt.MouseButton.LeftButton)
    dialog.confirm.setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == ServerSetupDialog.DialogCode.Accepted

    address = remembered_server()
    assert address is not None and address.prefix == "cg" and address.shown == f"127.0.0.1:{tls_server['port']}/cg"
    query = dict(make_url(address.url).query)
    assert query["sslmode"] == "verify-ca"
    pinned = open(query["sslrootcert"], encoding="ascii").read()
    assert ssl.PEM_cert_to_DER_cert(pinned) == ssl.PEM_cert_to_DER_cert(tls_server["cert"].cert_path.read_text())
    # The pinned certificate is what the connection trusts: TLS verified, no question asked.
    url = make_url(address.url).set(username="postgres", password=SUPER_PASSWORD, database="postgres")
    with psycopg.connect(url.render_as_string(hide_password=False)) as c:
        assert c.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone()[0] is True

    # The next start: no first-start choice and no fingerprint; the log-in dialog names the server.
    shown = {}

    def first_start_exec(_dialog):
        raise AssertionError("the first-start choice must not be shown again")

    def login_exec(login):
        shown["where"] = login.findChild(type(login.error), "loginWhere").text()
        return 0

    monkeypatch.setattr(FirstStartDialog, "exec", first_start_exec)
    monkeypatch.setattr(ServerSetupDialog, "exec", first_start_exec)
    monkeypatch.setattr(LoginDialog, "exec", login_exec)
    assert ui_main._unlock(None) is None  # the person closed the log-in dialog
    assert shown["where"] == f"服务器：{address.shown}"


def test_first_start_offers_the_server(configured_app, qtbot, monkeypatch):  # noqa: F811
    from PySide6.QtCore import Qt

    from ui import main as ui_main
    from ui.admin.first_start import FirstStartDialog
    from ui.admin.server_setup import ServerSetupDialog

    seen = []

    def chooser_exec(dialog):
        qtbot.mouseClick(dialog.server_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(FirstStartDialog, "exec", chooser_exec)
    monkeypatch.setattr(ServerSetupDialog, "exec", lambda d: (seen.append(d), 0)[1])
    assert ui_main._first_start() is None  # the person cancelled the server set-up
    assert len(seen) == 1
