"""Bulk loads on a SQLite DBAPI connection (the demo generator, a large sync import): the
secondary indexes dropped and built again once, and the full-text indexes (trigram FTS5 for terms
of 3+ characters, the character index `<table>_fts_chars` for terms of one or two) rebuilt once
instead of kept up row by row."""
from __future__ import annotations

import contextlib
from typing import Any, Iterator

TABLES = ("case_record", "dispute", "person")


def trigger_sql(table: str) -> list[str]:
    """The triggers that keep `table`'s search index up to date (as migration 0002 made them)."""
    fts = f"{table}_fts"
    return [
        f"CREATE TRIGGER {table}_fts_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"CREATE TRIGGER {table}_fts_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
        f"CREATE TRIGGER {table}_fts_au AFTER UPDATE OF search_text ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
    ]


# -- the character index (migration 0016): one- and two-character search terms ----------------
# Every character of a record's search text and every pair of neighbouring characters is one
# token, spelt as the hex of its UTF-8 bytes (UTF-8 is prefix-free: a pair's spelling never equals
# a character's), in a contentless FTS5 table without positions (detail=none: a term's doclist is
# its rowids alone). A one- or two-character term is then one token whose doclist is exactly the
# records whose text holds it: the same rows as LIKE '%term%', which folds ASCII case only, as
# SQLite's lower() does here. Plain SQL (json_each over a run of zeros for the positions, as
# triggers allow no CTE): no registered function, so every connection that writes keeps it up.
CHARS_SUFFIX = "_fts_chars"


def chars_expr(text: str) -> str:
    """SQL: the character index's tokens of the text expression `text` (NULL for empty text)."""
    low = f"lower({text})"
    # No order inside group_concat: without positions the tokens' order is of no account (and an
    # aggregate's ORDER BY would make the schema unreadable to SQLite before 3.44, Python's own).
    return (f"(SELECT group_concat(hex(substr({low}, key + 1, 1)) || ' ' || hex(substr({low}, key + 1, 2)), "
            f"' ') FROM json_each('[' || substr(replace(hex(zeroblob(length({text}))), '00', ',0'), 2) || ']'))")


def chars_token(term: str) -> str:
    """The character index's token of a one- or two-character (lower-cased) search term."""
    return term.encode("utf-8").hex()


def chars_create_sql(table: str) -> str:
    return (f"CREATE VIRTUAL TABLE {table}{CHARS_SUFFIX} USING fts5(grams, content='', contentless_delete=1, "
            f"detail=none, tokenize='unicode61')")


def chars_trigger_sql(table: str) -> list[str]:
    """The triggers that keep `table`'s character index up to date (as migration 0016 made them)."""
    idx = f"{table}{CHARS_SUFFIX}"
    return [
        f"CREATE TRIGGER {idx}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {idx}(rowid, grams) VALUES (new.id, {chars_expr('new.search_text')}); END",
        f"CREATE TRIGGER {idx}_ad AFTER DELETE ON {table} BEGIN "
        f"DELETE FROM {idx} WHERE rowid = old.id; END",
        f"CREATE TRIGGER {idx}_au AFTER UPDATE OF search_text ON {table} BEGIN "
        f"DELETE FROM {idx} WHERE rowid = old.id; "
        f"INSERT INTO {idx}(rowid, grams) VALUES (new.id, {chars_expr('new.search_text')}); END",
    ]


def chars_fill(conn: Any, table: str) -> None:
    """Fill `table`'s (empty) character index from its rows: one INSERT ... SELECT."""
    idx = f"{table}{CHARS_SUFFIX}"
    conn.execute(f"INSERT INTO {idx}(rowid, grams) SELECT id, {chars_expr('search_text')} FROM {table} ORDER BY id")
    # One segment per token instead of the load's many: a frequent character's doclist is then
    # read in one pass (31 -> 19 ms for 254,673 records at 1M; 4 s to merge).
    conn.execute(f"INSERT INTO {idx}({idx}) VALUES ('optimize')")


def chars_rebuild(conn: Any, table: str) -> None:
    """Empty `table`'s character index and fill it again (after a bulk load past its triggers)."""
    idx = f"{table}{CHARS_SUFFIX}"
    conn.execute(f"INSERT INTO {idx}({idx}) VALUES ('delete-all')")
    chars_fill(conn, table)


def has_chars_index(conn: Any, table: str = "case_record") -> bool:
    """Whether the database has the character index (a file migrated to 0016 or later)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (f"{table}{CHARS_SUFFIX}",)).fetchone() is not None


@contextlib.contextmanager
def search_index_rebuilt(dbapi_conn: Any) -> Iterator[None]:
    """Inside a bulk-load transaction: drop the index triggers, load, then rebuild the indexes
    once (row-by-row trigger upkeep is ~7x slower than one rebuild; PERFORMANCE.md)."""
    chars = has_chars_index(dbapi_conn)
    for table in TABLES:
        for suffix in ("ai", "ad", "au"):
            dbapi_conn.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
            dbapi_conn.execute(f"DROP TRIGGER IF EXISTS {table}{CHARS_SUFFIX}_{suffix}")
    yield
    for table in TABLES:
        dbapi_conn.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")
        for stmt in trigger_sql(table):
            dbapi_conn.execute(stmt)
        if chars:
            chars_rebuild(dbapi_conn, table)
            for stmt in chars_trigger_sql(table):
                dbapi_conn.execute(stmt)


@contextlib.contextmanager
def indexes_dropped(conn: Any, tables: tuple[str, ...]) -> Iterator[None]:
    """Inside a bulk-load transaction on a SQLite DBAPI connection: drop the secondary indexes
    of `tables`, load, then create them again once (building an index after the load is about
    2.4x faster than keeping it up row by row; PERFORMANCE.md R3). Indexes that belong to a
    constraint (UNIQUE, PRIMARY KEY) stay. On an exception nothing is restored here: the
    caller's rollback brings the indexes back."""
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN "
        f"({', '.join('?' * len(tables))}) ORDER BY name", tuple(tables)).fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        conn.execute(sql)
