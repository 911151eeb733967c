"""The import wizard driven as a person would: file, header, columns, values, preview, import, rejects."""
from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QWizard
from sqlalchemy import func, select

from app.domain.fields import field_label
from app.domain.levels import Module
from app.ledger.memory import saved_mapping
from app.services import org
from app.store import SqliteStore
from models import Case, Dispute
from tests.data.ledgers import build as B
from ui.ledger.import_wizard import LedgerImportWizard

TODAY = date.today()


@pytest.fixture
def station_db(tmp_path):
    db = SqliteStore(tmp_path / "station.db", create=True)
    org.init_station(db, "城关派出所", "360102001", "东湖分局")
    t1, t2 = org.add_team(db, "社区警务一队"), org.add_team(db, "案件办理队")
    org.add_officer(db, "王建国", "leader")
    org.add_officer(db, "李强", "team_leader", t1)
    org.add_officer(db, "陈刚", "team_leader", t2)
    org.add_officer(db, "张伟", "officer", t1)
    org.add_officer(db, "刘洋", "officer", t2)
    yield db
    db.close()


def count(db, model) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def open_wizard(qtbot, db, path, module):
    wiz = LedgerImportWizard(db, None, path=str(path), module=module)
    qtbot.addWidget(wiz)
    wiz.show()
    qtbot.waitExposed(wiz)
    return wiz


def test_wizard_imports_a_case_ledger_and_saves_the_rejected_rows(configured_app, qtbot, station_db, tmp_path):
    expected = B.case_ledger(tmp_path / "cases.xlsx", TODAY)
    wiz = open_wizard(qtbot, station_db, tmp_path / "cases.xlsx", Module.CASE)
    wiz.next()
    assert wiz.currentPage() is wiz.sheet_page
    assert wiz.sheet_page.header_spin.value() == 3
    assert wiz.sheet_page.table.item(2, 1).text() == "案件编号" and wiz.sheet_page.table.item(2, 1).font().bold()
    wiz.next()
    page = wiz.column_page
    fields = {page.table.item(r, 0).text(): page.combos[r].currentData() for r in range(page.table.rowCount())}
    assert fields["受案日期"] == "accepted_on" and fields["带班领导"] == "team_leader" and fields["序号"] == ""
    assert page.isComplete() and not page.missing.text()
    wiz.next()
    assert wiz.value_page.info.text().startswith("共 1 个值")  # 高
    wiz.next()  # the officer page: 赵六 is not on the roster and stays unmapped
    with qtbot.waitSignal(wiz.previewed, timeout=20000):
        wiz.next()
    assert wiz.currentPage() is wiz.preview_page and wiz.preview_page.isComplete()
    assert count(station_db, Case) == 0  # the preview wrote nothing
    assert wiz.preview_page.summary.text().startswith("预览（未写入）")
    with qtbot.waitSignal(wiz.imported) as sig:
        wiz.next()
    assert sig.args == ["case"]
    assert count(station_db, Case) == 5
    report = {r.line: r.outcome for r in wiz.report.rows}
    assert report == {line: want[0] for line, want in expected.items()}
    table = wiz.report_page.table
    assert table.rowCount() == len(expected)
    rejected_row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "9")
    assert table.item(rejected_row, 1).text() == "未导入" and "“高”" in table.item(rejected_row, 3).text()
    assert wiz.report_page.rejects_button.isEnabled()
    saved = wiz.report_page.save_rejects(wiz.report_page.default_rejects_path())
    assert saved.name == "cases_未导入.xlsx"
    assert [r[1] for r in load_workbook(saved).active.iter_rows(min_row=2, values_only=True) if any(r)] == [
        "A005", "A006", "A007", "A008"]


def test_value_and_column_choices_are_remembered_per_header(configured_app, qtbot, station_db, tmp_path):
    B.dispute_ledger(tmp_path / "d.xlsx", TODAY)
    wiz = open_wizard(qtbot, station_db, tmp_path / "d.xlsx", Module.DISPUTE)
    wiz.next()
    wiz.next()
    wiz.next()
    values = wiz.value_page
    for value, code in (("高", "red"), ("中", "orange"), ("低", "yellow")):
        values.choose("level", value, code)
    values.choose("status", "待关注", "open")  # 待化解, 调解中, 已调解 are known words: not asked
    wiz.next()  # the officer page
    with qtbot.waitSignal(wiz.previewed, timeout=20000):
        wiz.next()
    assert wiz.preview.count("imported") == 7 and wiz.preview.count("rejected") == 1
    with qtbot.waitSignal(wiz.import_finished, timeout=20000):
        wiz.next()
    assert count(station_db, Dispute) == 7
    saved = saved_mapping(station_db, Module.DISPUTE, wiz.plan.header.titles)
    assert saved.values["level"] == {"高": "red", "中": "orange", "低": "yellow"}
    wiz.close()
    # Next month's ledger has the same columns: nothing to map by hand, and nothing new to import.
    again = open_wizard(qtbot, station_db, tmp_path / "d.xlsx", Module.DISPUTE)
    again.next()
    again.next()
    assert again.column_page.notice.text().startswith("已套用")
    again.next()
    assert again.value_page.info.text().startswith("共 1 个值")  # only 特急 is left unmapped
    again.next()  # the officer page
    with qtbot.waitSignal(again.previewed, timeout=20000):
        again.next()
    assert again.preview.added == 0 and not again.preview_page.isComplete()
    assert again.button(QWizard.WizardButton.CommitButton).isEnabled() is False
    assert again.preview_page.summary.text().startswith("预览（未写入）：将不会导入任何记录")


def test_missing_required_column_asks_for_a_value_for_the_whole_ledger(configured_app, qtbot, station_db, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["案件编号", "案由", "受案日期", "预警等级", "主办民警", "备注"])
    ws.append(["X1", "盗窃", "2025年3月8日", "黄", "张伟", "夜间"])
    wb.save(tmp_path / "criminal.xlsx")
    wiz = open_wizard(qtbot, station_db, tmp_path / "criminal.xlsx", Module.CASE)
    wiz.next()
    wiz.next()
    page = wiz.column_page
    assert field_label("kind", 0, "case") in page.missing.text() and not page.isComplete()
    combo = page.default_edits["kind"]
    combo.setCurrentIndex(combo.findData("刑事"))
    assert page.isComplete()
    wiz.next()
    wiz.next()  # the officer page: everyone is on the roster
    with qtbot.waitSignal(wiz.previewed, timeout=20000):
        wiz.next()
    with qtbot.waitSignal(wiz.import_finished, timeout=20000):
        wiz.next()
    assert [r.outcome for r in wiz.report.rows] == ["imported"]
    with station_db.read() as s:
        assert s.scalar(select(Case.kind)) == "criminal"


def test_a_file_that_cannot_be_read_stays_on_the_first_page(configured_app, qtbot, station_db, tmp_path):
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    wiz = open_wizard(qtbot, station_db, tmp_path / "old.xls", Module.CASE)
    wiz.next()
    assert wiz.currentPage() is wiz.file_page and "另存为" in wiz.file_page.error.text()


def test_a_workbook_of_three_sheets_in_one_go_with_officers_and_history(configured_app, qtbot, station_db,
                                                                          tmp_path):
    from app.ledger.importer import officer_questions, plan_import
    from app.services.stats import consistency_problems
    from models import Officer, Person

    org.add_officer(station_db, "赵磊", "officer", 1, badge_no=B.BADGE_ZHAO)
    expected = B.other_tool_workbook(tmp_path / "tool.xlsx", TODAY)
    d = B.Days(TODAY)
    wiz = open_wizard(qtbot, station_db, tmp_path / "tool.xlsx", Module.CASE)
    wiz.next()
    sheets = wiz.sheet_page.sheets
    assert [(sheets.item(r, 1).text(), sheets.item(r, 2).text()) for r in range(sheets.rowCount())] == [
        ("填报说明", "不是台账（不导入）"), ("案件", "案件"), ("矛盾纠纷", "矛盾纠纷"), ("重点人员", "重点人员")]
    assert wiz.plan.sheet.name == "案件"  # the notes sheet in front is passed over
    wiz.sheet_page.tick_sheet("矛盾纠纷")
    wiz.sheet_page.tick_sheet("重点人员")
    wiz.next()  # cases: columns
    assert wiz.column_page.isComplete()
    wiz.next()  # cases: values (all known)
    assert "所有值都能识别" in wiz.value_page.info.text()
    wiz.next()  # cases: officers
    officers = wiz.officer_page
    asked = {name: combo.currentText() for name, combo in officers.combos}
    assert asked == {"周警官": "不导入这些行", "张玮": "对应为：张伟（社区警务一队）", "某警官": "不导入这些行",
                     "陈警官": "对应为：陈刚（案件办理队）"}
    officers.choose("周警官", "add", "社区警务一队")
    wiz.next()  # disputes: columns, with the values the sheet lacks given once
    page = wiz.currentPage()
    assert page.job.module == Module.DISPUTE and "纠纷类别、来源" in page.missing.text()
    page.default_edits["category"].setCurrentIndex(page.default_edits["category"].findData("公安主责类"))
    page.default_edits["source"].setCurrentIndex(page.default_edits["source"].findData("走访排查"))
    page.default_edits["resolved_on"].setText(d.m.isoformat())
    page.default_edits["case_kind"].setCurrentIndex(page.default_edits["case_kind"].findData("刑事"))
    assert page.isComplete()
    wiz.next()  # disputes: values
    assert "宅基地纠纷" in wiz.currentPage().info.text()
    wiz.next()  # disputes: officers (李队 suggested as 李强; 陈警官 remembered from the cases sheet? asked again)
    assert {n: c.currentText() for n, c in wiz.currentPage().combos}["李队"] == "对应为：李强（社区警务一队）"
    wiz.next()
    wiz.next()
    wiz.next()  # persons: columns, values, officers
    with qtbot.waitSignal(wiz.previewed, timeout=20000):
        wiz.next()
    assert [r.sheet for r in wiz.previews] == ["案件", "矛盾纠纷", "重点人员"]
    with qtbot.waitSignal(wiz.import_finished, timeout=20000):
        wiz.next()
    for report in wiz.reports:
        got = {r.line: r.outcome for r in report.rows}
        assert got == {line: want[0] for line, want in expected[report.sheet].items()}, report.sheet
    assert wiz.report_page.table.item(0, 0).text() == "案件 2"
    assert count(station_db, Case) == 5 and count(station_db, Dispute) == 5 and count(station_db, Person) == 2
    with station_db.read() as s:
        assert s.scalar(select(Officer.team_id).where(Officer.name == "周警官")) == 1
    assert consistency_problems(station_db) == []
    wiz.close()
    # Next month's workbook of the same shape: every sheet's mapping comes back, no question is left.
    for sheet, module in (("案件", Module.CASE), ("矛盾纠纷", Module.DISPUTE), ("重点人员", Module.PERSON)):
        plan = plan_import(tmp_path / "tool.xlsx", module, sheet=sheet)
        plan = plan_import(tmp_path / "tool.xlsx", module, saved_mapping(station_db, module, plan.header.titles),
                           sheet)
        assert plan.missing() == [] and officer_questions(station_db, plan) == [], sheet
    again = open_wizard(qtbot, station_db, tmp_path / "tool.xlsx", Module.DISPUTE)
    again.next()
    again.next()
    assert "已套用" in again.column_page.notice.text() and again.column_page.isComplete()
    again.next()
    again.next()
    assert "台账中的民警都在名单中" in again.officer_page.info.text()
