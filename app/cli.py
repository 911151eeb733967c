"""The command line: `python -m app` starts the GUI; init, demo, check and stats serve scripts.

Every expected failure prints one line, "错误: <Chinese> (<English>)", on stderr and exits 2
(`check` exits 1 when it finds problems). Commands never create a database that was not asked
for: only `init` and `demo` make files, and they remove what they made if they fail.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from app import __version__
from app.errors import DatabaseError, RuleViolation, StationError, ValidationError

if TYPE_CHECKING:
    from app.store import Store

# The database layer (SQLAlchemy, SQLCipher) is imported inside the commands that use it, so
# that `python -m app` reaches the GUI's first paint without paying for it up front.

PROG = "python -m app"
DEFAULT_STATION_NAME = "新建派出所"
EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2

#: Starts the GUI with an optional database path and returns its exit status. The composition
#: root (app/__main__.py) passes the real one; the core itself never imports the UI.
GuiRunner = Callable[[str | None], int]


class UsageError(Exception):
    """Bad command-line arguments (argparse would otherwise print usage and exit itself)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # noqa: D401 - argparse's hook
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="派出所情报信息分级分类跟踪系统 (station intelligence tracking): cases 案件, "
                    "disputes 矛盾纠纷 and key persons 重点人员 under a four-colour warning. "
                    "Without a command the desktop app (gui) starts.",
        epilog="Errors print one line '错误: ... (English ...)' and exit 2; 'check' exits 1 on problems.",
    )
    parser.add_argument("--version", action="version", version=f"station-intel {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    gui = sub.add_parser("gui", help="start the desktop app 启动桌面程序 (the default)",
                         description="Start the desktop app. Without --db the default station database "
                                     "is used (created with the demo station on first start).")
    gui.add_argument("--db", metavar="PATH", help="station database file 派出所数据库文件")

    init = sub.add_parser("init", help="create an empty station database 新建派出所数据库",
                          description="Create an empty station database holding only the station 派出所. "
                                      "An existing file with data is refused.")
    init.add_argument("--db", metavar="PATH", required=True,
                      help="the new database file, or a station server: postgresql://OWNER@HOST/DATABASE")
    init.add_argument("--role-prefix", metavar="NAME",
                      help="on a station server: the prefix of its PostgreSQL roles (default: the database name)")
    init.add_argument("--station", metavar="NAME", default=DEFAULT_STATION_NAME,
                      help=f"station name 派出所名称 (default {DEFAULT_STATION_NAME})")
    account_options(init, "the administrator account to create")
    init.add_argument("--unprotected", action="store_true",
                      help="make a plain, unencrypted database without accounts (tests and tools only: "
                           "personal data is NOT protected)")

    demo = sub.add_parser("demo", help="create a database filled with the demo station 生成演示数据",
                          description="Create a database and fill it with a generated demo station "
                                      "(演示派出所). Refused if the database already holds a station.")
    demo.add_argument("--db", metavar="PATH", required=True, help="the database file to create")
    demo.add_argument("--seed", metavar="N", type=int, default=1, help="random seed 随机种子 (default 1)")
    demo.add_argument("--scale", metavar="N", type=float, default=None,
                      help="size multiplier 数据规模倍数, e.g. 0.1 or 10 (default 1: about 1,850 cases, "
                           "1,120 disputes and 331 key persons)")
    demo.add_argument("--as-of", metavar="DATE", help="the demo's 'today' (YYYY-MM-DD), default today")
    demo.add_argument("--unprotected", action="store_true",
                      help="a plain, unencrypted database without accounts (benchmarks and tools); by default "
                           "the demo is protected like a real station, accounts admin/leader/teamleader/"
                           "officer/analyst with the password from STATION_PASSWORD or 'demo1234'")

    check = sub.add_parser("check", help="check a database 检查数据库 (integrity and consistency)",
                           description="Print the schema version, SQLite's integrity_check and "
                                       "foreign_key_check, and the closed-loop consistency checks "
                                       "(level = last level change 等级与变更记录一致, status fits level). "
                                       "Exit 0 with 'ok', 1 with the problems listed.")
    check.add_argument("--db", metavar="PATH", help="station database file (default: the user's database)")
    account_options(check)

    stats = sub.add_parser("stats", help="headline statistics 统计数据 (同比/环比)",
                           description="Print the headline figures: records per level, overdue 超期, "
                                       "criminal cases solved 破刑事案件, administrative cases handled "
                                       "查处行政案件, disputes found/resolved 排查/化解, resolution rate 化解率, "
                                       "follow-up satisfaction 回访满意率, with month-on-month 环比 and "
                                       "year-on-year 同比 change.")
    stats.add_argument("--db", metavar="PATH", help="station database file (default: the user's database)")
    stats.add_argument("--json", action="store_true", help="print JSON (the branch office's contract)")
    stats.add_argument("--as-of", metavar="DATE", help="count as of the end of this day (YYYY-MM-DD), default today")
    stats.add_argument("--station", metavar="UUID_OR_CODE",
                       help="the seed's workflow figures of this station only (at a branch, which holds several)")
    account_options(stats)

    backup = sub.add_parser("backup", help="make a verified backup now 立即备份",
                            description="Back up the database through SQLite's online backup API into the "
                                        "backups/ folder beside it (verified, hashed, recorded, then thinned: "
                                        "7 daily, 4 weekly, 12 monthly).")
    backup.add_argument("--db", metavar="PATH", help="station database file (default: the user's database)")
    account_options(backup)

    backups = sub.add_parser("backups", help="list and verify the backups 备份列表与校验",
                             description="List the backups newest first and run the restore drill on each "
                                         "(hash, integrity_check, cipher_integrity_check). Exit 1 if any fails.")
    backups.add_argument("--db", metavar="PATH", help="station database file (default: the user's database)")
    account_options(backups)

    restore = sub.add_parser("restore", help="restore a backup 从备份恢复 (administrator)",
                             description="Replace the database with a verified backup. The current state is "
                                         "first backed up (kind pre-restore). Administrator only.")
    restore.add_argument("--db", metavar="PATH", help="station database file (default: the user's database)")
    restore.add_argument("--from", dest="source", metavar="FILE", required=True,
                         help="the backup file (from the backups/ folder)")
    account_options(restore)

    trail = sub.add_parser("audit", help="export the audit trail 导出审计日志 (CSV)",
                           description="Write the audit trail (who changed what, when, before and after) "
                                       "to a CSV file for Excel/WPS (UTF-8 with BOM), after verifying its "
                                       "hash chain. Station leader or administrator.")
    trail.add_argument("--db", metavar="PATH", help="station database file (default: the user's database)")
    trail.add_argument("--out", metavar="FILE", required=True, help="the CSV file to write")
    account_options(trail)
    from app.commands import feature_modules

    for module in feature_modules():
        FEATURE_COMMANDS.update(module.register(sub))
    return parser


def account_options(parser: argparse.ArgumentParser, what: str = "the account to log in as") -> None:
    parser.add_argument("--user", metavar="NAME", default="admin",
                        help=f"{what} 用户名 (default admin); the password is read from the "
                             f"STATION_PASSWORD environment variable, or asked for in a terminal")


# -- helpers ---------------------------------------------------------------------------------------
def _error_line(exc: BaseException | str) -> str:
    return f"错误: {exc}"


def parse_day(text: str | None, option: str = "--as-of") -> date | None:
    """An ISO date given on the command line; not in the future (nothing is known about it yet)."""
    if text is None:
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"{option} 不是有效日期：{text}",
                              f"{option} is not a date in the form YYYY-MM-DD: {text}", option) from None
    if day > date.today():
        raise ValidationError(f"{option} 不能晚于今天：{text}", f"{option} cannot be in the future: {text}", option)
    return day


def server_login(args: argparse.Namespace):
    """(database, actor) when --db is a postgresql:// URL: the account logs in to the station (or
    branch) server as its own PostgreSQL user, and the policy table decides the command's action at
    the log-in (`postgresql://HOST/DB` with --user NAME, or `postgresql://PREFIX.NAME@HOST/DB`);
    None for a file."""
    from app.store.paths import is_url

    if not getattr(args, "db", None) or not is_url(args.db):
        return None
    from app.server.setup import open_console

    done = open_console(args.db, args.user, read_password, command_action(args))
    refuse_one_time(done, args.user)
    return done.db, done.actor


def refuse_one_time(logged, username: str) -> None:
    """A command logged in with a one-time password (handed on a slip, or given by the move to a
    server) is refused, the database closed, until the account has chosen its own with `passwd`."""
    if logged.must_change_password:
        logged.db.close()
        raise RuleViolation(f"账户 {username} 使用的是初始密码，须先修改：python -m app passwd --user {username}",
                            f"the account {username} still has its one-time password; change it first with "
                            f"'python -m app passwd'", "password")


def person_login(args: argparse.Namespace, path: Path):
    """(database, actor): the account --user logged in to the protected file `path` (password from
    STATION_PASSWORD or a prompt); the policy table decides the command's action at the log-in,
    and a one-time password must be changed first."""
    from app.services.accounts import login

    logged = login(path, args.user, read_password(), action=command_action(args))
    refuse_one_time(logged, args.user)
    return logged.db, logged.actor


def station_login(args: argparse.Namespace):
    """(database, actor) for the commands that act on a station's records: a server or a protected
    file logs in (person_login); a plain file acts as its station leader."""
    from app.services.accounts import is_protected
    from app.services.org import default_actor

    server = server_login(args)
    if server is not None:
        return server
    path = Path(args.db)
    if is_protected(path):
        return person_login(args, path)
    db = open_existing(path, args.user)
    return db, default_actor(db)


#: What backup and backups say on a server database.
SERVER_BACKUPS = ("服务器数据库的备份在服务器上完成（pg_dump）：请所有者运行 server-backup",
                  "a server database is backed up on the server (pg_dump): its owner runs server-backup")


def refuse_server(db: Store, zh: str, en: str) -> None:
    """A file-only command on a server database: closed, and said so."""
    if not db.is_file:
        db.close()
        raise ValidationError(zh, en, "db")


def _target_path(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    from app.store.paths import default_db_path

    return default_db_path()


def read_password(prompt: str = "密码 (password): ", confirm: bool = False) -> str:
    """STATION_PASSWORD, or a prompt when a person is at a terminal; otherwise a clear error."""
    import os

    value = os.environ.get("STATION_PASSWORD")
    if value:
        return value
    if not sys.stdin.isatty():
        raise ValidationError("需要密码：请设置环境变量 STATION_PASSWORD",
                              "a password is needed: set the STATION_PASSWORD environment variable", "password")
    import getpass

    value = getpass.getpass(prompt)
    if confirm and getpass.getpass("再次输入 (again): ") != value:
        raise ValidationError("两次输入的密码不一致", "the two passwords differ", "password")
    return value


def open_existing(path: Path, user: str = "admin", action: str | None = None) -> Store:
    """Open a station database that must already exist: a missing, empty or foreign file is an
    error and is left exactly as it was (never created, never migrated into). A protected
    database is opened by logging in as `user` (password from STATION_PASSWORD or a prompt)."""
    from app.services.accounts import is_protected, login
    from app.store import SqliteStore
    from app.store.sqlite import sniff_file

    if path.is_dir():
        raise DatabaseError(f"这是一个文件夹，不是数据库文件：{path}", f"this is a folder, not a database file: {path}")
    kind = sniff_file(path)
    if kind == "missing":
        raise DatabaseError(f"数据库文件不存在：{path}", f"database file not found: {path}")
    if kind == "empty":
        raise DatabaseError(f"文件为空，不是派出所数据库：{path}", f"the file is empty, not a station database: {path}")
    if is_protected(path):
        logged = login(path, user, read_password(), action=action)
        refuse_one_time(logged, user)
        return logged.db
    return SqliteStore(path)


def _undo_new_database(path: Path, was: str) -> None:
    """Put the files back as they were before a failed init/demo: gone, or an empty file."""
    # The database is closed by now, so its instance lock file is no one's either.
    for p in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
              path.with_name(path.name + ".lock")):
        p.unlink(missing_ok=True)
    if was == "missing":
        path.unlink(missing_ok=True)
    elif was == "empty":
        path.write_bytes(b"")


def _new_station_database(path: Path) -> tuple[Store, str]:
    """Open `path` for init/demo: a missing or empty file is created; an existing station
    database is accepted only while it holds no station. Returns (db, what the file was)."""
    from app.services.org import station_info
    from app.store import SqliteStore
    from app.store.sqlite import sniff_file

    if path.is_dir():
        raise DatabaseError(f"这是一个文件夹，不是数据库文件：{path}", f"this is a folder, not a database file: {path}")
    was = sniff_file(path)
    db = SqliteStore(path, create=True, upgrade=False)
    try:
        info = station_info(db)
    except BaseException:
        db.close()
        raise
    if info is not None:
        db.close()
        raise ValidationError(f"数据库中已有派出所（{info.name}），未做任何修改：{path}",
                              f"the database already holds a station ({info.name}); nothing was changed: {path}",
                              "db")
    return db, was


def _fill_new(path: Path, fill: Callable[[Store], Any]) -> Any:
    """Run `fill` on a new station database; if it fails, a file made here is removed again."""
    db, was = _new_station_database(path)
    try:
        result = fill(db)
    except BaseException:
        db.close()
        if was in ("missing", "empty"):
            _undo_new_database(path, was)
        raise
    db.close()
    return result


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: Any, width: int, left: bool = False) -> str:
    text = "-" if value is None else str(value)
    pad = " " * max(0, width - _width(text))
    return text + pad if left else pad + text


def _pct(value: float | None, signed: bool = True) -> str:
    if value is None:
        return "-"
    return f"{value:+.1f}%" if signed else f"{value:.1f}%"


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


# -- commands --------------------------------------------------------------------------------------
def cmd_gui(args: argparse.Namespace, run_gui: GuiRunner | None) -> int:
    if run_gui is None:
        raise StationError("此入口不能启动图形界面，请运行 python -m app",
                           "the GUI cannot start from this entry point; run python -m app")
    return int(run_gui(getattr(args, "db", None)) or 0)


def cmd_init(args: argparse.Namespace) -> int:
    from app.domain.rules import require_text
    from app.services.org import init_station

    name = require_text(args.station, "派出所名称", "the station name", "station")
    from app.store.paths import is_url

    if is_url(args.db):  # a station server: the URL names the database and its owner
        from app.server.setup import create_station_server

        address = create_station_server(args.db, name, args.user, read_password(
            "管理员密码 (administrator password): ", confirm=True), prefix=getattr(args, "role_prefix", None))
        print(f"已在服务器上创建派出所：{address.shown}（{name}），管理员账户 {args.user}，"
              f"PostgreSQL 用户名 {address.names.login(args.user)} "
              f"(created the station on the server; role prefix {address.prefix})")
        return EXIT_OK
    path = Path(args.db)
    if args.unprotected:
        _fill_new(path, lambda db: init_station(db, name))
        print(f"已创建未加密的派出所数据库：{path}（{name}） (created an unprotected station database)")
        return EXIT_OK
    from app.services.accounts import create_protected_database, key_file_for

    refuse_existing(path)
    db = create_protected_database(path, read_password("管理员密码 (administrator password): ", confirm=True),
                                   args.user)
    try:
        init_station(db, name)
    except BaseException:
        db.close()
        _undo_new_database(path, "missing")
        key_file_for(path).unlink(missing_ok=True)
        raise
    db.close()
    print(f"已创建加密的派出所数据库：{path}（{name}），管理员账户 {args.user} "
          f"(created an encrypted station database; administrator account {args.user})")
    return EXIT_OK


def refuse_existing(path: Path) -> None:
    from app.store.sqlite import sniff_file

    if path.is_dir():
        raise DatabaseError(f"这是一个文件夹，不是数据库文件：{path}", f"this is a folder, not a database file: {path}")
    if sniff_file(path) not in ("missing", "empty"):
        raise ValidationError(f"文件已存在，未做任何修改：{path}", f"the file already exists; nothing was changed: {path}",
                              "db")


def cmd_demo(args: argparse.Namespace) -> int:
    as_of = parse_day(args.as_of)
    from app.demo import generate_demo

    path = Path(args.db)
    started = time.perf_counter()

    def fill(db: Store):
        kwargs: dict[str, Any] = {"seed": args.seed, "as_of": as_of}
        if args.scale is not None:
            kwargs["scale"] = args.scale
        from app.startup import record_demo_event

        made = generate_demo(db, **kwargs)
        record_demo_event(db, made)
        from app.demo_workflows import add_workflow_demo
        add_workflow_demo(db, args.seed, as_of)
        return made

    if args.unprotected:
        made = _fill_new(path, fill)
    else:
        import os

        from app.startup import DEMO_PASSWORD, create_demo_database

        refuse_existing(path)
        kwargs: dict[str, Any] = {"seed": args.seed, "as_of": as_of,
                                  "password": os.environ.get("STATION_PASSWORD") or DEMO_PASSWORD}
        if args.scale is not None:
            kwargs["scale"] = args.scale
        db, made = create_demo_database(path, **kwargs)
        db.close()
    seconds = time.perf_counter() - started
    print(f"演示数据已生成：{made.station_name}，案件 {made.cases} 件，矛盾纠纷 {made.disputes} 件，"
          f"重点人员 {made.persons} 人，用时 {seconds:.1f} 秒 "
          f"(demo station {made.station_name}: {made.cases} cases, {made.disputes} disputes, "
          f"{made.persons} key persons, {made.level_changes} level changes, {made.actions} actions "
          f"in {seconds:.1f} s) -> {path}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from app.services.audit import verify_chain
    from app.services.stats import consistency_problems

    server = server_login(args)
    db = server[0] if server else open_existing(_target_path(args.db), args.user, command_action(args))
    shown = db.title
    try:
        state = db.schema_state()
        try:
            found = db.integrity_problems()
        except Exception as exc:  # SQLite stopped on a damaged page: that is the finding
            from sqlalchemy.exc import DBAPIError

            if not isinstance(exc, DBAPIError):
                raise
            msg = str(exc.orig or exc)
            found = [f"integrity_check 未能完成：{msg} (integrity_check could not complete: {msg})"]
        fk = [p for p in found if p.startswith("foreign key:")]
        integrity = [p for p in found if not p.startswith("foreign key:")]
        consistency = consistency_problems(db) if not integrity else []
        chain = verify_chain(db) if not integrity else []
        from app.services.accounts import verify_roles

        roles = verify_roles(db) if not integrity else []
        from app.services.daily_counts import problems as summary_problems

        summary = summary_problems(db) if not integrity else []
        from app.services.search_index import problems as index_problems

        index = index_problems(db) if not integrity else []
    finally:
        db.close()
    print(f"数据库 (database): {shown}")
    print(f"架构版本 (schema): {state.current} / {state.head}"
          + ("" if state.up_to_date else " 需要升级 (needs an upgrade)"))
    print(f"integrity_check: {'ok' if not integrity else f'{len(integrity)} 个问题 (problems)'}")
    print(f"foreign_key_check: {'ok' if not fk else f'{len(fk)} 个问题 (problems)'}")
    if integrity:
        print("一致性检查 (consistency): 未执行，文件已损坏 (skipped: the file is damaged)")
    else:
        print(f"一致性检查 (consistency): {'ok' if not consistency else f'{len(consistency)} 个问题 (problems)'}")
        print(f"审计日志哈希链 (audit trail hash chain): {'ok' if not chain else f'{len(chain)} 个问题 (problems)'}")
        if db.key is not None:
            print(f"账户角色签章 (roles seal): {'ok' if not roles else f'{len(roles)} 个问题 (problems)'}")
        print(f"每日汇总 (daily summary): {'ok' if not summary else f'{len(summary)} 个问题 (problems)'}")
        print(f"搜索字符索引 (search character index): {'ok' if not index else f'{len(index)} 个问题 (problems)'}")
    problems = integrity + fk + consistency + chain + roles + summary + index
    if problems:
        print(f"发现 {len(problems)} 个问题 ({len(problems)} problems found):")
        for p in problems:
            print(f"  - {p}")
        return EXIT_PROBLEMS
    print("ok")
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from app.services.headline import headline_stats

    as_of = parse_day(args.as_of)
    server = server_login(args)
    db = server[0] if server else open_existing(_target_path(args.db), args.user, command_action(args))
    try:
        data = headline_stats(db, as_of)
        from app.services.workflow_figures import find_station, workflow_figures

        one = find_station(db, args.station) if getattr(args, "station", None) else None
        data["workflows"] = workflow_figures(db, as_of, one.id if one else None)
        if one is not None:
            data["workflows"]["station"] = {"uuid": one.uuid, "code": one.code, "name": one.name}
    finally:
        db.close()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(format_stats(data))
    return EXIT_OK


def format_stats(data: dict) -> str:
    """A short table in Chinese for a person at the console."""
    cur = data["cases"]["criminal_solved"]["windows"]["current"]
    station = (data.get("station") or {}).get("name") or ""
    lines = [f"{station} 统计截至 {data['as_of']}（本期 {cur['from']} 至 {cur['to']}）".strip(), ""]
    head = ["", "合计", "红色", "橙色", "黄色", "绿色", "超期"]
    widths = [10, 6, 6, 6, 6, 6, 6]
    lines.append("".join(_cell(h, w, i == 0) for i, (h, w) in enumerate(zip(head, widths))))
    for key, name in (("cases", "案件"), ("disputes", "矛盾纠纷"), ("persons", "重点人员")):
        block = data[key]
        row = [name, block["total"], *(block["by_level"][lv] for lv in ("red", "orange", "yellow", "green")),
               block["overdue"]]
        lines.append("".join(_cell(v, w, i == 0) for i, (v, w) in enumerate(zip(row, widths))))
    lines.append("")
    head = ["", "本期", "上期", "环比", "去年同期", "同比"]
    widths = [14, 6, 6, 9, 10, 9]
    lines.append("".join(_cell(h, w, i == 0) for i, (h, w) in enumerate(zip(head, widths))))
    for name, p in (("破刑事案件", data["cases"]["criminal_solved"]),
                    ("查处行政案件", data["cases"]["administrative_handled"]),
                    ("排查发现纠纷", data["disputes"]["found"]),
                    ("化解纠纷", data["disputes"]["resolved"])):
        row = [name, p["current"], p["previous"], _pct(p["mom_pct"]), p["last_year"], _pct(p["yoy_pct"])]
        lines.append("".join(_cell(v, w, i == 0) for i, (v, w) in enumerate(zip(row, widths))))
    d = data["disputes"]
    lines.append("")
    lines.append(f"化解率 {_rate(d['resolution_rate'])}（本年 {_rate(d['resolution_rate_ytd'])}）  "
                 f"回访满意率 {_rate(d['satisfaction_rate'])}（本年 {_rate(d['satisfaction_rate_ytd'])}）  "
                 f"已转案件 {d['converted']}")
    lines.append(d["resolution_text"] + "。")
    lines.append(d["satisfaction_text"] + "。")
    lines.append(data["cases"]["solve_rate_text"] + "。")
    if "workflows" in data:
        w = data["workflows"]
        if "station" in w:
            lines.append(f"{w['station']['name']}（{w['station']['code']}）：")
        lines.append(w["zero_text"] + "。")
        lines.append(f"在管在控核查超期 {w['checks_overdue']['overdue']}/{w['checks_overdue']['of']} 人  "
                     f"移交答复超期 {w['answers_overdue']['overdue']}/{w['answers_overdue']['of']} 起  "
                     f"回访超期 {w['followups_overdue']['overdue']}/{w['followups_overdue']['of']} 起  "
                     f"110警情 {w['alerts']['received']} 起（转纠纷 {w['alerts']['to_disputes']} 起，"
                     f"重复报警地址 {w['alerts']['repeated_addresses']} 处）")
    return "\n".join(lines)


def logged_in(args: argparse.Namespace):
    """(database, actor) for commands that act as a person: protected databases log in."""
    from app.domain.rules import Actor
    from app.services.accounts import is_protected

    server = server_login(args)
    if server is not None:
        return server
    path = _target_path(args.db)
    db = open_existing(path, args.user) if not is_protected(path) else None
    if db is not None:  # an unprotected database has no accounts: the tool acts as administrator
        return db, Actor(None, "admin", "admin", account=args.user)
    return person_login(args, path)


def command_action(args: argparse.Namespace) -> str | None:
    """The POLICY action the log-in checks for this command (app.domain.permissions.COMMAND_ACTIONS)."""
    from app.domain.permissions import COMMAND_ACTIONS, SUBCOMMAND_ACTIONS

    return SUBCOMMAND_ACTIONS.get((args.command, getattr(args, "action", None)), COMMAND_ACTIONS[args.command])


def cmd_backup(args: argparse.Namespace) -> int:
    from app.domain.permissions import authorize
    from app.services.backup import make_backup

    db, actor = logged_in(args)
    refuse_server(db, *SERVER_BACKUPS)
    try:
        authorize(actor, "backup")
        from app.services.settings import backup_folder_for

        info = make_backup(db, "manual", folder=backup_folder_for(db))
    finally:
        db.close()
    print(f"已备份：{info.path}（{info.size / 1e6:.1f} MB，SHA-256 {info.sha256[:12]}…） "
          f"(backed up and verified: {info.path})")
    return EXIT_OK


def cmd_backups(args: argparse.Namespace) -> int:
    from app.services.backup import verify_all
    from app.services.settings import backup_folder_for

    db, _actor = logged_in(args)
    refuse_server(db, *SERVER_BACKUPS)
    key = db.key
    folder = backup_folder_for(db)  # the station's backup folder (系统设置), or backups/ beside it
    db.close()
    results = verify_all(folder, key=key)
    if not results:
        print("没有备份 (no backups)")
        return EXIT_OK
    for name, ok, problem in results:
        print(f"{'ok ' if ok else '坏 '} {name}" + ("" if ok else f"  {problem}"))
    bad = [r for r in results if not r[1]]
    return EXIT_PROBLEMS if bad else EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from app.domain.permissions import authorize
    from app.services import audit
    from app.services.backup import restore_backup

    path = _target_path(args.db)
    db, actor = logged_in(args)
    refuse_server(db, "服务器数据库从其 pg_dump 备份恢复（pg_restore），不在此恢复",
                  "a server database is restored from its pg_dump backups on the server, not here")
    key = db.key
    try:
        authorize(actor, "restore_backup")
    except BaseException:
        db.close()
        raise
    kept = restore_backup(db, Path(args.source), key=key)  # closes db; keeps the current state first
    from app.store import SqliteStore

    restored = SqliteStore(path, key=key)
    try:
        audit.record_event(restored, actor, "restore", detail={"from": str(args.source), "kept": str(kept)})
    finally:
        restored.close()
    print(f"已从备份恢复：{args.source}；恢复前的状态已保存在 {kept} (restored; the previous state is kept)")
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    import csv
    import os

    from app.domain.permissions import authorize
    from app.services import audit
    from app.spreadsheet import csv_value

    out = Path(args.out)
    db, actor = logged_in(args)
    try:
        authorize(actor, "view_audit")
        problems = audit.verify_chain(db)
        rows = audit.list_entries(db, limit=10_000_000)
        names = audit.officer_names(db)
        audit.record_event(db, actor, "export_audit", detail={"file": str(out), "rows": len(rows)})
    finally:
        db.close()
    tmp = out.with_name(out.name + ".tmp")
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["序号", "时间", "账户", "角色", "操作", "模块", "记录", "变更内容"])
        for r in reversed(rows):  # account names and details come from people: never a formula
            w.writerow([csv_value(c) for c in audit.entry_cells(r, names=names)])
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, out)
    print(f"审计日志已导出：{out}，{len(rows)} 条 (audit trail exported: {len(rows)} rows)")
    if problems:
        print(f"警告：哈希链有 {len(problems)} 个问题 (warning: the hash chain has problems):", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


#: Commands added by the feature modules in app/commands (filled by build_parser).
FEATURE_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init, "demo": cmd_demo, "check": cmd_check, "stats": cmd_stats,
    "backup": cmd_backup, "backups": cmd_backups, "restore": cmd_restore, "audit": cmd_audit,
}


def desktop_start(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments of a plain start of the desktop app (`python -m app`, `gui`, `gui --db PATH`,
    `gui --db=PATH`) as the parser gives them, read without building the parser: its sixty-odd
    commands take ≈ 60 ms to declare, before the window's frame can paint. Any other shape
    (help, abbreviations, repeated options, errors) is None and goes through the parser."""
    words = list(argv)
    if not words:
        return argparse.Namespace(command=None)
    if words[0] != "gui":
        return None
    if len(words) == 1:
        return argparse.Namespace(command="gui", db=None)
    if len(words) == 2 and words[1].startswith("--db="):
        return argparse.Namespace(command="gui", db=words[1][len("--db="):])
    if len(words) == 3 and words[1] == "--db" and not words[2].startswith("-"):
        return argparse.Namespace(command="gui", db=words[2])
    return None


def main(argv: Sequence[str] | None = None, run_gui: GuiRunner | None = None) -> int:
    """Run one command and return the exit status (never raises for an expected failure)."""
    words = list(sys.argv[1:] if argv is None else argv)
    args = desktop_start(words)
    if args is None:
        try:
            args = build_parser().parse_args(words)
        except UsageError as exc:
            print(_error_line(f"参数无效：{exc} (invalid arguments: {exc}; see {PROG} --help)"), file=sys.stderr)
            return EXIT_ERROR
        except SystemExit as exc:  # --help and --version print and stop
            return exc.code if isinstance(exc.code, int) else EXIT_OK
    command = args.command or "gui"
    try:
        if command == "gui":
            return cmd_gui(args, run_gui)
        return {**COMMANDS, **FEATURE_COMMANDS}[command](args)
    except StationError as exc:
        print(_error_line(exc), file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(_error_line(f"无法访问文件：{exc.filename or exc} (cannot access the file: {exc.strerror or exc})"),
              file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(_error_line("已中断 (interrupted)"), file=sys.stderr)
        return 130
    except Exception as exc:
        from sqlalchemy.exc import DBAPIError

        if not isinstance(exc, DBAPIError):
            raise  # a bug: keep its traceback
        from app.store.sqlite import storage_error  # a storage failure past the opening checks (locked, corrupt, full)

        print(_error_line(storage_error(exc)), file=sys.stderr)
        return EXIT_ERROR
