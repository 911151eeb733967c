"""Station -> branch round trips on SQLite and PostgreSQL: every kind of record and change,
deltas after receipts, duplicates, reordering, gaps, replays, three stations, the receipt loop."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text

from app.services import org, records
from app.services.records import CaseInput, DisputeInput, PersonInput, Responsibility
from app.sync.branch import branch_freshness
from app.sync.errors import ImportRejected
from app.sync.export import list_exports
from models import DedicatedMember, ImportLedger, Officer
from tests.sync.helpers import (
    ADMIN,
    Net,
    branch_audit_rows,
    demo_station,
    dump_all,
    small_station,
    station_audit_rows,
    station_snapshot,
)

ID_A = "110101199003078515"


def leader(db):
    with db.read() as s:
        oid = s.scalar(select(Officer.id).where(Officer.role == "leader").order_by(Officer.id))
    return org.actor_for(db, oid)


def officer_of(db, n: int = 0) -> int:
    with db.read() as s:
        return s.scalars(select(Officer.id).where(Officer.role == "officer").order_by(Officer.id)).all()[n]


def churn(db, tag: str) -> dict:
    """One of every change the services make, on a station."""
    who = leader(db)
    oid = officer_of(db)
    people = Responsibility(officer_id=oid)
    day = date(2026, 10, 20)
    c = records.create_case(db, who, CaseInput(f"A{tag}1", "criminal", "red", day, cause="盗窃", place="东街",
                                               people=people))
    d = records.create_dispute(db, who, DisputeInput(f"D{tag}1", "police_primary", "110", "orange", day,
                                                     parties="张三、李四", people=people))
    d2 = records.create_dispute(db, who, DisputeInput(f"D{tag}2", "non_police", "visit", "yellow", day,
                                                      parties="王五", people=people))
    p = records.create_person(db, who, PersonInput(f"赵{tag}", "red", day, id_number=ID_A if tag == "x" else None,
                                                   control_plan="每周见面", people=people))
    records.change_level(db, who, "case", c, "orange", "暂无破案条件")
    records.log_action(db, who, "case", c, "investigation", "调取监控", acted_on=day)
    records.link_person(db, who, p, "dispute", d)
    records.log_action(db, who, "dispute", d2, "mediation", "调解成功", acted_on=day)
    records.change_level(db, who, "dispute", d2, "green", "调解完成", "双方和解", on=day)
    records.record_followup(db, who, d2, "satisfied", "回访满意", on=day)
    case2 = records.convert_dispute(db, who, d, CaseInput(f"A{tag}2", "administrative", "yellow", day), "调解不成")
    records.void_record(db, who, "case", c, "重复录入")
    records.delist_person(db, who, p, "评估无现实危险", on=day)
    with db.write(who, "dedicated") as s:
        s.add(DedicatedMember(person_id=p, officer_id=officer_of(db, 1), duty="专人盯控"))
    team = org.add_team(db, f"新队{tag}")
    org.add_officer(db, f"新警{tag}", "officer", team)
    return {"case": c, "dispute": d, "dispute2": d2, "person": p, "case2": case2}


def assert_same(net: Net, name: str) -> None:
    st = net.stations[name]
    assert station_snapshot(net.branch, _uuid(st)) == station_snapshot(st)


def _uuid(db) -> str:
    from app.services.org import station_info

    return station_info(db).uuid


def test_round_trip_every_change_then_deltas(branch, tmp_path):
    net = Net(branch, tmp_path / "carry")
    st = net.join("s1", small_station(tmp_path / "s1.db", "城关派出所", "S1"))
    churn(st, "x")
    res = net.send("s1")
    assert res.status == "applied" and res.counts["case"] == 2 and res.counts["dedicated_member"] == 1
    assert_same(net, "s1")
    assert branch_audit_rows(branch, _uuid(st)) == station_audit_rows(st)[:len(branch_audit_rows(branch, _uuid(st)))]
    # A second round: the package is a delta holding only what changed since the receipt.
    ids = churn(st, "y")
    records.log_action(st, leader(st), "dispute", ids["dispute2"], "visit", "再次回访", acted_on=date(2026, 10, 21))
    path = net.export("s1")
    res = net.deliver(path)
    assert res.status == "applied" and res.counts["case"] == 2 and res.counts["person"] == 1
    assert list_exports(st)[0].kind == "delta" and list_exports(st)[0].base_seq == 1
    assert_same(net, "s1")
    # The station's audit trail arrives row for row, chained to the signed head.
    held = branch_audit_rows(branch, _uuid(st))
    assert held == station_audit_rows(st)[:len(held)] and len(held) > 20


def test_same_package_twice_is_a_duplicate_and_changes_nothing(branch, tmp_path):
    net = Net(branch, tmp_path / "carry")
    net.join("s1", demo_station(tmp_path / "s1.db", 1))
    path = net.export("s1")
    assert net.deliver(path).status == "applied"
    before = dump_all(branch)
    again = net.deliver(path)
    assert again.status == "duplicate"
    assert dump_all(branch) == before
    with branch.read() as s:
        assert s.scalar(select(func.count()).select_from(ImportLedger)) == 1


def test_same_sequence_with_different_bytes_is_rejected(branch, tmp_path):
    from tests.sync.helpers import copy_sqlite

    net = Net(branch, tmp_path / "carry")
    st = net.join("s1", small_station(tmp_path / "s1.db", "城关派出所", "S1"))
    copy = copy_sqlite(st, tmp_path / "s1-restored.db")
    from app.store import SqliteStore

    net.stations["s1"] = SqliteStore(st.path)
    first = net.export("s1")
    net.stations["s2"] = restored = SqliteStore(copy)  # the station restored from an old copy
    churn(restored, "x")
    second = net.export("s2")
    assert net.deliver(first).status == "applied"
    before = dump_all(branch)
    with pytest.raises(ImportRejected) as info:
        net.deliver(second)
    assert info.value.code == "seq_reused"
    assert dump_all(branch) == before


def test_later_package_first_ends_in_the_same_state(branch, tmp_path):
    net = Net(branch, tmp_path / "carry")
    st = net.join("s1", small_station(tmp_path / "s1.db", "城关派出所", "S1"))
    net.send("s1")
    ids = churn(st, "x")
    p2 = net.export("s1")
    records.change_level(st, leader(st), "case", ids["case2"], "red", "有条件破案")
    p3 = net.export("s1")
    r3 = net.deliver(p3)
    assert r3.code == "gap"
    r2 = net.deliver(p2)
    assert r2.code == "replay" and r2.skipped > 0
    assert_same(net, "s1")
    with st.read() as s:
        assert s.execute(text("SELECT level FROM case_record WHERE id = :i"), {"i": ids["case2"]}).scalar() == "red"


def test_a_package_that_never_arrives_leaves_a_covered_gap(branch, tmp_path):
    net = Net(branch, tmp_path / "carry")
    st = net.join("s1", small_station(tmp_path / "s1.db", "城关派出所", "S1"))
    net.send("s1")
    churn(st, "x")
    net.export("s1")                    # lost on the way
    churn(st, "y")
    net.deliver(net.export("s1"))
    assert_same(net, "s1")
    (f,) = branch_freshness(branch, today=date.today())
    assert f.last_seq == 3 and f.missing == (2,) and f.covered and f.state == "ok"
    assert "gap: 1 missing" in f.text("en")


def test_missing_base_is_rejected_and_can_be_forced(make_branch, tmp_path):
    a, b = make_branch("a"), make_branch("b")
    net = Net(a, tmp_path / "carry")
    st = net.join("s1", small_station(tmp_path / "s1.db", "城关派出所", "S1"))
    first = net.export("s1")
    net.ack("s1", net.deliver(first))
    # Branch b shares a's identity (a second console of the same office) but lacks package 1.
    from app.sync import keys as K

    with a.read() as s:
        rows = s.execute(text("SELECT kind, private_key, public_key, created_at FROM sync_key")).all()
        settings = s.execute(text("SELECT key, value FROM setting WHERE key LIKE 'branch.%'")).all()
    with b.write(ADMIN) as s:
        for r in rows:
            s.execute(text("INSERT INTO sync_key VALUES (:k, :p, :u, :c)"), dict(k=r[0], p=r[1], u=r[2], c=r[3]))
        for k, v in settings:
            s.execute(text("INSERT INTO setting VALUES (:k, :v)"), dict(k=k, v=v))
    K.trust_station(b, ADMIN, K.station_identity(st, ADMIN))
    nb = Net(b, tmp_path / "carry-b")
    nb.stations["s1"] = st
    nb.deliver(first)
    net.ack("s1", net.deliver(net.export("s1", full=True)))   # package 2 (full) goes to a only
    records.create_case(st, leader(st), CaseInput("N1", "criminal", "yellow", date(2026, 10, 1),
                                                  people=Responsibility(officer_id=officer_of(st))))
    third = net.export("s1")                                  # a delta based on package 2
    before = dump_all(b)
    with pytest.raises(ImportRejected) as info:
        nb.deliver(third)
    assert info.value.code == "missing_base"
    assert dump_all(b) == before
    forced = nb.deliver(third, allow_missing_base=True)
    assert forced.status == "applied" and forced.code == "forced" and forced.counts["case"] == 1
    assert station_snapshot(b, _uuid(st)) == station_snapshot(st)


def test_replay_of_an_old_package_regresses_nothing(branch, tmp_path):
    net = Net(branch, tmp_path / "carry")
    st = net.join("s1", small_station(tmp_path / "s1.db", "城关派出所", "S1"))
    ids = churn(st, "x")
    old = net.export("s1")
    net.ack("s1", net.deliver(old))
    records.change_level(st, leader(st), "case", ids["case2"], "red", "有条件破案")
    net.send("s1")
    expected = station_snapshot(st)
    with branch.write(ADMIN) as s:   # a fresh ledger row would say duplicate; drop it to force a replay path
        s.execute(text("DELETE FROM import_ledger WHERE seq = 1"))
    res = net.deliver(old)
    assert res.status == "applied" and res.code == "replay" and res.skipped > 0
    assert station_snapshot(branch, _uuid(st)) == expected


def test_three_stations_merge_at_one_branch(branch, tmp_path):
    net = Net(branch, tmp_path / "carry")
    for seed in (1, 2, 3):
        net.join(f"s{seed}", demo_station(tmp_path / f"s{seed}.db", seed))
        assert net.send(f"s{seed}").status == "applied"
    for name, st in net.stations.items():
        assert station_snapshot(branch, _uuid(st)) == station_snapshot(st), name
    with branch.read() as s:
        assert s.scalar(text("SELECT count(*) FROM station")) == 3
    fresh = branch_freshness(branch)
    assert [f.last_seq for f in fresh] == [1, 1, 1] and all(f.state == "ok" for f in fresh)


def test_receipt_closes_the_loop(branch, tmp_path):
    from app.errors import ValidationError
    from app.sync.receipt import apply_receipt, write_receipt

    net = Net(branch, tmp_path / "carry")
    st = net.join("s1", small_station(tmp_path / "s1.db", "城关派出所", "S1"))
    res = net.deliver(net.export("s1"))
    receipt = write_receipt(branch, res, tmp_path / "r.json")
    tampered = tmp_path / "bad.json"
    tampered.write_bytes(receipt.read_bytes().replace(b'"applied"', b'"rejected"', 1))
    with pytest.raises(ValidationError):
        apply_receipt(st, ADMIN, tampered)
    assert list_exports(st)[0].acknowledged_at is None
    summary = apply_receipt(st, ADMIN, receipt)
    assert summary.acknowledged == (1,)
    assert list_exports(st)[0].acknowledged_at is not None
    churn(st, "x")
    assert net.deliver(net.export("s1")).status == "applied"
    assert list_exports(st)[0].kind == "delta"
    assert_same(net, "s1")


def test_empty_delta_is_applied_and_changes_no_record(branch, tmp_path):
    net = Net(branch, tmp_path / "carry")
    st = net.join("s1", small_station(tmp_path / "s1.db", "城关派出所", "S1"))
    net.send("s1")
    before = station_snapshot(branch, _uuid(st))
    res = net.deliver(net.export("s1"))
    assert res.status == "applied"
    assert sum(v for k, v in res.counts.items() if k != "audit") == 0
    assert station_snapshot(branch, _uuid(st)) == before


def test_quality_check_blocks_unless_forced(branch, tmp_path):
    from app.sync.errors import ExportBlocked
    from app.sync.export import export_package, quality_check

    net = Net(branch, tmp_path / "carry")
    st = net.join("s1", small_station(tmp_path / "s1.db", "城关派出所", "S1"))
    ids = churn(st, "y")
    with st.raw() as conn:  # a record nobody is responsible for (as an old import might leave)
        conn.execute("UPDATE case_record SET officer_id = NULL WHERE id = ?", (ids["case2"],))
    codes = {i.code: i.severity for i in quality_check(st)}
    assert codes["no_officer_case"] == "block" and codes["person_id_number"] == "warn"
    with pytest.raises(ExportBlocked):
        export_package(st, ADMIN, tmp_path / "p.stpkg")
    assert not (tmp_path / "p.stpkg").exists()
    res = export_package(st, ADMIN, tmp_path / "p.stpkg", force=True)
    assert res.path.exists() and net.deliver(res.path).status == "applied"
