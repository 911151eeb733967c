"""Bulk loads on a SQLite DBAPI connection (the demo generator, a large sync import): the
secondary indexes dropped and built again once, and the full-text index (trigram FTS5 for terms
of 3+ characters, LIKE for shorter ones) rebuilt once instead of kept up row by row."""
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


@contextlib.contextmanager
def search_index_rebuilt(dbapi_conn: Any) -> Iterator[None]:
    """Inside a bulk-load transaction: drop the index triggers, load, then rebuild the index
    once (row-by-row trigger upkeep is ~7x slower than one rebuild; PERFORMANCE.md)."""
    for table in TABLES:
        for suffix in ("ai", "ad", "au"):
            dbapi_conn.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
    yield
    for table in TABLES:
        dbapi_conn.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")
        for stmt in trigger_sql(table):
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
