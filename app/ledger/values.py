"""Cells to values: dates in every form ledgers use, codes through the value mapping, ID numbers
that Excel turned into numbers. Each failure is a ValidationError whose words name the value."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from app.errors import ValidationError

#: Excel's day 0 for the 1900 date system (1899-12-30 absorbs Lotus's 1900 leap-year bug).
EXCEL_EPOCH = date(1899, 12, 30)
_DATE_TEXT = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?(?:[\sT]+\d{1,2}[:：]\d{2}(?::\d{2})?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?[eE]\+?\d+$")
_SPLIT = re.compile(r"[、,，;；/\s]+")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(value: Any) -> str:
    """The text a person sees in the cell: whole numbers without '.0', dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def shown(value: Any) -> str:
    """A cell value quoted in a reason: numbers as Excel would show them."""
    if isinstance(value, float) and not value.is_integer():
        return repr(value)
    if isinstance(value, float) and abs(value) >= 1e15:
        return f"{value:.15g}".upper()  # what Excel shows: 1.1010519491231E+17
    return text_of(value)


def _checked(year: int, month: int, day: int, raw: Any, label: str) -> date:
    try:
        d = date(year, month, day)
    except ValueError:
        raise ValidationError(f"{label}“{shown(raw)}”不是有效日期（没有这一天）",
                              f"{label} '{shown(raw)}' is not a real date", label) from None
    if not 1900 <= d.year <= 2100:
        raise ValidationError(f"{label}“{shown(raw)}”的年份不合理", f"{label} '{shown(raw)}' has an unlikely year", label)
    return d


def _serial(days: int, raw: Any, label: str) -> date:
    """An Excel day number, held to the same plausible years as a typed date: serial 1 is
    1899-12-31, refused exactly as the text 1899-12-31 is."""
    d = EXCEL_EPOCH + timedelta(days=days)
    return _checked(d.year, d.month, d.day, raw, label)


def parse_date(value: Any, label: str = "日期") -> date | None:
    """Excel dates, Excel day numbers, 20250308, 2025年3月8日, 2025.3.8, 2025/03/08, 2025-3-8."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 19000101 <= value <= 21001231:
            v = int(value)
            return _checked(v // 10000, v // 100 % 100, v % 100, value, label)
        if 1 <= value < 80000:  # an Excel day number (a date cell that lost its format)
            return _serial(int(value), value, label)
        raise ValidationError(f"{label}“{shown(value)}”不是日期", f"{label} '{shown(value)}' is not a date", label)
    text = str(value).strip()
    m = _DATE_TEXT.match(text) or _COMPACT.match(text)
    if m:
        return _checked(int(m.group(1)), int(m.group(2)), int(m.group(3)), value, label)
    if text.isdigit() and 1 <= int(text) < 80000:
        return _serial(int(text), value, label)
    raise ValidationError(f"{label}“{text}”不是日期（应写作 2025-03-08、2025年3月8日、2025.3.8 或 2025/03/08）",
                          f"{label} '{text}' is not a date (write 2025-03-08, 2025年3月8日, 2025.3.8 or 2025/03/08)",
                          label)


def id_text(value: Any, label: str = "身份证号") -> str:
    """An ID number as text. A number cell is refused: Excel keeps 15 significant digits, so an ID
    typed into a General-format cell has already lost its last digits and cannot be recovered."""
    if is_blank(value):
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValidationError(
            f"{label}“{shown(value)}”被Excel存成了数字，末几位已被四舍五入，无法还原；"
            f"请把该列设为文本格式后重新填写",
            f"{label} '{shown(value)}' was stored by Excel as a number and its last digits are already "
            f"rounded; set the column to Text and type it again", label)
    text = str(value).strip().replace(" ", "").upper()
    if _SCIENTIFIC.match(text):
        raise ValidationError(
            f"{label}“{text}”被Excel存成了数字（科学计数法），末几位已丢失；请把该列设为文本格式后重新填写",
            f"{label} '{text}' was stored by Excel as a number (scientific notation) and its last digits "
            f"are lost; set the column to Text and type it again", label)
    return text.lstrip("'")


def phone_text(value: Any) -> str:
    if is_blank(value):
        return ""
    return text_of(value).replace("-", "").replace(" ", "")


def int_value(value: Any, label: str) -> int | None:
    if is_blank(value):
        return None
    text = text_of(value).removesuffix("级")
    if not text.isdigit():
        raise ValidationError(f"{label}“{shown(value)}”不是整数", f"{label} '{shown(value)}' is not a whole number", label)
    return int(text)


def value_key(value: Any) -> str:
    """How a cell value is looked up in a value mapping: text without spaces, Latin lower-cased."""
    return re.sub(r"\s+", "", text_of(value)).lower()


def lookup_table(builtin: dict[str, str], user: dict[str, str]) -> dict[str, str]:
    """One table for `map_code`, keyed by `value_key`; the person's mapping wins over built-ins."""
    table = {value_key(k): v for k, v in builtin.items()}
    table.update({value_key(k): v for k, v in user.items()})
    return table


def map_code(value: Any, table: dict[str, str], label: str) -> str | None:
    """A cell to a code through a `lookup_table`. A value nobody mapped is an error that names
    it, never a silent default."""
    if is_blank(value):
        return None
    code = table.get(value_key(value))
    if code is None:
        raise ValidationError(f"{label}“{text_of(value)}”无法识别，请在值映射中指定它对应的{label}",
                              f"{label} '{text_of(value)}' is not known; map it to a value in the value mapping",
                              label)
    return code


def split_list(value: Any) -> list[str]:
    return [p for p in _SPLIT.split(text_of(value)) if p]
