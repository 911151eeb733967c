"""One file per person: ID number as the hard key, scored matching without it, merge and undo."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.domain.levels import Module
from app.errors import RuleViolation
from app.ledger.importer import import_ledger
from app.ledger.persons_match import MERGE_AT, SUGGEST_AT, PersonProbe, find_matches, last_merge, merge_persons, score, undo_merge
from app.services import audit, records as R
from app.services.stats import consistency_problems, headline_stats
from models import AuditEntry, DedicatedMember, LevelChange, Person, PersonLink
from tests.data.ledgers import build as B

TODAY = date.today()


def person(db, station, name, id_number=None, **kw):
    """A file entered by the station leader, with 张伟 (team one) as the responsible officer."""
    return R.create_person(db, station.leader, R.PersonInput(
        name, kw.pop("level", "yellow"), TODAY, id_number=id_number,
        people=R.Responsibility(officer_id=station.officer.officer_id), **kw))


def load(db, pid) -> Person:
    with db.read() as s:
        p = s.get(Person, pid)
        s.expunge(p)
        return p


# -- scoring ---------------------------------------------------------------------------------------
def test_the_id_number_is_the_hard_key():
    a = PersonProbe("张伟", B.ID_ZHAO)
    assert score(a, PersonProbe("章玮", B.ID_ZHAO)) == (100, ["身份证号相同"])
    assert score(a, PersonProbe("张伟", B.ID_CHEN)) is None  # same name, two ID numbers: two people


def test_name_variants_score_with_their_reasons():
    born = date(1980, 5, 5)
    same = score(PersonProbe("张伟", birth_date=born, sex="M"), PersonProbe("张伟", birth_date=born, sex="M"))
    homophone = score(PersonProbe("张伟", birth_date=born), PersonProbe("张玮", birth_date=born))
    similar = score(PersonProbe("刘宁", birth_date=born), PersonProbe("刘玲", birth_date=born))  # n/l
    retroflex = score(PersonProbe("曾志", address="东门路8号"), PersonProbe("曾子", address="东门路8号"))  # zh/z
    assert same == (75, ["姓名相同", "出生日期相同", "性别相同"])
    assert homophone[0] == 60 and homophone[1][0].startswith("姓名同音")
    assert similar[0] == 50 and similar[1][0].startswith("姓名音近")
    assert retroflex[0] == 45 and "现住址相同" in retroflex[1]
    assert score(PersonProbe("张伟"), PersonProbe("李强")) is None
    # surname readings: 曾 is zeng as a surname, pypinyin alone would say ceng
    assert score(PersonProbe("曾国藩"), PersonProbe("增国藩"))[1][0].startswith("姓名同音")


def test_a_namesake_born_another_year_is_another_person():
    a = PersonProbe("王芳", birth_date=date(1985, 7, 7), sex="F", address="西街5号")
    b = PersonProbe("王芳", birth_date=date(1992, 11, 11), sex="F", address="西街5号")
    points, reasons = score(a, b)
    assert points < SUGGEST_AT and any(r.startswith("出生日期不同") for r in reasons)
    assert score(a, PersonProbe("王芳", sex="M"))[0] < SUGGEST_AT


def test_find_matches_on_entry(db, station):
    zw = person(db, station, "张玮", address="东门路8号", phone="13812345678")
    person(db, station, "张伟", B.ID_CHEN)  # a different man with an ID number
    found = find_matches(db, PersonProbe("张伟", address="东门路8号", phone="13812345678"))
    assert [c.person_id for c in found if c.score >= MERGE_AT] == [zw]
    assert "联系电话相同" in found[0].reasons
    by_id = find_matches(db, PersonProbe("张大伟", B.ID_CHEN))
    assert by_id[0].same_id and by_id[0].score == 100


# -- the person ledger ---------------------------------------------------------------------------------
@pytest.fixture
def on_file(db, station):
    """王芳 (1985), 陈静 (with ID) and 周杰 (name only) are on file before the ledger comes."""
    return {"王芳": person(db, station, "王芳", B.ID_WANGFANG_OLD),
            "陈静": person(db, station, "陈静", B.ID_CHEN),
            "周杰": person(db, station, "周杰")}


def test_person_ledger_every_row(db, station, on_file, tmp_path):
    expected = B.person_ledger(tmp_path / "persons.xlsx", TODAY)
    report, _ = import_ledger(db, station.leader, tmp_path / "persons.xlsx", Module.PERSON)
    got = {r.line: r for r in report.rows}
    assert set(got) == set(expected)
    for line, (outcome, words) in expected.items():
        assert got[line].outcome == outcome and words in got[line].reason, (line, got[line])
    with db.read() as s:
        people = [(p.name, p.id_number, p.birth_date, p.sex, p.phone) for p in
                  s.scalars(select(Person).order_by(Person.id))]
    # 李娜 and 李那 are one file: the variant's phone number was added to it.
    assert ("李娜", None, date(1990, 4, 2), "F", "13912345678") in people
    assert not any(p[0] == "李那" for p in people)
    # The namesake 王芳 with another ID number and the one born 1960 are two more files.
    assert sorted(p[1] or str(p[2]) for p in people if p[0] == "王芳") == sorted([
        "1960-01-01", B.ID_WANGFANG_OLD, B.ID_WANGFANG_NEW])
    # 周杰 with nothing but a name is a new file, flagged for a person to check.
    zj = got[11]
    assert zj.record_id != on_file["周杰"] and any(f"周杰（#{on_file['周杰']}）" in n for n in zj.notes)
    assert got[13].record_id == on_file["陈静"]
    assert headline_stats(db)["persons"]["by_level"] == {"red": 0, "orange": 1, "yellow": 7, "green": 0}
    assert consistency_problems(db) == []


def test_the_same_person_ledger_twice_adds_nothing(db, station, on_file, tmp_path):
    B.person_ledger(tmp_path / "persons.xlsx", TODAY)
    import_ledger(db, station.leader, tmp_path / "persons.xlsx", Module.PERSON)
    with db.read() as s:
        before = s.execute(select(Person.id, Person.version).order_by(Person.id)).all()
    again, _ = import_ledger(db, station.leader, tmp_path / "persons.xlsx", Module.PERSON)
    with db.read() as s:
        assert s.execute(select(Person.id, Person.version).order_by(Person.id)).all() == before
    assert again.added == 0 and again.count("present") == 7 and again.count("rejected") == 3


def test_a_ledger_row_with_an_id_fills_the_file_that_had_none(db, station, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(B.PERSON_HEADER)
    ws.append([1, "李娜", "", "女", "1990-04-02", "", "东门路8号", "五失人员", "", "2025-01-02", "橙色", "张伟"])
    wb.save(tmp_path / "a.xlsx")
    first, _ = import_ledger(db, station.leader, tmp_path / "a.xlsx", Module.PERSON)
    ws.cell(2, 3).value = B.ID_LINA
    ws.cell(2, 2).value = "李 娜"
    wb.save(tmp_path / "b.xlsx")
    second, _ = import_ledger(db, station.leader, tmp_path / "b.xlsx", Module.PERSON)
    assert second.rows[0].outcome == "merged" and "身份证号" in second.rows[0].reason
    assert second.rows[0].record_id == first.rows[0].record_id
    assert load(db, first.rows[0].record_id).id_number == B.ID_LINA


# -- merge and undo --------------------------------------------------------------------------------
def test_merge_is_logged_and_undo_puts_everything_back(db, station):
    leader = station.leader
    keep = person(db, station, "张玮", address="东门路8号")
    gone = person(db, station, "张伟", B.ID_ZHAO, phone="13812345678", level="red", control_plan="每日盯控")
    case = R.create_case(db, leader, R.CaseInput("C1", "criminal", "yellow", TODAY,
                                                 people=R.Responsibility(officer_id=station.officer.officer_id)))
    case2 = R.create_case(db, leader, R.CaseInput("C2", "criminal", "yellow", TODAY,
                                                  people=R.Responsibility(officer_id=station.officer.officer_id)))
    R.link_person(db, leader, gone, "case", case, "suspect")
    R.link_person(db, leader, gone, "case", case2)
    R.link_person(db, leader, keep, "case", case2)  # both files on C2: the duplicate link goes
    with db.write(leader) as s:
        s.add(DedicatedMember(person_id=gone, officer_id=station.officer.officer_id, duty="包保"))
    before_stats = headline_stats(db)["persons"]

    merge_persons(db, leader, keep, gone, "同一人，身份证号相同")
    k, g = load(db, keep), load(db, gone)
    assert g.status == "voided" and g.void_reason == f"合并至 {k.uuid}"
    assert (k.id_number, k.sex, k.birth_date, k.phone, k.control_plan) == (
        B.ID_ZHAO, "M", date(1975, 3, 15), "13812345678", "每日盯控")
    assert k.level == "yellow"  # the kept file's level stands: a level changes only with its own reason
    with db.read() as s:
        links = s.execute(select(PersonLink.person_id, PersonLink.record_id, PersonLink.role)
                          .order_by(PersonLink.record_id)).all()
        members = s.scalars(select(DedicatedMember.person_id)).all()
        event = s.scalars(select(AuditEntry.record_uuid).where(AuditEntry.action == "merge_persons")).one()
    assert [tuple(r) for r in links] == [(keep, case, "suspect"), (keep, case2, "party")]
    assert members == [keep]
    assert event == g.uuid and last_merge(db, gone)["kept"] == k.uuid
    after_merge = headline_stats(db)["persons"]
    assert after_merge["total"] == before_stats["total"] - 1 and after_merge["by_level"]["red"] == 0

    undo_merge(db, leader, gone, "核实为两人")
    k, g = load(db, keep), load(db, gone)
    assert (g.status, g.void_reason, g.voided_at, g.level) == ("active", None, None, "red")
    assert g.next_due is not None
    assert (k.id_number, k.sex, k.birth_date, k.phone, k.control_plan) == (None, None, None, "", "")
    with db.read() as s:
        links = s.execute(select(PersonLink.person_id, PersonLink.record_id).order_by(PersonLink.record_id,
                                                                                      PersonLink.person_id)).all()
        members = s.scalars(select(DedicatedMember.person_id)).all()
        timeline = s.scalars(select(LevelChange.reason).where(LevelChange.module == "person",
                                                              LevelChange.record_id == gone)).all()
    assert sorted(tuple(r) for r in links) == sorted([(gone, case), (keep, case2), (gone, case2)])
    assert members == [gone]
    assert any(t.startswith("作废：合并至") for t in timeline) and timeline[-1] == "撤销合并：核实为两人"
    assert headline_stats(db)["persons"] == before_stats
    assert consistency_problems(db) == [] and audit.verify_chain(db) == []
    with pytest.raises(RuleViolation, match="没有可撤销的合并"):
        undo_merge(db, leader, gone)


def test_two_files_with_different_id_numbers_are_never_merged(db, station):
    a = person(db, station, "王芳", B.ID_WANGFANG_OLD)
    b = person(db, station, "王芳", B.ID_WANGFANG_NEW)
    with pytest.raises(RuleViolation, match="身份证号不同"):
        merge_persons(db, station.leader, a, b, "重名")
    assert load(db, b).status == "active"


def test_an_officer_cannot_merge_files_of_another_team(db, station):
    from app.errors import PermissionDenied

    a = person(db, station, "周杰")
    b = R.create_person(db, station.leader, R.PersonInput(
        "周杰", "yellow", TODAY, people=R.Responsibility(officer_id=station.other_officer.officer_id)))
    with pytest.raises(PermissionDenied):
        merge_persons(db, station.officer, b, a, "同一人")
    assert load(db, a).status == "active"
