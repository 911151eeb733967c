"""Commands for packages to the branch office: station-key, export, receipt at a station;
branch-init, trust-station, import, branch-status, branch-receipt at the branch (分局)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.errors import ValidationError

DB_HELP = "branch database: a file path (SQLite) or a postgresql:// URL"


def register(sub) -> dict:
    from app.cli import account_options

    p = sub.add_parser("station-key", help="write the station's public key file 导出派出所公钥",
                       description="Write the station's public signing key (created on first use) to a file the "
                                   "branch office imports with trust-station. Compare the fingerprint by phone.")
    p.add_argument("--db", metavar="PATH", required=True, help="station database file")
    p.add_argument("--out", metavar="FILE", required=True, help="the public key file to write (station.pub)")
    account_options(p)

    p = sub.add_parser("export", help="export a package for the branch office 导出数据包",
                       description="Run the data-quality check, then write a signed package, encrypted for the "
                                   "registered branch office, of everything changed since the branch's last "
                                   "acknowledged package (or everything, with --full).")
    p.add_argument("--db", metavar="PATH", required=True, help="station database file")
    p.add_argument("--out", metavar="FILE", required=True, help="the package file, or a folder for it")
    p.add_argument("--full", action="store_true", help="a full snapshot instead of the changes")
    p.add_argument("--force", action="store_true", help="export although the data-quality check blocks it "
                                                        "(the package says so)")
    p.add_argument("--branch-key", metavar="FILE", help="the branch's public key file (branch.pub); remembered")
    account_options(p)

    p = sub.add_parser("receipt", help="read the branch's receipts 读取分局回执",
                       description="Check each receipt's signature and mark the packages it names acknowledged "
                                   "(or rejected, with the branch's reason).")
    p.add_argument("--db", metavar="PATH", required=True, help="station database file")
    p.add_argument("files", metavar="FILE", nargs="+", help="receipt files (*.receipt.json)")
    account_options(p)

    p = sub.add_parser("branch-init", help="make a branch database 创建分局数据库",
                       description="Create a branch database (a new SQLite file, protected with an administrator "
                                   "account unless --unprotected, or a postgresql:// URL) and its identity keys; "
                                   "write the public key file the stations export to.")
    p.add_argument("--db", metavar="PATH_OR_URL", required=True, help=DB_HELP)
    p.add_argument("--name", metavar="NAME", default="分局", help="the branch office's name 分局名称")
    p.add_argument("--out", metavar="FILE", required=True, help="the public key file to write (branch.pub)")
    p.add_argument("--unprotected", action="store_true", help="a plain SQLite file without accounts (tests)")
    p.add_argument("--role-prefix", metavar="NAME",
                   help="on PostgreSQL: the prefix of the branch's roles (default: the database name); "
                        "an existing PostgreSQL branch without accounts gets them, keeping its keys and data")
    account_options(p, "the administrator account to create")

    p = sub.add_parser("trust-station", help="trust a station's key 信任派出所公钥",
                       description="Accept packages signed with the key in a station's public key file "
                                   "(made by station-key). --revoke stops accepting a station.")
    p.add_argument("--db", metavar="PATH_OR_URL", required=True, help=DB_HELP)
    p.add_argument("file", metavar="FILE", nargs="?", help="the station's public key file")
    p.add_argument("--revoke", metavar="UUID", help="revoke the station with this uuid instead")
    account_options(p)

    p = sub.add_parser("import", help="import packages at the branch 导入数据包",
                       description="Verify each package (encryption, signature, checksums, versions, ownership) "
                                   "before touching the database, then apply it in one transaction; write a "
                                   "signed receipt for the station. Exit 1 if any package was rejected.")
    p.add_argument("--db", metavar="PATH_OR_URL", required=True, help=DB_HELP)
    p.add_argument("files", metavar="FILE", nargs="+", help="package files (*.stpkg)")
    p.add_argument("--receipts", metavar="DIR", help="folder for the receipts (default: beside each package)")
    p.add_argument("--accept-gap", action="store_true",
                   help="apply a package whose base package never arrived (after waiting for it)")
    account_options(p)

    p = sub.add_parser("branch-import-service", help="apply the accounts' imports at a PostgreSQL branch 分局导入服务",
                       description="Run on the server as the branch database's owner: apply each package the "
                                   "branch's accounts import (they write no records themselves) until stopped "
                                   "(Ctrl-C or SIGTERM).")
    p.add_argument("--db", metavar="URL", required=True, help="the branch: postgresql://OWNER@HOST/DB")

    p = sub.add_parser("branch-status", help="per-station freshness at the branch 各所数据新鲜度",
                       description="For each station: last package, sequence, missing packages, record counts.")
    p.add_argument("--db", metavar="PATH_OR_URL", required=True, help=DB_HELP)
    account_options(p)

    p = sub.add_parser("branch-receipt", help="reissue a station's receipt 重新生成回执",
                       description="Write a receipt listing every package of one station the branch holds.")
    p.add_argument("--db", metavar="PATH_OR_URL", required=True, help=DB_HELP)
    p.add_argument("--station", metavar="UUID_OR_CODE", required=True)
    p.add_argument("--out", metavar="FILE", required=True)
    account_options(p)
    return {"station-key": cmd_station_key, "export": cmd_export, "receipt": cmd_receipt,
            "branch-init": cmd_branch_init, "trust-station": cmd_trust, "import": cmd_import,
            "branch-status": cmd_branch_status, "branch-receipt": cmd_branch_receipt,
            "branch-import-service": cmd_import_service}


def _station(args):
    from app.cli import logged_in

    return logged_in(args)


def _branch(args):
    """(database, actor) for a branch path or URL. On PostgreSQL the account logs in as its own
    database role (postgresql://HOST/DB with --user, or postgresql://PREFIX.USER@HOST/DB)."""
    from app.store.paths import is_url

    if is_url(args.db):
        from app.cli import command_action, read_password, refuse_one_time
        from app.server.setup import open_console

        done = open_console(args.db, args.user, read_password, command_action(args))
        refuse_one_time(done, args.user)
        return done.db, done.actor
    return _station(args)


def cmd_station_key(args: argparse.Namespace) -> int:
    from app.store.fileio import write_verified
    from app.sync import keys as K

    db, actor = _station(args)
    try:
        if db.is_branch():
            raise ValidationError("这是分局数据库，没有派出所签名密钥", "this is a branch database; it has no station key", "db")
        ident = K.station_identity(db, actor)
    finally:
        db.close()
    write_verified(Path(args.out), ident.to_json().encode("utf-8"))
    print(f"派出所公钥已写入：{args.out}（{ident.name}，指纹 {K.fingerprint(ident.sign_key)}） "
          f"(station public key written; fingerprint {K.fingerprint(ident.sign_key)})")
    return 0


def _print_issues(issues) -> None:
    for i in issues:
        mark = "阻止" if i.severity == "block" else "警告"
        print(f"  [{mark} {i.severity}] {i.zh} ({i.en})", file=sys.stderr)


def cmd_export(args: argparse.Namespace) -> int:
    from app.domain.permissions import authorize
    from app.sync import keys as K
    from app.sync.errors import ExportBlocked
    from app.sync.export import export_package, quality_check

    db, actor = _station(args)
    try:
        authorize(actor, "export")  # before the branch key is registered: a refused export changes nothing
        if args.branch_key:
            ident = K.read_identity_file(Path(args.branch_key), "branch")
            if K.register_branch(db, actor, ident):
                print(f"已登记分局：{ident.name}（指纹 {K.fingerprint(ident.box_key)}） (branch registered)")
        issues = quality_check(db)
        if issues:
            print("数据质量检查 (data-quality check):", file=sys.stderr)
            _print_issues(issues)
        try:
            res = export_package(db, actor, Path(args.out), full=args.full, force=args.force, issues=issues)
        except ExportBlocked:
            print("可修正上述问题后重试，或使用 --force 强制导出 (fix the problems above, or use --force)",
                  file=sys.stderr)
            raise
    finally:
        db.close()
    what = "完整数据包" if res.kind == "full" else f"增量数据包（基于第 {res.base_seq} 号）"
    print(f"已导出{what}：{res.path}，序号 {res.seq}，{res.changes} 条变更，{res.size / 1e6:.2f} MB，"
          f"已读回校验 (exported {res.kind} package seq {res.seq}: {res.changes} changes, verified after writing; "
          f"{res.seconds:.1f} s)")
    return 0


def cmd_receipt(args: argparse.Namespace) -> int:
    from app.errors import StationError
    from app.sync.receipt import apply_receipt

    db, actor = _station(args)
    failed = 0
    try:
        for f in args.files:
            try:
                s = apply_receipt(db, actor, Path(f))
            except StationError as exc:  # one bad or foreign receipt does not stop the others
                failed += 1
                print(f"错误 {f}: {exc}", file=sys.stderr)
                continue
            print(f"{f}: 确认 {list(s.acknowledged)}，拒绝 {[seq for seq, _ in s.rejected]} "
                  f"(acknowledged {list(s.acknowledged)}, rejected {[seq for seq, _ in s.rejected]})")
            for seq, reason in s.rejected:
                print(f"  第 {seq} 号被分局拒绝 (package {seq} rejected): {reason}", file=sys.stderr)
    finally:
        db.close()
    return 1 if failed else 0


def cmd_branch_init(args: argparse.Namespace) -> int:
    from app.domain.rules import Actor
    from app.store.fileio import write_verified
    from app.store.paths import is_url
    from app.store.postgres import PgStore
    from app.sync import keys as K

    actor = Actor(None, args.user, "admin", account=args.user)
    if is_url(args.db):  # as the database's owner: the branch's accounts are its database roles
        from app.cli import read_password
        from app.server.setup import create_branch_server

        address = create_branch_server(args.db, args.user, read_password(
            "管理员密码 (administrator password): ", confirm=True), prefix=args.role_prefix,
            make_branch=lambda db: K.init_branch(db, actor, args.name))
        owner = PgStore(args.db)
        try:
            ident = K.branch_keys(owner).identity
        finally:
            owner.close()
        write_verified(Path(args.out), ident.to_json().encode("utf-8"))
        print(f"分局数据库已建立账户：{address.shown}，管理员 PostgreSQL 用户名 {address.names.login(args.user)}；"
              f"公钥文件 {args.out}（指纹 {K.fingerprint(ident.box_key)}） "
              f"(branch database on the server with accounts as roles; give {args.out} to the stations)")
        return 0
    else:
        from app.cli import read_password, refuse_existing
        from app.services.accounts import create_protected_database
        from app.store import SqliteStore

        path = Path(args.db)
        refuse_existing(path)
        if args.unprotected:
            db = SqliteStore(path, create=True)
        else:
            db = create_protected_database(path, read_password("管理员密码 (administrator password): ", confirm=True),
                                           args.user)
    try:
        ident = K.init_branch(db, actor, args.name)
    finally:
        db.close()
    write_verified(Path(args.out), ident.to_json().encode("utf-8"))
    print(f"分局数据库已创建：{args.db}；公钥文件 {args.out}（指纹 {K.fingerprint(ident.box_key)}） "
          f"(branch database created; give {args.out} to the stations)")
    return 0


def cmd_trust(args: argparse.Namespace) -> int:
    from app.sync import keys as K

    if not args.file and not args.revoke:
        raise ValidationError("请给出派出所公钥文件或 --revoke", "give a station public key file or --revoke", "file")
    db, actor = _branch(args)
    try:
        if args.revoke:
            K.revoke_station(db, actor, args.revoke)
            print(f"已吊销 (revoked): {args.revoke}")
            return 0
        ident = K.read_identity_file(Path(args.file), "station")
        outcome = K.trust_station(db, actor, ident)
    finally:
        db.close()
    zh = {"added": "已信任", "unchanged": "早已信任", "replaced": "已更换公钥"}[outcome]
    print(f"{zh}：{ident.name}（{ident.code}），指纹 {K.fingerprint(ident.sign_key)} ({outcome})")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from app.sync.importer import import_files

    db, actor = _branch(args)
    try:
        results = import_files(db, actor, [Path(f) for f in args.files], allow_missing_base=args.accept_gap,
                               receipts_dir=Path(args.receipts) if args.receipts else None)
    finally:
        db.close()
    bad = 0
    for r in results:
        if r.status == "rejected":
            bad += 1
            print(f"拒绝 {r.file}: {r.zh} ({r.en})", file=sys.stderr)
        else:
            changed = sum(v for k, v in r.counts.items() if k != "audit")
            print(f"{'导入' if r.status == 'applied' else '重复'} {r.file}: {r.station_name} 第 {r.seq} 号，"
                  f"{changed} 条变更，{r.skipped} 条已有更新版本 — {r.zh} ({r.en})")
    return 1 if bad else 0


def cmd_import_service(args: argparse.Namespace) -> int:
    import signal
    import threading

    from app.store.paths import is_url
    from app.store.postgres import PgStore
    from app.sync.service import serve_imports

    if not is_url(args.db):
        raise ValidationError("导入服务只用于PostgreSQL分局（postgresql://…）",
                              "the import service is for a PostgreSQL branch (postgresql://…)", "db")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def said(r) -> None:
        print(f"{r.status} {r.file}: {r.station_name} {r.seq or ''} — {r.zh} ({r.en})", flush=True)

    db = PgStore(args.db)
    try:
        print(f"分局导入服务运行中：{db.title}（Ctrl-C 停止） (import service running; Ctrl-C stops it)", flush=True)
        serve_imports(db, stop, said)
    except KeyboardInterrupt:
        pass
    finally:
        db.close()
    return 0


def cmd_branch_status(args: argparse.Namespace) -> int:
    from app.services.workflow_figures import figures_by_station
    from app.sync.branch import branch_freshness

    db, _actor = _branch(args)
    try:
        rows = branch_freshness(db)
        work = figures_by_station(db)
    finally:
        db.close()
    if not rows:
        print("尚无派出所 (no stations yet)")
    for f in rows:
        flag = "" if f.trusted and not f.revoked else ("（已吊销 revoked）" if f.revoked else "（未信任 untrusted）")
        print(f"{f.name or f.station_uuid[:8]} {f.code}{flag}: {f.text('zh')} | {f.text('en')} | "
              f"案件 {f.records['case']} 纠纷 {f.records['dispute']} 人员 {f.records['person']}")
        w = work.get(f.station_uuid)
        if w is not None:
            print("  " + workflow_line(w))
    return 0


def workflow_line(w: dict) -> str:
    """One station's seed-workflow figures on one console line (branch-status)."""
    counts = w["zero"]["counts"]
    events = "、".join(f"零{zh}" if counts.get(k, 0) == 0 else f"{zh} {counts[k]} 起"
                      for k, zh in (("lost_control", "失控"), ("petition", "非访"), ("trouble", "滋事")))
    return (f"{events}；核查超期 {w['checks_overdue']['overdue']}/{w['checks_overdue']['of']} 人，"
            f"移交答复超期 {w['answers_overdue']['overdue']} 起，回访超期 {w['followups_overdue']['overdue']} 起，"
            f"110警情 {w['alerts']['received']} 起")


def cmd_branch_receipt(args: argparse.Namespace) -> int:
    from sqlalchemy import or_, select

    from app.sync.receipt import reissue_receipt
    from models import TrustedStation

    db, _actor = _branch(args)
    try:
        with db.read() as session:
            u = session.scalar(select(TrustedStation.uuid).where(or_(TrustedStation.uuid == args.station,
                                                                     TrustedStation.code == args.station)))
        if u is None:
            raise ValidationError(f"未找到该派出所：{args.station}", f"no such station: {args.station}", "station")
        reissue_receipt(db, u, Path(args.out))
    finally:
        db.close()
    print(f"回执已写入 (receipt written): {args.out}")
    return 0
