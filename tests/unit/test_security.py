"""Accounts, roles, the audit trail and encryption at rest (TRUST_TESTS.md sections E)."""
import hashlib
import json
import sqlite3
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import text

from app.domain.permissions import POLICY, ROLES, allowed
from app.domain.rules import Actor
from app.errors import DatabaseError, PermissionDenied, ValidationError
from app.services import accounts as A, audit, org, records as R
from app.services.backup import make_backup
from app.store import SqliteStore

TODAY = date.today()
SENTINEL_NAME = "哨兵甲乙丙"


def valid_id(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- E5: the role matrix through the service layer ------------------------------------------
def test_policy_matrix_is_deny_by_default():
    for action, roles in POLICY.items():
        for role in ROLES:
            assert allowed(role, action) == (role in roles)
    assert not allowed("officer", "no_such_action")
    assert not allowed(None, "read_records")


@pytest.mark.parametrize("role", ["admin", "analyst", "officer", "team_leader", "leader"])
def test_each_role_against_each_record_service(db, station, role):
    """Every protected record service, called as each role, is allowed exactly when the policy
    says so; a refusal says why and changes nothing."""
    mine = R.create_case(db, station.officer, R.CaseInput(
        "A1", "criminal", "red", TODAY, people=R.Responsibility(officer_id=station.officer.officer_id)))
    other_team = R.create_case(db, station.other_officer, R.CaseInput(
        "A2", "criminal", "yellow", TODAY, people=R.Responsibility(officer_id=station.other_officer.officer_id)))
    base = {"officer": station.officer, "team_leader": station.team_leader, "leader": station.leader}
    actor = base.get(role) or Actor(None, role, role, account=role)
    calls = {
        ("change_level", mine): lambda: R.change_level(db, actor, "case", mine, "orange", "线索中断"),
        ("change_level", other_team): lambda: R.change_level(db, actor, "case", other_team, "orange", "x"),
        ("log_action", mine): lambda: R.log_action(db, actor, "case", mine, "investigation", "调取监控"),
        ("void_record", other_team): lambda: R.void_record(db, actor, "case", other_team, "重复"),
    }
    for (action, rid), call in calls.items():
        police = role in ("officer", "team_leader", "leader")
        in_scope = role == "leader" or rid == mine  # officer and team leader are in team 1
        expected = allowed(role, action) and (in_scope if police else True)
        before = R.get_record(db, "case", rid)
        if expected:
            call()
        else:
            with pytest.raises(PermissionDenied) as err:
                call()
            assert err.value.zh and err.value.en
            assert R.get_record(db, "case", rid) == before


def test_closing_red_and_delisting_are_leader_only_even_for_admin(db, station):
    cid = R.create_case(db, station.officer, R.CaseInput(
        "A1", "criminal", "red", TODAY, people=R.Responsibility(officer_id=station.officer.officer_id)))
    admin = Actor(None, "admin", "admin", account="admin")
    for who in (admin, station.team_leader, station.officer):
        with pytest.raises(PermissionDenied):
            R.change_level(db, who, "case", cid, "green", "破案", "已移送起诉")
    R.change_level(db, station.leader, "case", cid, "green", "破案", "已移送起诉")


def test_account_management_is_admin_only(db, station):
    with pytest.raises(PermissionDenied):
        A.add_account(db, station.leader, "zhangwei", "password123", "officer", station.officer.officer_id)
    admin = Actor(None, "admin", "admin", account="admin")
    A.add_account(db, admin, "zhangwei", "password123", "officer", station.officer.officer_id)
    with pytest.raises(ValidationError):
        A.add_account(db, admin, "zhangwei", "password123", "officer")
    with pytest.raises(ValidationError):
        A.add_account(db, admin, "short", "1234", "officer")


# -- E7: the audit trail ------------------------------------------------------------------
def test_every_change_is_audited_with_before_and_after(db, station):
    cid = R.create_case(db, station.officer, R.CaseInput(
        "A1", "criminal", "red", TODAY, people=R.Responsibility(officer_id=station.officer.officer_id)))
    R.change_level(db, station.officer, "case", cid, "orange", "线索中断")
    entries = audit.list_entries(db)
    edit = next(e for e in entries if e.action == "change_level:edit" and e.module == "case")
    assert edit.detail["level"] == ["red", "orange"]
    assert edit.account == "张伟" and edit.role == "officer"
    created = [e for e in entries if e.action == "create_case:create" and e.module == "case"]
    assert created and created[0].detail["case_no"] == [None, "A1"]
    assert audit.verify_chain(db) == []


def _tamper(db, sql: str) -> None:
    with db.engine.connect() as conn:
        dbapi = conn.connection.dbapi_connection
        dbapi.execute("BEGIN IMMEDIATE")
        dbapi.execute("DROP TRIGGER audit_log_no_update")
        dbapi.execute("DROP TRIGGER audit_log_no_delete")
        for stmt in sql.split(";"):
            if stmt.strip():
                dbapi.execute(stmt)
        dbapi.execute("COMMIT")


@pytest.mark.parametrize("sql,words", [
    ("UPDATE audit_log SET detail='{}' WHERE seq=3", "edited"),
    ("DELETE FROM audit_log WHERE seq=3", "missing"),
    ("UPDATE audit_log SET seq=1000 WHERE seq=2; UPDATE audit_log SET seq=2 WHERE seq=3; "
     "UPDATE audit_log SET seq=3 WHERE seq=1000", "chain"),
    ("INSERT INTO audit_log(seq,at,account,officer_id,role,action,module,record_uuid,detail,prev_hash,hash) "
     "SELECT 1000,at,account,officer_id,role,action,module,record_uuid,detail,prev_hash,"
     "(CASE WHEN substr(hash,1,1)='f' THEN 'e' ELSE 'f' END)||substr(hash,2) "  # always a different hash
     "FROM audit_log WHERE seq=2", "edited"),
])
def test_the_hash_chain_catches_edits_deletions_reordering_and_insertions(db, station, sql, words):
    for i in range(3):
        R.create_case(db, station.officer, R.CaseInput(
            f"A{i}", "criminal", "red", TODAY, people=R.Responsibility(officer_id=station.officer.officer_id)))
    assert audit.verify_chain(db) == []
    _tamper(db, sql)
    problems = audit.verify_chain(db)
    assert problems and any(words in p for p in problems), problems


def test_the_audit_trail_refuses_update_and_delete(db, station):
    R.create_case(db, station.officer, R.CaseInput(
        "A1", "criminal", "red", TODAY, people=R.Responsibility(officer_id=station.officer.officer_id)))
    with pytest.raises(Exception) as err:
        with db.write() as s:
            s.execute(text("DELETE FROM audit_log"))
    assert "append-only" in str(err.value)
    assert audit.verify_chain(db) == []


# -- accounts and encryption at rest ---------------------------------------------------------
def test_protected_database_hides_personal_data_and_unlocks_per_account(tmp_path):
    path = tmp_path / "station.db"
    db = A.create_protected_database(path, "admin-pass-1")
    admin = Actor(None, "admin", "admin", account="admin")
    org.init_station(db, "城关派出所")
    team = org.add_team(db, "一队")
    org.add_officer(db, "王建国", "leader")
    org.add_officer(db, "李强", "team_leader", team)
    oid = org.add_officer(db, "张伟", "officer", team)
    A.add_account(db, admin, "zhangwei", "officer-pass-1", "officer", oid)
    officer = org.actor_for(db, oid)
    ident = valid_id("11010519800101123")
    R.create_person(db, officer, R.PersonInput(SENTINEL_NAME, "yellow", TODAY, id_number=ident,
                                               address="哨兵路九十九号",
                                               people=R.Responsibility(officer_id=oid)))
    make_backup(db, "manual")
    db.close()
    # E1: no sentinel in the database, its WAL, the key file or the backup
    files = [f for f in tmp_path.rglob("*") if f.is_file()]
    assert any(f.parent.name == "backups" and f.suffix == ".db" for f in files)
    for f in files:
        blob = f.read_bytes()
        for sentinel in (SENTINEL_NAME, ident, "哨兵路"):
            assert sentinel.encode("utf-8") not in blob, (f.name, sentinel)
    assert not path.read_bytes().startswith(b"SQLite format 3")
    # the stdlib sqlite3 sees no tables in it
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchone()
    # each account's own password unlocks it
    session = A.login(path, "zhangwei", "officer-pass-1")
    assert session.actor.role == "officer" and session.actor.officer_id == oid
    with session.db.read() as s:
        assert s.execute(text("SELECT name FROM person")).scalar() == SENTINEL_NAME
    session.db.close()


def test_wrong_password_leaves_the_file_byte_identical_and_locks_out(tmp_path):
    path = tmp_path / "station.db"
    A.create_protected_database(path, "admin-pass-1").close()
    before = sha(path)
    clock = datetime(2026, 1, 5, 9, 0)
    for _ in range(A.MAX_FAILURES):
        with pytest.raises(A.LoginFailed) as err:
            A.login(path, "admin", "wrong-password", now=clock)
        assert err.value.zh == "用户名或密码错误"
    assert sha(path) == before
    with pytest.raises(A.LoginFailed) as err:  # even the right password, while locked
        A.login(path, "admin", "admin-pass-1", now=clock + timedelta(minutes=1))
    assert "锁定" in err.value.zh
    ok = A.login(path, "admin", "admin-pass-1", now=clock + A.LOCKOUT + timedelta(seconds=1))
    ok.db.close()
    with pytest.raises(A.LoginFailed):
        A.login(path, "nobody", "whatever-pass")


def test_opening_an_encrypted_database_without_or_with_a_wrong_key_is_refused(tmp_path):
    path = tmp_path / "station.db"
    A.create_protected_database(path, "admin-pass-1").close()
    before = sha(path)
    with pytest.raises(DatabaseError):
        SqliteStore(path)
    with pytest.raises(DatabaseError):
        SqliteStore(path, key="00" * 32)
    assert sha(path) == before


def test_password_change_rewraps_the_key(tmp_path):
    path = tmp_path / "station.db"
    A.create_protected_database(path, "admin-pass-1").close()
    s = A.login(path, "admin", "admin-pass-1")
    A.change_password(s.db, s.actor, "admin", "admin-pass-1", "admin-pass-2")
    s.db.close()
    with pytest.raises(A.LoginFailed):
        A.login(path, "admin", "admin-pass-1")
    A.login(path, "admin", "admin-pass-2").db.close()
    keys = json.loads(A.key_file_for(path).read_text())
    assert keys["accounts"]["admin"]["t"] >= 3 and keys["accounts"]["admin"]["m"] >= 64 * 1024


def test_login_is_audited(tmp_path):
    path = tmp_path / "station.db"
    A.create_protected_database(path, "admin-pass-1").close()
    s = A.login(path, "admin", "admin-pass-1")
    assert any(e.action == "login" and e.account == "admin" for e in audit.list_entries(s.db))
    assert audit.verify_chain(s.db) == []
    s.db.close()
