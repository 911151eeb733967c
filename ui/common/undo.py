"""Undo for forms: every field edit is a QUndoCommand on the form's QUndoStack until the form is saved.

Typing in one field merges into one step (as text editors do); moving to another field starts a new
step. Undo and redo set the widget's value back with the binder's own signals muted, so restoring a
value never records a new step. After saving, the stack is cleared: the change is in the record's
history, and a wrong saved entry is voided, not undone.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QObject
from PySide6.QtGui import QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QAbstractButton, QComboBox, QDateEdit, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

_ids = iter(range(1000, 10**9))


def _tr(text: str) -> str:
    return QCoreApplication.translate("FormUndo", text)


class _Field:
    """How to read, write and watch one kind of input widget."""

    def __init__(self, widget: QWidget, label: str):
        self.widget = widget
        self.label = label
        self.merge_id = next(_ids)
        w = widget
        if isinstance(w, QLineEdit):
            self.get: Callable[[], Any] = w.text
            self.set: Callable[[Any], None] = w.setText
            self.signal = w.textChanged
            self.merges = True
        elif isinstance(w, QPlainTextEdit):
            self.get, self.set, self.signal, self.merges = w.toPlainText, w.setPlainText, w.textChanged, True
        elif isinstance(w, QComboBox):
            self.get, self.set = w.currentIndex, w.setCurrentIndex
            self.signal, self.merges = w.currentIndexChanged, False
        elif isinstance(w, QDateEdit):
            self.get, self.set, self.signal, self.merges = w.date, w.setDate, w.dateChanged, False
        elif isinstance(w, QSpinBox):
            self.get, self.set, self.signal, self.merges = w.value, w.setValue, w.valueChanged, False
        elif isinstance(w, QAbstractButton) and w.isCheckable():
            self.get, self.set, self.signal, self.merges = w.isChecked, w.setChecked, w.toggled, False
        else:
            raise TypeError(f"no undo support for {type(w).__name__}")


class SetFieldCommand(QUndoCommand):
    def __init__(self, binder: "UndoBinder", field: _Field, old: Any, new: Any):
        super().__init__(_tr("修改“%1”").replace("%1", field.label))
        self.binder = binder
        self.field = field
        self.old = old
        self.new = new
        self._done = True  # the widget already shows `new` when the command is pushed

    def id(self) -> int:
        return self.field.merge_id if self.field.merges else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetFieldCommand) or other.field is not self.field:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self.binder.apply(self.field, self.new)

    def undo(self) -> None:
        self.binder.apply(self.field, self.old)


class UndoBinder(QObject):
    """Watches a form's input widgets and turns each change into an undoable command."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.stack = QUndoStack(self)
        self._fields: list[_Field] = []
        self._values: dict[int, Any] = {}
        self._muted = False
        self._last: _Field | None = None

    def bind(self, widget: QWidget, label: str = "") -> None:
        f = _Field(widget, label or widget.objectName())
        self._fields.append(f)
        self._values[id(f)] = self._copy(f.get())
        f.signal.connect(lambda *_a, f=f: self._on_changed(f))
        if isinstance(widget, (QLineEdit, QPlainTextEdit)):
            # A text box has its own one-field undo that would swallow Ctrl+Z; the form's stack
            # (every field, in order) is the one a person expects.
            widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            if event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo):
                if kind == QEvent.Type.ShortcutOverride:
                    event.accept()  # deliver it as a key press, which is handled below
                    return True
                if event.matches(QKeySequence.StandardKey.Undo):
                    self.stack.undo()
                else:
                    self.stack.redo()
                return True
        return super().eventFilter(obj, event)

    @staticmethod
    def _copy(value: Any) -> Any:
        return QDate(value) if isinstance(value, QDate) else value

    def _on_changed(self, f: _Field) -> None:
        new = self._copy(f.get())
        old = self._values[id(f)]
        self._values[id(f)] = new
        if self._muted or new == old:
            return
        if self._last is not f:
            # A new field: the next typing starts a new step instead of merging into the last one.
            f.merge_id = next(_ids)
        self._last = f
        self.stack.push(SetFieldCommand(self, f, old, new))

    def apply(self, f: _Field, value: Any) -> None:
        self._muted = True
        try:
            f.set(value)
            self._values[id(f)] = self._copy(f.get())
        finally:
            self._muted = False
        self._last = None
        f.widget.setFocus()

    def mark_saved(self) -> None:
        """The form was saved: what it did is now in the record's history, not on this stack."""
        self.stack.clear()
        self._last = None

    def actions(self, parent: QObject):
        """Undo and redo actions with the standard shortcuts set explicitly (they come back empty
        on some platforms otherwise, ECOSYSTEM.md)."""
        undo = self.stack.createUndoAction(parent, _tr("撤销"))
        undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        redo = self.stack.createRedoAction(parent, _tr("重做"))
        redo.setShortcut(QKeySequence(QKeySequence.StandardKey.Redo))
        return undo, redo
