#!/usr/bin/env bash
# Run the whole test suite:
#   1. scripts/setup.sh --test  (system packages incl. headless Qt libs and a CJK font,
#                                .venv with the [test] extras)
#   2. lint-imports             (the layering contracts in pyproject.toml: ui -> app -> models, and
#                                the layers inside app)
#   3. ruff, mypy               (the defaults, import order, bugbear; strict types in app/domain and
#                                app/store; settings in pyproject.toml)
#   4. pytest                   (Qt offscreen); extra arguments go to pytest, e.g.
#      scripts/test.sh tests/unit -k warning      (paths are relative to the repo root)
# Exits non-zero on any failure, including "no tests collected".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

scripts/setup.sh --test

# >>> POSTGRESQL: a throw-away local PostgreSQL server (127.0.0.1 only) for the branch-office
# (分局) sync tests, which run on SQLite and on PostgreSQL; stopped and removed on exit.
export STATION_TEST_PG_URL="$(scripts/start_postgres.sh)"
trap 'scripts/start_postgres.sh stop' EXIT
# <<< POSTGRESQL

echo "test: lint-imports"
.venv/bin/lint-imports --no-cache

echo "test: import cycles"
.venv/bin/python scripts/check_cycles.py

echo "test: ruff"
.venv/bin/ruff check .

echo "test: mypy"
.venv/bin/mypy --strict app/domain app/store app/services/__init__.py app/services/changes.py app/services/cadence.py app/services/headline.py app/services/audit.py app/services/org.py app/services/backup.py app/services/settings.py app/services/briefing.py app/services/tables.py app/services/records.py app/services/workstation.py app/services/stats.py app/services/trends.py app/services/daily_counts.py app/services/series.py app/services/alerts.py app/services/mediation.py app/services/control.py app/services/workflow_figures.py app/services/search_index.py app/services/short_search.py app/services/accounts.py app/services/table_shapes.py app/services/first_page.py

echo "test: pytest"
rc=0
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q "$@" || rc=$?
if [ "$rc" -eq 5 ]; then
    echo "test: FAILED: pytest collected no tests" >&2
    exit 1
elif [ "$rc" -ne 0 ]; then
    echo "test: FAILED: pytest exit status $rc" >&2
    exit "$rc"
fi
echo "test: all passed"
