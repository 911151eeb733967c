"""SQLite's side of an export: the statements that make the parts' JSON in SQLite itself, the
memory map the export reads through, and the worker processes that make the largest parts of a
full package on the parent's snapshot (their own side is app/sync/export_workers.py)."""
from __future__ import annotations

import hashlib
import multiprocessing
import operator
import queue
from contextlib import contextmanager
from functools import partial
from itertools import compress, repeat
from pathlib import Path
from typing import Any, Callable

from isal import isal_zlib
from sqlalchemy import Boolean

from app.errors import StationError, ValidationError
from app.sync import export_workers as W
from app.sync.rows import ENTITY_KINDS, HISTORY_KINDS, MUTABLE_HISTORY, RECORD_KINDS, SPECS, dumps

Progress = Callable[[int, int], None]


class Cancelled(StationError):
    code = "cancelled"


def sql_select(kind: str, key: str, upto: bool = False) -> tuple[str, str, str]:
    """SQLite: (the FROM clause of a subquery giving the rows after `?` (and, with `upto`, up to
    a second `?`) in key order, with the travelling values as c0…cn, each reference's lookup
    made once; the row's JSON over those columns; the expression that is true when a reference
    resolves to nothing)."""
    spec = SPECS[kind]
    inner, outer, bad = [f"t.{key} AS k"], [], []
    for i, f in enumerate(spec.fields):
        c = f"t.{f.column.name}"
        if f.ref == "record":
            e = "CASE t.module " + " ".join(f"WHEN '{m}' THEN (SELECT uuid FROM {SPECS[m].table.name} WHERE id = {c})"
                                            for m in RECORD_KINDS) + " END"
        elif f.ref is not None:
            e = f"(SELECT uuid FROM {SPECS[f.ref].table.name} WHERE id = {c})"
        else:
            e = c
        inner.append(f"{e} AS c{i}")
        if f.ref is not None:
            inner.append(f"{c} AS r{i}")
            bad.append(f"(r{i} IS NOT NULL AND c{i} IS NULL)")
        if isinstance(f.column.type, Boolean):  # true/false, as json.dumps writes a bool
            outer.append(f"json(CASE WHEN c{i} IS NULL THEN NULL WHEN c{i} THEN 'true' ELSE 'false' END)")
        else:
            outer.append(f"c{i}")
    # The subquery is ordered and the outer query reads it as it comes (an aggregate outer query
    # never flattens an ordered subquery): every lookup is made once per row.
    upper = f" AND t.{key} <= ?" if upto else ""
    source = f"(SELECT {', '.join(inner)} FROM {spec.table.name} AS t WHERE t.{key} > ?{upper} ORDER BY t.{key})"
    return source, f"json_array({', '.join(outer)})", " OR ".join(bad) or "0"


def refused(cursor, kind: str, key: str, broken) -> ValidationError:
    uuid = cursor.execute(f"SELECT uuid FROM {SPECS[kind].table.name} WHERE {key} = ?", (broken,)).fetchone()[0]
    return ValidationError(f"数据不一致：{kind} {uuid} 指向不存在的记录",
                           f"inconsistent data: {kind} {uuid} refers to a missing row", kind)


def sql_json_part(cursor, kind: str, key: str, after: int, sink: Callable[[str, bytes], None]) -> int:
    """SQLite: an append-only part's JSON made by SQLite itself (json_array per row, joined in
    key order; local ids turned into uuids by primary-key lookups), so that the bulk of an
    export (level changes, actions, links, the audit trail) never becomes Python objects.
    The values are those the Python path gives (tests/sync compare the two); a reference
    that resolves to nothing is refused as before. The JSON comes back as a BLOB (the text's
    UTF-8 bytes): decoding it into a str and encoding it back was a quarter of the statement."""
    source, row, bad = sql_select(kind, key)
    cursor.execute(f"SELECT count(*), CAST(group_concat({row}, ',') AS BLOB), min(CASE WHEN {bad} THEN k END) "
                   f"FROM {source}", (after,))
    n, body, broken = cursor.fetchone()
    if broken is not None:
        raise refused(cursor, kind, key, broken)
    sink(kind, b"".join((b'{"columns":', dumps(SPECS[kind].names), b',"rows":[', body or b"", b"]}")))
    return n


#: BLAKE2b-64 of each row's JSON, by C-level map passes (no Python frame per row).
_DIGEST = partial(hashlib.blake2b, digest_size=8)
_DIGEST_BYTES = operator.methodcaller("digest")


def sql_entity_rows(cursor, kind: str, digests: dict[tuple[str, str], bytes],
                     base_digests: dict[tuple[str, str], bytes]) -> list[bytes]:
    """SQLite: an entity kind's rows as JSON made by SQLite (the bytes json.dumps gives for the
    row read in Python), in id order. Every row's digest goes into `digests`; the rows whose
    digest differs from the base's come back (all of them for a full package).

    One statement gives all rows joined by newlines (JSON text never holds a raw newline: it
    escapes control characters) and the uuids likewise: a row at a time, each step let go of
    and took back the GIL, and beside the threads of the export that cost 6x the work."""
    source, row, bad = sql_select(kind, "id")
    ui = SPECS[kind].names.index("uuid")
    cursor.execute(f"SELECT count(*), CAST(group_concat({row}, char(10)) AS BLOB), group_concat(c{ui}, char(10)), "
                   f"min(CASE WHEN {bad} THEN k END) FROM {source}", (0,))
    n, body, uuid_text, broken = cursor.fetchone()
    if broken is not None:
        raise refused(cursor, kind, "id", broken)
    if not n:
        return []
    encoded = body.split(b"\n")
    del body
    keys = list(zip(repeat(kind), uuid_text.split("\n")))
    assert len(encoded) == len(keys) == n, kind  # a newline inside a row's JSON cannot happen
    dgs = list(map(_DIGEST_BYTES, map(_DIGEST, encoded)))
    digests.update(zip(keys, dgs))
    if base_digests:
        encoded = list(compress(encoded, map(operator.ne, map(base_digests.get, keys), dgs)))
    return encoded


#: Bytes of a station file that the export's read maps into memory (SQLite caps it at 2 GB).
EXPORT_MMAP = 1 << 31


@contextmanager
def memory_mapped(session, size: int | None = None):
    """SQLite: the session's connection reads the file through a memory map for the duration
    (then back to what it had). An export looks up a uuid by primary key for every reference
    of every history row, spread over tables far larger than the page cache: through the map
    each is a memory read instead of a read() into the cache (1M records, each statement timed
    alone at load 7: the level changes' lookups 4.0 s against 10.4 s, the actions' 7.1 s against
    13.1 s). SQLCipher does not map
    an encrypted file: it reads as before. PostgreSQL: nothing changes."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA mmap_size").scalar()
    conn.exec_driver_sql(f"PRAGMA mmap_size = {int(EXPORT_MMAP if size is None else size)}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA mmap_size = {int(before or 0)}")


#: Worker processes that read the largest parts of a full package (two cores on a station PC).
EXPORT_WORKERS = 2
#: Below this many rows (by the spans of the ids) a full package is read by one process:
#: starting the workers (≈ 0.2 s each) costs more than they save.
PARALLEL_MIN_ROWS = 300_000
#: Ids per piece of a part read by a worker; kinds spanning fewer ids stay with the parent.
PIECE_IDS = 250_000
PIECE_MIN_IDS = 20_000
#: How long the parent waits, holding the write lock, for the workers to hold the snapshot.
WORKER_START_SECONDS = 5.0


def parallel_wanted(db, full: bool, workers: int | None) -> int:
    """How many worker processes read the parts: only for a full package of a plain SQLite file
    (an encrypted file's key is not handed to other processes; a delta's work is its digests),
    and by default only for a large one."""
    if workers is not None and workers < 2:
        return 0
    if not full or db.path is None or db.key is not None or db.read_only or db.engine.dialect.name != "sqlite":
        return 0
    if workers is not None:
        return workers
    with db.raw(immediate=False) as conn:
        span = sum(conn.execute(f"SELECT coalesce(max(id) - min(id) + 1, 0) FROM {SPECS[k].table.name}").fetchone()[0]
                   for k in ("case", "dispute", "level_change", "action"))
    return EXPORT_WORKERS if span >= PARALLEL_MIN_ROWS else 0


@contextmanager
def snapshot_readers(db, workers: int, on_snapshot: Callable[[], None] | None = None):
    """A read session (memory-mapped, as read_snapshot wants it) and, with `workers` > 1, a pool of
    that many worker processes whose read-only connections hold the very same snapshot; yields
    (session, pool or None). None also when the workers could not start in time: the caller
    then reads everything itself, from the session.

    One snapshot, proved by the lock: before the session takes its snapshot, a second
    connection takes the write lock (BEGIN IMMEDIATE) and holds it until every worker has begun
    its read transaction and read from it. No commit can happen in that window, so the parent and
    every worker read the same committed state (WAL readers keep theirs whatever commits after).
    Writers wait meanwhile (≈ the workers' start, a fraction of a second; busy timeout 10 s)."""
    if workers < 2:
        with db.read() as session, memory_mapped(session):
            yield session, None
        return

    ctx = multiprocessing.get_context("spawn")  # never fork a process that runs Qt and threads
    ready = ctx.Queue()
    uri = f"{Path(db.path).resolve().as_uri()}?mode=ro"
    lock = db.raw(immediate=True)
    lock.__enter__()
    locked = True
    pool = None
    try:
        with db.read() as session, memory_mapped(session):
            session.connection().exec_driver_sql("SELECT max(rowid) FROM audit_log").scalar()  # the snapshot
            if on_snapshot is not None:
                on_snapshot()
            pool = ctx.Pool(workers, W.start, (uri, EXPORT_MMAP, ready))
            try:
                said = [ready.get(timeout=WORKER_START_SECONDS) for _ in range(workers)]
            except queue.Empty:
                said = [("error", "the export's workers did not start in time")]
            lock.__exit__(None, None, None)
            locked = False
            if any(what != "ready" for what, _why in said):
                pool.terminate()
                pool.join()
                pool = None
            try:
                yield session, pool
            finally:
                if pool is not None:
                    pool.terminate()
                    pool.join()
    finally:
        if locked:
            lock.__exit__(None, None, None)
        ready.close()


def piece_tasks(session, level: int) -> list[tuple]:
    """The workers' tasks for a full package: each kind made by SQLite (every entity kind but the
    person and the station, the append-only history) spanning at least PIECE_MIN_IDS ids, in
    ranges of PIECE_IDS ids, each with its statement (export_workers.piece)."""
    cursor = session.connection().connection.dbapi_connection.cursor()
    tasks = []
    for kind in ENTITY_KINDS + HISTORY_KINDS:
        if kind in ("station", "person") or kind in MUTABLE_HISTORY:
            continue
        lo, hi = cursor.execute(f"SELECT min(id), max(id) FROM {SPECS[kind].table.name}").fetchone()
        if lo is None or hi - lo + 1 < PIECE_MIN_IDS:
            continue
        source, row, bad = sql_select(kind, "id", upto=True)
        entity = kind in ENTITY_KINDS
        if entity:
            ui = SPECS[kind].names.index("uuid")
            sql = (f"SELECT count(*), CAST(group_concat({row}, char(10)) AS BLOB), group_concat(c{ui}, char(10)), "
                   f"min(CASE WHEN {bad} THEN k END) FROM {source}")
        else:
            sql = f"SELECT count(*), CAST(group_concat({row}, ',') AS BLOB), NULL, min(CASE WHEN {bad} THEN k END) FROM {source}"
        for start in range(lo - 1, hi, PIECE_IDS):
            tasks.append((kind, sql, (start, min(hi, start + PIECE_IDS)), entity, level))
    return tasks


def submit_pieces(readers: Any, tasks: list[tuple]) -> list:
    """The tasks handed to the workers (export_workers.piece), in order: their pending results."""
    return [readers.apply_async(W.piece, (t,)) for t in tasks]


def gather_pieces(session, jobs: list, kinds: frozenset[str], snap: Any, level: int,
                  progress: Progress | None, cancel: Callable[[], bool] | None) -> dict[str, tuple[bytes, int]]:
    """The workers' pieces, in order, made into one zlib stream per part (the part's head, the
    pieces with a comma between two, its tail): part -> (compressed bytes, raw size). Counts and
    digests go into `snap` (an export.Snapshot) as read_snapshot puts them."""

    def piece_of(raw: bytes) -> tuple[bytes, int, int]:
        return W.deflate_piece(raw, level), len(raw), isal_zlib.adler32(raw)

    pieces: dict[str, list[tuple[bytes, int, int]]] = {k: [] for k in kinds}
    cursor = session.connection().connection.dbapi_connection.cursor()
    for done, job in enumerate(jobs, 1):
        while True:
            try:
                kind, n, data, raw_len, adler, uuids, dgs, broken = job.get(timeout=0.25)
                break
            except multiprocessing.TimeoutError:
                if cancel is not None and cancel():
                    raise Cancelled("导出已取消", "the export was cancelled") from None
        if broken is not None:
            raise refused(cursor, kind, "id", broken)
        snap.counts[kind] = snap.counts.get(kind, 0) + n
        if dgs:
            snap.digests.update(zip(zip(repeat(kind), uuids.split("\n")),
                                    map(dgs.__getitem__, map(slice, range(0, len(dgs), 8), range(8, len(dgs) + 8, 8)))))
        if n:
            pieces[kind].append((data, raw_len, adler))
        if progress is not None:
            progress(done, len(jobs) + 1)
    out = {}
    for kind, got in pieces.items():
        snap.counts.setdefault(kind, 0)
        seq = [piece_of(b'{"columns":' + dumps(SPECS[kind].names) + b',"rows":[')]
        for i, p in enumerate(got):
            if i:
                seq.append(piece_of(b","))
            seq.append(p)
        seq.append(piece_of(b"]}"))
        out[kind] = (W.zlib_stream(seq), sum(n for _d, n, _a in seq))
    return out

