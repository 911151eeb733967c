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


def test_sqlite_json_of_entities_equals_json_dumps_of_their_rows_with_awkward_text(tmp_path):
    db = demo_station(tmp_path / "s.db", seed=8, scale=0.05)
    _awkward(db)
    parts: dict[str, bytes] = {}
    with db.read() as s:
        fast = read_snapshot(s, None, sink=parts.__setitem__)
    with db.read() as s:
        plain = read_snapshot(s, None)
    assert fast.digests == plain.digests and fast.station == plain.station
    for kind, rows in plain.parts.items():
        assert parts[kind] == part_json(kind, rows), kind  # the very bytes, not only equal JSON
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
