"""Record services: every change is one transaction with its history; bad input changes nothing."""
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from app.errors import NotFound, PermissionDenied, RuleViolation, StaleRecord, ValidationError
from app.services import records as R
from app.services.settings import set_cadence

TODAY = date.today()


def snapshot(db) -> dict:
    """Every row of every table, ordered: the logical state of the database."""
    out = {}
    with db.engine.connect() as conn:
        tables = [r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE '%fts%' ORDER BY name")]
        for t in tables:
            out[t] = conn.exec_driver_sql(f'SELECT * FROM "{t}" ORDER BY 1').all()
    return out


def new_case(db, actor, no="A001", level="red", **kw):
    return R.create_case(db, actor, R.CaseInput(no, kw.pop("kind", "criminal"), level,
                                                kw.pop("accepted_on", TODAY - timedelta(days=2)),
                                                cause=kw.pop("cause", "入室盗窃"),
                                                people=R.Responsibility(officer_id=actor.officer_id), **kw))


def new_dispute(db, actor, no="J001", level="yellow", parties="赵六、钱七"):
    return R.create_dispute(db, actor, R.DisputeInput(no, "police_primary", "110", level, TODAY,
                                                      parties=parties, focus_area="neighbour",
                                                      people=R.Responsibility(officer_id=actor.officer_id)))


def test_create_names_all_three_responsible_people_and_starts_history(db, station):
    cid = new_case(db, station.officer)
    rec = R.get_record(db, "case", cid)
    assert rec.people == {"leader_id": "王建国", "team_leader_id": "李强", "officer_id": "张伟"}
    assert rec.level == "red" and rec.status == "active" and rec.version == 1
    assert len(rec.timeline) == 1 and rec.timeline[0].from_level is None and rec.timeline[0].to_level == "red"
    assert rec.next_due == TODAY + timedelta(days=7)
    assert len(rec.uuid) == 32


def test_level_change_is_dated_attributed_and_reasoned(db, station):
    cid = new_case(db, station.officer)
    R.change_level(db, station.officer, "case", cid, "yellow", "抓获一名嫌疑人")
    rec = R.get_record(db, "case", cid)
    last = rec.timeline[-1]
    assert (last.from_level, last.to_level, last.who, last.text) == ("red", "yellow", "张伟", "抓获一名嫌疑人")
    assert rec.version == 2 and rec.next_due == TODAY + timedelta(days=30)


def test_missing_reason_or_outcome_changes_nothing(db, station):
    cid = new_case(db, station.officer, level="yellow")
    before = snapshot(db)
    with pytest.raises(ValidationError) as err:
        R.change_level(db, station.officer, "case", cid, "orange", "  ")
    assert err.value.field == "reason"
    with pytest.raises(ValidationError) as err:
        R.change_level(db, station.officer, "case", cid, "green", "办结")
    assert err.value.field == "outcome"
    assert snapshot(db) == before


def test_closing_red_needs_the_leader_and_sets_closed_on(db, station):
    cid = new_case(db, station.officer)
    before = snapshot(db)
    with pytest.raises(PermissionDenied):
        R.change_level(db, station.officer, "case", cid, "green", "破案", "已移送起诉")
    assert snapshot(db) == before
    R.change_level(db, station.leader, "case", cid, "green", "破案", "已移送起诉")
    rec = R.get_record(db, "case", cid)
    assert rec.status == "closed" and rec.fields["closed_on"] == TODAY and rec.next_due is None


def test_invalid_inputs_name_the_field_and_write_nothing(db, station):
    before = snapshot(db)
    cases = [
        (lambda: R.create_person(db, station.officer, R.PersonInput(
            "周八", "yellow", TODAY, id_number="110105194912310021",
            people=R.Responsibility(officer_id=station.officer.officer_id))), "id_number"),
        (lambda: R.create_person(db, station.officer, R.PersonInput(
            "周八", "yellow", TODAY, phone="12345",
            people=R.Responsibility(officer_id=station.officer.officer_id))), "phone"),
        (lambda: R.create_person(db, station.officer, R.PersonInput(
            "周八", "red", TODAY, people=R.Responsibility(officer_id=station.officer.officer_id))), "control_plan"),
        (lambda: R.create_person(db, station.officer, R.PersonInput(
            "周八", "yellow", TODAY, mental_risk_grade=4,
            people=R.Responsibility(officer_id=station.officer.officer_id))), "guardian_name"),
        (lambda: new_case(db, station.officer, level="green"), "closed_on"),
        (lambda: new_case(db, station.officer, kind="civil"), "kind"),
        (lambda: new_case(db, station.officer, accepted_on=TODAY + timedelta(days=1)), "accepted_on"),
        (lambda: R.create_case(db, station.officer, R.CaseInput("A9", "criminal", "red", TODAY)), "officer_id"),
        (lambda: R.create_dispute(db, station.officer, R.DisputeInput(
            "J9", "police_primary", "110", "green", TODAY, parties="甲、乙",
            people=R.Responsibility(officer_id=station.officer.officer_id))), "resolved_on"),
        (lambda: R.create_dispute(db, station.officer, R.DisputeInput(
            "J9", "civil", "110", "yellow", TODAY, parties="甲、乙",
            people=R.Responsibility(officer_id=station.officer.officer_id))), "category"),
    ]
    for call, field in cases:
        with pytest.raises(ValidationError) as err:
            call()
        assert err.value.field == field, (field, err.value)
        assert err.value.zh and err.value.en
    assert snapshot(db) == before


def test_duplicate_numbers_are_refused(db, station):
    new_case(db, station.officer, no="A100")
    with pytest.raises(ValidationError) as err:
        new_case(db, station.officer, no="A100")
    assert err.value.field == "case_no"


def test_person_id_number_derives_sex_and_birth_date_and_is_unique(db, station):
    people = R.Responsibility(officer_id=station.officer.officer_id)
    pid = R.create_person(db, station.officer, R.PersonInput("曾国藩", "yellow", TODAY,
                                                             id_number="11010519491231002x", people=people))
    rec = R.get_record(db, "person", pid)
    assert rec.fields["id_number"] == "11010519491231002X"
    assert rec.fields["sex"] == "F" and rec.fields["birth_date"] == date(1949, 12, 31)
    with pytest.raises(ValidationError):
        R.create_person(db, station.officer, R.PersonInput("曾国藩", "yellow", TODAY,
                                                           id_number="11010519491231002X", people=people))


def test_conversion_keeps_both_records_linked_and_the_dispute_leaves_the_active_list(db, station):
    did = new_dispute(db, station.officer, level="red")
    pid = R.create_person(db, station.officer, R.PersonInput(
        "赵六", "orange", TODAY, risk_categories=("five_losses",),
        people=R.Responsibility(officer_id=station.officer.officer_id)))
    R.link_person(db, station.officer, pid, "dispute", did, "party")
    cid = R.convert_dispute(db, station.officer, did, R.CaseInput("A200", "criminal", "red", TODAY),
                            "双方动手致轻伤，调解不成")
    dispute = R.get_record(db, "dispute", did)
    case = R.get_record(db, "case", cid)
    assert dispute.status == "converted" and dispute.fields["converted_case_id"] == cid
    assert dispute.next_due is None
    assert case.fields["source_dispute_id"] == did
    assert [(lk.module, lk.record_id) for lk in dispute.links if lk.module == "case"] == [("case", cid)]
    assert ("dispute", did) in [(lk.module, lk.record_id) for lk in case.links]
    assert ("person", pid) in [(lk.module, lk.record_id) for lk in case.links]  # the party follows
    assert "转为案件" in case.timeline[0].text
    with db.read() as s:
        active = s.execute(text("SELECT count(*) FROM dispute WHERE status='active'")).scalar()
    assert active == 0
    with pytest.raises(RuleViolation):
        R.change_level(db, station.leader, "dispute", did, "green", "x", "y")
    with pytest.raises(RuleViolation):
        R.convert_dispute(db, station.officer, did, R.CaseInput("A201", "criminal", "red", TODAY), "again")


def test_void_keeps_the_record_with_its_reason(db, station):
    cid = new_case(db, station.officer)
    R.void_record(db, station.officer, "case", cid, "重复录入")
    rec = R.get_record(db, "case", cid)
    assert rec.status == "voided" and rec.fields["void_reason"] == "重复录入"
    assert rec.timeline[-1].outcome == "voided"
    with pytest.raises(RuleViolation):
        R.change_level(db, station.leader, "case", cid, "orange", "x")
    with pytest.raises(ValidationError):
        R.void_record(db, station.officer, "case", new_case(db, station.officer, no="A2"), "")


def test_delisting_needs_the_leader_and_the_assessment(db, station):
    pid = R.create_person(db, station.officer, R.PersonInput(
        "孙九", "yellow", TODAY, people=R.Responsibility(officer_id=station.officer.officer_id)))
    with pytest.raises(PermissionDenied):
        R.delist_person(db, station.officer, pid, "经评估无现实危险")
    with pytest.raises(ValidationError):
        R.delist_person(db, station.leader, pid, "")
    R.delist_person(db, station.leader, pid, "经评估无现实危险")
    rec = R.get_record(db, "person", pid)
    assert rec.level == "green" and rec.fields["delisted_on"] == TODAY
    assert rec.fields["delist_reason"] == "经评估无现实危险"


def test_action_sets_the_next_due_date(db, station):
    cid = new_case(db, station.officer, level="orange")
    R.log_action(db, station.officer, "case", cid, "investigation", "串并同类案件3起",
                 next_due=TODAY + timedelta(days=3))
    rec = R.get_record(db, "case", cid)
    assert rec.next_due == TODAY + timedelta(days=3)
    assert rec.timeline[-1].kind == "investigation" and rec.timeline[-1].who == "张伟"
    R.log_action(db, station.officer, "case", cid, "investigation", "走访证人")
    assert R.get_record(db, "case", cid).next_due == TODAY + timedelta(days=14)
    with pytest.raises(ValidationError) as err:
        R.log_action(db, station.officer, "case", cid, "dance", "x")
    assert err.value.field == "kind"


def test_a_back_dated_action_leaves_the_later_actions_due_date(db, station):
    """The record's due date is the one the statistics rebuild from its history: an action dated
    before a later one (or before the last level change) does not set it with its own next due."""
    from app.services import daily_counts
    from app.services.trends import states_at

    def agree(rid) -> date | None:
        due = R.get_record(db, "case", rid).next_due
        assert states_at(db, "case", TODAY)[rid].due == due
        assert daily_counts.problems(db) == []
        return due

    cid = new_case(db, station.officer, level="orange", accepted_on=TODAY - timedelta(days=20))
    R.log_action(db, station.officer, "case", cid, "investigation", "今日走访", next_due=TODAY + timedelta(days=3))
    # Back-dated with an explicit next due, and without one: the later action's date stands.
    R.log_action(db, station.officer, "case", cid, "investigation", "补记：十日前调取监控",
                 acted_on=TODAY - timedelta(days=10), next_due=TODAY + timedelta(days=1))
    assert agree(cid) == TODAY + timedelta(days=3)
    R.log_action(db, station.officer, "case", cid, "investigation", "补记：五日前询问证人",
                 acted_on=TODAY - timedelta(days=5))
    assert agree(cid) == TODAY + timedelta(days=3)
    # An action dated before the last level change does not bring back its own due date either.
    other = new_case(db, station.officer, "A002", level="orange", accepted_on=TODAY - timedelta(days=20))
    R.change_level(db, station.officer, "case", other, "red", "发现嫌疑人线索")
    R.log_action(db, station.officer, "case", other, "investigation", "补记：昨日蹲守",
                 acted_on=TODAY - timedelta(days=1), next_due=TODAY + timedelta(days=20))
    assert agree(other) == TODAY + timedelta(days=7)  # red: the cadence from the change
    # The latest action still sets it.
    R.log_action(db, station.officer, "case", other, "investigation", "今日抓捕部署", next_due=TODAY + timedelta(days=2))
    assert agree(other) == TODAY + timedelta(days=2)


def test_a_back_dated_level_change_runs_the_due_date_from_its_own_day(db, station):
    """change_level(on=…): the change is dated that day, and the due date runs from it, as the
    statistics rebuild it; a change dated before the last one is refused and changes nothing."""
    from datetime import datetime, time

    from app.services import daily_counts
    from app.services.trends import states_at

    set_cadence(db, station.leader, "red", 5)
    set_cadence(db, station.leader, "yellow", 20)

    def agree(rid) -> date | None:
        due = R.get_record(db, "case", rid).next_due
        assert states_at(db, "case", TODAY)[rid].due == due
        assert daily_counts.problems(db) == []
        return due

    # Entered 40 days ago (as a ledger brings it), orange.
    entered = TODAY - timedelta(days=40)
    with db.write(station.officer, "create_case") as session:
        cid = R.create_case_in(session, station.officer, R.CaseInput(
            "A009", "criminal", "orange", entered, cause="入室盗窃",
            people=R.Responsibility(officer_id=station.officer.officer_id)), at=datetime.combine(entered, time(9))).id
    # Red ten days ago: due 5 days after that day (overdue by five days), not 5 days from today.
    R.change_level(db, station.officer, "case", cid, "red", "补录：十日前发现嫌疑人线索", on=TODAY - timedelta(days=10))
    assert agree(cid) == TODAY - timedelta(days=5)
    rec = R.get_record(db, "case", cid)
    assert rec.timeline[-1].when.date() == TODAY - timedelta(days=10) and states_at(db, "case", TODAY)[cid].overdue
    # An action eight days ago without a next due: five days from it.
    R.log_action(db, station.officer, "case", cid, "investigation", "补记：调取监控", acted_on=TODAY - timedelta(days=8))
    assert agree(cid) == TODAY - timedelta(days=3)
    # Yellow six days ago (after the action): twenty days from that day.
    R.change_level(db, station.officer, "case", cid, "yellow", "补录：抓获一名嫌疑人", on=TODAY - timedelta(days=6))
    assert agree(cid) == TODAY + timedelta(days=14)
    # Before the case was accepted, or in the future: refused, nothing written.
    before = snapshot(db)
    for day, words in ((entered - timedelta(days=1), "早于登记日期"), (TODAY + timedelta(days=1), "不能晚于今天")):
        with pytest.raises(ValidationError) as err:
            R.change_level(db, station.officer, "case", cid, "red", "补录", on=day)
        assert words in err.value.zh and err.value.field == "on"
    assert snapshot(db) == before
    # A day before the last change: dated just after it (the history stays in order), the due date from there.
    R.change_level(db, station.officer, "case", cid, "red", "补录：发现新线索", on=TODAY - timedelta(days=9))
    assert agree(cid) == TODAY - timedelta(days=1)
    timeline = [e for e in R.get_record(db, "case", cid).timeline if e.kind == "level"]
    assert [e.to_level for e in timeline[-2:]] == ["yellow", "red"]
    assert timeline[-1].when == timeline[-2].when and timeline[-1].when.date() == TODAY - timedelta(days=6)


def test_cadence_setting_recomputes_due_dates(db, station):
    cid = new_case(db, station.officer)
    set_cadence(db, station.leader, "red", 3)
    assert R.get_record(db, "case", cid).next_due == TODAY + timedelta(days=3)
    with pytest.raises(ValidationError):
        set_cadence(db, station.leader, "red", 0)


def test_followup_records_satisfaction(db, station):
    did = new_dispute(db, station.officer)
    R.change_level(db, station.officer, "dispute", did, "green", "调解成功", "双方达成协议")
    R.record_followup(db, station.officer, did, "satisfied", "电话回访，双方满意")
    rec = R.get_record(db, "dispute", did)
    assert rec.fields["satisfaction"] == "satisfied" and rec.fields["followed_up_on"] == TODAY
    assert rec.fields["resolved_on"] == TODAY and rec.fields["outcome"] == "双方达成协议"


def test_stale_edit_is_refused(db, station):
    cid = new_case(db, station.officer)
    version = R.get_record(db, "case", cid).version
    R.change_level(db, station.officer, "case", cid, "orange", "线索中断", expected_version=version)
    with pytest.raises(StaleRecord):
        R.change_level(db, station.officer, "case", cid, "yellow", "抓获", expected_version=version)


def test_unknown_record(db, station):
    with pytest.raises(NotFound):
        R.get_record(db, "case", 999)
    with pytest.raises(ValidationError):
        R.get_record(db, "cats", 1)


def test_search_text_includes_pinyin_of_parties(db, station):
    did = new_dispute(db, station.officer, parties="曾国藩、单雄信")
    with db.read() as s:
        st = s.execute(text("SELECT search_text FROM dispute WHERE id=:i"), {"i": did}).scalar()
        hits = s.execute(text("SELECT rowid FROM dispute_fts WHERE dispute_fts MATCH 'zengguofan'")).all()
    assert "zgf" in st and "sxx" in st
    assert hits == [(did,)]
