"""A table open, a search and a record view against a station server, direct and through a
local TCP proxy adding 2 ms each way: prints round trips and times (median of runs). "open apart"
asks the table open's questions a unit of work each, as the table view did before.

    STATION_TEST_PG_URL=postgresql://station@127.0.0.1:PORT/station_test \\
        .venv/bin/python bench/server_bench.py [--scale 0.5] [--runs 15] [--delay-ms 2]

The station is a demo file moved to a scratch database on that server (the suite's superuser,
`postgres`, makes and drops it). The raw baseline printed beside each figure is one `SELECT 1`
round trip on the same path; beside each figure, the same operation with a liveness ping before
every unit of work (what the store did before), interleaved run by run. Benchmarks are not tests:
nothing here fails on time.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=0.5)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--delay-ms", type=float, default=2.0)
    args = ap.parse_args()

    import psycopg
    from sqlalchemy.engine import make_url

    import app.store.postgres as pg
    from app.server.move import move_to_server
    from app.server.proxy import LatencyProxy
    from app.server.setup import ServerAddress, login_to_server
    from app.services import org
    from app.services.records import get_record
    from app.services.tables import TableQuery, fetch_rows, first_ids, level_and_overdue_counts, open_table
    from app.startup import create_demo_database
    from app.store.keyfile import DEMO_PASSWORD
    from tests.server.conftest import Scratch

    idle_default = pg.IDLE_PING_SECONDS

    tmp = Path(tempfile.mkdtemp())
    t0 = time.perf_counter()
    db, summary = create_demo_database(tmp / "station.db", seed=1, scale=args.scale, as_of=date(2026, 11, 30))
    db.close()
    scratch = Scratch()
    try:
        moved = move_to_server(tmp / "station.db", scratch.owner_url, "admin", DEMO_PASSWORD)
        print(f"demo station moved: {sum(c.rows for c in moved.tables if c.table == 'case_record')} cases, "
              f"{time.perf_counter() - t0:.1f} s")
        u = make_url(scratch.server_url)

        def ops(d, rid):
            def table_open():  # what the table view asks: one unit of work
                open_table(d, "case", TableQuery(), 256, choices=True)

            def table_open_apart():  # the same answers, a unit of work per question (the view before)
                q = TableQuery()
                d.is_branch()
                org.list_officers(d)
                org.list_teams(d)
                ids, _complete = first_ids(d, "case", q, 256)
                fetch_rows(d, "case", list(ids)[:256])
                level_and_overdue_counts(d, "case", q)

            def search():
                open_table(d, "case", TableQuery(text="盗窃"), 256, first_page=False)

            return {"table open": table_open, "open apart": table_open_apart, "search": search,
                    "record view": lambda: get_record(d, "case", rid)}

        for delay in (0.0, args.delay_ms / 1000):
            proxy = LatencyProxy(u.host, u.port, delay)
            address = ServerAddress(u.set(port=proxy.port).render_as_string(hide_password=False),
                                    moved.address.prefix)
            logged = login_to_server(address, "admin", DEMO_PASSWORD)
            raw = psycopg.connect(address.for_account("admin", DEMO_PASSWORD), autocommit=True)
            try:
                with logged.db.read() as s:
                    rid = s.connection().exec_driver_sql("SELECT min(id) FROM case_record").scalar()
                base = []
                for _ in range(args.runs):
                    t = time.perf_counter()
                    raw.execute("SELECT 1").fetchone()
                    base.append(time.perf_counter() - t)
                print(f"\n-- {delay * 1000:.0f} ms each way: one round trip (SELECT 1) "
                      f"{statistics.median(base) * 1000:.2f} ms")
                for name, op in ops(logged.db, rid).items():
                    op()
                    # Now (a pooled connection is checked only after sitting idle) against the
                    # former cost, a liveness ping before every unit of work, interleaved run by run.
                    times, trips = {"now": [], "before": []}, {"now": [], "before": []}
                    for _ in range(args.runs):
                        for mode, idle in (("now", idle_default), ("before", 0.0)):
                            pg.IDLE_PING_SECONDS = idle
                            proxy.reset()
                            t = time.perf_counter()
                            op()
                            times[mode].append(time.perf_counter() - t)
                            trips[mode].append(proxy.reset())
                    pg.IDLE_PING_SECONDS = idle_default
                    print(f"{name:<12} {statistics.median(times['now']) * 1000:8.1f} ms  {max(trips['now']):3d} "
                          f"round trips   (ping every unit: {statistics.median(times['before']) * 1000:.1f} ms, "
                          f"{max(trips['before'])} round trips)")
            finally:
                raw.close()
                logged.db.close()
                proxy.close()
    finally:
        scratch.drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
