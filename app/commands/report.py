"""`python -m app report NAME --period P --out FILE.xlsx|FILE.pdf`: one report of the pack in one step.

Excel is written here (openpyxl, Qt-free). PDF needs Qt's text layout and PDF writer, so the
handler imports ui.reports.pdf when, and only when, a .pdf is asked for: like app.__main__ starting
the GUI, this command is a composition root (the import contracts list it as an exception).
"""
from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from app.errors import ValidationError

SUFFIXES = (".xlsx", ".pdf")


def register(sub) -> dict:
    from app.cli import account_options
    from app.reports.catalog import REPORT_TITLES  # not the pack: every start builds this help

    names = "; ".join(f"{k} {title} (--period {example})" for k, (title, example) in REPORT_TITLES.items())
    p = sub.add_parser("report", help="generate a report of the pack 生成报表 (.xlsx / .pdf)",
                       description="Generate one report for a period: " + names + ". Periods: a day 2025-05-15, "
                                   "an ISO week 2025-W19, a month 2025-05, a quarter 2025-Q2 or a year 2025. "
                                   "Figures are counted as of the end of the period (or of today while it runs).")
    p.add_argument("name", metavar="NAME", help=" | ".join(REPORT_TITLES))
    p.add_argument("--db", metavar="PATH", help="station database file (default: the user's database)")
    p.add_argument("--period", metavar="P", required=True, help="e.g. 2025-05, 2025-W19, 2025-05-15, 2025-Q2")
    p.add_argument("--out", metavar="FILE", required=True, help="the file to write: .xlsx (Excel/WPS) or .pdf (A4)")
    p.add_argument("--as-of", metavar="DATE", help="count as if today were DATE (YYYY-MM-DD); default today")
    account_options(p)
    return {"report": cmd_report}


def _open(args: argparse.Namespace):
    """(database, actor): protected databases log in; an unprotected one acts as administrator."""
    from app.cli import open_existing, person_login, server_login
    from app.domain.rules import Actor
    from app.services.accounts import is_protected

    server = server_login(args)
    if server is not None:
        return server
    if args.db:
        path = Path(args.db)
    else:
        from app.store.paths import default_db_path

        path = default_db_path()
    if path.exists() and is_protected(path):
        return person_login(args, path)
    return open_existing(path, args.user), Actor(None, "admin", "admin", account=args.user)

def cmd_report(args: argparse.Namespace) -> int:
    from app.cli import parse_day
    from app.reports.pack import REPORTS, build_report
    from app.services.trends import parse_period

    if args.name not in REPORTS:
        raise ValidationError(f"未知的报表：{args.name}（可选：{'、'.join(REPORTS)}）",
                              f"unknown report {args.name}; one of {', '.join(REPORTS)}", "report")
    period = parse_period(args.period)
    today = parse_day(args.as_of) or date.today()
    out = Path(args.out)
    if out.suffix.lower() not in SUFFIXES:
        raise ValidationError(f"输出文件须为 .xlsx 或 .pdf：{out}", f"--out must end in .xlsx or .pdf: {out}", "--out")
    if out.is_dir() or not out.parent.is_dir():
        raise ValidationError(f"无法写入该位置：{out}", f"cannot write there (missing folder or a folder name): {out}",
                              "--out")
    from app.domain.permissions import authorize
    from app.services import audit

    db, actor = _open(args)
    try:
        authorize(actor, "read_records")
        report = build_report(db, args.name, period, today)
        if out.suffix.lower() == ".pdf":
            from ui.reports.pdf import write_pdf  # composition root: the only Qt this command touches

            write_pdf(report, out)
        else:
            from app.reports.xlsx import write_xlsx

            write_xlsx(report, out)
        # A report names people and leaves the station as a file: the audit trail says who made it.
        audit.record_event(db, actor, "export_report",
                           detail={"report": args.name, "period": period.label, "file": str(out)})
    finally:
        db.close()
    print(f"已生成{report.title}（{report.period_label}）：{out} "
          f"(wrote the {args.name} report for {period.label}, as of {report.as_of.isoformat()})")
    return 0
