"""The batched path of a ledger import: the same checks as the record services, in the same order
and with the same words, but the records of up to CHUNK rows written together (one INSERT per table
and chunk instead of some forty statements a row), in the same single transaction and with the same
row report. Rows that meet a record already on file or a row seen earlier in the ledger, disputes
converted to cases, and every key person (matched against the files on file) take the row path."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable

from sqlalchemy import func, insert, select

from app.domain.levels import Level, Module
from app.errors import StationError
from app.services import audit, daily_counts, records as R
from app.services.settings import load_cadence
from models import Action, Case, Dispute, LevelChange

#: Rows checked, then written together.
CHUNK = 1000
BATCHED_MODULES = (Module.CASE, Module.DISPUTE)


@dataclass
class _New:
    line: int
    key: str
    rec: Any
    level: Level
    reason: str
    outcome: str
    at: Any
    said: str
    later: list  # the level change closing it, or the action following it from today


def run_batched(session, actor, plan, report, rows, state: dict, slow: Callable, done: int, total: int,
                progress, cancelled) -> int:
    """Import `plan`'s rows chunk by chunk; returns the rows done (for the progress count)."""
    from app.ledger import importer as I

    module = plan.module
    model = {Module.CASE: Case, Module.DISPUTE: Dispute}[module]
    key_col = {Module.CASE: Case.case_no, Module.DISPUTE: Dispute.dispute_no}[module]
    station = R.station_in(session, actor)
    cadence = load_cadence(session, module)
    people = R.PeopleOnFile(session, station)
    on_file = set(session.scalars(select(key_col)))
    indexes = list(plan.data_indexes())
    for start in range(0, len(indexes), CHUNK):
        outcomes: dict[int, Any] = {}
        new: list[_New] = []
        later_rows: list[tuple[int, int]] = []
        taken: set[str] = set()
        for i in indexes[start:start + CHUNK]:
            if cancelled is not None and cancelled():
                raise I.ImportCancelled("导入已取消，没有写入任何记录", "import cancelled; nothing was written")
            line = plan.sheet.lines[i]
            kind = I.row_kind(plan.sheet.rows[i])
            done += 1
            if progress is not None:
                progress(done, total)
            if kind != "data":
                outcomes[line] = I.RowOutcome(line, "skipped", I.SKIP_REASONS[kind])
                continue
            values = plan.row_values(i)
            try:
                item = _check_row(I, rows, module, values, line, station.id, people, cadence, actor, on_file, taken)
            except StationError as exc:
                outcomes[line] = I.RowOutcome(line, "rejected", exc.zh, I.row_label(module, values))
                continue
            if item is None:  # on file, seen before in the ledger, or converted: the row path, after the chunk
                later_rows.append((i, line))
                continue
            taken.add(item.key)
            new.append(item)
        if new:
            _write(session, module, model, new, actor)
            for n in new:
                state["seen"][n.key] = n.line
                outcomes[n.line] = I.RowOutcome(n.line, "imported", n.said, n.key, n.rec.id)
            on_file.update(n.key for n in new)
        for i, line in later_rows:
            values = plan.row_values(i)
            outcomes[line] = I.one_row(session, rows, state, slow, module, values, line)
            if outcomes[line].outcome == "imported":
                on_file.add(outcomes[line].label)
        report.rows.extend(outcomes[line] for line in sorted(outcomes))
        I.forget_rows(session)
    return done


def _write(session, module: Module, model, new: list[_New], actor) -> None:
    """The chunk's records, their level changes and actions: one executemany per table (Core, in
    the import's transaction) and their audit entries as the flush hook writes them. On SQLite
    (one writer; this transaction holds the lock) the ids are given here; elsewhere the records'
    INSERT returns them in order."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    recs = [_values(n.rec) for n in new]
    if sqlite:
        first = (session.scalar(select(func.max(model.id))) or 0) + 1
        for k, (n, row) in enumerate(zip(new, recs)):
            n.rec.id = row["id"] = first + k
        session.execute(insert(model.__table__), recs)
    else:
        ids = session.execute(insert(model.__table__).returning(model.__table__.c.id, sort_by_parameter_order=True),
                              recs).scalars().all()
        for n, row, rid in zip(new, recs, ids):
            n.rec.id = row["id"] = rid
    audit.append_created(session, actor, "import_ledger", _AUDIT_MODULE[module], recs)
    follow = _follow(module, new, actor)
    for cls in (LevelChange, Action):
        rows = [_values(o) for o in follow if type(o) is cls]
        if rows:
            session.execute(insert(cls.__table__), rows)
            audit.append_created(session, actor, "import_ledger", cls.__tablename__, rows)
    daily_counts.count_new_records(session, module, [n.rec.id for n in new])


_AUDIT_MODULE = {Module.CASE: "case", Module.DISPUTE: "dispute"}


def _values(obj) -> dict:
    """A new ORM object as the row its INSERT writes, column defaults filled (uuid, status…)."""
    loaded = obj.__dict__
    row = {}
    for col in obj.__table__.columns:
        value = loaded.get(col.key)
        if value is None and col.default is not None and not col.primary_key:
            value = col.default.arg(None) if col.default.is_callable else col.default.arg
        if value is not None or not col.primary_key:
            row[col.key] = value
    return row


def _follow(module: Module, new: list[_New], actor) -> list:
    out = []
    for n in new:
        out.append(R.creation_change(module, n.rec, n.level, n.reason, n.outcome, actor, n.at))
        for obj in n.later:
            obj.record_id = n.rec.id
            out.append(obj)
    return out


def _check_row(I, rows, module: Module, v: dict, line: int, station_id: int, people: "R.PeopleOnFile", cadence,  # noqa: E741
               actor, on_file: set, taken: set) -> _New | None:
    """The row's record, checked exactly as _import_case / _import_dispute would check it, not yet
    written; None when the row must take the row path."""
    if module == Module.CASE:
        data, st = rows.case(v, line)
        key = data.case_no.strip()
        if key in on_file or key in taken:
            return None
        opening = replace(data, level=st.open_level, closed_on=None) if st.open_level else data
        level = R.check_case(opening)
        resp = people.resolve(opening.people)
        rec = R.new_case(opening)
        at = I.midnight(data.accepted_on)
        R.prepare_record(rec, station_id, level, resp, actor, opening.accepted_on, cadence, at)
        outcome, closing, said = R.case_outcome(opening, level), data.closed_on, []
    else:
        data, made_up, st, kept = rows.dispute(v, line)
        key = data.dispute_no.strip()
        if key in on_file or key in taken or st.converted:
            return None
        opening = replace(data, level=st.open_level, resolved_on=None, outcome="") if st.open_level else data
        level = R.check_dispute(opening)
        resp = people.resolve(opening.people)
        rec = R.new_dispute(opening)
        at = I.midnight(data.found_on)
        R.prepare_record(rec, station_id, level, resp, actor, opening.found_on, cadence, at)
        outcome = opening.outcome.strip() if level == Level.GREEN else ""
        closing = data.resolved_on
        said = [f"台账无纠纷编号，系统编号为{key}" if made_up else ""]
        if kept:
            said.append(f"重点领域“{kept}”不在系统列表中，记为“其他”，原文保留在简要情况中")
    later, words = I.history_steps(rows, rec, st, v, line, closing, cadence)
    said.append(words)
    return _New(line, key, rec, level, opening.reason, outcome, at, "；".join(s for s in said if s), later)
