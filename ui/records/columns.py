"""How each module's table columns look: header, label of codes, width and alignment, per key.

The columns themselves (which, in what order, from which SQL) are declared once in
app.services.tables; this maps each key to what a person sees. Codes become labels through the
bilingual name tables of app.domain.levels; headers go through Qt's translator.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QLocale, Qt

from app.domain.levels import (
    CASE_KIND_NAMES,
    DISPUTE_CATEGORY_NAMES,
    FOCUS_AREA_NAMES,
    LEVEL_NAMES,
    MODULE_STATUS_NAMES,
    PERSON_RISK_CATEGORIES,
    STATUS_NAMES,
    Level,
    Module,
)
from app.services.table_shapes import columns_for
from ui.common.table_model import ModelColumn

CONTEXT = "RecordColumns"
_LEFT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)
_CENTER = int(Qt.AlignmentFlag.AlignCenter.value)


def lang_code() -> str:
    """"zh" or "en": which half of a StationError's message the interface shows."""
    return "zh" if lang_index() == 0 else "en"


def colon() -> str:
    """The colon after a label: full-width in Chinese, ": " in English."""
    return "：" if lang_index() == 0 else ": "


def paren(text: str) -> str:
    """`text` in parentheses: （…） in Chinese, " (…)" in English."""
    return f"（{text}）" if lang_index() == 0 else f" ({text})"


def gap() -> str:
    """The space between parts of a line: an ideographic space in Chinese, two spaces in English."""
    return "　" if lang_index() == 0 else "  "


def lang_index() -> int:
    """0 for the Chinese label of a (zh, en) name pair, 1 for English: follows the UI locale."""
    return 0 if QLocale().language() == QLocale.Language.Chinese else 1


def joined(parts: Iterable[str]) -> str:
    """Items of a list in one line: 、 between them in Chinese, ", " in English."""
    return ("、" if lang_index() == 0 else ", ").join(parts)


def code_label(names: dict, code: str | None) -> str:
    if not code:
        return ""
    pair = names.get(code)
    return pair[lang_index()] if pair else code


#: A column's formatter is made for one language (`lang_index()`) when a model's columns are
#: made: formatting a page then looks labels up in a plain dict, with no locale call per cell.
Formatter = Callable[[Any], str]


def _codes(names: dict) -> Callable[[int], Formatter]:
    def make(lang: int) -> Formatter:
        labels = {code: pair[lang] for code, pair in names.items()}
        get = labels.get
        return lambda code: (get(code) or code) if code else ""
    return make


_level = _codes({lv.value: n for lv, n in LEVEL_NAMES.items()})


def _risks(lang: int) -> Formatter:
    labels = {code: pair[lang] for code, pair in PERSON_RISK_CATEGORIES.items()}
    sep = "、" if lang == 0 else ", "
    seen: dict[str, str] = {}  # a few dozen combinations recur across every page

    def fmt(value: str | None) -> str:
        if not value:
            return ""
        text = seen.get(value)
        if text is None:
            text = sep.join(labels.get(c) or c for c in value.split(",") if c)
            if len(seen) < 4096:
                seen[value] = text
        return text
    return fmt


def _date_text(value: date | None) -> str:
    return value.isoformat() if value is not None else ""  # GB/T 7408 in data views


def _plain_text(value: Any) -> str:
    return "" if value is None else str(value).replace("\n", " ")


def _date(_lang: int) -> Formatter:
    return _date_text


def _text(_lang: int) -> Formatter:
    return _plain_text


@dataclass(frozen=True)
class ColumnLook:
    header: str
    #: Width in CJK character cells (the widest glyphs the column usually holds).
    width: float
    #: Makes the formatter for a language (0 Chinese, 1 English).
    format: Callable[[int], Formatter] = _text
    align: int = _LEFT
    tooltip: bool = False


LOOKS: dict[str, ColumnLook] = {
    "level": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "等级"), 4.6, _level),
    "case_no": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "案件编号"), 9),
    "kind": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "案件类型"), 3.5, _codes(CASE_KIND_NAMES)),
    "cause": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "案由"), 8.5, tooltip=True),
    "place": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "发案地点"), 12.5, tooltip=True),
    "accepted_on": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "受案日期"), 6, _date),
    "dispute_no": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "纠纷编号"), 9),
    "category": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "纠纷类别"), 6.5, _codes(DISPUTE_CATEGORY_NAMES)),
    "focus_area": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "重点领域"), 5, _codes(FOCUS_AREA_NAMES)),
    "parties": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "当事人"), 11, tooltip=True),
    "community": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "社区"), 6),
    "found_on": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "发现日期"), 6, _date),
    "name": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "姓名"), 6.5, tooltip=True),
    "id_number": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "身份证号"), 10),
    "risk_categories": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "人员类别"), 13, _risks, tooltip=True),
    "listed_on": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "列管日期"), 6, _date),
    "status": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "状态"), 4, _codes(STATUS_NAMES)),
    "officer": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "责任民警"), 5),
    "team": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "所属队组"), 7),
    "team_leader": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "队长"), 4.5),
    "leader": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "包案所领导"), 6),
    "next_due": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "下次跟进"), 7.5, _date),
    "summary": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "简要情况"), 16, tooltip=True),
    # Only at a branch office (columns_for(module, branch=True)): the owning station.
    "station": ColumnLook(QT_TRANSLATE_NOOP(CONTEXT, "派出所"), 7, tooltip=True),
}


def _level_rank(code: str) -> int:
    return Level(code).rank


def model_columns(module: str | Module, branch: bool = False) -> list[ModelColumn]:
    """The model's columns for a module, in the service's order (a key without a look is a bug);
    `branch` adds the owning station's column (tables.columns_for)."""
    out = []
    lang = lang_index()
    for col in columns_for(module, branch):
        look = LOOKS[col.key]
        fmt = look.format(lang)
        if col.key == "status":  # a key person is 在管 / 撤销列管, a dispute 已化解 / 转案件
            fmt = _codes(MODULE_STATUS_NAMES[Module(module)])(lang)
        out.append(ModelColumn(col.key, look.header, fmt, look.align, col.sortable, look.tooltip,
                               _level_rank if col.key == "level" else None))
    return out


def widths(module: str | Module, branch: bool = False) -> list[float]:
    return [LOOKS[c.key].width for c in columns_for(module, branch)]
