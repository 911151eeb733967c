"""Log-in on read-only media, lock-out that counts when the key file cannot be written and on the
idle unlock, and key files whose Argon2 parameters are out of the fixed bounds."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

import pytest

from app.domain.rules import Actor
from app.errors import DatabaseError
from app.services import accounts, org
from app.services.accounts import (
    MAX_FAILURES,
    LoginFailed,
    add_account,
    create_protected_database,
    key_file_for,
    login,
    verify_password,
)
from tests.trust.test_faults import make_read_only, undo_read_only
from tests.unit.test_authorization import PASSWORD, cheap_kdf  # noqa: F401 - fixture

NOW = datetime(2026, 12, 1, 9, 0)


@pytest.fixture
def protected(tmp_path, cheap_kdf):  # noqa: F811
    folder = tmp_path / "media"
    folder.mkdir()
    path = folder / "station.db"
    db = create_protected_database(path, PASSWORD)
    org.init_station(db, "城关派出所", "360102001", "东湖分局")
    add_account(db, Actor(None, "admin", "admin", account="admin"), "leader", PASSWORD, "leader",
                org.add_officer(db, "王所长", "leader"))
    db.close()
    yield path
    accounts._failures_here.clear()


def hashes(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def read_only(protected):
    """The database's folder and every file in it made unwritable (chattr +i as root)."""
    folder = protected.parent
    done = []
    for p in [*folder.iterdir(), folder]:
        if make_read_only(p) is None:
            for q in done:
                undo_read_only(q)
            pytest.skip("cannot make files read-only here")
        done.append(p)
    yield protected
    for q in reversed(done):
        undo_read_only(q)


def test_a_protected_database_on_read_only_media_logs_in_and_reads(read_only):
    before = hashes(read_only.parent)
    logged = login(read_only, "leader", PASSWORD, now=NOW)
    try:
        assert logged.db.read_only and logged.actor.role == "leader"
        with logged.db.read() as s:
            from models import Account

            assert s.query(Account).count() == 2
    finally:
        logged.db.close()
    assert hashes(read_only.parent) == before


def test_the_lock_out_counts_when_the_key_file_cannot_be_written(read_only):
    before = hashes(read_only.parent)
    for i in range(MAX_FAILURES):
        with pytest.raises(LoginFailed) as err:
            login(read_only, "leader", "wrong-pass", now=NOW + timedelta(seconds=i))
        assert "wrong user name or password" in err.value.en
    with pytest.raises(LoginFailed, match="锁定"):
        login(read_only, "leader", PASSWORD, now=NOW + timedelta(minutes=1))
    assert hashes(read_only.parent) == before
    login(read_only, "leader", PASSWORD, now=NOW + timedelta(minutes=16)).db.close()


def test_the_idle_unlock_has_the_same_lock_out(protected):
    logged = login(protected, "leader", PASSWORD, now=NOW)
    try:
        for i in range(MAX_FAILURES):
            with pytest.raises(LoginFailed):
                verify_password(logged.db, logged.actor, "wrong-pass", now=NOW + timedelta(seconds=i))
        with pytest.raises(LoginFailed, match="锁定"):
            verify_password(logged.db, logged.actor, PASSWORD, now=NOW + timedelta(minutes=1))
        # the key file counts it too: a new log-in (another process) is refused as well
        accounts._failures_here.clear()
        with pytest.raises(LoginFailed, match="锁定"):
            login(protected, "leader", PASSWORD, now=NOW + timedelta(minutes=2))
        verify_password(logged.db, logged.actor, PASSWORD, now=NOW + timedelta(minutes=16))
    finally:
        logged.db.close()


@pytest.mark.parametrize("field,value", [("m", 4 * 1024 * 1024), ("m", 512 * 1024), ("t", 20), ("p", 64)])
def test_key_file_parameters_beyond_the_fixed_bounds_are_refused_at_once(protected, field, value):
    import time

    kf = key_file_for(protected)
    data = json.loads(kf.read_text(encoding="utf-8"))
    data["accounts"]["leader"][field] = value
    kf.write_text(json.dumps(data), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(DatabaseError, match="outside"):
        login(protected, "leader", PASSWORD, now=NOW)
    assert time.perf_counter() - started < 1.0


def test_the_default_profile_is_inside_the_bounds():
    t, m, p = accounts.KDF_TIME, accounts.KDF_MEMORY_KIB, accounts.KDF_PARALLELISM
    assert (t, m, p) == (3, 64 * 1024, 4)
    assert all(lo <= v <= hi for lo, v, hi in zip(accounts.KDF_MIN, (t, m, p), accounts.KDF_MAX))
