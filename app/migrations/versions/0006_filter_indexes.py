"""filter indexes: responsible people in any role, and overdue as (status, next_due)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

The workstation filters by the responsible person in any of the three roles and by overdue;
at 150,000 records these scanned the table (110-140 ms). Plain indexes, no data change.
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0006"
down_revision: Union[str, Sequence[str], None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("case_record", "dispute", "person")


def upgrade() -> None:
    for t in TABLES:
        op.create_index(f"ix_{t}_status_next_due", t, ["status", "next_due"])
        op.create_index(f"ix_{t}_team_leader", t, ["team_leader_id"])
        op.create_index(f"ix_{t}_leader", t, ["leader_id"])


def downgrade() -> None:
    for t in TABLES:
        op.drop_index(f"ix_{t}_leader", t)
        op.drop_index(f"ix_{t}_team_leader", t)
        op.drop_index(f"ix_{t}_status_next_due", t)
