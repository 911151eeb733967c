"""The log-in dialog of a protected station is painted from the key file alone: SQLAlchemy, the
models and the crypto libraries are imported after its first paint, while the person types."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from app.services import accounts

CHILD = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
import ui.main as M
from ui.login_dialog import LoginDialog
seen = {}
class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and isinstance(obj, LoginDialog) and "paint" not in seen:
            seen["paint"] = {m: m in sys.modules for m in ("sqlalchemy", "models", "argon2", "app.store.sqlite")}
            def later():
                seen["later"] = {m: m in sys.modules for m in ("sqlalchemy", "models", "argon2", "app.store.sqlite")}
                obj.reject()
            QTimer.singleShot(300, later)
        return False
w = Watch(); app.installEventFilter(w)
assert M._unlock(sys.argv[1]) is None  # cancelled
print(seen)
"""


def test_login_dialog_paints_before_the_database_layer_is_imported(tmp_path):
    path = tmp_path / "station.db"
    accounts.create_protected_database(path, "a-long-password").close()
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, cwd=root,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=120)
    assert out.returncode == 0, out.stderr
    seen = ast.literal_eval(out.stdout.strip().splitlines()[-1])  # a dict printed by the child
    assert seen["paint"] == {"sqlalchemy": False, "models": False, "argon2": False, "app.store.sqlite": False}
    assert seen["later"] == {"sqlalchemy": True, "models": True, "argon2": True, "app.store.sqlite": True}
