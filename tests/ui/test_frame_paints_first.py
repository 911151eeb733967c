"""An unprotected station file: the main window's frame is painted before SQLAlchemy and the
models are imported; the window itself, with the station's records, then takes its place."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from app.services import accounts
from tests.qt_models.station_data import copy_db

CHILD = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
import ui.main as M
from ui.window_frame import WindowFrame
MODS = ("sqlalchemy", "models", "app.store.sqlite", "ui.main_window")
seen = {}
class Watch(QObject):
    def eventFilter(self, obj, event):
        if (event.type() == QEvent.Type.Paint and isinstance(obj, WindowFrame)
                and "paint" not in seen):
            seen["paint"] = {m: m in sys.modules for m in MODS}
        return False
w = Watch(); app.installEventFilter(w)
def opened(window):
    seen["opened"] = {m: m in sys.modules for m in MODS}
    seen["window"] = None if window is None else type(window).__name__
    if window is not None:
        window.show()
        seen["rows"] = window.current_view().table.model().rowCount()
        seen["title"] = sys.argv[1].rsplit("/", 1)[-1] in window.windowTitle()
        window.close()
        window.database.close()
    QTimer.singleShot(0, app.quit)
frame = M.show_frame_then_open(sys.argv[1], opened)
seen["frame"] = None if frame is None else type(frame).__name__
if frame is not None:
    app.exec()
seen["frames_left"] = sum(isinstance(x, WindowFrame) and x.isVisible() for x in app.topLevelWidgets())
print(seen)
"""


# The real entry point (`python -m app gui --db PATH`): its command line too must leave the database
# layer alone until the frame has painted.
ENTRY_CHILD = r"""
import json, os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QTableView
app = QApplication(sys.argv[:1])
MODS = ("sqlalchemy", "models", "app.services.tables", "app.services.audit", "app.store.base", "app.reports.pack",
        "ui.main_window", "argon2", "cryptography", "sqlalchemy.dialects.postgresql")
seen = {}
class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() != QEvent.Type.Paint or not isinstance(obj, QWidget):
            return False
        name = type(obj.window()).__name__
        if name == "WindowFrame" and "frame" not in seen:
            seen["frame"] = {m: m in sys.modules for m in MODS}
        if name == "WindowFrame" and isinstance(obj.parent(), QTableView) and "frame_rows" not in seen:
            seen["frame_rows"] = obj.parent().model().rowCount()  # the first page, before the database layer
            seen["frame_rows_modules"] = {m: m in sys.modules for m in MODS}
        elif name == "MainWindow" and isinstance(obj.parent(), QTableView) and obj.parent().model().rowCount():
            seen["window"] = {m: m in sys.modules for m in MODS}
            seen["rows"] = obj.parent().model().rowCount()
            print(repr(seen), flush=True)
            os._exit(0)
        return False
from PySide6.QtWidgets import QWidget
w = Watch(); app.installEventFilter(w)
from app.__main__ import main
print(repr({"ended": main(["gui", "--db", sys.argv[1]])}), flush=True)
"""


def _child(path: Path, code: str = CHILD) -> dict:
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=root,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=120)
    assert out.returncode == 0, out.stderr
    return ast.literal_eval(out.stdout.strip().splitlines()[-1])  # a dict printed by the child


def test_frame_paints_before_the_database_layer_then_the_window_takes_its_place(station_db_file, tmp_path):
    seen = _child(copy_db(station_db_file, tmp_path / "plain-station.db"))
    assert seen["frame"] == "WindowFrame"
    assert seen["paint"] == {"sqlalchemy": False, "models": False, "app.store.sqlite": False,
                             "ui.main_window": False}
    assert seen["opened"] == {"sqlalchemy": True, "models": True, "app.store.sqlite": True, "ui.main_window": True}
    assert seen["window"] == "MainWindow"
    assert seen["rows"] > 0  # the station's cases, read after the frame was on screen
    assert seen["title"] is True
    assert seen["frames_left"] == 0


def test_through_the_entry_point_the_frame_paints_before_the_database_layer(station_db_file, tmp_path):
    seen = _child(copy_db(station_db_file, tmp_path / "plain-station.db"), ENTRY_CHILD)
    nothing = {m: False for m in ("sqlalchemy", "models", "app.services.tables", "app.services.audit",
                                  "app.store.base", "app.reports.pack", "ui.main_window", "argon2", "cryptography",
                                  "sqlalchemy.dialects.postgresql")}
    assert seen["frame"] == nothing
    # The frame's table paints the case table's first page (app.services.first_page), still
    # without the database layer.
    assert seen["frame_rows"] > 0
    assert seen["frame_rows_modules"] == nothing
    assert seen["window"]["sqlalchemy"] and seen["window"]["ui.main_window"]
    # A plain file needs neither the password hashing nor the key wrapping of a protected one.
    assert not seen["window"]["argon2"] and not seen["window"]["cryptography"]
    # Nor PostgreSQL's dialect (≈ 0.4 s of imports at load 7), which only a server or branch uses.
    assert not seen["window"]["sqlalchemy.dialects.postgresql"]
    assert seen["rows"] > 0


def test_a_protected_station_gets_no_frame_but_its_log_in(tmp_path):
    path = tmp_path / "station.db"
    accounts.create_protected_database(path, "a-long-password").close()
    seen = _child(path)
    assert seen["frame"] is None  # the log-in dialog paints first there (test_login_paints_first)


def test_which_starts_paint_the_frame(tmp_path):
    from ui.window_frame import plain_station_file

    bad = tmp_path / "not-a-station.db"
    bad.write_bytes(b"this is not a database" * 100)
    assert plain_station_file(str(bad)) == bad  # plain and present: the frame, then open_window's message
    assert plain_station_file(str(tmp_path / "missing.db")) is None  # a first start
    assert plain_station_file("postgresql://branch@localhost/branch") is None


def test_a_plain_file_of_an_older_schema_opens_upgraded_in_a_fresh_process(tmp_path):
    """The window's start imports no more than it needs, yet the store's hooks (the pre-upgrade
    copy) are installed before a file that needs an upgrade is opened."""
    from app.store import SqliteStore
    from app.store.base import head_revision

    path = tmp_path / "old.db"
    SqliteStore(path, create=True, revision="0001").close()
    code = ("import sys\nfrom app.startup import open_station\nopened = open_station(sys.argv[1])\n"
            "print(opened.db.schema_state().current)\nopened.db.close()\n")
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=root,
                         env={**os.environ, "STATION_DATA_DIR": str(tmp_path / "data")}, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == head_revision()
    assert len(list((tmp_path / "backups").glob("*-pre-upgrade.db"))) == 1
