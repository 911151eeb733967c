"""The main window's frame, painted before the database layer is imported when the station is an
unprotected file: title, menu bar, the three module tabs and an empty table. The window itself is
built right after the frame's first paint and takes its place (ui.main.show_frame_then_open).

Only Qt, the standard library and SQLAlchemy-free parts of app/ here (as for the log-in dialog).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QLocale, QSettings
from PySide6.QtWidgets import QLabel, QMainWindow, QTableView, QTabWidget, QVBoxLayout, QWidget

from app.domain.levels import Module

#: The station file opened last, and the station server this workstation was set up for
#: (ui.admin.first_start and ui.admin.server_setup write them).
LAST_DB_KEY = "station/last_db"
SERVER_URL_KEY = "station/server_url"
SERVER_PREFIX_KEY = "station/server_prefix"
GEOMETRY_KEY = "main_window/geometry"


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
        self.tabs.addTab(self.table, Module.CASE.zh if chinese else Module.CASE.en)
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
