"""Where a protected database keeps its wrapped keys, and what the log-in needs to know before the
database layer is loaded: whether a file is protected and whether it is the demo station.

Only the standard library here: the log-in dialog is painted from these answers before SQLAlchemy,
the models and the crypto libraries are imported (app.services.accounts reads and writes the file).
"""
from __future__ import annotations

import json
from pathlib import Path

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
        data = json.loads(key_file_for(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("demo") is True


def needs_creating(path: str | Path) -> bool:
    """Missing or empty: the default database is made (with the demo station) at first start."""
    p = Path(path)
    return not p.exists() or p.stat().st_size == 0
