"""One module's record list: the level legend with counts (also the level filter), search, the table.

Everything it shows comes from app.services.tables: the view builds a `TableQuery` from its
controls and hands it to the model (ids, pages) and to `level_counts`; it runs no SQL itself.
"""
from __future__ import annotations

from dataclasses import replace
from functools import partial

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QPoint,
    QRectF,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.domain.levels import (
    CASE_KIND_NAMES,
    DISPUTE_CATEGORY_NAMES,
    LEVEL_ORDER,
    MEANINGS,
    PERSON_RISK_CATEGORIES,
    Level,
    Module,
    status_name,
)
from app.services import tables
from app.services.tables import TableQuery
from app.store import Store
from ui.common.resources import icon
from ui.common.table_model import VIEW_PAGE_SIZE, RecordTableModel
from ui.common.theme import Theme, current
from ui.records.columns import lang_index, model_columns
from ui.records.table_look import RecordsTable, apply_look, header_key, restore_header

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
        #: Set by the table view while its counts are still to come (they load after the first
        #: paint): reading a count asks for them at once.
        self.ensure_count = None
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
        # Room for a count of seven digits from the start: the counts arrive after the first paint
        # and must not resize the cards (a relayout and a third paint of the view, 4 ms at 1M).
        widest = _tr("%n 人", 8_888_888) if module is Module.PERSON else _tr("%n 起", 8_888_888)
        self._count_label.setMinimumWidth(self._count_label.fontMetrics().horizontalAdvance(widest))
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
        self.set_count(None)
        self._on_toggled(True)

    def count(self) -> int:
        if self.ensure_count is not None:
            self.ensure_count()
        return self._count

    def count_text(self) -> str:
        if self.ensure_count is not None:
            self.ensure_count()
        return self._count_label.text()

    def set_count(self, n: int | None) -> None:
        """`None`: not counted yet (an ellipsis until the counts arrive)."""
        self._count = n or 0
        if n is None:
            self._count_label.setText("…")
            return
        unit = {Module.PERSON: _tr("%n 人", n)}.get(self._unit, _tr("%n 起", n))
        self._count_label.setText(unit)

    def _on_toggled(self, checked: bool) -> None:
        shown = _tr("显示中，点击隐藏{0}记录") if checked else _tr("已隐藏，点击显示{0}记录")
        tip = shown.format(self._name)
        if getattr(self, "compact", False):
            tip = f"{self._meaning.text()}\n{self._action.text()}\n{tip}"
        self.setToolTip(tip)
        self.setAccessibleName(f"{self._name} {self._count_label.text()}")
        muted = self._theme.tokens["text.muted"]
        for label in (self._title, self._count_label, self._meaning):
            label.setStyleSheet("" if checked else f"color: {muted};")
        self.update()

    def set_compact(self, compact: bool) -> None:
        """On a short screen (1366×768) the card is one line: colour, name, count; what the level
        means moves into its tool tip."""
        if compact == getattr(self, "compact", False):
            return
        self.compact = compact
        self._meaning.setVisible(not compact)
        self._action.setVisible(not compact)
        self.layout().setContentsMargins(16, 2 if compact else 6, 10, 2 if compact else 6)
        self._on_toggled(self.isChecked())
        self.updateGeometry()

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

    def __init__(self, db: Store, module: Module | str, theme: Theme | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.module = Module(module)
        self._db = db
        self._theme = theme or current()
        self._overdue = 0

        # The first rows, the level counts and the filters' choices: one unit of work (on a station
        # server one transaction), handed to the model as its first open.
        self._first: tables.TableOpening | None = tables.open_table(
            db, self.module, TableQuery(), VIEW_PAGE_SIZE, choices=True)
        choices = self._first.choices
        assert choices is not None
        #: At a branch office the table holds several stations' records: a station column and filter.
        self.branch = choices.branch

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
        self._build_filters(choices)
        tools = QHBoxLayout()
        tools.addWidget(self.search, 2)
        tools.addSpacing(12)
        tools.addWidget(self.overdue_only)
        tools.addStretch(1)
        for b in self.action_buttons.values():
            tools.addWidget(b)
        tools.addSpacing(8)
        tools.addWidget(self.total_label)

        self._scan_counts: dict = {}
        self.model = RecordTableModel(
            model_columns(self.module, self.branch), self._list_ids,
            partial(tables.fetch_rows, db, self.module, branch=self.branch), TableQuery(), theme=self._theme,
            page_size=VIEW_PAGE_SIZE, open_table=self._open_table, parent=self)
        self.table = RecordsTable()
        self._setup_table()

        box = QVBoxLayout(self)
        box.setContentsMargins(8, 8, 8, 8)
        box.setSpacing(8)
        box.addLayout(legend)
        box.addLayout(tools)
        box.addLayout(self.filter_bar)
        self.drill_bar = QWidget()
        drill = QHBoxLayout(self.drill_bar)
        drill.setContentsMargins(0, 0, 0, 0)
        self.drill_label = QLabel()
        self.drill_label.setObjectName("drillLabel")
        self.drill_clear = QPushButton(_tr("清除图表筛选"))
        self.drill_clear.clicked.connect(self.clear_drill_down)
        drill.addWidget(self.drill_label, 1)
        drill.addWidget(self.drill_clear)
        self.drill_bar.hide()
        box.addWidget(self.drill_bar)
        #: Why the rows matched a search spelt in pinyin (the officers it names).
        self.match_label = QLabel()
        self.match_label.setObjectName("matchLabel")
        self.match_label.setProperty("role", "muted")
        self.match_label.setWordWrap(True)
        self.match_label.hide()
        box.addWidget(self.match_label)
        box.addWidget(self.table, 1)
        #: Shown over the table when it has no rows: why, and what to do.
        self.empty_label = QLabel(self.table.viewport())
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setProperty("role", "muted")
        self.empty_label.setFont(self._theme.font(1.5))
        self.empty_label.hide()
        self._workstation = None
        #: Where the workstation comes from when it is made on first use (the main window's).
        self._workstation_source = None
        self._restore_header()
        # The rows come first: the legend's counts (two GROUP BY queries, as long as the id list
        # at 100k records) load right after the table's first paint, or at once when read.
        self._defer_counts()

    def _defer_counts(self) -> None:
        """Read the whole id list and the legend's counts right after the next paint of the rows
        (or at once when something reads them): the first page is shown first."""
        self._counts_pending = True
        self._counts_scheduled = False
        for card in self.cards.values():
            card.set_count(None)  # an ellipsis, not the previous query's count
            card.ensure_count = self._ensure_counts
        self._show_total()
        self.table.viewport().installEventFilter(self)

    def _setup_table(self) -> None:
        apply_look(self.table, self.model, self.module, self.branch)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._on_sort_indicator_changed)

    # -- filters -----------------------------------------------------------------------------
    def levels_shown(self) -> frozenset[str] | None:
        on = frozenset(lv.value for lv, card in self.cards.items() if card.isChecked())
        return None if len(on) == len(self.cards) else on

    def current_query(self) -> TableQuery:
        def day(edit: QDateEdit):
            d = edit.date()
            return None if d == edit.minimumDate() else d.toPython()

        return replace(self.model.query, levels=self.levels_shown(), text=self.search.text().strip(),
                       overdue_only=self.overdue_only.isChecked(), category=self.category.currentData(),
                       person_id=self.person.currentData(), team_id=self.team.currentData(),
                       statuses=frozenset(self.status.currentData()), date_from=day(self.date_from),
                       date_to=day(self.date_to),
                       station_id=self.station.currentData() if self.station is not None else None)

    def apply_filters(self) -> None:
        """Re-query now (the search box waits for typing to pause; tests and F5 do not)."""
        self._debounce.stop()
        query = self.current_query()
        if query != self.model.query:
            self.model.set_query(query)
            self.table.scrollToTop()
            self._update_match_label()
        if not self.model.ids_complete():  # a search of a large table: its first page alone, for now
            self._defer_counts()
            # The reset's layout now, before the first page paints: left to its timer it ran after
            # the paint and repainted the rows (at 1M, '路': 20 ms); laid out, the rest of the list
            # is appended out of sight with the scroll bars alone (RecordsTable).
            self.table.doItemsLayout()
            return
        self._refresh_counts()

    def show_query(self, query: TableQuery, caption: str = "") -> None:
        """Show exactly a query's records (a chart's drill-down): the other filters are reset, and
        the cards and search still narrow it until the drill-down is cleared."""
        widgets = (*self.cards.values(), self.search, self.overdue_only)
        for w in widgets:
            w.blockSignals(True)
        for card in self.cards.values():
            card.setChecked(True)
        self.search.clear()
        self.overdue_only.setChecked(False)
        for w in widgets:
            w.blockSignals(False)
        self.model.set_query(query)
        self.table.scrollToTop()
        self.drill_label.setText(_tr("图表筛选：") + caption)
        self.drill_bar.show()
        self._refresh_counts()

    def clear_drill_down(self) -> None:
        self.drill_bar.hide()
        self.model.set_query(replace(self.model.query, ids=None, statuses=tables.DEFAULT_STATUSES))
        self.apply_filters()

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
    #: Below this height the level cards shrink to one line (the rows matter more).
    COMPACT_BELOW = 720

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        compact = self.height() < self.COMPACT_BELOW
        for card in self.cards.values():
            card.set_compact(compact)
        if self.empty_label.isVisible():
            self._place_empty_label()

    def eventFilter(self, obj, event) -> bool:
        if (event.type() == QEvent.Type.Paint and self._counts_pending and not self._counts_scheduled
                and obj is self.table.viewport()):
            self._counts_scheduled = True
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self, self._ensure_counts)  # not for a view closed and deleted by then
        return False

    def counts_pending(self) -> bool:
        """True until the legend's counts have been read (right after the first paint)."""
        return self._counts_pending

    def _ensure_counts(self) -> None:
        if self._counts_pending:
            self._refresh_counts()

    def _open_table(self, query: TableQuery, page_size: int, first_page: bool) -> tables.TableOpening:
        """The model's ids and first page, with the level counts, from one unit of work (kept for
        _refresh_counts; a large table opened on its first page counts after its first paint).
        The model's first open takes what the constructor read with the filters' choices."""
        first, self._first = self._first, None
        if first is not None and query == TableQuery() and page_size == VIEW_PAGE_SIZE and first_page:
            opening = first
        else:
            opening = tables.open_table(self._db, self.module, query, page_size, first_page=first_page,
                                        branch=self.branch)
        self._scan_counts = {query: opening.counts} if opening.counts is not None else {}
        return opening

    def _list_ids(self, query: TableQuery):
        """The model's ids; a search also brings its level counts (kept for _refresh_counts)."""
        ids, counts = tables.list_ids_with_counts(self._db, self.module, query)
        self._scan_counts = {query: counts} if counts is not None else {}
        return ids

    def _show_total(self) -> None:
        """The row count alone (known with the ids), while the overdue count is still to come."""
        if not self.model.ids_complete():  # the first page alone: the count comes right after the paint
            self.total_label.setText("")
            return
        total = self.model.rowCount()
        self.total_label.setText(_tr("共 %n 条", total))
        self._update_empty_state()

    def filtered(self) -> bool:
        """Any filter, search or drill-down narrows the rows."""
        q = self.model.query
        return bool(q.text.strip() or q.levels is not None or q.overdue_only or q.category or q.person_id
                    or q.team_id or q.date_from or q.date_to or q.ids is not None or q.station_id
                    or q.statuses != tables.DEFAULT_STATUSES)

    def _update_empty_state(self) -> None:
        """No rows: say whether nothing is recorded yet or the filters leave nothing."""
        if self.model.rowCount():
            self.empty_label.hide()
            return
        name = self.module.zh if lang_index() == 0 else self.module.en.lower()
        if self.filtered():
            text = self.model.query.text.strip()
            head = (_tr("没有找到与“%1”相符的%2记录").replace("%1", text).replace("%2", name) if text
                    else _tr("当前筛选条件下没有%1记录").replace("%1", name))
            self.empty_label.setText(head + "\n" + _tr("可换个搜索词，或点击“清除筛选”（Ctrl+Shift+L）查看全部记录"))
        else:
            self.empty_label.setText(_tr("还没有%1记录").replace("%1", name) + "\n"
                                     + _tr("点击“新建”（Ctrl+N）登记第一条，或从“文件”菜单导入台账"))
        self._place_empty_label()
        self.empty_label.show()

    def _place_empty_label(self) -> None:
        vp = self.table.viewport()
        self.empty_label.setGeometry(24, 24, max(vp.width() - 48, 100), max(min(vp.height() - 48, 160), 60))

    def _update_match_label(self) -> None:
        """Say which officers a pinyin search spells, so a row that names one is explained."""
        matches = tables.officer_name_matches(self._db, self.search.text())
        if not matches:
            self.match_label.hide()
            return
        from app.services import org

        names = {o.id: o.name for o in org.list_officers(self._db)}
        sep = "、" if lang_index() == 0 else ", "
        parts = [_tr("“%1”= %2").replace("%1", term).replace("%2", sep.join(sorted(names[i] for i in ids if i in names)))
                 for term, ids in matches]
        self.match_label.setText(_tr("拼音匹配：%1（显示文字相符的记录，以及这些民警任责任民警、队长或包案所领导的记录）")
                                 .replace("%1", "；".join(parts) if lang_index() == 0 else "; ".join(parts)))
        self.match_label.show()

    def _refresh_counts(self) -> None:
        appending = not self.model.ids_complete()
        self.model.complete_ids()  # a large table opened on its first page: the whole list now
        if appending and not self.table.quiet_layout_pending():
            # Rows appended in sight (a first page shorter than the viewport) schedule a delayed
            # layout of the table, which repainted its rows a second time after the counts'
            # repaint: laid out now, one repaint (at 1M, '路': 11 ms of a 126 ms search at load 4).
            # Rows appended out of sight only move the scroll bars (RecordsTable).
            self.table.doItemsLayout()
        if self._counts_pending:
            self._counts_pending = False
            for card in self.cards.values():
                card.ensure_count = None
            self.table.viewport().removeEventFilter(self)
        query = self.model.query
        # Each card counts its level under every other filter, so a hidden level still says
        # how many rows it would bring back.
        counts = self._scan_counts.get(query)  # a search counted its levels in the same pass
        if counts is None:
            counts = tables.level_and_overdue_counts(self._db, self.module, query)
        for lv, card in self.cards.items():
            card.set_count(counts[lv][0])
        shown = set(LEVEL_ORDER) if query.levels is None else {Level(x) for x in query.levels}
        overdue = sum(late for lv, (_n, late) in counts.items() if lv in shown)
        self._overdue = overdue
        total = self.model.rowCount()
        text = _tr("共 %n 条", total)
        if overdue:
            text += _tr("，其中超期 %n 条", overdue)
        self.total_label.setText(text)
        self._update_empty_state()
        self.totals_changed.emit(total, overdue)

    def total(self) -> int:
        self.model.complete_ids()
        return self.model.rowCount()

    def overdue_count(self, wait: bool = True) -> int | None:
        """Overdue rows shown; with `wait=False`, None while the counts are still to come."""
        if self._counts_pending:
            if not wait:
                return None
            self._ensure_counts()
        return self._overdue

    # -- the workstation: filters beyond the legend, opening rows, bulk actions, export -----------
    def _build_filters(self, choices: tables.FilterChoices) -> None:
        self.category = QComboBox()
        self.category.setObjectName("categoryFilter")
        names = {Module.CASE: CASE_KIND_NAMES, Module.DISPUTE: DISPUTE_CATEGORY_NAMES,
                 Module.PERSON: PERSON_RISK_CATEGORIES}[self.module]
        self.category.addItem(_tr("全部类别"), None)
        for code, pair in names.items():
            self.category.addItem(pair[lang_index()], code)
        self.person = QComboBox()
        self.person.setObjectName("personFilter")
        self.person.addItem(_tr("全部责任人"), None)
        for oid, oname in choices.officers:
            self.person.addItem(oname, oid)
        self.team = QComboBox()
        self.team.setObjectName("teamFilter")
        self.team.addItem(_tr("全部队组"), None)
        for tid, tname in choices.teams:
            self.team.addItem(tname, tid)
        self.status = QComboBox()
        self.status.setObjectName("statusFilter")
        lang = lang_index()
        both = {Module.CASE: _tr("在办和已办结"), Module.DISPUTE: _tr("在办和已化解"),
                Module.PERSON: _tr("在管和撤销列管")}[self.module]
        self.status.addItem(both, tuple(sorted(tables.DEFAULT_STATUSES)))
        for code in tables.STATUS_ORDER:
            self.status.addItem(status_name(self.module, code, lang), (code,))
        self.status.addItem(_tr("全部（含已转案件、已作废）"), tuple(tables.STATUS_ORDER))
        #: The station filter, only at a branch (None at a station: there is one station).
        self.station: QComboBox | None = None
        if self.branch:
            self.station = QComboBox()
            self.station.setObjectName("stationFilter")
            self.station.addItem(_tr("全部派出所"), None)
            for sid, sname in choices.stations:
                self.station.addItem(sname, sid)
        combos = tuple(w for w in (self.station, self.category, self.person, self.team, self.status) if w is not None)
        self._combos = combos
        self.date_from = self._date_edit("dateFrom")
        self.date_to = self._date_edit("dateTo")
        date_title = {Module.CASE: _tr("受案日期"), Module.DISPUTE: _tr("发现日期"), Module.PERSON: _tr("列管日期")}
        for w in combos:
            w.currentIndexChanged.connect(self._on_filter_changed)
        for w in (self.date_from, self.date_to):
            w.dateChanged.connect(self._on_filter_changed)
        self.clear_filters_button = QPushButton(_tr("清除筛选"))
        self.clear_filters_button.clicked.connect(self.clear_filters)
        bar = QHBoxLayout()
        bar.setSpacing(6)
        for w in combos:
            bar.addWidget(w)
        bar.addSpacing(8)
        bar.addWidget(QLabel(date_title[self.module]))
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel("—"))
        bar.addWidget(self.date_to)
        bar.addWidget(self.clear_filters_button)
        bar.addStretch(1)
        self.filter_bar = bar
        self.action_buttons: dict[str, QPushButton] = {}
        for key, text in (("new", _tr("新建")), ("reassign", _tr("改派")), ("bulk_level", _tr("批量变更等级")),
                          ("export", _tr("导出…"))):
            b = QPushButton(text)
            b.setObjectName(f"button_{key}")
            b.clicked.connect(lambda _c=False, k=key: self._on_action_button(k))
            self.action_buttons[key] = b

    @staticmethod
    def _date_edit(name: str) -> QDateEdit:
        from ui.common.dates import DateEdit

        edit = DateEdit()  # Tab leaves it also while it shows 不限
        edit.setObjectName(name)
        edit.setMinimumDate(QDate(2000, 1, 1))
        edit.setSpecialValueText(_tr("不限"))
        edit.setDate(edit.minimumDate())
        return edit

    def show_own(self, person_id: int | None = None, team_id: int | None = None) -> None:
        """Filter to one officer's or one team's records, in the visible filter boxes."""
        for combo, value in ((self.person, person_id), (self.team, team_id)):
            if value is not None and combo.findData(value) >= 0:
                combo.blockSignals(True)
                combo.setCurrentIndex(combo.findData(value))
                combo.blockSignals(False)
        self.apply_filters()

    def clear_filters(self) -> None:
        widgets = (*self._combos, self.date_from, self.date_to,
                   self.overdue_only, self.search, *self.cards.values())
        for w in widgets:
            w.blockSignals(True)
        for combo in self._combos:
            combo.setCurrentIndex(0)
        for edit in (self.date_from, self.date_to):
            edit.setDate(edit.minimumDate())
        self.overdue_only.setChecked(False)
        self.search.clear()
        for card in self.cards.values():
            card.setChecked(True)
            card._on_toggled(True)
        for w in widgets:
            w.blockSignals(False)
        self.apply_filters()

    def attach(self, workstation) -> None:
        """Open rows, create and act through this workstation (one per main window)."""
        self._workstation = workstation
        self._role = workstation.actor.role
        workstation.changed.connect(self._on_workstation_changed)
        workstation.record_created.connect(self._on_workstation_record_created)
        self._update_action_buttons(workstation.actor.role)

    def attach_later(self, source, role: str) -> None:
        """The workstation (its forms and record window import the write services) is made on
        first use by `source()`, which attaches it; until then the buttons follow `role`."""
        self._workstation_source = source
        self._role = role
        self._update_action_buttons(role)

    @property
    def workstation(self):
        if self._workstation is None and self._workstation_source is not None:
            self._workstation_source()  # attaches it here
        if self._workstation is None:
            from ui.records.workstation import Workstation

            self.attach(Workstation(self._db, None, self._theme, parent=self))
        return self._workstation

    def _on_workstation_changed(self, changes) -> None:
        if changes is None or not changes.modules or self.module.value in changes.modules:
            self.refresh()

    def _on_workstation_record_created(self, module: str, record_id: int) -> None:
        if module == self.module.value:
            self.select_record(record_id)

    def select_record(self, record_id: int) -> bool:
        """Make the record's row current and selected, scrolled into view; False when the
        filters leave it out."""
        row = self.model.row_of(record_id)
        if row is None:
            return False
        self.table.selectRow(row)
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def take_over(self, selected: list[int], current: int | None, scrolled: int) -> None:
        """Show what the window's frame showed when this table takes its place (ui.main): the same
        records selected, the same current record, scrolled as far; among the rows already read
        (the frame showed the first page, which this table opens on), so nothing else is read."""
        rows = [r for r in (self.model.loaded_row_of(i) for i in selected) if r is not None]
        last = self.model.columnCount() - 1
        chosen = QItemSelection()
        for row in rows:
            chosen.select(self.model.index(row, 0), self.model.index(row, last))
        flags = QItemSelectionModel.SelectionFlag
        selection = self.table.selectionModel()
        if current is not None and (row := self.model.loaded_row_of(current)) is not None:
            selection.setCurrentIndex(self.model.index(row, 0), flags.NoUpdate)
        selection.select(chosen, flags.ClearAndSelect | flags.Rows)
        self.table.verticalScrollBar().setValue(scrolled)

    def _update_action_buttons(self, role: str) -> None:
        from ui.common.denied import denied_reason, set_allowed

        for key, action in (("new", "create_record"), ("reassign", "edit_record"),
                            ("bulk_level", "change_level"), ("export", "read_records")):
            set_allowed(self.action_buttons[key], denied_reason(role, action))

    def selected_ids(self) -> list[int]:
        """The ids of the selected rows, in table order."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        ids = self.model.ids
        return [ids[r] for r in rows if 0 <= r < len(ids)]

    def current_id(self) -> int | None:
        i = self.table.currentIndex()
        return self.model.ids[i.row()] if i.isValid() else None

    def open_current(self) -> None:
        rid = self.current_id()
        if rid is not None:
            self.workstation.open_record(self.module.value, rid)

    def _on_table_activated(self, index) -> None:
        if index.isValid():
            self.workstation.open_record(self.module.value, self.model.ids[index.row()])

    def _on_action_button(self, key: str) -> None:
        ws = self.workstation
        if key == "new":
            ws.new_record(self.module.value)
            return
        if key == "export":
            self.export_dialog()
            return
        ids = self.selected_ids()
        if not ids:
            QMessageBox.information(self, _tr("未选择记录"), _tr("请先在表格中选择记录（可按住 Ctrl 或 Shift 多选）。"))
            return
        if key == "reassign":
            ws.reassign(self.module.value, ids)
        else:
            ws.bulk_level(self.module.value, ids)

    def export_dialog(self) -> None:
        settings = QSettings()
        folder = settings.value("export/last_dir", "")
        name = f"{self.module.zh if lang_index() == 0 else self.module.en}.xlsx"
        as_ledger = _tr("台账格式，与台账模板相同的列，可再导入 (*.xlsx)")
        path, chosen = QFileDialog.getSaveFileName(
            self, _tr("导出当前视图"), str(folder) + ("/" if folder else "") + name,
            ";;".join((_tr("Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)"), as_ledger)))
        if not path:
            return
        from pathlib import Path

        settings.setValue("export/last_dir", str(Path(path).parent))
        ids = self.selected_ids()
        only = len(ids) > 1 and QMessageBox.question(
            self, _tr("导出"), _tr("只导出选中的 %n 条记录吗？（否：导出当前筛选下的全部记录）", len(ids))
        ) == QMessageBox.StandardButton.Yes
        if chosen == as_ledger:
            self.export_ledger_to(path, ids if only else None)
        else:
            self.export_to(path, ids if only else None)

    def export_ledger_to(self, path, ids: list[int] | None = None):
        """Write the current view as a ledger: the template's columns, the importer's words."""
        from app.errors import StationError
        from app.ledger.export import export_ledger

        try:
            result = export_ledger(self._db, self.workstation.actor, self.module, self.model.query, path, ids=ids)
        except StationError as exc:
            QMessageBox.warning(self, _tr("导出失败"), exc.message("zh" if lang_index() == 0 else "en"))
            return None
        except OSError as exc:
            QMessageBox.warning(self, _tr("导出失败"), exc.strerror or str(exc))
            return None
        self.last_export = result
        return result

    def export_to(self, path, ids: list[int] | None = None):
        """Write the current view (filters and order as shown) to .xlsx or .csv; level fills come
        from the theme's tokens, so the file's red is the table's red."""
        from app.errors import StationError
        from app.services import workstation as ws_service

        fills = {lv.value: self._theme.tokens[f"level.{lv.value}.bg"] for lv in LEVEL_ORDER}
        try:
            result = ws_service.export_view(self._db, self.workstation.actor, self.module, self.model.query, path,
                                            ids=ids, lang=lang_index(), level_fills=fills)
        except StationError as exc:
            QMessageBox.warning(self, _tr("导出失败"), exc.message("zh" if lang_index() == 0 else "en"))
            return None
        except OSError as exc:
            QMessageBox.warning(self, _tr("导出失败"), exc.strerror or str(exc))
            return None
        self.last_export = result
        return result

    def _on_context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid() and not self.table.selectionModel().isRowSelected(index.row(), index.parent()):
            self.table.selectRow(index.row())  # the menu acts on the row under the mouse
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index, self.table.selectionModel().SelectionFlag.NoUpdate)
        menu = QMenu(self)
        open_ = menu.addAction(_tr("打开"))
        open_.triggered.connect(self.open_current)
        rid = self.current_id()
        role = self._workstation.actor.role if self._workstation is not None else getattr(self, "_role", "")
        from ui.common.denied import denied_reason, set_allowed

        for text, action, call in ((_tr("变更等级…"), "change_level", "change_level"),
                                   (_tr("登记工作…"), "log_action", "log_action")):
            a = menu.addAction(text)
            set_allowed(a, denied_reason(role, action))
            a.setEnabled(a.isEnabled() and rid is not None)
            a.triggered.connect(lambda _c=False, m=call, r=rid: getattr(self.workstation, m)(self.module.value, r))
        menu.addSeparator()
        for key in ("reassign", "bulk_level", "export"):
            b = self.action_buttons[key]
            a = menu.addAction(b.text())
            a.setEnabled(b.isEnabled())
            a.setToolTip(b.toolTip())
            a.triggered.connect(lambda _c=False, k=key: self._on_action_button(k))
        menu.setToolTipsVisible(True)
        menu.popup(self.table.viewport().mapToGlobal(pos))
        self._menu = menu

    # -- column chooser, widths and order remembered ----------------------------------------
    def _header_key(self) -> str:
        return header_key(self.module, self.branch)

    def _restore_header(self) -> None:
        hh = self.table.horizontalHeader()
        restore_header(self.table, self.model, self.module, self.branch)
        hh.sectionResized.connect(self._save_header)
        hh.sectionMoved.connect(self._save_header)
        hh.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        hh.customContextMenuRequested.connect(self._on_header_menu)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_context_menu)
        self.table.activated.connect(self._on_table_activated)

    def _save_header(self, *_a) -> None:
        QSettings().setValue(self._header_key(), self.table.horizontalHeader().saveState())

    def column_actions(self) -> list[QAction]:
        """One checkable action per column: shown or hidden (the level column always shows)."""
        hh = self.table.horizontalHeader()
        actions = []
        for i, col in enumerate(self.model.columns()):
            a = QAction(self.model.headerData(i, Qt.Orientation.Horizontal), self)
            a.setCheckable(True)
            a.setChecked(not hh.isSectionHidden(i))
            a.setEnabled(col.key != "level")
            a.toggled.connect(lambda on, i=i: self.set_column_visible(i, on))
            actions.append(a)
        return actions

    def set_column_visible(self, section: int, visible: bool) -> None:
        self.table.horizontalHeader().setSectionHidden(section, not visible)
        self._save_header()

    def _on_header_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addSection(_tr("显示的列"))
        for a in self.column_actions():
            menu.addAction(a)
        menu.popup(self.table.horizontalHeader().mapToGlobal(pos))
        self._menu = menu
