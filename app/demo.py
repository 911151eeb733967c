"""The demo station: a deterministic, believable station with two years of history, written in bulk.

Same seed, scale and as-of date give the same database, row for row in every table: all
randomness comes from `random.Random` streams seeded from the arguments, all timestamps from
`as_of` (never the clock), and the uuids from the seed (a per-station prefix and a counter,
which also keeps each uuid index appended at its right edge instead of split at random).

Each record is simulated as a small life: created at a level, then moved between levels by
dated, attributed and reasoned changes, worked on by actions at about the follow-up cadence,
and ended green, converted (dispute -> case) or voided, or still active on `as_of`. The derived
fields (status, last activity, next due, solved/closed/resolved dates, version) are computed
from that life with the same rules the record services use, so the data passes every check
the services and the statistics apply. Rows go in through one DBAPI transaction with
`executemany` of tuples, chunk by chunk, with the secondary indexes and the search-index
triggers dropped during the load and rebuilt once at the end (shared/PERFORMANCE.md). For a
large station the same generator runs in a second process (a fresh interpreter importing only
this module) and streams its rows to this one, so making rows and inserting them overlap on two
cores; the rows are the same either way.
"""
from __future__ import annotations

import math
import os
import pickle
import random
import subprocess
import sys
import time
import traceback
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Callable

from app import demo_data as W
from app.domain.levels import DEFAULT_CADENCE_DAYS, SATISFACTION_NAMES, Level
from app.domain.rules import next_due_date
from app.errors import ValidationError
from app.services.records import case_search_text, dispute_search_text, person_search_text
from app.store import Store, bulk

#: Records at scale 1: the seed's station has 331 key persons; a busy urban station accepts
#: some 70 cases and 40 disputes a month.
BASE_CASES = 1850
BASE_DISPUTES = 1120
BASE_PERSONS = 331
HISTORY_MONTHS = 26
MAX_SCALE = 1000.0
CHUNK = 4000
#: From this many records the rows are generated in a second process while this one inserts:
#: the two halves of the work take about as long as each other (measured at 1M records).
PARALLEL_FROM = 50_000

DAY = 86400
WORK_START = 8 * 3600 + 30 * 60
WORK_END = 21 * 3600 + 30 * 60
#: The history ends at the morning meeting (晨会) of `as_of`, so no timestamp is later in the day.
MORNING = 8 * 3600 + 30 * 60
EARLY = 7 * 3600

CAD = {k.value: v for k, v in DEFAULT_CADENCE_DAYS.items()}
LEVELS = {lv.value: lv for lv in Level}
SEVERITY = {"green": 0, "yellow": 1, "orange": 2, "red": 3}

_COMMON = ("id", "uuid", "level", "status", "summary", "search_text", "created_at", "updated_at",
           "level_changed_at", "last_activity_on", "next_due", "voided_at", "void_reason", "version",
           "station_id", "team_id", "leader_id", "team_leader_id", "officer_id")
CASE_COLS = _COMMON + ("case_no", "kind", "category", "cause", "place", "accepted_on", "filed_on", "solved_on",
                       "closed_on", "source_dispute_id")
DISPUTE_COLS = _COMMON + ("dispute_no", "category", "source", "focus_area", "parties", "place", "community",
                          "found_on", "resolved_on", "outcome", "satisfaction", "followed_up_on",
                          "converted_case_id", "converted_at")
PERSON_COLS = _COMMON + ("name", "id_number", "sex", "birth_date", "phone", "address", "community", "grid",
                         "risk_categories", "control_plan", "mental_risk_grade", "guardian_name",
                         "guardian_phone", "skynet", "listed_on", "delisted_on", "delist_reason")
LC_COLS = ("id", "uuid", "module", "record_id", "from_level", "to_level", "changed_at", "officer_id", "reason",
           "outcome")
ACTION_COLS = ("id", "uuid", "module", "record_id", "kind", "acted_at", "officer_id", "content", "outcome",
               "next_due", "recorded_at")
LINK_COLS = ("id", "uuid", "person_id", "module", "record_id", "role", "created_at")
MEMBER_COLS = ("id", "person_id", "officer_id", "duty")
BULK_TABLES = ("case_record", "dispute", "person", "level_change", "action", "person_link", "dedicated_member")
HISTORY = (("level_change", LC_COLS, "lc_rows"), ("action", ACTION_COLS, "act_rows"),
           ("person_link", LINK_COLS, "link_rows"), ("dedicated_member", MEMBER_COLS, "member_rows"))

#: Where generated rows go: `out(sql, rows, done)` runs `sql` over `rows` and reports `done`
#: more records made. Callers hand over a list and never touch it again (it may be in flight).
Out = Callable[[str | None, list | None, int], None]

_TIMES: list[str] = []


def _times() -> list[str]:
    """'HH:MM:SS.000000' for every second of a day (SQLAlchemy's SQLite DATETIME format)."""
    if not _TIMES:
        seconds = [f"{s:02d}.000000" for s in range(60)]
        _TIMES.extend(f"{m // 60:02d}:{m % 60:02d}:{s}" for m in range(1440) for s in seconds)
    return _TIMES


@dataclass(frozen=True)
class DemoSummary:
    """What `generate_demo` made."""

    station_id: int
    station_name: str
    station_code: str
    branch_name: str
    seed: int
    scale: float
    as_of: date
    teams: int
    officers: int
    cases: int
    disputes: int
    persons: int
    level_changes: int
    actions: int
    person_links: int
    dedicated_members: int
    seconds: float

    @property
    def records(self) -> int:
        return self.cases + self.disputes + self.persons


def station_identity(seed: int) -> tuple[str, str, str, str]:
    """(station name, station code, branch name, county code) for a seed. Consecutive seeds are
    stations of the same branch office; every seed gives a different name and code."""
    per_branch = len(W.BRANCHES[0][2])
    slot, round_no = (seed - 1) % (per_branch * len(W.BRANCHES)), (seed - 1) // (per_branch * len(W.BRANCHES))
    branch, county, places = W.BRANCHES[slot // per_branch]
    place = places[slot % per_branch]
    name = f"{place}派出所" if round_no == 0 else f"{place}第{round_no + 1}派出所"
    return name, f"{county}5{slot % per_branch + 1:02d}{round_no:03d}", branch, county


def _picker(rnd: Callable[[], float], items, weights) -> Callable[[], object]:
    """A fast weighted choice bound to one random stream."""
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)
    items = tuple(items)
    last = len(items) - 1

    def pick():
        i = bisect_right(cum, rnd() * total)
        return items[i if i <= last else last]
    return pick


class _Rec:
    """The running state of one record's life while it is generated."""

    __slots__ = ("module", "rid", "off", "level", "t0", "last_t", "level_t", "act_day", "version", "changes")

    def __init__(self, module: str, rid: int, off: tuple, level: str, t0: int):
        self.module, self.rid, self.off, self.level, self.t0 = module, rid, off, level, t0
        self.last_t = self.level_t = t0
        self.act_day = t0 // DAY
        self.version = 1
        self.changes: list[tuple[int, str, str]] = []  # (time, from, to) after creation


class _Demo(W.Material):
    """One generation run: the station, the random streams, the clock and the rows waiting to be written.

    Times are whole seconds counted from day 1 of the proleptic calendar (`ordinal * DAY + second`)."""

    def __init__(self, seed: int, scale: float, as_of: date, ids: dict[str, int]):
        self.seed, self.scale, self.as_of, self.ids = seed, scale, as_of, ids
        self.lc_next, self.act_next, self.link_next = ids["level_change"], ids["action"], ids["person_link"]
        self.member_next = ids["dedicated_member"]
        self.plan = random.Random(f"station-demo/{seed}/plan")
        self.A = as_of.toordinal()
        months_back = as_of.year * 12 + as_of.month - 1 - HISTORY_MONTHS
        self.S = date(months_back // 12, months_back % 12 + 1, 1).toordinal()
        self.end = self.A * DAY + MORNING
        self.dbase = self.S - 4000
        self.days = [date.fromordinal(o).isoformat() for o in range(self.dbase, self.A + 1)]
        self.stamps = [d + " " for d in self.days]
        self.times = _times()
        prefix = "%016x" % self.plan.getrandbits(64)
        self.uuid_prefix = {t: f"{prefix}{i:02x}" for i, t in enumerate(
            ("station", "team", "officer", "person", "dispute", "case", "lc", "action", "link"))}
        self.lc_rows: list[tuple] = []
        self.act_rows: list[tuple] = []
        self.link_rows: list[tuple] = []
        self.member_rows: list[tuple] = []
        self.lc_uuid, self.act_uuid, self.link_uuid = (self.uuid_prefix[k] for k in ("lc", "action", "link"))
        self.flags: dict[str, bool] = {}
        self.rnd = self.plan.random

    # -- small helpers -------------------------------------------------------------------------
    def ts(self, t: int) -> str:
        return self.stamps[t // DAY - self.dbase] + self.times[t % DAY]

    def day(self, d: int) -> str:
        return self.days[d - self.dbase]

    def use(self, rng: random.Random) -> None:
        """Switch the stream the helpers draw from (one stream per module keeps them independent)."""
        self.rnd = rnd = rng.random
        self.pick_surname = _picker(rnd, [s for s, _ in W.SURNAMES], [w for _, w in W.SURNAMES])

    def stamp(self, d: int, after: int) -> int:
        """A time on day `d` after `after`, in working hours (before the morning meeting on as_of)."""
        lo = after + 60 if after // DAY == d else d * DAY + (EARLY if d == self.A else WORK_START)
        hi = d * DAY + (MORNING if d == self.A else WORK_END)
        if lo >= hi:
            return after + 1
        return lo + int(self.rnd() * (hi - lo))

    def later(self, t: int, days: float) -> int:
        return self.stamp(t // DAY + int(days), t)

    def clock(self, d: int) -> int:
        """A working-hours time on day `d`."""
        return self.stamp(d, d * DAY - 1)

    # -- history rows --------------------------------------------------------------------------
    def lc(self, rec: _Rec, t: int, frm: str | None, to: str, officer: int, reason: str, outcome: str = "",
           marker: bool = False) -> None:
        i = self.lc_next = self.lc_next + 1
        self.lc_rows.append((i, f"{self.lc_uuid}{i:014x}", rec.module, rec.rid, frm, to,
                             self.stamps[t // DAY - self.dbase] + self.times[t % DAY], officer, reason, outcome))
        if frm is not None:
            rec.version += 1
        if t > rec.last_t:
            rec.last_t = t
        if not marker:
            rec.level_t = t
            d = t // DAY
            if d > rec.act_day:
                rec.act_day = d

    def act(self, rec: _Rec, t: int, kind: str, officer: int, content: str, outcome: str = "") -> None:
        i = self.act_next = self.act_next + 1
        rec_t = t + 60 + int(self.rnd() * 3000)
        if rec_t > self.end:
            rec_t = max(t, self.end)
        stamps, times, base = self.stamps, self.times, self.dbase
        self.act_rows.append((i, f"{self.act_uuid}{i:014x}", rec.module, rec.rid, kind,
                              stamps[t // DAY - base] + times[t % DAY], officer, content, outcome, None,
                              stamps[rec_t // DAY - base] + times[rec_t % DAY]))
        rec.version += 1
        if rec_t > rec.last_t:
            rec.last_t = rec_t
        d = t // DAY
        if d > rec.act_day:
            rec.act_day = d

    def link(self, person_id: int, module: str, record_id: int, role: str, t: int) -> None:
        i = self.link_next = self.link_next + 1
        self.link_rows.append((i, f"{self.link_uuid}{i:014x}", person_id, module, record_id, role, self.ts(t)))

    def worker(self, rec: _Rec) -> int:
        """Who logs a piece of work: mostly the responsible officer, sometimes a teammate."""
        r = self.rnd()
        if r < 0.78:
            return rec.off[0]
        if r < 0.9:
            return rec.off[2]
        return self.one(self.team_members[rec.off[1]])

    def changer(self, rec: _Rec, frm: str, to: str) -> int:
        """Who changes a level: closing a red record or de-listing a person needs the station
        leader (rules.check_level_change); raising the level is often the team leader's call."""
        if to == "green" and (frm == "red" or rec.module == "person"):
            return rec.off[3]
        if SEVERITY[to] > SEVERITY[frm] and self.rnd() < 0.5:
            return rec.off[2]
        return rec.off[0]

    # -- the walk ------------------------------------------------------------------------------
    def walk(self, rec: _Rec, walk: dict, texts, growth: float) -> tuple[str, int] | None:
        """Move a record through its levels until `end`; return ('convert', time) when a dispute
        leaves for the case module, else None (the record stays at `rec.level`)."""
        rnd, log, end = self.rnd, math.log, self.end
        t = rec.t0
        while True:
            lvl = rec.level
            x, target, t_next = rnd(), None, end + 1
            for tgt, p, mn, mean in walk[lvl]:
                if x < p:
                    target = tgt
                    t_next = self.later(t, mn - mean * log(1.0 - rnd()))
                    break
                x -= p
            cad = CAD[lvl]
            if cad is not None:
                self.fill(rec, t, min(t_next, end), cad, growth, texts)
            if t_next > end:
                return None
            if t_next <= rec.last_t:
                t_next = rec.last_t + 1
                if t_next > end:
                    return None
            if target == "convert":
                return target, t_next
            texts.before_change(rec, t_next, lvl, target)
            if target == "green":
                reason, outcome = texts.close(rec, lvl)
            else:
                reason, outcome = self.one(texts.reasons.get((lvl, target), texts.generic)), ""
            self.lc(rec, t_next, lvl, target, self.changer(rec, lvl, target), reason, outcome)
            rec.changes.append((t_next, lvl, target))
            rec.level = target
            t = t_next

    def fill(self, rec: _Rec, t: int, stop: int, cad: int, growth: float, texts) -> None:
        """Actions at about the cadence between `t` and `stop`, thinning out as a matter drags on."""
        rnd, act, work, worker, last = self.rnd, self.act, texts.work, self.worker, self.A
        k = 0
        while True:
            gap = cad * (0.55 + 0.6 * rnd()) * (1.0 + growth * k)
            d = t // DAY + (int(gap) if gap > 1 else 1)  # always a later day: working hours
            if d < last:
                t = d * DAY + WORK_START + int(rnd() * (WORK_END - WORK_START))
            elif d == last:
                t = d * DAY + EARLY + int(rnd() * (MORNING - EARLY))
            else:
                return
            if t >= stop:
                return
            kind, content = work(rec)
            act(rec, t, kind, worker(rec), content)
            k += 1

    def settle(self, rec: _Rec, texts, keep_overdue: float, due_today: float) -> None:
        """The state on as_of of a record still open: most are worked on in time, a few are
        overdue and a few are due today (at least one of each per module)."""
        cad, A, flags = CAD[rec.level], self.A, self.flags
        today, overdue = rec.module + ":today", rec.module + ":overdue"
        target = A - cad  # work done on this day makes the record due today
        if rec.act_day == target:
            flags[today] = True
            return
        if rec.act_day < target and (not flags.get(today) or self.rnd() < due_today):
            t = self.stamp(target, rec.last_t)
            if t // DAY == target and rec.last_t < t <= self.end:
                self._work(rec, t, texts)
                flags[today] = True
                return
        if rec.act_day + cad >= A:
            return
        if not flags.get(overdue) or self.rnd() < keep_overdue:
            flags[overdue] = True
            return
        lo = max(rec.act_day, A - cad + 1)
        t = self.stamp(lo + int(self.rnd() * (A - lo + 1)), rec.last_t)
        if rec.last_t < t <= self.end:
            self._work(rec, t, texts)

    def _work(self, rec: _Rec, t: int, texts) -> None:
        kind, content = texts.work(rec)
        self.act(rec, t, kind, self.worker(rec), content)

    def common(self, rec: _Rec, uuid: str, status: str, summary: str, search: str,
               voided: tuple[int, str] | None = None) -> tuple:
        level = rec.level
        due = None
        if status == "active":
            due_d = next_due_date(LEVELS[level], date.fromordinal(rec.act_day))
            due = None if due_d is None else due_d.isoformat()
        off = rec.off
        return (rec.rid, uuid, level, status, summary, search, self.ts(rec.t0), self.ts(rec.last_t),
                self.ts(rec.level_t), self.day(rec.act_day), due,
                self.ts(voided[0]) if voided else None, voided[1] if voided else None, rec.version,
                self.station_id, off[1], off[3], off[2], off[0])

    def void(self, rec: _Rec, reasons: tuple[str, ...]) -> tuple[int, str] | None:
        """Void a wrong entry a few days after it was made; None if that falls after as_of."""
        t = self.later(rec.last_t, self.rnd() * 4)
        if t > self.end:
            return None
        why = self.one(reasons)
        self.lc(rec, t, rec.level, rec.level, rec.off[2], f"作废：{why}", "voided", marker=True)
        return t, why

    # -- planning ------------------------------------------------------------------------------
    def intake(self, rng: random.Random, n: int, season: tuple[float, ...], trend: tuple[float, float],
               weekend: float) -> list[int]:
        """`n` creation times over the history, sorted: seasonal, trending, noisy month to month."""
        noise: dict[tuple[int, int], float] = {}
        weights, total, days = [], 0.0, []
        for o in range(self.S, self.A + 1):
            d = date.fromordinal(o)
            ym = (d.year, d.month)
            if ym not in noise:
                noise[ym] = 0.82 + 0.36 * rng.random()
            x = (o - self.S) / max(1, self.A - self.S)
            w = season[d.month - 1] * (trend[0] + trend[1] * x) * noise[ym] * (weekend if d.weekday() >= 5 else 1)
            total += w
            weights.append(total)
            days.append(o)
        rnd = rng.random
        hour = _picker(rnd, range(24), W.REPORT_HOURS)
        keys = []
        for o in rng.choices(days, cum_weights=weights, k=n):
            s = hour() * 3600 + int(rnd() * 3600)
            if o == self.A:
                s = s * MORNING // DAY
            keys.append(o * DAY + s)
        keys.sort()
        return keys

    # -- the organisation ----------------------------------------------------------------------
    def organisation(self, out: Out) -> None:
        """The station, 4-6 teams, 1-3 station leaders, a leader per team and 20-40 officers."""
        rng = random.Random(f"station-demo/{self.seed}/org")
        self.use(rng)
        rnd = self.rnd
        name, code, branch, county = station_identity(self.seed)
        self.station_name, self.station_code, self.branch_name, self.county = name, code, branch, county
        self.communities = tuple(rng.sample(W.COMMUNITIES, 8 + int(rnd() * 5)))
        self.roads = tuple(rng.sample(W.ROADS, 12))
        self.estates = tuple(rng.sample(W.ESTATES, 12))
        self.station_id = sid = self.ids["station"] + 1
        out("INSERT INTO station (id, uuid, code, name, branch_name, is_demo, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)",
            [(sid, self.uuid_prefix["station"] + "%014x" % sid, code, name, branch,
              self.ts(self.S * DAY + WORK_START))], 0)
        teams = W.TEAMS[:4 + int(rnd() * 3)]
        names: set[str] = set()
        badges: set[str] = set()
        officer_rows: list[tuple] = []

        def officer(team: int | None, role: str) -> int:
            oid = self.ids["officer"] + len(officer_rows) + 1
            while (n := self.name(rnd() < 0.82)) in names:
                pass
            while (b := f"{county[2:4]}{int(rnd() * 10000):04d}") in badges:
                pass
            names.add(n)
            badges.add(b)
            officer_rows.append((oid, self.uuid_prefix["officer"] + "%014x" % oid, sid, team, n, b, role,
                                 self.mobile()))
            return oid

        leaders = [officer(None, "leader") for _ in range(1 + int(rnd() * 3))]
        team_rows, team_info = [], []  # team_info: (team id, kind, team leader id, supervising leader id)
        for k, (tname, kind) in enumerate(teams):
            tid = self.ids["team"] + k + 1
            team_rows.append((tid, self.uuid_prefix["team"] + "%014x" % tid, sid, tname))
            team_info.append((tid, kind, officer(tid, "team_leader"), leaders[k % len(leaders)]))
        # Every team gets three officers; the rest go mostly to case work and patrol.
        pick_team = _picker(rnd, team_info, [W.TEAM_SIZE[kind] for _, kind in teams])
        crews = team_info * 3
        crews += [pick_team() for _ in range(20 + int(rnd() * 21) - len(crews))]
        self.team_members = {t[0]: [t[2]] for t in team_info}
        self.staff = [((t[2], t[0], t[2], t[3]), t[1], 0.3) for t in team_info]  # (people, team kind, share)
        for t in crews:
            oid = officer(t[0], "officer")
            self.team_members[t[0]].append(oid)
            self.staff.append(((oid, t[0], t[2], t[3]), t[1], 1.0))
        out("INSERT INTO team (id, uuid, station_id, name) VALUES (?, ?, ?, ?)", team_rows, 0)
        out("INSERT INTO officer (id, uuid, station_id, team_id, name, badge_no, role, phone, active) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)", officer_rows, 0)
        self.n_teams, self.n_officers = len(team_rows), len(officer_rows)

    def officer_picker(self, module: str) -> Callable[[], tuple]:
        work = W.TEAM_WORK[module]
        return _picker(self.rnd, [s[0] for s in self.staff], [work[s[1]] * s[2] for s in self.staff])

    def flush(self, out: Out, table: str | None = None, cols: tuple[str, ...] = (), rows: list | None = None,
              done: int = 0) -> None:
        """Hand over a chunk of record rows, then the history rows made with them."""
        if rows:
            out(_insert_sql(table, cols), rows, 0)
        for name, history_cols, attr in HISTORY:
            pending = getattr(self, attr)
            if pending:
                out(_insert_sql(name, history_cols), pending, 0)
                setattr(self, attr, [])
        out(None, None, done)


def _insert_sql(table: str, cols: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"


def _persons(g: _Demo, out: Out, n: int) -> None:
    rng = random.Random(f"station-demo/{g.seed}/person")
    g.use(rng)
    rnd, one = g.rnd, g.one
    pick_off = g.officer_picker("person")
    pick_level = _picker(rnd, ("red", "orange", "yellow"), (10, 24, 66))
    pick_cat = {lvl: _picker(rnd, [c for c, _ in cw], [w for _, w in cw])
                for lvl, cw in W.PERSON_CATEGORY_WEIGHTS.items()}
    texts = W.PersonTexts(g, W.PERSON_REASONS)
    roster_end = g.S + 45
    keys = []
    for _ in range(n):
        d = g.S + int(rnd() * 45) if rnd() < 0.7 else roster_end + int(rnd() * (g.A - roster_end + 1))
        keys.append(g.clock(d))
    keys.sort()
    grades_high, grades_low = [3, 4, 5], [2, 1, 0]
    last_birth_year = min(2005, g.as_of.year - 16)
    base = g.ids["person"]
    g.person_meta = []  # (created time, id, name) of every person a dispute or case may name
    rows: list[tuple] = []
    for i, t0 in enumerate(keys):
        pid = base + i + 1
        off = pick_off()
        if rnd() < 0.005:
            name, male = one((("阿依古丽·买买提", False), ("买买提·艾力", True), ("热依拉·吐尔逊", False)))
        else:
            male = rnd() < 0.8
            name = g.name(male)
        id_number = sex = birth = None
        if i != 2 and rnd() >= 0.025:  # a few are on file without an ID number
            id_number, birth = g.resident_id(male, last_birth_year)
            sex = "M" if male else "F"
        phone = g.mobile() if rnd() < 0.92 else ""
        community = one(g.communities)
        grid = f"{community.removesuffix('社区')}第{1 + int(rnd() * 8)}网格"
        address = g.address()
        d0 = t0 // DAY
        listed = d0 - int(rnd() * 2900) if d0 < roster_end and rnd() < 0.85 else d0
        level0 = pick_level()
        rec = _Rec("person", pid, off, level0, t0)
        g.lc(rec, t0, None, level0, off[0], "列管登记" if listed == d0 else "录入系统，纳入动态管理")
        voided = None
        if rnd() < 0.006 or (i == n // 2 and not g.flags.get("person:void")):
            voided = g.void(rec, W.PERSON_VOID_REASONS)
            g.flags["person:void"] = voided is not None
        else:
            g.walk(rec, W.PERSON_WALK, texts, 0.03)
            if rec.level != "green":
                g.settle(rec, texts, 0.06, 0.03)
        peak = max([level0] + [c[2] for c in rec.changes], key=SEVERITY.__getitem__)
        if peak == "green":
            peak = "yellow"
        cats = [pick_cat[peak]()]
        if peak != "yellow" and rnd() < 0.15:
            extra = pick_cat[one(("red", "orange"))]()
            if extra not in cats:
                cats.append(extra)
        grade = None
        if "mental_incident" in cats:  # the first three cover grades 5, 4 and 3
            grade = grades_high.pop() if grades_high else 3 + (0 if rnd() < 0.5 else 1 if rnd() < 0.7 else 2)
        elif rnd() < 0.07:
            grade = grades_low.pop() if grades_low else int(rnd() * 3)
        guardian = guardian_phone = ""
        if grade is not None and grade >= 3:
            guardian, guardian_phone = g.name(rnd() < 0.5), g.mobile()
        status = "voided" if voided else "closed" if rec.level == "green" else "active"
        plan_level = rec.level if rec.level != "green" or not rec.changes else rec.changes[-1][1]
        plan = one(W.CONTROL_PLANS[plan_level]) + (W.MENTAL_PLAN if grade is not None and grade >= 3 else "")
        summary = one(W.PERSON_SUMMARIES[cats[0]]).format(
            crime=one(W.PERSON_CRIMES), years=one((3, 5, 7, 8, 10, 12)), year=g.as_of.year - 1 - int(rnd() * 10),
            issue=one(W.PERSON_ISSUES), amount=g.amount() * 10)
        delisted = delist_reason = None
        if rec.level == "green" and rec.changes and not voided:
            delisted, delist_reason = g.day(rec.changes[-1][0] // DAY), texts.last_outcome
        if status == "active" and rec.level in ("red", "orange"):
            team = [o for o in g.team_members[off[1]] if o not in (off[0], off[2])]
            crew = [(off[2], "专班组长")] + ([(off[0], "包保责任民警")] if off[0] != off[2] else [])
            for _ in range(int(rnd() * 3)):
                if team:
                    o = team.pop(int(rnd() * len(team)))
                    crew.append((o, one(W.DEDICATED_DUTIES[2:])))
            if len(crew) < 2:
                crew.append((off[3], "所领导包保"))
            for o, duty in crew:
                g.member_next += 1
                g.member_rows.append((g.member_next, pid, o, duty))
        search = person_search_text(SimpleNamespace(id_number=id_number, phone=phone, address=address,
                                                community=community, summary=summary, name=name))
        rows.append(g.common(rec, g.uuid_prefix["person"] + "%014x" % pid, status, summary, search, voided) + (
            name, id_number, sex, birth, phone, address, community, grid, ",".join(cats), plan, grade, guardian,
            guardian_phone, 1 if status == "active" and rec.level == "red" else 0, g.day(listed), delisted,
            delist_reason))
        if not voided:
            g.person_meta.append((t0, pid, name))
        if len(rows) >= CHUNK:
            g.flush(out, "person", PERSON_COLS, rows, len(rows))
            rows = []
    g.flush(out, "person", PERSON_COLS, rows, len(rows))
    g.person_times = [m[0] for m in g.person_meta]
    g.n_persons = n


def _serial_width(times, least: int) -> int:
    """Digits of a per-year serial: wide enough for the busiest year, so numbers sort in order."""
    per_year: dict[int, int] = {}
    for t in times:
        year = date.fromordinal(t // DAY).year
        per_year[year] = per_year.get(year, 0) + 1
    return max(least, len(str(max(per_year.values(), default=0))))


def _held(g: _Demo, keys: list[int]) -> int:
    """The record kept red and open on as_of (the morning meeting always has a red item to
    dispatch): the last one created at least three days before."""
    return max(bisect_right(keys, (g.A - 2) * DAY) - 1, 0)


def _linked_person(g: _Demo, t: int) -> tuple[int, str] | None:
    """A key person already on file at time `t`, to appear as a party."""
    k = bisect_right(g.person_times, t)
    if k == 0:
        return None
    _, pid, name = g.person_meta[int(g.rnd() * k)]
    return pid, name


def _disputes(g: _Demo, out: Out, n: int) -> None:
    rng = random.Random(f"station-demo/{g.seed}/dispute")
    g.use(rng)
    rnd, one = g.rnd, g.one
    pick_off = g.officer_picker("dispute")
    pick_cat = _picker(rnd, *zip(*W.DISPUTE_CATEGORIES))
    pick_source = _picker(rnd, *zip(*W.DISPUTE_SOURCES))
    focus_codes = tuple(W.DISPUTE_ISSUES)
    pick_focus = _picker(rnd, focus_codes, [W.DISPUTE_ISSUES[f][0] for f in focus_codes])
    pick_focus_winter = _picker(rnd, focus_codes, [W.DISPUTE_ISSUES[f][0] * (2.5 if f == "wages" else 1)
                                                   for f in focus_codes])
    pick_level = {"police_primary": _picker(rnd, ("yellow", "orange", "red"), (78, 14, 8)),
                  "non_police": _picker(rnd, ("yellow", "orange", "red"), (85, 12, 3)),
                  "assistance": _picker(rnd, ("yellow", "orange", "red"), (93, 5, 2))}
    pick_sat = _picker(rnd, ("satisfied", "basic", "unsatisfied"), (93, 5, 2))
    sources = tuple(s for s, _ in W.DISPUTE_SOURCES)
    opened = {"110": "110接处警发现", "visit": "走访排查发现", "walk_in": "群众来所反映", "referral": "相关部门移交"}
    keys = g.intake(rng, n, (1.25, 1.2, 0.95, 0.9, 0.95, 1.0, 1.05, 1.05, 0.95, 1.0, 0.95, 1.1), (0.95, 0.1), 0.85)
    g.use(rng)
    held = _held(g, keys)
    width = _serial_width(keys, 5)
    texts = W.DisputeTexts(g, W.DISPUTE_REASONS)
    base = g.ids["dispute"]
    g.conversions = []
    serial: dict[int, int] = {}
    rows: list[tuple] = []
    for i, t0 in enumerate(keys):
        did = base + i + 1
        off = pick_off()
        d0 = t0 // DAY
        found = date.fromordinal(d0)
        if n >= 9 and i < 9:  # the oldest few cover every category, source and focus area
            category = "assistance" if i == 8 else ("police_primary", "non_police")[i % 2]
            source, focus = sources[i % 4], focus_codes[i % len(focus_codes)]
        else:
            category = pick_cat()
            source = pick_source()
            focus = (pick_focus_winter if found.month in (12, 1, 2) else pick_focus)()
        if i == held and category == "assistance":
            category = "police_primary"  # the dispute kept red for the morning meeting is a real dispute
        assistance = category == "assistance"
        if assistance:
            source = "110" if rnd() < 0.8 else "walk_in"
            focus = "other"
        links = []
        a = g.name(rnd() < 0.55)
        if not assistance and rnd() < 0.05:
            hit = _linked_person(g, t0)
            if hit is not None:
                a = hit[1]
                links.append((hit[0], "party"))
        if assistance:
            b = ""
            issue = one(W.ASSISTANCE_ISSUES)
            summary = f"报警人{a}称{issue}，请求民警帮助。"
            parties = a
        else:
            b = one(W.ORGANISATIONS) if focus in ("wages", "property", "medical", "new_work") and rnd() < 0.45 \
                else g.name(rnd() < 0.5)
            issue = one(W.DISPUTE_ISSUES[focus][1])
            summary = f"{a}与{b}因{issue}发生纠纷。" + one(W.DISPUTE_DETAILS).format(amount=g.amount())
            parties = f"{a}、{b}"
        texts.a, texts.b, texts.assistance = a, b or a, assistance
        place = g.address() if focus in ("family", "neighbour", "property") else g.place()
        community = one(g.communities)
        serial[found.year] = serial.get(found.year, 0) + 1
        dispute_no = f"J{found.year}{serial[found.year]:0{width}d}"
        level0 = "red" if i == held else pick_level[category]()
        rec = _Rec("dispute", did, off, level0, t0)
        g.lc(rec, t0, None, level0, off[0], opened[source])
        for pid, role in links:
            g.link(pid, "dispute", did, role, t0)
        voided = converted = None
        resolved = outcome = satisfaction = followed = None
        if i != held and (rnd() < 0.01 or (i == n // 3 and not g.flags.get("dispute:void"))):
            voided = g.void(rec, W.VOID_REASONS)
            g.flags["dispute:void"] = voided is not None
        else:
            walk = W.HOLD if i == held else W.ASSISTANCE_WALK if assistance else W.DISPUTE_WALK
            res = g.walk(rec, walk, texts, 0.35)
            if res is not None:
                converted = res[1]
                rec.version += 1
                rec.last_t = max(rec.last_t, converted)
                g.conversions.append((converted, did, dispute_no, off, summary, rec.level, links, place))
            elif rec.level == "green":
                t_green = rec.changes[-1][0] if rec.changes else t0
                resolved, outcome = g.day(t_green // DAY), texts.last_outcome
                if rnd() < (0.5 if assistance else 0.93):
                    tf = g.later(t_green, 2 + rnd() * 12)
                    if tf <= g.end:
                        satisfaction = pick_sat()
                        g.act(rec, tf, "followup", off[0], one(W.DISPUTE_WORK["followup"]),
                              SATISFACTION_NAMES[satisfaction][0])
                        rec.version += 1  # record_followup saves the satisfaction in a second write
                        followed = g.day(tf // DAY)
            else:
                g.settle(rec, texts, 0.2, 0.04)
        status = ("voided" if voided else "converted" if converted else "closed" if rec.level == "green"
                  else "active")
        search = dispute_search_text(SimpleNamespace(dispute_no=dispute_no, place=place, community=community,
                                                 summary=summary, parties=parties))
        rows.append(g.common(rec, g.uuid_prefix["dispute"] + "%014x" % did, status, summary, search, voided) + (
            dispute_no, category, source, focus, parties, place, community, found.isoformat(), resolved,
            outcome or "", satisfaction, followed, None, g.ts(converted) if converted else None))
        if len(rows) >= CHUNK:
            g.flush(out, "dispute", DISPUTE_COLS, rows, len(rows))
            rows = []
    g.flush(out, "dispute", DISPUTE_COLS, rows, len(rows))
    g.n_disputes = n


def _cases(g: _Demo, out: Out, n: int) -> None:
    rng = random.Random(f"station-demo/{g.seed}/case")
    keys = g.intake(rng, n, (0.9, 0.8, 0.95, 1.0, 1.05, 1.1, 1.15, 1.15, 1.05, 1.0, 0.95, 1.0), (1.08, -0.16), 1.0)
    g.use(rng)
    rnd, one, log = g.rnd, g.one, math.log
    pick_off = g.officer_picker("case")
    causes = {"criminal": W.CRIMINAL_CAUSES, "administrative": W.ADMIN_CAUSES}
    pick_cause = {k: _picker(rnd, v, [c[2] for c in v]) for k, v in causes.items()}
    pick_level = {"criminal": _picker(rnd, ("red", "orange", "yellow"), (35, 55, 10)),
                  "administrative": _picker(rnd, ("red", "orange", "yellow", "green"), (62, 22, 6, 10))}
    # Caught on the spot (W.ON_THE_SPOT): one draw, as for any case, so the stream stays in step.
    pick_spot = {"criminal": _picker(rnd, ("yellow",), (1,)),
                 "administrative": _picker(rnd, ("yellow", "green"), (40, 60))}
    pick_role = _picker(rnd, ("suspect", "victim", "involved"), (60, 20, 20))
    texts = W.CaseTexts(g, W.CASE_REASONS)
    midpoint = (g.S + g.A) // 2 * DAY
    held = _held(g, keys)
    conversions = sorted(g.conversions)
    width = _serial_width(keys + [c[0] for c in conversions], 6)
    base = g.ids["case_record"]
    serial: dict[int, int] = {}
    updates: list[tuple[int, int]] = []
    rows: list[tuple] = []
    ci = ki = reported = 0
    total = n + len(conversions)
    for i in range(total):
        cid = base + i + 1
        conv = None
        if ki < n and (ci >= len(conversions) or keys[ki] <= conversions[ci][0]):
            t0 = keys[ki]
            ki += 1
        else:
            conv = conversions[ci]
            t0 = conv[0]
            ci += 1
        d0 = t0 // DAY
        accepted = date.fromordinal(d0)
        serial[accepted.year] = serial.get(accepted.year, 0) + 1
        case_no = f"A{g.county}{accepted.year}{serial[accepted.year]:0{width}d}"
        voided = None
        if conv is None:
            kind = ("criminal", "administrative")[i] if i < 2 else "criminal" if rnd() < 0.35 else "administrative"
            cause, category, _, templates = pick_cause[kind]()
            while ki - 1 == held and cause in W.ON_THE_SPOT:  # the case kept red is one still to be solved
                cause, category, _, templates = pick_cause[kind]()
            off = pick_off()
            place = g.place()
            suspect, victim = g.name(rnd() < 0.85), g.name(rnd() < 0.5)
            links = []
            if rnd() < 0.03:
                hit = _linked_person(g, t0)
                if hit is not None:
                    role = pick_role()
                    links.append((hit[0], role))
                    if role == "victim":
                        victim = hit[1]
                    else:
                        suspect = hit[1]
            summary = one(templates).format(place=place, victim=victim, suspect=suspect, amount=g.amount())
            if links and hit[1] not in summary:
                summary += f"涉案人员：{hit[1]}。"
            level0 = "red" if ki - 1 == held else (pick_spot if cause in W.ON_THE_SPOT else pick_level)[kind]()
            rec = _Rec("case", cid, off, level0, t0)
            if level0 == "green":
                texts.last_outcome = one(W.ON_THE_SPOT_OUTCOMES).format(amount=one((50, 100, 200, 500)))
                g.lc(rec, t0, None, "green", off[0], "受案登记，当场处罚", texts.last_outcome)
            else:
                g.lc(rec, t0, None, level0, off[0], "受案登记" if kind == "administrative" else "受案登记，立案侦查")
            source_dispute = None
        else:
            t_conv, did, dispute_no, off, summary, d_level, links, place = conv
            kind = "criminal" if rnd() < 0.6 else "administrative"
            cause, category = one(W.CONVERTED_CAUSES[kind])
            why = one(W.CONVERT_WHY)
            level0 = "red" if rnd() < 0.8 else "orange"
            rec = _Rec("case", cid, off, level0, t0)
            g.lc(rec, t0, None, level0, off[0], f"由纠纷{dispute_no}转为案件：{why}")
            g.lc(_Rec("dispute", did, off, d_level, t0), t0, d_level, d_level, off[2],
                 f"调解不成，转为案件{case_no}：{why}", "converted", marker=True)
            updates.append((cid, did))
            source_dispute = did
        for pid, role in links:  # the people of a converted dispute follow it into the case
            g.link(pid, "case", cid, role, t0)
        texts.kind, texts.place = kind, place
        if level0 != "green" and rnd() < 0.5:
            t = g.later(t0, 0)
            if t <= g.end:
                g.act(rec, t, "investigation", off[0], one(W.CASE_WORK).format(place=place))
        if conv is None and ki - 1 != held and (rnd() < 0.008 or (i == n // 4 and not g.flags.get("case:void"))):
            voided = g.void(rec, W.VOID_REASONS)
            g.flags["case:void"] = voided is not None
        elif level0 != "green":
            walk = (W.CRIMINAL_EARLY if t0 < midpoint else W.CRIMINAL_LATE) if kind == "criminal" else (
                W.ADMIN_EARLY if t0 < midpoint else W.ADMIN_LATE)
            if conv is None and ki - 1 == held:
                walk = W.HOLD
            g.walk(rec, walk, texts, 3.0)
            if rec.level != "green":
                g.settle(rec, texts, 0.15, 0.04)
        solved = closed = filed = None
        if kind == "criminal":
            if level0 in ("yellow", "green"):
                solved = accepted.isoformat()
            else:
                hit = next((c for c in rec.changes if c[2] in ("yellow", "green")), None)
                solved = g.day(hit[0] // DAY) if hit else None
            if rnd() < 0.92:
                filed = g.day(min(g.A, d0 + int(-2.0 * log(1.0 - rnd()))))
        if rec.level == "green":
            closed = g.day(rec.changes[-1][0] // DAY) if rec.changes else accepted.isoformat()
        status = "voided" if voided else "closed" if rec.level == "green" else "active"
        search = case_search_text(SimpleNamespace(case_no=case_no, category=category, cause=cause, place=place,
                                              summary=summary))
        rows.append(g.common(rec, g.uuid_prefix["case"] + "%014x" % cid, status, summary, search, voided) + (
            case_no, kind, category, cause, place, accepted.isoformat(), filed, solved, closed, source_dispute))
        if len(rows) >= CHUNK:
            g.flush(out, "case_record", CASE_COLS, rows, ki - reported)
            rows, reported = [], ki
    g.flush(out, "case_record", CASE_COLS, rows, ki - reported)
    out("UPDATE dispute SET converted_case_id = ? WHERE id = ?", updates, 0)
    g.n_cases = total


def _produce(seed: int, scale: float, as_of: date, ids: dict[str, int], sizes: tuple[int, int, int],
             out: Out) -> dict[str, int]:
    """Generate the whole station into `out`; return how many rows of each kind were made."""
    g = _Demo(seed, scale, as_of, ids)
    g.organisation(out)
    n_persons, n_disputes, n_cases = sizes
    _persons(g, out, n_persons)
    _disputes(g, out, n_disputes)
    _cases(g, out, n_cases)
    g.flush(out)
    return {"teams": g.n_teams, "officers": g.n_officers, "persons": g.n_persons, "disputes": g.n_disputes,
            "cases": g.n_cases, "level_changes": g.lc_next - ids["level_change"],
            "actions": g.act_next - ids["action"], "person_links": g.link_next - ids["person_link"],
            "dedicated_members": g.member_next - ids["dedicated_member"]}


def _child_main() -> None:
    """The generating process: read the arguments, run the same `_produce`, and send the rows
    to the inserting parent as pickles on stdout (anything else printed goes to stderr)."""
    pipe = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    try:
        args = pickle.load(sys.stdin.buffer)

        def send(sql: str | None, rows: list | None, done: int) -> None:
            pickle.dump(("rows", sql, rows, done), pipe, protocol=pickle.HIGHEST_PROTOCOL)

        counts = _produce(*args, out=send)
        pickle.dump(("done", counts), pipe)
    except BaseException:  # noqa: BLE001 - everything goes back to the parent, which raises it
        pickle.dump(("error", traceback.format_exc()), pipe)
    pipe.close()


def _child_command() -> tuple[list[str], dict[str, str]]:
    """A fresh interpreter that imports only this module (never the caller's main script)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([root] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return [sys.executable, "-c", "from app.demo import _child_main; _child_main()"], env


def _load(conn, args: tuple, parallel: bool, total: int,
          progress: Callable[[int, int], None] | None) -> dict[str, int]:
    done = 0

    def apply(sql: str | None, rows: list | None, made: int) -> None:
        nonlocal done
        if rows:
            conn.executemany(sql, rows)
        if made:
            done += made
            if progress is not None:
                progress(min(done, total), total)

    if not parallel:
        return _produce(*args, out=apply)
    command, env = _child_command()
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    try:
        pickle.dump(args, child.stdin)
        child.stdin.close()
        while True:
            try:
                item = pickle.load(child.stdout)
            except EOFError:
                raise RuntimeError(f"demo generator process ended unexpectedly (exit code {child.wait()})") from None
            if item[0] == "rows":
                apply(*item[1:])
            elif item[0] == "done":
                child.wait()
                return item[1]
            else:
                raise RuntimeError(f"demo generator failed:\n{item[1]}")
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()


def generate_demo(db: Store, *, seed: int = 1, scale: float = 1.0, as_of: date | None = None,
                  progress: Callable[[int, int], None] | None = None) -> DemoSummary:
    """Fill an empty database with the demo station for `seed`, its history ending on `as_of`
    (default today). `scale` multiplies the number of cases and disputes (key persons grow with
    its square root). All or nothing: one transaction."""
    started = time.perf_counter()
    if isinstance(seed, bool) or not isinstance(seed, int) or not 1 <= seed < 10 ** 9:
        raise ValidationError(f"演示数据种子应为1到999999999的整数：{seed}",
                              f"the demo seed is a whole number from 1 to 999999999: {seed}", "seed")
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not 0 < scale <= MAX_SCALE:
        raise ValidationError(f"演示数据规模应大于0且不超过{MAX_SCALE:g}：{scale}",
                              f"the demo scale must be above 0 and at most {MAX_SCALE:g}: {scale}", "scale")
    as_of = as_of or date.today()
    sizes = (max(12, round(BASE_PERSONS * math.sqrt(scale))), max(1, round(BASE_DISPUTES * scale)),
             max(1, round(BASE_CASES * scale)))
    planned = sum(sizes)
    total = planned + max(1, planned // 20)  # the last part: indexes and the search index
    # A frozen app has no interpreter to start; there the rows are made in this process.
    parallel = planned >= PARALLEL_FROM and (os.cpu_count() or 1) > 1 and not getattr(sys, "frozen", False)
    with db.raw() as conn:
        if conn.execute("SELECT count(*) FROM station").fetchone()[0]:
            raise ValidationError("数据库中已有派出所，演示数据只能生成到空数据库",
                                  "the database already has a station; the demo needs an empty database", "station")
        ids = {t: conn.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0]
               for t in ("station", "team", "officer") + BULK_TABLES}
        cache = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute("PRAGMA cache_size = -262144")
        try:
            with bulk.search_index_rebuilt(conn), bulk.indexes_dropped(conn, BULK_TABLES):
                counts = _load(conn, (seed, float(scale), as_of, ids, sizes), parallel, total, progress)
        finally:
            conn.execute(f"PRAGMA cache_size = {cache}")
    from app.services import daily_counts  # the summary of the loaded history (issue 21)

    daily_counts.rebuild_db(db)
    with db.engine.connect() as c:
        # Fold the load out of the write-ahead log now, not at some later start.
        c.connection.dbapi_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if progress is not None:
        progress(total, total)
    name, code, branch, _ = station_identity(seed)
    return DemoSummary(station_id=ids["station"] + 1, station_name=name, station_code=code, branch_name=branch,
                       seed=seed, scale=float(scale), as_of=as_of, seconds=time.perf_counter() - started, **counts)
