"""The seed's working methods: 在管在控 checks and events, risk assessments, mediation and
hand-over of disputes, case series (串并案) and the station's 110 alert log."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import LEVEL_CODES, Base, in_list, new_uuid

CONTROL_STATUSES = ("in_control", "out_of_control", "lost_contact", "away_reported")
CONTROL_ENTRY_KINDS = ("check", "hit", "status")
PERSON_EVENT_KINDS = ("lost_control", "petition", "trouble")
PETITION_TIERS = ("central", "ministry", "province")
MEDIATION_BODY_KINDS = ("center", "work_room", "committee", "justice", "other")
MEDIATION_RESULTS = ("agreed", "partial", "failed")
SERIES_STATUSES = ("active", "solved")


class ControlCheck(Base):
    """One entry of a key person's 在管在控 record: an officer's check, a camera hit (天网) or a
    change of control status; `status` is the control status after it."""

    __tablename__ = "control_check"
    __table_args__ = (
        CheckConstraint(in_list("kind", CONTROL_ENTRY_KINDS), name="kind"),
        CheckConstraint(in_list("status", CONTROL_STATUSES), name="status"),
        Index("ix_control_check_person", "person_id", "checked_at"),
        Index("ix_control_check_checked", "checked_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uuid)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(String(8))
    checked_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(200), default="")
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    status: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime]


class PersonEvent(Base):
    """An event the station counts against 零失控、零非访、零滋事: losing control of a key
    person (失控), a petition outside the rules (非访, with its tier) or causing trouble (滋事)."""

    __tablename__ = "person_event"
    __table_args__ = (
        CheckConstraint(in_list("kind", PERSON_EVENT_KINDS), name="kind"),
        CheckConstraint("tier IS NULL OR " + in_list("tier", PETITION_TIERS), name="tier"),
        Index("ix_person_event_person", "person_id", "occurred_on"),
        Index("ix_person_event_occurred", "occurred_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uuid)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(String(16))
    tier: Mapped[str | None] = mapped_column(String(10))
    occurred_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    recorded_at: Mapped[datetime]


class RiskAssessment(Base):
    """A structured risk assessment kept in the person's file (一人一档): the categories found,
    the level they propose with its reason, and the level the officer confirmed (with the reason
    when it differs)."""

    __tablename__ = "risk_assessment"
    __table_args__ = (
        CheckConstraint(in_list("proposed_level", LEVEL_CODES), name="proposed_level"),
        CheckConstraint(in_list("confirmed_level", LEVEL_CODES), name="confirmed_level"),
        CheckConstraint("petition_tier IS NULL OR " + in_list("petition_tier", PETITION_TIERS), name="petition_tier"),
        CheckConstraint("mental_risk_grade IS NULL OR mental_risk_grade BETWEEN 0 AND 5", name="mental_risk_grade"),
        Index("ix_risk_assessment_person", "person_id", "assessed_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uuid)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    assessed_at: Mapped[datetime]
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    categories: Mapped[str] = mapped_column(String(200), default="")
    mental_risk_grade: Mapped[int | None] = mapped_column(Integer)
    petition_tier: Mapped[str | None] = mapped_column(String(10))
    proposed_level: Mapped[str] = mapped_column(String(6))
    proposed_reason: Mapped[str] = mapped_column(Text, default="")
    confirmed_level: Mapped[str] = mapped_column(String(6))
    override_reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")


class MediationBody(Base):
    """A mediation body the station works with (融调解中心, 群众工作室, 人民调解委员会, 司法所…)."""

    __tablename__ = "mediation_body"
    __table_args__ = (
        CheckConstraint(in_list("kind", MEDIATION_BODY_KINDS), name="kind"),
        UniqueConstraint("station_id", "name", name="uq_mediation_body_station_name"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uuid)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10))
    contact: Mapped[str] = mapped_column(String(100), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Mediation(Base):
    """A mediation of a dispute: which body, who mediated, on what day, and the agreement."""

    __tablename__ = "mediation"
    __table_args__ = (
        CheckConstraint(in_list("result", MEDIATION_RESULTS), name="result"),
        Index("ix_mediation_dispute", "dispute_id", "held_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uuid)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("dispute.id"))
    body_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_body.id"))
    held_on: Mapped[date]
    mediator: Mapped[str] = mapped_column(String(100), default="")
    agreement: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(String(8))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    recorded_at: Mapped[datetime]


class CaseSeries(Base):
    """A series of cases investigated together (串并案), with its lead officer."""

    __tablename__ = "case_series"
    __table_args__ = (
        CheckConstraint(in_list("status", SERIES_STATUSES), name="status"),
        UniqueConstraint("station_id", "name", name="uq_case_series_station_name"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uuid)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"))
    name: Mapped[str] = mapped_column(String(100))
    lead_officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    features: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(8), default="active")
    created_at: Mapped[datetime]
    solved_on: Mapped[date | None]
    solved_note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class SeriesMember(Base):
    """A case grouped into a series (串并): once in, the row stays (the series' history); a case
    taken out is marked removed, with when, by whom and why, and is no longer a member."""

    __tablename__ = "series_member"
    __table_args__ = (
        UniqueConstraint("series_id", "case_id", name="uq_series_member_series_case"),
        Index("ix_series_member_case", "case_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uuid)
    series_id: Mapped[int] = mapped_column(ForeignKey("case_series.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id"))
    added_at: Mapped[datetime]
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    removed_at: Mapped[datetime | None]
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    removed_reason: Mapped[str] = mapped_column(Text, default="", server_default="")


class Alert(Base):
    """One call of the station's 110 alert log (接报警), imported from the alert system; it can
    become a dispute (source 110), the two linked."""

    __tablename__ = "alert"
    __table_args__ = (
        UniqueConstraint("station_id", "alert_no", name="uq_alert_station_alert_no"),
        Index("ix_alert_received", "received_at"),
        Index("ix_alert_address", "address"),
        Index("ix_alert_caller_phone", "caller_phone"),
        Index("ix_alert_dispute", "dispute_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uuid)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"))
    alert_no: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime]
    address: Mapped[str] = mapped_column(String(200), default="")
    caller: Mapped[str] = mapped_column(String(50), default="")
    caller_phone: Mapped[str] = mapped_column(String(20), default="")
    category: Mapped[str] = mapped_column(String(40), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    dispute_id: Mapped[int | None] = mapped_column(ForeignKey("dispute.id"))
    imported_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
