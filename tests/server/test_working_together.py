"""Several workstations on one station server: no lost update, one audit chain, a stale save told
as such, and a change saved in one process seen by another through LISTEN/NOTIFY."""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.errors import StaleRecord
from app.server.listen import ChangeListener, changes_of
from app.services.audit import list_entries, verify_chain
from app.services.records import get_record
from app.services.workstation import update_record
from tests.server.helpers import make_station, new_case

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def station(scratch):
    return make_station(scratch)


def _worker(station, user: str, record_id: int, count: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "tests.server.worker", station.address.url, station.address.prefix,
                             user, station.accounts[user], str(record_id), str(count)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_several_processes_as_different_accounts_lose_no_update(station):
    off1 = station.login("off1")
    off2 = station.login("off2")
    try:
        shared = new_case(off1.db, off1.actor, "A-001", station.officers["off1"], station.teams["一队"])
        other = new_case(off2.db, off2.actor, "B-001", station.officers["off2"], station.teams["二队"])
    finally:
        off1.db.close()
        off2.db.close()
    count = 8
    writers = {"leader": shared, "tl1": shared, "off1": shared, "off2": other}
    procs = {u: _worker(station, u, rid, count) for u, rid in writers.items()}
    results = {}
    for user, p in procs.items():
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
        results[user] = tuple(int(x) for x in out.split())
    assert all(saves == count for saves, _ in results.values())
    admin = station.login("admin")
    try:
        summary = get_record(admin.db, "case", shared).fields["summary"]
        for user in ("leader", "tl1", "off1"):  # every save of every process is in the record
            assert [summary.count(f"[{user}:{i}]") for i in range(count)] == [1] * count
        assert get_record(admin.db, "case", other).fields["summary"].count("[off2:") == count
        # Every change audited, under the right account, and the chain is one chain.
        edits = [e for e in list_entries(admin.db, limit=10_000) if e.action.startswith("edit_record")]
        by_account = {u: sum(1 for e in edits if e.account == u) for u in writers}
        assert by_account == {u: count for u in writers}
        assert verify_chain(admin.db) == []
    finally:
        admin.db.close()


def test_a_stale_save_is_told_and_can_be_redone(station):
    a = station.login("off1")
    b = station.login("tl1")
    try:
        rid = new_case(a.db, a.actor, "A-002", station.officers["off1"], station.teams["一队"])
        seen_a = get_record(a.db, "case", rid)
        seen_b = get_record(b.db, "case", rid)
        update_record(a.db, a.actor, "case", rid, {"summary": "甲的修改"}, expected_version=seen_a.version)
        with pytest.raises(StaleRecord) as told:
            update_record(b.db, b.actor, "case", rid, {"summary": "乙的修改"}, expected_version=seen_b.version)
        assert "已被他人修改" in told.value.zh
        fresh = get_record(b.db, "case", rid)  # B sees A's change and redoes theirs on it
        assert fresh.fields["summary"] == "甲的修改"
        update_record(b.db, b.actor, "case", rid, {"summary": "甲的修改；乙的修改"}, expected_version=fresh.version)
        assert get_record(a.db, "case", rid).fields["summary"] == "甲的修改；乙的修改"
    finally:
        a.db.close()
        b.db.close()


def test_a_change_saved_in_another_process_arrives_within_two_seconds(station):
    off1 = station.login("off1")
    try:
        rid = new_case(off1.db, off1.actor, "A-003", station.officers["off1"], station.teams["一队"])
    finally:
        off1.db.close()
    got: queue.Queue = queue.Queue()
    listener = ChangeListener(station.address.for_account("off2", station.accounts["off2"]), got.put).start()
    try:
        assert listener.connected
        proc = _worker(station, "tl1", rid, 1)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        saved_at = time.monotonic()
        deadline = saved_at + 2.0
        seen = None
        while time.monotonic() < deadline:
            try:
                changes = got.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if ("case", rid) in changes.record_ids:
                seen = changes
                break
        assert seen is not None, "the change did not arrive within 2 s"
        assert seen.modules == frozenset({"case"})
    finally:
        listener.stop()


def test_change_events_are_bounded_and_checked():
    assert changes_of(json.dumps({"t": "case_record", "ids": [3, 4]})).record_ids == (("case", 3), ("case", 4))
    assert changes_of(json.dumps({"t": "dispute", "ids": None})).modules == frozenset({"dispute"})
    assert changes_of(json.dumps({"t": "officer", "ids": [1]})).organisation
    assert changes_of(json.dumps({"t": "level_change", "ids": [9]})).modules == {"case", "dispute", "person"}
    for bad in ("not json", "[]", json.dumps({"t": 5}), json.dumps({"t": "case_record", "ids": ["1"]}),
                json.dumps({"t": "case_record", "ids": list(range(5000))})):
        assert changes_of(bad) is None


def test_a_lost_server_is_said_and_the_listener_reconnects(station):
    from sqlalchemy.engine import make_url

    from app.server.proxy import LatencyProxy
    from app.server.setup import ServerAddress

    u = make_url(station.address.url)
    proxy = LatencyProxy(u.host, u.port)
    address = ServerAddress(u.set(port=proxy.port).render_as_string(hide_password=False), station.address.prefix)
    states: queue.Queue = queue.Queue()
    got: queue.Queue = queue.Queue()
    listener = ChangeListener(address.for_account("off1", station.accounts["off1"]), got.put, states.put,
                              retry_seconds=0.2).start()
    try:
        assert states.get(timeout=5) is True
        proxy.cut()
        assert states.get(timeout=5) is False  # the workstation is told the server is gone
        proxy.resume()
        assert states.get(timeout=10) is True  # and it is back on its own
        # Events sent while away are lost: everything is refreshed once.
        refresh = got.get(timeout=5)
        assert refresh.organisation and refresh.modules == {"case", "dispute", "person"}
    finally:
        listener.stop()
        proxy.close()
