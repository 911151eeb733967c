"""A record table model over an ordered id array: rows come a page at a time through an LRU cache.

The model never holds a Session and never runs SQL itself: it is given two functions (the table
service, bound to a database and a module) that return the ordered ids of a query and the display
rows of a page of ids. Sorting and filtering re-query the ids in SQL (PERFORMANCE.md: a proxy over
Python rows took 74 s to sort 1M rows). `data()` works from precomputed strings and brushes.
"""
from __future__ import annotations

from array import array
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.domain.levels import Level
from app.services.table_shapes import (
    PAGE_SIZE,
    VIEW_PAGE_SIZE as VIEW_PAGE_SIZE,  # the views' page (ui.records)
    TableOpening,
    TableQuery,
    TableRow,
)
from ui.common import roles
from ui.common.theme import Theme, current

DISPLAY = Qt.ItemDataRole.DisplayRole.value
BACKGROUND = Qt.ItemDataRole.BackgroundRole.value
FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
FONT = Qt.ItemDataRole.FontRole.value
ALIGN = Qt.ItemDataRole.TextAlignmentRole.value
DECORATION = Qt.ItemDataRole.DecorationRole.value
TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
#: Every role this model answers; any other returns at once.
_ROLES = frozenset({DISPLAY, BACKGROUND, FOREGROUND, FONT, ALIGN, DECORATION, TOOLTIP,
                    roles.SortRole, roles.RowRole, roles.LevelRole})
_LEFT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_NO_FLAGS = Qt.ItemFlag.NoItemFlags

ListIds = Callable[[TableQuery], array]
FirstIds = Callable[[TableQuery, int], tuple[array, bool]]
FetchRows = Callable[[Sequence[int]], list[TableRow]]
#: (query, page size, first page alone allowed) -> the ids, the first page and the counts in one unit.
OpenTable = Callable[[TableQuery, int, bool], TableOpening]


def _blank(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class ModelColumn:
    """How a service column is shown: its key (the service's), header text, formatter, alignment."""

    key: str
    header: str
    format: Callable[[Any], str] = _blank
    align: int = _LEFT
    sortable: bool = True
    #: Show the full text as a tooltip (long free text that the column width cuts).
    tooltip: bool = False
    #: The value that orders the column when it is not the value itself (the level's rank).
    sort_value: Callable[[Any], Any] | None = None


class _Entry:
    """A cached row: the service's row plus its display strings, computed once per fetch."""

    __slots__ = ("row", "texts")

    def __init__(self, row: TableRow, texts: tuple[str, ...]):
        self.row = row
        self.texts = texts


class RecordTableModel(QAbstractTableModel):
    """Rows of one record module, in SQL order; only the ids and a few pages live in memory."""

    def __init__(self, columns: Sequence[ModelColumn], list_ids: ListIds, fetch_rows: FetchRows,
                 query: TableQuery | None = None, *, theme: Theme | None = None, level_key: str = "level",
                 due_key: str = "next_due", page_size: int = PAGE_SIZE, max_pages: int = 16,
                 first_ids: FirstIds | None = None, open_table: OpenTable | None = None, parent=None):
        super().__init__(parent)
        self._columns = tuple(columns)
        self._keys = [c.key for c in self._columns]
        self._list_ids = list_ids
        self._fetch_rows = fetch_rows
        self._page_size = page_size
        self._max_pages = max_pages
        self._pages: OrderedDict[int, list[_Entry | None]] = OrderedDict()
        # The view asks for seven roles of each cell in a row: the last row's entry is kept.
        self._last_row = -1
        self._last_entry: _Entry | None = None
        self._level_col = self._keys.index(level_key) if level_key in self._keys else -1
        self._due_col = self._keys.index(due_key) if due_key in self._keys else -1
        self._headers = [QCoreApplication.translate("RecordColumns", c.header) for c in self._columns]
        self._align = [c.align for c in self._columns]
        self.set_theme(theme or current(), reset=False)
        self._query = query or TableQuery()
        # With `open_table`, the ids and the first page come from one unit of work, at the open
        # and at every new query (one transaction on a station server, not one per question).
        self._open_table = open_table
        # With `first_ids` (or `open_table`), the model opens on the first page alone (shown before
        # the whole id list is read), and so does a search (tables.first_ids decides which queries
        # can); complete_ids() appends the rest, at the latest when the ids are asked for.
        self._first_ids = first_ids
        if open_table is not None:
            self._open(self._query, first_page=True)
        else:
            self._ids, self._complete = self._read_ids(self._query)

    # -- what the view and tests read ------------------------------------------------------
    @property
    def query(self) -> TableQuery:
        return self._query

    @property
    def ids(self) -> array:
        self.complete_ids()
        return self._ids

    def ids_complete(self) -> bool:
        """False while the model shows its first page alone (see complete_ids)."""
        return self._complete

    def complete_ids(self) -> None:
        """Read the whole id list of a model opened on its first page: the rows after it are
        inserted (the first page is its head: the same statement, ties broken by id)."""
        if self._complete:
            return
        self._complete = True
        full = self._list_ids(self._query)
        head = len(self._ids)
        if full[:head] != self._ids:  # the data changed in between: start over
            self.beginResetModel()
            self._ids = full
            self._drop_pages()
            self.endResetModel()
        elif len(full) > head:
            self.beginInsertRows(QModelIndex(), head, len(full) - 1)
            self._ids = full
            self.endInsertRows()

    def columns(self) -> tuple[ModelColumn, ...]:
        return self._columns

    def column_of(self, key: str) -> int:
        return self._keys.index(key)

    def row_at(self, row: int) -> TableRow | None:
        entry = self._entry(row)
        return entry.row if entry is not None else None

    # -- changing what is shown ------------------------------------------------------------
    def _read_ids(self, query: TableQuery) -> tuple[array, bool]:
        if self._first_ids is not None:
            return self._first_ids(query, self._page_size)
        return self._list_ids(query), True

    def set_query(self, query: TableQuery) -> None:
        """Show another query's rows (filter, search): the ids are re-read in SQL, pages dropped;
        with `first_ids`, a search of a large table shows its first page before the whole list."""
        self.beginResetModel()
        self._query = query
        if self._open_table is not None:  # a search may open on its first page; a filter reads all
            self._open(query, first_page=bool(query.text.strip()))
        else:
            self._ids, self._complete = self._read_ids(query) if query.text.strip() else (self._list_ids(query), True)
            self._drop_pages()
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read the current query after the database changed."""
        self.set_query(self._query)

    def set_theme(self, theme: Theme, reset: bool = True) -> None:
        self._theme = theme
        self._level_bg = theme.level_brushes()
        self._chips = {lv.value: theme.chip_icon(lv) for lv in Level}
        self._text_brush = theme.brush("level.fg")
        self._overdue_brush = theme.brush("overdue.fg")
        self._overdue_font = QFont(theme.font(bold=True))
        from ui.common.resources import icon  # late: resources are needed only once a model exists

        self._overdue_icon = icon("overdue")
        if reset:
            self.beginResetModel()
            self._last_row = -1
            self._last_entry = None
            self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Re-query the ids in the new order; selections and the current row follow their records."""
        if not 0 <= column < len(self._columns) or not self._columns[column].sortable:
            return
        query = replace(self._query, sort_key=self._columns[column].key,
                        descending=order == Qt.SortOrder.DescendingOrder)
        if query == self._query:
            return
        self.complete_ids()
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        moved_ids = [self._ids[i.row()] if 0 <= i.row() < len(self._ids) else None for i in persistent]
        self._query = query
        self._ids, self._complete = self._list_ids(query), True
        self._drop_pages()
        where = self._positions({i for i in moved_ids if i is not None})
        new = [self.index(where[rid], p.column()) if rid in where else QModelIndex()
               for rid, p in zip(moved_ids, persistent)]
        self.changePersistentIndexList(persistent, new)
        self.layoutChanged.emit()

    def loaded_row_of(self, record_id: int) -> int | None:
        """The row showing `record_id` among the ids read so far (a model opened on its first
        page does not read the rest for it), or None."""
        try:
            return self._ids.index(record_id)
        except ValueError:
            return None

    def row_of(self, record_id: int) -> int | None:
        """The row showing `record_id`, or None when the current query leaves it out."""
        return self._positions({record_id}).get(record_id)

    def _positions(self, wanted: set[int]) -> dict[int, int]:
        if not wanted:
            return {}
        self.complete_ids()
        if len(wanted) <= 8:  # array.index runs in C: a few lookups beat one Python pass
            out = {}
            for rid in wanted:
                try:
                    out[rid] = self._ids.index(rid)
                except ValueError:
                    pass
            return out
        return {rid: i for i, rid in enumerate(self._ids) if rid in wanted}

    def _open(self, query: TableQuery, first_page: bool) -> None:
        """Ids and the first page from one `open_table` call; the first page is cached."""
        assert self._open_table is not None
        opening = self._open_table(query, self._page_size, first_page)
        self._ids, self._complete = opening.ids, opening.complete
        self._drop_pages()
        if len(self._ids):
            self._pages[0] = self._entries(self._ids[:self._page_size], opening.rows)

    # -- the page cache --------------------------------------------------------------------
    def _drop_pages(self) -> None:
        self._pages.clear()
        self._last_row = -1
        self._last_entry = None

    def _entry(self, row: int) -> _Entry | None:
        if row == self._last_row:
            return self._last_entry
        entry = self._lookup(row)
        self._last_row = row
        self._last_entry = entry
        return entry

    def _lookup(self, row: int) -> _Entry | None:
        page_no, offset = divmod(row, self._page_size)
        page = self._pages.get(page_no)
        if page is None:
            page = self._load_page(page_no)
        else:
            self._pages.move_to_end(page_no)
        return page[offset] if offset < len(page) else None

    def _load_page(self, page_no: int) -> list[_Entry | None]:
        start = page_no * self._page_size
        ids = self._ids[start:start + self._page_size]
        page = self._entries(ids, self._fetch_rows(ids))
        self._pages[page_no] = page
        while len(self._pages) > self._max_pages:
            self._pages.popitem(last=False)
        return page

    def _entries(self, ids: Sequence[int], fetched: Sequence[TableRow]) -> list[_Entry | None]:
        """A page's entries in `ids` order (None for a row gone since its id was read)."""
        rows = {r.id: r for r in fetched}
        fmts = [c.format for c in self._columns]
        page: list[_Entry | None] = []
        for rid in ids:
            r = rows.get(rid)
            page.append(None if r is None else _Entry(r, tuple(f(v) for f, v in zip(fmts, r.values))))
        return page

    # -- Qt model interface ----------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def flags(self, index):
        return _FLAGS if index.isValid() else _NO_FLAGS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role == DISPLAY:
            return self._headers[section]
        if role == ALIGN:
            return self._align[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY):
        if role not in _ROLES:
            return None
        r = index.row()  # -1 for an invalid index
        if r < 0:
            return None
        entry = self._last_entry if r == self._last_row else self._entry(r)
        if entry is None:
            return None
        col = index.column()
        if role == DISPLAY:
            return entry.texts[col]
        if role == ALIGN:
            return self._align[col]
        row = entry.row
        if role == BACKGROUND:
            return self._level_bg.get(row.level)
        overdue_cell = row.overdue and col == self._due_col
        if role == FOREGROUND:
            return self._overdue_brush if overdue_cell else self._text_brush
        if role == FONT:
            return self._overdue_font if overdue_cell else None
        if role == DECORATION:
            if col == self._level_col:
                return self._chips.get(row.level)
            return self._overdue_icon if overdue_cell else None
        if role == TOOLTIP:
            return self._tooltip(entry, col, overdue_cell)
        if role == roles.SortRole:
            value = row.values[col]
            key = self._columns[col].sort_value
            return key(value) if key is not None and value is not None else value
        if role == roles.RowRole:
            return row
        return row.level  # LevelRole

    def _tooltip(self, entry: _Entry, col: int, overdue_cell: bool) -> str | None:
        if overdue_cell:
            due = entry.row.values[col]
            days = (self._query.today() - due).days if isinstance(due, date) else 0
            return QCoreApplication.translate("RecordTableModel", "已超期 %n 天", None, days)
        if self._columns[col].tooltip and entry.texts[col]:
            return entry.texts[col]
        return None
