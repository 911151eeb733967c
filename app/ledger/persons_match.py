"""One file per person (一人一档): find the file a person already has, merge two files, undo a merge.

The ID number is the hard key: the same number is the same person, two different numbers are
two people. Without it a score is added up from the name (same characters, same pinyin, or a
similar sound such as zh/z, l/n, -ng/-n), the birth date, the sex, the address and the phone,
and every point comes with its reason in words. A different birth date or sex counts heavily
against: a namesake born in another year is another person.

A merge keeps one file and voids the other (void reason "合并至 <uuid>"), moves its links to
cases and disputes and its dedicated-team members, and fills the kept file's empty fields from
it. What moved is written in the audit trail's merge event, from which `undo_merge` puts
everything back. No table is added for this.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.identity import parse_id_number
from app.domain.levels import Module
from app.domain.permissions import authorize
from app.domain.rules import Actor, require_text
from app.domain.search import name_keys
from app.errors import NotFound, RuleViolation, ValidationError
from app.services import Changes, audit, records as R
from app.store import Store
from models import AuditEntry, DedicatedMember, LevelChange, Person, PersonLink

#: A score at or above MERGE_AT is the same person (an import merges into that file); between
#: SUGGEST_AT and MERGE_AT the file is shown as a possible duplicate for a person to decide.
MERGE_AT = 70
SUGGEST_AT = 40
MERGE_ACTION, UNDO_ACTION = "merge_persons", "undo_merge_persons"
#: Sounds people mix up when a name is written down from speech (southern accents, typing by ear).
_FUZZY = ((re.compile(r"zh"), "z"), (re.compile(r"ch"), "c"), (re.compile(r"sh"), "s"), (re.compile(r"ng"), "n"),
          (re.compile(r"l"), "n"), (re.compile(r"r"), "n"))


@dataclass(frozen=True)
class PersonProbe:
    """What is known of a person being entered or imported."""

    name: str
    id_number: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class MatchCandidate:
    person_id: int
    uuid: str
    name: str
    score: int
    reasons: tuple[str, ...]
    same_id: bool = False


def clean_name(name: str) -> str:
    return re.sub(r"[\s·•.]", "", name or "")


def full_spellings(name: str) -> frozenset[str]:
    """Every full-pinyin spelling of the name (surnames with two readings give two)."""
    n = clean_name(name)
    return frozenset(k for k in name_keys(n) if len(k) > len(n))


def fuzzy(spelling: str) -> str:
    for pattern, repl in _FUZZY:
        spelling = pattern.sub(repl, spelling)
    return spelling


def _address(text: str) -> str:
    return re.sub(r"[\s,，.。、\-—()（）#]", "", unicodedata.normalize("NFKC", text or ""))


def score(probe: PersonProbe, other: PersonProbe) -> tuple[int, list[str]] | None:
    """The evidence that two descriptions are one person, or None when they cannot be (different
    ID numbers, or names that neither match nor sound alike)."""
    if probe.id_number and other.id_number:
        if probe.id_number == other.id_number:
            return 100, ["身份证号相同"]
        return None
    a, b = clean_name(probe.name), clean_name(other.name)
    if a == b:
        points, reasons = 40, ["姓名相同"]
    else:
        sa, sb = full_spellings(a), full_spellings(b)
        common = sa & sb
        if common:
            points, reasons = 30, [f"姓名同音（{a}/{b}，{min(common)}）"]
        elif {fuzzy(s) for s in sa} & {fuzzy(s) for s in sb}:
            points, reasons = 20, [f"姓名音近（{a}/{b}）"]
        else:
            return None
    if probe.birth_date and other.birth_date:
        if probe.birth_date == other.birth_date:
            points += 30
            reasons.append("出生日期相同")
        else:
            points -= 60
            reasons.append(f"出生日期不同（{probe.birth_date}/{other.birth_date}）")
    if probe.sex and other.sex:
        if probe.sex == other.sex:
            points += 5
            reasons.append("性别相同")
        else:
            points -= 60
            reasons.append("性别不同")
    ad, bd = _address(probe.address), _address(other.address)
    if ad and bd:
        if ad == bd:
            points += 25
            reasons.append("现住址相同")
        elif min(len(ad), len(bd)) >= 6 and (ad in bd or bd in ad):
            points += 15
            reasons.append("现住址相近")
    if probe.phone and other.phone and probe.phone == other.phone:
        points += 25
        reasons.append("联系电话相同")
    return points, reasons


def _probe_of(p: Person) -> PersonProbe:
    return PersonProbe(p.name, p.id_number, p.birth_date, p.sex, p.address or "", p.phone or "")


class PersonIndex:
    """The station's person files (not voided), looked up by the sound of the name."""

    def __init__(self) -> None:
        self._people: dict[int, tuple[PersonProbe, str]] = {}
        self._by_sound: dict[str, set[int]] = {}
        self._by_id: dict[str, int] = {}

    @classmethod
    def load(cls, session: Session) -> "PersonIndex":
        index = cls()
        for p in session.scalars(select(Person).where(Person.status != "voided")):
            index.add(p)
        return index

    def add(self, p: Person) -> None:
        probe = _probe_of(p)
        self._people[p.id] = (probe, p.uuid)
        for s in full_spellings(p.name) or {clean_name(p.name)}:
            self._by_sound.setdefault(fuzzy(s), set()).add(p.id)
        if p.id_number:
            self._by_id[p.id_number] = p.id

    def update(self, p: Person) -> None:
        self.remove(p.id)
        self.add(p)

    def remove(self, person_id: int) -> None:
        entry = self._people.pop(person_id, None)
        if entry is None:
            return
        for ids in self._by_sound.values():
            ids.discard(person_id)
        if entry[0].id_number and self._by_id.get(entry[0].id_number) == person_id:
            del self._by_id[entry[0].id_number]

    def candidates(self, probe: PersonProbe, exclude_id: int | None = None,
                   at_least: int = SUGGEST_AT) -> list[MatchCandidate]:
        """Files that may be this person, best first, each with its score and reasons."""
        ids: set[int] = set()
        if probe.id_number and probe.id_number in self._by_id:
            ids.add(self._by_id[probe.id_number])
        for s in full_spellings(probe.name) or {clean_name(probe.name)}:
            ids |= self._by_sound.get(fuzzy(s), set())
        out = []
        for pid in ids - {exclude_id}:
            other, uuid = self._people[pid]
            result = score(probe, other)
            if result is None or result[0] < at_least:
                continue
            same_id = bool(probe.id_number and probe.id_number == other.id_number)
            out.append(MatchCandidate(pid, uuid, other.name, min(100, result[0]), tuple(result[1]), same_id))
        out.sort(key=lambda c: (-c.score, c.person_id))
        return out


def find_matches(db: Store, probe: PersonProbe, exclude_id: int | None = None) -> list[MatchCandidate]:
    """On entry: the files already on record that may be this person (ID number first)."""
    if probe.id_number:
        ident = parse_id_number(probe.id_number)
        probe = PersonProbe(probe.name, ident.number, ident.birth_date, ident.sex, probe.address, probe.phone)
    with db.read() as session:
        return PersonIndex.load(session).candidates(probe, exclude_id)


# -- merge and undo ------------------------------------------------------------------------------
MERGE_FILL = ("id_number", "sex", "birth_date", "phone", "address", "community", "grid", "risk_categories",
              "control_plan", "mental_risk_grade", "guardian_name", "guardian_phone", "summary")


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _person(session: Session, person_id: int) -> Person:
    p = session.get(Person, person_id)
    if p is None:
        raise NotFound(f"人员档案不存在：{person_id}", f"no such person: {person_id}")
    return p


def merge_persons(db: Store, actor: Actor, keep_id: int, merged_id: int, reason: str) -> Changes:
    """Merge file `merged_id` into `keep_id` in one transaction, logged so it can be undone."""
    why = require_text(reason, "合并理由", "a reason for the merge", "reason")
    if keep_id == merged_id:
        raise ValidationError("不能把档案与自身合并", "a file cannot be merged into itself", "person")
    with db.write(actor, MERGE_ACTION) as session:
        keep, gone = _person(session, keep_id), _person(session, merged_id)
        for p in (keep, gone):
            if p.status == "voided":
                raise RuleViolation(f"档案{p.name}（#{p.id}）已作废，不能合并", f"person {p.id} is voided", "person")
        if keep.id_number and gone.id_number and keep.id_number != gone.id_number:
            raise RuleViolation(f"两份档案的身份证号不同（{keep.id_number}/{gone.id_number}），是两个人，不能合并",
                                "the two files have different ID numbers: two people", "id_number")
        authorize(actor, "edit_record", keep)
        authorize(actor, "void_record", gone)
        ts = R.now()
        moved, dropped = [], []
        for link in session.scalars(select(PersonLink).where(PersonLink.person_id == gone.id)).all():
            twin = session.scalar(select(PersonLink.id).where(
                PersonLink.person_id == keep.id, PersonLink.module == link.module,
                PersonLink.record_id == link.record_id))
            if twin is None:
                link.person_id = keep.id
                moved.append(link.uuid)
            else:  # the kept file is already linked to that record: the duplicate link goes
                dropped.append({"uuid": link.uuid, "module": link.module, "record_id": link.record_id,
                                "role": link.role, "created_at": link.created_at.isoformat()})
                session.delete(link)
        members_moved, members_dropped = [], []
        for m in session.scalars(select(DedicatedMember).where(DedicatedMember.person_id == gone.id)).all():
            if session.scalar(select(DedicatedMember.id).where(DedicatedMember.person_id == keep.id,
                                                               DedicatedMember.officer_id == m.officer_id)) is None:
                m.person_id = keep.id
                members_moved.append(m.id)
            else:
                members_dropped.append({"officer_id": m.officer_id, "duty": m.duty})
                session.delete(m)
        before = {"status": gone.status, "next_due": _plain(gone.next_due)}
        session.add(LevelChange(module="person", record_id=gone.id, from_level=gone.level, to_level=gone.level,
                                changed_at=ts, officer_id=actor.officer_id,
                                reason=f"作废：合并至{keep.name}（{keep.uuid}）：{why}", outcome="voided"))
        gone.status, gone.voided_at, gone.void_reason = "voided", ts, f"合并至 {keep.uuid}"
        gone.next_due, gone.updated_at = None, ts
        session.flush()  # voided first, so its ID number may pass to the kept file
        filled = R.fill_blank_fields_in(session, actor, Module.PERSON, keep, {k: getattr(gone, k) for k in MERGE_FILL})
        audit.append_event(session, actor, MERGE_ACTION, "person", gone.uuid, {
            "kept": keep.uuid, "kept_id": keep.id, "merged": gone.uuid, "merged_id": gone.id, "reason": why,
            "links_moved": moved, "links_dropped": dropped, "members_moved": members_moved,
            "members_dropped": members_dropped, "filled": {k: _plain(v) for k, v in filled.items()},
            "before": before})
    return Changes.of(("person", keep_id), ("person", merged_id))


def last_merge(db: Store, merged_id: int) -> dict | None:
    """The merge event that voided this file, if it is still in force (not undone)."""
    with db.read() as session:
        gone = _person(session, merged_id)
        return _last_merge(session, gone)


def _last_merge(session: Session, gone: Person) -> dict | None:
    row = session.execute(select(AuditEntry.action, AuditEntry.detail).where(
        AuditEntry.record_uuid == gone.uuid, AuditEntry.action.in_((MERGE_ACTION, UNDO_ACTION)))
        .order_by(AuditEntry.seq.desc()).limit(1)).first()
    if row is None or row[0] != MERGE_ACTION:
        return None
    return json.loads(row[1])


def undo_merge(db: Store, actor: Actor, merged_id: int, reason: str = "撤销合并") -> Changes:
    """Put a merged file back as it was: active again, its links and team members back, and the
    fields it filled in the kept file emptied again where nobody has changed them since."""
    why = require_text(reason, "撤销理由", "a reason", "reason")
    with db.write(actor, UNDO_ACTION) as session:
        gone = _person(session, merged_id)
        event = _last_merge(session, gone)
        if event is None or gone.status != "voided":
            raise RuleViolation(f"档案{gone.name}（#{gone.id}）没有可撤销的合并", "this file has no merge to undo",
                                "person")
        keep = _person(session, event["kept_id"])
        authorize(actor, "edit_record", keep)
        authorize(actor, "void_record", gone)
        if gone.id_number and session.scalar(select(Person.id).where(
                Person.id_number == gone.id_number, Person.id.not_in((gone.id, keep.id)),
                Person.status != "voided")):
            raise RuleViolation(f"身份证号{gone.id_number}已在另一份档案中，不能恢复", "the ID number is on another file",
                                "id_number")
        for link in session.scalars(select(PersonLink).where(PersonLink.uuid.in_(event["links_moved"]))):
            if link.person_id == keep.id:
                link.person_id = gone.id
        for d in event["links_dropped"]:
            session.add(PersonLink(uuid=d["uuid"], person_id=gone.id, module=d["module"], record_id=d["record_id"],
                                   role=d["role"], created_at=R.now()))
        for m in session.scalars(select(DedicatedMember).where(DedicatedMember.id.in_(event["members_moved"]))):
            if m.person_id == keep.id:
                m.person_id = gone.id
        for d in event["members_dropped"]:
            session.add(DedicatedMember(person_id=gone.id, officer_id=d["officer_id"], duty=d["duty"]))
        restored = []
        for key, value in event["filled"].items():
            if _plain(getattr(keep, key)) == value:
                setattr(keep, key, None if key in ("id_number", "sex", "birth_date", "mental_risk_grade") else "")
                restored.append(key)
        if restored:
            keep.search_text = R.person_search_text(keep)
            keep.updated_at = R.now()
        ts = R.now()
        session.add(LevelChange(module="person", record_id=gone.id, from_level=gone.level, to_level=gone.level,
                                changed_at=ts, officer_id=actor.officer_id, reason=f"撤销合并：{why}", outcome=""))
        gone.status = event["before"]["status"]
        gone.voided_at = gone.void_reason = None
        gone.next_due = date.fromisoformat(event["before"]["next_due"]) if event["before"]["next_due"] else None
        gone.updated_at = ts
        audit.append_event(session, actor, UNDO_ACTION, "person", gone.uuid,
                           {"kept": keep.uuid, "merged": gone.uuid, "reason": why, "emptied_again": restored})
    return Changes.of(("person", keep.id), ("person", merged_id))
