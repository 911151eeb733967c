"""Where a protected database keeps its wrapped keys, and what the log-in needs to know before the
database layer is loaded: whether a file is protected and whether it is the demo station.

Only the standard library here: the log-in dialog is painted from these answers before SQLAlchemy,
the models and the crypto libraries are imported (app.services.accounts reads and writes the file).
"""
from __future__ import annotations

from pathlib import Path

from app import bounded_json

#: The key file is small: a few hundred accounts at most, each a few short fields.
KEY_FILE_JSON = bounded_json.Limits(1024 * 1024, max_depth=4, max_items=50_000, max_string=1024)
#: The documented password of the demo station's accounts (app.startup makes them).
DEMO_PASSWORD = "demo1234"


def key_file_for(db_path: str | Path) -> Path:
    p = Path(db_path)
    return p.with_name(p.name + ".keys")


def is_protected(db_path: str | Path) -> bool:
    return key_file_for(db_path).exists()


def is_demo_file(db_path: str | Path) -> bool:
    """The key file says this is the demo station (a damaged file is not: the log-in reports it)."""
    try:
        data = bounded_json.loads(key_file_for(db_path).read_bytes(), KEY_FILE_JSON)
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("demo") is True


def needs_creating(path: str | Path) -> bool:
    """Missing or empty: the default database is made (with the demo station) at first start."""
    p = Path(path)
    return not p.exists() or p.stat().st_size == 0
