"""PySide6 6.12 on Python 3.11 drops a reference to None on every void Qt call (PERFORMANCE.md)."""
from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QTableWidgetItem


class _Emitter(QObject):
    fired = Signal(bool)
    """A signal carrying True/False (the other objects 6.12 leaked on 3.11)."""


def test_void_qt_calls_do_not_leak_references_to_none(qapp):
    item = QTableWidgetItem("x")
    emitter = _Emitter()
    received = []
    emitter.fired.connect(received.append)
    none_before = sys.getrefcount(None)
    true_before = sys.getrefcount(True)
    for i in range(3000):
        item.setText("y")  # returns nothing: the leaking path
        item.setToolTip("z")
        if i % 3 == 0:
            emitter.fired.emit(i % 2 == 0)
    assert len(received) == 1000
    # On 3.12+ None and True are immortal and the counts do not move; on an affected 3.11 build
    # they fall by thousands and the interpreter aborts at exit.
    assert none_before - sys.getrefcount(None) < 300
    assert true_before - sys.getrefcount(True) < 300
