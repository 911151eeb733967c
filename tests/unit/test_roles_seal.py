"""Audit item 6: every account's password unwraps the database key, so an officer can open the file
and write 'leader' into their own account. The accounts table is sealed (Ed25519) with a roles key
that only the administrator's and station leaders' entries wrap: the log-in refuses a role the
seal does not confirm, and `check` reports a broken seal."""
from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app import cli
from app.domain.rules import Actor
from app.errors import PermissionDenied
from app.services import accounts
from app.services.accounts import LoginFailed, add_account, change_password, key_file_for, login, verify_roles
from app.store import SqliteStore, Store
from tests.unit.test_authorization import PASSWORD, cheap_kdf, protected_station  # noqa: F401 - fixture


@pytest.fixture
def station(tmp_path, cheap_kdf):  # noqa: F811
    path = tmp_path / "station.db"
    protected_station(path).close()
    yield path
    accounts._failures_here.clear()


def open_as_key_holder(path, username: str) -> Store:
    """What an account holder can do outside the app: unwrap the key with their password and
    open the file with it."""
    keys = json.loads(key_file_for(path).read_text(encoding="utf-8"))
    return SqliteStore(path, key=accounts._unwrap(keys["accounts"][username], PASSWORD))


def test_every_account_logs_in_on_a_sealed_database_and_check_is_clean(station, capsys):
    for role in ("admin", "leader", "team_leader", "officer", "analyst"):
        logged = login(station, role, PASSWORD)
        assert verify_roles(logged.db) == [] and logged.actor.role == role
        logged.db.close()
    assert cli.main(["check", "--db", str(station), "--user", "admin"]) == cli.EXIT_OK
    assert "roles seal): ok" in capsys.readouterr().out


def test_an_officer_who_writes_leader_into_their_account_is_refused(station, capsys):
    db = open_as_key_holder(station, "officer")
    with db.raw() as conn:
        conn.execute("UPDATE account SET role = 'leader' WHERE username = 'officer'")
    db.close()
    with pytest.raises(LoginFailed, match="roles seal"):
        login(station, "officer", PASSWORD)
    with pytest.raises(LoginFailed, match="roles seal"):  # the others too, until it is looked at
        login(station, "team_leader", PASSWORD)
    admin = login(station, "admin", PASSWORD)  # the administrator gets in, and is told
    try:
        assert any("changed outside the app" in p for p in admin.db.roles_problems)
    finally:
        admin.db.close()
    assert cli.main(["check", "--db", str(station), "--user", "admin"]) == cli.EXIT_PROBLEMS
    assert "changed outside the app" in capsys.readouterr().out


def test_an_officer_who_also_forges_a_new_seal_is_found_at_the_next_leader_or_admin_log_in(station, capsys):
    """The limit, stated in docs/security.md: the key holder can make a seal of their own; the
    genuine holders of the roles key then find that their key is no longer the seal's."""
    forged = Ed25519PrivateKey.generate()
    db = open_as_key_holder(station, "officer")
    with db.raw() as conn:
        conn.execute("UPDATE account SET role = 'leader' WHERE username = 'officer'")
    db.roles_key = forged
    kf = key_file_for(station)
    keys = json.loads(kf.read_text(encoding="utf-8"))
    with db.write(Actor(None, "officer", "officer", account="officer")) as session:
        accounts.seal_roles(db, session, keys)
    keys["accounts"]["officer"] = accounts._wrap(db.key, PASSWORD, forged)
    kf.write_text(json.dumps(keys), encoding="utf-8")
    db.close()
    login(station, "officer", PASSWORD).db.close()  # the forgery holds on its own...
    with pytest.raises(LoginFailed, match="roles seal"):  # ...until a real leader logs in
        login(station, "leader", PASSWORD)
    admin = login(station, "admin", PASSWORD)
    try:
        assert any("holds no key of the seal" in p for p in admin.db.roles_problems)
    finally:
        admin.db.close()


def test_only_sealing_sessions_change_accounts_and_the_seal_follows(station):
    admin = login(station, "admin", PASSWORD)
    try:
        add_account(admin.db, admin.actor, "leader2", PASSWORD, "leader")
        assert verify_roles(admin.db) == []
    finally:
        admin.db.close()
    login(station, "leader2", PASSWORD).db.close()  # the new leader unwraps the roles key
    officer = login(station, "officer", PASSWORD)
    try:
        officer.db.roles_key = None
        with pytest.raises(PermissionDenied):  # an officer's session holds no roles key
            accounts.seal_roles(officer.db, None, {})
        change_password(officer.db, officer.actor, "officer", PASSWORD, "new-pass-12")
    finally:
        officer.db.close()
    login(station, "officer", "new-pass-12").db.close()


def test_a_database_from_before_the_seal_is_sealed_at_the_administrators_first_log_in(station):
    kf = key_file_for(station)
    keys = json.loads(kf.read_text(encoding="utf-8"))
    del keys["roles"]
    for e in keys["accounts"].values():
        e.pop("roles_key", None)
    kf.write_text(json.dumps(keys), encoding="utf-8")
    db = open_as_key_holder(station, "admin")
    with db.raw() as conn:
        conn.execute("DELETE FROM setting WHERE key = 'roles.public'")
    assert "not sealed yet" in verify_roles(db)[0]
    db.close()
    login(station, "officer", PASSWORD).db.close()  # before: as it always was
    admin = login(station, "admin", PASSWORD)
    try:
        assert verify_roles(admin.db) == [] and admin.db.roles_key is not None
    finally:
        admin.db.close()
    assert base64.b64decode(json.loads(kf.read_text(encoding="utf-8"))["roles"]["signature"])
