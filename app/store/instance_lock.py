"""One running app per database file: an operating-system lock on `<database>.lock`.

Why `filelock`: it takes the operating system's own lock (flock on Linux and macOS, LockFileEx
on Windows), which the kernel drops the moment the holding process ends for any reason. A crash,
a kill -9 or a power cut therefore leaves no stale lock that a person would have to delete by hand
(a "the lock file exists" marker would). Its soft-marker fallback for file systems without flock is
switched off for the same reason: such a marker outlives a killed process.
"""
from __future__ import annotations

import errno
import logging
from pathlib import Path

from filelock import FileLock, Timeout

from app.errors import DatabaseError

log = logging.getLogger(__name__)


def lock_path(db_path: str | Path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".lock")


class InstanceLock:
    """The held lock of one database file; `release()` (or leaving a `with`) gives it up."""

    def __init__(self, path: Path, lock: FileLock | None):
        self.path = path
        self._lock = lock

    @property
    def held(self) -> bool:
        """False after release, and for a database on read-only media (nothing to guard there)."""
        return self._lock is not None and self._lock.is_locked

    def release(self) -> None:
        """Give the lock up; calling it again does nothing."""
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release(force=True)

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def acquire_instance_lock(db_path: str | Path) -> InstanceLock:
    """Take the lock of a database file without waiting, or raise DatabaseError naming the cause."""
    path = lock_path(db_path)
    # thread_local=False: the lock belongs to the open database, which may be closed from another
    # thread than the one that opened it.
    lock = FileLock(str(path), timeout=0, blocking=False, thread_local=False, fallback_to_soft=False)
    try:
        lock.acquire()
    except Timeout:
        raise DatabaseError("数据库已被另一个程序实例打开，请先关闭另一个窗口后再试",
                            "the database is already open in another instance of the app") from None
    except OSError as exc:
        if exc.errno == errno.EROFS:
            # On read-only media no instance can write, so there is nothing to guard.
            log.info("database %s is on read-only media: no instance lock", db_path)
            return InstanceLock(path, None)
        raise DatabaseError(f"无法创建数据库锁文件：{path}（{exc.strerror}）",
                            f"cannot create the database lock file {path}: {exc.strerror}") from exc
    return InstanceLock(path, lock)
