"""The officer's workstation end to end through the widgets: create, filter, open, change level, log an
action, convert, de-list, void, undo, bulk change, export; each checks the window and the database."""
from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import text

from app.errors import PermissionDenied
from app.services import records, workstation
from app.services.records import CaseInput, DisputeInput, PersonInput, Responsibility
from ui.records.table_view import RecordTableView
from ui.records.workstation import Workstation

TODAY = date.today()


def type_chinese(widget, value: str) -> None:
    """QTest key clicks are Latin-1 only; Chinese arrives as an input-method commit."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(value)
    QApplication.sendEvent(widget, event)


def sql(db, query: str, **params):
    with db.read() as session:
        return session.execute(text(query), params).all()


@pytest.fixture
def people(station, db):
    """A few records of each module, made through the services."""
    o = station.officer
    r = Responsibility(officer_id=o.officer_id)
    ids = {
        "case": records.create_case(db, o, CaseInput("A2025001", "criminal", "red", TODAY - timedelta(days=3),
                                                     cause="盗窃", place="城关镇幸福路", people=r)),
        "case2": records.create_case(db, o, CaseInput("A2025002", "administrative", "yellow", TODAY,
                                                      cause="殴打他人", place="东湖小区", people=r)),
        "dispute": records.create_dispute(db, o, DisputeInput("J2025001", "police_primary", "110", "yellow",
                                                              TODAY - timedelta(days=2), parties="张三、曾国藩",
                                                              place="幸福路12号", people=r)),
        "person": records.create_person(db, o, PersonInput("单雄信", "yellow", TODAY - timedelta(days=30),
                                                           id_number="11010519491231002X", people=r)),
    }
    return ids


def make_view(qtbot, db, module, actor):
    view = RecordTableView(db, module)
    view.attach(Workstation(db, actor, parent=view))
    qtbot.addWidget(view)
    view.resize(1400, 700)
    view.show()
    qtbot.waitExposed(view)
    return view


def row_of(view, rid) -> int:
    return list(view.model.ids).index(rid)


def double_click_row(qtbot, view, row: int) -> None:
    rect = view.table.visualRect(view.model.index(row, 1))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_create_a_case_through_the_form(configured_app, qtbot, db, station, people):
    view = make_view(qtbot, db, "case", station.officer)
    before = view.model.rowCount()
    qtbot.mouseClick(view.action_buttons["new"], Qt.MouseButton.LeftButton)
    form = view.workstation.dialog
    assert form is not None and form.isVisible()
    qtbot.keyClicks(form.rows["case_no"].widget, "A2025100")
    type_chinese(form.rows["cause"].widget, "诈骗")
    type_chinese(form.rows["place"].widget, "城关镇人民路8号")
    form.rows["level"].widget.setCurrentIndex(form.rows["level"].widget.findData("orange"))
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    rows = sql(db, "SELECT level, cause, place, officer_id FROM case_record WHERE case_no='A2025100'")
    assert rows == [("orange", "诈骗", "城关镇人民路8号", station.officer.officer_id)]
    assert view.model.rowCount() == before + 1  # the table re-read after the save
    assert sql(db, "SELECT count(*) FROM level_change WHERE module='case' AND reason='登记'")[0][0] == 1


def test_field_validation_keeps_the_form_open_and_the_database_unchanged(configured_app, qtbot, db, station, people):
    view = make_view(qtbot, db, "person", station.officer)
    form = view.workstation.new_record("person")
    type_chinese(form.rows["name"].widget, "李四")
    qtbot.keyClicks(form.rows["id_number"].widget, "110105194912310021")  # wrong check character
    form.rows["id_number"].widget.editingFinished.emit()
    assert "校验位" in form.rows["id_number"].error.text() and form.rows["id_number"].error.isVisible()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.isVisible()
    # red needs a control plan (一人一策): the label says so and the save is refused at that field
    form.rows["id_number"].widget.setText("11010519491231002X".replace("2X", "2X"))
    form.rows["id_number"].widget.setText("")
    form.rows["level"].widget.setCurrentIndex(form.rows["level"].widget.findData("red"))
    assert form.rows["control_plan"].label.text().endswith("*")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.isVisible() and "管控方案" in form.message.text()
    assert sql(db, "SELECT count(*) FROM person WHERE name='李四'")[0][0] == 0
    qtbot.keyClicks(form.rows["phone"].widget, "12345")
    form.rows["phone"].widget.editingFinished.emit()
    assert form.rows["phone"].error.isVisible()


def test_undo_until_saved(configured_app, qtbot, db, station, people):
    ws = Workstation(db, station.officer)
    form = ws.edit_record("case", people["case"])
    qtbot.addWidget(form)
    place = form.rows["place"].widget
    assert place.text() == "城关镇幸福路"
    place.setFocus()
    type_chinese(place, "（东侧）")
    form.rows["cause"].widget.setText("入室盗窃")
    assert place.text() == "城关镇幸福路（东侧）"
    qtbot.keyClick(place, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the form's undo, not the box's
    assert form.rows["cause"].widget.text() == "盗窃"
    form.undo_action.trigger()
    assert place.text() == "城关镇幸福路"
    form.redo_action.trigger()
    assert place.text() == "城关镇幸福路（东侧）"
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert sql(db, "SELECT place, cause FROM case_record WHERE id=:i", i=people["case"]) == [("城关镇幸福路（东侧）", "盗窃")]
    assert form.binder.stack.count() == 0  # saved: now it is history, not undo
    detail = sql(db, "SELECT detail FROM audit_log WHERE action='edit_record:edit' ORDER BY seq DESC LIMIT 1")[0][0]
    assert "城关镇幸福路" in detail and "（东侧）" in detail  # before and after


def test_filter_by_category_responsible_status_and_search(configured_app, qtbot, db, station, people):
    view = make_view(qtbot, db, "case", station.leader)
    assert view.model.rowCount() == 2
    view.category.setCurrentIndex(view.category.findData("criminal"))
    assert list(view.model.ids) == [people["case"]]
    assert view.cards[next(iter(view.cards))].count() == 1  # red card counts under the filter
    view.clear_filters()
    assert view.model.rowCount() == 2
    type_chinese(view.search, "幸福路")
    view.apply_filters()
    assert list(view.model.ids) == [people["case"]]
    view.search.clear()
    qtbot.keyClicks(view.search, "A20")
    view.apply_filters()
    assert view.model.rowCount() == 2
    view.clear_filters()
    view.person.setCurrentIndex(view.person.findData(station.other_officer.officer_id))
    assert view.model.rowCount() == 0


def test_pinyin_search_of_names_and_misread_surnames(configured_app, qtbot, db, station, people):
    persons = make_view(qtbot, db, "person", station.leader)
    for term in ("shanxiongxin", "sxx", "单雄"):
        persons.search.setText(term)
        persons.apply_filters()
        assert list(persons.model.ids) == [people["person"]], term
    disputes = make_view(qtbot, db, "dispute", station.leader)
    for term in ("zengguofan", "zgf", "zs", "zhangsan"):
        disputes.search.setText(term)
        disputes.apply_filters()
        assert list(disputes.model.ids) == [people["dispute"]], term


def test_open_a_row_change_level_and_log_an_action(configured_app, qtbot, db, station, people):
    view = make_view(qtbot, db, "case", station.officer)
    double_click_row(qtbot, view, row_of(view, people["case2"]))
    rv = view.workstation.window.view
    assert view.workstation.window.isVisible()
    assert rv.shown == ("case", people["case2"])
    assert "A2025002" in rv.title.text() and "黄色" in rv.level_badge.text()
    assert "张伟" in rv.people.text() and "李强" in rv.people.text() and "王建国" in rv.people.text()
    qtbot.mouseClick(rv.buttons["level"], Qt.MouseButton.LeftButton)
    dlg = view.workstation.dialog
    dlg.level.setCurrentIndex(dlg.level.findData("red"))
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible() and "理由" in dlg.message.text()  # the reason is mandatory
    type_chinese(dlg.reason, "发现嫌疑人线索")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    assert sql(db, "SELECT level FROM case_record WHERE id=:i", i=people["case2"]) == [("red",)]
    assert "红色" in rv.level_badge.text()
    top = rv.timeline.topLevelItem(0)
    assert "黄色→红色" in top.text(1) and top.text(2) == "张伟" and top.text(3) == "发现嫌疑人线索"
    assert view.model.row_at(row_of(view, people["case2"])).level == "red"  # the table too
    qtbot.mouseClick(rv.buttons["action"], Qt.MouseButton.LeftButton)
    act = view.workstation.dialog
    type_chinese(act.content, "调取监控")
    due = TODAY + timedelta(days=3)
    qtbot.keyClicks(act.next_due, due.isoformat())
    qtbot.mouseClick(act.save_button, Qt.MouseButton.LeftButton)
    assert sql(db, "SELECT kind, content, next_due FROM action WHERE record_id=:i AND module='case'",
               i=people["case2"]) == [("investigation", "调取监控", due.isoformat())]
    assert due.isoformat() in rv.due.text()
    assert rv.timeline.topLevelItem(0).text(3) == "调取监控"


def test_convert_a_dispute_and_follow_the_links_back_and_forward(configured_app, qtbot, db, station, people):
    ws = Workstation(db, station.officer)
    rv = ws.open_record("dispute", people["dispute"])
    qtbot.addWidget(ws.window)
    assert rv.buttons["convert"].isVisible() and rv.buttons["convert"].isEnabled()
    qtbot.mouseClick(rv.buttons["convert"], Qt.MouseButton.LeftButton)
    dlg = ws.dialog
    qtbot.keyClicks(dlg.case_no, "A2025200")
    type_chinese(dlg.reason, "调解不成，涉嫌故意伤害")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    case_id = sql(db, "SELECT id FROM case_record WHERE case_no='A2025200'")[0][0]
    assert sql(db, "SELECT status, converted_case_id FROM dispute WHERE id=:i", i=people["dispute"]) == [
        ("converted", case_id)]
    assert rv.shown == ("case", case_id)  # the new case opens
    assert rv.links.count() == 1 and "J2025001" in rv.links.item(0).text()
    rv.links.itemActivated.emit(rv.links.item(0))
    assert rv.shown == ("dispute", people["dispute"])
    assert not rv.buttons["level"].isEnabled()  # converted: continue in the case
    rv.go_back()
    assert rv.shown == ("case", case_id)
    rv.go_forward()
    assert rv.shown == ("dispute", people["dispute"])
    assert rv.back_button.isEnabled() and not rv.forward_button.isEnabled()


def test_delist_needs_the_station_leader_and_void_takes_a_reason(configured_app, qtbot, db, station, people):
    officer_ws = Workstation(db, station.officer)
    rv = officer_ws.open_record("person", people["person"])
    qtbot.addWidget(officer_ws.window)
    assert not rv.buttons["delist"].isEnabled()  # greyed out for an officer
    with pytest.raises(PermissionDenied):
        records.delist_person(db, station.officer, people["person"], "评估")  # and refused anyway
    leader_ws = Workstation(db, station.leader)
    rv2 = leader_ws.open_record("person", people["person"])
    qtbot.addWidget(leader_ws.window)
    assert rv2.buttons["delist"].isEnabled()
    assert rv2.tabs.isTabVisible(rv2._plan_index) and rv2.tabs.isTabVisible(rv2._team_index)
    qtbot.mouseClick(rv2.buttons["delist"], Qt.MouseButton.LeftButton)
    dlg = leader_ws.dialog
    type_chinese(dlg.reason, "经评估无现实危险")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert sql(db, "SELECT level, status, delist_reason FROM person WHERE id=:i", i=people["person"]) == [
        ("green", "closed", "经评估无现实危险")]
    assert "绿色" in rv2.level_badge.text()
    # void a wrong case entry
    rv3 = officer_ws.open_record("case", people["case2"])
    qtbot.mouseClick(rv3.buttons["void"], Qt.MouseButton.LeftButton)
    v = officer_ws.dialog
    qtbot.mouseClick(v.save_button, Qt.MouseButton.LeftButton)
    assert v.isVisible()  # no reason, no void
    type_chinese(v.reason, "重复录入")
    qtbot.mouseClick(v.save_button, Qt.MouseButton.LeftButton)
    assert sql(db, "SELECT status, void_reason FROM case_record WHERE id=:i", i=people["case2"]) == [
        ("voided", "重复录入")]
    assert not rv3.buttons["edit"].isEnabled() and "重复录入" in rv3.due.text()


def test_bulk_level_change_is_all_or_nothing(configured_app, qtbot, db, station, people):
    view = make_view(qtbot, db, "case", station.officer)
    view.table.selectAll()
    assert sorted(view.selected_ids()) == sorted([people["case"], people["case2"]])
    qtbot.mouseClick(view.action_buttons["bulk_level"], Qt.MouseButton.LeftButton)
    dlg = view.workstation.dialog
    dlg.level.setCurrentIndex(dlg.level.findData("green"))
    type_chinese(dlg.reason, "集中清理")
    type_chinese(dlg.outcome, "已办结")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    # the red case needs the station leader to close: nothing changes, the message names it
    assert dlg.isVisible() and "A2025001" in dlg.message.text()
    assert sql(db, "SELECT level FROM case_record ORDER BY id") == [("red",), ("yellow",)]
    dlg.level.setCurrentIndex(dlg.level.findData("orange"))
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    assert sql(db, "SELECT level FROM case_record ORDER BY id") == [("orange",), ("orange",)]
    assert sql(db, "SELECT count(*) FROM level_change WHERE reason='集中清理'")[0][0] == 2
    assert [view.model.row_at(r).level for r in range(2)] == ["orange", "orange"]


def test_reassign_selected_rows(configured_app, qtbot, db, station, people):
    view = make_view(qtbot, db, "case", station.leader)
    view.table.selectAll()
    view._on_action_button("reassign")
    dlg = view.workstation.dialog
    dlg.officer.setCurrentIndex(dlg.officer.findData(station.other_officer.officer_id))
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert sql(db, "SELECT DISTINCT officer_id, team_id FROM case_record") == [
        (station.other_officer.officer_id, station.other_team_id)]
    assert view.model.row_at(0).values[view.model.column_of("officer")] == "刘洋"


def test_export_the_filtered_view_to_xlsx_and_csv(configured_app, qtbot, db, station, people, tmp_path):
    from openpyxl import load_workbook

    view = make_view(qtbot, db, "person", station.leader)
    result = view.export_to(tmp_path / "persons.xlsx")
    assert result.rows == 1
    ws = load_workbook(tmp_path / "persons.xlsx").active
    assert "筛选条件：全部记录" in ws["A1"].value
    heads = [c.value for c in ws[2]]
    assert heads[:3] == ["预警等级", "姓名", "身份证号"]
    assert ws["B3"].value == "单雄信" and ws["A3"].value == "黄色"
    assert ws["C3"].value == "11010519491231002X" and ws["C3"].data_type == "s"  # text, in full for the leader
    assert ws.freeze_panes == "A3"
    assert ws["A3"].fill.fgColor.rgb.endswith("FFF4BF")  # the theme's yellow row
    cases = make_view(qtbot, db, "case", station.officer)
    cases.category.setCurrentIndex(cases.category.findData("criminal"))
    out = cases.export_to(tmp_path / "cases.csv")
    raw = (tmp_path / "cases.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert "类别：刑事" in lines[0][0]
    assert lines[1][0] == "预警等级" and len(lines) == 3 and lines[2][1] == "A2025001"
    assert out.rows == 1
    assert sql(db, "SELECT count(*) FROM audit_log WHERE action='export_view'")[0][0] == 2


def test_officer_export_masks_id_numbers(configured_app, qtbot, db, station, people, tmp_path):
    view = make_view(qtbot, db, "person", station.officer)
    view.export_to(tmp_path / "p.csv")
    body = (tmp_path / "p.csv").read_text(encoding="utf-8-sig")
    assert "11010519491231002X" not in body and "1101**********002X" in body and "已脱敏" in body


def test_key_person_named_in_a_new_dispute_is_suggested_and_the_answer_recorded(configured_app, qtbot, db, station,
                                                                               people):
    ws = Workstation(db, station.officer)
    form = ws.new_record("dispute")
    qtbot.addWidget(form)
    form.set_field("dispute_no", "J2025009")
    form.set_field("parties", "单雄信、王五")
    form.set_field("source", "110")
    form.party_ids.setText("11010519491231002X")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    new_id = sql(db, "SELECT id FROM dispute WHERE dispute_no='J2025009'")[0][0]
    dlg = ws.suggestions
    assert dlg is not None and "单雄信" in dlg.rows[0][0].text()
    qtbot.mouseClick(dlg.rows[0][1], Qt.MouseButton.LeftButton)  # link
    assert sql(db, "SELECT person_id, module, record_id FROM person_link") == [(people["person"], "dispute", new_id)]
    assert workstation.decided_suggestions(db, "dispute", new_id)[0][:2] == ("key_person", "accepted")


def test_repeat_110_call_suggests_raising_the_level(configured_app, qtbot, db, station, people):
    ws = Workstation(db, station.officer)
    form = ws.new_record("dispute")
    qtbot.addWidget(form)
    form.set_field("dispute_no", "J2025010")
    form.set_field("parties", "张三、李四")
    form.set_field("source", "110")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    new_id = sql(db, "SELECT id FROM dispute WHERE dispute_no='J2025010'")[0][0]
    dlg = ws.suggestions
    texts = [r[0].text() for r in dlg.rows]
    assert any("J2025001" in t and "橙色" in t for t in texts)
    i = next(i for i, t in enumerate(texts) if "J2025001" in t)
    qtbot.mouseClick(dlg.rows[i][2], Qt.MouseButton.LeftButton)  # dismiss
    assert sql(db, "SELECT level FROM dispute WHERE id=:i", i=new_id) == [("yellow",)]
    assert workstation.decided_suggestions(db, "dispute", new_id) == [("repeat_110", "dismissed", "dispute",
                                                                        people["dispute"])]


def test_my_work_lists_overdue_first_and_opens_records(configured_app, qtbot, db, station, people):
    records.log_action(db, station.officer, "case", people["case"], "investigation", "走访", acted_on=TODAY,
                       next_due=TODAY)
    ws = Workstation(db, station.officer)
    dlg = ws.show_my_work()
    qtbot.addWidget(dlg)
    assert dlg.count_values["responsible"] == 4 and dlg.count_values["due_today"] == 1
    assert dlg.model.item(0).id == people["case"] and dlg.model.data(dlg.model.index(0, 0)) == "今日到期"
    assert "今日到期 1 条" in dlg.counts.text()
    assert ws.show_my_work_if_first_today() is None  # shown once a day
    dlg.table.activated.emit(dlg.model.index(0, 2))
    assert ws.window.view.shown == ("case", people["case"])


def test_column_chooser_and_widths_are_remembered(configured_app, qtbot, db, station, people):
    view = make_view(qtbot, db, "case", station.officer)
    col = view.model.column_of("place")
    view.set_column_visible(col, False)
    view.table.horizontalHeader().resizeSection(1, 222)
    again = make_view(qtbot, db, "case", station.officer)
    assert again.table.horizontalHeader().isSectionHidden(col)
    assert again.table.horizontalHeader().sectionSize(1) == 222
    assert not [a for a in again.column_actions() if a.text() == "发案地点"][0].isChecked()


def test_context_menu_and_enter_open_records(configured_app, qtbot, db, station, people):
    view = make_view(qtbot, db, "case", station.officer)
    view.table.setCurrentIndex(view.model.index(0, 1))
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert view.workstation.window.view.shown == ("case", view.model.ids[0])
    view._on_context_menu(QPoint(10, 10))
    assert [a.text() for a in view._menu.actions() if a.text()][0] == "打开"


def test_dedicated_team_is_built_and_changed_from_the_key_person_file(configured_app, qtbot, db, station, people):
    ws = Workstation(db, station.officer)
    rv = ws.open_record("person", people["person"])
    qtbot.addWidget(ws.window)
    rv.tabs.setCurrentIndex(rv._team_index)
    assert rv.team.count() == 1 and "尚未组建专班" in rv.team.item(0).text()
    assert rv.team_add.isEnabled() and not rv.team_remove.isEnabled()
    qtbot.mouseClick(rv.team_add, Qt.MouseButton.LeftButton)
    dlg = ws.dialog
    choices = {dlg.officer.itemData(i) for i in range(dlg.officer.count())}
    colleague = next(oid for oid, _n, role, _t in workstation.officer_choices(db)
                     if role == "officer" and oid != station.officer.officer_id)
    assert colleague in choices
    dlg.officer.setCurrentIndex(dlg.officer.findData(colleague))
    type_chinese(dlg.duty, "每周走访")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    assert sql(db, "SELECT officer_id, duty FROM dedicated_member WHERE person_id=:p", p=people["person"]) == [
        (colleague, "每周走访")]
    assert rv.team.count() == 1 and "每周走访" in rv.team.item(0).text()
    assert rv.team_officer_ids() == {colleague}
    # the same officer cannot be offered twice
    qtbot.mouseClick(rv.team_add, Qt.MouseButton.LeftButton)
    again = ws.dialog
    assert again.officer.findData(colleague) == -1
    again.reject()
    # take them off the team again, after a confirmation
    rv.team.setCurrentRow(0)
    assert rv.team_remove.isEnabled()
    qtbot.mouseClick(rv.team_remove, Qt.MouseButton.LeftButton)
    box = ws.dialog
    assert box.isVisible()
    qtbot.mouseClick(box.button(box.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert sql(db, "SELECT count(*) FROM dedicated_member WHERE person_id=:p", p=people["person"]) == [(0,)]
    assert "尚未组建专班" in rv.team.item(0).text()
    actions = [a for (a,) in sql(db, "SELECT action FROM audit_log WHERE action LIKE '%dedicated_team%' ORDER BY seq")]
    assert actions == ["edit_record:dedicated_team:create", "edit_record:dedicated_team:delete"]


def test_follow_up_visit_records_the_parties_satisfaction(configured_app, qtbot, db, station, people):
    ws = Workstation(db, station.officer)
    rv = ws.open_record("dispute", people["dispute"])
    qtbot.addWidget(ws.window)
    qtbot.mouseClick(rv.buttons["action"], Qt.MouseButton.LeftButton)
    dlg = ws.dialog
    assert not dlg.satisfaction.isVisible()  # only a follow-up visit asks for it
    dlg.kind.setCurrentIndex(dlg.kind.findData("followup"))
    assert dlg.satisfaction.isVisible() and not dlg.outcome.isEnabled()
    type_chinese(dlg.content, "电话回访双方当事人")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible() and "满意度" in dlg.message.text()  # it is required
    assert sql(db, "SELECT satisfaction FROM dispute WHERE id=:i", i=people["dispute"]) == [(None,)]
    dlg.satisfaction.setCurrentIndex(dlg.satisfaction.findData("basic"))
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    assert sql(db, "SELECT satisfaction, followed_up_on FROM dispute WHERE id=:i", i=people["dispute"]) == [
        ("basic", TODAY.isoformat())]
    assert sql(db, "SELECT kind, outcome FROM action WHERE module='dispute' AND record_id=:i",
               i=people["dispute"]) == [("followup", "基本满意")]
    assert rv.timeline.topLevelItem(0).text(4) == "基本满意"


def test_a_criminal_case_is_solved_through_the_level_dialog_or_on_its_own(configured_app, qtbot, db, station,
                                                                          people):
    from app.services.stats import headline_stats

    ws = Workstation(db, station.officer)
    rv = ws.open_record("case", people["case"])
    qtbot.addWidget(ws.window)
    assert rv.buttons["solve"].isVisible() and rv.buttons["solve"].isEnabled()
    qtbot.mouseClick(rv.buttons["level"], Qt.MouseButton.LeftButton)
    dlg = ws.dialog
    assert dlg.asks_solved and not dlg.solved.isVisible()  # red: nothing to solve yet
    dlg.level.setCurrentIndex(dlg.level.findData("yellow"))
    assert dlg.solved.isVisible() and not dlg.solved.isChecked() and dlg.solved_on.date().toPython() == TODAY
    dlg.solved.setChecked(True)
    dlg.solved_on.setDate(TODAY - timedelta(days=1))
    type_chinese(dlg.reason, "抓获犯罪嫌疑人，案件告破")
    before = headline_stats(db, TODAY)["cases"]["criminal_solved"]["current"]
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible(), dlg.message.text()
    assert sql(db, "SELECT level, solved_on FROM case_record WHERE id=:i", i=people["case"]) == [
        ("yellow", (TODAY - timedelta(days=1)).isoformat())]
    expected = before + (1 if (TODAY - timedelta(days=1)).month == TODAY.month else 0)
    assert headline_stats(db, TODAY)["cases"]["criminal_solved"]["current"] == expected
    assert not rv.buttons["solve"].isVisible()  # solved: the action is gone
    # An administrative case is never asked; a second criminal case is marked solved on its own.
    rv = ws.open_record("case", people["case2"])
    assert not rv.buttons["solve"].isVisible()
    other = records.create_case(db, station.officer, CaseInput(
        "A2025003", "criminal", "orange", TODAY - timedelta(days=5), cause="诈骗",
        people=Responsibility(officer_id=station.officer.officer_id)))
    rv = ws.open_record("case", other)
    qtbot.mouseClick(rv.buttons["solve"], Qt.MouseButton.LeftButton)
    sd = ws.dialog
    qtbot.mouseClick(sd.save_button, Qt.MouseButton.LeftButton)
    assert sd.isVisible() and "破案情况" in sd.message.text()  # how it was solved is required
    type_chinese(sd.note, "串并侦查，抓获嫌疑人")
    qtbot.mouseClick(sd.save_button, Qt.MouseButton.LeftButton)
    assert not sd.isVisible()
    assert sql(db, "SELECT level, solved_on FROM case_record WHERE id=:i", i=other) == [("orange", TODAY.isoformat())]
    assert any(rv.timeline.topLevelItem(i).text(3) == "破案：串并侦查，抓获嫌疑人"
               for i in range(rv.timeline.topLevelItemCount()))
