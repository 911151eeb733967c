"""whole-branch reads on PostgreSQL: the summary summed over the stations, level-rank indexes

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06

PostgreSQL only (issue 21, city scale). The daily summary summed over every station
(`daily_counts_branch`, `daily_events_branch`) and each station's live records
(`station_records`), kept by statement triggers on the summary (app.store.rollups): the branch's
headline, charts and console read them instead of every station's day cells and every record.
An index on each record table's level rank and id (red first: the tables' default order), one
per partition on a branch partitioned by station, lets the first page of a table walk that
order and stop after a page (app.services.tables.first_ids). A search index, the analogue of
SQLite's character index (0016) without an extension: `station_search_grams(text)` gives every
character of the lower-cased text and every pair of neighbours, and a GIN index on it per record
table answers a term of any length (`grams(search_text) @> grams(term)`, then ILIKE checks the
rows it finds; app.store.search_grams). SQLite files are unchanged (their level-rank index is 0016's).
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0019"
down_revision: Union[str, Sequence[str], None] = "0018"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

RECORD_TABLES = ("case_record", "dispute", "person")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from app.store import rollups, search_grams
    from models.records import LEVEL_RANK_SQL

    rollups.install(bind)
    for table in RECORD_TABLES:
        bind.exec_driver_sql(f"CREATE INDEX ix_{table}_level_rank ON {table} (({LEVEL_RANK_SQL}), id)")
    search_grams.install(bind, RECORD_TABLES)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from app.store import rollups, search_grams

    search_grams.drop(bind, RECORD_TABLES)
    for table in RECORD_TABLES:
        bind.exec_driver_sql(f"DROP INDEX IF EXISTS ix_{table}_level_rank")
    rollups.drop(bind)
