"""Change events from a station server on the GUI thread: what other workstations saved.

Wraps app.server.listen.ChangeListener (a thread waiting on its socket) and re-emits its
Changes as a Qt signal, which Qt queues to this object's (GUI) thread; `follow(workstation)`
feeds them to the workstation's `changed` signal, the one every table, count, 我的工作 and the
briefing already refresh from.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.server.listen import ChangeListener


class ServerEvents(QObject):
    changes_arrived = Signal(object)
    """Another workstation (or this one) saved: carries the Changes."""

    connection_changed = Signal(bool)
    """The server was lost (False) or is back (True)."""

    def __init__(self, url: str, parent: QObject | None = None):
        super().__init__(parent)
        self._listener = ChangeListener(url, self.changes_arrived.emit, self.connection_changed.emit)

    def start(self) -> "ServerEvents":
        self._listener.start()
        return self

    @property
    def connected(self) -> bool:
        return self._listener.connected

    def follow(self, workstation) -> None:
        """Refresh `workstation`'s views from the server's events."""
        self.changes_arrived.connect(workstation.changed.emit)

    def stop(self) -> None:
        self._listener.stop()
