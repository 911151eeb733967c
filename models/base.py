"""Declarative base with a naming convention, so Alembic batch mode can drop and recreate constraints."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, MetaData, String
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: The three record modules; the same codes are used in history rows, links and settings.
SCHEMA_MODULES = ("case", "dispute", "person")
LEVEL_CODES = ("red", "orange", "yellow", "green")
STATUS_CODES = ("active", "closed", "converted", "voided")


def new_uuid() -> str:
    """A stable record identity that travels in export packages (32 lowercase hex digits)."""
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {str: String(), date: Date(), datetime: DateTime()}


def in_list(column: str, values: tuple[str, ...]) -> str:
    """SQL text of a CHECK constraint that limits a column to a closed list of codes."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"
