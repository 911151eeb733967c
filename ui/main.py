"""Application start: the QApplication (locale, translators, font, stylesheet), the database, the window.

Only Qt is imported at the top; the database layer (SQLAlchemy) and the window come in after the
QApplication exists, and nothing heavier (pyqtgraph, numpy) is imported before the first paint.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from ui.common import pyside_hook

# PySide6 is imported here, and its import hook made cheap before any other module is imported
# (the hook's own check read every later module's source, this one's package included).
pyside_hook.install()

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QObject, QTimer, QTranslator  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

# `Qt`, QMessageBox and QLabel are imported where they are used: building the Qt namespace's enums
# alone takes ≈ 50 ms, and the window's frame paints without them.

log = logging.getLogger(__name__)

DEFAULT_LOCALE = "zh_CN"
#: Translators must outlive the call that installed them.
_translators: list[QTranslator] = []


def _tr(text: str) -> str:
    return QCoreApplication.translate("Startup", text)


def install_translators(app: QCoreApplication, locale_name: str = DEFAULT_LOCALE) -> list[str]:
    """Qt's own strings (确定/取消 on standard dialogs) and, for other languages, the app's .qm.
    Returns the names of the catalogues loaded."""
    from ui.common.resources import resource_path

    for old in _translators:
        app.removeTranslator(old)
    _translators.clear()
    locale = QLocale(locale_name)
    QLocale.setDefault(locale)
    loaded = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    candidates = [("qtbase", qt_dir)]
    if not locale_name.startswith("zh"):  # the app's source strings are Chinese already
        candidates.append(("app", str(resource_path("i18n"))))
    for name, directory in candidates:
        translator = QTranslator(app)
        if translator.load(locale, name, "_", directory):
            app.installTranslator(translator)
            _translators.append(translator)
            loaded.append(name)
        else:
            log.info("no %s translation for %s in %s", name, locale_name, directory)
    return loaded


def configure_application(app: QApplication, theme_name: str = "light") -> None:
    """Names, locale and translators, the app font and the stylesheet: once, before any window."""
    from app import APP_NAME, APP_ORG
    from ui.common import theme as theme_mod
    from ui.common.resources import icon, stylesheet

    app.setOrganizationName(APP_ORG)
    app.setApplicationName(APP_NAME)
    from PySide6.QtCore import QSettings

    install_translators(app, str(QSettings().value("ui/language", DEFAULT_LOCALE)))
    theme = theme_mod.set_current(theme_name)
    app.setFont(theme.font())
    app.setStyleSheet(stylesheet(theme))
    app.setWindowIcon(icon("app"))


def _first_start_notice() -> QWidget | None:
    """A small window while the demo station is built on first start (a few seconds)."""
    from app.store.paths import default_db_path
    from app.store.sqlite import sniff_file

    if sniff_file(default_db_path()) not in ("missing", "empty"):
        return None
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    notice = QLabel(_tr("首次启动：正在创建演示数据库，请稍候…"))
    notice.setWindowFlags(Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint)
    notice.setMargin(24)
    notice.show()
    QApplication.processEvents()
    return notice


def _show_failure(message: str, db_path: str | None) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(None, _tr("无法打开数据库"), message + "\n\n" + _where(db_path))


def _unlock(db_path: str | None):
    """(database, acting account or None, created_demo); None when the person gave up.

    Plain databases open through app.startup.open_station; protected ones (the default demo
    station among them) ask for an account first. The log-in dialog is painted from the key file
    alone (app.store.keyfile); the database layer is imported while the person types."""
    from PySide6.QtCore import Qt

    from app.store.keyfile import DEMO_PASSWORD, is_demo_file, is_protected, needs_creating
    from app.store.paths import default_db_path, is_url

    if db_path is not None and is_url(db_path):
        return _open_postgresql_branch(db_path)
    created = False
    if db_path is None:
        from ui.admin.first_start import remembered_station
        from ui.admin.server_setup import remembered_server

        server = remembered_server()
        if server is not None:  # this workstation's station is on a server: log in there
            return _server_login(server)
        target = remembered_station() or default_db_path()
        if needs_creating(target):
            first = _first_start()
            if first is None or not isinstance(first, Path):
                return first
            target = first
        if needs_creating(target) and target == default_db_path():
            from app.startup import ensure_default_database

            notice = _first_start_notice()
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                target, created = ensure_default_database()
            finally:
                QApplication.restoreOverrideCursor()
                if notice is not None:
                    notice.close()
    else:
        target = Path(db_path)
    if not is_protected(target):
        from app.startup import open_station

        opened = open_station(target)
        return opened.db, None, created or opened.created_demo
    from ui.login_dialog import LoginDialog

    hint = (_tr("已创建演示数据库。演示账户 leader（所领导）、teamleader（队长）、officer（民警），"
                "密码均为 %1").replace("%1", DEMO_PASSWORD) if created else "")
    if not created and is_demo_file(target):
        hint = (_tr("这是演示数据库。演示账户 leader（所领导）、teamleader（队长）、officer（民警）、"
                    "admin（系统管理员），密码均为 %1").replace("%1", DEMO_PASSWORD))
    dialog = LoginDialog(target, demo_hint=hint)
    if created:
        dialog.username.setText("leader")
    call_after_first_paint(dialog, _import_database_layer)
    if dialog.exec() != LoginDialog.DialogCode.Accepted or dialog.logged_in is None:
        return None
    return dialog.logged_in.db, dialog.logged_in.actor, created


def _first_start():
    """Nothing to open yet: the demo station, this station's set-up wizard, or a file. Returns the
    default path (the demo is made next), an opened (db, actor, False), a chosen Path, or None."""
    from app.store.paths import default_db_path
    from ui.admin.first_start import FirstStartDialog, SetupWizard, remember_station

    chooser = FirstStartDialog()
    if chooser.exec() != FirstStartDialog.DialogCode.Accepted:
        return None
    if chooser.choice == FirstStartDialog.DEMO:
        return default_db_path()
    if chooser.choice == FirstStartDialog.SERVER:
        from ui.admin.server_setup import ServerSetupDialog

        setup = ServerSetupDialog()
        if setup.exec() != ServerSetupDialog.DialogCode.Accepted or setup.address is None:
            return None
        return _server_login(setup.address)
    if chooser.choice == FirstStartDialog.OPEN:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(None, _tr("打开派出所数据库"), "", _tr("派出所数据库 (*.db)"))
        if not path:
            return None
        remember_station(path)
        return Path(path)
    wizard = SetupWizard()
    if wizard.exec() != SetupWizard.DialogCode.Accepted or wizard.logged_in is None:
        return None
    return wizard.logged_in.db, wizard.logged_in.actor, False


def _server_login(address, account: str = ""):
    """The log-in dialog for a station server (it names the server); (db, actor, False) or None."""
    from ui.login_dialog import LoginDialog

    dialog = LoginDialog(None, server=address)
    dialog.username.setText(account)
    call_after_first_paint(dialog, _import_database_layer)
    if dialog.exec() != LoginDialog.DialogCode.Accepted or dialog.logged_in is None:
        return None
    return dialog.logged_in.db, dialog.logged_in.actor, False


def _import_database_layer() -> None:
    """While the log-in dialog waits for a password: the modules the log-in and the window need
    (SQLAlchemy, the models, Argon2 and AES, the main window), so that logging in does not wait for them."""
    import app.services.accounts  # noqa: F401
    import ui.main_window  # noqa: F401


def _open_postgresql_branch(url: str):
    """A station server or a branch office (分局) database on PostgreSQL. Its accounts log in as
    their own PostgreSQL users (a log-in dialog that names the server, unless the URL holds the
    account and its password); a branch made before accounts existed opens for its owner only."""
    from PySide6.QtCore import Qt

    from app.server.setup import console_address, open_console

    parsed = console_address(url)
    if parsed is None or (parsed[1] and parsed[2] is not None):
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            done = open_console(url, None, lambda: "")
        finally:
            QApplication.restoreOverrideCursor()
        return done.db, done.actor, False
    address, account, _ = parsed
    return _server_login(address, account)


def open_window(db_path: str | None):
    """Open (or, on first start, create) the station database and build the main window.
    A failure a person can act on is shown in a message box and gives None, as does a
    cancelled log-in."""
    from app.errors import StationError

    try:
        unlocked = _unlock(db_path)
    except StationError as exc:
        from ui.records.columns import lang_code

        _show_failure(exc.message(lang_code()), db_path)
        return None
    except OSError as exc:
        _show_failure(_tr("无法读写数据库文件：") + (exc.strerror or str(exc)), db_path)
        return None
    if unlocked is None:
        return None
    db, actor, created = unlocked
    from PySide6.QtCore import Qt

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        from ui.main_window import MainWindow

        return MainWindow(db, created_demo=created, actor=actor)
    except BaseException:
        db.close()
        raise
    finally:
        QApplication.restoreOverrideCursor()


class _FirstPaint(QObject):
    """Runs `then` once, in the event loop right after `window` (or a widget in it) first paints."""

    def __init__(self, window: QWidget, then):
        super().__init__(window)
        self._window = window
        self._then = then

    def eventFilter(self, obj, event) -> bool:
        if (event.type() == QEvent.Type.Paint and isinstance(obj, QWidget)
                and (obj is self._window or self._window.isAncestorOf(obj))):
            QApplication.instance().removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False


def call_after_first_paint(window: QWidget, then) -> None:
    """Start-up work that is not needed for the first sight of the window (the daily backup,
    my work, the other tables' imports) waits until the window has painted once."""
    QApplication.instance().installEventFilter(_FirstPaint(window, then))


def _where(db_path: str | None) -> str:
    from app.store.paths import default_db_path, is_url

    if db_path is not None and is_url(db_path):
        from app.store.postgres import safe_url

        return _tr("数据库：") + safe_url(db_path)

    return _tr("数据库文件：") + str(Path(db_path) if db_path else default_db_path())


def show_frame_then_open(db_path: str | None, opened) -> QWidget | None:
    """An unprotected station file: show the window's frame at once (ui.window_frame, painted
    before SQLAlchemy and the models are imported), right after its first paint the case table's
    first page in it (still without them), and after that paint open the station and build the
    window; `opened(window)` (None: it did not open, a message was shown)
    is called then, and the frame closes after it. Returns the frame, or None when this start
    needs a log-in, a first start or a server first (call open_window instead)."""
    from ui.window_frame import WindowFrame, plain_station_file

    target = plain_station_file(db_path)
    if target is None:
        return None
    frame = WindowFrame(target)

    def fill() -> None:
        window = None
        try:
            window = open_window(db_path)
        finally:
            if window is None:  # `opened` decides how the start ends, not the frame's closing
                app = QApplication.instance()
                app.setQuitOnLastWindowClosed(False)
                frame.close()
                frame.deleteLater()
                app.setQuitOnLastWindowClosed(True)
                opened(None)
        if window is None:
            return
        window.setGeometry(frame.geometry())  # where the frame was, whatever the window manager did
        hand_over(frame, window)
        opened(window)
        frame.close()  # after the window is shown: never a moment without a window
        frame.deleteLater()

    filled = []

    def fill_once() -> None:
        if not filled:
            filled.append(True)
            fill()

    def rows_then_fill() -> None:
        """The first page right after the empty frame's paint; the window after the rows' paint
        (or within a second, should nothing repaint, e.g. a minimised frame)."""
        if frame.show_first_page():
            call_after_first_paint(frame, fill_once)
            QTimer.singleShot(1000, fill_once)
        else:
            fill_once()

    call_after_first_paint(frame, rows_then_fill)
    frame.show()
    return frame


def hand_over(frame, window) -> None:
    """The window's case table takes over from the frame's first page: the same selection, the
    same current record, scrolled as far (the rows are the same: app.services.first_page)."""
    if frame.model is None:
        return
    from app.domain.levels import Module

    view = window.views.built.get(Module.CASE)
    if view is None or window.tabs.currentWidget() is not view:
        return
    selected, current = frame.selected_ids()
    view.take_over(selected, current, frame.table.verticalScrollBar().value())


def run(db_path: str | None) -> int:
    """Start the desktop app on `db_path` (None: the user's default station database)."""
    app = QApplication.instance() or QApplication(sys.argv)
    configure_application(app)
    windows: list = []

    def opened(window) -> None:
        if window is None:
            app.exit(1)
            return
        windows.append(window)
        follow_log_outs(windows, db_path)
        window.show()

        def after_first_paint() -> None:  # the window is on screen first; then the rest starts
            window.start_daily_backup()
            window.open_on_own_work()
            window.workstation.show_my_work_if_first_today()

        call_after_first_paint(window, after_first_paint)

    frame = show_frame_then_open(db_path, opened)
    if frame is None:
        window = open_window(db_path)
        if window is None:
            return 1
        opened(window)
    try:
        return app.exec()
    finally:
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(60_000)  # a backup in progress finishes first
        if windows:
            windows[0].database.close()


def follow_log_outs(windows: list, db_path: str | None) -> None:
    """Log out / switch user, and open another station file, without ending the program: the
    window and its database close, the log-in for that file is shown, and a new window opens.
    `windows[0]` is always the current window."""
    window = windows[0]

    def reopen(path: str | None) -> None:
        from PySide6.QtCore import QThreadPool

        app = QApplication.instance()
        app.setQuitOnLastWindowClosed(False)  # between the two windows only the log-in is shown
        current = windows[0]  # a language change may have replaced the window since
        try:
            current.close()
            QThreadPool.globalInstance().waitForDone(60_000)
            current.database.close()
            new = open_window(path)
        finally:
            app.setQuitOnLastWindowClosed(True)
        if new is None:
            app.quit()
            return
        if path is not None and new.database.is_file:
            from ui.admin.first_start import remember_station

            remember_station(new.database.path)  # the next start opens the station chosen last
        windows[0] = new
        follow_log_outs(windows, path)
        new.show()

    def switched(successor) -> None:
        """The language changed: the new window takes over, log-out and file switching included."""
        windows[0] = successor
        follow_log_outs(windows, db_path)

    window.language_switched.connect(switched)
    window.logged_out.connect(lambda: QTimer.singleShot(0, lambda: reopen(db_path)))
    window.station_file_requested.connect(lambda path: QTimer.singleShot(0, lambda: reopen(path)))
