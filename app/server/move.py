"""Moving a station file to a station server in one command, verified before it says so.

Everything in the file is copied: records, history, accounts, the audit chain, the sync keys,
packages sent and receipts. The copy runs in one transaction on the server and is read back
through the server before the commit: the same number of rows and the same SHA-256 digest per
table, and the audit chain verified row by row. Any difference rolls it all back. The file is
only read (a read-only connection, no log-in row, no WAL switch), under the instance lock so that
no program writes it meanwhile: its bytes stay as they were.

On the server every account becomes a PostgreSQL user: the administrator who moved the station
keeps their password; every other active account gets a one-time password, shown once, that its
owner changes at the first log-in (a password hash cannot be turned back into a password).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterator

from sqlalchemy import Table, bindparam, create_engine, select, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from app.domain.rules import Actor
from app.errors import DatabaseError, ValidationError
from app.server.setup import PREFIX_SETTING, ServerAddress, apply_server_sql, default_prefix, without_user
from app.store.postgres import PgStore, safe_url
from app.store.rights import RoleNames

#: Rows read and written at a time.
BATCH = 2000


@dataclass(frozen=True)
class TableCheck:
    table: str
    rows: int
    digest: str


@dataclass(frozen=True)
class MoveResult:
    address: ServerAddress
    tables: tuple[TableCheck, ...]
    audit_head: tuple[int, str]
    #: One-time passwords of the other active accounts (accounts.NewPassword), to hand over.
    passwords: tuple


def _canon(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _ordered(table: Table):
    return select(table).order_by(*table.primary_key.columns)


def table_digest(conn: Connection, table: Table) -> TableCheck:
    """Row count and SHA-256 over the table's rows in primary-key order, each value in one
    canonical form (dates ISO, bytes hex), so a file and a server compare equal."""
    h = hashlib.sha256()
    n = 0
    cols = [c.name for c in table.columns]
    for row in conn.execute(_ordered(table).execution_options(yield_per=BATCH)):
        m = row._mapping
        h.update(json.dumps([_canon(m[c]) for c in cols], ensure_ascii=False, separators=(",", ":")).encode())
        h.update(b"\n")
        n += 1
    return TableCheck(table.name, n, h.hexdigest())


def chain_problems(conn: Connection) -> list[str]:
    """The audit chain read back through `conn`: each row's hash recomputed, in order."""
    from app.services.audit import GENESIS, entry_hash
    from models import AuditEntry

    problems, prev, expected = [], GENESIS, 1
    for r in conn.execute(
            select(AuditEntry.__table__).order_by(AuditEntry.seq).execution_options(yield_per=BATCH)):
        if r.seq != expected or r.prev_hash != prev or r.hash != entry_hash(
                r.prev_hash, r.seq, r.at, r.account, r.officer_id, r.role, r.action, r.module, r.record_uuid, r.detail):
            problems.append(f"audit row {r.seq}")
            if len(problems) >= 10:
                break
        prev, expected = r.hash, r.seq + 1
    return problems


@contextlib.contextmanager
def _file_reader(path: Path, key: str | None) -> Iterator[Callable]:
    """A factory of read-only sessions on the file: SQLite's `mode=ro`, nothing written to it."""
    import sqlcipher3.dbapi2 as sqlite

    from app.store import key_pragma

    uri = f"{path.resolve().as_uri()}?mode=ro"

    def connect():
        conn = sqlite.connect(uri, uri=True)
        if key is not None:
            conn.execute(key_pragma(key))
        return conn

    engine = create_engine("sqlite://", module=sqlite, creator=connect, poolclass=NullPool)

    @contextlib.contextmanager
    def read_session(_key=None):
        with Session(engine) as session:
            try:
                yield session
            finally:
                session.rollback()

    try:
        yield engine, read_session
    finally:
        engine.dispose()


def _deferred_columns(table: Table) -> list[str]:
    """Foreign keys that close a cycle (use_alter): filled in after every table is copied."""
    return [fk.parent.name for fk in table.foreign_keys if fk.use_alter or (fk.constraint is not None
                                                                              and fk.constraint.use_alter)]


def move_to_server(path: str | Path, owner_url: str, username: str, password: str, *,
                   prefix: str | None = None, progress: Callable[[str], None] | None = None) -> MoveResult:
    """Copy the station file `path` to the empty server database `owner_url` (reached as its
    owner), as the file's administrator `username`; verified before the commit."""
    import models  # noqa: F401
    from app.services.accounts import check_login_without_writing
    from app.store import head_revision
    from app.store.instance_lock import acquire_instance_lock
    from models.base import Base

    say = progress or (lambda _msg: None)
    source = Path(path)
    if not source.is_file():
        raise DatabaseError(f"数据库文件不存在：{source}", f"database file not found: {source}")
    u = make_url(owner_url)
    names = RoleNames(prefix or default_prefix(u.database or ""))
    lock = acquire_instance_lock(source)
    side = [source.with_name(source.name + s) for s in ("-wal", "-shm")]
    side_before = {p for p in side if p.exists()}
    try:
        key, actor = check_login_without_writing(source, username, password, "manage_station",
                                                 lambda k: _open_reader(source, k))
        with _file_reader(source, key) as (file_engine, _read):
            with file_engine.connect() as fconn:
                version = fconn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
                if version != head_revision():
                    raise ValidationError(
                        f"请先用本版本程序打开该数据库完成升级（架构 {version}），再迁移到服务器",
                        f"open the file with this version of the program first to upgrade it (schema {version}), "
                        f"then move it", "db")
                say("reading the file")
                expected = {t.name: table_digest(fconn, t) for t in Base.metadata.sorted_tables}
                head = fconn.exec_driver_sql("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").first()
                say("copying to the server")
                checks = _copy(fconn, owner_url, names, expected, Base.metadata, say)
        address = ServerAddress(without_user(owner_url), names.prefix)
        passwords = _accounts_on_server(owner_url, names, actor, username, password)
    finally:
        # A read-only reader of a WAL file leaves an empty -wal and its -shm behind: ours, removed.
        wal = side[0]
        if wal not in side_before and (not wal.exists() or wal.stat().st_size == 0):
            for p in side:
                if p not in side_before:
                    p.unlink(missing_ok=True)
        lock.release()
    return MoveResult(address, tuple(checks), (head[0], head[1]) if head else (0, "0" * 64), passwords)


@contextlib.contextmanager
def _open_reader(source: Path, key):
    with _file_reader(source, key) as (_engine, read_session):
        with read_session() as session:
            yield session


def _copy(fconn: Connection, owner_url: str, names: RoleNames, expected: dict[str, TableCheck], metadata,
          say: Callable[[str], None]) -> list[TableCheck]:
    from app.services.org import station_info

    db = PgStore(owner_url, create=True)
    try:
        if station_info(db) is not None:
            raise ValidationError(f"服务器数据库中已有派出所，未做任何修改：{safe_url(owner_url)}",
                                  f"the server database already holds a station; nothing was changed: "
                                  f"{safe_url(owner_url)}", "db")
        apply_server_sql(db, names)
        with db.engine.connect() as pconn:
            try:
                with pconn.begin():
                    pconn.exec_driver_sql("SELECT pg_advisory_xact_lock(70419)")
                    deferred: list[tuple[Table, str]] = []
                    for table in metadata.sorted_tables:
                        later = _deferred_columns(table)
                        deferred += [(table, c) for c in later]
                        batch: list[dict] = []
                        for row in fconn.execute(_ordered(table).execution_options(yield_per=BATCH)):
                            values = dict(row._mapping)
                            for c in later:
                                values[c] = None
                            batch.append(values)
                            if len(batch) >= BATCH:
                                pconn.execute(table.insert(), batch)
                                batch = []
                        if batch:
                            pconn.execute(table.insert(), batch)
                    for table, column in deferred:
                        pk = list(table.primary_key.columns)[0]
                        rows = fconn.execute(select(pk, table.c[column]).where(table.c[column].is_not(None))).all()
                        for i in range(0, len(rows), BATCH):
                            pconn.execute(table.update().where(pk == bindparam("pk_value")).values(
                                {column: bindparam("col_value")}),
                                [{"pk_value": r[0], "col_value": r[1]} for r in rows[i:i + BATCH]])
                    for table in metadata.sorted_tables:
                        pks = list(table.primary_key.columns)
                        if len(pks) == 1 and pks[0].autoincrement is not False and pks[0].type.python_type is int:
                            pconn.execute(text(
                                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pks[0].name}'), "
                                f"coalesce(max({pks[0].name}), 1), max({pks[0].name}) IS NOT NULL) FROM {table.name}"))
                    say("verifying the copy")
                    got = [table_digest(pconn, t) for t in metadata.sorted_tables]
                    wrong = [f"{g.table}: {g.rows} rows / {expected[g.table].rows} in the file" for g in got
                             if g != expected[g.table]]
                    chain = chain_problems(pconn)
                    if wrong or chain:
                        raise DatabaseError(
                            "服务器上的副本与文件不一致，已撤销，文件未改动：" + "；".join(wrong + chain)[:500],
                            "the copy on the server differs from the file; undone, the file is unchanged: "
                            + "; ".join(wrong + chain)[:500])
                    pconn.execute(text("INSERT INTO setting (key, value) VALUES (:k, :v) ON CONFLICT (key) "
                                       "DO UPDATE SET value = excluded.value"),
                                  {"k": PREFIX_SETTING, "v": names.prefix})
            except DBAPIError as exc:
                msg = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
                raise DatabaseError(f"迁移到服务器失败，已撤销，文件未改动：{msg}",
                                    f"the move to the server failed and was undone; the file is unchanged: {msg}") from exc
        return got
    finally:
        db.close()


def _accounts_on_server(owner_url: str, names: RoleNames, actor: Actor, username: str, password: str) -> tuple:
    """Passwords on the server: the mover keeps theirs, every other active account gets a
    one-time one; the move itself is written to the audit trail."""
    from app.server.setup import attach_names, set_server_password
    from app.services import audit
    from app.services.accounts import list_accounts, reset_password

    db = PgStore(owner_url)
    attach_names(db, names)
    try:
        out = []
        for name, _display, _role, active in list_accounts(db):
            if not active:
                continue
            if name == username:
                with db.write(actor, "moved_to_server") as session:
                    set_server_password(db, session, name, password)
            else:
                out.append(reset_password(db, actor, name))
        with db.write(actor, "moved_to_server") as session:
            audit.append_event(session, actor, "moved_to_server", detail={"server": safe_url(owner_url),
                                                                           "prefix": names.prefix})
        return tuple(out)
    finally:
        db.close()
