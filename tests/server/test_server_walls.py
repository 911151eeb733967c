"""The station server end to end: set-up, accounts as PostgreSQL roles, an officer saving through
the program, and the same officer in psql (a plain connection with their password) held to what
the program allows by grants and row-level security."""
from __future__ import annotations

import psycopg
import pytest

from app.errors import PermissionDenied
from app.services.accounts import LoginFailed, disable_account
from app.services.audit import list_entries, verify_chain
from app.services.records import get_record
from app.services.workstation import update_record
from app.store.rights import classify, record_tables
from tests.server.helpers import PASSWORD, make_station, new_case


@pytest.fixture
def station(scratch):
    return make_station(scratch)


def psql(station, user: str) -> psycopg.Connection:
    """What `psql -U <prefix>.<user>` gets: a plain connection as the account's own role."""
    return psycopg.connect(station.address.for_account(user, station.accounts[user]), autocommit=True)


def test_every_table_has_a_rule():
    import models  # noqa: F401
    from models.base import Base

    rules = {r.table: r.kind for r in classify(Base.metadata)}
    assert set(rules) == set(Base.metadata.tables)
    assert set(record_tables(Base.metadata)) == {"case_record", "dispute", "person"}
    assert rules["audit_log"] == "audit" and rules["level_change"] == "history" and rules["account"] == "plain"


def test_accounts_are_scram_roles_in_their_groups(station, scratch):
    prefix = station.address.prefix
    with scratch.superuser() as c:
        rows = dict(c.execute("SELECT rolname, rolpassword FROM pg_authid WHERE rolname LIKE %s",
                              (prefix + ".%",)).fetchall())
        assert set(rows) == {f"{prefix}.{u}" for u in station.accounts}
        assert all(v.startswith("SCRAM-SHA-256$") for v in rows.values())
        groups = dict(c.execute(
            "SELECT m.rolname, g.rolname FROM pg_auth_members a JOIN pg_roles m ON m.oid = a.member "
            "JOIN pg_roles g ON g.oid = a.roleid WHERE m.rolname LIKE %s", (prefix + ".%",)).fetchall())
        assert groups[f"{prefix}.off1"] == f"{prefix}:officer"
        assert groups[f"{prefix}.tl2"] == f"{prefix}:team_leader"
        assert groups[f"{prefix}.admin"] == f"{prefix}:admin"
        flags = c.execute("SELECT bool_or(rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls) FROM pg_roles "
                          "WHERE rolname LIKE %s OR rolname LIKE %s", (prefix + ".%", prefix + ":%")).fetchone()[0]
        assert flags is False


def test_officer_saves_own_team_record_and_not_another(station):
    off1 = station.login("off1")
    off2 = station.login("off2")
    try:
        mine = new_case(off1.db, off1.actor, "A-001", station.officers["off1"], station.teams["一队"])
        theirs = new_case(off2.db, off2.actor, "B-001", station.officers["off2"], station.teams["二队"])
        update_record(off1.db, off1.actor, "case", mine, {"summary": "一队更新"})
        assert get_record(off2.db, "case", mine).fields["summary"] == "一队更新"  # everyone reads
        with pytest.raises(PermissionDenied):  # the program says no first
            update_record(off1.db, off1.actor, "case", theirs, {"summary": "越权"})
    finally:
        off1.db.close()
        off2.db.close()


def test_psql_as_an_officer_can_do_no_more_than_the_program(station):
    off2 = station.login("off2")
    off1 = station.login("off1")
    try:
        theirs = new_case(off2.db, off2.actor, "B-001", station.officers["off2"], station.teams["二队"])
        mine = new_case(off1.db, off1.actor, "A-001", station.officers["off1"], station.teams["一队"])
    finally:
        off1.db.close()
        off2.db.close()
    prefix = station.address.prefix
    with psql(station, "off1") as c:
        # Another team's record: invisible to UPDATE (row-level security), so nothing changes.
        assert c.execute("UPDATE case_record SET summary = 'x' WHERE id = %s", (theirs,)).rowcount == 0
        assert c.execute("SELECT summary FROM case_record WHERE id = %s", (theirs,)).fetchone()[0] == "B-001 摘要"
        # Their own record: rights as in the program, but not without the audit trail (below).
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="audit trail"):
            c.execute("UPDATE case_record SET cause = '抢劫' WHERE id = %s", (mine,))
        # A new record for another team: refused.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("INSERT INTO case_record (uuid, level, status, summary, search_text, created_at, updated_at, "
                      "level_changed_at, last_activity_on, version, station_id, team_id, case_no, kind, category, "
                      "cause, place, accepted_on) VALUES (md5('x'), 'red', 'active', '', '', now(), now(), now(), "
                      "current_date, 1, 1, %s, 'X-1', 'criminal', '', '', '', current_date)",
                      (station.teams["二队"],))
        # History of another team's record: refused.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("INSERT INTO level_change (uuid, module, record_id, to_level, changed_at, reason, outcome) "
                      "VALUES (md5('y'), 'case', %s, 'green', now(), 'x', 'x')", (theirs,))
        # The audit trail: no update, no delete, no forged row.
        for stmt in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                c.execute(stmt)
        head = c.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("INSERT INTO audit_log (seq, at, account, role, action, module, record_uuid, detail, "
                      "prev_hash, hash) VALUES (%s, now(), 'admin', 'admin', 'login', '', '', '{}', %s, md5('z'))",
                      (head[0] + 1, head[1]))
        with pytest.raises(psycopg.errors.CheckViolation):  # one chain: a row must continue the head
            c.execute("INSERT INTO audit_log (seq, at, account, role, action, module, record_uuid, detail, "
                      "prev_hash, hash) VALUES (%s, now(), 'off1', 'officer', 'login', '', '', '{}', %s, md5('z'))",
                      (head[0] + 5, head[1]))
        # Only the head of the trail is readable (to continue it): reading it is for view_audit.
        assert c.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 1
        # Accounts: only their own row, and not their role.
        assert c.execute("SELECT username FROM account").fetchall() == [("off1",)]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("UPDATE account SET role = 'admin' WHERE username = 'off1'")
        # Their own password's hash they may write (changing their password); no one else's.
        assert c.execute("UPDATE account SET password_hash = 'x' WHERE username <> 'off1' RETURNING 1").fetchall() == []
        # Roles: no way into another group, no new powers, no one else's password.
        for stmt in (f'GRANT "{prefix}:admin" TO "{prefix}.off1"', f'ALTER ROLE "{prefix}.off1" CREATEROLE',
                     f'ALTER ROLE "{prefix}.off2" PASSWORD \'Stolen-pass-1\'', f'SET ROLE "{prefix}:leader"'):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                c.execute(stmt)
        verifier = c.pgconn.encrypt_password(b"Stolen-pass-1", f"{prefix}.off2".encode(), b"scram-sha-256").decode()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("SELECT station_set_password('off2', %s)", (verifier,))
        # Settings outside their reach (the follow-up cadence is the administrator's and leaders').
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("INSERT INTO setting (key, value) VALUES ('cadence.red', '1')")
        # No new tables, no functions in the schema.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("CREATE TABLE mine (x int)")
    with psql(station, "leader") as c:  # the station leader may change any team's record: not unaudited
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="audit trail"):
            c.execute("UPDATE case_record SET cause = '诈骗' WHERE id = %s", (theirs,))
    admin = station.login("admin")
    try:
        assert verify_chain(admin.db) == []
    finally:
        admin.db.close()


def _audit_head(scratch) -> int:
    with scratch.superuser() as c:
        return c.execute("SELECT coalesce(max(seq), 0) FROM audit_log").fetchone()[0]


def test_psql_cannot_commit_a_change_without_the_audit_trail(station, scratch):
    off1 = station.login("off1")
    try:
        mine = new_case(off1.db, off1.actor, "A-001", station.officers["off1"], station.teams["一队"])
    finally:
        off1.db.close()
    before = _audit_head(scratch)
    with psycopg.connect(station.address.for_account("off1", station.accounts["off1"])) as c:
        # A record of their own team: the UPDATE passes row-level security, the COMMIT does not.
        assert c.execute("UPDATE case_record SET summary = 'psql' WHERE id = %s", (mine,)).rowcount == 1
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="audit trail"):
            c.commit()
        # History of that record: the same.
        c.execute("INSERT INTO level_change (uuid, module, record_id, to_level, changed_at, reason, outcome) "
                  "VALUES (md5('h'), 'case', %s, 'green', now(), 'x', 'x')", (mine,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="audit trail"):
            c.commit()
        # Committing immediately (SET CONSTRAINTS) only moves the refusal to the statement.
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="audit trail"):
            c.execute("UPDATE case_record SET summary = 'psql' WHERE id = %s", (mine,))
        c.rollback()
        assert c.execute("SELECT summary FROM case_record WHERE id = %s", (mine,)).fetchone()[0] == "A-001 摘要"
        assert c.execute("SELECT count(*) FROM level_change WHERE record_id = %s AND reason = 'x'",
                         (mine,)).fetchone()[0] == 0
        c.rollback()
    assert _audit_head(scratch) == before
    # The program's own save of the same record: written and audited.
    off1 = station.login("off1")
    try:
        update_record(off1.db, off1.actor, "case", mine, {"summary": "程序更新"})
        assert get_record(off1.db, "case", mine).fields["summary"] == "程序更新"
    finally:
        off1.db.close()
    admin = station.login("admin")
    try:
        saved = list_entries(admin.db, account="off1", module="case", limit=1)[0]
        assert saved.seq > before and saved.detail["summary"] == ["A-001 摘要", "程序更新"]
        assert verify_chain(admin.db) == []
    finally:
        admin.db.close()
    # What the wall asks is a row of the trail in the same transaction (here in a savepoint, as
    # the ledger import writes them): the change then stands, and the trail shows who made it
    # (a hand-made row does not match its hash).
    with psycopg.connect(station.address.for_account("off1", station.accounts["off1"])) as c:
        seq, prev = c.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        c.execute("SAVEPOINT audited")
        c.execute("INSERT INTO audit_log (seq, at, account, role, action, module, record_uuid, detail, "
                  "prev_hash, hash) VALUES (%s, now(), 'off1', 'officer', 'edit', 'case', '', '{}', %s, "
                  "md5('psql'))", (seq + 1, prev))
        c.execute("RELEASE SAVEPOINT audited")
        c.execute("UPDATE case_record SET summary = 'A-001 摘要' WHERE id = %s", (mine,))
        c.commit()
    admin = station.login("admin")
    try:
        assert [p for p in verify_chain(admin.db) if "edited" in p] == [
            f"audit row {seq + 1}: content does not match its hash (edited)"]
    finally:
        admin.db.close()


def test_a_disabled_account_cannot_log_in_to_the_server(station):
    admin = station.login("admin")
    try:
        disable_account(admin.db, admin.actor, "off2")
    finally:
        admin.db.close()
    with pytest.raises(LoginFailed):
        station.login("off2")
    with pytest.raises(psycopg.OperationalError):
        psql(station, "off2")
    assert PASSWORD  # the same password still in hand: the role itself no longer logs in


def test_init_on_a_server_and_the_commands(scratch, tmp_path, monkeypatch, capsys):
    from app import cli
    from app.server.setup import ServerAddress, login_to_server

    monkeypatch.setenv("STATION_PASSWORD", "Admin-pass-2026")
    assert cli.main(["init", "--db", scratch.owner_url, "--station", "东关派出所"]) == 0
    out = capsys.readouterr().out
    assert f"{scratch.name}.admin" in out
    logged = login_to_server(ServerAddress(scratch.server_url, scratch.name), "admin", "Admin-pass-2026")
    logged.db.close()
    assert cli.main(["init", "--db", scratch.owner_url]) == 2  # a server that holds a station: refused
    assert "已有派出所" in capsys.readouterr().err
    assert cli.main(["server-cert", "--dir", str(tmp_path), "127.0.0.1"]) == 0
    assert "SHA-256" in capsys.readouterr().out and (tmp_path / "server.key").exists()
    assert cli.main(["server-backup", "--server", scratch.owner_url, "--dir", str(tmp_path / "b")]) == 0
    assert len(list((tmp_path / "b").glob("*.dump"))) == 1
