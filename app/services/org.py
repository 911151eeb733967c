"""The station, its teams and officers: created once, read by every view."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.db import Database
from app.domain.levels import ROLE_NAMES
from app.domain.rules import Actor, require_text
from app.errors import NotFound, ValidationError
from models import Officer, Station, Team


@dataclass(frozen=True)
class StationInfo:
    id: int
    uuid: str
    code: str
    name: str
    branch_name: str
    is_demo: bool


@dataclass(frozen=True)
class OfficerRow:
    id: int
    name: str
    role: str
    team_id: int | None
    team_name: str
    badge_no: str


def init_station(db: Database, name: str, code: str = "", branch_name: str = "", is_demo: bool = False) -> int:
    """Create the station row of an empty database; a database holds one station."""
    station_name = require_text(name, "派出所名称", "the station name", "station")
    with db.write() as session:
        if session.scalar(select(Station.id)) is not None:
            raise ValidationError("数据库中已有派出所", "the database already has a station", "station")
        st = Station(name=station_name, code=code or station_name, branch_name=branch_name, is_demo=is_demo,
                     created_at=datetime.now().replace(microsecond=0))
        session.add(st)
        session.flush()
        return st.id


def station_info(db: Database) -> StationInfo | None:
    with db.read() as session:
        st = session.scalars(select(Station).order_by(Station.id)).first()
        if st is None:
            return None
        return StationInfo(st.id, st.uuid, st.code, st.name, st.branch_name, st.is_demo)


def add_team(db: Database, name: str) -> int:
    team_name = require_text(name, "队组名称", "the team name", "team")
    with db.write() as session:
        st = session.scalars(select(Station).order_by(Station.id)).first()
        if st is None:
            raise NotFound("数据库中没有派出所信息", "the database has no station")
        if session.scalar(select(Team.id).where(Team.station_id == st.id, Team.name == team_name)):
            raise ValidationError(f"队组已存在：{team_name}", f"team already exists: {team_name}", "team")
        t = Team(station_id=st.id, name=team_name)
        session.add(t)
        session.flush()
        return t.id


def add_officer(db: Database, name: str, role: str, team_id: int | None = None, badge_no: str = "") -> int:
    officer_name = require_text(name, "姓名", "the name", "name")
    if role not in ROLE_NAMES:
        raise ValidationError(f"职责无效：{role}", f"role must be one of {', '.join(ROLE_NAMES)}: {role}", "role")
    with db.write() as session:
        st = session.scalars(select(Station).order_by(Station.id)).first()
        if st is None:
            raise NotFound("数据库中没有派出所信息", "the database has no station")
        if team_id is not None and session.get(Team, team_id) is None:
            raise ValidationError(f"队组不存在：{team_id}", f"no such team: {team_id}", "team_id")
        o = Officer(station_id=st.id, team_id=team_id, name=officer_name, role=role, badge_no=badge_no)
        session.add(o)
        session.flush()
        return o.id


def list_officers(db: Database) -> list[OfficerRow]:
    with db.read() as session:
        teams = dict(session.execute(select(Team.id, Team.name)).all())
        return [OfficerRow(o.id, o.name, o.role, o.team_id, teams.get(o.team_id, ""), o.badge_no)
                for o in session.scalars(select(Officer).where(Officer.active).order_by(Officer.id))]


def list_teams(db: Database) -> list[tuple[int, str]]:
    with db.read() as session:
        return [tuple(r) for r in session.execute(select(Team.id, Team.name).order_by(Team.id)).all()]


def actor_for(db: Database, officer_id: int) -> Actor:
    with db.read() as session:
        o = session.get(Officer, officer_id)
        if o is None:
            raise NotFound(f"民警不存在：{officer_id}", f"no such officer: {officer_id}")
        return Actor(o.id, o.name, o.role, o.station_id, o.team_id)


def default_actor(db: Database) -> Actor:
    """The station leader, until accounts and log-in decide who is at the keyboard."""
    with db.read() as session:
        o = session.scalars(select(Officer).where(Officer.role == "leader").order_by(Officer.id)).first()
        if o is None:
            st = session.scalars(select(Station).order_by(Station.id)).first()
            return Actor(None, "系统", "leader", st.id if st else None)
        return Actor(o.id, o.name, o.role, o.station_id, o.team_id)
