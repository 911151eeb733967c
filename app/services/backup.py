"""Automatic consistent backups: online backup API, verification, a hashed manifest, thinning, restore.

A backup is made through SQLite's online backup API inside one read transaction, so it is one
consistent snapshot even while other connections keep writing (WAL). It is written to a temp
file, fsynced, opened and checked (integrity_check, and cipher_integrity_check when encrypted),
hashed, renamed atomically to `station-YYYYMMDD-HHMMSS-<kind>.db`, read back, and only then
recorded in `backups.json` (itself temp + fsync + rename). The live database file is never
copied byte for byte: a copy of a live WAL database can miss every table.

One app instance owns a backup folder (the single-instance lock); a module lock serialises the
manifest between threads of that instance.
"""
from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import sqlcipher3.dbapi2 as sqlite

from app.errors import DatabaseError, StationError
from app.store import SqliteStore, Store
from app.store.base import known_revisions
from app.store.fileio import fsync_dir, replace_atomically
from app.store.sqlite import key_pragma, sniff_file, storage_error

log = logging.getLogger(__name__)

BACKUP_DIR_NAME = "backups"
MANIFEST_NAME = "backups.json"
MANIFEST_FORMAT = 1
PREFIX = "station"
KINDS = ("daily", "manual", "pre-restore", "pre-upgrade")
# Backups a person asked for, or that hold the state before a restore or an upgrade, are kept for
# a month whatever the thinning says: they are the ones someone may come back for.
PROTECTED_KINDS = frozenset({"manual", "pre-restore", "pre-upgrade"})
PROTECT_FOR = timedelta(days=30)
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
# 256 pages (1 MiB at SQLCipher's 4 KiB pages) per step: progress a few times a second.
STEP_PAGES = 256
CHUNK = 1 << 20

_NAME_RE = re.compile(r"^station-(\d{8})-(\d{6})-([a-z]+(?:-[a-z]+)*)(?:-(\d+))?\.db$")
_LOCK = threading.RLock()

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BackupInfo:
    """One backup file as the manifest records it; `verified` says the file is there and its
    SHA-256 still matches (False with a `problem` otherwise)."""

    path: Path
    created: datetime
    kind: str
    sha256: str
    size: int
    schema: str | None
    counts: tuple[tuple[str, int], ...]
    encrypted: bool
    verified: bool = True
    problem: str = ""

    @property
    def name(self) -> str:
        return self.path.name

    def count(self, table: str) -> int | None:
        return dict(self.counts).get(table)


class BackupRejected(DatabaseError):
    """A backup that cannot be trusted (hash mismatch, missing, unregistered, damaged): restore
    refuses it and `suggestion` names the next-older backup that verifies, if any."""

    code = "backup_rejected"

    def __init__(self, zh: str, en: str, path: Path, suggestion: Path | None = None):
        if suggestion is not None:
            zh += f"。建议改用较早的完好备份：{suggestion.name}"
            en += f"; the next good backup is {suggestion.name}"
        super().__init__(zh, en)
        self.path = path
        self.suggestion = suggestion


class _Unverified(DatabaseError):
    """The copy just made does not pass its checks (the source itself is damaged)."""


# -- names and folders -------------------------------------------------------------------------
#: In `backups/`: the name of the database whose backups the folder holds.
OWNER_NAME = ".database"


def backup_dir_for(db_path: str | Path, *, claim: bool = False) -> Path:
    """The backup folder of a database: `backups/` beside the database file, unless another
    database of the same folder holds it (then `backups-<file name>/`): two databases never
    share a registry, whose thinning would delete the other's backups and whose restore would
    offer them. An unclaimed `backups/` (made before the owner was recorded) is the first
    backing-up database's; `claim` records this database as its owner."""
    p = Path(db_path).resolve()
    legacy = p.parent / BACKUP_DIR_NAME
    owner = _owner(legacy)
    if owner is None and claim:
        legacy.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(legacy / OWNER_NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(p.name)
        owner = _owner(legacy)
    return legacy if owner in (None, p.name) else p.parent / f"{BACKUP_DIR_NAME}-{p.name}"


def _owner(folder: Path) -> str | None:
    try:
        return (folder / OWNER_NAME).read_text(encoding="utf-8").strip()[:255] or None
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, UnicodeDecodeError):
        return ""  # unreadable: not ours


def _check_kind(kind: str) -> None:
    if not re.fullmatch(r"[a-z]+(?:-[a-z]+)*", kind or ""):
        raise ValueError(f"backup kind must be lowercase words joined by '-': {kind!r}")


def _parse_name(name: str) -> tuple[datetime, str] | None:
    m = _NAME_RE.match(name)
    if not m:
        return None
    try:
        return datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S"), m.group(3)
    except ValueError:
        return None


def _order(name: str, created: str | datetime) -> tuple[Any, ...]:
    """Sort key: creation time, then the `-2`, `-3`… of backups made within the same second."""
    m = _NAME_RE.match(name)
    when = datetime.fromisoformat(created) if isinstance(created, str) else created
    return when, int(m.group(4) or 1) if m else 0, name


def _free_name(folder: Path, entries: list[dict[str, Any]], now: datetime, kind: str) -> str:
    """The final name; a second backup within the same second gets `-2`, `-3`…"""
    base = f"{PREFIX}-{now:%Y%m%d-%H%M%S}-{kind}"
    taken = {e["name"] for e in entries}
    name, n = f"{base}.db", 1
    while name in taken or (folder / name).exists():
        n += 1
        name = f"{base}-{n}.db"
    return name


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


# -- files: fsync, hashing, atomic writes ------------------------------------------------------
def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sha256(path: Path, reread: bool = False) -> tuple[str, int]:
    """SHA-256 and size. With `reread`, first drop the file's cached pages (Linux) so the bytes
    come back from the medium, not from what we just wrote into memory."""
    h, size = hashlib.sha256(), 0
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        if reread and hasattr(os, "posix_fadvise"):
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        while chunk := os.read(fd, CHUNK):
            h.update(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    return h.hexdigest(), size


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:  # a leftover that cannot go now goes at the next run
        log.warning("could not remove %s: %s", path, exc)


def _disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return True
    return isinstance(exc, sqlite.Error) and "full" in str(exc).lower()


def _failure(exc: BaseException, folder: Path) -> DatabaseError:
    """A storage failure while backing up, named by its root cause."""
    if _disk_full(exc):
        return DatabaseError(f"磁盘已满，备份未完成：{folder}",
                             f"disk is full, the backup was not made: {folder} ({exc})")
    if isinstance(exc, OSError):
        return DatabaseError(f"无法写入备份：{exc.filename or folder}（{exc.strerror}）",
                             f"cannot write the backup: {exc.filename or folder} ({exc.strerror})")
    return storage_error(exc)


def _remove_leftovers(folder: Path) -> None:
    """Temp files of a run that was killed: never under a final name, so never trusted; removed."""
    for p in folder.glob(f"{PREFIX}-*.db.tmp*"):
        _unlink(p)
    _unlink(folder / (MANIFEST_NAME + ".tmp"))


# -- manifest ----------------------------------------------------------------------------------
def _load_manifest(folder: Path) -> list[dict[str, Any]]:
    path = folder / MANIFEST_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    from app import bounded_json

    try:
        data = bounded_json.loads(raw, bounded_json.Limits(16 * 1024 * 1024, max_depth=4, max_items=1_000_000))
        entries: list[dict[str, Any]] = data["backups"]
        for e in entries:
            datetime.fromisoformat(e["created"])
            e["name"], e["sha256"], e["size"]  # noqa: B018 - every entry must have these
        return entries
    except (ValueError, KeyError, TypeError) as exc:
        # It is written atomically, so this is outside damage. Keep it for a person to look at
        # and start afresh: the backups become "unregistered" (listed, never trusted).
        aside = path.with_name(f"{MANIFEST_NAME}.damaged-{_now():%Y%m%d-%H%M%S}")
        os.replace(path, aside)
        log.error("backup manifest %s unreadable (%s); moved to %s", path, exc, aside)
        return []


def _save_manifest(folder: Path, entries: list[dict[str, Any]]) -> None:
    entries = sorted(entries, key=lambda e: _order(e["name"], e["created"]))
    data = json.dumps({"format": MANIFEST_FORMAT, "backups": entries}, ensure_ascii=False, indent=1)
    replace_atomically(folder / MANIFEST_NAME, data.encode("utf-8"),
                       tmp=folder / (MANIFEST_NAME + ".tmp"))


def _info(folder: Path, e: dict[str, Any], verified: bool, problem: str = "") -> BackupInfo:
    return BackupInfo(folder / e["name"], datetime.fromisoformat(e["created"]), e.get("kind", ""),
                      e["sha256"], int(e["size"]), e.get("schema"),
                      tuple(sorted((e.get("counts") or {}).items())), bool(e.get("encrypted")), verified, problem)


# -- checks ------------------------------------------------------------------------------------
def _open_ro(path: Path, key: str | None) -> Any:
    conn = sqlite.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    if key is not None:
        conn.execute(key_pragma(key))
    return conn


def _open_problem(path: Path, key: str | None) -> str:
    """Open a (closed) database file and run its checks: '' when it is sound."""
    try:
        conn = _open_ro(path, key)
    except sqlite.Error as exc:
        return f"无法打开（cannot open: {exc}）"
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if rows != ["ok"]:
            return f"完整性检查未通过（integrity_check: {'; '.join(rows[:3])}）"
        if key is not None:
            bad = conn.execute("PRAGMA cipher_integrity_check").fetchall()
            if bad:
                return f"加密页校验未通过（cipher_integrity_check: {'; '.join(str(r[0]) for r in bad[:3])}）"
        return ""
    except sqlite.Error as exc:
        return f"无法读取（cannot read: {exc}）"
    finally:
        conn.close()


def _entry_problem(folder: Path, e: dict[str, Any], key: str | None, deep: bool) -> str:
    """Why a manifest entry is not a trustworthy backup ('' if it is): the file, its hash and,
    with `deep`, that it opens and passes the integrity checks."""
    path = folder / e["name"]
    if not path.is_file():
        return "文件缺失（file missing）"
    digest, size = _sha256(path)
    if size != int(e["size"]) or digest != e["sha256"]:
        return "校验值不符，文件已损坏或被改动（SHA-256 does not match the manifest）"
    if not deep:
        return ""
    if e.get("encrypted") and key is None:
        return "加密备份，需要密钥才能检查（encrypted: the key is needed to check it）"
    return _open_problem(path, key if e.get("encrypted") else None)


# -- making a backup ---------------------------------------------------------------------------
def _snapshot_facts(src: Any) -> tuple[str | None, dict[str, int]]:
    tables = [r[0] for r in src.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE '%\\_fts%' ESCAPE '\\' ORDER BY name")]
    schema = None
    if "alembic_version" in tables:
        row = src.execute("SELECT version_num FROM alembic_version").fetchone()
        schema = row[0] if row else None
    counts = {t: src.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables if t != "alembic_version"}
    return schema, counts


def _copy_snapshot(src: Any, tmp: Path, key: str | None, progress: Progress | None) -> tuple[str | None, dict[str, int]]:
    """Backup API inside one read transaction on `src`: every step reads the same snapshot, so
    writers elsewhere neither restart the copy nor leak a half-committed state into it, and the
    schema revision and counts recorded are those of the very snapshot copied."""
    src.execute("BEGIN")
    try:
        schema, counts = _snapshot_facts(src)
        dst = sqlite.connect(str(tmp))
        dst.isolation_level = None
        try:
            if key is not None:
                dst.execute(key_pragma(key))
            # The temp file is thrown away on any failure: a rollback journal beside it would
            # only cost space (and on a nearly full disk, the backup).
            dst.execute("PRAGMA journal_mode = OFF")
            cb = None
            if progress is not None:
                def cb(_status: Any, remaining: int, total: int) -> None:
                    progress(total - remaining, total)
            src.backup(dst, pages=STEP_PAGES, progress=cb)
            # One self-contained file: no -wal/-shm when it is later opened read-only or restored.
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.execute("ROLLBACK")
    return schema, counts


def _backup_from(src: Any, folder: Path, kind: str, now: datetime, key: str | None,
                 progress: Progress | None) -> BackupInfo:
    _check_kind(kind)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _failure(exc, folder) from exc
    with _LOCK:
        _remove_leftovers(folder)
        entries = _load_manifest(folder)
        name = _free_name(folder, entries, now, kind)
        final, tmp = folder / name, folder / (name + ".tmp")
        try:
            schema, counts = _copy_snapshot(src, tmp, key, progress)
            _fsync_file(tmp)
            problem = _open_problem(tmp, key)
            if problem:
                raise _Unverified(f"备份副本未通过检查：{problem}", f"the backup copy failed its check: {problem}")
            digest, size = _sha256(tmp)
            os.replace(tmp, final)
        except BaseException as exc:
            _unlink(tmp)
            _unlink(tmp.with_name(tmp.name + "-journal"))
            if isinstance(exc, (OSError, sqlite.Error)):
                raise _failure(exc, folder) from exc
            raise
        try:
            fsync_dir(folder)
            if _sha256(final, reread=True) != (digest, size):
                raise DatabaseError(f"备份写入后读回不一致，存储介质可能有问题：{final}",
                                    f"the backup read back differs from what was written (bad medium?): {final}")
            entry = {"name": name, "created": now.isoformat(timespec="seconds"), "kind": kind,
                     "sha256": digest, "size": size, "schema": schema, "counts": counts,
                     "encrypted": key is not None}
            _save_manifest(folder, entries + [entry])
        except BaseException as exc:
            # Nothing unrecorded or unverified stays under a final name.
            _unlink(final)
            if isinstance(exc, (OSError, sqlite.Error)):
                raise _failure(exc, folder) from exc
            raise
    log.info("backup %s made (%d bytes, %s)", final, size, kind)
    return _info(folder, entry, True)


def _connect(path: Path, key: str | None, timeout: float = 10.0) -> Any:
    """A private DBAPI connection, made in the calling thread (the engine's pooled connections
    are bound to the thread that made them, and backups run in a worker thread)."""
    conn = sqlite.connect(str(path), timeout=timeout)
    conn.isolation_level = None
    if key is not None:
        conn.execute(key_pragma(key))
    return conn


def database_file(db: Store) -> Path:
    """The database file a file backup copies. A server database has none (its backups are
    pg_dump archives, app/server/backup.py): DatabaseError saying so."""
    if db.path is None:
        raise DatabaseError("服务器数据库的备份由服务器完成（pg_dump），不做文件备份",
                            "a server database is backed up on the server (pg_dump), not as a file copy")
    return db.path


def make_backup(db: Store, kind: str = "manual", now: datetime | None = None, *,
                folder: Path | None = None, progress: Progress | None = None) -> BackupInfo:
    """Make one verified, hashed, recorded backup of an open database (see the module docstring).
    `progress(done_pages, total_pages)` is called after each step. Raises DatabaseError (disk
    full, unwritable folder, damaged source) and then leaves no file under a final name."""
    now = (now or _now()).replace(microsecond=0)
    path = database_file(db)
    target = Path(folder) if folder is not None else backup_dir_for(path, claim=True)
    with _LOCK:
        # The temp file of a restore that was killed (never under the database's name).
        _unlink(path.with_name(path.name + ".restore.tmp"))
        try:
            src = _connect(path, db.key)
        except sqlite.Error as exc:
            raise storage_error(exc) from exc
        try:
            return _backup_from(src, target, kind, now, db.key, progress)
        finally:
            src.close()


def backup_if_due(db: Store, now: datetime | None = None, *, folder: Path | None = None,
                  progress: Progress | None = None) -> BackupInfo | None:
    """At start and then daily: a "daily" backup when the folder holds none (of any kind) made
    today, followed by thinning. None when one exists already."""
    now = (now or _now()).replace(microsecond=0)
    target = Path(folder) if folder is not None else backup_dir_for(database_file(db), claim=True)
    with _LOCK:
        for e in _load_manifest(target):
            if datetime.fromisoformat(e["created"]).date() == now.date() and (target / e["name"]).is_file():
                return None
        info = make_backup(db, "daily", now, folder=target, progress=progress)
        prune_backups(target, now)
    return info


# -- thinning ----------------------------------------------------------------------------------
def thin(dates: Iterable[datetime], daily: int = KEEP_DAILY, weekly: int = KEEP_WEEKLY,
         monthly: int = KEEP_MONTHLY) -> set[datetime]:
    """Anki's thinning: walking from the newest, keep the newest backup of each of the `daily`
    latest days that have one, then of each of `weekly` older ISO weeks, then of each of
    `monthly` older months. Each stage starts below the period of the last one kept."""
    kept: set[datetime] = set()
    last_day = last_week = last_month = None
    left = {"d": daily, "w": weekly, "m": monthly}
    for d in sorted(set(dates), reverse=True):
        day, week, month = d.date(), tuple(d.isocalendar())[:2], (d.year, d.month)
        if left["d"] > 0:
            stage, keep = "d", last_day is None or day < last_day
        elif left["w"] > 0:
            stage, keep = "w", last_week is None or week < last_week
        elif left["m"] > 0:
            stage, keep = "m", last_month is None or month < last_month
        else:
            break
        if keep:
            kept.add(d)
            left[stage] -= 1
            last_day, last_week, last_month = day, week, month
    return kept


def retained(backups: Sequence[tuple[datetime, str]], now: datetime) -> set[tuple[datetime, str]]:
    """The (created, kind) pairs to keep: the thinning over all of them, plus every backup of a
    protected kind younger than 30 days."""
    kept_times = thin(d for d, _ in backups)
    return {(d, k) for d, k in backups
            if d in kept_times or (k in PROTECTED_KINDS and now - d < PROTECT_FOR)}


def prune_backups(folder: str | Path, now: datetime | None = None) -> list[str]:
    """Delete the backups the retention policy does not keep, and their manifest entries.
    Entries whose file has gone are dropped; files the manifest does not know are left alone.
    Returns the names deleted."""
    folder = Path(folder)
    now = now or _now()
    with _LOCK:
        entries = _load_manifest(folder)
        present = [e for e in entries if (folder / e["name"]).is_file()]
        keep = retained([(datetime.fromisoformat(e["created"]), e.get("kind", "")) for e in present], now)
        survivors, deleted = [], []
        for e in present:
            if (datetime.fromisoformat(e["created"]), e.get("kind", "")) in keep:
                survivors.append(e)
            else:
                _unlink(folder / e["name"])
                deleted.append(e["name"])
        for e in entries:
            if e not in present:
                log.warning("backup %s listed in the manifest is missing; entry dropped", e["name"])
        if len(survivors) != len(entries):
            _save_manifest(folder, survivors)
    if deleted:
        log.info("pruned %d backups in %s", len(deleted), folder)
    return deleted


# -- listing and verification ------------------------------------------------------------------
def _unregistered(folder: Path, known: set[str]) -> list[BackupInfo]:
    out = []
    for p in sorted(folder.glob(f"{PREFIX}-*.db")):
        parsed = _parse_name(p.name)
        if p.name in known or parsed is None or not p.is_file():
            continue
        out.append(BackupInfo(p, parsed[0], parsed[1], "", p.stat().st_size, None, (),
                              sniff_file(p) == "opaque", False,
                              "未登记在备份清单中，无法核验（not in the manifest: cannot be verified）"))
    return out


def list_backups(folder: str | Path, check: bool = True) -> list[BackupInfo]:
    """Every backup in the folder, newest first. `verified` re-checks that the file exists and
    that its SHA-256 matches the manifest (`check=False`: existence and size only)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    with _LOCK:
        entries = _load_manifest(folder)
    out = []
    for e in entries:
        path = folder / e["name"]
        if check:
            problem = _entry_problem(folder, e, None, deep=False)
        elif not path.is_file():
            problem = "文件缺失（file missing）"
        else:
            problem = "" if path.stat().st_size == int(e["size"]) else "大小不符（size differs from the manifest）"
        out.append(_info(folder, e, not problem, problem))
    out += _unregistered(folder, {e["name"] for e in entries})
    return sorted(out, key=lambda b: _order(b.name, b.created), reverse=True)


def verify_all(folder: str | Path, key: str | None = None,
               progress: Progress | None = None) -> list[tuple[str, bool, str]]:
    """The restore drill: every backup (newest first) is hashed against the manifest, opened, and
    run through integrity_check (and cipher_integrity_check with `key` when encrypted)."""
    folder = Path(folder)
    backups = list_backups(folder, check=False)
    entries = {e["name"]: e for e in _load_manifest(folder)}
    results = []
    for i, b in enumerate(backups):
        e = entries.get(b.name)
        problem = _entry_problem(folder, e, key, deep=True) if e else b.problem
        results.append((b.name, not problem, problem))
        if progress is not None:
            progress(i + 1, len(backups))
    return results


# -- restore -----------------------------------------------------------------------------------
def _suggest(folder: Path, entries: list[dict[str, Any]], bad: dict[str, Any] | None, key: str | None) -> Path | None:
    """The next-older backup that passes every check (else the nearest newer one)."""
    order = sorted(entries, key=lambda e: _order(e["name"], e["created"]), reverse=True)
    if bad is not None and bad in order:
        i = order.index(bad)
        candidates = order[i + 1:] + list(reversed(order[:i]))
    else:
        candidates = order
    for e in candidates:
        if not _entry_problem(folder, e, key, deep=True):
            return folder / str(e["name"])
    return None


def _set_aside(db_path: Path, now: datetime) -> Path:
    """Move a database that cannot be read through SQLite (damaged, or another key) out of the
    way, with its -wal, so that it can still be opened together later. Nothing is deleted."""
    aside = db_path.with_name(f"{db_path.name}.damaged-{now:%Y%m%d-%H%M%S}")
    for suffix in ("-wal", "-shm", "-journal"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            os.replace(side, aside.with_name(aside.name + suffix))
    os.replace(db_path, aside)
    return aside


def _save_current(db_path: Path, key: str | None, folder: Path, now: datetime,
                  progress: Progress | None) -> Path | None:
    """Keep the current database before it is replaced: a "pre-restore" backup through the backup
    API, or, when SQLite cannot read it, the file itself set aside."""
    if sniff_file(db_path) in ("missing", "empty"):
        return None
    try:
        conn = _connect(db_path, key, timeout=1.0)
    except sqlite.Error as exc:
        raise storage_error(exc) from exc
    try:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite.DatabaseError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise _in_use(db_path) from exc
            conn.close()
            log.warning("current database %s unreadable (%s): set aside before restore", db_path, exc)
            return _set_aside(db_path, now)
        # Leaving WAL needs every other connection gone: the proof that nobody still has the
        # file open (the caller closed its Store, no other program holds it). It also
        # checkpoints and removes the -wal, so nothing committed is left outside the file.
        try:
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite.OperationalError as exc:
            raise _in_use(db_path) from exc
        if mode != "delete":
            raise _in_use(db_path)
        try:
            return _backup_from(conn, folder, "pre-restore", now, key, progress).path
        except _Unverified as exc:
            conn.close()
            log.warning("current database %s fails its checks (%s): set aside before restore", db_path, exc.en)
            return _set_aside(db_path, now)
    finally:
        conn.close()


def _in_use(db_path: Path) -> DatabaseError:
    return DatabaseError(f"数据库仍被打开（本程序的另一窗口或其他程序），请先关闭再恢复：{db_path}",
                         f"the database is still open (another window or program); close it before restoring: {db_path}")


def _copy_in(backup: Path, tmp: Path) -> str:
    """Copy a closed backup file to `tmp` and fsync it; the SHA-256 of what was written."""
    h = hashlib.sha256()
    with open(backup, "rb") as src, open(tmp, "wb") as dst:
        while chunk := src.read(CHUNK):
            h.update(chunk)
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    return h.hexdigest()


def restore_backup(db_path: str | Path | SqliteStore, backup: str | Path, key: str | None = None, *,
                   now: datetime | None = None, progress: Progress | None = None) -> Path | None:
    """Replace the database with a verified backup.

    The database must be closed: pass its path after `db.close()`, or pass the open Store and
    it is closed here (its key is used when `key` is not given). Any other open connection makes
    the restore refuse. The backup is checked first (registered in its folder's manifest, SHA-256
    matches, opens, passes integrity checks, schema known to this app); a bad one raises
    BackupRejected naming it, with `suggestion` = the next-older good backup, and nothing is
    touched. Then the current database is kept as a "pre-restore" backup (or set aside when it
    cannot be read), the backup is copied beside it, fsynced, and renamed over it.

    Returns where the previous state was kept (None if there was no database file)."""
    if isinstance(db_path, SqliteStore):
        opened = db_path
        key = opened.key if key is None else key
        db_path = opened.path
        opened.close()
    db_path, backup = Path(db_path), Path(backup)
    now = (now or _now()).replace(microsecond=0)
    folder = backup.parent
    with _LOCK:
        entries = _load_manifest(folder)
        entry = next((e for e in entries if e["name"] == backup.name), None)
        if entry is None:
            raise BackupRejected(f"备份未登记在备份清单中，无法核验，不能用于恢复：{backup}",
                                 f"the backup is not in its folder's manifest and cannot be verified: {backup}",
                                 backup, _suggest(folder, entries, None, key))
        problem = _entry_problem(folder, entry, key, deep=True)
        if not problem and entry.get("schema") and entry["schema"] not in known_revisions():
            problem = f"由更新版本的程序创建（架构 {entry['schema']}）（made by a newer version of the app）"
        if problem:
            raise BackupRejected(f"备份不可用于恢复：{backup.name}：{problem}",
                                 f"the backup cannot be restored: {backup.name}: {problem}",
                                 backup, _suggest(folder, entries, entry, key))
        kept = _save_current(db_path, key, backup_dir_for(db_path, claim=True), now, progress)
        tmp = db_path.with_name(db_path.name + ".restore.tmp")
        try:
            if _copy_in(backup, tmp) != entry["sha256"]:
                raise DatabaseError(f"复制备份时数据不一致，未恢复：{backup}",
                                    f"the copy of the backup does not match its hash; nothing restored: {backup}")
            # The current file was closed in DELETE mode above; any -wal/-shm left is stale and
            # would be replayed into the restored file.
            for suffix in ("-wal", "-shm", "-journal"):
                _unlink(db_path.with_name(db_path.name + suffix))
            os.replace(tmp, db_path)
            fsync_dir(db_path.parent)
        except BaseException as exc:
            _unlink(tmp)
            if isinstance(exc, OSError) and not isinstance(exc, StationError):
                raise _failure(exc, db_path.parent) from exc
            raise
    log.info("restored %s from %s (previous state kept at %s)", db_path, backup, kept)
    return kept


def restore_and_record(db: SqliteStore, actor: Any, backup: str | Path) -> Path | None:
    """The restore the window asks for, as one step: the policy decides first (restore_backup),
    then the open database is closed and the backup restored over it (restore_backup above), and
    the restore is recorded in the restored file's audit trail. The caller's `db` is closed
    afterwards either way; the app is restarted on the restored file. Returns where the previous
    state was kept."""
    from app.domain.permissions import authorize
    from app.services import audit

    authorize(actor, "restore_backup")
    path, key = db.path, db.key
    kept = restore_backup(db, backup, key=key)
    restored = SqliteStore(path, key=key)
    try:
        audit.record_event(restored, actor, "restore", detail={"from": str(backup), "kept": str(kept)})
    finally:
        restored.close()
    return kept
