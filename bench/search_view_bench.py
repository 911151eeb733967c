"""A search typed into the real case table view (issue 21 item 2): the view's whole work, timed.

Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/search_view_bench.py --db STATION.db [--terms 路 宋]
For each term, best and median of --rounds (after one warm-up), from the search box's query
applied to the view being complete:
  - first paint: `apply_filters()` (the model's first page) and a synchronous repaint of the rows;
  - whole work: that, then the event loop until the level cards, the total and the whole id list
    are in (the view reads them right after the paint) and the repaints they cause are done.
Beside them, in the same rounds: the SQL statements that work sent, replayed on a bare connection
(the raw baseline), and the whole work with the matches' states read by a seek per match
(short_search.SETS_SHARE = 0: the way before the sets). Between rounds the search box is cleared
and the plain table's counts read. Prints the load average before and after.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--terms", nargs="+", default=["路", "宋"])
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()

    from PySide6.QtWidgets import QApplication
    from sqlalchemy import event

    from app.domain.levels import Module
    from app.services import short_search
    from app.store import SqliteStore
    from ui.main import configure_application
    from ui.records.table_view import RecordTableView

    app = QApplication.instance() or QApplication([])
    configure_application(app)
    db = SqliteStore(args.db, instance_lock=False)
    raw = db.engine.raw_connection()
    view = RecordTableView(db, Module.CASE)
    view.resize(1280, 800)
    view.show()

    def settle() -> None:
        while view.counts_pending():
            app.processEvents()

    settle()

    def search(term: str) -> tuple[float, float]:
        view.search.setText("")
        view.apply_filters()
        settle()
        view.search.blockSignals(True)
        view.search.setText(term)
        view.search.blockSignals(False)
        t = time.perf_counter()
        view.apply_filters()
        view.table.viewport().repaint()
        first = time.perf_counter() - t
        settle()
        for _ in range(3):  # the repaints the counts and the rows appended cause (a delayed layout)
            app.processEvents()
        assert view.model.ids_complete()
        return first, time.perf_counter() - t

    def captured(term: str) -> list[tuple[str, object]]:
        sent: list[tuple[str, object]] = []
        started = [False]

        def capture(conn, cursor, statement, parameters, context, executemany):
            if started[0] and not statement.lstrip().upper().startswith(
                    ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA")):
                sent.append((statement, parameters))

        view.search.setText("")
        view.apply_filters()
        settle()
        event.listen(db.engine, "before_cursor_execute", capture)
        try:
            started[0] = True
            search(term)
        finally:
            event.remove(db.engine, "before_cursor_execute", capture)
        return sent

    def replay(sent: list[tuple[str, object]]) -> float:
        t = time.perf_counter()
        for q, p in sent:
            raw.execute(q, p).fetchall()
        return time.perf_counter() - t

    print(f"load average before: {os.getloadavg()}", flush=True)
    print(f"{'term':6s} {'rows':>8s} {'first paint':>16s} {'whole work':>16s} {'raw stmts':>16s} "
          f"{'seek per match':>16s}  (best / median ms)")
    for term in args.terms:
        search(term)  # warm-up
        sent = captured(term)
        firsts, wholes, raws, seeks = [], [], [], []
        share = short_search.SETS_SHARE
        for _ in range(args.rounds):
            f, w = search(term)
            firsts.append(f)
            wholes.append(w)
            raws.append(replay(sent))
            short_search.SETS_SHARE = 0
            try:
                seeks.append(search(term)[1])
            finally:
                short_search.SETS_SHARE = share
        rows = view.model.rowCount()

        def fmt(xs: list[float]) -> str:
            return f"{min(xs) * 1000:6.1f} / {statistics.median(xs) * 1000:6.1f}"

        print(f"{term:6s} {rows:8,d} {fmt(firsts):>16s} {fmt(wholes):>16s} {fmt(raws):>16s} {fmt(seeks):>16s}  "
              f"({len(sent)} statements)", flush=True)
    print(f"load average after: {os.getloadavg()}")
    raw.close()
    view.close()
    db.close()


if __name__ == "__main__":
    main()
