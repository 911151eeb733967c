"""sync packages: station keys, export log, branch trust, import ledger, record origins

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26

Stations sign and encrypt export packages for their branch office (分局); the branch applies
them in any order (docs/sync-format.md). A station uses sync_key, sync_peer and export_log; a
branch uses sync_key, trusted_station, import_ledger, sync_record and station_audit.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: Union[str, Sequence[str], None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "sync_key",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("private_key", sa.LargeBinary(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('station_sign', 'branch_box', 'branch_sign')", name=op.f("ck_sync_key_kind")),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_sync_key")),
    )
    op.create_table(
        "sync_peer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("box_key", sa.LargeBinary(), nullable=False),
        sa.Column("sign_key", sa.LargeBinary(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_peer")),
        sa.UniqueConstraint("uuid", name=op.f("uq_sync_peer_uuid")),
    )
    op.create_table(
        "export_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("export_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("base_seq", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("window_from", sa.DateTime(), nullable=True),
        sa.Column("window_to", sa.DateTime(), nullable=True),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.Column("audit_hash", sa.String(length=64), nullable=False),
        sa.Column("marks", sa.Text(), nullable=False),
        sa.Column("digests", sa.LargeBinary(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("receipt_status", sa.String(length=12), nullable=False),
        sa.Column("receipt_reason", sa.Text(), nullable=False),
        sa.CheckConstraint("state IN ('writing', 'written', 'failed')", name=op.f("ck_export_log_state")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_export_log")),
        sa.UniqueConstraint("export_id", name=op.f("uq_export_log_export_id")),
    )
    op.create_table(
        "trusted_station",
        sa.Column("uuid", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("sign_key", sa.LargeBinary(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_trusted_station")),
    )
    op.create_table(
        "import_ledger",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_uuid", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("export_id", sa.String(length=32), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("base_seq", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.CheckConstraint("status IN ('applied', 'duplicate', 'rejected')", name=op.f("ck_import_ledger_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_ledger")),
    )
    with op.batch_alter_table("import_ledger", schema=None) as batch_op:
        batch_op.create_index("ix_import_ledger_station_seq", ["station_uuid", "seq"], unique=False)
    op.create_table(
        "sync_record",
        sa.Column("uuid", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("station_uuid", sa.String(length=32), nullable=False),
        sa.Column("local_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('station', 'team', 'officer', 'case', 'dispute', 'person')",
                           name=op.f("ck_sync_record_kind")),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_sync_record")),
    )
    with op.batch_alter_table("sync_record", schema=None) as batch_op:
        batch_op.create_index("ix_sync_record_station", ["station_uuid", "kind"], unique=False)
    op.create_table(
        "station_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_uuid", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("account", sa.Text(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("module", sa.Text(), nullable=False),
        sa.Column("record_uuid", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_station_audit")),
        sa.UniqueConstraint("station_uuid", "seq", name="station_seq"),
    )


def downgrade() -> None:
    op.drop_table("station_audit")
    with op.batch_alter_table("sync_record", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_record_station")
    op.drop_table("sync_record")
    with op.batch_alter_table("import_ledger", schema=None) as batch_op:
        batch_op.drop_index("ix_import_ledger_station_seq")
    op.drop_table("import_ledger")
    op.drop_table("trusted_station")
    op.drop_table("export_log")
    op.drop_table("sync_peer")
    op.drop_table("sync_key")
