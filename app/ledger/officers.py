"""Officers as ledgers write them: the roster by name and badge number, the person's mapping
(陈警官 → 陈刚, a badge number, a typo), suggestions for what nobody mapped, and the officers
a person chose to add to the roster while importing."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select

from app.domain.permissions import authorize
from app.errors import ValidationError
from models import Officer, Team

#: Honorifics and duty words stations write after a surname (陈警官, 王所, 李队).
_TITLE_SUFFIX = re.compile(r"(警官|警长|民警|所长|副所长|教导员|指导员|队长|中队长|所|队|同志)$")
ROLE_OF_FIELD = {"officer": "officer", "team_leader": "team_leader", "leader": "leader"}


def officer_key(text: str) -> str:
    """How an officer's writing is compared: no spaces, Latin lower-cased, full-width digits plain."""
    text = re.sub(r"\s+", "", str(text or ""))
    return text.translate({0xFF10 + i: ord("0") + i for i in range(10)}).lower()


@dataclass
class Match:
    """What a writing resolves to: officer ids (one when sure), or why not."""

    ids: list[int]
    how: str = ""  # "name", "badge", "mapping", "added"
    rejected: bool = False


@dataclass
class Roster:
    """The station's active officers as the import sees them, plus the mapping's choices."""

    by_name: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # key → [(id, role)]
    by_badge: dict[str, tuple[int, str]] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    aliases: dict[str, str | None] = field(default_factory=dict)  # key → roster name/badge, None: reject

    @classmethod
    def load(cls, session, aliases: dict[str, str | None] | None = None) -> "Roster":
        r = cls()
        for oid, name, role, badge in session.execute(
                select(Officer.id, Officer.name, Officer.role, Officer.badge_no).where(Officer.active)):
            r.add(oid, name, role, badge)
        r.aliases = {officer_key(k): v for k, v in (aliases or {}).items()}
        return r

    def add(self, oid: int, name: str, role: str, badge: str = "") -> None:
        self.by_name.setdefault(officer_key(name), []).append((oid, role))
        if badge and badge.strip():
            self.by_badge[officer_key(badge)] = (oid, role)
        self.names[oid] = name.strip()

    def direct(self, text: str) -> list[tuple[int, str]]:
        key = officer_key(text)
        if key in self.by_name:
            return self.by_name[key]
        if key in self.by_badge:
            return [self.by_badge[key]]
        return []

    def find(self, text: str) -> tuple[list[tuple[int, str]], str]:
        """(candidates, how): the roster by name, then by badge, then the mapping. A mapping to
        None is ([], "rejected")."""
        key = officer_key(text)
        found = self.direct(text)
        if found:
            return found, "roster"
        if key in self.aliases:
            target = self.aliases[key]
            if target is None:
                return [], "rejected"
            return self.direct(target), "mapping"
        return [], ""

    def suggest(self, text: str) -> int | None:
        """One officer the writing most likely means (陈警官 → the only 陈 on the roster; a name
        one character off), or None; never applied without a person's say."""
        key = officer_key(text)
        stem = _TITLE_SUFFIX.sub("", key)
        if stem != key and 1 <= len(stem) <= 2:
            hits = {oid for name, lst in self.by_name.items() if name.startswith(stem) for oid, _ in lst}
            if len(hits) == 1:
                return hits.pop()
            return None
        if len(key) >= 2:
            hits = {oid for name, lst in self.by_name.items() if len(name) == len(key)
                    and sum(a != b for a, b in zip(name, key)) == 1 for oid, _ in lst}
            if len(hits) == 1:
                return hits.pop()
        return None


def add_to_roster_in(session, actor, station_id: int, roster: Roster, name: str, team_name: str,
                     role: str = "officer") -> int:
    """Add an officer a ledger names to the roster in the named team (the policy's add_officer)."""
    authorize(actor, "add_officer")
    clean = name.strip()
    if not clean or len(clean) > 30:
        raise ValidationError(f"民警姓名“{clean[:30]}”为空或过长", "the officer's name is empty or too long", "officer")
    team_id = session.scalar(select(Team.id).where(Team.station_id == station_id, Team.name == team_name.strip()))
    if team_id is None:
        teams = "、".join(session.scalars(select(Team.name).where(Team.station_id == station_id)))
        raise ValidationError(f"队组“{team_name}”不存在（本所队组：{teams or '无'}）",
                              f"no team called '{team_name}'", "team")
    o = Officer(station_id=station_id, team_id=team_id, name=clean, role=role, badge_no="")
    session.add(o)
    session.flush()
    roster.add(o.id, clean, role)
    return o.id
