"""Screenshots of the ledger import wizard on a test ledger in the usual station shapes.

    .venv/bin/python docs/screenshots/ledger_shots.py

Builds a small station and the dispute ledger of tests/data/ledgers (merged title rows, levels
written 高/中/低, statuses 待化解/已调解, a total row) in a temporary folder, walks the wizard and
saves each page: ledger_header.png, ledger_columns.png, ledger_values.png, ledger_preview.png,
ledger_report.png. Needs a CJK font (fonts-noto-cjk on Linux).
"""
from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from shotlib import grab, private_app  # noqa: E402

SIZE = (1200, 760)



def main() -> int:
    from app.domain.levels import Module
    from app.services import org
    from app.store import SqliteStore
    from tests.data.ledgers import build as B
    from ui.ledger.import_wizard import LedgerImportWizard

    with tempfile.TemporaryDirectory() as tmp:
        app = private_app(tmp)
        db = SqliteStore(Path(tmp) / "station.db", create=True)
        org.init_station(db, "城关派出所", "360102001", "东湖分局")
        t1, t2 = org.add_team(db, "社区警务一队"), org.add_team(db, "案件办理队")
        org.add_officer(db, "王建国", "leader")
        org.add_officer(db, "李强", "team_leader", t1)
        org.add_officer(db, "陈刚", "team_leader", t2)
        org.add_officer(db, "张伟", "officer", t1)
        org.add_officer(db, "刘洋", "officer", t2)
        ledger = Path(tmp) / "2025年矛盾纠纷台账.xlsx"
        B.dispute_ledger(ledger, date.today())

        wiz = LedgerImportWizard(db, None, path=str(ledger), module=Module.DISPUTE)
        wiz.resize(*SIZE)
        wiz.show()
        wiz.next()
        grab(app, wiz, "ledger_header.png")
        wiz.next()
        grab(app, wiz, "ledger_columns.png")
        wiz.next()
        values = wiz.value_page
        for value, code in (("高", "red"), ("中", "orange"), ("低", "yellow")):
            values.choose("level", value, code)
        for value in ("待化解", "调解中", "待关注"):
            values.choose("status", value, "open")
        values.choose("status", "已调解", "closed")
        grab(app, wiz, "ledger_values.png")
        wiz.next()
        while wiz.task.running:  # the preview runs on a worker thread
            app.processEvents()
        grab(app, wiz, "ledger_preview.png")
        wiz.next()
        while wiz.task.running:  # and so does the import
            app.processEvents()
        wiz.report_page.save_rejects(Path(tmp) / "2025年矛盾纠纷台账_未导入.xlsx")
        grab(app, wiz, "ledger_report.png")
        wiz.close()
        db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
