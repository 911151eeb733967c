"""The export's worker processes: the parts they make are the bytes one process makes, their zlib
streams read with the standard library, and every reader holds the one snapshot even when a
writer commits during the export."""
from __future__ import annotations

import random
import threading
import zlib

import pytest

from app.store import SqliteStore
from app.sync import export as E, export_sqlite as S, export_workers as W, keys as K, package as P
from app.sync.export import part_json, read_snapshot, unpack_digests
from tests.sync.helpers import ADMIN, AS_OF, Net, demo_station, station_snapshot


@pytest.fixture
def small_pieces(monkeypatch):
    """Pieces of a few dozen ids, so that a small station's parts come in several pieces."""
    monkeypatch.setattr(S, "PIECE_IDS", 37)
    monkeypatch.setattr(S, "PIECE_MIN_IDS", 1)


def _parts(branch, path) -> tuple[dict, dict[str, bytes]]:
    inner = P.parse_inner(P.decrypt(path.read_bytes(), box=K.branch_keys(branch).box))
    # The standard library's zlib, as a deployed branch (format 1) reads each member.
    return inner.manifest, {name[:-5]: zlib.decompress(data) for name, data in inner.members}


def test_parts_made_by_workers_are_the_bytes_one_process_makes(tmp_path, small_pieces):
    branch = SqliteStore(tmp_path / "branch.db", create=True)
    net = Net(branch, tmp_path / "carry")
    st = net.join("s", demo_station(tmp_path / "s.db", seed=11, scale=0.05))
    res = E.export_package(st, ADMIN, tmp_path / "w.stpkg", force=True, today=AS_OF, workers=2)
    manifest, parts = _parts(branch, res.path)
    with st.read() as s:
        plain = read_snapshot(s, None)
    with st.read() as s:
        made_by_workers = {t[0] for t in S.piece_tasks(s, 1)}
    assert {"case", "dispute", "level_change", "action"} <= made_by_workers
    for kind, rows in plain.parts.items():
        if kind != "audit":  # the export's own audit event came after this package's snapshot
            assert parts[kind] == part_json(kind, rows), kind
            assert res.counts[kind] == len(rows), kind
    with st.read() as s:
        logged = s.execute(E.LOG.select().where(E.LOG.c.seq == res.seq)).one()
    assert unpack_digests(logged.digests) == plain.digests
    assert {e["name"]: e["raw_size"] for e in manifest["parts"]} == {f"{k}.json": len(v) for k, v in parts.items()}
    out = net.deliver(res.path)
    assert out.status == "applied"
    from app.services.org import station_info

    assert station_snapshot(branch, station_info(st).uuid) == station_snapshot(st)


def test_a_write_during_the_export_is_not_in_the_package(tmp_path, small_pieces):
    """A writer that tries to commit after the parent took its snapshot and before the workers
    start waits for the lock: every part is of the state before the write, and the write is in
    the file afterwards. (Without the lock the write commits first and the workers' parts carry
    it: this test fails.)"""
    import sqlcipher3.dbapi2 as sqlite

    branch = SqliteStore(tmp_path / "branch.db", create=True)
    net = Net(branch, tmp_path / "carry")
    st = net.join("s", demo_station(tmp_path / "s.db", seed=13, scale=0.05))
    with st.raw(immediate=False) as c:
        actions_before = c.execute("SELECT count(*) FROM action").fetchone()[0]
        case_id, summary_before = c.execute("SELECT id, summary FROM case_record ORDER BY id DESC LIMIT 1").fetchone()
    committed = threading.Event()

    def write() -> None:
        c = sqlite.connect(str(st.path), isolation_level=None, timeout=30)
        c.execute("BEGIN IMMEDIATE")
        c.execute("INSERT INTO action (uuid, module, record_id, kind, acted_at, officer_id, content, outcome, "
                  "next_due, recorded_at) SELECT 'f' || substr(uuid, 2), module, record_id, kind, acted_at, "
                  "officer_id, '写在导出当中', outcome, next_due, recorded_at FROM action ORDER BY id DESC LIMIT 1")
        c.execute("UPDATE case_record SET summary = '导出当中改的' WHERE id = ?", (case_id,))
        c.execute("COMMIT")
        c.close()
        committed.set()

    writer = threading.Thread(target=write)

    def on_snapshot() -> None:
        writer.start()
        writer.join(1.5)  # without the lock the write commits well within this

    res = E.export_package(st, ADMIN, tmp_path / "w.stpkg", force=True, today=AS_OF, workers=2,
                           on_snapshot=on_snapshot)
    writer.join(30)
    assert committed.is_set()
    _manifest, parts = _parts(branch, res.path)
    assert "写在导出当中".encode() not in parts["action"] and "导出当中改的".encode() not in parts["case"]
    assert res.counts["action"] == actions_before
    assert summary_before.encode() in parts["case"]
    with st.raw(immediate=False) as c:
        assert c.execute("SELECT count(*) FROM action").fetchone()[0] == actions_before + 1


def test_small_or_encrypted_stations_and_deltas_are_read_by_one_process(tmp_path, monkeypatch):
    st = demo_station(tmp_path / "s.db", seed=3, scale=0.02)
    assert S.parallel_wanted(st, True, None) == 0  # far below PARALLEL_MIN_ROWS
    assert S.parallel_wanted(st, False, 2) == 0  # a delta
    assert S.parallel_wanted(st, True, 1) == 0
    assert S.parallel_wanted(st, True, 2) == 2
    monkeypatch.setattr(S, "PARALLEL_MIN_ROWS", 10)
    assert S.parallel_wanted(st, True, None) == S.EXPORT_WORKERS
    encrypted = SqliteStore(tmp_path / "enc.db", key="ab" * 32, create=True)
    assert S.parallel_wanted(encrypted, True, 2) == 0  # its key is not handed to other processes


def test_adler32_of_pieces_combines_as_zlib_computes_it():
    rnd = random.Random(5)
    data = bytes(rnd.getrandbits(8) for _ in range(200_000)) + b"\xff" * 70_000
    for _ in range(50):
        cut = rnd.randrange(len(data) + 1)
        a, b = data[:cut], data[cut:]
        assert W.adler32_combine(zlib.adler32(a), zlib.adler32(b), len(b)) == zlib.adler32(data)


def test_pieces_make_one_zlib_stream_and_a_wrong_piece_is_caught():
    rnd = random.Random(9)
    chunks = [("宅基地纠纷" * rnd.randrange(0, 5000)).encode() for _ in range(6)] + [b""]
    stream = W.zlib_stream([(W.deflate_piece(c, 1), len(c), zlib.adler32(c)) for c in chunks])
    assert zlib.decompress(stream) == b"".join(chunks)
    good = W.deflate_piece(chunks[0], 1)
    assert W._inflates_to(good, chunks[0]) and not W._inflates_to(good, chunks[0] + b"x")
    assert not W._inflates_to(good[:-6], chunks[0]) and not W._inflates_to(good, chunks[0][:-1])
    bad = W.zlib_stream([(good, len(chunks[0]), zlib.adler32(chunks[0]) ^ 1)])
    with pytest.raises(zlib.error):
        zlib.decompress(bad)
