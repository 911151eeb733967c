"""A new version of the program adds tables: the server's upgrade (by its owner, through any entry
point) applies the second wall again in the migration's own transaction, so a table the migration adds has its grants,
row-level security and change events before any workstation uses it. Accounts cannot upgrade."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from alembic import command

from app import cli
from app.errors import DatabaseError
from app.store.base import alembic_config, head_revision
from app.store.postgres import PgStore
from tests.server.helpers import make_station, new_case

#: The tables migration 0012 adds (the daily summary): gone at 0011, back at the head.
NEW_TABLES = ("daily_counts", "daily_events")


def _wall(c, prefix: str) -> dict:
    """What the server's rules are for the new tables: RLS on, policies, group grants, triggers."""
    out = {}
    for t in NEW_TABLES:
        out[t] = (
            c.execute("SELECT relrowsecurity FROM pg_class WHERE relname = %s", (t,)).fetchone(),
            sorted(c.execute("SELECT policyname, cmd, qual, with_check FROM pg_policies WHERE tablename = %s",
                             (t,)).fetchall()),
            sorted(c.execute("SELECT grantee, privilege_type FROM information_schema.role_table_grants "
                             "WHERE table_name = %s AND grantee LIKE %s", (t, prefix + ":%")).fetchall()),
            sorted(c.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND NOT tgisinternal",
                             (t,)).fetchall()),
        )
    return out


def _downgrade(owner_url: str, revision: str) -> None:
    db = PgStore(owner_url)
    try:
        with db.engine.connect() as conn:
            with conn.begin():
                command.downgrade(alembic_config(conn), revision)
    finally:
        db.close()


def test_a_table_added_by_an_upgrade_is_covered(scratch):
    station = make_station(scratch)
    prefix = station.address.prefix
    with scratch.superuser() as c:
        before = _wall(c, prefix)
    assert all(rls == (True,) and policies and grants and triggers
               for rls, policies, grants, triggers in before.values())

    _downgrade(scratch.owner_url, "0011")  # the server as an older version of the program left it
    with scratch.superuser() as c:
        assert c.execute("SELECT to_regclass('daily_counts')").fetchone() == (None,)

    # A workstation with the new program cannot upgrade it (its account is no owner) and says who can.
    with pytest.raises(DatabaseError, match="server-upgrade"):
        station.login("off1")

    assert cli.main(["server-upgrade", "--server", scratch.owner_url]) == 0
    with scratch.superuser() as c:
        assert c.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
        assert _wall(c, prefix) == before  # the same rules as at set-up

    # The officer works on the new tables through their grants and rules, and no further.
    off1 = station.login("off1")
    try:
        new_case(off1.db, off1.actor, "A-1", station.officers["off1"], station.teams["一队"])
    finally:
        off1.db.close()
    with psycopg.connect(station.address.for_account("off1", station.accounts["off1"]), autocommit=True) as c:
        assert c.execute("SELECT count(*) FROM daily_counts").fetchone()[0] > 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("ALTER TABLE daily_counts DISABLE ROW LEVEL SECURITY")
    assert cli.main(["server-upgrade", "--server", scratch.owner_url]) == 0  # again: nothing to do


def test_any_entry_point_that_migrates_applies_the_rules_again(scratch):
    """The store itself applies the rules after a migration: a program that opens the server with
    nothing of app.server loaded (a bare script, any command) leaves it as covered as
    server-upgrade does."""
    station = make_station(scratch)
    prefix = station.address.prefix
    with scratch.superuser() as c:
        before = _wall(c, prefix)
    _downgrade(scratch.owner_url, "0011")

    script = ("import sys\nimport app.services\nfrom app.store.postgres import PgStore\n"
              "PgStore(sys.argv[1]).close()\n"
              "print(sorted(m for m in sys.modules if m.startswith('app.server')))\n")
    done = subprocess.run([sys.executable, "-c", script, scratch.owner_url], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2], timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"  # nothing of the station server's modules was loaded
    with scratch.superuser() as c:
        assert c.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
        assert _wall(c, prefix) == before


def test_server_upgrade_at_the_head_applies_this_program_s_rules(scratch):
    """A version that changes only the rules (no migration) reaches a server through server-upgrade:
    a grant the server lacks (as an older program left it) is given again, at the same revision."""
    station = make_station(scratch)
    prefix = station.address.prefix
    grant = ("SELECT count(*) FROM information_schema.column_privileges WHERE table_name = 'account' "
             "AND column_name = 'password_hash' AND privilege_type = 'UPDATE' AND grantee = %s")
    everyone = f"{prefix}:officer"
    with scratch.superuser() as c:
        assert c.execute(grant, (everyone,)).fetchone()[0] == 1
        c.execute(f'REVOKE UPDATE (password_hash) ON account FROM "{everyone}"')
        assert c.execute(grant, (everyone,)).fetchone()[0] == 0
    assert cli.main(["server-upgrade", "--server", scratch.owner_url]) == 0
    with scratch.superuser() as c:
        assert c.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
        assert c.execute(grant, (everyone,)).fetchone()[0] == 1
