"""history time indexes: level changes and actions by (module, time), records by void and conversion time

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26

The overdue trend looks again only at the records touched between two period ends: a level
change, an action, a voiding or a conversion in between. Finding those by time scanned the
whole history of a module (80 ms per period at 100,000 records). Plain indexes, no data change.
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0007"
down_revision: Union[str, Sequence[str], None] = "0006"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("case_record", "dispute", "person")


def upgrade() -> None:
    op.create_index("ix_level_change_module_changed", "level_change", ["module", "changed_at"])
    op.create_index("ix_action_module_acted", "action", ["module", "acted_at"])
    for t in TABLES:
        op.create_index(f"ix_{t}_voided", t, ["voided_at"])
    op.create_index("ix_dispute_converted", "dispute", ["converted_at"])


def downgrade() -> None:
    op.drop_index("ix_dispute_converted", "dispute")
    for t in TABLES:
        op.drop_index(f"ix_{t}_voided", t)
    op.drop_index("ix_action_module_acted", "action")
    op.drop_index("ix_level_change_module_changed", "level_change")
