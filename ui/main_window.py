"""The main window: a shell of one tab per module, the demo banner and the status bar; no SQL here."""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from app.db import Database
from app.domain.levels import LEVEL_ORDER, Module
from app.domain.permissions import ROLE_LABELS
from app.domain.rules import Actor
from app.services.org import station_info
from ui.common.resources import icon
from ui.common.theme import Theme, current
from ui.records.columns import lang_index
from ui.records.table_view import RecordTableView

MODULES = (Module.CASE, Module.DISPUTE, Module.PERSON)


class MainWindow(QMainWindow):
    """Cases, disputes and key persons, one tab each, over one open station database."""

    def __init__(self, db: Database, *, created_demo: bool = False, actor: Actor | None = None,
                 theme: Theme | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self.actor = actor
        self._theme = theme or current()
        info = station_info(db)
        self.station_name = info.name if info else self.tr("未命名派出所")
        self.is_demo = bool(created_demo or (info and info.is_demo))
        self.setWindowTitle(self.tr("%1 — 派出所情报信息分级分类跟踪系统").replace("%1", self.station_name))
        self.setWindowIcon(icon("app"))

        self.banner = QLabel()
        self.banner.setObjectName("demoBanner")
        self.banner.setText(self.tr("演示数据库 — 数据为虚构，仅供熟悉系统使用，请勿录入真实案件和人员信息")
                            + (self.tr("（首次启动已自动创建）") if created_demo else ""))
        self.banner.setVisible(self.is_demo)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(False)
        self.views: dict[Module, RecordTableView] = {}
        for module in MODULES:
            view = RecordTableView(db, module, self._theme)
            view.totals_changed.connect(self._on_view_totals_changed)
            self.views[module] = view
            self.tabs.addTab(view, module.zh if lang_index() == 0 else module.en)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

        central = QWidget()
        box = QVBoxLayout(central)
        box.setContentsMargins(8, 8, 8, 0)
        box.setSpacing(6)
        box.addWidget(self.banner)
        box.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.count_label = QLabel()
        self.path_label = QLabel(self.tr("数据库：%1").replace("%1", str(db.path)))
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.user_label = QLabel()
        if actor is not None:
            role = ROLE_LABELS.get(actor.role, (actor.role, actor.role))[lang_index()]
            self.user_label.setText(self.tr("当前用户：%1（%2）").replace("%1", actor.name).replace("%2", role))
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.path_label)
        self._build_menus()
        self._update_status()
        self.resize(1440, 900)
        self._restore_geometry()
        self.idle_watcher = None
        self.unlock_dialog = None
        if actor is not None and actor.account:
            from ui.common.idle_lock import IdleWatcher

            self.idle_watcher = IdleWatcher(parent=self)
            self.idle_watcher.idle.connect(self.lock)

    # -- idle lock -----------------------------------------------------------------------------
    @property
    def is_locked(self) -> bool:
        return self.unlock_dialog is not None

    def lock(self) -> None:
        """Hide every record and ask for the password of the account that is logged in."""
        from ui.login_dialog import UnlockDialog

        if self.is_locked:
            return
        self.idle_watcher.paused = True
        self.centralWidget().hide()
        self.unlock_dialog = UnlockDialog(self._db, self.actor, self)
        self.unlock_dialog.finished.connect(self._on_unlock_dialog_finished)
        self.unlock_dialog.open()

    def _on_unlock_dialog_finished(self, result: int) -> None:
        self.unlock_dialog = None
        if result == 1:
            self.centralWidget().show()
            self.idle_watcher.restart()
        else:
            self.close()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        refresh = QAction(self.tr("刷新(&R)"), self)
        refresh.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        refresh.triggered.connect(self.refresh)
        file_menu.addAction(refresh)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("退出(&X)"), self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

    @property
    def database(self) -> Database:
        return self._db

    def current_view(self) -> RecordTableView:
        return self.tabs.currentWidget()

    def refresh(self) -> None:
        for view in self.views.values():
            view.refresh()

    def _on_view_totals_changed(self, _total: int, _overdue: int) -> None:
        self._update_status()

    def _on_tabs_current_changed(self, _index: int) -> None:
        self._update_status()

    def _update_status(self) -> None:
        view = self.tabs.currentWidget()
        if not isinstance(view, RecordTableView):
            return
        name = view.module.zh if lang_index() == 0 else view.module.en
        text = self.tr("%1：显示 %2 条").replace("%1", name).replace("%2", str(view.total()))
        if view.overdue_count():
            text += self.tr("，超期 %1 条").replace("%1", str(view.overdue_count()))
        hidden = [lv for lv in LEVEL_ORDER if not view.cards[lv].isChecked()]
        if hidden:
            names = "、".join(lv.zh if lang_index() == 0 else lv.en for lv in hidden)
            text += self.tr("（已隐藏：%1）").replace("%1", names)
        self.count_label.setText(text)

    # -- window state ----------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = QSettings().value("main_window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue("main_window/geometry", self.saveGeometry())
        super().closeEvent(event)
