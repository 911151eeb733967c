"""Cross-module suggestions an officer accepted or dismissed (key-person match, repeated 110 calls)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, in_list, new_uuid

SUGGESTION_KINDS = ("key_person", "repeat_110")
SUGGESTION_DECISIONS = ("pending", "accepted", "dismissed")


class Suggestion(Base):
    """A decided suggestion: which record it was about, what it pointed at, and who decided what.

    Kept so that a dismissed suggestion is not raised again and an accepted one can be traced."""

    __tablename__ = "suggestion"
    __table_args__ = (
        CheckConstraint(in_list("kind", SUGGESTION_KINDS), name="kind"),
        CheckConstraint(in_list("module", ("case", "dispute")), name="module"),
        CheckConstraint(in_list("decision", SUGGESTION_DECISIONS), name="decision"),
        CheckConstraint(
            "other_module IS NULL OR " + in_list("other_module", ("case", "dispute", "person")),
            name="other_module",
        ),
        Index("ix_suggestion_record", "module", "record_id"),
        Index("ix_suggestion_group", "kind", "group_key"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uuid)
    kind: Mapped[str] = mapped_column(String(12))
    module: Mapped[str] = mapped_column(String(8))
    record_id: Mapped[int]
    other_module: Mapped[str | None] = mapped_column(String(8))
    other_record_id: Mapped[int | None]
    decision: Mapped[str] = mapped_column(String(10))
    #: Why it was suggested (human-readable, Chinese), kept as shown to the officer.
    detail: Mapped[str] = mapped_column(Text, default="")
    #: Empty while pending (a repeat-call suggestion an alert import raised, not yet answered).
    decided_at: Mapped[datetime | None]
    #: The repeat group a raised suggestion is about ("address:…" / "caller:…"), raised once.
    group_key: Mapped[str | None] = mapped_column(String(260))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
