"""The PostgreSQL store: a branch office's database on a server (a postgresql:// URL), with the
same Store contract and the same Alembic migrations as a SQLite file."""
from __future__ import annotations

import time
from typing import Any

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from app.errors import DatabaseError
from app.store import rights
from app.store.base import Store, alembic_config, known_revisions

#: Every write transaction takes this advisory lock first: one writer at a time, as SQLite's
#: BEGIN IMMEDIATE gives (the audit chain's next sequence number depends on it).
WRITE_LOCK = 70419


def driver_url(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def safe_url(url: str) -> str:
    """`url` with any password replaced by ***."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not parseable: show only the part after the credentials
        return url.split("@")[-1]


def connection_lost(exc: BaseException) -> bool:
    """Whether `exc` is the server out of reach (network, server down), not a refusal of the SQL."""
    orig = getattr(exc, "orig", None) or exc
    state = getattr(orig, "sqlstate", None)
    return type(orig).__name__ == "OperationalError" and (state is None or state.startswith("08"))


def _pg_error(exc: BaseException, url: str) -> DatabaseError:
    msg = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
    safe = url.split("@")[-1]
    return DatabaseError(f"无法使用PostgreSQL数据库（{safe}）：{msg}", f"cannot use the PostgreSQL database ({safe}): {msg}")


#: A pooled connection idle longer than this is checked (one round trip) before it is used again.
IDLE_PING_SECONDS = 5.0


def _ping_when_idle(engine: Engine) -> None:
    from sqlalchemy import event
    from sqlalchemy.exc import DisconnectionError

    @event.listens_for(engine, "checkin")
    def _checked_in(dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
            return
        try:  # one round trip outside any transaction (autocommit), as SQLAlchemy's pre-ping would
            dbapi_connection.autocommit = True
            try:
                dbapi_connection.execute("SELECT 1")
            finally:
                dbapi_connection.autocommit = False
        except Exception as exc:  # the server closed it meanwhile: the pool makes a new one
            raise DisconnectionError() from exc


class PgStore(Store):
    """An open PostgreSQL branch database (never a station database: stations are SQLite)."""

    def __init__(self, url: str, *, create: bool = False):
        self.url = url
        #: The URL without its password, for titles and messages.
        self.safe_url = safe_url(url)
        try:
            import psycopg  # noqa: F401 - say clearly when the driver is missing
        except ImportError:
            raise DatabaseError("未安装PostgreSQL驱动（psycopg）", "the PostgreSQL driver (psycopg) is not installed") from None
        # No ping before every unit of work (a round trip each): only a connection that sat idle in
        # the pool is checked first. A connection that died while in use invalidates the pool (SQLAlchemy
        # does on a disconnect error), and a window drops its pool when its server was lost
        # (ui/common/server_events.py), so the next unit of work reconnects.
        self.engine = create_engine(driver_url(url), future=True)
        _ping_when_idle(self.engine)
        self._make_sessions(self.engine)
        try:
            state = self.schema_state()
            if state.current is None:
                if not create and self._table_names():
                    raise DatabaseError("该PostgreSQL数据库不是本系统的数据库", "not a station/branch database (no schema version)")
                self.migrate()
            elif state.current not in known_revisions():
                raise DatabaseError(f"数据库由更新版本的程序创建（架构 {state.current}），请升级本程序",
                                    f"the database was made by a newer version of the app (schema {state.current})")
            elif not state.up_to_date:
                try:
                    self.migrate()
                except DBAPIError as exc:
                    if getattr(exc.orig, "sqlstate", None) == "42501":  # an account, not the owner
                        raise DatabaseError(
                            f"服务器数据库结构需要升级（{state.current} → {state.head}），请数据库所有者运行 server-upgrade",
                            f"the server's schema needs an upgrade ({state.current} -> {state.head}): its owner "
                            f"runs server-upgrade") from None
                    raise
        except DatabaseError:
            self.engine.dispose()
            raise
        except (DBAPIError, OperationalError) as exc:
            self.engine.dispose()
            raise _pg_error(exc, url) from exc

    @property
    def title(self) -> str:
        return self.safe_url

    def reopen(self, *, instance_lock: bool = True) -> PgStore:
        return PgStore(self.url)

    def _begin_write(self, session: Session) -> None:
        session.connection().exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")

    def _error(self, exc: BaseException) -> DatabaseError:
        if connection_lost(exc):  # a save that did not reach the server: say so, the form keeps its text
            safe = self.url.split("@")[-1]
            return DatabaseError(f"与服务器的连接已中断（{safe}），未保存；填写的内容仍在，连接恢复后可再次保存",
                                 f"the connection to the server is lost ({safe}); nothing was saved and what you "
                                 f"typed is kept: save again once it is back")
        return _pg_error(exc, self.url)

    def close(self) -> None:
        self.engine.dispose()

    def _table_names(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(inspect(conn).get_table_names())

    def migrate(self, revision: str = "head") -> None:
        """All migrations in one transaction (PostgreSQL's DDL is transactional)."""
        from alembic import command

        with self.engine.connect() as conn:
            with conn.begin():
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
                command.upgrade(alembic_config(conn), revision)
                # A station or branch server's rights, applied again whoever migrates (the CLI, the
                # window, a test): a table the migration adds is covered before anyone can use it.
                rights.reapply_after_migration(conn)

    def integrity_problems(self) -> list[str]:
        return []



def schema_of(url: str) -> str | None:
    """The schema revision a PostgreSQL database holds (None: none yet), without migrating it."""
    engine = create_engine(driver_url(url), future=True)
    try:
        with engine.connect() as conn:
            if "alembic_version" not in set(inspect(conn).get_table_names()):
                return None
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except (DBAPIError, OperationalError) as exc:
        raise _pg_error(exc, url) from exc
    finally:
        engine.dispose()
