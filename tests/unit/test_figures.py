"""The figures a leader reports, on small scenarios built through the services and worked by hand:
破刑事案件 and 破案率, 化解率 with its numerator and denominator, 群众回访满意率."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.errors import PermissionDenied, RuleViolation, ValidationError
from app.services import records as R
from app.services.stats import headline_stats
from models import AuditEntry, Case
from tests.unit.test_stats import Builder, at, build, place_created, place_last_change  # noqa: F401

may = lambda d: date(2024, 5, d)  # noqa: E731


def criminal(build: Builder, accepted: date, filed: date | None = None, kind: str = "criminal") -> int:
    rid = R.create_case(build.db, build.st.leader, R.CaseInput(
        build._no("A"), kind, "red", accepted, cause="盗窃", filed_on=filed,
        people=R.Responsibility(officer_id=build.st.officer.officer_id)))
    place_created(build.db, "case", rid, at(accepted))
    return rid


def solved_on(db, rid: int) -> date | None:
    with db.read() as s:
        return s.scalar(select(Case.solved_on).where(Case.id == rid))


# -- 破案 -------------------------------------------------------------------------------------------
def test_a_case_solved_through_its_level_changes_counts_once(build, db, station):
    a = criminal(build, may(2), filed=may(2))
    headline = headline_stats(db, may(15))["cases"]
    assert headline["criminal_solved"]["current"] == 0
    # red → yellow "抓获犯罪嫌疑人，案件告破" with the 破案日期: 破刑事案件 counts it.
    R.change_level(db, station.leader, "case", a, "yellow", "抓获犯罪嫌疑人，案件告破", on=may(10), solved_on=may(10))
    place_last_change(db, "case", a, at(may(10), 10))
    assert solved_on(db, a) == may(10)
    assert headline_stats(db, may(15))["cases"]["criminal_solved"]["current"] == 1
    assert headline_stats(db, may(9))["cases"]["criminal_solved"]["current"] == 0  # not yet solved on 9 May
    # → green: concluded, still one case solved, on its first date.
    R.change_level(db, station.leader, "case", a, "green", "移送起诉", "案件办结", on=may(12))
    assert solved_on(db, a) == may(10)
    assert headline_stats(db, may(15))["cases"]["criminal_solved"]["current"] == 1
    with pytest.raises(RuleViolation, match="已于2024-05-10破案"):
        R.mark_case_solved(db, station.leader, a, may(13), "重复登记")


def test_solved_and_filed_make_the_solve_rate(build, db, station):
    a = criminal(build, may(2), filed=may(2))       # solved 10 May through yellow
    b = criminal(build, may(3), filed=may(3))       # straight to green, solved 12 May
    c = criminal(build, date(2024, 4, 25), filed=date(2024, 4, 25))  # marked solved 28 April
    criminal(build, may(4), filed=may(4))           # filed, not solved
    d = criminal(build, date(2024, 4, 1), filed=date(2024, 4, 2))   # filed in April, solved in May
    R.change_level(db, station.leader, "case", a, "yellow", "抓获犯罪嫌疑人", on=may(10), solved_on=may(10))
    R.change_level(db, station.leader, "case", b, "green", "当场抓获", "已移送起诉", on=may(12), solved_on=may(12))
    R.mark_case_solved(db, station.officer, c, date(2024, 4, 28), "比对指纹，抓获嫌疑人")
    R.mark_case_solved(db, station.officer, d, may(14), "串并侦查告破")
    cases = headline_stats(db, may(15))["cases"]
    # Solved 1-15 May: a, b, d = 3; 1-15 April: none (c on 28 April is outside the same days).
    assert (cases["criminal_solved"]["current"], cases["criminal_solved"]["previous"]) == (3, 0)
    # Filed 1-15 May: a, b and the unsolved one = 3, so 3 ÷ 3; d was filed in April.
    assert cases["solve_rate"] == {"solved": 3, "filed": 3, "rate": 1.0,
                                   "window": {"from": "2024-05-01", "to": "2024-05-15"}}
    # Year to date: solved a, b, c, d = 4; filed all five.
    assert (cases["solve_rate_ytd"]["solved"], cases["solve_rate_ytd"]["filed"], cases["solve_rate_ytd"]["rate"]) \
        == (4, 5, 0.8)
    assert cases["solve_rate_text"] == "本期破刑事案件 3 起，刑事立案 3 起，破案率 100.0%（2024-05-01至2024-05-15）"
    whole_april = headline_stats(db, date(2024, 4, 30))["cases"]
    assert whole_april["criminal_solved"]["current"] == 1 and whole_april["solve_rate"]["filed"] == 2


def test_marking_solved_is_checked_role_scoped_and_audited(build, db, station):
    a = criminal(build, may(2))
    adm = criminal(build, may(2), kind="administrative")
    with pytest.raises(ValidationError, match="只有刑事案件"):
        R.mark_case_solved(db, station.leader, adm, may(5), "查处")
    with pytest.raises(ValidationError, match="只有转为黄色"):
        R.change_level(db, station.leader, "case", a, "orange", "暂无条件", solved_on=may(5))
    with pytest.raises(ValidationError, match="破案日期不能早于受案日期"):
        R.mark_case_solved(db, station.leader, a, may(1), "抓获")
    with pytest.raises(ValidationError, match="不能晚于今天"):
        R.mark_case_solved(db, station.leader, a, date.today().replace(year=date.today().year + 1), "抓获")
    with pytest.raises(ValidationError, match="破案情况不能为空"):
        R.mark_case_solved(db, station.leader, a, may(5), "  ")
    with pytest.raises(PermissionDenied):  # 刘洋 is in another team: not his case
        R.mark_case_solved(db, station.other_officer, a, may(5), "抓获")
    assert solved_on(db, a) is None  # every refusal left the case as it was
    R.mark_case_solved(db, station.officer, a, may(5), "抓获犯罪嫌疑人")
    with db.read() as s:
        detail, account = s.execute(select(AuditEntry.detail, AuditEntry.account).where(
            AuditEntry.action == "mark_case_solved:edit", AuditEntry.module == "case")).one()
    assert '"solved_on": [null, "2024-05-05"]' in detail and account
    detail = R.get_record(db, "case", a)
    assert detail.fields["solved_on"] == may(5) and detail.level == "red"  # the level is not touched
    assert any(e.text == "破案：抓获犯罪嫌疑人" for e in detail.timeline)


# -- 化解率 and 回访满意率 -------------------------------------------------------------------------------
def dispute(build: Builder, found: date, category: str = "police_primary") -> int:
    rid = R.create_dispute(build.db, build.st.leader, R.DisputeInput(
        build._no("J"), category, "110", "yellow", found, parties="赵六、钱七",
        people=R.Responsibility(officer_id=build.st.officer.officer_id)))
    place_created(build.db, "dispute", rid, at(found))
    return rid


def test_resolution_rate_says_what_it_is_made_of(build, db, station):
    d1, d2, _d3 = dispute(build, may(2)), dispute(build, may(3)), dispute(build, may(4))
    d4 = dispute(build, may(5))                              # mediation fails: becomes a case on 9 May
    d5 = dispute(build, may(6), "assistance")                # 重要救助警情, help completed 8 May
    d6 = dispute(build, date(2024, 4, 20))                   # found in April, mediated 9 May
    d7 = dispute(build, may(7))                              # mediated only on 20 May
    for rid, day in ((d1, may(6)), (d2, may(7)), (d5, may(8)), (d6, may(9)), (d7, may(20))):
        build.change("dispute", rid, "green", day, "调解成功")
    build.convert(d4, may(9))
    R.record_followup(db, station.officer, d1, "satisfied", "电话回访", on=may(10))
    R.record_followup(db, station.officer, d2, "unsatisfied", "上门回访", on=may(11))
    R.record_followup(db, station.officer, d6, "basic", "电话回访", on=may(12))
    R.record_followup(db, station.officer, d5, "satisfied", "电话回访", on=may(16))  # after 15 May

    d = headline_stats(db, may(15))["disputes"]
    # Found 1-15 May: d1 d2 d3 d4 d5 d7 = 6; mediated by 15 May: d1 d2 d5 = 3; d6 apart.
    assert d["resolution"] == {"found": 6, "resolved_of_found": 3, "rate": 0.5, "resolved_earlier": 1,
                               "converted_of_found": 1, "assistance_of_found": 1,
                               "window": {"from": "2024-05-01", "to": "2024-05-15"}}
    assert d["resolution_rate"] == 0.5 and d["found"]["current"] == 6 and d["resolved"]["current"] == 4
    assert d["resolution_text"].startswith("本期排查 6 起，其中已化解 3 起，化解率 50.0%；另化解往期纠纷 1 起")
    assert "转为案件 1 起" in d["resolution_text"] and "重要救助警情 1 起" in d["resolution_text"]
    # Follow-ups 1-15 May: d1 satisfied, d2 unsatisfied, d6 basic: 2 of 3.
    assert d["satisfaction_visits"] == {"visits": 3, "satisfied": 2, "rate": 0.6667,
                                        "window": {"from": "2024-05-01", "to": "2024-05-15"}}
    assert d["satisfaction_rate"] == 0.6667
    assert d["satisfaction_text"] == "本期回访 3 起，满意（含基本满意）2 起，回访满意率 66.7%"
    # On 20 May d7 is mediated and d5's visit counts: 4 of 6, 3 of 4.
    d = headline_stats(db, may(20))["disputes"]
    assert (d["resolution"]["resolved_of_found"], d["resolution"]["found"], d["resolution"]["rate"]) == (4, 6, 0.6667)
    assert (d["satisfaction_visits"]["satisfied"], d["satisfaction_visits"]["visits"]) == (3, 4)


# -- words -----------------------------------------------------------------------------------------
def test_the_audit_trail_reads_in_words_not_codes(build, db, station):
    from app.services import audit

    a = criminal(build, may(2))
    R.change_level(db, station.leader, "case", a, "yellow", "抓获犯罪嫌疑人", on=may(10), solved_on=may(10))
    cells = [audit.entry_cells(r, names=audit.officer_names(db)) for r in audit.list_entries(db)]
    change = next(c for c in cells if c[4] == "变更等级（修改）" and c[5] == "案件")
    assert change[3] == "所领导"
    assert "预警等级：红色 → 黄色" in change[7] and "破案日期：（空） → 2024-05-10" in change[7]
    history = next(c for c in cells if c[5] == "等级变更")
    assert "新等级：黄色" in history[7] and "原等级：红色" in history[7]  # a new row: its values alone
    created = next(c for c in cells if c[4] == "新建案件（新建）" and c[5] == "案件")[7]
    assert f"责任民警：{station.officer.name}" in created and f"包案所领导：{station.leader.name}" in created
    assert f"变更人：{station.leader.name}" in history[7]
    raw = {"red", "yellow", "leader", "change_level", "case", "level_change", "active", "criminal"}
    for c in cells:
        words = set(str(x) for x in c[3:6]) | set(str(c[7]).replace("：", " ").replace("；", " ").split())
        assert not raw & words, c


def test_a_key_person_is_listed_or_delisted_never_active_or_closed(build, db, station):
    from app.domain.fields import value_label
    from app.domain.levels import status_name

    assert (status_name("person", "active"), status_name("person", "closed")) == ("在管", "撤销列管")
    assert (status_name("dispute", "closed"), status_name("dispute", "converted")) == ("已化解", "转案件")
    assert (status_name("case", "active"), status_name("case", "closed")) == ("在办", "已办结")
    assert value_label("status", "closed", 0, "person") == "撤销列管"


def test_no_two_fields_of_a_record_share_a_label():
    from app.domain.fields import field_label
    from models import Dispute, Person

    for module, model in (("case", Case), ("dispute", Dispute), ("person", Person)):
        keys = [c.key for c in model.__table__.columns if c.key != "search_text"]
        for lang in (0, 1):
            labels = [field_label(k, lang, module) for k in keys]
            assert len(labels) == len(set(labels)), (module, lang, sorted(labels))


@pytest.mark.parametrize("given, kept", [
    ("0791-86123456", "0791-86123456"), ("079186123456", "0791-86123456"), ("0791 8612 3456", "0791-86123456"),
    ("010-62345678", "010-62345678"), ("139 1234 5678", "13912345678"),
])
def test_a_landline_is_accepted_where_a_phone_is_asked(db, station, given, kept):
    from app.domain.identity import normalise_phone

    assert normalise_phone(given) == kept
    pid = R.create_person(db, station.officer, R.PersonInput(
        "黄河", "yellow", may(2), phone=given, guardian_phone=given,
        people=R.Responsibility(officer_id=station.officer.officer_id)))
    fields = R.get_record(db, "person", pid).fields
    assert fields["phone"] == fields["guardian_phone"] == kept


@pytest.mark.parametrize("given, says", [("0791-1234", "固定电话"), ("86123456", "手机号"), ("0791-8612345678", "固定电话"),
                                         ("12345", "手机号")])
def test_a_wrong_phone_number_is_refused_naming_the_fault(given, says):
    from app.domain.identity import normalise_phone

    with pytest.raises(ValidationError, match=says):
        normalise_phone(given)


# -- the breakdowns stations send ------------------------------------------------------------------------
@pytest.fixture
def may_breakdown(build, db, station):
    """Cases, disputes and key persons in May 2024, April 2024 (环比) and May 2023 (同比)."""
    def case(no, kind, category, accepted, filed=None, solved=None):
        rid = R.create_case(db, station.leader, R.CaseInput(
            no, kind, "red", accepted, category=category, cause=category, filed_on=filed, solved_on=solved,
            people=R.Responsibility(officer_id=station.officer.officer_id)))
        place_created(db, "case", rid, at(accepted))
        return rid

    c1 = case("A1", "criminal", "盗窃", may(2), filed=may(2))
    R.change_level(db, station.leader, "case", c1, "yellow", "抓获嫌疑人", on=may(10), solved_on=may(10))
    case("A2", "criminal", "盗窃", date(2024, 4, 3), filed=date(2024, 4, 3))
    case("A3", "criminal", "诈骗", may(4), filed=may(6))
    c4 = case("A4", "administrative", "殴打他人", may(5))
    build.change("case", c4, "green", may(8), "已处罚")
    case("A5", "administrative", "", date(2023, 5, 9))
    case("A6", "criminal", "诈骗", date(2023, 5, 3), solved=date(2023, 5, 10))

    def dispute(no, category, area, found):
        rid = R.create_dispute(db, station.leader, R.DisputeInput(
            no, category, "110", "yellow", found, parties="甲、乙", focus_area=area,
            people=R.Responsibility(officer_id=station.officer.officer_id)))
        place_created(db, "dispute", rid, at(found))
        return rid

    d1 = dispute("J1", "police_primary", "family", may(2))
    build.change("dispute", d1, "green", may(6), "调解成功")
    dispute("J2", "non_police", "wages", may(3))
    d3 = dispute("J3", "assistance", "other", date(2024, 4, 5))
    build.change("dispute", d3, "green", may(9), "救助完成")
    dispute("J4", "police_primary", "neighbour", date(2023, 5, 10))

    def person(name, level, cats, listed):
        rid = R.create_person(db, station.leader, R.PersonInput(
            name, level, listed, risk_categories=cats, control_plan="一人一策" if level == "red" else "",
            people=R.Responsibility(officer_id=station.officer.officer_id)))
        place_created(db, "person", rid, at(listed))
        return rid

    person("甲一", "yellow", ("ordinary",), may(3))
    person("乙二", "red", ("five_losses", "serious_record"), date(2024, 3, 1))
    p3 = person("丙三", "orange", ("five_losses",), date(2023, 1, 10))
    build.change("person", p3, "green", may(8), "评估无现实危险")
    person("丁四", "yellow", (), date(2023, 4, 1))


def rows_of(table) -> dict:
    return {r[0]: r[1:] for r in table.rows}


def test_breakdowns_by_kind_category_and_area_sum_to_the_headline(may_breakdown, db):
    from app.reports.pack import build_report
    from app.services import trends as T

    r = build_report(db, "breakdown", "2024-05", date(2024, 5, 15))
    assert r.title == "月度分类统计表"
    tables = {t.title: t for t in r.all_tables()}
    kinds = rows_of(tables["刑事、行政案件（受案、立案、破案、查处）"])
    # Windows: 1-15 May 2024, 1-15 April 2024, 1-15 May 2023.
    assert kinds["刑事案件受案"] == [2, 1, 100.0, 1, 100.0]       # A1 A3 | A2 | A6
    assert kinds["刑事案件立案"] == [2, 1, 100.0, 0, None]        # A1 (2 May) A3 (6 May) | A2 | —
    assert kinds["破刑事案件"] == [1, 0, None, 1, 0.0]            # A1 (10 May) | — | A6 (10 May 2023)
    assert kinds["行政案件受案"] == [1, 0, None, 1, 0.0]          # A4 | — | A5
    assert kinds["查处行政案件"] == [1, 0, None, 0, None]         # A4 concluded 8 May
    assert kinds["受案合计"] == [3, 1, 200.0, 2, 50.0]
    head = headline_stats(db, may(15))
    accepted = T.compare(db, "case", "new", "month", may(15))
    assert kinds["受案合计"][0::3] == [accepted.current, accepted.last_year] and kinds["受案合计"][1] == accepted.previous
    assert kinds["破刑事案件"][0] == head["cases"]["criminal_solved"]["current"]
    assert kinds["查处行政案件"][0] == head["cases"]["administrative_handled"]["current"]

    cats = rows_of(tables["案件按案别（受案）"])
    assert cats["盗窃"] == [1, 1, 0.0, 0, None, 1] and cats["诈骗"] == [1, 0, None, 1, 0.0, 0]
    assert cats["殴打他人"] == [1, 0, None, 0, None, 0] and cats["（未填案别）"] == [0, 0, None, 1, -100.0, 0]
    assert cats["合计"] == [3, 1, 200.0, 2, 50.0, 1]                # = 受案合计 and 破刑事案件

    by_cat = rows_of(tables["矛盾纠纷按类别（排查）"])
    assert list(by_cat) == ["公安主责类", "非公安主责类", "重要救助警情", "合计"]
    assert by_cat["公安主责类"] == [1, 0, None, 1, 0.0, 1] and by_cat["重要救助警情"] == [0, 1, -100.0, 0, None, 1]
    areas = rows_of(tables["矛盾纠纷按重点领域（排查）"])
    assert areas["婚姻家庭"] == [1, 0, None, 0, None, 1] and areas["邻里纠纷"] == [0, 0, None, 1, -100.0, 0]
    d = head["disputes"]
    for t in (by_cat, areas):  # each splits the headline 排查 and 化解 of the same windows
        assert t["合计"] == [d["found"]["current"], d["found"]["previous"], d["found"]["mom_pct"],
                           d["found"]["last_year"], d["found"]["yoy_pct"], d["resolved"]["current"]] == \
            [2, 1, 100.0, 1, 100.0, 2]


def test_persons_by_category_listed_and_delisted(may_breakdown, db):
    from app.reports.pack import build_report

    r = build_report(db, "breakdown", "2024-05", date(2024, 5, 15))
    persons = rows_of(next(t for t in r.all_tables() if t.title == "重点人员按人员类别（在管）"))
    # 在管 on 15 May 2024: 甲一 乙二 丁四; 15 April: 乙二 丙三 丁四; 15 May 2023: 丙三 丁四.
    # 乙二 lists 五失人员 and 重大刑事前科: counted once, under the more serious (red) one.
    assert persons["重大刑事前科"] == [1, 1, 0.0, 0, None, 0, 0]
    assert persons["五失人员"] == [0, 1, -100.0, 1, -100.0, 0, 1]   # 丙三 de-listed 8 May
    assert persons["一般重点人员"] == [1, 0, None, 0, None, 1, 0]   # 甲一 listed 3 May
    assert persons["（未分类）"] == [1, 1, 0.0, 1, 0.0, 0, 0]
    assert persons["合计"] == [3, 3, 0.0, 2, 50.0, 1, 1]
    head = headline_stats(db, may(15))["persons"]
    assert persons["合计"][0] == sum(n for lv, n in head["by_level"].items() if lv != "green")


def test_breakdown_in_excel_reads_back(may_breakdown, db, tmp_path):
    from openpyxl import load_workbook

    from app.reports.pack import build_report
    from app.reports.xlsx import write_xlsx

    report = build_report(db, "breakdown", "2024-W19", date(2024, 5, 15))  # 6-12 May 2024
    assert report.title == "每周分类统计表"
    wb = load_workbook(write_xlsx(report, tmp_path / "b.xlsx"))
    ws = wb["刑事、行政案件"]
    cells = [list(row) for row in ws.iter_rows(values_only=True)]
    text = " ".join(str(c) for row in cells for c in row if c is not None)
    assert "本期 2024-05-06~2024-05-12" in text and "上期（环比） 2024-04-29~2024-05-05" in text
    solved = next(row for row in cells if row[0] == "破刑事案件")
    assert solved[1:3] == [1, 0] and str(solved[3]).startswith("=IF(")  # 10 May; 环比 as a formula
    accepted = next(row for row in cells if row[0] == "受案合计")
    assert accepted[1:3] == [0, 3]  # A1, A3 and A4 were accepted 2-5 May: the week before
