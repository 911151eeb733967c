"""search index: FTS5 trigram tables over each module's search text

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

Terms of three or more characters are looked up in an external-content FTS5 table with the
trigram tokenizer; shorter terms use LIKE on the base table (see app/services/search_index.py).
Triggers keep the index in step with every insert, update and delete of a record.
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0002"
down_revision: Union[str, Sequence[str], None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("case_record", "dispute", "person")


def trigger_sql(table: str) -> list[str]:
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


def upgrade() -> None:
    # FTS5 is SQLite's; a PostgreSQL branch database searches its base tables instead.
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        op.execute(f"CREATE VIRTUAL TABLE {table}_fts USING fts5(search_text, content='{table}', "
                   f"content_rowid='id', tokenize='trigram')")
        for stmt in trigger_sql(table):
            op.execute(stmt)
        op.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {table}_fts")
