"""The organisation: the station, its teams and officers, and per-station settings."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, in_list, new_uuid

ROLE_CODES = ("leader", "team_leader", "officer")


class Station(Base):
    """A police station (派出所): the unit that owns and writes its records."""

    __tablename__ = "station"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uuid)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    branch_name: Mapped[str] = mapped_column(String(100), default="")
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]

    teams: Mapped[list["Team"]] = relationship(back_populates="station")


class Team(Base):
    """A team (队/组) inside a station, led by a team leader."""

    __tablename__ = "team"
    __table_args__ = (UniqueConstraint("station_id", "name", name="station_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uuid)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    #: A retired team (撤销) keeps its name on old records but takes no new people.
    active: Mapped[bool] = mapped_column(default=True, server_default=true())

    station: Mapped[Station] = relationship(back_populates="teams")


class Officer(Base):
    """A person of the station with one of the three levels of responsibility (三级责任)."""

    __tablename__ = "officer"
    __table_args__ = (CheckConstraint(in_list("role", ROLE_CODES), name="role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uuid)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    badge_no: Mapped[str] = mapped_column(String(20), default="")
    role: Mapped[str] = mapped_column(String(12))
    phone: Mapped[str] = mapped_column(String(20), default="")
    active: Mapped[bool] = mapped_column(default=True)
    #: The duty title of the roster (职务: 所长, 中队长, 民警, 辅警…), kept as written.
    duty: Mapped[str] = mapped_column(String(20), default="", server_default="")
    #: Assisting staff (辅警): they help, but are never the responsible officer of a record.
    auxiliary: Mapped[bool] = mapped_column(default=False, server_default=false())


class Setting(Base):
    """A station setting (e.g. the follow-up cadence per level), stored as typed text."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
