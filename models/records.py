"""The three record modules (cases, disputes, key persons) and the links between them."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from models.base import LEVEL_CODES, STATUS_CODES, Base, in_list, new_uuid

CASE_KINDS = ("criminal", "administrative")
DISPUTE_CATEGORIES = ("police_primary", "non_police", "assistance")
DISPUTE_SOURCES = ("110", "visit", "walk_in", "referral")
SATISFACTION_CODES = ("satisfied", "basic", "unsatisfied")
SEX_CODES = ("M", "F")
LINK_ROLES = ("party", "suspect", "victim", "involved")


class RecordMixin:
    """What every case, dispute and person carries: identity, level, the three responsible
    people, the follow-up schedule, the closed-loop status and a version for sync and
    stale-edit detection."""

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uuid)
    level: Mapped[str] = mapped_column(String(6))
    status: Mapped[str] = mapped_column(String(10), default="active")
    summary: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    level_changed_at: Mapped[datetime]
    last_activity_on: Mapped[date]
    next_due: Mapped[date | None]
    voided_at: Mapped[datetime | None]
    void_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    @declared_attr
    def station_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("station.id"))

    @declared_attr
    def team_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("team.id"))

    @declared_attr
    def leader_id(cls) -> Mapped[int | None]:
        """Station leader (所领导) who owns the responsibility."""
        return mapped_column(ForeignKey("officer.id"))

    @declared_attr
    def team_leader_id(cls) -> Mapped[int | None]:
        """Team leader (队长)."""
        return mapped_column(ForeignKey("officer.id"))

    @declared_attr
    def officer_id(cls) -> Mapped[int | None]:
        """Responsible officer (民警) who owns the case."""
        return mapped_column(ForeignKey("officer.id"))

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}

    @classmethod
    def common_args(cls, table: str) -> tuple:
        """Constraints and the indexes every filter and sort of the big tables needs."""
        return (
            CheckConstraint(in_list("level", LEVEL_CODES), name="level"),
            CheckConstraint(in_list("status", STATUS_CODES), name="status"),
            Index(f"ix_{table}_station_level", "station_id", "level"),
            Index(f"ix_{table}_status_level", "status", "level"),
            Index(f"ix_{table}_officer", "officer_id"),
            Index(f"ix_{table}_team", "team_id"),
            Index(f"ix_{table}_next_due_state", "next_due", "status", "level"),
            Index(f"ix_{table}_status_next_due", "status", "next_due"),
            Index(f"ix_{table}_team_leader", "team_leader_id"),
            Index(f"ix_{table}_leader", "leader_id"),
            Index(f"ix_{table}_created", "created_at"),
            Index(f"ix_{table}_updated", "updated_at"),
            Index(f"ix_{table}_voided", "voided_at"),
            *(() if table == "dispute" else (owner_state_index(table),)),
            level_rank_index(table),
            search_state_index(table),
        )


#: What the reports count of the active records per owner (trends.active_by_owner), all in one
#: index so that the count reads the index alone (SQLite; migration 0014).
OWNER_STATE_COLUMNS = ("level", "officer_id", "team_id", "team_leader_id", "leader_id", "next_due", "created_at",
                       "voided_at")


def owner_state_index(table: str, *extra: str) -> Index:
    return Index(f"ix_{table}_owner_state", *OWNER_STATE_COLUMNS, *extra).ddl_if(dialect="sqlite")


#: A record's place in the tables' default order (red first), as SQL: the expression of the
#: level-rank index, which a search's first page walks (app.services.tables; SQLite, migration 0016).
#: A query uses the index only if it orders by this very text.
LEVEL_RANK_SQL = ("CASE level " + " ".join(f"WHEN '{code}' THEN {i}" for i, code in enumerate(LEVEL_CODES))
                  + f" ELSE {len(LEVEL_CODES)} END")


#: The orange active cases' columns that 串并 candidates are scored on (app.services.series; SQLite,
#: migration 0020): the candidates are narrowed from this partial index alone. A query uses it
#: only if its WHERE holds SERIES_INDEX_WHERE's terms with these literal values.
SERIES_INDEX_COLUMNS = ("accepted_on", "cause", "place", "case_no")
SERIES_INDEX_WHERE = "level = 'orange' AND status = 'active'"
#: The same cases led by cause and place (migration 0021): a candidate of the same cause and place
#: is read from a range of it, one of close dates from a range of the index above, so a score of
#: two reads the cases near the reference, not all 141,158 orange active cases of a 1M station.
SERIES_CAUSE_INDEX_COLUMNS = ("cause", "place", "accepted_on", "case_no")


#: A record's level, status and due date keyed by its id, for a search's whole list and level cards:
#: the character index gives the matching ids in order and each is looked up here instead of in
#: the wide table row (app.services.tables; SQLite, migration 0020).
SEARCH_STATE_COLUMNS = ("id", "level", "status", "next_due")


def search_state_index(table: str) -> Index:
    return Index(f"ix_{table}_search_state", *SEARCH_STATE_COLUMNS).ddl_if(dialect="sqlite")


def level_rank_index(table: str) -> Index:
    return Index(f"ix_{table}_level_rank", text(LEVEL_RANK_SQL)).ddl_if(dialect="sqlite")


class Case(RecordMixin, Base):
    """A case (案件), entered in full from acceptance (受案) or filing (立案)."""

    __tablename__ = "case_record"
    __table_args__ = RecordMixin.common_args("case_record") + (
        CheckConstraint(in_list("kind", CASE_KINDS), name="kind"),
        UniqueConstraint("station_id", "case_no", name="station_case_no"),
        Index("ix_case_record_accepted", "accepted_on"),
        Index("ix_case_record_solved", "kind", "solved_on"),
        Index("ix_case_record_filed", "kind", "filed_on"),
        Index("ix_case_record_closed", "kind", "closed_on"),
        Index("ix_case_record_source_dispute", "source_dispute_id"),
        Index("ix_case_record_series", *SERIES_INDEX_COLUMNS,
              sqlite_where=text(SERIES_INDEX_WHERE)).ddl_if(dialect="sqlite"),
        Index("ix_case_record_series_cause", *SERIES_CAUSE_INDEX_COLUMNS,
              sqlite_where=text(SERIES_INDEX_WHERE)).ddl_if(dialect="sqlite"),
    )
    case_no: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(40), default="")
    cause: Mapped[str] = mapped_column(String(100), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    accepted_on: Mapped[date]
    filed_on: Mapped[date | None]
    solved_on: Mapped[date | None]
    closed_on: Mapped[date | None]
    source_dispute_id: Mapped[int | None] = mapped_column(ForeignKey("dispute.id"))


class Dispute(RecordMixin, Base):
    """A dispute (矛盾纠纷), from discovery through mediation to follow-up."""

    __tablename__ = "dispute"
    __table_args__ = RecordMixin.common_args("dispute") + (
        CheckConstraint(in_list("category", DISPUTE_CATEGORIES), name="category"),
        CheckConstraint(in_list("source", DISPUTE_SOURCES), name="source"),
        CheckConstraint(
            "satisfaction IS NULL OR " + in_list("satisfaction", SATISFACTION_CODES), name="satisfaction"
        ),
        UniqueConstraint("station_id", "dispute_no", name="station_dispute_no"),
        Index("ix_dispute_found", "found_on"),
        Index("ix_dispute_resolved", "resolved_on"),
        Index("ix_dispute_converted", "converted_at"),
        owner_state_index("dispute", "converted_at"),
        # The report pack's hand-overs waiting for an answer and visits waiting to be made
        # (workflow_figures): the few disputes concerned, from the index alone (SQLite; 0014).
        Index("ix_dispute_answer_wait", "handover_on", "answered_on", "answer_due", "status").ddl_if(dialect="sqlite"),
        Index("ix_dispute_followup_wait", "status", "followup_due", "followed_up_on").ddl_if(dialect="sqlite"),
    )
    dispute_no: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(10))
    focus_area: Mapped[str] = mapped_column(String(20), default="")
    parties: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    community: Mapped[str] = mapped_column(String(50), default="")
    found_on: Mapped[date]
    resolved_on: Mapped[date | None]
    outcome: Mapped[str] = mapped_column(Text, default="")
    satisfaction: Mapped[str | None] = mapped_column(String(12))
    followed_up_on: Mapped[date | None]
    converted_case_id: Mapped[int | None] = mapped_column(ForeignKey("case_record.id", use_alter=True))
    converted_at: Mapped[datetime | None]
    #: A 非公安主责 dispute handed over to another department, and that department's answer.
    handover_department: Mapped[str] = mapped_column(String(100), default="")
    handover_on: Mapped[date | None]
    answer_due: Mapped[date | None]
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_on: Mapped[date | None]
    #: When the follow-up visit (跟踪回访) of a mediated dispute is due.
    followup_due: Mapped[date | None]


class Person(RecordMixin, Base):
    """A key person (重点人员): one file, one plan, one team (一人一档、一人一策、一人一专班)."""

    __tablename__ = "person"
    __table_args__ = RecordMixin.common_args("person") + (
        CheckConstraint("sex IS NULL OR " + in_list("sex", SEX_CODES), name="sex"),
        CheckConstraint(
            "mental_risk_grade IS NULL OR mental_risk_grade BETWEEN 0 AND 5", name="mental_risk_grade"
        ),
        Index("ix_person_id_number", "station_id", "id_number"),
        Index("ix_person_name", "name"),
    )
    name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str | None] = mapped_column(String(18))
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[date | None]
    phone: Mapped[str] = mapped_column(String(20), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    community: Mapped[str] = mapped_column(String(50), default="")
    grid: Mapped[str] = mapped_column(String(50), default="")
    #: Comma-separated risk category codes (see app.domain.levels.PERSON_RISK_CATEGORIES).
    risk_categories: Mapped[str] = mapped_column(String(200), default="")
    control_plan: Mapped[str] = mapped_column(Text, default="")
    mental_risk_grade: Mapped[int | None]
    guardian_name: Mapped[str] = mapped_column(String(50), default="")
    guardian_phone: Mapped[str] = mapped_column(String(20), default="")
    skynet: Mapped[bool] = mapped_column(default=False)
    #: 在管在控 status (models.workflows.CONTROL_STATUSES); its history is in control_check.
    control_status: Mapped[str] = mapped_column(String(16), default="in_control")
    listed_on: Mapped[date]
    delisted_on: Mapped[date | None]
    delist_reason: Mapped[str | None] = mapped_column(Text)


class DedicatedMember(Base):
    """A member of a key person's dedicated team (一人一专班)."""

    __tablename__ = "dedicated_member"
    __table_args__ = (UniqueConstraint("person_id", "officer_id", name="person_officer"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"))
    duty: Mapped[str] = mapped_column(String(50), default="")


class PersonLink(Base):
    """A key person appearing in a case or a dispute."""

    __tablename__ = "person_link"
    __table_args__ = (
        CheckConstraint(in_list("module", ("case", "dispute")), name="module"),
        CheckConstraint(in_list("role", LINK_ROLES), name="role"),
        UniqueConstraint("person_id", "module", "record_id", name="person_record"),
        Index("ix_person_link_record", "module", "record_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uuid)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    module: Mapped[str] = mapped_column(String(8))
    record_id: Mapped[int]
    role: Mapped[str] = mapped_column(String(10), default="party")
    created_at: Mapped[datetime]
