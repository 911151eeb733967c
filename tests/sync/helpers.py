"""Stations, a branch and a courier between them, plus snapshots to compare databases by uuid."""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.domain.rules import Actor
from app.services import org
from app.store import SqliteStore, Store
from app.sync import keys as K
from app.sync.export import export_package, read_snapshot
from app.sync.importer import import_package, read_package_file
from app.sync.receipt import apply_receipt, write_receipt
from app.sync.rows import ENTITY_KINDS, HISTORY_KINDS, HISTORY_OWNER
from models import Base, StationAudit

ADMIN = Actor(None, "admin", "admin", account="admin")
AS_OF = date(2026, 11, 1)


def station_snapshot(db, station_uuid: str | None = None) -> dict[str, list[str]]:
    """Every travelling row of one station, foreign keys as uuids, sorted: equal snapshots mean
    equal data whatever the local ids. Without `station_uuid`: the database's only station."""
    with db.read() as session:
        snap = read_snapshot(session, None, raw=False)
    parts = snap.parts
    if station_uuid is None:
        station_uuid = parts["station"][0][0]
    out = {}
    names = {k: __import__("app.sync.rows", fromlist=["SPECS"]).SPECS[k].names for k in parts}
    mine: set[str] = set()
    for kind in ENTITY_KINDS:
        key = "uuid" if kind == "station" else "station"
        i = names[kind].index(key)
        ui = names[kind].index("uuid")
        rows = [r for r in parts[kind] if r[i] == station_uuid]
        mine.update(r[ui] for r in rows)
        out[kind] = rows
    out["dedicated_member"] = [r for r in parts["dedicated_member"] if r[0] in mine]
    for kind in HISTORY_KINDS:
        owner = HISTORY_OWNER[kind]
        i = names[kind].index(owner[1][:-3] if owner else "record")
        out[kind] = [r for r in parts[kind] if r[i] in mine]
    return {k: sorted(json.dumps(r, ensure_ascii=False) for r in v) for k, v in out.items()}


def station_audit_rows(station_db) -> list[tuple]:
    from models import AuditEntry

    with station_db.read() as s:
        return [(r.seq, r.hash) for r in s.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq))]


def branch_audit_rows(branch, station_uuid: str) -> list[tuple]:
    with branch.read() as s:
        return [tuple(r) for r in s.execute(select(StationAudit.seq, StationAudit.hash)
                                            .where(StationAudit.station_uuid == station_uuid)
                                            .order_by(StationAudit.seq))]


def dump_all(db) -> dict[str, list[tuple]]:
    """Every table, every row, ordered by primary key: 'row for row unchanged'."""
    out = {}
    with db.read() as s:
        for t in Base.metadata.sorted_tables:
            out[t.name] = [tuple(r) for r in s.execute(select(t).order_by(*t.primary_key.columns))]
    return out


def small_station(path: Path, name: str, code: str) -> Store:
    """A station made through the services: a leader, two teams, a team leader and two officers each."""
    db = SqliteStore(path, create=True)
    org.init_station(db, name, code, "东湖分局")
    org.add_officer(db, "王所长", "leader")
    for t in ("一队", "二队"):
        tid = org.add_team(db, f"{name}{t}")
        org.add_officer(db, f"{t}队长", "team_leader", tid)
        org.add_officer(db, f"{t}民警甲", "officer", tid)
        org.add_officer(db, f"{t}民警乙", "officer", tid)
    return db


def demo_station(path: Path, seed: int, scale: float = 0.03) -> Store:
    from app.demo import generate_demo

    db = SqliteStore(path, create=True)
    generate_demo(db, seed=seed, scale=scale, as_of=AS_OF)
    return db


@dataclass
class Net:
    """A branch, its stations, and the packages and receipts carried between them."""

    branch: object
    folder: Path
    stations: dict[str, Store] = field(default_factory=dict)
    n: int = 0

    def __post_init__(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        if not self.branch.is_branch():
            K.init_branch(self.branch, ADMIN, "东湖分局")
        self.identity = K.branch_keys(self.branch).identity

    def join(self, name: str, db: Store) -> Store:
        K.register_branch(db, ADMIN, self.identity)
        K.trust_station(self.branch, ADMIN, K.station_identity(db, ADMIN))
        self.stations[name] = db
        return db

    def export(self, name: str, *, full: bool = False, force: bool = True) -> Path:
        self.n += 1
        res = export_package(self.stations[name], ADMIN, self.folder / f"{name}-{self.n:04d}.stpkg", full=full,
                             force=force, today=AS_OF)
        return res.path

    def deliver(self, path: Path, **kw):
        return import_package(self.branch, ADMIN, read_package_file(path), name=path.name, **kw)

    def ack(self, name: str, result) -> None:
        """Carry the receipt for `result` back to station `name`."""
        self.n += 1
        r = write_receipt(self.branch, result, self.folder / f"r{self.n:04d}.receipt.json")
        apply_receipt(self.stations[name], ADMIN, r)

    def send(self, name: str, **kw):
        """Export, import and acknowledge in one go."""
        res = self.deliver(self.export(name, **kw))
        self.ack(name, res)
        return res


def copy_sqlite(src: Store, dst: Path) -> Path:
    src.close()
    shutil.copy(src.path, dst)
    for suffix in ("-wal", "-shm"):
        if Path(str(src.path) + suffix).exists():
            shutil.copy(str(src.path) + suffix, str(dst) + suffix)
    return dst


def same_branch_office(src, dst) -> None:
    """Give branch database `dst` the identity keys and branch settings of `src`: the same office on
    another engine, so the packages made for one can be imported into the other."""
    from models import Setting, SyncKey

    with src.read() as s, dst.write(ADMIN) as w:
        for r in s.execute(select(SyncKey.__table__)).all():
            w.execute(SyncKey.__table__.insert().values(**r._mapping))
        for r in s.execute(select(Setting.__table__).where(Setting.key.like("branch.%"))).all():
            w.execute(Setting.__table__.insert().values(**r._mapping))
