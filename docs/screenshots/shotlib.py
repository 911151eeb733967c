"""What every screenshot script shares: a private app (its own data folder and settings, never
the user's) and a grab that saves a widget as it is painted."""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def private_app(folder: str | Path):
    """The QApplication configured as the app configures it, with data and settings in `folder`."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ui.main import configure_application

    os.environ["STATION_DATA_DIR"] = str(folder)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    app = QApplication.instance() or QApplication(sys.argv)
    configure_application(app)
    return app


def grab(app, widget, name: str, size: tuple[int, int] | None = None) -> Path:
    """Show `widget` (at `size`), let it paint, and save it as docs/screenshots/`name`."""
    if size:
        widget.resize(*size)
    widget.show()
    for _ in range(5):
        app.processEvents()
    target = HERE / name
    if not widget.grab().save(str(target)):
        raise SystemExit(f"could not save {target}")
    print(f"{target.relative_to(ROOT)}: {widget.width()}x{widget.height()}")
    return target
