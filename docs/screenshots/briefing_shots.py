"""Screenshots of every slide of the briefing window, from the real window on the demo station.

    .venv/bin/python docs/screenshots/briefing_shots.py

Builds the protected demo station (seed 1, full scale, as of today) in a temporary folder, logs
in as its station leader, records a morning briefing shown yesterday at 08:30, opens the briefing
window at 1920x1080 (offscreen) and saves each slide as docs/screenshots/briefing_<page>.png,
then the weekly consultation's "since the last" slide and the first page of the PDF handout
(briefing_handout.png, through pdftoppm when it is installed). Needs a CJK font.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, time, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from shotlib import private_app  # noqa: E402

SIZE = (1920, 1080)


def _save(app, window, name: str) -> Path:
    for _ in range(3):
        app.processEvents()
    target = HERE / name
    if not window.grab().save(str(target)):
        raise SystemExit(f"could not save {target}")
    cut = f" (shortened: {window.painted_elided})" if window.painted_elided else ""
    print(f"{target.relative_to(HERE.parents[1])}: {window.width()}x{window.height()}{cut}")
    return target


def main(lang: str = "zh_CN") -> int:
    from app.services.accounts import login
    from app.services.briefing import start_briefing
    from app.startup import DEMO_PASSWORD, create_demo_database
    from ui.briefing.window import BriefingPrefs, BriefingWindow

    with tempfile.TemporaryDirectory() as tmp:
        app = private_app(tmp)
        from ui.main import install_translators

        install_translators(app, lang)
        tag = "" if lang.startswith("zh") else "en_"

        path = Path(tmp) / "station.db"
        db, summary = create_demo_database(path, seed=1)
        db.close()
        print(f"demo station {summary.station_name}: {summary.cases} cases, {summary.disputes} disputes, "
              f"{summary.persons} key persons")
        session = login(path, "leader", DEMO_PASSWORD)
        try:
            yesterday = datetime.combine(datetime.now().date() - timedelta(days=1), time(8, 30))
            start_briefing(session.db, session.actor, "daily", yesterday)
            start_briefing(session.db, session.actor, "weekly", yesterday - timedelta(days=6))
            # No rotation while the pictures are taken.
            prefs = BriefingPrefs(rotate_seconds=0)
            window = BriefingWindow(session.db, session.actor, prefs=prefs)
            window.resize(*SIZE)
            window.show()
            for i, page in enumerate(window.pages):
                window.go_to(i)
                _save(app, window, f"briefing_{tag}{i + 1:02d}_{page.key}.png")
            window.set_mode("weekly")
            window.go_to(1)
            _save(app, window, f"briefing_{tag}weekly_changes.png")
            window.set_mode("daily")
            if tag:  # the handout is drawn by the same slides: once, in Chinese
                window.close()
                return 0
            pdf = Path(tmp) / "handout.pdf"
            window.export_handout(pdf)
            if shutil.which("pdftoppm"):
                subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "3", "-l", "3", "-singlefile", str(pdf),
                                str(HERE / "briefing_handout")], check=True)
                print("docs/screenshots/briefing_handout.png (page 3 of the PDF handout)")
            window.close()
        finally:
            session.db.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(main(sys.argv[1]))
    for code in ("zh_CN", "en_US"):  # each language in its own process (translators are process-wide)
        subprocess.run([sys.executable, __file__, code], check=True)
