"""The orange active cases led by cause and place, for 串并 candidates

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06

A case's 串并侦查 tab lists the orange active cases like it: two of the same cause, the same place
and dates within 60 days (app.services.series.candidates). Migration 0020's partial index let the
list be read from the index alone, but from all of it: at a million records its 141,158 entries
were scored each time the tab was shown (130-179 ms). A case scores two only with the same cause
and place or with close dates: the second is a range of 0020's index (led by the date), the first
a range of this one (led by cause, then place). SQLite station files only, as 0020.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: Union[str, Sequence[str], None] = "0020"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

#: As models.records.SERIES_CAUSE_INDEX_COLUMNS / SERIES_INDEX_WHERE (copied: a migration is frozen).
COLUMNS = ["cause", "place", "accepted_on", "case_no"]
WHERE = "level = 'orange' AND status = 'active'"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_index("ix_case_record_series_cause", "case_record", COLUMNS, unique=False, sqlite_where=sa.text(WHERE))


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.drop_index("ix_case_record_series_cause", table_name="case_record")
