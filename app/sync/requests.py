"""A branch account's import, asked of the branch's import service (PostgreSQL branches with accounts).

At a PostgreSQL branch no account may write records, in the program or in psql: the account adds
a request holding the package's bytes (migration 0018, `import_request`, its own rows only), and
the import service, run by the database's owner on the server (app.sync.service), verifies and
applies the package exactly as a file branch's import does and writes the result back. A psql
user can add requests too, and they are answered the same way: only a package a trusted station
signed ever writes a record.
"""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from app.errors import DatabaseError

#: The table of requests and the channels of its notifications (migration 0018).
TABLE = "import_request"
REQUESTED = "station_import"
ANSWERED = "station_import_done"
#: The session-level advisory lock the running import service holds (one service per database).
SERVICE_LOCK = 70421
#: How long a request waits between looks at its row when no notification arrives.
WAIT_SECONDS = 1.0


class ServiceNotRunning(DatabaseError):
    """The branch's import service is not running (the request was withdrawn, nothing changed)."""

    code = "no_service"


def through_service(db) -> bool:
    """Whether `db`'s imports go through the import service: a PostgreSQL branch with import
    requests, opened by an account (not by the database's owner, who imports itself)."""
    if db.is_file:
        return False
    with db.engine.connect() as conn:
        return bool(conn.exec_driver_sql(
            "SELECT c.oid IS NOT NULL AND NOT pg_has_role(current_user, c.relowner, 'USAGE') "
            "FROM (SELECT to_regclass(%(t)s) AS oid) r LEFT JOIN pg_class c ON c.oid = r.oid",
            {"t": TABLE}).scalar())


def service_running_sql() -> str:
    """SQL that says whether some session holds SERVICE_LOCK in this database."""
    return ("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
            f"AND classid = 0 AND objid = {SERVICE_LOCK} AND objsubid = 1 "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))")


def _not_running() -> ServiceNotRunning:
    return ServiceNotRunning("分局导入服务未运行，数据包未导入：请数据库所有者在服务器上运行 branch-import-service",
                             "the branch's import service is not running; the package was not imported: the "
                             "database's owner runs branch-import-service on the server")


def _stopped_while_working() -> ServiceNotRunning:
    """The service stopped (or its server connection was lost) while importing this package: its
    transaction either committed whole or rolled back whole, and which one the requester cannot
    see from here, so it is told both and how to settle it."""
    return ServiceNotRunning(
        "分局导入服务在导入该数据包时停止：数据包或已完整导入，或完全未导入（不会只写入一部分）。"
        "请在服务重新运行（branch-import-service）后再次导入：已导入的数据包会被识别为重复，不会重复写入",
        "the branch's import service stopped while importing this package: it was applied in full or not "
        "at all (never in part). Import it again once the service runs (branch-import-service): a package "
        "already applied is recognised as a duplicate and not applied twice")


def request_import(db, data: bytes, *, name: str = "", allow_missing_base: bool = False) -> dict[str, Any]:
    """Ask the import service to import `data` and wait for its answer: the ImportResult's
    fields. Raises ServiceNotRunning when no service runs (the request is withdrawn first)."""
    import psycopg

    with db.engine.connect() as conn:  # the same account, server and TLS settings as the store
        url = conn.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        if not conn.exec_driver_sql(service_running_sql()).scalar():
            raise _not_running()
    with psycopg.connect(url, autocommit=True) as c:
        c.execute(f"LISTEN {ANSWERED}")
        rid = c.execute(
            f"INSERT INTO {TABLE} (account, name, data, allow_missing_base) "
            "VALUES ((SELECT m.username FROM station_me() m), %s, %s, %s) RETURNING id",
            (name, data, allow_missing_base)).fetchone()[0]
        while True:
            row = c.execute(f"SELECT status, result FROM {TABLE} WHERE id = %s", (rid,)).fetchone()
            if row is None:
                raise DatabaseError("导入请求已被撤回，未导入", "the import request was withdrawn; nothing was imported")
            if row[0] == "done":
                c.execute(f"DELETE FROM {TABLE} WHERE id = %s", (rid,))
                return json.loads(row[1])
            if not c.execute(service_running_sql()).fetchone()[0]:
                # Stopped before answering: a pending request is withdrawn; one it was working on
                # rolled back with the service's connection and is withdrawn when it restarts.
                c.execute(f"DELETE FROM {TABLE} WHERE id = %s AND status = 'pending'", (rid,))
                if row[0] == "working":
                    raise _stopped_while_working()
                raise _not_running()
            for _note in c.notifies(timeout=WAIT_SECONDS, stop_after=1):
                pass


def answer_sql() -> Any:
    """The statement the service answers a request with (:id, :result)."""
    return text(f"UPDATE {TABLE} SET status = 'done', result = :result, done_at = localtimestamp(0), "
                "data = ''::bytea WHERE id = :id")
