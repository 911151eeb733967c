"""English is complete: every window, rendered in English over a station whose own data is in
Latin letters, shows no Chinese character (a CJK character there is an untranslated string or
Chinese punctuation in English text)."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QApplication

from app.services import org, records
from app.services.records import CaseInput, DisputeInput, PersonInput, Responsibility
from tests.ui.english_check import chinese_left


def latin_station(db) -> dict:
    """A station whose names and records are all in Latin letters."""
    org.init_station(db, "Riverside Station", "360102001", "East Lake Branch")
    t1 = org.add_team(db, "Team One")
    t2 = org.add_team(db, "Team Two")
    leader = org.actor_for(db, org.add_officer(db, "Wang Jianguo", "leader"))
    tl = org.actor_for(db, org.add_officer(db, "Li Qiang", "team_leader", t1))
    org.add_officer(db, "Chen Gang", "team_leader", t2)
    officer = org.actor_for(db, org.add_officer(db, "Zhang Wei", "officer", t1))
    r = Responsibility(officer_id=officer.officer_id)
    today = date.today()
    ids = {
        "case": records.create_case(db, officer, CaseInput("A2025001", "criminal", "red", today, cause="Theft",
                                                           place="Main Road 8", summary="A bicycle was stolen",
                                                           people=r, reason="Entered")),
        "dispute": records.create_dispute(db, officer, DisputeInput("J2025001", "police_primary", "110", "yellow",
                                                                    today, parties="Zhang San, Li Si",
                                                                    place="Lake Street 12", people=r,
                                                                    reason="Entered")),
        "person": records.create_person(db, officer, PersonInput("Shan Xiongxin", "red", today,
                                                                 control_plan="Weekly visit", people=r,
                                                                 reason="Entered")),
    }
    records.log_action(db, officer, "case", ids["case"], "investigation", "Checked the cameras", "Seen", today)
    return {"leader": leader, "team_leader": tl, "officer": officer, "ids": ids, "team": t1}


def english_windows(db, people):
    """(name, factory) of every window a station person meets."""
    from app.domain.levels import Module
    from ui.main_window import MainWindow
    from ui.records import forms
    from ui.records.my_work import MyWorkDialog
    from ui.records.workstation import Workstation
    from ui.reports.report_dialog import ReportDialog
    from ui.sync.export_dialog import ExportDialog
    from ui.trust.audit_view import AuditDialog
    from ui.trust.backup_dialog import BackupDialog

    lead, off, ids = people["leader"], people["officer"], people["ids"]

    def main(module):
        def make():
            w = MainWindow(db, actor=lead)
            w.tabs.setCurrentWidget(w.views[module])
            return w
        return make

    def dashboard():
        w = MainWindow(db, actor=lead)
        w.show_dashboard()
        return w

    def record(module):
        def make():
            ws = Workstation(db, off)
            ws.open_record(module, ids[module])
            return ws.window
        return make

    d = records.get_record(db, "case", ids["case"])
    out = [(f"main {m.value}", main(m)) for m in Module]
    out += [("dashboard", dashboard)]
    out += [(f"record {m}", record(m)) for m in ("case", "dispute", "person")]
    out += [(f"new {m}", lambda m=m: forms.RecordForm(db, lead, m)) for m in ("case", "dispute", "person")]
    out += [
        ("edit case", lambda: forms.RecordForm(db, off, "case", ids["case"])),
        ("level", lambda: forms.LevelDialog(db, off, "case", ids["case"], d.level, d.version, record_label="A1")),
        ("bulk level", lambda: forms.BulkLevelDialog(db, off, "case", [ids["case"]])),
        ("action", lambda: forms.ActionDialog(db, off, "dispute", ids["dispute"])),
        ("convert", lambda: forms.ConvertDialog(db, off, ids["dispute"])),
        ("reassign", lambda: forms.ReassignDialog(db, lead, "case", [ids["case"]])),
        ("team member", lambda: forms.TeamMemberDialog(db, off, ids["person"])),
        ("my work", lambda: MyWorkDialog(db, off)),
        ("reports", lambda: ReportDialog(db, lead)),
        ("export", lambda: ExportDialog(db, lead)),
        ("audit", lambda: AuditDialog(db)),
        ("backups", lambda: BackupDialog(db, lead)),
    ]
    return out


@pytest.fixture
def english(configured_app):
    from ui.main import install_translators

    install_translators(QApplication.instance(), "en_US")
    yield
    install_translators(QApplication.instance(), "zh_CN")


NAMES = ["main case", "main dispute", "main person", "dashboard", "record case", "record dispute", "record person",
         "new case", "new dispute", "new person", "edit case", "level", "bulk level", "action", "convert", "reassign",
         "team member", "my work", "reports", "export", "audit", "backups"]


@pytest.mark.parametrize("name", NAMES)
def test_every_window_is_english_through(english, qtbot, db, name):
    people = latin_station(db)
    window = dict(english_windows(db, people))[name]()
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    left = chinese_left(window)
    assert not left, "\n".join(left)


def test_the_check_finds_chinese(english, qtbot):
    from PySide6.QtWidgets import QLabel, QWidget

    w = QWidget()
    qtbot.addWidget(w)
    QLabel("Level：red", w)
    w.show()
    assert chinese_left(w) == ["QLabel:: Level：red"]


@pytest.mark.parametrize("mode", ["daily", "weekly"])
def test_the_briefing_is_english_through(english, qtbot, db, monkeypatch, mode):
    """Every text the slides paint (titles, footers, units, legends) is English."""
    from datetime import datetime, timedelta

    from app.services.briefing import start_briefing
    from tests.ui.english_check import CJK
    from ui.briefing.canvas import SlidePainter
    from ui.briefing.window import BriefingPrefs, BriefingWindow

    people = latin_station(db)
    start_briefing(db, people["leader"], mode, datetime.now() - timedelta(days=1))
    painted: list[str] = []
    original = SlidePainter.text

    def spy(self, x, y, w, h, text, *args, **kw):
        painted.append(text)
        return original(self, x, y, w, h, text, *args, **kw)

    monkeypatch.setattr(SlidePainter, "text", spy)
    window = BriefingWindow(db, people["leader"], mode=mode, prefs=BriefingPrefs(rotate_seconds=0))
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    for i in range(len(window.pages)):
        window.go_to(i)
        window.grab()
    assert len(painted) > 50
    left = sorted({t for t in painted if CJK.search(t or "")})
    assert not left, left


def test_the_series_and_the_repeat_call_suggestion_are_english_through(english, qtbot, db, tmp_path):
    """The workflow window's series tab (members, what they share, candidates), its alerts tab with a
    repeat-call suggestion and its detail, and a case's series panel: English over Latin data."""
    from datetime import datetime, timedelta

    import openpyxl

    from app.ledger.alerts import import_alerts
    from app.services import alerts, series
    from ui.records.suggestions import Found, SuggestionDialog
    from ui.records.workstation import Workstation
    from ui.workflows.window import WorkflowWindow

    people = latin_station(db)
    lead, off = people["leader"], people["officer"]
    r = Responsibility(officer_id=off.officer_id)
    today = date.today()
    cases = [records.create_case(db, off, CaseInput(f"B20250{i}", "criminal", "orange", today - timedelta(days=9 - i),
                                                    cause="Burglary", place=f"Harbour Road {i + 2}", people=r,
                                                    reason="Entered")) for i in range(4)]
    series.create_series(db, lead, "Harbour Road burglaries", cases[:3], features="Entered by the balcony")

    def alert_log(name: str, rows: list) -> str:
        wb = openpyxl.Workbook()
        wb.active.append(["警情编号", "报警时间", "发案地址", "报警人", "简要警情"])
        for row in rows:
            wb.active.append(row)
        wb.save(tmp_path / name)
        return str(tmp_path / name)

    t0 = datetime.now().replace(microsecond=0) - timedelta(days=5)
    import_alerts(db, lead, alert_log("a.xlsx", [["N1", t0, "Lake Street 12", "Zhao Liu", "Noise upstairs"]]))
    alerts.alert_to_dispute(db, lead, alerts.list_alerts(db)[0].id, dispute_no="J110-1", officer_id=off.officer_id)
    import_alerts(db, lead, alert_log("b.xlsx", [["N2", t0 + timedelta(days=1), "Lake Street 12", "Zhao Liu", "Again"],
                                                 ["N3", t0 + timedelta(days=2), "Lake Street 12", "", "Still"]]))
    win = WorkflowWindow(db, lead)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    win.show_tab("alerts")
    pending = win.pages["alerts"].pending
    assert pending.topLevelItemCount() == 1
    pending.setCurrentItem(pending.topLevelItem(0))
    detail = win.pages["alerts"].pending_detail.text()
    assert "Lake Street 12" in detail and "J110-1" in detail, detail
    win.show_tab("series")
    assert win.pages["series"].members.topLevelItemCount() == 3
    assert "Burglary (3 of 3)" in win.pages["series"].features.text()
    assert win.pages["series"].candidates.topLevelItemCount() == 1
    left = chinese_left(win)
    win.show_tab("alerts")
    left += chinese_left(win)
    assert not left, "\n".join(left)
    ws = Workstation(db, off)
    rv = ws.open_record("case", cases[0])
    panel, index = next(v for k, v in rv.workflow_panels.items() if k.value == "case")
    rv.tabs.setCurrentIndex(index)
    qtbot.addWidget(ws.window)
    ws.window.show()
    left = chinese_left(ws.window)
    assert "Harbour Road burglaries (Investigating)" in panel.state.text()
    assert not left, "\n".join(left)
    # The suggestion after a new record: "升级" is the verb on its button here (a label on the briefing).
    dialog = SuggestionDialog(db, off, "dispute", cases[0], [Found("repeat_110", "Lake Street 12", "dispute", 1,
                                                                   "orange")])
    qtbot.addWidget(dialog)
    assert dialog.rows[0][1].text() == "Raise"
