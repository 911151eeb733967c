"""The import service of a PostgreSQL branch: run by the database's owner, it applies the packages
the branch's accounts hand it (app.sync.requests) and answers each request.

Why a service: a branch account's program and that account in psql hold the same password, so
whatever the program may write, psql may write too. At a branch the accounts therefore write no
records at all (app.store.rights, branch rules); the owner's service does, and only after the
package verified (encryption, a trusted station's signature, checksums, ownership, versions), so
a record reaches the branch only from a package a trusted station signed. The audit trail names
the account that asked.
"""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import asdict
from typing import Callable

from sqlalchemy import select, text

from app.domain.permissions import authorize
from app.domain.rules import Actor
from app.errors import DatabaseError, PermissionDenied, StationError, ValidationError
from app.sync.errors import ImportRejected
from app.sync.importer import ImportResult, import_package, note_rejection
from app.sync.receipt import receipt_for
from app.sync.requests import ANSWERED, REQUESTED, SERVICE_LOCK, TABLE, answer_sql

log = logging.getLogger(__name__)

#: How long the service waits on its socket for a request's notification before it looks anyway
#: (and how soon it notices `stop`).
IDLE_SECONDS = 1.0


def _actor(db, account: str) -> Actor:
    """The account that asked, as it is now (a disabled account or a changed role counts)."""
    from models import Account, Officer

    with db.read() as session:
        acc = session.scalar(select(Account).where(Account.username == account))
        if acc is None or not acc.active:
            raise PermissionDenied(f"账户不存在或已停用：{account}", f"no such active account: {account}")
        officer = session.get(Officer, acc.officer_id) if acc.officer_id else None
        actor = Actor(acc.officer_id, acc.display_name or acc.username, acc.role,
                      officer.station_id if officer else None, officer.team_id if officer else None,
                      account=acc.username)
    authorize(actor, "import")
    return actor


def _claim(db) -> tuple | None:
    with db.engine.begin() as conn:
        return conn.execute(text(
            f"UPDATE {TABLE} SET status = 'working' WHERE id = (SELECT id FROM {TABLE} WHERE status = 'pending' "
            "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id, account, name, data, allow_missing_base")).first()


def answer_one(db) -> ImportResult | None:
    """Apply the oldest pending request, if any, and answer it. Returns its result."""
    job = _claim(db)
    if job is None:
        return None
    rid, account, name, data, allow_missing_base = job
    try:
        actor = _actor(db, account)
        try:
            res = import_package(db, actor, bytes(data), name=name, allow_missing_base=allow_missing_base)
        except ImportRejected as exc:
            note_rejection(db, actor, exc, name)
            res = ImportResult(name, "rejected", exc.code, exc.zh, exc.en, exc.station_uuid, "", exc.seq)
    except StationError as exc:  # a refused account, storage trouble: said to the one who asked
        res = ImportResult(name, "rejected", exc.code, exc.zh, exc.en)
    except Exception as exc:  # a fault in the app: logged with its traceback, the service goes on
        log.exception("import request %s (%s) failed", rid, name)
        res = ImportResult(name, "rejected", "error", f"程序处理该文件时出错（已记录）：{type(exc).__name__}",
                           f"the app failed on this file (logged): {type(exc).__name__}")
    answer = asdict(res)
    try:  # the receipt is signed here: the accounts cannot read the branch's signing key
        answer["receipt"] = receipt_for(db, res).decode("utf-8")
    except Exception:  # the result still reaches the one who asked; the receipt is said to be missing
        log.exception("receipt for import request %s (%s) failed", rid, name)
    with db.engine.begin() as conn:
        conn.execute(answer_sql(), {"id": rid, "result": json.dumps(answer, ensure_ascii=False)})
    return res


def serve_imports(db, stop: threading.Event, on_result: Callable[[ImportResult], None] | None = None) -> None:
    """Answer the branch's import requests until `stop` is set. `db` is the branch opened by
    its owner; one service per database (a second one is refused)."""
    import psycopg

    if not db.is_branch():
        raise ValidationError("该数据库不是分局数据库，请先运行 branch-init", "this is not a branch database: run "
                              "branch-init first", "db")
    with db.engine.connect() as conn:
        url = conn.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        owner = conn.exec_driver_sql(f"SELECT to_regclass('{TABLE}') IS NOT NULL AND pg_has_role(current_user, "
                                     f"(SELECT relowner FROM pg_class WHERE oid = to_regclass('{TABLE}')), "
                                     "'USAGE')").scalar()
    if not owner:
        raise ValidationError("导入服务须由分局数据库的所有者在PostgreSQL上运行",
                              "the import service runs on a PostgreSQL branch, as the database's owner", "db")
    with psycopg.connect(url, autocommit=True) as c:
        if not c.execute(f"SELECT pg_try_advisory_lock({SERVICE_LOCK})").fetchone()[0]:
            raise DatabaseError("该分局的导入服务已在运行", "the branch's import service is already running")
        # A request a stopped service was working on rolled back with it; its requester was told.
        c.execute(f"DELETE FROM {TABLE} WHERE status = 'working' OR (status = 'done' AND "
                  "done_at < localtimestamp - interval '1 day')")
        c.execute(f"LISTEN {REQUESTED}")
        log.info("import service running (%s); answers on %s", db.title, ANSWERED)
        while not stop.is_set():
            while not stop.is_set():
                res = answer_one(db)
                if res is None:
                    break
                if on_result is not None:
                    on_result(res)
            for _note in c.notifies(timeout=IDLE_SECONDS, stop_after=1):
                pass
