"""The seed's workflows travel to the branch: control checks and events, assessments, mediation
bodies and mediations, hand-overs, case series and 110 alerts, through a full package and a
delta, on SQLite and PostgreSQL; a package without the new parts (an older station) still imports."""
from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import openpyxl
from sqlalchemy import func, select

from app.ledger.alerts import import_alerts
from app.services import alerts as AL, control as C, mediation as M, records, series as S
from app.services.records import CaseInput, DisputeInput, PersonInput, Responsibility
from models import Alert, CaseSeries, ControlCheck, Mediation, MediationBody, PersonEvent, RiskAssessment, SeriesMember
from tests.sync.helpers import Net, small_station, station_snapshot
from tests.sync.test_roundtrip import _uuid, leader, officer_of

DAY = date(2026, 10, 20)


def seed_work(db, tmp_path, tag: str) -> dict:
    who = leader(db)
    people = Responsibility(officer_id=officer_of(db))
    p = records.create_person(db, who, PersonInput(f"周{tag}", "yellow", DAY, risk_categories=("ordinary",),
                                                   people=people))
    C.assess_risk(db, who, p, ["serious_record"], note="盗窃前科三次")
    C.record_check(db, who, p, "hit", at=datetime(2026, 10, 21, 9, 30), place="京东大道天网点位", outcome="比中")
    C.set_control_status(db, who, p, "away_reported", "赴外地务工，已报备")
    C.record_person_event(db, who, p, "petition", DAY + timedelta(days=2), "赴省上访", tier="province")
    M.ensure_default_bodies(db, who)
    body = M.add_mediation_body(db, who, f"{tag}社区群众工作室", "work_room")
    d = records.create_dispute(db, who, DisputeInput(f"D{tag}1", "non_police", "visit", "yellow", DAY,
                                                     parties="业主、物业", people=people))
    M.record_mediation(db, who, d, body_id=body, mediator="调解员甲", agreement="物业限期维修", held_on=DAY)
    M.hand_over(db, who, d, "区住建局", handed_on=DAY)
    cases = [records.create_case(db, who, CaseInput(f"A{tag}{i}", "criminal", "orange", DAY + timedelta(days=i),
                                                    cause="盗窃电动车", place="京东小区", people=people))
             for i in range(3)]
    sid = S.create_series(db, who, f"京东小区盗窃电动车系列案{tag}", cases[:2])
    wb = openpyxl.Workbook()
    wb.active.append(["警情编号", "报警时间", "发案地址", "报警人", "简要警情"])
    wb.active.append([f"{tag}110-1", datetime(2026, 10, 22, 20, 15), "京东小区5栋", "李某", "楼上漏水"])
    wb.active.append([f"{tag}110-2", datetime(2026, 10, 24, 21, 0), "京东小区5栋", "李某", "再次漏水"])
    wb.save(tmp_path / f"alerts-{tag}.xlsx")
    import_alerts(db, who, tmp_path / f"alerts-{tag}.xlsx")
    return {"person": p, "dispute": d, "cases": cases, "series": sid, "body": body}


def counts(db) -> dict[str, int]:
    with db.read() as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m)) for m in
                (ControlCheck, PersonEvent, RiskAssessment, MediationBody, Mediation, CaseSeries, SeriesMember, Alert)}


def test_the_seeds_workflows_round_trip_then_a_delta(branch, tmp_path):
    net = Net(branch, tmp_path / "carry")
    st = net.join("s1", small_station(tmp_path / "s1.db", "京东派出所", "S1"))
    ids = seed_work(st, tmp_path, "x")
    res = net.send("s1")
    assert res.status == "applied"
    assert (res.counts["control_check"], res.counts["person_event"], res.counts["risk_assessment"]) == (2, 1, 1)
    assert (res.counts["mediation_body"], res.counts["mediation"], res.counts["alert"]) == (5, 1, 2)
    assert (res.counts["case_series"], res.counts["series_member"]) == (1, 2)
    assert station_snapshot(net.branch, _uuid(st)) == station_snapshot(st)
    assert counts(net.branch) == counts(st)
    # A delta: the department answers, the third case joins the series and is solved, the series
    # is marked solved, an alert becomes a dispute, a body is retired.
    who = leader(st)
    M.record_answer(st, who, ids["dispute"], "已督促物业维修完毕")
    S.add_to_series(st, who, ids["series"], ids["cases"][2])
    records.mark_case_solved(st, who, ids["cases"][2], DAY + timedelta(days=5), "抓获嫌疑人")
    S.mark_series_solved(st, who, ids["series"], "抓获嫌疑人，串破三起")
    aid = AL.list_alerts(st)[0].id
    AL.alert_to_dispute(st, who, aid, dispute_no="Dx110", officer_id=officer_of(st))
    M.set_body_active(st, who, ids["body"], False)
    C.record_check(st, who, ids["person"], "check", outcome="电话核查，在外务工")
    res = net.send("s1")
    assert res.status == "applied"
    assert (res.counts["case_series"], res.counts["series_member"], res.counts["alert"]) == (1, 1, 1)
    assert (res.counts["mediation_body"], res.counts["control_check"], res.counts["mediation"]) == (1, 1, 0)
    assert station_snapshot(net.branch, _uuid(st)) == station_snapshot(st)
    with net.branch.read() as s:
        assert s.scalar(select(CaseSeries.status)) == "solved"
        assert s.scalar(select(Alert.dispute_id).where(Alert.alert_no == "x110-2")) is not None


def test_two_stations_keep_their_own_rows(branch, tmp_path):
    net = Net(branch, tmp_path / "carry")
    a = net.join("a", small_station(tmp_path / "a.db", "京东派出所", "SA"))
    b = net.join("b", small_station(tmp_path / "b.db", "湖坊派出所", "SB"))
    seed_work(a, tmp_path, "a")
    seed_work(b, tmp_path, "b")
    assert net.send("a").status == "applied" and net.send("b").status == "applied"
    for name, db in (("a", a), ("b", b)):
        assert station_snapshot(net.branch, _uuid(db)) == station_snapshot(db), name
    with net.branch.read() as s:
        assert s.scalar(select(func.count()).select_from(MediationBody)) == 10


def test_the_workflow_figures_per_station_at_the_branch(branch, tmp_path, capsys):
    import json

    from app import cli
    from app.services import workflow_figures as W

    net = Net(branch, tmp_path / "carry")
    a = net.join("a", small_station(tmp_path / "a.db", "京东派出所", "SA"))
    b = net.join("b", small_station(tmp_path / "b.db", "湖坊派出所", "SB"))
    today = date.today()
    for tag, db in (("a", a), ("b", b)):
        ids = seed_work(db, tmp_path, tag)
        # This month: a 非访 at each station and a 滋事 at a; one alert from the same address at each
        # station (no repeat within either: the two must not add up across the stations).
        C.record_person_event(db, leader(db), ids["person"], "petition", today, "进京", tier="ministry")
        if tag == "a":
            C.record_person_event(db, leader(db), ids["person"], "trouble", today, "酒后滋事")
        wb = openpyxl.Workbook()
        wb.active.append(["警情编号", "报警时间", "发案地址", "报警人", "简要警情"])
        wb.active.append([f"{tag}N1", datetime.now().replace(microsecond=0) - timedelta(minutes=10),
                          "贤士一路1号", "", "噪音"])
        wb.save(tmp_path / f"now-{tag}.xlsx")
        import_alerts(db, leader(db), tmp_path / f"now-{tag}.xlsx")
    assert net.send("a").status == "applied" and net.send("b").status == "applied"
    as_of = today
    own = {db_uuid: W.workflow_figures(db, as_of) for db_uuid, db in ((_uuid(a), a), (_uuid(b), b))}
    at_branch = W.figures_by_station(net.branch, as_of)
    for key in ("zero", "answers_overdue", "followups_overdue", "alerts"):
        assert {u: f[key] for u, f in at_branch.items()} == {u: f[key] for u, f in own.items()}, key
    for u in own:  # checks overdue are counted to now: the same at the branch and at the station
        assert at_branch[u]["checks_overdue"]["overdue"] == own[u]["checks_overdue"]["overdue"]
    assert at_branch[_uuid(a)]["zero"]["counts"] == {"lost_control": 0, "petition": 1, "trouble": 1}
    assert at_branch[_uuid(b)]["zero"]["counts"] == {"lost_control": 0, "petition": 1, "trouble": 0}
    assert [(f["alerts"]["received"], f["alerts"]["repeated_addresses"]) for f in at_branch.values()] == [(1, 0)] * 2
    assert W.workflow_figures(net.branch, as_of)["alerts"]["repeated_addresses"] == 1  # the whole branch
    assert W.workflow_figures(net.branch, as_of)["zero"]["counts"]["petition"] == 2  # the whole branch
    if getattr(net.branch, "path", None) is not None:  # the command line reads a branch file
        net.branch.close()
        assert cli.main(["stats", "--db", str(net.branch.path), "--json", "--as-of", as_of.isoformat(),
                         "--station", "SB"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["workflows"]["station"]["code"] == "SB"
        assert out["workflows"]["zero"] == own[_uuid(b)]["zero"]
        assert cli.main(["stats", "--db", str(net.branch.path), "--station", "SX"]) != 0
        assert "未找到该派出所：SX" in capsys.readouterr().err


def _member(db, case_uuid: str) -> tuple:
    """(removed_at, removed_reason, the remover's name) of the case's membership, read by uuid."""
    from models import Case, Officer

    with db.read() as s:
        return s.execute(select(SeriesMember.removed_at, SeriesMember.removed_reason, Officer.name)
                         .join(Case, Case.id == SeriesMember.case_id)
                         .outerjoin(Officer, Officer.id == SeriesMember.removed_by_id)
                         .where(Case.uuid == case_uuid)).one()


def _case_uuid(db, case_id: int) -> str:
    from models import Case

    with db.read() as s:
        return s.scalar(select(Case.uuid).where(Case.id == case_id))


def test_a_case_taken_out_of_a_series_after_an_export_is_taken_out_at_the_branch(branch, tmp_path):
    net = Net(branch, tmp_path / "carry")
    st = net.join("s1", small_station(tmp_path / "s1.db", "京东派出所", "S1"))
    ids = seed_work(st, tmp_path, "r")
    who = leader(st)
    third = _case_uuid(st, ids["cases"][2])
    S.add_to_series(st, who, ids["series"], ids["cases"][2])
    records.mark_case_solved(st, who, ids["cases"][2], DAY + timedelta(days=5), "抓获嫌疑人")
    S.mark_series_solved(st, who, ids["series"], "抓获嫌疑人，串破三起")
    assert net.send("s1").status == "applied"
    assert _member(net.branch, third)[0] is None
    # Taken out after the export: the series goes back to 侦查中 (its solved case left it).
    S.remove_from_series(st, who, ids["series"], ids["cases"][2], "作案手法不同，串并有误")
    res = net.send("s1")
    assert res.status == "applied" and res.counts["series_member"] == 1
    removed_at, reason, by = _member(net.branch, third)
    assert removed_at is not None and reason == "作案手法不同，串并有误" and by == _member(st, third)[2]
    assert station_snapshot(net.branch, _uuid(st)) == station_snapshot(st)
    with net.branch.read() as s:
        assert s.scalar(select(CaseSeries.status)) == "active"
    assert S.series_of_case(net.branch, _branch_id(net.branch, third)) == []
    # Put back (a second later, as a person would): that travels too; then nothing more does.
    time.sleep(1.05)
    S.add_to_series(st, who, ids["series"], ids["cases"][2], "复核后确认同一伙人所为")
    res = net.send("s1")
    assert res.counts["series_member"] == 1
    assert _member(net.branch, third) == (None, "", None)
    assert station_snapshot(net.branch, _uuid(st)) == station_snapshot(st)
    assert net.send("s1").counts["series_member"] == 0


def _branch_id(db, case_uuid: str) -> int:
    from models import Case

    with db.read() as s:
        return s.scalar(select(Case.id).where(Case.uuid == case_uuid))


def test_a_removal_and_a_return_arriving_out_of_order_end_as_at_the_station(branch, tmp_path):
    net = Net(branch, tmp_path / "carry")
    st = net.join("s1", small_station(tmp_path / "s1.db", "京东派出所", "S1"))
    ids = seed_work(st, tmp_path, "o")
    who = leader(st)
    first = _case_uuid(st, ids["cases"][0])
    S.add_to_series(st, who, ids["series"], ids["cases"][2])
    assert net.send("s1").status == "applied"
    S.remove_from_series(st, who, ids["series"], ids["cases"][0], "并非同一伙人")
    taken_out = net.export("s1")  # neither package is acknowledged: both build on the first
    time.sleep(1.05)
    S.add_to_series(st, who, ids["series"], ids["cases"][0])
    put_back = net.export("s1")
    assert net.deliver(put_back).status == "applied"
    late = net.deliver(taken_out)
    assert (late.status, late.code, late.counts["series_member"]) == ("applied", "replay", 0)
    assert _member(net.branch, first)[0] is None
    assert station_snapshot(net.branch, _uuid(st)) == station_snapshot(st)


def test_what_a_mutable_history_row_travels_with():
    from app.sync.rows import DIGEST_KINDS, ENTITY_KINDS, HISTORY_KINDS, MUTABLE_FIELDS, MUTABLE_HISTORY, SPECS

    # The digests of older exports name their kinds by index: the entity kinds keep theirs.
    assert DIGEST_KINDS[:len(ENTITY_KINDS)] == ENTITY_KINDS and len(set(DIGEST_KINDS)) == len(DIGEST_KINDS)
    assert set(MUTABLE_HISTORY) <= set(DIGEST_KINDS) & set(HISTORY_KINDS)
    # Every column but its identity follows the station (a new column must be named here).
    assert set(MUTABLE_FIELDS["series_member"]) == set(SPECS["series_member"].names) - {"uuid", "series", "case"}
