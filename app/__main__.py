"""The composition root: `python -m app` runs the command line, whose default command is the GUI."""
from __future__ import annotations

import sys
from typing import Sequence

from app.cli import main as cli_main
from app.errors import StationError


def run_gui(db_path: str | None) -> int:
    """Start the desktop app. The only place the core reaches into the UI, imported late so
    that the command line works (and starts fast) without loading Qt."""
    try:
        from ui.main import run
    except ImportError as exc:  # a broken install (Qt libraries missing): one line, not a traceback
        raise StationError(f"无法加载图形界面：{exc}", f"cannot load the desktop app: {exc}") from exc
    return run(db_path)


def main(argv: Sequence[str] | None = None) -> int:
    return cli_main(argv, run_gui=run_gui)


if __name__ == "__main__":
    if getattr(sys, "frozen", False):  # a frozen build: the export's spawned workers start here
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
