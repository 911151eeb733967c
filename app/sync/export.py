"""Station side: the data-quality check, the package of what changed since the branch's last
acknowledgement (or a full snapshot), and the record of what was sent."""
from __future__ import annotations

import hashlib
import json
import time
import uuid as uuidlib
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from isal import isal_zlib
from sqlalchemy import Boolean, bindparam, func, select, text

from app import __version__
from app.domain.identity import parse_id_number
from app.domain.permissions import authorize
from app.errors import ValidationError
from app.services import audit
from app.store.fileio import write_verified
from app.sync import export_sqlite as S, keys as K, package as P
from app.sync.errors import ExportBlocked
from app.sync.export_sqlite import Cancelled
from app.sync.rows import (
    DIGEST_KINDS,
    ENTITY_KINDS,
    HISTORY_KINDS,
    MUTABLE_HISTORY,
    RECORD_KINDS,
    SPECS,
    dumps,
    to_json_value,
)
from models import AuditEntry, DedicatedMember, ExportLog, Person

Progress = Callable[[int, int], None]
LOG = ExportLog.__table__
KIND_INDEX = {k: i for i, k in enumerate(DIGEST_KINDS)}
_KIND_BYTE = {k: bytes([i]) for k, i in KIND_INDEX.items()}
PACKAGE_SUFFIX = ".stpkg"


# -- the data-quality check --------------------------------------------------------------------------
@dataclass(frozen=True)
class QualityIssue:
    code: str
    severity: str  # "block" stops the export unless forced; "warn" is reported
    count: int
    zh: str
    en: str
    examples: tuple[str, ...] = ()


def quality_check(db, today: date | None = None) -> list[QualityIssue]:
    """What the branch should not receive silently: records nobody is responsible for, red
    records left without action past their cadence, key persons without a valid ID number,
    text longer than its column (PostgreSQL would refuse it), a broken audit chain."""
    today = today or date.today()
    issues: list[QualityIssue] = []
    with db.read() as session:
        for kind in RECORD_KINDS:
            t = SPECS[kind].table
            live = t.c.status != "voided"
            no_officer = session.execute(select(t.c.uuid).where(live, t.c.officer_id.is_(None)).limit(5)).scalars().all()
            n = session.scalar(select(func.count()).select_from(t).where(live, t.c.officer_id.is_(None))) or 0
            if n:
                issues.append(QualityIssue(f"no_officer_{kind}", "block", n, f"{n} 条{_zh(kind)}记录没有责任民警",
                                           f"{n} {kind} records have no responsible officer", tuple(no_officer)))
            red_overdue = (t.c.status == "active") & (t.c.level == "red") & (t.c.next_due < today)
            n = session.scalar(select(func.count()).select_from(t).where(red_overdue)) or 0
            if n:
                ex = session.execute(select(t.c.uuid).where(red_overdue).limit(5)).scalars().all()
                issues.append(QualityIssue(f"red_overdue_{kind}", "warn", n,
                                           f"{n} 条红色{_zh(kind)}记录超过跟进周期未开展工作",
                                           f"{n} red {kind} records have had no action within their cadence",
                                           tuple(ex)))
            too_long = [c for c in t.columns if getattr(c.type, "length", None)]
            cond = None
            for c in too_long:
                term = func.length(c) > c.type.length
                cond = term if cond is None else cond | term
            n = session.scalar(select(func.count()).select_from(t).where(cond)) or 0
            if n:
                issues.append(QualityIssue(f"too_long_{kind}", "block", n, f"{n} 条{_zh(kind)}记录有字段超过长度上限",
                                           f"{n} {kind} records have text longer than its field allows"))
        bad_ids, examples = 0, []
        for uuid, number in session.execute(select(Person.uuid, Person.id_number).where(Person.status != "voided")):
            ok = bool(number)
            if ok:
                try:
                    parse_id_number(number)
                except ValidationError:
                    ok = False
            if not ok:
                bad_ids += 1
                if len(examples) < 5:
                    examples.append(uuid)
        if bad_ids:
            issues.append(QualityIssue("person_id_number", "warn", bad_ids, f"{bad_ids} 名重点人员没有有效身份证号",
                                       f"{bad_ids} key persons have no valid ID number", tuple(examples)))
    chain = audit.verify_chain(db)
    if chain:
        issues.append(QualityIssue("audit_chain", "block", len(chain), "审计日志哈希链有问题",
                                   "the audit trail's hash chain is broken", tuple(chain[:5])))
    return issues


def _zh(kind: str) -> str:
    return {"case": "案件", "dispute": "纠纷", "person": "重点人员"}[kind]


# -- reading the snapshot -----------------------------------------------------------------------------
def pack_digests(d: dict[tuple[str, str], bytes]) -> bytes:
    """25 bytes per entity (kind index, uuid, digest) in the order read (kind by kind, by id),
    compressed. Made by C-level passes only (zip, map, join): a million entities at 1M records
    (a Python loop grouping them and a sort by uuid took most of its time; unpack_digests reads
    any order)."""
    if not d:
        return zlib.compress(b"", 1)
    kinds, uuids = zip(*d)
    return isal_zlib.compress(b"".join(map(b"".join, zip(map(_KIND_BYTE.__getitem__, kinds), map(bytes.fromhex, uuids),
                                                         d.values()))), 1)


def unpack_digests(blob: bytes | None) -> dict[tuple[str, str], bytes]:
    if not blob:
        return {}
    raw = zlib.decompress(blob)
    return {(DIGEST_KINDS[raw[i]], raw[i + 1:i + 17].hex()): raw[i + 17:i + 25] for i in range(0, len(raw), 25)}


@dataclass
class Snapshot:
    parts: dict[str, list] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    digests: dict[tuple[str, str], bytes] = field(default_factory=dict)
    marks: dict[str, int] = field(default_factory=dict)
    audit_seq: int = 0
    audit_hash: str = audit.GENESIS
    station: tuple[str, str, str] = ("", "", "")
    taken_at: datetime | None = None
    gone: int = 0


@dataclass(frozen=True)
class Base:
    """What the last acknowledged package brought the branch to: the base of a delta."""

    seq: int
    window_to: datetime | None
    audit_seq: int
    marks: str
    digests: bytes | None


def _base(session, seq: int | None) -> Base | None:
    if seq is None:
        return None
    r = session.execute(select(LOG.c.seq, LOG.c.window_to, LOG.c.audit_seq, LOG.c.marks, LOG.c.digests)
                        .where(LOG.c.seq == seq)).first()
    return Base(*r)


#: One encoder for every row: json.dumps would build a new one per call.
_ROW_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def part_json(kind: str, rows: list | None = None, encoded: list[bytes] | None = None) -> bytes:
    """A part's JSON (docs/sync-format.md, "Parts"): from the rows, or from the rows' JSON
    already made one by one (the same bytes as dumps({"columns": …, "rows": rows}))."""
    if encoded is None:
        return dumps({"columns": SPECS[kind].names, "rows": rows})
    return b"".join((b'{"columns":', dumps(SPECS[kind].names), b',"rows":[', b",".join(encoded), b"]}"))


def read_snapshot(session, base: Base | None, progress: Progress | None = None,
                  cancel: Callable[[], bool] | None = None, raw: bool | None = None,
                  sink: Callable[[str, bytes], None] | None = None, skip: frozenset[str] = frozenset()) -> Snapshot:
    """Everything changed since `base` (everything when None), read in the caller's single
    read transaction so the package holds no half-committed edit. On SQLite the rows are read
    raw (dates as the text the file holds): converting 500k rows to Python dates and back was
    most of an export's time. `raw=False` reads typed values (snapshots across backends).

    With `sink`, each part's JSON goes to `sink(kind, bytes)` as soon as it is complete (the
    export compresses it on another thread while the next part is read) and `parts` stays
    empty; without it, `parts` holds the rows. Streamed from SQLite, every part but the
    persons' is JSON made by SQLite (export_sqlite.sql_entity_rows, sql_json_part); otherwise rows are
    turned into JSON once, for both their digest and the part, references mapped to uuids
    column by column.

    One connection reads everything: a second one on the same snapshot making the largest part
    meanwhile made a 1M export slower (66 s against 50 s: the two contend inside SQLite). The
    kinds in `skip` are left out (their marks are still taken): worker processes on the same
    snapshot make them (export_sqlite.piece_tasks)."""
    conn = session.connection()
    if raw is None:
        raw = conn.dialect.name == "sqlite"
    if raw:
        cursor = conn.connection.dbapi_connection.cursor()

        def rows_of(table, cols, where: str = "", order: str = "id", params=()) -> list[tuple]:
            names = ", ".join(c.name for c in cols)
            cursor.execute(f"SELECT {names} FROM {table.name} {where} ORDER BY {order}", params)
            return cursor.fetchall()
    else:
        def rows_of(table, cols, where: str = "", order: str = "id", params=()) -> list[tuple]:
            stmt = select(*cols).order_by(table.c[order])
            if where:
                stmt = stmt.where(text(where.replace("WHERE", "", 1)).bindparams(*[
                    bindparam(f"p{i}", v) for i, v in enumerate(params)]))
            return [tuple(to_json_value(v) for v in r) for r in conn.execute(stmt)]

    snap = Snapshot(taken_at=datetime.now().replace(microsecond=0))

    def emit(kind: str, rows: list, encoded: list[bytes] | None = None) -> None:
        snap.counts[kind] = len(rows) if encoded is None else len(encoded)
        if sink is None:
            snap.parts[kind] = rows
        else:
            sink(kind, part_json(kind, rows, encoded))

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(min(done, total - 1), total)
        if cancel is not None and cancel():
            raise Cancelled("导出已取消", "the export was cancelled")

    base_digests = unpack_digests(base.digests) if base is not None else {}
    base_marks = json.loads(base.marks) if base is not None else {}
    # In SQLite's own JSON (raw and streamed) the entity kinds but the person (whose digest
    # holds its dedicated team) are made by SQLite; the local id -> uuid maps are read only for
    # the kinds made in Python and the references these hold.
    in_sql = {k for k in ENTITY_KINDS if raw and sink is not None and k != "person"}

    class Ids(dict):
        def __missing__(self, kind: str) -> dict[int, str]:
            t = SPECS[kind].table
            self[kind] = found = dict(rows_of(t, [t.c.id, t.c.uuid]))
            return found

    ids: dict[str, dict[int, str]] = Ids()
    mark_of = {}
    for kind in HISTORY_KINDS:
        t = SPECS[kind].table
        mark_of[kind] = int(base_marks.get(kind, 0))
    # Progress counts rows: the entities, then the history rows past each mark.
    total = 1
    for kind in ENTITY_KINDS:
        if kind not in skip:
            total += conn.execute(select(func.count()).select_from(SPECS[kind].table)).scalar() or 0
    for kind in HISTORY_KINDS:
        t = SPECS[kind].table
        if kind not in skip:
            total += conn.execute(select(func.count()).select_from(t).where(t.c.id > mark_of[kind])).scalar() or 0
    done = 0
    members: dict[int, list[list]] = {}
    dm = DedicatedMember.__table__
    for person_id, officer_id, duty in rows_of(dm, [dm.c.person_id, dm.c.officer_id, dm.c.duty]):
        members.setdefault(person_id, []).append([ids["person"][person_id], ids["officer"][officer_id], duty])
    dedicated: list[list] = []
    for kind in ENTITY_KINDS:
        spec = SPECS[kind]
        t = spec.table
        ui = spec.names.index("uuid")
        if kind in skip:
            continue
        if kind in in_sql:
            if kind == "station":
                first = cursor.execute("SELECT uuid, code, name FROM station ORDER BY id LIMIT 1").fetchone()
                snap.station = tuple(first) if first else ("", "", "")
            encoded = S.sql_entity_rows(cursor, kind, snap.digests, base_digests)
            tick(cursor.execute(f"SELECT count(*) FROM {t.name}").fetchone()[0])
            emit(kind, [], encoded)
            continue
        fetched = rows_of(t, [t.c.id] + [f.column for f in spec.fields])
        if kind == "station":
            snap.station = (fetched[0][1 + ui], fetched[0][1 + spec.names.index("code")],
                            fetched[0][1 + spec.names.index("name")]) if fetched else ("", "", "")
        rows = _mapped(spec, ids, fetched, offset=1)
        local_ids = [r[0] for r in fetched]
        del fetched
        rows_out, encoded = [], []
        for n, (lid, row) in enumerate(zip(local_ids, rows), 1):
            if n % 5000 == 0:
                tick(5000)
            rj = _ROW_JSON(row).encode("utf-8")
            extra = sorted(members.get(lid, [])) if kind == "person" else None
            # The digest is of dumps(row), or of dumps([row, members]) for a person (the same
            # bytes as before this was streamed: digests of older exports stay comparable).
            dg = hashlib.blake2b(rj if extra is None else b"[" + rj + b"," + dumps(extra) + b"]",
                                 digest_size=8).digest()
            key = (kind, row[ui])
            snap.digests[key] = dg
            if base_digests.get(key) != dg:
                if sink is None:
                    rows_out.append(list(row))
                encoded.append(rj)
                if extra:
                    dedicated.extend(extra)
        tick(len(rows) % 5000)
        emit(kind, rows_out, None if sink is None else encoded)
    snap.gone = len({k for k in base_digests if k[0] not in MUTABLE_HISTORY}
                    - set(snap.digests))
    emit("dedicated_member", dedicated)
    for kind in HISTORY_KINDS:
        spec = SPECS[kind]
        t = spec.table
        snap.marks[kind] = conn.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar()
        if kind in skip:
            continue
        if kind in MUTABLE_HISTORY and raw and sink is not None:
            # Digested and chosen as the entities are (the rows past the base's mark are new
            # uuids, so their digests differ from the base's too); the id -> uuid maps of every
            # case and dispute (two 1M-entry dicts at 1M records) are not read for them.
            encoded = S.sql_entity_rows(cursor, kind, snap.digests, base_digests)
            tick(len(encoded))
            emit(kind, [], encoded)
            continue
        if kind in MUTABLE_HISTORY:
            record_maps = {k: ids[k] for k in RECORD_KINDS}
            rows = _changed_history(spec, ids, record_maps, rows_of(t, [t.c.id] + [f.column for f in spec.fields]),
                                    mark_of[kind], base_digests, snap.digests)
            tick(len(rows))
            emit(kind, rows)
            continue
        if raw and sink is not None:
            n = S.sql_json_part(cursor, kind, "id", mark_of[kind], sink)
            snap.counts[kind] = n
            tick(n)
            continue
        fetched = rows_of(t, [f.column for f in spec.fields], "WHERE id > ?" if raw else "WHERE id > :p0",
                          params=(mark_of[kind],))
        record_maps = {k: ids[k] for k in RECORD_KINDS}
        try:
            rows = _mapped(spec, ids, fetched, record_maps=record_maps)
        except KeyError:
            bad = _first_unresolved(spec, ids, record_maps, fetched)
            raise ValidationError(f"数据不一致：{kind} {bad} 指向不存在的记录",
                                  f"inconsistent data: {kind} {bad} refers to a missing row", kind) from None
        del fetched
        tick(len(rows))
        emit(kind, rows)
    a = SPECS["audit"]
    audit_from = int(base.audit_seq) if base is not None else 0
    at = AuditEntry.__table__
    if raw and sink is not None:
        snap.counts["audit"] = S.sql_json_part(cursor, "audit", "seq", audit_from, sink)
    else:
        emit("audit", rows_of(at, [f.column for f in a.fields], "WHERE seq > ?" if raw else "WHERE seq > :p0", "seq",
                              (audit_from,)))
    last = conn.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    if last is not None:
        snap.audit_seq, snap.audit_hash = last[0], last[1]
    if progress is not None:
        progress(total, total)
    return snap


def _mapped(spec, ids, fetched: list[tuple], offset: int = 0, record_maps=None) -> list[tuple]:
    """The fetched rows (minus `offset` leading columns) with local ids turned into uuids and
    SQLite's 0/1 into false/true, one column at a time (map() runs in C)."""
    if not fetched:
        return []
    columns = list(zip(*fetched))[offset:]
    for i, f in enumerate(spec.fields):
        col = columns[i]
        if f.ref == "record":
            mod = columns[spec.names.index("module")]
            columns[i] = [None if r is None else record_maps[m][r] for m, r in zip(mod, col)]
        elif f.ref is not None:
            get = ids[f.ref].__getitem__
            columns[i] = list(map(get, col)) if None not in col else [None if v is None else get(v) for v in col]
        elif isinstance(f.column.type, Boolean):
            columns[i] = [None if v is None else bool(v) for v in col]
    return list(zip(*columns))


def _changed_history(spec, ids, record_maps, fetched: list[tuple], mark: int,
                     base_digests: dict[tuple[str, str], bytes], digests: dict[tuple[str, str], bytes]) -> list[list]:
    """A mutable history part (rows.MUTABLE_HISTORY): the rows past the base's mark, and the older
    rows whose digest differs from the base's (a case taken out of a series after the base was
    sent). Every row's digest goes into `digests` for the next delta; a base made before these
    rows had digests sends them all once more (the branch keeps the latest state either way)."""
    try:
        rows = _mapped(spec, ids, fetched, offset=1, record_maps=record_maps)
    except KeyError:
        bad = _first_unresolved(spec, ids, record_maps, [r[1:] for r in fetched])
        raise ValidationError(f"数据不一致：{spec.kind} {bad} 指向不存在的记录",
                              f"inconsistent data: {spec.kind} {bad} refers to a missing row", spec.kind) from None
    ui = spec.names.index("uuid")
    out = []
    for r, row in zip(fetched, rows):
        key = (spec.kind, row[ui])
        dg = digests[key] = hashlib.blake2b(_ROW_JSON(row).encode("utf-8"), digest_size=8).digest()
        if r[0] > mark or base_digests.get(key) != dg:
            out.append(list(row))
    return out


def _first_unresolved(spec, ids, record_maps, fetched) -> str:
    for row in fetched:
        for i, f in enumerate(spec.fields):
            if f.ref is None or row[i] is None:
                continue
            target = record_maps.get(row[spec.names.index("module")], {}) if f.ref == "record" else ids[f.ref]
            if row[i] not in target:
                return str(row[0])
    return "?"


# -- making the package --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExportResult:
    seq: int
    kind: str
    base_seq: int | None
    path: Path
    sha256: str
    size: int
    counts: dict[str, int]
    issues: tuple[QualityIssue, ...]
    seconds: float

    @property
    def changes(self) -> int:
        return sum(v for k, v in self.counts.items() if k != "audit")


def _base_seq(session) -> int | None:
    return session.scalar(select(LOG.c.seq).where(LOG.c.state == "written", LOG.c.acknowledged_at.is_not(None),
                                                  LOG.c.digests.is_not(None)).order_by(LOG.c.seq.desc()).limit(1))


def export_package(db, actor, out: str | Path, *, full: bool = False, force: bool = False,
                   progress: Progress | None = None, cancel: Callable[[], bool] | None = None,
                   today: date | None = None, compress_level: int = 1,
                   issues: list[QualityIssue] | None = None, workers: int | None = None,
                   on_snapshot: Callable[[], None] | None = None) -> ExportResult:
    """Make the next package for the registered branch and write it to `out` (a `.stpkg` file,
    or a folder, made if missing, to put `<station code>-<seq>.stpkg` in). The file is reported written only after it
    was read back, decrypted with the content key and its signature and checksums verified.

    A large full package of a plain file has its largest parts read by `workers` processes
    (default: export_sqlite.EXPORT_WORKERS when the file is large, see parallel_wanted) on the
    parent's snapshot (export_sqlite.snapshot_readers); `on_snapshot` is called once the parent holds that snapshot,
    before the workers start (tests write there)."""
    started = time.perf_counter()
    authorize(actor, "export")
    branch = K.registered_branch(db)
    if branch is None:
        raise ValidationError("尚未登记分局公钥，请先用 --branch-key 指定分局公钥文件",
                              "no branch office is registered: give its public key file with --branch-key", "branch")
    if issues is None:
        issues = quality_check(db, today)
    blocking = [i for i in issues if i.severity == "block"]
    if blocking and not force:
        raise ExportBlocked("数据质量检查未通过，未导出：" + "；".join(i.zh for i in blocking),
                            "the data-quality check blocks the export: " + "; ".join(i.en for i in blocking), issues)
    sign_key = K.station_signing_key(db, actor)
    public = sign_key.public_key().public_bytes(**K._RAW)
    with db.write(actor, "export") as session:
        seq = (session.scalar(select(func.max(ExportLog.seq))) or 0) + 1
        base = None if full else _base(session, _base_seq(session))
        export_id, kind, base_seq = uuidlib.uuid4().hex, "delta" if base else "full", base.seq if base else None
        # Core, not the ORM: the log holds binary digests the audit hook need not copy.
        session.execute(LOG.insert().values(
            seq=seq, export_id=export_id, kind=kind, base_seq=base_seq, state="writing",
            created_at=datetime.now().replace(microsecond=0), window_from=base.window_to if base else None,
            counts="{}", sha256="", size=0, path="", audit_seq=0, audit_hash="", marks="{}",
            receipt_status="", receipt_reason=""))
        audit.append_event(session, actor, "export", detail={
            "seq": seq, "kind": kind, "base_seq": base_seq, "forced": bool(blocking and force)})
    try:
        # Each part is compressed (and its round trip checked) on a second thread while the
        # next one is read (ISA-L works outside the GIL): on two cores reading and compressing
        # overlap.
        with ThreadPoolExecutor(1, thread_name_prefix="export-compress") as pool:
            compressed: dict[str, tuple[Future, int]] = {}

            def sink(kind: str, raw: bytes) -> None:
                compressed[kind] = (pool.submit(P.compress_part, raw, compress_level), len(raw))

            made: dict[str, tuple[bytes, int]] = {}
            with S.snapshot_readers(db, S.parallel_wanted(db, base is None, workers), on_snapshot) as (session, readers):
                base = _base(session, base_seq)
                tasks = S.piece_tasks(session, compress_level) if readers is not None else []
                jobs = S.submit_pieces(readers, tasks) if readers is not None else []
                skip = frozenset(t[0] for t in tasks)
                snap = read_snapshot(session, base, None if jobs else progress, cancel, sink=sink, skip=skip)
                if jobs:
                    made = S.gather_pieces(session, jobs, skip, snap, compress_level, progress, cancel)
                schema = session.connection().exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            members = [(f"{name}.json", *(made[name] if name in made else
                                          (compressed[name][0].result(), compressed[name][1])))
                       for name in P.PART_NAMES]
        counts = dict(snap.counts)
        uuid_, code, name = snap.station
        manifest = {
            "app": __version__, "schema": schema, "station": {"uuid": uuid_, "code": code, "name": name},
            "seq": seq, "export_id": export_id, "kind": kind, "base_seq": base_seq,
            "created_at": snap.taken_at.isoformat(sep=" "),
            "window": {"from": base.window_to.isoformat(sep=" ") if base is not None and base.window_to else None,
                       "to": snap.taken_at.isoformat(sep=" ")},
            "counts": counts, "audit_head": {"seq": snap.audit_seq, "hash": snap.audit_hash},
            "audit_from": int(base.audit_seq) if base is not None else 0,
            "quality": [{"code": i.code, "severity": i.severity, "count": i.count} for i in issues],
            "forced": bool(blocking),
        }
        sealed = P.seal(manifest, members, sign_key, branch.box_key)
        target = Path(out)
        if target.is_dir() or (not target.exists() and target.suffix != PACKAGE_SUFFIX):
            # A folder (made if missing): the packages of a station line up by sequence number.
            target.mkdir(parents=True, exist_ok=True)
            target = target / f"{code}-{seq:06d}{PACKAGE_SUFFIX}"
        write_verified(target, sealed.data, lambda back: P.verify_own(back, sealed.content_key, public),
                       expected=sealed.sha256)
    except BaseException:
        with db.write(actor, "export_failed") as session:
            session.execute(LOG.update().where(LOG.c.seq == seq).values(state="failed"))
        raise
    with db.write(actor, "export_written") as session:
        session.execute(LOG.update().where(LOG.c.seq == seq).values(
            state="written", sha256=sealed.sha256, size=len(sealed.data), path=str(target), window_to=snap.taken_at,
            counts=json.dumps(counts), marks=json.dumps(snap.marks), audit_seq=snap.audit_seq,
            audit_hash=snap.audit_hash, digests=pack_digests(snap.digests)))
    return ExportResult(seq, kind, base_seq, target, sealed.sha256, len(sealed.data), counts, tuple(issues),
                        time.perf_counter() - started)


@dataclass(frozen=True)
class ExportRow:
    seq: int
    kind: str
    base_seq: int | None
    state: str
    created_at: datetime
    sha256: str
    size: int
    path: str
    counts: dict
    acknowledged_at: datetime | None
    receipt_status: str
    receipt_reason: str


def list_exports(db) -> list[ExportRow]:
    with db.read() as session:
        return [ExportRow(r.seq, r.kind, r.base_seq, r.state, r.created_at, r.sha256, r.size, r.path,
                          json.loads(r.counts or "{}"), r.acknowledged_at, r.receipt_status, r.receipt_reason)
                for r in session.scalars(select(ExportLog).order_by(ExportLog.seq.desc()))]
