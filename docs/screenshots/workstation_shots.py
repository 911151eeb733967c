"""Screenshots of the workstation from the real window: each module's table, the record view and a form.

Usage: .venv/bin/python docs/screenshots/workstation_shots.py [zh_CN|en_US]   (no argument: both)
Each language runs in its own process (translators and QLocale are process-wide). Writes
docs/screenshots/ws_<lang>_<what>.png from a demo station generated into a temporary folder.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = Path(__file__).resolve().parent


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
    from app.demo import generate_demo
    from app.domain.levels import Module
    from app.services import org
    from app.store import SqliteStore
    from ui.main_window import MainWindow

    db = SqliteStore(tmp / "station.db", create=True)
    generate_demo(db, seed=1, scale=0.2)
    leader = next(o for o in org.list_officers(db) if o.role == "leader")
    win = MainWindow(db, actor=org.actor_for(db, leader.id))
    win.resize(1600, 900)
    win.show()
    tag = "zh" if lang.startswith("zh") else "en"

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    for size, suffix in (((1366, 768), "_1366"), ((1920, 1080), "")):
        win.resize(*size)
        for i, module in enumerate((Module.CASE, Module.DISPUTE, Module.PERSON)):
            win.tabs.setCurrentIndex(i)
            settle()
            win.grab().save(str(OUT / f"ws_{tag}_{module.value}_table{suffix}.png"))
    # an officer opens on their own records; a pinyin search says whom it matched
    officer = next(o for o in org.list_officers(db) if o.role == "officer")
    own = MainWindow(db, actor=org.actor_for(db, officer.id))
    for size, suffix in (((1366, 768), "_1366"), ((1920, 1080), "")):
        own.resize(*size)
        own.show()
        settle()
        own.grab().save(str(OUT / f"ws_{tag}_officer_start{suffix}.png"))
    own.close()
    cases = win.views[Module.CASE]
    win.tabs.setCurrentIndex(0)
    win.resize(1366, 768)
    cases.search.setText("zjg")
    cases.apply_filters()
    settle()
    win.grab().save(str(OUT / f"ws_{tag}_pinyin_search.png"))
    cases.search.setText("zzzzqq")
    cases.apply_filters()
    settle()
    win.grab().save(str(OUT / f"ws_{tag}_no_results.png"))
    cases.clear_filters()
    # the bulk level change of mixed levels, and the change-level dialog with its swatches
    reds = [r for r in range(cases.model.rowCount()) if cases.model.row_at(r).level == "red"][:2]
    oranges = [r for r in range(cases.model.rowCount()) if cases.model.row_at(r).level == "orange"][:1]
    bulk = win.workstation.bulk_level("case", [cases.model.ids[r] for r in reds + oranges])
    settle()
    bulk.grab().save(str(OUT / f"ws_{tag}_bulk_level.png"))
    bulk.close()
    level = win.workstation.change_level("case", cases.model.ids[reds[0]])
    level.level.showPopup()
    settle()
    level.grab().save(str(OUT / f"ws_{tag}_level_dialog.png"))
    level.level.hidePopup()
    level.close()
    win.resize(1600, 900)
    # the record view: a key person with links and history, opened from the table
    view = win.views[Module.PERSON]
    view.table.selectRow(0)
    best = max(range(min(view.model.rowCount(), 200)),
               key=lambda r: len(win.workstation.record_view()._load(
                   "person", view.model.ids[r]).timeline) if r < 40 else 0)
    rv = win.workstation.open_record("person", view.model.ids[best])
    rv.tabs.setCurrentIndex(1)
    win.workstation.window.resize(1000, 760)
    settle()
    win.workstation.window.grab().save(str(OUT / f"ws_{tag}_record_view.png"))
    rv.tabs.setCurrentIndex(0)
    settle()
    win.workstation.window.grab().save(str(OUT / f"ws_{tag}_record_fields.png"))
    # one person, one team (一人一专班): the team tab with its members and the add dialog
    rv.tabs.setCurrentIndex(rv._team_index)
    settle()
    if rv.team_officer_ids():
        rv.team.setCurrentRow(0)
    add = win.workstation.add_team_member(rv.detail.id)
    add.duty.setText("每周走访一次，联系监护人" if tag == "zh" else "weekly visit, keep in touch with the guardian")
    settle()
    win.workstation.window.grab().save(str(OUT / f"ws_{tag}_record_team.png"))
    add.grab().save(str(OUT / f"ws_{tag}_team_dialog.png"))
    add.binder.stack.clear()
    add.close()
    win.workstation.window.close()
    # a dispute's follow-up visit asks for the parties' satisfaction
    dview = win.views[Module.DISPUTE]
    rv = win.workstation.open_record("dispute", dview.model.ids[0])
    act = win.workstation.log_action("dispute", rv.detail.id)
    act.kind.setCurrentIndex(act.kind.findData("followup"))
    act.content.setPlainText("电话回访双方当事人，双方表示已按协议履行" if tag == "zh" else "phoned both parties")
    act.satisfaction.setCurrentIndex(act.satisfaction.findData("satisfied"))
    settle()
    act.grab().save(str(OUT / f"ws_{tag}_followup.png"))
    act.binder.stack.clear()
    act.close()
    win.workstation.window.close()
    win.tabs.setCurrentIndex(1)
    form = win.workstation.new_record("dispute")
    form.rows["level"].widget.setCurrentIndex(form.rows["level"].widget.findData("green"))
    form.rows["dispute_no"].widget.setText("J2025-0999")
    form.rows["id_number"].widget if "id_number" in form.rows else None
    form.rows["parties"].widget.setText("张三、李四" if tag == "zh" else "Zhang San, Li Si")
    form.accept()  # shows the missing fields the green level requires, next to them
    form.resize(640, form.sizeHint().height())
    settle()
    form.grab().save(str(OUT / f"ws_{tag}_form.png"))
    form.binder.stack.clear()
    form.close()
    win.close()
    db.close()


if __name__ == "__main__":
    if len(sys.argv) > 1:
        shoot(sys.argv[1])
    else:
        for lang in ("zh_CN", "en_US"):
            subprocess.run([sys.executable, __file__, lang], check=True)
        print("written:", *sorted(p.name for p in OUT.glob("ws_*.png")))
