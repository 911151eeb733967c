"""Opening the station database at start: the default one is created with the demo station."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.db import Database, sniff_file
from app.paths import default_db_path


@dataclass(frozen=True)
class Opened:
    db: Database
    created_demo: bool


def open_station(path: str | Path | None = None, demo_seed: int = 1) -> Opened:
    """Open `path` (default: the user's station database). The default database is created and
    filled with the demo station on first start; an explicit path must already exist."""
    target = Path(path) if path else default_db_path()
    fresh = sniff_file(target) in ("missing", "empty")
    if fresh and path is None:
        from app.demo import generate_demo

        db = Database(target, create=True)
        try:
            generate_demo(db, seed=demo_seed)
        except BaseException:
            db.close()
            target.unlink(missing_ok=True)
            raise
        return Opened(db, True)
    return Opened(Database(target), False)
