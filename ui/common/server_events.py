"""Change events from a station server on the GUI thread: what other workstations saved.

Wraps app.server.listen.ChangeListener (a thread waiting on its socket) and re-emits its
Changes as a Qt signal, which Qt queues to this object's (GUI) thread; `follow(workstation)`
feeds them to the workstation's `changed` signal, the one every table, count, 我的工作 and the
briefing already refresh from.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.server.listen import ChangeListener
from ui.common.theme import show_as_error


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


class ServerLink(QObject):
    """A window's tie to its station server: the server's change events feed the workstation's
    views, and a status-bar label says whether the server is reachable. When it is lost the label
    says so (in red) and the listener keeps retrying; open forms keep what was typed, and a save
    made meanwhile is refused with that reason (app.store.postgres), to be made again once the
    server is back. On its return every view refreshes (events sent meanwhile were lost)."""

    def __init__(self, window, url: str, shown: str, label):
        super().__init__(window)
        self._window = window
        self._shown = shown
        self._lost = False
        #: The status-bar label that names the server (the window's database label).
        self.label = label
        self.events = ServerEvents(url, self)
        self.events.connection_changed.connect(self._on_events_connection_changed)
        self.events.changes_arrived.connect(self._on_events_changes_arrived)
        self._show(True)

    def start(self) -> "ServerLink":
        self.events.start()
        return self

    def stop(self) -> None:
        self.events.stop()

    def _show(self, connected: bool) -> None:
        if connected:
            self.label.setText(self.tr("服务器：%1").replace("%1", self._shown))
            self.label.setStyleSheet("")
        else:
            self.label.setText(self.tr("与服务器 %1 的连接已中断，正在重新连接…").replace("%1", self._shown))
            show_as_error(self.label, bold=True)

    def _on_events_connection_changed(self, connected: bool) -> None:
        self._show(connected)
        if connected and not self._lost:  # the first connection: nothing to tell
            return
        self._lost = not connected
        self._window.statusBar().showMessage(
            self.tr("已重新连接服务器") if connected else self.tr("与服务器的连接已中断，正在重新连接…"), 8000)

    def _on_events_changes_arrived(self, changes) -> None:
        self._window.workstation.changed.emit(changes)


def link_window_to_server(window, db) -> ServerLink | None:
    """For a window over a station server (a store opened by app.server.setup.open_server): its
    ServerLink, started, naming the server in the status bar's database label. None for a file."""
    address = getattr(db, "server_address", None)
    if address is None:
        return None
    link = ServerLink(window, db.url, address.shown, window.path_label)
    # A lost server: the pooled connections are dead; the next unit of work makes new ones.
    link.events.connection_changed.connect(lambda connected: None if connected else db.engine.dispose())
    events = link.events
    window.destroyed.connect(lambda *_: events.stop())
    return link.start()
