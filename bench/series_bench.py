"""串并 candidates at scale (the 串并侦查 tab of a case's record view; issue 21's record view <= 100 ms).

    .venv/bin/python bench/series_bench.py --db STATION.db [--cases 40] [--rounds 3]

For a sample of orange active cases (every k-th by id, so the same ones each run), best of
--rounds after one warm-up, median and max over the sample:
  - service: app.services.series.candidates(case_id=...) as the record view calls it (score two);
  - its statement raw: the same SQL and parameters on a bare connection, all rows fetched (the raw
    baseline of the service's work);
  - the former scan: the statement before migration 0021 (every entry of 0020's partial index
    with its bound), raw, fetched the same way.
Also the size of each case's near set (the UNION's rows) against the 0020 index's entries.
Prints the load average before and after. Never fails on time.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--cases", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    from sqlalchemy import event

    from app.services import series as S
    from app.store import SqliteStore
    from models.records import SERIES_INDEX_WHERE

    print(f"load average before: {os.getloadavg()}")
    db = SqliteStore(args.db, instance_lock=False)
    pooled = db.engine.raw_connection()
    raw = pooled.dbapi_connection
    entries = raw.execute(f"SELECT count(*) FROM case_record INDEXED BY ix_case_record_series "
                          f"WHERE {SERIES_INDEX_WHERE}").fetchone()[0]
    ids = [r[0] for r in raw.execute(f"SELECT id FROM case_record WHERE {SERIES_INDEX_WHERE} ORDER BY id")]
    step = max(1, len(ids) // args.cases)
    sample = ids[::step][:args.cases]

    sent: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "ix_case_record_series" in statement:
            sent.append((statement, parameters))

    def best(fn) -> float:
        fn()
        times = []
        for _ in range(args.rounds):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return min(times)

    service, own_raw, former, near_rows, found = [], [], [], [], []
    for cid in sample:
        sent.clear()
        event.listen(db.engine, "before_cursor_execute", capture)
        try:
            found.append(len(S.candidates(db, case_id=cid)))
        finally:
            event.remove(db.engine, "before_cursor_execute", capture)
        statement, params = sent[-1]
        service.append(best(lambda cid=cid: S.candidates(db, case_id=cid)))
        own_raw.append(best(lambda s=statement, p=params: raw.execute(s, p).fetchall()))
        near = statement.split(" FROM (", 1)[1].rsplit(") WHERE ", 1)[0]
        near_rows.append(raw.execute(f"SELECT count(*) FROM ({near})", params).fetchone()[0])
        head = statement.split(" FROM (", 1)[0]
        where = statement.rsplit(") WHERE ", 1)[1]
        scan = f"{head} FROM case_record INDEXED BY ix_case_record_series WHERE {SERIES_INDEX_WHERE} AND {where}"
        former.append(best(lambda s=scan, p=params: raw.execute(s, p).fetchall()))

    def ms(xs: list[float]) -> str:
        return f"median {statistics.median(xs) * 1000:7.1f} ms, max {max(xs) * 1000:7.1f} ms"

    print(f"{len(sample)} orange active cases of {len(ids):,} ({entries:,} index entries), best of {args.rounds}")
    print(f"  service candidates()      {ms(service)}")
    print(f"  its statement raw         {ms(own_raw)}   ratio {statistics.median(service) / statistics.median(own_raw):.2f}x")
    print(f"  former full-index scan    {ms(former)}")
    print(f"  near rows read            median {statistics.median(near_rows):,.0f}, max {max(near_rows):,}")
    print(f"  candidates found          median {statistics.median(found):.0f}, max {max(found)}")
    print(f"load average after: {os.getloadavg()}")
    pooled.close()
    db.close()


if __name__ == "__main__":
    main()
