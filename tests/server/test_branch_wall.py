"""A PostgreSQL branch: an analyst who logs in with psql (the same password the program uses) can
write no record, account, setting, trusted key or audit row; the program's import still applies,
because the branch's import service (its owner) writes what a verified package brings."""
from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import ProgrammingError

from app.errors import ValidationError
from app.server.setup import open_console
from app.services.accounts import add_account
from app.services.audit import verify_chain
from app.store import SqliteStore
from app.store.postgres import PgStore
from app.sync import keys as K
from app.sync.importer import import_files
from app.sync.receipt import apply_receipt, parse_receipt, reissue_receipt
from app.sync.requests import ServiceNotRunning, request_import, service_running_sql
from models import AuditEntry, Case, ImportLedger
from tests.server.helpers import ADMIN_PASSWORD, PASSWORD, import_service
from tests.server.test_branch_accounts import _make_branch, _station_package
from tests.sync.helpers import ADMIN, dump_all

#: What the analyst tries in psql, each refused with an error by the database.
REFUSED = (
    # records, their history, the organisation and the summary the packages bring
    "UPDATE case_record SET summary = 'x'",
    "DELETE FROM case_record",
    "INSERT INTO case_record SELECT * FROM case_record LIMIT 1",
    "UPDATE dispute SET level = 'green'",
    "DELETE FROM person",
    "UPDATE level_change SET reason = 'x'",
    "INSERT INTO action SELECT * FROM action LIMIT 1",
    "UPDATE station SET name = 'x'",
    "UPDATE officer SET name = 'x'",
    "DELETE FROM daily_counts",
    "UPDATE sync_record SET version = version + 1",
    "DELETE FROM import_ledger",
    "UPDATE station_audit SET hash = 'x'",
    "SELECT setval(pg_get_serial_sequence('case_record', 'id'), 1)",
    # accounts
    "UPDATE account SET role = 'admin' WHERE username = 'analyst1'",
    "INSERT INTO account SELECT * FROM account LIMIT 1",
    "DELETE FROM account",
    # settings, the briefing's "last shown" marks included (the station's police move them)
    "INSERT INTO setting (key, value) VALUES ('idle_minutes', '0')",
    "INSERT INTO setting (key, value) VALUES ('briefing.last_shown_at', '2026-03-09 08:30:00')",
    # the audit trail: no edit, no delete, no row that forks the chain or names someone else
    "UPDATE audit_log SET detail = '{}'",
    "DELETE FROM audit_log",
    "INSERT INTO audit_log (seq, at, account, role, action, module, record_uuid, detail, prev_hash, hash) "
    "SELECT seq + 1, at, 'admin', 'admin', 'import', '', '', '{}', hash, hash FROM audit_log "
    "ORDER BY seq DESC LIMIT 1",
    # trust
    "INSERT INTO trusted_station (uuid, code, name, sign_key, added_at) "
    "SELECT left('f' || uuid, 32), code, name, sign_key, added_at FROM trusted_station",
    "DELETE FROM trusted_station",
    # an import request answered already, or another account's
    "INSERT INTO import_request (account, data, status, result) VALUES ('analyst1', '', 'done', '{}')",
    "INSERT INTO import_request (account, data) VALUES ('admin', '')",
    "UPDATE import_request SET status = 'done'",
)
#: Refused by row-level security without an error: no row is theirs to change.
NO_ROWS = (
    "UPDATE trusted_station SET name = 'x' RETURNING 1",
    "UPDATE setting SET value = 'x' WHERE key = 'server.role_prefix' RETURNING 1",
    "DELETE FROM setting WHERE key = 'server.role_prefix' RETURNING 1",
)


@pytest.fixture
def branch(scratch, tmp_path):
    """东湖分局 on the scratch database, an analyst, one trusted station and its package."""
    address, ident = _make_branch(scratch)
    station_ident, package, cases = _station_package(tmp_path, ident)
    admin = open_console(scratch.server_url, "admin", lambda: ADMIN_PASSWORD)
    try:
        add_account(admin.db, admin.actor, "analyst1", PASSWORD, "analyst", None, "研判员")
        K.trust_station(admin.db, admin.actor, station_ident)
    finally:
        admin.db.close()
    return address, package, cases


def _owner_view(scratch):
    db = PgStore(scratch.owner_url)
    try:
        return dump_all(db), verify_chain(db)
    finally:
        db.close()


def test_the_analyst_in_psql_writes_nothing_and_the_program_still_imports(branch, scratch):
    address, package, cases = branch
    analyst = open_console(scratch.server_url, "analyst1", lambda: PASSWORD)
    try:
        with import_service(scratch.owner_url) as answered:
            assert [r.status for r in import_files(analyst.db, analyst.actor, [package])] == ["applied"]
        assert [r.status for r in answered] == ["applied"]
        with analyst.db.read() as s:
            assert s.scalar(select(func.count()).select_from(Case)) == cases
            assert s.scalar(select(func.count()).select_from(ImportLedger)) == 1
            # The audit trail names the account that asked for the import.
            assert s.scalar(select(AuditEntry.account).where(AuditEntry.action == "import")) == "analyst1"
    finally:
        analyst.db.close()
    before, problems = _owner_view(scratch)
    assert problems == [] and before["case_record"]

    with psycopg.connect(address.for_account("analyst1", PASSWORD), autocommit=True) as c:
        assert c.execute("SELECT count(*) FROM case_record").fetchone()[0] == cases  # reading is theirs
        partition = c.execute("SELECT relname FROM pg_class WHERE relname LIKE 'case_record_s%' "
                              "AND relkind = 'r' LIMIT 1").fetchone()[0]
        for stmt in (*REFUSED, f"UPDATE {partition} SET summary = 'x'", f"DELETE FROM {partition}",
                     "UPDATE case_record_default SET summary = 'x'"):
            with pytest.raises(psycopg.Error) as refused:
                c.execute(stmt)
            # Refused for want of rights (or by the audit trail's guard), not for a mistyped statement.
            assert refused.value.sqlstate in ("42501", "23514"), (stmt, refused.value)
        for stmt in NO_ROWS:
            assert c.execute(stmt).fetchall() == [], stmt
    assert _owner_view(scratch) == (before, [])  # row for row unchanged


def test_a_request_from_psql_is_verified_like_any_other(branch, scratch):
    """psql may hand the service bytes of its own: they are a package to verify, and junk is
    refused without writing a record."""
    address, package, _cases = branch
    analyst = open_console(scratch.server_url, "analyst1", lambda: PASSWORD)
    try:
        with pytest.raises(ServiceNotRunning, match="branch-import-service"):  # no service: said, not hung
            request_import(analyst.db, package.read_bytes(), name=package.name)
        with import_service(scratch.owner_url):
            forged = bytearray(package.read_bytes())
            forged[-10] ^= 0x01
            answer = request_import(analyst.db, bytes(forged), name="forged.stpkg")
            assert answer["status"] == "rejected"
            with psycopg.connect(address.for_account("analyst1", PASSWORD), autocommit=True) as c:
                assert c.execute("SELECT count(*) FROM case_record").fetchone()[0] == 0
                assert c.execute("SELECT count(*) FROM import_request").fetchone()[0] == 0  # answered, gone
            assert request_import(analyst.db, package.read_bytes(), name=package.name)["status"] == "applied"
    finally:
        analyst.db.close()


def test_the_analyst_reads_no_private_key_and_the_service_signs_the_receipt(branch, scratch, tmp_path):
    """The branch's private keys open packages and sign receipts: an analyst in psql reads their
    public halves only, so cannot forge a receipt. The import service signs it and hands it back;
    the program writes it after the branch's public key verified it, and the station accepts it."""
    address, package, _cases = branch
    with psycopg.connect(address.for_account("analyst1", PASSWORD), autocommit=True) as c:
        assert c.execute("SELECT count(*) FROM sync_key WHERE kind IN ('branch_box', 'branch_sign') "
                         "AND length(public_key) = 32").fetchone()[0] == 2
        for stmt in ("SELECT private_key FROM sync_key", "SELECT * FROM sync_key",
                     "UPDATE sync_key SET public_key = public_key", "DELETE FROM sync_key"):
            with pytest.raises(psycopg.Error) as refused:
                c.execute(stmt)
            assert refused.value.sqlstate == "42501", (stmt, refused.value)

    receipts = tmp_path / "receipts"
    receipts.mkdir()
    analyst = open_console(scratch.server_url, "analyst1", lambda: PASSWORD)
    try:
        assert analyst.db.is_branch()
        with pytest.raises(ProgrammingError, match="permission denied for table sync_key"):
            K.branch_keys(analyst.db)  # the private halves, through the program's own connection
        with import_service(scratch.owner_url):
            [res] = import_files(analyst.db, analyst.actor, [package], receipts_dir=receipts)
        assert res.status == "applied"
        receipt = receipts / f"{package.stem}.receipt.json"
        body = parse_receipt(receipt.read_bytes(), K.branch_identity(analyst.db).sign_key)
        # This import first, then the station's ledger as the branch holds it (the same package).
        assert {(e["seq"], e["status"], e["sha256"]) for e in body["entries"]} == {(res.seq, "applied", res.sha256)}
        with pytest.raises(ValidationError, match="branch-receipt"):
            reissue_receipt(analyst.db, res.station_uuid, receipts / "again.json")
        assert not (receipts / "again.json").exists()
    finally:
        analyst.db.close()

    station = SqliteStore(tmp_path / "s7.db")
    try:
        assert apply_receipt(station, ADMIN, receipt).acknowledged == (res.seq,)
    finally:
        station.close()


def test_a_service_killed_in_the_middle_of_an_import_writes_nothing_and_says_so(branch, scratch):
    """The import service's process dies (kill -9) while it applies a package: the package's
    transaction rolls back whole, the analyst is told that the service stopped while importing it
    and what to do, and once the service runs again the same package is applied, then recognised
    as a duplicate."""
    import os
    import signal
    import subprocess
    import sys
    import threading
    import time
    from pathlib import Path

    address, package, cases = branch
    analyst = open_console(scratch.server_url, "analyst1", lambda: PASSWORD)
    service = None
    try:
        with scratch.superuser() as blocker:
            # Hold the case table (and its partitions): the service's import stops there, inside its
            # transaction.
            blocker.autocommit = False
            blocker.execute("LOCK TABLE case_record IN ACCESS EXCLUSIVE MODE")
            service = subprocess.Popen([sys.executable, "-m", "app", "branch-import-service", "--db",
                                        scratch.owner_url], cwd=Path(__file__).resolve().parents[2],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            told: list[BaseException] = []

            def ask() -> None:
                try:
                    request_import(analyst.db, package.read_bytes(), name=package.name)
                except BaseException as exc:  # noqa: BLE001 - the test reads it
                    told.append(exc)

            deadline = time.monotonic() + 120
            with psycopg.connect(scratch.owner_url.replace("postgresql+psycopg://", "postgresql://"),
                                 autocommit=True) as watch:
                while not watch.execute(service_running_sql()).fetchone()[0]:
                    assert service.poll() is None and time.monotonic() < deadline, service.stderr.read()
                    time.sleep(0.2)
                asking = threading.Thread(target=ask)
                asking.start()
                # Working on it, and waiting for the case table inside its import.
                while not watch.execute(
                        "SELECT EXISTS (SELECT 1 FROM import_request WHERE status = 'working') AND EXISTS ("
                        "SELECT 1 FROM pg_locks WHERE NOT granted)"
                ).fetchone()[0]:
                    assert time.monotonic() < deadline, told
                    time.sleep(0.2)
                os.kill(service.pid, signal.SIGKILL)
                service.wait(30)
                asking.join(60)
                assert not asking.is_alive()
            blocker.rollback()
        [exc] = told
        assert isinstance(exc, ServiceNotRunning) and "stopped while importing this package" in exc.en, exc
        with psycopg.connect(address.for_account("analyst1", PASSWORD), autocommit=True) as c:
            deadline = time.monotonic() + 60  # the killed service's backend ends once the lock is gone
            while c.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'").fetchone()[0]:
                assert time.monotonic() < deadline
                time.sleep(0.2)
            assert c.execute("SELECT count(*) FROM case_record").fetchone()[0] == 0
            assert c.execute("SELECT count(*) FROM import_ledger").fetchone()[0] == 0
        with import_service(scratch.owner_url):  # started again: the stale request is cleared
            assert request_import(analyst.db, package.read_bytes(), name=package.name)["status"] == "applied"
            assert request_import(analyst.db, package.read_bytes(), name=package.name)["status"] == "duplicate"
        with psycopg.connect(address.for_account("analyst1", PASSWORD), autocommit=True) as c:
            assert c.execute("SELECT count(*) FROM case_record").fetchone()[0] == cases
            assert c.execute("SELECT count(*) FROM import_request").fetchone()[0] == 0
    finally:
        if service is not None and service.poll() is None:
            service.kill()
        analyst.db.close()
