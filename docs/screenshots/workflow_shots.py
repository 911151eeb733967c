"""Screenshots of the seed's workflows on the demo station: the workflow window's four tabs
(110警情, 串并侦查, 天网布控, 融调化解) at 1920×1080 and 1366×768, a red key person's 在管在控 tab,
a handed-over dispute's 融调化解 tab; Chinese and English (the briefing's workflow slide: briefing_shots.py).

    .venv/bin/python docs/screenshots/workflow_shots.py
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from shotlib import grab, private_app  # noqa: E402

SIZES = ((1920, 1080), (1366, 768))


def main(lang: str = "zh_CN") -> int:
    from sqlalchemy import select

    from app.services.accounts import login
    from app.startup import DEMO_PASSWORD, create_demo_database
    from models import Dispute, Person
    from ui.records.workstation import Workstation
    from ui.workflows.window import WorkflowWindow

    with tempfile.TemporaryDirectory() as tmp:
        app = private_app(tmp)
        from ui.main import install_translators

        install_translators(app, lang)
        tag = "" if lang.startswith("zh") else "_en"
        path = Path(tmp) / "station.db"
        db, _summary = create_demo_database(path, seed=1)
        db.close()
        session = login(path, "leader", DEMO_PASSWORD)
        try:
            win = WorkflowWindow(session.db, session.actor)
            for w, h in SIZES:
                suffix = "" if w == 1920 else "_1366"
                for key in WorkflowWindow.TABS:
                    win.show_tab(key)
                    if key == "alerts":
                        win.pages["alerts"].table.setCurrentItem(win.pages["alerts"].table.topLevelItem(0))
                        pending = win.pages["alerts"].pending
                        if pending.topLevelItemCount():  # the repeat-call suggestion to answer
                            pending.setCurrentItem(pending.topLevelItem(0))
                    if key == "series" and win.pages["series"].members.topLevelItemCount():
                        members = win.pages["series"].members
                        members.setCurrentItem(members.topLevelItem(members.topLevelItemCount() - 1))
                    grab(app, win, f"workflow_{key}{tag}{suffix}.png", (w, h))
            win.close()
            with session.db.read() as s:
                red = s.scalar(select(Person.id).where(Person.level == "red", Person.status == "active",
                                                       Person.control_status == "away_reported"))
                handed = s.scalar(select(Dispute.id).where(Dispute.handover_on.is_not(None)).order_by(Dispute.id))
            ws = Workstation(session.db, session.actor)
            for module, rid, name in (("person", red, "person_control"), ("dispute", handed, "dispute_mediation")):
                rv = ws.open_record(module, rid)
                panel, index = next(v for k, v in rv.workflow_panels.items() if k.value == module)
                rv.tabs.setCurrentIndex(index)
                grab(app, ws.window, f"workflow_{name}{tag}_1366.png", (1366, 768))
            ws.window.close()
        finally:
            session.db.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(main(sys.argv[1]))
    for code in ("zh_CN", "en_US"):  # each language in its own process (translators are process-wide)
        subprocess.run([sys.executable, __file__, code], check=True)
