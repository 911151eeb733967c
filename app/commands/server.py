"""Commands for a station server on PostgreSQL: server-move (a station file onto a server),
server-cert (the server's TLS certificate), server-backup (a verified pg_dump), server-upgrade (the
schema after a new version of the program, with its rights rules applied again). A new station on a
server is made by `init --db postgresql://OWNER@HOST/DATABASE`."""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from app.errors import ValidationError


def register(sub) -> dict:
    from app.cli import account_options

    p = sub.add_parser("server-move", help="move a station file to a station server 迁移到派出所服务器",
                       description="Copy everything in a station file (records, history, accounts, audit chain, "
                                   "keys, receipts) to an empty database on a PostgreSQL server, verify the copy "
                                   "(rows and a SHA-256 per table, the audit chain) before reporting success, and "
                                   "leave the file untouched. Administrator of the file. The other accounts get "
                                   "one-time passwords, printed once.")
    p.add_argument("--db", metavar="PATH", required=True, help="the station file")
    p.add_argument("--to", metavar="URL", required=True,
                   help="the server database, as its owner: postgresql://OWNER[:PASSWORD]@HOST[:PORT]/DATABASE "
                        "(the owner's password may also come from PGPASSWORD)")
    p.add_argument("--role-prefix", metavar="NAME", help="the station's role prefix (default: the database name)")
    account_options(p, "the file's administrator account")

    p = sub.add_parser("server-cert", help="make the station server's TLS certificate 生成服务器证书",
                       description="Write server.crt and server.key (ECDSA P-256, self-signed, 10 years) into the "
                                   "PostgreSQL data folder and print the SHA-256 fingerprint that workstations "
                                   "confirm once at set-up. Then set ssl = on in postgresql.conf and use hostssl "
                                   "lines with scram-sha-256 in pg_hba.conf.")
    p.add_argument("--dir", metavar="FOLDER", required=True, help="the PostgreSQL data folder")
    p.add_argument("names", metavar="NAME", nargs="+", help="the server's host names and IP addresses")

    p = sub.add_parser("server-backup", help="back up the station server 服务器备份 (pg_dump, verified)",
                       description="Dump the station server's database (one snapshot), restore it into a scratch "
                                   "database and compare every table before keeping it; thin the folder as file "
                                   "stations are thinned (7 daily, 4 weekly, 12 monthly). Run as the database's "
                                   "owner, e.g. nightly from cron or the Windows Task Scheduler.")
    p.add_argument("--server", metavar="URL", required=True, help="the server database, as its owner")
    p.add_argument("--dir", metavar="FOLDER", required=True, help="the backup folder")
    p.add_argument("--kind", choices=("daily", "manual"), default="manual")

    p = sub.add_parser("server-upgrade", help="upgrade the server's schema 升级服务器数据库结构",
                       description="As the database's owner, after installing a new version of the program: "
                                   "migrate the station (or branch) server's schema in one transaction and, in the "
                                   "same transaction, apply its rights rules again, so a table the new version adds "
                                   "is covered before any workstation uses it. Accounts cannot upgrade the schema.")
    p.add_argument("--server", metavar="URL", required=True, help="the server database, as its owner")
    return {"server-move": cmd_server_move, "server-cert": cmd_server_cert, "server-backup": cmd_server_backup,
            "server-upgrade": cmd_server_upgrade}


def _url(value: str) -> str:
    from app.store.paths import is_url

    if not is_url(value):
        raise ValidationError(f"需要 postgresql:// 地址：{value}", f"a postgresql:// URL is needed: {value}", "url")
    return value


def cmd_server_move(args: argparse.Namespace) -> int:
    from app.cli import read_password
    from app.server.move import move_to_server

    url = _url(args.to)
    result = move_to_server(Path(args.db), url, args.user, read_password(),
                            prefix=args.role_prefix, progress=lambda m: print(f"  {m}"))
    print(f"已迁移到服务器并校验 (moved and verified): {result.address.shown}")
    print(f"  审计日志链头 (audit chain head): {result.audit_head[0]} {result.audit_head[1][:16]}…")
    for c in result.tables:
        print(f"  {c.table:<18} {c.rows:>8}  {c.digest[:16]}…")
    print(f"  角色前缀 (role prefix): {result.address.prefix}；登录名 (PostgreSQL users): "
          f"{result.address.prefix}.<用户名>")
    if result.passwords:
        print("一次性密码，仅显示一次，首次登录时须修改 (one-time passwords, shown once):")
        for p in result.passwords:
            print(f"  {p.username:<16} {p.password}")
    print(f"原文件未改动 (the file is unchanged): {args.db}")
    return 0


def cmd_server_cert(args: argparse.Namespace) -> int:
    from app.server.tls import make_server_certificate

    cert = make_server_certificate(Path(args.dir), list(args.names))
    print(f"已生成 (written): {cert.cert_path}  {cert.key_path}")
    print(f"证书指纹 SHA-256 (fingerprint, compare at every workstation's set-up):\n  {cert.fingerprint}")
    if os.name != "nt":
        print("提示 (hint): the key must belong to the server's user (chown postgres) and stay mode 0600")
    return 0


def cmd_server_backup(args: argparse.Namespace) -> int:
    from app.server.backup import backup_server

    done = backup_server(_url(args.server), Path(args.dir), args.kind)
    print(f"已备份并恢复校验 (backed up, restore-verified): {done.path}  sha256 {done.sha256[:16]}…")
    return 0


def cmd_server_upgrade(args: argparse.Namespace) -> int:
    from app.server.setup import upgrade_server

    before, after = upgrade_server(_url(args.server))
    if before == after:
        print(f"数据库结构已是最新 (the schema is up to date): {after}")
    else:
        print(f"已升级并重新设置权限 (upgraded, rights applied again): {before} -> {after}")
    return 0
