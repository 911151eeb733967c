"""The main window's frame, painted before the database layer is imported when the station is an
unprotected file: title, menu bar, the three module tabs and an empty table; right after its first
paint, the case table's first page (read by app.services.first_page without SQLAlchemy). The window
itself is built after that and takes its place (ui.main.show_frame_then_open); its case table shows
the same rows, with the frame's selection.

Only Qt, the standard library and SQLAlchemy-free parts of app/ here (as for the log-in dialog).
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QLocale, QPoint, QSettings
from PySide6.QtWidgets import QLabel, QMainWindow, QTableView, QTabWidget, QVBoxLayout, QWidget

from app.domain.levels import Module
from app.services.table_shapes import VIEW_PAGE_SIZE, TableOpening, TableQuery, TableRow

log = logging.getLogger(__name__)

#: The station file opened last, and the station server this workstation was set up for
#: (ui.admin.first_start and ui.admin.server_setup write them).
LAST_DB_KEY = "station/last_db"
SERVER_URL_KEY = "station/server_url"
SERVER_PREFIX_KEY = "station/server_prefix"
GEOMETRY_KEY = "main_window/geometry"
#: Where the window's case table sat when it last closed: x, y, width and height in the window, and
#: the window's width and height (ui.main_window writes it, the frame places its table there).
CASE_TABLE_KEY = "main_window/case_table"


def _tr(text: str) -> str:
    """The main window's own strings (the same translations as the window's)."""
    return QCoreApplication.translate("MainWindow", text)


def plain_station_file(db_path: str | None) -> Path | None:
    """The station file the start will open without a log-in (an unprotected file that exists),
    or None: a protected file, a server, a branch on PostgreSQL, or a first start."""
    from app.store.keyfile import is_protected, needs_creating
    from app.store.paths import default_db_path, is_url

    if db_path is not None:
        if is_url(db_path):
            return None
        target = Path(db_path)
    else:
        settings = QSettings()
        if settings.value(SERVER_URL_KEY, "") and settings.value(SERVER_PREFIX_KEY, ""):
            return None
        last = settings.value(LAST_DB_KEY, "")
        target = Path(str(last)) if last and Path(str(last)).is_file() else default_db_path()
    if needs_creating(target) or is_protected(target):
        return None
    return target


def _read_first_page(path: Path, into: list[tuple[TableRow, ...] | None]) -> None:
    """On the reader thread: the case table's first page, or None (see WindowFrame.show_first_page)."""
    from app.services.first_page import read_first_page

    try:
        into.append(read_first_page(path, Module.CASE, VIEW_PAGE_SIZE))
    except Exception:  # a bug, not a storage failure (those give None): the window still opens
        log.exception("reading the first page for the window's frame failed")
        into.append(None)


class WindowFrame(QMainWindow):
    """What the main window looks like before its data is read, where the window will be."""

    def __init__(self, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("windowFrame")
        self.setWindowTitle(_tr("派出所情报信息分级分类跟踪系统") + f" — {path.name}")
        for title in (_tr("文件(&F)"), _tr("工具(&T)"), _tr("记录(&E)")):
            self.menuBar().addMenu(title).setEnabled(False)
        self.tabs = QTabWidget()
        chinese = QLocale().language() == QLocale.Language.Chinese
        self.table = QTableView()
        #: The case table's first page as the window will show it (None: not readable so, see
        #: app.services.first_page), and its model.
        self.rows: tuple[TableRow, ...] | None = None
        self.model = None
        self._path = path
        #: The case tab's page: the table, placed where the window's sits (place_table).
        self.case_page = QWidget()
        self._case_box = QVBoxLayout(self.case_page)
        self._case_box.setContentsMargins(0, 0, 0, 0)
        self._case_box.addWidget(self.table)
        self.tabs.addTab(self.case_page, Module.CASE.zh if chinese else Module.CASE.en)
        for module in (Module.DISPUTE, Module.PERSON):
            page = QWidget()
            page.setEnabled(False)
            self.tabs.addTab(page, module.zh if chinese else module.en)
        central = QWidget()
        box = QVBoxLayout(central)
        box.setContentsMargins(8, 8, 8, 0)
        box.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.status = QLabel(_tr("正在打开数据库…"))
        self.statusBar().addWidget(self.status, 1)
        self.resize(1440, 900)
        geometry = QSettings().value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)

    def show_first_page(self) -> bool:
        """Show the case table's first page as the window's table will show it (its model and
        look); False when there is none to show (no records, or a file app.services.first_page
        cannot read exactly). Called right after the frame's first paint (ui.main)."""
        # The page is read on a thread while this one imports the model's modules (their `Qt`
        # namespace alone builds 107 enums): SQLite works without the interpreter's lock. The
        # read is not started with the frame: its imports and the thread made the frame's own
        # first paint later (bench/cold_start.py, 1.46x against 1.30x a bare window at load 4-5).
        from app.services.first_page import read_first_page  # noqa: F401 - before the thread: no import there

        read: list[tuple[TableRow, ...] | None] = []
        reader = threading.Thread(target=_read_first_page, args=(self._path, read), name="first-page", daemon=True)
        reader.start()
        from array import array

        from ui.common.table_model import RecordTableModel
        from ui.records.columns import model_columns
        from ui.records.table_look import apply_look, restore_header

        reader.join()
        rows = read[0] if read else None
        if not rows:
            return False
        self.place_table()
        self.rows = rows
        ids = array("q", [r.id for r in rows])
        opening = TableOpening(ids, True, rows, None)

        def only_these(_query: TableQuery, *_args: object) -> array:
            return ids

        self.model = RecordTableModel(
            model_columns(Module.CASE), only_these, lambda _ids: list(rows), TableQuery(),
            page_size=VIEW_PAGE_SIZE, open_table=lambda *_a: opening, parent=self)
        apply_look(self.table, self.model, Module.CASE, False)
        self.table.horizontalHeader().setSortIndicatorShown(True)  # the window's table sorts; this one does not
        restore_header(self.table, self.model, Module.CASE, False)
        return True

    def place_table(self) -> bool:
        """Move the table to where the window's case table sat when the window last closed at this
        size (CASE_TABLE_KEY): the window's legend, search and filter bars take the room above it,
        and the rows stay where they are when the window takes over. False when nothing is known
        for this size (a first start, another size): the table fills the tab as before."""
        saved = QSettings().value(CASE_TABLE_KEY)
        try:
            x, y, w, h, win_w, win_h = (int(v) for v in saved)  # type: ignore[union-attr]
        except (TypeError, ValueError):
            return False
        if (win_w, win_h) != (self.width(), self.height()):
            return False
        self._case_box.setContentsMargins(0, 0, 0, 0)
        self.layout().activate()
        page = self.case_page.mapTo(self, QPoint(0, 0))
        left, top = x - page.x(), y - page.y()
        right, bottom = self.case_page.width() - left - w, self.case_page.height() - top - h
        if min(left, top, right, bottom) < 0:
            return False
        self._case_box.setContentsMargins(left, top, right, bottom)
        self._case_box.activate()
        return True

    def selected_ids(self) -> tuple[list[int], int | None]:
        """The records selected in the frame's table and the current one's id (the window's
        table selects the same when it takes over)."""
        if self.model is None:
            return [], None
        selection = self.table.selectionModel()
        rows = sorted({i.row() for i in selection.selectedRows()})
        current = selection.currentIndex()
        ids = [self.rows[r].id for r in rows if self.rows is not None and r < len(self.rows)]
        current_id = self.rows[current.row()].id if current.isValid() and self.rows is not None else None
        return ids, current_id
