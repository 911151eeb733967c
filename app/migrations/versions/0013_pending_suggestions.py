"""pending suggestions (the repeat-call suggestion raised by a 110 alert import); series members
removed with their reason

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05

A suggestion was only written once an officer answered it. Repeated 110 alerts found by an
import now raise a repeat-call suggestion on the open dispute they concern before anyone answers
it: decision 'pending' (decided_at empty until answered), and `group_key` names the repeat group
(address or caller) so a re-import does not raise it again.

A case taken out of a series keeps its membership row (the series' history) with when, by whom
and why it was removed; the series reads only the members not removed.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: Union[str, Sequence[str], None] = "0012"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.add_column(sa.Column("group_key", sa.String(length=260), nullable=True))
        batch_op.alter_column("decided_at", existing_type=sa.DateTime(), nullable=True)
        batch_op.drop_constraint(op.f("ck_suggestion_decision"), type_="check")
        batch_op.create_check_constraint(op.f("ck_suggestion_decision"),
                                         "decision IN ('pending', 'accepted', 'dismissed')")
        batch_op.create_index("ix_suggestion_group", ["kind", "group_key"], unique=False)
    with op.batch_alter_table("series_member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("removed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("removed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("removed_reason", sa.Text(), nullable=False, server_default=""))
        batch_op.create_foreign_key(op.f("fk_series_member_removed_by_id_officer"), "officer", ["removed_by_id"],
                                    ["id"])


def downgrade() -> None:
    op.execute("DELETE FROM series_member WHERE removed_at IS NOT NULL")
    with op.batch_alter_table("series_member", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_series_member_removed_by_id_officer"), type_="foreignkey")
        batch_op.drop_column("removed_reason")
        batch_op.drop_column("removed_by_id")
        batch_op.drop_column("removed_at")
    op.execute("DELETE FROM suggestion WHERE decision = 'pending'")
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.drop_index("ix_suggestion_group")
        batch_op.drop_constraint(op.f("ck_suggestion_decision"), type_="check")
        batch_op.create_check_constraint(op.f("ck_suggestion_decision"), "decision IN ('accepted', 'dismissed')")
        batch_op.alter_column("decided_at", existing_type=sa.DateTime(), nullable=False)
        batch_op.drop_column("group_key")
