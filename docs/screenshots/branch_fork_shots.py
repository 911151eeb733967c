"""Screenshots of the branch console's station list with one station's audit trail forked.

Usage: .venv/bin/python docs/screenshots/branch_fork_shots.py [zh_CN|en_US]   (no argument: both)
Two demo stations export to a branch; the second's next package is refused as audit_fork (the
refusal is recorded exactly as the import records it). Writes docs/screenshots/branch_fork_<lang>_<size>.png.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = Path(__file__).resolve().parent


def branch_with_a_fork(tmp: Path):
    from app.demo import generate_demo
    from app.domain.rules import Actor
    from app.store import SqliteStore
    from app.sync import keys as K
    from app.sync.errors import ImportRejected
    from app.sync.export import export_package
    from app.sync.importer import import_files, note_rejection

    admin = Actor(None, "admin", "admin", account="admin")
    branch = SqliteStore(tmp / "branch.db", create=True)
    ident = K.init_branch(branch, admin, "东湖分局")
    uuids = []
    for seed in (1, 2):
        st = SqliteStore(tmp / f"s{seed}.db", create=True)
        generate_demo(st, seed=seed, scale=0.02, as_of=date.today())
        K.register_branch(st, admin, ident)
        me = K.station_identity(st, admin)
        K.trust_station(branch, admin, me)
        uuids.append(me.uuid)
        for full in (True, False):
            pkg = export_package(st, admin, tmp / f"s{seed}-{full}.stpkg", full=full, force=True).path
            import_files(branch, admin, [pkg], write_receipts=False)
        st.close()
    note_rejection(branch, admin, ImportRejected(
        "audit_fork", "派出所审计日志分叉：从第 250 行之后开始，而本分局只有到第 180 行的日志",
        "the station's audit trail forked: it starts after row 250, but this branch holds rows up to 180",
        authenticated=True, station_uuid=uuids[1], seq=3), "s2-0003.stpkg")
    return branch, admin


def shoot(lang: str) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    tmp = Path(tempfile.mkdtemp())
    os.environ["STATION_DATA_DIR"] = str(tmp / "data")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    app = QApplication(sys.argv)
    from ui.main import configure_application, install_translators

    configure_application(app)
    install_translators(app, lang)
    from ui.branch.freshness_view import FreshnessView

    branch, admin = branch_with_a_fork(tmp)
    view = FreshnessView(branch, admin)
    tag = "zh" if lang.startswith("zh") else "en"
    for w, h in ((1920, 1080), (1366, 768)):
        view.resize(w, h)
        view.show()
        for _ in range(5):
            app.processEvents()
        target = OUT / f"branch_fork_{tag}_{w}.png"
        view.grab().save(str(target))
        print(target.relative_to(ROOT))
    view.close()
    branch.close()


if __name__ == "__main__":
    if len(sys.argv) > 1:
        shoot(sys.argv[1])
    else:
        for lang in ("zh_CN", "en_US"):
            subprocess.run([sys.executable, __file__, lang], check=True)
