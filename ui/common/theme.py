"""Semantic colours and fonts: the one place "red level" or "overdue" becomes a QColor.

Tables, the stylesheet and (later) chart pens all read the same tokens, so red means the same red
everywhere. Row backgrounds are light tints on which black text stays readable (contrast above
12:1 in the light set); the saturated `chip` colours are only for small swatches next to the
level's name, never as the only carrier of meaning.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtGui import QBrush, QColor, QFont, QIcon

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

from app.domain.levels import LEVEL_ORDER, Level

#: Windows stations have Microsoft YaHei; Linux builds and CI have Noto CJK SC or WenQuanYi.
FONT_FAMILIES = ["Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei"]
BASE_POINT_SIZE = 10.0

PALETTES: dict[str, dict[str, str]] = {
    "light": {
        "level.red.bg": "#FCE3E1", "level.red.chip": "#D32F2F",
        "level.orange.bg": "#FFE7CC", "level.orange.chip": "#EF6C00",
        "level.yellow.bg": "#FFF4BF", "level.yellow.chip": "#E6B000",
        "level.green.bg": "#E1F1DD", "level.green.chip": "#2E7D32",
        "level.fg": "#1F1F1F",
        "overdue.fg": "#B3261E", "error.fg": "#B3261E",
        "text": "#1F1F1F", "text.muted": "#5F6368",
        "window.bg": "#F4F5F7", "panel.bg": "#FFFFFF", "border": "#D0D4DA", "grid": "#E3E6EA",
        "header.bg": "#ECEFF3", "accent": "#1F5FA8",
        "selection.bg": "#2B5C9E", "selection.fg": "#FFFFFF",
        "banner.bg": "#FFF4CE", "banner.fg": "#5C3C00", "banner.border": "#E0B300",
        "filter.off.bg": "#ECEEF1",
        "text.disabled": "#A0A5AC", "button.disabled.bg": "#EEF0F2",
        "level.red.on": "#FFFFFF", "level.orange.on": "#1F1F1F",
        "level.yellow.on": "#1F1F1F", "level.green.on": "#FFFFFF",
    },
    # A dark set for evening duty rooms: dark tints, light text.
    "dark": {
        "level.red.bg": "#4A2222", "level.red.chip": "#EF5350",
        "level.orange.bg": "#4A3216", "level.orange.chip": "#FFA040",
        "level.yellow.bg": "#45401A", "level.yellow.chip": "#FFD54F",
        "level.green.bg": "#1F3A23", "level.green.chip": "#66BB6A",
        "level.fg": "#EDEDED",
        "overdue.fg": "#FF8A80", "error.fg": "#FF8A80",
        "text": "#EDEDED", "text.muted": "#A8ADB4",
        "window.bg": "#1E1F22", "panel.bg": "#26282C", "border": "#3C3F45", "grid": "#33363B",
        "header.bg": "#2E3136", "accent": "#6EA8E8",
        "selection.bg": "#3A6EA5", "selection.fg": "#FFFFFF",
        "banner.bg": "#4A3F12", "banner.fg": "#FFE8A3", "banner.border": "#8A7420",
        "filter.off.bg": "#2A2C30",
        "text.disabled": "#6A6F77", "button.disabled.bg": "#2A2C30",
        "level.red.on": "#000000", "level.orange.on": "#000000",
        "level.yellow.on": "#000000", "level.green.on": "#000000",
    },
    # The morning-meeting projector washes colours out: stronger tints, pure black text, bigger type.
    "projector": {
        "level.red.bg": "#F6B4AE", "level.red.chip": "#C62828",
        "level.orange.bg": "#FFC98A", "level.orange.chip": "#E65100",
        "level.yellow.bg": "#FFE97A", "level.yellow.chip": "#C99700",
        "level.green.bg": "#BDE3B5", "level.green.chip": "#1B5E20",
        "level.fg": "#000000",
        "overdue.fg": "#8E0000", "error.fg": "#8E0000",
        "text": "#000000", "text.muted": "#2F2F2F",
        "window.bg": "#FFFFFF", "panel.bg": "#FFFFFF", "border": "#4A4A4A", "grid": "#9E9E9E",
        "header.bg": "#DADADA", "accent": "#0D3C78",
        "selection.bg": "#0D3C78", "selection.fg": "#FFFFFF",
        "banner.bg": "#FFE97A", "banner.fg": "#000000", "banner.border": "#000000",
        "filter.off.bg": "#E0E0E0",
        "text.disabled": "#8A8A8A", "button.disabled.bg": "#EFEFEF",
        "level.red.on": "#FFFFFF", "level.orange.on": "#000000",
        "level.yellow.on": "#000000", "level.green.on": "#FFFFFF",
    },
}
FONT_SCALE = {"light": 1.0, "dark": 1.0, "projector": 1.4}

_TOKEN = re.compile(r"\{\{\s*([a-z0-9_.]+)\s*\}\}")


class Theme:
    """One palette with cached QColor/QBrush/QIcon objects (built once, reused by every paint)."""

    def __init__(self, name: str = "light"):
        if name not in PALETTES:
            raise KeyError(f"unknown theme: {name}")
        self.name = name
        self.tokens = PALETTES[name]
        self._colors: dict[str, QColor] = {}
        self._brushes: dict[str, QBrush] = {}
        self._chips: dict[tuple[Level, int], QIcon] = {}

    def color(self, token: str) -> QColor:
        c = self._colors.get(token)
        if c is None:
            c = self._colors[token] = QColor(self.tokens[token])
        return c

    def brush(self, token: str) -> QBrush:
        b = self._brushes.get(token)
        if b is None:
            b = self._brushes[token] = QBrush(self.color(token))
        return b

    def level_background(self, level: Level | str) -> QBrush:
        return self.brush(f"level.{Level(level).value}.bg")

    def level_chip(self, level: Level | str) -> QColor:
        return self.color(f"level.{Level(level).value}.chip")

    def level_on_chip(self, level: Level | str) -> QColor:
        """The text colour on the level's saturated chip (contrast at least 4.5:1, WCAG AA)."""
        return self.color(f"level.{Level(level).value}.on")

    def level_brushes(self) -> dict[str, QBrush]:
        """Row background per level code, for models that look it up on every paint."""
        return {lv.value: self.level_background(lv) for lv in LEVEL_ORDER}

    def chip_icon(self, level: Level | str, size: int = 12) -> QIcon:
        """A small rounded swatch of the level's colour (needs a QGuiApplication)."""
        key = (Level(level), size)
        icon = self._chips.get(key)
        if icon is None:
            # Here, not at the top: the Qt namespace's enums alone take ≈ 50 ms to build, and the
            # window's frame paints before anything needs them (ui.window_frame).
            from PySide6.QtCore import QRectF, Qt
            from PySide6.QtGui import QPainter, QPixmap

            pm = QPixmap(size, size)
            pm.fill(Qt.GlobalColor.transparent)
            p = QPainter(pm)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(self.color("border"))
            p.setBrush(self.level_chip(level))
            p.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 2, 2)
            p.end()
            icon = self._chips[key] = QIcon(pm)
        return icon

    def font(self, delta: float = 0.0, bold: bool = False) -> QFont:
        f = QFont()
        f.setFamilies(FONT_FAMILIES)
        f.setPointSizeF((BASE_POINT_SIZE + delta) * FONT_SCALE[self.name])
        f.setBold(bold)
        return f

    def apply_tokens(self, qss: str) -> str:
        """Replace `{{token}}` in a stylesheet with this palette's value; an unknown token is an error."""
        return _TOKEN.sub(lambda m: self.tokens[m.group(1)], qss)


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of "#RRGGBB"."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast_ratio(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two "#RRGGBB" colours (1 to 21; AA body text needs 4.5)."""
    a, b = sorted((relative_luminance(fg), relative_luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


_current: Theme | None = None


def current() -> Theme:
    global _current
    if _current is None:
        _current = Theme("light")
    return _current


def set_current(name: str) -> Theme:
    global _current
    _current = Theme(name)
    return _current


def show_as_error(widget: QWidget, bold: bool = False) -> None:
    """A message that names a problem (a refused value, a lost server, a broken audit chain) in the
    theme's error colour: one red for every such label, readable on the dark set's background too."""
    weight = " font-weight: bold;" if bold else ""
    widget.setStyleSheet(f"color: {current().color('error.fg').name()};{weight}")
