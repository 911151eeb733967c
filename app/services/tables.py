"""The record tables: ordered id lists, pages of display rows and level counts, sorted and filtered in SQL.

A table view holds only the ordered ids of what it shows (`list_ids`, 8 MB per million rows) and
asks for the ~256 rows on screen at a time (`fetch_rows`); nothing here returns ORM entities
(PERFORMANCE.md: Core `select(columns)` runs at ~1.3x raw SQL, ORM entities at 3.3x). Display
headers, labels and colours are the UI's business: columns here carry keys and SQL only.
"""
from __future__ import annotations

import functools
import json
from array import array
from dataclasses import replace
from datetime import date
from typing import Any, Collection, Iterator, Sequence, cast

from sqlalchemy import (
    Integer,
    String,
    Table,
    and_,
    any_,
    bindparam,
    case,
    column as sql_column,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql import FromClause, Select
from sqlalchemy.sql.elements import BinaryExpression, ColumnElement, UnaryExpression
from sqlalchemy.sql.operators import custom_op

from app.domain.levels import LEVEL_ORDER, Level, Module, module_of
from app.domain.rules import is_overdue
from app.errors import ValidationError
from app.services import daily_counts
from app.services.table_shapes import (
    COLUMNS as COLUMNS,
    DEFAULT_STATUSES as DEFAULT_STATUSES,
    MAIN_DATE as MAIN_DATE,
    PAGE_SIZE as PAGE_SIZE,
    STATION_COLUMN as STATION_COLUMN,
    STATUS_ORDER as STATUS_ORDER,
    Column as Column,
    FilterChoices as FilterChoices,
    TableOpening as TableOpening,
    TableQuery as TableQuery,
    TableRow as TableRow,
    columns_for as columns_for,
)
from app.store import Store, search_grams
from app.store.bulk import CHARS_SUFFIX, chars_token
from models import Case, Dispute, Officer, Person, Station, Team
from models.records import LEVEL_RANK_SQL

_TABLES: dict[Module, Table] = {Module.CASE: cast(Table, Case.__table__),
                                Module.DISPUTE: cast(Table, Dispute.__table__),
                                Module.PERSON: cast(Table, Person.__table__)}
#: Joined display tables: alias name -> (table, the record's foreign key column).
_JOINS: dict[str, tuple[Table, str]] = {
    "officer": (cast(Table, Officer.__table__), "officer_id"),
    "team_leader": (cast(Table, Officer.__table__), "team_leader_id"),
    "leader": (cast(Table, Officer.__table__), "leader_id"),
    "team": (cast(Table, Team.__table__), "team_id"),
    "station": (cast(Table, Station.__table__), "station_id"),
}
#: Code columns that sort by meaning rather than alphabetically (red first; active first).
_RANKS: dict[str, tuple[str, ...]] = {"level": tuple(lv.value for lv in LEVEL_ORDER), "status": STATUS_ORDER}


def columns(module: str | Module) -> tuple[Column, ...]:
    return COLUMNS[module_of(module)]


def column(module: str | Module, key: str) -> Column:
    for col in columns_for(module, branch=True):
        if col.key == key:
            return col
    raise ValidationError(f"未知的列：{key}", f"unknown column: {key}", "sort_key")


# -- statements -----------------------------------------------------------------------------
class _Sources:
    """The record table and, on demand, its joined display tables (each joined once)."""

    def __init__(self, module: Module):
        self.rec = _TABLES[module]
        self._aliases: dict[str, FromClause] = {}
        self.from_: FromClause = self.rec

    def get(self, col: Column) -> ColumnElement[Any]:
        if col.table == "rec":
            return self.rec.c[col.name]
        alias = self._aliases.get(col.table)
        if alias is None:
            table, fk = _JOINS[col.table]
            alias = table.alias(f"j_{col.table}")
            self._aliases[col.table] = alias
            self.from_ = self.from_.outerjoin(alias, alias.c.id == self.rec.c[fk])
        return alias.c[col.name]

    def nullable(self, col: Column) -> bool:
        # A joined name is NULL when the record names nobody in that role.
        return col.table != "rec" or bool(self.rec.c[col.name].nullable)


#: The column the category filter applies to, per module.
CATEGORY_COLUMN = {Module.CASE: "kind", Module.DISPUTE: "category", Module.PERSON: "risk_categories"}
#: Shorter terms never reach the trigram index (PERFORMANCE.md: wrong results on SQLite 3.40,
#: silently dropped inside MATCH); on SQLite the character index answers them (migration 0016).
FTS_MIN_CHARS = 3


#: The search box is outside input: bounded in length and number of words.
MAX_SEARCH_CHARS = 200
MAX_SEARCH_TERMS = 16


def search_terms(text: str) -> tuple[list[str], list[str]]:
    """The search box's words, lower-cased, split into (trigram-index terms, character-index terms:
    one or two characters; LIKE on PostgreSQL).
    Characters no record can hold (NUL and other controls, lone surrogates) separate words:
    they never reach SQL, where NUL cut a LIKE pattern down to "%" (matching everything) and a
    lone surrogate could not be encoded at all."""
    text = "".join(c if c.isprintable() else " " for c in (text or "")[:MAX_SEARCH_CHARS])
    long_terms: list[str] = []
    short_terms: list[str] = []
    for term in list(dict.fromkeys(text.lower().split()))[:MAX_SEARCH_TERMS]:
        (long_terms if len(term) >= FTS_MIN_CHARS else short_terms).append(term)
    return long_terms, short_terms


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fts_phrase(terms: list[str]) -> str:
    """An FTS5 query where every term is a quoted phrase (a substring for the trigram tokenizer),
    all of them required: quotes inside a term are doubled, so any text is a literal."""
    return " ".join('"' + t.replace('"', '""') + '"' for t in terms)


def _chars_match(rec: Table, terms: list[str], name: str) -> BinaryExpression[bool]:
    """`rec.id` is among the records whose search text holds every one of `terms` (one or two
    characters each): one MATCH of the character index, each term a single token (AND)."""
    idx = f"{rec.name}{CHARS_SUFFIX}"
    tokens = " ".join(f'"{chars_token(t)}"' for t in terms)
    hits = select(table(idx, sql_column("rowid")).c.rowid).where(
        text(f"{idx} MATCH :{name}").bindparams(**{name: tokens}))
    return rec.c.id.in_(hits)


def _grams_match(rec: Table, term: str) -> ColumnElement[bool]:
    """PostgreSQL: the record's search text has every character and neighbouring pair of `term`
    (the GIN index of app.store.search_grams: one key for a term of one or two characters)."""
    grams = getattr(func, search_grams.FUNCTION)
    held: ColumnElement[Any] = grams(rec.c.search_text)
    return held.bool_op("@>")(grams(literal(term, String)))


def _unindexed(col: ColumnElement[Any], pg: bool = False) -> ColumnElement[Any]:
    """`+col`: the same value, but SQLite will not use an index on it (its documented hint).
    PostgreSQL's planner weighs indexes by statistics and has no such operator: the column as is."""
    if pg:
        return col
    return UnaryExpression(col, operator=custom_op("+"), type_=col.type)


def is_postgresql(db: Store) -> bool:
    """A branch database on PostgreSQL (app.store.PgStore): no FTS5, no json_each."""
    return db.engine.dialect.name == "postgresql"


def id_in(col: ColumnElement[Any] | InstrumentedAttribute[Any], ids: Collection[int], pg: bool = False
          ) -> ColumnElement[bool]:
    """`col` is one of `ids`, as one bound parameter however many ids (no limit on bound variables,
    one cached plan): a JSON list through json_each on SQLite, an array on PostgreSQL."""
    if pg:  # imported here: the PostgreSQL dialect costs a plain file's start ≈ 0.4 s of imports
        from sqlalchemy.dialects.postgresql import ARRAY

        return col == any_(literal(sorted(ids), ARRAY(Integer)))
    return col.in_(select(sql_column("value", Integer)).select_from(func.json_each(json.dumps(sorted(ids)))))


def list_ids_with_counts(db: Store, module: str | Module, query: TableQuery
                         ) -> tuple[array[int], dict[Level, tuple[int, int]] | None]:
    """`list_ids`, and with a search text also `level_and_overdue_counts` of the same query from
    the same pass (else None: without text the level and due-date indexes answer the counts faster).

    A search reads its rows through the character index (1-2 characters) or the trigram one, then
    each row; the table view needs the ids and its level cards, which would do it two or three times.
    Here the rows of every level come back once with their level and overdue flag, the level filter
    is applied and the counts taken in Python (at 1,000,000 records, when the terms were LIKE scans:
    a one-character search 1,088 -> 682 ms, a 3-character one 342 -> 142 ms)."""
    mod = module_of(module)
    if not query.text.strip():
        return list_ids(db, mod, query), None
    with db.read() as session:
        return _scan_ids_with_counts(session, mod, _with_name_matches_in(session, query), is_postgresql(db))


def _scan_ids_with_counts(session: Session, mod: Module, query: TableQuery, pg: bool
                          ) -> tuple[array[int], dict[Level, tuple[int, int]]]:
    """A search's ids and its level counts from one pass (see list_ids_with_counts)."""
    tokens = _short_search_tokens_in(session, replace(query, levels=None), pg)
    if tokens is not None:
        return _short_search_scan_in(session, mod, query, tokens)
    rec = _TABLES[mod]
    wide = replace(query, levels=None)
    late = case((_overdue_condition(rec, wide.today()), 1), else_=0)
    stmt = ids_statement(mod, wide, pg).add_columns(rec.c.level, late)
    shown = None if query.levels is None else {Level(x).value for x in query.levels}
    ids = array("q")
    tally = {lv.value: [0, 0] for lv in LEVEL_ORDER}
    cursor = session.connection().execute(stmt).cursor
    while rows := cursor.fetchmany(65536):
        for rid, level, is_late in rows:
            t = tally[level]
            t[0] += 1
            t[1] += is_late
            if shown is None or level in shown:
                ids.append(rid)
    return ids, {Level(lv): (n, o) for lv, (n, o) in tally.items()}


def _short_search_scan_in(session: Session, mod: Module, query: TableQuery, tokens: str,
                          by_sets: bool | None = None) -> tuple[array[int], dict[Level, tuple[int, int]]]:
    """The whole list and the level counts of a search the first-page walk serves (the search box
    alone, terms of one or two characters; levels may be filtered): app.services.short_search reads
    them from the character index and narrow state indexes, never the wide rows (`by_sets`: see
    short_search.whole_list; at 1M, '路' in 40 % of the cases: see docs/performance.md, issue 21)."""
    from app.services import short_search

    ids, counts = short_search.whole_list(
        session.connection(), _TABLES[mod].name, tokens, ranks=_RANKS["level"], statuses=sorted(DEFAULT_STATUSES),
        every_status=STATUS_ORDER, today=query.today(), descending=query.descending, by_sets=by_sets,
        shown=None if query.levels is None else [Level(x).value for x in query.levels])
    return ids, {Level(code): n for code, n in counts.items()}


def _overdue_condition(rec: Table, today: date, seek_status: bool = True, pg: bool = False) -> ColumnElement[bool]:
    """app.domain.rules.is_overdue in SQL; `seek_status=False` hides the status index from the planner."""
    status = rec.c.status if seek_status else _unindexed(rec.c.status, pg)
    return and_(status == "active", rec.c.next_due.is_not(None), rec.c.next_due < today)


def _where(module: Module, rec: Table, query: TableQuery, pg: bool = False) -> list[ColumnElement[bool]]:
    """The filters of `query` as SQL conditions, for SQLite or (pg) PostgreSQL."""
    conds: list[ColumnElement[bool]] = []
    if query.levels is not None:
        conds.append(rec.c.level.in_(sorted(query.levels)))
    if query.ids is not None:
        conds.append(id_in(rec.c.id, query.ids, pg))
    if query.statuses:
        # The usual status set (active and closed) is nearly the whole table: its index would
        # hide the selective ones (a person, a date, due dates) from the planner. Only a narrow
        # set (voided or converted alone) is worth seeking by status.
        wide = query.statuses >= DEFAULT_STATUSES
        conds.append((_unindexed(rec.c.status, pg) if wide else rec.c.status).in_(sorted(query.statuses)))
    long_terms, short_terms = search_terms(query.text)
    if query.text.strip() and not (long_terms or short_terms):
        conds.append(false())  # only characters no record holds: nothing matches
    by_name = dict(query.name_matches)
    for term in [t for t in long_terms + short_terms if t in by_name]:
        # A pinyin word: the record's own text, or one of the officers it names.
        if pg:
            own = and_(_grams_match(rec, term), rec.c.search_text.ilike(_like(term), escape="\\"))
        elif len(term) >= FTS_MIN_CHARS:
            fts = table(f"{rec.name}_fts", sql_column("rowid"))
            own = rec.c.id.in_(select(fts.c.rowid).where(text(f"{rec.name}_fts MATCH :fts_{len(conds)}").bindparams(
                **{f"fts_{len(conds)}": _fts_phrase([term])})))
        else:
            own = _chars_match(rec, [term], f"chars_{len(conds)}")
        ids = by_name[term]
        conds.append(or_(own, id_in(rec.c.officer_id, ids, pg), id_in(rec.c.team_leader_id, ids, pg),
                         id_in(rec.c.leader_id, ids, pg)))
    long_terms = [t for t in long_terms if t not in by_name]
    short_terms = [t for t in short_terms if t not in by_name]
    if pg:
        # PostgreSQL: the search index (migration 0019) finds the records holding every character
        # and pair of neighbours of each term; ILIKE on the same search text decides.
        for term in long_terms + short_terms:
            conds.append(_grams_match(rec, term))
            conds.append(rec.c.search_text.ilike(_like(term), escape="\\"))
        long_terms = short_terms = []
    if long_terms:
        fts = table(f"{rec.name}_fts", sql_column("rowid"))
        match = select(fts.c.rowid).where(text(f"{rec.name}_fts MATCH :fts_q").bindparams(
            fts_q=_fts_phrase(long_terms)))
        conds.append(rec.c.id.in_(match))
    if short_terms:
        conds.append(_chars_match(rec, short_terms, "chars_q"))
    if query.officer_id is not None:
        conds.append(rec.c.officer_id == query.officer_id)
    if query.team_id is not None:
        conds.append(rec.c.team_id == query.team_id)
    if query.station_id is not None:
        conds.append(rec.c.station_id == query.station_id)
    if query.leader_id is not None:
        conds.append(rec.c.leader_id == query.leader_id)
    if query.team_leader_id is not None:
        conds.append(rec.c.team_leader_id == query.team_leader_id)
    if query.person_id is not None:
        conds.append(or_(rec.c.officer_id == query.person_id, rec.c.team_leader_id == query.person_id,
                         rec.c.leader_id == query.person_id))
    if query.category:
        col = rec.c[CATEGORY_COLUMN[module]]
        if module == Module.PERSON:  # a comma-separated list of codes
            conds.append(("," + col + ",").like(_like("," + query.category + ","), escape="\\"))
        else:
            # A category holds a large share of the table: seeking its index and fetching each row
            # costs more than scanning, and it hides better indexes (dates) from the planner.
            conds.append(_unindexed(col, pg) == query.category)
    main = rec.c[MAIN_DATE[module]]
    if query.date_from is not None:
        conds.append(main >= query.date_from)
    if query.date_to is not None:
        conds.append(main <= query.date_to)
    if query.overdue_only:
        # The same rule as app.domain.rules.is_overdue, in SQL.
        # The due-date index finds the few overdue rows; "active" (a third of the table) must not
        # lure the planner onto the status index (bench/workstation_bench.py: 2x).
        conds.append(_overdue_condition(rec, query.today(), seek_status=False, pg=pg))
    if query.due_on is not None:
        conds.append(and_(rec.c.status == "active", rec.c.next_due == query.due_on))
    return conds


def ids_statement(module: str | Module, query: TableQuery, pg: bool = False) -> Select[tuple[int]]:
    """The SELECT behind `list_ids` (exposed so tests can check its query plan)."""
    mod = module_of(module)
    col = column(mod, query.sort_key)
    if not col.sortable:
        raise ValidationError(f"该列不能排序：{col.key}", f"column is not sortable: {col.key}", "sort_key")
    src = _Sources(mod)
    expr = src.get(col)
    if col.table == "rec" and col.name == "level" and pg:
        # The level-rank index's very expression with its literals (migration 0019): PostgreSQL
        # matches an index expression by its parsed form, so bound ranks would not find it, and a
        # first page walks that index (one per partition, merged) instead of sorting every record.
        expr = literal_column(LEVEL_RANK_SQL.replace("CASE level ", f"CASE {src.rec.name}.level ", 1), Integer)
    elif col.table == "rec" and col.name in _RANKS:
        ranks = _RANKS[col.name]
        expr = case({code: i for i, code in enumerate(ranks)}, value=expr, else_=len(ranks))
    elif (query.text.strip() or query.category) and not pg:
        # With a LIKE filter, an index on the sort column tempts SQLite to walk the whole table
        # in index order and test every row (8.9x slower than scanning and sorting the hits,
        # PERFORMANCE.md); unary + keeps the value and hides the index from the planner.
        expr = UnaryExpression(expr, operator=custom_op("+"), type_=expr.type)
    if pg and isinstance(expr.type, String):
        expr = expr.collate("C")  # code-point order, as SQLite's BINARY: the same rows in the same order
    order = expr.desc() if query.descending else expr.asc()
    if src.nullable(col):
        order = order.nulls_last()
    tie = src.rec.c.id.desc() if query.descending else src.rec.c.id.asc()
    return (select(src.rec.c.id).select_from(src.from_).where(*_where(mod, src.rec, query, pg))
            .order_by(order, tie))


# -- services -------------------------------------------------------------------------------
def pinyin_terms(text: str) -> list[str]:
    """The search words that could be pinyin or initials: two or more Latin letters."""
    return [t for t in dict.fromkeys((text or "").lower().split()) if len(t) >= 2 and t.isascii() and t.isalpha()]


def officer_name_matches(db: Store, text: str) -> tuple[tuple[str, frozenset[int]], ...]:
    """For each pinyin word of `text`, the officers whose name it spells from the start
    (zhang → 张伟, 张美玲; zml → 张美玲); words that spell no one are left out."""
    if not pinyin_terms(text):
        return ()
    with db.read() as session:
        return _name_matches_in(session, text)


def _name_matches_in(session: Session, text: str) -> tuple[tuple[str, frozenset[int]], ...]:
    from app.domain.search import name_keys

    terms = pinyin_terms(text)
    if not terms:
        return ()
    people = session.execute(select(Officer.id, Officer.name)).all()
    out = []
    for term in terms:
        ids = frozenset(oid for oid, name in people if any(k.startswith(term) for k in name_keys(name)))
        if ids:
            out.append((term, ids))
    return tuple(out)


def with_name_matches(db: Store, query: TableQuery) -> TableQuery:
    """`query` with its pinyin words resolved to officers (see TableQuery.name_matches)."""
    matches = officer_name_matches(db, query.text) if query.text.strip() else ()
    return query if matches == query.name_matches else replace(query, name_matches=matches)


def _with_name_matches_in(session: Session, query: TableQuery) -> TableQuery:
    matches = _name_matches_in(session, query.text) if query.text.strip() else ()
    return query if matches == query.name_matches else replace(query, name_matches=matches)


def list_ids(db: Store, module: str | Module, query: TableQuery) -> array[int]:
    """Every id the query matches, in display order (ties broken by id), as a compact array."""
    with db.read() as session:
        return _list_ids_in(session, module_of(module), _with_name_matches_in(session, query), is_postgresql(db))


def _list_ids_in(session: Session, mod: Module, query: TableQuery, pg: bool) -> array[int]:
    stmt = ids_statement(mod, query, pg)
    ids = array("q")
    cursor = session.connection().execute(stmt).cursor
    # Ids are plain integers: read them from the DBAPI cursor in chunks, past the per-row
    # Result machinery (1.5x raw SQL on 100k ids through scalars(), 1.0x this way) and
    # without holding a million tuples at once.
    while rows := cursor.fetchmany(65536):
        ids.extend([i for (i,) in rows])
    return ids


#: From this many records of a module on, a table opens on its first page and reads the whole id
#: list after its first paint (issue 21: at 1M records the 627k case ids took 0.5 s before anything
#: was shown; the first page is an index walk of its LIMIT).
FIRST_PAGE_FROM = 50_000


def _short_search_tokens_in(session: Session, query: TableQuery, pg: bool) -> str | None:
    """The character index's MATCH of a search the first-page walk serves, else None: on SQLite,
    the search box alone (the default statuses and order, no other filter), every term of one or
    two characters, none of them spelling an officer's name (`query` has its name matches read)."""
    if pg or query.name_matches or replace(query, text="", as_of=None, descending=False) != TableQuery():
        return None
    long_terms, short_terms = search_terms(query.text)
    if long_terms or not short_terms:
        return None
    return " ".join(f'"{chars_token(t)}"' for t in short_terms)


#: A search matching at least 1/FREQUENT_SHARE of a module's records tests each record of its
#: first page's walk by a seek in the character index; a rarer one reads its matches once.
FREQUENT_SHARE = 8
#: PostgreSQL: a search whose index keys hold at least 1/FREQUENT_SHARE_PG of the records walks the
#: level-rank order for its first page (a page of 96 found within about 10,000 records); a rarer
#: one reads the search index and sorts its matches.
FREQUENT_SHARE_PG = 100


def _first_search_page_in(session: Session, mod: Module, query: TableQuery, tokens: str, size: int, limit: int
                          ) -> tuple[array[int], bool] | None:
    """The first `limit` ids of a search by the character index, walking the level-rank index
    (red first, ties by id: `ids_statement`'s order) and stopping after `limit`; None when the
    search matches fewer than `limit` records (its whole list is as cheap). A frequent term
    (40 % of the cases at 1M) is tested by a seek per walked record (5 ms for a page of 96); a rarer
    one by the list of its matches (a page of a term in 1.6 % of the cases: 1.8 ms), which a frequent
    one would take 70 ms to build."""
    rec = _TABLES[mod]
    idx = f"{rec.name}{CHARS_SUFFIX}"
    frequent = max(size // FREQUENT_SHARE, limit)
    conn = session.connection()
    hits = conn.execute(text(f"SELECT count(*) FROM (SELECT rowid FROM {idx} WHERE {idx} MATCH :q LIMIT :n)"),
                        {"q": tokens, "n": frequent}).scalar_one()
    if hits < limit:
        return None
    if hits >= frequent:
        member = f"EXISTS (SELECT 1 FROM {idx} f WHERE f.{idx} MATCH :q AND f.rowid = {rec.name}.id)"
    else:
        member = f"{rec.name}.id IN (SELECT rowid FROM {idx} WHERE {idx} MATCH :q)"
    way = "DESC" if query.descending else "ASC"
    statuses = sorted(DEFAULT_STATUSES)
    marks = ", ".join(f":s{i}" for i in range(len(statuses)))
    # The rank expression is the index's very text (the planner matches expressions by text).
    stmt = text(f"SELECT id FROM {rec.name} INDEXED BY ix_{rec.name}_level_rank "
                f"WHERE +status IN ({marks}) AND {member} ORDER BY {LEVEL_RANK_SQL} {way}, id {way} LIMIT :n")
    rows = conn.execute(stmt, {"q": tokens, "n": limit, **{f"s{i}": v for i, v in enumerate(statuses)}})
    ids = array("q", [i for (i,) in rows])
    return ids, len(ids) < limit


def _first_page_by_rank_in(session: Session, mod: Module, descending: bool, limit: int) -> tuple[array[int], bool]:
    """SQLite: the first `limit` ids of a table as it opens (default statuses, level order), the
    level-rank index walked from its start with a row lookup each for the status. The statement
    `ids_statement` gives binds the ranks, which no index expression matches: SQLite read a narrow
    index whole and sorted it for a page (69-152 ms at 1M cases, where the walk takes about 1 ms),
    and only as fast as that while the whole index stayed in the connection's page cache."""
    rec = _TABLES[mod]
    way = "DESC" if descending else "ASC"
    statuses = sorted(DEFAULT_STATUSES)
    marks = ", ".join(f":s{i}" for i in range(len(statuses)))
    stmt = text(f"SELECT id FROM {rec.name} INDEXED BY ix_{rec.name}_level_rank "
                f"WHERE +status IN ({marks}) ORDER BY {LEVEL_RANK_SQL} {way}, id {way} LIMIT :n")
    rows = session.connection().execute(stmt, {"n": limit, **{f"s{i}": v for i, v in enumerate(statuses)}})
    ids = array("q", [i for (i,) in rows])
    return ids, len(ids) < limit


def first_ids(db: Store, module: str | Module, query: TableQuery, limit: int) -> tuple[array[int], bool]:
    """The first `limit` ids of `query` in display order and whether they are all it matches: for
    a module of FIRST_PAGE_FROM records or more and a query without search text (the sort index
    walked from its start, stopping after `limit`) or with the search box alone holding terms of
    one or two characters (`_first_search_page_in`; on PostgreSQL terms of any length,
    `_first_search_page_pg`), else the whole list (`list_ids`, complete)."""
    mod = module_of(module)
    with db.read() as session:
        return _first_ids_in(session, mod, _with_name_matches_in(session, query), limit, is_postgresql(db))


def _first_search_ids_in(session: Session, mod: Module, query: TableQuery, limit: int, pg: bool
                         ) -> tuple[array[int], bool] | None:
    """A search's first page by the character index, or None when the walk does not serve it (a
    longer term, another filter, a small table, fewer matches than a page)."""
    if pg:
        return _first_search_page_pg(session, mod, query, limit)
    tokens = _short_search_tokens_in(session, query, pg)
    if tokens is None:
        return None
    size = session.scalar(select(func.max(_TABLES[mod].c.id))) or 0
    if size < FIRST_PAGE_FROM:
        return None
    return _first_search_page_in(session, mod, query, tokens, size, limit)


def _first_search_page_pg(session: Session, mod: Module, query: TableQuery, limit: int
                          ) -> tuple[array[int], bool] | None:
    """PostgreSQL: the first `limit` ids of a search box alone (default statuses and order) on a
    large table, by the search statement with LIMIT; None when it matches fewer (its whole list is
    as cheap) or another filter is set. The level-rank index walked (merged across partitions),
    testing each record, serves a frequent term; the search index, then a sort of the few matches,
    a rare one (migration 0019): the planner chooses for terms of one or two characters, a bounded
    count of the search index's matches for longer ones."""
    if query.name_matches or replace(query, text="", as_of=None, descending=False) != TableQuery():
        return None
    if not any(search_terms(query.text)):
        return None
    rec = _TABLES[mod]
    size = _table_size(session, mod)
    if size < FIRST_PAGE_FROM:
        return None
    long_terms, short_terms = search_terms(query.text)
    conn = session.connection()
    # The planner's own statistics of the index expression estimate a key well: a search of terms
    # of one or two characters (one key each) is left to it. A longer term is several keys, whose
    # selectivities it multiplies as if independent ('东湖路', in 10 % of the cases, was estimated
    # at one row per partition, and sorting its 237,527 matches for a page took 1.5 s): how common
    # it is is read from the search index (a count bounded at 1/FREQUENT_SHARE_PG of the table).
    # JIT is off for these statements: with 101 partitions it compiled every partition's filter
    # (42 s of compilation for a 181 ms walk).
    conn.exec_driver_sql("SET LOCAL jit = off")
    frequent = False
    if long_terms:
        probe = max(size // FREQUENT_SHARE_PG, limit)
        held = select(literal(1)).where(*(_grams_match(rec, t) for t in long_terms + short_terms)).limit(probe)
        frequent = (session.scalar(select(func.count()).select_from(held.subquery())) or 0) >= probe
    stmt = ids_statement(mod, query, True).limit(limit)
    hints = ("enable_bitmapscan", "enable_seqscan", "enable_sort") if frequent else ()
    for name in hints:  # walk the level-rank order and test each record: the index is no way in
        conn.exec_driver_sql(f"SET LOCAL {name} = off")
    try:
        ids = array("q", [i for (i,) in conn.execute(stmt).cursor.fetchall()])
    finally:
        for name in (*hints, "jit"):  # the settings last until the end of the transaction at most
            conn.exec_driver_sql(f"RESET {name}")
    return (ids, False) if len(ids) >= limit else None


def _table_size(session: Session, mod: Module) -> int:
    """About how many records the module's table holds: its largest id, or on PostgreSQL with the
    summary's roll-ups its live records (a max over every partition of a branch partitioned by
    station is a statement planned over all of them: 130-195 ms at 100 stations under load)."""
    live = daily_counts.live_records(session) if session.get_bind().dialect.name == "postgresql" else None
    if live is not None:
        return sum(by_module.get(mod.value, 0) for by_module in live.values())
    return session.scalar(select(func.max(_TABLES[mod].c.id))) or 0


def _first_ids_in(session: Session, mod: Module, query: TableQuery, limit: int, pg: bool) -> tuple[array[int], bool]:
    if query.text.strip():
        return _first_search_ids_in(session, mod, query, limit, pg) or (_list_ids_in(session, mod, query, pg), True)
    size = _table_size(session, mod) if pg else session.scalar(select(func.max(_TABLES[mod].c.id))) or 0
    if size < FIRST_PAGE_FROM:
        return _list_ids_in(session, mod, query, pg), True
    if not pg and replace(query, descending=False, as_of=None) == TableQuery():
        return _first_page_by_rank_in(session, mod, query.descending, limit)
    stmt = ids_statement(mod, query, pg).limit(limit)
    ids = array("q", [i for (i,) in session.connection().execute(stmt).cursor.fetchall()])
    return ids, len(ids) < limit


@functools.lru_cache(maxsize=None)
def _page_statement(mod: Module, branch: bool) -> tuple[Select[Any], tuple[int, ...]]:
    """The SELECT of a page of display rows, built once per module and console (an expanding
    `ids` parameter): a page costs its query, not a fresh statement each time (2.0 against 4.3 ms
    for a 96-row page at 100k records)."""
    cols = columns_for(mod, branch)
    src = _Sources(mod)
    rec = src.rec
    exprs = [src.get(c) for c in cols]
    stmt = (select(rec.c.id, rec.c.level, rec.c.status, rec.c.next_due, *exprs)
            .select_from(src.from_).where(rec.c.id.in_(bindparam("ids", expanding=True))))
    return stmt, tuple(i for i, c in enumerate(cols) if c.masked)


def fetch_rows(db: Store, module: str | Module, ids: Sequence[int], *,
               as_of: date | None = None, branch: bool = False) -> list[TableRow]:
    """The display rows of `ids` (a page), in the order given, with names joined. One SELECT.
    `branch`: values follow `columns_for(module, branch=True)` (the station's name second)."""
    if not ids:
        return []
    with db.read() as session:
        return _fetch_rows_in(session, module_of(module), ids, as_of or date.today(), branch)


def _fetch_rows_in(session: Session, mod: Module, ids: Sequence[int], today: date, branch: bool) -> list[TableRow]:
    if not ids:
        return []
    stmt, masked = _page_statement(mod, branch)
    if masked:
        from app.domain.identity import mask_id_number
    by_id: dict[int, TableRow] = {}
    for rid, level, status, next_due, *values in session.execute(stmt, {"ids": list(ids)}):
        for i in masked:
            values[i] = mask_id_number(values[i])
        by_id[rid] = TableRow(rid, level, status, is_overdue(next_due, status, today), tuple(values))
    return [by_id[i] for i in ids if i in by_id]


def iter_export_rows(db: Store, module: str | Module, ids: Sequence[int], *, unmask: bool = False,
                     as_of: date | None = None, chunk: int = 2000, branch: bool = False) -> Iterator[TableRow]:
    """Every row of `ids` in that order, as `fetch_rows` gives them but with ID numbers in full
    when `unmask` (exports by a role that may see them); read in chunks, one SELECT each."""
    mod = module_of(module)
    cols = columns_for(mod, branch)
    src = _Sources(mod)
    rec = src.rec
    exprs = [src.get(c) for c in cols]
    today = as_of or date.today()
    masked: list[int] = [] if unmask else [i for i, c in enumerate(cols) if c.masked]
    from app.domain.identity import mask_id_number

    for start in range(0, len(ids), chunk):
        part = list(ids[start:start + chunk])
        stmt = (select(rec.c.id, rec.c.level, rec.c.status, rec.c.next_due, *exprs)
                .select_from(src.from_).where(rec.c.id.in_(part)))
        by_id: dict[int, TableRow] = {}
        with db.read() as session:
            for rid, level, status, next_due, *values in session.execute(stmt):
                for i in masked:
                    values[i] = mask_id_number(values[i])
                by_id[rid] = TableRow(rid, level, status, is_overdue(next_due, status, today), tuple(values))
        for rid in part:
            if rid in by_id:
                yield by_id[rid]


def level_counts(db: Store, module: str | Module, query: TableQuery) -> dict[Level, int]:
    """How many records of each level the query matches (every level present, zero included)."""
    with db.read() as session:
        return _level_counts_in(session, module_of(module), _with_name_matches_in(session, query), is_postgresql(db))


def _level_counts_in(session: Session, mod: Module, query: TableQuery, pg: bool) -> dict[Level, int]:
    rec = _TABLES[mod]
    stmt = select(rec.c.level, func.count()).where(*_where(mod, rec, query, pg)).group_by(rec.c.level)
    counts = {lv: 0 for lv in LEVEL_ORDER}
    for level, n in session.execute(stmt):
        counts[Level(level)] = n
    return counts


def level_and_overdue_counts(db: Store, module: str | Module, query: TableQuery
                             ) -> dict[Level, tuple[int, int]]:
    """Per level, (records, overdue records) the query matches under every filter but the level one:
    a table view's level cards and its overdue total, from the level and due-date indexes (a search
    has them from `list_ids_with_counts`, in the pass that finds its rows)."""
    with db.read() as session:
        return _level_and_overdue_counts_in(session, module_of(module), _with_name_matches_in(session, query),
                                            is_postgresql(db))


def _level_and_overdue_counts_in(session: Session, mod: Module, query: TableQuery, pg: bool
                                 ) -> dict[Level, tuple[int, int]]:
    wide = replace(query, levels=None)
    totals = _level_counts_in(session, mod, wide, pg)
    late = _level_counts_in(session, mod, replace(wide, overdue_only=True), pg) if not query.overdue_only else totals
    return {lv: (totals[lv], late[lv]) for lv in LEVEL_ORDER}


def _choices_in(session: Session) -> FilterChoices:
    from models import SyncKey

    branch = session.scalar(select(SyncKey.kind).where(SyncKey.kind == "branch_box")) is not None
    officers = session.execute(select(Officer.id, Officer.name).where(Officer.active).order_by(Officer.id)).all()
    teams = session.execute(select(Team.id, Team.name).where(Team.active).order_by(Team.id)).all()
    stations = session.execute(select(Station.id, Station.name).order_by(Station.code, Station.id)).all() \
        if branch else []
    return FilterChoices(branch, tuple((int(i), str(n)) for i, n in officers),
                         tuple((int(i), str(n)) for i, n in teams), tuple((int(i), str(n)) for i, n in stations))


def open_table(db: Store, module: str | Module, query: TableQuery, page_size: int = PAGE_SIZE, *,
               first_page: bool = True, branch: bool = False, choices: bool = False) -> TableOpening:
    """A table's ids, its first page of rows and its level counts, in one transaction (the same
    answers as first_ids or list_ids, fetch_rows and level_and_overdue_counts). `first_page`:
    a large table without search text opens on its first page alone (see first_ids). `choices`:
    the view's first open, which also needs its filters' choices; the rows then follow the
    database's kind (`branch` is ignored)."""
    mod = module_of(module)
    pg = is_postgresql(db)
    with db.read() as session:
        offered = _choices_in(session) if choices else None
        if offered is not None:
            branch = offered.branch
        q = _with_name_matches_in(session, query)
        counts: dict[Level, tuple[int, int]] | None
        first = _first_search_ids_in(session, mod, q, page_size, pg) if first_page and q.text.strip() else None
        if first is not None:  # a short search of a large table: its first page; counts after paint
            (ids, complete), counts = first, None
        elif q.text.strip():  # a search: the ids and the counts from one pass
            ids, counts = _scan_ids_with_counts(session, mod, q, pg)
            complete = True
        else:
            ids, complete = _first_ids_in(session, mod, q, page_size, pg) if first_page \
                else (_list_ids_in(session, mod, q, pg), True)
            counts = _level_and_overdue_counts_in(session, mod, q, pg) if complete else None
        rows = _fetch_rows_in(session, mod, ids[:page_size], date.today(), branch)  # as fetch_rows
    return TableOpening(ids, complete, tuple(rows), counts, offered)


def list_stations(db: Store) -> list[tuple[int, str]]:
    """(id, name) of every station whose records the database holds, by code: the branch
    console's station filter (a station database lists only itself)."""
    with db.read() as session:
        return [(sid, name) for sid, name in session.execute(
            select(Station.id, Station.name).order_by(Station.code, Station.id))]
