"""station set-up: retired teams, assisting staff, duty titles, first-log-in password change

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05

A station is set up and run by its administrator: teams are retired rather than deleted (their
records keep the name), an officer keeps the duty title of the roster (职务) and 辅警 are marked as
assisting staff who can never be the responsible officer, and an account created with a one-time
password must change it at its first log-in. New columns with defaults; no data changes.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: Union[str, Sequence[str], None] = "0008"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("team") as batch:
        batch.add_column(sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table("officer") as batch:
        batch.add_column(sa.Column("duty", sa.String(length=20), nullable=False, server_default=""))
        batch.add_column(sa.Column("auxiliary", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("account") as batch:
        batch.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("account") as batch:
        batch.drop_column("must_change_password")
    with op.batch_alter_table("officer") as batch:
        batch.drop_column("auxiliary")
        batch.drop_column("duty")
    with op.batch_alter_table("team") as batch:
        batch.drop_column("active")
