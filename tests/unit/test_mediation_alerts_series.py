"""融调化解 (bodies, mediation, hand-over, 回访 due), the 110 alert import with its row report
and repeats, alert → dispute, and 串并侦查, through the services on a real SQLite file."""
import csv
from datetime import date, datetime, timedelta

import openpyxl
import pytest

from app.errors import PermissionDenied, RuleViolation, ValidationError
from app.ledger.alerts import import_alerts, parse_when
from app.services import alerts as AL, mediation as M, records as R, series as S
from tests.unit.test_records import new_case, snapshot

TODAY = date.today()


def dispute(db, actor, no="J001", category="police_primary", level="yellow", found=TODAY - timedelta(days=20)):
    return R.create_dispute(db, actor, R.DisputeInput(no, category, "visit", level, found, parties="赵六、钱七",
                                                      people=R.Responsibility(officer_id=actor.officer_id)))


# -- 融调化解 ---------------------------------------------------------------------------------------
def test_bodies_are_a_station_list_kept_by_the_leader(db, station):
    with pytest.raises(PermissionDenied):
        M.add_mediation_body(db, station.officer, "东湖融调解中心", "center")
    assert M.ensure_default_bodies(db, station.leader) == 4
    bid = M.add_mediation_body(db, station.leader, "贤士湖社区群众工作室", "work_room", "0791-8888")
    with pytest.raises(ValidationError):
        M.add_mediation_body(db, station.leader, "贤士湖社区群众工作室", "work_room")
    M.set_body_active(db, station.leader, bid, False)
    assert "贤士湖社区群众工作室" not in [b.name for b in M.mediation_bodies(db)]
    assert "贤士湖社区群众工作室" in [b.name for b in M.mediation_bodies(db, include_inactive=True)]


def test_mediation_records_who_and_the_agreement_and_green_gets_the_followup_due(db, station):
    M.ensure_default_bodies(db, station.leader)
    body = M.mediation_bodies(db)[0]
    did = dispute(db, station.officer)
    M.record_mediation(db, station.officer, did, body_id=body.id, mediator="刘调解员", agreement="赔偿2000元，当场履行",
                       held_on=TODAY - timedelta(days=2))
    rows = M.mediations(db, did)
    assert [(r.body, r.mediator, r.result) for r in rows] == [("融调解中心", "刘调解员", "agreed")]
    rec = R.get_record(db, "dispute", did)
    assert [e.text for e in rec.timeline if e.kind == "mediation"] == ["融调解中心·刘调解员调解：达成协议"]
    before = snapshot(db)
    with pytest.raises(ValidationError) as err:
        M.record_mediation(db, station.officer, did, body_id=body.id, mediator="刘", agreement="")
    assert err.value.field == "agreement"
    assert snapshot(db) == before
    R.change_level(db, station.officer, "dispute", did, "green", "调解完成", "赔偿到位", on=TODAY - timedelta(days=8))
    rec = R.get_record(db, "dispute", did)
    assert rec.fields["followup_due"] == TODAY - timedelta(days=1)
    due = M.followups_due(db)
    assert [(d.dispute_id, d.detail) for d in due] == [(did, "超期")]
    R.record_followup(db, station.officer, did, "satisfied", "电话回访，双方满意")
    assert M.followups_due(db) == []


def test_hand_over_of_a_non_police_dispute_with_its_answer(db, station):
    police = dispute(db, station.officer, "J001")
    other = dispute(db, station.officer, "J002", category="non_police")
    with pytest.raises(RuleViolation):
        M.hand_over(db, station.officer, police, "住建局")
    M.hand_over(db, station.officer, other, "区住建局物业科", handed_on=TODAY - timedelta(days=10),
                answer_due=TODAY - timedelta(days=1))
    assert [(r.dispute_id, r.detail) for r in M.overdue_answers(db)] == [(other, "区住建局物业科")]
    with pytest.raises(RuleViolation):  # one hand-over at a time
        M.hand_over(db, station.officer, other, "街道办")
    with pytest.raises(ValidationError):
        M.record_answer(db, station.officer, other, "已处理", answered_on=TODAY - timedelta(days=11))
    M.record_answer(db, station.officer, other, "已责令物业公司整改")
    assert M.overdue_answers(db) == []
    rec = R.get_record(db, "dispute", other)
    assert rec.fields["answer"] == "已责令物业公司整改" and rec.fields["answered_on"] == TODAY


# -- 110 alerts ------------------------------------------------------------------------------------
def write_alert_log(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["青山湖分局京东派出所110接处警登记表"])
    ws.append(["警情编号", "报警时间", "发案地址", "报警人", "报警电话", "警情类别", "简要警情"])
    for r in rows:
        ws.append(r)
    ws.append(["合计", None, None, None, None, None, None])
    wb.save(path)


def test_alert_import_reports_each_row_and_lists_repeats(db, station, tmp_path):
    t0 = datetime.combine(TODAY - timedelta(days=5), datetime.min.time())
    rows = [["J20261201001", t0 + timedelta(hours=9), "京东大道88号3栋", "王某", "13900000001", "纠纷", "邻里噪音"],
            ["J20261201002", (t0 + timedelta(days=2, hours=21)).strftime("%Y/%m/%d %H:%M"), "京东大道88号3栋", "王某",
             "13900000001", "纠纷", "再次因噪音报警"],
            ["J20261201003", None, "某地", "", "", "求助", "无时间"],
            ["J20261201004", "2026-13-01 08:00", "某地", "", "", "求助", "坏日期"],
            ["J20261201005", t0 + timedelta(days=3), "南京东路5号", "李某", "13900000002", "纠纷", "=cmd|' /C calc'!A0"]]
    write_alert_log(tmp_path / "alerts.xlsx", rows)
    with pytest.raises(PermissionDenied):
        import_alerts(db, R.Actor(None, "analyst", "analyst"), tmp_path / "alerts.xlsx")
    preview = import_alerts(db, station.officer, tmp_path / "alerts.xlsx", dry_run=True)
    assert preview.count("imported") == 3 and AL.list_alerts(db) == []
    report = import_alerts(db, station.officer, tmp_path / "alerts.xlsx")
    assert report.header_line == 2
    assert [(r.line, r.outcome) for r in report.rows] == [(3, "imported"), (4, "imported"), (5, "rejected"),
                                                          (6, "rejected"), (7, "imported"), (8, "skipped")]
    assert "报警时间为空" in report.rows[2].reason
    again = import_alerts(db, station.officer, tmp_path / "alerts.xlsx")
    assert again.count("present") == 3 and again.count("imported") == 0 and "没有导入" in again.summary()
    listed = AL.list_alerts(db)
    assert [a.alert_no for a in listed] == ["J20261201005", "J20261201002", "J20261201001"]
    assert [a.repeats for a in listed] == [1, 2, 1]
    groups = AL.repeated(db)
    assert {(g.by, g.key, g.count) for g in groups} == {("address", "京东大道88号3栋", 2), ("caller", "13900000001", 2)}
    assert AL.repeated(db, days=1) == []


def test_alert_import_from_csv_in_gb18030(db, station, tmp_path):
    p = tmp_path / "a.csv"
    with open(p, "w", encoding="gb18030", newline="") as f:
        w = csv.writer(f)
        w.writerow(["接警编号", "接警日期", "报警时刻", "事发地址", "报警人"])
        w.writerow(["A1", (TODAY - timedelta(days=1)).isoformat(), "08:30", "贤士一路12号", "周某"])
    report = import_alerts(db, station.officer, p)
    assert report.count("imported") == 1
    assert AL.list_alerts(db)[0].received_at == datetime.combine(TODAY - timedelta(days=1), datetime.min.time()).replace(
        hour=8, minute=30)
    assert parse_when("2026年12月1日", "8时30分") == datetime(2026, 12, 1, 8, 30)


def test_alert_becomes_a_dispute_in_one_step_linked(db, station, tmp_path):
    write_alert_log(tmp_path / "a.xlsx", [["J1", datetime.combine(TODAY - timedelta(days=1), datetime.min.time()),
                                           "京东大道88号", "王某", "13900000001", "纠纷", "邻里噪音"]])
    import_alerts(db, station.officer, tmp_path / "a.xlsx")
    aid = AL.list_alerts(db)[0].id
    did, _ = AL.alert_to_dispute(db, station.officer, aid, dispute_no="J2026-001", parties="王某、楼上住户")
    rec = R.get_record(db, "dispute", did)
    assert rec.fields["source"] == "110" and rec.fields["place"] == "京东大道88号"
    assert rec.fields["found_on"] == TODAY - timedelta(days=1) and "邻里噪音" in rec.fields["summary"]
    assert AL.list_alerts(db)[0].dispute_no == "J2026-001"
    assert AL.alert_of_dispute(db, did).alert_no == "J1"
    with pytest.raises(RuleViolation):
        AL.alert_to_dispute(db, station.officer, aid, dispute_no="J2026-002")


def test_repeated_alerts_raise_the_repeat_call_suggestion_once(db, station, tmp_path):
    from app.services import workstation as W
    from models import Suggestion

    t0 = datetime.combine(TODAY - timedelta(days=10), datetime.min.time())
    write_alert_log(tmp_path / "a.xlsx", [["J1", t0 + timedelta(hours=9), "京东大道88号3栋", "王某", "13900000001", "纠纷",
                                           "邻里噪音"]])
    import_alerts(db, station.officer, tmp_path / "a.xlsx")
    did, _ = AL.alert_to_dispute(db, station.officer, AL.list_alerts(db)[0].id, dispute_no="J110-1")
    assert W.pending_suggestions(db) == []
    # Two more calls from the same address and caller after the dispute, and an unrelated one.
    later = [["J2", t0 + timedelta(days=3, hours=20), "京东大道88号3栋", "王某", "13900000001", "纠纷", "又吵"],
             ["J3", t0 + timedelta(days=6, hours=22), "京东大道88号3栋", "", "", "纠纷", "还在吵"],
             ["J4", t0 + timedelta(days=6, hours=23), "南京东路5号", "李某", "13900000002", "求助", "开锁"]]
    write_alert_log(tmp_path / "b.xlsx", later)
    report = import_alerts(db, station.officer, tmp_path / "b.xlsx")
    assert report.suggestions == 1 and "重复报警提示 1 条" in report.summary()
    pending = W.pending_suggestions(db)
    assert [(p.module, p.record_id, p.level, p.raise_to) for p in pending] == [("dispute", did, "yellow", "orange")]
    assert "京东大道88号3栋" in pending[0].detail and "3次" in pending[0].detail
    # The window reads the facts back from the stored sentence, to word them in English too.
    from app.domain.workflows import REPEAT_ALERT_DAYS

    facts = AL.repeat_facts(pending[0].detail)
    assert facts == AL.RepeatFacts("address", "京东大道88号3栋", REPEAT_ALERT_DAYS, 3, "J110-1", 2, t0 + timedelta(days=6, hours=22),
                                   "orange")
    assert AL.repeat_detail(facts) == pending[0].detail
    assert AL.repeat_facts("一句别的话") is None
    # Re-importing both files and a third file with one more call of the same group raises nothing new.
    assert import_alerts(db, station.officer, tmp_path / "b.xlsx").suggestions == 0
    assert import_alerts(db, station.officer, tmp_path / "a.xlsx").suggestions == 0
    write_alert_log(tmp_path / "c.xlsx", [["J5", t0 + timedelta(days=7), "京东大道88号3栋", "", "", "纠纷", "第四次"]])
    assert import_alerts(db, station.officer, tmp_path / "c.xlsx").suggestions == 0
    with db.read() as session:
        assert session.query(Suggestion).count() == 1
    # A dry run raises nothing either; another team's officer may not answer it.
    with pytest.raises(PermissionDenied):
        W.answer_suggestion(db, station.other_officer, pending[0].id, "accepted")
    W.answer_suggestion(db, station.officer, pending[0].id, "accepted")
    rec = R.get_record(db, "dispute", did)
    assert rec.level == "orange" and W.pending_suggestions(db) == []
    assert W.decided_suggestions(db, "dispute", did) == [("repeat_110", "accepted", None, None)]
    with pytest.raises(RuleViolation):
        W.answer_suggestion(db, station.officer, pending[0].id, "dismissed")


def test_repeated_alerts_before_the_dispute_raise_nothing(db, station, tmp_path):
    from app.services import workstation as W

    t0 = datetime.combine(TODAY - timedelta(days=10), datetime.min.time())
    write_alert_log(tmp_path / "a.xlsx", [["J1", t0, "京东大道88号", "王某", "", "纠纷", "一"],
                                          ["J2", t0 + timedelta(days=1), "京东大道88号", "王某", "", "纠纷", "二"]])
    import_alerts(db, station.officer, tmp_path / "a.xlsx")
    newest = AL.list_alerts(db)[0].id
    AL.alert_to_dispute(db, station.officer, newest, dispute_no="J110-1", level="orange")
    write_alert_log(tmp_path / "b.xlsx", [["J0", t0 - timedelta(days=1), "京东大道88号", "王某", "", "纠纷", "更早"]])
    assert import_alerts(db, station.officer, tmp_path / "b.xlsx").suggestions == 0
    assert W.pending_suggestions(db) == []


# -- 串并侦查 ------------------------------------------------------------------------------------
def test_series_groups_cases_suggests_candidates_and_is_marked_solved(db, station):
    a = new_case(db, station.officer, "A1", "orange", cause="入室盗窃", place="贤士花园5栋", accepted_on=TODAY - timedelta(days=20))
    b = new_case(db, station.officer, "A2", "orange", cause="入室盗窃", place="贤士花园9栋", accepted_on=TODAY - timedelta(days=12))
    c = new_case(db, station.officer, "A3", "orange", cause="入室盗窃", place="贤士花园2栋", accepted_on=TODAY - timedelta(days=3))
    far = new_case(db, station.officer, "A4", "orange", cause="诈骗", place="南京东路", accepted_on=TODAY - timedelta(days=2))
    assert [x.case_id for x in S.candidates(db, case_id=a)] == [b, c]
    with pytest.raises(ValidationError):
        S.create_series(db, station.officer, "贤士花园入室盗窃系列案", [a])
    sid = S.create_series(db, station.officer, "贤士花园入室盗窃系列案", [a, b], features="夜间攀爬阳台")
    assert [x.case_id for x in S.candidates(db, series_id=sid)] == [c]
    S.add_to_series(db, station.officer, sid, c)
    members = S.series_members(db, sid)
    assert [m.case_no for m in members] == ["A1", "A2", "A3"]
    shared = S.common_features(members)
    assert (shared.members, shared.cause, shared.cause_count, shared.place, shared.place_count) == (
        3, "入室盗窃", 3, "贤士花园", 3)
    assert (shared.first, shared.last, shared.days) == (TODAY - timedelta(days=20), TODAY - timedelta(days=3), 18)
    assert S.common_features([]) is None
    with pytest.raises(PermissionDenied):  # the case of another team
        S.add_to_series(db, station.other_officer, sid, far)
    with pytest.raises(RuleViolation):  # nothing solved yet
        S.mark_series_solved(db, station.officer, sid, "抓获")
    R.mark_case_solved(db, station.officer, b, TODAY, "抓获犯罪嫌疑人徐某")
    S.mark_series_solved(db, station.officer, sid, "抓获徐某，供述三起")
    row = S.list_series(db)[0]
    assert (row.status, row.members, row.solved_members, row.lead) == ("solved", 3, 1, "张伟")
    assert S.series_of_case(db, c) == [(sid, "贤士花园入室盗窃系列案", "solved")]
    with pytest.raises(RuleViolation):  # a solved series takes no more cases
        S.add_to_series(db, station.officer, sid, far)


def test_a_case_taken_out_of_a_series_with_the_solved_mark_recomputed(db, station):
    from app.services import audit

    ids = [new_case(db, station.officer, f"A{i}", "orange", cause="入室盗窃", place=f"贤士花园{i}栋",
                    accepted_on=TODAY - timedelta(days=10 - i)) for i in range(3)]
    sid = S.create_series(db, station.officer, "贤士花园入室盗窃系列案", ids)
    R.mark_case_solved(db, station.officer, ids[2], TODAY, "抓获犯罪嫌疑人徐某")
    S.mark_series_solved(db, station.officer, sid, "抓获徐某")
    before = snapshot(db)
    with pytest.raises(PermissionDenied):  # officers group cases; taking one out is the team leader's
        S.remove_from_series(db, station.officer, sid, ids[2], "串并有误")
    with pytest.raises(ValidationError) as err:
        S.remove_from_series(db, station.team_leader, sid, ids[2], "  ")
    assert err.value.field == "reason"
    assert snapshot(db) == before
    # The only solved case goes: the series is under investigation again.
    S.remove_from_series(db, station.team_leader, sid, ids[2], "经比对，作案手法不同")
    assert [m.case_id for m in S.series_members(db, sid)] == ids[:2]
    row = S.list_series(db)[0]
    assert (row.status, row.solved_on, row.members, row.solved_members) == ("active", None, 2, 0)
    assert S.series_of_case(db, ids[2]) == []
    assert ids[2] in [c.case_id for c in S.candidates(db, series_id=sid)]
    with pytest.raises(RuleViolation):  # a series keeps two cases
        S.remove_from_series(db, station.leader, sid, ids[0], "误串")
    with pytest.raises(ValidationError):  # not a member any more
        S.remove_from_series(db, station.leader, sid, ids[2], "误串")
    entry = next(e for e in audit.list_entries(db) if e.action == "remove_from_series:edit"
                 and e.module == "series_member")
    assert entry.role == "team_leader" and entry.detail["removed_reason"] == ["", "经比对，作案手法不同"]
    # Back in (the same membership row), and a series that stays solved keeps its mark.
    S.add_to_series(db, station.officer, sid, ids[2], "重新比对后串并")
    assert [m.case_id for m in S.series_members(db, sid)] == ids
    R.mark_case_solved(db, station.officer, ids[0], TODAY, "抓获犯罪嫌疑人李某")
    S.mark_series_solved(db, station.officer, sid, "抓获李某")
    S.remove_from_series(db, station.leader, sid, ids[2], "误串")
    assert S.list_series(db)[0].status == "solved"
