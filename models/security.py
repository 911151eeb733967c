"""Accounts that log in, and the append-only, hash-chained audit trail."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, in_list, new_uuid

ACCOUNT_ROLES = ("admin", "leader", "team_leader", "officer", "analyst")


class Account(Base):
    """A person who logs in: a role, optionally the officer they are, and an Argon2id hash."""

    __tablename__ = "account"
    __table_args__ = (CheckConstraint(in_list("role", ACCOUNT_ROLES), name="role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uuid)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(50), default="")
    role: Mapped[str] = mapped_column(String(12))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    last_login_at: Mapped[datetime | None]
    #: Set when the administrator gave a one-time password: the owner changes it at first log-in.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())


class AuditEntry(Base):
    """One attributed event. Each row's hash covers its content and the previous row's hash, so
    an edited, deleted, inserted or reordered row breaks the chain (`python -m app check`)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_record", "module", "record_uuid"),
    )
    seq: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    account: Mapped[str] = mapped_column(String(50), default="")
    officer_id: Mapped[int | None]
    role: Mapped[str] = mapped_column(String(12), default="")
    action: Mapped[str] = mapped_column(String(40))
    module: Mapped[str] = mapped_column(String(20), default="")
    record_uuid: Mapped[str] = mapped_column(String(32), default="")
    #: JSON: the before and after of each changed field, or the event's particulars.
    detail: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
