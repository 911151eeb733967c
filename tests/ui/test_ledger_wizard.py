"""The import wizard driven as a person would: file, header, columns, values, preview, import, rejects."""
from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QWizard
from sqlalchemy import func, select

from app.db import Database
from app.domain.levels import Module
from app.services import org
from models import Case, Dispute
from tests.data.ledgers import build as B
from ui.ledger.import_wizard import LedgerImportWizard, remembered_mapping

TODAY = date.today()


@pytest.fixture
def station_db(tmp_path):
    db = Database(tmp_path / "station.db", create=True)
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
    with qtbot.waitSignal(wiz.previewed, timeout=20000):
        wiz.next()
    assert wiz.preview.count("imported") == 7 and wiz.preview.count("rejected") == 1
    with qtbot.waitSignal(wiz.import_finished, timeout=20000):
        wiz.next()
    assert count(station_db, Dispute) == 7
    saved = remembered_mapping(Module.DISPUTE, wiz.plan.header.titles)
    assert saved.values["level"] == {"高": "red", "中": "orange", "低": "yellow"}
    wiz.close()
    # Next month's ledger has the same columns: nothing to map by hand, and nothing new to import.
    again = open_wizard(qtbot, station_db, tmp_path / "d.xlsx", Module.DISPUTE)
    again.next()
    again.next()
    assert again.column_page.notice.text().startswith("已套用")
    again.next()
    assert again.value_page.info.text().startswith("共 1 个值")  # only 特急 is left unmapped
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
    assert "案件类别" in page.missing.text() and not page.isComplete()
    combo = page.default_edits["kind"]
    combo.setCurrentIndex(combo.findData("刑事"))
    assert page.isComplete()
    wiz.next()
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
