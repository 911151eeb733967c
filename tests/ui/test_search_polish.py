"""The cases tab finds records by the pinyin or initials of the officers they name; an empty
table says why it is empty; a pinyin search says whom it matched."""
from __future__ import annotations

from datetime import date

from app.services import org, records, tables
from app.services.records import CaseInput, Responsibility
from app.services.tables import TableQuery
from tests.ui.test_workstation_flows import make_view


def make_cases(db, station):
    zgs = org.add_officer(db, "张国胜", "officer", station.team_id)
    r1 = records.create_case(db, station.leader, CaseInput("A1", "criminal", "red", date(2026, 3, 1), cause="盗窃",
                                                           people=Responsibility(officer_id=zgs)))
    r2 = records.create_case(db, station.leader, CaseInput("A2", "criminal", "red", date(2026, 3, 2), cause="诈骗",
                                                           people=Responsibility(officer_id=station.other_officer.officer_id)))
    return zgs, r1, r2


def test_pinyin_and_initials_find_cases_by_their_officers(db, station):
    zgs, r1, r2 = make_cases(db, station)
    find = lambda text: set(tables.list_ids(db, "case", TableQuery(text=text)))  # noqa: E731
    assert find("zgs") == {r1}
    assert find("zhangguosheng") == {r1}
    assert find("zhang") == {r1}  # 张国胜; 张伟 (the officer of team 1) has no case here
    assert find("liuyang") == {r2} and find("ly") == {r2}
    assert find("lq") == {r1}  # 李强, team 1's team leader, is the team leader of r1
    assert find("wjg") == {r1, r2}  # 王建国, the station leader of both
    assert find("zgs 盗窃") == {r1} and find("zgs 诈骗") == set()  # every word must match
    assert find("xyz") == set()
    ids, counts = tables.list_ids_with_counts(db, "case", TableQuery(text="zgs"))
    assert list(ids) == [r1] and counts[next(iter(counts))] == (1, 0)


def test_empty_states_and_the_match_explanation(configured_app, qtbot, db, station):
    view = make_view(qtbot, db, "case", station.leader)
    assert view.empty_label.isVisible() and "还没有案件记录" in view.empty_label.text()
    make_cases(db, station)
    view.refresh()
    assert not view.empty_label.isVisible()
    view.search.setText("zgs")
    view.apply_filters()
    assert view.total() == 1
    assert view.match_label.isVisible() and "张国胜" in view.match_label.text()
    view.search.setText("nobodyatall")
    view.apply_filters()
    assert view.total() == 0 and view.empty_label.isVisible()
    assert "没有找到与“nobodyatall”相符的案件记录" in view.empty_label.text()
    view.clear_filters()
    assert view.total() == 2 and not view.empty_label.isVisible() and not view.match_label.isVisible()


def test_right_click_a_row_to_change_its_level_or_log_work(configured_app, qtbot, db, station):

    zgs, r1, r2 = make_cases(db, station)
    view = make_view(qtbot, db, "case", station.leader)
    row = list(view.model.ids).index(r2)
    pos = view.table.visualRect(view.model.index(row, 1)).center()
    view._on_context_menu(pos)
    texts = {a.text(): a for a in view._menu.actions()}
    assert texts["变更等级…"].isEnabled() and texts["登记工作…"].isEnabled()
    assert view.current_id() == r2
    texts["变更等级…"].trigger()
    dlg = view.workstation.dialog
    assert dlg.record_id == r2 and "A2" in dlg.record_label.text()
    dlg.reject()
    texts["登记工作…"].trigger()
    assert view.workstation.dialog.record_id == r2
    view.workstation.dialog.reject()
    analyst = make_view(qtbot, db, "case", __import__("app.domain.rules", fromlist=["Actor"]).Actor(
        None, "研判员", "analyst", account="analyst"))
    analyst._on_context_menu(pos)
    change = next(a for a in analyst._menu.actions() if a.text() == "变更等级…")
    assert not change.isEnabled() and "无权" in change.toolTip()
    for menu in (view._menu, analyst._menu):
        menu.close()


def test_the_backup_list_says_when_it_is_empty(configured_app, qtbot, db, station):
    from ui.trust.backup_dialog import BackupDialog

    dialog = BackupDialog(db, station.leader)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.empty_label.isVisible() and not dialog.table.isVisible()
    assert not dialog.restore_button.isEnabled()
    from app.services.backup import make_backup

    make_backup(db, "manual")
    dialog.reload()
    assert dialog.table.isVisible() and not dialog.empty_label.isVisible() and dialog.table.rowCount() == 1
