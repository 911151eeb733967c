"""The seed's workflows through the widgets: the person's 在管在控 tab (a check, an event, an
assessment typed in Chinese), a dispute's 融调化解 tab (mediation, hand-over), a case's 串并 tab,
and the workflow window (110 import, 转为纠纷, series, watch-list export read back)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import openpyxl
from PySide6.QtWidgets import QPlainTextEdit

from app.services import alerts as AL, control as C, mediation as M, records as R, series as S
from tests.ui.test_main_window import type_chinese

TODAY = date.today()


def _person(db, actor, level="yellow"):
    return R.create_person(db, actor, R.PersonInput("周某", level, TODAY - timedelta(days=5), control_plan="专班盯控",
                                                    risk_categories=("ordinary",),
                                                    people=R.Responsibility(officer_id=actor.officer_id)))


def _fill(dialog, key, text):
    w = dialog.widgets[key]
    if isinstance(w, QPlainTextEdit):
        w.setFocus()
    type_chinese(w, text)


def _open(qtbot, db, actor, module, rid):
    from ui.records.workstation import Workstation

    ws = Workstation(db, actor)
    rv = ws.open_record(module, rid)
    qtbot.addWidget(ws.window)
    return ws, rv


def test_person_tab_records_a_check_an_event_and_an_assessment(configured_app, qtbot, db, station):
    pid = _person(db, station.officer)
    ws, rv = _open(qtbot, db, station.officer, "person", pid)
    panel, index = rv.workflow_panels[R.Module.PERSON]
    assert rv.tabs.isTabVisible(index) and rv.tabs.tabText(index) == "在管在控"
    assert "管控状态：在控" in panel.state.text()
    dlg = panel.record_check("check")
    _fill(dlg, "outcome", "见面核查，本人在家")
    _fill(dlg, "place", "贤士花园")
    with qtbot.waitSignal(ws.changed, timeout=3000):
        dlg.accept()
    assert panel.history.topLevelItem(0).text(5) == "见面核查，本人在家"
    dlg = panel.record_event()
    dlg.widgets["kind"].setCurrentIndex(dlg.widgets["kind"].findData("petition"))
    _fill(dlg, "summary", "赴省上访")
    dlg.accept()  # no tier: refused on the field, nothing written
    assert "级别" in dlg.message.text() and C.person_events(db, pid) == []
    dlg.widgets["tier"].setCurrentIndex(dlg.widgets["tier"].findData("province"))
    with qtbot.waitSignal(panel.changed, timeout=3000):
        dlg.accept()
    assert panel.events.topLevelItem(0).text(2) == "省督"
    dlg = panel.assess()
    for cb in dlg.widgets["categories"].boxes:
        cb.setChecked(cb.code == "serious_record")
    with qtbot.waitSignal(panel.changed, timeout=3000):
        dlg.accept()
    assert rv.detail.level == "red" and panel.assessments.topLevelItem(0).text(4) == "红色"
    assert "天网布控：是" in panel.state.text()


def test_dispute_tab_mediates_and_hands_over(configured_app, qtbot, db, station):
    M.ensure_default_bodies(db, station.leader)
    did = R.create_dispute(db, station.officer, R.DisputeInput("J1", "non_police", "visit", "yellow",
                                                               TODAY - timedelta(days=3), parties="业主、物业",
                                                               people=R.Responsibility(officer_id=station.officer.officer_id)))
    ws, rv = _open(qtbot, db, station.officer, "dispute", did)
    panel, _i = rv.workflow_panels[R.Module.DISPUTE]
    assert not panel.buttons["answer"].isEnabled() and not panel.buttons["followup"].isEnabled()
    dlg = panel.mediate()
    _fill(dlg, "mediator", "刘调解员")
    _fill(dlg, "agreement", "物业七日内修复漏水")
    with qtbot.waitSignal(panel.changed, timeout=3000):
        dlg.accept()
    assert panel.mediations.topLevelItem(0).text(1) == "融调解中心"
    dlg = panel.hand_over()
    _fill(dlg, "department", "区住建局")
    with qtbot.waitSignal(panel.changed, timeout=3000):
        dlg.accept()
    assert "已移交区住建局" in panel.state.text() and panel.buttons["answer"].isEnabled()
    assert not panel.buttons["handover"].isEnabled()


def test_case_tab_groups_similar_orange_cases(configured_app, qtbot, db, station):
    ids = [R.create_case(db, station.officer, R.CaseInput(f"A{i}", "criminal", "orange", TODAY - timedelta(days=9 - i),
                                                          cause="盗窃电动车", place=f"贤士花园{i}栋",
                                                          people=R.Responsibility(officer_id=station.officer.officer_id)))
           for i in range(3)]
    ws, rv = _open(qtbot, db, station.officer, "case", ids[0])
    panel, index = rv.workflow_panels[R.Module.CASE]
    rv.tabs.setCurrentIndex(index)
    assert panel.candidates.topLevelItemCount() == 2 and panel.state.text() == "尚未串并"
    panel.candidates.topLevelItem(0).setSelected(True)
    dlg = panel.new_series()
    assert dlg.widgets["name"].text() == "盗窃电动车系列案"
    with qtbot.waitSignal(panel.changed, timeout=3000):
        dlg.accept()
    assert "盗窃电动车系列案（侦查中）" in panel.state.text()
    assert [m.case_id for m in S.series_members(db, S.list_series(db)[0].id)] == ids[:2]


def test_case_tab_reads_its_candidates_when_shown(configured_app, qtbot, db, station):
    """A case opens without reading its 串并 candidates (124-254 ms at 1M); the tab reads them when
    it is shown, the very list the service gives, and at once for a case opened while it is shown."""
    from sqlalchemy import event

    from ui.workflows.record_panels import series_shared

    ids = [R.create_case(db, station.officer, R.CaseInput(f"B{i}", "criminal", "orange", TODAY - timedelta(days=20 - 3 * i),
                                                          cause="入室盗窃" if i % 3 else "盗窃电动车",
                                                          place=("东湖路" if i % 2 else "贤士花园") + f"{i}号",
                                                          people=R.Responsibility(officer_id=station.officer.officer_id)))
           for i in range(6)]
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_rest):
        statements.append(statement)

    def reads() -> int:  # the candidates' statement: the only one naming their index
        return sum("ix_case_record_series" in s for s in statements)

    def shown(panel) -> list[list[str]]:
        return [[panel.candidates.topLevelItem(r).text(c) for c in range(5)]
                for r in range(panel.candidates.topLevelItemCount())]

    def service(case_id) -> list[list[str]]:
        return [[c.case_no, c.cause, c.place, c.accepted_on.isoformat(), series_shared(c.shared)]
                for c in S.candidates(db, case_id=case_id)]

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        ws, rv = _open(qtbot, db, station.officer, "case", ids[0])
        qtbot.waitExposed(ws.window)
        panel, index = rv.workflow_panels[R.Module.CASE]
        assert rv.tabs.isTabVisible(index) and rv.tabs.currentIndex() != index
        assert reads() == 0 and shown(panel) == []
        assert panel.state.text() == "尚未串并" and panel.buttons["new_series"].isEnabled()
        rv.tabs.setCurrentIndex(index)
        assert reads() == 1
        got = shown(panel)
        assert got == service(ids[0]) and len(got) >= 3
        rv.tabs.setCurrentIndex(0)
        rv.tabs.setCurrentIndex(index)
        assert reads() == 2 and shown(panel) == got  # shown again, same case: not read again (2: service())
        rv.open_record("case", ids[1])  # the tab on screen: read at once
        assert reads() == 3 and shown(panel) == service(ids[1]) != got
        rv.tabs.setCurrentIndex(0)
        rv.open_record("case", ids[2])
        assert reads() == 4 and shown(panel) == []
        rv.tabs.setCurrentIndex(index)
        assert reads() == 5 and shown(panel) == service(ids[2])
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


def test_workflow_window_imports_alerts_converts_one_and_exports_the_watch_list(configured_app, qtbot, db, station,
                                                                                tmp_path):
    from ui.workflows.window import WorkflowWindow

    _person(db, station.officer, "red")
    wb = openpyxl.Workbook()
    wb.active.append(["警情编号", "报警时间", "发案地址", "报警人", "简要警情"])
    t = datetime.combine(TODAY, datetime.min.time())
    wb.active.append(["110-1", t - timedelta(days=3), "京东大道88号", "王某", "噪音"])
    wb.active.append(["110-2", t - timedelta(days=1), "京东大道88号", "王某", "又是噪音"])
    wb.active.append(["110-3", None, "京东大道88号", "王某", "无时间"])
    wb.save(tmp_path / "a.xlsx")
    win = WorkflowWindow(db, station.team_leader)
    qtbot.addWidget(win)
    win.show_tab("alerts")
    alerts_tab = win.pages["alerts"]
    assert not alerts_tab.convert_button.isEnabled()
    report = alerts_tab.import_file(tmp_path / "a.xlsx")
    assert report.count("imported") == 2 and "第4行：报警时间为空" in alerts_tab.report.text()
    assert alerts_tab.table.topLevelItem(0).text(6) == "2" and alerts_tab.repeats.topLevelItemCount() == 2
    alerts_tab.table.topLevelItem(0).setSelected(True)
    dlg = alerts_tab.convert_selected()
    assert dlg.widgets["level"].currentData() == "orange"  # a repeated address suggests raising it
    with qtbot.waitSignals([win.changed, win.open_requested], timeout=3000):
        dlg.accept()
    assert AL.list_alerts(db)[0].dispute_no == "110-110-2"
    # A later call from the same address raises the repeat-call suggestion on that dispute.
    wb = openpyxl.Workbook()
    wb.active.append(["警情编号", "报警时间", "发案地址", "报警人", "简要警情"])
    wb.active.append(["110-4", t - timedelta(hours=2), "京东大道88号", "", "第三次"])
    wb.save(tmp_path / "b.xlsx")
    assert alerts_tab.import_file(tmp_path / "b.xlsx").suggestions == 1
    assert alerts_tab.pending.topLevelItemCount() == 1 and "1 条" in alerts_tab.pending_title.text()
    assert not alerts_tab.accept_button.isEnabled()
    alerts_tab.pending.topLevelItem(0).setSelected(True)
    assert "京东大道88号" in alerts_tab.pending_detail.text() and "建议升为红色" in alerts_tab.pending_detail.text()
    with qtbot.waitSignal(win.changed, timeout=3000):
        alerts_tab.accept_button.click()
    assert alerts_tab.pending.topLevelItemCount() == 0
    assert R.get_record(db, "dispute", AL.list_alerts(db)[1].dispute_id).level == "red"
    win.show_tab("watch")
    watch = win.pages["watch"]
    assert watch.table.topLevelItemCount() == 1 and watch.table.topLevelItem(0).text(0) == "周*"
    assert watch.export_to(tmp_path / "w.xlsx") == 1
    rows = list(openpyxl.load_workbook(tmp_path / "w.xlsx").active.iter_rows(values_only=True))
    assert rows[1][0] == "周某"
    officer_win = WorkflowWindow(db, station.officer)
    qtbot.addWidget(officer_win)
    officer_win.show_tab("watch")
    assert not officer_win.pages["watch"].export_button.isEnabled()
    assert "无权" in officer_win.pages["watch"].export_button.toolTip()
    win.show_tab("mediation")
    assert win.pages["mediation"].bodies.topLevelItemCount() == 0
    assert not win.pages["mediation"].add_button.isEnabled()  # the team leader keeps no list


def test_series_window_takes_a_case_out_with_its_reason(configured_app, qtbot, db, station):
    from ui.workflows.window import WorkflowWindow

    ids = [R.create_case(db, station.officer, R.CaseInput(f"A{i}", "criminal", "orange", TODAY - timedelta(days=9 - i),
                                                          cause="盗窃电动车", place=f"贤士花园{i}栋",
                                                          people=R.Responsibility(officer_id=station.officer.officer_id)))
           for i in range(3)]
    sid = S.create_series(db, station.officer, "盗窃电动车系列案", ids)
    officer_win = WorkflowWindow(db, station.officer)
    qtbot.addWidget(officer_win)
    officer_win.show_tab("series")
    tab = officer_win.pages["series"]
    tab.members.topLevelItem(2).setSelected(True)
    assert not tab.remove_button.isEnabled() and "无权" in tab.remove_button.toolTip()
    win = WorkflowWindow(db, station.team_leader)
    qtbot.addWidget(win)
    win.show_tab("series")
    tab = win.pages["series"]
    assert tab.members.topLevelItemCount() == 3 and not tab.remove_button.isEnabled()
    tab.members.topLevelItem(2).setSelected(True)
    assert tab.remove_button.isEnabled()
    dlg = tab.remove_selected()
    _fill(dlg, "reason", "作案手法不同")
    with qtbot.waitSignal(win.changed, timeout=3000):
        dlg.accept()
    assert tab.members.topLevelItemCount() == 2
    assert [m.case_id for m in S.series_members(db, sid)] == ids[:2]
    assert "2 起" in tab.list.topLevelItem(0).text(2)
