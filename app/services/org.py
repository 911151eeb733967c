"""The station, its teams and officers: set up and changed by the administrator, read by every view."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.domain.levels import ROLE_NAMES
from app.domain.permissions import authorize
from app.domain.rules import Actor, require_text
from app.errors import NotFound, RuleViolation, ValidationError
from app.services import Changes, audit
from app.store import Store
from models import Officer, Station, Team

ORG_CODE_RE = re.compile(r"^[0-9]{12}\Z")


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
    duty: str = ""
    auxiliary: bool = False
    phone: str = ""
    active: bool = True


def init_station(db: Store, name: str, code: str = "", branch_name: str = "", is_demo: bool = False) -> int:
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


def station_info(db: Store) -> StationInfo | None:
    with db.read() as session:
        st = session.scalars(select(Station).order_by(Station.id)).first()
        if st is None:
            return None
        return StationInfo(st.id, st.uuid, st.code, st.name, st.branch_name, st.is_demo)


def _station(session) -> Station:
    st = session.scalars(select(Station).order_by(Station.id)).first()
    if st is None:
        raise NotFound("数据库中没有派出所信息", "the database has no station")
    return st


def _authorize(actor: Actor | None, action: str) -> None:
    """`actor=None` is the system itself (init, the demo, fixtures); every person is checked."""
    if actor is not None:
        authorize(actor, action)


def validate_org_code(code: str) -> str:
    """The station's 12-digit organisation code (机构代码), digits only."""
    text = (code or "").strip()
    if not ORG_CODE_RE.match(text):
        raise ValidationError(f"机构代码应为12位数字：{text[:20]}",
                              f"the organisation code is 12 digits: {text[:20]}", "code")
    return text


def update_station(db: Store, actor: Actor, *, name: str | None = None, code: str | None = None,
                   branch_name: str | None = None) -> Changes:
    """Change the station's name, organisation code or branch office (administrator)."""
    authorize(actor, "manage_station")
    values = {}
    if name is not None:
        values["name"] = _bounded(require_text(name, "派出所名称", "the station name", "name"), 100, "派出所名称",
                                  "the station name", "name")
    if code is not None:
        values["code"] = validate_org_code(code)
    if branch_name is not None:
        values["branch_name"] = _bounded(branch_name.strip(), 100, "分局名称", "the branch office", "branch_name")
    with db.write(actor, "update_station") as session:
        st = _station(session)
        for key, value in values.items():
            setattr(st, key, value)
    return Changes(organisation=True)


def _bounded(text: str, limit: int, zh: str, en: str, field: str) -> str:
    if len(text) > limit or any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
        raise ValidationError(f"{zh}过长或含控制字符（最多{limit}字）",
                              f"{en} is too long or holds control characters (at most {limit})", field)
    return text


def _team_name(name: str) -> str:
    return _bounded(require_text(name, "队组名称", "the team name", "team"), 50, "队组名称", "the team name", "team")


def add_team(db: Store, name: str, *, actor: Actor | None = None) -> int:
    """A new team of the station (administrator; `actor=None` only for the system's own set-up)."""
    _authorize(actor, "manage_org")
    team_name = _team_name(name)
    with db.write(actor, "add_team") as session:
        st = _station(session)
        if session.scalar(select(Team.id).where(Team.station_id == st.id, Team.name == team_name)):
            raise ValidationError(f"队组已存在：{team_name}", f"team already exists: {team_name}", "team")
        t = Team(station_id=st.id, name=team_name)
        session.add(t)
        session.flush()
        return t.id


def _get_team(session, team_id: int) -> Team:
    t = session.get(Team, team_id)
    if t is None:
        raise ValidationError(f"队组不存在：{team_id}", f"no such team: {team_id}", "team_id")
    return t


def team_id_by_name(db: Store, name: str) -> int:
    """The id of an active team named `name` (the command line names teams)."""
    with db.read() as session:
        tid = session.scalar(select(Team.id).where(Team.name == (name or "").strip(), Team.active))
    if tid is None:
        raise ValidationError(f"队组不存在：{name}", f"no such team: {name}", "team")
    return tid


def rename_team(db: Store, actor: Actor, team_id: int, name: str) -> Changes:
    authorize(actor, "manage_org")
    team_name = _team_name(name)
    with db.write(actor, "rename_team") as session:
        t = _get_team(session, team_id)
        if session.scalar(select(Team.id).where(Team.station_id == t.station_id, Team.name == team_name,
                                                Team.id != t.id)):
            raise ValidationError(f"队组已存在：{team_name}", f"team already exists: {team_name}", "team")
        t.name = team_name
    return Changes(organisation=True)


def retire_team(db: Store, actor: Actor, team_id: int) -> Changes:
    """Retire (撤销) a team once nobody active is in it; its records keep the name."""
    authorize(actor, "manage_org")
    with db.write(actor, "retire_team") as session:
        t = _get_team(session, team_id)
        if not t.active:
            raise ValidationError(f"队组已撤销：{t.name}", f"the team is already retired: {t.name}", "team_id")
        people = session.scalars(select(Officer.name).where(Officer.team_id == t.id, Officer.active)).all()
        if people:
            raise RuleViolation(f"队组“{t.name}”还有{len(people)}名在岗人员（{'、'.join(people[:5])}），请先调整",
                                f"the team {t.name} still has {len(people)} active people; move them first",
                                "team_id")
        t.active = False
    return Changes(organisation=True)


def add_officer(db: Store, name: str, role: str, team_id: int | None = None, badge_no: str = "", *,
                actor: Actor | None = None, duty: str = "", auxiliary: bool = False, phone: str = "") -> int:
    """A person of the station. `auxiliary` marks assisting staff (辅警), who keep the officer role
    but can never be a record's responsible officer. Badge numbers are unique among active people."""
    _authorize(actor, "manage_org")
    officer_name = _bounded(require_text(name, "姓名", "the name", "name"), 50, "姓名", "the name", "name")
    if role not in ROLE_NAMES:
        raise ValidationError(f"职责无效：{role}", f"role must be one of {', '.join(ROLE_NAMES)}: {role}", "role")
    if auxiliary and role != "officer":
        raise ValidationError("辅警只能是民警职责", "assisting staff (辅警) take the officer role", "role")
    badge = _bounded((badge_no or "").strip(), 20, "警号", "the badge number", "badge_no")
    duty_text = _bounded((duty or "").strip(), 20, "职务", "the duty title", "duty")
    mobile = (phone or "").strip()
    if mobile:
        from app.domain.identity import normalise_mobile

        mobile = normalise_mobile(mobile)
    with db.write(actor, "add_officer") as session:
        st = _station(session)
        if team_id is not None and not _get_team(session, team_id).active:
            raise ValidationError(f"队组已撤销：{team_id}", f"the team is retired: {team_id}", "team_id")
        if badge and session.scalar(select(Officer.name).where(Officer.badge_no == badge, Officer.active)):
            raise ValidationError(f"警号重复：{badge}", f"the badge number is taken: {badge}", "badge_no")
        o = Officer(station_id=st.id, team_id=team_id, name=officer_name, role=role, badge_no=badge,
                    duty=duty_text, auxiliary=auxiliary, phone=mobile)
        session.add(o)
        session.flush()
        return o.id


def officer_id_by_name(db: Store, name: str) -> int:
    """The id of the one active person called `name` (or with that badge number)."""
    key = (name or "").strip()
    with db.read() as session:
        ids = session.scalars(select(Officer.id).where(Officer.active, Officer.name == key)).all() or \
            session.scalars(select(Officer.id).where(Officer.active, Officer.badge_no == key)).all()
    if not ids:
        raise ValidationError(f"民警不存在：{key}", f"no such officer: {key}", "officer")
    if len(ids) > 1:
        raise ValidationError(f"有{len(ids)}名同名人员：{key}，请用警号", f"{len(ids)} people are called {key}; "
                              "give the badge number", "officer")
    return ids[0]


def _responsible_officer(session, officer_id: int) -> Officer:
    o = session.get(Officer, officer_id)
    if o is None or not o.active:
        raise ValidationError(f"民警不存在或已离岗：{officer_id}", f"no such active officer: {officer_id}", "officer")
    return o


def _team_leader_of(session, team_id: int | None) -> int | None:
    if team_id is None:
        return None
    return session.scalar(select(Officer.id).where(Officer.team_id == team_id, Officer.role == "team_leader",
                                                   Officer.active).order_by(Officer.id))


def move_officer(db: Store, actor: Actor, officer_id: int, team_id: int | None) -> Changes:
    """Move a person to another team. The open records they are responsible for go with them
    (民警包案): the record's team and team leader become the new team's."""
    authorize(actor, "manage_org")
    from app.services.records import MODELS

    moved = []
    with db.write(actor, "move_officer") as session:
        o = _responsible_officer(session, officer_id)
        if team_id is not None and not _get_team(session, team_id).active:
            raise ValidationError(f"队组已撤销：{team_id}", f"the team is retired: {team_id}", "team_id")
        if o.team_id == team_id:
            raise ValidationError("已在该队组", "already in that team", "team_id")
        old_team = o.team_id
        o.team_id = team_id
        session.flush()
        if o.role == "team_leader":  # their old team's records need that team's leader, not them
            successor = _team_leader_of(session, old_team)
            for module, model in MODELS.items():
                for rec in session.scalars(select(model).where(
                        model.team_leader_id == o.id, model.officer_id != o.id, model.status == "active")):
                    if successor is None:
                        raise RuleViolation(f"{o.name}仍是原队组在办记录的队长：请先为原队组添加队长",
                                            f"{o.name} is still team leader of open records of the old team; "
                                            "add a team leader there first", "team_id")
                    rec.team_leader_id = successor
                    moved.append((module.value, rec.id))
        leader = _team_leader_of(session, team_id)
        for module, model in MODELS.items():
            for rec in session.scalars(select(model).where(model.officer_id == o.id, model.status == "active")):
                rec.team_id = team_id
                if leader is not None and o.role != "team_leader":
                    rec.team_leader_id = leader
                elif o.role == "team_leader":
                    rec.team_leader_id = o.id
                moved.append((module.value, rec.id))
    return Changes.of(*moved) if moved else Changes(organisation=True)


@dataclass(frozen=True)
class OpenRecord:
    """A record still in work that names a person in one of its three responsibility slots."""

    module: str
    id: int
    label: str
    level: str
    slot: str  # officer_id / team_leader_id / leader_id


def open_records_of(db: Store, officer_id: int) -> list[OpenRecord]:
    """The records in work (not green, voided or converted) where the person is responsible."""
    from app.services.records import MODELS

    with db.read() as session:
        return _open_records(session, MODELS, officer_id)


def _open_records(session, models, officer_id: int) -> list[OpenRecord]:
    out = []
    labels = {"case": "case_no", "dispute": "dispute_no", "person": "name"}
    for module, model in models.items():
        for slot in ("officer_id", "team_leader_id", "leader_id"):
            col = getattr(model, slot)
            for rid, label, level in session.execute(
                    select(model.id, getattr(model, labels[module.value]), model.level)
                    .where(col == officer_id, model.status == "active").order_by(model.id)):
                out.append(OpenRecord(module.value, rid, label, level, slot))
    return out


def retire_officer(db: Store, actor: Actor, officer_id: int, to_officer_id: int | None = None,
                   assignments: dict[tuple[str, int], int] | None = None) -> Changes:
    """Retire a person (调离/退休) in one audited transaction: every open record where they are
    responsible goes to a successor, the one given for that record in `assignments`
    ((module, record id) → officer id) or else `to_officer_id`. The successor must be active and
    fit the slot: a station leader for 所领导, a team leader for 队长, a non-assisting person for
    the responsible officer. Their accounts are disabled and lose their key entries."""
    authorize(actor, "manage_org")
    from app.services.records import MODELS

    picks = dict(assignments or {})
    moved: list[tuple[str, int]] = []
    with db.write(actor, "retire_officer") as session:
        o = _responsible_officer(session, officer_id)
        models = {m.value: model for m, model in MODELS.items()}
        for rec in _open_records(session, MODELS, o.id):
            to = picks.get((rec.module, rec.id), to_officer_id)
            if to is None:
                raise ValidationError(f"须为{_MODULE_ZH[rec.module]}“{rec.label}”指定接手人",
                                      f"pick who takes over {rec.module} {rec.label}", "to")
            if to == o.id:
                raise ValidationError("接手人不能是离岗人员本人", "the successor cannot be the person leaving", "to")
            succ = _responsible_officer(session, to)
            need = {"officer_id": None, "team_leader_id": "team_leader", "leader_id": "leader"}[rec.slot]
            if need is not None and succ.role != need:
                zh, en = ROLE_NAMES[need]
                raise ValidationError(f"{succ.name}不是{zh}，不能接手“{rec.label}”的{zh}职责",
                                      f"{succ.name} is not a {en.lower()}; cannot take over {rec.label}", "to")
            if need is None and succ.auxiliary:
                raise ValidationError(f"辅警{succ.name}不能担任责任民警", f"assisting staff {succ.name} cannot be "
                                      "the responsible officer", "to")
            row = session.get(models[rec.module], rec.id)
            setattr(row, rec.slot, succ.id)
            if rec.slot == "officer_id" and succ.team_id != row.team_id:
                row.team_id = succ.team_id
                row.team_leader_id = _team_leader_of(session, succ.team_id) or row.team_leader_id
            moved.append((rec.module, rec.id))
            audit.append_event(session, actor, "reassign", rec.module, row.uuid,
                               {rec.slot: [o.name, succ.name], "label": rec.label})
        o.active = False
        from app.services.accounts import disable_linked_accounts

        disable_linked_accounts(db, session, o.id)
    return Changes.of(*moved) if moved else Changes(organisation=True)


_MODULE_ZH = {"case": "案件", "dispute": "纠纷", "person": "重点人员"}


def list_officers(db: Store, include_retired: bool = False) -> list[OfficerRow]:
    with db.read() as session:
        teams = dict(session.execute(select(Team.id, Team.name)).all())
        q = select(Officer).order_by(Officer.id)
        if not include_retired:
            q = q.where(Officer.active)
        return [OfficerRow(o.id, o.name, o.role, o.team_id, teams.get(o.team_id, ""), o.badge_no, o.duty,
                           o.auxiliary, o.phone, o.active) for o in session.scalars(q)]


def list_teams(db: Store, include_retired: bool = False) -> list[tuple[int, str]]:
    with db.read() as session:
        q = select(Team.id, Team.name).order_by(Team.id)
        if not include_retired:
            q = q.where(Team.active)
        return [tuple(r) for r in session.execute(q).all()]


@dataclass(frozen=True)
class TeamRow:
    id: int
    name: str
    active: bool
    people: int
    team_leader: str


def team_rows(db: Store) -> list[TeamRow]:
    """Every team, retired ones too, with its head count and team leader (the administration list)."""
    with db.read() as session:
        out = []
        for t in session.scalars(select(Team).order_by(Team.id)):
            names = session.execute(select(Officer.name, Officer.role).where(
                Officer.team_id == t.id, Officer.active).order_by(Officer.id)).all()
            out.append(TeamRow(t.id, t.name, t.active, len(names),
                               "、".join(n for n, r in names if r == "team_leader")))
        return out


def actor_for(db: Store, officer_id: int) -> Actor:
    with db.read() as session:
        o = session.get(Officer, officer_id)
        if o is None:
            raise NotFound(f"民警不存在：{officer_id}", f"no such officer: {officer_id}")
        return Actor(o.id, o.name, o.role, o.station_id, o.team_id)


def default_actor(db: Store) -> Actor:
    """The station leader, until accounts and log-in decide who is at the keyboard."""
    with db.read() as session:
        o = session.scalars(select(Officer).where(Officer.role == "leader").order_by(Officer.id)).first()
        if o is None:
            st = session.scalars(select(Station).order_by(Station.id)).first()
            return Actor(None, "系统", "leader", st.id if st else None)
        return Actor(o.id, o.name, o.role, o.station_id, o.team_id)
