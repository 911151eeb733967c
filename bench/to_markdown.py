"""Markdown tables of a bench/run.py result file, one per data-set size, for docs/performance.md.

Usage: .venv/bin/python bench/to_markdown.py [bench/out/results-<date>.json]   (default: the newest)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def fmt(r: dict) -> tuple[str, str, str]:
    if r["value"] is not None:
        app = f"{r['value']:,.1f} {r['unit']}"
    else:
        app = "" if r["app_ms"] is None else f"{r['app_ms']:,.1f} ms"
    raw = "" if r["raw_ms"] is None else f"{r['raw_ms']:,.1f} ms"
    ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}×"
    return app, raw, ratio


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else max(OUT.glob("results-*.json"))
    data = json.loads(path.read_text())
    sizes = sorted({r["size"] for r in data["results"]})
    for size in sizes:
        rows = [r for r in data["results"] if r["size"] == size]
        print(f"\n### {size:,} records\n")
        print("| Group | Measure | App | Raw baseline | Ratio | Target | Met |")
        print("|---|---|---:|---:|---:|---|---|")
        for r in rows:
            app, raw, ratio = fmt(r)
            met = {True: "✓", False: "✗ missed", None: ""}[r["met"]]
            print(f"| {r['group']} | {r['name']} | {app} | {raw} | {ratio} | {r['target']} | {met} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
