"""character index: one- and two-character search terms answered by an index

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06

SQLite only. The trigram index of 0002 cannot answer a term shorter than three characters; such
terms scanned every row with LIKE (682 ms for one character at 1M records). Each record table
gets `<table>_fts_chars`, a contentless FTS5 table (detail=none) whose tokens are every character
of the search text and every pair of neighbouring characters, with triggers that keep it up, and
is filled from the rows already there (app.store.bulk: the same SQL the bulk loads rebuild with).
An index on each record's level rank (red first: the tables' default order) lets a search's
first page walk that order and stop after a page (app.services.tables.first_ids).
A PostgreSQL branch searches its base tables with ILIKE: nothing to do there.
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0016"
down_revision: Union[str, Sequence[str], None] = "0015"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    from app.store import bulk
    from models.records import LEVEL_RANK_SQL

    class _Conn:  # the bulk helpers take a DBAPI-style execute(sql)
        execute = op.get_bind().exec_driver_sql

    conn = _Conn()
    for table in bulk.TABLES:
        conn.execute(bulk.chars_create_sql(table))
        bulk.chars_fill(conn, table)
        for stmt in bulk.chars_trigger_sql(table):
            conn.execute(stmt)
        conn.execute(f"CREATE INDEX ix_{table}_level_rank ON {table} ({LEVEL_RANK_SQL})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    from app.store.bulk import CHARS_SUFFIX, TABLES

    for table in TABLES:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}{CHARS_SUFFIX}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {table}{CHARS_SUFFIX}")
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_level_rank")
