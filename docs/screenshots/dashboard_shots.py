"""Screenshots of the trend charts and of the first page of each report, from a demo station as of 15 May 2025.

    .venv/bin/python docs/screenshots/dashboard_shots.py   (needs poppler-utils for pdftoppm)

Writes docs/screenshots/dashboard_*.png and report_*.png; look at every one before committing.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = Path(__file__).resolve().parent
AS_OF = date(2025, 5, 15)

CHARTS = [  # (file, chart, module, grain, periods)
    ("dashboard_levels_cases", "levels", "case", "month", 12),
    ("dashboard_new_closed_disputes_week", "flow", "dispute", "week", 12),
    ("dashboard_solved_vs_last_year", "solved", None, "month", 12),
    ("dashboard_disputes_found_resolved", "disputes", None, "month", 12),
    ("dashboard_persons_levels_quarter", "persons", None, "quarter", 8),
    ("dashboard_overdue_share", "overdue", "person", "month", 12),
    ("dashboard_days_to_green", "speed", "case", "quarter", 8),
]
REPORT_PERIODS = {"morning": "2025-05-15", "weekly": "2025-W20", "monthly": "2025-05", "accountability": "2025-05",
                  "red": "2025-05-15"}


def main(lang: str = "zh_CN") -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from app.demo import generate_demo
    from app.reports.pack import build_report
    from app.store import SqliteStore
    from ui.dashboard.dashboard import DashboardView
    from ui.main import configure_application
    from ui.reports.pdf import write_pdf

    configure_application(app)
    from ui.main import install_translators

    install_translators(app, lang)
    tag = "" if lang.startswith("zh") else "_en"
    work = Path(tempfile.mkdtemp(prefix="dashboard_shots_"))
    db = SqliteStore(work / "demo.db", create=True)
    try:
        generate_demo(db, seed=1, scale=0.5, as_of=AS_OF)
        view = DashboardView(db, as_of=AS_OF)
        view.resize(1280, 760)
        view.show()
        for name, chart, module, grain, count in CHARTS:
            view.set_choice(chart, module, grain, count)
            app.processEvents()
            # A hover read-out on the last full period, as a person pointing at it would see.
            index = max(0, len(view.trend.periods) - 2)
            view.chart.readout.setText(view.chart.readout_text(index))
            app.processEvents()
            view.grab().save(str(OUT / f"{name}{tag}.png"))
            print(OUT / f"{name}{tag}.png")
        if tag:  # the reports are the station's Chinese documents: drawn once, in Chinese
            return
        view.set_choice("solved", grain="month", count=12)
        view.export_png(str(OUT / "dashboard_export_solved.png"), width=1280)
        for key, period in REPORT_PERIODS.items():
            report = build_report(db, key, period, AS_OF)
            pdf = write_pdf(report, work / f"{key}.pdf")
            if shutil.which("pdftoppm"):
                subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                                str(OUT / f"report_{key}")], check=True)
                print(OUT / f"report_{key}.png")
    finally:
        db.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(sys.argv[1])
    else:  # each language in its own process (translators and QLocale are process-wide)
        import subprocess as _sp

        for code in ("zh_CN", "en_US"):
            _sp.run([sys.executable, __file__, code], check=True)
