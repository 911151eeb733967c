"""A PostgreSQL branch partitioned by station (app.store.partitions, migration 0015), on the real
test server: a station's partitions come into being with its first package, its rows land in
them (pg_inherits and tableoid), and merging the same package again, or a newer one, keeps the
branch equal to the station."""
from __future__ import annotations

import os
from datetime import date

import pytest
from sqlalchemy import select, text

from app.services import org, records
from app.store import PgStore, SqliteStore, partitions
from models import Case, Officer, Station
from tests.sync.conftest import PG_ENV, drop_pg_database, new_pg_database, pg_url_or_skip
from tests.sync.helpers import Net, demo_station, dump_all, station_snapshot


@pytest.fixture
def pg_branch():
    url = new_pg_database(pg_url_or_skip())
    db = PgStore(url)
    yield db
    db.close()
    drop_pg_database(os.environ[PG_ENV], url)


def _partitions(db, table: str) -> set[str]:
    with db.read() as s:
        return set(s.execute(text("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                                  "WHERE i.inhparent = CAST(:t AS regclass)"), {"t": table}).scalars())


def _where_rows_are(db, table: str) -> dict[int, set[str]]:
    """station_id -> the partitions its rows of `table` are stored in (by each row's tableoid)."""
    out: dict[int, set[str]] = {}
    with db.read() as s:
        for sid, rel in s.execute(text(f"SELECT station_id, tableoid::regclass::text FROM {table} "
                                       f"GROUP BY 1, 2")):
            out.setdefault(sid, set()).add(rel)
    return out


def _station_id(db, uuid: str) -> int:
    with db.read() as s:
        return s.execute(select(Station.id).where(Station.uuid == uuid)).scalar_one()


def test_a_fresh_branch_is_partitioned_and_a_station_file_is_not(pg_branch, tmp_path):
    with pg_branch.read() as s:
        conn = s.connection()
        for table in partitions.TABLES:
            assert partitions.is_partitioned(conn, table), table
            kind = s.execute(text("SELECT relkind FROM pg_class WHERE oid = CAST(:t AS regclass)"),
                             {"t": table}).scalar()
            assert kind == "p", table
        # every key the merge relies on includes the partition key
        keys = s.execute(text("SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
                              "WHERE contype IN ('p', 'u') AND conrelid = ANY(CAST(:t AS regclass[]))"),
                         {"t": list(partitions.TABLES)}).all()
        assert keys and all("station_id" in d for _t, d in keys), keys
    assert {f"{t}_default" for t in partitions.TABLES} <= set().union(*(_partitions(pg_branch, t)
                                                                       for t in partitions.TABLES))
    lite = SqliteStore(tmp_path / "station.db", create=True)
    try:
        with lite.read() as s:
            assert not partitions.is_partitioned(s.connection())
            cols = {r[1] for r in s.execute(text("PRAGMA table_info(level_change)"))}
        assert "station_id" not in cols  # station files are unchanged
    finally:
        lite.close()


def test_first_merge_of_a_station_makes_its_partitions_and_its_rows_land_there(pg_branch, tmp_path):
    net = Net(pg_branch, tmp_path / "carry")
    a = net.join("a", demo_station(tmp_path / "a.db", 1))
    b = net.join("b", demo_station(tmp_path / "b.db", 2))
    before = _partitions(pg_branch, "case_record")
    res = net.send("a")
    assert res.status == "applied", res.en
    a_uuid = station_snapshot(a)["station"][0].split('"')[1]
    sid_a = _station_id(pg_branch, a_uuid)
    for table in partitions.TABLES:
        assert f"{table}_s{sid_a}" in _partitions(pg_branch, table), table
    assert _partitions(pg_branch, "case_record") - before == {f"case_record_s{sid_a}"}

    assert net.send("b").status == "applied"
    sid_b = _station_id(pg_branch, station_snapshot(b)["station"][0].split('"')[1])
    assert sid_b != sid_a
    for table in partitions.TABLES:
        placed = _where_rows_are(pg_branch, table)
        assert placed, f"{table} holds no rows"
        assert placed == {sid: {f"{table}_s{sid}"} for sid in placed}, (table, placed)
        assert set(placed) == {sid_a, sid_b}, (table, placed)
    with pg_branch.read() as s:  # nothing fell into a default partition
        for table in partitions.TABLES:
            assert s.execute(text(f"SELECT count(*) FROM {table}_default")).scalar() == 0, table
        conn = s.connection()
        assert partitions.partition_of(conn, "case_record", sid_b) == f"case_record_s{sid_b}"


def test_merge_again_and_newer_packages_on_the_partitioned_schema(pg_branch, tmp_path):
    net = Net(pg_branch, tmp_path / "carry")
    st = net.join("a", demo_station(tmp_path / "a.db", 3))
    first = net.export("a")
    assert net.deliver(first).status == "applied"
    snap = station_snapshot(st)
    assert station_snapshot(pg_branch, snap["station"][0].split('"')[1]) == snap
    held = dump_all(pg_branch)
    again = net.deliver(first)  # the same package twice: nothing changes
    assert again.status == "duplicate"
    assert dump_all(pg_branch) == held
    # a newer package updates records in place (an update by id within the station's partition)
    with st.read() as s:
        case_id, version = s.execute(select(Case.id, Case.version).where(Case.status == "active")
                                     .order_by(Case.id)).first()
        leader = org.actor_for(st, s.scalar(select(Officer.id).where(Officer.role == "leader").order_by(Officer.id)))
    records.log_action(st, leader, "case", case_id, "investigation", "调取监控", acted_on=date(2026, 11, 1))
    records.change_level(st, leader, "case", case_id, "red", "研判升级")
    res = net.send("a")
    assert res.status == "applied", res.en
    assert res.counts["case"] >= 1 and res.counts["action"] >= 1 and res.counts["level_change"] >= 1
    snap = station_snapshot(st)
    assert station_snapshot(pg_branch, snap["station"][0].split('"')[1]) == snap
    with st.read() as s:
        uuid, now = s.execute(select(Case.uuid, Case.version).where(Case.id == case_id)).one()
    assert now > version
    with pg_branch.read() as s:  # the branch's row of that case, in the station's partition, updated
        held_version, where = s.execute(text("SELECT version, tableoid::regclass::text FROM case_record "
                                             "WHERE uuid = :u"), {"u": uuid}).one()
    assert held_version == now
    st_uuid = snap["station"][0].split('"')[1]
    assert where == f"case_record_s{_station_id(pg_branch, st_uuid)}"
    held = dump_all(pg_branch)
    res = net.send("a", full=True)  # a full re-import of unchanged data: every row skipped or equal
    assert res.status == "applied"
    after = dump_all(pg_branch)
    for table in ("case_record", "dispute", "person", "level_change", "action", "daily_counts", "daily_events"):
        assert after[table] == held[table], table


def test_unpartition_and_partition_again_keep_every_row(pg_branch, tmp_path):
    net = Net(pg_branch, tmp_path / "carry")
    net.join("a", demo_station(tmp_path / "a.db", 4))
    assert net.send("a").status == "applied"
    held = dump_all(pg_branch)
    with pg_branch.engine.begin() as conn:
        partitions.unpartition_all(conn)
        assert not partitions.is_partitioned(conn)
    assert dump_all(pg_branch) == held
    with pg_branch.engine.begin() as conn:
        partitions.partition_all(conn)
        assert partitions.is_partitioned(conn)
    assert dump_all(pg_branch) == held
    sid = next(iter(_where_rows_are(pg_branch, "case_record")))
    assert _where_rows_are(pg_branch, "level_change") == {sid: {f"level_change_s{sid}"}}


def test_rows_that_come_before_their_station_move_into_its_partition(pg_branch):
    """A copy that writes the summary before the station row (the move of a station file to a
    server) leaves the rows in the default partition until the station arrives: then they move."""
    with pg_branch.write() as s:
        s.execute(text("INSERT INTO daily_counts (module, day, station_id, category, team_id, level, n, overdue) "
                       "VALUES ('case', DATE '2026-11-01', 77, '*', -1, 'red', 3, 1)"))
    assert _where_rows_are(pg_branch, "daily_counts") == {77: {"daily_counts_default"}}
    with pg_branch.write() as s:
        s.execute(text("INSERT INTO station (id, uuid, code, name, branch_name, is_demo, created_at) "
                       "VALUES (77, :u, 'S77', '七七派出所', '东湖分局', false, now())"), {"u": "7" * 32})
    assert _where_rows_are(pg_branch, "daily_counts") == {77: {"daily_counts_s77"}}
    with pg_branch.read() as s:
        assert s.execute(text("SELECT n, overdue FROM daily_counts WHERE station_id = 77")).one() == (3, 1)
        assert s.execute(text("SELECT count(*) FROM daily_counts_default")).scalar() == 0
    for table in partitions.TABLES:
        assert f"{table}_s77" in _partitions(pg_branch, table)
