"""The branch console's view of its stations: trust, last package, sequence gaps, record counts."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from app.services import daily_counts
from app.sync.manifest import MAX_SEQ
from app.sync.rows import RECORD_KINDS, SPECS
from models import AuditEntry, ImportLedger, Station, TrustedStation


@dataclass(frozen=True)
class Freshness:
    station_uuid: str
    code: str
    name: str
    trusted: bool
    revoked: bool
    last_seq: int | None
    last_made: datetime | None      # when the station made its newest applied package
    last_applied: datetime | None
    days: int | None                # age of the newest data, in days
    packages: int
    missing: tuple[int, ...]        # sequence numbers below the newest that never arrived
    covered: bool                   # every missing one is superseded by a later delta or full package
    records: dict[str, int]         # live (not voided) records per module
    #: when the station's newest package was refused because its audit trail forked (after the
    #: last applied one): the trail was rewritten, truncated or invented; None when it only grew
    fork_at: datetime | None = None

    @property
    def state(self) -> str:
        """'fork' (the audit trail forked), 'none' (nothing received), 'stale' (older than a week),
        'gap', or 'ok'."""
        if self.fork_at is not None:
            return "fork"
        if self.last_seq is None:
            return "none"
        if self.days is not None and self.days > 7:
            return "stale"
        if self.missing and not self.covered:
            return "gap"
        return "ok"

    def text(self, lang: str = "zh") -> str:
        if self.fork_at is not None:
            when = self.fork_at.isoformat(sep=" ", timespec="minutes")
            return (f"审计日志分叉：{when} 收到的数据包被拒绝（日志被改写、截断或编造），请核查该所"
                    if lang == "zh" else f"audit trail forked: a package was refused on {when} (the trail was "
                                         f"rewritten, truncated or invented); check the station")
        if self.last_seq is None:
            return "尚未收到数据包" if lang == "zh" else "no package received yet"
        if lang == "zh":
            age = "今天" if self.days == 0 else f"{self.days} 天前"
            out = f"最近数据包：{age}，序号 {self.last_seq}"
            if self.missing:
                out += f"，缺号：{len(self.missing)} 个" + ("（已被后续数据包覆盖）" if self.covered else "")
            return out
        age = "today" if self.days == 0 else f"{self.days} day{'s' if self.days != 1 else ''} ago"
        out = f"last package: {age}, sequence {self.last_seq}"
        if self.missing:
            out += f", gap: {len(self.missing)} missing" + (" (covered by later packages)" if self.covered else "")
        return out


def _code(detail: str) -> str:
    import json

    try:
        return str(json.loads(detail).get("code", ""))
    except (ValueError, AttributeError):
        return ""


def _gaps(entries: list[tuple]) -> tuple[tuple[int, ...], bool]:
    """The sequence numbers below the newest that never arrived (within MAX_SEQ: a number past
    it is refused at import), and whether each is covered: a later package that arrived is a
    full snapshot or a delta from a base older than it (it carries all of the missing one's
    changes). O(missing x log packages)."""
    ordered = sorted(entries, key=lambda e: e[0])
    seqs = [e[0] for e in ordered]
    have = set(seqs)
    missing = tuple(s for s in range(1, min(seqs[-1], MAX_SEQ + 1)) if s not in have)
    # suffix[i]: the oldest base among packages i.. (a full snapshot counts as base 0)
    suffix, low = [0] * len(ordered), None
    for i in range(len(ordered) - 1, -1, -1):
        kind, base = ordered[i][1], ordered[i][2]
        b = 0 if kind == "full" else (base or 0)
        low = b if low is None else min(low, b)
        suffix[i] = low
    covered = all((i := bisect_right(seqs, s)) < len(seqs) and suffix[i] < s for s in missing)
    return missing, covered


def branch_freshness(db, today: date | None = None) -> list[Freshness]:
    today = today or date.today()
    with db.read() as session:
        trusted = {u: (code, name, revoked is not None) for u, code, name, revoked in session.execute(
            select(TrustedStation.uuid, TrustedStation.code, TrustedStation.name, TrustedStation.revoked_at))}
        stations = {u: (i, code, name) for i, u, code, name in session.execute(
            select(Station.id, Station.uuid, Station.code, Station.name))}
        ledger: dict[str, list[tuple]] = {}
        for row in session.execute(select(ImportLedger.station_uuid, ImportLedger.seq, ImportLedger.kind,
                                          ImportLedger.base_seq, ImportLedger.created_at, ImportLedger.applied_at)
                                   .where(ImportLedger.status == "applied").order_by(ImportLedger.seq)):
            ledger.setdefault(row[0], []).append(tuple(row[1:]))
        # The branch's own trail orders the events: a fork refused after the last applied package.
        forks: dict[str, tuple[int, datetime]] = {}
        for seq, at, st_uuid, detail in session.execute(
                select(AuditEntry.seq, AuditEntry.at, AuditEntry.record_uuid, AuditEntry.detail).where(
                    AuditEntry.action == "import_rejected", AuditEntry.module == "sync",
                    AuditEntry.detail.contains('"audit_fork"'))):
            if _code(detail) == "audit_fork" and (st_uuid not in forks or seq > forks[st_uuid][0]):
                forks[st_uuid] = (seq, at)
        last_import = dict(session.execute(
            select(AuditEntry.record_uuid, func.max(AuditEntry.seq)).where(
                AuditEntry.action == "import", AuditEntry.module == "sync", AuditEntry.record_uuid.in_(list(forks)))
            .group_by(AuditEntry.record_uuid)).all()) if forks else {}
        # Records per station: kept beside the summary on PostgreSQL (a count of every record at
        # 100 stations / 5M records took seconds), counted here elsewhere.
        counts = daily_counts.live_records(session)
        if counts is None:
            counts = {}
            for kind in RECORD_KINDS:
                t = SPECS[kind].table
                for sid, n in session.execute(select(t.c.station_id, func.count()).where(t.c.status != "voided")
                                              .group_by(t.c.station_id)):
                    counts.setdefault(sid, {})[kind] = n
    out = []
    for u in sorted(set(trusted) | set(stations), key=lambda x: (stations.get(x, (0, trusted.get(x, ("",))[0]))[1], x)):
        code, name, revoked = trusted.get(u, ("", "", False))
        sid, scode, sname = stations.get(u, (None, code, name))
        entries = ledger.get(u, [])
        fork_seq, fork = forks.get(u, (0, None))
        if fork is not None and last_import.get(u, 0) > fork_seq:
            fork = None  # a package applied after the refusal: the chain grew again from the held head
        if entries:
            newest = max(entries, key=lambda e: e[0])
            missing, covered = _gaps(entries)
            made = max(e[3] for e in entries)
            out.append(Freshness(u, scode, sname, u in trusted, revoked, newest[0], made,
                                 max(e[4] for e in entries), (today - made.date()).days, len(entries), missing,
                                 covered, {k: counts.get(sid, {}).get(k, 0) for k in RECORD_KINDS}, fork))
        else:
            out.append(Freshness(u, scode, sname, u in trusted, revoked, None, None, None, None, 0, (), True,
                                 {k: counts.get(sid, {}).get(k, 0) for k in RECORD_KINDS}, fork))
    return out
