"""Backups of a station server: pg_dump, verified by a restore into a scratch database.

Run on the server's machine (or anywhere its owner can connect from), on a schedule (cron, the
Windows Task Scheduler) or by hand: `python -m app server-backup`. Each backup is one consistent
snapshot: a REPEATABLE READ transaction exports its snapshot, pg_dump dumps exactly that
snapshot while the same transaction takes each table's row count and SHA-256 (as the move does).
The dump is fsynced, restored into a scratch database, and only when the restored tables carry
the same digests and the restored audit chain verifies is it renamed into place, hashed and
recorded. The scratch database is dropped. Retention is the file stations' (7 daily, 4 weekly,
12 monthly, manual ones kept 30 days: app.services.backup.retained).
"""
from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from app import bounded_json
from app.errors import DatabaseError, ValidationError
from app.server.move import chain_problems, table_digest
from app.store.fileio import fsync_dir, replace_atomically
from app.store.postgres import driver_url, safe_url

MANIFEST = "server-backups.json"
KINDS = ("daily", "manual")
#: pg_dump and pg_restore may take this long before the backup is called failed.
TIMEOUT = 3600


@dataclass(frozen=True)
class ServerBackup:
    path: Path
    created: datetime
    kind: str
    sha256: str
    rows: dict[str, int]


def _tool(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)),
                                       None)
    if not found:
        raise DatabaseError(f"找不到 {name}（请安装 PostgreSQL 客户端工具）",
                            f"{name} not found (install the PostgreSQL client tools)")
    return found


def _libpq_url(url: str, database: str | None = None) -> str:
    u = make_url(url)
    if database:
        u = u.set(database=database)
    return u.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(cmd: list[str], what: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    if done.returncode != 0:
        line = (done.stderr.strip().splitlines() or ["?"])[-1][:300]
        raise DatabaseError(f"{what}失败：{line}", f"{what} failed: {line}")


def _load(folder: Path) -> list[dict]:
    path = folder / MANIFEST
    if not path.exists():
        return []
    try:
        data = bounded_json.loads(path.read_bytes())
    except bounded_json.JsonRejected as exc:
        raise DatabaseError(f"备份记录已损坏：{exc}", f"the backup registry is damaged: {exc}") from None
    return [e for e in data.get("backups", []) if isinstance(e, dict)] if isinstance(data, dict) else []


def backup_server(owner_url: str, folder: str | Path, kind: str = "manual", now: datetime | None = None) -> ServerBackup:
    """One verified backup of the station server `owner_url` (its owner, who may create the
    scratch database) into `folder`; then the retention policy thins the folder."""
    import models  # noqa: F401
    from models.base import Base

    if kind not in KINDS:
        raise ValidationError(f"备份类型无效：{kind}", f"unknown backup kind: {kind}", "kind")
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    created = (now or datetime.now()).replace(microsecond=0)
    database = make_url(owner_url).database
    name = f"{database}-{created:%Y%m%d-%H%M%S}-{kind}.dump"
    tmp = target / f".{name}.{uuid.uuid4().hex[:8]}.tmp"
    engine = create_engine(driver_url(owner_url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar()
                _run([_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={tmp}",
                      f"--dbname={_libpq_url(owner_url)}"], "pg_dump")
                expected = {t.name: table_digest(conn, t) for t in Base.metadata.sorted_tables}
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        _verify_by_restore(owner_url, tmp, expected)
        digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
        final = target / name
        os.replace(tmp, final)
        fsync_dir(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        engine.dispose()
    entries = _load(target)
    entries.append({"name": name, "created": created.isoformat(), "kind": kind, "sha256": digest,
                    "rows": {k: v.rows for k, v in expected.items()}})
    entries = _thin(target, entries, created)
    replace_atomically(target / MANIFEST, json.dumps({"format": 1, "backups": entries}, ensure_ascii=False,
                                                     indent=1).encode("utf-8"))
    return ServerBackup(final, created, kind, digest, {k: v.rows for k, v in expected.items()})


def _verify_by_restore(owner_url: str, dump: Path, expected: dict) -> None:
    """Restore `dump` into a scratch database and compare every table's digest and the chain."""
    import models  # noqa: F401
    from models.base import Base

    scratch = f"{make_url(owner_url).database}_verify_{uuid.uuid4().hex[:8]}"
    admin = create_engine(driver_url(owner_url), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.exec_driver_sql(f'CREATE DATABASE "{scratch}"')
        try:
            _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                  f"--dbname={_libpq_url(owner_url, scratch)}", str(dump)], "pg_restore")
            restored = create_engine(driver_url(_libpq_url(owner_url, scratch)), poolclass=NullPool)
            try:
                with restored.connect() as rc:
                    got = {t.name: table_digest(rc, t) for t in Base.metadata.sorted_tables}
                    chain = chain_problems(rc)
            finally:
                restored.dispose()
            wrong = sorted(k for k in expected if got.get(k) != expected[k])
            if wrong or chain:
                raise DatabaseError("备份恢复校验失败：" + "，".join(wrong + chain)[:300],
                                    "the backup did not restore to the same data: " + ", ".join(wrong + chain)[:300])
        finally:
            with admin.connect() as c:
                c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    except DatabaseError:
        raise
    except Exception as exc:
        raise DatabaseError(f"备份恢复校验失败：{exc}", f"the restore check failed ({safe_url(owner_url)}): {exc}") from exc
    finally:
        admin.dispose()


def _thin(folder: Path, entries: list[dict], now: datetime) -> list[dict]:
    from app.services.backup import retained

    present = [e for e in entries if (folder / str(e.get("name", ""))).is_file()]
    keep = retained([(datetime.fromisoformat(e["created"]), e.get("kind", "")) for e in present], now)
    out = []
    for e in present:
        if (datetime.fromisoformat(e["created"]), e.get("kind", "")) in keep:
            out.append(e)
        else:
            (folder / e["name"]).unlink(missing_ok=True)
    return out
