"""Setting up and running a station from the command line: `station`, `team`, `officer`, `account`,
`passwd` and `roster import`, through the same services and role checks as the window.

Every command logs in with `--user` (default admin) and STATION_PASSWORD; a new password comes
from NEW_PASSWORD or a prompt. An account still holding its one-time password may only run
`passwd` until it has chosen its own.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from app.errors import StationError, ValidationError

EXIT_OK, EXIT_NOTHING = 0, 1
ROLE_CHOICES = ("leader", "team_leader", "officer")


def register(sub) -> dict:
    from app.cli import account_options

    def db_options(p: argparse.ArgumentParser, what: str = "the administrator account") -> None:
        p.add_argument("--db", metavar="PATH", help="station database file (default: the user's database)")
        account_options(p, what)

    # station ---------------------------------------------------------------------------------
    st = sub.add_parser("station", help="the station's details and settings 派出所信息与设置",
                        description="Show or change the station's name, 12-digit organisation code 机构代码, branch "
                                    "office 分局, idle-lock minutes, backup folder and follow-up cadence. Changing "
                                    "is for the administrator.")
    st_sub = st.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = st_sub.add_parser("show", help="show the details and settings")
    db_options(p, "the account")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = st_sub.add_parser("set", help="change the details and settings (administrator)")
    db_options(p)
    p.add_argument("--name", help="station name 派出所名称")
    p.add_argument("--code", help="organisation code 机构代码 (12 digits)")
    p.add_argument("--branch", help="branch office 分局")
    p.add_argument("--idle-minutes", type=int, metavar="N", help="lock the window after N idle minutes (1-240)")
    p.add_argument("--backup-folder", metavar="DIR", help="folder for backups ('' = backups/ beside the database)")
    p.add_argument("--cadence", metavar="[MODULE.]LEVEL=DAYS", action="append",
                   help="follow-up cadence in days, station-wide (red=7) or for one module: case, dispute or "
                        "person (dispute.red=3); repeatable")

    # team ------------------------------------------------------------------------------------
    tm = sub.add_parser("team", help="teams 队组: add, list, rename, retire",
                        description="Add, list, rename or retire (撤销) the station's teams. Changing is for the "
                                    "administrator; a team is retired only when nobody active is left in it.")
    tm_sub = tm.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = tm_sub.add_parser("add", help="add a team")
    p.add_argument("name", metavar="NAME")
    db_options(p)
    p = tm_sub.add_parser("list", help="list the teams (retired ones too)")
    p.add_argument("--json", action="store_true")
    db_options(p, "the account")
    p = tm_sub.add_parser("rename", help="rename a team")
    p.add_argument("name", metavar="NAME")
    p.add_argument("new_name", metavar="NEW")
    db_options(p)
    p = tm_sub.add_parser("retire", help="retire an empty team")
    p.add_argument("name", metavar="NAME")
    db_options(p)

    # officer ---------------------------------------------------------------------------------
    of = sub.add_parser("officer", help="people 民警: add, list, move, records, retire",
                        description="The station's people. 'retire' hands every open record of the person to "
                                    "successors in one audited step: --to for all of them, --assign for single "
                                    "records (see 'officer records').")
    of_sub = of.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = of_sub.add_parser("add", help="add a person")
    p.add_argument("--name", required=True, help="name 姓名")
    p.add_argument("--team", help="team 队组 (not for station leaders)")
    p.add_argument("--role", required=True, choices=ROLE_CHOICES, help="station leader 所领导, team leader 队长 "
                                                                        "or officer 民警")
    p.add_argument("--badge", default="", help="badge number 警号")
    p.add_argument("--duty", default="", help="duty title 职务 as on the roster")
    p.add_argument("--auxiliary", action="store_true", help="assisting staff 辅警 (never the responsible officer)")
    p.add_argument("--phone", default="", help="mobile number 手机")
    db_options(p)
    p = of_sub.add_parser("list", help="list the people")
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true", help="include people who left")
    db_options(p, "the account")
    p = of_sub.add_parser("move", help="move a person to another team (their open records go with them)")
    p.add_argument("--name", required=True, help="name or badge number")
    p.add_argument("--team", required=True)
    db_options(p)
    p = of_sub.add_parser("records", help="the open records a person is responsible for")
    p.add_argument("--name", required=True, help="name or badge number")
    p.add_argument("--json", action="store_true")
    db_options(p, "the account")
    p = of_sub.add_parser("retire", help="a person leaves: hand over their open records, disable their account")
    p.add_argument("--name", required=True, help="name or badge number")
    p.add_argument("--to", help="who takes over every record not given with --assign")
    p.add_argument("--assign", metavar="MODULE:ID=NAME", action="append",
                   help="who takes over one record, e.g. case:12=刘洋 (repeatable)")
    db_options(p)

    # account ---------------------------------------------------------------------------------
    ac = sub.add_parser("account", help="accounts 账户: add, list, disable, enable, reset, unlock",
                        description="Log-in accounts (administrator). A new, re-enabled or reset account gets a "
                                    "one-time password (from NEW_PASSWORD, a prompt, or --generate) that its "
                                    "owner must change at the first log-in. Disabling removes the account's "
                                    "wrapped database key.")
    ac_sub = ac.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = ac_sub.add_parser("add", help="add an account")
    p.add_argument("--username", required=True)
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--officer", metavar="NAME", help="the person (name or badge number); the role is theirs")
    who.add_argument("--role", choices=("admin", "analyst"), help="an administrator or branch analyst")
    p.add_argument("--generate", action="store_true", help="generate the one-time password and print it once")
    db_options(p)
    p = ac_sub.add_parser("list", help="list the accounts with role, team and last log-in")
    p.add_argument("--json", action="store_true")
    db_options(p)
    for name, text in (("disable", "disable an account and remove its key"), ("unlock", "lift a lock-out")):
        p = ac_sub.add_parser(name, help=text)
        p.add_argument("username", metavar="USERNAME")
        db_options(p)
    for name, text in (("enable", "enable an account with a new one-time password"),
                       ("reset", "give an account a new one-time password")):
        p = ac_sub.add_parser(name, help=text)
        p.add_argument("username", metavar="USERNAME")
        p.add_argument("--generate", action="store_true", help="generate the password and print it once")
        db_options(p)

    # passwd ----------------------------------------------------------------------------------
    p = sub.add_parser("passwd", help="change your own password 修改密码",
                       description="Change the password of --user: the current one from STATION_PASSWORD, the new "
                                   "one from NEW_PASSWORD or a prompt (at least 8 characters).")
    db_options(p, "your account")

    # roster ----------------------------------------------------------------------------------
    ro = sub.add_parser("roster", help="import the roster 导入民警花名册 (.xlsx/.csv)",
                        description="Import the station's roster (民警花名册: 姓名, 警号, 所属中队/部门, 职务, 手机). "
                                    "Duty titles map to roles: 所长/教导员/副所长 → leader, 中队长/队长/警长 → "
                                    "team_leader, 民警 → officer, 辅警 → assisting staff. Other titles are rejected "
                                    "by row until mapped with --duty TITLE=ROLE. Teams are created. One transaction; "
                                    "the same file twice adds nothing. Exit 0 when people were added, 1 when none.")
    ro_sub = ro.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = ro_sub.add_parser("import", help="import a roster file")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="preview: report every row, write nothing 预览")
    p.add_argument("--duty", metavar="TITLE=ROLE", action="append",
                   help="map a duty title: ROLE is leader, team_leader, officer or auxiliary (repeatable)")
    p.add_argument("--rejects", metavar="FILE", help="write the rejected rows here (.xlsx or .csv) with the reason")
    p.add_argument("--accounts", metavar="SLIPS",
                   help="also create an account (user name = badge number) with a one-time password for each "
                        "person imported, and write the password slips to this text file for printing")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    db_options(p)
    return {"station": cmd_station, "team": cmd_team, "officer": cmd_officer, "account": cmd_account,
            "passwd": cmd_passwd, "roster": cmd_roster}


# -- opening ---------------------------------------------------------------------------------------
def _path(args: argparse.Namespace) -> Path:
    if args.db:
        return Path(args.db)
    from app.store.paths import default_db_path

    return default_db_path()


def _open(args: argparse.Namespace, allow_one_time: bool = False):
    """(database, actor): a protected database logs in as --user; an unprotected one (tests and
    tools) acts as its administrator. A one-time password must be changed first."""
    from app.cli import command_action, open_existing, read_password, refuse_one_time
    from app.domain.rules import Actor
    from app.services.accounts import is_protected, login
    from app.store.paths import is_url

    if is_url(args.db or ""):  # a station server: the account logs in as its own PostgreSQL user
        from app.server.setup import open_console

        logged = open_console(args.db, args.user, read_password, command_action(args))
    else:
        path = _path(args)
        logged = login(path, args.user, read_password(), action=command_action(args)) \
            if path.exists() and is_protected(path) else None
    if logged is not None:
        if not allow_one_time:
            refuse_one_time(logged, args.user)
        return logged.db, logged.actor
    return open_existing(_path(args), args.user), Actor(None, "系统管理员", "admin", account="system")


def read_new_password(prompt: str = "新密码 (new password): ") -> str:
    """NEW_PASSWORD, or a prompt (typed twice) when a person is at a terminal."""
    value = os.environ.get("NEW_PASSWORD")
    if value:
        return value
    if not sys.stdin.isatty():
        raise ValidationError("需要新密码：请设置环境变量 NEW_PASSWORD 或使用 --generate",
                              "a new password is needed: set NEW_PASSWORD (or use --generate)", "password")
    import getpass

    value = getpass.getpass(prompt)
    if getpass.getpass("再次输入 (again): ") != value:
        raise ValidationError("两次输入的密码不一致", "the two passwords differ", "password")
    return value


def _print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=1, default=str))


def _print_password(new) -> None:
    print(f"账户 {new.username}（{new.display_name}）的初始密码：{new.password}")
    print("  首次登录后须修改；此密码只显示这一次。 (one-time password, shown once; to be changed at first log-in)")


# -- station ---------------------------------------------------------------------------------------
def cmd_station(args: argparse.Namespace) -> int:
    from app.services import org, settings as S

    db, actor = _open(args)
    try:
        if args.action == "set":
            changed = False
            if any(v is not None for v in (args.name, args.code, args.branch)):
                org.update_station(db, actor, name=args.name, code=args.code, branch_name=args.branch)
                changed = True
            if args.idle_minutes is not None:
                S.set_idle_minutes(db, actor, args.idle_minutes)
                changed = True
            if args.backup_folder is not None:
                S.set_backup_folder(db, actor, args.backup_folder)
                changed = True
            for item in args.cadence or []:
                target, _, days = item.partition("=")
                module, _, level = target.strip().rpartition(".")
                if not days.strip().isdigit() or level not in ("red", "orange", "yellow") \
                        or module not in ("", "case", "dispute", "person"):
                    raise ValidationError(f"跟进周期应写成 [模块.]等级=天数，如 red=7 或 dispute.red=3：{item[:30]}",
                                          f"a cadence is [MODULE.]LEVEL=DAYS, e.g. red=7 or dispute.red=3: {item[:30]}",
                                          "cadence")
                S.set_cadence(db, actor, level, int(days), module or None)
                changed = True
            if not changed:
                raise ValidationError("没有要修改的内容（见 --help）", "nothing to change (see --help)", "station")
            print("已保存 (saved)")
        info, conf = org.station_info(db), S.station_settings(db)
        cadence = {m.value: {lvl.value: days for lvl, days in c.items() if days}
                   for m, c in conf.cadence_by_module.items()}
        if getattr(args, "json", False):
            _print_json({"name": info.name, "code": info.code, "branch": info.branch_name, "demo": info.is_demo,
                         "idle_minutes": conf.idle_minutes, "backup_folder": conf.backup_folder,
                         "cadence": cadence, "database": str(db.path)})
        else:
            print(f"派出所：{info.name}  机构代码：{info.code}  分局：{info.branch_name or '-'}")
            print(f"自动锁定：{conf.idle_minutes}分钟  备份文件夹：{conf.backup_folder or '数据库旁的 backups/'}")
            for m, c in cadence.items():
                print(f"跟进周期（{m}）：" + "  ".join(f"{k}={v}天" for k, v in c.items()))
            print(f"数据库：{db.path}")
    finally:
        db.close()
    return EXIT_OK


# -- team ------------------------------------------------------------------------------------------
def cmd_team(args: argparse.Namespace) -> int:
    from app.services import org

    db, actor = _open(args)
    try:
        if args.action == "add":
            org.add_team(db, args.name, actor=actor)
            print(f"已新建队组：{args.name.strip()} (team added)")
        elif args.action == "rename":
            org.rename_team(db, actor, org.team_id_by_name(db, args.name), args.new_name)
            print(f"队组已改名：{args.name} → {args.new_name.strip()} (team renamed)")
        elif args.action == "retire":
            org.retire_team(db, actor, org.team_id_by_name(db, args.name))
            print(f"队组已撤销：{args.name} (team retired)")
        else:
            rows = org.team_rows(db)
            if args.json:
                _print_json([{"id": r.id, "name": r.name, "active": r.active, "people": r.people,
                              "team_leader": r.team_leader} for r in rows])
            else:
                for r in rows:
                    print(f"{r.name}\t{r.people}人\t队长：{r.team_leader or '-'}" + ("" if r.active else "\t已撤销"))
    finally:
        db.close()
    return EXIT_OK


# -- officer ---------------------------------------------------------------------------------------
def _parse_assignments(db, items: list[str] | None) -> dict[tuple[str, int], int]:
    from app.services import org

    out = {}
    for item in items or []:
        target, _, name = item.partition("=")
        module, _, rid = target.partition(":")
        if module not in ("case", "dispute", "person") or not rid.strip().isdigit() or not name.strip():
            raise ValidationError(f"--assign 应写成 模块:编号=姓名（如 case:12=刘洋）：{item[:40]}",
                                  f"--assign is MODULE:ID=NAME, e.g. case:12=刘洋: {item[:40]}", "assign")
        out[(module, int(rid))] = org.officer_id_by_name(db, name)
    return out


def cmd_officer(args: argparse.Namespace) -> int:
    from app.domain.levels import ROLE_NAMES
    from app.services import org

    db, actor = _open(args)
    try:
        if args.action == "add":
            team = org.team_id_by_name(db, args.team) if args.team else None
            org.add_officer(db, args.name, args.role, team, args.badge, actor=actor, duty=args.duty,
                            auxiliary=args.auxiliary, phone=args.phone)
            print(f"已添加：{args.name.strip()}（{ROLE_NAMES[args.role][0]}） (added)")
        elif args.action == "move":
            org.move_officer(db, actor, org.officer_id_by_name(db, args.name), org.team_id_by_name(db, args.team))
            print(f"{args.name} 已调至 {args.team} (moved)")
        elif args.action == "records":
            rows = org.open_records_of(db, org.officer_id_by_name(db, args.name))
            if args.json:
                _print_json([{"module": r.module, "id": r.id, "label": r.label, "level": r.level, "slot": r.slot}
                             for r in rows])
            else:
                for r in rows:
                    print(f"{r.module}:{r.id}\t{r.label}\t{r.level}\t{r.slot}")
                print(f"共{len(rows)}条在办记录 ({len(rows)} open records)")
        elif args.action == "retire":
            oid = org.officer_id_by_name(db, args.name)
            to = org.officer_id_by_name(db, args.to) if args.to else None
            count = len(org.open_records_of(db, oid))
            org.retire_officer(db, actor, oid, to, _parse_assignments(db, args.assign))
            print(f"{args.name} 已离岗，{count}条在办记录已移交，账户已停用 (retired; {count} open records handed over)")
        else:
            rows = org.list_officers(db, include_retired=args.all)
            if args.json:
                _print_json([{"id": r.id, "name": r.name, "role": r.role, "team": r.team_name, "badge_no": r.badge_no,
                              "duty": r.duty, "auxiliary": r.auxiliary, "active": r.active} for r in rows])
            else:
                for r in rows:
                    role = "辅警" if r.auxiliary else ROLE_NAMES[r.role][0]
                    print(f"{r.name}\t{r.badge_no or '-'}\t{role}\t{r.team_name or '-'}" + ("" if r.active else "\t已离岗"))
    finally:
        db.close()
    return EXIT_OK


# -- account ---------------------------------------------------------------------------------------
def cmd_account(args: argparse.Namespace) -> int:
    from app.domain.permissions import ROLE_LABELS
    from app.services import accounts as A, org

    db, actor = _open(args)
    try:
        if args.action == "add":
            password = None if args.generate else read_new_password("初始密码 (one-time password): ")
            oid = org.officer_id_by_name(db, args.officer) if args.officer else None
            new = A.create_account(db, actor, args.username, officer_id=oid, role=args.role, password=password)
            print(f"已新建账户：{new.username}（{ROLE_LABELS[new.role][0]}） (account added)")
            if new.generated:
                _print_password(new)
        elif args.action in ("enable", "reset"):
            password = None if args.generate else read_new_password("初始密码 (one-time password): ")
            call = A.enable_account if args.action == "enable" else A.reset_password
            new = call(db, actor, args.username, password)
            print(f"账户 {new.username} 已{'启用' if args.action == 'enable' else '重置密码'} (done)")
            if new.generated:
                _print_password(new)
        elif args.action == "disable":
            A.disable_account(db, actor, args.username)
            print(f"账户 {args.username} 已停用，其数据库密钥已删除 (disabled; its key entry is removed)")
        elif args.action == "unlock":
            was = A.unlock_account(db, actor, args.username)
            print(f"账户 {args.username} {'已解锁' if was else '未被锁定'} ({'unlocked' if was else 'was not locked'})")
        else:
            from app.domain.permissions import authorize

            authorize(actor, "manage_accounts")
            rows = A.account_rows(db)
            if args.json:
                _print_json([{"username": r.username, "name": r.display_name, "role": r.role,
                              "officer": r.officer_name, "team": r.team_name, "active": r.active,
                              "last_login_at": r.last_login_at, "must_change_password": r.must_change_password,
                              "locked_until": r.locked_until} for r in rows])
            else:
                for r in rows:
                    state = "启用" if r.active else "停用"
                    if r.locked_until:
                        state += f"，锁定至{r.locked_until[11:16]}"
                    last = r.last_login_at.strftime("%Y-%m-%d %H:%M") if r.last_login_at else "从未登录"
                    print(f"{r.username}\t{r.display_name}\t{ROLE_LABELS[r.role][0]}\t{r.team_name or '-'}\t"
                          f"{state}\t{last}")
    finally:
        db.close()
    return EXIT_OK


def cmd_passwd(args: argparse.Namespace) -> int:
    from app.cli import read_password
    from app.services import accounts as A

    old = read_password()
    db, actor = _open(args, allow_one_time=True)
    try:
        A.change_password(db, actor, args.user, old, read_new_password())
    finally:
        db.close()
    print(f"账户 {args.user} 的密码已修改 (password changed)")
    return EXIT_OK


# -- roster ----------------------------------------------------------------------------------------
def cmd_roster(args: argparse.Namespace) -> int:
    from app.ledger import roster as RO
    from app.services import accounts as A, org

    source = Path(args.file)
    if not source.exists():
        raise ValidationError(f"花名册文件不存在：{source}", f"roster file not found: {source}", "file")
    duty_map = RO.parse_duty_map(args.duty)
    db, actor = _open(args)
    created, skipped = [], []
    try:
        report = RO.import_roster(db, actor, source, duty_map, dry_run=args.dry_run)
        written = RO.write_rejects(report, args.rejects) if args.rejects else None
        if args.accounts and not args.dry_run:
            for r in report.imported:
                badge = next((o.badge_no for o in org.list_officers(db) if o.id == r.officer_id), "")
                if not badge:
                    skipped.append(f"{r.name}（无警号）")
                    continue
                try:
                    created.append(A.create_account(db, actor, badge, officer_id=r.officer_id))
                except StationError as exc:  # the user name is taken: the others still get theirs
                    skipped.append(f"{r.name}（{exc.zh}）")
            slips = RO.write_slips(created, args.accounts, org.station_info(db).name) if created else None
        else:
            slips = None
    finally:
        db.close()
    if args.json:
        _print_json({"file": str(source), "sheet": report.sheet, "header_line": report.header_line,
                     "dry_run": report.dry_run,
                     "counts": {k: report.count(k) for k in ("imported", "present", "rejected", "skipped")},
                     "rows": [{"line": r.line, "outcome": r.outcome, "name": r.name, "reason": r.reason,
                               "role": r.role, "auxiliary": r.auxiliary, "team": r.team} for r in report.rows],
                     "teams_created": report.teams_created, "rejects_file": str(written) if written else None,
                     "accounts": [a.username for a in created], "slips_file": str(slips) if slips else None})
    else:
        print(f"{source.name}（工作表 {report.sheet}，表头在第{report.header_line}行）")
        for r in report.rows:
            outcome = "可导入" if report.dry_run and r.outcome == "imported" else r.outcome_zh
            print(f"  第{r.line}行  {outcome}  {r.name}  {r.reason}".rstrip())
        print(report.summary())
        print(f"({report.summary_en()})")
        if written:
            print(f"未导入的行已写入：{written}（修改后可再次导入） (rejected rows written to {written})")
        if slips:
            print(f"已为{len(created)}人新建账户，初始密码条已写入：{slips}（打印分发后请删除此文件） "
                  f"({len(created)} accounts; password slips written to {slips})")
        if skipped:
            print(f"未建账户：{'、'.join(skipped)} (no account made for these)")
    return EXIT_OK if report.imported else EXIT_NOTHING
