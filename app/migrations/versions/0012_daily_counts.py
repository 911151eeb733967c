"""The maintained daily summary: daily_counts and daily_events

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05

Every level and overdue figure (headline statistics, trends, briefing) was recounted from the
whole history for each day asked: seconds per figure at a million records. daily_counts holds,
per station, module, category, team, level and day, how the number of records at that level and
of those overdue moves at the end of the day (app.services.daily_counts); the running sum is the
recount. daily_events counts the dated events (solved, filed, found, mediated, visits, first
greens…) by their day and the day from which they are known. The tables are filled here from
the records already in the file, in the same transaction.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: Union[str, Sequence[str], None] = "0011"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "daily_counts",
        sa.Column("module", sa.String(8), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("overdue", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("module", "day", "station_id", "category", "team_id", "level",
                                name="pk_daily_counts"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "daily_events",
        sa.Column("module", sa.String(8), nullable=False),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("known_on", sa.Date(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("key", sa.String(12), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("module", "event", "day", "known_on", "station_id", "category", "key",
                                name="pk_daily_events"),
        sqlite_with_rowid=False,
    )
    from app.store.base import run_upgrade_step

    run_upgrade_step("daily_counts", op.get_bind())  # app.services.daily_counts.rebuild


def downgrade() -> None:
    op.drop_table("daily_events")
    op.drop_table("daily_counts")
