"""The maintained daily summary (``daily_counts``): the state figures without a walk of the history.

Every level and overdue figure (the headline statistics, the level and overdue trends, the
briefing's level trend) is a count of record states "as of the end of a day", which
app.services.stats.state_select rebuilds from the history: at 1M records that is seconds per day.
This module keeps, per (station, module, category, team, level), +1/-1 deltas by day of how many
records are at each level and how many of them are overdue; the running sum up to a day gives
the same figures as the recount, exactly (tests compare both on generated data).

One record's contribution is a pure function of its row, its level changes, its actions and the
station's cadence (`timeline`, `contribution`):

- from each day on which something happened to it (creation, level change, action, voiding,
  conversion) its state is that of state_select at the end of that day: not known (before its
  creation or from its voiding on), converted (a dispute converted into a case: counted apart,
  never overdue) or (level, due date);
- a state held from day a up to day b (exclusive) adds +1 to its level at a and -1 at b; when it
  has a due date it is overdue from the day after the due date, so it adds +1 overdue at
  max(a, due + 1) and -1 at b (nothing when that is not before b).

Upkeep: `install` hooks every writer session. Before a flush touches a record (the record's row,
a LevelChange or an Action of it) its contribution is read from the database as it was; before
the commit the contributions of the touched records are read again and the difference is written
into ``daily_counts`` in the same transaction. Bulk paths that write past the ORM (demo
generation, the ledger batch import, the branch merge) and a change of cadence call `rebuild`.
`problems` (run by ``python -m app check``) compares the table with a fresh recount.
"""
from __future__ import annotations

import weakref
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import chain
from typing import Any, Iterable, Protocol, cast

from sqlalchemy import Table, and_, case, column as sql_column, delete, func, inspect, select, table as sql_table, text, tuple_
from sqlalchemy.engine import Connection
from sqlalchemy.orm import InstrumentedAttribute, ORMExecuteState, Session, UOWTransaction
from sqlalchemy.sql import ColumnElement, Delete, Executable, Update

from app.domain.levels import LEVEL_ORDER, Level, Module
from app.store import rollups
from app.store.base import Store
from app.store.records import MODELS
from models import Action, Case, DailyCount, DailyEvent, Dispute, LevelChange, Person
from models.records import RecordMixin

TABLE = cast(Table, DailyCount.__table__)
EVENTS = cast(Table, DailyEvent.__table__)
#: The dated columns behind the events (trends.event_column): new, closed, and the case's filed/solved.
EVENT_COLUMNS: dict[Module, dict[str, InstrumentedAttribute[Any]]] = {
    Module.CASE: {"new": Case.accepted_on, "closed": Case.closed_on, "filed": Case.filed_on,
                  "solved": Case.solved_on},
    Module.DISPUTE: {"new": Dispute.found_on, "closed": Dispute.resolved_on, "followed_up_on": Dispute.followed_up_on,
                     "satisfaction": Dispute.satisfaction},
    Module.PERSON: {"new": Person.listed_on, "closed": Person.delisted_on},
}
_MODULE_OF: dict[type, Module] = {model: module for module, model in MODELS.items()}
LEVEL_CODES = tuple(lvl.value for lvl in LEVEL_ORDER)
CONVERTED = "converted"
MARKER_OUTCOMES = ("voided", "converted")
#: The roll-up cells: each record also counts under category ALL_CATEGORIES and team ALL_TEAMS, so
#: that the figures of a whole station (or branch) read one cell per day and level, not one per
#: category and team (the headline at 1M: 99 -> … ms).
ALL_CATEGORIES, ALL_TEAMS = "*", -1
#: Records per statement when contributions are read in bulk (rebuild, check).
CHUNK = 20_000

Key = tuple[Any, ...]  # ("s", module, day, station_id, category, team_id, level) or ("e", module, event, day, known_on,
#              station_id, category, key)


# -- one record's contribution ---------------------------------------------------------------------
@dataclass
class Facts:
    """What a record's states are made of."""

    module: Module
    record_id: int
    station_id: int
    team_id: int
    category: str
    level: str
    created_at: datetime
    voided_at: datetime | None
    converted_at: datetime | None
    changes: list[tuple[datetime, int, str | None, str, str | None]]  # (changed_at, id, from_level, to_level, outcome)
    actions: list[tuple[datetime, int, date | None]]  # (acted_at, id, next_due)
    dates: dict[str, Any] | None = None  # the record's event dates (EVENT_COLUMNS) and, for disputes, its satisfaction


def _is_marker(from_level: str | None, to_level: str, outcome: str | None) -> bool:
    """stats.not_marker negated, NULL outcome included (SQL's NOT IN is unknown for NULL)."""
    return (outcome is None or outcome in MARKER_OUTCOMES) and from_level is not None and from_level == to_level


def timeline(f: Facts, cadence: dict[Level, int | None]) -> list[tuple[date, tuple[str, date | None] | None]]:
    """[(day, state)] from the day the state begins: None (not known), (CONVERTED, None) or
    (level, due date or None), each the state_select state at the end of that day."""
    changes = sorted((c for c in f.changes if not _is_marker(c[2], c[3], c[4])), key=lambda c: (c[0], c[1]))
    actions = sorted(f.actions, key=lambda a: (a[0], a[1]))
    days = {f.created_at.date(), *(c[0].date() for c in changes), *(a[0].date() for a in actions)}
    if f.voided_at is not None:
        days.add(f.voided_at.date())
    if f.converted_at is not None:
        days.add(f.converted_at.date())
    out: list[tuple[date, tuple[str, date | None] | None]] = []
    i = j = 0
    lc = act = None
    prev: Any = ()
    state: tuple[str, date | None] | None
    for d in sorted(days):
        while i < len(changes) and changes[i][0].date() <= d:
            lc, i = changes[i], i + 1
        while j < len(actions) and actions[j][0].date() <= d:
            act, j = actions[j], j + 1
        if f.created_at.date() > d or (f.voided_at is not None and f.voided_at.date() <= d):
            state = None
        elif f.converted_at is not None and f.converted_at.date() <= d:
            state = (CONVERTED, None)
        else:
            level = lc[3] if lc is not None else f.level
            since = lc[0] if lc is not None else f.created_at
            activity = max(f.created_at, since, act[0] if act is not None else f.created_at)
            if level == Level.GREEN.value:
                due = None
            elif act is not None and act[0] >= since and act[2] is not None:
                due = act[2]
            else:
                days_ = cadence.get(Level(level))
                due = None if days_ is None else activity.date() + timedelta(days=days_)
            state = (level, due)
        if state != prev:
            out.append((d, state))
            prev = state
    return out


def contribution(f: Facts, cadence: dict[Level, int | None], into: dict[Key, list[int]] | None = None,
                 sign: int = 1) -> dict[Key, list[int]]:
    """The record's +1/-1 deltas, added (times `sign`) into `into`: {key: [n, overdue]}."""
    out: dict[Key, list[int]] = into if into is not None else defaultdict(lambda: [0, 0])
    line = timeline(f, cadence)
    dims = (f.station_id, f.category, f.team_id)
    rollup = (f.station_id, ALL_CATEGORIES, ALL_TEAMS)

    def add(day: date, level: str, n: int, od: int) -> None:
        for d in (dims, rollup):
            cell = out[("s", f.module.value, day, *d, level)]
            cell[0] += n * sign
            cell[1] += od * sign

    _event_cells(f, out, sign)
    for k, (a, state) in enumerate(line):
        if state is None:
            continue
        b = line[k + 1][0] if k + 1 < len(line) else None
        level, due = state
        add(a, level, 1, 0)
        if b is not None:
            add(b, level, -1, 0)
        if due is not None:
            start = max(a, due + timedelta(days=1))
            if b is None or start < b:
                add(start, level, 0, 1)
                if b is not None:
                    add(b, level, 0, -1)
    return out


def _first_green(f: Facts) -> tuple[str, date, date] | None:
    """(entry level, entry day, first green day) as trends.green_rows finds them: the earliest
    change from another level to green, the earliest creation row (ties by id); None when there
    is no green, no creation row, or the record entered green."""
    greens = [c[0] for c in f.changes if c[3] == Level.GREEN.value and c[2] is not None and c[2] != Level.GREEN.value]
    entries = sorted((c[0], c[1], c[3]) for c in f.changes if c[2] is None)
    if not greens or not entries or entries[0][2] == Level.GREEN.value:
        return None
    return entries[0][2], entries[0][0].date(), min(greens).date()


def _event_cells(f: Facts, out: dict[Key, list[int]], sign: int) -> None:
    """The record's events: +1 from the day it is known (created, or the later day a fact makes it
    count), -1 from the day it was voided; nothing when it was voided before it counted."""
    created = f.created_at.date()
    voided = f.voided_at.date() if f.voided_at is not None else None
    dims = (f.station_id, f.category)
    rollup = (f.station_id, ALL_CATEGORIES)
    d = f.dates or {}

    def add(event: str, day: date | None, known: date = created, key: str = "", total: int = 0) -> None:
        if day is None:
            return
        # Known from the creation (or the later fact), and never before the event itself: the
        # figures ask for events up to as_of only (event_counts clips the windows), so a record
        # created before its event counts exactly when the event is in a window up to as_of, and
        # each day's cells collapse onto known_on = day for most records.
        known = max(known, created, day)
        if voided is not None and voided <= known:
            return
        for d in (dims, rollup):
            cell = out[("e", f.module.value, event, day, known, *d, key)]
            cell[0] += sign
            cell[1] += total * sign
            if voided is not None:
                cell = out[("e", f.module.value, event, day, voided, *d, key)]
                cell[0] -= sign
                cell[1] -= total * sign

    for event in ("new", "closed", "filed", "solved"):
        add(event, d.get(event))
    if f.module == Module.DISPUTE:
        found, resolved = d.get("new"), d.get("closed")
        conv = f.converted_at.date() if f.converted_at is not None else None
        add("converted", conv)
        if d.get("satisfaction") is not None:
            add("visit", d.get("followed_up_on") or resolved, key=d["satisfaction"])
        if resolved is not None:
            add("found_resolved", found, known=resolved)  # found in a window, mediated by A
            add("resolved_found", resolved, key=found.isoformat() if found else "")  # mediated, by the day found
        if conv is not None:
            add("found_converted", found, known=conv)
    green = _first_green(f)
    if green is not None:
        level, entered, greened = green
        add("green", greened, known=max(entered, greened), key=level, total=(greened - entered).days)


# -- reading facts ---------------------------------------------------------------------------------
def _category_col(module: Module) -> InstrumentedAttribute[str] | None:
    return {Module.CASE: Case.kind, Module.DISPUTE: Dispute.category}.get(module)


def load_facts(conn: Connection, module: Module, where: Any) -> list[Facts]:
    """Facts of the records of `module` matching `where` (a condition on the record table), read
    with three statements (records, their level changes, their actions)."""
    model = MODELS[module]
    cat = _category_col(module)
    conv = Dispute.converted_at if module == Module.DISPUTE else None
    cols: list[Any] = [model.id, model.station_id, model.team_id, model.level, model.created_at, model.voided_at,
            cat if cat is not None else model.id, conv if conv is not None else model.voided_at]
    names = list(EVENT_COLUMNS[module])
    facts: dict[int, Facts] = {}
    for row in conn.execute(select(*cols, *EVENT_COLUMNS[module].values()).where(where)):
        rid, station, team, level, created, voided, category, converted = row[:8]
        facts[rid] = Facts(module, rid, station, team or 0, category if cat is not None else "", level, created,
                           voided, converted if conv is not None else None, [], [], dict(zip(names, row[8:])))
    if not facts:
        return []
    ids = sorted(facts)
    lo, hi = ids[0], ids[-1]
    rng = [LevelChange.module == module.value, LevelChange.record_id.between(lo, hi)]
    for rid, changed, cid, frm, to, outcome in conn.execute(
            select(LevelChange.record_id, LevelChange.changed_at, LevelChange.id, LevelChange.from_level,
                   LevelChange.to_level, LevelChange.outcome).where(*rng)):
        f = facts.get(rid)
        if f is not None:
            f.changes.append((changed, cid, frm, to, outcome))
    for rid, acted, aid, due in conn.execute(
            select(Action.record_id, Action.acted_at, Action.id, Action.next_due).where(
                Action.module == module.value, Action.record_id.between(lo, hi))):
        f = facts.get(rid)
        if f is not None:
            f.actions.append((acted, aid, due))
    return list(facts.values())


def _cadences(session: Session) -> dict[Module, dict[Level, int | None]]:
    from app.services.cadence import load_cadence

    return {m: load_cadence(session, m) for m in Module}


def recount(conn: Connection, cadences: dict[Module, dict[Level, int | None]], modules: Iterable[Module] = tuple(Module),
            station_ids: Iterable[int] | None = None) -> dict[Key, list[int]]:
    """The whole table as it should be (zero cells left out), from the records and their history,
    read in id ranges of CHUNK records."""
    out: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    stations = None if station_ids is None else list(station_ids)
    for module in modules:
        model = MODELS[module]
        span = select(func.min(model.id), func.max(model.id))
        if stations is not None:  # the id range of these stations only (a branch merge: one station)
            span = span.where(model.station_id.in_(stations))
        lo, hi = conn.execute(span).one()
        if lo is None:
            continue
        for start in range(lo, hi + 1, CHUNK):
            where: ColumnElement[bool] = model.id.between(start, start + CHUNK - 1)
            if stations is not None:
                where = and_(where, model.station_id.in_(stations))
            for f in load_facts(conn, module, where):
                contribution(f, cadences[module], out)
    return {k: v for k, v in out.items() if v[0] or v[1]}


# -- writing -----------------------------------------------------------------------------------------
#: Per kind of cell ("s" state, "e" event): its table, key columns and the two value columns.
_KINDS = {
    "s": (TABLE, ("module", "day", "station_id", "category", "team_id", "level"), ("n", "overdue")),
    "e": (EVENTS, ("module", "event", "day", "known_on", "station_id", "category", "key"), ("n", "total")),
}


def _rows(cells: dict[Key, list[int]], kind: str) -> list[dict[str, Any]]:
    _t, keys, values = _KINDS[kind]
    return [{**dict(zip(keys, k[1:])), values[0]: v[0], values[1]: v[1]}
            for k, v in cells.items() if k[0] == kind and (v[0] or v[1])]


def apply_deltas(conn: Connection, deltas: dict[Key, list[int]]) -> None:
    """Add `deltas` to the tables (insert or add to the existing cell), then drop cells that fell to 0."""
    from sqlalchemy.dialects import postgresql, sqlite

    pg = conn.dialect.name == "postgresql"
    for kind, (table, keys, values) in _KINDS.items():
        rows = _rows(deltas, kind)
        if not rows:
            continue
        stmt: postgresql.Insert | sqlite.Insert = postgresql.insert(table) if pg else sqlite.insert(table)
        stmt = stmt.on_conflict_do_update(index_elements=list(keys), set_={
            v: table.c[v] + stmt.excluded[v] for v in values})
        conn.execute(stmt, rows)
        pk = tuple_(*(table.c[k] for k in keys))
        touched = [tuple(r[k] for k in keys) for r in rows]
        for i in range(0, len(touched), 500):
            conn.execute(delete(table).where(pk.in_(touched[i:i + 500]), *(table.c[v] == 0 for v in values)))


def _stored(conn: Connection, kind: str, cond: list[ColumnElement[bool]]) -> dict[Key, list[int]]:
    """The stored cells of one kind under `cond`, keyed as `contribution` keys them."""
    table, keys, values = _KINDS[kind]
    return {(kind, *row[:-2]): [row[-2], row[-1]]
            for row in conn.execute(select(*(table.c[k] for k in keys), *(table.c[v] for v in values)).where(*cond))}


def rebuild(conn: Connection, modules: Iterable[Module] = tuple(Module), station_ids: Iterable[int] | None = None,
            cadences: dict[Module, dict[Level, int | None]] | None = None) -> int:
    """Write the tables afresh (for `modules`, and only `station_ids` when given) from the records
    and their history, in the caller's transaction: after bulk loads and cadence changes. Returns
    the number of cells written.

    Only the cells that differ from the recount are written (changed values set, new cells
    inserted, vanished ones deleted): a branch merge recounts the station it merged, and on
    PostgreSQL every row written to the summary is carried again by the roll-up triggers
    (app.store.rollups), so rewriting a station's unchanged cells cost the merge more than the
    recount itself. A table with nothing stored for the scope (a first build) is filled by plain
    inserts."""
    from sqlalchemy.dialects import postgresql, sqlite

    modules = [Module(m) for m in modules]
    stations = None if station_ids is None else list(station_ids)
    if cadences is None:
        with Session(bind=conn) as s:
            cadences = _cadences(s)
    cells = recount(conn, cadences, modules, stations)
    pg = conn.dialect.name == "postgresql"
    written = 0
    for kind, (table, keys, values) in _KINDS.items():
        cond: list[ColumnElement[bool]] = [table.c.module.in_([m.value for m in modules])]
        if stations is not None:
            cond.append(table.c.station_id.in_(stations))
        have = _stored(conn, kind, cond)
        want = {k: v for k, v in cells.items() if k[0] == kind}
        gone = [k[1:] for k in have if k not in want]
        pk = tuple_(*(table.c[k] for k in keys))
        for i in range(0, len(gone), 500):
            conn.execute(delete(table).where(pk.in_(gone[i:i + 500])))
        rows = _rows({k: v for k, v in want.items() if have.get(k) != v}, kind)
        write: Executable = table.insert()
        if have:
            upsert: postgresql.Insert | sqlite.Insert = postgresql.insert(table) if pg else sqlite.insert(table)
            write = upsert.on_conflict_do_update(index_elements=list(keys), set_={
                v: upsert.excluded[v] for v in values})
        for i in range(0, len(rows), 10_000):
            conn.execute(write, rows[i:i + 10_000])
        written += len(rows) + len(gone)
    return written


def rebuild_in(session: Session, modules: Iterable[Module] = tuple(Module),
               station_ids: Iterable[int] | None = None) -> int:
    """`rebuild` inside a writer session (bulk paths that mix Core writes with ORM ones): pending
    changes are flushed first, and what the upkeep hook remembered of the rebuilt modules is
    dropped, since the rebuilt cells already hold those records as they are now."""
    modules = [Module(m) for m in modules]
    session.flush()
    old = session.info.get(_OLD)
    if old:
        for key in [k for k in old if k[0] in modules]:
            del old[key]
    return rebuild(session.connection(), modules, station_ids, _cadences(session))


def count_new_records(session: Session, module: Module, ids: Iterable[int]) -> None:
    """Add the cells of records just written past the ORM (with their history) in this session's
    transaction: nothing of them was counted before."""
    if not _present(session):
        return
    deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for cells in _contributions(session, [(Module(module), rid) for rid in ids]).values():
        for cell, (n, od) in cells.items():
            deltas[cell][0] += n
            deltas[cell][1] += od
    apply_deltas(session.connection(), deltas)


def rebuild_db(db: Store, modules: Iterable[Module] = tuple(Module), station_ids: Iterable[int] | None = None) -> int:
    """`rebuild` in one write transaction of `db` (station or branch database)."""
    with db.write(None, "rebuild_daily_counts") as session:
        if not _present(session):  # a file at a schema before the summary (0012)
            return 0
        return rebuild(session.connection(), modules, station_ids, _cadences(session))


def table_cells(conn: Connection) -> dict[Key, list[int]]:
    """Every non-zero cell of both tables, keyed as `contribution` keys them."""
    out: dict[Key, list[int]] = {}
    for kind, (table, keys, values) in _KINDS.items():
        for row in conn.execute(select(*(table.c[k] for k in keys), *(table.c[v] for v in values))):
            if row[-2] or row[-1]:
                out[(kind, *row[:-2])] = [row[-2], row[-1]]
    return out


def problems(db: Store, limit: int = 20) -> list[str]:
    """Cells of the summary that differ from a recount of the history, each as one bilingual line
    (at most `limit`, then a count of the rest); empty when the summary is exact."""
    with db.read() as session:
        conn = session.connection()
        if not inspect(conn).has_table(TABLE.name):
            return []
        want = recount(conn, _cadences(session))
        have = table_cells(conn)
        out: list[str] = rollups.problems(conn) if rollups.present(conn) else []
    bad = sorted((k for k in set(want) | set(have) if want.get(k, [0, 0]) != have.get(k, [0, 0])), key=str)
    for k in bad[:limit]:
        w, h = want.get(k, [0, 0]), have.get(k, [0, 0])
        what = " ".join("-" if v == "" else str(v) for v in k[1:])
        table = _KINDS[k[0]][0].name
        out.append(f"每日汇总 {table} {what}: 记为 {h[0]}/{h[1]}，重新统计为 {w[0]}/{w[1]} "
                   f"(daily summary {table} {what}: stored {h[0]}/{h[1]}, recount {w[0]}/{w[1]})")
    if len(bad) > limit:
        out.append(f"每日汇总另有 {len(bad) - limit} 处不一致 ({len(bad) - limit} more daily summary cells differ)")
    return out


# -- upkeep in every writer session -----------------------------------------------------------------
_OLD = "daily_counts.old"  # session.info: {(module, record_id): deltas before this transaction}
_PRESENT = "daily_counts.present"


def _key_of(obj: object) -> tuple[Module, int] | None:
    if isinstance(obj, (LevelChange, Action)):
        if obj.record_id is None or obj.module is None:
            return None
        return Module(obj.module), obj.record_id
    module = _MODULE_OF.get(type(obj))
    if module is None or not isinstance(obj, RecordMixin) or obj.id is None:
        return None
    return module, obj.id


def _present(session: Session) -> bool:
    if _PRESENT not in session.info:
        session.info[_PRESENT] = inspect(session.connection()).has_table(TABLE.name)
    return bool(session.info[_PRESENT])


def _contributions(session: Session, keys: Iterable[tuple[Module, int]]
                   ) -> dict[tuple[Module, int], dict[Key, list[int]]]:
    """Each record's deltas as the database holds it now (an empty dict for a record not there)."""
    by_module: dict[Module, list[int]] = defaultdict(list)
    for module, rid in keys:
        by_module[module].append(rid)
    out: dict[tuple[Module, int], dict[Key, list[int]]] = {}
    conn = session.connection()
    with session.no_autoflush:
        cadences = _cadences(session)
    for module, ids in by_module.items():
        model = MODELS[module]
        found: dict[int, dict[Key, list[int]]] = {}
        for i in range(0, len(ids), 500):
            for f in load_facts(conn, module, model.id.in_(ids[i:i + 500])):
                found[f.record_id] = contribution(f, cadences[module])
        for rid in ids:
            out[(module, rid)] = found.get(rid, {})
    return out


def _before_flush(session: Session, _ctx: UOWTransaction, _instances: object) -> None:
    old = session.info.setdefault(_OLD, {})
    keys = {k for k in map(_key_of, chain(session.new, session.dirty, session.deleted)) if k is not None}
    keys -= old.keys()
    if keys and _present(session):
        old.update(_contributions(session, keys))


def _after_flush(session: Session, _ctx: UOWTransaction) -> None:
    old = session.info.setdefault(_OLD, {})
    for obj in session.new:  # records made in this flush: nothing of them was there before
        if type(obj) in _MODULE_OF and isinstance(obj, RecordMixin) and obj.id is not None:
            old.setdefault((_MODULE_OF[type(obj)], obj.id), {})


_TABLE_MODULE = {cast(Table, model.__table__).name: module for module, model in ((Module.CASE, Case), (Module.DISPUTE, Dispute),
                                                                                   (Module.PERSON, Person))}
_HISTORY = {cast(Table, LevelChange.__table__).name, cast(Table, Action.__table__).name}
_REBUILD = "daily_counts.rebuild"  # session.info: modules whose every record a statement may have moved


def _on_execute(state: ORMExecuteState) -> None:
    """UPDATE and DELETE statements sent through the session past the unit of work (Core DML on
    the record, level-change or action tables): the records they reach are snapshotted first, as
    before a flush. A statement whose rows cannot be told has its modules rebuilt at the commit.
    (Core INSERTs of new records go through count_new_records or rebuild.)"""
    if not (state.is_update or state.is_delete):
        return
    stmt = state.statement
    if not isinstance(stmt, (Update, Delete)):
        return
    table = stmt.table
    name = getattr(table, "name", None)
    if name not in _TABLE_MODULE and name not in _HISTORY:
        return
    session = state.session
    if not _present(session):
        return
    where = stmt.whereclause
    conn = session.connection()
    if where is None:
        session.info.setdefault(_REBUILD, set()).update(
            [_TABLE_MODULE[name]] if name in _TABLE_MODULE else list(Module))
        return
    params = state.parameters if isinstance(state.parameters, dict) else {}
    if name in _TABLE_MODULE:
        keys = {(_TABLE_MODULE[name], rid) for rid in conn.execute(select(table.c.id).where(where), params).scalars()}
    else:
        keys = {(Module(m), rid) for m, rid in conn.execute(select(table.c.module, table.c.record_id).where(where),
                                                            params)}
    old = session.info.setdefault(_OLD, {})
    keys -= old.keys()
    if keys:
        old.update(_contributions(session, keys))


def _before_commit(session: Session) -> None:
    session.flush()  # what is still pending is snapshotted by _before_flush here
    rebuild_modules = session.info.pop(_REBUILD, None)
    if rebuild_modules and _present(session):
        rebuild_in(session, rebuild_modules)
    old = session.info.pop(_OLD, {})
    if not old or not _present(session):
        return
    new = _contributions(session, old.keys())
    deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for key, before in old.items():
        for cell, (n, od) in before.items():
            deltas[cell][0] -= n
            deltas[cell][1] -= od
        for cell, (n, od) in new[key].items():
            deltas[cell][0] += n
            deltas[cell][1] += od
    apply_deltas(session.connection(), deltas)


def _forget(session: Session, *_args: object) -> None:
    session.info.pop(_OLD, None)
    session.info.pop(_REBUILD, None)
    session.info.pop(_PRESENT, None)


def install(factory: Any) -> None:
    """Keep daily_counts in step in every session `factory` makes (the writer sessions)."""
    from sqlalchemy import event

    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "do_orm_execute", _on_execute)
    event.listen(factory, "after_commit", _forget)
    event.listen(factory, "after_rollback", _forget)


# -- reading the figures ---------------------------------------------------------------------------
@dataclass(frozen=True)
class DayState:
    """Records per level (converted disputes apart), overdue and converted at the end of a day."""

    by_level: dict[str, int]
    overdue: int
    converted: int

    @property
    def active(self) -> int:
        return sum(n for lv, n in self.by_level.items() if lv != Level.GREEN.value)


def _conds(module: Module, station_id: int | None, team_id: int | None, category: str | None
           ) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [TABLE.c.module == module.value]
    if station_id is not None:
        conds.append(TABLE.c.station_id == station_id)
    if team_id is None and category is None:  # every team and category: the roll-up cells
        return [*conds, TABLE.c.category == ALL_CATEGORIES, TABLE.c.team_id == ALL_TEAMS]
    if team_id is not None:
        conds.append(TABLE.c.team_id == team_id)
    if category is not None:
        conds.append(TABLE.c.category == category)
    return conds


#: The summary summed over every station (PostgreSQL at 0019 or later, app.store.rollups): what a
#: whole branch's figures read instead of every station's cells.
BRANCH_COUNTS = sql_table(rollups.COUNTS, *(sql_column(c) for c in ("module", "day", "level", "n", "overdue")))
BRANCH_EVENTS = sql_table(rollups.EVENTS, *(sql_column(c) for c in (
    "module", "event", "day", "known_on", "category", "key", "n", "total")))
_ROLLUPS = "daily_counts.rollups"


#: Engines whose database was seen to keep the roll-ups: a schema does not lose them while the
#: app runs, so the question costs a round trip once per engine, not once per unit of work (the
#: station server's table open is held to a fixed number of round trips: tests/server).
_KEEPS_ROLLUPS: weakref.WeakSet[Any] = weakref.WeakSet()


def has_rollups(session: Session) -> bool:
    """Whether the session's database keeps the roll-ups over the stations."""
    got = session.info.get(_ROLLUPS)
    if got is None:
        conn = session.connection()
        if conn.engine in _KEEPS_ROLLUPS:
            got = True
        else:
            got = rollups.present(conn)
            if got:
                _KEEPS_ROLLUPS.add(conn.engine)
        session.info[_ROLLUPS] = got
    return bool(got)


def _cells(session: Session, module: Module, station_id: int | None, team_id: int | None, category: str | None
           ) -> tuple[Any, list[ColumnElement[bool]]]:
    """The table of the state cells a figure reads and its conditions: the whole branch's roll-up
    when there is one and every station, team and category is asked, else the summary."""
    if station_id is None and team_id is None and category is None and has_rollups(session):
        return BRANCH_COUNTS, [BRANCH_COUNTS.c.module == module.value]
    return TABLE, _conds(module, station_id, team_id, category)


def _state(running: dict[str, list[int]]) -> DayState:
    by_level = dict.fromkeys(LEVEL_CODES, 0)
    overdue = converted = 0
    for level, (n, od) in running.items():
        if level == CONVERTED:
            converted += n
        else:
            by_level[level] = by_level.get(level, 0) + n
            overdue += od
    return DayState(by_level, overdue, converted)


def state_on(session: Session, module: Module, day: date, *, station_id: int | None = None,
             team_id: int | None = None, category: str | None = None) -> DayState:
    """The state at the end of `day`: one grouped sum over the cells up to `day`."""
    running: dict[str, list[int]] = {}
    t, conds = _cells(session, module, station_id, team_id, category)
    for level, n, od in session.execute(
            select(t.c.level, func.sum(t.c.n), func.sum(t.c.overdue))
            .where(*conds, t.c.day <= day).group_by(t.c.level)):
        running[level] = [int(n or 0), int(od or 0)]
    return _state(running)


def states_on(session: Session, module: Module, days: list[date], *, station_id: int | None = None,
              team_id: int | None = None, category: str | None = None) -> list[DayState]:
    """The state at the end of each of `days` (ascending): the sum up to the first day, then the
    cells between one day and the next, in one statement each."""
    if not days:
        return []
    t, conds = _cells(session, module, station_id, team_id, category)
    running: dict[str, list[int]] = {}
    for level, n, od in session.execute(
            select(t.c.level, func.sum(t.c.n), func.sum(t.c.overdue))
            .where(*conds, t.c.day <= days[0]).group_by(t.c.level)):
        running[level] = [int(n or 0), int(od or 0)]
    out = [_state(running)]
    if len(days) == 1:
        return out
    rows = session.execute(
        select(t.c.day, t.c.level, func.sum(t.c.n), func.sum(t.c.overdue))
        .where(*conds, t.c.day > days[0], t.c.day <= days[-1])
        .group_by(t.c.day, t.c.level).order_by(t.c.day)).all()
    k = 0
    for day in days[1:]:
        while k < len(rows) and rows[k][0] <= day:
            cell = running.setdefault(rows[k][1], [0, 0])
            cell[0] += int(rows[k][2] or 0)
            cell[1] += int(rows[k][3] or 0)
            k += 1
        out.append(_state(running))
    return out


@dataclass(frozen=True)
class _Span:
    """A window cut at as_of."""

    start: date
    end: date


class DateSpan(Protocol):
    """A window of days, first and last included (stats.Window, trends' periods)."""

    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...


def event_counts(session: Session, module: Module, event: str, windows: Iterable[DateSpan], as_of: date, *,
                 station_id: int | None = None, category: str | None = None,
                 by_key: bool = False, key_before: str | None = None) -> dict[str, list[list[int]]]:
    """Events of `module` dated in each of `windows` (objects with .start and .end, inclusive; the
    part after `as_of` never counts) as known at the end of `as_of`: {key: [[n, total] per window]} ("" the only key unless `by_key`);
    `key_before` keeps the keys below it (the day found, for mediations of earlier disputes)."""
    out: dict[str, list[list[int]]] = {}
    # Events after as_of are not known as of then (the cells' known_on is never before the day).
    spans = [_Span(w.start, min(w.end, as_of)) for w in windows]
    if not spans:
        return out
    # The whole branch (every station) reads the events summed over the stations when kept.
    t: Any = BRANCH_EVENTS if station_id is None and has_rollups(session) else EVENTS
    conds = [t.c.module == Module(module).value, t.c.event == event, t.c.known_on <= as_of,
             t.c.day.between(min(w.start for w in spans), max(w.end for w in spans)),
             t.c.category == (category or ALL_CATEGORIES)]
    if station_id is not None:
        conds.append(t.c.station_id == station_id)
    if key_before is not None:
        conds.append(t.c.key < key_before)
    sums = []
    for w in spans:
        inside = t.c.day.between(w.start, w.end)
        sums += [func.sum(case((inside, t.c.n), else_=0)), func.sum(case((inside, t.c.total), else_=0))]
    group = [t.c.key] if by_key else []
    for row in session.execute(select(*group, *sums).where(*conds).group_by(*group)):
        key = row[0] if by_key else ""
        vals = row[1:] if by_key else row
        out[key] = [[int(vals[2 * i] or 0), int(vals[2 * i + 1] or 0)] for i in range(len(spans))]
    return out


def live_records(session: Session) -> dict[int, dict[str, int]] | None:
    """{station id: {module: records created and not voided}} from the roll-up kept per station
    (the running sum of its cells over every day), or None where it is not kept (SQLite): the
    branch console's counts without a count of every record."""
    if not has_rollups(session):
        return None
    out: dict[int, dict[str, int]] = {}
    for module, sid, n in session.execute(text(f"SELECT module, station_id, n FROM {rollups.STATIONS}")):
        out.setdefault(int(sid), {})[str(module)] = int(n)
    return out


def event_count(session: Session, module: Module, event: str, window: DateSpan, as_of: date, **kw: Any) -> int:
    """How many `event`s in `window` as known at the end of `as_of` (see event_counts)."""
    return sum(v[0][0] for v in event_counts(session, module, event, [window], as_of, **kw).values())


def available(session: Session) -> bool:
    """Whether this database has the summary (every database at schema 0012 or later does)."""
    return _present(session)


__all__ = ["Facts", "timeline", "contribution", "load_facts", "recount", "apply_deltas", "rebuild", "rebuild_in", "rebuild_db",
           "count_new_records", "live_records", "has_rollups",
           "problems", "install", "DayState", "state_on", "states_on", "event_counts", "event_count", "available"]
