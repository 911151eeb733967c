"""A branch office on PostgreSQL with accounts as database roles: the console's log-in is decided
by the branch's accounts and the policy table, and an analyst's own PostgreSQL user can do no
more in psql than in the program (import packages, through the branch's import service, and read;
never trust keys, manage accounts or edit the audit trail). A branch made before accounts existed is usable by its owner only."""
from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import func, select

from app import cli
from app.errors import PermissionDenied, ValidationError
from app.server.setup import create_branch_server, open_console
from app.services.accounts import LoginFailed, add_account
from app.services.audit import verify_chain
from app.store.postgres import PgStore
from app.sync import keys as K
from app.sync.export import export_package
from app.sync.importer import import_files
from models import Case
from tests.server.helpers import ADMIN_PASSWORD, PASSWORD, import_service
from tests.sync.helpers import ADMIN, demo_station


@pytest.fixture
def branch(scratch):
    """东湖分局 on the scratch database: its administrator and an analyst."""
    address, ident = _make_branch(scratch)
    admin = open_console(scratch.server_url, "admin", lambda: ADMIN_PASSWORD)
    try:
        add_account(admin.db, admin.actor, "analyst1", PASSWORD, "analyst", None, "研判员")
    finally:
        admin.db.close()
    return address, ident


def _make_branch(scratch):
    """branch-init's steps on the scratch database: the branch keys (unless it has them) and its accounts."""
    address = create_branch_server(scratch.owner_url, "admin", ADMIN_PASSWORD,
                                   make_branch=lambda db: K.init_branch(db, ADMIN, "东湖分局"))
    owner = PgStore(scratch.owner_url)
    try:
        return address, K.branch_keys(owner).identity
    finally:
        owner.close()


def _station_package(tmp_path, ident):
    station = demo_station(tmp_path / "s7.db", 7, scale=0.02)
    try:
        K.register_branch(station, ADMIN, ident)
        station_ident = K.station_identity(station)
        res = export_package(station, ADMIN, tmp_path / "out", full=True, force=True)
        with station.read() as s:
            cases = s.scalar(select(func.count()).select_from(Case))
    finally:
        station.close()
    return station_ident, res.path, cases


def test_an_analyst_imports_and_reads_but_is_no_administrator(branch, scratch, tmp_path, monkeypatch):
    address, ident = branch
    station_ident, package, cases = _station_package(tmp_path, ident)

    analyst = open_console(scratch.server_url, "analyst1", lambda: PASSWORD)
    admin = open_console(scratch.server_url, "admin", lambda: ADMIN_PASSWORD)
    try:
        assert analyst.actor.role == "analyst" and admin.actor.role == "admin"
        with pytest.raises(PermissionDenied):  # the program says no first
            K.trust_station(analyst.db, analyst.actor, station_ident)
        with pytest.raises(PermissionDenied):
            add_account(analyst.db, analyst.actor, "mole", PASSWORD, "admin")
        assert K.trust_station(admin.db, admin.actor, station_ident) == "added"
        # The analyst's one job: the package import, applied by the branch's import service.
        with import_service(scratch.owner_url):
            assert [r.status for r in import_files(analyst.db, analyst.actor, [package])] == ["applied"]
        with analyst.db.read() as s:
            assert s.scalar(select(func.count()).select_from(Case)) == cases
        assert verify_chain(admin.db) == []
    finally:
        analyst.db.close()
        admin.db.close()

    # The same analyst in psql, with their own password: the database refuses what the program does.
    with psycopg.connect(address.for_account("analyst1", PASSWORD), autocommit=True) as c:
        assert c.execute("SELECT count(*) FROM case_record").fetchone()[0] == cases
        for stmt in ("DELETE FROM trusted_station",
                     "UPDATE account SET role = 'admin' WHERE username = 'analyst1'",
                     "INSERT INTO trusted_station (uuid, code, name, sign_key, added_at) "
                     "SELECT 'f' || uuid, code, name, sign_key, added_at FROM trusted_station",
                     "UPDATE audit_log SET detail = '{}'",
                     "DELETE FROM audit_log",
                     "CREATE TABLE mine (id integer)"):
            with pytest.raises(psycopg.Error):
                c.execute(stmt)
        # Row-level security hides nothing it may read, and lets it change no trusted key.
        assert c.execute("UPDATE trusted_station SET name = 'x' RETURNING 1").fetchall() == []

    # The command line: the analyst's log-in is refused an administrator's command before anything.
    monkeypatch.setenv("STATION_PASSWORD", PASSWORD)
    assert cli.main(["trust-station", "--db", scratch.server_url, "--user", "analyst1", "--revoke",
                     station_ident.uuid]) != 0
    assert cli.main(["branch-status", "--db", scratch.server_url, "--user", "analyst1"]) == 0
    db = PgStore(scratch.owner_url)
    try:
        with db.read() as s:
            from models import TrustedStation

            assert s.scalar(select(func.count()).select_from(TrustedStation)
                            .where(TrustedStation.revoked_at.is_not(None))) == 0
    finally:
        db.close()


def test_the_owner_and_strangers_are_not_the_branchs_administrator(branch, scratch):
    with pytest.raises(ValidationError, match="log in with one"):  # accounts exist: the owner is no account
        open_console(scratch.owner_url, None, lambda: "")
    with pytest.raises(LoginFailed):  # (the test server trusts its passwords: test_tls checks SCRAM)
        open_console(scratch.server_url, "nobody", lambda: PASSWORD)
    prefix = branch[0].prefix  # psql's spelling of the account works the same
    done = open_console(scratch.url_as(f"{prefix}.analyst1", PASSWORD), None, lambda: "unused")
    try:
        assert done.actor.role == "analyst" and done.actor.account == "analyst1"
    finally:
        done.db.close()


def test_a_branch_without_accounts_is_its_owners_only_until_it_gets_them(scratch, tmp_path):
    db = PgStore(scratch.owner_url, create=True)  # a branch made before accounts as roles
    try:
        K.init_branch(db, ADMIN, "东湖分局")
        box = K.branch_keys(db).identity.box_key
    finally:
        db.close()
    owner = open_console(scratch.owner_url, None, lambda: "")
    owner.db.close()
    assert owner.actor.role == "admin"
    with scratch.superuser() as c:  # a read-only login someone was given on the database
        c.execute(f'CREATE ROLE "{scratch.name}_guest" LOGIN PASSWORD \'guest-pass\'')
        c.execute(f'GRANT CONNECT ON DATABASE "{scratch.name}" TO "{scratch.name}_guest"')
        c.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{scratch.name}_guest"')
    with pytest.raises(ValidationError, match="only its owner"):
        open_console(scratch.url_as(f"{scratch.name}_guest", "guest-pass"), None, lambda: "")
    with scratch.superuser() as c:
        c.execute(f'DROP OWNED BY "{scratch.name}_guest"')
        c.execute(f'DROP ROLE "{scratch.name}_guest"')

    # branch-init on it gives it accounts and keeps its keys.
    address, ident = _make_branch(scratch)
    assert ident.box_key == box
    with pytest.raises(ValidationError):  # the owner is no account any more
        open_console(scratch.owner_url, None, lambda: "")
    admin = open_console(scratch.server_url, "admin", lambda: ADMIN_PASSWORD)
    admin.db.close()
    assert admin.actor.role == "admin"


def test_the_window_asks_a_branch_account_and_names_the_server(branch, scratch, qtbot, monkeypatch):
    """`gui --db postgresql://HOST/DB`: the log-in dialog names the server; the analyst's window
    is the analyst's (no administrator menu actions decided by the URL's user)."""
    pytest.importorskip("PySide6")
    from ui import main as ui_main
    from ui.login_dialog import LoginDialog

    seen = {}

    def exec_(dialog):
        seen["where"] = dialog.findChild(type(dialog.error), "loginWhere").text()
        seen["user"] = dialog.username.text()
        dialog.username.setText("analyst1")
        dialog.password.setText(PASSWORD)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", exec_)
    db, actor, created = ui_main._open_postgresql_branch(scratch.server_url)
    try:
        assert seen["where"] == f"服务器：{branch[0].shown}" and seen["user"] == ""
        assert actor.role == "analyst" and actor.account == "analyst1" and not created
    finally:
        db.close()
    # The URL may name the account as psql does; the dialog then has it filled in.
    monkeypatch.setattr(LoginDialog, "exec", lambda d: (seen.update(user=d.username.text()), 0)[1])
    assert ui_main._open_postgresql_branch(scratch.url_as(f"{branch[0].prefix}.analyst1")) is None
    assert seen["user"] == "analyst1"
