"""One module's record list: the level legend with counts (also the level filter), search, the table.

Everything it shows comes from app.services.tables: the view builds a `TableQuery` from its
controls and hands it to the model (ids, pages) and to `level_counts`; it runs no SQL itself.
"""
from __future__ import annotations

from dataclasses import replace
from functools import partial

from PySide6.QtCore import QCoreApplication, QEvent, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QCheckBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QSizePolicy, QTableView, QVBoxLayout, QWidget)

from app.db import Database
from app.domain.levels import LEVEL_ORDER, MEANINGS, Level, Module
from app.services import tables
from app.services.tables import TableQuery
from ui.common.resources import icon
from ui.common.table_model import RecordTableModel
from ui.common.theme import Theme, current
from ui.records.columns import lang_index, model_columns, widths

#: Keystrokes are gathered for this long before a search runs (PERFORMANCE.md: 250–300 ms).
SEARCH_DEBOUNCE_MS = 250


def _tr(text: str, n: int = -1) -> str:
    return QCoreApplication.translate("RecordTableView", text, None, n)


class LevelCard(QAbstractButton):
    """A level's legend entry: colour, name, what it means in this module and how many records
    have it. Checkable: unticking it hides that level from the table."""

    def __init__(self, module: Module, level: Level, theme: Theme, parent: QWidget | None = None):
        super().__init__(parent)
        self.level = level
        self._theme = theme
        self._count = 0
        self.setCheckable(True)
        self.setChecked(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        meaning = MEANINGS[module][level]
        zh = lang_index() == 0
        self._name = level.zh if zh else level.en
        self._title = QLabel(self._name)
        self._title.setFont(theme.font(1.5, bold=True))
        self._count_label = QLabel()
        self._count_label.setFont(theme.font(3, bold=True))
        self._count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._meaning = QLabel(meaning.zh if zh else meaning.en)
        self._meaning.setWordWrap(True)
        self._action = QLabel("→ " + (meaning.action_zh if zh else meaning.action_en))
        self._action.setProperty("role", "muted")
        self._unit = module
        for label in (self._title, self._count_label, self._meaning, self._action):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self._title)
        top.addStretch(1)
        top.addWidget(self._count_label)
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 6, 10, 6)
        box.setSpacing(2)
        box.addLayout(top)
        box.addWidget(self._meaning)
        box.addWidget(self._action)
        self.toggled.connect(self._on_toggled)
        self.set_count(0)
        self._on_toggled(True)

    def count(self) -> int:
        return self._count

    def count_text(self) -> str:
        return self._count_label.text()

    def set_count(self, n: int) -> None:
        self._count = n
        unit = {Module.PERSON: _tr("%n 人", n)}.get(self._unit, _tr("%n 起", n))
        self._count_label.setText(unit)

    def _on_toggled(self, checked: bool) -> None:
        shown = _tr("显示中，点击隐藏{0}记录") if checked else _tr("已隐藏，点击显示{0}记录")
        self.setToolTip(shown.format(self._name))
        self.setAccessibleName(f"{self._name} {self._count_label.text()}")
        muted = self._theme.tokens["text.muted"]
        for label in (self._title, self._count_label, self._meaning):
            label.setStyleSheet("" if checked else f"color: {muted};")
        self.update()

    def sizeHint(self) -> QSize:
        return self.layout().sizeHint()

    def minimumSizeHint(self) -> QSize:
        return QSize(180, self.layout().minimumSize().height())

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        path = QPainterPath()
        path.addRoundedRect(rect, 5, 5)
        on = self.isChecked()
        p.fillPath(path, self._theme.level_background(self.level) if on else self._theme.brush("filter.off.bg"))
        stripe = QPainterPath()
        stripe.addRoundedRect(QRectF(rect.left(), rect.top(), 8, rect.height()), 4, 4)
        chip = self._theme.level_chip(self.level)
        p.fillPath(stripe, chip if on else self._theme.color("border"))
        pen = QPen(chip if on else self._theme.color("border"), 2 if self.hasFocus() else 1)
        if not on:
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawPath(path)
        p.end()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()


class RecordTableView(QWidget):
    """The whole list of one module, filtered and sorted in SQL."""

    totals_changed = Signal(int, int)
    """The number of rows shown and how many of them are overdue changed."""

    def __init__(self, db: Database, module: Module | str, theme: Theme | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.module = Module(module)
        self._db = db
        self._theme = theme or current()
        self._overdue = 0

        self.cards = {lv: LevelCard(self.module, lv, self._theme) for lv in LEVEL_ORDER}
        legend = QHBoxLayout()
        legend.setSpacing(8)
        for card in self.cards.values():
            card.toggled.connect(self._on_filter_changed)
            legend.addWidget(card, 1)

        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setPlaceholderText(_tr("搜索：编号、姓名或拼音首字母、地点、社区…"))
        self.search.setMinimumWidth(360)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._on_filter_changed)
        self.search.textChanged.connect(self._debounce.start)
        self.overdue_only = QCheckBox(_tr("只看超期"))
        self.overdue_only.setIcon(icon("overdue"))
        self.overdue_only.toggled.connect(self._on_filter_changed)
        self.total_label = QLabel()
        self.total_label.setObjectName("totalLabel")
        tools = QHBoxLayout()
        tools.addWidget(self.search, 2)
        tools.addSpacing(12)
        tools.addWidget(self.overdue_only)
        tools.addStretch(1)
        tools.addWidget(self.total_label)

        self.model = RecordTableModel(
            model_columns(self.module), partial(tables.list_ids, db, self.module),
            partial(tables.fetch_rows, db, self.module), TableQuery(), theme=self._theme, parent=self)
        self.table = QTableView()
        self._setup_table()

        box = QVBoxLayout(self)
        box.setContentsMargins(8, 8, 8, 8)
        box.setSpacing(8)
        box.addLayout(legend)
        box.addLayout(tools)
        box.addWidget(self.table, 1)
        self._refresh_counts()

    def _setup_table(self) -> None:
        t = self.table
        t.setModel(self.model)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setAlternatingRowColors(False)  # the level colour is the row's background
        t.setWordWrap(False)
        t.setTextElideMode(Qt.TextElideMode.ElideRight)
        t.setCornerButtonEnabled(False)
        t.setIconSize(QSize(12, 12))
        vh = t.verticalHeader()
        vh.hide()  # no per-row header queries, and a reset stays cheap (PERFORMANCE.md)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(t.fontMetrics().height() + 10)
        hh = t.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setStretchLastSection(True)
        hh.setSectionsMovable(True)
        hh.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        cell = t.fontMetrics().horizontalAdvance("中")
        for i, w in enumerate(widths(self.module)):
            hh.resizeSection(i, int(w * cell) + 24)
        query = self.model.query
        hh.setSortIndicator(self.model.column_of(query.sort_key),
                            Qt.SortOrder.DescendingOrder if query.descending else Qt.SortOrder.AscendingOrder)
        t.setSortingEnabled(True)
        hh.sortIndicatorChanged.connect(self._on_sort_indicator_changed)

    # -- filters -----------------------------------------------------------------------------
    def levels_shown(self) -> frozenset[str] | None:
        on = frozenset(lv.value for lv, card in self.cards.items() if card.isChecked())
        return None if len(on) == len(self.cards) else on

    def current_query(self) -> TableQuery:
        return replace(self.model.query, levels=self.levels_shown(), text=self.search.text().strip(),
                       overdue_only=self.overdue_only.isChecked())

    def apply_filters(self) -> None:
        """Re-query now (the search box waits for typing to pause; tests and F5 do not)."""
        self._debounce.stop()
        query = self.current_query()
        if query != self.model.query:
            self.model.set_query(query)
            self.table.scrollToTop()
        self._refresh_counts()

    def refresh(self) -> None:
        """Re-read everything after the database changed."""
        self.model.refresh()
        self._refresh_counts()

    def _on_filter_changed(self, *_args) -> None:
        self.apply_filters()

    def _on_sort_indicator_changed(self, column: int, _order) -> None:
        cols = self.model.columns()
        if not cols[column].sortable:  # put the arrow back where the rows really are sorted
            query = self.model.query
            hh = self.table.horizontalHeader()
            hh.blockSignals(True)
            hh.setSortIndicator(self.model.column_of(query.sort_key),
                                Qt.SortOrder.DescendingOrder if query.descending else Qt.SortOrder.AscendingOrder)
            hh.blockSignals(False)
            hh.viewport().update()

    # -- counts ------------------------------------------------------------------------------
    def _refresh_counts(self) -> None:
        query = self.model.query
        # Each card counts its level under every other filter, so a hidden level still says
        # how many rows it would bring back.
        counts = tables.level_counts(self._db, self.module, replace(query, levels=None))
        for lv, card in self.cards.items():
            card.set_count(counts[lv])
        overdue = (sum(tables.level_counts(self._db, self.module, replace(query, overdue_only=True)).values())
                   if not query.overdue_only else self.model.rowCount())
        self._overdue = overdue
        total = self.model.rowCount()
        text = _tr("共 %n 条", total)
        if overdue:
            text += _tr("，其中超期 %n 条", overdue)
        self.total_label.setText(text)
        self.totals_changed.emit(total, overdue)

    def total(self) -> int:
        return self.model.rowCount()

    def overdue_count(self) -> int:
        return self._overdue
