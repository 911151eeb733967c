"""Screenshots of a workstation on a station server, in Chinese and English: the first-start choice
(server_first_start_<lang>.png), the server set-up with the certificate's fingerprint to confirm
(server_setup_<lang>.png), the log-in dialog naming the server (server_login_<lang>.png), and the
main window at 1920×1080 and 1366×768 connected (server_window_<lang>_<width>.png) and with the
server lost while a form is open (server_lost_<lang>_<width>.png).

    STATION_TEST_PG_URL=postgresql://station@127.0.0.1:40625/station_test \\
        .venv/bin/python docs/screenshots/server_shots.py

Needs the test PostgreSQL server (scripts/start_postgres.sh) and a CJK font.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from shotlib import grab, private_app  # noqa: E402

SIZES = ((1920, 1080), (1366, 768))


def main() -> None:
    from sqlalchemy.engine import make_url

    from app.server.proxy import LatencyProxy
    from app.server.setup import ServerAddress, login_to_server
    from app.server.tls import make_server_certificate
    from tests.server.conftest import Scratch
    from tests.server.helpers import make_station, new_case
    from ui.admin.first_start import FirstStartDialog
    from ui.admin.server_setup import ServerSetupDialog
    from ui.login_dialog import LoginDialog
    from ui.main import install_translators
    from ui.main_window import MainWindow

    with tempfile.TemporaryDirectory() as tmp:
        app = private_app(tmp)
        scratch = Scratch()
        try:
            station = make_station(scratch)
            target = make_url(os.environ["STATION_TEST_PG_URL"])
            proxy = LatencyProxy(target.host or "127.0.0.1", target.port or 5432)
            via = make_url(station.address.url).set(host="127.0.0.1", port=proxy.port)
            address = ServerAddress(via.render_as_string(hide_password=False), station.address.prefix)
            off1 = login_to_server(address, "off1", station.accounts["off1"])
            for no in ("A2026-001", "A2026-002", "A2026-003"):
                new_case(off1.db, off1.actor, no, station.officers["off1"], station.teams["一队"])
            cert = make_server_certificate(Path(tmp) / "cert", ["192.168.1.10"])
            der = __import__("ssl").PEM_cert_to_DER_cert(cert.cert_path.read_text())
            for lang in ("zh", "en"):
                install_translators(app, "zh_CN" if lang == "zh" else "en_US")
                grab(app, FirstStartDialog(), f"server_first_start_{lang}.png")
                setup = ServerSetupDialog()
                setup.host.setText("192.168.1.10")
                setup.database.setText("chengguan")
                setup.show_certificate(der)
                grab(app, setup, f"server_setup_{lang}.png")
                login = LoginDialog(None, server=ServerAddress("postgresql://192.168.1.10:5432/chengguan",
                                                               "chengguan"))
                login.username.setText("zhangwei")
                grab(app, login, f"server_login_{lang}.png")
                setup.close()
                login.close()
                for width, height in SIZES:
                    win = MainWindow(off1.db, actor=off1.actor)
                    grab(app, win, f"server_window_{lang}_{width}.png", (width, height))
                    form = win.workstation.new_record("case")
                    form.set_field("case_no", "A2026-004")
                    form.set_field("cause", "诈骗" if lang == "zh" else "fraud")
                    form.show()
                    proxy.cut()
                    deadline = time.monotonic() + 20
                    while win.server_link.events.connected and time.monotonic() < deadline:
                        app.processEvents()
                        time.sleep(0.05)
                    for _ in range(5):
                        app.processEvents()
                    form.accept()  # refused: the server is lost; the form keeps its text
                    win.resize(width, height)
                    form.move(win.geometry().center() - form.rect().center())
                    shot = win.grab()
                    painter_target = HERE / f"server_lost_{lang}_{width}.png"
                    from PySide6.QtGui import QPainter

                    painter = QPainter(shot)
                    painter.drawPixmap(form.geometry().topLeft() - win.geometry().topLeft(), form.grab())
                    painter.end()
                    shot.save(str(painter_target))
                    print(f"{painter_target.relative_to(HERE.parents[1])}: {width}x{height}")
                    proxy.resume()
                    deadline = time.monotonic() + 20
                    while not win.server_link.events.connected and time.monotonic() < deadline:
                        app.processEvents()
                        time.sleep(0.05)
                    form.close()
                    win.server_link.stop()
                    win.close()
            off1.db.close()
            proxy.close()
        finally:
            scratch.drop()


if __name__ == "__main__":
    main()
