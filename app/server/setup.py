"""Making a station server and logging in to it: the schema, the second wall, accounts as roles.

`create_station_server` runs as the database's owner (a PostgreSQL user that owns the database
and may create roles, never a superuser in a station): it migrates the schema, applies the SQL of
app.store.rights, records the station and its administrator account, whose log-in role gets
the administrator's password as a SCRAM verifier. Every workstation then logs in with
`login_to_server` as its account's own PostgreSQL user; the services check first, and the
database refuses the same things to that user in psql.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from sqlalchemy import select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from app.domain.rules import Actor
from app.errors import DatabaseError, ValidationError
from app.store.postgres import PgStore, safe_url
from app.store.rights import PREFIX_SETTING, RoleNames, apply_rights_on, reapply_after_migration, server_prefix_on

log = logging.getLogger(__name__)

#: What a failed PostgreSQL log-in says (wrong password, unknown or disabled user): one message.
_AUTH_FAILURES = re.compile(r'password authentication failed|is not permitted to log in|role ".*" does not exist|'
                            r'no pg_hba\.conf entry|authentication failed')


@dataclass(frozen=True)
class ServerAddress:
    """Where a station server is and how to reach it: a URL without user or password (host,
    port, database, TLS options) and the station's role prefix."""

    url: str
    prefix: str

    def __post_init__(self):
        RoleNames(self.prefix)  # validates
        parsed = make_url(self.url)
        if parsed.username or parsed.password:
            raise ValidationError("服务器地址中不应包含用户名或密码", "the server address must not hold a user or "
                                  "password", "url")

    @property
    def names(self) -> RoleNames:
        return RoleNames(self.prefix)

    @property
    def database(self) -> str:
        return make_url(self.url).database or ""

    def for_account(self, username: str, password: str) -> str:
        """The URL an account logs in with (its own PostgreSQL user)."""
        return make_url(self.url).set(username=self.names.login(username), password=password) \
            .render_as_string(hide_password=False)

    @property
    def shown(self) -> str:
        """host:port/database, for the log-in dialog and messages."""
        u = make_url(self.url)
        return f"{u.host or 'localhost'}:{u.port or 5432}/{u.database}"


def without_user(url: str) -> str:
    """`url` with no user name or password (what a workstation is told; each account adds its own)."""
    u = make_url(url)
    return URL.create(u.drivername, host=u.host, port=u.port, database=u.database, query=u.query) \
        .render_as_string(hide_password=False)


def default_prefix(database: str) -> str:
    """The role prefix a station gets unless told otherwise: its database name."""
    return database.lower()


def scram_verifier(session_or_conn, login: str, password: str) -> str:
    """A SCRAM-SHA-256 verifier for `password`, made on this side with libpq (the server's
    iteration count and salt rules), so the password itself never crosses the connection."""
    conn = session_or_conn.connection() if hasattr(session_or_conn, "get_bind") else session_or_conn
    pgconn = conn.connection.dbapi_connection.pgconn
    return pgconn.encrypt_password(password.encode("utf-8"), login.encode("utf-8"), b"scram-sha-256").decode("ascii")


def apply_server_sql(db: PgStore, names: RoleNames) -> None:
    """(Re)apply the second wall in one transaction, at set-up (every migration applies it again
    by itself: app.store.postgres)."""
    with db.engine.connect() as conn:
        with conn.begin():
            apply_rights_on(conn, names)


def upgrade_server(owner_url: str) -> tuple[str | None, str]:
    """As the owner: the schema migrated to this program's head, the second wall re-applied in
    the same transaction (the PostgreSQL store does after every migration). A server already at
    the head gets this program's rules too, in one transaction of their own: a version that only
    changes who may write what (a grant, a setting key's action) reaches the server this way.
    Returns the revisions (before, after)."""
    from app.store.postgres import schema_of

    before = schema_of(owner_url)
    db = PgStore(owner_url)  # opening migrates an older schema (and so re-applies the wall)
    try:
        after = db.schema_state().current or ""
        if before == after:
            with db.engine.connect() as conn:
                with conn.begin():
                    reapply_after_migration(conn)
    finally:
        db.close()
    return before, after




def create_station_server(owner_url: str, station_name: str, admin_username: str, admin_password: str, *,
                          prefix: str | None = None, code: str = "") -> ServerAddress:
    """A new station on the (empty) database `owner_url` names, reached as its owner. Returns the
    address workstations log in to."""
    from app.services.accounts import add_account
    from app.services.org import init_station, station_info
    from models import Setting

    db, names = _owner_store(owner_url, prefix)
    try:
        if station_info(db) is not None:
            raise ValidationError(f"该数据库中已有派出所，未做任何修改：{safe_url(owner_url)}",
                                  f"the database already holds a station; nothing was changed: {safe_url(owner_url)}",
                                  "db")
        apply_server_sql(db, names)
        init_station(db, station_name, code=code)
        system = Actor(None, "system", "admin", account="system")
        with db.write(system, "init") as session:
            session.add(Setting(key=PREFIX_SETTING, value=names.prefix))
        add_account(db, system, admin_username, admin_password, "admin", None, "系统管理员")
    except DBAPIError as exc:
        raise DatabaseError(f"无法在服务器上建立派出所：{_first_line(exc)}",
                            f"cannot make the station on the server: {_first_line(exc)}") from exc
    finally:
        db.close()
    return ServerAddress(without_user(owner_url), names.prefix)


def _owner_store(owner_url: str, prefix: str | None) -> tuple[PgStore, RoleNames]:
    """The server database opened as its owner (made when missing), with its role names."""
    u = make_url(owner_url)
    if not u.database:
        raise ValidationError("服务器地址中缺少数据库名", "the server URL names no database", "db")
    names = RoleNames(prefix or default_prefix(u.database))
    db = PgStore(owner_url, create=True)
    attach_names(db, names)
    return db, names


def attach_names(db: PgStore, names: RoleNames) -> None:
    """Mark `db` as a station server's with its role names: account passwords set through the
    account services then follow into the database roles (Store.password_hook)."""
    db.server_names = names
    db.password_hook = lambda session, username, password: set_server_password(db, session, username, password)


def create_branch_server(owner_url: str, admin_username: str, admin_password: str, *,
                         make_branch: Callable[[PgStore], None], prefix: str | None = None) -> ServerAddress:
    """A branch office on PostgreSQL with accounts as database roles, as a station server has:
    a new branch on an empty database, or an existing branch made before (whose every log-in
    worked as its administrator) given its accounts, keeping its keys and data. `make_branch`
    makes the branch's keys on a database that has none yet (app.sync.keys.init_branch).
    Returns the address the branch's accounts log in to."""
    db, names = _owner_store(owner_url, prefix)
    try:
        with db.engine.connect() as conn:
            if server_prefix_on(conn):
                raise ValidationError(f"该分局数据库已有账户，未做任何修改：{safe_url(owner_url)}",
                                      f"the branch database already has its accounts; nothing was changed: "
                                      f"{safe_url(owner_url)}", "db")
        if not db.is_branch():
            make_branch(db)
        apply_server_sql(db, names)  # the branch's rules: it holds the branch key now
        _accounts_as_roles(db, names, admin_username, admin_password)
    except DBAPIError as exc:
        raise DatabaseError(f"无法在服务器上建立分局数据库：{_first_line(exc)}",
                            f"cannot make the branch database on the server: {_first_line(exc)}") from exc
    finally:
        db.close()
    return ServerAddress(without_user(owner_url), names.prefix)


def _accounts_as_roles(db: PgStore, names: RoleNames, admin_username: str, admin_password: str) -> None:
    """The last step of a server's set-up: its role prefix recorded, its administrator account
    (and so its first log-in role) made."""
    from app.services.accounts import add_account
    from models import Setting

    system = Actor(None, "system", "admin", account="system")
    with db.write(system, "init") as session:
        session.add(Setting(key=PREFIX_SETTING, value=names.prefix))
    add_account(db, system, admin_username, admin_password, "admin", None, "系统管理员")


def set_server_password(db, session, username: str, password: str) -> None:
    """Inside an account service's write: the account's PostgreSQL password becomes `password`
    (the administrator for anyone, an account for itself; the database checks which)."""
    names: RoleNames = db.server_names
    verifier = scram_verifier(session, names.login(username), password)
    session.execute(text("SELECT station_set_password(:u, :v)"), {"u": username, "v": verifier})


def _first_line(exc: BaseException) -> str:
    msg = str(getattr(exc, "orig", None) or exc).strip()
    return msg.splitlines()[0] if msg else repr(exc)


def _is_auth_failure(exc: BaseException) -> bool:
    """Whether a failed connection was PostgreSQL refusing the user (not the network or the database)."""
    seen: set[int] = set()
    todo: list = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if _AUTH_FAILURES.search(str(e)):
            return True
        todo += [e.__cause__, e.__context__, getattr(e, "orig", None)]
    return False


def open_server(address: ServerAddress, username: str, password: str) -> PgStore:
    """The station database on the server, opened as the account's own PostgreSQL user. A
    wrong password, an unknown or a disabled account: the same message as on a file station."""
    from app.services.accounts import LoginFailed

    try:
        db = PgStore(address.for_account(username, password))
    except DatabaseError as exc:
        if _is_auth_failure(exc):
            raise LoginFailed("用户名或密码错误", "wrong user name or password", "password") from None
        raise
    attach_names(db, address.names)
    db.server_address = address
    return db


def login_to_server(address: ServerAddress, username: str, password: str, now: datetime | None = None,
                    action: str | None = None):
    """Log in to a station server: PostgreSQL checks the password (SCRAM); the account row (the
    one the user may read) gives the role; the log-in is audited. Returns accounts.LoggedIn."""
    from app.domain.permissions import authorize
    from app.services import audit
    from app.services.accounts import LoggedIn, LoginFailed
    from models import Account, Officer

    db = open_server(address, username, password)
    try:
        with db.write(None, "login") as session:
            acc = session.scalar(select(Account).where(Account.username == username))
            if acc is None or not acc.active:
                raise LoginFailed("用户名或密码错误", "wrong user name or password", "password")
            officer = session.get(Officer, acc.officer_id) if acc.officer_id else None
            actor = Actor(acc.officer_id, acc.display_name or acc.username, acc.role,
                          officer.station_id if officer else None, officer.team_id if officer else None,
                          account=acc.username)
            if action is not None:
                authorize(actor, action)
            session.info["actor"] = actor
            acc.last_login_at = (now or datetime.now()).replace(microsecond=0)
            must_change = bool(acc.must_change_password)
            audit.append_event(session, actor, "login", detail={"server": address.shown})
    except BaseException:
        db.close()
        raise
    return LoggedIn(db, actor, must_change)


def console_address(url: str, username: str | None = None, prefix: str | None = None):
    """What a console is given → (address, account, password from the URL), or None for a URL that
    names a plain PostgreSQL user (the database's owner). `postgresql://PREFIX.USER[:PW]@HOST/DB`
    names the account as psql would; `postgresql://HOST/DB` takes `username` (and `prefix`, by
    default the database's name; the account is "" when neither names it)."""
    u = make_url(url.replace("postgres://", "postgresql://", 1))
    if u.username and "." in u.username:
        prefix, _, account = u.username.partition(".")
    elif u.username:
        return None
    else:
        account = username or ""
        prefix = prefix or default_prefix(u.database or "")
    return ServerAddress(without_user(url), prefix), account, u.password


def open_console(url: str, username: str | None, password, action: str | None = None, *,
                 prefix: str | None = None):
    """Log in to a station or branch server from a console (the command line, the window):
    returns accounts.LoggedIn. On a server with accounts as roles the account logs in as its own
    PostgreSQL user and its role decides (POLICY, then the database's own rights), an analyst
    included; `password` is called only when the URL holds none. A URL with a plain user is taken
    only for a branch made before accounts existed, and only as the database's owner (who may do
    everything there in psql anyway): any other log-in is refused, so a login role given to an
    analyst on such a database is never the branch's administrator."""
    from app.domain.permissions import authorize
    from app.services.accounts import LoggedIn

    parsed = console_address(url, username, prefix)
    if parsed is not None:
        address, account, pw = parsed
        if not account:
            raise ValidationError("请给出账户用户名", "give the account's user name", "username")
        return login_to_server(address, account, pw if pw is not None else password(), action=action)
    db = PgStore(url)
    try:
        with db.engine.connect() as conn:
            has_accounts = server_prefix_on(conn)
            is_owner = conn.exec_driver_sql(
                "SELECT session_user = pg_get_userbyid(datdba) FROM pg_database "
                "WHERE datname = current_database()").scalar()
        user = make_url(url.replace("postgres://", "postgresql://", 1)).username
        if has_accounts:
            raise ValidationError(
                f"该数据库使用账户登录：请以账户登录（postgresql://主机/数据库 加 --user 用户名，或 {has_accounts}.用户名）",
                f"this database has accounts: log in with one (postgresql://HOST/DB with --user NAME, or the "
                f"PostgreSQL user {has_accounts}.NAME)", "user")
        if not is_owner:
            raise ValidationError(
                f"该分局数据库尚无账户，只有其所有者可以使用；请所有者运行 branch-init 为其建立账户（{user}）",
                f"this branch database has no accounts yet; only its owner may use it. Its owner gives it "
                f"accounts with branch-init ({user})", "user")
        actor = Actor(None, user, "admin", account=user)
        if action is not None:
            authorize(actor, action)
    except BaseException:
        db.close()
        raise
    return LoggedIn(db, actor, False)

