"""Branch side: verify a package completely, then apply it in one transaction.

Order of work: size, decryption (any damage), signature by a trusted station key, manifest,
member checksums and bounded decompression, every row's types and codes, ownership and
references, the station's audit chain; only then the database, in one transaction. Each
entity is written only if its (version, package sequence) is newer than what the branch holds,
so the same package twice changes nothing and packages may arrive in any order.
"""
from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sqlalchemy import Integer, column as sql_column, func, select
from sqlalchemy.exc import IntegrityError

from app.domain.permissions import authorize
from app.services import audit
from app.sync import keys as K, package as P, requests
from app.sync.errors import ImportRejected
from app.sync.rows import (
    ENTITY_KINDS,
    HISTORY_KINDS,
    HISTORY_OWNER,
    LATER_PARTS,
    MUTABLE_FIELDS,
    MUTABLE_HISTORY,
    RECORD_KINDS,
    SPECS,
    parse_columns,
)
from models import ImportLedger, Station, StationAudit, SyncRecord, TrustedStation

log = logging.getLogger(__name__)
CHUNK = 500
#: From this many new rows, and at least 1/BULK_RATIO of what a table already holds, a SQLite
#: table's secondary indexes (and for the record tables the search index) are rebuilt once
#: instead of kept up row by row.
BULK_FROM = 2000
BULK_RATIO = 5
#: SQLite page cache during a bulk import (KiB): index building and random uuid inserts
#: touch far more pages than the default 2 MB holds (PERFORMANCE.md: 1.1-1.6x).
BULK_CACHE_KIB = 256 * 1024


@dataclass(frozen=True)
class ImportResult:
    file: str
    status: str            # applied / duplicate / rejected
    code: str              # applied: "", "gap", "replay", "forced"; rejected: the rejection code
    zh: str
    en: str
    station_uuid: str = ""
    station_name: str = ""
    seq: int | None = None
    export_id: str = ""
    sha256: str = ""
    counts: dict = field(default_factory=dict)
    skipped: int = 0
    seconds: float = 0.0


def read_package_file(path: str | Path) -> bytes:
    """The file's bytes, refusing anything over the size limit before reading it."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > P.MAX_PACKAGE_BYTES:
            raise ImportRejected("too_large", f"文件超过{P.MAX_PACKAGE_BYTES // 2**20} MB上限：{p.name}",
                                 f"the file is larger than the {P.MAX_PACKAGE_BYTES // 2**20} MB limit: {p.name}")
        with open(p, "rb") as fh:
            return fh.read(P.MAX_PACKAGE_BYTES + 1)
    except IsADirectoryError:
        raise ImportRejected("not_a_package", f"这是一个文件夹：{p}", f"this is a folder: {p}") from None
    except FileNotFoundError:
        raise ImportRejected("not_a_package", f"文件不存在：{p}", f"no such file: {p}") from None


# -- verification without the database --------------------------------------------------------------
@dataclass
class Checked:
    manifest: dict
    sha256: str
    rows: dict[str, list[tuple]]
    station_uuid: str
    seq: int
    #: The same values column by column (SPECS[kind] field order): whole-column checks and
    #: conversions run in C (set, map, zip) instead of a Python loop per row.
    columns: dict[str, list[tuple]] = field(default_factory=dict)

    def col(self, kind: str, name: str) -> tuple:
        return self.columns[kind][_idx(kind, name)]


class _Rows(dict):
    """Rows of each part as tuples, made from the columns the first time a part's rows are
    wanted (most of a large import works on the columns and never needs them)."""

    def __init__(self, columns: dict[str, list[tuple]]):
        super().__init__()
        self.columns = columns

    def __missing__(self, kind: str) -> list[tuple]:
        rows = self[kind] = list(zip(*self.columns[kind]))
        return rows


def _idx(kind: str, name: str) -> int:
    return SPECS[kind].names.index(name)


def verify_package(data: bytes, keys: K.BranchKeys, trusted: dict[str, tuple[bytes, bool]]) -> Checked:
    opened = P.open_package(data, keys.box, trusted.get)
    m = opened.manifest
    st = m["station"]["uuid"]
    kw = dict(authenticated=True, station_uuid=st, seq=m["seq"])
    missing = [n for n in P.PART_NAMES if n not in opened.parts and n not in LATER_PARTS]
    if missing:
        raise ImportRejected("malformed", f"数据包缺少部分：{missing}", f"the package lacks parts: {missing}", **kw)
    columns = {}
    for kind in P.PART_NAMES:
        if kind not in opened.parts:  # a part an older station app did not write: none of those rows
            if m["counts"].get(kind, 0) != 0:
                raise ImportRejected("checksum", f"{kind} 行数与清单不符", f"{kind}: the row count differs from the "
                                     "manifest", **kw)
            columns[kind] = [() for _ in SPECS[kind].fields]
            continue
        columns[kind], n = parse_columns(kind, opened.parts[kind], **kw)
        opened.parts[kind] = b""  # the JSON is no longer needed: free it before the rows are made
        if m["counts"].get(kind) != n:
            raise ImportRejected("checksum", f"{kind} 行数与清单不符", f"{kind}: the row count differs from the manifest",
                                 **kw)
    rows = _Rows(columns)
    c = Checked(m, opened.sha256, rows, st, m["seq"], columns)

    def own(zh: str, en: str):
        return ImportRejected("ownership", zh, en, **kw)

    if len(rows["station"]) > 1 or any(u != st for u in c.col("station", "uuid")):
        raise own("数据包含有其他派出所的信息", "the package carries another station's identity")
    for kind in ENTITY_KINDS[1:]:
        if set(c.col(kind, "station")) - {st}:
            raise own(f"数据包含有属于其他派出所的{kind}记录", f"the package carries {kind} rows of another station")
    for kind in ENTITY_KINDS + HISTORY_KINDS:
        uuids = c.col(kind, "uuid")
        if len(set(uuids)) != len(uuids):
            raise ImportRejected("invalid_row", f"{kind} 中有重复的记录标识", f"{kind}: a uuid appears twice", **kw)
    if set(c.col("dedicated_member", "person")) - set(c.col("person", "uuid")):
        raise ImportRejected("invalid_row", "专班成员所属人员不在数据包中",
                             "a dedicated-team member's person is not in the package", **kw)
    _check_audit_rows(rows["audit"], m, kw)
    return c


def _check_audit_rows(rows: list[tuple], m: dict, kw: dict) -> None:
    """The station's audit rows must continue its chain from `audit_from` to the signed head."""
    first, head = m["audit_from"], m["audit_head"]
    if len(rows) != head["seq"] - first:
        raise ImportRejected("audit_fork", "审计日志行数与清单不符", "the audit rows do not span the signed range", **kw)
    prev = audit.GENESIS if first == 0 else None
    for i, r in enumerate(rows):
        seq, at, account, officer_id, role, action, module, record_uuid, detail, prev_hash, h = r
        if seq != first + 1 + i or (prev is not None and prev_hash != prev):
            raise ImportRejected("audit_fork", "派出所审计日志不连续", f"the station's audit trail breaks at row {seq}", **kw)
        if audit.entry_hash(prev_hash, seq, datetime.fromisoformat(at), account, officer_id, role, action, module, record_uuid, detail) != h:
            raise ImportRejected("audit_fork", "派出所审计日志内容与哈希不符",
                                 f"the station's audit row {seq} does not match its hash", **kw)
        prev = h
    if rows and rows[-1][-1] != head["hash"]:
        raise ImportRejected("audit_fork", "派出所审计日志与签名的链头不符", "the audit trail does not end at the signed head",
                             **kw)


# -- applying ----------------------------------------------------------------------------------------
class _Writer:
    """Bulk inserts and updates on the transaction's own DBAPI connection, with SQLAlchemy's
    type processors (dates and times stored exactly as the ORM stores them)."""

    def __init__(self, session):
        self.conn = session.connection()
        self.dialect = self.conn.dialect
        self.dbapi = self.conn.connection.dbapi_connection
        self.mark = "?" if self.dialect.name == "sqlite" else "%s"
        self.inserted_ids: set[str] = set()
        self._rls: dict[str, bool] = {}

    def _procs(self, cols):
        """SQLite takes the validated text of dates as it is; PostgreSQL wants date objects."""
        if self.dialect.name == "sqlite":
            return [None] * len(cols)
        from sqlalchemy import Date, DateTime

        return [datetime.fromisoformat if isinstance(c.type, DateTime) else
                date.fromisoformat if isinstance(c.type, Date) else None for c in cols]

    def _run(self, sql: str, rows: list[tuple], procs) -> None:
        if not rows:
            return
        if any(procs):
            data = [tuple(v if p is None or v is None else p(v) for v, p in zip(r, procs)) for r in rows]
        else:
            data = rows
        cur = self.dbapi.cursor()
        try:
            cur.executemany(sql, data)
        finally:
            cur.close()

    def insert(self, table, cols, rows: Iterable[tuple]) -> None:
        """`rows` (tuples in `cols` order; an iterator is consumed once). SQLite: one
        `executemany` of the tuples as they are (dates are the validated text the file holds).
        PostgreSQL: `COPY ... FROM STDIN`, which takes the same text for dates and times and is
        some 10x faster than an executemany of INSERTs (psycopg's pipeline) at 100k records."""
        names = ", ".join(c.name for c in cols)
        if "id" in [c.name for c in cols]:
            self.inserted_ids.add(table.name)
        if self.dialect.name == "postgresql" and self._row_security(table.name):
            # A session under row-level security (COPY is refused there), so INSERTs in psycopg's
            # pipeline, each row checked by the table's policies. (At a branch with accounts the
            # import service writes as the owner: app.sync.service.)
            marks = ", ".join([self.mark] * len(cols))
            self._run(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", list(rows), self._procs(cols))
            return
        if self.dialect.name == "postgresql":
            from psycopg.copy import QueuedLibpqWriter

            cur = self.dbapi.cursor()
            try:
                # The queued writer sends on its own thread: formatting the rows here overlaps
                # with the server inserting the previous ones.
                with cur.copy(f"COPY {table.name} ({names}) FROM STDIN", writer=QueuedLibpqWriter(cur)) as copy:
                    for r in rows:
                        copy.write_row(r)
            finally:
                cur.close()
            return
        cur = self.dbapi.cursor()
        try:
            cur.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({', '.join([self.mark] * len(cols))})", rows)
        finally:
            cur.close()

    def _row_security(self, table: str) -> bool:
        """Whether row-level security applies to this session on `table` (PostgreSQL)."""
        known = self._rls
        if table not in known:
            cur = self.dbapi.cursor()
            try:
                cur.execute("SELECT row_security_active(%s)", (table,))
                known[table] = bool(cur.fetchone()[0])
            finally:
                cur.close()
        return known[table]

    def select_in(self, table: str, key: str, values: list, cols: str) -> list[tuple]:
        """`SELECT cols FROM table WHERE key IN values` as one statement, whatever the number
        of values (SQLite: json_each of one JSON parameter; PostgreSQL: = ANY(array))."""
        if not values:
            return []
        cur = self.dbapi.cursor()
        try:
            if self.dialect.name == "sqlite":
                cur.execute(f"SELECT {cols} FROM {table} WHERE {key} IN (SELECT value FROM json_each(?))",
                            (json.dumps(values),))
            else:
                cur.execute(f"SELECT {cols} FROM {table} WHERE {key} = ANY(%s)", (values,))
            return cur.fetchall()
        finally:
            cur.close()

    def count(self, table: str) -> int:
        cur = self.dbapi.cursor()
        try:
            cur.execute(f"SELECT count(*) FROM {table}")
            return cur.fetchone()[0]
        finally:
            cur.close()

    def update(self, table, cols, rows: list[tuple], station_id: int | None = None) -> None:
        """rows: values of `cols` followed by the id. With `station_id`, on a branch partitioned by
        station (app.store.partitions), each statement names the row's partition too: the server
        then reads one partition's key instead of planning and probing every station's."""
        sets = ", ".join(f"{c.name} = {self.mark}" for c in cols)
        where = f"id = {self.mark}"
        if station_id is not None and table.name in self.partitioned():
            where += f" AND station_id = {int(station_id)}"
        self._run(f"UPDATE {table.name} SET {sets} WHERE {where}", rows, self._procs(cols) + [None])

    def partitioned(self) -> frozenset[str]:
        """The tables partitioned by station here (none on SQLite or an unpartitioned branch)."""
        if not hasattr(self, "_partitioned"):
            from app.store import partitions

            self._partitioned = frozenset(t for t in partitions.TABLES if partitions.is_partitioned(self.conn, t))
        return self._partitioned

    def station_stamped(self) -> frozenset[str]:
        """The history tables that carry a station_id column here (a PostgreSQL branch
        partitioned by station, app.store.partitions), which the importer fills."""
        if self.dialect.name != "postgresql":
            return frozenset()
        from app.store.partitions import HISTORY

        return frozenset(self.conn.exec_driver_sql(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND column_name = 'station_id' AND table_name = ANY(%(t)s)", {"t": list(HISTORY)}).scalars())

    def next_id(self, table) -> int:
        return (self.conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar() or 0) + 1

    def fix_sequences(self) -> None:
        if self.dialect.name != "postgresql":
            return
        for name in sorted(self.inserted_ids):
            self.conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {name}), false)")


@contextlib.contextmanager
def _cache_size(dbapi, kib: int) -> Iterator[None]:
    before = dbapi.execute("PRAGMA cache_size").fetchone()[0]
    dbapi.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        dbapi.execute(f"PRAGMA cache_size = {int(before)}")


def _chunks(items: list, n: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _lock(session) -> None:
    """One importer at a time. SQLite: the writer session already holds BEGIN IMMEDIATE;
    PostgreSQL: a transaction-scoped advisory lock."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(70420)")


class _Apply:
    def __init__(self, session, c: Checked, allow_missing_base: bool):
        self.s = session
        self.c = c
        self.st = c.station_uuid
        self.seq = c.seq
        self.kw = dict(authenticated=True, station_uuid=c.station_uuid, seq=c.seq)
        self.allow_missing_base = allow_missing_base
        self.w = _Writer(session)
        self.counts: dict[str, int] = {}
        self.skipped = 0
        self.code = ""

    def rej(self, code: str, zh: str, en: str) -> ImportRejected:
        return ImportRejected(code, zh, en, **self.kw)

    # -- checks against what the branch holds --------------------------------------------------
    def ledger(self) -> str | None:
        """'duplicate' when this exact package was applied before; raise if the sequence number
        was used by different bytes."""
        m = self.c.manifest
        same = self.s.execute(select(ImportLedger.sha256, ImportLedger.export_id).where(
            ImportLedger.station_uuid == self.st, ImportLedger.seq == self.seq,
            ImportLedger.status.in_(("applied", "duplicate")))).all()
        if same:
            if any(sha == self.c.sha256 for sha, _ in same):
                return "duplicate"
            raise self.rej("seq_reused", f"序号 {self.seq} 已被另一个不同的数据包使用（派出所导出记录可能被重置），已拒绝",
                           f"sequence {self.seq} was already applied with different content "
                           f"(the station's export log was reset?); rejected")
        applied = set(self.s.scalars(select(ImportLedger.seq).where(
            ImportLedger.station_uuid == self.st, ImportLedger.status == "applied")).all())
        if m["kind"] == "delta" and m["base_seq"] not in applied:
            if not self.allow_missing_base:
                raise self.rej("missing_base", f"该数据包基于第 {m['base_seq']} 号数据包，本分局尚未导入该包",
                               f"this package builds on package {m['base_seq']}, which this branch has not applied: "
                               f"import it first or ask the station for a full export")
            self.code = "forced"
        #: the newest package of this station so far: its audit head may not fall behind
        self.newest = not applied or self.seq > max(applied)
        if applied and self.seq < max(applied):
            self.code = self.code or "replay"
        elif m["kind"] == "delta" and any(s not in applied for s in range(1, self.seq)):
            self.code = self.code or "gap"
        return None

    def load_records(self) -> None:
        self.mine: dict[str, tuple[str, int, int, int]] = {
            u: (k, lid, v, sq) for u, k, lid, v, sq in self.s.execute(
                select(SyncRecord.uuid, SyncRecord.kind, SyncRecord.local_id, SyncRecord.version, SyncRecord.seq)
                .where(SyncRecord.station_uuid == self.st))}
        incoming = [u for k in ENTITY_KINDS for u in self.c.col(k, "uuid")]
        other = self.w.select_in("sync_record", "uuid", [u for u in incoming if u not in self.mine], "uuid")
        if other:
            raise self.rej("ownership", "数据包试图修改属于其他派出所的记录，已拒绝",
                           f"the package would change {min(other)[0][:8]}…, which belongs to another station; "
                           f"rejected")
        if self.st not in self.mine and not self.c.rows["station"]:
            raise self.rej("missing_base", "本分局还没有该派出所的基本信息，请先导入其完整数据包",
                           "this branch holds nothing of this station yet: import a full package first")
        code = self.c.rows["station"][0][_idx("station", "code")] if self.c.rows["station"] else None
        if code is not None:
            clash = self.s.execute(select(Station.uuid, Station.name).where(Station.code == code,
                                                                           Station.uuid != self.st)).first()
            if clash is not None:
                raise self.rej("conflict", f"派出所代码 {code} 已被本分局的另一个派出所（{clash[1]}）使用",
                               f"station code {code} is already used here by another station ({clash[1]})")

    def check_refs(self) -> None:
        """Every reference points to an entity of this station: in the package or held here."""
        have = {k: set(self.c.col(k, "uuid")) for k in ENTITY_KINDS}
        for u, (k, *_rest) in self.mine.items():
            have[k].add(u)
        records = {(k, u) for k in RECORD_KINDS for u in have[k]}

        def missing(kind: str, target: str, v: str):
            return self.rej("missing_base", f"{kind} 引用了本分局没有的{target}记录 {v[:8]}…",
                            f"a {kind} row refers to {target} {v[:8]}…, which is neither in the package nor held "
                            f"for this station here")
        for kind in ENTITY_KINDS + ("dedicated_member",) + HISTORY_KINDS:
            spec = SPECS[kind]
            for i, f in enumerate(spec.fields):
                if f.ref is None:
                    continue
                values = self.c.columns[kind][i]
                if f.ref == "record":  # resolved by the row's module
                    bad = set(zip(self.c.col(kind, "module"), values)) - records
                    bad = sorted((m, v) for m, v in bad if v is not None)
                    if bad:
                        raise missing(kind, *bad[0])
                else:
                    bad = set(values) - have[f.ref] - {None}
                    if bad:
                        raise missing(kind, f.ref, min(bad))

    def check_history(self) -> dict[str, set[str]]:
        """Append-only rows already held are skipped; one held for another station is refused."""
        present: dict[str, set[str]] = {}
        ours = {(k, lid) for k, lid, _v, _s in self.mine.values()}
        for kind in HISTORY_KINDS:
            t = SPECS[kind].table
            ui = _idx(kind, "uuid")
            spec_owner = HISTORY_OWNER[kind]
            owner = f"'{spec_owner[0]}', {spec_owner[1]}" if spec_owner else "module, record_id"
            held = self.w.select_in(t.name, "uuid", [r[ui] for r in self.c.rows[kind]], f"uuid, {owner}")
            found = {u for u, *_ in held}
            # Rows whose record is this station's are fine; the others are looked up below.
            doubt = sorted(u for u, module, lid in held if (module, lid) not in ours)
            if doubt:
                if spec_owner:
                    on = (SyncRecord.kind == spec_owner[0]) & (SyncRecord.local_id == t.c[spec_owner[1]])
                else:
                    on = (SyncRecord.kind == t.c.module) & (SyncRecord.local_id == t.c.record_id)
                for chunk in _chunks(doubt):
                    foreign = self.s.execute(select(t.c.uuid).join(SyncRecord, on).where(
                        t.c.uuid.in_(chunk), SyncRecord.station_uuid != self.st)).first()
                    if foreign is not None:
                        raise self.rej("ownership", "数据包中的工作记录属于其他派出所",
                                       f"{kind} {foreign[0][:8]}… belongs to another station")
            present[kind] = found
        return present

    def check_audit(self) -> set[int]:
        """The branch is the station's external anchor: the chain in the package must only grow
        from what is held here. It must join the held rows at its start (unless the person
        forced a package whose base never arrived), agree with every held row it overlaps, join
        the held row after its head, and, in the station's newest package, not end before the
        head already held (a truncated or rolled-back trail)."""
        m = self.c.manifest
        lo, hi, head = m["audit_from"], m["audit_head"]["seq"], m["audit_head"]["hash"]
        where = StationAudit.station_uuid == self.st
        top = self.s.scalar(select(func.max(StationAudit.seq)).where(where)) or 0
        held = {seq: (prev, h) for seq, prev, h in self.s.execute(
            select(StationAudit.seq, StationAudit.prev_hash, StationAudit.hash).where(
                where, StationAudit.seq >= lo, StationAudit.seq <= hi + 1))}
        rows = self.c.rows["audit"]

        def fork(zh: str, en: str) -> ImportRejected:
            return self.rej("audit_fork", f"派出所审计日志分叉：{zh}", f"the station's audit trail forked: {en}")

        if self.newest and hi < top:
            raise fork(f"链头退回到第 {hi} 行，本分局已收到第 {top} 行（日志被截断或回退）",
                       f"its head went back to row {hi}; this branch already holds row {top} (truncated or rolled back)")
        if lo > 0:
            if lo in held:
                if (rows[0][9] if rows else head) != held[lo][1]:
                    raise fork(f"第 {lo + 1} 行与本分局已收到的第 {lo} 行不衔接（被改写）",
                               f"row {lo + 1} does not continue row {lo} held here (rewritten)")
            elif self.code != "forced":
                raise fork(f"从第 {lo} 行之后开始，而本分局只有到第 {top} 行的日志（无法衔接，可能是编造的链）",
                           f"it starts after row {lo}, but this branch holds rows up to {top} only "
                           f"(it cannot be joined: an invented chain?)")
        for r in rows:
            if r[0] in held and held[r[0]][1] != r[-1]:
                raise fork(f"第 {r[0]} 行与本分局已收到的不同（日志被改写）",
                           f"row {r[0]} differs from the one received before (rewritten)")
        if hi + 1 in held and held[hi + 1][0] != head:
            raise fork(f"第 {hi + 1} 行（已收到）不接续本数据包的链头",
                       f"row {hi + 1} held here does not continue this package's head (rewritten)")
        return set(held) - {hi + 1}

    # -- writes -----------------------------------------------------------------------------------
    def apply(self) -> None:
        present = self.check_history()
        held_audit = self.check_audit()
        if self.w.dialect.name == "sqlite":
            with self._bulk(present):
                self._write_all(present, held_audit)
        else:
            self._write_all(present, held_audit)
        self.w.fix_sequences()
        from app.services import daily_counts  # the station's cells, recounted in this transaction

        station_id = self.s.execute(select(Station.id).where(Station.uuid == self.st)).scalar()
        daily_counts.rebuild_in(self.s, station_ids=[station_id])

    @contextlib.contextmanager
    def _bulk(self, present: dict[str, set[str]]) -> Iterator[None]:
        """SQLite, a package large next to what the branch holds: the tables that grow by at
        least a fifth lose their secondary indexes and the search index its triggers during the
        writes; both are built once at the end, in the same transaction (PERFORMANCE.md R3:
        keeping them up row by row is 2.4x / 7x slower). A small package into a large branch
        keeps them: rebuilding a large index costs more than updating it."""
        from app.store import bulk

        fresh = {k: len(set(self.c.col(k, "uuid")) - self.mine.keys()) for k in ENTITY_KINDS}
        new = {SPECS[k].table.name: fresh[k] for k in RECORD_KINDS}
        new.update({SPECS[k].table.name: len(self.c.col(k, "uuid")) - len(present[k]) for k in HISTORY_KINDS})
        new["sync_record"] = sum(fresh.values())
        grow = tuple(sorted(t for t, n in new.items() if n >= BULK_FROM and n * BULK_RATIO >= self.w.count(t)))
        records = [SPECS[k].table.name for k in RECORD_KINDS]
        adding = sum(new[t] for t in records)
        fts = adding >= BULK_FROM and adding * BULK_RATIO >= sum(self.w.count(t) for t in records)
        with contextlib.ExitStack() as stack:
            if fts or grow:
                stack.enter_context(_cache_size(self.w.dbapi, BULK_CACHE_KIB))
            if fts:
                stack.enter_context(bulk.search_index_rebuilt(self.w.dbapi))
            if grow:
                stack.enter_context(bulk.indexes_dropped(self.w.dbapi, grow))
            yield

    def _write_all(self, present: dict[str, set[str]], held_audit: set[int]) -> None:
        local: dict[str, int] = {u: v[1] for u, v in self.mine.items()}
        sync_new: list[tuple] = []
        sync_upd: list[tuple] = []
        applied_persons: list[tuple[str, int]] = []
        deferred: list[tuple[int, str]] = []  # dispute local id, converted case uuid
        for kind in ENTITY_KINDS:
            spec = SPECS[kind]
            t = spec.table
            ui = _idx(kind, "uuid")
            vi = spec.names.index("version") if "version" in spec.names else None
            cols = [f.column for f in spec.fields]
            next_id = self.w.next_id(t)
            new, new_ids, upd, upd_ids = [], [], [], []
            for r in self.c.rows[kind]:
                u = r[ui]
                version = r[vi] if vi is not None else 0
                held = self.mine.get(u)
                if held is None:
                    local[u] = next_id
                    new.append(r)
                    new_ids.append(next_id)
                    sync_new.append((u, kind, self.st, next_id, version, self.seq))
                    next_id += 1
                elif (version, self.seq) > (held[2], held[3]):
                    upd.append(r)
                    upd_ids.append(held[1])
                    sync_upd.append((version, self.seq, u))
                else:
                    self.skipped += 1
            # Column by column: references become local ids with one map() per column.
            for rows, lids, what in ((new, new_ids, "new"), (upd, upd_ids, "upd")):
                if not rows:
                    continue
                columns = list(zip(*rows))
                for i, f in enumerate(spec.fields):
                    if f.ref is None:
                        continue
                    if kind == "dispute" and f.name == "converted_case":
                        deferred.extend((lid, v) for lid, v in zip(lids, columns[i]) if v is not None)
                        columns[i] = (None,) * len(rows)
                    else:
                        columns[i] = list(map(local.get, columns[i]))
                if what == "new":
                    self.w.insert(t, [t.c.id] + cols, zip(lids, *columns))
                else:
                    self.w.update(t, cols, list(zip(*columns, lids)), local.get(self.st))
                if kind == "person":
                    applied_persons.extend(zip(columns[ui], lids))
            self.counts[kind] = len(new) + len(upd)
            if kind == "case" and deferred:
                d = SPECS["dispute"].table
                self.w.update(d, [d.c.converted_case_id], [(local[cu], did) for did, cu in deferred],
                              local.get(self.st))
        sr = SyncRecord.__table__
        self.w.insert(sr, [sr.c.uuid, sr.c.kind, sr.c.station_uuid, sr.c.local_id, sr.c.version, sr.c.seq], sync_new)
        if sync_upd:
            self.w._run(f"UPDATE sync_record SET version = {self.w.mark}, seq = {self.w.mark} "
                        f"WHERE uuid = {self.w.mark}", sync_upd, [None, None, None])
        # A person's dedicated team travels with the person: replaced whenever the person is.
        dm = SPECS["dedicated_member"].table
        if applied_persons:
            for chunk in _chunks([lid for _, lid in applied_persons]):
                self.s.execute(dm.delete().where(dm.c.person_id.in_(chunk)))
            wanted = {u for u, _ in applied_persons}
            rows = [(local[p], local[o], duty) for p, o, duty in self.c.rows["dedicated_member"] if p in wanted]
            self.w.insert(dm, [dm.c.person_id, dm.c.officer_id, dm.c.duty], rows)
            self.counts["dedicated_member"] = len(rows)
        stamped = self.w.station_stamped()
        for kind in HISTORY_KINDS:
            spec = SPECS[kind]
            t = spec.table
            ui = _idx(kind, "uuid")
            next_id = self.w.next_id(t)
            if present[kind]:
                rows = [r for r in self.c.rows[kind] if r[ui] not in present[kind]]
                columns, n = list(zip(*rows)), len(rows)
            else:
                columns, n = list(self.c.columns[kind]), len(self.c.col(kind, "uuid"))
            if n:
                for i, f in enumerate(spec.fields):
                    if f.ref is not None:
                        columns[i] = list(map(local.get, columns[i]))
                cols = [t.c.id] + [f.column for f in spec.fields]
                if t.name in stamped:  # a branch partitioned by station: the row's partition key
                    cols.append(sql_column("station_id", Integer))
                    columns.append(itertools.repeat(local[self.st], n))
                self.w.insert(t, cols, zip(range(next_id, next_id + n), *columns))
            self.counts[kind] = n
            if kind in MUTABLE_HISTORY and present[kind]:
                self.counts[kind] += self._update_mutable(kind, present[kind], local)
        sa_t = StationAudit.__table__
        cols = [sa_t.c.station_uuid] + [sa_t.c[f.name] for f in SPECS["audit"].fields]
        rows = [(self.st, *r) for r in self.c.rows["audit"] if r[0] not in held_audit]
        self.w.insert(sa_t, cols, rows)
        self.counts["audit"] = len(rows)

    def _update_mutable(self, kind: str, held: set[str], local: dict[str, int]) -> int:
        """Rows of a mutable history kind (rows.MUTABLE_HISTORY) the branch already holds: each
        takes the package's state when that state's event (the later of its event times) is
        newer than the held one's, or as new with another state (the later package wins a tie).
        The result does not depend on the order packages arrive in, as for the entities."""
        spec = SPECS[kind]
        t = spec.table
        ui = _idx(kind, "uuid")
        first, second = MUTABLE_HISTORY[kind]
        fi, si = _idx(kind, first), _idx(kind, second)
        names = MUTABLE_FIELDS[kind]
        cols = [next(f.column for f in spec.fields if f.name == n) for n in names]
        refs = [next(f.ref for f in spec.fields if f.name == n) for n in names]
        now_held = {u: (lid, _event(a, b), b is not None) for u, lid, a, b in self.w.select_in(
            t.name, "uuid", sorted(held), f"uuid, id, {spec.fields[fi].column.name}, {spec.fields[si].column.name}")}
        upd = []
        for r in self.c.rows[kind]:
            was = now_held.get(r[ui])
            if was is None:
                continue
            when, removed = _event(r[fi], r[si]), r[si] is not None
            if when > was[1] or (when == was[1] and removed != was[2]):
                values = [r[_idx(kind, n)] for n in names]
                upd.append(tuple(local.get(v) if ref is not None and v is not None else v
                                 for v, ref in zip(values, refs)) + (was[0],))
        self.w.update(t, cols, upd, local.get(self.st))
        return len(upd)


def _event(*times: str | datetime | None) -> datetime:
    """The latest of a row's event times (text from a package or SQLite, datetimes from PostgreSQL)."""
    return max(t if isinstance(t, datetime) else datetime.fromisoformat(t) for t in times if t is not None)


def _trusted(db) -> dict[str, tuple[bytes, bool]]:
    with db.read() as session:
        return {u: (k, r is not None) for u, k, r in session.execute(
            select(TrustedStation.uuid, TrustedStation.sign_key, TrustedStation.revoked_at))}


def import_package(db, actor, data: bytes, *, name: str = "", allow_missing_base: bool = False) -> ImportResult:
    """Verify and apply one package. Raises ImportRejected (the database unchanged) or returns
    the result: applied (possibly with a gap/replay note) or duplicate."""
    started = time.perf_counter()
    authorize(actor, "import")
    keys = K.branch_keys(db)
    sha = hashlib.sha256(data).hexdigest()
    with db.read() as session:  # these very bytes were verified and applied before: nothing to do
        seen = session.execute(select(ImportLedger.station_uuid, ImportLedger.seq, ImportLedger.export_id)
                               .where(ImportLedger.sha256 == sha, ImportLedger.status == "applied")).first()
    if seen is not None:
        return ImportResult(name, "duplicate", "", f"重复的数据包（第 {seen[1]} 号已导入），未作任何修改",
                            f"duplicate: package {seen[1]} was already applied; nothing changed", seen[0], "",
                            seen[1], seen[2], sha)
    c = verify_package(data, keys, _trusted(db))
    m = c.manifest
    st_name = m["station"]["name"]
    try:
        with db.write(actor, "import") as session:
            _lock(session)
            job = _Apply(session, c, allow_missing_base)
            if job.ledger() == "duplicate":
                session.rollback()
                return ImportResult(name, "duplicate", "", f"重复的数据包（第 {c.seq} 号已导入），未作任何修改",
                                    f"duplicate: package {c.seq} was already applied; nothing changed",
                                    c.station_uuid, st_name, c.seq, m["export_id"], c.sha256)
            job.load_records()
            job.check_refs()
            job.apply()
            now = datetime.now().replace(microsecond=0)
            session.execute(ImportLedger.__table__.insert().values(
                station_uuid=c.station_uuid, seq=c.seq, export_id=m["export_id"], sha256=c.sha256, kind=m["kind"],
                base_seq=m["base_seq"], status="applied", code=job.code, reason="",
                created_at=datetime.fromisoformat(m["created_at"]), applied_at=now, counts=json.dumps(job.counts),
                skipped=job.skipped))
            audit.append_event(session, actor, "import", "sync", c.station_uuid, {
                "station": st_name, "seq": c.seq, "sha256": c.sha256, "kind": m["kind"], "counts": job.counts,
                "skipped": job.skipped, "note": job.code, "file": name})
    except IntegrityError as exc:
        raise ImportRejected("conflict", "数据包与本分局已有数据冲突，已拒绝，数据库未改动",
                             f"the package conflicts with data held here; rejected, nothing changed "
                             f"({str(exc.orig)[:120]})", authenticated=True, station_uuid=c.station_uuid,
                             seq=c.seq) from None
    notes = {"": ("已导入", "applied"),
             "gap": ("已导入；注意：此前有数据包尚未收到", "applied; note: earlier packages have not arrived"),
             "replay": ("已导入；这是较早的数据包，较新的记录均已保留", "applied; an older package: newer records were kept"),
             "forced": ("已强制导入（缺少前序数据包）", "applied by force without its base package")}[job.code]
    return ImportResult(name, "applied", job.code, notes[0], notes[1], c.station_uuid, st_name, c.seq,
                        m["export_id"], c.sha256, job.counts, job.skipped, time.perf_counter() - started)


def note_rejection(db, actor, exc: ImportRejected, name: str) -> None:
    """An authenticated package that was refused (ownership, reused sequence, rewritten audit
    trail…) is written to the branch's audit trail; unauthenticated junk writes nothing."""
    if not exc.authenticated:
        return
    audit.record_event(db, actor, "import_rejected", "sync", exc.station_uuid,
                       {"seq": exc.seq, "code": exc.code, "reason": exc.en, "file": name})


def _file_sha(p: Path) -> str:
    try:
        return hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() and p.stat().st_size <= P.MAX_PACKAGE_BYTES \
            else ""
    except OSError:
        return ""


def import_files(db, actor, paths: list[str | Path], *, allow_missing_base: bool = False,
                 receipts_dir: str | Path | None = None, write_receipts: bool = True,
                 progress: Callable[[int, int], None] | None = None) -> list[ImportResult]:
    """Import each file in turn; one failing does not stop the others. Receipts (one per
    package) go to `receipts_dir`, or beside each package."""
    from app.errors import PermissionDenied, StationError
    from app.sync.receipt import write_receipt

    authorize(actor, "import")  # before the first file: a refused role gets no receipts either
    service = requests.through_service(db)
    results = []
    for i, p in enumerate(paths):
        p = Path(p)
        # Each file is isolated: whatever one does, the others are still verified and answered.
        signed: bytes | None = None
        try:
            data = read_package_file(p)
            if service:  # a PostgreSQL branch's account: its import service applies the package
                answer = requests.request_import(db, data, name=p.name, allow_missing_base=allow_missing_base)
                receipt = answer.pop("receipt", None)
                signed = receipt.encode("utf-8") if isinstance(receipt, str) else None
                res = ImportResult(**answer)
            else:
                res = import_package(db, actor, data, name=p.name, allow_missing_base=allow_missing_base)
        except ImportRejected as exc:
            note_rejection(db, actor, exc, p.name)
            res = ImportResult(p.name, "rejected", exc.code, exc.zh, exc.en, exc.station_uuid, "", exc.seq, "",
                               _file_sha(p))
        except PermissionDenied:
            raise
        except StationError as exc:  # storage trouble (full, locked) on this file: say so, go on
            res = ImportResult(p.name, "rejected", exc.code, exc.zh, exc.en, "", "", None, "", _file_sha(p))
        except Exception as exc:  # a fault in the app: logged with its traceback, the batch goes on
            log.exception("import of %s failed", p)
            res = ImportResult(p.name, "rejected", "error", f"程序处理该文件时出错（已记录）：{type(exc).__name__}",
                               f"the app failed on this file (logged): {type(exc).__name__}", "", "", None, "",
                               _file_sha(p))
        if write_receipts and service and signed is None:
            # Only the import service signs a PostgreSQL branch's receipts. None came back: the file
            # never reached it (unreadable, no service running: nothing was imported, the result
            # says why) or it could not sign (logged there).
            log.warning("no receipt for %s: the import service did not sign one", p)
        elif write_receipts:
            folder = Path(receipts_dir) if receipts_dir else p.parent
            write_receipt(db, res, folder / f"{p.stem}.receipt.json", signed)
        results.append(res)
        if progress is not None:
            progress(i + 1, len(paths))
    return results
