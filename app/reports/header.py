"""What every report starts with: the day its figures are as of and its header (the station,
or the branch and how many stations its figures sum over)."""
from __future__ import annotations

from datetime import date, datetime

from app.errors import ValidationError
from app.reports import data
from app.reports.model import Report, Section
from app.services import trends as T
from app.store import Store


def report_as_of(period: T.Period, today: date) -> date:
    if period.start > today:
        raise ValidationError(f"统计期间尚未开始：{period.label}", f"the period has not started yet: {period.label}",
                              "period")
    return min(period.end, today)


def report_header(db: Store, key: str, title: str, period: T.Period, as_of: date, sections: list[Section],
            subtitle: str = "") -> Report:
    sc = data.scope(db)
    # At a branch office the figures sum over every station it holds: the report says so.
    who = f"{sc.name}（{sc.stations}个派出所汇总）" if sc.branch else sc.name
    return Report(key, title, who, period.label_zh, as_of,
                  datetime.now().replace(second=0, microsecond=0), sections, subtitle)
