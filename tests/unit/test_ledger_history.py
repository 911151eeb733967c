"""Ledgers from other tools, with their history: several sheets, other titles, informal officer names,
closed rows that keep the colour they had while open, converted disputes, de-listed persons; the
records' history and the statistics as of earlier days; the mapping remembered per station."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from app import cli
from app.domain.levels import Module
from app.ledger.importer import guess_sheets, officer_questions, plan_import, run_imports
from app.ledger.mapping import parse_mapping
from app.ledger.memory import save_mapping, saved_mapping
from app.ledger.officers import Roster
from app.ledger.reader import read_ledger
from app.services import org
from app.services.records import get_record
from app.services.stats import consistency_problems, headline_stats
from models import Action, Case, Dispute, LevelChange, Officer, Person
from tests.data.ledgers import build as B

TODAY = date.today()
D = B.Days(TODAY)
MIDNIGHT = datetime.min.time()


def at(day: date) -> datetime:
    return datetime.combine(day, MIDNIGHT)


def outcomes(report) -> dict[int, tuple[str, str]]:
    return {r.line: (r.outcome, r.reason) for r in report.rows}


def check(report, expected) -> None:
    got = outcomes(report)
    assert set(got) == set(expected), (sorted(got), sorted(expected))
    for line, (outcome, words) in expected.items():
        assert got[line][0] == outcome and words in got[line][1], (line, got[line])


@pytest.fixture
def zhao(db, station):
    """An officer known to the ledger only by his badge number."""
    return org.add_officer(db, "赵磊", "officer", station.team_id, badge_no=B.BADGE_ZHAO)


def plans_for(path, mappings):
    ledger = read_ledger(path)
    guesses = [g for g in guess_sheets(ledger) if g.module is not None]
    return ledger, [plan_import(ledger, g.module, parse_mapping(g.module, mappings[g.name]), g.name) for g in guesses]


def history(db, module: str, record_id: int) -> list[tuple]:
    with db.read() as s:
        return [(lc.from_level, lc.to_level, lc.changed_at, lc.outcome) for lc in s.scalars(
            select(LevelChange).where(LevelChange.module == module, LevelChange.record_id == record_id)
            .order_by(LevelChange.changed_at, LevelChange.id))]


def test_every_sheet_is_listed_with_its_guessed_module(tmp_path):
    B.other_tool_workbook(tmp_path / "tool.xlsx", TODAY)
    got = [(g.name, g.module, g.header_line, g.rows) for g in guess_sheets(read_ledger(tmp_path / "tool.xlsx"))]
    assert got == [("填报说明", None, None, 0), ("案件", Module.CASE, 1, 5), ("矛盾纠纷", Module.DISPUTE, 1, 6),
                   ("重点人员", Module.PERSON, 1, 2)]


def test_the_titles_other_tools_write_are_recognised(tmp_path):
    B.other_tool_workbook(tmp_path / "tool.xlsx", TODAY)
    ledger = read_ledger(tmp_path / "tool.xlsx")
    cols = {m: sorted(plan_import(ledger, m, sheet=s).columns.values())
            for m, s in ((Module.CASE, "案件"), (Module.DISPUTE, "矛盾纠纷"), (Module.PERSON, "重点人员"))}
    assert cols[Module.CASE] == sorted(["case_no", "cause", "kind", "accepted_on", "level", "officer", "status",
                                        "closed_on"])
    assert cols[Module.DISPUTE] == sorted(["parties", "focus_area", "summary", "found_on", "level", "officer", "status"])
    assert cols[Module.PERSON] == sorted(["name", "id_number", "risk_categories", "summary", "control_plan", "listed_on",
                                          "level",
                                          "officer", "status", "delisted_on", "due_on"])
    plan = plan_import(ledger, Module.DISPUTE, sheet="矛盾纠纷")
    assert plan.unknown_values() == {"level": {"特急": 1}}  # 已调解, 调解成功, 未结, 转案件, 已化解 are known
    assert plan.kept_focus_areas() == {"宅基地纠纷": 1}  # 邻里矛盾 is 邻里纠纷; the rest is kept as text


def test_unknown_officers_are_listed_once_with_their_rows_and_a_suggestion(db, station, zhao, tmp_path):
    B.other_tool_workbook(tmp_path / "tool.xlsx", TODAY)
    plan = plan_import(tmp_path / "tool.xlsx", Module.DISPUTE, sheet="矛盾纠纷")
    with db.read() as s:
        roster = Roster.load(s)
    got = [(q.text, q.rows, q.suggestion) for q in plan.officer_questions(roster)]
    # 031245 is 赵磊's badge number: resolved, not asked. 陈警官 → the only 陈; 李队 → the only 李.
    assert got == [("李队", 1, "李强"), ("陈警官", 1, "陈刚")]
    cases = plan_import(tmp_path / "tool.xlsx", Module.CASE, sheet="案件")
    assert [(q.text, q.rows, q.suggestion) for q in cases.officer_questions(roster)] == [
        ("周警官", 1, ""), ("张玮", 1, "张伟"), ("某警官", 1, ""), ("陈警官", 1, "陈刚")]


def test_a_workbook_of_three_modules_with_its_history(db, station, zhao, tmp_path):
    expected = B.other_tool_workbook(tmp_path / "tool.xlsx", TODAY)
    _, plans = plans_for(tmp_path / "tool.xlsx", B.other_tool_mapping(TODAY))
    reports = run_imports(db, station.leader, plans)
    for report in reports:
        check(report, expected[report.sheet])
    assert reports[0].added_officers == ["周警官（社区警务一队）"]
    with db.read() as s:
        cases = {c.case_no: c for c in s.scalars(select(Case))}
        disputes = {d.parties: d for d in s.scalars(select(Dispute))}
        persons = {p.name: p for p in s.scalars(select(Person))}
        officers = dict(s.execute(select(Officer.id, Officer.name)).all())
        zhou = s.scalar(select(Officer).where(Officer.name == "周警官"))
        s.expunge_all()
    assert (zhou.role, zhou.team_id) == ("officer", station.team_id)
    # Cases: red while open, green on the day the ledger closed it; the officer as mapped.
    c101, c102, c103 = cases["C101"], cases["C102"], cases["C103"]
    assert (c101.level, c101.status, c101.closed_on, officers[c101.officer_id]) == (
        "green", "closed", D.y + timedelta(days=10), "陈刚")
    assert history(db, "case", c101.id) == [(None, "red", at(D.y), ""),
                                            ("red", "green", at(D.y + timedelta(days=10)), "已结")]
    assert c101.created_at == at(D.y)
    assert officers[c102.officer_id] == "张伟" and officers[c103.officer_id] == "赵磊"
    assert (c103.level, c103.status, c103.next_due is not None) == ("yellow", "active", True)
    # Disputes: the history, a kept focus area, the converted one and its case.
    neigh, family, wages = disputes["张某与李某邻里纠纷"], disputes["王某婚姻家庭纠纷"], disputes["赵某讨薪纠纷"]
    assert (neigh.focus_area, neigh.level, neigh.resolved_on, neigh.outcome) == ("neighbour", "green", D.m, "已调解")
    assert history(db, "dispute", neigh.id) == [(None, "orange", at(D.y), ""), ("orange", "green", at(D.m), "已调解")]
    assert (family.level, officers[family.officer_id]) == ("green", "李强")
    assert (wages.level, wages.resolved_on, wages.status) == ("yellow", None, "active")  # cut-off only for closed rows
    land = disputes["钱某宅基地纠纷"]
    assert (land.focus_area, land.summary, land.status, land.level) == ("other", "【宅基地纠纷】宅基地边界争议",
                                                                         "converted", "orange")
    assert land.converted_at == at(D.m)
    made = cases[f"{land.dispute_no}-转案"]
    assert (made.kind, made.source_dispute_id, land.converted_case_id, made.accepted_on) == (
        "criminal", land.id, made.id, D.m)
    assert history(db, "dispute", land.id)[-1] == ("orange", "orange", at(D.m), "converted")
    # Persons: de-listed on the ledger's day; the deadline (整改期限) is the next follow-up.
    zhao6, lina = persons["赵六"], persons["李娜"]
    assert (zhao6.level, zhao6.status, zhao6.delisted_on, zhao6.delist_reason) == ("green", "closed", D.p, "撤销列管")
    assert history(db, "person", zhao6.id) == [(None, "red", at(D.y), ""), ("red", "green", at(D.p), "撤销列管")]
    assert (lina.level, lina.next_due, lina.summary) == ("yellow", TODAY + timedelta(days=30), "家庭矛盾")
    detail = get_record(db, "person", lina.id)
    assert [e.kind for e in detail.timeline] == ["level", "other"]  # listed, then followed from the import
    assert consistency_problems(db) == []


def test_imported_records_count_from_their_own_dates(db, station, zhao, tmp_path, capsys):
    _, plans = plans_for(B.other_tool_workbook(tmp_path / "tool.xlsx", TODAY) and tmp_path / "tool.xlsx",
                         B.other_tool_mapping(TODAY))
    run_imports(db, station.leader, plans)
    # The day before anything happened: nothing. Eight days into last year's month: what was open then.
    before = headline_stats(db, D.y - timedelta(days=1))
    assert before["cases"]["total"] == before["disputes"]["total"] == before["persons"]["total"] == 0
    then = headline_stats(db, D.y + timedelta(days=7))
    assert then["cases"]["by_level"] == {"red": 1, "orange": 0, "yellow": 0, "green": 1}  # C102 closed on day 5
    assert then["disputes"]["by_level"] == {"red": 1, "orange": 2, "yellow": 0, "green": 0}
    assert then["persons"]["by_level"] == {"red": 1, "orange": 0, "yellow": 0, "green": 0}
    assert then["disputes"]["found"]["current"] == 3
    assert then["cases"]["administrative_handled"]["current"] == 1  # C102, concluded on its own day
    # Today every figure has its year-ago base: 同比 is no longer against zero.
    now = headline_stats(db)
    assert now["disputes"]["by_level"] == {"red": 0, "orange": 0, "yellow": 1, "green": 3}
    assert now["disputes"]["converted"] == 1
    assert now["cases"]["by_level"] == {"red": 0, "orange": 1, "yellow": 1, "green": 3}
    assert now["cases"]["overdue"] == now["disputes"]["overdue"] == now["persons"]["overdue"] == 0
    db.close()
    assert cli.main(["stats", "--db", str(tmp_path / "station.db"), "--as-of", (D.y + timedelta(days=7)).isoformat(),
                     "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["disputes"]["by_level"]["orange"] == 2


def test_closing_red_history_is_decided_by_the_policy(db, station, zhao, tmp_path):
    B.other_tool_workbook(tmp_path / "tool.xlsx", TODAY)
    mappings = B.other_tool_mapping(TODAY)
    mappings["重点人员"] = {"officers": {"陈警官": "张伟"}}  # both rows in the team leader's own team
    _, plans = plans_for(tmp_path / "tool.xlsx", mappings)
    plans = [p for p in plans if p.module == Module.PERSON]
    report = run_imports(db, station.team_leader, plans)[0]
    assert outcomes(report) == {2: ("rejected", "队长无权办结红色记录"), 3: ("imported", "")}
    again = run_imports(db, station.leader, plans)[0]
    assert [r.outcome for r in again.rows] == ["imported", "present"]


def test_the_saved_mapping_makes_next_months_ledger_question_free(db, station, zhao, tmp_path):
    B.other_tool_workbook(tmp_path / "tool.xlsx", TODAY)
    ledger, plans = plans_for(tmp_path / "tool.xlsx", B.other_tool_mapping(TODAY))
    for plan in plans:
        save_mapping(db, station.leader, plan.module, plan.header.titles, plan.mapping)
    run_imports(db, station.leader, plans)
    # Next month's ledger: the same shape, new rows, the same informal names.
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "tool.xlsx")
    ws = wb["矛盾纠纷"]
    ws.append([7, "吴某与郑某邻里纠纷", "邻里矛盾", "宠物扰民", D.m, "黄色", "陈警官", "未结"])
    wb.save(tmp_path / "next.xlsx")
    again = read_ledger(tmp_path / "next.xlsx")
    for guess in guess_sheets(again):
        if guess.module is None:
            continue
        plan = plan_import(again, guess.module, sheet=guess.name)
        remembered = saved_mapping(db, guess.module, plan.header.titles)
        assert remembered is not None
        plan = plan_import(again, guess.module, remembered, guess.name)
        assert plan.missing() == [] and officer_questions(db, plan) == []
        if guess.module == Module.DISPUTE:
            assert plan.unknown_values() == {"level": {"特急": 1}}  # the one value the first import rejected
            report = run_imports(db, station.leader, [plan])[0]
            assert outcomes(report)[8][0] == "imported"
            assert [r.outcome for r in report.rows if r.line < 8] == ["present"] * 5 + ["rejected"]


def test_command_line_sheet_officer_mapping_and_adding_to_a_team(db, station, zhao, tmp_path, capsys):
    B.other_tool_workbook(tmp_path / "tool.xlsx", TODAY)
    db.close()
    base = ["import-ledger", "--db", str(tmp_path / "station.db"), "--module", "cases", str(tmp_path / "tool.xlsx"),
            "--sheet", "案件", "--json"]
    assert cli.main(base + ["--dry-run"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["sheet"] == "案件"
    assert out["officers_unknown"] == [{"text": "周警官", "rows": 1, "suggestion": ""},
                                       {"text": "张玮", "rows": 1, "suggestion": "张伟"},
                                       {"text": "某警官", "rows": 1, "suggestion": ""},
                                       {"text": "陈警官", "rows": 1, "suggestion": "陈刚"}]
    mapping = B.write_mapping(tmp_path / "map.json", {"officers": {"陈警官": "陈刚", "张玮": "张伟", "某警官": None}})
    assert cli.main(base + ["--mapping", str(mapping), "--add-officers-to", "案件办理队"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["counts"] == {"imported": 4, "merged": 0, "present": 0, "rejected": 1, "skipped": 0}
    assert out["officers_added"] == ["周警官（案件办理队）"] and out["officers_unknown"] == []
    assert out["rows"][4]["reason"] == "责任民警“某警官”按映射不予导入"
    assert cli.main(base[:-1] + ["--add-officers-to", "三队"]) == 2  # no such team: one line, nothing written
    assert "队组“三队”不存在" in capsys.readouterr().err


ALL = frozenset({"active", "closed", "converted"})


def test_a_view_exported_as_a_ledger_has_the_template_columns_and_imports_again(db, station, zhao, tmp_path):
    from openpyxl import load_workbook

    from app.ledger.export import export_ledger
    from app.ledger.importer import import_ledger
    from app.ledger.template import template_columns
    from app.services.tables import TableQuery

    _, plans = plans_for(B.other_tool_workbook(tmp_path / "tool.xlsx", TODAY) and tmp_path / "tool.xlsx",
                         B.other_tool_mapping(TODAY))
    run_imports(db, station.leader, plans)
    with db.write() as s:  # a summary someone typed that a spreadsheet would run as a formula
        s.scalar(select(Case).where(Case.case_no == "C103")).summary = '=HYPERLINK("http://x","点我")'
    for module in Module:
        out = export_ledger(db, station.leader, module, TableQuery(statuses=ALL), tmp_path / f"{module.value}.xlsx")
        ws = load_workbook(out.path).worksheets[0]
        header = [c.value for c in ws[2]]
        assert [h.rstrip("*") for h in header] == [s.titles[0] for s in template_columns(module)]
        again, _ = import_ledger(db, station.leader, out.path, module)
        assert again.count("present") == out.rows and again.added == 0 and not again.rejected, module
        assert all("内容一致" in r.reason for r in again.rows), [r.reason for r in again.rows]
    ws = load_workbook(tmp_path / "case.xlsx").worksheets[0]
    cell = next(c for row in ws.iter_rows(min_row=3) for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert cell.data_type == "s"  # text, never a formula
    disputes = load_workbook(tmp_path / "dispute.xlsx").worksheets[0]
    header = [c.value.rstrip("*") for c in disputes[2]]
    rows = [r for r in disputes.iter_rows(min_row=3, values_only=True) if r[0]]
    land = next(r for r in rows if r[header.index("当事人")] == "钱某宅基地纠纷")
    assert land[header.index("办理状态")] == "转案件" and land[header.index("预警等级")] == "橙色"
    assert land[header.index("转案案件编号")].endswith("-转案")


def test_an_exported_ledger_brings_the_history_into_another_station_file(db, station, zhao, tmp_path):
    from app.ledger.export import export_ledger
    from app.ledger.importer import import_ledger
    from app.services.tables import TableQuery
    from app.store import SqliteStore

    _, plans = plans_for(B.other_tool_workbook(tmp_path / "tool.xlsx", TODAY) and tmp_path / "tool.xlsx",
                         B.other_tool_mapping(TODAY))
    run_imports(db, station.leader, plans)
    out = export_ledger(db, station.leader, Module.CASE, TableQuery(statuses=ALL), tmp_path / "cases.csv")
    other = SqliteStore(tmp_path / "other.db", create=True)
    org.init_station(other, "城关派出所", "360102001", "东湖分局")
    t1, t2 = org.add_team(other, "社区警务一队"), org.add_team(other, "案件办理队")
    leader = org.add_officer(other, "王建国", "leader")
    for name, role, team in (("李强", "team_leader", t1), ("陈刚", "team_leader", t2), ("张伟", "officer", t1),
                             ("刘洋", "officer", t2), ("赵磊", "officer", t1), ("周警官", "officer", t1)):
        org.add_officer(other, name, role, team)
    report, _ = import_ledger(other, org.actor_for(other, leader), out.path, Module.CASE)
    assert report.count("imported") == out.rows == 5 and not report.rejected, report.rows
    with other.read() as s:
        got = {c.case_no: (c.level, c.status, c.accepted_on, c.closed_on) for c in s.scalars(select(Case))}
    with db.read() as s:
        mine = {c.case_no: (c.level, c.status, c.accepted_on, c.closed_on) for c in s.scalars(select(Case))}
    assert got == mine
    other.close()


def _state(db) -> dict:
    """Every imported record, level change and action, without ids, uuids and the clock's seconds."""
    with db.read() as s:
        keys = {("case", c.id): c.case_no for c in s.scalars(select(Case))}
        keys.update({("dispute", d.id): d.dispute_no for d in s.scalars(select(Dispute))})
        cols = ("level", "status", "created_at", "level_changed_at", "last_activity_on", "next_due", "officer_id",
                "team_id", "team_leader_id", "leader_id", "summary", "search_text")
        cases = sorted((c.case_no, c.kind, c.accepted_on, c.closed_on, c.solved_on, *(getattr(c, k) for k in cols))
                       for c in s.scalars(select(Case)))
        disputes = sorted((d.dispute_no, d.category, d.source, d.focus_area, d.parties, d.found_on, d.resolved_on,
                           d.outcome, d.converted_at, *(getattr(d, k) for k in cols)) for d in s.scalars(select(Dispute)))
        changes = sorted((lc.module, keys.get((lc.module, lc.record_id), lc.record_id), lc.from_level or "", lc.to_level,
                          lc.changed_at.date(), lc.reason, lc.outcome) for lc in s.scalars(select(LevelChange))
                         if lc.module != "person")
        actions = sorted((a.module, keys.get((a.module, a.record_id)), a.content, a.next_due, a.acted_at.date())
                         for a in s.scalars(select(Action)) if a.module != "person")
    return {"cases": cases, "disputes": disputes, "changes": changes, "actions": actions}


@pytest.mark.parametrize("shape", ["cases", "disputes", "workbook"])
def test_the_batched_path_gives_the_row_paths_report_and_records(tmp_path, shape):
    """The same ledger into two fresh station files, batched and row by row: every row's outcome and
    every record, level change and action the same."""
    from app.store import SqliteStore

    got = {}
    for batched in (True, False):
        db = SqliteStore(tmp_path / f"{batched}.db", create=True)
        org.init_station(db, "城关派出所", "360102001", "东湖分局")
        t1, t2 = org.add_team(db, "社区警务一队"), org.add_team(db, "案件办理队")
        leader = org.actor_for(db, org.add_officer(db, "王建国", "leader"))
        for name, role, team in (("李强", "team_leader", t1), ("陈刚", "team_leader", t2), ("张伟", "officer", t1),
                                 ("刘洋", "officer", t2)):
            org.add_officer(db, name, role, team)
        org.add_officer(db, "赵磊", "officer", t1, badge_no=B.BADGE_ZHAO)
        if shape == "cases":
            B.case_ledger(tmp_path / "l.xlsx", TODAY)
            plans = [plan_import(tmp_path / "l.xlsx", Module.CASE)]
        elif shape == "disputes":
            B.dispute_ledger(tmp_path / "l.xlsx", TODAY)
            plans = [plan_import(tmp_path / "l.xlsx", Module.DISPUTE, parse_mapping(Module.DISPUTE, B.DISPUTE_MAPPING))]
        else:
            B.other_tool_workbook(tmp_path / "l.xlsx", TODAY)
            _, plans = plans_for(tmp_path / "l.xlsx", B.other_tool_mapping(TODAY))
        reports = run_imports(db, leader, plans, batched=batched)
        again = run_imports(db, leader, plans, batched=batched)  # the second time: already present
        got[batched] = ([[(r.line, r.outcome, r.reason, r.label, r.notes) for r in rep.rows] for rep in reports + again],
                        _state(db))
        assert consistency_problems(db) == []
        db.close()
    assert got[True][0] == got[False][0]
    assert got[True][1] == got[False][1]
    assert got[True][1]["cases"] or got[True][1]["disputes"]
