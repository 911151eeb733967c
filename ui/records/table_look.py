"""How a record table looks: selection, row height, column widths and the saved header layout.

Shared by the table view (ui.records.table_view) and the window's frame (ui.window_frame), which
shows the first page before the view exists: the rows must not move when the view takes over.
Only Qt and SQLAlchemy-free modules here (the frame paints before SQLAlchemy is imported).
"""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QModelIndex, QSettings, QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from app.domain.levels import Module
from ui.common.table_model import RecordTableModel
from ui.records.columns import widths


class RecordsTable(QTableView):
    """The record table: rows appended below the visible ones (a large table's whole id list read
    after its first page) move the scroll bars without repainting the rows on screen.

    QTableView lays itself out after any change of its row count and then repaints its whole
    viewport; rows appended out of sight change nothing there (at 1M records, '路': a 10 ms repaint
    of the table in a 114 ms search). The layout that follows such an insertion updates the
    geometries (scroll bars, headers) alone; any other change of the model since (a reset, a
    removal, a new order) lays out and repaints as before.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        #: Rows were appended out of sight and nothing else changed since the last layout.
        self._quiet_layout = False
        #: The model changed in another way since the last layout (it must repaint).
        self._loud_layout = False

    def setModel(self, model) -> None:
        old = self.model()
        if old is not None:
            for signal, slot in self._watched(old):
                signal.disconnect(slot)
        super().setModel(model)
        self._quiet_layout, self._loud_layout = False, True
        if model is not None:
            for signal, slot in self._watched(model):
                signal.connect(slot)

    def _watched(self, model):
        return [(model.rowsInserted, self._rows_inserted), (model.rowsRemoved, self._loud),
                (model.modelReset, self._loud), (model.layoutChanged, self._loud),
                (model.rowsMoved, self._loud), (model.columnsInserted, self._loud),
                (model.columnsRemoved, self._loud), (model.columnsMoved, self._loud)]

    def _loud(self, *_args) -> None:
        self._quiet_layout, self._loud_layout = False, True

    def _rows_inserted(self, parent: QModelIndex, first: int, _last: int) -> None:
        # The vertical header has the new sections already (it hears the model first): the row at
        # the viewport's bottom edge is one shown before the insertion when those rows fill the
        # viewport, and -1 when they end above it (then the new rows are in sight).
        bottom = self.rowAt(self.viewport().height() - 1)
        if parent.isValid() or bottom == -1 or first <= bottom or self._loud_layout:
            self._loud()
        else:
            self._quiet_layout = True

    def quiet_layout_pending(self) -> bool:
        """The next layout only moves the scroll bars (rows appended out of sight since the last one)."""
        return self._quiet_layout

    def doItemsLayout(self) -> None:
        quiet = self._quiet_layout
        self._quiet_layout = self._loud_layout = False
        if quiet:
            self.updateGeometries()
            return
        super().doItemsLayout()


def header_key(module: Module, branch: bool) -> str:
    """Where a module's header layout is saved. A branch's header has one more column: its saved
    layout must not be a station's."""
    return f"tables/{module.value}/header" + ("_branch" if branch else "")


def apply_look(t: QTableView, model: RecordTableModel, module: Module, branch: bool) -> None:
    """Give `t` the model and a record table's look (sorting is the caller's: the frame's does not sort)."""
    t.setModel(model)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setAlternatingRowColors(False)  # the level colour is the row's background
    t.setWordWrap(False)
    t.setTextElideMode(Qt.TextElideMode.ElideRight)
    t.setCornerButtonEnabled(False)
    t.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between rows
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
    for i, w in enumerate(widths(module, branch)):
        hh.resizeSection(i, int(w * cell) + 24)
    set_sort_arrow(t, model)


def set_sort_arrow(t: QTableView, model: RecordTableModel) -> None:
    """The header's sort arrow on the model's order (without telling the header's listeners)."""
    query = model.query
    hh = t.horizontalHeader()
    hh.blockSignals(True)
    hh.setSortIndicator(model.column_of(query.sort_key),
                        Qt.SortOrder.DescendingOrder if query.descending else Qt.SortOrder.AscendingOrder)
    hh.blockSignals(False)


def restore_header(t: QTableView, model: RecordTableModel, module: Module, branch: bool) -> None:
    """The header layout saved for this module (widths, order, hidden columns), if any."""
    state = QSettings().value(header_key(module, branch))
    if isinstance(state, QByteArray) and not state.isEmpty():
        t.horizontalHeader().restoreState(state)
        set_sort_arrow(t, model)  # the saved sort arrow may not be the model's order
