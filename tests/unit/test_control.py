"""在管在控 and the risk assessment through the services: status history, checks, events, the
watch list (read back from the xlsx), overdue checks, and the proposed level kept in the file."""
from datetime import date, datetime, timedelta

import openpyxl
import pytest

from app.domain.levels import Level
from app.domain.workflows import check_overdue, propose_level
from app.errors import PermissionDenied, RuleViolation, ValidationError
from app.services import control as C, records as R
from tests.unit.test_records import snapshot

TODAY = date.today()
VALID_ID = "11010519491231002X"


def new_person(db, actor, name="周某", level="red", **kw):
    return R.create_person(db, actor, R.PersonInput(
        name, level, TODAY - timedelta(days=10), control_plan=kw.pop("control_plan", "专班盯控"),
        risk_categories=kw.pop("risk_categories", ("serious_record",)),
        people=R.Responsibility(officer_id=actor.officer_id), **kw))


def test_status_change_and_checks_are_kept_in_the_persons_history(db, station):
    pid = new_person(db, station.officer)
    assert C.control_state(db, pid).status == "in_control"
    C.set_control_status(db, station.officer, pid, "away_reported", "外出务工，已报备", place="广州")
    C.record_check(db, station.officer, pid, "hit", place="八一大道天网点位", outcome="比中，轨迹正常")
    C.record_check(db, station.officer, pid, "check", outcome="未找到本人", status="lost_contact")
    hist = C.control_history(db, pid)
    assert [h.kind for h in hist] == ["check", "hit", "status"]
    assert [h.status for h in hist] == ["lost_contact", "away_reported", "away_reported"]
    assert hist[0].officer == "张伟" and hist[1].place == "八一大道天网点位"
    state = C.control_state(db, pid)
    assert state.status == "lost_contact" and state.on_watch_list and not state.overdue
    assert [r[1] for r in C.not_in_hand(db)] == ["周某"]


def test_bad_input_names_the_problem_and_changes_nothing(db, station):
    pid = new_person(db, station.officer)
    before = snapshot(db)
    with pytest.raises(ValidationError) as err:
        C.set_control_status(db, station.officer, pid, "gone", "x")
    assert err.value.field == "status"
    with pytest.raises(ValidationError) as err:
        C.record_check(db, station.officer, pid, "check", outcome="  ")
    assert err.value.field == "outcome"
    with pytest.raises(ValidationError) as err:
        C.record_check(db, station.officer, pid, "check", outcome="ok", at=datetime.now() + timedelta(days=1))
    assert err.value.field == "checked_at"
    with pytest.raises(ValidationError) as err:
        C.record_person_event(db, station.officer, pid, "petition", TODAY, "赴京")
    assert err.value.field == "tier"
    with pytest.raises(ValidationError):
        C.set_control_status(db, station.officer, pid, "in_control", "已在控")
    with pytest.raises(PermissionDenied):  # another team's officer
        C.record_check(db, station.other_officer, pid, "check", outcome="正常")
    assert snapshot(db) == before


def test_events_are_listed_per_person_and_per_period(db, station):
    pid = new_person(db, station.officer)
    other = new_person(db, station.officer, "吴某", "orange", risk_categories=("five_losses",))
    C.record_person_event(db, station.officer, pid, "petition", TODAY - timedelta(days=3), "赴省上访",
                          tier="province", place="省信访局")
    C.record_person_event(db, station.officer, other, "trouble", TODAY - timedelta(days=1), "酒后滋事")
    assert [e.kind for e in C.person_events(db, pid)] == ["petition"]
    assert C.person_events(db, pid)[0].tier == "province"
    window = C.person_events(db, start=TODAY - timedelta(days=2), end=TODAY)
    assert [(e.person, e.kind) for e in window] == [("吴某", "trouble")]
    with pytest.raises(ValidationError):  # before the person was listed
        C.record_person_event(db, station.officer, pid, "trouble", TODAY - timedelta(days=30), "x")


def test_overdue_check_follows_the_level_cadence():
    listed = datetime(2026, 12, 1, 8, 0)
    assert not check_overdue(Level.RED, "active", None, listed, listed + timedelta(hours=23))
    assert check_overdue(Level.RED, "active", None, listed, listed + timedelta(hours=25))
    assert not check_overdue(Level.RED, "active", listed + timedelta(hours=20), listed, listed + timedelta(hours=25))
    assert not check_overdue(Level.YELLOW, "active", None, listed, listed + timedelta(days=29))
    assert check_overdue(Level.ORANGE, "active", None, listed, listed + timedelta(days=8))
    assert not check_overdue(Level.GREEN, "closed", None, listed, listed + timedelta(days=800))


def test_overdue_checks_and_watch_list_export(db, station, tmp_path):
    red = new_person(db, station.officer, "周某", id_number=VALID_ID, address="=HYPERLINK(\"x\")")
    yellow = new_person(db, station.officer, "郑某", "yellow", risk_categories=("ordinary",), control_plan="")
    with db.engine.begin() as conn:  # both were listed two days ago, with no check since
        conn.exec_driver_sql("UPDATE person SET created_at = datetime(created_at, '-2 days')")
    assert [o.person_id for o in C.overdue_checks(db)] == [red]
    C.record_check(db, station.officer, red, "hit", outcome="比中")
    assert C.overdue_checks(db) == []
    assert [o.person_id for o in C.overdue_checks(db, datetime.now() + timedelta(hours=25))] == [red]
    assert [o.person_id for o in C.overdue_checks(db, datetime.now() + timedelta(days=29))] == [red, yellow]
    with pytest.raises(PermissionDenied):
        C.export_watch_list(db, station.officer, tmp_path / "w.xlsx")
    assert not (tmp_path / "w.xlsx").exists()
    n = C.export_watch_list(db, station.team_leader, tmp_path / "w.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "w.xlsx").active
    rows = list(ws.iter_rows(values_only=True))
    assert n == 1 and rows[0][:2] == ("姓名", "身份证号")
    assert rows[1][:2] == ("周某", VALID_ID) and rows[1][3] == "=HYPERLINK(\"x\")"
    assert ws.cell(2, 4).data_type == "s"  # stays text, never a formula


def test_proposed_level_from_the_seeds_categories():
    assert propose_level(["serious_record"]).level == Level.RED
    assert propose_level(["mental_incident"], 3).level == Level.RED
    assert propose_level(["mental_incident"], 2).level == Level.ORANGE
    assert propose_level(["key_petitioner"], petition_tier="ministry").level == Level.RED
    assert "部督" in propose_level(["key_petitioner"], petition_tier="ministry").reason_zh
    assert propose_level(["key_petitioner"]).level == Level.ORANGE
    assert propose_level(["ordinary", "veterans"]).level == Level.ORANGE
    assert propose_level(["ordinary"]).level == Level.YELLOW
    with pytest.raises(ValidationError):
        propose_level([])
    with pytest.raises(ValidationError):
        propose_level(["mental_incident"])


def test_assessment_confirms_or_overrides_and_changes_the_level(db, station):
    pid = new_person(db, station.officer, "吴某", "yellow", risk_categories=("ordinary",), control_plan="常规")
    C.assess_risk(db, station.officer, pid, ["five_losses", "ordinary"], note="婚恋受挫，情绪波动")
    rec = R.get_record(db, "person", pid)
    assert rec.level == "orange" and rec.fields["risk_categories"] == "five_losses,ordinary"
    assert "风险评估" in rec.timeline[-1].text
    before = snapshot(db)
    with pytest.raises(ValidationError) as err:  # overriding needs the reason
        C.assess_risk(db, station.officer, pid, ["five_losses"], confirmed_level="yellow")
    assert err.value.field == "override_reason"
    assert snapshot(db) == before
    C.assess_risk(db, station.officer, pid, ["five_losses"], confirmed_level="yellow", override_reason="已复工，家庭和睦")
    rows = C.assessments(db, pid)
    assert [(a.proposed_level, a.confirmed_level) for a in rows] == [("orange", "yellow"), ("orange", "orange")]
    assert rows[0].override_reason == "已复工，家庭和睦" and rows[0].officer == "张伟"
    assert R.get_record(db, "person", pid).level == "yellow"
    with pytest.raises(ValidationError):  # an assessment never de-lists
        C.assess_risk(db, station.officer, pid, ["ordinary"], confirmed_level="green", override_reason="无现实危害")


def test_assessment_of_a_mental_patient_needs_the_guardian_at_grade_three(db, station):
    pid = new_person(db, station.officer, "孙某", "yellow", risk_categories=("ordinary",), control_plan="")
    with pytest.raises(ValidationError) as err:
        C.assess_risk(db, station.officer, pid, ["mental_incident"], mental_risk_grade=4)
    assert err.value.field == "guardian_name"
    with pytest.raises(RuleViolation):
        R.void_record(db, station.officer, "person", pid, "重复录入")
        C.record_check(db, station.officer, pid, "check", outcome="x")
