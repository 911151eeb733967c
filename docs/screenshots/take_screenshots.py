"""Refresh the screenshots in docs/screenshots from the real app on the demo station.

    .venv/bin/python docs/screenshots/take_screenshots.py

Builds the demo station (seed 1, full scale, as of today) in a temporary folder, opens the main
window as its station leader at 1920x1080 offscreen and saves what it paints. (The database is a
plain one: encryption changes nothing on screen and only adds the log-in.) Needs a CJK font
(Microsoft YaHei on Windows; fonts-noto-cjk or fonts-wqy-microhei on Linux), or Chinese text
comes out as boxes.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

SIZE = (1920, 1080)


def main() -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.db import Database
    from app.demo import generate_demo
    from app.services.org import default_actor
    from ui.main import configure_application
    from ui.main_window import MainWindow

    with tempfile.TemporaryDirectory() as tmp:
        # Never read or write the user's own settings or station database.
        os.environ["STATION_DATA_DIR"] = tmp
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        app = QApplication.instance() or QApplication(sys.argv)
        configure_application(app)

        db = Database(Path(tmp) / "station.db", create=True)
        try:
            summary = generate_demo(db, seed=1)
            window = MainWindow(db, actor=default_actor(db))
            window.resize(*SIZE)
            window.show()
            for _ in range(3):
                app.processEvents()
            target = HERE / "main_window.png"
            if not window.grab().save(str(target)):
                print(f"could not save {target}", file=sys.stderr)
                return 1
            print(f"{target.relative_to(HERE.parents[1])}: {SIZE[0]}x{SIZE[1]}, {summary.station_name}, "
                  f"{summary.cases} cases, {summary.disputes} disputes, {summary.persons} key persons")
            window.close()
        finally:
            db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
