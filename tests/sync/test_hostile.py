"""Hostile packages from anyone who holds the branch's public key, and hostile trusted numbers:
each is refused on its own with ImportRejected and a one-line reason, the other files of the same
batch are applied, and every file gets its receipt."""
from __future__ import annotations

import json
import os

import pytest

from app import cli
from app.bounded_json import JsonRejected, Limits, loads
from app.store import SqliteStore
from app.sync import keys as K
from app.sync.errors import ImportRejected
from app.sync.importer import import_files
from app.sync.receipt import parse_receipt
from tests.sync.helpers import Net, small_station
from tests.sync.test_faults import _raw_seal


@pytest.fixture
def net(tmp_path):
    n = Net(SqliteStore(tmp_path / "branch.db", create=True), tmp_path / "carry")
    n.join("s1", small_station(tmp_path / "s1.db", "城关派出所", "S1"))
    yield n
    n.branch.close()
    for db in n.stations.values():
        db.close()


def _manifest_text(name_json: str) -> bytes:
    """A manifest as the wire carries it, with the station's name as raw JSON text."""
    return ('{"format":1,"kind":"full","seq":1,"station":{"uuid":"' + "ab" * 16 + '","code":"X","name":'
            + name_json + '}}').encode("utf-8")


HOSTILE = {
    "deep": b'{"station":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "lone_surrogate": _manifest_text('"\\ud800城关"'),
    "nul": _manifest_text('"城关\\u0000"'),
    "memory": b'{"station":{"uuid":"' + b"ab" * 16 + b'"},"x":[' + b",".join([b"[]"] * 200_000) + b"]}",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_unauthenticated_package_does_not_stop_the_batch(net, tmp_path, kind):
    keys = K.branch_keys(net.branch)
    good1 = net.export("s1", full=True)
    bad = tmp_path / "carry" / f"hostile-{kind}.stpkg"
    bad.write_bytes(_raw_seal(keys, HOSTILE[kind], os.urandom(64), []))
    from tests.sync.test_roundtrip import churn

    churn(net.stations["s1"], "y")
    good2 = net.export("s1")
    receipts = tmp_path / "receipts"
    receipts.mkdir()
    results = import_files(net.branch, net_admin(), [good1, bad, good2], receipts_dir=receipts)
    assert [r.status for r in results] == ["applied", "rejected", "applied"]
    assert results[1].code == "malformed" and "\n" not in results[1].en
    for r, p in zip(results, (good1, bad, good2)):
        body = parse_receipt((receipts / f"{p.stem}.receipt.json").read_bytes(), keys.identity.sign_key)
        assert body["entries"][0]["status"] == r.status


def net_admin():
    from tests.sync.helpers import ADMIN

    return ADMIN


def test_the_import_command_reports_a_hostile_package_and_goes_on(net, tmp_path, capsys):
    keys = K.branch_keys(net.branch)
    bad = tmp_path / "deep.stpkg"
    bad.write_bytes(_raw_seal(keys, HOSTILE["deep"], os.urandom(64), []))
    good = net.export("s1", full=True)
    net.branch.close()
    code = cli.main(["import", "--db", str(tmp_path / "branch.db"), str(bad), str(good)])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err
    assert "deep.stpkg" in err and "[malformed]" in err and good.name in out
    net.branch = SqliteStore(tmp_path / "branch.db")


# -- the reader itself --------------------------------------------------------------------------------
@pytest.mark.parametrize("text,why", [
    ("[" * 5000 + '"' + "x" * 60_000 + '"' + "]" * 5000, "nested"), ("[" * 5000 + "]" * 5000, "small items"), ('["\\ud800"]', "surrogate"), ('["\\udc00\\ud800"]', "surrogate"),
    ('["a\\u0000"]', "NUL"), ("[" + ",".join(["{}"] * 5000) + "]", "small items"),
    ('{"a":' * 40 + "1" + "}" * 40, "deeper"), ('["' + "x" * 70_000 + '"]', "longer"), ("[1,]", "not valid JSON"),
])
def test_the_bounded_reader_refuses_with_one_line(text, why):
    with pytest.raises(JsonRejected) as info:
        loads(text.encode("utf-8"), Limits(max_bytes=1 << 20))
    assert why in info.value.reason and "\n" not in info.value.reason


def test_the_bounded_reader_keeps_pairs_bom_and_refuses_size_before_decoding():
    assert loads('\ufeff{"a":"\\ud83d\\ude00城"}'.encode("utf-8")) == {"a": "😀城"}
    with pytest.raises(JsonRejected, match="larger"):
        loads(b"[" + b" " * 100 + b"]", Limits(max_bytes=50))
    with pytest.raises(JsonRejected, match="UTF-8"):
        loads(b'["\xed\xa0\x80"]')  # an encoded surrogate


def test_the_parsed_value_stays_within_ten_times_its_input():
    import tracemalloc

    for doc in (json.dumps([[1000 + i, "城关" * 3, None, 1.5] for i in range(20_000)]),
                "[" + ",".join(["1000"] * 100_000) + "]"):
        data = doc.encode("utf-8")
        tracemalloc.start()
        loads(data, Limits(max_bytes=1 << 24, max_items=1 << 24, walk=False))
        _cur, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak <= 10 * len(data) + (2 * len(doc)), (peak, len(data))


# -- plausibility of trusted numbers ------------------------------------------------------------------
@pytest.mark.parametrize("field,value", [("seq", 2**62 - 1), ("seq", 1_000_001), ("created_at", "9999-12-31 00:00:00"),
                                         ("created_at", "1970-01-01 00:00:00")])
def test_a_signed_package_with_an_implausible_number_or_date_is_refused(net, field, value):
    from tests.sync.test_faults import rejected, reseal

    path = net.export("s1", full=True)

    def edit(m):
        m[field] = value
    err = rejected(net, reseal(net, path, mutate_manifest=edit))
    assert err.code == "malformed" and field in err.en and err.authenticated


def test_branch_status_returns_at_once_even_with_a_huge_sequence_already_held(net, capsys):
    """Audit hole 4: a package numbered near 2^62 was accepted and branch-status never returned."""
    import time
    from datetime import datetime

    from app.sync.branch import branch_freshness
    from models import ImportLedger

    net.send("s1", full=True)
    st_uuid = K.station_identity(net.stations["s1"]).uuid
    with net.branch.write(net_admin()) as s:  # as an older app would have stored it
        s.execute(ImportLedger.__table__.insert().values(
            station_uuid=st_uuid, seq=2**62, export_id="ff" * 16, sha256="00" * 32, kind="delta", base_seq=1,
            status="applied", code="", reason="", created_at=datetime.now(), applied_at=datetime.now(),
            counts="{}", skipped=0))
    started = time.perf_counter()
    (f,) = branch_freshness(net.branch)
    assert time.perf_counter() - started < 30
    assert f.last_seq == 2**62 and f.missing[-1] == 1_000_000 and f.covered


@pytest.mark.parametrize("how", ["deep", "surrogate", "nul", "memory"])
def test_a_signed_part_with_deep_nesting_or_bad_characters_is_refused(net, how):
    """Audit item 9: signed parts with deep nesting or a lone surrogate gave tracebacks."""
    from app.sync.rows import parse_columns
    from tests.sync.test_faults import rejected, reseal

    path = net.export("s1", full=True)
    spoilt = {}

    def spoil(members):
        out = []
        for n, raw in members:
            if n == "station.json":
                raw = spoilt["raw"] = {
                    "deep": b'{"columns":["uuid"],"rows":[' + b"[" * 50_000 + b"]" * 50_000 + b"]}",
                    "surrogate": raw.replace(b'"S1"', b'"\\udc00S1"', 1),
                    "nul": raw.replace(b'"S1"', b'"S\\u00001"', 1),
                    "memory": b'{"columns":["uuid"],"rows":[' + b",".join([b'["a"]'] * 100_000) + b"]}"}[how]
                assert raw != dict(members)["station.json"]
            out.append((n, raw))
        return out
    err = rejected(net, reseal(net, path, mutate_members=spoil))
    # Highly repetitive parts are refused even earlier, by the compression-ratio limit.
    assert err.code in ("malformed", "limit") and "\n" not in err.en
    with pytest.raises(ImportRejected) as direct:
        parse_columns("station", spoilt["raw"])
    assert direct.value.code == "malformed" and "station" in direct.value.en
