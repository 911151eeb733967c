"""The measuring half of bench/city_bench.py (`city_bench.py run`): merge, dashboard, search and
table open on the partitioned and the unpartitioned city databases, each beside its raw baseline."""
from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from bench.city_bench import AS_OF, FLAT, PART, db_url, say

#: The station whose packages are merged: a copy of bench/run.py's cached 10,000-record demo
#: station, kept beside the city's server so that each run sends it a new month's package.
STATION_SRC = Path("/tmp/station-bench/station-10000.db")
WORK = Path("/work/wt/city-data/merge")


def best(fn, n: int = 3) -> float:
    fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def replayed(db, raw, fn):
    """The statements `fn` sends, captured once with their parameters, as a function that runs
    them again straight on a psycopg connection: the app's own SQL without the app."""
    from sqlalchemy import event

    sent: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)

    def run():
        with raw.cursor() as cur:
            for q, p in sent:
                cur.execute(q, p or None)
                if cur.description is not None:
                    cur.fetchall()
    return run


class Table:
    def __init__(self):
        self.rows: list[dict] = []

    def add(self, layout: str, name: str, app_s: float, raw_s: float | None, note: str = "") -> None:
        row = {"layout": layout, "name": name, "app_ms": round(app_s * 1000, 1),
               "raw_ms": None if raw_s is None else round(raw_s * 1000, 1),
               "ratio": None if not raw_s else round(app_s / raw_s, 2), "note": note}
        self.rows.append(row)
        raw = "" if raw_s is None else f"{raw_s * 1000:10.1f} ms"
        ratio = "" if not raw_s else f"{app_s / raw_s:6.2f}x"
        print(f"  {layout:11} {name[:58]:58} {app_s * 1000:10.1f} ms {raw:>13} {ratio:>7}  {note}", flush=True)


# -- the merge ---------------------------------------------------------------------------------------
def _station(admin):
    from app.store import SqliteStore

    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / "station.db"
    if not path.exists():
        import sqlcipher3.dbapi2 as sqlite

        src, dst = sqlite.connect(str(STATION_SRC)), sqlite.connect(str(path))
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
    return SqliteStore(path)


def _branch_ready(dbs, admin) -> None:
    """The two city databases are one branch office (the same keys): the same package goes to both."""
    from sqlalchemy import select

    from app.sync import keys as K
    from models import Setting, SyncKey

    part, flat = dbs
    if not part.is_branch():
        K.init_branch(part, admin, "东湖分局")
    if not flat.is_branch():
        with part.read() as s, flat.write(admin) as w:
            for r in s.execute(select(SyncKey.__table__)).all():
                w.execute(SyncKey.__table__.insert().values(**r._mapping))
            for r in s.execute(select(Setting.__table__).where(Setting.key.like("branch.%"))).all():
                w.execute(Setting.__table__.insert().values(**r._mapping))


_MERGED = ("case_record", "dispute", "person", "level_change", "action")


def _station_rows(raw, sid: int, uuid: str) -> dict[str, tuple[list[str], list[tuple]]]:
    out = {}
    with raw.cursor() as cur:
        for t in _MERGED:
            cur.execute(f"SELECT * FROM {t} WHERE station_id = %s", (sid,))
            out[t] = ([d[0] for d in cur.description], cur.fetchall())
        for t in ("sync_record", "station_audit"):
            cur.execute(f"SELECT * FROM {t} WHERE station_uuid = %s", (uuid,))
            out[t] = ([d[0] for d in cur.description], cur.fetchall())
    return out


def _raw_copy(raw, rows, sid: int, uuid: str) -> float:
    """COPY of the same rows into the same tables, in a transaction rolled back (the rows are
    deleted first in it, untimed, so the keys are free)."""
    with raw.transaction(force_rollback=True), raw.cursor() as cur:
        for t in _MERGED:
            cur.execute(f"DELETE FROM {t} WHERE station_id = %s", (sid,))
        for t in ("sync_record", "station_audit"):
            cur.execute(f"DELETE FROM {t} WHERE station_uuid = %s", (uuid,))
        t0 = time.perf_counter()
        for t, (cols, rs) in rows.items():
            with cur.copy(f"COPY {t} ({', '.join(cols)}) FROM STDIN") as cp:
                for r in rs:
                    cp.write_row(r)
        return time.perf_counter() - t0


def _raw_update(raw, rows, uuids: set[str], sid: int | None = None) -> tuple[float, int]:
    """UPDATE of the same records' every column by id (and with `sid`, naming the station as
    the importer does), in a transaction rolled back."""
    n = 0
    also = "" if sid is None else f" AND station_id = {int(sid)}"
    with raw.transaction(force_rollback=True), raw.cursor() as cur:
        t0 = time.perf_counter()
        for t in ("case_record", "dispute", "person"):
            cols, rs = rows[t]
            ui, ii = cols.index("uuid"), cols.index("id")
            mine = [r for r in rs if r[ui] in uuids]
            sets = ", ".join(f"{c} = %s" for c in cols if c != "id")
            cur.executemany(f"UPDATE {t} SET {sets} WHERE id = %s{also}",
                            [tuple(v for c, v in zip(cols, r) if c != "id") + (r[ii],) for r in mine])
            n += len(mine)
        return time.perf_counter() - t0, n


def bench_merge(out: Table, dbs: dict, raws: dict, admin) -> None:
    from sqlalchemy import select

    from app.sync import keys as K
    from app.sync.export import export_package
    from app.sync.importer import import_package, read_package_file
    from app.sync.receipt import apply_receipt, write_receipt
    from models import Station

    station = _station(admin)
    part = dbs[PART]
    _branch_ready((part, dbs[FLAT]), admin)
    ident = K.branch_keys(part).identity
    try:
        K.register_branch(station, admin, ident)
    except Exception:  # registered by an earlier run
        pass
    st = K.station_identity(station, admin)
    for db in dbs.values():
        try:
            K.trust_station(db, admin, st)
        except Exception:  # trusted by an earlier run
            pass
    with station.read() as s:
        uuid = s.execute(select(Station.uuid)).scalar_one()
    with part.read() as s:
        first = s.execute(select(Station.id).where(Station.uuid == uuid)).scalar() is None
    if not first:  # a month of work at the station: one record in twelve changes
        with station.raw() as conn:
            for t in ("case_record", "dispute", "person"):
                conn.execute(f"UPDATE {t} SET summary = summary || '（本月补充）', version = version + 1, "
                             f"updated_at = datetime(updated_at, '+1 minute') WHERE id % 12 = {date.today().day % 12}")
    n = len(list(WORK.glob("*.stpkg"))) + 1
    res = export_package(station, admin, WORK / f"p{n:03d}.stpkg", full=first, force=True)
    data = read_package_file(res.path)
    label = "first (full) package of a new station" if first else "a month's delta package"
    for name, db in dbs.items():
        t0 = time.perf_counter()
        r = import_package(db, admin, data, name=res.path.name)
        secs = time.perf_counter() - t0
        assert r.status == "applied", r.en
        with db.read() as s:
            sid = s.execute(select(Station.id).where(Station.uuid == uuid)).scalar_one()
        rows = _station_rows(raws[name], sid, uuid)
        if first:
            raw_s = _raw_copy(raws[name], rows, sid, uuid)
            what = "raw = COPY of the same rows"
        else:
            with station.read() as s:
                from models import Case, Dispute, Person
                changed = {u for m in (Case, Dispute, Person)
                           for u in s.execute(select(m.uuid).where(m.id % 12 == date.today().day % 12)).scalars()}
            raw_s, _n = _raw_update(raws[name], rows, changed)
            what = "raw = UPDATE of the same records by id"
            by_station, _n = _raw_update(raws[name], rows, changed, sid)
        n_rows = sum(r.counts.values())
        out.add(name, f"merge: {label} ({n_rows:,} rows)", secs, raw_s,
                f"{what}; the app also verifies the package and recounts the station's summary")
        if not first:
            out.add(name, "  raw UPDATE by id AND station_id (as the merge does)", by_station, None)
        from app.services import daily_counts

        t0 = time.perf_counter()
        with db.write(admin, "bench") as s:
            daily_counts.rebuild_in(s, station_ids=[sid])
        out.add(name, "  of which: the station's summary recount alone", time.perf_counter() - t0, None,
                "daily_counts.rebuild_in(station), in the merge's transaction")
    receipt = write_receipt(part, r, WORK / f"r{n:03d}.receipt.json")
    apply_receipt(station, admin, receipt)
    station.close()


# -- dashboard, search, table ------------------------------------------------------------------------
def bench_reads(out: Table, name: str, db, raw) -> None:
    from app.services import tables, trends as T
    from app.services.headline import headline_stats
    from app.services.tables import TableQuery
    from app.sync.branch import branch_freshness

    start = date(AS_OF.year - 1, AS_OF.month, 1)
    dash = [
        ("dashboard: headline statistics", lambda: headline_stats(db, AS_OF)),
        ("dashboard: levels at month ends (cases)", lambda: T.level_series(db, "case", "month", start=start,
                                                                            as_of=AS_OF)),
        ("dashboard: new+closed per month (cases)", lambda: T.event_series(db, "case", ("new", "closed"), "month",
                                                                            start=start, as_of=AS_OF)),
        ("dashboard: overdue share at month ends (disputes)",
         lambda: T.overdue_series(db, "dispute", "month", start=start, as_of=AS_OF)),
        ("branch console: stations, freshness, record counts", lambda: branch_freshness(db, AS_OF)),
    ]
    for title, fn in dash:
        out.add(name, title, best(fn), best(replayed(db, raw, fn)), "raw = the same statements")
    # The former path in the same run: every station's summary cells and a count of every record
    # (what a database without the roll-ups of migration 0019 reads).
    from app.services import daily_counts

    kept = daily_counts.has_rollups
    daily_counts.has_rollups = lambda session: False  # type: ignore[assignment]
    try:
        for title, fn in dash:
            out.add(name, f"  former path: {title.split(': ', 1)[1]}", best(fn), best(replayed(db, raw, fn)),
                    "every station's cells / every record; raw = the same statements")
    finally:
        daily_counts.has_rollups = kept  # type: ignore[assignment]

    def sql_of(module, q) -> str:
        return str(tables.ids_statement(module, q, True).compile(db.engine, compile_kwargs={"literal_binds": True}))

    for mod, table in (("case", "case_record"), ("person", "person")):
        q = TableQuery()
        ids = tables.list_ids(db, mod, q)
        first = list(tables.first_ids(db, mod, q, 96)[0][:96])
        sql = sql_of(mod, q)
        app_s = best(lambda: tables.fetch_rows(db, mod, list(tables.first_ids(db, mod, q, 96)[0][:96]), as_of=AS_OF))
        raw_s = best(lambda: (raw.execute(f"{sql} LIMIT 96").fetchall(),
                              raw.execute(f"SELECT * FROM {table} WHERE id = ANY(%s)", (first,)).fetchall()))
        out.add(name, f"open {mod} table: first page", app_s, raw_s, "raw = the id query LIMIT 96 + the page's rows")
        # The former statement, as the app sent it: the level ranks as bound parameters.
        from sqlalchemy import case as sql_case, select as sql_select

        rec = tables._TABLES[tables.module_of(mod)]
        ranks = ("red", "orange", "yellow", "green")
        former = (sql_select(rec.c.id).where(rec.c.status.in_(["active", "closed"]))
                  .order_by(sql_case({c: i for i, c in enumerate(ranks)}, value=rec.c.level, else_=len(ranks)),
                            rec.c.id).limit(96))
        with db.engine.connect() as conn:
            raw_s = best(lambda: conn.execute(former).fetchall())
        out.add(name, f"  former statement: {mod} first page ids, ranks bound", raw_s, None,
                "SQLAlchemy Core on one connection")
        app_s = best(lambda: tables.list_ids(db, mod, q), 1)
        raw_s = best(lambda: raw.execute(sql).fetchall(), 1)
        out.add(name, f"open {mod} table: whole id list ({len(ids):,})", app_s, raw_s, "raw = the same SQL")
    for mod, table, term in (("case", "case_record", "盗"), ("case", "case_record", "东湖路"),
                             ("person", "person", "张伟")):
        q = TableQuery(text=term)
        ids, _counts = tables.list_ids_with_counts(db, mod, q)
        app_s = best(lambda: tables.list_ids_with_counts(db, mod, q), 1)
        raw_s = best(lambda: raw.execute(f"SELECT id FROM {table} WHERE search_text LIKE %s",
                                         (f"%{term}%",)).fetchall(), 1)
        out.add(name, f"search {mod} '{term}' ({len(ids):,})", app_s, raw_s, "raw = a bare LIKE scan")
        sql = sql_of(mod, q)
        app_s = best(lambda: tables.open_table(db, mod, q, 96))
        opening = tables.open_table(db, mod, q, 96)
        page = list(opening.ids[:96])
        raw_s = best(lambda: (raw.execute(f"{sql} LIMIT 96").fetchall(),
                              raw.execute(f"SELECT * FROM {table} WHERE id = ANY(%s)", (page,)).fetchall()))
        out.add(name, f"  its first page, the view's work before the paint ({len(opening.ids)} ids, "
                      f"{'complete' if opening.complete else 'then the rest'})", app_s, raw_s,
                "app = tables.open_table; raw = the search's id query LIMIT 96 + the page's rows")
        raw_s = best(lambda: raw.execute(sql).fetchall(), 1)
        out.add(name, "  its whole id list, bare SQL of the app's statement", raw_s, None, "raw")
    sid = raw.execute("SELECT max(station_id) FROM case_record WHERE station_id <= 100").fetchone()[0]
    raw_s = best(lambda: raw.execute("SELECT id FROM case_record WHERE station_id = %s AND search_text LIKE '%%盗%%'",
                                     (sid,)).fetchall())
    out.add(name, "bare SQL: one station's cases with '盗'", raw_s, None,
            "pruned to the station's partition" if name == PART else "by the station's rows in one table")


def run(url: str, merge_only: bool = False, reads_only: bool = False,
        layouts: tuple[str, ...] = (PART, FLAT)) -> list[dict]:
    import psycopg

    from app.domain.rules import Actor
    from app.store import PgStore

    admin = Actor(None, "admin", "admin", account="admin")
    out = Table()
    dbs = {name: PgStore(db_url(url, name)) for name in layouts}
    raws = {name: psycopg.connect(db_url(url, name), autocommit=True) for name in layouts}
    try:
        for name, raw in raws.items():
            n = raw.execute("SELECT (SELECT count(*) FROM case_record) + (SELECT count(*) FROM dispute) + "
                            "(SELECT count(*) FROM person), (SELECT count(*) FROM station)").fetchone()
            say(f"{name}: {n[0]:,} records, {n[1]} stations")
        if not reads_only:
            say("merge")
            bench_merge(out, dbs, raws, admin)
        for name in () if merge_only else layouts:
            say(f"reads on {name}")
            bench_reads(out, name, dbs[name], raws[name])
    finally:
        for db in dbs.values():
            db.close()
        for raw in raws.values():
            raw.close()
    return out.rows
