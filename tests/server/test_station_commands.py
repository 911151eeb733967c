"""The station's commands with `--db postgresql://HOST/DB`: the account logs in to the station server
as its own PostgreSQL user, and stats, check, export, the report pack, the audit export and the
organisation lists answer as they do on the file the server was moved from."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select, text

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


# -- the commands that bring files in or write personal data out -------------------------------------
@pytest.fixture
def twins(demo_file, scratch, tmp_path, monkeypatch, capsys):
    """(a copy of the demo file, the server it was moved to): both start the same, and the
    module's demo file is left as it was for the other tests."""
    import shutil

    folder = tmp_path / "file"
    folder.mkdir()
    for p in demo_file.parent.iterdir():
        if p.name.startswith(demo_file.name) and not p.name.endswith(("-wal", "-shm", ".lock")):
            shutil.copy2(p, folder / p.name)
    copy = folder / demo_file.name
    moved = move_to_server(copy, scratch.owner_url, "admin", DEMO_PASSWORD)
    # Day one on the server: every other account changes the one-time password the move gave it
    # (`passwd` on the server), here back to the file's.
    assert {p.username for p in moved.passwords} == {"leader", "teamleader", "officer", "analyst"}
    for one_time in moved.passwords:
        monkeypatch.setenv("STATION_PASSWORD", one_time.password)
        monkeypatch.setenv("NEW_PASSWORD", DEMO_PASSWORD)
        # Until then a command is refused, and says what to run.
        code, _out, err = _run(capsys, "stats", "--db", scratch.server_url, "--user", one_time.username)
        assert code == 2 and "passwd" in err, err
        code, _out, err = _run(capsys, "passwd", "--db", scratch.server_url, "--user", one_time.username)
        assert code == 0, err
    monkeypatch.setenv("STATION_PASSWORD", DEMO_PASSWORD)
    return str(copy), scratch.server_url


def _report(capsys, *argv) -> tuple[int, dict]:
    code, out, err = _run(capsys, *argv, "--json")
    assert code in (0, 1), err
    return code, json.loads(out)


def _answers(capsys, twins, command: tuple[str, ...], *rest: str) -> dict:
    """The same command on the file and on the server: its exit code and JSON report, equal."""
    file, server = twins
    answers = []
    for db in (file, server):
        code, report = _report(capsys, *command, "--db", db, *rest)
        report.pop("file", None)
        answers.append((code, report))
    assert answers[0] == answers[1]
    return answers[0][1]


def _labels(db: str, sql: str) -> set[str]:
    """The first column of `sql`, read as the administrator from the file or the server."""
    from app.server.setup import open_console

    logged = (open_console(db, "admin", lambda: DEMO_PASSWORD) if db.startswith("postgresql")
              else login(db, "admin", DEMO_PASSWORD))
    try:
        with logged.db.read() as s:
            return set(s.execute(text(sql)).scalars())
    finally:
        logged.db.close()


def test_ledger_and_alert_imports_on_the_server_as_on_the_file(twins, tmp_path, capsys):
    from datetime import datetime

    import openpyxl

    from tests.data.ledgers import build as B

    file, server = twins
    sql = "SELECT case_no FROM case_record UNION ALL SELECT alert_no FROM alert"
    before = {db: _labels(db, sql) for db in twins}
    assert before[file] == before[server]
    B.case_ledger(tmp_path / "cases.xlsx", AS_OF)
    team = min(_labels(file, "SELECT name FROM team"))
    # The officers the ledger names are added to the roster as it imports (on the server too).
    ledger = _answers(capsys, twins, ("import-ledger",), "--module", "cases", "--user", "leader",
                      "--add-officers-to", team, str(tmp_path / "cases.xlsx"))
    assert ledger["counts"]["imported"] >= 3 and ledger["counts"]["rejected"] >= 1
    assert ledger["officers_added"]
    officers = "SELECT name FROM officer"
    assert _labels(server, officers) == _labels(file, officers) >= {n.split("（")[0] for n in ledger["officers_added"]}
    wb = openpyxl.Workbook()
    wb.active.append(["警情编号", "报警时间", "发案地址", "报警人", "警情类别"])
    for i in range(3):
        wb.active.append([f"110-T{i}", datetime(2026, 11, 20 + i, 9), "东街1号", "王某", "纠纷"])
    wb.active.append(["110-T9", "不是时间", "东街2号", "李某", "纠纷"])
    wb.save(tmp_path / "alerts.xlsx")
    alerts = _answers(capsys, twins, ("alerts-import",), "--user", "leader", str(tmp_path / "alerts.xlsx"))
    assert alerts["counts"]["imported"] == 3 and alerts["counts"]["rejected"] == 1
    # What the server holds afterwards is what the file holds: the ledger's cases and the alerts.
    added = {db: _labels(db, sql) - before[db] for db in twins}
    assert added[file] == added[server] and len(added[server]) == ledger["counts"]["imported"] + 3
    # The same files again add nothing on the server.
    again = _answers(capsys, twins, ("alerts-import",), "--user", "leader", str(tmp_path / "alerts.xlsx"))
    assert again["counts"]["imported"] == 0 and again["counts"]["present"] == 3


def test_roster_passwd_and_watch_list_on_the_server(twins, tmp_path, capsys, monkeypatch):
    import openpyxl

    from tests.unit.test_setup_cli import ROSTER, write_roster

    roster = write_roster(tmp_path / "花名册.xlsx", ROSTER)
    report = _answers(capsys, twins, ("roster", "import"), "--user", "admin", str(roster))
    assert report["counts"]["imported"] >= 3 and report["counts"]["rejected"] >= 3
    file, server = twins
    names = "SELECT name FROM officer"
    assert _labels(server, names) == _labels(file, names) >= {"王建国", "李强", "张伟"}
    # An officer may not import a roster on the server either: refused at the log-in, nothing written.
    code, _out, err = _run(capsys, "roster", "import", "--db", server, "--user", "officer", str(roster))
    assert code != 0 and "无权" in err
    # The watch list: the station leader writes it from the server as from the file; an officer is refused.
    rows = []
    for db, out in ((file, tmp_path / "wf.xlsx"), (server, tmp_path / "ws.xlsx")):
        code, _out, err = _run(capsys, "watchlist-export", "--db", db, "--user", "leader", str(out))
        assert code == 0, err
        rows.append([[c for c in r] for r in openpyxl.load_workbook(out).active.iter_rows(values_only=True)])
    assert rows[0] == rows[1] and len(rows[0]) > 1
    code, _out, err = _run(capsys, "watchlist-export", "--db", server, "--user", "officer", str(tmp_path / "wo.xlsx"))
    assert code != 0 and "无权" in err and not (tmp_path / "wo.xlsx").exists()
    # passwd on the server: a wrong old password is refused; the change is kept, so the old
    # password no longer serves as "the old one" (the test server trusts its local log-ins, so
    # the account's own check is what shows it).
    monkeypatch.setenv("STATION_PASSWORD", "not-the-password-1")
    monkeypatch.setenv("NEW_PASSWORD", "officer-new-pass-9")
    code, _out, err = _run(capsys, "passwd", "--db", server, "--user", "officer")
    assert code != 0 and "the old password is wrong" in err
    monkeypatch.setenv("STATION_PASSWORD", DEMO_PASSWORD)
    code, _out, err = _run(capsys, "passwd", "--db", server, "--user", "officer")
    assert code == 0, err
    monkeypatch.setenv("NEW_PASSWORD", "officer-third-pass-7")
    code, _out, err = _run(capsys, "passwd", "--db", server, "--user", "officer")
    assert code != 0 and "the old password is wrong" in err
    monkeypatch.setenv("STATION_PASSWORD", "officer-new-pass-9")
    code, _out, err = _run(capsys, "passwd", "--db", server, "--user", "officer")
    assert code == 0, err
