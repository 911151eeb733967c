"""The station's 110 alert log (接报警登记) from the alert system's xlsx or CSV export: the
ledger's bounded reader, a header found by its usual titles, one transaction, and the ledger's
row report (imported / already present / rejected with the reason / skipped)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.domain.permissions import authorize
from app.domain.rules import Actor
from app.errors import ValidationError
from app.ledger.importer import SKIP_REASONS, RowOutcome
from app.ledger.reader import HEADER_SCAN_ROWS, read_ledger, row_kind
from app.ledger.values import is_blank, parse_date, text_of
from app.services.records import now, station_in
from models import Alert

#: Column → the titles alert systems use for it.
TITLES = {
    "alert_no": ("警情编号", "接警编号", "警情号", "接警单编号", "编号"),
    "received_at": ("报警时间", "接警时间", "接报时间", "报警日期时间", "时间"),
    "received_date": ("报警日期", "接警日期", "日期"),
    "received_time": ("报警时刻",),
    "address": ("发案地址", "报警地址", "事发地址", "地址", "发生地点", "事发地点"),
    "caller": ("报警人", "报警人姓名", "来电人"),
    "caller_phone": ("报警电话", "联系电话", "报警人电话", "来电号码"),
    "category": ("警情类别", "警情类型", "报警类别", "类别"),
    "summary": ("简要警情", "警情内容", "报警内容", "处警情况", "内容", "摘要"),
}
_LOOKUP = {re.sub(r"\s+", "", t): key for key, titles in TITLES.items() for t in titles}
LIMITS = {"alert_no": 40, "address": 200, "caller": 50, "caller_phone": 20, "category": 40, "summary": 4000}
_TIME = re.compile(r"^(\d{1,2})[:：时点](\d{1,2})(?:分?$|(?:[:：分](\d{1,2})秒?)?$)")


@dataclass
class AlertReport:
    source: Path
    header_line: int
    rows: list[RowOutcome] = field(default_factory=list)
    dry_run: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def rejected(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.outcome == "rejected"]

    def summary(self) -> str:
        head = "预览（未写入）：" if self.dry_run else ""
        counts = (f"新导入 {self.count('imported')} 条，已在册 {self.count('present')} 条，"
                  f"未导入 {self.count('rejected')} 条，跳过 {self.count('skipped')} 行")
        if self.count("imported") == 0:
            return f"{head}没有导入任何警情。{counts}"
        return f"{head}110警情{'将导入' if self.dry_run else '已导入'}。{counts}"

    def summary_en(self) -> str:
        return (f"{'preview: ' if self.dry_run else ''}{self.count('imported')} imported, {self.count('present')} "
                f"already present, {self.count('rejected')} rejected, {self.count('skipped')} skipped")


def _header(rows: list[list[Any]]) -> tuple[int, dict[str, int]]:
    best, best_cols = -1, {}
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        cols = {}
        for c, v in enumerate(row):
            key = _LOOKUP.get(re.sub(r"\s+", "", text_of(v)))
            if key and key not in cols:
                cols[key] = c
        if len(cols) > len(best_cols):
            best, best_cols = i, cols
    if best < 0 or len(best_cols) < 2:
        raise ValidationError(f"在前{HEADER_SCAN_ROWS}行中找不到110警情表的表头（如“警情编号、报警时间、发案地址”）",
                              f"no 110 alert header (警情编号, 报警时间, 发案地址…) in the first {HEADER_SCAN_ROWS} rows",
                              "header")
    has_time = "received_at" in best_cols or "received_date" in best_cols
    if "alert_no" not in best_cols or not has_time:
        missing = "警情编号" if "alert_no" not in best_cols else "报警时间"
        raise ValidationError(f"110警情表缺少“{missing}”列", f"the alert log has no {missing} column", "header")
    return best, best_cols


def parse_when(value: Any, extra_time: Any = None) -> datetime:
    """A date and time as alert systems write them: an Excel date-time, 2026-12-01 08:30[:15],
    2026/12/1 8:30, 2026年12月1日 8时30分; a date alone (or with a separate time column)."""
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    text = text_of(value).replace("T", " ")
    day_part, _, time_part = text.partition(" ")
    day = parse_date(day_part if time_part else value, "报警时间")
    t = time(0, 0)
    raw_time = time_part.strip() or (text_of(extra_time) if not is_blank(extra_time) else "")
    if isinstance(extra_time, time):
        t = extra_time
    elif raw_time:
        m = _TIME.match(raw_time)
        if not m:
            raise ValidationError(f"报警时间“{raw_time}”不是时刻", f"'{raw_time}' is not a time of day", "received_at")
        h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        if h > 23 or mi > 59 or s > 59:
            raise ValidationError(f"报警时间“{raw_time}”不是时刻", f"'{raw_time}' is not a time of day", "received_at")
        t = time(h, mi, s)
    return datetime.combine(day, t)


def import_alerts(db, actor: Actor, path: str | Path, *, sheet: str | None = None, dry_run: bool = False) -> AlertReport:
    """Read the alert log and add the alerts not yet on file (by 警情编号), in one transaction.
    A bad row is reported with its line and reason and the others go in; nothing is written on
    a dry run. Returns the row report."""
    authorize(actor, "import_alerts")
    ledger = read_ledger(path)
    sh = ledger.sheet(sheet)
    head, cols = _header(sh.rows)
    report = AlertReport(Path(path), sh.lines[head], dry_run=dry_run)
    with db.write(actor, "import_alerts") as session:
        station = station_in(session, actor)
        held = set(session.scalars(select(Alert.alert_no).where(Alert.station_id == station.id)))
        ts = now()
        for row, line in zip(sh.rows[head + 1:], sh.lines[head + 1:]):
            kind = row_kind(row)
            if kind != "data":
                report.rows.append(RowOutcome(line, "skipped", SKIP_REASONS[kind]))
                continue

            def cell(key: str, row: Any = row, cols: dict = cols) -> Any:
                c = cols.get(key)
                return row[c] if c is not None and c < len(row) else None
            label = text_of(cell("alert_no"))
            try:
                values = {}
                for key, limit in LIMITS.items():
                    text = text_of(cell(key)).strip()
                    if len(text) > limit:
                        raise ValidationError(f"“{key}”超过{limit}字", f"{key} is longer than {limit} characters", key)
                    values[key] = text
                if not values["alert_no"]:
                    raise ValidationError("警情编号为空", "the alert number is empty", "alert_no")
                raw = cell("received_at") if not is_blank(cell("received_at")) else cell("received_date")
                if is_blank(raw):
                    raise ValidationError("报警时间为空", "the alert time is empty", "received_at")
                when = parse_when(raw, cell("received_time"))
                if when > ts:
                    raise ValidationError(f"报警时间晚于现在：{when}", f"the alert time is in the future: {when}",
                                          "received_at")
                if not values["address"] and not values["caller_phone"] and not values["caller"]:
                    raise ValidationError("地址与报警人均为空", "neither an address nor a caller is given", "address")
            except ValidationError as exc:
                report.rows.append(RowOutcome(line, "rejected", exc.zh, label))
                continue
            if values["alert_no"] in held:
                report.rows.append(RowOutcome(line, "present", "", label))
                continue
            held.add(values["alert_no"])
            a = Alert(station_id=station.id, received_at=when, imported_at=ts, **values)
            session.add(a)
            session.flush()
            report.rows.append(RowOutcome(line, "imported", "", label, a.id))
        if dry_run:
            session.rollback()
    return report
