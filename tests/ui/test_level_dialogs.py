"""The level-change dialogs say which records they change and from which level."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from app.services import records
from app.services.records import CaseInput, Responsibility
from tests.ui.test_workstation_flows import make_view, sql, type_chinese


def cases(db, actor, levels):
    r = Responsibility(officer_id=actor.officer_id)
    return [records.create_case(db, actor, CaseInput(f"A20250{i:02d}", "criminal", lv, date(2026, 3, 1),
                                                     cause="诈骗", people=r)) for i, lv in enumerate(levels)]


def test_bulk_change_of_three_red_cases_says_red_and_preselects_red(configured_app, qtbot, db, station):
    cases(db, station.officer, ["red", "red", "red"])
    view = make_view(qtbot, db, "case", station.officer)
    view.table.selectAll()
    qtbot.mouseClick(view.action_buttons["bulk_level"], Qt.MouseButton.LeftButton)
    dlg = view.workstation.dialog
    assert dlg.current_label.text() == "红色" and dlg.level.currentData() == "red"
    assert not dlg.current_swatch.pixmap().isNull()


def test_bulk_change_of_mixed_levels_says_so_and_makes_the_user_choose(configured_app, qtbot, db, station):
    cases(db, station.officer, ["red", "red", "yellow"])
    view = make_view(qtbot, db, "case", station.officer)
    view.table.selectAll()
    qtbot.mouseClick(view.action_buttons["bulk_level"], Qt.MouseButton.LeftButton)
    dlg = view.workstation.dialog
    assert dlg.current_label.text() == "混合：红色 2 条、黄色 1 条"
    assert dlg.level.currentIndex() == -1 and dlg.level.currentData() is None
    type_chinese(dlg.reason, "统一研判")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible() and "请选择新等级" in dlg.message.text()
    assert sorted(sql(db, "SELECT level FROM case_record")) == [("red",), ("red",), ("yellow",)]
    dlg.level.setCurrentIndex(dlg.level.findData("orange"))
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    assert sql(db, "SELECT DISTINCT level FROM case_record") == [("orange",)]


def test_the_change_level_dialog_names_the_record_and_shows_swatches(configured_app, qtbot, db, station):
    from ui.records.workstation import Workstation

    rid = cases(db, station.officer, ["yellow"])[0]
    ws = Workstation(db, station.officer)
    rv = ws.open_record("case", rid)
    qtbot.addWidget(ws.window)
    qtbot.mouseClick(rv.buttons["level"], Qt.MouseButton.LeftButton)
    dlg = ws.dialog
    assert dlg.record_label.text() == "案件 A2025000 诈骗" and dlg.record_label.isVisibleTo(dlg)
    assert dlg.current_label.text() == "黄色" and not dlg.current_swatch.pixmap().isNull()
    image = dlg.level.itemIcon(dlg.level.findData("red")).pixmap(14, 14).toImage()
    assert image.pixelColor(7, 7).name().upper() == "#D32F2F"  # the theme's red chip
    dlg.reject()


def test_the_timeline_wraps_its_text_and_empty_columns_stay_narrow(configured_app, qtbot, db, station):
    from ui.records.workstation import Workstation

    rid = cases(db, station.officer, ["yellow"])[0]
    long_text = "走访受害人并调取周边监控，" * 12
    records.log_action(db, station.officer, "case", rid, "investigation", long_text, "", date.today())
    ws = Workstation(db, station.officer)
    rv = ws.open_record("case", rid)
    qtbot.addWidget(ws.window)
    ws.window.resize(900, 720)
    rv.tabs.setCurrentWidget(rv.timeline.parentWidget() if rv.tabs.indexOf(rv.timeline) < 0 else rv.timeline)
    qtbot.waitExposed(ws.window)
    tl = rv.timeline
    header = tl.header()
    content = header.sectionSize(3)
    assert content > sum(header.sectionSize(c) for c in (4, 5))  # empty 结果 / 下次跟进 stay narrow
    item = tl.topLevelItem(0)
    assert item.text(3) == long_text
    qtbot.waitUntil(lambda: tl.visualItemRect(item).height() > 2 * tl.fontMetrics().height(),
                    timeout=3000)  # wrapped onto several lines, not cut off
