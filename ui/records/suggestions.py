"""Cross-module warnings after a new case or dispute: key persons it names, repeated 110 calls.

Each is a suggestion the officer accepts (link the person / raise the level) or dismisses; both
answers are recorded (app.services.workstation.decide_suggestion) and the dialog shows at once.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.levels import LEVEL_NAMES, Level
from app.errors import StationError
from app.services import workstation
from ui.common.theme import show_as_error
from ui.records.columns import lang_index


def _tr(text: str) -> str:
    return QCoreApplication.translate("Suggestions", text)


@dataclass(frozen=True)
class Found:
    kind: str  # key_person / repeat_110
    text: str
    other_module: str
    other_id: int
    raise_to: str | None = None


def collect(db, form, record_id: int) -> list[Found]:
    """What the new record's parties match: key persons on file, recent 110 calls by the same people."""
    lang = lang_index()
    out: list[Found] = []
    for m in workstation.match_key_persons(db, form.party_inputs()):
        why = _tr("身份证号相同") if m.reason == "id_number" else _tr("姓名和出生日期相同")
        out.append(Found("key_person", _tr("当事人%1是在册重点人员（%2，%3）").replace("%1", m.party)
                         .replace("%2", LEVEL_NAMES[Level(m.level)][lang]).replace("%3", why), "person", m.person_id))
    if form.module.value == "dispute" and form.rows["source"].value() == "110":
        level = form.rows["level"].value()
        for call in workstation.repeat_110_calls(db, form.rows["parties"].value(), None, level, exclude_id=record_id):
            if call.suggested_level == level:
                continue
            out.append(Found("repeat_110", _tr("%1 已于 %2 报警（纠纷 %3），%4 日内再次报警，建议升为%5")
                             .replace("%1", "、".join(call.shared)).replace("%2", call.found_on.isoformat())
                             .replace("%3", call.dispute_no).replace("%4", str(workstation.REPEAT_110_DAYS))
                             .replace("%5", LEVEL_NAMES[Level(call.suggested_level)][lang]),
                             "dispute", call.dispute_id, call.suggested_level))
    return out


class SuggestionDialog(QDialog):
    """One line per suggestion, each with 'accept' and 'dismiss'; every answer is saved at once."""

    decided = Signal()
    """A suggestion was accepted or dismissed (the database changed)."""

    def __init__(self, db, actor, module: str, record_id: int, found: list[Found], parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.actor, self.module, self.record_id = db, actor, module, record_id
        self.setWindowTitle(_tr("关联提示"))
        self.found = found
        self.rows: list[tuple[QLabel, QPushButton, QPushButton]] = []
        box = QVBoxLayout(self)
        head = QLabel(_tr("新登记的记录与在册信息有关联，请逐条确认："))
        box.addWidget(head)
        self.message = QLabel()
        show_as_error(self.message)
        self.message.hide()
        for i, f in enumerate(found):
            label = QLabel(f.text)
            label.setWordWrap(True)
            accept = QPushButton(_tr("关联") if f.kind == "key_person" else _tr("升级"))
            accept.setObjectName(f"accept_{i}")
            dismiss = QPushButton(_tr("忽略"))
            dismiss.setObjectName(f"dismiss_{i}")
            accept.clicked.connect(lambda _c=False, i=i: self.decide(i, "accepted"))
            dismiss.clicked.connect(lambda _c=False, i=i: self.decide(i, "dismissed"))
            row = QHBoxLayout()
            row.addWidget(label, 1)
            row.addWidget(accept)
            row.addWidget(dismiss)
            box.addLayout(row)
            self.rows.append((label, accept, dismiss))
        box.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)

    def decide(self, i: int, decision: str) -> None:
        f = self.found[i]
        try:
            workstation.decide_suggestion(self.db, self.actor, f.kind, self.module, self.record_id, decision, f.text,
                                          f.other_module, f.other_id, raise_to=f.raise_to)
        except StationError as exc:
            self.message.setText(exc.message("zh" if lang_index() == 0 else "en"))
            self.message.show()
            return
        label, accept, dismiss = self.rows[i]
        accept.setEnabled(False)
        dismiss.setEnabled(False)
        label.setText(label.text() + "　" + (_tr("【已采纳】") if decision == "accepted" else _tr("【已忽略】")))
        self.decided.emit()
