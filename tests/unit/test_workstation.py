"""Workstation services: edits with validation and audit, reassigning, bulk level changes, my work, exports."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from app.errors import PermissionDenied, RuleViolation, StaleRecord, ValidationError
from app.services import records, workstation
from app.services.records import CaseInput, DisputeInput, PersonInput, Responsibility
from app.services.tables import TableQuery

TODAY = date.today()


def rows(db, sql, **p):
    with db.read() as s:
        return s.execute(text(sql), p).all()


@pytest.fixture
def recs(db, station):
    r = Responsibility(officer_id=station.officer.officer_id)
    return {
        "c1": records.create_case(db, station.officer, CaseInput("A1", "criminal", "red", TODAY, cause="盗窃", people=r)),
        "c2": records.create_case(db, station.officer, CaseInput("A2", "criminal", "yellow", TODAY, people=r)),
        "p": records.create_person(db, station.officer, PersonInput("曾国藩", "yellow", TODAY, people=r)),
    }


def test_edit_validates_like_create_and_leaves_the_record_unchanged(db, station, recs):
    with pytest.raises(ValidationError) as e:
        workstation.update_record(db, station.officer, "person", recs["p"], {"id_number": "110105194912310021"})
    assert e.value.field == "id_number"
    with pytest.raises(ValidationError) as e:
        workstation.update_record(db, station.officer, "case", recs["c2"], {"case_no": "A1"})
    assert e.value.field == "case_no"
    with pytest.raises(ValidationError):
        workstation.update_record(db, station.officer, "case", recs["c2"], {"level": "green"})  # not here
    assert rows(db, "SELECT case_no FROM case_record WHERE id=:i", i=recs["c2"]) == [("A2",)]
    workstation.update_record(db, station.officer, "person", recs["p"],
                              {"id_number": "11010519491231002X", "risk_categories": ("ordinary",)})
    assert rows(db, "SELECT id_number, birth_date, sex, risk_categories FROM person") == [
        ("11010519491231002X", "1949-12-31", "F", "ordinary")]


def test_stale_edit_is_refused(db, station, recs):
    v = records.get_record(db, "case", recs["c2"]).version
    workstation.update_record(db, station.officer, "case", recs["c2"], {"place": "甲"}, expected_version=v)
    with pytest.raises(StaleRecord):
        workstation.update_record(db, station.officer, "case", recs["c2"], {"place": "乙"}, expected_version=v)


def test_other_team_may_not_edit_or_reassign(db, station, recs):
    with pytest.raises(PermissionDenied):
        workstation.update_record(db, station.other_officer, "case", recs["c2"], {"place": "乙"})
    with pytest.raises(PermissionDenied):
        workstation.reassign(db, station.other_officer, "case", [recs["c2"]],
                             Responsibility(officer_id=station.other_officer.officer_id))
    assert rows(db, "SELECT DISTINCT officer_id FROM case_record") == [(station.officer.officer_id,)]


def test_bulk_level_change_is_one_transaction(db, station, recs):
    with pytest.raises(PermissionDenied) as e:  # closing the red case needs the leader
        workstation.bulk_change_level(db, station.officer, "case", [recs["c2"], recs["c1"]], "green", "清理", "办结")
    assert "A1" in e.value.zh
    assert rows(db, "SELECT level FROM case_record ORDER BY id") == [("red",), ("yellow",)]
    res = workstation.bulk_change_level(db, station.leader, "case", [recs["c1"], recs["c2"]], "yellow", "复核")
    assert res.changed == (recs["c1"],) and res.skipped == (recs["c2"],)
    with pytest.raises(ValidationError):
        workstation.bulk_change_level(db, station.leader, "case", [recs["c1"]], "orange", "  ")


def test_my_work_per_role(db, station, recs):
    records.log_action(db, station.officer, "case", recs["c2"], "investigation", "查", acted_on=TODAY, next_due=TODAY)
    work = workstation.my_work(db, station.officer)
    assert [i.id for i in work.due_today] == [recs["c2"]] and len(work.items) == 3
    assert workstation.my_work_counts(db, station.team_leader) == {"responsible": 3, "overdue": 0, "due_today": 1}
    assert workstation.my_work(db, station.other_officer).items == ()
    later = workstation.my_work_counts(db, station.leader, TODAY + timedelta(days=1))
    assert later["overdue"] == 1


def test_export_refuses_other_formats_and_states_filters(db, station, recs, tmp_path):
    with pytest.raises(ValidationError):
        workstation.export_view(db, station.officer, "case", TableQuery(), tmp_path / "x.pdf")
    assert workstation.describe_query(db, "case", TableQuery(levels=frozenset({"red"}), text="盗窃",
                                                             person_id=station.officer.officer_id)) == \
        "等级：红色；搜索“盗窃”；责任人：张伟"
    res = workstation.export_view(db, station.officer, "case", TableQuery(levels=frozenset({"red"})),
                                  tmp_path / "c.csv")
    assert res.rows == 1 and res.masked


def test_key_person_match_and_repeat_calls(db, station, recs):
    r = Responsibility(officer_id=station.officer.officer_id)
    pid = records.create_person(db, station.officer, PersonInput("单雄信", "yellow", TODAY,
                                                                 id_number="11010519491231002X", people=r))
    m = workstation.match_key_persons(db, [workstation.PartyInput("单雄信", "11010519491231002X")])
    assert [(x.person_id, x.reason) for x in m] == [(pid, "id_number")]
    d1 = records.create_dispute(db, station.officer, DisputeInput("J1", "police_primary", "110", "yellow",
                                                                  TODAY - timedelta(days=40), parties="甲、乙", people=r))
    d2 = records.create_dispute(db, station.officer, DisputeInput("J2", "police_primary", "110", "yellow",
                                                                  TODAY - timedelta(days=5), parties="乙，丙", people=r))
    calls = workstation.repeat_110_calls(db, "乙、丁", TODAY)
    assert [c.dispute_id for c in calls] == [d2] and calls[0].shared == ("乙",) and d1
    workstation.decide_suggestion(db, station.officer, "repeat_110", "dispute", d2, "accepted", "再次报警",
                                  "dispute", d1, raise_to="orange")
    assert rows(db, "SELECT level FROM dispute WHERE id=:i", i=d2) == [("orange",)]
    with pytest.raises(RuleViolation):
        workstation.decide_suggestion(db, station.other_officer, "repeat_110", "dispute", d2, "dismissed", "x")


def test_accepting_a_key_person_match_needs_the_person(db, station, recs):
    """An accepted key-person match names the person it links, or is refused naming that field
    (nothing is written)."""
    r = Responsibility(officer_id=station.officer.officer_id)
    did = records.create_dispute(db, station.officer, DisputeInput("J9", "police_primary", "visit", "yellow",
                                                                   TODAY, parties="甲、乙", people=r))
    before = rows(db, "SELECT count(*) FROM suggestion")
    with pytest.raises(ValidationError) as refused:
        workstation.decide_suggestion(db, station.officer, "key_person", "dispute", did, "accepted", "比对", "person")
    assert refused.value.field == "other_record_id"
    assert rows(db, "SELECT count(*) FROM suggestion") == before
    assert rows(db, "SELECT count(*) FROM person_link WHERE record_id=:i", i=did) == [(0,)]
