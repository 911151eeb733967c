"""The figures of the seed's working methods, one definition each (docs/figures.md): 零失控、
零非访、零滋事 for a window with the events behind any that is not zero; 在管在控 checks overdue;
hand-over answers overdue; 回访 due; the 110 alerts of the window and their repeats. Kept apart
from headline.headline_stats so that each can change on its own; stats --json and the briefing add
them under "workflows"."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Callable

from sqlalchemy import ColumnElement, and_, func, or_, select

from app.domain.levels import Level
from app.domain.workflows import PERSON_EVENT_NAMES, PETITION_TIER_NAMES, REPEAT_ALERT_DAYS, REPEAT_ALERT_MIN
from app.errors import ValidationError
from app.services.settings import load_check_cadence
from app.services.stats import Window, period_windows, ratio
from app.store import Store
from models import Alert, ControlCheck, Dispute, Person, PersonEvent, Station


def _end(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time())


def _of(model: type[Alert] | type[Dispute] | type[Person],
        station_id: int | None) -> tuple[ColumnElement[bool], ...]:
    """The WHERE terms limiting `model` to one station (none: every station in the file)."""
    return () if station_id is None else (model.station_id == station_id,)


@dataclass(frozen=True)
class EventLine:
    """One event behind a figure that is not zero."""

    kind: str
    tier: str | None
    occurred_on: date
    person: str
    level: str
    summary: str


@dataclass(frozen=True)
class ZeroFigures:
    """零失控、零非访、零滋事: the events of each kind whose day falls in the window, as recorded
    by the end of the as-of day, against the key persons listed at some time in the window
    (在管人数, the context the figure is read against). Voided persons' events are not counted."""

    window: Window
    listed: int
    counts: dict[str, int]
    events: tuple[EventLine, ...]

    def zero(self, kind: str) -> bool:
        return self.counts.get(kind, 0) == 0

    def as_dict(self) -> dict[str, Any]:
        return {"window": self.window.as_dict(), "listed": self.listed, "counts": dict(self.counts),
                "zero": {k: self.zero(k) for k in PERSON_EVENT_NAMES},
                "events": [{"kind": e.kind, "tier": e.tier, "occurred_on": e.occurred_on.isoformat(),
                            "level": e.level, "summary": e.summary} for e in self.events]}

    def text_zh(self, period: str = "本期") -> str:
        """本期在管重点人员 331 人，零失控、零非访、零滋事 — or the counts with their events."""
        parts = []
        for kind, (zh, _en) in PERSON_EVENT_NAMES.items():
            n = self.counts.get(kind, 0)
            parts.append(f"零{zh}" if n == 0 else f"{zh} {n} 起")
        text = f"{period}（{self.window.start}至{self.window.end}）在管重点人员 {self.listed} 人，{'、'.join(parts)}"
        if self.events:
            lines = []
            for e in self.events:
                tier = f"（{PETITION_TIER_NAMES[e.tier][0]}）" if e.tier else ""
                lines.append(f"{e.occurred_on} {e.person} {PERSON_EVENT_NAMES[e.kind][0]}{tier}：{e.summary}")
            text += "。其中：" + "；".join(lines)
        return text


def zero_figures(db: Store, window: Window, as_of: date | None = None, *, names: Callable[[str], str] | None = None,
                 station_id: int | None = None) -> ZeroFigures:
    """The 零失控/零非访/零滋事 figure of `window` as known at the end of `as_of` (see ZeroFigures).
    `names(person_name) -> str` masks names for a view that does not unmask. `station_id`: one
    station's figure (a branch holds several); every station in the file when not given."""
    as_of = as_of or date.today()
    end = _end(min(window.end, as_of))
    known = _end(as_of)
    show = names or (lambda n: n)
    with db.read() as session:
        listed = session.scalar(select(func.count()).select_from(Person).where(
            Person.created_at < end, Person.listed_on <= window.end,
            or_(Person.delisted_on.is_(None), Person.delisted_on >= window.start),
            or_(Person.voided_at.is_(None), Person.voided_at >= known), *_of(Person, station_id))) or 0
        rows = session.execute(
            select(PersonEvent.kind, PersonEvent.tier, PersonEvent.occurred_on, Person.name, Person.level,
                   PersonEvent.summary)
            .join(Person, Person.id == PersonEvent.person_id)
            .where(PersonEvent.occurred_on.between(window.start, min(window.end, as_of)),
                   PersonEvent.recorded_at < known, or_(Person.voided_at.is_(None), Person.voided_at >= known),
                   *_of(Person, station_id))
            .order_by(PersonEvent.occurred_on, PersonEvent.id)).all()
    counts = {k: 0 for k in PERSON_EVENT_NAMES}
    events = []
    for kind, tier, day, name, level, summary in rows:
        counts[kind] += 1
        events.append(EventLine(kind, tier, day, show(name), level, summary))
    return ZeroFigures(window, int(listed), counts, tuple(events))


@dataclass(frozen=True)
class DueFigure:
    """A count that should be zero (超期) with what it is out of, as of a moment."""

    overdue: int
    of: int
    as_of: str

    @property
    def share(self) -> float | None:
        return ratio(self.overdue, self.of)

    def as_dict(self) -> dict[str, Any]:
        return {"overdue": self.overdue, "of": self.of, "share": self.share, "as_of": self.as_of}


def checks_overdue(db: Store, at: datetime | None = None, station_id: int | None = None) -> DueFigure:
    """在管在控 checks 超期: listed (active, not green) persons with no check or camera hit within
    their level's cadence (the station's check cadence setting, app.services.settings), out of all
    such persons."""
    at = at or datetime.now().replace(microsecond=0)
    with db.read() as session:
        last = (select(ControlCheck.person_id, func.max(ControlCheck.checked_at).label("last"))
                .where(ControlCheck.kind.in_(("check", "hit")), ControlCheck.checked_at <= at)
                .group_by(ControlCheck.person_id).subquery())
        persons = session.execute(select(Person.level, Person.created_at, last.c.last)
                                  .outerjoin(last, last.c.person_id == Person.id)
                                  .where(Person.status == "active", Person.level != Level.GREEN.value,
                                         Person.created_at <= at, *_of(Person, station_id))).all()
        cadence = load_check_cadence(session)
    overdue = 0
    for level, created, last_check in persons:
        hours = cadence[Level(level)]
        if hours is None:  # a level without a check cadence is never overdue (as check_due)
            continue
        base = last_check if last_check is not None else created
        if isinstance(base, str):
            base = datetime.fromisoformat(base)
        if base + timedelta(hours=hours) < at:
            overdue += 1
    return DueFigure(overdue, len(persons), at.isoformat(sep=" "))


def answers_overdue(db: Store, today: date | None = None, station_id: int | None = None) -> DueFigure:
    """Hand-over answers 超期: disputes handed over whose answer is missing past its due date, out
    of the hand-overs still waiting for an answer."""
    day = today or date.today()
    with db.read() as session:
        waiting = and_(Dispute.handover_on.is_not(None), Dispute.answered_on.is_(None), Dispute.status != "voided",
                       *_of(Dispute, station_id))
        of = session.scalar(select(func.count()).select_from(Dispute).where(waiting)) or 0
        late = session.scalar(select(func.count()).select_from(Dispute).where(waiting, Dispute.answer_due < day)) or 0
    return DueFigure(int(late), int(of), day.isoformat())


def followups_due(db: Store, today: date | None = None, station_id: int | None = None) -> DueFigure:
    """回访 超期: mediated (green) disputes whose follow-up visit was due before today and not
    made, out of the mediated disputes still waiting for their visit."""
    day = today or date.today()
    with db.read() as session:
        waiting = and_(Dispute.followup_due.is_not(None), Dispute.followed_up_on.is_(None), Dispute.status == "closed",
                       *_of(Dispute, station_id))
        of = session.scalar(select(func.count()).select_from(Dispute).where(waiting)) or 0
        late = session.scalar(select(func.count()).select_from(Dispute).where(waiting, Dispute.followup_due < day)) or 0
    return DueFigure(int(late), int(of), day.isoformat())


@dataclass(frozen=True)
class AlertFigures:
    """110 alerts received in the window; of them, turned into disputes; and the addresses and
    callers with at least REPEAT_ALERT_MIN alerts within REPEAT_ALERT_DAYS ending in the window."""

    window: Window
    received: int
    to_disputes: int
    repeated_addresses: int
    repeated_callers: int

    def as_dict(self) -> dict[str, Any]:
        return {"window": self.window.as_dict(), "received": self.received, "to_disputes": self.to_disputes,
                "repeated_addresses": self.repeated_addresses, "repeated_callers": self.repeated_callers,
                "repeat_days": REPEAT_ALERT_DAYS}


def alert_figures(db: Store, window: Window, as_of: date | None = None,
                  station_id: int | None = None) -> AlertFigures:
    from app.services.alerts import repeated

    as_of = as_of or date.today()
    end_day = min(window.end, as_of)
    with db.read() as session:
        received, converted = session.execute(select(
            func.count(), func.count(Alert.dispute_id)).where(
            Alert.received_at >= datetime.combine(window.start, time()), Alert.received_at < _end(end_day),
            *_of(Alert, station_id))).one()
    groups = [g for g in repeated(db, end_day, REPEAT_ALERT_DAYS, REPEAT_ALERT_MIN, station_id=station_id)
              if g.last >= datetime.combine(window.start, time())]
    return AlertFigures(Window(window.start, end_day), int(received), int(converted),
                        sum(1 for g in groups if g.by == "address"), sum(1 for g in groups if g.by == "caller"))


def workflow_figures(db: Store, as_of: date | None = None, station_id: int | None = None) -> dict[str, Any]:
    """Every figure of this module for the current period (the month to `as_of`), JSON-ready: of
    one station when `station_id` is given (a branch), else of every station in the file."""
    as_of = as_of or date.today()
    window = period_windows(as_of)["current"]
    at = datetime.now().replace(microsecond=0) if as_of == date.today() else _end(as_of) - timedelta(seconds=1)
    zero = zero_figures(db, window, as_of, station_id=station_id)
    return {"zero": zero.as_dict(), "zero_text": zero.text_zh(),
            "checks_overdue": checks_overdue(db, at, station_id).as_dict(),
            "answers_overdue": answers_overdue(db, as_of, station_id).as_dict(),
            "followups_overdue": followups_due(db, as_of, station_id).as_dict(),
            "alerts": alert_figures(db, window, as_of, station_id).as_dict()}


@dataclass(frozen=True)
class StationRef:
    id: int
    uuid: str
    code: str
    name: str


def stations(db: Store) -> list[StationRef]:
    """The stations a file holds (one at a station, each reporting station at a branch)."""
    with db.read() as session:
        return [StationRef(*r) for r in session.execute(
            select(Station.id, Station.uuid, Station.code, Station.name).order_by(Station.code, Station.id))]


def find_station(db: Store, key: str) -> StationRef:
    """The station named by its uuid, its code or its name; an error naming the key otherwise."""
    text = (key or "").strip()
    found = [s for s in stations(db) if text and text in (s.uuid, s.code, s.name)]
    if len(found) != 1:
        raise ValidationError(f"未找到该派出所：{text}" if not found else f"有多个派出所名为“{text}”，请用代码",
                              f"no such station: {text}" if not found else f"several stations match: {text}",
                              "station")
    return found[0]


def figures_by_station(db: Store, as_of: date | None = None) -> dict[str, dict[str, Any]]:
    """workflow_figures of each station the file holds, by station uuid (the branch console)."""
    return {s.uuid: workflow_figures(db, as_of, s.id) for s in stations(db)}


@dataclass(frozen=True)
class WorkflowBriefing:
    """The seed's working methods on one slide of the morning briefing: the period's 零失控/零非访/
    零滋事, and what is overdue today (checks, hand-over answers, 回访) with the first few names."""

    zero: ZeroFigures
    checks: DueFigure
    answers: DueFigure
    followups: DueFigure
    alerts: AlertFigures
    late_checks: tuple[tuple[str, str, str], ...]  # (level, masked name, last check or '')
    late_answers: tuple[tuple[str, str, str], ...]  # (level, dispute no, due MM-DD and department)
    late_followups: tuple[tuple[str, str, str], ...]  # (level, dispute no, due)


def workflow_briefing(db: Store, now: datetime, names: Callable[[str], str] | None = None,
                      limit: int = 4) -> WorkflowBriefing:
    """WorkflowBriefing as of `now`; `names` masks person names (the briefing's masking)."""
    from app.services.control import overdue_checks
    from app.services.mediation import followups_due as followup_rows, overdue_answers as answer_rows

    today = now.date()
    window = period_windows(today)["current"]
    show = names or (lambda n: n)
    late = overdue_checks(db, now)
    return WorkflowBriefing(
        zero_figures(db, window, today, names=show), checks_overdue(db, now), answers_overdue(db, today),
        followups_due(db, today), alert_figures(db, window, today),
        tuple((r.level, show(r.name), r.last_check.strftime("%m-%d %H:%M") if r.last_check else "")
              for r in late[:limit]),
        tuple((r.level, r.dispute_no, f"{r.due:%m-%d} {r.detail[:6]}") for r in answer_rows(db, today)[:limit]),
        tuple((r.level, r.dispute_no, r.due.isoformat()) for r in followup_rows(db, today) if r.due < today)[:limit])
