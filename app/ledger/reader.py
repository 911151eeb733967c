"""Ledger files to rows: .xlsx through openpyxl, CSV in UTF-8, UTF-8 with BOM or GB18030; the
header row found under the merged title rows, merged cells filled, blank and total rows told apart."""
from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.domain.levels import Module
from app.errors import ValidationError
from app.ledger.fields import normalise_title, title_matches
from app.ledger.values import is_blank, text_of

#: How far down a sheet the header row is looked for (title rows, notes, blank lines above it).
HEADER_SCAN_ROWS = 30

# -- limits: a ledger is outside data, bounded before anything is allocated for it ----------------
#: The file on disk (.xlsx or .csv).
MAX_FILE_BYTES = 64 * 2**20
#: One part of the .xlsx once unpacked, and all of them together (a zip bomb's sizes are its own
#: declared sizes: zipfile never inflates a member past them).
MAX_PART_BYTES = 128 * 2**20
MAX_UNPACKED_BYTES = 256 * 2**20
#: How much larger than its packed size a part may unpack (ordinary sheets: 5-20 times).
MAX_RATIO = 200
MAX_PARTS = 2000
#: Rows and columns of one sheet, and the characters of one cell (Excel's own cell limit).
MAX_ROWS = 100_000
MAX_COLUMNS = 1000
MAX_CELL_CHARS = 32_767
_LONG_TEXT = re.compile(rb">[^<]{%d,}" % (3 * MAX_CELL_CHARS + 1))  # UTF-8: up to 3 bytes a character
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL_COL = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,3})\d")


def _too_big(zh: str, en: str) -> ValidationError:
    return ValidationError(zh, en, "file")
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
    size = p.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _too_big(f"台账文件超过{MAX_FILE_BYTES // 2**20} MB上限：{p.name}",
                       f"the ledger file is larger than the {MAX_FILE_BYTES // 2**20} MB limit: {p.name}")
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(p)
    if suffix in (".csv", ".txt"):
        return _read_csv(p)
    if suffix in (".xls", ".et", ".wps"):
        raise ValidationError(f"不支持旧版Excel/WPS格式（{suffix}）：请在Excel或WPS中“另存为”.xlsx后再导入",
                              f"old Excel/WPS format ({suffix}) is not supported: save it as .xlsx first", "file")
    raise ValidationError(f"只能导入 .xlsx 或 .csv 文件：{p.name}", f"only .xlsx or .csv files can be imported: {p.name}",
                          "file")


#: What a damaged .xlsx raises while it is unpacked and parsed (zip, deflate, CRC, XML, and
#: openpyxl's own reading of malformed parts): each becomes the one "damaged file" refusal.
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError, ValueError, TypeError, IndexError,
           AttributeError, SyntaxError)  # SyntaxError: xml.etree's ParseError


def _damaged(path: Path, exc: BaseException) -> ValidationError:
    return ValidationError(f"无法读取Excel文件（文件损坏或不是.xlsx）：{path.name}",
                           f"cannot read the Excel file (damaged or not .xlsx): {path.name} "
                           f"({type(exc).__name__})", "file")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def check_xlsx(path: Path) -> None:
    """Refuse an .xlsx that would blow up when read: too many or too large parts, a part that
    unpacks far beyond its packed size, a DTD (entity expansion), a cell longer than Excel
    allows, too many rows or columns. Each refusal is one line naming the limit."""
    import zipfile

    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: openpyxl's own error says the file is damaged
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_PARTS:
            raise _too_big(f"Excel文件的内部部件超过{MAX_PARTS}个，拒绝读取：{path.name}",
                           f"the workbook has more than {MAX_PARTS} parts: {path.name}")
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > MAX_PART_BYTES or total > MAX_UNPACKED_BYTES:
                raise _too_big(f"Excel文件解压后超过{MAX_UNPACKED_BYTES // 2**20} MB（单个部件{MAX_PART_BYTES // 2**20} MB）"
                               f"上限，拒绝读取：{path.name}",
                               f"the workbook unpacks beyond the {MAX_UNPACKED_BYTES // 2**20} MB limit "
                               f"({MAX_PART_BYTES // 2**20} MB per part): {path.name}")
            if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise _too_big(f"Excel文件中的“{info.filename[:60]}”压缩比超过{MAX_RATIO}倍（疑似压缩炸弹），拒绝读取",
                               f"'{info.filename[:60]}' unpacks more than {MAX_RATIO} times its size "
                               f"(a compression bomb?)")
        for info in infos:
            if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            try:
                _scan_part(zf, info, path)
            except DAMAGED as exc:
                raise _damaged(path, exc) from None


def _scan_part(zf, info, path: Path) -> None:
    """One XML part, streamed in chunks: no DTD, no over-long cell; a worksheet's rows and columns."""
    sheet = info.filename.startswith("xl/worksheets/")
    rows = max_col = 0
    tail = b""
    first = True
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(4 * 2**20)
            if not chunk:
                break
            data = tail + chunk
            if first and (b"<!DOCTYPE" in data[:65536] or b"<!ENTITY" in data[:65536]):
                raise _too_big(f"Excel文件的“{info.filename[:60]}”含有文档类型定义（DTD），可能是实体展开攻击，拒绝读取",
                               f"'{info.filename[:60]}' carries a DTD (entity expansion): refused")
            first = False
            if _LONG_TEXT.search(data):
                raise _too_big(f"台账中有单元格超过{MAX_CELL_CHARS}个字符的上限，拒绝读取：{path.name}",
                               f"a cell is longer than the {MAX_CELL_CHARS}-character limit: {path.name}")
            if sheet:
                rows += len(_ROW_TAG.findall(chunk))
                for letters in set(_CELL_COL.findall(data)):
                    max_col = max(max_col, _column_number(letters))
                if rows > MAX_ROWS or max_col > MAX_COLUMNS:
                    raise _too_big(f"工作表超过{MAX_ROWS}行或{MAX_COLUMNS}列的上限，拒绝读取：{path.name}",
                                   f"a sheet has more than {MAX_ROWS} rows or {MAX_COLUMNS} columns: {path.name}")
            tail = data[-(3 * MAX_CELL_CHARS + 16):]


def _read_xlsx(path: Path) -> LedgerFile:
    from openpyxl import load_workbook

    check_xlsx(path)
    try:
        # Not read_only: merged ranges are only known in the normal mode. data_only: formulas
        # (a SUM in the total row) come as their cached values.
        wb = load_workbook(path, data_only=True)
    except DAMAGED as exc:
        raise _damaged(path, exc) from None
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
    try:
        for row in reader:
            if len(grid) >= MAX_ROWS or len(row) > MAX_COLUMNS:
                raise _too_big(f"CSV文件超过{MAX_ROWS}行或{MAX_COLUMNS}列的上限，拒绝读取：{path.name}",
                               f"the CSV file has more than {MAX_ROWS} rows or {MAX_COLUMNS} columns: {path.name}")
            if any(len(v) > MAX_CELL_CHARS for v in row):
                raise csv.Error("field larger than field limit")
            grid.append([v if v.strip() else None for v in row])
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field limit" not in str(exc):
            raise ValidationError(f"CSV文件格式有误（第{reader.line_num}行）：{path.name}",
                                  f"the CSV file is malformed at line {reader.line_num}: {path.name}", "file") from None
        raise _too_big(f"台账中有单元格超过{MAX_CELL_CHARS}个字符的上限，拒绝读取：{path.name}",
                       f"a cell is longer than the {MAX_CELL_CHARS}-character limit: {path.name}") from None
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
