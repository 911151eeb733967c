"""Where the app keeps its files on this machine (platformdirs: the OS conventions)."""
from __future__ import annotations

import os
from pathlib import Path

from app import APP_NAME, APP_ORG


def data_dir() -> Path:
    override = os.environ.get("STATION_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir  # here: a start on a named file asks nothing of it

    return Path(user_data_dir(APP_NAME, APP_ORG))


def default_db_path() -> Path:
    """The default station database: <user data dir>/station.db."""
    return data_dir() / "station.db"


def log_dir() -> Path:
    override = os.environ.get("STATION_DATA_DIR")
    if override:
        return Path(override) / "logs"
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP_NAME, APP_ORG))


def is_url(target: str | Path) -> bool:
    """A PostgreSQL URL (a branch database on a server) rather than a database file."""
    return str(target).startswith(("postgresql://", "postgres://", "postgresql+psycopg://"))
