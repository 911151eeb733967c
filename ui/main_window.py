"""The main window: a shell of one tab per module, the demo banner and the status bar; no SQL here."""
from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QByteArray, QPoint, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from app.domain.levels import LEVEL_ORDER, Module
from app.domain.permissions import ROLE_LABELS
from app.domain.rules import Actor
from app.services.org import default_actor, station_info
from app.store import Store
from ui.common.resources import icon
from ui.common.theme import Theme, current
from ui.records.columns import lang_code, lang_index
from ui.records.table_view import RecordTableView
from ui.window_frame import CASE_TABLE_KEY, GEOMETRY_KEY

MODULES = (Module.CASE, Module.DISPUTE, Module.PERSON)


class _Views(Mapping):
    """The record tables by module. Each is built the first time its tab is shown or it is
    asked for, so a start reads one module's ids and page, not three."""

    def __init__(self, build):
        self._build = build
        #: The tables built so far.
        self.built: dict[Module, RecordTableView] = {}

    def __getitem__(self, module) -> RecordTableView:
        module = Module(module)
        view = self.built.get(module)
        return view if view is not None else self._build(module)

    def __iter__(self):
        return iter(MODULES)

    def __len__(self) -> int:
        return len(MODULES)


class MainWindow(QMainWindow):
    """Cases, disputes and key persons, one tab each, over one open station database."""

    language_switched = Signal(object)
    """The interface language changed: this window closed and hands over to the new one."""

    def __init__(self, db: Store, *, created_demo: bool = False, actor: Actor | None = None,
                 theme: Theme | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self.actor = actor
        self._theme = theme or current()
        info = station_info(db)
        self.station_name = info.name if info else self.tr("未命名派出所")
        self.is_demo = bool(created_demo or (info and info.is_demo))
        self.setWindowTitle(self.tr("%1 — 派出所情报信息分级分类跟踪系统").replace("%1", self.station_name))
        if db.is_file:  # which station file is open, always in sight
            self.setWindowTitle(self.windowTitle() + f" — {db.path.name}")
        self.setWindowIcon(icon("app"))

        self.banner = QLabel()
        self.banner.setObjectName("demoBanner")
        self.banner.setText(self.tr("演示数据库 — 数据为虚构，仅供熟悉系统使用，请勿录入真实案件和人员信息")
                            + (self.tr("（首次启动已自动创建）") if created_demo else ""))
        self.banner.setVisible(self.is_demo)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(False)
        self._workstation = None
        # Who acts when no account logged in (a plain database): the same as the workstation's.
        self._acting = actor or default_actor(db)
        self.views = _Views(self._build_view)
        #: An empty page stands in for each table until its tab is first shown.
        self._placeholders: dict[Module, QWidget] = {}
        for module in MODULES:
            self._placeholders[module] = QWidget()
            self.tabs.addTab(self._placeholders[module], self._module_name(module))
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

        central = QWidget()
        box = QVBoxLayout(central)
        box.setContentsMargins(8, 8, 8, 0)
        box.setSpacing(6)
        box.addWidget(self.banner)
        box.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.count_label = QLabel()
        self.path_label = QLabel(self.tr("数据库：%1").replace("%1", db.title))
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.user_label = QLabel()
        if actor is not None:
            role = ROLE_LABELS.get(actor.role, (actor.role, actor.role))[lang_index()]
            self.user_label.setText(self.tr("当前用户：%1（%2）").replace("%1", actor.name).replace("%2", role))
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.path_label)
        self.server_link = None
        if getattr(db, "server_address", None) is not None:  # a station server: its events and its state
            from ui.common.server_events import link_window_to_server

            self.server_link = link_window_to_server(self, db)
        self._build_menus()
        self._build_workstation_menu()
        self._build_account_menus()
        self._add_branch_console()
        self._ensure_current_view()
        self._update_status()
        self.resize(1440, 900)
        self._restore_geometry()
        self.idle_watcher = None
        self.unlock_dialog = None
        if actor is not None and actor.account:
            from ui.common.idle_lock import IdleWatcher

            self.idle_watcher = IdleWatcher(parent=self)
            self.idle_watcher.idle.connect(self.lock)
            from ui.admin.menus import apply_station_settings

            apply_station_settings(self)  # the station's idle-lock minutes, when its administrator set them

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
        from ui.briefing.window import BriefingWindow

        for briefing in self.findChildren(BriefingWindow):  # the wall shows nothing while locked
            briefing.close()
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
        backups = QAction(self.tr("备份与恢复(&B)…"), self)
        backups.triggered.connect(self.show_backups)
        if not self._db.is_file:  # a PostgreSQL branch: the server's own backups (pg_dump) keep it
            backups.setEnabled(False)
            backups.setToolTip(self.tr("PostgreSQL数据库由服务器备份（pg_dump）"))
        file_menu.addAction(backups)
        self.import_ledger_action = QAction(self.tr("导入台账(&I)…"), self)
        self.import_ledger_action.triggered.connect(self.show_ledger_import)
        self._set_allowed(self.import_ledger_action, "create_record")
        file_menu.addAction(self.import_ledger_action)
        self.export_package_action = QAction(self.tr("导出数据包（报送分局）(&E)…"), self)
        self.export_package_action.triggered.connect(self.show_export_package)
        self._set_allowed(self.export_package_action, "export")
        file_menu.addAction(self.export_package_action)
        file_menu.addSeparator()
        file_menu.setToolTipsVisible(True)
        tools = self.menuBar().addMenu(self.tr("工具(&T)"))
        tools.setToolTipsVisible(True)
        self.dashboard_action = QAction(self.tr("统计分析(&S)"), self)
        self.dashboard_action.triggered.connect(self.show_dashboard)
        tools.addAction(self.dashboard_action)
        self.reports_action = QAction(self.tr("报表(&P)…"), self)
        self.reports_action.triggered.connect(self.show_reports)
        tools.addAction(self.reports_action)
        self.briefing_action = QAction(self.tr("晨会简报(&M)"), self)
        self.briefing_action.setShortcut(QKeySequence(Qt.Key.Key_F7))  # F5 is 刷新 (StandardKey.Refresh)
        self.briefing_action.triggered.connect(lambda: self.show_briefing("daily"))
        tools.addAction(self.briefing_action)
        weekly_action = QAction(self.tr("每周会商研判(&W)"), self)
        weekly_action.setShortcut(QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_F7))
        weekly_action.triggered.connect(lambda: self.show_briefing("weekly"))
        tools.addAction(weekly_action)
        tools.addSeparator()
        self.workflow_actions = {}
        for key, text in (("alerts", self.tr("110警情(&1)…")), ("series", self.tr("串并侦查(&C)…")),
                          ("watch", self.tr("天网布控名单(&K)…")), ("mediation", self.tr("融调化解(&G)…"))):
            action = QAction(text, self)
            action.triggered.connect(lambda _c=False, k=key: self.show_workflows(k))
            self.workflow_actions[key] = action
            tools.addAction(action)
        tools.addSeparator()
        self.audit_action = QAction(self.tr("审计日志(&A)…"), self)
        self.audit_action.triggered.connect(self.show_audit)
        self._set_allowed(self.audit_action, "view_audit")
        tools.addAction(self.audit_action)
        quit_action = QAction(self.tr("退出(&X)"), self)
        quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

    # -- administration, accounts and help (issue 13) ------------------------------------------
    logged_out = Signal()
    """The person logged out or asked to switch user: the application shows the log-in again."""
    station_file_requested = Signal(str)
    """Another station database file was chosen (File → 打开派出所数据库)."""

    def _build_account_menus(self) -> None:
        from ui.admin.menus import build_account_menus

        build_account_menus(self)

    def _set_allowed(self, action: QAction, policy_action: str) -> None:
        """Enabled when the policy allows the account; else greyed, its tip saying why."""
        from ui.common.denied import denied_reason, set_allowed

        set_allowed(action, None if self.actor is None else denied_reason(self.actor.role, policy_action))

    # -- the record tables, built on first show -----------------------------------------------
    @staticmethod
    def _module_name(module: Module) -> str:
        return module.zh if lang_index() == 0 else module.en

    def _build_view(self, module: Module) -> RecordTableView:
        view = RecordTableView(self._db, module, self._theme)
        view.totals_changed.connect(self._on_view_totals_changed)
        if self._workstation is not None:
            view.attach(self._workstation)
        else:
            view.attach_later(lambda: self.workstation, self._acting.role)
        self.views.built[module] = view
        self._show_own_work(view)
        placeholder = self._placeholders.pop(module)
        index = self.tabs.indexOf(placeholder)
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)  # the same tab stays in front: nothing changed for a listener
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, view, self._module_name(module))
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(False)
        placeholder.deleteLater()
        return view

    def _show_own_work(self, view: RecordTableView) -> None:
        """An officer opens on the records they are responsible for, a team leader on the team's
        (a visible filter, cleared with 清除筛选); a station leader and the others see the station."""
        actor = self.actor
        if actor is None or actor.role not in ("officer", "team_leader"):
            return
        if actor.role == "officer" and actor.officer_id is not None:
            view.show_own(person_id=actor.officer_id)
        elif actor.role == "team_leader" and actor.team_id is not None:
            view.show_own(team_id=actor.team_id)

    def open_on_own_work(self) -> None:
        """After the first paint: a station leader starts on the summary (统计分析)."""
        if self.actor is not None and self.actor.role == "leader" and not hasattr(self, "freshness"):
            self.show_dashboard()

    def _ensure_current_view(self) -> None:
        for module, placeholder in list(self._placeholders.items()):
            if self.tabs.currentWidget() is placeholder:
                self.views[module]
                return

    # -- the officer's workstation (issue 3): menu actions and shortcuts only -------------------
    @property
    def workstation(self):
        """Opening, creating and acting on records. Made on first use: its forms and record
        window bring in the write services (and their pinyin search keys)."""
        if self._workstation is None:
            from ui.records.workstation import Workstation

            self._workstation = Workstation(self._db, self.actor, self._theme, self)
            self._workstation.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
            for view in self.views.built.values():
                view.attach(self._workstation)
        return self._workstation

    def _build_workstation_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("记录(&E)"))

        def add(text: str, slot, shortcut=None) -> QAction:
            action = QAction(text, self)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            menu.addAction(action)
            return action

        self.new_record_action = add(self.tr("新建记录(&N)…"), lambda: self.current_view()._on_action_button("new"),
                                     QKeySequence.StandardKey.New)
        self.open_record_action = add(self.tr("打开记录(&O)"), lambda: self.current_view().open_current(),
                                      "Ctrl+O")
        self.search_action = add(self.tr("搜索(&S)"), self._focus_search, QKeySequence.StandardKey.Find)
        menu.addSeparator()
        add(self.tr("下一条记录"), lambda: self._step_record(1), "Ctrl+Down")
        add(self.tr("上一条记录"), lambda: self._step_record(-1), "Ctrl+Up")
        menu.addSeparator()
        self.my_work_action = add(self.tr("我的工作(&W)…"), lambda: self.workstation.show_my_work(), "Ctrl+M")
        add(self.tr("导出当前视图(&X)…"), lambda: self.current_view().export_dialog(), "Ctrl+E")
        add(self.tr("清除筛选"), lambda: self.current_view().clear_filters(), "Ctrl+Shift+L")
        for module, key in zip(MODULES, ("Ctrl+1", "Ctrl+2", "Ctrl+3")):
            add(self.tr("切换到%1").replace("%1", self._module_name(module)),
                lambda _c=False, m=module: self.tabs.setCurrentWidget(self.views[m]), key)
        self._set_allowed(self.new_record_action, "create_record")
        menu.setToolTipsVisible(True)
        language = menu.addMenu(self.tr("界面语言(&L)"))
        chosen = QSettings().value("ui/language", "zh_CN")
        for code, name in (("zh_CN", "中文（简体）"), ("en_US", "English")):
            action = QAction(name, self)
            action.setCheckable(True)
            action.setChecked(chosen == code)
            action.triggered.connect(lambda _c=False, c=code: self._set_language(c))
            language.addAction(action)

    def _set_language(self, code: str) -> None:
        """Switch the interface language now: the translators change and the window is built
        again in the new language (same database, same account, same place); remembered too."""
        QSettings().setValue("ui/language", code)
        self.switch_language(code)

    #: The windows made by a language change (the application holds no other reference).
    successors: list = []

    def switch_language(self, code: str) -> "MainWindow":
        from PySide6.QtWidgets import QApplication

        from ui.main import install_translators

        install_translators(QApplication.instance(), code)
        successor = MainWindow(self._db, created_demo=False, actor=self.actor, theme=self._theme)
        successor.is_demo = self.is_demo
        successor.banner.setVisible(self.is_demo)
        successor.setGeometry(self.geometry())
        index = self.tabs.currentIndex()
        if getattr(self, "dashboard", None) is not None and self.tabs.currentWidget() is self.dashboard:
            successor.show_dashboard()
        elif 0 <= index < successor.tabs.count():
            successor.tabs.setCurrentIndex(index)
        MainWindow.successors = [w for w in MainWindow.successors if w is not self] + [successor]
        if self.idle_watcher is not None:
            QApplication.instance().removeEventFilter(self.idle_watcher)
            self.idle_watcher.paused = True
        self._handed_over = True
        if self.isVisible():
            successor.show()
        self.close()
        self.language_switched.emit(successor)
        return successor

    def _focus_search(self) -> None:
        search = self.current_view().search
        search.setFocus()
        search.selectAll()

    def _step_record(self, step: int) -> None:
        """Move the table's current row and, when the record window is open, show that record."""
        view = self.current_view()
        rows = view.model.rowCount()
        if not rows:
            return
        current = view.table.currentIndex()
        row = min(max((current.row() if current.isValid() else -1) + step, 0), rows - 1)
        view.table.selectRow(row)
        window = self._workstation.window if self._workstation is not None else None
        if window is not None and window.isVisible():
            self.workstation.open_record(view.module.value, view.model.ids[row])

    def show_audit(self) -> None:
        from ui.trust.audit_view import AuditDialog

        AuditDialog(self._db, self).exec()

    def show_backups(self) -> None:
        """The backup list; a restore chosen there closes the database, restores, and ends the app."""
        from PySide6.QtWidgets import QApplication, QMessageBox

        from app.errors import StationError
        from app.services.backup import restore_and_record
        from ui.trust.backup_dialog import BackupDialog

        dialog = BackupDialog(self._db, self.actor, self)
        if dialog.exec() != BackupDialog.DialogCode.Accepted or dialog.restore_requested is None:
            return
        try:
            restore_and_record(self._db, self.actor, dialog.restore_requested)
        except StationError as exc:
            QMessageBox.critical(self, self.tr("恢复失败"), exc.message(lang_code()))
            return
        QMessageBox.information(self, self.tr("已恢复"), self.tr("已从备份恢复。程序将关闭，请重新启动。"))
        QApplication.instance().quit()

    def start_daily_backup(self) -> None:
        """The backup at start and then daily, off the GUI thread (its own connection)."""
        from PySide6.QtCore import QThreadPool, QTimer

        from app.services.backup import backup_if_due

        db = self._db
        if not db.is_file:  # a PostgreSQL branch: backups are the server's (pg_dump), not a file copy
            return

        from app.services.settings import backup_folder_for

        folder = backup_folder_for(db)  # read here: the worker thread does not query the database

        def work() -> None:
            try:
                backup_if_due(db, folder=folder)
            except Exception:  # a failed backup must not stop the app; it is logged and retried
                import logging

                logging.getLogger(__name__).exception("daily backup failed")

        QThreadPool.globalInstance().start(work)
        if not hasattr(self, "_backup_timer"):
            self._backup_timer = QTimer(self)
            self._backup_timer.setInterval(60 * 60 * 1000)  # checks hourly, backs up once a day
            self._backup_timer.timeout.connect(self.start_daily_backup)
            self._backup_timer.start()

    @property
    def database(self) -> Store:
        return self._db

    def current_view(self) -> RecordTableView:
        """The record table in front, or the cases table when another tab (the dashboard) is."""
        view = self.tabs.currentWidget()
        return view if isinstance(view, RecordTableView) else self.views[Module.CASE]

    def refresh(self) -> None:
        for view in self.views.built.values():  # a table not built yet reads fresh when it is
            view.refresh()
        if getattr(self, "dashboard", None) is not None:
            self.dashboard.reload()

    # -- statistics and ledgers ------------------------------------------------------------------
    def show_dashboard(self) -> None:
        """The 统计分析 tab; pyqtgraph is imported now, never before the first paint."""
        from ui.dashboard.dashboard import DashboardView

        if getattr(self, "dashboard", None) is None:
            self.dashboard = DashboardView(self._db, self._theme)
            self.dashboard.drill_down.connect(self._on_dashboard_drill_down)
            self.dashboard.reloaded.connect(self._update_status)
            self.tabs.addTab(self.dashboard, self.tr("统计分析"))
        self.tabs.setCurrentWidget(self.dashboard)
        self._update_status()

    def _on_dashboard_drill_down(self, module: str, query, caption: str) -> None:
        view = self.views[Module(module)]
        view.show_query(query, caption)
        self.tabs.setCurrentWidget(view)

    def show_reports(self) -> None:
        from ui.reports.report_dialog import ReportDialog

        ReportDialog(self._db, self.actor, self).exec()

    def show_briefing(self, mode: str = "daily") -> None:
        """The briefing, full screen on the projector (the second screen when one is connected)."""
        from PySide6.QtWidgets import QMessageBox

        from app.errors import StationError
        from ui.briefing.window import open_briefing

        try:
            open_briefing(self._db, self.actor, mode=mode, parent=self)  # deletes itself on close
        except StationError as exc:
            QMessageBox.critical(self, self.tr("无法打开晨会简报"), exc.message(lang_code()))

    def show_export_package(self) -> None:
        from ui.sync.export_dialog import ExportDialog

        ExportDialog(self._db, self.actor, self).exec()

    def _add_branch_console(self) -> None:
        """At the branch office (分局) the first tab is each station's freshness and the import."""

        if not self._db.is_branch():
            return
        from ui.branch.freshness_view import FreshnessView

        self.freshness = FreshnessView(self._db, self.actor)
        self.tabs.insertTab(0, self.freshness, self.tr("各所数据"))
        self.tabs.setCurrentIndex(0)
        self.freshness.imported.connect(lambda _results: self.refresh())

    def show_workflows(self, tab: str = "alerts"):
        """The seed's working lists (110警情, 串并侦查, 天网布控, 融调化解) in their own window."""
        from ui.workflows.window import WorkflowWindow

        if getattr(self, "workflow_window", None) is None:
            self.workflow_window = WorkflowWindow(self._db, self.actor, parent=self)
            self.workflow_window.changed.connect(lambda _c: self.refresh())
            self.workflow_window.open_requested.connect(self.workstation.open_record)
        self.workflow_window.show_tab(tab)
        self.workflow_window.show()
        self.workflow_window.raise_()
        return self.workflow_window

    def show_ledger_import(self) -> None:
        from ui.ledger.import_wizard import LedgerImportWizard

        wizard = LedgerImportWizard(self._db, self.actor, self, module=self.current_view().module)
        wizard.imported.connect(lambda _module: self.refresh())
        wizard.exec()

    def _on_view_totals_changed(self, _total: int, _overdue: int) -> None:
        self._update_status()

    def _on_tabs_current_changed(self, _index: int) -> None:
        self._ensure_current_view()
        self._update_status()

    def _update_status(self) -> None:
        view = self.tabs.currentWidget()
        if view is not None and view is getattr(self, "dashboard", None):
            self.count_label.setText(self.tr("统计分析：%1").replace("%1", view.title.text()))
            return
        if not isinstance(view, RecordTableView) or not view.model.ids_complete():
            # A large table opened on its first page: its whole id list (the count) is read right
            # after its first paint, and totals_changed brings the count here; asking for it now
            # would read the list before the window is on screen.
            self.count_label.setText("")
            return
        name = view.module.zh if lang_index() == 0 else view.module.en
        text = self.tr("%1：显示 %2 条").replace("%1", name).replace("%2", str(view.total()))
        overdue = view.overdue_count(wait=False)  # None until the counts arrive (totals_changed)
        if overdue:
            text += self.tr("，超期 %1 条").replace("%1", str(overdue))
        hidden = [lv for lv in LEVEL_ORDER if not view.cards[lv].isChecked()]
        if hidden:
            names = "、".join(lv.zh if lang_index() == 0 else lv.en for lv in hidden)
            text += self.tr("（已隐藏：%1）").replace("%1", names)
        self.count_label.setText(text)

    # -- window state ----------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = QSettings().value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = QSettings()
        settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        cases = self.views.built.get(Module.CASE)
        if (cases is not None and cases.table.isVisible() and not cases.drill_bar.isVisible()
                and not cases.match_label.isVisible()):
            # Where the case table sits in a window of this size: the next start's frame shows its
            # first page there, so the rows do not move when the window takes over. Not with a
            # drill-down's or a pinyin search's line above it: the next start shows neither.
            top_left = cases.table.mapTo(self, QPoint(0, 0))
            settings.setValue(CASE_TABLE_KEY, [top_left.x(), top_left.y(), cases.table.width(),
                                               cases.table.height(), self.width(), self.height()])
        super().closeEvent(event)
