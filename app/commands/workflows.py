"""`alerts-import` and `watchlist-export`: the station's 110 alert log in, the camera watch list
out, through the same services and policy checks as the 工具 window."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.errors import ValidationError

EXIT_OK, EXIT_REJECTED = 0, 1


def register(sub) -> dict:
    from app.cli import account_options

    imp = sub.add_parser(
        "alerts-import", help="import the 110 alert log 导入110警情 (.xlsx or .csv)",
        description="Import the station's 110 alert log (接报警登记) exported by the alert system, .xlsx or .csv "
                    "(UTF-8, UTF-8 with BOM or GB18030). The header row is found by its usual titles (警情编号, "
                    "报警时间, 发案地址, 报警人, 报警电话, 警情类别, 简要警情). Every row is reported: imported, "
                    "already present (by 警情编号), rejected with the reason, or skipped. One transaction; repeated "
                    "calls from one address or caller after an open 110 dispute raise the repeat-call suggestion. "
                    "Exit 0 when no row was rejected, 1 when some were.")
    imp.add_argument("--db", metavar="PATH", required=True, help="station database file 派出所数据库文件")
    imp.add_argument("file", metavar="FILE", help="the alert log (.xlsx or .csv)")
    imp.add_argument("--sheet", metavar="NAME", help="the worksheet (default: the first)")
    imp.add_argument("--dry-run", action="store_true", help="preview: report every row, write nothing 预览")
    imp.add_argument("--json", action="store_true", help="print the report as JSON")
    account_options(imp, "the account importing (a station leader, team leader or officer)")

    out = sub.add_parser(
        "watchlist-export", help="export the camera watch list 导出天网布控名单 (.xlsx)",
        description="Write the persons to hand to the face-recognition system (天网): every listed red key "
                    "person and those marked 天网, with ID number, address, level, control status and the "
                    "responsible officer. Personal data leaves the station: station leaders and team leaders "
                    "only, and the export is audited.")
    out.add_argument("--db", metavar="PATH", required=True, help="station database file 派出所数据库文件")
    out.add_argument("out", metavar="OUT.xlsx", help="the workbook to write")
    out.add_argument("--english", action="store_true", help="English column titles")
    account_options(out, "the account exporting (a station leader or team leader)")
    return {"alerts-import": cmd_alerts_import, "watchlist-export": cmd_watchlist_export}


def cmd_alerts_import(args: argparse.Namespace) -> int:
    from app.cli import station_login
    from app.ledger.alerts import import_alerts

    source = Path(args.file)
    if not source.is_file():
        raise ValidationError(f"警情文件不存在：{source}", f"alert log not found: {source}", "file")
    db, actor = station_login(args)
    try:
        report = import_alerts(db, actor, source, sheet=args.sheet, dry_run=args.dry_run)
    finally:
        db.close()
    if args.json:
        print(json.dumps({
            "file": str(report.source), "header_line": report.header_line, "dry_run": report.dry_run,
            "counts": {k: report.count(k) for k in ("imported", "present", "rejected", "skipped")},
            "suggestions": report.suggestions,
            "rows": [{"line": r.line, "outcome": r.outcome, "reason": r.reason, "alert_no": r.label}
                     for r in report.rows],
            "summary": report.summary()}, ensure_ascii=False, indent=1))
    else:
        print(f"{source.name}（表头在第{report.header_line}行）")
        for r in report.rows:
            print("  " + "  ".join(x for x in (f"第{r.line}行", r.outcome_zh, r.label, r.reason) if x))
        print(report.summary())
        print(f"({report.summary_en()})")
    return EXIT_REJECTED if report.rejected else EXIT_OK


def cmd_watchlist_export(args: argparse.Namespace) -> int:
    from app.cli import station_login
    from app.services.control import export_watch_list

    target = Path(args.out)
    if target.suffix.lower() != ".xlsx":
        raise ValidationError(f"布控名单须导出为 .xlsx 文件：{target.name}", f"the watch list is an .xlsx file: {target.name}",
                              "out")
    if not target.parent.is_dir():
        raise ValidationError(f"文件夹不存在：{target.parent}", f"no such folder: {target.parent}", "out")
    db, actor = station_login(args)
    try:
        n = export_watch_list(db, actor, target, 1 if args.english else 0)
    finally:
        db.close()
    print(f"天网布控名单已导出：{target}，{n} 人 (watch list exported: {n} persons)")
    return EXIT_OK
