"""The full-text index: trigram FTS5 for terms of 3+ characters, LIKE for shorter ones."""
from __future__ import annotations

import contextlib
import importlib
from typing import Iterator

TABLES = ("case_record", "dispute", "person")
_migration = importlib.import_module("app.migrations.versions.0002_search_index")


@contextlib.contextmanager
def bulk_load(dbapi_conn) -> Iterator[None]:
    """Inside a bulk-load transaction: drop the index triggers, load, then rebuild the index
    once (row-by-row trigger upkeep is ~7x slower than one rebuild; PERFORMANCE.md)."""
    for table in TABLES:
        for suffix in ("ai", "ad", "au"):
            dbapi_conn.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
    yield
    for table in TABLES:
        dbapi_conn.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")
        for stmt in _migration.trigger_sql(table):
            dbapi_conn.execute(stmt)
