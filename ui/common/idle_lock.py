"""The idle lock: after some minutes without keyboard or mouse input, hide the data and ask
for the password of the account that is logged in."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QApplication

DEFAULT_IDLE_MINUTES = 10
_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
             QEvent.Type.TouchBegin}


def idle_minutes() -> int:
    value = QSettings().value("security/idle_minutes", DEFAULT_IDLE_MINUTES, type=int)
    return value if 1 <= value <= 240 else DEFAULT_IDLE_MINUTES


class IdleWatcher(QObject):
    """Emits `idle` once input has been absent for the interval; any input restarts the count."""

    idle = Signal()
    """No keyboard or mouse input for the whole interval."""

    def __init__(self, interval_ms: int | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms if interval_ms is not None else idle_minutes() * 60_000)
        self._timer.timeout.connect(self.idle)
        self.paused = False
        QApplication.instance().installEventFilter(self)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.paused and event.type() in _ACTIVITY:
            self._timer.start()
        return False

    def set_minutes(self, minutes: int) -> None:
        """The station's setting (系统管理 → 系统设置) replaces this workstation's."""
        self._timer.setInterval(max(1, minutes) * 60_000)
        if self._timer.isActive() and not self.paused:
            self._timer.start()

    def restart(self) -> None:
        self.paused = False
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        QApplication.instance().removeEventFilter(self)
