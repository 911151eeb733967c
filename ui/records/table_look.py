"""How a record table looks: selection, row height, column widths and the saved header layout.

Shared by the table view (ui.records.table_view) and the window's frame (ui.window_frame), which
shows the first page before the view exists: the rows must not move when the view takes over.
Only Qt and SQLAlchemy-free modules here (the frame paints before SQLAlchemy is imported).
"""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from app.domain.levels import Module
from ui.common.table_model import RecordTableModel
from ui.records.columns import widths


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
