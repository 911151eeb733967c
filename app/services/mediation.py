"""融调化解: the station's mediation bodies, who mediated a dispute and the agreement, the
hand-over of a 非公安主责 dispute to another department with its answer, and the 回访 due after
mediation. Every function is one transaction."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.levels import Module
from app.domain.permissions import authorize
from app.domain.rules import Actor, require_text
from app.domain.workflows import ANSWER_DAYS, MEDIATION_BODY_KIND_NAMES, MEDIATION_RESULT_NAMES, answer_overdue, followup_overdue
from app.errors import NotFound, RuleViolation, ValidationError
from app.services.changes import Changes
from app.services.control import bounded_text
from app.services.records import (
    checked_date,
    commit_guard,
    date_order,
    load_record,
    log_action_in,
    not_future,
    now,
    officer_names_in,
    station_of,
)
from app.store import Store
from models import Dispute, Mediation, MediationBody

DEFAULT_BODIES = (("融调解中心", "center"), ("群众工作室", "work_room"), ("人民调解委员会", "committee"),
                  ("司法所", "justice"))


def _dispute(session: Session, dispute_id: int) -> Dispute:
    """The dispute (load_record's checks: it exists, it is this station's)."""
    d = load_record(session, Module.DISPUTE, dispute_id)
    if not isinstance(d, Dispute):  # pragma: no cover - Module.DISPUTE loads a Dispute
        raise NotFound(f"纠纷不存在：{dispute_id}", f"no such dispute: {dispute_id}")
    return d


# -- the station's list ---------------------------------------------------------------------------
@dataclass(frozen=True)
class BodyRow:
    id: int
    name: str
    kind: str
    contact: str
    active: bool
    mediations: int


def add_mediation_body(db: Store, actor: Actor, name: str, kind: str, contact: str = "") -> int:
    """A mediation body the station works with (融调解中心, 群众工作室…)."""
    authorize(actor, "manage_mediation_bodies")
    text = bounded_text(require_text(name, "调解组织名称", "the name", "name"), 100, "名称", "the name", "name")
    if kind not in MEDIATION_BODY_KIND_NAMES:
        raise ValidationError(f"调解组织类型无效：{kind}", f"kind is not one of {', '.join(MEDIATION_BODY_KIND_NAMES)}",
                              "kind")
    with db.write(actor, "add_mediation_body") as session:
        st = station_of(session, actor)
        if session.scalar(select(MediationBody.id).where(MediationBody.station_id == st.id,
                                                         MediationBody.name == text)):
            raise ValidationError(f"调解组织已在名单中：{text}", f"already on the list: {text}", "name")
        body = MediationBody(station_id=st.id, name=text, kind=kind,
                             contact=bounded_text(contact, 100, "联系方式", "the contact", "contact"), active=True)
        session.add(body)
        session.flush()
        return body.id


def set_body_active(db: Store, actor: Actor, body_id: int, active: bool) -> None:
    """Take a body off the list (its mediations keep its name) or put it back."""
    authorize(actor, "manage_mediation_bodies")
    with db.write(actor, "set_mediation_body_active") as session:
        body = session.get(MediationBody, body_id)
        if body is None:
            raise ValidationError(f"调解组织不存在：{body_id}", f"no such mediation body: {body_id}", "body_id")
        body.active = bool(active)


def mediation_bodies(db: Store, include_inactive: bool = False) -> list[BodyRow]:
    from sqlalchemy import func
    with db.read() as session:
        counts = dict(session.execute(select(Mediation.body_id, func.count()).group_by(Mediation.body_id)).all())
        stmt = select(MediationBody).order_by(MediationBody.id)
        if not include_inactive:
            stmt = stmt.where(MediationBody.active.is_(True))
        return [BodyRow(b.id, b.name, b.kind, b.contact, b.active, counts.get(b.id, 0))
                for b in session.scalars(stmt)]


# -- mediation of a dispute ---------------------------------------------------------------------------
@dataclass(frozen=True)
class MediationRow:
    id: int
    held_on: date
    body: str
    mediator: str
    agreement: str
    result: str
    officer: str


@commit_guard  # type: ignore[untyped-decorator, unused-ignore]
def record_mediation(db: Store, actor: Actor, dispute_id: int, *, body_id: int | None, mediator: str,
                     agreement: str, result: str = "agreed", held_on: date | str | None = None) -> Changes:
    """Who mediated a dispute (which body, which mediator), on what day, and the agreement. It is
    also a mediation session in the dispute's history (and restarts its follow-up cadence)."""
    if result not in MEDIATION_RESULT_NAMES:
        raise ValidationError(f"调解结果无效：{result}", f"result is not one of {', '.join(MEDIATION_RESULT_NAMES)}",
                              "result")
    who = bounded_text(require_text(mediator, "调解人", "the mediator", "mediator"), 100, "调解人", "the mediator", "mediator")
    text = bounded_text(agreement, 4000, "调解协议", "the agreement", "agreement")
    if result != "failed" and not text:
        raise ValidationError("达成协议须填写协议内容", "an agreement needs its content", "agreement")
    day = checked_date(held_on, "调解日期", "the mediation date", "held_on") or date.today()
    not_future(day, "调解日期", "the mediation date", "held_on")
    with db.write(actor, "record_mediation") as session:
        d = _dispute(session, dispute_id)
        authorize(actor, "mediate", d)
        date_order(d.found_on, day, "调解日期不能早于发现日期", "the mediation is before the dispute was found", "held_on")
        body = None
        if body_id is not None:
            body = session.get(MediationBody, body_id)
            if body is None or body.station_id != d.station_id:
                raise ValidationError(f"调解组织不存在：{body_id}", f"no such mediation body: {body_id}", "body_id")
            if not body.active:
                raise ValidationError(f"调解组织已停用：{body.name}", f"the mediation body is retired: {body.name}",
                                      "body_id")
        content = f"{body.name if body else '派出所'}·{who}调解：{MEDIATION_RESULT_NAMES[result][0]}"
        log_action_in(session, actor, Module.DISPUTE, dispute_id, "mediation", content, text[:500], acted_on=day)
        session.add(Mediation(dispute_id=d.id, body_id=body.id if body else None, held_on=day, mediator=who,
                              agreement=text, result=result, officer_id=actor.officer_id, recorded_at=now()))
    return Changes.of(("dispute", dispute_id))


def mediations(db: Store, dispute_id: int) -> list[MediationRow]:
    with db.read() as session:
        names = officer_names_in(session)
        bodies: dict[int | None, str] = {i: n for i, n in session.execute(select(MediationBody.id, MediationBody.name))}
        return [MediationRow(m.id, m.held_on, bodies.get(m.body_id, "派出所"), m.mediator, m.agreement, m.result,
                             names.get(m.officer_id, ""))
                for m in session.scalars(select(Mediation).where(Mediation.dispute_id == dispute_id)
                                         .order_by(Mediation.held_on, Mediation.id))]


# -- hand-over to another department ------------------------------------------------------------------
@commit_guard  # type: ignore[untyped-decorator, unused-ignore]
def hand_over(db: Store, actor: Actor, dispute_id: int, department: str, *, handed_on: date | str | None = None,
              answer_due: date | str | None = None, note: str = "") -> Changes:
    """Hand a 非公安主责 dispute over to the department that owns it, with the date its answer is
    due (by default ANSWER_DAYS later). The dispute stays on the station's list until answered
    and mediated: 超期 when the answer is missing past the due date."""
    dept = bounded_text(require_text(department, "移交部门", "the department", "department"), 100, "移交部门",
                 "the department", "department")
    day = checked_date(handed_on, "移交日期", "the hand-over date", "handover_on") or date.today()
    not_future(day, "移交日期", "the hand-over date", "handover_on")
    due = checked_date(answer_due, "答复期限", "the answer due date", "answer_due") or day + timedelta(days=ANSWER_DAYS)
    date_order(day, due, "答复期限不能早于移交日期", "the answer is due before the hand-over", "answer_due")
    with db.write(actor, "hand_over") as session:
        d = _dispute(session, dispute_id)
        authorize(actor, "hand_over", d)
        if d.category != "non_police":
            raise RuleViolation("只有非公安主责类纠纷可以移交其他部门",
                                "only a dispute that is not the police's responsibility is handed over", "category")
        if d.status != "active":
            raise RuleViolation("只有在办的纠纷可以移交", "only an active dispute can be handed over", "status")
        if d.handover_department and d.answered_on is None:
            raise RuleViolation(f"纠纷已移交{d.handover_department}，尚待答复",
                                f"already handed over to {d.handover_department}, awaiting the answer", "department")
        date_order(d.found_on, day, "移交日期不能早于发现日期", "the hand-over is before the dispute was found",
               "handover_on")
        text = f"移交{dept}，答复期限{due.isoformat()}" + (f"：{note.strip()}" if (note or "").strip() else "")
        log_action_in(session, actor, Module.DISPUTE, dispute_id, "other", text[:2000], acted_on=day, next_due=due)
        d.handover_department, d.handover_on, d.answer_due = dept, day, due
        d.answer, d.answered_on = "", None
    return Changes.of(("dispute", dispute_id))


@commit_guard  # type: ignore[untyped-decorator, unused-ignore]
def record_answer(db: Store, actor: Actor, dispute_id: int, answer: str,
                  answered_on: date | str | None = None) -> Changes:
    """The department's answer to a hand-over."""
    text = bounded_text(require_text(answer, "答复内容", "the answer", "answer"), 4000, "答复内容", "the answer", "answer")
    day = checked_date(answered_on, "答复日期", "the answer date", "answered_on") or date.today()
    not_future(day, "答复日期", "the answer date", "answered_on")
    with db.write(actor, "record_answer") as session:
        d = _dispute(session, dispute_id)
        authorize(actor, "hand_over", d)
        if not d.handover_department:
            raise RuleViolation("该纠纷没有移交其他部门", "the dispute was not handed over", "department")
        if d.answered_on is not None:
            raise RuleViolation(f"已于{d.answered_on}答复", f"already answered on {d.answered_on}", "answered_on")
        date_order(d.handover_on, day, "答复日期不能早于移交日期", "the answer is before the hand-over", "answered_on")
        if d.status == "active":
            log_action_in(session, actor, Module.DISPUTE, dispute_id, "other",
                        f"{d.handover_department}答复：{text}"[:2000], acted_on=day)
        d.answer, d.answered_on = text, day
    return Changes.of(("dispute", dispute_id))


# -- lists for the briefing and the statistics -----------------------------------------------------------
@dataclass(frozen=True)
class DueRow:
    dispute_id: int
    dispute_no: str
    parties: str
    level: str
    due: date
    detail: str
    officer: str


def overdue_answers(db: Store, today: date | None = None) -> list[DueRow]:
    """Hand-overs whose department has not answered by the due date (超期)."""
    day = today or date.today()
    with db.read() as session:
        names = officer_names_in(session)
        rows = session.scalars(select(Dispute).where(Dispute.answer_due < day, Dispute.answered_on.is_(None),
                                                     Dispute.status != "voided").order_by(Dispute.answer_due))
        return [DueRow(d.id, d.dispute_no, d.parties, d.level, d.answer_due, d.handover_department,
                       names.get(d.officer_id, "")) for d in rows
                if d.answer_due is not None and answer_overdue(d.answer_due, d.answered_on, d.status, day)]


def followups_due(db: Store, today: date | None = None, within_days: int = 0) -> list[DueRow]:
    """Mediated disputes whose 回访 is due by `today + within_days` and not yet made; overdue ones
    (due before today) first."""
    day = today or date.today()
    with db.read() as session:
        names = officer_names_in(session)
        rows = session.scalars(select(Dispute).where(
            Dispute.followup_due <= day + timedelta(days=within_days), Dispute.followed_up_on.is_(None),
            Dispute.status == "closed").order_by(Dispute.followup_due, Dispute.id))
        return [DueRow(d.id, d.dispute_no, d.parties, d.level, d.followup_due,
                       "超期" if followup_overdue(d.followup_due, d.followed_up_on, day) else "",
                       names.get(d.officer_id, "")) for d in rows if d.followup_due is not None]


def ensure_default_bodies(db: Store, actor: Actor) -> int:
    """Put the seed's four kinds of body on an empty list (a new station's first run)."""
    if mediation_bodies(db, include_inactive=True):
        return 0
    for name, kind in DEFAULT_BODIES:
        add_mediation_body(db, actor, name, kind)
    return len(DEFAULT_BODIES)
