"""Date inputs: a QDateEdit that Tab always leaves, and reading the dates people type.

QDateTimeEdit swallows Tab while it shows its special value text ("不限", "未填"): Qt's
keyPressEvent accepts the key and returns without moving focus, a keyboard trap. Here Tab and
Shift+Tab leave the field in that state; in a real date they still step through the sections
and leave after the last one.
"""
from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QDateEdit, QWidget

#: 2025年3月8日, 2025年03月08号, 2025.3.8, 2025/3/8, 2025-3-8, 20250308
_TYPED = re.compile(r"^\s*(\d{4})\s*(?:[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*[日号]?|(\d{2})(\d{2}))\s*$")


def parse_typed_date(text: str) -> date | None:
    """A date as people type it (ISO, 2025年3月8日, 2025/3/8, 2025.3.8, 20250308); None if not one."""
    m = _TYPED.match(text or "")
    if not m:
        return None
    y = int(m.group(1))
    mo, d = (m.group(2), m.group(3)) if m.group(2) else (m.group(4), m.group(5))
    try:
        return date(y, int(mo), int(d))
    except ValueError:
        return None


class DateEdit(QDateEdit):
    """A calendar-popup date field (yyyy-MM-dd) that Tab leaves, also when it shows its
    special value text; typing 2025年3月8日 or 2025/3/8 is read as that date."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            # Tab walks the fields of the form, not the year/month/day sections (arrows and the
            # calendar edit those), and leaves in the special value state too.
            event.accept()
            forward = event.key() == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            QWidget.focusNextPrevChild(self, forward)
            return
        if event.matches(QKeySequence.StandardKey.Paste) and self._take_text(QGuiApplication.clipboard().text()):
            event.accept()
            return
        super().keyPressEvent(event)

    def event(self, event) -> bool:
        # A Chinese input method commits 2025年3月8日 at once: read it as a date. (Caught here:
        # QAbstractSpinBox hands input-method events to its line edit before inputMethodEvent.)
        if isinstance(event, QInputMethodEvent) and self._take_text(event.commitString()):
            event.accept()
            return True
        return super().event(event)

    def _take_text(self, text: str) -> bool:
        typed = parse_typed_date(text)
        if typed is None:
            return False
        self.setDate(QDate(typed.year, typed.month, typed.day))
        return True

    def focusNextPrevChild(self, forward: bool) -> bool:
        return QWidget.focusNextPrevChild(self, forward)

    def is_special(self) -> bool:
        """Showing the special value text ("不限", "未填") rather than a date."""
        return bool(self.specialValueText()) and self.date() == self.minimumDate()

    def value(self) -> date | None:
        """The date, or None while the special value is shown."""
        return None if self.is_special() else self.date().toPython()

    def set_value(self, value: date | None) -> None:
        if value is None:
            self.setDate(self.minimumDate())
        else:
            self.setDate(QDate(value.year, value.month, value.day))
