"""Preparing the station database at start: the default one is created with the demo station.

The demo database is protected like a real one (encrypted, accounts and roles); its accounts
share the documented password DEMO_PASSWORD, and the window says plainly that it is a demo.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from app.domain.rules import Actor
from app.store import SqliteStore, Store
from app.store.keyfile import DEMO_PASSWORD  # noqa: E402 - one definition, light to import
from app.store.paths import default_db_path
from app.store.sqlite import sniff_file

#: (user name, role, which officer) of the demo station's accounts.
DEMO_ACCOUNTS = (
    ("admin", "admin", None),
    ("leader", "leader", "leader"),
    ("teamleader", "team_leader", "team_leader"),
    ("officer", "officer", "officer"),
    ("analyst", "analyst", None),
)


def create_demo_database(path: str | Path, *, seed: int = 1, scale: float = 1.0, as_of: date | None = None,
                         progress=None, password: str = DEMO_PASSWORD):
    """A new protected database holding the demo station and its documented accounts."""
    from sqlalchemy import select

    from app.demo import generate_demo
    from app.services import accounts
    from models import Officer

    target = Path(path)
    db = accounts.create_protected_database(target, password)
    try:
        summary = generate_demo(db, seed=seed, scale=scale, as_of=as_of, progress=progress)
        record_demo_event(db, summary)
        from app.demo_workflows import add_workflow_demo
        add_workflow_demo(db, seed, as_of)
        with db.read() as session:
            leader = session.scalar(select(Officer).where(Officer.role == "leader").order_by(Officer.id))
            team_leader = session.scalar(select(Officer).where(Officer.role == "team_leader").order_by(Officer.id))
            officer = session.scalar(select(Officer).where(Officer.role == "officer",
                                                           Officer.team_id == team_leader.team_id)
                                     .order_by(Officer.id))
            people = {"leader": leader, "team_leader": team_leader, "officer": officer}
            rows = [(user, password, role, people[who].id if who else None,
                     people[who].name if who else {"admin": "系统管理员", "analyst": "分局研判员"}[user])
                    for user, role, who in DEMO_ACCOUNTS if user != "admin"]  # admin made with the file
        accounts.add_accounts_bulk(db, Actor(None, "system", "admin", account="admin"), rows)
        accounts.mark_demo(target)
    except BaseException:
        db.close()
        for f in (target, accounts.key_file_for(target)):
            f.unlink(missing_ok=True)
        raise
    return db, summary


def record_demo_event(db: Store, summary) -> None:
    """The demo is loaded in bulk (no per-row audit): one audit event says what was generated."""
    from dataclasses import asdict

    from app.services import audit

    audit.record_event(db, Actor(None, "system", "admin", account="system"), "generate_demo",
                       detail={k: v for k, v in asdict(summary).items() if isinstance(v, (int, float, str))})


def ensure_default_database(progress=None) -> tuple[Path, bool]:
    """The default station database, created with the demo station on first start.
    Returns (path, created_now)."""
    target = default_db_path()
    if sniff_file(target) in ("missing", "empty"):
        db, _ = create_demo_database(target, progress=progress)
        db.close()
        return target, True
    return target, False


def open_plain(path: str | Path) -> Store:
    """An unprotected database (tests and tools); protected ones go through accounts.login."""
    return SqliteStore(path)


class Opened:
    """An opened database and whether the demo station was created just now."""

    def __init__(self, db: Store, created_demo: bool):
        self.db = db
        self.created_demo = created_demo


def open_station(path: str | Path | None = None) -> Opened:
    """Open an unprotected database directly (the default one is created first when missing).
    A protected database raises DatabaseError asking for a log-in (accounts.login)."""
    import app.services  # noqa: F401 - installs the store's hooks (the pre-upgrade backup, the audit trail)
    from app.errors import DatabaseError
    from app.store.keyfile import is_protected  # not app.services.accounts: no Argon2 or AES for a plain file

    if path is None:
        target, created = ensure_default_database()
    else:
        target, created = Path(path), False
    if is_protected(target):
        raise DatabaseError("该数据库受保护，请登录", "this database is protected: log in first")
    return Opened(SqliteStore(target), created)
