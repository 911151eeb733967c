"""Outside values into spreadsheet cells, never as formulas (OWASP "CSV injection").

A name, a summary, a ledger cell or an account name comes from people and files the app does not
control. Excel, WPS and LibreOffice run text that starts with = + - @ (or a tab or carriage
return before one) as a formula: `=HYPERLINK(...)`, `@SUM(...)`, DDE calls. Every xlsx and CSV
writer of the app puts outside values through this module:

- xlsx (openpyxl): the value is kept exactly, and a formula-like text is stored as a text cell
  (data_type "s", an inline string): `set_cell`, `append_row`, `as_text`;
- CSV: a formula-like text gets a leading apostrophe, as OWASP recommends: `csv_value`.

Formulas the app writes itself (report totals) are set directly, never through here.
"""
from __future__ import annotations

from typing import TypeGuard, TypeVar

_Value = TypeVar("_Value")

#: The first characters that make a spreadsheet read text as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: object) -> TypeGuard[str]:
    """True for text a spreadsheet would treat as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_value(value: _Value) -> _Value | str:
    """The value for a CSV cell: formula-like text prefixed with an apostrophe, the rest unchanged."""
    return "'" + value if formula_like(value) else value


def as_text(cell):
    """Make an openpyxl cell holding formula-like text a text cell. Returns the cell."""
    if formula_like(cell.value):
        cell.data_type = "s"
    return cell


def set_cell(ws, row: int, column: int, value):
    """`ws.cell(row, column, value)` for an outside value: formula-like text stays text."""
    cell = ws.cell(row, column)
    cell.value = value
    return as_text(cell)


def append_row(ws, values) -> int:
    """`ws.append(values)` for outside values; returns the row number written."""
    ws.append(values)
    r = ws.max_row
    for c, value in enumerate(values, start=1):
        if formula_like(value):
            ws.cell(r, c).data_type = "s"
    return r
