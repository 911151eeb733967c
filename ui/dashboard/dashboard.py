"""The statistics dashboard (统计分析): one trend chart at a time, a period switch, PNG export, drill-down.

The figures come from app.services.trends (SQL GROUP BY per period); this widget only picks the
trend, hands it to the chart and turns a clicked bar into the table query of the records behind it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings, Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from app.domain.levels import Module
from app.services import trends as T
from app.store import Store
from ui.common.theme import Theme, current
from ui.dashboard.charts import ChartData, TrendChart


@dataclass(frozen=True)
class ChartKind:
    key: str
    title: str
    module: Module | None  # None: the module box chooses
    mode: str


CONTEXT = "DashboardView"
CHARTS = (
    ChartKind("levels", QT_TRANSLATE_NOOP(CONTEXT, "各等级数量走势（期末）"), None, "grouped"),
    ChartKind("flow", QT_TRANSLATE_NOOP(CONTEXT, "新增与办结"), None, "grouped"),
    ChartKind("solved", QT_TRANSLATE_NOOP(CONTEXT, "破刑事案件与去年同期"), Module.CASE, "grouped"),
    ChartKind("disputes", QT_TRANSLATE_NOOP(CONTEXT, "矛盾纠纷排查发现与化解"), Module.DISPUTE, "grouped"),
    ChartKind("persons", QT_TRANSLATE_NOOP(CONTEXT, "重点人员各等级（期末）"), Module.PERSON, "grouped"),
    ChartKind("overdue", QT_TRANSLATE_NOOP(CONTEXT, "超期占比（期末）"), None, "line"),
    ChartKind("speed", QT_TRANSLATE_NOOP(CONTEXT, "录入至办结平均天数"), None, "grouped"),
    ChartKind("by_kind", QT_TRANSLATE_NOOP(CONTEXT, "刑事、行政案件受案"), Module.CASE, "stacked"),
    ChartKind("by_case_category", QT_TRANSLATE_NOOP(CONTEXT, "各案别受案"), Module.CASE, "stacked"),
    ChartKind("by_dispute_category", QT_TRANSLATE_NOOP(CONTEXT, "各类矛盾纠纷排查发现"), Module.DISPUTE, "stacked"),
    ChartKind("by_focus_area", QT_TRANSLATE_NOOP(CONTEXT, "各重点领域矛盾纠纷排查发现"), Module.DISPUTE, "stacked"),
)
#: The breakdown charts (分类统计): the trends dimension each stacks by; a bar opens its records.
BREAKDOWN_BY = {"by_kind": "category", "by_case_category": "case_category", "by_dispute_category": "category",
                "by_focus_area": "focus_area"}
GRAIN_LABELS = (("day", QT_TRANSLATE_NOOP(CONTEXT, "按日")), ("week", QT_TRANSLATE_NOOP(CONTEXT, "按周")),
                ("month", QT_TRANSLATE_NOOP(CONTEXT, "按月")), ("quarter", QT_TRANSLATE_NOOP(CONTEXT, "按季度")),
                ("year", QT_TRANSLATE_NOOP(CONTEXT, "按年")))
DEFAULT_PERIODS = {"day": 30, "week": 12, "month": 12, "quarter": 8, "year": 5}


class DashboardView(QWidget):
    """Trend charts of the station, with a drill-down to the table of the records behind a bar."""

    drill_down = Signal(str, object, str)
    """A bar or point was clicked: the module code, the TableQuery of its records, and a caption."""

    reloaded = Signal()
    """Another chart, module or period is shown (the title changed)."""

    def __init__(self, db: Store, theme: Theme | None = None, as_of: date | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._theme = theme or current()
        self._as_of = as_of
        self.trend: T.Trend | None = None

        self.chart_box = QComboBox()
        for kind in CHARTS:
            self.chart_box.addItem(self.tr(kind.title), kind.key)
        self.module_box = QComboBox()
        for m in (Module.CASE, Module.DISPUTE, Module.PERSON):
            self.module_box.addItem(self._module_name(m), m.value)
        self.grain_box = QComboBox()
        for key, label in GRAIN_LABELS:
            self.grain_box.addItem(self.tr(label), key)
        self.count_box = QSpinBox()
        self.count_box.setRange(2, 120)
        self.count_box.setSuffix(self.tr(" 期"))
        self.export_button = QPushButton(self.tr("导出图片…"))
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.title = QLabel()
        self.title.setObjectName("dashboardTitle")
        self.title.setFont(self._theme.font(3, bold=True))
        bar = QHBoxLayout()
        for label, w in ((self.tr("图表"), self.chart_box), (self.tr("模块"), self.module_box),
                         (self.tr("周期"), self.grain_box), (self.tr("显示"), self.count_box)):
            bar.addWidget(QLabel(label))
            bar.addWidget(w)
            bar.addSpacing(8)
        bar.addStretch(1)
        bar.addWidget(self.export_button)

        self.chart = TrendChart(self._theme)
        self.chart.point_clicked.connect(self._on_chart_point_clicked)
        box = QVBoxLayout(self)
        box.setContentsMargins(8, 8, 8, 8)
        box.addLayout(bar)
        box.addWidget(self.title)
        box.addWidget(self.chart, 1)

        self._restore_choices()
        for w in (self.chart_box, self.module_box, self.grain_box):
            w.currentIndexChanged.connect(self._on_choice_changed)
        self.count_box.valueChanged.connect(self._on_count_changed)
        self.reload()

    @staticmethod
    def _module_name(module: Module) -> str:
        from ui.records.columns import lang_index

        return module.zh if lang_index() == 0 else module.en

    # -- choices ------------------------------------------------------------------------------
    def kind(self) -> ChartKind:
        return CHARTS[self.chart_box.currentIndex()]

    def module(self) -> Module:
        return self.kind().module or Module(self._free_module)

    def grain(self) -> str:
        return self.grain_box.currentData()

    def as_of(self) -> date:
        return self._as_of or date.today()

    def set_choice(self, chart: str, module: str | None = None, grain: str | None = None,
                   count: int | None = None) -> None:
        """Show a chart (tests, menu shortcuts): the boxes follow, one reload at the end."""
        for w in (self.chart_box, self.module_box, self.grain_box, self.count_box):
            w.blockSignals(True)
        self.chart_box.setCurrentIndex([k.key for k in CHARTS].index(chart))
        if module:
            self._free_module = module
        if grain:
            self.grain_box.setCurrentIndex(self.grain_box.findData(grain))
            self.count_box.setValue(count or DEFAULT_PERIODS[grain])
        elif count:
            self.count_box.setValue(count)
        for w in (self.chart_box, self.module_box, self.grain_box, self.count_box):
            w.blockSignals(False)
        self.reload()

    def _restore_choices(self) -> None:
        s = QSettings()
        chart = s.value("dashboard/chart", "levels")
        grain = s.value("dashboard/grain", "month")
        self.chart_box.setCurrentIndex(max(0, self.chart_box.findData(chart)))
        self._free_module = s.value("dashboard/module", "case")
        if self.module_box.findData(self._free_module) < 0:
            self._free_module = "case"
        self.grain_box.setCurrentIndex(max(0, self.grain_box.findData(grain)))
        self.count_box.setValue(int(s.value("dashboard/count", DEFAULT_PERIODS.get(grain, 12))))

    def _on_choice_changed(self, _index: int) -> None:
        if self.sender() is self.module_box:
            self._free_module = self.module_box.currentData()
        if self.sender() is self.grain_box:
            self.count_box.blockSignals(True)
            self.count_box.setValue(DEFAULT_PERIODS[self.grain()])
            self.count_box.blockSignals(False)
        s = QSettings()  # values, never combobox indices
        s.setValue("dashboard/chart", self.kind().key)
        s.setValue("dashboard/module", self._free_module)
        s.setValue("dashboard/grain", self.grain())
        s.setValue("dashboard/count", self.count_box.value())
        self.reload()

    def _on_count_changed(self, value: int) -> None:
        QSettings().setValue("dashboard/count", value)
        self.reload()

    # -- data ----------------------------------------------------------------------------------
    def _range(self) -> tuple[date, date]:
        end = self.as_of()
        p = T.period_of(self.grain(), end)
        for _ in range(self.count_box.value() - 1):
            p = p.previous()
        return p.start, end

    def reload(self) -> None:
        """Query the chosen trend and draw it."""
        kind, module, grain = self.kind(), self.module(), self.grain()
        # A chart of one module shows that module in the (disabled) box; the free choice is kept.
        self.module_box.blockSignals(True)
        self.module_box.setCurrentIndex(self.module_box.findData(module.value))
        self.module_box.blockSignals(False)
        self.module_box.setEnabled(kind.module is None)
        start, end = self._range()
        kw = dict(start=start, as_of=end)
        unit = self.tr("人") if module == Module.PERSON else self.tr("件")
        if kind.key in ("levels", "persons"):
            # The active levels side by side, each readable (red disputes too); green, the closed
            # records, is far larger and told apart in the legend and the read-out.
            trend = T.level_series(self._db, module, grain, **kw)
            data = ChartData.from_trend(trend, keys=("red", "orange", "yellow", "green"), mode="grouped",
                                        y_title=unit, apart_keys=("green",))
        elif kind.key in ("flow", "disputes"):
            trend = T.event_series(self._db, module, ("new", "closed"), grain, **kw)
            data = ChartData.from_trend(trend, mode="grouped", y_title=unit)
        elif kind.key == "solved":
            trend = T.last_year_series(self._db, Module.CASE, "solved", grain, **kw)
            data = ChartData.from_trend(trend, keys=("current", "last_year"), mode="grouped", y_title=self.tr("件"))
        elif kind.key in BREAKDOWN_BY:
            trend = T.event_series(self._db, module, ("new",), grain, by=BREAKDOWN_BY[kind.key], **kw)
            data = ChartData.from_trend(trend, mode="stacked", y_title=self.tr("件"))
        elif kind.key == "overdue":
            trend = T.overdue_series(self._db, module, grain, **kw)
            data = ChartData.from_trend(trend, keys=("share",), mode="line", y_title=self.tr("超期占比"),
                                        percent=True)
        else:
            trend = T.days_to_green_series(self._db, module, grain, **kw)
            data = ChartData.from_trend(trend, keys=("red", "orange", "yellow"), mode="grouped",
                                        y_title=self.tr("天"))
        self.trend = trend
        title = self.tr(kind.title)
        heading = title if kind.module else self.tr("%1：%2").replace("%1", self._module_name(module)).replace(
            "%2", title)
        first, last = data.labels[0], data.labels[-1]
        self.title.setText(self.tr("%1　%2 至 %3").replace("%1", heading).replace("%2", first).replace("%3", last)
                           + self.tr("（数据截至 %1）").replace("%1", end.isoformat()))
        self.chart.set_data(data)
        self.reloaded.emit()

    def _on_chart_point_clicked(self, index: int, key: str) -> None:
        if self.trend is None:
            return
        if self.trend.spec.kind == "overdue":
            key = "overdue"  # the share's point opens the overdue records it counts
        query = T.point_query(self._db, self.trend, index, key)
        label = next((lab for k, lab, *_ in self.chart.data.series if k == key), key)
        if self.trend.spec.kind == "overdue":
            label = self.tr("超期")
        caption = f"{self._module_name(self.module())} {self.chart.data.labels[index]} {label} ({len(query.ids)})"
        self.drill_down.emit(self.module().value, query, caption)

    # -- export --------------------------------------------------------------------------------
    def _on_export_button_clicked(self) -> None:
        from PySide6.QtCore import QStandardPaths

        folder = QSettings().value("dashboard/export_dir", "") or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        name = f"{self.kind().key}_{self.module().value}_{self.grain()}_{self.as_of():%Y%m%d}.png"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出图片"), str(Path(folder) / name),
                                              self.tr("PNG 图片 (*.png)"))
        if path:
            self.export_png(path)
            QSettings().setValue("dashboard/export_dir", str(Path(path).parent))

    def export_png(self, path: str, width: int = 1600) -> None:
        self.chart.export_png(path, width)


__all__ = ["DashboardView", "CHARTS", "GRAIN_LABELS"]
