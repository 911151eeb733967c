"""The report pack's names, titles and example periods, without its builders.

The command line lists them in its help, which every start of `python -m app` builds (the GUI
included); app.reports.pack, which reads them, brings in the services and SQLAlchemy.
"""
from __future__ import annotations

#: key -> (title, an example --period), in the pack's order.
REPORT_TITLES: dict[str, tuple[str, str]] = {
    "morning": ("每日晨会调度简报", "2025-05-15"),
    "weekly": ("每周会商研判报告", "2025-W19"),
    "monthly": ("月度统计报表", "2025-05"),
    "accountability": ("责任落实情况表", "2025-05"),
    "red": ("红色预警记录清单", "2025-05-15"),
    "breakdown": ("分类统计表", "2025-05"),
}
