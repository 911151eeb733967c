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
    d1, d2, d3 = dispute(build, may(2)), dispute(build, may(3)), dispute(build, may(4))
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
    cells = [audit.entry_cells(r) for r in audit.list_entries(db)]
    change = next(c for c in cells if c[4] == "变更等级（修改）" and c[5] == "案件")
    assert change[3] == "所领导"
    assert "预警等级：红色 → 黄色" in change[7] and "破案日期：（空） → 2024-05-10" in change[7]
    history = next(c for c in cells if c[5] == "等级变更")
    assert "新等级：（空） → 黄色" in history[7]
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
