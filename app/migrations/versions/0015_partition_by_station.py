"""A PostgreSQL branch partitioned by station (city scale)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05

On PostgreSQL only: the record tables, their level changes and actions, and the daily summary
become tables partitioned by LIST (station_id), one partition per station made by a trigger when
the station's row arrives (app.store.partitions). Their keys gain station_id; level_change and
action gain a station_id column, filled from their records. SQLite files are unchanged.
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0015"
down_revision: Union[str, Sequence[str], None] = "0014"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    from app.store.partitions import partition_all

    partition_all(op.get_bind())


def downgrade() -> None:
    from app.store.partitions import unpartition_all

    unpartition_all(op.get_bind())
