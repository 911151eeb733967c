"""The station's roster (民警花名册) from Excel/CSV: people and teams in one transaction, row by row.

Columns: 姓名, 警号, 所属中队/部门, 职务, 手机. Duty titles map to roles as DOMAIN.md says (所长、教导员、
副所长 → station leader; 中队长、队长、警长 → team leader; 民警 → officer; 辅警 → assisting staff, who
are never a record's responsible officer). A title the station uses that is not in that list is
never guessed: the row is rejected naming the title, and the caller maps it (`--duty 副队长=team_leader`)
and imports again. Teams named in the roster are created. Someone already on the roster (same name
and badge number, or the same name without one) is reported as present, so the same file twice adds nothing.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.domain.permissions import authorize
from app.domain.rules import Actor
from app.errors import ValidationError
from app.ledger.fields import normalise_title
from app.ledger.reader import HEADER_SCAN_ROWS, read_ledger, row_kind
from app.ledger.values import is_blank, text_of
from app.store import Store
from models import Officer, Station, Team

#: Built-in duty titles → (role, assisting staff).
DUTY_ROLES: dict[str, tuple[str, bool]] = {
    "所长": ("leader", False), "教导员": ("leader", False), "副所长": ("leader", False),
    "中队长": ("team_leader", False), "队长": ("team_leader", False), "警长": ("team_leader", False),
    "民警": ("officer", False), "辅警": ("officer", True),
}
#: What `--duty TITLE=CODE` may map a title to.
DUTY_CODES: dict[str, tuple[str, bool]] = {
    "leader": ("leader", False), "team_leader": ("team_leader", False), "officer": ("officer", False),
    "auxiliary": ("officer", True),
}
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名",),
    "badge_no": ("警号", "警员编号"),
    "team": ("所属中队/部门", "所属中队", "所属部门", "中队/部门", "中队", "部门", "队组", "所在队组"),
    "duty": ("职务", "职务/职级"),
    "phone": ("手机", "手机号", "手机号码", "联系电话", "电话"),
}
REQUIRED = ("name", "duty")
MAX_ROWS = 5000
REJECT_REASON_TITLE = "未导入原因"
_BADGE = re.compile(r"^[0-9A-Za-z]{1,20}\Z")


@dataclass(frozen=True)
class RosterRow:
    line: int
    outcome: str  # imported / present / rejected / skipped
    name: str
    reason: str = ""
    officer_id: int | None = None
    role: str = ""
    auxiliary: bool = False
    team: str = ""

    @property
    def outcome_zh(self) -> str:
        return {"imported": "已导入", "present": "已在花名册", "rejected": "未导入", "skipped": "跳过"}[self.outcome]


@dataclass
class RosterReport:
    source: Path
    sheet: str
    header_line: int
    dry_run: bool
    rows: list[RosterRow] = field(default_factory=list)
    teams_created: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def imported(self) -> list[RosterRow]:
        return [r for r in self.rows if r.outcome == "imported"]

    def summary(self) -> str:
        verb = "可导入" if self.dry_run else "导入"
        text = (f"共{len(self.rows)}行：{verb}{self.count('imported')}人，已在花名册{self.count('present')}人，"
                f"未导入{self.count('rejected')}行，跳过{self.count('skipped')}行")
        if self.teams_created:
            text += f"；新建队组：{'、'.join(self.teams_created)}"
        return text

    def summary_en(self) -> str:
        return (f"{len(self.rows)} rows: {self.count('imported')} {'to import' if self.dry_run else 'imported'}, "
                f"{self.count('present')} already present, {self.count('rejected')} rejected, "
                f"{self.count('skipped')} skipped; {len(self.teams_created)} new teams")


@dataclass(frozen=True)
class _Plan:
    source: Path
    sheet_name: str
    titles: list[str]
    header_index: int
    header_line: int
    columns: dict[str, int]
    rows: list[tuple[int, list[Any]]]


def parse_duty_map(items: list[str] | None) -> dict[str, str]:
    """`TITLE=CODE` pairs (command line) → {title: code}; the code is one of DUTY_CODES."""
    out = {}
    for item in items or []:
        title, sep, code = (item or "").partition("=")
        title, code = title.strip(), code.strip()
        if not sep or not title or code not in DUTY_CODES:
            raise ValidationError(f"职务对照应写成 职务=角色（角色：{'、'.join(DUTY_CODES)}）：{item[:40]}",
                                  f"a duty mapping is TITLE=ROLE with ROLE one of {', '.join(DUTY_CODES)}: "
                                  f"{item[:40]}", "duty")
        out[title] = code
    return out


def _plan(path: str | Path) -> _Plan:
    book = read_ledger(path)
    sheet = book.sheet()
    wanted = {normalise_title(t): key for key, titles in COLUMNS.items() for t in titles}
    for i, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        for c, cell in enumerate(row):
            key = wanted.get(normalise_title(cell))
            if key and key not in columns:
                columns[key] = c
        if all(k in columns for k in REQUIRED):
            data = [(sheet.lines[j], r) for j, r in enumerate(sheet.rows) if j > i]
            if len(data) > MAX_ROWS:
                raise ValidationError(f"花名册超过{MAX_ROWS}行", f"the roster has more than {MAX_ROWS} rows", "file")
            return _Plan(Path(path), sheet.name, [text_of(v) for v in row], i, sheet.lines[i], columns, data)
    raise ValidationError("找不到花名册表头：须有“姓名”和“职务”两列（另可有警号、所属中队/部门、手机）",
                          "no roster header found: the columns 姓名 and 职务 are required (警号, 所属中队/部门, "
                          "手机 optional)", "file")


def _cell(row: list[Any], columns: dict[str, int], key: str) -> str:
    c = columns.get(key)
    if c is None or c >= len(row) or is_blank(row[c]):
        return ""
    return unicodedata.normalize("NFKC", text_of(row[c])).strip()


def _check_text(value: str, limit: int, zh: str) -> str | None:
    if len(value) > limit:
        return f"{zh}超过{limit}字"
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        return f"{zh}含控制字符"
    return None


def import_roster(db: Store, actor: Actor, path: str | Path, duty_map: dict[str, str] | None = None,
                  dry_run: bool = False) -> RosterReport:
    """Import (or preview) a roster in one transaction; every row is reported with its outcome."""
    from app.domain.identity import normalise_mobile

    authorize(actor, "manage_org")
    plan = _plan(path)
    duties = dict(DUTY_ROLES)
    duties.update({t: DUTY_CODES[c] for t, c in (duty_map or {}).items()})
    report = RosterReport(plan.source, plan.sheet_name, plan.header_line, dry_run)
    with db.write(actor, "roster_import") as session:
        st = session.scalars(select(Station).order_by(Station.id)).first()
        if st is None:
            raise ValidationError("数据库中没有派出所信息", "the database has no station", "db")
        teams = {t.name: t for t in session.scalars(select(Team))}
        badges = {o.badge_no: o for o in session.scalars(select(Officer).where(Officer.active)) if o.badge_no}
        unbadged = {o.name: o for o in session.scalars(select(Officer).where(Officer.active, Officer.badge_no == ""))}
        seen_badges: dict[str, int] = {}
        for line, row in plan.rows:
            kind = row_kind(row)
            if kind != "data":
                report.rows.append(RosterRow(line, "skipped", "", {"blank": "空行", "total": "合计行",
                                                                   "footer": "表尾"}.get(kind, kind)))
                continue
            name, badge = _cell(row, plan.columns, "name"), _cell(row, plan.columns, "badge_no")
            team_name, duty = _cell(row, plan.columns, "team"), _cell(row, plan.columns, "duty")
            phone = _cell(row, plan.columns, "phone")

            def reject(reason: str, line: int = line, name: str = name) -> None:
                report.rows.append(RosterRow(line, "rejected", name, reason))

            problem = (_check_text(name, 50, "姓名") or _check_text(team_name, 50, "所属中队/部门")
                       or _check_text(duty, 20, "职务"))
            if problem:
                reject(problem)
                continue
            if not name:
                reject("姓名为空")
                continue
            if not duty:
                reject("职务为空")
                continue
            if duty not in duties:
                reject(f"职务“{duty}”无法识别，未作猜测：请指定对应角色，如 --duty {duty}=team_leader"
                       f"（可选 {'/'.join(DUTY_CODES)}）")
                continue
            role, auxiliary = duties[duty]
            if badge and not _BADGE.match(badge):
                reject(f"警号格式错误：{badge[:20]}（应为1–20位数字或字母）")
                continue
            if badge and badge in seen_badges:
                reject(f"警号{badge}与第{seen_badges[badge]}行重复")
                continue
            if badge in badges:
                existing = badges[badge]
                if existing.name == name:
                    report.rows.append(RosterRow(line, "present", name, "", existing.id, existing.role,
                                                 existing.auxiliary, team_name))
                else:
                    reject(f"警号{badge}已属于{existing.name}")
                continue
            if not badge and name in unbadged:
                existing = unbadged[name]
                report.rows.append(RosterRow(line, "present", name, "", existing.id, existing.role,
                                             existing.auxiliary, team_name))
                continue
            if role != "leader" and not team_name:
                reject("须填写所属中队/部门")
                continue
            mobile = ""
            if phone:
                try:
                    mobile = normalise_mobile(phone)
                except ValidationError as exc:
                    reject(exc.zh)
                    continue
            team = None
            if role != "leader" and team_name:
                team = teams.get(team_name)
                if team is None:
                    team = Team(station_id=st.id, name=team_name)
                    session.add(team)
                    session.flush()
                    teams[team_name] = team
                    report.teams_created.append(team_name)
                elif not team.active:
                    reject(f"队组“{team_name}”已撤销")
                    continue
            o = Officer(station_id=st.id, team_id=team.id if team else None, name=name, role=role, badge_no=badge,
                        duty=duty, auxiliary=auxiliary, phone=mobile)
            session.add(o)
            session.flush()
            if badge:
                seen_badges[badge] = line
            else:
                unbadged[name] = o
            report.rows.append(RosterRow(line, "imported", name, "", o.id, role, auxiliary, team_name))
        if dry_run:
            session.rollback()
            report.rows = [RosterRow(r.line, r.outcome, r.name, r.reason, None, r.role, r.auxiliary, r.team)
                           for r in report.rows]
    return report


def write_rejects(report: RosterReport, path: str | Path) -> Path | None:
    """The rejected rows in the roster's own columns plus the reason (.xlsx or UTF-8 .csv with BOM),
    to fix and import again; None if nothing was rejected."""
    rejected = {r.line: r for r in report.rows if r.outcome == "rejected"}
    if not rejected:
        return None
    plan = _plan(report.source)
    titles = plan.titles + [REJECT_REASON_TITLE]
    rows = []
    for line, row in plan.rows:
        if line in rejected:
            cells = [text_of(v) for v in row][:len(plan.titles)]
            rows.append(cells + [""] * (len(plan.titles) - len(cells)) + [rejected[line].reason])
    return _write_table(Path(path), titles, rows, plan.sheet_name or "未导入")


def _write_table(out: Path, titles: list[str], rows: list[list[str]], sheet: str) -> Path:
    from app.spreadsheet import append_row, csv_value

    tmp = out.with_name(out.name + ".tmp")
    if out.suffix.lower() == ".csv":
        import csv

        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(titles)
            for cells in rows:
                w.writerow([csv_value(c) for c in cells])
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        ws = wb.active
        ws.title = sheet[:31]
        ws.append(titles)
        for cells in rows:
            append_row(ws, cells)  # outside text is never a formula
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.number_format = "@"
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        wb.save(tmp)
    tmp.replace(out)
    return out


def write_slips(accounts: list, path: str | Path, station: str) -> Path:
    """A printable text file: one slip per account (name, user name, one-time password), to be cut
    apart and handed over. The passwords exist in clear only here and on the screen."""
    lines = []
    for a in accounts:
        lines += ["-" * 40, f"{station}  系统账户", f"姓名：{a.display_name}", f"用户名：{a.username}",
                  f"初始密码：{a.password}", "首次登录后须修改密码；本条阅后请销毁。", ""]
    lines.append("-" * 40)
    out = Path(path)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    tmp.replace(out)
    return out
