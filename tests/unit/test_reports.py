"""The report pack: figures pinned on hand-built data, the Excel files read back, recomputed by LibreOffice, and the CLI."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.cli import main
from app.errors import ValidationError
from app.reports.model import Table
from app.reports.pack import REPORTS, build_report
from app.reports.xlsx import LEVEL_COLOURS, write_xlsx
from app.services import records as R
from models import AuditEntry
from tests.unit.test_stats import Builder, at, build, place_created  # noqa: F401 - shared builder and fixture

TODAY = date(2024, 6, 10)


def table(report, title: str) -> Table:
    for t in report.all_tables():
        if t.title == title:
            return t
    raise KeyError(title)


def row(t: Table, first: str) -> list:
    return next(r for r in t.rows if r[0] == first)


@pytest.fixture
def may(build, db, station):
    """May 2024: cases solved and accepted, disputes found and mediated, two officers' records."""
    ids = {}
    ids["c1"] = build.case(date(2024, 5, 2), "criminal", "yellow", solved=date(2024, 5, 3))
    ids["c2"] = build.case(date(2024, 4, 20), "criminal", "yellow", solved=date(2024, 5, 20))
    ids["c3"] = build.case(date(2024, 4, 2), "criminal", "yellow", solved=date(2024, 4, 10))
    ids["red"] = build.case(date(2024, 5, 1), "criminal", "red")           # 张伟, due 8 May: overdue on 31 May
    ids["closed"] = build.case(date(2024, 4, 1), "administrative", "yellow")
    build.change("case", ids["closed"], "green", date(2024, 5, 10), "已处罚")  # handled and closed in May
    rid = R.create_case(build.db, station.leader, R.CaseInput(
        "L001", "criminal", "orange", date(2024, 5, 25),
        people=R.Responsibility(officer_id=station.other_officer.officer_id)))
    place_created(build.db, "case", rid, at(date(2024, 5, 25)))            # 刘洋, due 8 June: not overdue
    ids["liu"] = rid
    ids["d1"] = build.dispute(date(2024, 5, 2), resolved=date(2024, 5, 10), satisfaction="satisfied")
    ids["d2"] = build.dispute(date(2024, 5, 6), "yellow")
    return ids


# -- figures ------------------------------------------------------------------------------------------
def test_monthly_statistics_with_mom_and_yoy(may, db):
    r = build_report(db, "monthly", "2024-05", TODAY)
    assert r.as_of == date(2024, 5, 31) and r.period_label == "2024年5月"
    cases = table(r, "案件主要指标")
    # Accepted: May c1, red, closed? no (April) , liu -> 3; April c2, c3, closed -> 3; May 2023 none.
    assert row(cases, "受案") == ["受案", 3, 3, 0.0, 0, None]
    assert row(cases, "破刑事案件") == ["破刑事案件", 2, 1, 100.0, 0, None]   # change from zero: None
    assert row(cases, "查处行政案件") == ["查处行政案件", 1, 0, None, 0, None]
    disputes = table(r, "矛盾纠纷主要指标")
    assert row(disputes, "排查发现")[:3] == ["排查发现", 2, 0] and row(disputes, "化解")[:2] == ["化解", 1]
    rates = table(r, "化解率与回访满意率")
    # Found in May: d1 (2 May) and d2 (6 May); of them d1 mediated (10 May): 1 of 2. Nothing found
    # earlier was mediated in May. One follow-up (d1, satisfied, dated by its mediation on 10 May).
    assert row(rates, "化解率（本月）") == ["化解率（本月）", "2024-05-01至2024-05-31", 1, 2, 0.5, 0]
    assert row(rates, "化解率（本年累计）")[1:] == ["2024-01-01至2024-05-31", 1, 2, 0.5, 0]
    assert row(rates, "群众回访满意率（本月）")[2:5] == [1, 1, 1.0]
    said = [b.text for s in r.sections for b in s.blocks if hasattr(b, "text")]
    assert "本月排查 2 起，其中已化解 1 起，化解率 50.0%；另化解往期纠纷 0 起" in "".join(said)
    # 破案率: solved in May c1 (3 May) and c2 (20 May); none of the fixture's cases has a 立案日期.
    solve = table(r, "破案率")
    assert row(solve, "破案率（本月）") == ["破案率（本月）", "2024-05-01至2024-05-31", 2, 0, None]
    levels = table(r, "各类预警等级（月末）")
    # Cases on 31 May: red 1, orange 1 (刘洋), yellow c1 c2 c3, green 1. Overdue: the red one (due
    # 8 May), c3 (yellow since 2 April: due 2 May) and c2 (20 April: due 20 May); c1 is due 1 June.
    assert row(levels, "案件") == ["案件", 1, 1, 3, 1, 5, 3, 0.6]


def test_accountability_per_officer_and_team(may, db, station):
    r = build_report(db, "accountability", "2024-05", TODAY)
    officers = table(r, "民警责任落实情况（民警包案）")
    zhang = next(x for x in officers.rows if x[1] == "张伟")
    liu = next(x for x in officers.rows if x[1] == "刘洋")
    cols = ["team", "officer", "role", "red", "orange", "yellow", "active", "overdue", "share", "new", "closed"]
    assert [c.key for c in officers.columns] == cols
    # 张伟: red, yellow c1 c2 c3 and the dispute d2 active; overdue red, c2, c3 (see the monthly
    # test); new in May: c1, red, d1, d2; closed: the green case and d1.
    assert zhang == ["社区警务一队", "张伟", "民警", 1, 0, 4, 5, 3, 0.6, 4, 2]
    assert liu == ["案件办理队", "刘洋", "民警", 0, 1, 0, 1, 0, 0.0, 1, 0]
    assert officers.total_values()[6:8] == [6, 3]
    teams = table(r, "各队责任落实情况")
    assert row(teams, "社区警务一队")[1:] == [1, 0, 4, 5, 3, 0.6, 4, 2]


def test_accountability_rolls_up_to_team_and_station_leaders(may, db, station):
    from app.services import org

    # A second station leader (副所长 赵明) owns one dispute of 刘洋's, found 20 May, still yellow.
    deputy = org.add_officer(db, "赵明", "leader")
    rid = R.create_dispute(db, station.leader, R.DisputeInput(
        "J9001", "non_police", "visit", "yellow", date(2024, 5, 20), parties="孙八、周九",
        people=R.Responsibility(officer_id=station.other_officer.officer_id, leader_id=deputy)))
    place_created(db, "dispute", rid, at(date(2024, 5, 20)))
    r = build_report(db, "accountability", "2024-05", TODAY)
    leaders = table(r, "所领导包责情况")
    # 王建国 owns every record of the fixture (each named him by default): red 1 (A0004), orange 1
    # (L001), yellow c1 c2 c3 d2 = 4, active 6; overdue: the red one, c2, c3 = 3; new in May: c1,
    # red, L001, d1, d2 = 5; closed in May: the administrative case and d1 = 2.
    assert row(leaders, "（所领导）")[1:] == ["王建国", "所领导", 1, 1, 4, 6, 3, 0.5, 5, 2]
    zhao = next(x for x in leaders.rows if x[1] == "赵明")
    assert zhao == ["（所领导）", "赵明", "所领导", 0, 0, 1, 1, 0, 0.0, 1, 0]
    team_leaders = table(r, "队长责任落实情况")
    li = next(x for x in team_leaders.rows if x[1] == "李强")
    chen = next(x for x in team_leaders.rows if x[1] == "陈刚")
    assert li == ["社区警务一队", "李强", "队长", 1, 0, 4, 5, 3, 0.6, 4, 2]    # 张伟's records
    assert chen == ["案件办理队", "陈刚", "队长", 0, 1, 1, 2, 0, 0.0, 2, 0]      # 刘洋's: L001 and J9001
    officers = table(r, "民警责任落实情况（民警包案）")
    # Each level of responsibility counts every record once: the three tables sum alike.
    for t in (leaders, team_leaders, officers):
        totals = t.total_values()
        assert totals[3:8] + totals[9:] == [1, 1, 5, 7, 3, 6, 2], t.title


def test_red_list_and_morning_sheet(may, db):
    red = build_report(db, "red", "2024-05-31", TODAY)
    cases = red.sections[0].tables()[0]
    assert [r[1] for r in cases.rows] == ["A0004"] and cases.rows[0][2] == "red"
    assert cases.rows[0][7:] == [date(2024, 5, 1), 30, date(2024, 5, 8), "是"]  # since, days, due, overdue
    morning = build_report(db, "morning", "2024-05-25", TODAY)
    new = table(morning, "当日新增记录")
    assert [r[1] for r in new.rows] == ["L001"]
    moves = build_report(db, "morning", "2024-05-10", TODAY)
    assert [(r[2], r[3]) for r in table(moves, "当日等级变化").rows] == [("yellow", "green")]


def test_weekly_consultation_counts_and_labels(may, db):
    r = build_report(db, "weekly", "2024-W19", TODAY)  # 6-12 May 2024
    assert r.period_label == "2024年第19周（5月6日—5月12日）"
    compare = table(r, "本周与上周同期、去年同周比较")
    assert row(compare, "矛盾纠纷排查发现")[:3] == ["矛盾纠纷排查发现", 1, 1]  # d2 on 6 May; d1 on 2 May
    assert row(compare, "案件办结")[1] == 1
    note = r.sections[1].blocks[1].text
    assert note.startswith("本期 2024-05-06~2024-05-12；上期（环比） 2024-04-29~2024-05-05；去年同期（同比） 2023-05-08~2023-05-14")


@pytest.mark.parametrize("name, period, message", [
    ("monthly", "2024-W19", "一个月"), ("weekly", "2024-05", "一周"), ("morning", "2024-05", "一天"),
    ("monthly", "2024-07", "尚未开始"), ("nonsense", "2024-05", "未知的报表"),
])
def test_wrong_period_or_report_is_refused(db, station, name, period, message):
    with pytest.raises(ValidationError) as err:
        build_report(db, name, period, TODAY)
    assert message in str(err.value)


# -- Excel --------------------------------------------------------------------------------------------
def test_excel_numbers_fills_freeze_and_print_setup(may, db, tmp_path):
    r = build_report(db, "accountability", "2024-05", TODAY)
    path = write_xlsx(r, tmp_path / "acc.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["所领导", "队长", "民警", "队组"]
    ws = wb["民警"]
    header = next(i for i in range(1, 20) if ws.cell(i, 1).value == "队组")
    assert ws.freeze_panes == f"A{header + 1}"
    assert int(ws.page_setup.paperSize) == 9 and int(ws.page_setup.fitToWidth) == 1  # 9 = A4
    assert ws.print_title_rows == f"${header}:${header}"
    assert "&P" in ws.oddFooter.center.text and "数据截至" in ws.oddHeader.right.text
    red_header = ws.cell(header, 4)
    assert red_header.value == "在办红色" and red_header.fill.start_color.rgb == "FF" + LEVEL_COLOURS["red"]["chip"]
    zhang = next(i for i in range(header, header + 20) if ws.cell(i, 2).value == "张伟")
    assert ws.cell(zhang, 4).value == 1 and ws.cell(zhang, 4).data_type == "n"  # a number, not text
    assert ws.cell(zhang, 7).value == f"=D{zhang}+E{zhang}+F{zhang}"          # 在办合计 as a formula
    assert ws.cell(zhang, 9).number_format == "0.0%"
    assert wb["队组"]._charts, "the team sheet carries its chart"


def _recalculated(path, tmp_path):
    """LibreOffice opens the file, computes every formula and saves the values (headless)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    out = tmp_path / "recalculated"
    out.mkdir()
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless", "--calc",
                    "--convert-to", "xlsx", "--outdir", str(out), str(path)], check=True, timeout=180,
                   capture_output=True)
    return load_workbook(out / path.name, data_only=True)


def test_excel_recomputes_in_libreoffice_to_the_reported_figures(may, db, tmp_path):
    monthly = build_report(db, "monthly", "2024-05", TODAY)
    acc = build_report(db, "accountability", "2024-05", TODAY)
    m_path = write_xlsx(monthly, tmp_path / "monthly.xlsx")
    a_path = write_xlsx(acc, tmp_path / "acc.xlsx")
    m = _recalculated(m_path, tmp_path)["案件"]
    rows = {r[0]: r for r in m.iter_rows(values_only=True) if r[0] in ("受案", "破刑事案件", "查处行政案件")}
    assert rows["破刑事案件"][:6] == ("破刑事案件", 2, 1, 1.0, 0, "—")       # 环比 +100 %, 同比 from zero
    assert rows["受案"][3] == 0 and rows["查处行政案件"][3] == "—"
    (tmp_path / "second").mkdir()
    a = _recalculated(a_path, tmp_path / "second")["民警"]
    values = list(a.iter_rows(values_only=True))
    zhang = next(r for r in values if r[1] == "张伟")
    assert zhang[6:9] == (5, 3, 0.6)                                         # active, overdue, share computed
    total = next(r for r in values if r[0] == "合计")
    python_total = table(acc, "民警责任落实情况（民警包案）").total_values()
    assert total[3:8] == tuple(python_total[3:8]) and total[8] == 0.5        # share of the totals: 3 / 6


def test_failed_write_keeps_the_earlier_file(may, db, tmp_path, monkeypatch):
    r = build_report(db, "red", "2024-05-31", TODAY)
    path = write_xlsx(r, tmp_path / "red.xlsx")
    before = path.read_bytes()
    import openpyxl.workbook.workbook as wbmod

    def broken(self, filename):
        open(filename, "wb").write(b"PK\x03")
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(wbmod.Workbook, "save", broken)
    with pytest.raises(OSError):
        write_xlsx(r, path)
    assert path.read_bytes() == before and not (tmp_path / "red.xlsx.tmp").exists()


# -- the command ------------------------------------------------------------------------------------------
def _audit_count(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


def _audit_count_closed(path) -> int:
    """Count with a fresh handle: the command itself opens the file (one app per database file)."""
    from app.store import SqliteStore

    again = SqliteStore(path)
    try:
        return _audit_count(again)
    finally:
        again.close()


def test_report_command_writes_excel_and_records_the_export(may, db, tmp_path, capsys):
    out = tmp_path / "m.xlsx"
    before = _audit_count(db)
    db.close()
    assert main(["report", "monthly", "--db", str(db.path), "--period", "2024-05", "--out", str(out),
                 "--as-of", TODAY.isoformat()]) == 0
    assert "月度统计报表" in capsys.readouterr().out
    assert load_workbook(out)["案件"]["A1"].value == "月度统计报表"
    assert _audit_count_closed(db.path) == before + 1


@pytest.mark.parametrize("args, message", [
    (["monthly", "--period", "2024-13"], "统计期间格式无效"),
    (["monthly", "--period", "2024-05", "--out-suffix", ".csv"], "须为 .xlsx 或 .pdf"),
    (["weekly", "--period", "2024-05"], "一周"),
    (["annual", "--period", "2024"], "未知的报表"),
])
def test_report_command_refuses_bad_input_and_changes_nothing(may, db, tmp_path, capsys, args, message):
    out = tmp_path / ("r" + (args[-1] if "--out-suffix" in args else ".xlsx"))
    args = [a for a in args if a not in ("--out-suffix", ".csv")]
    before = _audit_count(db)
    db.close()
    assert main(["report", *args, "--db", str(db.path), "--out", str(out), "--as-of", TODAY.isoformat()]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists() and _audit_count_closed(db.path) == before


def test_every_report_builds_on_an_empty_station(db, station, tmp_path):
    for name, kind in REPORTS.items():
        r = build_report(db, name, kind.example.replace("2025", "2024"), TODAY)
        write_xlsx(r, tmp_path / f"{name}.xlsx")
        assert load_workbook(tmp_path / f"{name}.xlsx").sheetnames
