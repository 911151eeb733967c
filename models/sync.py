"""Export packages to the branch office (分局): keys, what was sent, what was received and applied."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, in_list

KEY_KINDS = ("station_sign", "branch_box", "branch_sign")
EXPORT_STATES = ("writing", "written", "failed")
LEDGER_STATES = ("applied", "duplicate", "rejected")
SYNC_KINDS = ("station", "team", "officer", "case", "dispute", "person", "mediation_body", "case_series", "alert")


class SyncKey(Base):
    """A private key of this database: the station's signing key, or the branch's identity
    (decryption and receipt-signing keys). Kept inside the database, so a protected database
    keeps it encrypted at rest; only the public half ever leaves."""

    __tablename__ = "sync_key"
    __table_args__ = (CheckConstraint(in_list("kind", KEY_KINDS), name="kind"),)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    private_key: Mapped[bytes] = mapped_column(LargeBinary)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]


class SyncPeer(Base):
    """At a station: the branch office its packages are encrypted for (its public identity)."""

    __tablename__ = "sync_peer"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    box_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_key: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[datetime]


class ExportLog(Base):
    """At a station: one row per package made. The sequence number is taken (and never reused)
    before the file is written; `digests` is the compact state the package brings the branch
    to, the base of the next delta once the branch acknowledges it."""

    __tablename__ = "export_log"
    __table_args__ = (CheckConstraint(in_list("state", EXPORT_STATES), name="state"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    export_id: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(8))  # full / delta
    base_seq: Mapped[int | None]
    state: Mapped[str] = mapped_column(String(8), default="writing")
    created_at: Mapped[datetime]
    window_from: Mapped[datetime | None]
    window_to: Mapped[datetime | None]
    counts: Mapped[str] = mapped_column(Text, default="{}")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    path: Mapped[str] = mapped_column(Text, default="")
    audit_seq: Mapped[int] = mapped_column(Integer, default=0)
    audit_hash: Mapped[str] = mapped_column(String(64), default="")
    #: High-water marks of the append-only tables (level_change, action, person_link) as JSON.
    marks: Mapped[str] = mapped_column(Text, default="{}")
    digests: Mapped[bytes | None] = mapped_column(LargeBinary)
    acknowledged_at: Mapped[datetime | None]
    receipt_status: Mapped[str] = mapped_column(String(12), default="")
    receipt_reason: Mapped[str] = mapped_column(Text, default="")


class TrustedStation(Base):
    """At the branch: a station whose packages it accepts, by its signing public key."""

    __tablename__ = "trusted_station"
    uuid: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), default="")
    name: Mapped[str] = mapped_column(String(100), default="")
    sign_key: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class ImportLedger(Base):
    """At the branch: every package applied (or recognised as a duplicate) per station."""

    __tablename__ = "import_ledger"
    __table_args__ = (
        CheckConstraint(in_list("status", LEDGER_STATES), name="status"),
        Index("ix_import_ledger_station_seq", "station_uuid", "seq"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    station_uuid: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int]
    export_id: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8))
    base_seq: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(32), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]  # when the station made the package
    applied_at: Mapped[datetime]
    counts: Mapped[str] = mapped_column(Text, default="{}")
    #: Records left as they were because the branch already held a newer version.
    skipped: Mapped[int] = mapped_column(Integer, default=0)


class SyncRecord(Base):
    """At the branch: where each travelling entity lives here (uuid -> local id), which station
    owns it, and the (version, package sequence) that last wrote it: the larger pair wins, so
    packages may arrive in any order."""

    __tablename__ = "sync_record"
    __table_args__ = (
        CheckConstraint(in_list("kind", SYNC_KINDS), name="kind"),
        Index("ix_sync_record_station", "station_uuid", "kind"),
    )
    uuid: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    station_uuid: Mapped[str] = mapped_column(String(32))
    local_id: Mapped[int]
    version: Mapped[int]
    seq: Mapped[int]


class StationAudit(Base):
    """At the branch: the stations' own audit trails, row for row with their hashes, so the
    chain can be re-verified here and a rewritten station trail is caught."""

    __tablename__ = "station_audit"
    __table_args__ = (UniqueConstraint("station_uuid", "seq", name="station_seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    station_uuid: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int]
    at: Mapped[datetime]
    account: Mapped[str] = mapped_column(Text, default="")
    officer_id: Mapped[int | None]
    role: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(Text)
    module: Mapped[str] = mapped_column(Text, default="")
    record_uuid: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
