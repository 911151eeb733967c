"""Backups: consistent snapshots under writes, no file copies, thinning, verification, restore, full disk."""
import builtins
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlite

from app.errors import DatabaseError, StationError
from app.services import backup as B, org, records as R
from app.store import SqliteStore
from app.store.base import head_revision
from app.store.sqlite import key_pragma, sniff_file

ROOT = Path(__file__).resolve().parents[2]
TODAY = date.today()
T0 = datetime(2025, 3, 4, 5, 6, 7)


def sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def new_case(db, actor, no="A001", level="red"):
    return R.create_case(db, actor, R.CaseInput(no, "criminal", level, TODAY - timedelta(days=2), cause="入室盗窃",
                                                people=R.Responsibility(officer_id=actor.officer_id)))


def fill(db, rows: int, payload: int = 200, batch: int = -1) -> None:
    """Bulk rows in a scratch table: volume for the large-database cases."""
    with db.raw() as c:
        c.execute("CREATE TABLE IF NOT EXISTS load_test(id INTEGER PRIMARY KEY, batch INTEGER, payload BLOB)")
        c.executemany("INSERT INTO load_test(batch, payload) VALUES (?, ?)",
                      [(batch, os.urandom(payload)) for _ in range(rows)])


def _tables(conn) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE '%fts%' ORDER BY name")]


def snapshot_file(path, key=None) -> dict:
    """Every row of every table of a closed database file, read-only (the file is not changed)."""
    conn = sqlite.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        if key:
            conn.execute(key_pragma(key))
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in _tables(conn)}
    finally:
        conn.close()


def snapshot(db) -> dict:
    with db.engine.connect() as c:
        dbapi = c.connection.dbapi_connection
        return {t: dbapi.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in _tables(dbapi)}


def count_in(path, table, key=None) -> int:
    return len(snapshot_file(path, key)[table])


def manifest(folder) -> dict:
    return json.loads((Path(folder) / B.MANIFEST_NAME).read_text("utf-8"))


def flip_middle_byte(path) -> None:
    data = bytearray(Path(path).read_bytes())
    data[len(data) // 2] ^= 0xFF
    Path(path).write_bytes(bytes(data))


# -- A9 / F2: a consistent snapshot while writers are busy --------------------------------------
def test_backup_during_heavy_writes_is_one_consistent_snapshot(db, station):
    fill(db, 20_000)  # ~5 MB: the copy takes several steps
    done = [0]
    stop = threading.Event()
    errors = []

    def writer():
        try:
            # its own engine, made in this thread; a second handle inside one process is what
            # this test needs, so the one-app-per-file lock is not taken for it
            other = SqliteStore(db.path, instance_lock=False)
            try:
                b = 0
                while not stop.is_set() and b < 1000:
                    with other.raw() as c:  # one transaction per batch of 100
                        c.executemany("INSERT INTO load_test(batch, payload) VALUES (?, ?)",
                                      [(b, os.urandom(64)) for _ in range(100)])
                    b += 1
                    done[0] = b
            finally:
                other.close()
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    steps = []

    def progress(pages, total):
        steps.append((pages, total, done[0]))
        if len(steps) == 1:  # hold the copy open until the writer has committed ten more batches
            start, deadline = done[0], time.monotonic() + 30
            while done[0] < start + 10 and time.monotonic() < deadline:
                time.sleep(0.002)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while done[0] < 5 and time.monotonic() < deadline:
            time.sleep(0.002)
        info = B.make_backup(db, "manual", progress=progress)
    finally:
        stop.set()
        thread.join()
    assert not errors
    assert len(steps) >= 3 and steps[-1][0] == steps[-1][1]
    assert steps[-1][2] - steps[0][2] >= 10, "the writer committed while the backup was being made"
    live = snapshot(db)["load_test"]
    n = count_in(info.path, "load_test")
    assert n % 100 == 0 and 20_000 + 500 <= n < len(live)
    assert info.count("load_test") == n  # the counts recorded are those of the snapshot copied
    assert snapshot_file(info.path)["load_test"] == live[:n]
    assert B.verify_all(info.path.parent) == [(info.name, True, "")]


def test_backup_never_copies_the_live_database_file(db, station, monkeypatch):
    new_case(db, station.officer)
    live = {str(db.path.resolve()) + s for s in ("", "-wal", "-shm")}

    def refuse(*args, **kwargs):
        raise AssertionError(f"file copy during backup: {args}")

    for name in ("copy", "copyfile", "copy2", "copyfileobj", "move"):
        monkeypatch.setattr(shutil, name, refuse)
    real_open, real_os_open = builtins.open, os.open

    def guarded_open(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and str(Path(file).resolve()) in live:
            raise AssertionError(f"the live database file was opened as a file: {file}")
        return real_open(file, *args, **kwargs)

    def guarded_os_open(path, *args, **kwargs):
        if str(Path(path).resolve()) in live:
            raise AssertionError(f"the live database file was opened as a file: {path}")
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)
    info = B.make_backup(db, "manual")
    monkeypatch.undo()
    assert info.verified and count_in(info.path, "case_record") == 1


def test_a_backup_is_named_checked_recorded_and_self_contained(db, station, tmp_path):
    new_case(db, station.officer)
    pages = []
    info = B.make_backup(db, "manual", T0, progress=lambda d, t: pages.append((d, t)))
    folder = tmp_path / "backups"
    assert B.backup_dir_for(db.path) == folder
    assert info.path == folder / "station-20250304-050607-manual.db"
    assert pages and pages[-1][0] == pages[-1][1] and [p[0] for p in pages] == sorted(p[0] for p in pages)
    entry = manifest(folder)["backups"][0]
    assert entry["name"] == info.name and entry["created"] == "2025-03-04T05:06:07" and entry["kind"] == "manual"
    assert entry["sha256"] == sha(info.path) == info.sha256 and entry["size"] == info.path.stat().st_size
    assert entry["schema"] == head_revision() and entry["encrypted"] is False
    assert entry["counts"]["case_record"] == 1 and entry["counts"]["officer"] == 5 and entry["counts"]["team"] == 2
    assert "alembic_version" not in entry["counts"] and not any("fts" in t for t in entry["counts"])
    # One file in rollback-journal mode (header bytes 18-19 = 1): nothing beside it, nothing to replay.
    assert info.path.read_bytes()[18:20] == b"\x01\x01"
    assert sorted(p.name for p in folder.iterdir()) == [B.OWNER_NAME, B.MANIFEST_NAME, info.name]
    assert (folder / B.OWNER_NAME).read_text(encoding="utf-8") == db.path.name  # the folder is this database's
    assert snapshot_file(info.path) == snapshot(db)
    # A second backup within the same second gets its own name; both are listed, newest first.
    again = B.make_backup(db, "manual", T0)
    assert again.name == "station-20250304-050607-manual-2.db"
    listed = B.list_backups(folder)
    assert [b.name for b in listed] == [again.name, info.name] and all(b.verified for b in listed)
    with pytest.raises(ValueError):
        B.make_backup(db, "Bad Kind")


@pytest.mark.parametrize("key", ["0123456789abcdef" * 4, "值班室 pass'word"])
def test_an_encrypted_database_is_backed_up_encrypted_and_checked_with_its_key(tmp_path, key):
    db = SqliteStore(tmp_path / "enc.db", key=key, create=True)
    try:
        org.init_station(db, "城关派出所")
        info = B.make_backup(db, "manual", T0)
        assert info.encrypted and sniff_file(info.path) == "opaque"
        assert "城关派出所".encode() not in info.path.read_bytes()
        assert snapshot_file(info.path, key) == snapshot(db)
        folder = info.path.parent
        assert B.verify_all(folder, key) == [(info.name, True, "")]
        [(_, ok, problem)] = B.verify_all(folder)
        assert not ok and "密钥" in problem
        [(_, ok, problem)] = B.verify_all(folder, "wrong key")
        assert not ok and problem
        org.add_team(db, "社区警务一队")
        kept = B.restore_backup(db, info.path)  # the open Store: closed and its key used
        reopened = SqliteStore(db.path, key=key)
        try:
            assert org.list_teams(reopened) == []
        finally:
            reopened.close()
        assert count_in(kept, "team", key) == 1 and sniff_file(kept) == "opaque"
    finally:
        db.close()


# -- F1: thinning on synthetic dates ------------------------------------------------------------
def test_thinning_of_400_days_of_daily_backups():
    now = datetime(2025, 6, 18, 12, 0)  # a Wednesday
    dates = [datetime(2025, 6, 18, 3, 0) - timedelta(days=i) for i in range(400)]
    assert dates[-1] == datetime(2024, 5, 15, 3, 0)
    day = lambda y, m, d: datetime(y, m, d, 3, 0)  # noqa: E731
    expected = {
        # 7 daily: the 7 latest days (06-12 is a Thursday of ISO week 24)
        day(2025, 6, 18), day(2025, 6, 17), day(2025, 6, 16), day(2025, 6, 15), day(2025, 6, 14),
        day(2025, 6, 13), day(2025, 6, 12),
        # 4 weekly: the Sunday of ISO weeks 23, 22, 21, 20 (the rest of week 24 is not a new week)
        day(2025, 6, 8), day(2025, 6, 1), day(2025, 5, 25), day(2025, 5, 18),
        # 12 monthly: the last day of each month before May 2025
        day(2025, 4, 30), day(2025, 3, 31), day(2025, 2, 28), day(2025, 1, 31), day(2024, 12, 31),
        day(2024, 11, 30), day(2024, 10, 31), day(2024, 9, 30), day(2024, 8, 31), day(2024, 7, 31),
        day(2024, 6, 30), day(2024, 5, 31),
    }
    assert B.thin(dates) == expected
    assert {d for d, _ in B.retained([(d, "daily") for d in dates], now)} == expected


def test_the_daily_stage_keeps_the_newest_of_each_of_the_last_seven_days_that_have_backups():
    # Three backups a day, every third day: the seven days span nineteen days.
    dates = [datetime(2025, 6, 18) - timedelta(days=3 * i) + timedelta(hours=h) for i in range(12) for h in (8, 12, 20)]
    kept = B.thin(dates, weekly=0, monthly=0)
    assert kept == {datetime(2025, 6, 18, 20) - timedelta(days=3 * i) for i in range(7)}


def test_manual_and_pre_restore_backups_are_kept_for_30_days():
    now = datetime(2025, 6, 18, 12, 0)
    dailies = [(datetime(2025, 6, d, 3, 0), "daily") for d in range(1, 19)]
    others = [
        (datetime(2025, 6, 10, 15, 0), "manual"),        # kept: protected (not the newest of its day)
        (datetime(2025, 6, 10, 16, 0), "manual"),        # kept: protected
        (datetime(2025, 5, 20, 11, 0), "pre-restore"),   # kept: newest of ISO week 21
        (datetime(2025, 5, 19, 13, 0), "pre-upgrade"),   # kept: 29 days 23 hours old
        (datetime(2025, 5, 19, 11, 0), "pre-restore"),   # pruned: 30 days 1 hour old
        (datetime(2025, 5, 19, 3, 0), "daily"),          # pruned
    ]
    kept = B.retained(dailies + others, now)
    expected = {(datetime(2025, 6, d, 3, 0), "daily") for d in (12, 13, 14, 15, 16, 17, 18, 8, 1)} | set(others[:4])
    assert kept == expected


def test_backup_if_due_makes_one_backup_a_day_and_prunes_by_the_policy(db, station, tmp_path):
    first = datetime(2025, 5, 1, 8, 30)  # a Thursday of ISO week 18
    made = B.backup_if_due(db, first)
    assert made is not None and made.kind == "daily"
    assert B.backup_if_due(db, first + timedelta(hours=6)) is None
    manual = B.make_backup(db, "manual", datetime(2025, 5, 2, 9, 0))
    assert B.backup_if_due(db, datetime(2025, 5, 2, 17, 0)) is None  # a backup of any kind made that day
    for d in range(3, 11):
        assert B.backup_if_due(db, datetime(2025, 5, d, 8, 30)) is not None
    folder = tmp_path / "backups"
    names = [b.name for b in B.list_backups(folder)]
    # May 4..10 (daily stage); May 1 and 3 share ISO week 18 with May 4 so go; the manual stays.
    assert names == [f"station-202505{d:02d}-083000-daily.db" for d in range(10, 3, -1)] + [manual.name]
    assert sorted(p.name for p in folder.iterdir()) == sorted(names + [B.MANIFEST_NAME, B.OWNER_NAME])
    assert sorted(e["name"] for e in manifest(folder)["backups"]) == sorted(names)
    assert B.prune_backups(folder, datetime(2025, 6, 10)) == [manual.name]  # 39 days on


# -- restore ------------------------------------------------------------------------------------
def test_restore_round_trip_keeps_the_changed_state_as_a_pre_restore_backup(db, station, tmp_path):
    cid = new_case(db, station.officer, "A001")
    info = B.make_backup(db, "manual", T0)
    at_backup = snapshot(db)
    R.change_level(db, station.officer, "case", cid, "yellow", "抓获一名嫌疑人")
    new_case(db, station.officer, "A002")
    changed = snapshot(db)
    assert changed != at_backup
    kept = B.restore_backup(db, info.path, now=T0 + timedelta(hours=1))  # the open Store is closed first
    assert kept == tmp_path / "backups" / "station-20250304-060607-pre-restore.db"
    assert not db.path.with_name("station.db-wal").exists() and not db.path.with_name("station.db.restore.tmp").exists()
    reopened = SqliteStore(db.path)
    try:
        assert snapshot(reopened) == at_backup and reopened.integrity_problems() == []
        assert R.get_record(reopened, "case", cid).level == "red"
    finally:
        reopened.close()
    assert snapshot_file(kept) == changed
    pre = next(b for b in B.list_backups(kept.parent) if b.path == kept)
    assert pre.kind == "pre-restore" and pre.verified and pre.count("case_record") == 2


def test_a_corrupted_backup_is_refused_and_the_next_older_good_one_proposed(db, station):
    b1 = B.make_backup(db, "daily", T0)
    new_case(db, station.officer, "A001")
    b2 = B.make_backup(db, "daily", T0 + timedelta(days=1))
    new_case(db, station.officer, "A002")
    b3 = B.make_backup(db, "daily", T0 + timedelta(days=2))
    flip_middle_byte(b3.path)
    db.close()
    before = sha(db.path)
    with pytest.raises(B.BackupRejected) as err:
        B.restore_backup(db.path, b3.path)
    assert isinstance(err.value, StationError) and b3.name in err.value.zh and "SHA-256" in err.value.en
    assert err.value.suggestion == b2.path and b2.name in err.value.zh
    assert sha(db.path) == before and not db.path.with_name("station.db-wal").exists()
    assert [b.verified for b in B.list_backups(b1.path.parent)] == [False, True, True]  # no pre-restore made
    flip_middle_byte(b2.path)
    with pytest.raises(B.BackupRejected) as err:
        B.restore_backup(db.path, b3.path)
    assert err.value.suggestion == b1.path
    assert sha(db.path) == before


def test_the_drill_finds_damaged_missing_and_unregistered_backups(db, station):
    good = B.make_backup(db, "daily", T0)
    damaged = B.make_backup(db, "daily", T0 + timedelta(days=1))
    missing = B.make_backup(db, "daily", T0 + timedelta(days=2))
    folder = good.path.parent
    flip_middle_byte(damaged.path)
    missing.path.unlink()
    stray = folder / "station-20250310-000000-manual.db"
    shutil.copyfile(good.path, stray)
    result = {name: (ok, problem) for name, ok, problem in B.verify_all(folder)}
    assert result[good.name] == (True, "")
    assert not result[damaged.name][0] and "SHA-256" in result[damaged.name][1]
    assert not result[missing.name][0] and "missing" in result[missing.name][1]
    assert not result[stray.name][0] and "manifest" in result[stray.name][1]
    with pytest.raises(B.BackupRejected) as err:
        B.restore_backup(db.path, stray)
    assert "清单" in err.value.zh and err.value.suggestion == good.path


def test_restore_refuses_while_another_connection_has_the_database_open(db, station):
    info = B.make_backup(db, "manual", T0)
    new_case(db, station.officer)
    other = SqliteStore(db.path, instance_lock=False)  # stands for another program's connection
    try:
        assert R.count_records(other, "case") == 1  # leaves an open connection in its pool
        db.close()
        with pytest.raises(DatabaseError) as err:
            B.restore_backup(db.path, info.path)
        assert "仍被打开" in err.value.zh
        assert R.count_records(other, "case") == 1 and other.integrity_problems() == []
        assert [b.kind for b in B.list_backups(info.path.parent)] == ["manual"]
    finally:
        other.close()
    B.restore_backup(db.path, info.path)
    reopened = SqliteStore(db.path)
    try:
        assert R.count_records(reopened, "case") == 0
    finally:
        reopened.close()


def test_restore_over_an_unreadable_database_sets_it_aside(db, station):
    info = B.make_backup(db, "manual", T0)
    db.close()
    garbage = os.urandom(8192)
    db.path.write_bytes(garbage)
    kept = B.restore_backup(db.path, info.path, now=T0)
    assert kept == db.path.with_name("station.db.damaged-20250304-050607") and kept.read_bytes() == garbage
    reopened = SqliteStore(db.path)
    try:
        assert org.station_info(reopened).name == "城关派出所"
    finally:
        reopened.close()


# -- A3: a backup killed half way --------------------------------------------------------------
KILLED_BACKUP = """
import sys, time
from datetime import datetime
from app.store import SqliteStore, Store
from app.services import backup as B
db = SqliteStore(sys.argv[1], instance_lock=False)  # the test process has it open too
def progress(done, total):
    print("step", done, total, flush=True)
    time.sleep(60)
B.make_backup(db, "manual", datetime(2025, 3, 5, 0, 0), progress=progress)
"""


def test_a_killed_backup_is_cleaned_at_the_next_run_and_the_previous_one_is_untouched(db, station):
    first = B.make_backup(db, "manual", T0)
    folder = first.path.parent
    before, manifest_before = sha(first.path), (folder / B.MANIFEST_NAME).read_bytes()
    fill(db, 5_000)
    proc = subprocess.Popen([sys.executable, "-c", KILLED_BACKUP, str(db.path)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().startswith("step")
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    leftovers = sorted(p.name for p in folder.glob("*.tmp*"))
    assert leftovers and all(n.startswith("station-20250305-000000-manual.db.tmp") for n in leftovers)
    assert sha(first.path) == before and (folder / B.MANIFEST_NAME).read_bytes() == manifest_before
    assert [b.name for b in B.list_backups(folder)] == [first.name]  # the temp file is never listed
    second = B.make_backup(db, "manual", T0 + timedelta(days=1))
    assert not list(folder.glob("*.tmp*"))
    assert sha(first.path) == before
    assert [(b.name, b.verified) for b in B.list_backups(folder)] == [(second.name, True), (first.name, True)]


# -- A6: the backup disk is full ---------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path):
    mounted = []

    def mount(size: int) -> Path:
        if not sys.platform.startswith("linux"):
            pytest.skip("a small tmpfs needs Linux")
        target = tmp_path / f"disk{len(mounted)}"
        target.mkdir()
        try:
            r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)],
                               capture_output=True, text=True)
        except FileNotFoundError:
            pytest.skip("no mount command here")
        if r.returncode != 0:
            pytest.skip(f"mounting a small tmpfs is not permitted here: {r.stderr.strip() or r.returncode}")
        mounted.append(target)
        return target

    yield mount
    for target in mounted:
        if subprocess.run(["umount", str(target)]).returncode != 0:
            subprocess.run(["umount", "-l", str(target)])


def test_a_backup_to_a_full_disk_fails_clearly_and_keeps_what_was_there(db, station, tmp_path, small_disk):
    probe = B.make_backup(db, "manual", T0, folder=tmp_path / "probe")
    # Room for one backup of the database as it is and its manifest, plus 256 KiB.
    disk = small_disk(probe.size + 8192 + 256 * 1024)
    first = B.make_backup(db, "manual", T0, folder=disk)
    before, manifest_before = sha(first.path), (disk / B.MANIFEST_NAME).read_bytes()
    fill(db, 5_000)  # ~1.5 MB: larger than the space left
    with pytest.raises(DatabaseError) as err:
        B.make_backup(db, "manual", T0 + timedelta(days=1), folder=disk)
    assert "磁盘已满" in err.value.zh and "disk is full" in err.value.en
    assert sorted(p.name for p in disk.iterdir()) == sorted([B.MANIFEST_NAME, first.name])
    assert sha(first.path) == before and (disk / B.MANIFEST_NAME).read_bytes() == manifest_before
    assert B.verify_all(disk) == [(first.name, True, "")]
    assert db.integrity_problems() == [] and count_in(first.path, "officer") == 5
    # Space added (the tmpfs grown), the same backup succeeds.
    assert subprocess.run(["mount", "-o", "remount,size=16m", str(disk)]).returncode == 0
    second = B.make_backup(db, "manual", T0 + timedelta(days=1), folder=disk)
    assert second.verified and second.count("load_test") == 5_000


def test_the_windows_restore_is_decided_by_the_policy_then_restored_and_audited(db, station, tmp_path):
    from app.domain.rules import Actor
    from app.errors import PermissionDenied
    from app.services import audit

    cid = new_case(db, station.officer, "A001")
    info = B.make_backup(db, "manual", T0)
    at_backup = snapshot(db)
    new_case(db, station.officer, "A002")
    changed = snapshot(db)
    with pytest.raises(PermissionDenied) as err:  # a leader may back up, not restore
        B.restore_and_record(db, station.leader, info.path)
    assert "restore" in err.value.en
    assert snapshot(db) == changed  # refused before anything changed: still open, nothing kept
    assert [b.kind for b in B.list_backups(tmp_path / "backups")] == ["manual"]
    admin = Actor(None, "admin", "admin", account="admin")
    kept = B.restore_and_record(db, admin, info.path)
    assert kept is not None and snapshot_file(kept) == changed
    reopened = SqliteStore(db.path)
    try:
        now = snapshot(reopened)
        assert {k: v for k, v in now.items() if k != "audit_log"} == {k: v for k, v in at_backup.items() if k != "audit_log"}
        assert now["audit_log"][:-1] == at_backup["audit_log"]  # and one more row: the restore
        assert R.get_record(reopened, "case", cid).level == "red"
        events = [e for e in audit.list_entries(reopened) if e.action == "restore"]
        assert len(events) == 1 and events[0].account == "admin"
        assert audit.verify_chain(reopened) == []
    finally:
        reopened.close()
