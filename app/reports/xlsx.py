"""Excel output of a report model (openpyxl): one sheet per section, numbers as numbers, formulas for totals and changes.

Each sheet has the title, period and "data as of" lines, then its tables (header fills, level
colours, totals computed by formulas so a changed cell recomputes in Excel, WPS or LibreOffice),
then the chart data and a chart. Frozen below the first table's header; A4 print setup with the
header row repeated, fitted to the page width, page numbers in the footer.
"""
from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.reports.model import DASH, Figure, Paragraph, Report, Table, format_value
from app.spreadsheet import as_text, set_cell

#: The light theme's level tokens (ui/common/theme.py PALETTES["light"]): row tints ("bg") and the
#: saturated colour ("chip") for header cells and chart series. The core cannot import the Qt
#: theme; tests/ui/test_dashboard_colours.py fails if these drift from it.
LEVEL_COLOURS = {
    "red": {"bg": "FCE3E1", "chip": "D32F2F"},
    "orange": {"bg": "FFE7CC", "chip": "EF6C00"},
    "yellow": {"bg": "FFF4BF", "chip": "E6B000"},
    "green": {"bg": "E1F1DD", "chip": "2E7D32"},
}
HEADER_BG = "ECEFF3"
BORDER = "D0D4DA"
#: Series colours for charts whose series are not levels (accent, then muted grey).
OTHER_SERIES = ("1F5FA8", "9AA3AD", "5F6368", "6EA8E8")
FONT = "Microsoft YaHei"  # what station PCs have; Excel/WPS substitute where it is missing
NUMBER_FORMATS = {"int": "0", "rate": "0.0%", "pct": "+0.0%;-0.0%;0.0%", "days": "0.0", "date": "yyyy-mm-dd"}

_thin = Side(style="thin", color=BORDER)
_box = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_KEY = re.compile(r"\{([a-z0-9_]+)\}")


def _sheet_name(heading: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "", heading)[:31] or "Sheet"
    base, n = name, 2
    while name in used:
        name = f"{base[:28]}({n})"
        n += 1
    used.add(name)
    return name


def _fill(hex6: str) -> PatternFill:
    return PatternFill("solid", start_color="FF" + hex6, end_color="FF" + hex6)


def _cell_value(value, kind: str):
    """A Python value as an Excel cell value: numbers stay numbers; None reads "—"."""
    if value is None:
        return DASH if kind in ("int", "rate", "pct", "days") else None
    if kind == "pct":
        return value / 100  # a percentage number becomes the fraction a % format shows
    if kind == "level":
        return format_value(value, "level")
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


class _SheetWriter:
    def __init__(self, ws: Worksheet, report: Report, width_cols: int):
        self.ws = ws
        self.row = 1
        self.widths: dict[int, float] = {}
        self.first_header: int | None = None
        self.span = max(width_cols, 6)
        self.report = report

    def line(self, text: str, size: float = 10, bold: bool = False, color: str = "1F1F1F") -> None:
        c = set_cell(self.ws, self.row, 1, text)
        c.font = Font(name=FONT, size=size, bold=bold, color="FF" + color)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=self.span)
        if len(text) > self.span * 9:  # a long note wraps: give it room
            self.ws.row_dimensions[self.row].height = 15 * (1 + len(text) // (self.span * 9))
        self.row += 1

    def table(self, t: Table) -> None:
        ws = self.ws
        self.line(t.title, 11, bold=True)
        header = self.row
        if self.first_header is None:
            self.first_header = header
        for j, col in enumerate(t.columns, start=1):
            c = set_cell(ws, header, j, col.header)
            c.font = Font(name=FONT, bold=True, color="FFFFFFFF" if col.level else "FF1F1F1F")
            c.fill = _fill(LEVEL_COLOURS[col.level]["chip"] if col.level else HEADER_BG)
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            c.border = _box
            self.widths[j] = max(self.widths.get(j, 0), col.width)
        keys = {col.key: get_column_letter(j) for j, col in enumerate(t.columns, start=1)}
        first = header + 1
        if not t.rows:
            self.row = first
            self.line(t.empty_text, color="5F6368")
            self.row += 1
            return
        for i, values in enumerate(t.rows):
            r = first + i
            level = t.row_levels[i] if t.row_levels else None
            for j, (col, value) in enumerate(zip(t.columns, values), start=1):
                if col.formula:  # the report's own formula
                    c = ws.cell(r, j, _KEY.sub(lambda m, r=r: f"{keys[m.group(1)]}{r}", col.formula))
                else:  # a value from the data: never a formula
                    c = set_cell(ws, r, j, _cell_value(value, col.kind))
                self._style(c, col.kind, level if col.kind != "level" else value, col.kind == "level")
        last = first + len(t.rows) - 1
        self.row = last + 1
        if t.totals:
            r = self.row
            for j, col in enumerate(t.columns, start=1):
                letter = keys[col.key]
                if j == 1:
                    v = "合计"
                elif col.total == "sum":
                    v = f"=SUM({letter}{first}:{letter}{last})"
                elif col.total:
                    v = _KEY.sub(lambda m: f"{keys[m.group(1)]}{r}", col.total)
                else:
                    v = None
                c = ws.cell(r, j, v)
                self._style(c, col.kind, None, False)
                c.font = Font(name=FONT, bold=True)
                c.fill = _fill(HEADER_BG)
            self.row += 1
        if t.note:
            self.line(t.note, 9, color="5F6368")
        self.row += 1

    def _style(self, c, kind: str, level: str | None, chip: bool) -> None:
        c.border = _box
        c.font = Font(name=FONT, bold=chip, color="FFFFFFFF" if chip and level else "FF1F1F1F")
        if level:
            c.fill = _fill(LEVEL_COLOURS[level]["chip" if chip else "bg"])
        if kind in NUMBER_FORMATS:
            c.number_format = NUMBER_FORMATS[kind]
            c.alignment = Alignment(horizontal="right", vertical="center")
        else:
            c.alignment = Alignment(horizontal="center" if chip else "left", vertical="center",
                                    wrap_text=kind == "text")

    def figure(self, f: Figure) -> None:
        """The chart's numbers as a small table (so the chart reads cells), then the chart."""
        ws = self.ws
        self.line(f"图表数据：{f.title}", 9, color="5F6368")
        top = self.row
        ws.cell(top, 1, "")
        for j, s in enumerate(f.series, start=2):
            c = set_cell(ws, top, j, s.name)
            c.font = Font(name=FONT, bold=True)
            c.fill = _fill(HEADER_BG)
            c.border = _box
        for i, cat in enumerate(f.categories, start=1):
            set_cell(ws, top + i, 1, cat).border = _box
            for j, s in enumerate(f.series, start=2):
                v = s.values[i - 1]
                c = as_text(ws.cell(top + i, j, v if v is not None else None))
                c.border = _box
                c.number_format = "0"
        bottom = top + len(f.categories)
        chart = LineChart() if f.kind == "line" else BarChart()
        if isinstance(chart, BarChart):
            chart.type = "col"
            if f.stacked:
                chart.grouping = "stacked"
                chart.overlap = 100
            chart.gapWidth = 60
        chart.title = f.title
        chart.y_axis.title = f.y_title
        chart.height, chart.width = 7.5, max(16.0, min(30.0, 1.2 * len(f.categories) + 8))
        data = Reference(ws, min_col=2, max_col=1 + len(f.series), min_row=top, max_row=bottom)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=bottom))
        for k, (s, series) in enumerate(zip(f.series, chart.series)):
            colour = LEVEL_COLOURS[s.level]["chip"] if s.level else OTHER_SERIES[k % len(OTHER_SERIES)]
            series.graphicalProperties.solidFill = colour
            series.graphicalProperties.line.solidFill = colour
        # openpyxl 3.1 leaves the axes hidden (delete=True) unless told otherwise.
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        ws.add_chart(chart, f"{get_column_letter(len(f.series) + 3)}{top}")
        self.row = max(bottom, top + 15) + 2

    def finish(self) -> None:
        ws = self.ws
        for j, w in self.widths.items():
            ws.column_dimensions[get_column_letter(j)].width = w * 1.9 + 2  # CJK characters are double width
        if self.first_header is not None:
            ws.freeze_panes = f"A{self.first_header + 1}"
            ws.print_title_rows = f"{self.first_header}:{self.first_header}"
        ps = ws.page_setup
        ps.paperSize = ws.PAPERSIZE_A4
        total = sum(self.widths.values()) * 1.9
        ps.orientation = "landscape" if total > 95 else "portrait"
        ps.fitToWidth, ps.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.oddHeader.right.text = self.report.stamp
        ws.oddHeader.right.size = 8
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        ws.oddFooter.center.size = 8


def write_xlsx(report: Report, path: str | Path) -> Path:
    """Write the workbook next to `path` and move it into place, so a failed write never leaves
    a half file under the final name (nor destroys an earlier good one)."""
    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for section in report.sections:
        ws = wb.create_sheet(_sheet_name(section.heading, used))
        cols = max([len(t.columns) for t in section.tables()] + [6])
        w = _SheetWriter(ws, report, cols)
        w.line(report.title, 16, bold=True)
        w.line(f"{report.station}　统计期间：{report.period_label}　{section.heading}", 10)
        w.line(report.stamp, 9, color="5F6368")
        if report.subtitle:
            w.line(report.subtitle, 9, color="5F6368")
        w.row += 1
        for block in section.blocks:
            if isinstance(block, Table):
                w.table(block)
            elif isinstance(block, Figure):
                w.figure(block)
            elif isinstance(block, Paragraph):
                w.line(block.text)
                w.row += 1
        w.finish()
    wb.properties.title = f"{report.title} {report.period_label}"
    wb.properties.creator = report.station or "station-intel"
    tmp = path.with_name(path.name + ".tmp")
    try:
        wb.save(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


__all__ = ["write_xlsx", "LEVEL_COLOURS"]
