"""The sync suite runs on SQLite and on PostgreSQL: the `backend` fixture gives both.

PostgreSQL comes from STATION_TEST_PG_URL (scripts/start_postgres.sh prints one). Without it the
PostgreSQL half is skipped on a developer machine, and FAILS when CI is set, so a CI run can never
pass with the PostgreSQL half silently missing.
"""
from __future__ import annotations

import itertools
import os
import uuid

import pytest

from app.store import SqliteStore

PG_ENV = "STATION_TEST_PG_URL"
_template: dict[str, str] = {}
_counter = itertools.count()


def pg_url_or_skip() -> str:
    url = os.environ.get(PG_ENV)
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail(f"{PG_ENV} is not set in CI: start PostgreSQL with scripts/start_postgres.sh")
    pytest.skip(f"PostgreSQL not configured ({PG_ENV} unset, not CI)")


def _admin(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def new_pg_database(url: str) -> str:
    """A fresh, migrated branch database, copied from a template migrated once per session."""
    from app.store.postgres import PgStore

    base = url.rsplit("/", 1)[0]
    if "tpl" not in _template:
        name = f"sync_tpl_{os.getpid()}"
        with _admin(url) as c:
            c.execute(f"DROP DATABASE IF EXISTS {name}")
            c.execute(f"CREATE DATABASE {name}")
        PgStore(f"{base}/{name}", create=True).close()
        _template["tpl"] = name
    name = f"sync_t{os.getpid()}_{next(_counter)}_{uuid.uuid4().hex[:6]}"
    with _admin(url) as c:
        c.execute(f"CREATE DATABASE {name} TEMPLATE {_template['tpl']}")
    return f"{base}/{name}"


def drop_pg_database(url: str, db_url: str) -> None:
    """Drop a test database. FORCE must terminate every backend on it, and the test user may not
    signal a background worker that happens to be there (autovacuum, or a server test's role):
    that refusal is retried, then the drop is left to the throw-away server's removal."""
    import time

    import psycopg

    name = db_url.rsplit("/", 1)[1]
    for _attempt in range(20):
        try:
            with _admin(url) as c:
                c.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            return
        except psycopg.errors.InsufficientPrivilege:
            time.sleep(0.25)
    import warnings
    warnings.warn(f"test database {name} left behind: a backend on it could not be terminated", stacklevel=2)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    if request.param == "postgresql":
        pg_url_or_skip()
    return request.param


@pytest.fixture
def make_branch(backend, tmp_path):
    """A factory of empty branch databases on the test's backend."""
    from app.store.postgres import PgStore

    made = []

    def make(name: str = "branch"):
        if backend == "sqlite":
            db = SqliteStore(tmp_path / f"{name}.db", create=True)
            made.append((db, None))
        else:
            url = new_pg_database(os.environ[PG_ENV])
            db = PgStore(url)
            made.append((db, url))
        return db

    yield make
    for db, url in made:
        db.close()
        if url:
            drop_pg_database(os.environ[PG_ENV], url)


@pytest.fixture
def branch(make_branch):
    return make_branch()
