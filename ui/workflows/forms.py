"""One small dialog for every workflow step: its fields declared as data, OK runs one service call
(ui.records.forms.ServiceDialog), a refusal is shown on the field it names."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.records.forms import ServiceDialog, _Field


def _tr(text: str) -> str:
    return QCoreApplication.translate("Workflows", text)


@dataclass(frozen=True)
class Input:
    """A field of a workflow dialog: `kind` is text, long, choice, checks, date, datetime or optdate."""

    key: str
    label: str
    kind: str = "text"
    choices: tuple[tuple[Any, str], ...] = ()
    default: Any = None
    note: str = ""


class StepDialog(ServiceDialog):
    """The fields of `inputs`; OK calls `call(values)`, whose result is emitted by `saved`."""

    def __init__(self, title: str, inputs: list[Input], call: Callable[[dict[str, Any]], Any],
                 parent: QWidget | None = None, intro: str = "", done: str = ""):
        super().__init__(title, parent)
        self._call = call
        self._done = done
        self.widgets: dict[str, QWidget] = {}
        box = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            label.setObjectName("stepIntro")
            box.addWidget(label)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for spec in inputs:
            w = self._widget(spec)
            w.setObjectName(f"input_{spec.key}")
            self.widgets[spec.key] = w
            form.addRow(spec.label, w)
            if spec.note:
                hint = QLabel(spec.note)
                hint.setWordWrap(True)
                hint.setObjectName("hint")
                form.addRow("", hint)
        box.addLayout(form)
        box.addWidget(self.message)
        box.addWidget(self.buttons)
        first = next(iter(self.widgets.values()), None)
        if first is not None:
            first.setFocus()

    def _widget(self, spec: Input) -> QWidget:
        if spec.kind == "long":
            w = QPlainTextEdit()
            w.setTabChangesFocus(True)
            w.setFixedHeight(90)
            if spec.default:
                w.setPlainText(str(spec.default))
            self.binder.bind(w, spec.label)
            return w
        if spec.kind == "choice":
            w = QComboBox()
            for value, text in spec.choices:
                w.addItem(text, value)
            if spec.default is not None:
                i = w.findData(spec.default)
                w.setCurrentIndex(max(0, i))
            return w
        if spec.kind == "checks":
            holder = QWidget()
            lay = QVBoxLayout(holder)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.setSpacing(2)
            holder.boxes = []
            for value, text in spec.choices:
                cb = QCheckBox(text)
                cb.setObjectName(f"check_{value}")
                cb.setChecked(value in (spec.default or ()))
                cb.code = value
                holder.boxes.append(cb)
                lay.addWidget(cb)
            return holder
        if spec.kind == "date" or spec.kind == "optdate":
            w = QDateEdit()
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
            d = spec.default or date.today()
            w.setDate(QDate(d.year, d.month, d.day))
            return w
        if spec.kind == "datetime":
            w = QDateTimeEdit()
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd HH:mm")
            w.setDateTime(QDateTime.currentDateTime())
            return w
        w = QLineEdit()
        if spec.default:
            w.setText(str(spec.default))
        self.binder.bind(w, spec.label)
        return w

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, w in self.widgets.items():
            if isinstance(w, QPlainTextEdit):
                out[key] = w.toPlainText()
            elif isinstance(w, QComboBox):
                out[key] = w.currentData()
            elif isinstance(w, QDateTimeEdit) and not isinstance(w, QDateEdit):
                out[key] = w.dateTime().toPython().replace(second=0, microsecond=0)
            elif isinstance(w, QDateEdit):
                out[key] = w.date().toPython()
            elif isinstance(w, QLineEdit):
                out[key] = w.text()
            else:
                out[key] = [cb.code for cb in w.boxes if cb.isChecked()]
        return out

    def field_for(self, name: str | None):
        w = self.widgets.get(name or "")
        return _Field(w) if w is not None else None

    def done_text(self, result: Any) -> str:
        return self._done or _tr("已保存")

    def run(self):
        return self._call(self.values())


def when_text(at: datetime | date | None) -> str:
    if at is None:
        return "—"
    if isinstance(at, datetime):
        return at.strftime("%Y-%m-%d %H:%M")
    return at.isoformat()
