"""The one store interface, on both kinds of database: what callers ask a store instead of
telling SQLite from PostgreSQL themselves, and the audit hook the services install on it."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.store import PgStore, SqliteStore, Store
from app.sync import keys as K
from models import AuditEntry, Setting
from tests.sync.helpers import ADMIN


def test_a_store_says_what_it_is(backend, branch):
    assert isinstance(branch, Store)
    if backend == "sqlite":
        assert isinstance(branch, SqliteStore)
        assert branch.is_file and branch.title == str(branch.path) and branch.path.is_file()
    else:
        assert isinstance(branch, PgStore)
        assert not branch.is_file and branch.path is None and branch.key is None
        assert branch.title == branch.safe_url and "postgresql" in branch.title
    assert not branch.is_branch()
    K.init_branch(branch, ADMIN, "东湖分局")
    assert branch.is_branch()


def test_every_write_is_audited_in_its_own_transaction(branch):
    with branch.read() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry))
    with branch.write(ADMIN, "store-test") as s:
        s.add(Setting(key="store.test", value="1"))
    with branch.read() as s:
        rows = s.execute(select(AuditEntry.action, AuditEntry.account).order_by(AuditEntry.seq)).all()
    assert len(rows) == before + 1
    assert tuple(rows[-1]) == ("store-test:create", "admin")
    with pytest.raises(ZeroDivisionError), branch.write(ADMIN, "store-test") as s:
        s.get(Setting, "store.test").value = "2"
        s.flush()
        raise ZeroDivisionError
    with branch.read() as s:  # the change and its audit row went together
        assert s.get(Setting, "store.test").value == "1"
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == before + 1


def test_a_reopened_store_is_a_connection_of_its_own_to_the_same_database(branch):
    with branch.write(ADMIN) as s:
        s.add(Setting(key="store.test", value="seen"))
    other = branch.reopen(instance_lock=False)
    try:
        assert type(other) is type(branch) and other is not branch
        with other.read() as s:
            assert s.get(Setting, "store.test").value == "seen"
    finally:
        other.close()

