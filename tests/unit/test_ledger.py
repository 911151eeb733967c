"""Ledger import: real .xlsx and CSV files in station shapes, every row's outcome, the records made."""
from __future__ import annotations

import csv
import json
from datetime import date, timedelta

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from app import cli
from app.domain.fields import field_label
from app.domain.levels import Module
from app.errors import ValidationError
from app.ledger.importer import ImportCancelled, import_ledger, plan_import, run_import
from app.ledger.mapping import parse_mapping
from app.ledger.reader import read_ledger
from app.ledger.values import id_text, parse_date
from app.services import audit
from app.services.headline import headline_stats
from app.services.stats import consistency_problems
from models import Case, Dispute, LevelChange, Officer
from tests.data.ledgers import build as B

TODAY = date.today()
D = B.Days(TODAY)


def outcomes(report) -> dict[int, tuple[str, str]]:
    return {r.line: (r.outcome, r.reason) for r in report.rows}


def check(report, expected: dict[int, tuple[str, str]]) -> None:
    got = outcomes(report)
    assert set(got) == set(expected), (sorted(got), sorted(expected))
    for line, (outcome, words) in expected.items():
        assert got[line][0] == outcome, (line, got[line])
        assert words in got[line][1], (line, got[line])


def snapshot(db) -> dict:
    with db.engine.connect() as conn:
        tables = [r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE '%fts%' ORDER BY name")]
        return {t: conn.exec_driver_sql(f'SELECT * FROM "{t}" ORDER BY 1').all() for t in tables}


def cases_by_no(db) -> dict[str, Case]:
    with db.read() as s:
        out = {c.case_no: c for c in s.scalars(select(Case))}
        s.expunge_all()  # plain objects for the asserts, detached before the read rolls back
        return out


# -- cells ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("cell", [date(2025, 3, 8), "2025年3月8日", "2025.3.8", "2025/03/08", "2025-3-8", 20250308,
                                  "20250308", 45724, 45724.0, "2025-03-08 09:30"])
def test_every_date_form_stations_write(cell):
    assert parse_date(cell) == date(2025, 3, 8)


@pytest.mark.parametrize("cell, words", [("2025.2.30", "没有这一天"), ("三月八日", "不是日期"), ("25.3.8", "不是日期"),
                                         (-3, "不是日期")])
def test_a_date_that_is_not_a_date_names_the_value(cell, words):
    with pytest.raises(ValidationError) as err:
        parse_date(cell, "受案日期")
    assert words in err.value.zh and "受案日期" in err.value.zh


@pytest.mark.parametrize("cell", [110105198005050015, 1.10105198005050e17, "1.10105E+17"])
def test_id_numbers_that_excel_made_numbers_are_refused_with_that_reason(cell):
    with pytest.raises(ValidationError) as err:
        id_text(cell)
    assert "被Excel存成了数字" in err.value.zh


# -- a case ledger in the usual shape -------------------------------------------------------------
def test_case_ledger_every_row_and_the_records(db, station, tmp_path):
    expected = B.case_ledger(tmp_path / "cases.xlsx", TODAY)
    report, _ = import_ledger(db, station.leader, tmp_path / "cases.xlsx", Module.CASE)
    assert report.header_line == 3 and report.sheet == "案件台账"
    check(report, expected)
    got = cases_by_no(db)
    assert sorted(got) == ["A001", "A002", "A003", "A004", "A009"]
    a1, a2, a3, a4, a9 = (got[k] for k in ("A001", "A002", "A003", "A004", "A009"))
    assert (a1.kind, a1.level, a1.accepted_on, a1.filed_on, a1.solved_on) == (
        "criminal", "yellow", D.p - timedelta(days=5), D.p - timedelta(days=4), D.m)
    assert (a1.cause, a1.place, a1.summary) == ("入室盗窃", "东门小区", "3栋被盗")
    assert (a2.kind, a2.level, a2.solved_on) == ("criminal", "orange", D.p)  # 刑事案件 / 橙 / 2025/03/08
    assert (a3.kind, a3.level, a3.status, a3.accepted_on, a3.closed_on) == (
        "administrative", "green", "closed", D.p, D.m)  # an Excel day number and an Excel date
    assert (a4.level, a4.accepted_on, a4.solved_on) == ("red", D.y, D.y)  # 20251101 typed as a number
    assert a9.solved_on == D.m  # 2025.3.8
    with db.read() as s:
        names = dict(s.execute(select(Officer.id, Officer.name)).all())
        reasons = {r.record_id: r.reason for r in s.scalars(select(LevelChange).where(LevelChange.module == "case"))}
    assert (names[a3.officer_id], names[a3.team_leader_id], names[a3.leader_id]) == ("刘洋", "陈刚", "王建国")
    assert (names[a4.team_leader_id], names[a4.leader_id]) == ("李强", "王建国")  # filled from 张伟's team
    assert reasons[a1.id] == "台账导入：cases.xlsx 第4行"
    assert consistency_problems(db) == [] and audit.verify_chain(db) == []


def test_case_statistics_match_the_figures_worked_out_by_hand(db, station, tmp_path):
    B.case_ledger(tmp_path / "cases.xlsx", TODAY)
    import_ledger(db, station.leader, tmp_path / "cases.xlsx", Module.CASE)
    s = headline_stats(db)["cases"]
    # A001 yellow, A002 orange, A003 green, A004 red, A009 yellow
    assert s["by_level"] == {"red": 1, "orange": 1, "yellow": 2, "green": 1} and s["total"] == 5
    assert s["overdue"] == 0
    # Solved criminal cases: A001 and A009 this month, A002 the month before, A004 a year before.
    solved = s["criminal_solved"]
    assert (solved["current"], solved["previous"], solved["last_year"]) == (2, 1, 1)
    assert (solved["mom_pct"], solved["yoy_pct"]) == (100.0, 100.0)
    handled = s["administrative_handled"]  # A003 concluded this month; A008 was rejected
    assert (handled["current"], handled["previous"], handled["last_year"], handled["mom_pct"]) == (1, 0, 0, None)


def test_the_same_ledger_twice_adds_nothing(db, station, tmp_path):
    B.case_ledger(tmp_path / "cases.xlsx", TODAY)
    first, _ = import_ledger(db, station.leader, tmp_path / "cases.xlsx", Module.CASE)
    records = snapshot(db)
    second, _ = import_ledger(db, station.leader, tmp_path / "cases.xlsx", Module.CASE)
    after = snapshot(db)
    for table in ("case_record", "level_change", "person", "dispute", "action"):
        assert after[table] == records[table]
    assert second.added == 0 and second.count("imported") == 0
    assert [r.line for r in second.rows if r.outcome == "present"] == [4, 5, 6, 8, 13, 14]
    assert all("内容一致" in r.reason or "重复" in r.reason for r in second.rows if r.outcome == "present")
    assert second.summary().startswith("没有导入任何记录")
    assert first.summary().startswith("案件台账已导入完成")


def test_a_row_with_new_information_merges_into_the_record(db, station, tmp_path):
    B.case_ledger(tmp_path / "cases.xlsx", TODAY)
    import_ledger(db, station.leader, tmp_path / "cases.xlsx", Module.CASE)
    wb = load_workbook(tmp_path / "cases.xlsx")
    ws = wb.active
    ws.cell(5, 11).value = "南门菜市场"  # A002 gets its place; its level differs too (橙 → 红)
    ws.cell(5, 9).value = "红色"
    wb.save(tmp_path / "cases2.xlsx")
    report, _ = import_ledger(db, station.leader, tmp_path / "cases2.xlsx", Module.CASE)
    row = next(r for r in report.rows if r.line == 5)
    assert row.outcome == "merged" and "发案地点" in row.reason
    assert any("预警等级：台账为红色，系统中为橙色" in n for n in row.notes)
    a2 = cases_by_no(db)["A002"]
    assert (a2.place, a2.level) == ("南门菜市场", "orange")  # a level changes only with a reason, never by import


def test_preview_reports_every_row_and_writes_nothing(db, station, tmp_path):
    expected = B.case_ledger(tmp_path / "cases.xlsx", TODAY)
    before = snapshot(db)
    preview, _ = import_ledger(db, station.leader, tmp_path / "cases.xlsx", Module.CASE, dry_run=True)
    assert snapshot(db) == before
    check(preview, expected)
    assert preview.summary().startswith("预览（未写入）")
    real, _ = import_ledger(db, station.leader, tmp_path / "cases.xlsx", Module.CASE)
    assert outcomes(real) == outcomes(preview)


def test_the_whole_import_is_one_transaction(db, station, tmp_path, monkeypatch):
    B.case_ledger(tmp_path / "cases.xlsx", TODAY)
    before = snapshot(db)
    plan = plan_import(tmp_path / "cases.xlsx", Module.CASE)
    done: list[int] = []
    with pytest.raises(ImportCancelled):  # a person cancels after four rows were written
        run_import(db, station.leader, plan, cancelled=lambda: len(done) > 3,
                   progress=lambda n, total: done.append(n))
    assert snapshot(db) == before

    def broken(*args, **kwargs):
        raise OSError("disk gone")

    monkeypatch.setattr(audit, "append_event", broken)  # fails after every row was written
    with pytest.raises(OSError):
        run_import(db, station.leader, plan)
    assert snapshot(db) == before


def test_rejected_rows_file_round_trips(db, station, tmp_path):
    B.case_ledger(tmp_path / "cases.xlsx", TODAY)
    report, written = import_ledger(db, station.leader, tmp_path / "cases.xlsx", Module.CASE,
                                    rejects=tmp_path / "rejects.xlsx")
    assert written == tmp_path / "rejects.xlsx"
    wb = load_workbook(written)
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header == B.CASE_HEADER + ["未导入原因"]
    rows = {r[1]: list(r) for r in ws.iter_rows(min_row=2, values_only=True) if any(r)}
    assert sorted(rows) == ["A005", "A006", "A007", "A008"]
    assert "预警等级“高”无法识别" in rows["A005"][-1]
    # A person fixes each row in Excel and imports the file again.
    fixes = {"A005": (9, "红色"), "A006": (5, "2025.2.28"), "A007": (12, "张伟"), "A008": (8, B.cn(D.m))}
    for r in range(2, 2 + len(rows)):
        col, value = fixes[ws.cell(r, 2).value]
        ws.cell(r, col).value = value
    wb.save(tmp_path / "fixed.xlsx")
    again, leftover = import_ledger(db, station.leader, tmp_path / "fixed.xlsx", Module.CASE,
                                    rejects=tmp_path / "rejects2.xlsx")
    assert [r.outcome for r in again.rows] == ["imported"] * 4 and leftover is None
    got = cases_by_no(db)
    assert (got["A005"].level, got["A006"].accepted_on, got["A008"].closed_on) == ("red", date(2025, 2, 28), D.m)
    third, _ = import_ledger(db, station.leader, tmp_path / "cases.xlsx", Module.CASE)
    # The original still has its bad cells; A008 (only its closing date was missing) is now on file.
    assert third.added == 0 and [r.line for r in third.rejected] == [9, 10, 11]
    assert outcomes(third)[12][0] == "present"


def test_rejects_as_csv_keep_the_columns(db, station, tmp_path):
    B.case_ledger(tmp_path / "cases.xlsx", TODAY)
    _, written = import_ledger(db, station.leader, tmp_path / "cases.xlsx", Module.CASE,
                               rejects=tmp_path / "rejects.csv")
    raw = written.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == B.CASE_HEADER + ["未导入原因"] and len(rows) == 5
    assert rows[2][4] == "2025.2.30"


# -- disputes: value mapping, CSV encodings, statistics ------------------------------------------------
def test_dispute_ledger_with_value_mapping_and_hand_figures(db, station, tmp_path):
    expected = B.dispute_ledger(tmp_path / "disputes.xlsx", TODAY)
    mapping = parse_mapping(Module.DISPUTE, B.DISPUTE_MAPPING)
    report, _ = import_ledger(db, station.leader, tmp_path / "disputes.xlsx", Module.DISPUTE, mapping)
    check(report, expected)
    with db.read() as s:
        got = {d.dispute_no: d for d in s.scalars(select(Dispute))}
        s.expunge_all()
    assert {k: d.level for k, d in got.items()} == {"J001": "red", "J002": "green", "J003": "green",
                                                    "J004": "yellow", "J005": "orange", "J007": "green",
                                                    "J008": "green"}
    assert (got["J007"].resolved_on, got["J007"].outcome) == (D.m, "已和解")
    assert (got["J008"].resolved_on, got["J008"].outcome) == (D.m, "已调解")  # the status word is the outcome
    assert (got["J002"].category, got["J002"].source, got["J002"].satisfaction) == ("non_police", "visit", "satisfied")
    assert (got["J004"].category, got["J004"].source) == ("assistance", "110")
    assert got["J003"].found_on == D.p and got["J003"].resolved_on == D.m and got["J003"].outcome == "赔偿到位"
    s = headline_stats(db)["disputes"]
    assert s["by_level"] == {"red": 1, "orange": 1, "yellow": 1, "green": 4} and s["total"] == 7
    # found this month: J001 J002 J004 J005 J007 J008; the month before: J003.
    # Resolved this month: J002 J003 J007 J008.
    assert (s["found"]["current"], s["found"]["previous"], s["resolved"]["current"]) == (6, 1, 4)
    assert s["resolution_rate"] == 0.5  # of the 6 found this month, J002 J007 J008 are mediated
    assert s["satisfaction_rate"] == 1.0  # 满意 + 基本满意 of the 2 resolved with a follow-up
    assert s["found"]["mom_pct"] == 500.0


def test_disputes_a_ledger_closes_are_due_their_followup_as_in_the_window(db, station, tmp_path):
    from app.services import records as R

    B.dispute_ledger(tmp_path / "disputes.xlsx", TODAY)
    import_ledger(db, station.leader, tmp_path / "disputes.xlsx", Module.DISPUTE,
                  parse_mapping(Module.DISPUTE, B.DISPUTE_MAPPING))
    with db.read() as s:
        got = {d.dispute_no: (d.level, d.resolved_on, d.satisfaction, d.followup_due) for d in s.scalars(select(Dispute))}
    # Closed by the ledger without a follow-up on file: due a week after the resolved day.
    for no in ("J007", "J008"):
        level, resolved, satisfaction, due = got[no]
        assert (level, satisfaction, due) == ("green", None, resolved + timedelta(days=7)), no
    for no in ("J002", "J003"):  # the ledger records the visit's satisfaction: nothing is due
        assert got[no][0] == "green" and got[no][2] in ("satisfied", "basic") and got[no][3] is None, no
    assert all(due is None for level, _r, _s, due in got.values() if level != "green")
    # The same rule as a dispute turned green in the window.
    with db.read() as s:
        j001 = s.scalar(select(Dispute.id).where(Dispute.dispute_no == "J001"))
    R.change_level(db, station.leader, "dispute", j001, "green", "调解完成", "达成协议", on=TODAY - timedelta(days=2))
    assert R.get_record(db, "dispute", j001).fields["followup_due"] == TODAY + timedelta(days=5)


def test_an_unmapped_value_rejects_its_row_naming_it(db, station, tmp_path):
    B.dispute_ledger(tmp_path / "disputes.xlsx", TODAY)
    plan = plan_import(tmp_path / "disputes.xlsx", Module.DISPUTE)
    # 待化解, 调解中 and 已调解 are the app's own words or their common synonyms: known without a mapping
    assert plan.unknown_values() == {"level": {"高": 2, "低": 1, "中": 1, "特急": 1}, "status": {"待关注": 1}}
    report = run_import(db, station.leader, plan)
    reasons = {r.line: r.reason for r in report.rows if r.outcome == "rejected"}
    assert "预警等级“高”无法识别" in reasons[4] and "预警等级“低”无法识别" in reasons[7]
    assert [r.line for r in report.rows if r.outcome == "imported"] == [5, 6, 11]  # the rows needing no mapping


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_dispute_csv_in_each_encoding(db, station, tmp_path, encoding):
    path = tmp_path / f"disputes-{encoding}.csv"
    expected = B.dispute_csv(path, TODAY, encoding)
    ledger = read_ledger(path)
    assert ledger.encoding == encoding
    report, _ = import_ledger(db, station.leader, path, Module.DISPUTE, parse_mapping(Module.DISPUTE, B.DISPUTE_MAPPING))
    check(report, expected)
    with db.read() as s:
        assert s.scalar(select(Dispute.parties).where(Dispute.dispute_no == "J005")) == "郑庚、王辛"


def test_mapping_file_on_the_command_line_and_the_json_report(db, station, tmp_path, capsys):
    B.dispute_ledger(tmp_path / "d.xlsx", TODAY)
    mapping = B.write_mapping(tmp_path / "map.json", B.DISPUTE_MAPPING)
    db.close()
    args = ["import-ledger", "--db", str(tmp_path / "station.db"), "--module", "disputes", str(tmp_path / "d.xlsx"),
            "--mapping", str(mapping), "--json", "--rejects", str(tmp_path / "rej.xlsx")]
    assert cli.main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["counts"] == {"imported": 7, "merged": 0, "present": 0, "rejected": 1, "skipped": 2}
    assert out["rows"][5]["reason"].startswith("预警等级“特急”无法识别")
    assert (tmp_path / "rej.xlsx").exists()
    assert cli.main(args[:-3]) == 1  # the second time nothing is added: exit 1, not "success"
    text_args = [a for a in args if a != "--json"][:-2]
    assert cli.main(text_args) == 1
    printed = capsys.readouterr().out
    assert "没有导入任何记录" in printed and "导入完成" not in printed


def test_command_line_errors_are_one_line_and_change_nothing(db, station, tmp_path, capsys):
    B.case_ledger(tmp_path / "cases.xlsx", TODAY)
    bad = tmp_path / "map.json"
    bad.write_text('{"values": {"预警等级": {"高": "紫色"}}}', encoding="utf-8")
    before = snapshot(db)
    db.close()
    base = ["import-ledger", "--db", str(tmp_path / "station.db"), "--module", "cases"]
    assert cli.main(base + [str(tmp_path / "cases.xlsx"), "--mapping", str(bad)]) == 2
    assert "目标值“紫色”无效" in capsys.readouterr().err
    assert cli.main(base + [str(tmp_path / "nope.xlsx")]) == 2
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert cli.main(base + [str(tmp_path / "old.xls")]) == 2
    assert "另存为" in capsys.readouterr().err
    from app.store import SqliteStore

    again = SqliteStore(tmp_path / "station.db")
    assert snapshot(again) == before
    again.close()


# -- shapes ----------------------------------------------------------------------------------------
def test_missing_required_column_is_named_and_a_default_fills_it(db, station, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["刑事案件登记表"])
    ws.append(["案件编号", "案由", "受案日期", "预警等级", "主办民警"])
    ws.append(["X1", "盗窃", "2025年3月8日", "黄", "张伟"])
    wb.save(tmp_path / "criminal.xlsx")
    plan = plan_import(tmp_path / "criminal.xlsx", Module.CASE)
    before = snapshot(db)
    with pytest.raises(ValidationError) as err:
        run_import(db, station.leader, plan)
    assert field_label("kind", 0, "case") in err.value.zh and snapshot(db) == before  # the field's name
    mapping = parse_mapping(Module.CASE, {"defaults": {"案件类别": "刑事"}})
    report, _ = import_ledger(db, station.leader, tmp_path / "criminal.xlsx", Module.CASE, mapping)
    assert [r.outcome for r in report.rows] == ["imported"]
    assert cases_by_no(db)["X1"].kind == "criminal"


def test_two_row_header_and_merged_cells_down_the_rows(db, station, tmp_path):
    """A group title merged over sub-titles, and one officer's name merged down three rows."""
    wb = Workbook()
    ws = wb.active
    ws.append(["2025年案件台账"])
    ws.merge_cells("A1:G1")
    ws.append(["案件编号", "案件类别", "受案日期", "办理情况", None, "预警等级", "责任民警"])
    ws.append([None, None, None, "破案日期", "办结日期", None, None])
    for cell in ("A2:A3", "B2:B3", "C2:C3", "F2:F3", "G2:G3"):
        ws.merge_cells(cell)
    ws.merge_cells("D2:E2")
    ws.append(["B1", "刑事", "2025-01-05", "2025-01-20", None, "黄色", "刘洋"])
    ws.append(["B2", "行政", "2025-01-06", None, "2025-01-09", "绿色", None])
    ws.append(["B3", "刑事", "2025-01-07", None, None, "红色", None])
    ws.merge_cells("G4:G6")
    wb.save(tmp_path / "two.xlsx")
    plan = plan_import(tmp_path / "two.xlsx", Module.CASE)
    assert plan.header.line(plan.sheet) == 3  # the merged titles reach down into the sub-title row
    assert sorted(plan.columns.values()) == sorted(["case_no", "kind", "accepted_on", "solved_on", "closed_on", "level",
                                                    "officer"])
    report = run_import(db, station.leader, plan)
    assert [r.outcome for r in report.rows] == ["imported"] * 3
    got = cases_by_no(db)
    assert {c.officer_id for c in got.values()} == {station.other_officer.officer_id}
    assert got["B1"].solved_on == date(2025, 1, 20) and got["B2"].closed_on == date(2025, 1, 9)


def test_a_ledger_with_no_rows_or_the_wrong_module_is_an_error(db, station, tmp_path):
    wb = Workbook()
    wb.active.append(["案件编号", "案件类别", "受案日期", "预警等级", "责任民警"])
    wb.save(tmp_path / "empty.xlsx")
    with pytest.raises(ValidationError, match="没有数据行"):
        import_ledger(db, station.leader, tmp_path / "empty.xlsx", Module.CASE)
    with pytest.raises(ValidationError, match="找不到必需的列：姓名、列管日期"):
        import_ledger(db, station.leader, tmp_path / "empty.xlsx", Module.PERSON)


def test_an_officer_imports_only_for_their_own_team(db, station, tmp_path):
    B.case_ledger(tmp_path / "cases.xlsx", TODAY)
    report, _ = import_ledger(db, station.officer, tmp_path / "cases.xlsx", Module.CASE)
    got = outcomes(report)
    assert got[6][0] == "rejected" and "本队" in got[6][1]  # A003 belongs to 刘洋's team
    assert got[4][0] == "imported"


@pytest.mark.parametrize("module", ["cases", "disputes", "persons"])
def test_templates_are_ledgers_the_importer_reads(db, station, tmp_path, module, capsys):
    path = tmp_path / f"{module}.xlsx"
    assert cli.main(["ledger-template", "--module", module, "--out", str(path)]) == 0
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    assert wb.sheetnames[1] == "填写说明"
    samples = {"案件编号*": "T1", "案件类别*": "刑事", "受案日期*": "2025-03-08", "预警等级*": "黄色", "责任民警*": "张伟",
               "纠纷类别*": "公安主责类", "来源*": "110警情", "当事人*": "赵六", "发现日期*": "2025-03-08", "姓名*": "赵六",
               "列管日期*": "2025-03-08", "身份证号": B.ID_ZHAO}
    header = [c.value for c in ws[2]]
    for c, h in enumerate(header, start=1):
        ws.cell(3, c).value = samples.get(h)
    id_col = header.index("身份证号") + 1 if "身份证号" in header else None
    if id_col:
        assert ws.cell(3, id_col).number_format == "@"
    wb.save(path)
    from app.ledger.fields import module_arg

    report, _ = import_ledger(db, station.leader, path, module_arg(module))
    assert [r.outcome for r in report.rows] == ["imported"], report.rows
