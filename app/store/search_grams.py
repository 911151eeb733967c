"""PostgreSQL only: the search index of the record tables (migration 0019), SQLite's character
index (app.store.bulk, 0016) made without an extension.

`station_search_grams(text)` is every character of ``lower(text)`` and every pair of neighbouring
characters, as a text array; a GIN index on it per record table (one per partition on a branch
partitioned by station) holds, for each character and pair, the records whose search text has it.
A term of one or two characters is one key of the index, exactly the records that hold it; a
longer term needs all its characters and pairs (the index narrows, ILIKE on the rows it finds
decides). ILIKE compares ``lower()`` of both sides, as the index does, so the index never loses a
row ILIKE would find. pg_trgm (trigrams) cannot answer terms under three characters, and pg_bigm
is a third-party extension outside PostgreSQL's contrib: both need an extension that a server
may not allow. This is SQL on built-in functions only (about 30 µs a row of 30 characters; the
migration's cost at 5M records is in docs/city-scale.md).
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy.engine import Connection

FUNCTION = "station_search_grams"

_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT c || ARRAY(SELECT a || b FROM unnest(c[:cardinality(c) - 1], c[2:]) AS u(a, b))
  FROM (SELECT regexp_split_to_array(lower(t), '') AS c) s
$$"""


def index_name(table: str) -> str:
    return f"ix_{table}_search_grams"


def install(conn: Connection, tables: Iterable[str]) -> None:
    """The function and an index on it per table, built from the rows already there."""
    conn.exec_driver_sql(_FUNCTION_SQL)
    for table in tables:
        conn.exec_driver_sql(f"CREATE INDEX {index_name(table)} ON {table} USING gin ({FUNCTION}(search_text))")
        conn.exec_driver_sql(f"ANALYZE {table}")  # the index expression's statistics: how common each key is


def drop(conn: Connection, tables: Iterable[str]) -> None:
    for table in tables:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {index_name(table)}")
    conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {FUNCTION}(text)")
