"""Screenshots of the figures a leader reports: the level change that records a 破案, 登记破案, the
audit trail in words, the breakdown charts (Chinese and English, 1920x1080 and 1366x768), and the
pages of the breakdown (分类统计表), monthly and accountability reports, from a demo station as of
15 May 2025.

    .venv/bin/python resources/i18n/update_translations.py   # the English .qm with today's strings
    .venv/bin/python docs/screenshots/figures_shots.py        # needs poppler-utils for pdftoppm

Writes docs/screenshots/figures_*.png and report_<name>_<page>.png; look at every one.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from shotlib import HERE, grab, private_app

AS_OF = date(2025, 5, 15)
SIZES = ((1920, 1080), (1366, 768))
REPORTS = (("breakdown", "2025-05", 3), ("monthly", "2025-05", 2), ("accountability", "2025-05", 2))


def main() -> int:
    from PySide6.QtCore import QSettings
    from sqlalchemy import select

    from app.demo import generate_demo
    from app.reports.pack import build_report
    from app.services import org, records as R
    from app.store import SqliteStore
    from models import Case, Officer
    from ui.dashboard.dashboard import DashboardView
    from ui.main import install_translators
    from ui.records.workstation import Workstation
    from ui.reports.pdf import write_pdf
    from ui.trust.audit_view import AuditDialog

    with tempfile.TemporaryDirectory() as tmp:
        app = private_app(tmp)
        db = SqliteStore(Path(tmp) / "demo.db", create=True)
        try:
            generate_demo(db, seed=1, scale=0.5, as_of=AS_OF)
            with db.read() as s:
                leader = s.scalar(select(Officer.id).where(Officer.role == "leader").order_by(Officer.id))
                open_cases = list(s.scalars(select(Case.id).where(
                    Case.kind == "criminal", Case.solved_on.is_(None), Case.status == "active",
                    Case.level.in_(("red", "orange"))).order_by(Case.id).limit(3)))
            actor = org.actor_for(db, leader)
            # One real solving through the service, so the audit trail shows it.
            R.change_level(db, actor, "case", open_cases[2], "yellow", "抓获犯罪嫌疑人，案件告破",
                           on=AS_OF, solved_on=AS_OF)
            for lang, tag in (("zh_CN", "zh"), ("en_US", "en")):
                install_translators(app, lang)
                QSettings().setValue("ui/language", lang)
                ws = Workstation(db, actor)
                ws.open_record("case", open_cases[0])
                grab(app, ws.window, f"figures_{tag}_record_solve.png", (1366, 768))
                dlg = ws.change_level("case", open_cases[0])
                dlg.level.setCurrentIndex(dlg.level.findData("yellow"))
                dlg.solved.setChecked(True)
                dlg.reason.setPlainText("抓获犯罪嫌疑人，案件告破")
                grab(app, dlg, f"figures_{tag}_level_solved.png")
                dlg.reject()
                sd = ws.mark_solved(open_cases[1])
                sd.note.setPlainText("串并侦查，抓获犯罪嫌疑人")
                grab(app, sd, f"figures_{tag}_mark_solved.png")
                sd.reject()
                ws.window.close()
                for w, h in SIZES:
                    audit = AuditDialog(db)
                    grab(app, audit, f"figures_{tag}_audit_{w}.png", (w, h))
                    audit.close()
                view = DashboardView(db, as_of=AS_OF)
                for chart in ("by_kind", "by_case_category", "by_dispute_category", "by_focus_area"):
                    view.set_choice(chart, grain="month", count=12)
                    for w, h in SIZES:
                        grab(app, view, f"figures_{tag}_{chart}_{w}.png", (w, h))
                view.close()
            work = Path(tmp)
            for key, period, pages in REPORTS:
                pdf = write_pdf(build_report(db, key, period, AS_OF), work / f"{key}.pdf")
                if shutil.which("pdftoppm") is None:
                    print("pdftoppm is not installed: no report pages", file=sys.stderr)
                    break
                subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", str(pages), str(pdf),
                                str(HERE / f"report_{key}")], check=True)
                for p in sorted(HERE.glob(f"report_{key}-*.png")):
                    print(p.relative_to(HERE.parents[1]))
        finally:
            db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
