"""What every store shares: the `Store` interface (read/write scopes, schema state, migrations),
the migration graph read from the scripts, and the hooks installed from outside.

A store is a station or branch database: `SqliteStore` (app/store/sqlite.py, SQLite through
SQLCipher, plain or encrypted) or `PgStore` (app/store/postgres.py, a branch office on
PostgreSQL). Callers hold a `Store` and ask it what they need (`is_file`, `is_branch`…) rather
than telling the kinds apart themselves.
"""
from __future__ import annotations

import abc
import contextlib
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import DatabaseError
from app.store.hooks import run_deferred_hooks
from app.store.revisions import MIGRATIONS_DIR, script_revisions

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from sqlalchemy.engine import Engine



@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def alembic_config(connection: Any = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def schema_object_filter(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic autogenerate sees the mapped tables only: FTS5 tables are made by hand in 0002."""
    return not (type_ == "table" and name and "_fts" in name)


@functools.lru_cache(maxsize=1)
def _revision_graph() -> tuple[str, frozenset[str]]:
    """(head, every revision): from the scripts' lines (app.store.revisions), or Alembic's own
    reading for a layout these lines cannot describe."""
    return script_revisions() or _alembic_revision_graph()


def _alembic_revision_graph() -> tuple[str, frozenset[str]]:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    head = scripts.get_current_head()
    assert head is not None
    return head, frozenset(s.revision for s in scripts.walk_revisions())


def head_revision() -> str:
    return _revision_graph()[0]


def known_revisions() -> set[str]:
    return set(_revision_graph()[1])


# -- hooks installed from outside --------------------------------------------------------------
class WriterSession(Session):
    """The session class of every store's write scope. Hooks that ride on every writer session
    (the audit trail, app/services/audit.py) listen on this class, so they reach the stores
    opened before and after they were installed."""


#: Makes the verified copy kept before a schema upgrade: (store, kind) -> an object with `.path`.
_pre_upgrade_backup: Callable[[Store, str], Any] | None = None
_writer_hooked = False
#: Data steps a migration runs through the layers above, by name: (connection) -> None.
_upgrade_steps: dict[str, Callable[[Connection], Any]] = {}


def install_hooks(*, writer: Callable[[type[WriterSession]], None],
                  pre_upgrade_backup: Callable[[Store, str], Any],
                  upgrade_steps: dict[str, Callable[[Connection], Any]] | None = None) -> None:
    """Install what the layers above add to every store (app/services/__init__.py does, once):
    `writer(WriterSession)` attaches the audit trail to every writer session,
    `pre_upgrade_backup(store, "pre-upgrade")` keeps a verified copy before a schema upgrade, and
    `upgrade_steps` are the data steps migrations run by name (run_upgrade_step)."""
    global _pre_upgrade_backup, _writer_hooked
    if not _writer_hooked:
        writer(WriterSession)
        _writer_hooked = True
    _pre_upgrade_backup = pre_upgrade_backup
    _upgrade_steps.update(upgrade_steps or {})


def run_upgrade_step(name: str, conn: Connection) -> None:
    """A migration's data step (e.g. building the daily summary from the records), run inside
    the migration's transaction. A new, empty database needs none; a database with records
    needs the step installed (import app.services), or the upgrade stops and changes nothing."""
    from sqlalchemy import select

    from app.store.records import MODELS

    run_deferred_hooks()
    step = _upgrade_steps.get(name)
    if step is not None:
        step(conn)
        return
    if any(conn.execute(select(model.id).limit(1)).first() is not None for model in MODELS.values()):
        raise DatabaseError(f"数据库升级步骤不可用：{name}", f"the upgrade step {name} is not installed "
                            "(import app.services)")


def pre_upgrade_backup(store: Store) -> Path:
    """Keep a verified copy of `store` before its schema is upgraded; returns the copy's path."""
    run_deferred_hooks()
    if _pre_upgrade_backup is None:
        raise DatabaseError("数据库需要升级，但升级前备份不可用", "the database needs an upgrade but no pre-upgrade "
                            "backup is installed (import app.services)")
    return Path(_pre_upgrade_backup(store, "pre-upgrade").path)


# -- the interface -----------------------------------------------------------------------------
class Store(abc.ABC):
    """An open station or branch database: an engine plus read and write unit-of-work scopes."""

    engine: Engine
    #: The database file (None for a server database).
    path: Path | None = None
    #: The SQLCipher key of an encrypted file (None otherwise).
    key: str | None = None
    #: Nothing can be written (a file on read-only media).
    read_only: bool = False
    #: On a station server, (session, username, password) -> None: the account's database role
    #: takes the new password inside the same write (app.server.setup sets it; None otherwise).
    password_hook: Callable[[Session, str, str], None] | None = None
    #: The roles private key (app/services/accounts.py, the roles seal): unwrapped by the log-in
    #: of an administrator or station leader, or made with a new protected database. None
    #: otherwise: then no account row of a protected database can be changed.
    roles_key: Ed25519PrivateKey | None = None
    #: Why the accounts table did not match its roles seal at this log-in (empty when it did).
    roles_problems: tuple[str, ...] = ()
    _read: sessionmaker[Session]
    _write: sessionmaker[WriterSession]

    def _make_sessions(self, write_engine: Engine) -> None:
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(write_engine, class_=WriterSession, expire_on_commit=False)

    # -- what callers ask --------------------------------------------------------------------
    @property
    def is_file(self) -> bool:
        """A database file of its own (backups, key file, file copies apply), not a server's."""
        return self.path is not None

    @property
    @abc.abstractmethod
    def title(self) -> str:
        """What names this database in titles and messages (its path, or its URL without password)."""

    def is_branch(self) -> bool:
        """Whether this database is a branch office's (it holds the branch's own keys)."""
        from models import SyncKey

        with self.read() as session:  # the key's kind only: a branch's accounts may not read its private half
            return session.scalar(select(SyncKey.kind).where(SyncKey.kind == "branch_box")) is not None

    @abc.abstractmethod
    def reopen(self, *, instance_lock: bool = True) -> Store:
        """A new connection of its own to the same database (for a worker thread)."""

    # -- scopes ------------------------------------------------------------------------------
    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (a deferred transaction, one consistent snapshot)."""
        with self._read() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextlib.contextmanager
    def write(self, actor: Any = None, action: str = "") -> Iterator[Session]:
        """A write unit of work: one writer at a time, commit on success, roll back on any error.
        `actor` and `action` name who does what, for the audit trail written in the same
        transaction."""
        run_deferred_hooks()
        if not _writer_hooked:  # never a write without its audit trail
            raise DatabaseError("审计记录未启用，未保存", "the audit trail is not installed (import app.services); "
                                "nothing was written")
        with self._write() as session:
            session.info["actor"] = actor
            session.info["action"] = action
            try:
                self._begin_write(session)
                yield session
                session.commit()
            except OperationalError as exc:
                session.rollback()
                raise self._error(exc) from exc
            except BaseException:
                session.rollback()
                raise

    def _begin_write(self, session: Session) -> None:  # noqa: B027 - optional: SQLite's engine begins IMMEDIATE
        """Take the writer's lock at the start of a write transaction (if the engine does not)."""

    @abc.abstractmethod
    def _error(self, exc: BaseException) -> DatabaseError:
        """A storage failure as a message that names the root cause."""

    @abc.abstractmethod
    def close(self) -> None: ...

    # -- schema ------------------------------------------------------------------------------
    @abc.abstractmethod
    def _table_names(self) -> set[str]: ...

    def schema_state(self) -> SchemaState:
        if "alembic_version" not in self._table_names():
            return SchemaState(None, head_revision())
        with self.engine.connect() as conn:
            current = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        return SchemaState(current, head_revision())

    @abc.abstractmethod
    def migrate(self, revision: str = "head") -> None:
        """Run the Alembic migrations up to `revision` in one transaction."""

    @abc.abstractmethod
    def integrity_problems(self) -> list[str]: ...
