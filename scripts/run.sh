#!/usr/bin/env bash
# Start the application: installs what is missing (scripts/setup.sh), then runs
#   .venv/bin/python -m app [ARGS...]
# With no arguments this opens the GUI on the default station database (a demo
# station is created on first run). Other subcommands: scripts/run.sh --help
# The current directory is kept, so relative paths such as --db ./x.db work.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

"$ROOT/scripts/setup.sh"

case "${1:-gui}" in
    init|demo|check|stats|station|team|officer|account|passwd|roster|import-ledger|-h|--help|--version) NEEDS_WINDOW=0 ;;  # command-line only
    *) NEEDS_WINDOW=1 ;;
esac
if [ "$NEEDS_WINDOW" = 1 ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
    echo "run: no DISPLAY/WAYLAND_DISPLAY: the window needs a display (try 'xvfb-run -a scripts/run.sh' or QT_QPA_PLATFORM=offscreen); trying anyway" >&2
fi

exec "$ROOT/.venv/bin/python" -m app "$@"
