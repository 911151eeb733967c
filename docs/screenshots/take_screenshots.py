"""Refresh the screenshots in docs/screenshots from the real app on the demo station.

    .venv/bin/python docs/screenshots/take_screenshots.py

Builds the protected demo station (seed 1, full scale, as of today) in a temporary folder, logs
in as its station leader, and saves what the log-in, the main window (each tab at 1920x1080
offscreen), the backup list and the audit trail paint. Needs a CJK font
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

from shotlib import grab, private_app  # noqa: E402

SIZE = (1920, 1080)
SMALL = (1366, 768)



def main() -> int:
    from app.services.accounts import login
    from app.startup import DEMO_PASSWORD, create_demo_database
    from ui.login_dialog import LoginDialog
    from ui.main_window import MainWindow
    from ui.trust.audit_view import AuditDialog
    from ui.trust.backup_dialog import BackupDialog

    with tempfile.TemporaryDirectory() as tmp:
        # Never read or write the user's own settings or station database.
        app = private_app(tmp)

        path = Path(tmp) / "station.db"
        db, summary = create_demo_database(path, seed=1)
        db.close()
        print(f"demo station {summary.station_name}: {summary.cases} cases, {summary.disputes} disputes, "
              f"{summary.persons} key persons")
        dialog = LoginDialog(path, demo_hint="已创建演示数据库。演示账户 leader（所领导）、teamleader（队长）、"
                                             f"officer（民警），密码均为 {DEMO_PASSWORD}")
        dialog.username.setText("leader")
        grab(app, dialog, "login.png")
        dialog.close()
        session = login(path, "leader", DEMO_PASSWORD)
        try:
            from ui.main import install_translators

            # Each language at the two screen sizes stations have (a 1366x768 laptop: one-line level cards).
            for lang, tag in (("en_US", "_en"), ("zh_CN", "")):
                install_translators(app, lang)
                window = MainWindow(session.db, actor=session.actor)
                for size, suffix in ((SMALL, "_1366"), (SIZE, "")):
                    window.tabs.setCurrentIndex(0)
                    grab(app, window, f"main_window{tag}{suffix}.png", size)
                    for index, name in ((1, "disputes"), (2, "persons")):
                        window.tabs.setCurrentIndex(index)
                        grab(app, window, f"{name}{tag}{suffix}.png", size)
                    window.open_on_own_work()  # the station leader's start: the summary
                    grab(app, window, f"main_window_leader_start{tag}{suffix}.png", size)
                from ui.reports.report_dialog import ReportDialog

                grab(app, ReportDialog(session.db, session.actor), f"report_dialog{tag}.png")
                window.close()
            window = MainWindow(session.db, actor=session.actor)
            window.resize(*SIZE)
            from app.services.backup import make_backup

            grab(app, BackupDialog(session.db, session.actor), "backups_empty.png")  # before the first backup
            make_backup(session.db, "daily")
            make_backup(session.db, "manual")
            grab(app, BackupDialog(session.db, session.actor), "backups.png")
            grab(app, AuditDialog(session.db), "audit.png", (1400, 700))
            window.close()
        finally:
            session.db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
