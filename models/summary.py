"""The maintained daily summary behind every statistic and trend (issue 21)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Integer, PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class DailyCount(Base):
    """Per station, module, category, team and level: how the number of records at that level,
    and of those overdue, moves at the end of `day` (+1 / -1 deltas). The running sum up to a
    day is the state at the end of that day exactly as app.services.stats.state_select recounts
    it from the history. ``level`` is a level code, or 'converted' for disputes converted into a
    case (counted apart, never overdue). ``category`` is the case kind or the dispute category
    ('' for key persons); ``team_id`` 0 stands for no team. Every record also counts in the roll-up
    cells (category '*', team -1) that the figures of a whole station read. Written in the same transaction as
    every change of a record (app.services.daily_counts), rebuilt after bulk loads."""

    __tablename__ = "daily_counts"
    __table_args__ = (
        PrimaryKeyConstraint("module", "day", "station_id", "category", "team_id", "level", name="pk_daily_counts"),
        {"sqlite_with_rowid": False},
    )
    module: Mapped[str] = mapped_column(String(8))
    day: Mapped[date]
    station_id: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(16))
    team_id: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(10))
    n: Mapped[int] = mapped_column(Integer, default=0)
    overdue: Mapped[int] = mapped_column(Integer, default=0)


class DailyEvent(Base):
    """Per station, module and category (no team: the headline figures read every team, and a
    team's events are few enough for the recount): dated events (a case solved, filed or concluded, a
    dispute found, mediated or converted, a follow-up visit, a first green…) counted by the day
    they happened (`day`) and the day from which they are known (`known_on`: +1 from the day the
    record was created, or later when the event needs a later fact; -1 from the day it was
    voided). The events of a window as known at the end of day A are the rows with `day` in the
    window and `known_on` <= A: stats' "created by A and not voided by A". ``key`` splits an event
    (the satisfaction code of a visit, the entry level of a first green); ``total`` carries a sum
    (the days from entry to green). Every event also counts in the roll-up cells (category '*')."""

    __tablename__ = "daily_events"
    __table_args__ = (
        PrimaryKeyConstraint("module", "event", "day", "known_on", "station_id", "category", "key",
                             name="pk_daily_events"),
        {"sqlite_with_rowid": False},
    )
    module: Mapped[str] = mapped_column(String(8))
    event: Mapped[str] = mapped_column(String(16))
    day: Mapped[date]
    known_on: Mapped[date]
    station_id: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(12))
    n: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
