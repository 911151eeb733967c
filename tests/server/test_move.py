"""Moving a station file to the server: everything copied and verified, the file untouched, the
same statistics and audit verification on both sides, every account a PostgreSQL user."""
from __future__ import annotations

import hashlib
from datetime import date

import psycopg
import pytest

from app.errors import DatabaseError, ValidationError
from app.server.move import move_to_server
from app.server.setup import ServerAddress, login_to_server
from app.services.accounts import LoginFailed, key_file_for, login
from app.services.audit import chain_head, verify_chain
from app.services.stats import headline_stats
from app.startup import create_demo_database
from app.store import SqliteStore
from app.store.keyfile import DEMO_PASSWORD

AS_OF = date(2026, 11, 30)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "station.db"
    db, _summary = create_demo_database(path, seed=3, scale=0.08, as_of=AS_OF)
    db.close()
    return path


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_moving_a_demo_station_keeps_everything_and_touches_nothing(demo_file, scratch):
    files = [demo_file, key_file_for(demo_file)]
    before = {f.name: _sha(f) for f in files}
    listing = sorted(p.name for p in demo_file.parent.iterdir())
    result = move_to_server(demo_file, scratch.owner_url, "admin", DEMO_PASSWORD)
    assert {f.name: _sha(f) for f in files} == before  # the file and its key file are as they were
    assert sorted(p.name for p in demo_file.parent.iterdir() if not p.name.endswith(".lock")) == \
        [n for n in listing if not n.endswith(".lock")]
    by_table = {c.table: c.rows for c in result.tables}
    assert by_table["case_record"] > 50 and by_table["audit_log"] > 0 and by_table["account"] == 5

    address = ServerAddress(scratch.server_url, result.address.prefix)
    on_server = login_to_server(address, "admin", DEMO_PASSWORD)
    on_file = login(demo_file, "admin", DEMO_PASSWORD)
    try:
        assert headline_stats(on_server.db, AS_OF) == headline_stats(on_file.db, AS_OF)
        assert verify_chain(on_server.db) == [] and verify_chain(on_file.db) == []
        # The server's chain is the file's, continued by the move and the log-ins.
        seq, digest = result.audit_head
        with on_server.db.read() as s:
            assert s.connection().exec_driver_sql(f"SELECT hash FROM audit_log WHERE seq = {seq}").scalar() == digest
        assert chain_head(on_server.db)[0] > seq
    finally:
        on_server.db.close()
        on_file.db.close()
    # The other accounts: one-time passwords, to be changed at the first log-in.
    handed = {p.username: p.password for p in result.passwords}
    assert set(handed) == {"leader", "teamleader", "officer", "analyst"}
    officer = login_to_server(address, "officer", handed["officer"])
    try:
        assert officer.must_change_password and officer.actor.role == "officer"
    finally:
        officer.db.close()
    with scratch.superuser() as c:
        assert c.execute("SELECT count(*) FROM pg_authid WHERE rolname LIKE %s AND rolpassword LIKE 'SCRAM-SHA-256$%%'",
                         (result.address.prefix + ".%",)).fetchone()[0] == 5


def test_a_wrong_password_or_a_used_server_changes_nothing(demo_file, scratch):
    before = _sha(demo_file)
    with pytest.raises(LoginFailed):
        move_to_server(demo_file, scratch.owner_url, "admin", "wrong-password")
    move_to_server(demo_file, scratch.owner_url, "admin", DEMO_PASSWORD)
    with pytest.raises(ValidationError):  # a server that already holds a station is refused
        move_to_server(demo_file, scratch.owner_url, "admin", DEMO_PASSWORD)
    assert _sha(demo_file) == before


def test_a_broken_audit_chain_in_the_file_is_refused_and_undone(tmp_path, scratch):
    from app.domain.rules import Actor
    from app.services.accounts import add_account
    from app.services.org import init_station

    path = tmp_path / "plain.db"
    db = SqliteStore(path, create=True)
    init_station(db, "测试派出所")
    add_account(db, Actor(None, "system", "admin", account="system"), "admin", "Admin-pass-2026", "admin")
    with db.raw() as conn:  # someone edits the trail with the triggers dropped
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET action = 'edited' WHERE seq = 1")
    db.close()
    with pytest.raises(DatabaseError) as refused:
        move_to_server(path, scratch.owner_url, "admin", "Admin-pass-2026")
    assert "chain" in refused.value.en or "audit" in refused.value.en
    with psycopg.connect(scratch.owner_url) as c:  # nothing of it on the server
        assert c.execute("SELECT count(*) FROM station").fetchone()[0] == 0
