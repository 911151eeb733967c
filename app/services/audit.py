"""The audit trail: every change written in the same transaction as the change, hash-chained.

Changes made through the ORM are captured by a flush hook (the before and after of each field);
events that are not row changes (log-in, export, import, unmask, bulk loads) are appended
explicitly with `append_event`. Raw writes outside these two paths are not allowed in services.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from models import AuditEntry

GENESIS = "0" * 64
#: Columns whose changes are bookkeeping, not content: left out of the before/after.
SKIP_FIELDS = {"search_text", "version", "updated_at"}


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    account: str
    role: str
    action: str
    module: str
    record_uuid: str
    detail: dict


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def entry_hash(prev_hash: str, seq: int, at: datetime, account: str, officer_id: int | None, role: str,
               action: str, module: str, record_uuid: str, detail: str) -> str:
    payload = json.dumps([prev_hash, seq, at.isoformat(sep=" "), account, officer_id, role, action, module,
                          record_uuid, detail], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _chain_rows(conn, entries: Iterable[dict]) -> list[dict]:
    """Give each entry its sequence number and hash, continuing the chain. Runs inside the
    writer's transaction (BEGIN IMMEDIATE), so no other writer can interleave."""
    last = conn.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    seq, prev = (last[0], last[1]) if last else (0, GENESIS)
    rows = []
    for e in entries:
        seq += 1
        detail = json.dumps(e.get("detail", {}), ensure_ascii=False, sort_keys=True, default=_plain)
        at = e.get("at") or datetime.now().replace(microsecond=0)
        h = entry_hash(prev, seq, at, e.get("account", ""), e.get("officer_id"), e.get("role", ""),
                       e["action"], e.get("module", ""), e.get("record_uuid", ""), detail)
        rows.append({"seq": seq, "at": at, "account": e.get("account", ""), "officer_id": e.get("officer_id"),
                     "role": e.get("role", ""), "action": e["action"], "module": e.get("module", ""),
                     "record_uuid": e.get("record_uuid", ""), "detail": detail, "prev_hash": prev, "hash": h})
        prev = h
    return rows


def _actor_fields(info: dict) -> dict:
    actor = info.get("actor")
    if actor is None:
        return {"account": "system", "officer_id": None, "role": "system"}
    return {"account": getattr(actor, "account", "") or actor.name, "officer_id": actor.officer_id,
            "role": actor.role}


def _module_of(obj) -> str:
    return obj.__tablename__.replace("case_record", "case")


def _after_flush(session: Session, _flush_context) -> None:
    entries = []
    who = _actor_fields(session.info)
    action = session.info.get("action", "")
    # Each of session.new / .deleted builds a new set on every access: taken once (a flush of a
    # batch of a thousand records asked for it a hundred thousand times).
    new, deleted = session.new, session.deleted
    for obj in list(new) + list(session.dirty) + list(deleted):
        if isinstance(obj, AuditEntry):
            continue
        state = inspect(obj)
        mapper = state.mapper
        changes: dict[str, list] = {}
        is_new = obj in new
        loaded = state.dict
        for attr in mapper.column_attrs:
            key = attr.key
            if key in SKIP_FIELDS:
                continue
            if is_new:
                value = loaded[key] if key in loaded else getattr(obj, key)
                if value not in (None, "") and key != "password_hash":
                    changes[key] = [None, _plain(value)]
                continue
            hist = state.attrs[key].history
            if hist.has_changes():
                before = hist.deleted[0] if hist.deleted else None
                after = hist.added[0] if hist.added else None
                if key == "password_hash":
                    before, after = "***", "***(changed)"
                if before != after:
                    changes[key] = [_plain(before), _plain(after)]
        if not changes and obj not in deleted:
            continue
        kind = "create" if is_new else "delete" if obj in deleted else "edit"
        entries.append({**who, "action": f"{action or kind}:{kind}" if action else kind,
                        "module": _module_of(obj), "record_uuid": getattr(obj, "uuid", "") or str(
                            getattr(obj, "key", "") or getattr(obj, "id", "")),
                        "detail": changes})
    if entries:
        conn = session.connection()
        conn.execute(AuditEntry.__table__.insert(), _chain_rows(conn, entries))


def append_created(conn_or_session, actor, action: str, module: str, rows: list[dict]) -> None:
    """Audit rows written in bulk (Core executemany, past the flush hook) as the hook would have:
    one "create" entry per row with every non-empty field."""
    conn = conn_or_session.connection() if isinstance(conn_or_session, Session) else conn_or_session
    who = _actor_fields({"actor": actor})
    entries = [{**who, "action": f"{action}:create" if action else "create", "module": module,
                "record_uuid": row.get("uuid") or str(row.get("id", "")),
                "detail": {k: [None, _plain(v)] for k, v in row.items()
                           if k not in SKIP_FIELDS and k != "password_hash" and v not in (None, "")}}
               for row in rows]
    if entries:
        conn.execute(AuditEntry.__table__.insert(), _chain_rows(conn, entries))


def install(factory: sessionmaker | type[Session]) -> None:
    """Attach the audit hook to writer sessions: a session class (every store's, through
    app.store.base.install_hooks) or one session factory."""
    event.listen(factory, "after_flush", _after_flush)


def append_event(conn_or_session, actor, action: str, module: str = "", record_uuid: str = "",
                 detail: dict | None = None) -> None:
    """Append one event (log-in, export, unmask, bulk load…) inside the caller's transaction."""
    conn = conn_or_session.connection() if isinstance(conn_or_session, Session) else conn_or_session
    who = _actor_fields({"actor": actor})
    conn.execute(AuditEntry.__table__.insert(), _chain_rows(conn, [
        {**who, "action": action, "module": module, "record_uuid": record_uuid, "detail": detail or {}}]))


def record_event(db, actor, action: str, module: str = "", record_uuid: str = "",
                 detail: dict | None = None) -> None:
    with db.write(actor) as session:
        append_event(session, actor, action, module, record_uuid, detail)


def verify_chain(db) -> list[str]:
    """Recompute every hash in order. Returns the problems found (empty when the chain holds)."""
    problems: list[str] = [f"append-only guard missing: trigger {t} (rows can be edited or deleted)"
                           for t in missing_guards(db)]
    prev = GENESIS
    expected_seq = 1
    with db.read() as session:
        rows = session.execute(select(AuditEntry.__table__).order_by(AuditEntry.seq)).all()
    for r in rows:
        if r.seq != expected_seq:
            problems.append(f"audit row missing or inserted before seq {r.seq} (expected {expected_seq})")
            expected_seq = r.seq
        if r.prev_hash != prev:
            problems.append(f"audit row {r.seq}: does not follow the previous row (chain broken)")
        h = entry_hash(r.prev_hash, r.seq, r.at, r.account, r.officer_id, r.role, r.action, r.module,
                       r.record_uuid, r.detail)
        if h != r.hash:
            problems.append(f"audit row {r.seq}: content does not match its hash (edited)")
        prev = r.hash
        expected_seq += 1
    return problems


#: The triggers that make audit_log append-only (migration 0003).
GUARD_TRIGGERS = ("audit_log_no_update", "audit_log_no_delete")


def missing_guards(db) -> list[str]:
    """The append-only triggers of audit_log that are not in the database (an Alembic batch
    migration once dropped a trigger silently; someone with the key can drop them on purpose)."""
    with db.read() as session:
        conn = session.connection()
        if conn.dialect.name == "postgresql":
            have = set(conn.exec_driver_sql(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal").scalars())
        else:
            have = set(conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").scalars())
    return [t for t in GUARD_TRIGGERS if t not in have]


def chain_head(db) -> tuple[int, str]:
    """The last sequence number and hash: travels in export packages as an external anchor."""
    with db.read() as session:
        last = session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc())
                               .limit(1)).first()
    return (last[0], last[1]) if last else (0, GENESIS)


def officer_names(db) -> dict[int, str]:
    """Officer id → name, to show an audit entry's responsible people by name."""
    from models import Officer

    with db.read() as session:
        return dict(session.execute(select(Officer.id, Officer.name)).all())


def entry_cells(r: AuditRow, lang: int = 0, names: dict[int, str] | None = None) -> list:
    """One audit entry as a person reads it (the audit CSV): codes in words, the before → after."""
    from app.domain.fields import action_label, describe_changes, role_label, table_label

    created = r.action == "create" or r.action.endswith(":create")
    detail = (describe_changes(r.detail, lang, r.module, created, names) if isinstance(r.detail, dict)
              else json.dumps(r.detail, ensure_ascii=False))
    return [r.seq, r.at.isoformat(sep=" "), r.account, role_label(r.role, lang), action_label(r.action, lang),
            table_label(r.module, lang), r.record_uuid, detail]


def list_entries(db, *, account: str | None = None, action: str | None = None, module: str | None = None,
                 since: datetime | None = None, until: datetime | None = None, limit: int = 1000) -> list[AuditRow]:
    stmt = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
    if account:
        stmt = stmt.where(AuditEntry.account == account)
    if action:
        stmt = stmt.where(AuditEntry.action.like(f"%{action}%"))
    if module:
        stmt = stmt.where(AuditEntry.module == module)
    if since:
        stmt = stmt.where(AuditEntry.at >= since)
    if until:
        stmt = stmt.where(AuditEntry.at <= until)
    with db.read() as session:
        return [AuditRow(e.seq, e.at, e.account, e.role, e.action, e.module, e.record_uuid, json.loads(e.detail))
                for e in session.scalars(stmt)]
