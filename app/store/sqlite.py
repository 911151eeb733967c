"""The SQLite store: a station or branch database file (plain or SQLCipher-encrypted), its
engine, pragmas, transactions, migrations and instance lock.

Every database (station or branch, plain or encrypted) is opened through `sqlcipher3`, so one
SQLite library (3.53 with SQLCipher) serves the whole app and the standard library's older
SQLite never touches the file.
"""
from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import Any, Iterator

import sqlcipher3.dbapi2 as sqlite
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool

from app.errors import DatabaseError
from app.store.base import SchemaState, Store, alembic_config, known_revisions, pre_upgrade_backup
from app.store.instance_lock import acquire_instance_lock

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
#: SQLite 3.7.0-3.51.2 can corrupt a WAL database when a checkpoint races a reset; refuse them.
MIN_SQLITE = (3, 51, 3)


#: Each connection's page cache on an encrypted file, KiB (an upper bound: pages are cached as
#: they are read). SQLCipher decrypts every page it reads into this cache, so a scan of a table
#: larger than the cache decrypts the whole table each time: a one-character search of 94,395
#: encrypted cases took 185-196 ms with the default 2 MB and 16-32 MB caches and 52 ms with 64 MB
#: (the same as a plain file); a 37,000-dispute search 113 ms against 18 ms
#: (bench/workstation_bench.py --encrypted).
ENCRYPTED_PAGE_CACHE_KIB = 65536
#: The same on a plain file. Its pages are the operating system's file cache's, read back by a
#: copy and nothing to decrypt, so a large cache bought no speed there and cost memory: each
#: connection that walks a large table fills its own. At 1,000,000 records the peak RSS of
#: `bench/run.py --only view queries --no-ui` was 242-244 MB with 64 MB, 187 MB with 8 MB and
#: 179 MB with 2 MB per connection, its timings within the noise of the same runs.
PLAIN_PAGE_CACHE_KIB = 8192


def page_cache_kib(encrypted: bool) -> int:
    """The page cache of each connection to a file, KiB: large where pages are decrypted."""
    return ENCRYPTED_PAGE_CACHE_KIB if encrypted else PLAIN_PAGE_CACHE_KIB


def _install_pragmas(engine: Engine, key: str | None, read_only: bool = False) -> None:
    cache_kib = page_cache_kib(key is not None)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Transactions are begun explicitly below (driver autocommit mode), so that DDL is
        # transactional and writers can take the lock up front with BEGIN IMMEDIATE.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if key is not None:
            cur.execute(key_pragma(key))
        cur.execute("PRAGMA busy_timeout = 10000")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute(f"PRAGMA cache_size = -{cache_kib}")
        if read_only:
            cur.close()
            return
        cur.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit that returned survives power loss, not only a process crash.
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA secure_delete = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def _driver(conn: Connection) -> Any:
    """The sqlcipher3 connection under a SQLAlchemy connection."""
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None, "a checked-out connection has its driver connection"
    return dbapi


def key_pragma(key: str) -> str:
    """PRAGMA key for a raw 256-bit key given as 64 hex digits, or for a passphrase."""
    if len(key) == 64 and all(c in "0123456789abcdef" for c in key):
        return "PRAGMA key = \"x'%s'\"" % key
    return "PRAGMA key = '%s'" % key.replace("'", "''")


def sniff_file(path: Path) -> str:
    """'missing', 'empty', 'sqlite' (plain SQLite header) or 'opaque' (encrypted or not a database)."""
    if not path.exists():
        return "missing"
    if path.stat().st_size == 0:
        return "empty"
    with path.open("rb") as fh:
        head = fh.read(16)
    return "sqlite" if head == SQLITE_HEADER else "opaque"


class SqliteStore(Store):
    """An open station or branch database file: an engine plus read and write unit-of-work scopes."""

    path: Path

    def __init__(self, path: str | Path, *, key: str | None = None, create: bool = False,
                 upgrade: bool = True, revision: str = "head", instance_lock: bool = True):
        """Open (or with `create`, make) a database. `revision` is the schema a new file is made
        at: the head, except in tests that stand for a file made by an earlier release."""
        if sqlite.sqlite_version_info < MIN_SQLITE:
            raise DatabaseError(
                f"SQLite 版本过旧（{sqlite.sqlite_version}），可能损坏数据库，请更新 sqlcipher3",
                f"the linked SQLite {sqlite.sqlite_version} is older than 3.51.3 (WAL-reset corruption bug)")
        self.path = Path(path)
        self.key = key
        kind = sniff_file(self.path)
        if kind == "missing" and not create:
            raise DatabaseError(f"数据库文件不存在：{self.path}", f"database file not found: {self.path}")
        if kind == "opaque" and key is None:
            raise DatabaseError(
                f"不是本系统的数据库文件（或已加密）：{self.path}",
                f"not a station database (or encrypted): {self.path}")
        if kind == "missing":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        #: On read-only media (a write-protected stick, a read-only share) the file is opened
        #: immutable: reading works without the -shm file WAL needs, and writes are refused.
        self.read_only = kind != "missing" and not (
            os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK))
        if kind in ("sqlite", "opaque"):
            self._refuse_foreign_file(key)
        # One app per file (app/store/instance_lock.py); nothing can write on read-only media anyway.
        self._instance_lock = acquire_instance_lock(self.path) if instance_lock and not self.read_only else None
        # The file is named to SQLite by a file: URI that pathlib percent-encodes, handed to the
        # driver by `creator`: in a URL SQLAlchemy would cut the path at a "?" (and decode a
        # "%3F" back into one), and a folder or file named "案件?.db" opened another file.
        uri = self.path.resolve().as_uri() + ("?mode=ro&immutable=1" if self.read_only else "")
        self.engine = create_engine("sqlite://", module=sqlite, future=True, poolclass=QueuePool,
                                    creator=lambda: sqlite.connect(uri, uri=True, check_same_thread=True, timeout=10))
        _install_pragmas(self.engine, key, self.read_only)
        self._make_sessions(self.engine.execution_options(sqlite_begin="IMMEDIATE"))
        try:
            self._check_readable()
            state = self.schema_state()
            if state.current is None:
                if kind in ("missing", "empty") or self._table_names() == set():
                    self.migrate(revision)
                else:
                    raise DatabaseError(
                        f"不是本系统的数据库文件：{self.path}",
                        f"not a station database (no schema version): {self.path}")
            elif state.current not in known_revisions():
                raise DatabaseError(
                    f"数据库由更新版本的程序创建（架构 {state.current}），请升级本程序后再打开",
                    f"database was made by a newer version of the app (schema {state.current})")
            elif not state.up_to_date and revision == "head":
                if self.read_only:
                    raise DatabaseError("数据库需要升级，但文件位于只读介质上", "the database needs an upgrade but "
                                        "the file is on read-only media (read-only)")
                if not upgrade:
                    raise DatabaseError("数据库需要升级", "database schema needs an upgrade")
                self.upgrade_in_place(state)
        except BaseException:
            self.close()
            raise

    # -- what callers ask ------------------------------------------------------------------
    @property
    def title(self) -> str:
        return str(self.path)

    def reopen(self, *, instance_lock: bool = True) -> SqliteStore:
        return SqliteStore(self.path, key=self.key, instance_lock=instance_lock)

    def _error(self, exc: BaseException) -> DatabaseError:
        return storage_error(exc)

    # -- scopes (read() and write() are the Store's: BEGIN IMMEDIATE comes from the engine) --
    @contextlib.contextmanager
    def raw(self, immediate: bool = True) -> Iterator[Any]:
        """A DBAPI connection in one transaction for bulk paths (executemany with tuples)."""
        mode = "IMMEDIATE" if immediate else "DEFERRED"
        with self.engine.connect() as conn:
            dbapi = _driver(conn)
            dbapi.execute(f"BEGIN {mode}")
            try:
                yield dbapi
                dbapi.execute("COMMIT")
            except BaseException:
                dbapi.execute("ROLLBACK")
                raise

    def close(self) -> None:
        if getattr(self, "engine", None) is not None:
            self.engine.dispose()
        lock = getattr(self, "_instance_lock", None)
        if lock is not None:
            lock.release()
            self._instance_lock = None

    # -- schema --------------------------------------------------------------------------
    def _check_readable(self) -> None:
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        except DBAPIError as exc:
            msg = str(exc.orig) if exc.orig else str(exc)
            if "file is not a database" in msg or "encrypted" in msg:
                raise DatabaseError(
                    f"无法打开数据库（密钥错误或不是本系统的文件）：{self.path}",
                    f"cannot open the database (wrong key or not a station database): {self.path}") from exc
            raise storage_error(exc) from exc

    def _refuse_foreign_file(self, key: str | None) -> None:
        """Look at an existing file read-only first: opening it read-write would switch it to WAL
        and so change a file that belongs to someone else."""
        try:
            extra = "&immutable=1" if self.read_only else ""
            conn = sqlite.connect(f"{self.path.resolve().as_uri()}?mode=ro{extra}", uri=True)
        except sqlite.Error as exc:
            raise storage_error(exc) from exc
        try:
            if key is not None:
                conn.execute(key_pragma(key))
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite.DatabaseError as exc:
            raise DatabaseError(
                f"无法打开数据库（密钥错误或不是本系统的文件）：{self.path}",
                f"cannot open the database (wrong key or not a station database): {self.path}") from exc
        finally:
            conn.close()
        if names and "alembic_version" not in names:
            raise DatabaseError(f"不是本系统的数据库文件：{self.path}",
                                f"not a station database (no schema version): {self.path}")

    def _table_names(self) -> set[str]:
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'").all()
        return {r[0] for r in rows}

    def migrate(self, revision: str = "head") -> None:
        """Run Alembic migrations in one transaction, with foreign keys off outside it (a batch
        migration recreates tables, and ON DELETE actions must not fire while it does)."""
        from alembic import command

        with self.engine.connect() as conn:
            dbapi = _driver(conn)
            # PRAGMA foreign_keys is a no-op inside a transaction: set it on the driver first.
            dbapi.execute("PRAGMA foreign_keys = OFF")
            try:
                with conn.begin():
                    command.upgrade(alembic_config(conn), revision)
                    bad = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if bad:
                        raise DatabaseError("升级后外键检查失败，已回滚",
                                            f"foreign key check failed after upgrade, rolled back: {bad[:3]}")
            finally:
                dbapi.execute("PRAGMA foreign_keys = ON")

    def upgrade_in_place(self, state: SchemaState) -> Path:
        """Keep a verified copy of the old file (backups/, kind "pre-upgrade", through the backup
        API), then migrate it in one transaction."""
        kept = pre_upgrade_backup(self)
        log.info("upgrading %s from %s to %s (copy kept at %s)", self.path, state.current, state.head, kept)
        self.migrate()
        return kept

    def integrity_problems(self) -> list[str]:
        with self.engine.connect() as conn:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").all()]
            fk = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
        problems = [r for r in rows if r != "ok"]
        problems += [f"foreign key: {tuple(r)}" for r in fk]
        return problems


def storage_error(exc: BaseException) -> DatabaseError:
    """Turn SQLite's storage failures into a message that names the root cause."""
    msg = str(getattr(exc, "orig", None) or exc)
    low = msg.lower()
    if "locked" in low or "busy" in low:
        return DatabaseError("数据库正被其他程序使用，请稍后重试", f"database is locked: {msg}")
    if "readonly" in low or "read-only" in low or "read only" in low:
        return DatabaseError("数据库文件只读，无法保存", f"database is read-only, nothing was saved: {msg}")
    if "full" in low:
        return DatabaseError("磁盘已满，未保存", f"disk is full, nothing was saved: {msg}")
    if "malformed" in low or "corrupt" in low:
        return DatabaseError("数据库文件已损坏，请从备份恢复", f"database file is corrupt: {msg}")
    return DatabaseError(f"数据库错误：{msg}", f"database error: {msg}")
