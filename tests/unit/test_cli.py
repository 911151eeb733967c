"""The command line: init, demo, check and stats, with one-line errors and no stray databases."""
from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import types
from datetime import date
from pathlib import Path

import app.__main__ as entry
from app import cli
from app.services import org, records as R
from app.store import SqliteStore

REPO = Path(__file__).resolve().parents[2]

# The branch office's contract, plus the keys documented beside it in app/services/stats.py.
P_KEYS = {"current", "previous", "last_year", "mom_pct", "yoy_pct", "windows"}
LEVEL_KEYS = {"red", "orange", "yellow", "green"}
TOP_KEYS = {"as_of", "cases", "disputes", "persons", "station", "workflows"}
EVERY_MODULE = {"total", "by_level", "overdue", "overdue_share", "days_to_green_ytd"}
CASE_KEYS = EVERY_MODULE | {"criminal_solved", "administrative_handled", "solve_rate", "solve_rate_ytd",
                            "solve_rate_text"}
DISPUTE_KEYS = EVERY_MODULE | {"found", "resolved", "resolution_rate", "satisfaction_rate",
                "converted", "resolution_rate_ytd", "satisfaction_rate_ytd", "converted_to_case", "satisfaction",
                "ytd", "resolution", "resolution_text", "satisfaction_visits", "satisfaction_text"}
PERSON_KEYS = EVERY_MODULE


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(capsys, *argv: str, run_gui=None) -> tuple[int, str, str]:
    code = cli.main(list(argv), run_gui=run_gui)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_error_line(err: str, *fragments: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("错误: ") and "(" in lines[0] and "Traceback" not in err
    for f in fragments:
        assert f in lines[0]


# -- a real process ---------------------------------------------------------------------------------
def test_help_in_a_real_process(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "app", "--help"], cwd=REPO, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: python -m app")
    for command in ("gui", "init", "demo", "check", "stats"):
        assert f"    {command} " in proc.stdout
    missing = tmp_path / "nowhere" / "station.db"
    proc = subprocess.run([sys.executable, "-m", "app", "stats", "--db", str(missing), "--json"], cwd=REPO,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 2 and proc.stdout == ""
    assert_one_error_line(proc.stderr, "database file not found")
    assert not missing.parent.exists()
    # The GUI path pays for no database layer before the window: the CLI imports it per command.
    proc = subprocess.run([sys.executable, "-c", "import sys, app.__main__; print('sqlalchemy' in sys.modules)"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "False", proc.stderr


# A plain start of the desktop app is read without building the parser (its help names every
# report, and building it took the report pack, the services and SQLAlchemy before the window).
DESKTOP_STARTS = ([], ["gui"], ["gui", "--db", "x.db"], ["gui", "--db=x.db"], ["gui", "--db="],
                  ["gui", "--db", ""], ["gui", "--db", "路 径/派出所.db"])
PARSER_STARTS = (["--help"], ["--version"], ["gui", "--help"], ["gui", "--d", "x.db"], ["gui", "--db"],
                 ["gui", "--db", "a.db", "--db", "b.db"], ["gui", "--db", "-x.db"], ["gui", "x.db"],
                 ["gui", "-h"], ["stats"], ["gu"], ["--db", "x.db"])


def test_a_desktop_start_reads_what_the_parser_reads():
    parser = cli.build_parser()
    for argv in DESKTOP_STARTS:
        assert vars(cli.desktop_start(argv)) == vars(parser.parse_args(argv)), argv
    for argv in PARSER_STARTS:
        assert cli.desktop_start(argv) is None, argv


def test_a_desktop_start_loads_no_database_layer_nor_reports_before_the_gui(tmp_path):
    code = ("import sys, app.__main__ as m\n"
            "seen = []\n"
            "m.run_gui = lambda db: seen.append((db, sorted(x for x in ('sqlalchemy', 'app.reports.pack', "
            "'app.services', 'argparse') if x in sys.modules))) or 0\n"
            "print(m.main(['gui', '--db', 'x.db']), seen)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    # argparse itself is loaded (app.cli declares its parser class), but not one command is built.
    assert proc.stdout.strip() == "0 [('x.db', ['argparse'])]"
    proc = subprocess.run([sys.executable, "-m", "app", "report", "--help"], cwd=REPO, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stderr
    from app.reports.pack import REPORTS

    for key, kind in REPORTS.items():  # the help still names each report with its title
        assert key in proc.stdout and kind.title in proc.stdout


# -- init and stats ---------------------------------------------------------------------------------
def test_init_then_stats_json_follows_the_contract(tmp_path, capsys):
    path = tmp_path / "new" / "station.db"
    code, out, err = run(capsys, "init", "--unprotected", "--db", str(path))
    assert (code, err) == (0, "") and str(path) in out
    db = SqliteStore(path)
    try:
        assert org.station_info(db).name == "新建派出所"
    finally:
        db.close()

    code, out, err = run(capsys, "stats", "--db", str(path), "--json", "--as-of", "2024-05-15")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data.keys() == TOP_KEYS and data["as_of"] == "2024-05-15"
    assert data["cases"].keys() == CASE_KEYS
    assert data["disputes"].keys() == DISPUTE_KEYS
    assert data["persons"].keys() == PERSON_KEYS
    for block in (data["cases"], data["disputes"], data["persons"]):
        assert block["by_level"] == dict.fromkeys(LEVEL_KEYS, 0) and block["total"] == 0
    for p in (data["cases"]["criminal_solved"], data["cases"]["administrative_handled"],
              data["disputes"]["found"], data["disputes"]["resolved"]):
        assert p.keys() == P_KEYS
        assert (p["current"], p["previous"], p["last_year"], p["mom_pct"], p["yoy_pct"]) == (0, 0, 0, None, None)
        assert p["windows"]["previous"] == {"from": "2024-04-01", "to": "2024-04-15"}
    assert data["disputes"]["resolution_rate"] is None and data["disputes"]["satisfaction_rate"] is None
    res = data["disputes"]["resolution"]
    assert (res["found"], res["resolved_of_found"], res["rate"]) == (0, 0, None)
    assert res["window"] == {"from": "2024-05-01", "to": "2024-05-15"}
    assert data["disputes"]["satisfaction_visits"]["visits"] == 0 and data["cases"]["solve_rate"]["filed"] == 0
    assert "新建派出所" in out  # ensure_ascii=False: Chinese as text, not \u escapes


def test_init_names_the_station_and_refuses_a_file_with_data(tmp_path, capsys):
    path = tmp_path / "s.db"
    assert run(capsys, "init", "--unprotected", "--db", str(path), "--station", "城关派出所")[0] == 0
    before = sha(path)
    code, out, err = run(capsys, "init", "--unprotected", "--db", str(path), "--station", "另一个派出所")
    assert code == 2 and out == ""
    assert_one_error_line(err, "城关派出所", "already holds a station")
    db = SqliteStore(path)
    try:
        assert org.station_info(db).name == "城关派出所"
    finally:
        db.close()
    text = tmp_path / "notes.txt"
    text.write_text("会议记录\n", encoding="utf-8")
    code, _, err = run(capsys, "init", "--unprotected", "--db", str(text))
    assert code == 2 and text.read_text(encoding="utf-8") == "会议记录\n"
    assert_one_error_line(err, "not a station database")
    code, _, err = run(capsys, "init", "--unprotected", "--db", str(tmp_path / "blank.db"), "--station", "  ")
    assert code == 2 and not (tmp_path / "blank.db").exists()
    assert_one_error_line(err, "station name is required")
    assert before


def test_stats_human_table_in_chinese(db, station, capsys):
    R.create_case(db, station.leader, R.CaseInput("A1", "criminal", "red", date.today(), cause="盗窃",
                                                  solved_on=date.today(),
                                                  people=R.Responsibility(officer_id=station.officer.officer_id)))
    db.close()  # one app per database file: the command opens it itself
    code, out, err = run(capsys, "stats", "--db", str(db.path))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("城关派出所 统计截至 ")
    case_row = next(line for line in lines if line.startswith("案件"))
    assert case_row.split()[1:] == ["1", "1", "0", "0", "0", "0"]
    solved_row = next(line for line in lines if line.startswith("破刑事案件"))
    assert solved_row.split()[1] == "1"
    assert any(line.startswith("化解率 -") for line in lines)


# -- check ------------------------------------------------------------------------------------------
def test_check_ok_on_a_fresh_database(tmp_path, capsys):
    path = tmp_path / "s.db"
    run(capsys, "init", "--unprotected", "--db", str(path))
    code, out, err = run(capsys, "check", "--db", str(path))
    assert (code, err) == (0, "")
    lines = out.strip().splitlines()
    assert lines[-1] == "ok"
    schema = next(line for line in lines if line.startswith("架构版本"))
    current, head = schema.split(": ", 1)[1].split(" / ")
    assert current == head and current
    assert "integrity_check: ok" in lines and "foreign_key_check: ok" in lines


def test_check_exits_1_and_lists_a_level_without_history(db, station, capsys):
    cid = R.create_case(db, station.leader, R.CaseInput(
        "A1", "criminal", "red", date.today(), people=R.Responsibility(officer_id=station.officer.officer_id)))
    db.close()  # one app per database file: the command opens it itself
    assert run(capsys, "check", "--db", str(db.path))[0] == 0
    db = SqliteStore(db.path)
    with db.raw() as conn:
        conn.execute("UPDATE case_record SET level = 'orange' WHERE id = ?", (cid,))
    db.close()
    code, out, err = run(capsys, "check", "--db", str(db.path))
    assert code == 1 and err == ""
    assert "ok" != out.strip().splitlines()[-1]
    problems = [line for line in out.splitlines() if line.startswith("  - ")]
    assert len(problems) == 1 and f"#{cid}" in problems[0] and "orange" in problems[0] and "red" in problems[0]


def test_check_refuses_files_that_are_not_station_databases_and_leaves_them_alone(tmp_path, capsys):
    text = tmp_path / "report.docx"
    text.write_bytes(b"PK\x03\x04 not a database" * 100)
    before = sha(text)
    code, out, err = run(capsys, "check", "--db", str(text))
    assert code == 2 and out == "" and sha(text) == before
    assert_one_error_line(err, "not a station database")

    import sqlcipher3.dbapi2 as sqlite

    foreign = tmp_path / "other.sqlite"
    conn = sqlite.connect(str(foreign))
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()
    before = sha(foreign)
    code, _, err = run(capsys, "check", "--db", str(foreign))
    assert code == 2 and sha(foreign) == before
    assert_one_error_line(err, "not a station database")

    empty = tmp_path / "empty.db"
    empty.touch()
    code, _, err = run(capsys, "stats", "--db", str(empty), "--json")
    assert code == 2 and empty.stat().st_size == 0
    assert_one_error_line(err, "empty")

    code, _, err = run(capsys, "check", "--db", str(tmp_path))
    assert code == 2
    assert_one_error_line(err, "folder")


def test_missing_database_is_an_error_and_is_not_created(tmp_path, capsys):
    for argv in (["stats", "--json"], ["stats"], ["check"]):
        path = tmp_path / "absent" / "station.db"
        code, out, err = run(capsys, *argv, "--db", str(path))
        assert code == 2 and out == ""
        assert_one_error_line(err, "database file not found")
        assert not path.exists() and not path.parent.exists()


def test_bad_arguments_are_one_line_errors(tmp_path, capsys):
    path = tmp_path / "s.db"
    run(capsys, "init", "--unprotected", "--db", str(path))
    for bad in ("2024-13-01", "yesterday", "2024/05/15"):
        code, out, err = run(capsys, "stats", "--db", str(path), "--json", "--as-of", bad)
        assert code == 2 and out == ""
        assert_one_error_line(err, "--as-of", bad)
    code, _, err = run(capsys, "stats", "--db", str(path), "--as-of", "2999-01-01")
    assert code == 2
    assert_one_error_line(err, "future")
    code, _, err = run(capsys, "stats", "--db", str(path), "--bogus")
    assert code == 2
    assert_one_error_line(err, "--bogus")
    code, _, err = run(capsys, "demo", "--unprotected", "--db", str(tmp_path / "d.db"), "--seed", "x")
    assert code == 2 and not (tmp_path / "d.db").exists()
    assert_one_error_line(err, "--seed")
    code, _, err = run(capsys, "demo", "--unprotected", "--db", str(tmp_path / "d.db"), "--scale", "0")
    # the database and the lock file the app keeps beside it while it is open (app/store/instance_lock.py)
    assert code == 2 and sorted(p.name for p in tmp_path.iterdir()) == ["s.db", "s.db.lock"]
    assert_one_error_line(err, "scale")
    assert run(capsys, "--version")[0] == 0


# -- gui --------------------------------------------------------------------------------------------
def test_gui_is_the_default_command(capsys):
    calls = []

    def fake(path):
        calls.append(path)
        return 7

    assert run(capsys, run_gui=fake)[0] == 7
    assert run(capsys, "gui", "--db", "x.db", run_gui=fake)[0] == 7
    assert calls == [None, "x.db"]
    code, _, err = run(capsys)  # the core alone cannot start the UI
    assert code == 2
    assert_one_error_line(err, "GUI")


def test_entry_point_starts_ui_main_run(monkeypatch, capsys):
    calls = []
    fake = types.ModuleType("ui.main")
    fake.run = lambda path: calls.append(path) or 0
    monkeypatch.setitem(sys.modules, "ui.main", fake)
    assert entry.main(["gui", "--db", "y.db"]) == 0 and entry.main([]) == 0
    assert calls == ["y.db", None]
    monkeypatch.setitem(sys.modules, "ui.main", None)  # a broken install: the import fails
    assert entry.main([]) == 2
    assert_one_error_line(capsys.readouterr().err, "cannot load the desktop app")


# -- demo -------------------------------------------------------------------------------------------
def _raw_counts(path: Path) -> dict:
    """Current levels straight from the tables: voided rows and converted disputes left out."""
    import sqlcipher3.dbapi2 as sqlite

    conn = sqlite.connect(str(path))
    try:
        out = {}
        for key, table in (("cases", "case_record"), ("disputes", "dispute"), ("persons", "person")):
            by_level = dict.fromkeys(LEVEL_KEYS, 0)
            by_level.update(conn.execute(
                f"SELECT level, count(*) FROM {table} WHERE status NOT IN ('voided', 'converted') "
                "GROUP BY level").fetchall())
            overdue = conn.execute(f"SELECT count(*) FROM {table} WHERE status = 'active' AND next_due < ?",
                                   (date.today().isoformat(),)).fetchone()[0]
            out[key] = {"total": sum(by_level.values()), "by_level": by_level, "overdue": overdue}
        out["converted"] = conn.execute("SELECT count(*) FROM dispute WHERE status = 'converted'").fetchone()[0]
        return out
    finally:
        conn.close()


def test_demo_then_stats_agree_with_the_tables(tmp_path, capsys):
    path = tmp_path / "demo.db"
    code, out, err = run(capsys, "demo", "--unprotected", "--db", str(path), "--seed", "3", "--scale", "0.5")
    assert (code, err) == (0, ""), err
    assert out.startswith("演示数据已生成：") and "秒" in out
    code, out, err = run(capsys, "stats", "--db", str(path), "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["as_of"] == date.today().isoformat()
    raw = _raw_counts(path)
    for key in ("cases", "disputes", "persons"):
        assert raw[key]["total"] > 0
        # The level and due date rebuilt from history equal the ones the records carry today.
        assert {k: data[key][k] for k in ("total", "by_level", "overdue")} == raw[key], key
    assert data["disputes"]["converted"] == raw["converted"]
    # The demo's history agrees with its records.
    code, out, _ = run(capsys, "check", "--db", str(path))
    assert code == 0, out
    # A second demo into the same file is refused and changes nothing.
    code, _, err = run(capsys, "demo", "--unprotected", "--db", str(path))
    assert code == 2
    assert_one_error_line(err, "already holds a station")
    assert _raw_counts(path) == raw


def test_a_failed_demo_leaves_no_database_behind(tmp_path, monkeypatch, capsys):
    from app.errors import ValidationError

    def failing(db, **kwargs):
        org.init_station(db, "半成品派出所")
        raise ValidationError("生成失败", "generation failed")

    fake = types.ModuleType("app.demo")
    fake.generate_demo = failing
    monkeypatch.setitem(sys.modules, "app.demo", fake)
    path = tmp_path / "d.db"
    code, out, err = run(capsys, "demo", "--unprotected", "--db", str(path))
    assert code == 2 and out == ""
    assert_one_error_line(err, "generation failed")
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    path.touch()  # an empty file given to fill stays an empty file
    assert run(capsys, "demo", "--unprotected", "--db", str(path))[0] == 2
    assert path.stat().st_size == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["d.db"]


def test_check_reports_a_damaged_file_as_a_problem(tmp_path, capsys):
    path = tmp_path / "demo.db"
    assert run(capsys, "demo", "--unprotected", "--db", str(path), "--seed", "2", "--scale", "0.1")[0] == 0
    page = 4096
    with path.open("r+b") as fh:  # overwrite pages near the end (tables and indexes, not the schema)
        size = path.stat().st_size
        fh.seek(size - 3 * page)
        fh.write(b"\x00\x07" * page)
    code, out, err = run(capsys, "check", "--db", str(path))
    assert code == 1 and err == ""
    assert "integrity_check: ok" not in out and out.strip().splitlines()[-1].startswith("  - ")


# -- protected databases: the password comes from STATION_PASSWORD ---------------------------------
def test_init_makes_an_encrypted_database_that_check_and_stats_open_with_the_password(
        tmp_path, capsys, monkeypatch):
    path = tmp_path / "station.db"
    monkeypatch.setenv("STATION_PASSWORD", "admin-pass-1")
    code, out, err = run(capsys, "init", "--db", str(path), "--station", "城关派出所")
    assert code == 0, err
    assert "加密" in out
    assert not path.read_bytes().startswith(b"SQLite format 3")
    code, out, err = run(capsys, "check", "--db", str(path))
    assert code == 0 and "audit trail hash chain): ok" in out, out + err
    code, out, _ = run(capsys, "stats", "--db", str(path), "--json")
    assert code == 0 and json.loads(out)["station"]["name"] == "城关派出所"


def test_a_protected_database_without_or_with_a_wrong_password_is_refused_unchanged(
        tmp_path, capsys, monkeypatch):
    path = tmp_path / "station.db"
    monkeypatch.setenv("STATION_PASSWORD", "admin-pass-1")
    assert run(capsys, "init", "--db", str(path))[0] == 0
    before = path.read_bytes()
    monkeypatch.setenv("STATION_PASSWORD", "wrong-pass-1")
    code, _, err = run(capsys, "stats", "--db", str(path))
    assert code == 2 and "用户名或密码错误" in err
    monkeypatch.delenv("STATION_PASSWORD")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal: no prompt, a clear error
    code, _, err = run(capsys, "check", "--db", str(path))
    assert code == 2 and "STATION_PASSWORD" in err
    assert path.read_bytes() == before


def test_demo_is_protected_with_the_documented_accounts(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("STATION_PASSWORD", raising=False)
    path = tmp_path / "demo.db"
    assert run(capsys, "demo", "--db", str(path), "--seed", "4", "--scale", "0.1")[0] == 0
    monkeypatch.setenv("STATION_PASSWORD", "demo1234")
    for user in ("admin", "leader", "teamleader", "officer", "analyst"):
        code, out, err = run(capsys, "stats", "--db", str(path), "--json", "--user", user)
        assert code == 0, (user, err)


def test_backup_list_restore_and_audit_export(tmp_path, capsys, monkeypatch):
    import csv

    monkeypatch.setenv("STATION_PASSWORD", "admin-pass-1")
    path = tmp_path / "station.db"
    assert run(capsys, "init", "--db", str(path), "--station", "城关派出所")[0] == 0
    code, out, err = run(capsys, "backup", "--db", str(path))
    assert code == 0, err
    backup = sorted((tmp_path / "backups").glob("station-*-manual.db"))[0]
    # a change after the backup...
    from app.services import accounts as A, org

    s = A.login(path, "admin", "admin-pass-1")
    org.add_team(s.db, "后来加的队")
    s.db.close()
    code, out, _ = run(capsys, "backups", "--db", str(path))
    assert code == 0 and backup.name in out
    # ...is gone after the restore, and kept in the pre-restore backup
    code, out, err = run(capsys, "restore", "--db", str(path), "--from", str(backup))
    assert code == 0, err
    s = A.login(path, "admin", "admin-pass-1")
    assert org.list_teams(s.db) == []
    s.db.close()
    assert list((tmp_path / "backups").glob("station-*-pre-restore.db"))
    out_csv = tmp_path / "audit.csv"
    code, out, err = run(capsys, "audit", "--db", str(path), "--out", str(out_csv))
    assert code == 0, err
    assert out_csv.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel/WPS read UTF-8
    with open(out_csv, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:5] == ["序号", "时间", "账户", "角色", "操作"]
    assert any(r[4] == "从备份恢复" and r[3] == "系统管理员" for r in rows[1:])  # words, not codes
    # a corrupted backup fails the drill
    blob = bytearray(backup.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    backup.write_bytes(bytes(blob))
    code, out, _ = run(capsys, "backups", "--db", str(path))
    assert code == 1 and "坏" in out
