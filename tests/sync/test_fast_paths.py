"""The fast paths of export and import give what the plain ones give: SQLite's own JSON for the
append-only parts equals the rows read one by one, a bad reference is still refused, and a
large import into SQLite leaves every index and search trigger as the schema has them."""
from __future__ import annotations

import json

import pytest

from app.errors import ValidationError
from app.sync.export import part_json, read_snapshot
from app.sync.rows import SPECS
from tests.sync.helpers import Net, demo_station, station_snapshot


def test_sqlite_json_parts_equal_the_rows_read_in_python(tmp_path):
    db = demo_station(tmp_path / "s.db", seed=5, scale=0.05)
    parts: dict[str, bytes] = {}
    with db.read() as s:
        fast = read_snapshot(s, None, sink=parts.__setitem__)
    with db.read() as s:
        plain = read_snapshot(s, None)
    assert set(parts) == set(plain.parts) and fast.digests == plain.digests
    for kind, rows in plain.parts.items():
        obj = json.loads(parts[kind])
        assert obj["columns"] == SPECS[kind].names
        assert obj["rows"] == [list(r) for r in rows], kind
        assert fast.counts[kind] == len(rows)
    assert all(plain.parts[k] for k in ("case", "dispute", "person", "level_change", "action"))


#: Text that JSON writers escape differently if they differ at all: quotes, backslashes, every
#: control character, DEL, line and paragraph separators, characters outside the BMP.
AWKWARD = 'a"b\\c/' + "".join(map(chr, range(32))) + "\x7f\u2028\u2029 宅基地 😀 \ud7ff\ue000"


def _awkward(db) -> None:
    with db.raw() as conn:
        conn.execute("UPDATE case_record SET summary = ?, place = '' WHERE id = (SELECT min(id) FROM case_record)",
                      (AWKWARD,))
        conn.execute("UPDATE dispute SET parties = ? WHERE id = (SELECT max(id) FROM dispute)",
                      (AWKWARD[::-1],))
        conn.execute("UPDATE officer SET name = ? WHERE id = (SELECT min(id) FROM officer)", ("王" + AWKWARD[:8],))
        conn.execute("UPDATE action SET content = ? WHERE id = (SELECT max(id) FROM action)", (AWKWARD,))
        for n, active in enumerate((1, 0)):
            conn.execute("INSERT INTO mediation_body (uuid, station_id, name, kind, contact, active, version) "
                         "VALUES (?, (SELECT min(id) FROM station), ?, 'center', '', ?, 1)",
                         (f"{n + 1:032x}", f"调解中心{n}", active))


def fast_and_plain(db, base):
    """The snapshot by SQLite's JSON (the parts' bytes caught by the sink) and by the Python path:
    the same digests and counts, and every part the very bytes json.dumps makes of its rows."""
    parts: dict[str, bytes] = {}
    with db.read() as s:
        fast = read_snapshot(s, base, sink=parts.__setitem__)
    with db.read() as s:
        plain = read_snapshot(s, base)
    assert fast.digests == plain.digests and fast.counts == plain.counts
    for kind, rows in plain.parts.items():
        assert parts[kind] == part_json(kind, rows), kind  # the very bytes, not only equal JSON
    return fast, plain, parts


def test_sqlite_json_of_entities_equals_json_dumps_of_their_rows_with_awkward_text(tmp_path):
    db = demo_station(tmp_path / "s.db", seed=8, scale=0.05)
    _awkward(db)
    fast, plain, parts = fast_and_plain(db, None)
    assert fast.station == plain.station
    bodies = json.loads(parts["mediation_body"])["rows"]
    active = SPECS["mediation_body"].names.index("active")
    assert {r[active] for r in bodies} == {True, False}
    assert any(AWKWARD in r for r in json.loads(parts["case"])["rows"])


def test_a_delta_made_by_sqlite_carries_exactly_the_changed_entities(tmp_path):
    from app.sync.export import Base, pack_digests

    db = demo_station(tmp_path / "s.db", seed=9, scale=0.05)
    with db.read() as s:
        first = read_snapshot(s, None, sink=lambda k, b: None)
    _awkward(db)
    base = Base(1, None, 0, json.dumps(first.marks), pack_digests(first.digests))
    parts: dict[str, bytes] = {}
    with db.read() as s:
        fast = read_snapshot(s, base, sink=parts.__setitem__)
    with db.read() as s:
        plain = read_snapshot(s, base)
    assert fast.digests == plain.digests
    for kind, rows in plain.parts.items():
        assert parts[kind] == part_json(kind, rows), kind
    changed = {k: fast.counts[k] for k in ("case", "dispute", "officer", "mediation_body", "action")}
    assert changed == {"case": 1, "dispute": 1, "officer": 1, "mediation_body": 2, "action": 0}  # two new bodies
    assert fast.counts["team"] == 0 and fast.counts["level_change"] == 0


def test_an_entity_pointing_nowhere_is_refused(tmp_path):
    db = demo_station(tmp_path / "s.db", seed=12, scale=0.02)
    with db.engine.connect() as c:  # outside a transaction: the pragma is a no-op inside one
        conn = c.connection.dbapi_connection
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("UPDATE case_record SET team_id = 999999 WHERE id = (SELECT max(id) FROM case_record)")
        conn.execute("PRAGMA foreign_keys = ON")
    with db.read() as s, pytest.raises(ValidationError) as err:
        read_snapshot(s, None, sink=lambda k, b: None)
    assert "case" in err.value.en and "missing row" in err.value.en


def test_a_history_row_pointing_nowhere_is_refused(tmp_path):
    db = demo_station(tmp_path / "s.db", seed=6, scale=0.02)
    with db.raw() as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute("UPDATE action SET record_id = 999999 WHERE id = (SELECT min(id) FROM action)")
    with db.read() as s, pytest.raises(ValidationError) as err:
        read_snapshot(s, None, sink=lambda k, b: None)
    assert "action" in err.value.en and "missing row" in err.value.en


def _schema(db) -> list[tuple]:
    with db.raw(immediate=False) as conn:
        return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
                            "ORDER BY type, name").fetchall()


def test_large_import_rebuilds_indexes_and_search_triggers(tmp_path):
    from app.store import SqliteStore

    branch = SqliteStore(tmp_path / "branch.db", create=True)
    before = _schema(branch)
    net = Net(branch, tmp_path / "carry")
    st = net.join("s", demo_station(tmp_path / "s.db", seed=7, scale=1.0))
    res = net.send("s")
    assert res.status == "applied" and sum(res.counts.values()) > 2000
    assert _schema(branch) == before
    assert station_snapshot(branch, _station_uuid(st)) == station_snapshot(st)
    with branch.raw(immediate=False) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # The search index was rebuilt: every record's text is in it, and a record is found through it.
        n = conn.execute("SELECT count(*) FROM case_record_fts_docsize").fetchone()[0]
        assert n == conn.execute("SELECT count(*) FROM case_record").fetchone()[0] > 0
        rid, text = conn.execute("SELECT id, search_text FROM case_record WHERE length(search_text) >= 3 "
                                 "ORDER BY id LIMIT 1").fetchone()
        hits = [r[0] for r in conn.execute("SELECT rowid FROM case_record_fts WHERE case_record_fts MATCH ?",
                                           ('"' + text[:3].replace('"', '""') + '"',))]
        assert rid in hits


def _station_uuid(db) -> str:
    from app.services.org import station_info

    return station_info(db).uuid


def test_series_memberships_made_by_sqlite_equal_the_python_path_full_and_delta(tmp_path):
    """The mutable history (series memberships) goes through SQLite's JSON like the entities:
    the same part bytes and digests as the rows read in Python, in a full package and in a
    delta after a case was taken out of its series."""
    from app.services import series as S
    from app.sync.export import Base, pack_digests
    from tests.sync.test_roundtrip import leader
    from tests.sync.test_seed_roundtrip import seed_work

    db = demo_station(tmp_path / "s.db", seed=4, scale=0.02)
    ids = seed_work(db, tmp_path, "甲")
    who = leader(db)
    S.add_to_series(db, who, ids["series"], ids["cases"][2])

    first, plain, _parts = fast_and_plain(db, None)
    assert len(plain.parts["series_member"]) == 3 and any(k[0] == "series_member" for k in first.digests)
    base = Base(1, None, 0, json.dumps(first.marks), pack_digests(first.digests))
    S.remove_from_series(db, who, ids["series"], ids["cases"][0], "并非同一伙人")
    delta, plain, _parts = fast_and_plain(db, base)
    removed = SPECS["series_member"].names.index("removed_reason")
    assert [r[removed] for r in plain.parts["series_member"]] == ["并非同一伙人"]  # only the changed row
    assert delta.counts["series_member"] == 1


def test_pack_digests_round_trips_in_any_order():
    from app.sync.export import pack_digests, unpack_digests

    d = {("case", f"{i:032x}"): i.to_bytes(8, "big") for i in range(300, 0, -1)}
    d |= {("series_member", f"{i:032x}"): bytes(8) for i in range(3)}
    assert unpack_digests(pack_digests(d)) == d
    assert unpack_digests(pack_digests({})) == {}


def test_a_package_holds_zlib_streams_that_the_standard_library_reads(tmp_path):
    """Parts are compressed by ISA-L: each member is still one zlib stream (format 1), which a
    branch app of before (the standard library's zlib) reads; the content is the snapshot's JSON,
    the manifest's checksums and sizes hold, and the branch imports it."""
    import hashlib
    import zlib

    from app.store import SqliteStore
    from app.sync import keys as K, package as P

    branch = SqliteStore(tmp_path / "branch.db", create=True)
    net = Net(branch, tmp_path / "carry")
    st = net.join("s", demo_station(tmp_path / "s.db", seed=3, scale=0.05))
    path = net.export("s")
    inner = P.parse_inner(P.decrypt(path.read_bytes(), box=K.branch_keys(branch).box))
    with st.read() as s:
        plain = read_snapshot(s, None)
    entries = {e["name"]: e for e in inner.manifest["parts"]}
    for name, data in inner.members:
        raw = zlib.decompress(data)  # the standard library, as a branch of format 1 reads it
        entry = entries[name]
        assert (entry["size"], entry["raw_size"], entry["sha256"]) == (len(data), len(raw),
                                                                         hashlib.sha256(data).hexdigest())
        kind = name[:-5]
        if kind in plain.parts:
            assert raw == part_json(kind, plain.parts[kind]), kind
    assert net.deliver(path).status == "applied"
    assert station_snapshot(branch, _station_uuid(st)) == station_snapshot(st)


def test_a_part_that_does_not_decompress_to_its_content_stops_the_export(tmp_path, monkeypatch):
    """compress_part checks each part's round trip (the read-back no longer decompresses): a
    compressor that gave a wrong stream fails the export, which is marked failed and leaves no file."""
    from isal import isal_zlib

    from app.store import SqliteStore
    from app.sync import package as P
    from app.sync.export import list_exports

    raw = json.dumps({"rows": ["宅基地"] * 5000}, ensure_ascii=False).encode()
    good = P.compress_part(raw)
    assert P._decompresses_to(good, raw) and not P._decompresses_to(good, raw[:-1])
    assert not P._decompresses_to(good, raw + b" ") and not P._decompresses_to(good[:-4], raw)
    assert not P._decompresses_to(good + b"\0", raw) and not P._decompresses_to(good, raw.replace(b"[", b"("))

    branch = SqliteStore(tmp_path / "branch.db", create=True)
    net = Net(branch, tmp_path / "carry")
    net.join("s", demo_station(tmp_path / "s.db", seed=2, scale=0.02))
    real = isal_zlib.compress
    monkeypatch.setattr(isal_zlib, "compress", lambda data, level=1: real(data[:-1] + b"!", level))
    with pytest.raises(ValueError, match="does not decompress"):
        net.export("s")
    assert [r.state for r in list_exports(net.stations["s"])] == ["failed"]
    assert not list((tmp_path / "carry").glob("*.stpkg"))
