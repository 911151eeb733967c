"""Ledger import speed: a 10,000-row case ledger through the batched path, beside the row path and a
raw executemany of the very rows it wrote. Prints the figures; nothing here fails on time.

    .venv/bin/python bench/ledger_bench.py                  # 10,000 rows
    .venv/bin/python bench/ledger_bench.py --rows 20000 --row-path 2000

The ledger is written with openpyxl the way stations keep one: a header, dates, colours as words,
informal statuses (在办 / 已办结), two officers, every fourth row closed with the colour it had while
open (history: two level changes), the others open (a level change and the follow-up action). One
row in fifty is bad (an unknown level) and is rejected with its reason. Both paths run the same
checks in one transaction and must give the same row report (checked here, on the row-path sample).

The raw baseline inserts the rows the batched import wrote (records, level changes, actions, audit
entries), read back from its database, into an empty station of the same schema (same pragmas,
indexes and search-index triggers) by DBAPI executemany of pre-built tuples in one transaction:
the floor for writing those rows, with no reading, checking or audit chaining.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def write_ledger(path: Path, n: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("案件台账")
    ws.append(["序号", "案件编号", "案件类别", "案由", "受案日期", "预警等级", "责任民警", "办理状态", "办结日期"])
    levels = ["红色", "橙色", "黄色"]
    start = date.today() - timedelta(days=400)
    for i in range(n):
        accepted = start + timedelta(days=i % 360)
        closed = i % 4 == 3
        level = "特急" if i % 50 == 49 else levels[i % 3]
        ws.append([i + 1, f"A{i:07d}", "刑事" if i % 2 else "行政", "盗窃", accepted, level, ("张伟", "刘洋")[i % 2],
                   "已办结" if closed else "在办", accepted + timedelta(days=5) if closed else None])
    wb.save(path)


def station(path: Path):
    from app.services import org
    from app.store import SqliteStore

    db = SqliteStore(path, create=True)
    org.init_station(db, "城关派出所", "360102001", "东湖分局")
    t1, t2 = org.add_team(db, "社区警务一队"), org.add_team(db, "案件办理队")
    leader = org.add_officer(db, "王建国", "leader")
    org.add_officer(db, "李强", "team_leader", t1)
    org.add_officer(db, "陈刚", "team_leader", t2)
    org.add_officer(db, "张伟", "officer", t1)
    org.add_officer(db, "刘洋", "officer", t2)
    return db, org.actor_for(db, leader)


TABLES = ("case_record", "level_change", "action", "audit_log")


def raw_seconds(source, folder: Path) -> tuple[float, int]:
    """Time raw executemany of `source`'s import rows into a fresh database of the same schema
    (its station, teams and officers copied first, untimed)."""
    from app.store import SqliteStore

    def rows_of(conn, table, where=""):
        cur = conn.exec_driver_sql(f'SELECT * FROM "{table}" {where}')
        return [c[0] for c in cur.cursor.description], [tuple(r) for r in cur.fetchall()]

    with source.engine.connect() as conn:
        setup = {t: rows_of(conn, t) for t in ("station", "team", "officer")}
        data = {t: rows_of(conn, t) for t in TABLES[:-1]}
        data["audit_log"] = rows_of(conn, "audit_log", "WHERE action LIKE 'import_ledger%'")
    target = SqliteStore(folder / "raw.db", create=True)

    def put(dbapi, table, cols, values):
        names = ", ".join(f'"{c}"' for c in cols)
        dbapi.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" for _ in cols)})', values)

    with target.raw() as dbapi:
        for table, (cols, values) in setup.items():
            put(dbapi, table, cols, values)
    started = time.perf_counter()
    with target.raw() as dbapi:
        for table, (cols, values) in data.items():
            put(dbapi, table, cols, values)
    secs = time.perf_counter() - started
    target.close()
    return secs, sum(len(v) for _c, v in data.values())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--row-path", type=int, default=1000, help="rows for the row-by-row comparison (0: skip)")
    args = ap.parse_args()
    from app.domain.levels import Module
    from app.ledger.importer import plan_import, run_import
    from app.ledger.reader import read_ledger

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ledger = folder / "cases.xlsx"
        write_ledger(ledger, args.rows)
        db, actor = station(folder / "station.db")
        t = time.perf_counter()
        parsed = read_ledger(ledger)
        plan = plan_import(parsed, Module.CASE)
        read_s = time.perf_counter() - t
        t = time.perf_counter()
        report = run_import(db, actor, plan)
        import_s = time.perf_counter() - t
        counts = {k: report.count(k) for k in ("imported", "rejected", "skipped")}
        print(f"{args.rows:,}-row case ledger, batched path: read {read_s:.2f} s; import {import_s:.2f} s = "
              f"{args.rows / import_s:,.0f} rows/s (one transaction; {counts})")
        print(f"  with the reading: {args.rows / (read_s + import_s):,.0f} rows/s")
        raw_s, raw_rows = raw_seconds(db, folder)
        print(f"  raw executemany of the rows it wrote ({raw_rows:,} rows in {', '.join(TABLES)}): {raw_s:.2f} s "
              f"= {args.rows / raw_s:,.0f} ledger rows/s; the import takes {import_s / raw_s:.1f}x the raw write")
        db.close()
        if args.row_path:
            sample = folder / "sample.xlsx"
            write_ledger(sample, args.row_path)
            reports = {}
            for batched in (True, False):
                one, one_actor = station(folder / f"sample-{batched}.db")
                t = time.perf_counter()
                reports[batched] = run_import(one, one_actor, plan_import(sample, Module.CASE), batched=batched)
                secs = time.perf_counter() - t
                print(f"{args.row_path:,}-row sample, {'batched' if batched else 'row-by-row'} path: {secs:.2f} s = "
                      f"{args.row_path / secs:,.0f} rows/s")
                one.close()
            same = [(r.line, r.outcome, r.reason, r.label) for r in reports[True].rows] == \
                [(r.line, r.outcome, r.reason, r.label) for r in reports[False].rows]
            print(f"  same row report on both paths: {'yes' if same else 'NO'}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
