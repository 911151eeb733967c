"""Change events from the station server: what other workstations saved, as `Changes`.

Every committed write to a station table sends one notification on `station_changed` (see
app.store.rights) with the table and the ids it touched. A `ChangeListener` keeps one
connection that LISTENs, turns each notification into a `Changes` value, and hands it to a
callback from its own thread (the window moves it to the GUI thread). No table is polled: the
connection waits on its socket. When the server goes away the listener says so (`on_state`),
retries every few seconds, and says so again when it is back, asking for a full refresh
(events sent while it was away are lost).
"""
from __future__ import annotations

import json
import logging
import threading
from typing import Callable

from app.services.changes import Changes
from app.store.rights import NOTIFY_CHANNEL

log = logging.getLogger(__name__)

RECORD_MODULES = {"case_record": "case", "dispute": "dispute", "person": "person"}
#: Tables whose change is a change of the organisation (names on every view).
ORG_TABLES = {"station", "team", "officer", "account"}
#: A notification larger than this is not ours (PostgreSQL caps payloads at 8000 bytes).
MAX_PAYLOAD = 8000
RETRY_SECONDS = 3.0


def changes_of(payload: str, records: dict[str, str] | None = None) -> Changes | None:
    """The `Changes` one notification stands for; None for a payload that is not one of ours."""
    if len(payload) > MAX_PAYLOAD:
        return None
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("t"), str):
        return None
    table, ids = data["t"], data.get("ids")
    records = records or RECORD_MODULES
    if ids is not None and not (isinstance(ids, list) and all(isinstance(i, int) for i in ids)):
        return None
    if table in records:
        module = records[table]
        if ids is None:
            return Changes(frozenset({module}))
        return Changes.of(*((module, i) for i in ids))
    if table in ORG_TABLES:
        return Changes(organisation=True)
    # History rows (level changes, actions, links) and settings: the module they belong to is
    # not in the event; a refresh of every module is cheap and right.
    return Changes(frozenset(records.values()))


class ChangeListener:
    """LISTEN on the station server in a daemon thread; `on_changes(Changes)` for each event,
    `on_state(connected: bool)` when the connection is lost or back."""

    def __init__(self, url: str, on_changes: Callable[[Changes], None],
                 on_state: Callable[[bool], None] | None = None, *, retry_seconds: float = RETRY_SECONDS):
        self._url = url
        self._on_changes = on_changes
        self._on_state = on_state or (lambda _connected: None)
        self._retry = retry_seconds
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="station-listener", daemon=True)
        self._conn = None
        self.connected = False

    def start(self, wait: float = 10.0) -> "ChangeListener":
        """Start listening; returns once the first LISTEN is in place (or `wait` seconds passed)."""
        self._thread.start()
        self._ready.wait(wait)
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)

    def _connect(self):
        import psycopg

        url = self._url.replace("postgresql+psycopg://", "postgresql://")
        # Keepalives: a server that vanished without closing the connection is noticed in ~10 s.
        conn = psycopg.connect(url, autocommit=True, connect_timeout=5, keepalives=1, keepalives_idle=5,
                               keepalives_interval=2, keepalives_count=3)
        conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        return conn

    def _set_state(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            try:
                self._on_state(connected)
            except Exception:  # a callback's bug must not end the listening
                log.exception("change listener state callback failed")

    def _run(self) -> None:
        import psycopg

        first = True
        while not self._stop.is_set():
            try:
                conn = self._connect()
            except psycopg.Error as exc:
                log.info("station server not reachable: %s", exc)
                self._set_state(False)
                self._ready.set()
                self._stop.wait(self._retry)
                continue
            self._set_state(True)
            if not first:  # events sent while away are lost: everything may be stale
                self._deliver(Changes(frozenset(RECORD_MODULES.values()), organisation=True))
            first = False
            self._ready.set()
            try:
                while not self._stop.is_set():
                    for note in conn.notifies(timeout=0.5, stop_after=64):
                        changes = changes_of(note.payload)
                        if changes is not None:
                            self._deliver(changes)
                    # notifies() returns on its timeout; a closed connection raises on the next call.
            except psycopg.Error as exc:
                log.info("station server connection lost: %s", exc)
                self._set_state(False)
            finally:
                conn.close()
            if not self._stop.is_set():
                self._stop.wait(self._retry)

    def _deliver(self, changes: Changes) -> None:
        try:
            self._on_changes(changes)
        except Exception:
            log.exception("change listener callback failed")
