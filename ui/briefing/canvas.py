"""Drawing a slide: a 1920x1080 design canvas scaled onto any screen or PDF page, in the projector theme.

Every slide is laid out once, in the units of a 1080-line screen, and painted through a scaled
QPainter: on a 1280x720 window everything is two thirds of the size, on a 4K projector twice
the size, and a 16:10 projector gets thin bands above and below. Type sizes are therefore a
fixed share of the window height (a 36-unit line is 1/30 of the screen at any resolution),
which is what "readable from the back of the room" depends on. The same calls paint into the
PDF handout, where text stays text (searchable, copyable).

Each string painted is also recorded (`texts`), with the ones that had to be shortened
(`elided`): the tests read what is on the wall, and what was cut, from the painting itself.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF

from app.domain.levels import Level
from ui.common.theme import FONT_FAMILIES, Theme

WIDTH = 1920
HEIGHT = 1080
ASPECT = WIDTH / HEIGHT
#: The PDF font: WenQuanYi Micro Hei maps every character back to itself in the PDF's text
#: layer; Noto Sans CJK turns some (月 日 民) into Kangxi radicals for pdftotext (ECOSYSTEM gotcha 3).
PDF_FAMILY = "WenQuanYi Micro Hei"

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter

#: A shape per level, so the levels differ for colour-blind viewers and on a washed-out or
#: black-and-white copy too: red a triangle (warning), orange a diamond, yellow a square,
#: green a circle. The level's name is always written next to it.
SHAPES = {Level.RED: "triangle", Level.ORANGE: "diamond", Level.YELLOW: "square", Level.GREEN: "circle"}


def fit_rect(width: float, height: float) -> QRectF:
    """Where the 16:9 canvas goes inside a width x height area: as large as fits, centred."""
    if width <= 0 or height <= 0:
        return QRectF()
    if width / height > ASPECT:
        w = height * ASPECT
        return QRectF((width - w) / 2, 0, w, height)
    h = width / ASPECT
    return QRectF(0, (height - h) / 2, width, h)


def pdf_families() -> list[str]:
    """The font list for PDFs: WenQuanYi first where it is installed, then the screen fonts."""
    if PDF_FAMILY in QFontDatabase.families():
        return [PDF_FAMILY] + [f for f in FONT_FAMILIES if f != PDF_FAMILY]
    return list(FONT_FAMILIES)


class SlidePainter:
    """Painting helpers in canvas units (1920x1080) with the theme's tokens; records every text."""

    def __init__(self, painter: QPainter, theme: Theme, families: list[str] | None = None):
        self.p = painter
        self.theme = theme
        self.families = families or list(FONT_FAMILIES)
        self.texts: list[str] = []
        self.elided: list[str] = []
        self._fonts: dict[tuple[float, bool], QFont] = {}
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)

    # -- fonts and measures -------------------------------------------------------------------
    def font(self, size: float, bold: bool = False) -> QFont:
        key = (round(size, 1), bold)
        f = self._fonts.get(key)
        if f is None:
            f = QFont()
            f.setFamilies(self.families)
            # Pixel units of the canvas, so that a size is the same share of the screen height on
            # every device, the PDF writer's 1200 dpi included.
            f.setPixelSize(max(1, round(size)))
            f.setBold(bold)
            f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            self._fonts[key] = f
        return f

    def measure(self, text: str, size: float, bold: bool = False) -> float:
        return QFontMetricsF(self.font(size, bold)).horizontalAdvance(text)

    def color(self, token: str) -> QColor:
        return self.theme.color(token)

    # -- shapes -----------------------------------------------------------------------------
    def rect(self, x: float, y: float, w: float, h: float, fill: str | None = None, border: str | None = None,
             radius: float = 0.0, border_width: float = 2.0) -> None:
        self.p.setPen(QPen(self.color(border), border_width) if border else Qt.PenStyle.NoPen)
        self.p.setBrush(QBrush(self.color(fill)) if fill else Qt.BrushStyle.NoBrush)
        if radius:
            self.p.drawRoundedRect(QRectF(x, y, w, h), radius, radius)
        else:
            self.p.drawRect(QRectF(x, y, w, h))

    def line(self, x1: float, y1: float, x2: float, y2: float, token: str = "grid", width: float = 2.0) -> None:
        self.p.setPen(QPen(self.color(token), width))
        self.p.drawLine(QPointF(x1, y1), QPointF(x2, y2))

    def marker(self, level: Level | str, cx: float, cy: float, size: float) -> None:
        """The level's shape in its colour with a dark outline, centred on (cx, cy)."""
        lv = Level(level)
        r = size / 2
        self.p.setPen(QPen(self.color("text"), max(1.5, size / 16)))
        self.p.setBrush(QBrush(self.theme.level_chip(lv)))
        shape = SHAPES[lv]
        if shape == "circle":
            self.p.drawEllipse(QPointF(cx, cy), r * 0.9, r * 0.9)
        elif shape == "square":
            self.p.drawRect(QRectF(cx - r * 0.8, cy - r * 0.8, r * 1.6, r * 1.6))
        elif shape == "diamond":
            self.p.drawPolygon(QPolygonF([QPointF(cx, cy - r), QPointF(cx + r, cy), QPointF(cx, cy + r),
                                          QPointF(cx - r, cy)]))
        else:
            path = QPainterPath()
            path.moveTo(cx, cy - r)
            path.lineTo(cx + r, cy + r * 0.8)
            path.lineTo(cx - r, cy + r * 0.8)
            path.closeSubpath()
            self.p.drawPath(path)

    def level_tag(self, level: Level | str, name: str, x: float, cy: float, size: float,
                  bold: bool = True) -> float:
        """Shape and name side by side; returns the width used."""
        self.marker(level, x + size * 0.55, cy, size)
        w = self.measure(name, size, bold)
        self.text(x + size * 1.3, cy - size * 0.8, w + 4, size * 1.6, name, size, bold)
        return size * 1.3 + w

    # -- text -------------------------------------------------------------------------------
    def text(self, x: float, y: float, w: float, h: float, text: str, size: float, bold: bool = False,
             color: str = "text", align=LEFT, fit: str = "elide", min_scale: float = 0.7) -> float:
        """Draw `text` in the box; too wide, it is shrunk ("shrink", down to `min_scale`) and then
        cut with an ellipsis. Returns the width drawn."""
        if not text:
            return 0.0
        font = self.font(size, bold)
        width = QFontMetricsF(font).horizontalAdvance(text)
        if width > w and fit == "shrink":
            # Whole pixels, rounded down: a rounded-up size would not fit after all.
            scaled = max(math.ceil(size * min_scale), math.floor(size * w / width))
            font = self.font(scaled, bold)
            width = QFontMetricsF(font).horizontalAdvance(text)
        shown = text
        if width > w + 0.5:
            shown = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, w)
            self.elided.append(text)
            width = QFontMetricsF(font).horizontalAdvance(shown)
        self.p.setFont(font)
        self.p.setPen(self.color(color))
        self.p.drawText(QRectF(x, y, w, h), int(align), shown)
        self.texts.append(shown)
        return width
