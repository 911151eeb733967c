"""Trend queries against their raw SQL baseline (PERFORMANCE.md R8: <= 1.5x), and each report's build time.

    .venv/bin/python bench/trends_bench.py [--scale 1] [--db PATH]

Prints best-of-5 timings; never fails on timing.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402

from app.services import trends as T  # noqa: E402
from app.store import SqliteStore  # noqa: E402

AS_OF = date(2025, 5, 15)


def best(fn, n: int = 5) -> float:
    fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--db")
    args = ap.parse_args()
    if args.db:
        db = SqliteStore(Path(args.db))
    else:
        from app.demo import generate_demo

        path = Path(tempfile.mkdtemp()) / "bench.db"
        db = SqliteStore(path, create=True)
        t = time.perf_counter()
        made = generate_demo(db, seed=1, scale=args.scale, as_of=AS_OF)
        print(f"demo scale {args.scale}: {made.cases} cases, {made.disputes} disputes, {made.persons} persons "
              f"in {time.perf_counter() - t:.1f} s")
    start = date(2024, 6, 1)

    def raw_month_new():
        with db.read() as s:
            s.execute(text("SELECT date(accepted_on, 'start of month') b, count(*) FROM case_record "
                           "WHERE accepted_on >= :a AND accepted_on <= :e AND (voided_at IS NULL) GROUP BY b"),
                      {"a": start, "e": AS_OF}).all()

    def raw_level_deltas():
        with db.read() as s:
            s.execute(text("SELECT date(changed_at, 'start of month') b, to_level, count(*) FROM level_change "
                           "WHERE module = 'case' GROUP BY b, to_level")).all()

    rows = [
        ("new per month (cases)", lambda: T.event_series(db, "case", ("new",), "month", start=start, as_of=AS_OF),
         raw_month_new),
        ("new+closed per month", lambda: T.event_series(db, "case", ("new", "closed"), "month", start=start,
                                                         as_of=AS_OF), raw_month_new),
        ("levels as of month ends", lambda: T.level_series(db, "case", "month", start=start, as_of=AS_OF),
         raw_level_deltas),
        ("levels as of day ends (1 y)", lambda: T.level_series(db, "case", "day", start=date(2024, 5, 16),
                                                               as_of=AS_OF), raw_level_deltas),
    ]
    print(f"{'series':32} {'app ms':>8} {'raw ms':>8} {'ratio':>6}")
    for name, app_fn, raw_fn in rows:
        a, r = best(app_fn), best(raw_fn)
        print(f"{name:32} {a * 1000:8.1f} {r * 1000:8.1f} {a / r:6.2f}")
    for name, fn in (("solved vs last year, 12 months", lambda: T.last_year_series(db, "case", "solved", "month",
                                                                                   start=start, as_of=AS_OF)),
                     ("overdue share, 12 month ends", lambda: T.overdue_series(db, "person", "month", start=start,
                                                                               as_of=AS_OF)),
                     ("days to green, 12 months", lambda: T.days_to_green_series(db, "case", "month", start=start,
                                                                                 as_of=AS_OF))):
        print(f"{name:32} {best(fn, 3) * 1000:8.1f}")
    from app.reports.pack import REPORTS, build_report
    from app.reports.xlsx import write_xlsx

    out = Path(tempfile.mkdtemp())
    for key, kind in REPORTS.items():
        t = time.perf_counter()
        report = build_report(db, key, kind.example, AS_OF)
        built = time.perf_counter() - t
        t = time.perf_counter()
        write_xlsx(report, out / f"{key}.xlsx")
        print(f"report {key:16} build {built * 1000:7.0f} ms   xlsx {(time.perf_counter() - t) * 1000:6.0f} ms")
    db.close()


if __name__ == "__main__":
    main()
