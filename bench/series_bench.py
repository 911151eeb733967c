"""串并 candidates at scale (the 串并侦查 tab of a case's record view; issue 21's record view <= 100 ms).

    .venv/bin/python bench/series_bench.py --db STATION.db [--cases 40] [--rounds 3]

For a sample of orange active cases (every k-th by id, so the same ones each run), best of
--rounds after one warm-up, median and max over the sample:
  - service: app.services.series.candidates(case_id=...) as the record view calls it (score two);
  - its statement raw: the same SQL and parameters on a bare connection, all rows fetched (the raw
    baseline of the service's work);
  - the former scan: the statement before migration 0021 (every entry of 0020's partial index
    with its bound), built and run as the service built it, all rows fetched.
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

    from sqlalchemy import Date, bindparam, text

    from app.domain.workflows import SERIES_WINDOW_DAYS
    from models import Case

    def former_scan(cid: int) -> None:
        """The statement before migration 0021, as the service built it, run the same way."""
        with db.read() as session:
            ref = session.get(Case, cid)
            bound, params = S._bound_sql([ref], SERIES_WINDOW_DAYS, False)
            stmt = text(f"SELECT id, case_no, cause, place, accepted_on, {bound} AS bound FROM case_record "
                        f"INDEXED BY ix_case_record_series WHERE {SERIES_INDEX_WHERE} AND {bound} >= :least "
                        "ORDER BY bound DESC, accepted_on, id")
            stmt = stmt.bindparams(*(bindparam(k, v, type_=Date() if hasattr(v, "toordinal") else None)
                                     for k, v in params.items()), bindparam("least", 2))
            session.connection().execute(stmt).cursor.fetchall()

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
        # The near set's size: the same statement with every bound let through (its last marker is
        # the least score).
        cut = statement.rfind("?")
        near_rows.append(len(raw.execute(statement[:cut] + "0" + statement[cut + 1:], params[:-1]).fetchall()))
        former.append(best(lambda cid=cid: former_scan(cid)))
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
