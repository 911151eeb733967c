"""A demo-station database for the table tests, made by the demo generator (app/demo.py)."""
from __future__ import annotations

import shutil
from pathlib import Path

from app.demo import generate_demo
from app.store import SqliteStore


def make_station_db(path: Path, *, scale: float = 0.2, seed: int = 1) -> Path:
    """A plain (unencrypted) demo-station database at `path`, closed again."""
    db = SqliteStore(path, create=True)
    try:
        generate_demo(db, seed=seed, scale=scale)
    finally:
        db.close()
    return path


def copy_db(source: Path, target: Path) -> Path:
    """A private copy for one test (the source is closed, so the file alone is consistent)."""
    shutil.copyfile(source, target)
    return target
