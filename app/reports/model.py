"""The report model: a Qt-free description (title, sections, tables, figures) that the Excel and PDF writers render.

Values keep their native types (int, float, date, str, None): writers format them, so an Excel
cell holds a number, not the text of a number. Rates are fractions of 1 (`rate`), changes are
percentages with one decimal (`pct`, stats.change_pct), None is shown as "—".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

#: Column kinds and how they are shown.
KINDS = ("text", "int", "rate", "pct", "days", "date", "level")
DASH = "—"


@dataclass(frozen=True)
class Col:
    """A table column. `formula` (Excel only) computes the cell from other columns of the row:
    "{cur}" in it becomes that column's cell, e.g. '=IF({prev}=0,"—",({cur}-{prev})/{prev})'.
    Writers that cannot compute (PDF) show the value the builder put in the row, which the
    tests check against what LibreOffice computes from the formula."""

    key: str
    header: str
    kind: str = "text"
    width: float = 10  # characters
    formula: str | None = None
    #: This column of the totals row: "sum", a formula like `formula`, or None (blank).
    total: str | None = None
    #: A level code whose colour fills the header (the per-level count columns).
    level: str | None = None


@dataclass
class Table:
    title: str
    columns: list[Col]
    rows: list[list[Any]] = field(default_factory=list)
    #: Per row, a level code whose colour tints the row (lists of records), or None.
    row_levels: list[str | None] | None = None
    #: A totals row ("合计") under the rows, computed per column as Col.total says.
    totals: bool = False
    note: str = ""
    #: Shown in place of an empty table.
    empty_text: str = "无"

    def column_index(self, key: str) -> int:
        return [c.key for c in self.columns].index(key)

    def total_values(self) -> list[Any]:
        """The totals row as Python computes it (Excel computes its own from formulas)."""
        out: list[Any] = []
        for i, col in enumerate(self.columns):
            if i == 0:
                out.append("合计")
            elif col.total == "sum":
                out.append(sum(r[i] or 0 for r in self.rows))
            else:
                out.append(None)
        return out


@dataclass(frozen=True)
class FigureSeries:
    name: str
    values: tuple
    level: str | None = None  # coloured with the level's colour when set


@dataclass
class Figure:
    """A chart: categories along the x axis and one or more series. `stacked` stacks the bars."""

    title: str
    categories: list[str]
    series: list[FigureSeries]
    kind: str = "bar"  # "bar" or "line"
    stacked: bool = False
    y_title: str = ""


@dataclass
class Paragraph:
    text: str


Block = Table | Figure | Paragraph


@dataclass
class Section:
    heading: str
    blocks: list[Block] = field(default_factory=list)

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


@dataclass
class Report:
    key: str
    title: str
    station: str
    period_label: str
    as_of: date
    generated_at: datetime
    sections: list[Section]
    subtitle: str = ""

    @property
    def stamp(self) -> str:
        """The "data as of" line printed on every page and sheet."""
        return (f"数据截至 {self.as_of.year}年{self.as_of.month}月{self.as_of.day}日24时"
                f"（生成于 {self.generated_at:%Y-%m-%d %H:%M}）")

    def all_tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables()]


def format_value(value: Any, kind: str) -> str:
    """How a value reads in a document (PDF, console)."""
    if value is None or value == "":
        return DASH if kind in ("rate", "pct", "days", "int") else ""
    if kind == "rate":
        return f"{value * 100:.1f}%"
    if kind == "pct":
        return f"{value:+.1f}%"
    if kind == "days":
        return f"{value:.1f}"
    if kind == "date":
        return value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    if kind == "level":
        from app.domain.levels import LEVEL_NAMES, Level

        return LEVEL_NAMES[Level(value)][0]
    return str(value)
