"""A workstation that loses the station server mid-edit: the window says so, the open form keeps
what was typed and its save is refused with that reason, and once the server is back the same
form saves and the window says it is connected again. The network is cut and restored by a local
TCP proxy between the workstation and the real PostgreSQL server."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.server.proxy import LatencyProxy
from app.server.setup import ServerAddress, login_to_server
from tests.server.helpers import make_station
from tests.ui.conftest import configured_app  # noqa: F401 - the fixture


def _type_chinese(widget, value: str) -> None:
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(value)
    QApplication.sendEvent(widget, event)


def _cases(scratch, case_no: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(scratch.owner_url) as c:
        return c.execute("SELECT cause, place FROM case_record WHERE case_no = %s", (case_no,)).fetchall()


def test_a_lost_server_keeps_the_form_and_saves_once_back(scratch, configured_app, qtbot):
    pytest.importorskip("PySide6")
    from PySide6.QtCore import Qt

    from ui.main_window import MainWindow

    station = make_station(scratch)
    target = make_url(os.environ["STATION_TEST_PG_URL"])
    proxy = LatencyProxy(target.host or "127.0.0.1", target.port or 5432)
    via = make_url(station.address.url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    address = ServerAddress(via, station.address.prefix)
    off1 = login_to_server(address, "off1", station.accounts["off1"])
    win = MainWindow(off1.db, actor=off1.actor)
    qtbot.addWidget(win)
    try:
        link = win.server_link
        assert link is not None and link.events.connected
        assert link.label.text() == f"服务器：{address.shown}"

        form = win.workstation.new_record("case")
        qtbot.addWidget(form)
        form.set_field("case_no", "A-LOST-1")
        _type_chinese(form.rows["cause"].widget, "诈骗")
        _type_chinese(form.rows["place"].widget, "城关镇人民路8号")
        form.rows["level"].widget.setCurrentIndex(form.rows["level"].widget.findData("orange"))

        with qtbot.waitSignal(link.events.connection_changed, timeout=20000) as lost:
            proxy.cut()  # the network fails while the officer is typing
        assert lost.args == [False]
        assert "连接已中断" in link.label.text()

        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
        assert form.isVisible()  # refused: the form stays with what was typed
        assert "连接已中断" in form.message.text()
        assert form.rows["cause"].widget.text() == "诈骗"
        assert form.rows["place"].widget.text() == "城关镇人民路8号"
        assert _cases(scratch, "A-LOST-1") == []

        with qtbot.waitSignal(link.events.connection_changed, timeout=20000) as back:
            proxy.resume()
        assert back.args == [True]
        assert link.label.text() == f"服务器：{address.shown}"
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
        assert not form.isVisible()
        assert _cases(scratch, "A-LOST-1") == [("诈骗", "城关镇人民路8号")]
        with off1.db.read() as s:  # the same store goes on working over new connections
            assert s.execute(text("SELECT count(*) FROM case_record")).scalar() == 1
    finally:
        win.server_link.stop()
        win.close()
        off1.db.close()
        proxy.close()
