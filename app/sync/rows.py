"""What travels for each kind of row: the columns (foreign keys replaced by uuids), and the
conversions between database values, package JSON and validated values."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable

from sqlalchemy import Boolean, CheckConstraint, Column, Date, DateTime, Integer, String, Table, Text

from app.sync.errors import ImportRejected
from models import (
    Action,
    Alert,
    AuditEntry,
    Case,
    CaseSeries,
    ControlCheck,
    DedicatedMember,
    Dispute,
    LevelChange,
    Mediation,
    MediationBody,
    Officer,
    Person,
    PersonEvent,
    PersonLink,
    RiskAssessment,
    SeriesMember,
    Station,
    Team,
)

#: Kinds with an identity that may change over time (newest (version, sequence) wins at the branch).
#: New kinds are appended, never inserted: an export's digests name a kind by its index here.
ENTITY_KINDS = ("station", "team", "officer", "dispute", "case", "person", "mediation_body", "case_series", "alert")
RECORD_KINDS = ("case", "dispute", "person")
#: Append-only rows: inserted once, never changed.
HISTORY_KINDS = ("level_change", "action", "person_link", "control_check", "person_event", "risk_assessment",
                 "mediation", "series_member")
#: The record an append-only row belongs to, for the ownership check at the branch: (kind of
#: the owner, its column); None: the row's own (module, record_id).
HISTORY_OWNER: dict[str, tuple[str, str] | None] = {
    "level_change": None, "action": None, "person_link": ("person", "person_id"),
    "control_check": ("person", "person_id"), "person_event": ("person", "person_id"),
    "risk_assessment": ("person", "person_id"), "mediation": ("dispute", "dispute_id"),
    "series_member": ("case", "case_id"),
}
#: Parts added after format 1 was first written (the seed's workflows): a package from an older
#: station app has none of them, and they read as empty.
LATER_PARTS = ("mediation_body", "case_series", "alert", "control_check", "person_event", "risk_assessment",
               "mediation", "series_member")
#: Append-only rows that may still change after they were written: a case taken out of a series
#: (串并有误) keeps its `series_member` row, marked removed, and may be put back. A delta carries
#: such a row again whenever its digest differs from the base's; the branch keeps the state of the
#: latest event (the columns named here: the later of the two is the row's event time).
MUTABLE_HISTORY: dict[str, tuple[str, str]] = {"series_member": ("added_at", "removed_at")}
#: What such a row may change (its uuid and what it belongs to never do).
MUTABLE_FIELDS: dict[str, tuple[str, ...]] = {
    "series_member": ("added_at", "officer", "note", "removed_at", "removed_by", "removed_reason")}
#: The kinds whose rows have a digest in an export's log: the entity kinds, then the mutable
#: history. Appended, never inserted: the digests name a kind by its index here (a new entity kind
#: goes at the end of this list too).
DIGEST_KINDS = ("station", "team", "officer", "dispute", "case", "person", "mediation_body", "case_series", "alert",
                "series_member")
ALL_KINDS = ENTITY_KINDS + ("dedicated_member",) + HISTORY_KINDS + ("audit",)
TABLES: dict[str, Table] = {
    "station": Station.__table__, "team": Team.__table__, "officer": Officer.__table__, "case": Case.__table__,
    "dispute": Dispute.__table__, "person": Person.__table__, "dedicated_member": DedicatedMember.__table__,
    "level_change": LevelChange.__table__, "action": Action.__table__, "person_link": PersonLink.__table__,
    "audit": AuditEntry.__table__,
    "mediation_body": MediationBody.__table__, "case_series": CaseSeries.__table__, "alert": Alert.__table__,
    "control_check": ControlCheck.__table__, "person_event": PersonEvent.__table__,
    "risk_assessment": RiskAssessment.__table__, "mediation": Mediation.__table__,
    "series_member": SeriesMember.__table__,
}
KIND_OF_TABLE = {"station": "station", "team": "team", "officer": "officer", "case_record": "case",
                 "dispute": "dispute", "person": "person", "mediation_body": "mediation_body",
                 "case_series": "case_series", "alert": "alert"}
UUID_RE = re.compile(r"^[0-9a-f]{32}\Z")
#: Dates and times travel as the text SQLite holds them (the ORM's and the demo's formats).
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?\Z")
_IN_LIST = re.compile(r"^(?:(\w+) IS NULL OR )?(\w+) IN \((.*)\)$")


@dataclass(frozen=True)
class Field:
    name: str          # name in the package
    column: Column     # the database column
    ref: str | None    # kind of the referenced entity ("record": by the row's module), if a reference
    allowed: frozenset | None  # closed list of codes, from the table's CHECK constraint


@dataclass(frozen=True)
class Spec:
    kind: str
    table: Table
    fields: tuple[Field, ...]

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]


def _allowed(table: Table) -> dict[str, frozenset]:
    out = {}
    for c in table.constraints:
        if isinstance(c, CheckConstraint):
            m = _IN_LIST.match(str(c.sqltext).strip())
            if m:
                out[m.group(2)] = frozenset(v.strip().strip("'") for v in m.group(3).split(","))
    return out


def _spec(kind: str, table: Table) -> Spec:
    allowed = _allowed(table)
    fields = []
    for col in table.columns:
        if col.name == "id":
            continue
        ref = None
        name = col.name
        if kind != "audit" and col.name.endswith("_id"):
            name = col.name[:-3]
            if col.name == "record_id":
                ref = "record"
            else:
                (fk,) = col.foreign_keys
                ref = KIND_OF_TABLE[fk.column.table.name]
        fields.append(Field(name, col, ref, allowed.get(col.name)))
    return Spec(kind, table, tuple(fields))


SPECS: dict[str, Spec] = {k: _spec(k, t) for k, t in TABLES.items()}


# -- out: database values -> JSON ---------------------------------------------------------------
def to_json_value(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    return v


def dumps(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# -- in: JSON -> validated values ----------------------------------------------------------------
class RowError(Exception):
    pass


def _converter(f: Field) -> Callable[[Any], Any]:
    col = f.column
    nullable = col.nullable
    typ = col.type
    allowed = f.allowed

    def need(v, ok: bool, what: str):
        if not ok:
            raise RowError(f"{f.name}: {what} expected, got {str(v)[:40]!r}")

    if f.ref is not None or f.name == "uuid":
        def conv(v):
            if v is None:
                need(v, nullable and f.name != "uuid", "a uuid")
                return None
            need(v, isinstance(v, str) and UUID_RE.match(v) is not None, "a uuid")
            return v
    elif isinstance(typ, Boolean):
        def conv(v):
            if v is None:
                need(v, nullable, "true/false")
                return None
            need(v, isinstance(v, bool), "true/false")
            return v
    elif isinstance(typ, Integer):
        def conv(v):
            if v is None:
                need(v, nullable, "a whole number")
                return None
            need(v, isinstance(v, int) and not isinstance(v, bool) and -2**62 < v < 2**62, "a whole number")
            return v
    elif isinstance(typ, DateTime):
        def conv(v):
            if v is None:
                need(v, nullable, "a date and time")
                return None
            need(v, isinstance(v, str) and DATETIME_RE.match(v) is not None, "a date and time")
            try:
                datetime.fromisoformat(v)
            except ValueError:
                raise RowError(f"{f.name}: not a date and time: {v[:30]!r}") from None
            return v
    elif isinstance(typ, Date):
        def conv(v):
            if v is None:
                need(v, nullable, "a date")
                return None
            need(v, isinstance(v, str) and DATE_RE.match(v) is not None, "a date")
            try:
                date.fromisoformat(v)
            except ValueError:
                raise RowError(f"{f.name}: not a date: {v!r}") from None
            return v
    elif isinstance(typ, (String, Text)):
        limit = getattr(typ, "length", None)

        def conv(v):
            if v is None:
                need(v, nullable, "text")
                return None
            need(v, isinstance(v, str), "text")
            if limit is not None and len(v) > limit:
                raise RowError(f"{f.name}: longer than {limit} characters")
            if "\x00" in v:
                raise RowError(f"{f.name}: contains a NUL character")
            if allowed is not None and v not in allowed:
                raise RowError(f"{f.name}: {v[:20]!r} is not one of {', '.join(sorted(allowed))}")
            return v
    else:  # pragma: no cover - a column type this module does not know yet
        raise TypeError(f"no package conversion for {col}")
    return conv


_CONVERTERS = {k: {f.name: _converter(f) for f in s.fields} for k, s in SPECS.items()}


def _default(f: Field):
    d = f.column.default
    if d is not None and not callable(getattr(d, "arg", None)):
        return True, d.arg
    if f.column.nullable:
        return True, None
    return False, None


def parse_part(kind: str, raw: bytes, **kw) -> list[tuple]:
    """Decode and validate one part; rows come back as tuples in SPECS[kind] field order."""
    columns, n = parse_columns(kind, raw, **kw)
    return list(zip(*columns)) if n else []


def parse_columns(kind: str, raw: bytes, **kw) -> tuple[list[tuple], int]:
    """Decode and validate one part; the values come back column by column in SPECS[kind]
    field order, with the number of rows. Columns the package leaves out take their default
    (a package from an older app); columns this app does not know mean a newer app made it."""
    from app import bounded_json
    from app.sync.limits import PART_JSON

    spec = SPECS[kind]
    try:
        obj = bounded_json.loads(raw, PART_JSON)
    except bounded_json.JsonRejected as exc:
        raise ImportRejected("malformed", f"数据部分 {kind} 无效：{exc.reason}", f"part {kind} is refused: {exc.reason}",
                             **kw) from None
    if not isinstance(obj, dict) or not isinstance(obj.get("columns"), list) or not isinstance(obj.get("rows"), list):
        raise ImportRejected("malformed", f"数据部分 {kind} 结构无效", f"part {kind} has no columns and rows", **kw)
    cols = obj["columns"]
    known = set(spec.names)
    if not all(isinstance(c, str) for c in cols) or len(set(cols)) != len(cols):
        raise ImportRejected("malformed", f"数据部分 {kind} 的列无效", f"part {kind} has invalid columns", **kw)
    unknown = [c for c in cols if c not in known]
    if unknown:
        raise ImportRejected("too_new", f"数据部分 {kind} 含有本程序不认识的字段：{unknown[:3]}，请升级分局程序",
                             f"part {kind} has fields this app does not know: {unknown[:3]}; upgrade the branch app",
                             **kw)
    convs = _CONVERTERS[kind]
    plan: list[tuple[int | None, Callable, Any]] = []
    for f in spec.fields:
        if f.name in cols:
            plan.append((cols.index(f.name), convs[f.name], None))
        else:
            ok, value = _default(f)
            if not ok:
                raise ImportRejected("too_old", f"数据部分 {kind} 缺少字段 {f.name}",
                                     f"part {kind} lacks the required field {f.name}", **kw)
            plan.append((None, None, value))
    n = len(cols)
    rows = obj["rows"]
    if rows and (set(map(type, rows)) != {list} or set(map(len, rows)) != {n}):
        bad = next(i for i, r in enumerate(rows) if not isinstance(r, list) or len(r) != n)
        raise ImportRejected("invalid_row", f"{kind} 第{bad + 1}行无效", f"{kind} row {bad + 1}: wrong number of values",
                             **kw)
    columns = list(zip(*rows)) if rows else [() for _ in cols]
    fields = {f.name: f for f in spec.fields}
    for j, conv, _value in plan:
        if j is not None and not _column_ok(fields[cols[j]], columns[j]):
            # The fast check failed: find the first bad value for a message a person can act on.
            for i, v in enumerate(columns[j]):
                try:
                    conv(v)
                except RowError as exc:
                    raise ImportRejected("invalid_row", f"{kind} 第{i + 1}行无效：{exc}", f"{kind} row {i + 1}: {exc}",
                                         **kw) from None
            raise ImportRejected("invalid_row", f"{kind} 数据无效", f"{kind}: invalid values", **kw)  # pragma: no cover
    return [columns[j] if j is not None else (value,) * len(rows) for j, _conv, value in plan], len(rows)


_NONE = type(None)


def _column_ok(f: Field, values: tuple) -> bool:
    """Validate a whole column with C-level passes (map, set, max): Python per value is the
    import's bottleneck at 100k records (shared/PERFORMANCE.md)."""
    col = f.column
    types = set(map(type, values))
    present = [v for v in values if v is not None] if _NONE in types else values
    if _NONE in types and (not col.nullable or f.name == "uuid"):
        return False
    types.discard(_NONE)
    if not present:
        return True
    if types == {str}:
        present = set(present)  # each distinct value is checked once (references repeat a lot)
    typ = col.type
    if f.ref is not None or f.name == "uuid":
        return types == {str} and all(map(UUID_RE.match, present))
    if isinstance(typ, Boolean):
        return types == {bool}
    if isinstance(typ, Integer):
        return types == {int} and -2**62 < min(present) and max(present) < 2**62
    if isinstance(typ, DateTime):
        if types != {str} or not all(map(DATETIME_RE.match, present)):
            return False
        try:
            list(map(datetime.fromisoformat, present))
        except ValueError:
            return False
        return True
    if isinstance(typ, Date):
        if types != {str} or not all(map(DATE_RE.match, present)):
            return False
        try:
            list(map(date.fromisoformat, present))
        except ValueError:
            return False
        return True
    if types != {str} or "\x00" in "".join(present):
        return False
    limit = getattr(typ, "length", None)
    if limit is not None and max(map(len, present)) > limit:
        return False
    return f.allowed is None or set(present) <= f.allowed
