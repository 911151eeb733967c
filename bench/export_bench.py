"""A full export, in one process and with the worker processes, beside a raw fetch of the same
tables in the same run: wall time, CPU seconds of the parent and of its workers, figures per
station and per million rows.

    .venv/bin/python bench/export_bench.py /path/to/station.db [--workers 0,2] [--keep]

The station file is copied first (an export writes its log). Raw = fetchall of every row of
the tables the package carries (station … audit_log), one connection, before and after the
exports. Benchmarks are not tests: nothing here fails on time.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TABLES = ("station", "team", "officer", "case_record", "dispute", "person", "dedicated_member", "level_change",
          "action", "person_link", "audit_log", "mediation_body", "case_series", "alert", "control_check",
          "person_event", "risk_assessment", "mediation", "series_member")


def cpu() -> tuple[float, float]:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def raw_fetch(path: Path) -> float:
    import sqlcipher3.dbapi2 as sqlite

    c = sqlite.connect(str(path))
    t = time.perf_counter()
    for tb in TABLES:
        c.execute(f"SELECT * FROM {tb}").fetchall()
    secs = time.perf_counter() - t
    c.close()
    return secs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("station")
    ap.add_argument("--workers", default="2,0", help="comma-separated worker counts to run, in order (0: one process)")
    ap.add_argument("--work", default=None, help="folder for the copy and the packages (default: a temporary one)")
    args = ap.parse_args()

    import app.services  # noqa: F401  (the audit hook every write needs)
    from app.domain.rules import Actor
    from app.store import SqliteStore
    from app.sync import export as E, keys as K

    folder = Path(args.work or tempfile.mkdtemp(prefix="export-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / "station.db"
    if not copy.exists():
        shutil.copy(args.station, copy)
    admin = Actor(None, "admin", "admin", account="admin")
    station = SqliteStore(copy)
    if K.registered_branch(station) is None:
        branch = SqliteStore(folder / "branch.db", create=True)
        K.register_branch(station, admin, K.init_branch(branch, admin, "东湖分局"))
        branch.close()
    issues = E.quality_check(station)
    print(f"{time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())} UTC, load average {os.getloadavg()}", flush=True)
    raws = [raw_fetch(copy)]
    print(f"raw fetchall of the same tables: {raws[0]:.2f} s", flush=True)
    for w in (int(x) for x in args.workers.split(",")):
        c0 = cpu()
        t = time.perf_counter()
        res = E.export_package(station, admin, folder / f"full-{w}.stpkg", force=True, issues=issues, workers=w)
        secs = time.perf_counter() - t
        c1 = cpu()
        rows = sum(res.counts.values())
        records = sum(res.counts[k] for k in ("case", "dispute", "person"))
        print(f"export, workers={w}: {secs:.2f} s wall ({records:,} records, {rows:,} rows, {res.size / 1e6:.1f} MB); "
              f"CPU parent {c1[0] - c0[0]:.2f} s, workers {c1[1] - c0[1]:.2f} s; "
              f"{secs / rows * 1e6:.2f} s per million rows; ratio to the raw fetch {secs / raws[0]:.2f}x; "
              f"load average {os.getloadavg()}", flush=True)
    raws.append(raw_fetch(copy))
    print(f"raw fetchall again: {raws[-1]:.2f} s ({rows:,} rows: {raws[-1] / rows * 1e6:.2f} s per million rows); "
          f"load average {os.getloadavg()}; {time.strftime('%H:%M:%S', time.gmtime())} UTC")
    station.close()
    if args.work is None:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
