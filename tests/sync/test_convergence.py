"""B4: random edits on several stations, random export cuts and receipts, random delivery order
with duplicates: the branch always ends with exactly each station's state."""
from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from app.errors import StationError
from app.services import records
from app.services.records import CaseInput, DisputeInput, PersonInput, Responsibility
from app.store import SqliteStore
from app.sync.errors import ImportRejected
from models import Case, Dispute, Officer, Person
from tests.sync.conftest import PG_ENV, drop_pg_database, new_pg_database, pg_url_or_skip
from tests.sync.helpers import Net, small_station, station_snapshot
from tests.sync.test_roundtrip import leader

STATIONS = 2
EXAMPLES = {"sqlite": int(os.environ.get("STATION_CONVERGENCE_EXAMPLES", "12")),
            "postgresql": int(os.environ.get("STATION_CONVERGENCE_EXAMPLES_PG", "6"))}
DAY = date(2026, 10, 1)

step = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, STATIONS - 1), st.integers(0, 6), st.integers(0, 10**6)),
    st.tuples(st.just("export"), st.integers(0, STATIONS - 1), st.booleans()),
    st.tuples(st.just("deliver"), st.integers(0, 10**6), st.booleans()),
    st.tuples(st.just("ack"), st.integers(0, 10**6)),
)


def edit(db, op: int, n: int, counter: list[int]) -> None:
    who = leader(db)
    with db.read() as s:
        officers = s.scalars(select(Officer.id).where(Officer.role == "officer")).all()
        live = {m: s.scalars(select(t.id).where(t.status == "active").order_by(t.id)).all()
                for m, t in (("case", Case), ("dispute", Dispute), ("person", Person))}
    people = Responsibility(officer_id=officers[n % len(officers)])
    counter[0] += 1
    k = counter[0]
    try:
        if op == 0:
            records.create_case(db, who, CaseInput(f"C{k}", "criminal", ("red", "orange", "yellow")[n % 3], DAY,
                                                   people=people))
        elif op == 1:
            records.create_dispute(db, who, DisputeInput(f"D{k}", "police_primary", "110", "yellow", DAY,
                                                         parties=f"甲{k}", people=people))
        elif op == 2:
            records.create_person(db, who, PersonInput(f"人{k}", "yellow", DAY, people=people))
        else:
            module = ("case", "dispute", "person")[n % 3]
            ids = live[module]
            if not ids:
                return
            rid = ids[n % len(ids)]
            if op == 3:
                records.change_level(db, who, module, rid, ("red", "orange", "yellow", "green")[n % 4], "研判",
                                     "办结" if n % 4 == 3 else "", on=DAY)
            elif op == 4:
                records.log_action(db, who, module, rid, "visit", f"走访{k}", acted_on=DAY)
            elif op == 5:
                records.void_record(db, who, module, rid, "录入错误")
            elif live["person"] and module != "person":
                records.link_person(db, who, live["person"][n % len(live["person"])], module, rid)
    except StationError:
        pass  # a change the rules refuse (e.g. the same level again) is simply not made


def run_history(backend: str, steps, order_seed: int) -> None:
    import random

    folder = Path(tempfile.mkdtemp(prefix="conv-"))
    url = None
    if backend == "sqlite":
        branch = SqliteStore(folder / "branch.db", create=True)
    else:
        from app.store.postgres import PgStore

        url = new_pg_database(os.environ[PG_ENV])
        branch = PgStore(url)
    try:
        net = Net(branch, folder / "carry")
        names = [f"s{i}" for i in range(STATIONS)]
        for i, name in enumerate(names):
            net.join(name, small_station(folder / f"{name}.db", f"第{i}派出所", f"P{i}"))
        counter = [0]
        sent: list[tuple[str, Path]] = []         # every package made, in order
        expected: dict[str, dict] = {}            # station -> snapshot at its latest export
        results = []
        for s in steps:
            if s[0] == "edit":
                edit(net.stations[names[s[1]]], s[2], s[3], counter)
            elif s[0] == "export":
                name = names[s[1]]
                sent.append((name, net.export(name, full=s[2])))
                expected[name] = station_snapshot(net.stations[name])
            elif s[0] == "deliver" and sent:
                name, path = sent[s[1] % len(sent)]
                try:
                    results.append((name, net.deliver(path)))
                except ImportRejected as exc:
                    assert exc.code == "missing_base", exc  # only ever "wait for the base package"
            elif s[0] == "ack" and results:
                name, res = results[s[1] % len(results)]
                net.ack(name, res)
        # Everything still on the road arrives, in a random order, some twice.
        rng = random.Random(order_seed)
        queue = [p for p in sent] + rng.sample(sent, min(len(sent), 3))
        rng.shuffle(queue)
        pending = queue
        for _ in range(len(queue) + 1):  # a delta waits until its base has arrived
            later = []
            for name, path in pending:
                try:
                    net.deliver(path)
                except ImportRejected as exc:
                    assert exc.code == "missing_base", exc
                    later.append((name, path))
            pending = later
        assert not pending
        for name in names:
            if name in expected:
                assert station_snapshot(branch, _uuid(net.stations[name])) == expected[name], name
        for name in names:  # and one more round brings the branch to the stations' present state
            res = net.deliver(net.export(name))
            net.ack(name, res)
            assert station_snapshot(branch, _uuid(net.stations[name])) == station_snapshot(net.stations[name])
    finally:
        for db in list(net.stations.values()) if "net" in locals() else []:
            db.close()
        branch.close()
        if url:
            drop_pg_database(os.environ[PG_ENV], url)


def _uuid(db) -> str:
    from app.services.org import station_info

    return station_info(db).uuid


def test_branch_converges_sqlite():
    @settings(max_examples=EXAMPLES["sqlite"], deadline=None, suppress_health_check=list(HealthCheck),
              database=None)
    @given(st.lists(step, min_size=3, max_size=25), st.integers(0, 10**6))
    def prop(steps, seed):
        run_history("sqlite", steps, seed)
    prop()


def test_branch_converges_postgresql():
    pg_url_or_skip()

    @settings(max_examples=EXAMPLES["postgresql"], deadline=None, suppress_health_check=list(HealthCheck),
              database=None)
    @given(st.lists(step, min_size=3, max_size=20), st.integers(0, 10**6))
    def prop(steps, seed):
        run_history("postgresql", steps, seed)
    prop()
