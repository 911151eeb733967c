"""The branch is each station's external audit anchor: a station's chain may only grow from the
head the branch holds. A head that goes back, a chain that jumps ahead (invented) and a deep
truncation are refused as a fork, written to the branch's trail and shown by branch-status."""
from __future__ import annotations

import json
from datetime import datetime

import pytest

from app import cli
from app.services import audit
from app.store import SqliteStore
from app.sync import keys as K, package as P
from app.sync.branch import branch_freshness
from app.sync.importer import import_files
from tests.sync.helpers import ADMIN, Net, branch_audit_rows, dump_all, small_station
from tests.sync.test_faults import rejected, reseal
from tests.sync.test_roundtrip import churn


@pytest.fixture
def net(tmp_path):
    n = Net(SqliteStore(tmp_path / "branch.db", create=True), tmp_path / "carry")
    st = n.join("s1", small_station(tmp_path / "s1.db", "城关派出所", "S1"))
    churn(st, "x")
    n.send("s1", full=True)
    churn(st, "y")
    n.send("s1")  # the branch holds the station's chain up to its head after two packages
    churn(st, "z")
    yield n
    n.branch.close()
    for db in n.stations.values():
        db.close()


def _audit_part(net, path) -> dict:
    keys = K.branch_keys(net.branch)
    inner = P.parse_inner(P.decrypt(path.read_bytes(), box=keys.box))
    import zlib

    return json.loads(zlib.decompress(dict(inner.members)["audit.json"]))


def _with_audit(rows: list[list], columns: list[str]):
    def members(ms):
        return [(n, json.dumps({"columns": columns, "rows": rows}, ensure_ascii=False).encode()
                 if n == "audit.json" else raw) for n, raw in ms]
    return members


def _rechain(rows: list[list], shift: int, prev: str) -> list[list]:
    """The same events renumbered `shift` rows later, hashed into a chain of their own."""
    out = []
    for r in rows:
        seq, at, account, officer_id, role, action, module, record_uuid, detail, _p, _h = r
        seq += shift
        h = audit.entry_hash(prev, seq, datetime.fromisoformat(at), account, officer_id, role, action, module,
                             record_uuid, detail)
        out.append([seq, at, account, officer_id, role, action, module, record_uuid, detail, prev, h])
        prev = h
    return out


def test_a_head_that_goes_back_is_a_fork(net):
    st_uuid = K.station_identity(net.stations["s1"]).uuid
    held = branch_audit_rows(net.branch, st_uuid)
    first = net.folder / sorted(p.name for p in net.folder.glob("s1-*.stpkg"))[0]
    old = _audit_part(net, first)  # rows 1..n of the first package: all held, all equal
    path = net.export("s1")

    def back(m):
        m["audit_from"], m["audit_head"] = 0, {"seq": old["rows"][-1][0], "hash": old["rows"][-1][-1]}
        m["counts"]["audit"] = len(old["rows"])
    before = dump_all(net.branch)
    err = rejected(net, reseal(net, path, mutate_manifest=back, mutate_members=_with_audit(old["rows"],
                                                                                           old["columns"])))
    assert err.code == "audit_fork" and "went back" in err.en and str(held[-1][0]) in err.en
    assert dump_all(net.branch) == before


def test_a_chain_that_jumps_ahead_is_a_fork(net):
    path = net.export("s1")
    part = _audit_part(net, path)
    invented = _rechain(part["rows"], 50, "ab" * 32)

    def jump(m):
        m["audit_from"] += 50
        m["audit_head"] = {"seq": invented[-1][0], "hash": invented[-1][-1]}
    err = rejected(net, reseal(net, path, mutate_manifest=jump, mutate_members=_with_audit(invented, part["columns"])))
    assert err.code == "audit_fork" and "cannot be joined" in err.en


def test_a_deep_truncation_is_a_fork_not_a_malformed_package(net):
    path = net.export("s1")
    part = _audit_part(net, path)
    keep = part["rows"][:0]

    def cut(m):
        m["audit_head"] = {"seq": 3, "hash": "cd" * 32}
        m["counts"]["audit"] = 0
    err = rejected(net, reseal(net, path, mutate_manifest=cut, mutate_members=_with_audit(keep, part["columns"])))
    assert err.code == "audit_fork" and err.authenticated


def test_branch_status_shows_the_fork_until_a_package_is_applied_again(net, tmp_path, capsys):
    path = net.export("s1")
    part = _audit_part(net, path)
    invented = _rechain(part["rows"], 50, "ab" * 32)

    def jump(m):
        m["audit_from"] += 50
        m["audit_head"] = {"seq": invented[-1][0], "hash": invented[-1][-1]}
    bad = tmp_path / "forged.stpkg"
    bad.write_bytes(reseal(net, path, mutate_manifest=jump, mutate_members=_with_audit(invented, part["columns"])))
    (res,) = import_files(net.branch, ADMIN, [bad], write_receipts=False)
    assert res.code == "audit_fork"
    (f,) = branch_freshness(net.branch)
    assert f.state == "fork" and "分叉" in f.text("zh") and "forked" in f.text("en")
    net.branch.close()
    assert cli.main(["branch-status", "--db", str(tmp_path / "branch.db")]) == 0
    assert "审计日志分叉" in capsys.readouterr().out
    net.branch = SqliteStore(tmp_path / "branch.db")
    assert net.deliver(path).status == "applied"  # the genuine package joins: the chain grew again
    (f,) = branch_freshness(net.branch)
    assert f.state == "ok"
