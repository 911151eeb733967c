"""One runner for long work: a pure function on QThreadPool, progress and cancel, results on the GUI thread.

The work is a plain callable `work(progress, cancelled)`: `progress(done, total)` may be called as
often as the work likes (the runner throttles what reaches the GUI) and `cancelled()` is the token
the pure app/ function checks between steps. Success and failure are delivered on the GUI thread
through Qt's queued signals. A progress dialog appears only if the work lasts more than
`DIALOG_DELAY_MS`, so quick jobs never flash one.

SQLite connections belong to the thread that made them: work that touches the database opens its
own connection with `worker_database(db)` (this process already holds the file's instance lock).
"""
from __future__ import annotations

import contextlib
import logging
import threading
import time
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from app.errors import StationError

log = logging.getLogger(__name__)

#: Work shorter than this never shows a progress dialog (STYLE.md "Long work").
DIALOG_DELAY_MS = 500
#: At most one progress signal per this many seconds, plus the last one.
PROGRESS_INTERVAL_S = 0.05

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
Work = Callable[[Progress, Cancelled], Any]


@contextlib.contextmanager
def worker_database(db):
    """A connection of the worker's own to the same file (and key) as `db`, or the same PostgreSQL
    database, closed afterwards."""
    own = db.reopen(instance_lock=False)
    try:
        yield own
    finally:
        own.close()


def describe_failure(exc: BaseException) -> str:
    """The message a person sees. Storage failures name their cause; anything else is a bug,
    logged with its traceback and shown as such."""
    if isinstance(exc, StationError):
        return exc.message(_lang())
    import sqlcipher3.dbapi2 as sqlite
    from sqlalchemy.exc import OperationalError

    if isinstance(exc, (OperationalError, sqlite.OperationalError, sqlite.DatabaseError)):
        from app.store.sqlite import storage_error

        return storage_error(exc).message(_lang())
    if isinstance(exc, OSError):
        return "无法读写文件：" + (exc.strerror or str(exc)) + (f"（{exc.filename}）" if exc.filename else "")
    log.error("unexpected failure in background work", exc_info=(type(exc), exc, exc.__traceback__))
    return f"程序内部错误（已记录日志）：{type(exc).__name__}: {exc}"


class CancelToken:
    """Set from the GUI thread, read by the work between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    def __call__(self) -> bool:
        return self._event.is_set()


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits through it, so slots run on the GUI thread."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Work, relay: _Relay, token: CancelToken):
        super().__init__()
        self.setAutoDelete(False)  # the Task keeps it; Python owns its lifetime
        self._work, self._relay, self._token = work, relay, token
        self._last = 0.0

    def _progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - self._last >= PROGRESS_INTERVAL_S:
            self._last = now
            self._relay.progressed.emit(int(done), int(total))

    def run(self) -> None:
        try:
            result = self._work(self._progress, self._token)
        except BaseException as exc:  # noqa: BLE001 - workers catch everything (STYLE.md)
            self._relay.failed.emit(exc)
            return
        self._relay.succeeded.emit(result)


class Task(QObject):
    """One run of a piece of work. Signals arrive on the GUI thread."""

    progressed = Signal(int, int)
    """Throttled progress: done, total."""
    succeeded = Signal(object)
    """The work's return value."""
    failed = Signal(str, object)
    """A message for the person, and the exception."""
    finished = Signal()
    """After `succeeded` or `failed`, whichever came."""

    def __init__(self, work: Work, label: str = "", parent: QWidget | None = None,
                 pool: QThreadPool | None = None, cancellable: bool = True):
        super().__init__(parent)
        self.token = CancelToken()
        self.running = False
        self.error: BaseException | None = None
        self._label = label or self.tr("正在处理…")
        self._parent_widget = parent
        self._cancellable = cancellable
        self._pool = pool or QThreadPool.globalInstance()
        self._relay = _Relay()
        self._relay.progressed.connect(self._on_relay_progressed, Qt.ConnectionType.QueuedConnection)
        self._relay.succeeded.connect(self._on_relay_succeeded, Qt.ConnectionType.QueuedConnection)
        self._relay.failed.connect(self._on_relay_failed, Qt.ConnectionType.QueuedConnection)
        self._job = _Job(work, self._relay, self.token)
        self._done = threading.Event()
        self.dialog: QProgressDialog | None = None
        self._last = (0, 0)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> "Task":
        self.running = True
        self._pool.start(self._job)
        self._timer.start(DIALOG_DELAY_MS)
        return self

    def cancel(self) -> None:
        """Ask the work to stop at its next check; `failed` follows with its cancellation error."""
        self.token.cancel()

    def wait(self, msecs: int = 30000) -> bool:
        """Block until the worker thread has returned (for closing a dialog, and for tests)."""
        return self._pool.waitForDone(msecs) if self.running else True

    # -- GUI-thread side ---------------------------------------------------------------------
    def _on_timer_timeout(self) -> None:
        if not self.running:
            return
        dlg = QProgressDialog(self._label, self.tr("取消") if self._cancellable else "", 0, 0,
                              self._parent_widget)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(0)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        if not self._cancellable:
            dlg.setCancelButton(None)
        dlg.canceled.connect(self.cancel)
        self.dialog = dlg
        self._show_progress(*self._last)
        dlg.show()

    def _show_progress(self, done: int, total: int) -> None:
        if self.dialog is not None and total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))

    def _on_relay_progressed(self, done: int, total: int) -> None:
        if not self.running:
            return
        self._last = (done, total)
        self.progressed.emit(done, total)
        # Last: a window-modal dialog's setValue processes events, which may deliver the result.
        self._show_progress(done, total)

    def _finish(self) -> None:
        self.running = False
        self._timer.stop()
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    def _on_relay_succeeded(self, result: object) -> None:
        self._finish()
        self.succeeded.emit(result)
        self.finished.emit()

    def _on_relay_failed(self, exc: object) -> None:
        self._finish()
        self.error = exc
        self.failed.emit(describe_failure(exc), exc)
        self.finished.emit()


def run_task(work: Work, *, parent: QWidget | None = None, label: str = "",
             on_success: Callable[[Any], None] | None = None,
             on_failure: Callable[[str, BaseException], None] | None = None,
             on_progress: Callable[[int, int], None] | None = None, cancellable: bool = True) -> Task:
    """Start `work(progress, cancelled)` on the thread pool and return its Task. Without
    `on_failure`, a failure is shown in a message box over `parent`."""
    task = Task(work, label, parent, cancellable=cancellable)
    if on_success is not None:
        task.succeeded.connect(on_success)
    if on_progress is not None:
        task.progressed.connect(on_progress)
    if on_failure is not None:
        task.failed.connect(on_failure)
    else:
        task.failed.connect(lambda message, _exc: QMessageBox.warning(parent, task.tr("操作失败"), message))
    return task.start()


def _lang() -> str:
    """The interface language's half of a StationError (imported late: no SQL layer at start)."""
    from ui.records.columns import lang_code

    return lang_code()
