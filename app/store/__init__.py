"""The store: the database layer under the services. One interface, `Store` (app/store/base.py),
with a SQLite/SQLCipher implementation (`SqliteStore`, app/store/sqlite.py) and a PostgreSQL one
(`PgStore`, app/store/postgres.py), and what they share: migrations, the instance lock, the key
file, paths, durable file writes and the bulk-load helpers. It imports nothing above it; the audit
trail and the pre-upgrade backup are hooks installed by app/services.

The names below are loaded on first use, so that `app.store.keyfile` and `app.store.paths` stay
light to import (the log-in dialog paints before SQLAlchemy is imported)."""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Store": "base", "SchemaState": "base", "WriterSession": "base", "head_revision": "base",
    "known_revisions": "base", "install_hooks": "base", "schema_object_filter": "base",
    "SqliteStore": "sqlite", "key_pragma": "sqlite", "sniff_file": "sqlite", "storage_error": "sqlite",
    "PgStore": "postgres", "safe_url": "postgres",
    "is_url": "paths", "default_db_path": "paths",
    "MODELS": "records",
}

if TYPE_CHECKING:
    from app.store.base import (
        SchemaState,
        Store,
        WriterSession,
        head_revision,
        install_hooks,
        known_revisions,
        schema_object_filter,
    )
    from app.store.paths import default_db_path, is_url
    from app.store.postgres import PgStore, safe_url
    from app.store.records import MODELS
    from app.store.sqlite import SqliteStore, key_pragma, sniff_file, storage_error

__all__ = ["MODELS", "PgStore", "SchemaState", "SqliteStore", "Store", "WriterSession", "default_db_path",
           "head_revision", "install_hooks", "is_url", "key_pragma", "known_revisions", "safe_url",
           "schema_object_filter", "sniff_file", "storage_error"]


assert sorted(__all__) == sorted(_EXPORTS)

def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value

