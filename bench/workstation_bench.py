"""Filter and search on a 100,000-record station: the table service against the raw SQL of the same work.

Usage: .venv/bin/python bench/workstation_bench.py [--db PATH] [--scale 50] [--encrypted]
The demo station (app.demo.generate_demo, seed 1) is generated once and cached outside the
repository (default: $TMPDIR/station_bench_scale50.db). --encrypted runs on an SQLCipher-encrypted
copy of it (what a protected station database is: every page read is decrypted). Prints, per case,
the best of 5 in ms for
list_ids, the raw sqlite3 baseline and their ratio, and what a table view runs on each filter
change: the ids and the level cards with the overdue total (one scan for a short search)
(PERFORMANCE.md R4/R9: ≤ 1.5× for lists, ≤ 2× for FTS search, ≤ 1.2× for LIKE).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.levels import Module  # noqa: E402
from app.services import tables  # noqa: E402
from app.services.tables import TableQuery  # noqa: E402
from app.store import SqliteStore  # noqa: E402

TABLE = {Module.CASE: "case_record", Module.DISPUTE: "dispute", Module.PERSON: "person"}


def best(fn, n: int = 5) -> float:
    fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times) * 1000


def ensure_db(path: Path, scale: float) -> Path:
    if not path.exists():
        from app.demo import generate_demo

        print(f"generating demo station scale={scale} into {path} …", flush=True)
        t = time.perf_counter()
        db = SqliteStore(path, create=True)
        generate_demo(db, seed=1, scale=scale)
        db.close()
        print(f"  done in {time.perf_counter() - t:.1f} s", flush=True)
    return path


def view_refresh(db, module, q):
    """What ui/records/table_view.py runs on a filter change."""
    ids, counts = tables.list_ids_with_counts(db, module, q)
    return ids, counts if counts is not None else tables.level_and_overdue_counts(db, module, q)


BENCH_KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"  # a throw-away key


def encrypted_copy(plain: Path) -> Path:
    """An SQLCipher-encrypted copy of `plain` (made once, beside it), as a protected station has."""
    target = plain.with_name(plain.stem + ".encrypted.db")
    if not target.exists():
        import sqlcipher3.dbapi2 as sqlite

        tmp = target.with_name(target.name + ".part")
        tmp.unlink(missing_ok=True)
        conn = sqlite.connect(str(plain))
        conn.execute(f"ATTACH DATABASE '{tmp}' AS enc KEY \"x'{BENCH_KEY}'\"")
        conn.execute("SELECT sqlcipher_export('enc')")
        conn.execute("DETACH DATABASE enc")
        conn.close()
        tmp.rename(target)
    return target


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=50)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--encrypted", action="store_true", help="run on an encrypted copy of the database")
    args = ap.parse_args()
    path = args.db or Path(os.environ.get("TMPDIR", tempfile.gettempdir())) / f"station_bench_scale{args.scale:g}.db"
    path = ensure_db(path, args.scale)
    if args.encrypted:
        path = encrypted_copy(path)
        print(f"encrypted copy: {path}")
    db = SqliteStore(path, key=BENCH_KEY if args.encrypted else None)
    raw = db.engine.raw_connection()
    total = 0
    for m, t in TABLE.items():
        n = raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        total += n
        print(f"{m.value:8s} {n:7d} records")
    print(f"total    {total:7d} records\n")
    with db.read() as s:
        from sqlalchemy import text

        name = s.execute(text("SELECT name FROM person WHERE length(name)=3 LIMIT 1 OFFSET 50")).scalar_one()
        place = s.execute(text("SELECT substr(place, 1, 3) FROM case_record LIMIT 1 OFFSET 99")).scalar_one()
        officer = s.execute(text("SELECT id FROM officer WHERE role='officer' LIMIT 1")).scalar_one()
    from app.domain.search import name_keys

    initials = name_keys(name)[1]
    today = date.today()
    cases = [
        ("case: red only", Module.CASE, TableQuery(levels=frozenset({"red"}))),
        ("case: criminal, last 90 days", Module.CASE,
         TableQuery(category="criminal", date_from=today - timedelta(days=90))),
        ("case: overdue", Module.CASE, TableQuery(overdue_only=True)),
        ("case: one officer, any role", Module.CASE, TableQuery(person_id=officer)),
        (f"case: search '{place}' (FTS)", Module.CASE, TableQuery(text=place)),
        ("case: search '路' (character index)", Module.CASE, TableQuery(text="路")),
        (f"person: search '{name}' (FTS)", Module.PERSON, TableQuery(text=name)),
        (f"person: search '{initials}' (FTS, initials)", Module.PERSON, TableQuery(text=initials)),
        (f"person: search '{name[:2]}' (character index)", Module.PERSON, TableQuery(text=name[:2])),
        ("dispute: search 'zs' (character index, initials)", Module.DISPUTE, TableQuery(text="zs")),
        ("dispute: category + overdue", Module.DISPUTE, TableQuery(category="police_primary", overdue_only=True)),
    ]
    print(f"{'case':44s} {'rows':>7s} {'ids ms':>8s} {'raw ms':>8s} {'ratio':>6s} {'view ms':>10s}")
    for title, module, q in cases:
        stmt = tables.ids_statement(module, q)
        compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
        sql = str(compiled)
        n = len(tables.list_ids(db, module, q))
        app_ms = best(lambda: tables.list_ids(db, module, q))
        raw_ms = best(lambda: raw.execute(sql).fetchall())
        both = best(lambda: view_refresh(db, module, q))
        print(f"{title:44s} {n:7d} {app_ms:8.1f} {raw_ms:8.1f} {app_ms / raw_ms:6.2f} {both:10.1f}")
    raw.close()
    db.close()


if __name__ == "__main__":
    main()
