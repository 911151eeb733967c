"""The long fuzz run: the same generated-input tests as CI, with 10,000+ examples per target:
forms, the command line and key files (tests/unit/test_fuzz.py), and hostile outside files with
deep nesting, huge sizes and NUL / lone-surrogate / control characters: the bounded JSON reader,
receipts, key files, identity files, CSV and xlsx ledgers through read_ledger
(tests/unit/test_fuzz_outside.py; the ledger targets run here only, FUZZ_LEDGERS=1).

    .venv/bin/python bench/fuzz_parsers.py [EXAMPLES]

Prints the examples run per target, the time, and pytest's verdict (exit status 0 = no failure).
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    examples = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    env = {**os.environ, "FUZZ_EXAMPLES": str(examples), "QT_QPA_PLATFORM": "offscreen", "FUZZ_LEDGERS": "1"}
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "--hypothesis-show-statistics", "-p", "no:randomly",
                           str(ROOT / "tests/unit/test_fuzz.py"), str(ROOT / "tests/unit/test_fuzz_outside.py")],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    lines = [ln for ln in proc.stdout.splitlines() if "passing examples" in ln or "::" in ln
             or "passed" in ln or "failed" in ln]
    print("\n".join(lines[-40:]))
    print(f"examples per target: {examples}; time: {seconds:.0f} s; exit status: {proc.returncode}")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
