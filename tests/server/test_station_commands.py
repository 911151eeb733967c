"""The station's commands with `--db postgresql://HOST/DB`: the account logs in to the station server
as its own PostgreSQL user, and stats, check, export, the report pack, the audit export and the
organisation lists answer as they do on the file the server was moved from."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from app import cli
from app.server.move import move_to_server
from app.services.accounts import login
from app.startup import create_demo_database
from app.store import SqliteStore
from app.store.keyfile import DEMO_PASSWORD
from app.sync.importer import import_files
from models import Case

AS_OF = date(2026, 11, 30)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "station.db"
    db, _summary = create_demo_database(path, seed=5, scale=0.05, as_of=AS_OF)
    db.close()
    return path


@pytest.fixture
def both(demo_file, scratch, monkeypatch):
    """(the file, the server's URL without a user), the station the same on both."""
    move_to_server(demo_file, scratch.owner_url, "admin", DEMO_PASSWORD)
    monkeypatch.setenv("STATION_PASSWORD", DEMO_PASSWORD)
    return str(demo_file), scratch.server_url


def _run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_stats_and_check_answer_on_the_server_as_on_the_file(both, capsys):
    file, server = both
    answers = []
    for db in (file, server):
        code, out, err = _run(capsys, "stats", "--db", db, "--user", "admin", "--as-of", AS_OF.isoformat(), "--json")
        assert code == 0, err
        answers.append(json.loads(out))
    assert answers[0] == answers[1] and answers[0]["cases"]["total"] > 0
    code, out, err = _run(capsys, "check", "--db", server, "--user", "admin")
    assert code == 0, (out, err)
    assert out.strip().endswith("ok") and "postgresql" in out and DEMO_PASSWORD not in out
    for command in ("team", "officer"):
        code, out, _err = _run(capsys, command, "list", "--db", server, "--user", "admin")
        code_file, out_file, _err = _run(capsys, command, "list", "--db", file, "--user", "admin")
        assert code == code_file == 0 and out == out_file and out.strip()


def test_an_export_from_the_server_reaches_a_branch(both, tmp_path, capsys):
    file, server = both
    branch_path = tmp_path / "branch.db"
    assert _run(capsys, "branch-init", "--db", str(branch_path), "--unprotected", "--name", "东湖分局",
                "--out", str(tmp_path / "branch.pub"))[0] == 0
    code, _out, err = _run(capsys, "station-key", "--db", server, "--user", "admin", "--out", str(tmp_path / "s.pub"))
    assert code == 0, err
    assert _run(capsys, "trust-station", "--db", str(branch_path), str(tmp_path / "s.pub"))[0] == 0
    code, _out, err = _run(capsys, "export", "--db", server, "--user", "admin", "--branch-key",
                           str(tmp_path / "branch.pub"), "--out", str(tmp_path / "out"), "--full", "--force")
    assert code == 0, err
    packages = list((tmp_path / "out").glob("*.stpkg"))
    assert len(packages) == 1
    branch = SqliteStore(branch_path)
    try:
        from app.domain.rules import Actor

        results = import_files(branch, Actor(None, "admin", "admin", account="admin"), packages)
        assert [r.status for r in results] == ["applied"], results
        with branch.read() as s:
            on_branch = s.scalar(select(func.count()).select_from(Case))
    finally:
        branch.close()
    station = login(file, "admin", DEMO_PASSWORD).db
    try:
        with station.read() as s:
            assert on_branch == s.scalar(select(func.count()).select_from(Case)) > 0
    finally:
        station.close()


def test_reports_and_the_audit_export_on_the_server(both, tmp_path, capsys):
    _file, server = both
    code, _out, err = _run(capsys, "report", "monthly", "--db", server, "--user", "admin", "--period", "2026-11",
                           "--out", str(tmp_path / "m.xlsx"))
    assert code == 0, err
    assert (tmp_path / "m.xlsx").stat().st_size > 0
    code, _out, err = _run(capsys, "audit", "--db", server, "--user", "admin", "--out", str(tmp_path / "a.csv"))
    assert code == 0, err
    assert len((tmp_path / "a.csv").read_text(encoding="utf-8-sig").splitlines()) > 10


def test_file_only_commands_say_what_a_server_uses_instead(both, capsys):
    _file, server = both
    code, _out, err = _run(capsys, "backup", "--db", server, "--user", "admin")
    assert code != 0 and "server-backup" in err
    code, _out, err = _run(capsys, "backups", "--db", server, "--user", "admin")
    assert code != 0 and "server-backup" in err
    # An unknown account is refused with the file's message, not a server error.
    code, _out, err = _run(capsys, "account", "list", "--db", server, "--user", "nobody")
    assert code != 0 and "wrong user name or password" in err
