"""Ledger files to rows: .xlsx through openpyxl, CSV in UTF-8, UTF-8 with BOM or GB18030; the
header row found under the merged title rows, merged cells filled, blank and total rows told apart."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.domain.levels import Module
from app.errors import ValidationError
from app.ledger.fields import normalise_title, title_matches
from app.ledger.values import is_blank, text_of

#: How far down a sheet the header row is looked for (title rows, notes, blank lines above it).
HEADER_SCAN_ROWS = 30
_TOTAL = re.compile(r"^(合计|总计|小计|共计)")
_FOOTER = re.compile(r"^(制表|填表|审核|审批|统计|负责人|说明|注[:：]|备注[:：])")


@dataclass
class Sheet:
    """One sheet (or the CSV file) as rows of cell values; `lines` are the 1-based row numbers
    a person sees in Excel or in a text editor."""

    name: str
    rows: list[list[Any]]
    lines: list[int]

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class LedgerFile:
    path: Path
    kind: str  # "xlsx" or "csv"
    sheet_names: list[str]
    encoding: str | None = None
    _sheets: dict[str, Sheet] = field(default_factory=dict, repr=False)

    def sheet(self, name: str | None = None) -> Sheet:
        if name is None:
            name = self.sheet_names[0]
        if name not in self._sheets:
            raise ValidationError(f"工作表不存在：{name}", f"no such sheet: {name}", "sheet")
        return self._sheets[name]


@dataclass(frozen=True)
class Header:
    index: int  # row index (0-based in Sheet.rows) of the last header row
    rows: int  # 1, or 2 when titles are split over two rows (merged group titles above)
    titles: tuple[str, ...]  # one per column, as written (sub-title where there is one)
    matched: int

    def line(self, sheet: Sheet) -> int:
        return sheet.lines[self.index]


def read_ledger(path: str | Path) -> LedgerFile:
    p = Path(path)
    if not p.exists():
        raise ValidationError(f"台账文件不存在：{p}", f"ledger file not found: {p}", "file")
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(p)
    if suffix in (".csv", ".txt"):
        return _read_csv(p)
    if suffix in (".xls", ".et", ".wps"):
        raise ValidationError(f"不支持旧版Excel/WPS格式（{suffix}）：请在Excel或WPS中“另存为”.xlsx后再导入",
                              f"old Excel/WPS format ({suffix}) is not supported: save it as .xlsx first", "file")
    raise ValidationError(f"只能导入 .xlsx 或 .csv 文件：{p.name}", f"only .xlsx or .csv files can be imported: {p.name}",
                          "file")


def _read_xlsx(path: Path) -> LedgerFile:
    import zipfile

    from openpyxl import load_workbook

    try:
        # Not read_only: merged ranges are only known in the normal mode. data_only: formulas
        # (a SUM in the total row) come as their cached values.
        wb = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ValidationError(f"无法读取Excel文件（文件损坏或不是.xlsx）：{path.name}",
                              f"cannot read the Excel file (damaged or not .xlsx): {path.name} ({exc})",
                              "file") from None
    sheets: dict[str, Sheet] = {}
    try:
        for ws in wb.worksheets:
            grid: list[list[Any]] = [list(row) for row in ws.iter_rows(values_only=True)]
            for rng in ws.merged_cells.ranges:  # a merged block: every cell carries the top-left value
                top = grid[rng.min_row - 1][rng.min_col - 1] if rng.min_row - 1 < len(grid) else None
                for r in range(rng.min_row - 1, min(rng.max_row, len(grid))):
                    row = grid[r]
                    row.extend([None] * (rng.max_col - len(row)))
                    for c in range(rng.min_col - 1, rng.max_col):
                        row[c] = top
            while grid and all(is_blank(v) for v in grid[-1]):
                grid.pop()
            sheets[ws.title] = Sheet(ws.title, grid, list(range(1, len(grid) + 1)))
    finally:
        wb.close()
    return LedgerFile(path, "xlsx", list(sheets), None, sheets)


def decode_csv(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM first, then GB18030 (Excel/WPS on Chinese
    Windows save CSV in the ANSI code page, GBK, which GB18030 contains)."""
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        name = "utf-8-sig" if enc == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf") else \
            ("utf-8" if enc == "utf-8-sig" else enc)
        return text, name
    raise ValidationError("CSV文件的编码无法识别（应为UTF-8或GB18030/GBK）",
                          "the CSV file's encoding is not UTF-8 or GB18030/GBK", "file")


def _read_csv(path: Path) -> LedgerFile:
    text, encoding = decode_csv(path.read_bytes())
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    grid: list[list[Any]] = []
    lines: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    start = 1
    for row in reader:
        grid.append([v if v.strip() else None for v in row])
        lines.append(start)
        start = reader.line_num + 1
    while grid and all(is_blank(v) for v in grid[-1]):
        grid.pop()
        lines.pop()
    name = path.stem
    return LedgerFile(path, "csv", [name], encoding, {name: Sheet(name, grid, lines)})


# -- the header row ------------------------------------------------------------------------------
def _row_fields(row: list[Any], titles: dict[str, tuple[str, int]]) -> set[str]:
    return {titles[t][0] for t in (normalise_title(v) for v in row if isinstance(v, str)) if t in titles}


def find_header(sheet: Sheet, module: Module, at: int | None = None) -> Header:
    """The row (under merged title rows and notes) whose cells are most like the module's usual
    column titles; with `at` (a 1-based line), that row. Titles split over two rows (a merged
    group title over sub-titles) are read as one header."""
    titles = title_matches(module)
    if at is not None:
        if at not in sheet.lines:
            raise ValidationError(f"第{at}行不在表格范围内", f"line {at} is outside the sheet", "header")
        best = sheet.lines.index(at)
    else:
        best, best_n = -1, 1
        for i, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
            n = len(_row_fields(row, titles))
            if n > best_n:
                best, best_n = i, n
        if best < 0:
            raise ValidationError(f"在前{HEADER_SCAN_ROWS}行中找不到{module.zh}台账的表头（如“"
                                  f"{'、'.join(t for t in list(titles)[:3])}”），请确认模块是否选对",
                                  f"no {module.value} ledger header found in the first {HEADER_SCAN_ROWS} rows; "
                                  f"is this the right module?", "header")
    head = [text_of(v) for v in sheet.rows[best]]
    rows = 1
    if best + 1 < len(sheet.rows):  # a second title row: sub-titles under a merged group title
        below = [text_of(v) for v in sheet.rows[best + 1]]
        gained = [c for c, t in enumerate(below)
                  if normalise_title(t) in titles and normalise_title(head[c] if c < len(head) else "") not in titles]
        if gained:
            head.extend([""] * (len(below) - len(head)))
            for c in gained:
                head[c] = below[c]
            best, rows = best + 1, 2
    matched = len({titles[normalise_title(t)][0] for t in head if normalise_title(t) in titles})
    return Header(best, rows, tuple(head), matched)


def row_kind(row: list[Any]) -> str:
    """'blank', 'total' (合计/总计/小计 rows), 'footer' (制表人/审核 lines) or 'data'."""
    cells = [text_of(v) for v in row if not is_blank(v)]
    if not cells:
        return "blank"
    squeezed = [re.sub(r"\s+", "", c) for c in cells]
    if any(_TOTAL.match(c) for c in squeezed[:3]):
        return "total"
    if len(cells) <= 3 and _FOOTER.match(squeezed[0]):
        return "footer"
    return "data"
