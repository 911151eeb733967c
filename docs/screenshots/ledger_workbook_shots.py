"""Screenshots of the import wizard on another tool's workbook: every sheet with its guessed module,
the officer page (陈警官, a typo, someone not on the roster), the disputes sheet's columns with the
ledger's cut-off day, and the report of three sheets imported in one go with their history.

    .venv/bin/python docs/screenshots/ledger_workbook_shots.py [zh_CN|en_US]   (no argument: both)

Saves ledger_wb_{sheets,officers,columns,report}_{zh,en}_{1920,1366}.png. Needs a CJK font.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from shotlib import grab, private_app  # noqa: E402

SIZES = ((1920, 1080), (1366, 768))


def shoot(lang: str) -> None:
    from app.domain.levels import Module
    from app.services import org
    from app.store import SqliteStore
    from tests.data.ledgers import build as B
    from ui.ledger.import_wizard import LedgerImportWizard
    from ui.main import install_translators

    tag = "zh" if lang == "zh_CN" else "en"
    for size in SIZES:
        with tempfile.TemporaryDirectory() as tmp:
            app = private_app(tmp)
            install_translators(app, lang)
            db = SqliteStore(Path(tmp) / "station.db", create=True)
            org.init_station(db, "城关派出所", "360102001", "东湖分局")
            t1, t2 = org.add_team(db, "社区警务一队"), org.add_team(db, "案件办理队")
            org.add_officer(db, "王建国", "leader")
            org.add_officer(db, "李强", "team_leader", t1)
            org.add_officer(db, "陈刚", "team_leader", t2)
            org.add_officer(db, "张伟", "officer", t1)
            org.add_officer(db, "刘洋", "officer", t2)
            org.add_officer(db, "赵磊", "officer", t1, badge_no=B.BADGE_ZHAO)
            path = Path(tmp) / "XX平台导出台账.xlsx"
            B.other_tool_workbook(path, date.today())
            d = B.Days(date.today())
            wiz = LedgerImportWizard(db, None, path=str(path), module=Module.CASE)
            wiz.resize(*size)
            wiz.show()
            wiz.next()
            wiz.sheet_page.tick_sheet("矛盾纠纷")
            wiz.sheet_page.tick_sheet("重点人员")
            grab(app, wiz, f"ledger_wb_sheets_{tag}_{size[0]}.png", size)
            wiz.next()
            wiz.next()
            wiz.next()
            wiz.officer_page.choose("周警官", "add", "社区警务一队")
            grab(app, wiz, f"ledger_wb_officers_{tag}_{size[0]}.png", size)
            wiz.next()
            page = wiz.currentPage()
            page.default_edits["category"].setCurrentIndex(page.default_edits["category"].findData("公安主责类"))
            page.default_edits["source"].setCurrentIndex(page.default_edits["source"].findData("走访排查"))
            page.default_edits["resolved_on"].setText(d.m.isoformat())
            page.default_edits["case_kind"].setCurrentIndex(page.default_edits["case_kind"].findData("刑事"))
            grab(app, wiz, f"ledger_wb_columns_{tag}_{size[0]}.png", size)
            for _ in range(5):
                wiz.next()
            wiz.next()
            while wiz.task.running:
                app.processEvents()
            wiz.next()
            while wiz.task.running:
                app.processEvents()
            grab(app, wiz, f"ledger_wb_report_{tag}_{size[0]}.png", size)
            wiz.close()
            db.close()


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        shoot(argv[1])
        return 0
    for lang in ("zh_CN", "en_US"):  # one process each: a translator is installed once per app
        subprocess.run([sys.executable, __file__, lang], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
