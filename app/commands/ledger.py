"""`import-ledger` and `ledger-template`: bring the station's Excel/CSV ledgers in, row by row."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.errors import ValidationError

EXIT_OK, EXIT_NOTHING = 0, 1


def register(sub) -> dict:
    from app.cli import account_options

    imp = sub.add_parser(
        "import-ledger", help="import an Excel/CSV ledger 导入台账 (cases, disputes or key persons)",
        description="Import a station ledger (台账) in .xlsx or .csv (UTF-8, UTF-8 with BOM or GB18030). The header "
                    "row is found under any title rows and the usual Chinese column titles are mapped automatically; "
                    "other columns and values (高/中/低, 已调解…) are mapped with --mapping. Every row is reported: "
                    "imported, merged into an existing record, already present, rejected (with the reason) or "
                    "skipped (blank and total rows). The import is one transaction; the same ledger twice adds "
                    "nothing. Exit 0 when records were added, 1 when none were.")
    imp.add_argument("--db", metavar="PATH", required=True, help="station database file 派出所数据库文件")
    imp.add_argument("--module", required=True, choices=("cases", "disputes", "persons"),
                     help="which ledger: cases 案件, disputes 矛盾纠纷, persons 重点人员")
    imp.add_argument("file", metavar="FILE", help="the ledger (.xlsx or .csv)")
    imp.add_argument("--mapping", metavar="FILE",
                     help='JSON: {"columns": {"title": "field"}, "values": {"field": {"value": "value"}}, '
                          '"defaults": {"field": "value"}, "officers": {"陈警官": "陈刚", "0371": "张伟", '
                          '"老周": {"add_to_team": "一队"}, "某甲": null}}')
    imp.add_argument("--sheet", metavar="NAME", help="the worksheet (default: the one that looks like the ledger)")
    imp.add_argument("--add-officers-to", metavar="TEAM",
                     help="add every officer the ledger names who is neither on the roster nor in the mapping's "
                          "\"officers\" to the roster, in this team 把名单中没有的民警添加到该队组")
    imp.add_argument("--header-line", metavar="N", type=int, help="the header's row number (default: found)")
    imp.add_argument("--dry-run", action="store_true", help="preview: report every row, write nothing 预览")
    imp.add_argument("--rejects", metavar="FILE",
                     help="write the rejected rows here (.xlsx or .csv), same columns plus the reason, to fix and "
                          "import again")
    imp.add_argument("--json", action="store_true", help="print the report as JSON")
    account_options(imp, "the account importing (a station leader, team leader or officer)")

    tpl = sub.add_parser("ledger-template", help="write a blank ledger template 台账模板",
                         description="Write a blank ledger (.xlsx with drop-downs and instructions, or .csv) with "
                                     "the columns import-ledger knows.")
    tpl.add_argument("--module", required=True, choices=("cases", "disputes", "persons"))
    tpl.add_argument("--out", metavar="FILE", required=True, help="the file to write (.xlsx or .csv)")
    return {"import-ledger": cmd_import_ledger, "ledger-template": cmd_ledger_template}


def report_json(report, rejects: Path | None) -> dict:
    return {
        "module": report.module.value, "file": str(report.source), "sheet": report.sheet,
        "header_line": report.header_line, "dry_run": report.dry_run,
        "counts": {k: report.count(k) for k in ("imported", "merged", "present", "rejected", "skipped")},
        "rows": [{"line": r.line, "outcome": r.outcome, "reason": r.reason, "key": r.label,
                  "record_id": None if report.dry_run else r.record_id, "notes": list(r.notes)} for r in report.rows],
        "rejects_file": str(rejects) if rejects else None,
        "officers_added": list(report.added_officers),
        "summary": report.summary(),
    }


def cmd_import_ledger(args: argparse.Namespace) -> int:
    from app.cli import station_login
    from app.ledger.fields import module_arg
    from app.ledger.importer import import_ledger
    from app.ledger.mapping import load_mapping

    module = module_arg(args.module)
    source = Path(args.file)
    if not source.exists():
        raise ValidationError(f"台账文件不存在：{source}", f"ledger file not found: {source}", "file")
    mapping = load_mapping(args.mapping, module) if args.mapping else None
    db, actor = station_login(args)
    try:
        report, written = import_ledger(db, actor, source, module, mapping, args.sheet, args.header_line,
                                        dry_run=args.dry_run, rejects=args.rejects,
                                        add_unknown_to=args.add_officers_to)
        questions = [] if args.add_officers_to else _officer_questions(db, source, module, mapping, args)
    finally:
        db.close()
    if args.json:
        out = report_json(report, written)
        out["officers_unknown"] = [{"text": q.text, "rows": q.rows, "suggestion": q.suggestion} for q in questions]
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        print(f"{source.name}（工作表 {report.sheet}，表头在第{report.header_line}行）")
        for r in report.rows:
            text = f"  第{r.line}行  {r.outcome_zh}"
            if r.label:
                text += f"  {r.label}"
            if r.reason:
                text += f"  {r.reason}"
            print(text)
            for note in r.notes:
                print(f"        注意：{note}")
        for q in questions:
            hint = f"，是否为{q.suggestion}？" if q.suggestion else ""
            print(f"  不在民警名单中：{q.text}（{q.rows}行{hint}）——可在映射文件的 officers 中指定，或用 --add-officers-to 添加")
        print(report.summary())
        print(f"({report.summary_en()})")
        if written:
            print(f"未导入的行已写入：{written}（修改后可再次导入） (rejected rows written to {written})")
    return EXIT_OK if report.added else EXIT_NOTHING


def _officer_questions(db, source: Path, module, mapping, args) -> list:
    """The officers nobody resolved, each once with its row count (after the import: the roster as it is now)."""
    from app.ledger.importer import officer_questions, plan_import

    return officer_questions(db, plan_import(source, module, mapping, args.sheet, args.header_line))


def cmd_ledger_template(args: argparse.Namespace) -> int:
    from app.ledger.fields import module_arg
    from app.ledger.template import write_template

    out = write_template(module_arg(args.module), Path(args.out))
    print(f"模板已生成：{out} (template written)")
    return EXIT_OK
