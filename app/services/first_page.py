"""The first page of a plain station file's record table, read without SQLAlchemy or the models.

A cold start of an unprotected station file paints the window's frame (ui.window_frame) before
the database layer is imported: importing SQLAlchemy and the 31 mapped classes is about four times
a bare window's whole start on the reference machine (docs/performance.md, issue 21, item 5). The
frame shows this page at once; the window built after it reads the same page through
app.services.tables and takes its place. The rows are those of `tables.open_table` for the default
query (the same ids in the same order, the same values with the same types), read by the DBAPI
module every store connection uses (sqlcipher3), read-only, in one transaction;
tests/unit/test_first_page.py compares the two on real files.

Anything this reader cannot answer exactly gives None and the frame stays empty until the window
is built: a file whose schema is not the head (the window upgrades it first), a branch office's
file (its tables have a station column), a file that cannot be read now.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlite

from app.domain.levels import LEVEL_ORDER, Module, module_of
from app.domain.rules import is_overdue
from app.services.table_shapes import DEFAULT_STATUSES, MAIN_DATE, PAGE_SIZE, TableRow, columns_for
from app.store.revisions import script_revisions

#: The record tables and the joined display tables (app.services.tables: `_TABLES`, `_JOINS`).
RECORD_TABLES = {Module.CASE: "case_record", Module.DISPUTE: "dispute", Module.PERSON: "person"}
JOINS = {"officer": ("officer", "officer_id"), "team_leader": ("officer", "team_leader_id"),
         "leader": ("officer", "leader_id"), "team": ("team", "team_id")}
#: Columns stored as ISO dates (SQLAlchemy's Date on SQLite gives `date` objects).
DATE_KEYS = frozenset(MAIN_DATE.values()) | {"next_due"}
#: The level-rank index's very expression (models.records.LEVEL_RANK_SQL, migration 0016): the
#: first page walks that index instead of sorting the table.
LEVEL_RANK_SQL = ("CASE level " + " ".join(f"WHEN '{lv.value}' THEN {i}" for i, lv in enumerate(LEVEL_ORDER))
                  + f" ELSE {len(LEVEL_ORDER)} END")


def _page_sql(mod: Module) -> tuple[str, list[int]]:
    """The SELECT of the display rows of some ids (`?` list spliced by the caller), and which of
    its values are dates."""
    rec = RECORD_TABLES[mod]
    exprs: list[str] = []
    joins: dict[str, str] = {}
    for col in columns_for(mod):
        if col.table == "rec":
            exprs.append(f"rec.{col.name}")
            continue
        table, fk = JOINS[col.table]
        alias = f"j_{col.table}"
        joins.setdefault(alias, f"LEFT OUTER JOIN {table} AS {alias} ON {alias}.id = rec.{fk}")
        exprs.append(f"{alias}.{col.name}")
    sql = (f"SELECT rec.id, rec.level, rec.status, rec.next_due, {', '.join(exprs)} FROM {rec} AS rec "
           + " ".join(joins.values()) + " WHERE rec.id IN ({ids})")
    return sql, [i for i, col in enumerate(columns_for(mod)) if col.key in DATE_KEYS]


def _read_only_uri(path: Path) -> str:
    """SQLite's URI of `path`, opened read-only (nothing is created: no file, no WAL index for a
    file that has none). Spelt here rather than by Path.as_uri(), whose urllib.parse costs a few ms
    of imports before the frame's paint: SQLite decodes %XX and ends the path at ? or #."""
    text = path.resolve().as_posix()
    for char, code in (("%", "%25"), ("?", "%3f"), ("#", "%23")):
        text = text.replace(char, code)
    return f"file:{text if text.startswith('/') else '/' + text}?mode=ro"


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def read_first_page(path: Path, module: str | Module = Module.CASE, page_size: int = PAGE_SIZE,
                    today: date | None = None) -> tuple[TableRow, ...] | None:
    """The display rows of the first `page_size` records of `module`'s table in its default order
    (red first, then by id; voided and converted records left out), as `tables.open_table(db,
    module, TableQuery(), page_size).rows` gives them; None when this file cannot be read so (see
    the module's docstring). `path` is an unprotected station file."""
    graph = script_revisions()
    if graph is None:
        return None
    mod = module_of(module)
    try:
        conn = sqlite.connect(_read_only_uri(Path(path)), uri=True, timeout=1.0)
    except sqlite.Error:
        return None
    try:
        conn.isolation_level = None
        cur = conn.cursor()
        cur.execute("BEGIN")  # one snapshot: the ids and their rows
        if cur.execute("SELECT version_num FROM alembic_version").fetchall() != [(graph[0],)]:
            return None
        if cur.execute("SELECT 1 FROM sync_key WHERE kind = 'branch_box' LIMIT 1").fetchone() is not None:
            return None
        rec = RECORD_TABLES[mod]
        statuses = sorted(DEFAULT_STATUSES)
        ids = [i for (i,) in cur.execute(
            f"SELECT id FROM {rec} WHERE +status IN ({', '.join('?' * len(statuses))}) "
            f"ORDER BY {LEVEL_RANK_SQL}, id LIMIT ?", (*statuses, page_size))]
        if not ids:
            return ()
        sql, dates = _page_sql(mod)
        masked = [i for i, col in enumerate(columns_for(mod)) if col.masked]
        if masked:
            from app.domain.identity import mask_id_number
        day = today or date.today()
        by_id: dict[int, TableRow] = {}
        for rid, level, status, next_due, *values in cur.execute(sql.format(ids=", ".join("?" * len(ids))), ids):
            for i in dates:
                values[i] = _day(values[i])
            for i in masked:
                values[i] = mask_id_number(values[i])
            by_id[rid] = TableRow(rid, level, status, is_overdue(_day(next_due), status, day), tuple(values))
        return tuple(by_id[i] for i in ids if i in by_id)
    except sqlite.Error:
        return None
    finally:
        conn.close()
