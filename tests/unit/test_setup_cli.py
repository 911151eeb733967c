"""Day one from the command line alone, and the roster import with its bad rows."""
from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

from openpyxl import Workbook, load_workbook

from app import cli
from app.services import accounts as A, audit

TODAY = date.today()


def run(capsys, monkeypatch, user: str, password: str, *argv: str, new: str | None = None) -> tuple[int, str, str]:
    monkeypatch.setenv("STATION_PASSWORD", password)
    if new is None:
        monkeypatch.delenv("NEW_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("NEW_PASSWORD", new)
    code = cli.main([*argv, "--user", user] if argv[0] not in ("init",) else list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_time_password(out: str) -> str:
    m = re.search(r"初始密码：(\S+)", out)
    assert m, out
    return m.group(1)


def test_day_one_from_the_command_line(tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "station.db")
    adm = lambda *a, **k: run(capsys, monkeypatch, "admin", "admin-pass-1", *a, "--db", db, **k)  # noqa: E731
    monkeypatch.setenv("STATION_PASSWORD", "admin-pass-1")
    assert cli.main(["init", "--db", db, "--station", "城关派出所"]) == 0
    capsys.readouterr()
    code, _, err = adm("station", "set", "--code", "36010200100", "--branch", "东湖分局")
    assert code == 2 and "12" in err
    assert adm("station", "set", "--code", "360102001001", "--branch", "东湖分局")[0] == 0
    assert adm("team", "add", "社区警务一队")[0] == 0
    for name, role, badge, team in (("王建国", "leader", "010001", None), ("李强", "team_leader", "010002", "社区警务一队"),
                                    ("张伟", "officer", "010003", "社区警务一队")):
        argv = ["officer", "add", "--name", name, "--role", role, "--badge", badge] + (["--team", team] if team else [])
        code, out, err = adm(*argv)
        assert code == 0, err
    passwords = {}
    for user, officer in (("wangjianguo", "王建国"), ("liqiang", "李强"), ("zhangwei", "010003")):
        code, out, err = adm("account", "add", "--username", user, "--officer", officer, "--generate")
        assert code == 0, err
        passwords[user] = one_time_password(out)
    code, out, _ = adm("account", "list", "--json")
    rows = {r["username"]: r for r in json.loads(out)}
    assert rows["zhangwei"]["role"] == "officer" and rows["zhangwei"]["team"] == "社区警务一队"
    assert rows["zhangwei"]["must_change_password"] and rows["zhangwei"]["last_login_at"] is None
    # The officer logs in with the initial password: refused until it is changed.
    code, _, err = run(capsys, monkeypatch, "zhangwei", passwords["zhangwei"], "officer", "list", "--db", db)
    assert code == 2 and "passwd" in err
    # Every command that logs in says the same and does nothing (the log-in itself is audited).
    (tmp_path / "x.csv").write_text("纠纷编号\n", encoding="utf-8")
    for argv in (["stats"], ["check"], ["report", "monthly", "--period", "2026-11", "--out", str(tmp_path / "r.xlsx")],
                 ["import-ledger", "--module", "disputes", str(tmp_path / "x.csv")],
                 ["alerts-import", str(tmp_path / "x.csv")], ["backup"]):
        code, _, err = run(capsys, monkeypatch, "zhangwei", passwords["zhangwei"], *argv[:1], "--db", db, *argv[1:])
        assert code == 2 and "passwd" in err, (argv, err)
    assert not (tmp_path / "r.xlsx").exists() and not list(tmp_path.glob("*backup*"))
    code, _, err = run(capsys, monkeypatch, "zhangwei", passwords["zhangwei"], "passwd", "--db", db,
                       new="zhangwei-own-1")
    assert code == 0, err
    # … and enters a dispute (the ledger import is how the command line enters records).
    ledger = tmp_path / "d.csv"
    with open(ledger, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["纠纷编号", "纠纷类别", "来源", "当事人", "发现日期", "预警等级", "责任民警"])
        w.writerow(["JF-0001", "公安主责类", "110警情", "邻里甲、邻里乙", TODAY.isoformat(), "红", "张伟"])
    code, out, err = run(capsys, monkeypatch, "zhangwei", "zhangwei-own-1", "import-ledger", "--db", db,
                         "--module", "disputes", str(ledger))
    assert code == 0, out + err
    # The station leader (after changing the one-time password) sees it in the morning briefing.
    run(capsys, monkeypatch, "wangjianguo", passwords["wangjianguo"], "passwd", "--db", db, new="leader-own-1")
    out_file = tmp_path / "morning.xlsx"
    code, out, err = run(capsys, monkeypatch, "wangjianguo", "leader-own-1", "report", "morning", "--db", db,
                         "--period", TODAY.isoformat(), "--out", str(out_file))
    assert code == 0, err
    cells = [str(c) for ws in load_workbook(out_file).worksheets for row in ws.iter_rows(values_only=True)
             for c in row if c is not None]
    assert any("JF-0001" in c for c in cells)
    code, out, _ = run(capsys, monkeypatch, "wangjianguo", "leader-own-1", "stats", "--db", db, "--json")
    assert json.loads(out)["disputes"]["by_level"]["red"] == 1
    # The officer cannot administer.
    code, _, err = run(capsys, monkeypatch, "zhangwei", "zhangwei-own-1", "team", "add", "二队", "--db", db)
    assert code == 2 and "无权" in err


def test_retire_and_disable_from_the_command_line(tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "station.db")
    adm = lambda *a, **k: run(capsys, monkeypatch, "admin", "admin-pass-1", *a, "--db", db, **k)  # noqa: E731
    monkeypatch.setenv("STATION_PASSWORD", "admin-pass-1")
    cli.main(["init", "--db", db, "--station", "城关派出所"])
    adm("team", "add", "一队")
    adm("officer", "add", "--name", "王建国", "--role", "leader")
    adm("officer", "add", "--name", "李强", "--role", "team_leader", "--team", "一队")
    adm("officer", "add", "--name", "张伟", "--role", "officer", "--team", "一队")
    adm("officer", "add", "--name", "赵敏", "--role", "officer", "--team", "一队")
    assert adm("account", "add", "--username", "zhangwei", "--officer", "张伟", new="first-pass-1")[0] == 0
    run(capsys, monkeypatch, "zhangwei", "first-pass-1", "passwd", "--db", db, new="zhangwei-own-1")
    ledger = tmp_path / "d.csv"
    with open(ledger, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["纠纷编号", "纠纷类别", "来源", "当事人", "发现日期", "预警等级", "责任民警"])
        for n in (1, 2):
            w.writerow([f"JF-{n}", "公安主责类", "110警情", "甲、乙", TODAY.isoformat(), "黄", "张伟"])
    assert run(capsys, monkeypatch, "zhangwei", "zhangwei-own-1", "import-ledger", "--db", db, "--module",
               "disputes", str(ledger))[0] == 0
    code, out, _ = adm("officer", "records", "--name", "张伟", "--json")
    records = json.loads(out)
    assert len(records) == 2
    code, _, err = adm("officer", "retire", "--name", "张伟")
    assert code == 2 and "接手" in err
    code, out, err = adm("officer", "retire", "--name", "张伟", "--to", "赵敏")
    assert code == 0 and "2条" in out, err
    code, out, _ = adm("officer", "records", "--name", "赵敏", "--json")
    assert {r["label"] for r in json.loads(out)} == {"JF-1", "JF-2"}
    keys = json.loads((tmp_path / "station.db.keys").read_text(encoding="utf-8"))
    assert "zhangwei" not in keys["accounts"]
    code, _, err = run(capsys, monkeypatch, "zhangwei", "zhangwei-own-1", "officer", "list", "--db", db)
    assert code == 2 and "用户名或密码错误" in err
    logged = A.login(tmp_path / "station.db", "admin", "admin-pass-1")
    moves = [e for e in audit.list_entries(logged.db) if e.action == "reassign"]
    logged.db.close()
    assert len(moves) == 2 and all(e.detail["officer_id"] == ["张伟", "赵敏"] for e in moves)


def write_roster(path: Path, rows: list[list]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["城关派出所民警花名册"])
    ws.append(["序号", "姓名", "警号", "所属中队/部门", "职务", "手机"])
    for i, r in enumerate(rows, start=1):
        ws.append([i, *r])
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, as a typed-in name would be
    wb.save(path)
    return path


ROSTER = [
    ["王建国", "010001", "所领导", "所长", "13800000001"],
    ["李强", "010002", "社区警务一队", "中队长", "13800000002"],
    ["张伟", "010003", "社区警务一队", "民警", "13800000003"],
    ["孙立", "", "社区警务一队", "辅警", ""],
    ["钱多", "010005", "案件办理队", "副中队长", ""],     # unknown duty title
    ["周末", "010003", "案件办理队", "民警", ""],         # duplicate badge number
    ["", "010007", "案件办理队", "民警", ""],             # blank name
    ["=HYPERLINK(\"x\")", "010008", "案件办理队", "民警", "12345"],  # a formula as a name, a bad mobile
]


def test_roster_import_reports_every_row_and_writes_the_rejected_ones(tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "station.db")
    adm = lambda *a, **k: run(capsys, monkeypatch, "admin", "admin-pass-1", *a, "--db", db, **k)  # noqa: E731
    monkeypatch.setenv("STATION_PASSWORD", "admin-pass-1")
    cli.main(["init", "--db", db, "--station", "城关派出所"])
    capsys.readouterr()
    roster = write_roster(tmp_path / "花名册.xlsx", ROSTER)
    code, out, err = adm("roster", "import", str(roster), "--dry-run", "--json")
    assert out, err
    preview = json.loads(out)
    assert preview["counts"] == {"imported": 4, "present": 0, "rejected": 4, "skipped": 0}
    code, out, err = adm("officer", "list", "--json")
    assert json.loads(out) == [], err
    rejects = tmp_path / "rejects.xlsx"
    slips = tmp_path / "slips.txt"
    code, out, err = adm("roster", "import", str(roster), "--json", "--rejects", str(rejects), "--accounts", str(slips))
    assert code == 0, err
    report = json.loads(out)
    by_line = {r["line"]: r for r in report["rows"]}
    assert by_line[7]["outcome"] == "rejected" and "副中队长" in by_line[7]["reason"]
    assert "--duty 副中队长=" in by_line[7]["reason"]
    assert "010003" in by_line[8]["reason"] and "第5行" in by_line[8]["reason"]
    assert by_line[9]["reason"] == "姓名为空"
    assert "手机" in by_line[10]["reason"]
    assert by_line[6]["outcome"] == "imported" and by_line[6]["auxiliary"] and by_line[6]["role"] == "officer"
    assert by_line[3]["role"] == "leader" and by_line[4]["role"] == "team_leader"
    assert report["teams_created"] == ["社区警务一队"]
    people = {o["name"]: o for o in json.loads(adm("officer", "list", "--json")[1])}
    assert set(people) == {"王建国", "李强", "张伟", "孙立"}
    assert people["王建国"]["team"] == "" and people["孙立"]["duty"] == "辅警"
    # The rejected rows, in the roster's columns plus the reason; a formula stays text.
    ws = load_workbook(rejects).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][-1] == "未导入原因" and [r[1] for r in rows[1:]] == ["钱多", "周末", None, "=HYPERLINK(\"x\")"]
    assert ws.cell(5, 2).data_type == "s"
    # Accounts for those with a badge number, their one-time passwords on the slips.
    text = slips.read_text(encoding="utf-8-sig")
    accounts = {r["username"]: r for r in json.loads(adm("account", "list", "--json")[1])}
    assert set(accounts) == {"admin", "010001", "010002", "010003"}
    pw = re.search(r"用户名：010003\n初始密码：(\S+)", text).group(1)
    code, _, err = run(capsys, monkeypatch, "010003", pw, "passwd", "--db", db, new="zhangwei-own-1")
    assert code == 0, err
    # The same file again adds nothing; the unknown title mapped on the command line goes in.
    code, out, _ = adm("roster", "import", str(roster), "--json", "--duty", "副中队长=team_leader")
    again = json.loads(out)
    assert again["counts"]["imported"] == 1 and again["counts"]["present"] == 4
    assert {r["name"]: r["role"] for r in again["rows"] if r["outcome"] == "imported"} == {"钱多": "team_leader"}
    code, _, err = adm("roster", "import", str(roster), "--duty", "副中队长=boss")
    assert code == 2 and "leader" in err


def test_the_station_backup_folder_is_where_backups_go(tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "station.db")
    adm = lambda *a, **k: run(capsys, monkeypatch, "admin", "admin-pass-1", *a, "--db", db, **k)  # noqa: E731
    monkeypatch.setenv("STATION_PASSWORD", "admin-pass-1")
    cli.main(["init", "--db", db, "--station", "城关派出所"])
    capsys.readouterr()
    code, _, err = adm("station", "set", "--backup-folder", str(tmp_path / "missing"))
    assert code == 2 and "不存在" in err
    folder = tmp_path / "usb"
    folder.mkdir()
    code, _, err = adm("station", "set", "--backup-folder", str(folder), "--idle-minutes", "15")
    assert code == 0, err
    shown = json.loads(adm("station", "show", "--json")[1])
    assert shown["backup_folder"] == str(folder.resolve()) and shown["idle_minutes"] == 15
    code, out, err = adm("backup")
    assert code == 0, err
    assert [p.suffix for p in folder.glob("*.db")] == [".db"] and not (tmp_path / "backups").exists()
    code, out, _ = adm("backups")
    assert code == 0 and out.startswith("ok ")
