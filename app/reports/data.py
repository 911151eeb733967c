"""The report pack's queries (Qt-free, Core selects): record labels and people, level changes, officers and teams."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterable

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from app.domain.levels import CASE_KIND_NAMES, DISPUTE_CATEGORY_NAMES, PERSON_RISK_CATEGORIES, Module
from app.services.stats import MODELS, not_marker
from app.services.tables import id_in, is_postgresql
from app.store import Store
from models import Case, Dispute, LevelChange, Officer, Person, Setting, Station, Team

MAIN_DATE = {Module.CASE: Case.accepted_on, Module.DISPUTE: Dispute.found_on, Module.PERSON: Person.listed_on}


@dataclass(frozen=True)
class RecordInfo:
    id: int
    module: Module
    label: str  # case number, dispute number, or the key person's name
    category: str
    summary: str
    opened_on: date
    officer_id: int | None
    team_id: int | None
    officer: str
    team: str
    team_leader: str
    leader: str
    #: The owning station's name (a branch's lists name it: several stations' records).
    station: str = ""
    #: The team leader (队长) and the station leader (所领导包责) the record names.
    team_leader_id: int | None = None
    leader_id: int | None = None


@dataclass(frozen=True)
class Scope:
    """Whose data the reports count: one station, or at a branch office every station it holds."""

    branch: bool
    name: str          # the station's name, or the branch's
    stations: int


def scope(db: Store) -> Scope:
    """A branch database (it holds the branch's key) sums over all its stations; a station's
    database has exactly one station."""

    with db.read() as session:
        n = session.scalar(select(func.count()).select_from(Station)) or 0
        if db.is_branch():
            name = session.scalar(select(Setting.value).where(Setting.key == "branch.name")) or ""
            return Scope(True, name, int(n))
        first = session.scalar(select(Station.name).order_by(Station.id))
    return Scope(False, first or "", int(n))


def _category(module: Module, row) -> str:
    if module == Module.CASE:
        kind = CASE_KIND_NAMES.get(row.kind, (row.kind,))[0]
        return f"{kind}·{row.cause}" if row.cause else kind
    if module == Module.DISPUTE:
        return DISPUTE_CATEGORY_NAMES.get(row.category, (row.category,))[0]
    return "、".join(PERSON_RISK_CATEGORIES[c][0] for c in (row.risk_categories or "").split(",")
                    if c in PERSON_RISK_CATEGORIES)


def record_info(db: Store, module: Module, ids: Iterable[int]) -> dict[int, RecordInfo]:
    """Labels and the three responsible people of `ids`, one SELECT per module (ids as one parameter)."""
    ids = list(ids)
    if not ids:
        return {}
    model = MODELS[module]
    officer, team_leader, leader = aliased(Officer), aliased(Officer), aliased(Officer)
    extra = {Module.CASE: (Case.case_no.label("label"), Case.kind, Case.cause),
             Module.DISPUTE: (Dispute.dispute_no.label("label"), Dispute.category),
             Module.PERSON: (Person.name.label("label"), Person.risk_categories)}[module]
    stmt = (select(model.id, model.summary, MAIN_DATE[module].label("opened_on"), model.officer_id, model.team_id,
                   model.team_leader_id, model.leader_id,
                   officer.name.label("officer"), team_leader.name.label("team_leader"),
                   leader.name.label("leader"), Team.name.label("team"), Station.name.label("station"), *extra)
            .outerjoin(officer, officer.id == model.officer_id)
            .outerjoin(team_leader, team_leader.id == model.team_leader_id)
            .outerjoin(leader, leader.id == model.leader_id)
            .outerjoin(Team, Team.id == model.team_id)
            .outerjoin(Station, Station.id == model.station_id)
            .where(id_in(model.id, ids, is_postgresql(db))))
    out = {}
    with db.read() as session:
        for r in session.execute(stmt):
            out[r.id] = RecordInfo(r.id, module, r.label, _category(module, r), (r.summary or "").replace("\n", " "),
                                   r.opened_on, r.officer_id, r.team_id, r.officer or "", r.team or "",
                                   r.team_leader or "", r.leader or "", r.station or "", r.team_leader_id,
                                   r.leader_id)
    return out


@dataclass(frozen=True)
class LevelMove:
    module: Module
    record_id: int
    at: datetime
    from_level: str | None
    to_level: str
    reason: str
    by: str


def level_moves(db: Store, start: date, end: date) -> list[LevelMove]:
    """Real level changes (not creations, voids or conversions) made from `start` to `end` inclusive."""
    lc = LevelChange
    stmt = (select(lc.module, lc.record_id, lc.changed_at, lc.from_level, lc.to_level, lc.reason, Officer.name)
            .outerjoin(Officer, Officer.id == lc.officer_id)
            .where(lc.changed_at >= datetime.combine(start, time()),
                   lc.changed_at < datetime.combine(end + timedelta(days=1), time()),
                   lc.from_level.is_not(None), lc.from_level != lc.to_level, not_marker())
            .order_by(lc.changed_at, lc.id))
    with db.read() as session:
        return [LevelMove(Module(m), rid, at, f, t, reason or "", by or "")
                for m, rid, at, f, t, reason, by in session.execute(stmt)]


def opened_ids(db: Store, module: Module, start: date, end: date, known_end: date) -> list[int]:
    """Records whose main date (accepted / found / listed) is in [start, end], as known at `known_end`."""
    from app.services.stats import end_of, known_at

    model = MODELS[module]
    col = MAIN_DATE[module]
    with db.read() as session:
        return list(session.scalars(select(model.id).where(
            and_(col >= start, col <= end), *known_at(model, end_of(known_end))).order_by(col, model.id)))


@dataclass(frozen=True)
class StaffRow:
    id: int
    name: str
    role: str
    team_id: int | None
    team: str
    station: str = ""


def officers(db: Store) -> list[StaffRow]:
    """Every officer of the station with the team's name, team by team (at a branch: station by
    station, then team by team)."""
    stmt = (select(Officer.id, Officer.name, Officer.role, Officer.team_id, Team.name, Station.name)
            .outerjoin(Team, Team.id == Officer.team_id).outerjoin(Station, Station.id == Officer.station_id)
            .order_by(Station.code, Officer.team_id.is_(None), Officer.team_id, Officer.id))
    with db.read() as session:
        return [StaffRow(i, n, r, t, tn or "", sn or "") for i, n, r, t, tn, sn in session.execute(stmt)]


def teams(db: Store, with_station: bool = False) -> list[tuple[int, str]]:
    """(id, name) of every team; `with_station` (a branch) prefixes the station's name, since two
    stations may both have a 社区警务一队."""
    stmt = (select(Team.id, Team.name, Station.name).outerjoin(Station, Station.id == Team.station_id)
            .order_by(Station.code, Team.id))
    with db.read() as session:
        return [(i, f"{sn}·{n}" if with_station and sn else n) for i, n, sn in session.execute(stmt)]


def resolution(db: Store, start: date, end: date, as_of: date):
    """The 化解率 of [start, end] as known at `as_of`: stats.resolution_of, the one definition."""
    from app.services.stats import Window, resolution_of

    with db.read() as session:
        return resolution_of(session, Window(start, end), as_of)


def satisfaction(db: Store, start: date, end: date, as_of: date):
    """The 群众回访满意率 of [start, end] as known at `as_of`: stats.satisfaction_of."""
    from app.services.stats import Window, satisfaction_of

    with db.read() as session:
        return satisfaction_of(session, Window(start, end), as_of)


def solve_rate(db: Store, start: date, end: date, as_of: date):
    """The 破案率 of [start, end] as known at `as_of`: stats.solve_rate_of."""
    from app.services.stats import Window, solve_rate_of

    with db.read() as session:
        return solve_rate_of(session, Window(start, end), as_of)
