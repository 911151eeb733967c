"""The export's reading processes: pieces of the largest parts (rows in a range of ids) made by
SQLite in two worker processes, each with its own read-only connection held on the parent's
snapshot, and compressed there as pieces of one zlib stream.

Imports the standard library, the SQLite driver and ISA-L only: a worker process starts in tens
of milliseconds, while the parent holds the write lock (export.parallel_parts says why)."""
from __future__ import annotations

import hashlib
import operator
import struct
from functools import partial
from typing import Any

import sqlcipher3.dbapi2 as sqlite
from isal import isal_zlib

#: The worker's connection, opened by `start` in each worker process.
_conn: Any = None
_error: str | None = None

_DIGEST = partial(hashlib.blake2b, digest_size=8)
_DIGEST_BYTES = operator.methodcaller("digest")


def start(uri: str, mmap_size: int, ready: Any) -> None:
    """Pool initializer: open the station file read-only, begin a read transaction and read from
    it (in WAL mode the snapshot is taken at the first read, not at BEGIN), then say so on
    `ready`. Never raises (a pool respawns a worker whose initializer fails, forever): an error
    is reported on `ready` and every task of this worker refuses to run."""
    global _conn, _error
    try:
        conn = sqlite.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA mmap_size = {int(mmap_size)}")
        conn.execute("BEGIN")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("SELECT max(rowid) FROM audit_log").fetchone()
        _conn = conn
        ready.put(("ready", None))
    except BaseException as exc:  # reported to the parent, which falls back to one process
        _error = f"{type(exc).__name__}: {exc}"
        ready.put(("error", _error))


def piece(task: tuple[str, str, tuple, bool, int]) -> tuple:
    """One piece of a part: `sql` gives (count, the rows' JSON joined by newlines as a BLOB,
    the rows' uuids joined by newlines or NULL, the first row whose reference resolves to
    nothing or NULL). Returns (kind, count, raw deflate data ending on a sync flush, raw
    length, Adler-32 of the raw bytes, uuids, digests, broken key): the raw bytes are the rows'
    JSON joined by commas; with `digests`, each row's BLAKE2b-64 in order (8 bytes each)."""
    kind, sql, params, digests, level = task
    if _conn is None:
        raise RuntimeError(f"export worker has no connection: {_error}")
    n, body, uuid_text, broken = _conn.execute(sql, params).fetchone()
    if broken is not None or not n:
        return kind, n or 0, b"", 0, 1, "", b"", broken
    if digests:
        rows = body.split(b"\n")
        assert len(rows) == n, kind  # JSON text never holds a raw newline
        dgs = b"".join(map(_DIGEST_BYTES, map(_DIGEST, rows)))
        del rows
        raw = body.replace(b"\n", b",")  # the rows joined by commas, as b",".join(rows)
        del body
    else:
        raw, dgs = body, b""
        del body
    data = deflate_piece(raw, level)
    return kind, n, data, len(raw), isal_zlib.adler32(raw), uuid_text or "", dgs, None


def deflate_piece(raw: bytes, level: int) -> bytes:
    """`raw` as raw deflate ending on a byte boundary without a final block (Z_SYNC_FLUSH): pieces
    made so follow one another in one stream. Checked: it inflates back to exactly `raw`."""
    c = isal_zlib.compressobj(level, isal_zlib.DEFLATED, -15)
    data = c.compress(raw) + c.flush(isal_zlib.Z_SYNC_FLUSH)
    if not _inflates_to(data, raw):
        raise ValueError("a compressed piece does not decompress to its content")
    return data


def _inflates_to(data: bytes, raw: bytes, step: int = 1 << 24) -> bool:
    d = isal_zlib.decompressobj(-15)
    pos, tail = 0, data
    try:
        while tail:
            out = d.decompress(tail, step)
            tail = d.unconsumed_tail
            if not raw.startswith(out, pos):  # memcmp in place (a memoryview compares byte by byte)
                return False
            pos += len(out)
            if not out and tail:
                return False
        rest = d.flush()
    except isal_zlib.error:
        return False
    return not rest and pos == len(raw) and not d.eof


_ADLER_BASE = 65521


def adler32_combine(a1: int, a2: int, len2: int) -> int:
    """The Adler-32 of A + B from those of A and B and B's length (zlib's adler32_combine, which
    neither the standard library nor ISA-L's binding exposes)."""
    rem = len2 % _ADLER_BASE
    s1 = a1 & 0xFFFF
    s2 = (rem * s1) % _ADLER_BASE
    s1 = (s1 + (a2 & 0xFFFF) + _ADLER_BASE - 1) % _ADLER_BASE
    s2 = (s2 + (a1 >> 16) + (a2 >> 16) + _ADLER_BASE - rem) % _ADLER_BASE
    return s1 | (s2 << 16)


#: The two bytes ISA-L writes before a level-1 zlib stream (what compress_part's streams begin with).
ZLIB_HEADER = isal_zlib.compress(b"", 1)[:2]


def zlib_stream(pieces: list[tuple[bytes, int, int]]) -> bytes:
    """One zlib stream (RFC 1950) from raw deflate pieces, each (data ending on a sync flush, raw
    length, Adler-32 of its raw bytes), in order: the header, the pieces, an empty final block,
    the Adler-32 of everything."""
    adler = 1
    for _data, n, a in pieces:
        adler = adler32_combine(adler, a, n)
    end = isal_zlib.compressobj(1, isal_zlib.DEFLATED, -15)
    tail = end.compress(b"") + end.flush(isal_zlib.Z_FINISH)
    return b"".join((ZLIB_HEADER, *(d for d, _n, _a in pieces), tail, struct.pack(">I", adler)))
