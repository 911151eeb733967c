"""overdue by index alone: the due-date index also holds status and level

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26

Every table view counts its overdue records per level (the legend's overdue total) and the overdue
filter lists them ordered by level. With (next_due) alone each overdue row was a table lookup for
its status and level: 27 ms to count and 37 ms to list 19,402 overdue cases of a 100,000-record
station. With (next_due, status, level) both read the index only: 4 ms and 14 ms. Plain indexes,
no data change.
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0008"
down_revision: Union[str, Sequence[str], None] = "0007"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("case_record", "dispute", "person")


def upgrade() -> None:
    for t in TABLES:
        op.create_index(f"ix_{t}_next_due_state", t, ["next_due", "status", "level"])
        op.drop_index(f"ix_{t}_next_due", t)


def downgrade() -> None:
    for t in TABLES:
        op.create_index(f"ix_{t}_next_due", t, ["next_due"])
        op.drop_index(f"ix_{t}_next_due_state", t)
