"""Forms: dates are calendar pickers that also read 2025年3月8日; every error shows at once, in field order."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateEdit

from tests.ui.test_workstation_flows import sql, type_chinese
from ui.common.dates import parse_typed_date
from ui.records import forms


@pytest.mark.parametrize("text, expected", [
    ("2025年3月8日", date(2025, 3, 8)), ("2025年03月08号", date(2025, 3, 8)), ("2025/3/8", date(2025, 3, 8)),
    ("2025.3.8", date(2025, 3, 8)), ("2025-03-08", date(2025, 3, 8)), ("20250308", date(2025, 3, 8)),
    ("2025年2月30日", None), ("三月八日", None), ("", None), ("2025-3", None)])
def test_typed_dates(text, expected):
    assert parse_typed_date(text) == expected


def test_form_dates_are_pickers_and_take_a_chinese_date(configured_app, qtbot, db, station):
    form = forms.RecordForm(db, station.officer, "case")
    qtbot.addWidget(form)
    form.show()
    accepted = form.rows["accepted_on"].widget
    assert isinstance(accepted, QDateEdit) and accepted.calendarPopup()
    assert accepted.displayFormat() == "yyyy-MM-dd" and accepted.date() == QDate.currentDate()
    assert form.rows["closed_on"].widget.text() == "未填" and form.rows["closed_on"].value() == ""
    type_chinese(accepted, "2025年3月8日")
    assert form.rows["accepted_on"].value() == "2025-03-08"


def test_all_errors_of_a_form_show_at_once_in_field_order(configured_app, qtbot, db, station):
    form = forms.RecordForm(db, station.officer, "person")
    qtbot.addWidget(form)
    form.show()
    form.rows["name"].widget.setText("")
    form.rows["id_number"].widget.setText("110105194912310021")  # wrong check character
    form.rows["phone"].widget.setText("12345")
    form.rows["level"].widget.setCurrentIndex(form.rows["level"].widget.findData("red"))  # needs a plan
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.isVisible()
    lines = form.message.text().split("\n")
    assert lines[0] == "请修改以下 4 处："
    assert [k for k in ("name", "id_number", "phone", "control_plan") if form.rows[k].error.isVisible()] == [
        "name", "id_number", "phone", "control_plan"]
    assert "姓名" in lines[1] and "校验" in lines[2] and "手机" in lines[3] and "管控" in lines[4]
    assert sql(db, "SELECT count(*) FROM person") == [(0,)]


def test_next_due_reads_a_chinese_date(configured_app, qtbot, db, station):
    from app.services import records
    from app.services.records import CaseInput, Responsibility

    o = station.officer
    rid = records.create_case(db, o, CaseInput("A1", "criminal", "red", date(2026, 3, 1), cause="盗窃",
                                               people=Responsibility(officer_id=o.officer_id)))
    dlg = forms.ActionDialog(db, o, "case", rid)
    qtbot.addWidget(dlg)
    dlg.show()
    type_chinese(dlg.content, "调取监控")
    due = date.today().replace(day=1)
    type_chinese(dlg.next_due, f"{due.year + 1}年{due.month}月{due.day}日")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    assert sql(db, "SELECT next_due FROM action") == [(due.replace(year=due.year + 1).isoformat(),)]


def test_saving_confirms_in_the_status_bar_and_selects_the_new_record(configured_app, qtbot, db, station):
    from ui.main_window import MainWindow

    for i in range(30):  # enough rows that the new one is not simply the only one
        from app.services import records
        from app.services.records import CaseInput, Responsibility
        records.create_case(db, station.officer, CaseInput(f"A20240{i:02d}", "criminal", "red", date(2026, 1, 1),
                                                           people=Responsibility(officer_id=station.officer.officer_id)))
    window = MainWindow(db, actor=station.officer)
    qtbot.addWidget(window)
    window.show()
    view = window.current_view()
    window.new_record_action.trigger()
    form = window.workstation.dialog
    qtbot.keyClicks(form.rows["case_no"].widget, "A2025777")
    form.rows["level"].widget.setCurrentIndex(form.rows["level"].widget.findData("green"))
    form.rows["closed_on"].widget.set_value(date.today())
    with qtbot.waitSignal(window.workstation.status_message, timeout=3000) as signal:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert signal.args == ["已新建案件：A2025777"]
    assert window.statusBar().currentMessage() == "已新建案件：A2025777"
    rid = sql(db, "SELECT id FROM case_record WHERE case_no='A2025777'")[0][0]
    assert view.selected_ids() == [rid] and view.current_id() == rid


def test_a_leader_must_choose_the_responsible_officer(configured_app, qtbot, db, station):
    form = forms.RecordForm(db, station.leader, "case")
    qtbot.addWidget(form)
    form.show()
    assert form.officer.currentIndex() == -1 and form.officer.currentData() is None
    qtbot.keyClicks(form.rows["case_no"].widget, "A2025001")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.isVisible() and "请选择责任民警" in form.message.text()
    assert sql(db, "SELECT count(*) FROM case_record") == [(0,)]
    form.officer.setCurrentIndex(form.officer.findData(station.other_officer.officer_id))
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    assert sql(db, "SELECT officer_id FROM case_record") == [(station.other_officer.officer_id,)]


def test_the_reassign_list_is_grouped_by_team_and_sorted(configured_app, qtbot, db, station):
    from app.services import org

    for name in ("赵敏", "艾力", "周正"):
        org.add_officer(db, name, "officer", station.other_team_id)
    dlg = forms.ReassignDialog(db, station.leader, "case", [1])
    qtbot.addWidget(dlg)
    dlg.show()
    items = [(dlg.officer.itemText(i), dlg.officer.itemData(i)) for i in range(dlg.officer.count())]
    headings = [t for t, d in items if d is None]
    assert headings == ["— 案件办理队 —", "— 社区警务一队 —"]  # teams by name (pinyin: an < she)
    first_team = [t for t, d in items[1:items.index(("— 社区警务一队 —", None))]]
    assert first_team == ["陈刚（队长）", "艾力", "刘洋", "赵敏", "周正"]  # team leader, then pinyin order
    model = dlg.officer.model()
    assert not model.item(0).isEnabled()  # a heading cannot be chosen
    assert dlg.officer.currentIndex() == -1
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible() and "请选择新的责任民警" in dlg.message.text()
