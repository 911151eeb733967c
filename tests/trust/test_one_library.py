"""One SQLite library opens the database (TRUST A11): SQLCipher's, never QtSql or the stdlib's."""
import ast
from pathlib import Path

import pytest

import app.store.sqlite as dbmod
from app.errors import DatabaseError

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(package: str) -> set[tuple[str, str]]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {(str(path.relative_to(ROOT)), a.name) for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.add((str(path.relative_to(ROOT)), node.module))
                if node.module == "PySide6":
                    found |= {(str(path.relative_to(ROOT)), f"PySide6.{a.name}") for a in node.names}
    return found


def test_no_module_of_the_app_imports_qtsql_or_the_standard_library_sqlite3():
    offenders = [(f, m) for pkg in ("app", "models", "ui") for f, m in imported_modules(pkg)
                 if m.startswith("PySide6.QtSql") or m == "sqlite3" or m.startswith("sqlite3.")]
    assert offenders == []


def test_the_database_layer_runs_on_sqlcipher_with_a_fixed_sqlite(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA cipher_version").scalar()  # SQLCipher answers, stdlib would not
        version = tuple(int(x) for x in conn.exec_driver_sql("SELECT sqlite_version()").scalar().split("."))
    assert version >= dbmod.MIN_SQLITE


def test_an_sqlite_inside_the_wal_reset_bug_range_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(dbmod.sqlite, "sqlite_version_info", (3, 40, 1))
    monkeypatch.setattr(dbmod.sqlite, "sqlite_version", "3.40.1")
    with pytest.raises(DatabaseError) as err:
        dbmod.SqliteStore(tmp_path / "s.db", create=True)
    assert "3.40.1" in err.value.en
    assert not (tmp_path / "s.db").exists()
