"""Cold start of an unprotected station file, beside a bare PySide6 window, in fresh processes.

    .venv/bin/python bench/cold_start.py                       # 100k data from $STATION_BENCH_DATA, 7 rounds
    .venv/bin/python bench/cold_start.py --db some/station.db --rounds 11
    .venv/bin/python bench/cold_start.py --before ../main      # and another checkout, same rounds

Each round starts, one after the other, a bare window (QApplication, QMainWindow with an empty
QTableView, 1280×800: the raw baseline, as in bench/run.py) and the app through its real entry point
(`app.__main__.main(["gui", "--db", …])` on a private copy of the file, with the settings in a
temporary folder). Times run from just before the child process is started (the interpreter's own
start included) to:
  - bare: the table viewport's first Paint;
  - frame: the first Paint of the main window's frame (ui/window_frame.py);
  - records first shown: the first Paint of a record table's viewport with rows, in the frame (its
    first page, app.services.first_page) or in the main window (#21 item 5: "cold start of a plain
    file to the main window with its records");
  - window: the first Paint of the record table's viewport in the main window, with its rows.
Bare and app alternate so that both see the same load; with --before, a checkout of the code
before a change runs in the same rounds too. Prints min and median of each, their ratios
to the bare window's, and the load average before and after.

Children compile to byte-code once, in a private folder (PYTHONPYCACHEPREFIX), and reuse it, as an
installed copy does: a PYTHONDONTWRITEBYTECODE environment would otherwise compile every module of
the app at every start. Benchmarks are not tests: nothing here
fails on time.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE_CHILD = r"""
import os, sys, time
started = float(sys.argv[1])
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv[:1])
class Spy(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("BARE", time.time() - started, flush=True)
            os._exit(0)
        return False
win = QMainWindow()
view = QTableView()
win.setCentralWidget(view)
spy = Spy()
view.viewport().installEventFilter(spy)
win.resize(1280, 800)
win.show()
app.exec()
"""

# The app's own entry point; the spy is installed on the QApplication that ui.main.run then uses.
APP_CHILD = r"""
import os, sys, time
started = float(sys.argv[1])
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QTableView
app = QApplication(sys.argv[:1])
seen = {}
class Spy(QObject):
    def eventFilter(self, obj, event):
        if event.type() != QEvent.Type.Paint or not hasattr(obj, "window"):
            return False
        name = type(obj.window()).__name__
        now = time.time() - started
        if name == "WindowFrame" and "frame" not in seen:
            seen["frame"] = now
        if name in ("WindowFrame", "MainWindow") and "rows" not in seen and isinstance(obj.parent(), QTableView):
            model = obj.parent().model()
            if model is not None and model.rowCount() > 0:  # the first sight of the records
                seen["rows"] = now
                seen["rows_in"] = name
                seen["modules_at_rows"] = len(sys.modules)
                seen["sqlalchemy_at_rows"] = "sqlalchemy" in sys.modules
        if name == "MainWindow" and isinstance(obj.parent(), QTableView):
            model = obj.parent().model()
            if model is not None and model.rowCount() > 0:
                seen["window"] = now
                seen["modules"] = len(sys.modules)
                seen["heavy"] = sorted(m for m in ("pyqtgraph", "numpy", "openpyxl", "reportlab", "pypinyin",
                                                   "alembic", "argon2", "cryptography", "sqlcipher3")
                                       if m in sys.modules)
                print("APP", json.dumps(seen), flush=True)
                os._exit(0)
        return False
import json
spy = Spy()
app.installEventFilter(spy)
from app.__main__ import main
main(["gui", "--db", sys.argv[2]])
print("APP", json.dumps({"error": "the event loop ended before the window painted"}), flush=True)
os._exit(2)
"""


def _run(code: str, *args: str, env: dict, cwd: Path = ROOT) -> str:
    started = time.time()
    p = subprocess.run([sys.executable, "-c", code, repr(started), *args], capture_output=True, text=True,
                       env=env, cwd=cwd, timeout=300)
    if p.returncode:
        raise SystemExit(f"child failed ({p.returncode}):\n{p.stderr[-3000:]}")
    return p.stdout


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _default_db() -> Path:
    folder = Path(os.environ.get("STATION_BENCH_DATA") or Path(tempfile.gettempdir()) / "station-bench")
    return folder / "station-100000.db"


def measure(source: Path, rounds: int = 7, before: Path | None = None) -> dict:
    """Start the bare window and the app (and `before`'s checkout) `rounds` times each, alternating,
    on a private copy of `source`. Returns seconds from before each child's start: "bare",
    and per checkout root "frame" (the frame's first paint), "rows" (the first paint of a record
    table with rows: the frame's first page, or the window's table), "window" (the window's record
    table with rows), with "rows_in" (which window showed the rows first), the load averages and
    the start time. bench/run.py's UI group reports these too."""
    if not source.is_file():
        raise SystemExit(f"no station file at {source} (build one with bench/run.py or pass --db)")
    work = Path(tempfile.mkdtemp(prefix="bench-cold-"))
    try:
        db = work / source.name
        shutil.copyfile(source, db)
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   STATION_DATA_DIR=str(work / "data"), XDG_CONFIG_HOME=str(work / "config"),
                   PYTHONPYCACHEPREFIX=str(work / "pyc"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        roots = [ROOT] + ([before.resolve()] if before else [])
        for root in roots:  # byte-code and the first open of the copy (WAL files, any upgrade); not counted
            _run(BARE_CHILD, env=env, cwd=root)
            _run(APP_CHILD, str(db), env=env, cwd=root)
        began = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        load_before = _load()
        bare: list[float] = []
        apps: dict[Path, dict] = {root: {"frame": [], "rows": [], "window": [], "rows_in": []} for root in roots}
        last: dict[Path, dict] = {}
        for _ in range(rounds):
            out = _run(BARE_CHILD, env=env)
            bare += [float(ln.split()[1]) for ln in out.splitlines() if ln.startswith("BARE")]
            for root in roots:
                out = _run(APP_CHILD, str(db), env=env, cwd=root)
                line = [ln for ln in out.splitlines() if ln.startswith("APP")][-1]
                last[root] = json.loads(line.split(" ", 1)[1])
                if "error" in last[root]:
                    raise SystemExit(last[root]["error"])
                got = apps[root]
                got["frame"].append(last[root].get("frame", float("nan")))
                got["rows"].append(last[root]["rows"])
                got["rows_in"].append(last[root]["rows_in"])
                got["window"].append(last[root]["window"])
        load_after = _load()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for root in roots:
        apps[root]["last"] = last[root]
    return {"source": source, "rounds": rounds, "began": began, "load_before": load_before,
            "load_after": load_after, "bare": bare, "apps": apps}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, default=None, help="an unprotected station file (default: "
                    "$STATION_BENCH_DATA/station-100000.db)")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--before", type=Path, default=None, help="another checkout of the project (the code "
                    "before a change), started in the same rounds")
    args = ap.parse_args()
    got = measure(args.db or _default_db(), args.rounds, args.before)
    bare = got["bare"]

    def row(name: str, xs: list[float]) -> str:
        lo, med = min(xs), statistics.median(xs)
        return (f"{name:<34} min {lo * 1000:7.0f} ms ({lo / min(bare):.2f}x)   median {med * 1000:7.0f} ms "
                f"({med / statistics.median(bare):.2f}x)   all: " + " ".join(f"{x * 1000:.0f}" for x in xs))

    print(f"cold start, {got['source'].name}, {got['rounds']} rounds, {got['began']}; load average before "
          f"{got['load_before']}, after {got['load_after']}")
    print(row("bare window (raw baseline)", bare))
    for root, app in got["apps"].items():
        tag = "" if root == ROOT else f" [{root}]"
        print(row("window frame painted" + tag, app["frame"]))
        print(row("records first shown" + tag, app["rows"]) + f"   (in: {', '.join(sorted(set(app['rows_in'])))})")
        print(row("main window with records" + tag, app["window"]))
        last = app["last"]
        print(f"  modules loaded when the records first showed{tag}: {last['modules_at_rows']} (SQLAlchemy "
              f"{'loaded' if last['sqlalchemy_at_rows'] else 'not loaded'}); at the window's paint: "
              f"{last['modules']}; of the heavy ones: {', '.join(last['heavy']) or 'none'}")


if __name__ == "__main__":
    main()
