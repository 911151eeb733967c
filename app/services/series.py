"""串并侦查: cases grouped into a series (串并案) with a name and a lead officer, the series'
members with their places and dates and what they share, orange cases suggested as candidates,
and the series marked solved when one of its cases is. Every function is one transaction."""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Date, bindparam, func, select, text
from sqlalchemy.orm import Session

from app.domain.levels import Module
from app.domain.permissions import authorize
from app.domain.rules import Actor, require_text
from app.domain.workflows import SERIES_WINDOW_DAYS, place_key, series_score
from app.errors import NotFound, RuleViolation, ValidationError
from app.services.changes import Changes
from app.services.control import bounded_text
from app.services.records import checked_date, commit_guard, load_record, not_future, now, officer_names_in, station_of
from app.store import Store
from models import Case, CaseSeries, Officer, SeriesMember
from models.records import SERIES_INDEX_WHERE


@dataclass(frozen=True)
class SeriesRow:
    id: int
    name: str
    lead: str
    lead_officer_id: int | None
    features: str
    status: str
    created_at: datetime
    solved_on: date | None
    members: int
    solved_members: int
    version: int


@dataclass(frozen=True)
class MemberRow:
    case_id: int
    case_no: str
    cause: str
    place: str
    accepted_on: date
    level: str
    status: str
    solved_on: date | None
    officer: str


@dataclass(frozen=True)
class Candidate:
    case_id: int
    case_no: str
    cause: str
    place: str
    accepted_on: date
    score: int
    shared: tuple[str, ...]


def _series(session: Session, series_id: int) -> CaseSeries:
    s = session.get(CaseSeries, series_id)
    if s is None:
        raise NotFound(f"串并案不存在：{series_id}", f"no such series: {series_id}")
    return s


def _case(session: Session, case_id: int) -> Case:
    """The case (load_record's checks: it exists, it is this station's)."""
    c = load_record(session, Module.CASE, case_id)
    if not isinstance(c, Case):  # pragma: no cover - Module.CASE loads a Case
        raise NotFound(f"案件不存在：{case_id}", f"no such case: {case_id}")
    return c


def _add_member(session: Session, actor: Actor, s: CaseSeries, case_id: int, note: str = "") -> None:
    c = _case(session, case_id)
    authorize(actor, "manage_series", c)
    if c.status == "voided":
        raise RuleViolation(f"案件{c.case_no}已作废，不能串并", f"case {c.case_no} is voided", "case")
    held = session.scalar(select(SeriesMember).where(SeriesMember.series_id == s.id, SeriesMember.case_id == c.id))
    if held is not None and held.removed_at is None:
        raise ValidationError(f"案件{c.case_no}已在该串并案中", f"case {c.case_no} is already in the series", "case")
    text = bounded_text(note, 1000, "说明", "the note", "note")
    if held is not None:  # taken out before, back in: the same row, its removal cleared (the audit keeps it)
        held.removed_at, held.removed_by_id, held.removed_reason = None, None, ""
        held.added_at, held.officer_id, held.note = now(), actor.officer_id, text
        return
    session.add(SeriesMember(series_id=s.id, case_id=c.id, added_at=now(), officer_id=actor.officer_id, note=text))


def create_series(db: Store, actor: Actor, name: str, case_ids: list[int], *, lead_officer_id: int | None = None,
                  features: str = "") -> int:
    """A new series (串并案) of at least two cases, with its lead officer and common features."""
    authorize(actor, "manage_series")
    text = bounded_text(require_text(name, "串并案名称", "the series name", "name"), 100, "名称", "the name", "name")
    ids = list(dict.fromkeys(case_ids))
    if len(ids) < 2:
        raise ValidationError("串并案至少包含两起案件", "a series needs at least two cases", "cases")
    with db.write(actor, "create_series") as session:
        st = station_of(session, actor)
        if session.scalar(select(CaseSeries.id).where(CaseSeries.station_id == st.id, CaseSeries.name == text)):
            raise ValidationError(f"串并案名称已存在：{text}", f"a series with this name exists: {text}", "name")
        lead = lead_officer_id if lead_officer_id is not None else actor.officer_id
        o = session.get(Officer, lead) if lead is not None else None
        if o is None or o.station_id != st.id or o.auxiliary:
            raise ValidationError(f"主办民警无效：{lead}", f"not an officer of this station: {lead}", "lead_officer_id")
        s = CaseSeries(station_id=st.id, name=text, lead_officer_id=lead, status="active", created_at=now(),
                       features=bounded_text(features, 4000, "共同特征", "the common features", "features"))
        session.add(s)
        session.flush()
        for cid in ids:
            _add_member(session, actor, s, cid)
        return s.id


@commit_guard  # type: ignore[untyped-decorator, unused-ignore]
def add_to_series(db: Store, actor: Actor, series_id: int, case_id: int, note: str = "") -> Changes:
    with db.write(actor, "add_to_series") as session:
        s = _series(session, series_id)
        if s.status != "active":
            raise RuleViolation("串并案已破，不再加入案件", "the series is solved; no more cases join it", "status")
        _add_member(session, actor, s, case_id, note)
    return Changes.of(("case", case_id))


@commit_guard  # type: ignore[untyped-decorator, unused-ignore]
def update_series(db: Store, actor: Actor, series_id: int, *, name: str | None = None,
                  lead_officer_id: int | None = None, features: str | None = None) -> None:
    authorize(actor, "manage_series")
    with db.write(actor, "update_series") as session:
        s = _series(session, series_id)
        if name is not None:
            s.name = bounded_text(require_text(name, "串并案名称", "the series name", "name"), 100, "名称", "the name", "name")
        if lead_officer_id is not None:
            o = session.get(Officer, lead_officer_id)
            if o is None or o.station_id != s.station_id or o.auxiliary:
                raise ValidationError(f"主办民警无效：{lead_officer_id}", "not an officer of this station",
                                      "lead_officer_id")
            s.lead_officer_id = lead_officer_id
        if features is not None:
            s.features = bounded_text(features, 4000, "共同特征", "the common features", "features")


@commit_guard  # type: ignore[untyped-decorator, unused-ignore]
def mark_series_solved(db: Store, actor: Actor, series_id: int, note: str, solved_on: date | str | None = None) -> None:
    """Mark the series solved (串并破案) once one of its cases is solved; the note says how."""
    why = require_text(note, "破案情况", "how the series was solved", "note")
    day = checked_date(solved_on, "破案日期", "the solved date", "solved_on") or date.today()
    not_future(day, "破案日期", "the solved date", "solved_on")
    authorize(actor, "manage_series")
    with db.write(actor, "mark_series_solved") as session:
        s = _series(session, series_id)
        if s.status == "solved":
            raise RuleViolation(f"串并案已于{s.solved_on}告破", f"the series was solved on {s.solved_on}", "status")
        if _solved_member(session, s.id) is None:
            raise RuleViolation("串并案中还没有已破的案件；请先登记其中一起案件破案",
                                "no case of the series is solved yet: record the solving of one first", "status")
        s.status, s.solved_on, s.solved_note = "solved", day, bounded_text(why, 2000, "破案情况", "the note", "note")


def _solved_member(session: Session, series_id: int) -> int | None:
    """A solved case among the series' members, if any."""
    found: int | None = session.scalar(select(Case.id).join(SeriesMember, SeriesMember.case_id == Case.id).where(
        SeriesMember.series_id == series_id, SeriesMember.removed_at.is_(None), Case.solved_on.is_not(None)).limit(1))
    return found


@commit_guard  # type: ignore[untyped-decorator, unused-ignore]
def remove_from_series(db: Store, actor: Actor, series_id: int, case_id: int, reason: str) -> Changes:
    """Take a case out of a series (串并有误), with the reason: the membership row is kept, marked
    removed. A series keeps at least two cases; a solved series none of whose remaining cases is
    solved goes back to 侦查中 (its solved mark came from the case taken out)."""
    why = bounded_text(require_text(reason, "移出理由", "a reason for taking the case out", "reason"), 1000, "移出理由",
                       "the reason", "reason")
    with db.write(actor, "remove_from_series") as session:
        s = _series(session, series_id)
        c = _case(session, case_id)
        authorize(actor, "remove_series_member", c)
        m = session.scalar(select(SeriesMember).where(SeriesMember.series_id == s.id, SeriesMember.case_id == c.id,
                                                      SeriesMember.removed_at.is_(None)))
        if m is None:
            raise ValidationError(f"案件{c.case_no}不在该串并案中", f"case {c.case_no} is not in the series", "case")
        left = session.scalar(select(func.count()).select_from(SeriesMember).where(
            SeriesMember.series_id == s.id, SeriesMember.removed_at.is_(None), SeriesMember.id != m.id)) or 0
        if left < 2:
            raise RuleViolation("串并案至少保留两起案件", "a series keeps at least two cases", "case")
        m.removed_at, m.removed_by_id, m.removed_reason = now(), actor.officer_id, why
        session.flush()
        if s.status == "solved" and _solved_member(session, s.id) is None:
            s.status, s.solved_on, s.solved_note = "active", None, ""
    return Changes.of(("case", case_id))


def list_series(db: Store) -> list[SeriesRow]:
    with db.read() as session:
        names = officer_names_in(session)
        members: dict[int, list[date | None]] = {}
        for sid, solved in session.execute(select(SeriesMember.series_id, Case.solved_on)
                                           .join(Case, Case.id == SeriesMember.case_id)
                                           .where(Case.status != "voided", SeriesMember.removed_at.is_(None))):
            members.setdefault(sid, []).append(solved)
        return [SeriesRow(s.id, s.name, names.get(s.lead_officer_id, ""), s.lead_officer_id, s.features, s.status,
                          s.created_at, s.solved_on, len(members.get(s.id, [])),
                          sum(1 for v in members.get(s.id, []) if v is not None), s.version)
                for s in session.scalars(select(CaseSeries).order_by(CaseSeries.status, CaseSeries.created_at.desc()))]


def series_members(db: Store, series_id: int) -> list[MemberRow]:
    """The series' cases by date: the places and dates that make its map."""
    with db.read() as session:
        _series(session, series_id)
        names = officer_names_in(session)
        return [MemberRow(c.id, c.case_no, c.cause, c.place, c.accepted_on, c.level, c.status, c.solved_on,
                          names.get(c.officer_id, ""))
                for c in session.scalars(select(Case).join(SeriesMember, SeriesMember.case_id == Case.id)
                                         .where(SeriesMember.series_id == series_id,
                                                SeriesMember.removed_at.is_(None))
                                         .order_by(Case.accepted_on, Case.id))]


def series_of_case(db: Store, case_id: int) -> list[tuple[int, str, str]]:
    """(id, name, status) of the series a case belongs to."""
    with db.read() as session:
        return [(i, n, st) for i, n, st in session.execute(
            select(CaseSeries.id, CaseSeries.name, CaseSeries.status).join(
                SeriesMember, SeriesMember.series_id == CaseSeries.id).where(SeriesMember.case_id == case_id,
                                                                             SeriesMember.removed_at.is_(None)))]


@dataclass(frozen=True)
class SharedFeatures:
    """What a series' members share: the cause most of them have and the place most of them are at
    (each with how many of the members; "" and 0 when none has one), and the span of their dates.
    The words are the view's (both languages)."""

    members: int
    cause: str
    cause_count: int
    place: str
    place_count: int
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def common_features(members: list[MemberRow]) -> SharedFeatures | None:
    """What the members (by date, as series_members gives them) share; None without members."""
    if not members:
        return None
    causes: dict[str, int] = {}
    places: dict[str, int] = {}
    for m in members:
        if m.cause:
            causes[m.cause] = causes.get(m.cause, 0) + 1
        key = place_key(m.place)
        if key:
            places[key] = places.get(key, 0) + 1
    cause, cause_n = max(causes.items(), key=lambda kv: kv[1]) if causes else ("", 0)
    place, place_n = max(places.items(), key=lambda kv: kv[1]) if places else ("", 0)
    return SharedFeatures(len(members), cause, cause_n, place, place_n, members[0].accepted_on,
                          members[-1].accepted_on)


#: The characters Python's str.strip() removes (str.isspace), for SQL's ltrim: place_key strips
#: a place before it compares (tests/unit/test_series_candidates.py checks this list).
STRIP_CHARS = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
               "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


_STRIP_CODES = ", ".join(str(ord(c)) for c in STRIP_CHARS)


def _bound_sql(refs: list[Case], window_days: int, pg: bool) -> tuple[str, dict[str, object]]:
    """SQL: an upper bound of a case's score against `refs` (the best over them of one for the
    same cause, one for dates within the window, one for a place that may match), and its
    parameters. A place matches when one key is a prefix of the other, both of two or more
    characters (series_score): then both keys start with the same two characters, the first two
    of the place once stripped; whether it does is series_score's to say, in Python."""
    params: dict[str, object] = {}
    first_code = "ascii" if pg else "unicode"  # the first character's code point
    bounds = []
    for i, r in enumerate(refs):
        terms = []
        params[f"lo{i}"] = date.fromordinal(r.accepted_on.toordinal() - window_days)
        params[f"hi{i}"] = date.fromordinal(r.accepted_on.toordinal() + window_days)
        terms.append(f"CASE WHEN accepted_on BETWEEN :lo{i} AND :hi{i} THEN 1 ELSE 0 END")
        if r.cause:
            params[f"c{i}"] = r.cause
            terms.append(f"CASE WHEN cause = :c{i} THEN 1 ELSE 0 END")
        key = place_key(r.place)
        if len(key) >= 2:
            params[f"p{i}"] = key[:2]
            params["strip"] = STRIP_CHARS
            # ltrim only for a place that starts with a space (the code point is cheap, ltrim is not).
            # Every space's code point is at most U+3000; Chinese text starts above it.
            first = f"{first_code}(place)"
            terms.append(f"CASE WHEN substr(place, 1, 2) = :p{i} THEN 1 WHEN {first} <= {max(map(ord, STRIP_CHARS))} "
                         f"AND {first} IN ({_STRIP_CODES}) AND substr(ltrim(place, :strip), 1, 2) = :p{i} "
                         "THEN 1 ELSE 0 END")
        bounds.append(" + ".join(terms))
    if len(bounds) == 1:
        return bounds[0], params
    return f"{'greatest' if pg else 'max'}({', '.join(f'({b})' for b in bounds)})", params


def _next_after(ch: str) -> str | None:
    """The character after `ch` in code point order (UTF-8 text compares so in SQLite), surrogates
    skipped; None after the last."""
    n = ord(ch) + 1
    if 0xD800 <= n <= 0xDFFF:
        n = 0xE000
    return chr(n) if n <= 0x10FFFF else None


def _near_sql(refs: list[Case], window_days: int) -> tuple[str, dict[str, object]]:
    """SQLite: the orange active cases that may score two against one of `refs`, as a UNION of
    index ranges (columns id, case_no, cause, place, accepted_on). A score of two has the same
    cause or dates within the window (the place gives one at most): the dates are ranges of
    ix_case_record_series (its leading column); the same cause without close dates needs the
    same place, whose key starts with the reference's first two characters once stripped (the
    place's opening; a place that opens with a space has a code point at most U+3000 first), a
    range of ix_case_record_series_cause (cause, then place). The bound decides the rest."""
    cols = "id, case_no, cause, place, accepted_on"
    params: dict[str, object] = {}
    arms: list[str] = []
    spans = sorted((r.accepted_on.toordinal() - window_days, r.accepted_on.toordinal() + window_days) for r in refs)
    merged: list[list[int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    for k, (lo, hi) in enumerate(merged):
        params[f"dlo{k}"], params[f"dhi{k}"] = date.fromordinal(lo), date.fromordinal(hi)
        arms.append(f"SELECT {cols} FROM case_record INDEXED BY ix_case_record_series "
                    f"WHERE {SERIES_INDEX_WHERE} AND accepted_on BETWEEN :dlo{k} AND :dhi{k}")
    pairs = sorted({(r.cause, place_key(r.place)[:2]) for r in refs if r.cause and len(place_key(r.place)) >= 2})
    for k, (cause, opening) in enumerate(pairs):
        params[f"cc{k}"], params[f"plo{k}"] = cause, opening
        after = _next_after(opening[1])
        upper = ""
        if after is not None:
            params[f"phi{k}"] = opening[0] + after
            upper = f" AND place < :phi{k}"
        arms.append(f"SELECT {cols} FROM case_record INDEXED BY ix_case_record_series_cause "
                    f"WHERE {SERIES_INDEX_WHERE} AND cause = :cc{k} AND place >= :plo{k}{upper}")
    causes = sorted({cause for cause, _opening in pairs})
    if causes:
        marks = ", ".join(f":sc{k}" for k in range(len(causes)))
        params.update({f"sc{k}": cause for k, cause in enumerate(causes)})
        params["spaced"] = chr(max(map(ord, STRIP_CHARS)) + 1)
        arms.append(f"SELECT {cols} FROM case_record INDEXED BY ix_case_record_series_cause "
                    f"WHERE {SERIES_INDEX_WHERE} AND cause IN ({marks}) AND place < :spaced")
    return " UNION ".join(arms), params


def candidates(db: Store, case_id: int | None = None, series_id: int | None = None, *, min_score: int = 2,
               window_days: int = SERIES_WINDOW_DAYS, limit: int = 50) -> list[Candidate]:
    """Orange (not yet solvable) active cases like a case, or like the members of a series: the
    same cause, the same place and dates within the window; at least `min_score` of the three.

    The ORM read and scored every orange active case (at 1,000,000 records 141,158 of them, 13 s
    each time a case was opened). Now SQL gives each case an upper bound of its score (`_bound_sql`)
    and returns the cases whose bound reaches `min_score`, best bound first, then by date and id: the
    list's own order. They are scored here until the next bound cannot come before the last of
    `limit` found. On SQLite from partial indexes alone: with a score of two or more, ranges of
    them near the references (`_near_sql`, migrations 0020 and 0021: 141,158 entries read at 1M
    before); with less, all of 0020's."""
    pg = db.engine.dialect.name == "postgresql"
    with db.read() as session:
        if series_id is not None:
            refs = list(session.scalars(select(Case).join(SeriesMember, SeriesMember.case_id == Case.id)
                                        .where(SeriesMember.series_id == series_id,
                                               SeriesMember.removed_at.is_(None))))
        elif case_id is not None:
            refs = [_case(session, case_id)]
        else:
            raise ValidationError("须指定案件或串并案", "give a case or a series", "case")
        if not refs or limit <= 0:
            return []
        exclude = {c.id for c in refs}
        bound, params = _bound_sql(refs, window_days, pg)
        if pg or min_score < 2:
            # The planner prefers the (status, level) index and a row lookup each (0.4-1.1 s at 1M):
            # named on SQLite, the partial index answers alone. Literal level and status: a partial
            # index serves only a WHERE that names its very values.
            hint = "" if pg else " INDEXED BY ix_case_record_series"
            source = f"case_record{hint} WHERE {SERIES_INDEX_WHERE} AND"
        else:
            near, near_params = _near_sql(refs, window_days)
            params.update(near_params)
            source = f"({near}) WHERE"
        stmt = text(f"SELECT id, case_no, cause, place, accepted_on, {bound} AS bound FROM {source} "
                    f"{bound} >= :least ORDER BY bound DESC, accepted_on, id")
        stmt = stmt.bindparams(*(bindparam(k, v, type_=Date() if isinstance(v, date) else None)
                                 for k, v in params.items()), bindparam("least", min_score))
        cursor = session.connection().execute(stmt).cursor
        out: list[Candidate] = []
        # Plain tuples from the DBAPI cursor, read a few at a time; SQLite gives dates as ISO text.
        while rows := cursor.fetchmany(64):
            for cid, case_no, cause, place, day, top in rows:
                accepted_on = day if isinstance(day, date) else date.fromisoformat(day)
                if len(out) == limit and (-top, accepted_on, cid) > (-out[-1].score, out[-1].accepted_on,
                                                                     out[-1].case_id):
                    return out  # every case after this one ranks after the last of the list
                if cid in exclude:
                    continue
                best: tuple[int, tuple[str, ...]] = (0, ())
                for r in refs:
                    sc = series_score(r.cause, r.place, r.accepted_on, cause, place, accepted_on, window_days)
                    if sc[0] > best[0]:
                        best = sc
                if best[0] >= min_score:
                    bisect.insort(out, Candidate(cid, case_no, cause, place, accepted_on, best[0], best[1]),
                                  key=lambda x: (-x.score, x.accepted_on, x.case_id))
                    del out[limit:]
        return out
