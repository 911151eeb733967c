"""Covering indexes for the reports: active records per owner, answers and visits waiting

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05

The accountability report and the weekly team table count the active (red, orange, yellow)
records per officer, team, team leader and station leader, with those overdue
(app.services.trends.active_by_owner). At a million records a GROUP BY over the record tables
reads every row (0.6 s for the cases); with the level, the four owners, the due date and the
known-at columns in one index it reads the active entries of the index alone (≈0.1 s). The
monthly report's hand-overs waiting for an answer and mediated disputes waiting for their visit
(app.services.workflow_figures) scanned the disputes twice each (≈0.9 s); two small indexes
answer them from the few disputes concerned. SQLite
station files only: a PostgreSQL branch plans its own way (and its schema is partitioned apart).
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0014"
down_revision: Union[str, Sequence[str], None] = "0013"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COLUMNS = ["level", "officer_id", "team_id", "team_leader_id", "leader_id", "next_due", "created_at", "voided_at"]
TABLES = {"case_record": [], "dispute": ["converted_at"], "person": []}
WAITING = {"ix_dispute_answer_wait": ["handover_on", "answered_on", "answer_due", "status"],
           "ix_dispute_followup_wait": ["status", "followup_due", "followed_up_on"]}


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, extra in TABLES.items():
        op.create_index(f"ix_{table}_owner_state", table, COLUMNS + extra, unique=False)
    for name, columns in WAITING.items():
        op.create_index(name, "dispute", columns, unique=False)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in WAITING:
        op.drop_index(name, table_name="dispute")
    for table in TABLES:
        op.drop_index(f"ix_{table}_owner_state", table_name=table)
