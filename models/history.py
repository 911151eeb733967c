"""The closed loop's memory: every level change and every action taken on a record."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import LEVEL_CODES, SCHEMA_MODULES, Base, in_list, new_uuid

ACTION_KINDS = (
    "talk", "visit", "mediation", "investigation", "counselling", "stabilise", "watch", "followup", "other",
)


class LevelChange(Base):
    """A dated, attributed and reasoned change of a record's level (creation has no from_level)."""

    __tablename__ = "level_change"
    __table_args__ = (
        CheckConstraint(in_list("module", SCHEMA_MODULES), name="module"),
        CheckConstraint(in_list("to_level", LEVEL_CODES), name="to_level"),
        CheckConstraint("from_level IS NULL OR " + in_list("from_level", LEVEL_CODES), name="from_level"),
        Index("ix_level_change_record", "module", "record_id", "changed_at"),
        Index("ix_level_change_changed", "changed_at"),
        Index("ix_level_change_module_changed", "module", "changed_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uuid)
    module: Mapped[str] = mapped_column(String(8))
    record_id: Mapped[int]
    from_level: Mapped[str | None] = mapped_column(String(6))
    to_level: Mapped[str] = mapped_column(String(6))
    changed_at: Mapped[datetime]
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    reason: Mapped[str] = mapped_column(Text)
    #: The closing outcome required for green (case concluded, mediation done, de-listing assessment).
    outcome: Mapped[str] = mapped_column(Text, default="")


class Action(Base):
    """Work done on a record: a talk, a visit, a mediation session, an investigation step…"""

    __tablename__ = "action"
    __table_args__ = (
        CheckConstraint(in_list("module", SCHEMA_MODULES), name="module"),
        CheckConstraint(in_list("kind", ACTION_KINDS), name="kind"),
        Index("ix_action_record", "module", "record_id", "acted_at"),
        Index("ix_action_module_acted", "module", "acted_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uuid)
    module: Mapped[str] = mapped_column(String(8))
    record_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    acted_at: Mapped[datetime]
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    content: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text, default="")
    next_due: Mapped[date | None]
    recorded_at: Mapped[datetime]
