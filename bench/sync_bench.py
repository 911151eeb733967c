"""Export and import of a 100,000-record station, with progress: prints the figures.

    .venv/bin/python bench/sync_bench.py                 # SQLite branch (and PostgreSQL if
                                                         # STATION_TEST_PG_URL is set)
    .venv/bin/python bench/sync_bench.py --records 20000
    .venv/bin/python bench/sync_bench.py --faults        # B1/B2/B11 at release counts (pytest)

Benchmarks are not tests: nothing here fails on time.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BASE_RECORDS = 1850 + 1120 + 331  # the demo station at scale 1


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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=100_000, help="about this many records (default 100000)")
    ap.add_argument("--pg", default=os.environ.get("STATION_TEST_PG_URL"), help="a PostgreSQL URL to import into too")
    ap.add_argument("--faults", action="store_true", help="run the fault and fuzz tests at release counts")
    args = ap.parse_args()
    if args.faults:
        env = dict(os.environ, STATION_SYNC_SAMPLES="20000", STATION_FUZZ_EXAMPLES="10000",
                   STATION_CONVERGENCE_EXAMPLES="100", STATION_CONVERGENCE_EXAMPLES_PG="30")
        return subprocess.call([sys.executable, "-m", "pytest", "-q", "tests/sync/test_faults.py",
                                "tests/sync/test_fuzz.py", "tests/sync/test_convergence.py"], cwd=ROOT, env=env)

    from app.db import Database
    from app.demo import generate_demo
    from app.domain.rules import Actor
    from app.sync import keys as K
    from app.sync.export import export_package, quality_check
    from app.sync.importer import import_package, read_package_file

    admin = Actor(None, "admin", "admin", account="admin")
    folder = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    scale = args.records / BASE_RECORDS
    print(f"station: demo at scale {scale:.1f} (~{args.records:,} records) in {folder}")
    t = time.perf_counter()
    station = Database(folder / "station.db", create=True)
    made = generate_demo(station, seed=1, scale=scale, as_of=date(2026, 11, 1), progress=bar("generate"))
    print(f"  {made.records:,} records, {made.level_changes:,} level changes, {made.actions:,} actions, "
          f"{made.person_links:,} links in {time.perf_counter() - t:.1f} s")
    branch = Database(folder / "branch.db", create=True)
    ident = K.init_branch(branch, admin, "东湖分局")
    K.register_branch(station, admin, ident)
    K.trust_station(branch, admin, K.station_identity(station, admin))

    t = time.perf_counter()
    issues = quality_check(station)
    print(f"quality check: {len(issues)} findings in {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    res = export_package(station, admin, folder / "full.stpkg", force=True, progress=bar("export"), issues=issues)
    rows = sum(res.counts.values())
    print(f"export (full): {res.counts['case'] + res.counts['dispute'] + res.counts['person']:,} records, "
          f"{rows:,} rows, {res.size / 1e6:.1f} MB, {time.perf_counter() - t:.2f} s (written, read back, verified)")

    data = read_package_file(res.path)
    t = time.perf_counter()
    out = import_package(branch, admin, data)
    secs = time.perf_counter() - t
    print(f"import (SQLite): {out.status}, {sum(out.counts.values()):,} rows in {secs:.2f} s "
          f"({sum(out.counts.values()) / secs:,.0f} rows/s)")
    t = time.perf_counter()
    again = import_package(branch, admin, data)
    print(f"import again: {again.status} in {time.perf_counter() - t:.2f} s")

    if args.pg:
        import psycopg

        from app.sync.branch_db import PgDatabase

        name = f"sync_bench_{os.getpid()}"
        with psycopg.connect(args.pg, autocommit=True) as c:
            c.execute(f"CREATE DATABASE {name}")
        url = args.pg.rsplit("/", 1)[0] + "/" + name
        try:
            pg = PgDatabase(url, create=True)
            from sqlalchemy import select

            from models import Setting, SyncKey

            with branch.read() as s, pg.write(admin) as w:
                for r in s.execute(select(SyncKey.__table__)).all():
                    w.execute(SyncKey.__table__.insert().values(**r._mapping))
                for r in s.execute(select(Setting.__table__).where(Setting.key.like("branch.%"))).all():
                    w.execute(Setting.__table__.insert().values(**r._mapping))
            K.trust_station(pg, admin, K.station_identity(station, admin))
            t = time.perf_counter()
            out = import_package(pg, admin, data)
            secs = time.perf_counter() - t
            print(f"import (PostgreSQL): {out.status}, {sum(out.counts.values()):,} rows in {secs:.2f} s "
                  f"({sum(out.counts.values()) / secs:,.0f} rows/s)")
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
