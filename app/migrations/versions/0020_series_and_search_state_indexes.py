"""A covering index of the orange active cases for 串并 candidates; the records' state by id for searches

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06

Opening a case shows its 串并侦查 tab, which lists the orange active cases like it
(app.services.series.candidates: the same cause, the same place, dates within 60 days; two of the
three). It read every orange active case as an ORM entity and scored each in Python: at a million
records 141,158 cases, 13 s before the record view painted. A partial index on the orange active
cases holding the columns the score reads lets the candidates be narrowed in SQL from the index
alone (a score of two needs the cause or the dates to agree). SQLite station files only, as 0014:
a PostgreSQL branch plans its own way.

A search's whole list and level cards (app.services.tables) read each matching record's level,
status and due date: from the wide table row, one page each (a character held by 40 % of the
cases at 1M: 252,743 lookups). An index on (id, level, status, next_due) of each record table
answers the same lookups from a narrow structure read in id order, as the character index gives
the ids.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: Union[str, Sequence[str], None] = "0019"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

#: As models.records.SERIES_INDEX_COLUMNS / SERIES_INDEX_WHERE (copied: a migration is frozen).
COLUMNS = ["accepted_on", "cause", "place", "case_no"]
WHERE = "level = 'orange' AND status = 'active'"
#: As models.records.SEARCH_STATE_COLUMNS.
STATE_COLUMNS = ["id", "level", "status", "next_due"]
TABLES = ("case_record", "dispute", "person")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_index("ix_case_record_series", "case_record", COLUMNS, unique=False, sqlite_where=sa.text(WHERE))
    for table in TABLES:
        op.create_index(f"ix_{table}_search_state", table, STATE_COLUMNS, unique=False)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        op.drop_index(f"ix_{table}_search_state", table_name=table)
    op.drop_index("ix_case_record_series", table_name="case_record")
