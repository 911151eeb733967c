"""A11: a second instance of the app is refused; a killed instance leaves no stale lock."""
from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys

import pytest

from app.errors import DatabaseError
from app.store.instance_lock import acquire_instance_lock, lock_path
from tests.trust.crash_child import ROOT

HOLDER = """
import sys, time
from app.store.instance_lock import acquire_instance_lock
lock = acquire_instance_lock(sys.argv[1])
print("held", flush=True)
time.sleep(120)
"""


def refused(db_path) -> DatabaseError:
    with pytest.raises(DatabaseError) as err:
        acquire_instance_lock(db_path)
    return err.value


@pytest.fixture
def holder():
    """Start another process that takes the lock and keeps it; it is always ended afterwards."""
    procs: list[subprocess.Popen] = []

    def start(db_path) -> subprocess.Popen:
        p = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=str(ROOT))
        procs.append(p)
        ready, _, _ = select.select([p.stdout], [], [], 60)
        assert ready and p.stdout.readline().strip() == "held", p.stderr.read() if p.poll() is not None else ""
        return p

    yield start
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait()
        p.stdout.close()
        p.stderr.close()


def test_a_second_process_is_refused_and_a_killed_one_leaves_no_stale_lock(tmp_path, holder):
    db_path = tmp_path / "station.db"
    other = holder(db_path)
    err = refused(db_path)
    assert err.zh.startswith("数据库已被另一个程序实例打开")
    assert err.en == "the database is already open in another instance of the app"
    assert lock_path(db_path) == tmp_path / "station.db.lock" and lock_path(db_path).exists()
    os.kill(other.pid, signal.SIGKILL)  # our own child, not yet reaped: the pid is still its own
    assert other.wait(timeout=30) == -signal.SIGKILL
    lock = acquire_instance_lock(db_path)  # no manual step: the kernel dropped the dead holder's lock
    try:
        assert lock.held
    finally:
        lock.release()


def test_the_lock_is_refused_while_held_in_the_same_process_and_free_after_release(tmp_path):
    db_path = tmp_path / "station.db"
    with acquire_instance_lock(db_path) as first:
        assert first.held
        assert "another instance" in refused(db_path).en  # two store objects on one file, too
    assert not first.held
    first.release()  # twice is harmless
    second = acquire_instance_lock(db_path)
    assert second.held
    second.release()


def test_a_terminated_holder_releases_the_lock(tmp_path, holder):
    db_path = tmp_path / "station.db"
    other = holder(db_path)
    other.terminate()
    other.wait(timeout=30)
    lock = acquire_instance_lock(db_path)
    assert lock.held
    lock.release()


def test_an_unwritable_folder_is_named_as_such_not_as_another_instance(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    if os.geteuid() == 0:
        if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(folder)],
                                                       capture_output=True).returncode:
            pytest.skip("no chattr to make a folder unwritable as root")
    else:
        folder.chmod(0o555)
    try:
        err = refused(folder / "station.db")
        assert "lock file" in err.en and "another instance" not in err.en
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
        folder.chmod(0o755)


def test_read_only_media_need_no_lock(tmp_path):
    where = tmp_path / "media"
    where.mkdir()
    if os.environ.get("TRUST_NO_MOUNT") or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k,ro", "tmpfs", str(where)], capture_output=True).returncode:
        pytest.skip("mount refused: cannot make read-only media")
    try:
        lock = acquire_instance_lock(where / "station.db")
        assert not lock.held  # nobody can write there, so there is nothing to guard
        lock.release()
    finally:
        if subprocess.run(["umount", str(where)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(where)], capture_output=True)
