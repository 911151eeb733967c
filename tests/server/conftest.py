"""Station-server tests on the real PostgreSQL server the suite starts (STATION_TEST_PG_URL).

Each test gets a scratch database owned by a scratch owner role that may create roles (what a
station's set-up user is: never a superuser), made and dropped by the server's superuser
(STATION_TEST_PG_SUPER_URL, else the test server's `postgres` user, which scripts/start_postgres.sh
lets in over 127.0.0.1). Role names carry the scratch database's name, so tests never meet.
"""
from __future__ import annotations

import itertools
import os
import uuid

import pytest
from sqlalchemy.engine import make_url

from tests.sync.conftest import PG_ENV, pg_url_or_skip

_counter = itertools.count()


def super_url() -> str:
    url = os.environ.get("STATION_TEST_PG_SUPER_URL")
    if url:
        return url
    base = make_url(pg_url_or_skip())
    return base.set(username="postgres", password=None, database="postgres").render_as_string(hide_password=False)


def _super(database: str = "postgres"):
    import psycopg

    url = make_url(super_url()).set(database=database).render_as_string(hide_password=False)
    return psycopg.connect(url, autocommit=True)


def drop_scratch(name: str) -> None:
    """Drop a scratch database and every role of its prefix."""
    with _super() as c:
        for (other,) in c.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", (name + "_verify_%",)):
            c.execute(f'DROP DATABASE IF EXISTS "{other}" WITH (FORCE)')
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        roles = [r[0] for r in c.execute(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE %s OR rolname LIKE %s OR rolname = %s ORDER BY "
            "rolname LIKE '%%:%%'", (name + ".%", name + ":%", name + "_owner")).fetchall()]
        for r in roles:
            c.execute(f'DROP ROLE IF EXISTS "{r}"')


class Scratch:
    """A scratch database and its owner: `owner_url` sets the station up; `url_as(user)` is any
    other user's connection to it."""

    def __init__(self):
        pg_url_or_skip()
        self.name = f"srv{os.getpid()}_{next(_counter)}_{uuid.uuid4().hex[:6]}"
        self.owner = f"{self.name}_owner"
        with _super() as c:
            c.execute(f'CREATE ROLE "{self.owner}" LOGIN CREATEROLE CREATEDB')
            c.execute(f'CREATE DATABASE "{self.name}" OWNER "{self.owner}"')
        with _super(self.name) as c:  # PostgreSQL 15 lets only the owner create in public by default
            c.execute(f'ALTER SCHEMA public OWNER TO "{self.owner}"')
        self.owner_url = self.url_as(self.owner)

    def url_as(self, user: str, password: str | None = None) -> str:
        return make_url(os.environ[PG_ENV]).set(username=user, password=password, database=self.name) \
            .render_as_string(hide_password=False)

    @property
    def server_url(self) -> str:
        """The address without a user, as workstations are told it."""
        from app.server.setup import without_user

        return without_user(self.url_as(self.owner))

    def superuser(self):
        return _super(self.name)

    def drop(self) -> None:
        drop_scratch(self.name)


@pytest.fixture
def scratch():
    s = Scratch()
    yield s
    s.drop()
