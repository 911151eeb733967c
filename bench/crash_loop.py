"""The long kill -9 run (TRUST_TESTS.md A1 nightly, D5): 1,000 kills mid-commit, 100 mid-migration.

    .venv/bin/python bench/crash_loop.py                       # 1,000 + 100 kills, figures at the end
    .venv/bin/python bench/crash_loop.py --kills 200 --fresh   # a new interpreter per kill (slower)
    .venv/bin/python bench/crash_loop.py --keep DIR            # keep the databases for a post-mortem

Each round: a worker process does business operations through the real services on the
production configuration (WAL, synchronous=FULL) and prints an acknowledgement after every
commit; it is SIGKILLed 20–400 ms after it starts (one round in five) or after its first
acknowledged commit (the others); the database is reopened with SqliteStore(path)
and checked (integrity, no partial operation, every acknowledged operation present). Exits 1 on
the first problem, with the seed and the round to reproduce it.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.store import SqliteStore  # noqa: E402
from tests.trust.crash_child import Runner, build_old_database, kill_loop, migration_loop, setup_station  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=1000)
    ap.add_argument("--migration-kills", type=int, default=100)
    ap.add_argument("--seed", type=int, default=20261126)
    ap.add_argument("--rotate", type=int, default=100, help="kills per database file")
    ap.add_argument("--fresh", action="store_true", help="start a new interpreter for every kill")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = ap.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="crash-loop-"))
    work.mkdir(parents=True, exist_ok=True)
    runner = Runner(fresh=args.fresh)
    failed = False
    try:
        print(f"seed {args.seed}; {'fresh interpreter per kill' if args.fresh else 'zygote'}"
              + (f"; worker import {runner.import_seconds:.2f} s" if runner.import_seconds else ""), flush=True)
        t = time.perf_counter()
        figures: Counter = Counter()
        problems: list[str] = []
        size = 0.0
        done = 0
        # A fresh database every --rotate kills: every round still reopens and checks the whole
        # file, and the checks stay as fast at kill 1,000 as at kill 1.
        while done < args.kills and not problems:
            n = min(args.rotate, args.kills - done)
            path = work / f"station-{done // args.rotate}.db"
            db = SqliteStore(path, create=True)
            setup_station(db)
            db.close()
            part, problems = kill_loop(runner, path, n, args.seed + done, tag=f"r{done}.")
            figures.update(part)
            size = max(size, path.stat().st_size / 1e6)
            done += n
            print(f"  {done} kills, {figures['acknowledged']} acknowledged, {time.perf_counter() - t:.0f} s",
                  flush=True)
        seconds = time.perf_counter() - t
        print(f"A1 kill -9 mid-commit (WAL, synchronous=FULL): kills {figures['kills']}, "
              f"acknowledged operations {figures['acknowledged']}, lost {figures['lost']}, "
              f"partial operations {figures['partial operations']}, integrity errors {figures['integrity errors']}, "
              f"killed before the database was open {figures['killed before the database was open']}, "
              f"rounds with an acknowledged commit {figures['rounds with an acknowledged commit']}; "
              f"{figures['cases']} cases, {figures['disputes']} disputes ({figures['converted']} converted), "
              f"{figures['batches']} batches; databases up to {size:.1f} MB; {seconds:.0f} s "
              f"({seconds / max(1, figures['kills']):.2f} s per kill)", flush=True)
        for p in problems:
            print(f"  PROBLEM {p}")
        failed |= bool(problems)

        if args.migration_kills and not failed:
            t = time.perf_counter()
            old = build_old_database(work / "release-0001.db", work / "scratch.db", 4000, 2000, 2000)
            outcome, problems, upgrade = migration_loop(runner, old, work, args.migration_kills, args.seed)
            seconds = time.perf_counter() - t
            print(f"D5 kill -9 mid-migration: {args.migration_kills} kills over an upgrade of "
                  f"{sum(old.counts.values())} rows taking {upgrade * 1000:.0f} ms: {dict(sorted(outcome.items()))}; "
                  f"problems {len(problems)}; {seconds:.0f} s", flush=True)
            for p in problems:
                print(f"  PROBLEM {p}")
            failed |= bool(problems)
    finally:
        runner.close()
        if args.keep is None and not failed:
            shutil.rmtree(work, ignore_errors=True)
        elif failed:
            print(f"databases kept in {work}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
