"""The station's 110 alerts: the list, addresses and callers that call again and again within
N days (大起底 of repeat calls), and turning an alert into a dispute (source 110), the two linked."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Callable, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.levels import LEVEL_NAMES, Level
from app.domain.permissions import authorize
from app.domain.rules import Actor
from app.domain.workflows import REPEAT_ALERT_DAYS, REPEAT_ALERT_MIN, REPEAT_RAISE
from app.errors import NotFound, RuleViolation
from app.services.changes import Changes
from app.services.records import DisputeInput, Responsibility, commit_guard, create_dispute_in
from app.store import Store
from models import Alert, Dispute, Suggestion


@dataclass(frozen=True)
class AlertRow:
    id: int
    alert_no: str
    received_at: datetime
    address: str
    caller: str
    caller_phone: str
    category: str
    summary: str
    dispute_id: int | None
    dispute_no: str
    repeats: int  # alerts from the same address or caller within the window, this one included


@dataclass(frozen=True)
class RepeatGroup:
    """An address or a caller with repeated alerts within the window."""

    by: str  # "address" or "caller"
    key: str
    count: int
    first: datetime
    last: datetime
    alert_ids: tuple[int, ...]
    dispute_ids: tuple[int, ...]


class _Caller(Protocol):
    @property
    def caller(self) -> str: ...

    @property
    def caller_phone(self) -> str: ...


def _caller_key(a: _Caller) -> str:
    return (a.caller_phone or "").strip() or (a.caller or "").strip()


def _groups(alerts: list[Alert], days: int, minimum: int) -> list[RepeatGroup]:
    """Alerts grouped by address (without the house number's detail) and by caller (phone, else
    name): a group is repeated when at least `minimum` of its alerts fall within `days` of each
    other (a sliding window over the group's times)."""
    out = []
    keys: tuple[tuple[str, Callable[[Alert], str]], ...] = (
        ("address", lambda a: (a.address or "").strip()), ("caller", _caller_key))
    for by, keyf in keys:
        buckets: dict[str, list[Alert]] = {}
        for a in alerts:
            k = keyf(a)
            if k:
                buckets.setdefault(k, []).append(a)
        for k, items in buckets.items():
            items.sort(key=lambda a: a.received_at)
            best: list[Alert] = []
            lo = 0
            for hi in range(len(items)):
                while items[hi].received_at - items[lo].received_at > timedelta(days=days):
                    lo += 1
                if hi - lo + 1 > len(best):
                    best = items[lo:hi + 1]
            if len(best) >= minimum:
                out.append(RepeatGroup(by, k, len(best), best[0].received_at, best[-1].received_at,
                                       tuple(a.id for a in best),
                                       tuple(sorted({a.dispute_id for a in best if a.dispute_id}))))
    out.sort(key=lambda g: (-g.count, g.by, g.key))
    return out


def repeated(db: Store, as_of: date | None = None, days: int = REPEAT_ALERT_DAYS,
             minimum: int = REPEAT_ALERT_MIN, *, station_id: int | None = None) -> list[RepeatGroup]:
    """Addresses and callers with at least `minimum` alerts within `days`, looking back `days`
    from `as_of` (the window the station sweeps); of one station when `station_id` is given."""
    end = datetime.combine(as_of or date.today(), time.max)
    with db.read() as session:
        stmt = select(Alert).where(Alert.received_at > end - timedelta(days=days), Alert.received_at <= end)
        if station_id is not None:
            stmt = stmt.where(Alert.station_id == station_id)
        alerts = list(session.scalars(stmt))
        return _groups(alerts, days, minimum)


def list_alerts(db: Store, start: date | None = None, end: date | None = None,
                days: int = REPEAT_ALERT_DAYS) -> list[AlertRow]:
    """Alerts received in [start, end] (all when not given), newest first, each with how many
    alerts its address or caller gave within `days` before it."""
    with db.read() as session:
        stmt = select(Alert).order_by(Alert.received_at.desc(), Alert.id.desc())
        lo = datetime.combine(start, time.min) if start else None
        hi = datetime.combine(end, time.max) if end else None
        if lo:
            stmt = stmt.where(Alert.received_at >= lo - timedelta(days=days))
        if hi:
            stmt = stmt.where(Alert.received_at <= hi)
        alerts = list(session.scalars(stmt))
        numbers: dict[int | None, str] = {i: no for i, no in session.execute(select(Dispute.id, Dispute.dispute_no).where(
            Dispute.id.in_([a.dispute_id for a in alerts if a.dispute_id])))}
        by_addr: dict[str, list[datetime]] = {}
        by_caller: dict[str, list[datetime]] = {}
        for a in alerts:
            if a.address:
                by_addr.setdefault(a.address.strip(), []).append(a.received_at)
            if _caller_key(a):
                by_caller.setdefault(_caller_key(a), []).append(a.received_at)

        def count(times: list[datetime], at: datetime) -> int:
            return sum(1 for t in times if at - timedelta(days=days) <= t <= at)
        out = []
        for a in alerts:
            if lo and a.received_at < lo:
                continue
            n = max(count(by_addr.get(a.address.strip(), []), a.received_at) if a.address else 0,
                    count(by_caller.get(_caller_key(a), []), a.received_at) if _caller_key(a) else 0)
            out.append(AlertRow(a.id, a.alert_no, a.received_at, a.address, a.caller, a.caller_phone, a.category,
                                a.summary, a.dispute_id, numbers.get(a.dispute_id, ""), n))
        return out


@commit_guard  # type: ignore[untyped-decorator, unused-ignore]
def alert_to_dispute(db: Store, actor: Actor, alert_id: int, *, dispute_no: str, category: str = "police_primary",
                     level: str = "yellow", parties: str = "", focus_area: str = "other",
                     officer_id: int | None = None, summary: str = "") -> tuple[int, Changes]:
    """Turn an alert into a dispute (source 110) in one step: found on the alert's day, at its
    address, the caller among the parties, the alert's text as the summary; the alert keeps the
    link. Returns the dispute id."""
    authorize(actor, "alert_to_dispute")
    with db.write(actor, "alert_to_dispute") as session:
        a = session.get(Alert, alert_id)
        if a is None:
            raise NotFound(f"警情不存在：{alert_id}", f"no such alert: {alert_id}")
        if a.dispute_id is not None:
            d = session.get(Dispute, a.dispute_id)
            no = d.dispute_no if d is not None else str(a.dispute_id)
            raise RuleViolation(f"该警情已转为纠纷{no}", f"the alert already became dispute {no}", "alert")
        data = DisputeInput(dispute_no=dispute_no, category=category, source="110", level=level,
                            found_on=a.received_at.date(), parties=(parties or a.caller or "").strip(),
                            focus_area=focus_area, place=a.address,
                            summary=(summary or f"110警情{a.alert_no}：{a.summary}").strip()[:4000],
                            people=Responsibility(officer_id=officer_id or actor.officer_id),
                            reason=f"110警情{a.alert_no}转为纠纷")
        d = create_dispute_in(session, actor, data)
        a.dispute_id = d.id
        return d.id, Changes.of(("dispute", d.id))


def alert_of_dispute(db: Store, dispute_id: int) -> AlertRow | None:
    """The alert a dispute came from, if any."""
    with db.read() as session:
        a = session.scalar(select(Alert).where(Alert.dispute_id == dispute_id))
        if a is None:
            return None
        d = session.get(Dispute, dispute_id)
        return AlertRow(a.id, a.alert_no, a.received_at, a.address, a.caller, a.caller_phone, a.category, a.summary,
                        a.dispute_id, d.dispute_no if d is not None else "", 0)


def repeats_for_alert(db: Store, alert_id: int, days: int = REPEAT_ALERT_DAYS) -> list[AlertRow]:
    """The other alerts from the same address or caller within `days` before this one."""
    with db.read() as session:
        a = session.get(Alert, alert_id)
        if a is None:
            raise NotFound(f"警情不存在：{alert_id}", f"no such alert: {alert_id}")
        start = a.received_at - timedelta(days=days)
    return [r for r in list_alerts(db, start.date(), a.received_at.date(), days=0)
            if r.id != alert_id and r.received_at <= a.received_at and r.received_at >= start
            and ((a.address and r.address.strip() == a.address.strip())
                 or (_caller_key(a) and _caller_key(r) == _caller_key(a)))]



# -- the repeat-call suggestion raised by an import -------------------------------------------------------
@dataclass(frozen=True)
class RepeatFacts:
    """What a repeat-call suggestion says: the address or caller, how often it called within the
    window, the dispute called about again and how often since, and the level suggested. Kept in
    the suggestion's detail as the Chinese sentence shown to the officer (repeat_detail); the
    window reads it back (repeat_facts) to word it in the interface's language."""

    by: str  # "address" or "caller"
    key: str
    days: int
    count: int
    dispute_no: str
    later: int
    latest: datetime
    raise_to: str  # a level code


def repeat_detail(f: RepeatFacts) -> str:
    """The suggestion's detail, as stored and as shown in Chinese."""
    what = "地址" if f.by == "address" else "报警人"
    return (f"{what}“{f.key}”{f.days}日内报警{f.count}次，纠纷{f.dispute_no}登记后又报警{f.later}次"
            f"（最近{f.latest:%Y-%m-%d %H:%M}），建议升为{LEVEL_NAMES[Level(f.raise_to)][0]}")


_DETAIL = re.compile(r"(地址|报警人)“(.*)”(\d+)日内报警(\d+)次，纠纷(.*)登记后又报警(\d+)次"
                     r"（最近(\d{4}-\d{2}-\d{2} \d{2}:\d{2})），建议升为(\S+)\Z", re.S)
_LEVEL_BY_ZH = {names[0]: lv.value for lv, names in LEVEL_NAMES.items()}


def repeat_facts(detail: str) -> RepeatFacts | None:
    """The facts of a detail written by repeat_detail; None for any other text (shown as it is)."""
    m = _DETAIL.match(detail or "")
    if m is None or m[8] not in _LEVEL_BY_ZH:
        return None
    return RepeatFacts("address" if m[1] == "地址" else "caller", m[2], int(m[3]), int(m[4]), m[5], int(m[6]),
                       datetime.strptime(m[7], "%Y-%m-%d %H:%M"), _LEVEL_BY_ZH[m[8]])


def group_key(group: RepeatGroup) -> str:
    """What names a repeat group for its suggestion: 'address:…' or 'caller:…'."""
    return f"{group.by}:{group.key}"[:260]


def raise_repeat_suggestions_in(session: Session, station_id: int, new_alert_ids: set[int],
                                days: int = REPEAT_ALERT_DAYS, minimum: int = REPEAT_ALERT_MIN) -> list[Suggestion]:
    """Inside an import's transaction: every repeat group that a newly imported alert joins, and
    whose address or caller already has an open dispute made from one of its alerts, raises the
    repeat-call suggestion (raise the dispute's level one step) on that dispute, pending the
    officer's answer. Only a call received after the dispute's own alert counts (the conversion
    already weighed the earlier ones). One question per dispute (its address and caller groups
    together), each group raised once, so a re-import raises nothing."""
    if not new_alert_ids:
        return []
    news = list(session.scalars(select(Alert).where(Alert.id.in_(new_alert_ids))))
    lo = min(a.received_at for a in news) - timedelta(days=days)
    hi = max(a.received_at for a in news) + timedelta(days=days)
    pool = list(session.scalars(select(Alert).where(Alert.station_id == station_id, Alert.received_at >= lo,
                                                    Alert.received_at <= hi)))
    by_id = {a.id: a for a in pool}
    found: dict[int, list[tuple[RepeatGroup, list[Alert]]]] = {}
    for g in _groups(pool, days, minimum):
        if not new_alert_ids.intersection(g.alert_ids) or not g.dispute_ids:
            continue
        disputes = [d for d in (session.get(Dispute, i) for i in g.dispute_ids)
                    if d is not None and d.status == "active" and d.level != "red"]
        disputes.sort(key=lambda d: (d.found_on, d.id), reverse=True)
        for d in disputes:  # the group's latest open dispute called about again
            own = max(a.received_at for a in pool if a.dispute_id == d.id)
            later = [by_id[i] for i in g.alert_ids if by_id[i].received_at > own]
            if later:
                found.setdefault(d.id, []).append((g, later))
                break
    raised: list[Suggestion] = []
    for did, hits in found.items():
        disp = session.get(Dispute, did)
        if disp is None:  # pragma: no cover - found above in this transaction
            continue
        held = list(session.scalars(select(Suggestion).where(Suggestion.kind == "repeat_110",
                                                             Suggestion.module == "dispute",
                                                             Suggestion.record_id == did,
                                                             Suggestion.group_key.is_not(None))))
        used = {k for s in held for k in (s.group_key or "").split("|")}
        new = [(g, later) for g, later in hits if group_key(g) not in used]
        if not new:
            continue
        keys = "|".join(group_key(g) for g, _l in new)
        pending = next((s for s in held if s.decision == "pending"), None)
        if pending is not None:  # the same dispute already waits for an answer: one question
            pending.group_key = ((pending.group_key or "") + "|" + keys)[:260]
            continue
        g, later = new[0]
        facts = RepeatFacts(g.by, g.key, days, g.count, disp.dispute_no, len(later),
                            max(a.received_at for a in later), REPEAT_RAISE[disp.level])
        s = Suggestion(kind="repeat_110", module="dispute", record_id=did, decision="pending", group_key=keys[:260],
                       detail=repeat_detail(facts))
        session.add(s)
        raised.append(s)
    session.flush()
    return raised
