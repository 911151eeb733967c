"""Installers of the layers' hooks, run before a store first writes, upgrades or runs an upgrade
step. app/services registers one when it is imported; registering imports nothing (the standard
library alone), so a light service (app.services.first_page) can be imported before SQLAlchemy."""
from __future__ import annotations

import threading
from typing import Callable

_deferred: list[Callable[[], None]] = []
#: Held while the installers run: a second thread's first write waits for them rather than
#: finding them half installed (it would be refused by the store's audit-trail guard).
_lock = threading.Lock()


def defer_hooks(installer: Callable[[], None]) -> None:
    """Run `installer` (it calls app.store.base.install_hooks) before the first write, upgrade
    or upgrade step of any store, once."""
    with _lock:
        _deferred.append(installer)


def run_deferred_hooks() -> None:
    """Install the hooks registered by defer_hooks and not yet installed (app.store.base calls it)."""
    if not _deferred:  # the common case after the first write: no lock taken
        return
    with _lock:
        while _deferred:
            _deferred[0]()
            _deferred.pop(0)
