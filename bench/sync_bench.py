"""Export and import of a 100,000-record station, with progress: prints the figures.

    .venv/bin/python bench/sync_bench.py                 # SQLite branch (and PostgreSQL if
                                                         # STATION_TEST_PG_URL is set)
    .venv/bin/python bench/sync_bench.py --records 20000
    .venv/bin/python bench/sync_bench.py --existing      # into a branch already holding another
                                                         # station of the same size
    .venv/bin/python bench/sync_bench.py --faults        # B1/B2/B11 at release counts (pytest)

The station is bench/run.py's cached demo data set (seed 1; built the first time). Each import
is set beside its physical baseline measured in the same run: the very rows it wrote, inserted
by raw DBAPI `executemany` of pre-built tuples (SQLite: same schema, pragmas, indexes and
search-index triggers, one transaction; PostgreSQL: raw `COPY`, and with --pg-executemany also
raw `executemany`). Benchmarks are not tests: nothing here fails on time.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))



def bar(label: str):
    started = time.perf_counter()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] < 0.5 and done < total:
            return
        last[0] = now
        pct = 100 * done / max(total, 1)
        print(f"\r  {label}: {'#' * int(pct / 4):<25} {pct:5.1f}%  {now - started:6.1f} s", end="", flush=True)
        if done >= total:
            print()
    return progress


#: What an import writes at the branch, in an order that satisfies the foreign keys.
BRANCH_TABLES = ("station", "team", "officer", "dispute", "case_record", "person", "dedicated_member", "level_change",
                 "action", "person_link", "station_audit", "sync_record")


def _copy_rows(src_rows: dict[str, tuple[list[str], list[tuple]]], insert) -> tuple[float, int]:
    """Disputes and cases refer to each other: as the importer does, disputes go in without
    their converted case, set by one UPDATE per such dispute once the cases are in."""
    cols, rows = src_rows["dispute"]
    ci, ii = cols.index("converted_case_id"), cols.index("id")
    later = [(r[ci], r[ii]) for r in rows if r[ci] is not None]
    data = dict(src_rows, dispute=(cols, [r[:ci] + (None,) + r[ci + 1:] for r in rows]))
    t = time.perf_counter()
    insert(data, later)
    return time.perf_counter() - t, sum(len(r) for _c, r in src_rows.values())


def branch_rows(db, station_uuid: str | None = None) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every row of the tables an import writes (the whole branch when it holds one station)."""
    conn = db.engine.raw_connection()
    try:
        cur = conn.cursor()
        out = {}
        for t in BRANCH_TABLES:
            cur.execute(f"SELECT * FROM {t} ORDER BY 1")
            out[t] = ([d[0] for d in cur.description], cur.fetchall())
        return out
    finally:
        conn.close()


def raw_sqlite_seconds(rows, folder: Path) -> tuple[float, int]:
    """Raw executemany of `rows` into a fresh branch database: same schema, same pragmas
    (foreign keys on, WAL, synchronous FULL), every index and search-index trigger in place,
    one transaction (PERFORMANCE.md R1's baseline)."""
    import sqlcipher3.dbapi2 as sqlite

    from app.store import SqliteStore

    path = folder / "raw-branch.db"
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)
    SqliteStore(path, create=True).close()
    c = sqlite.connect(str(path), isolation_level=None)
    for pragma in ("foreign_keys = ON", "journal_mode = WAL", "synchronous = FULL", "secure_delete = ON"):
        c.execute(f"PRAGMA {pragma}")

    def insert(data, later):
        c.execute("BEGIN IMMEDIATE")
        for t, (cols, rs) in data.items():
            if rs:
                c.executemany(f"INSERT INTO {t} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rs)
        c.executemany("UPDATE dispute SET converted_case_id = ? WHERE id = ?", later)
        c.execute("COMMIT")
    try:
        return _copy_rows(rows, insert)
    finally:
        c.close()


def raw_pg_seconds(rows, url: str, how: str) -> tuple[float, int]:
    """Raw psycopg `COPY` (how="copy") or `executemany` of INSERTs (how="executemany") of
    `rows` into a fresh branch database of the same schema, one transaction."""
    import psycopg

    from app.store.postgres import PgStore

    name = f"sync_bench_raw_{os.getpid()}"
    admin_url = url
    with psycopg.connect(admin_url, autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        c.execute(f"CREATE DATABASE {name}")
    target = url.rsplit("/", 1)[0] + "/" + name
    try:
        PgStore(target, create=True).close()
        with psycopg.connect(target) as conn:
            def insert(data, later):
                with conn.transaction(), conn.cursor() as cur:
                    for t, (cols, rs) in data.items():
                        if not rs:
                            continue
                        if how == "copy":
                            with cur.copy(f"COPY {t} ({', '.join(cols)}) FROM STDIN") as cp:
                                for r in rs:
                                    cp.write_row(r)
                        else:
                            cur.executemany(f"INSERT INTO {t} ({', '.join(cols)}) VALUES "
                                            f"({', '.join(['%s'] * len(cols))})", rs)
                    cur.executemany("UPDATE dispute SET converted_case_id = %s WHERE id = %s", later)
            return _copy_rows(rows, insert)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def station_copy(records: int, seed: int, folder: Path, name: str) -> Path:
    """A copy of the cached demo station (bench/run.py's cache for seed 1, built beside it for
    another seed)."""
    from bench.run import AS_OF, CACHE, dataset, scale_for

    if seed == 1:
        src, _meta = dataset(records)
    else:
        from app.demo import generate_demo
        from app.store import SqliteStore

        src = CACHE / f"station-{records}-seed{seed}.db"
        if not src.exists():
            CACHE.mkdir(parents=True, exist_ok=True)
            tmp = src.with_suffix(".building")
            for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
                p.unlink(missing_ok=True)
            print(f"building {records:,} records (seed {seed}) into {src} …", flush=True)
            db = SqliteStore(tmp, create=True)
            generate_demo(db, seed=seed, scale=scale_for(records), as_of=AS_OF, progress=bar("generate"))
            db.close()
            tmp.rename(src)
    import sqlcipher3.dbapi2 as sqlite

    out = folder / name
    src_conn, dst = sqlite.connect(str(src)), sqlite.connect(str(out))
    try:
        src_conn.backup(dst)
    finally:
        src_conn.close()
        dst.close()
    return out


def rate(rows: int, secs: float) -> str:
    return f"{rows:,} rows in {secs:.2f} s ({rows / secs:,.0f} rows/s)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=100_000, help="about this many records (default 100000)")
    ap.add_argument("--pg", default=os.environ.get("STATION_TEST_PG_URL"), help="a PostgreSQL URL to import into too")
    ap.add_argument("--existing", action="store_true",
                    help="import into a branch that already holds another station of the same size")
    ap.add_argument("--pg-executemany", action="store_true",
                    help="also time raw executemany into PostgreSQL (slow: about a minute at 100k)")
    ap.add_argument("--faults", action="store_true", help="run the fault and fuzz tests at release counts")
    args = ap.parse_args()
    if args.faults:
        env = dict(os.environ, STATION_SYNC_SAMPLES="20000", STATION_FUZZ_EXAMPLES="10000",
                   STATION_CONVERGENCE_EXAMPLES="100", STATION_CONVERGENCE_EXAMPLES_PG="30")
        return subprocess.call([sys.executable, "-m", "pytest", "-q", "tests/sync/test_faults.py",
                                "tests/sync/test_fuzz.py", "tests/sync/test_convergence.py"], cwd=ROOT, env=env)

    from app.domain.rules import Actor
    from app.store import SqliteStore
    from app.sync import keys as K
    from app.sync.export import export_package, quality_check
    from app.sync.importer import import_package, read_package_file

    admin = Actor(None, "admin", "admin", account="admin")
    folder = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    try:
        return _run(args, folder, admin, SqliteStore, K, export_package, quality_check, import_package,
                    read_package_file)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(args, folder, admin, SqliteStore, K, export_package, quality_check, import_package, read_package_file) -> int:
    station = SqliteStore(station_copy(args.records, 1, folder, "station.db"))
    with station.raw(immediate=False) as conn:
        n = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
             for t in ("case_record", "dispute", "person", "level_change", "action", "person_link")}
    print(f"station: {n['case_record'] + n['dispute'] + n['person']:,} records, {n['level_change']:,} level changes, "
          f"{n['action']:,} actions, {n['person_link']:,} links (demo, seed 1) in {folder}")
    branch = SqliteStore(folder / "branch.db", create=True)
    ident = K.init_branch(branch, admin, "东湖分局")
    K.register_branch(station, admin, ident)
    K.trust_station(branch, admin, K.station_identity(station, admin))
    other_pkg = None
    if args.existing:
        other = SqliteStore(station_copy(args.records, 2, folder, "other.db"))
        K.register_branch(other, admin, ident)
        K.trust_station(branch, admin, K.station_identity(other, admin))
        other_pkg = export_package(other, admin, folder / "other.stpkg", force=True)
        t = time.perf_counter()
        out = import_package(branch, admin, read_package_file(other_pkg.path))
        print(f"branch already holds another station: {rate(sum(out.counts.values()), time.perf_counter() - t)}")
        other.close()

    t = time.perf_counter()
    issues = quality_check(station)
    print(f"quality check: {len(issues)} findings in {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    res = export_package(station, admin, folder / "full.stpkg", force=True, progress=bar("export"), issues=issues)
    exp_s = time.perf_counter() - t
    rows = sum(res.counts.values())
    import sqlcipher3.dbapi2 as sqlite

    c = sqlite.connect(str(folder / "station.db"))
    t = time.perf_counter()
    for tb in ("station", "team", "officer", "case_record", "dispute", "person", "dedicated_member",
               "level_change", "action", "person_link", "audit_log"):
        c.execute(f"SELECT * FROM {tb}").fetchall()
    raw_fetch = time.perf_counter() - t
    c.close()
    print(f"export (full): {res.counts['case'] + res.counts['dispute'] + res.counts['person']:,} records, "
          f"{rows:,} rows, {res.size / 1e6:.1f} MB, {exp_s:.2f} s = {rows / exp_s:,.0f} rows/s (written, read back, "
          f"verified); raw fetchall of the same tables {raw_fetch:.2f} s: {100 * raw_fetch / exp_s:.0f} % of raw")

    data = read_package_file(res.path)
    t = time.perf_counter()
    out = import_package(branch, admin, data)
    secs = time.perf_counter() - t
    n = sum(out.counts.values())
    print(f"import (SQLite{', existing branch' if args.existing else ''}): {out.status}, {rate(n, secs)}")
    if not args.existing:
        raw_s, raw_n = raw_sqlite_seconds(branch_rows(branch), folder)
        print(f"  raw executemany of the same rows (with the ledger's sync_record and station_audit rows): "
              f"{rate(raw_n, raw_s)}; import throughput = {100 * raw_s / secs:.0f} % of raw")
    t = time.perf_counter()
    again = import_package(branch, admin, data)
    print(f"import again: {again.status} in {time.perf_counter() - t:.2f} s")

    if args.pg:
        import psycopg
        from sqlalchemy import select

        from app.store.postgres import PgStore
        from models import Setting, SyncKey

        name = f"sync_bench_{os.getpid()}"
        with psycopg.connect(args.pg, autocommit=True) as c:
            c.execute(f"CREATE DATABASE {name}")
        url = args.pg.rsplit("/", 1)[0] + "/" + name
        try:
            pg = PgStore(url, create=True)
            with branch.read() as s, pg.write(admin) as w:
                for r in s.execute(select(SyncKey.__table__)).all():
                    w.execute(SyncKey.__table__.insert().values(**r._mapping))
                for r in s.execute(select(Setting.__table__).where(Setting.key.like("branch.%"))).all():
                    w.execute(Setting.__table__.insert().values(**r._mapping))
            K.trust_station(pg, admin, K.station_identity(station, admin))
            if other_pkg is not None:
                K.trust_station(pg, admin, K.station_identity(SqliteStore(folder / "other.db"), admin))
                import_package(pg, admin, read_package_file(other_pkg.path))
            t = time.perf_counter()
            out = import_package(pg, admin, data)
            secs = time.perf_counter() - t
            n = sum(out.counts.values())
            print(f"import (PostgreSQL{', existing branch' if args.existing else ''}): {out.status}, {rate(n, secs)}")
            if not args.existing:
                rows_pg = branch_rows(pg)
                for how in ("copy", "executemany") if args.pg_executemany else ("copy",):
                    raw_s, raw_n = raw_pg_seconds(rows_pg, args.pg, how)
                    print(f"  raw {how} of the same rows: {rate(raw_n, raw_s)}; import throughput = "
                          f"{100 * raw_s / secs:.0f} % of raw")
            pg.close()
        finally:
            with psycopg.connect(args.pg, autocommit=True) as c:
                c.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    # A day's work after the receipt: the delta is small and fast.
    from app.sync.receipt import apply_receipt, write_receipt

    apply_receipt(station, admin, write_receipt(branch, out if not args.pg else import_package(branch, admin, data),
                                                folder / "r.json"))
    with station.raw() as conn:
        conn.execute("UPDATE case_record SET summary = summary || '（补充）', version = version + 1 "
                     "WHERE id % 500 = 0")
    t = time.perf_counter()
    delta = export_package(station, admin, folder / "delta.stpkg", force=True, issues=issues)
    print(f"export (delta after receipt): {delta.changes:,} changes, {delta.size / 1e3:.0f} kB, "
          f"{time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    out = import_package(branch, admin, read_package_file(delta.path))
    print(f"import (delta): {out.status}, {sum(out.counts.values()):,} rows in {time.perf_counter() - t:.2f} s")
    station.close()
    branch.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
