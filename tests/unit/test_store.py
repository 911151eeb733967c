"""The store (app/store) imports nothing above it: the layers above install their hooks."""
from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.store import bulk

ROOT = Path(__file__).resolve().parents[2]

NO_HOOKS = r"""
import sys
from app.errors import DatabaseError
from app.store import SqliteStore
from models import AuditEntry, Setting
db = SqliteStore(sys.argv[1], create=True)
try:
    with db.write() as s:
        s.add(Setting(key="k", value="v"))
except DatabaseError as exc:
    print("refused:", exc.en)
with db.read() as s:
    print("kept:", s.get(Setting, "k"))
import app.services  # installs the audit trail and the pre-upgrade backup
with db.write() as s:
    s.add(Setting(key="k", value="v"))
with db.read() as s:
    print("audited:", s.query(AuditEntry).count(), s.get(Setting, "k").value)
print("services" in " ".join(m for m in sys.modules if m.startswith("app.")))
"""


def _child(code: str, *args: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()


def test_a_store_refuses_to_write_until_the_audit_trail_is_installed(tmp_path):
    lines = _child(NO_HOOKS, str(tmp_path / "s.db"))
    assert lines[0].startswith("refused:") and "audit trail is not installed" in lines[0]
    assert lines[1:] == ["kept: None", "audited: 1 v", "True"]


def test_the_key_file_and_paths_import_without_the_database_layer():
    lines = _child("import sys, app.store.keyfile, app.store.paths, app.store\n"
                   "print(sorted(m for m in ('sqlalchemy', 'models', 'app.store.sqlite', 'app.services')"
                   " if m in sys.modules))")
    assert lines == ["[]"]


def test_the_bulk_load_rebuilds_the_search_triggers_the_migration_made():
    migration = importlib.import_module("app.migrations.versions.0002_search_index")
    assert bulk.TABLES == migration.TABLES
    for table in bulk.TABLES:
        assert bulk.trigger_sql(table) == migration.trigger_sql(table)


@pytest.mark.parametrize("name", ["案件?台账.db", "a#b?c=d&e.db", "100% 派出所.db"])
def test_a_path_with_url_characters_opens_that_very_file(tmp_path, name):
    """A folder or file name holding "?", "#", "%" or "&" is the file opened: the store's URL
    once cut the path at the "?" and opened another, empty file beside it."""
    import app.services  # noqa: F401 - the audit trail, for the write
    from app.store import SqliteStore
    from models import Setting

    folder = tmp_path / "台账?备份#1"
    path = folder / name
    db = SqliteStore(path, create=True)
    try:
        with db.write(None, "test") as s:
            s.add(Setting(key="probe", value=name))
    finally:
        db.close()
    assert sorted(p.name for p in folder.iterdir() if p.suffix == ".db") == [name]
    again = SqliteStore(path)
    try:
        with again.read() as s:
            assert s.get(Setting, "probe").value == name
    finally:
        again.close()
