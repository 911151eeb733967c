"""Trend charts (pyqtgraph): stacked or grouped bars and lines over a date axis, hover read-out, clickable points.

Imported only when the dashboard (or a PDF with figures) is first needed: pyqtgraph and numpy
cost ~0.5 s at start-up (shared/PERFORMANCE.md), never before the first window paint.
Items are created once per series and updated with setOpts/setData on every new trend.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timezone

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from app.reports.model import Figure
from ui.common.theme import FONT_FAMILIES, Theme, current

#: Colours of series that are not levels (new, closed, last year…): the theme's accent, then
#: muted greys, never a level colour, so red keeps meaning "red level".
OTHER_TOKENS = ("accent", "text.muted", "border", "selection.bg")
#: Groups of a breakdown (案别, 重点领域…) beyond the theme's few: distinct hues, none of them a level's
#: red, orange, yellow or green, so a group is never read as a warning level.
CATEGORY_COLOURS = ("#1F5FA8", "#7B4FA0", "#2A9D9F", "#8C5A3C", "#5C6670", "#C2649A", "#9BB7D4", "#B9A3D0",
                    "#7FC6C5", "#C9A98F")
DAY = 86400


def ts(day: date) -> float:
    """Seconds since the epoch of midnight UTC on `day` (the axis runs in UTC: no DST shifts)."""
    return float(calendar.timegm(day.timetuple()))


def _en() -> bool:
    from ui.records.columns import lang_index

    return lang_index() == 1


def series_label(series) -> str:
    """A trend series' name in the interface language (the service names them in Chinese)."""
    if not _en():
        return series.label
    from app.domain.levels import LEVEL_NAMES, Level
    from app.services.trends import EVENT_NAMES, MODULE_EVENT_NAMES

    if series.level and series.key in ("red", "orange", "yellow", "green"):
        return LEVEL_NAMES[Level(series.level)][1]
    if series.key.startswith("n_") and series.level:
        return f"{LEVEL_NAMES[Level(series.level)][1]} (count)"
    english = {zh: en for names in (EVENT_NAMES, *MODULE_EVENT_NAMES.values()) for zh, en in names.values()}
    english.update({"超期": "Overdue", "在办": "Active", "超期占比": "Overdue share", "同比": "Year on year",
                    "未指定": "Not given"})
    if series.label.startswith("去年同期"):
        return english.get(series.label[4:], series.label[4:]) + " a year earlier"
    return english.get(series.label, series.label)


def period_label(p) -> str:
    """The period in full, for the read-out and titles: 2025年5月 / May 2025."""
    if not _en():
        return p.label_zh
    s = p.start
    if p.grain == "day":
        return f"{s:%d %b %Y}".lstrip("0")
    if p.grain == "week":
        y, w, _ = s.isocalendar()
        return f"week {w} of {y} ({s:%d %b}–{p.end:%d %b})"
    if p.grain == "month":
        return f"{s:%B %Y}"
    if p.grain == "quarter":
        return f"Q{(s.month - 1) // 3 + 1} {s.year}"
    return str(s.year)


def period_tick(p) -> str:
    """The short label under a period's slot."""
    s = p.start
    if not _en():
        return p.short_label
    return {"day": f"{s.day} {s:%b}", "week": f"W{s.isocalendar()[1]}", "month": f"{s:%b %y}",
            "quarter": f"Q{(s.month - 1) // 3 + 1} {s:%y}", "year": str(s.year)}[p.grain]


def integer_step(top: float, target_ticks: int = 6) -> int:
    """A whole tick step (1, 2, 5, 10, 20, 50…) giving at most about `target_ticks` ticks up to `top`."""
    step = 1
    while top / step > target_ticks:
        for f in (2, 2.5, 2):  # 1 → 2 → 5 → 10 → 20 → 50 …
            step = int(step * f)
            if top / step <= target_ticks:
                break
    return max(1, step)


class ZhDateAxis(pg.DateAxisItem):
    """A date axis with Chinese labels in document style (2025年, 5月, 5月15日)."""

    def __init__(self, **kw):
        super().__init__(utcOffset=0, **kw)

    def tickStrings(self, values, scale, spacing):
        out = []
        for v in values:
            d = datetime.fromtimestamp(v, tz=timezone.utc)
            if spacing >= 360 * DAY:
                out.append(f"{d.year}年")
            elif spacing >= 28 * DAY:
                out.append(f"{d.year}年{d.month}月" if d.month == 1 else f"{d.month}月")
            elif spacing >= DAY:
                out.append(f"{d.month}月{d.day}日")
            else:
                out.append(f"{d:%H:%M}")
        return out


@dataclass(frozen=True)
class ChartData:
    """What a chart draws: one slot per period (start, end inclusive, label) and the series."""

    starts: tuple[date, ...]
    ends: tuple[date, ...]
    labels: tuple[str, ...]
    series: tuple  # of (key, label, values, level or None)
    mode: str = "stacked"  # "stacked", "grouped" or "line"
    y_title: str = ""
    percent: bool = False  # values are fractions of 1, shown as %
    #: The short label of each period under its slot (5月15日, 第19周, 25年5月, 25年Q2, 2025年).
    ticks: tuple[str, ...] = ()
    #: Series told in the read-out and the legend but not drawn as bars (green: the closed
    #: records, far more than the active ones, would flatten red into a sliver).
    apart: tuple = ()
    #: Whole counts: the value axis ticks at integers only.
    integer: bool = True

    @classmethod
    def from_trend(cls, trend, keys=None, mode: str = "stacked", y_title: str = "", percent: bool = False,
                   apart_keys=()):
        ss = [s for s in trend.series if keys is None or s.key in keys]
        if keys is not None:
            ss.sort(key=lambda s: list(keys).index(s.key))
        drawn = tuple((s.key, series_label(s), s.values, s.level) for s in ss if s.key not in apart_keys)
        apart = tuple((s.key, series_label(s), s.values, s.level) for s in ss if s.key in apart_keys)
        integer = not percent and all(float(v).is_integer() for *_x, vs, _l in drawn for v in vs if v is not None)
        return cls(tuple(p.start for p in trend.periods), tuple(w.end for w in trend.windows),
                   tuple(period_label(p) for p in trend.periods), drawn, mode, y_title, percent,
                   tuple(period_tick(p) for p in trend.periods), apart, integer)


class TrendChart(QWidget):
    """One chart with its legend, a read-out line under it and clickable bars or points."""

    point_clicked = Signal(int, str)
    """A bar or point was clicked: the period's index and the series key."""
    hovered = Signal(str)
    """The read-out text changed (the period and every series' value under the mouse)."""

    def __init__(self, theme: Theme | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._theme = theme or current()
        pg.setConfigOptions(antialias=False)  # 1 px pens without antialiasing: 5-10 ms redraws
        self.plot = pg.PlotWidget(axisItems={"bottom": ZhDateAxis(orientation="bottom")})
        self.plot.setBackground(self._theme.color("panel.bg"))
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(x=False, y=True, alpha=0.25)
        font = self._theme.font(-1)
        for name in ("bottom", "left"):
            axis = self.plot.getAxis(name)
            axis.setTickFont(font)
            axis.setTextPen(self._theme.color("text"))
            axis.setPen(self._theme.color("border"))
        # One row, above the bars (the view keeps headroom for it): it never covers a bar.
        self.legend = self.plot.addLegend(offset=(-10, 4), labelTextColor=self._theme.color("text"),
                                          brush=pg.mkBrush(self._theme.color("panel.bg")))
        self.legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-10, 4))
        self._apart_samples: list = []
        self.readout = QLabel(" ")
        self.readout.setObjectName("chartReadout")
        self.readout.setTextFormat(Qt.TextFormat.PlainText)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(4)
        box.addWidget(self.plot, 1)
        box.addWidget(self.readout)
        self._bars: dict[str, pg.BarGraphItem] = {}
        self._lines: dict[str, pg.PlotDataItem] = {}
        self.data: ChartData | None = None
        self._geometry: list[dict[str, tuple[float, float, float, float]]] = []  # per period: key -> x0,x1,y0,y1
        scene = self.plot.scene()
        scene.sigMouseMoved.connect(self._on_scene_mouse_moved)
        scene.sigMouseClicked.connect(self._on_scene_mouse_clicked)

    # -- drawing -------------------------------------------------------------------------------
    def colour(self, index: int, level: str | None) -> QColor:
        if level:
            return self._theme.level_chip(level)
        if self.data is not None and len(self.data.series) > len(OTHER_TOKENS):
            return QColor(CATEGORY_COLOURS[index % len(CATEGORY_COLOURS)])
        return self._theme.color(OTHER_TOKENS[index % len(OTHER_TOKENS)])

    def set_data(self, data: ChartData) -> None:
        """Draw `data`, reusing the items of series already shown (setOpts / setData)."""
        self.data = data
        n = len(data.starts)
        xs = [ts(s) for s in data.starts]
        widths = [ts(e) + DAY - ts(s) for s, e in zip(data.starts, data.ends)]
        full = [self._period_width(i, data) for i in range(n)]
        keys = {key for key, *_ in data.series}
        for key in list(self._bars):
            if key not in keys or data.mode == "line":
                self.plot.removeItem(self._bars.pop(key))
        for key in list(self._lines):
            if key not in keys or data.mode != "line":
                self.plot.removeItem(self._lines.pop(key))
        self.legend.clear()
        self._geometry = [{} for _ in range(n)]
        bottoms = [0.0] * n
        count = max(1, len(data.series))
        for k, (key, label, values, level) in enumerate(data.series):
            colour = self.colour(k, level)
            vals = [float(v) if v is not None else 0.0 for v in values]
            if data.mode == "line":
                item = self._lines.get(key)
                centres = [x + w / 2 for x, w in zip(xs, widths)]
                if item is None:
                    item = self._lines[key] = pg.PlotDataItem()
                    self.plot.addItem(item)
                ys = [v * 100 if data.percent and v is not None else (v if v is not None else float("nan"))
                      for v in values]
                item.setData(centres, ys, pen=pg.mkPen(colour, width=2), symbol="o", symbolSize=7,
                             symbolBrush=colour, symbolPen=colour, connect="finite")
                self.legend.addItem(item, label)
                for i, y in enumerate(ys):
                    if y == y:  # not NaN
                        half = full[i] * 0.2
                        self._geometry[i][key] = (centres[i] - half, centres[i] + half, y, y)
                continue
            if data.mode == "stacked":
                x0 = [x + w * 0.1 for x, w in zip(xs, full)]
                w = [fw * 0.8 for fw in full]
                y0 = list(bottoms)
                bottoms = [b + v for b, v in zip(bottoms, vals)]
            else:  # grouped: the series side by side inside 80 % of the period
                w = [fw * 0.8 / count for fw in full]
                x0 = [x + fw * 0.1 + k * ww for x, fw, ww in zip(xs, full, w)]
                y0 = [0.0] * n
            item = self._bars.get(key)
            opts = dict(x0=x0, width=w, y0=y0, height=vals, brush=pg.mkBrush(colour),
                        pen=pg.mkPen(self._theme.color("panel.bg"), width=1))
            if item is None:
                item = self._bars[key] = pg.BarGraphItem(**opts)
                self.plot.addItem(item)
            else:
                item.setOpts(**opts)
            item.setZValue(-k)
            self.legend.addItem(item, label)
            for i in range(n):
                if vals[i]:
                    self._geometry[i][key] = (x0[i], x0[i] + w[i], y0[i], y0[i] + vals[i])
        # The unit reads horizontally above the value axis, not rotated along it.
        self.plot.setTitle(data.y_title + (" (%)" if data.percent else ""), justify="left",
                           color=self._theme.tokens["text.muted"], size=f"{self._theme.font(-1).pointSizeF():.0f}pt")
        self._add_apart_legend(data)
        self.legend.setColumnCount(max(1, len(data.series) + len(data.apart)))
        if n:
            self.plot.setXRange(xs[0], xs[-1] + full[-1], padding=0.02)
        if data.mode == "stacked":
            top = max([*bottoms, 0.0])
        else:
            top = max([float(v) for _, _, vs, _ in data.series for v in vs if v is not None] + [0.0])
        top *= 100 if data.percent else 1
        left = self.plot.getAxis("left")
        if data.integer:
            step = integer_step(max(top, 1))
            left.setTickSpacing(step, step)
            head = step * (int(max(top, 1) / step) + 1)  # a whole step above the tallest bar…
            head = max(head, top * 1.18)                  # …and room for the legend row
        else:
            left.setTickSpacing()
            head = max(top * 1.18, 1)
        self.plot.setYRange(0, head, padding=0)
        # A label under every period, centred on its slot; when they do not all fit, every k-th
        # is labelled and each period still has its tick.
        centres = [x + fw / 2 for x, fw in zip(xs, full)]
        labels = data.ticks or data.labels
        k = self._label_step(labels)
        bottom = self.plot.getAxis("bottom")
        bottom.setTicks([[(c, t) for i, (c, t) in enumerate(zip(centres, labels)) if i % k == 0],
                         [(c, "") for i, c in enumerate(centres) if i % k]])
        self.tick_step = k
        self.readout.setText(self.tr("指向柱形或数据点查看数值；单击查看对应记录"))

    def _label_step(self, labels) -> int:
        """Label every period when the labels fit the plot's width, else every k-th."""
        from PySide6.QtGui import QFontMetrics

        if not labels:
            return 1
        fm = QFontMetrics(self._theme.font(-1))
        need = max(fm.horizontalAdvance(t) for t in labels) + 12
        width = max(self.plot.width() - 80, 200)
        k = 1
        while len(labels) / k * need > width:
            k += 1
        return k

    def _add_apart_legend(self, data: "ChartData") -> None:
        """Series told apart (green) get a legend entry with their latest figure, drawn as no bar."""
        for sample in self._apart_samples:
            self.plot.removeItem(sample)
        self._apart_samples = []
        for k, (_key, label, values, level) in enumerate(data.apart):
            # A bar of no size: the legend shows its colour, the plot shows nothing.
            item = pg.BarGraphItem(x0=[0], width=[0], y0=[0], height=[0], brush=pg.mkBrush(self.colour(k, level)),
                                   pen=None)
            self.plot.addItem(item)
            self._apart_samples.append(item)
            last = values[-1] if values else None
            self.legend.addItem(item, self.tr("%1（另计，期末 %2）").replace("%1", label)
                                .replace("%2", "—" if last is None else _num(last)))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.data is not None and self.data.ticks:
            k = self._label_step(self.data.ticks)
            if k != getattr(self, "tick_step", 1):
                self.set_data(self.data)

    @staticmethod
    def _period_width(i: int, data: ChartData) -> float:
        """The whole period's width (the last one may be cut short at as_of, but keeps its slot)."""
        if i + 1 < len(data.starts):
            return ts(data.starts[i + 1]) - ts(data.starts[i])
        if len(data.starts) > 1:
            return ts(data.starts[-1]) - ts(data.starts[-2])
        return ts(data.ends[-1]) + DAY - ts(data.starts[-1])

    # -- hit testing -----------------------------------------------------------------------------
    def hit(self, x: float, y: float) -> tuple[int, str | None]:
        """(period index, series key) under view coordinates (x, y); key None between bars."""
        if self.data is None:
            return -1, None
        index = -1
        for i, s in enumerate(self.data.starts):
            if ts(s) <= x < ts(s) + self._period_width(i, self.data):
                index = i
        if index < 0:
            return -1, None
        best, best_d = None, None
        for key, (x0, x1, y0, y1) in self._geometry[index].items():
            if self.data.mode == "line":
                d = abs(y - y0)
                if x0 <= x <= x1 and (best_d is None or d < best_d):
                    best, best_d = key, d
            elif x0 <= x <= x1 and min(y0, y1) <= y <= max(y0, y1):
                best = key
        if self.data.mode == "line" and best is not None:
            span = self.plot.getViewBox().viewRange()[1]
            if best_d > (span[1] - span[0]) * 0.06:  # only near a point
                best = None
        return index, best

    def centre_of(self, index: int, key: str) -> QPointF:
        """The view coordinates of the middle of a bar or a point (for tests and keyboard use)."""
        x0, x1, y0, y1 = self._geometry[index][key]
        return QPointF((x0 + x1) / 2, (y0 + y1) / 2)

    def readout_text(self, index: int) -> str:
        d = self.data
        parts = []
        for _key, label, values, _level in (*d.series, *d.apart):
            v = values[index]
            parts.append(f"{label} {'—' if v is None else (f'{v * 100:.1f}%' if d.percent else _num(v))}")
        cut = (self.tr("（截至 %1）").replace("%1", d.ends[index].isoformat())
               if index == len(d.starts) - 1 else "")
        sep, colon = (", ", ": ") if _en() else ("，", "：")
        return f"{d.labels[index]}{cut}{colon}" + sep.join(parts)

    def _view_point(self, scene_pos) -> QPointF | None:
        vb = self.plot.getViewBox()
        if not vb.sceneBoundingRect().contains(scene_pos):
            return None
        return vb.mapSceneToView(scene_pos)

    def _on_scene_mouse_moved(self, scene_pos) -> None:
        p = self._view_point(scene_pos)
        if p is None or self.data is None:
            return
        index, _key = self.hit(p.x(), p.y())
        if index >= 0:
            text = self.readout_text(index)
            if text != self.readout.text():
                self.readout.setText(text)
                self.hovered.emit(text)

    def _on_scene_mouse_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        p = self._view_point(event.scenePos())
        if p is None:
            return
        index, key = self.hit(p.x(), p.y())
        if index >= 0 and key is not None:
            self.point_clicked.emit(index, key)

    # -- export -------------------------------------------------------------------------------------
    def export_png(self, path: str, width: int = 1600) -> None:
        """The chart (with its legend) as a PNG, `width` pixels wide."""
        from pyqtgraph.exporters import ImageExporter

        exporter = ImageExporter(self.plot.getPlotItem())
        exporter.parameters()["width"] = width
        exporter.export(str(path))


def _num(v) -> str:
    return f"{v:.1f}" if isinstance(v, float) and not v.is_integer() else f"{int(v)}"


def figure_image(figure: Figure, width_px: int = 1600, height_px: int = 700, theme: Theme | None = None) -> QImage:
    """A report figure drawn by the same chart code, for the PDF (needs a QApplication)."""
    from pyqtgraph.exporters import ImageExporter

    theme = theme or current()
    plot = pg.PlotWidget()
    plot.setBackground("w")
    plot.resize(width_px // 2, height_px // 2)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.showGrid(x=False, y=True, alpha=0.25)
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(8)
    legend = plot.addLegend(offset=(10, 5), labelTextColor=QColor("#1F1F1F"), brush=pg.mkBrush(255, 255, 255, 210))
    n = len(figure.categories)
    bottoms = [0.0] * n
    count = max(1, len(figure.series))
    for k, s in enumerate(figure.series):
        colour = theme.level_chip(s.level) if s.level else theme.color(OTHER_TOKENS[k % len(OTHER_TOKENS)])
        vals = [float(v or 0) for v in s.values]
        if figure.kind == "line":
            item = pg.PlotDataItem(list(range(n)), vals, pen=pg.mkPen(colour, width=2), symbol="o",
                                   symbolBrush=colour, symbolSize=6)
        elif figure.stacked:
            item = pg.BarGraphItem(x0=[i - 0.4 for i in range(n)], width=0.8, y0=list(bottoms), height=vals,
                                   brush=pg.mkBrush(colour), pen=pg.mkPen("w"))
            bottoms = [b + v for b, v in zip(bottoms, vals)]
        else:
            w = 0.8 / count
            item = pg.BarGraphItem(x0=[i - 0.4 + k * w for i in range(n)], width=w, y0=0, height=vals,
                                   brush=pg.mkBrush(colour), pen=pg.mkPen("w"))
        plot.addItem(item)
        legend.addItem(item, s.name)
    step = max(1, n // 12)
    axis = plot.getAxis("bottom")
    axis.setTicks([[(i, figure.categories[i]) for i in range(0, n, step)]])
    for name in ("bottom", "left"):
        plot.getAxis(name).setTickFont(font)
        plot.getAxis(name).setTextPen(QColor("#1F1F1F"))
    plot.setLabel("left", figure.y_title, color="#1F1F1F")
    top = max([*bottoms, *(float(v or 0) for s in figure.series for v in s.values), 1.0])
    plot.setYRange(0, top * 1.15, padding=0)
    plot.setXRange(-0.6, n - 0.4, padding=0)
    # The view box lays out its items on resize events: show the plot (never on screen) and let
    # the events run, or the export draws the axes without the bars.
    plot.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    plot.show()
    QApplication.processEvents()
    exporter = ImageExporter(plot.getPlotItem())
    exporter.parameters()["width"] = width_px
    image = exporter.export(toBytes=True)
    plot.close()
    plot.deleteLater()
    return image
