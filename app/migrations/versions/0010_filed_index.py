"""破案率 by index: criminal cases filed (立案) in a window

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05

The 破案率 (solve rate) divides the criminal cases solved in a window by those filed in it. Solved
cases have ix_case_record_solved (kind, solved_on); the filed count had no index and read every
case. (kind, filed_on) makes it a range like the other. A plain index, no data change.
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0010"
down_revision: Union[str, Sequence[str], None] = "0009"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index("ix_case_record_filed", "case_record", ["kind", "filed_on"])


def downgrade() -> None:
    op.drop_index("ix_case_record_filed", "case_record")
