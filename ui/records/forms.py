"""Forms and action dialogs: create and edit records, change level, log work, convert, de-list, void.

Each dialog checks what it can at the field (ID number check character, mobile numbers, dates,
fields the chosen level requires) and then hands the whole input to a service in app/services,
which validates again and writes in one transaction. A service refusal (StationError) is shown
next to the field it names and the dialog stays open; the database is unchanged. Edits are
undoable (Ctrl+Z) until saved.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.fields import RECORD_FIELDS, RecordField, field_label, required_fields
from app.domain.identity import normalise_phone, parse_id_number
from app.domain.levels import (
    ACTION_KIND_NAMES,
    CASE_KIND_NAMES,
    LEVEL_ORDER,
    MEANINGS,
    PERSON_RISK_CATEGORIES,
    SATISFACTION_NAMES,
    Level,
    Module,
)
from app.domain.permissions import POLICE, ROLE_LABELS
from app.domain.rules import Actor
from app.errors import StationError, ValidationError
from app.services import records, workstation
from app.services.records import CaseInput, DisputeInput, PersonInput, Responsibility
from app.store import Store
from ui.common.dates import DateEdit
from ui.common.theme import show_as_error
from ui.common.undo import UndoBinder
from ui.records.columns import lang_index


def _tr(text: str) -> str:
    return QCoreApplication.translate("RecordForms", text)


def label_of(key: str, module: Module | str | None = None) -> str:
    return field_label(key, lang_index(), Module(module).value if module else None)


def err_text(exc: StationError) -> str:
    return exc.message("zh" if lang_index() == 0 else "en")


# -- one field ------------------------------------------------------------------------------------
#: The fields of each module, their inputs and which are required: one definition in the domain
#: (app/domain/fields.py), also read by the services' checks.
Spec = RecordField
SPECS = RECORD_FIELDS


def required_for(module: Module, level: str, values: dict[str, Any]) -> set[str]:
    """Fields the chosen level (and the values so far) make required, as the services will check."""
    return required_fields(module, level, values)


class FieldRow:
    """A labelled input with its error line below it."""

    def __init__(self, spec: Spec, module: Module):
        self.spec = spec
        self.label = QLabel(label_of(spec.key, module))
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        show_as_error(self.error)
        self.error.setWordWrap(True)
        self.error.hide()
        k = spec.kind
        if k in ("text", "code", "id", "phone"):
            w: QWidget = QLineEdit()
            if k == "id":
                w.setMaxLength(18)
                w.setPlaceholderText(_tr("18位，末位可为X"))
            if k == "phone":
                w.setPlaceholderText(_tr("11位手机号，或固定电话如 0791-86123456"))
            w.editingFinished.connect(self.check)
        elif k == "date":
            from ui.common.dates import DateEdit

            w = DateEdit()  # a calendar popup; typing or pasting 2025年3月8日 is read too
            w.setMinimumDate(QDate(1900, 1, 1))
            w.setMaximumDate(QDate(2099, 12, 31))
            if not spec.required:
                w.setSpecialValueText(_tr("未填"))
            w.setDate(w.minimumDate())
        elif k == "long":
            w = QPlainTextEdit()
            w.setTabChangesFocus(True)
            w.setFixedHeight(64)
        elif k in ("choice", "level"):
            w = QComboBox()
            choices = spec.choices if k == "choice" else {lv.value: (lv.zh, lv.en) for lv in LEVEL_ORDER}
            if k == "choice" and not spec.required:
                w.addItem("", None)
            for code, names in choices.items():
                w.addItem(names[lang_index()], code)
            if k == "level":
                for i, lv in enumerate(LEVEL_ORDER):
                    m = MEANINGS[module][lv]
                    w.setItemData(i, m.zh if lang_index() == 0 else m.en, Qt.ItemDataRole.ToolTipRole)
        elif k == "grade":
            w = QSpinBox()
            w.setRange(-1, 5)
            w.setSpecialValueText(_tr("无"))
            w.setValue(-1)
        elif k == "check":
            w = QCheckBox(label_of(spec.key, module))
        elif k == "risks":
            w = QWidget()
            grid = QGridLayout(w)
            grid.setContentsMargins(0, 0, 0, 0)
            self.boxes: dict[str, QCheckBox] = {}
            for i, (code, names) in enumerate(PERSON_RISK_CATEGORIES.items()):
                box = QCheckBox(names[lang_index()])
                self.boxes[code] = box
                grid.addWidget(box, i // 4, i % 4)
        else:  # pragma: no cover - a spec kind without a widget is a bug
            raise ValueError(k)
        w.setObjectName(spec.key)
        self.widget = w

    # -- values ----------------------------------------------------------------------------
    def value(self) -> Any:
        w, k = self.widget, self.spec.kind
        if k == "date":
            d = w.value()
            return d.isoformat() if d is not None else ""
        if k in ("text", "code", "id", "phone"):
            return w.text().strip()
        if k == "long":
            return w.toPlainText().strip()
        if k in ("choice", "level"):
            return w.currentData()
        if k == "grade":
            return None if w.value() < 0 else w.value()
        if k == "check":
            return w.isChecked()
        return tuple(code for code, box in self.boxes.items() if box.isChecked())

    def set_value(self, value: Any) -> None:
        w, k = self.widget, self.spec.kind
        if k == "date":
            if isinstance(value, str) and value:
                from ui.common.dates import parse_typed_date

                value = parse_typed_date(value)
            w.set_value(value if isinstance(value, date) else None)
        elif k in ("text", "code", "id", "phone"):
            w.setText("" if value is None else str(value))
        elif k == "long":
            w.setPlainText(value or "")
        elif k in ("choice", "level"):
            i = w.findData(value)
            w.setCurrentIndex(max(0, i))
        elif k == "grade":
            w.setValue(-1 if value is None else int(value))
        elif k == "check":
            w.setChecked(bool(value))
        else:
            codes = value.split(",") if isinstance(value, str) else (value or ())
            for code, box in self.boxes.items():
                box.setChecked(code in codes)

    # -- checks at the field ------------------------------------------------------------------
    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def check(self) -> bool:
        """Check this field alone; show what is wrong under it."""
        v = self.value()
        k = self.spec.kind
        try:
            if k == "id" and v:
                parse_id_number(v)
            elif k == "phone" and v:
                normalise_phone(v, self.spec.key)
            elif k == "date" and v:
                try:
                    date.fromisoformat(v)
                except ValueError:
                    raise ValidationError(f"{label_of(self.spec.key)}不是有效日期：{v}",
                                          f"{label_of(self.spec.key)} is not a date: {v}", self.spec.key) from None
        except StationError as exc:
            self.show_error(err_text(exc))
            return False
        self.show_error("")
        return True


def fill_officers(combo: QComboBox, db: Store, roles=("team_leader", "officer"),
                  skip: set[int] | frozenset[int] = frozenset(), role_suffix: bool = False) -> None:
    """The officers grouped under their team's name (a heading that cannot be chosen), sorted
    (app.services.workstation.officers_by_team), so a 46-name list can be scanned."""
    from PySide6.QtGui import QStandardItemModel

    team = object()
    for o in workstation.officers_by_team(db, roles):
        if o.id in skip:
            continue
        if o.team_name != team:
            team = o.team_name
            combo.addItem(f"— {team or _tr('未分队')} —", None)
            model = combo.model()
            if isinstance(model, QStandardItemModel):
                model.item(combo.count() - 1).setEnabled(False)
        from ui.records.columns import paren

        suffix = paren(ROLE_LABELS[o.role][lang_index()]) if role_suffix or o.role == "team_leader" else ""
        combo.addItem(f"{o.name}{suffix}", o.id)
        combo.setItemData(combo.count() - 1, o.team_name, Qt.ItemDataRole.ToolTipRole)


# -- dialogs ----------------------------------------------------------------------------------
class ServiceDialog(QDialog):
    """A dialog whose OK runs one service call; a refusal is shown and the dialog stays open."""

    saved = Signal(object)
    """The service succeeded; carries its result (a record id or Changes)."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.binder = UndoBinder(self)
        self.undo_action, self.redo_action = self.binder.actions(self)
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)
        self.message = QLabel()
        self.message.setObjectName("formMessage")
        self.message.setWordWrap(True)
        show_as_error(self.message)
        self.message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        save = QAction(self)
        save.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        save.triggered.connect(self.accept)
        self.addAction(save)
        self.result_value: Any = None

    @property
    def save_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def run(self) -> Any:  # pragma: no cover - every dialog overrides it
        raise NotImplementedError

    def done_text(self, result: Any) -> str:
        """What the status bar says after a save (saving is never silent)."""
        return _tr("已保存")

    def field_for(self, name: str | None):
        return None

    def accept(self) -> None:
        try:
            self.result_value = self.run()
        except StationError as exc:
            row = self.field_for(exc.field)
            if row is not None:
                if "\n" not in err_text(exc):  # a list of several fields' errors: each shows its own
                    row.show_error(err_text(exc))
                row.widget.setFocus()
            self.show_message(err_text(exc))
            return
        self.binder.mark_saved()
        self.saved.emit(self.result_value)
        super().accept()

    def reject(self) -> None:
        """Cancel; with unsaved edits, ask first (window-modally, never a nested event loop)."""
        if not (self.binder.stack.count() and self.isVisible()):
            super().reject()
            return
        if getattr(self, "confirm", None) is not None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, _tr("放弃修改"), _tr("表单中有未保存的修改，确定放弃吗？"),
                          QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, self)
        self.confirm = box

        def answered(button: int) -> None:
            self.confirm = None
            if button == QMessageBox.StandardButton.Discard:
                self.binder.stack.clear()
                QDialog.reject(self)
        box.finished.connect(answered)
        box.open()


class RecordForm(ServiceDialog):
    """Create a record of a module, or edit an existing record's own fields."""

    def __init__(self, db: Store, actor: Actor, module: Module | str, record_id: int | None = None,
                 parent: QWidget | None = None):
        self.module = Module(module)
        self.db = db
        self.actor = actor
        self.record_id = record_id
        name = self.module.zh if lang_index() == 0 else self.module.en
        title = (_tr("新建%1") if record_id is None else _tr("修改%1")).replace("%1", name)
        super().__init__(title, parent)
        self.version: int | None = None
        self.rows: dict[str, FieldRow] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for spec in SPECS[self.module]:
            if spec.kind == "level" and record_id is not None:
                continue  # a level changes through "change level", with its reason
            row = FieldRow(spec, self.module)
            self.rows[spec.key] = row
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(row.widget)
            box.addWidget(row.error)
            form.addRow(row.label if spec.kind != "check" else QLabel(""), box)
        self.officer = QComboBox()
        self.officer.setObjectName("officer_id")
        fill_officers(self.officer, db)
        self.officer.setPlaceholderText(_tr("请选择责任民警"))
        if record_id is None:
            self.officer_label = QLabel(label_of("officer_id") + " *")
            form.addRow(self.officer_label, self.officer)
            # An officer or team leader is responsible for what they enter; anyone else (a station
            # leader) chooses: never a silent first name from the list.
            self.officer.setCurrentIndex(self.officer.findData(actor.officer_id))
            self.reason = QLineEdit(_tr("登记"))
            self.reason.setObjectName("reason")
            form.addRow(QLabel(_tr("登记理由")), self.reason)
        self.party_ids = None
        if record_id is None and self.module in (Module.CASE, Module.DISPUTE):
            self.party_ids = QLineEdit()
            self.party_ids.setObjectName("party_ids")
            self.party_ids.setPlaceholderText(_tr("选填：当事人身份证号，多个用逗号分隔（用于比对重点人员）"))
            form.addRow(QLabel(_tr("当事人身份证号")), self.party_ids)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.message)
        box.addWidget(self.buttons)
        if record_id is None:
            today = date.today()
            for key in ("accepted_on", "found_on", "listed_on"):
                if key in self.rows:
                    self.rows[key].set_value(today)
            if "level" in self.rows:
                self.rows["level"].set_value("yellow")
        else:
            detail = records.get_record(db, self.module.value, record_id)
            self.version = detail.version
            for key, row in self.rows.items():
                row.set_value(detail.fields.get(key))
        for key, row in self.rows.items():
            if row.spec.kind == "risks":
                for box_ in row.boxes.values():
                    self.binder.bind(box_, label_of(key, self.module))
            else:
                self.binder.bind(row.widget, label_of(key, self.module))
        if "level" in self.rows:
            self.rows["level"].widget.currentIndexChanged.connect(self._mark_required)
        if "mental_risk_grade" in self.rows:
            self.rows["mental_risk_grade"].widget.valueChanged.connect(self._mark_required)
        self._mark_required()
        first = next(iter(self.rows.values()))
        first.widget.setFocus()

    def current_level(self) -> str:
        if "level" in self.rows:
            return self.rows["level"].value()
        return records.get_record(self.db, self.module.value, self.record_id).level

    def values(self) -> dict[str, Any]:
        return {k: r.value() for k, r in self.rows.items()}

    def _mark_required(self, *_a) -> None:
        need = required_for(self.module, self.current_level() if "level" in self.rows else "", self.values())
        for key, row in self.rows.items():
            text = label_of(key, self.module) + (" *" if key in need else "")
            row.label.setText(text)

    def field_for(self, name: str | None):
        if name == "officer_id":
            return None
        return self.rows.get(name or "")

    def set_field(self, key: str, value: Any) -> None:
        self.rows[key].set_value(value)

    def check_all(self) -> list[FieldRow]:
        """Check every field, in the order the form shows them; each shows its own error."""
        need = required_for(self.module, self.current_level(), self.values())
        bad = []
        for key, row in self.rows.items():  # SPECS order is the form's order
            if not row.check():
                bad.append(row)
            elif key in need and row.value() in ("", None, ()):
                row.show_error(_tr("%1不能为空").replace("%1", label_of(key, self.module)))
                bad.append(row)
        return bad

    def run(self):
        bad = self.check_all()
        lines = [r.error.text() for r in bad]
        if self.record_id is None and self.officer.currentData() is None:
            lines.append(_tr("请选择责任民警"))
            if not bad:
                self.officer.setFocus()
                raise ValidationError(lines[0], lines[0], "officer_id")
        if bad:
            bad[0].widget.setFocus()
            head = _tr("请修改以下 %1 处：").replace("%1", str(len(bad))) if len(bad) > 1 else ""
            text = "\n".join(([head] if head else []) + lines)
            raise ValidationError(text, text, bad[0].spec.key)
        v = self.values()
        for key, row in self.rows.items():
            if row.spec.kind == "date":
                v[key] = v[key] or None
        if self.record_id is not None:
            return workstation.update_record(self.db, self.actor, self.module.value, self.record_id, v,
                                             expected_version=self.version)
        people = Responsibility(officer_id=self.officer.currentData())
        reason = self.reason.text().strip()
        if self.module == Module.CASE:
            return records.create_case(self.db, self.actor, CaseInput(people=people, reason=reason, **v))
        if self.module == Module.DISPUTE:
            v["focus_area"] = v["focus_area"] or "other"
            return records.create_dispute(self.db, self.actor, DisputeInput(people=people, reason=reason, **v))
        skynet = v.pop("skynet")
        rid = records.create_person(self.db, self.actor, PersonInput(people=people, reason=reason, **v))
        if skynet:
            workstation.update_record(self.db, self.actor, "person", rid, {"skynet": True})
        return rid

    def done_text(self, result: Any) -> str:
        name = self.module.zh if lang_index() == 0 else self.module.en
        key = {Module.CASE: "case_no", Module.DISPUTE: "dispute_no", Module.PERSON: "name"}[self.module]
        label = self.rows[key].value() if key in self.rows else ""
        text = _tr("已新建%1：%2") if self.record_id is None else _tr("已保存%1的修改：%2")
        return text.replace("%1", name).replace("%2", str(label))

    def party_inputs(self) -> list[workstation.PartyInput]:
        """The parties the new record names, for matching against key persons on file."""
        if self.module == Module.DISPUTE:
            names = workstation.split_parties(self.rows["parties"].value())
        else:
            names = []
        ids = [s.strip() for s in (self.party_ids.text() if self.party_ids else "").replace("，", ",").split(",")
               if s.strip()]
        out = [workstation.PartyInput(n) for n in names]
        out += [workstation.PartyInput(names[i] if i < len(names) else "", n) for i, n in enumerate(ids)]
        return out


class LevelDialog(ServiceDialog):
    """Change a record's level: the new level, a reason (always), the outcome (for green)."""

    def __init__(self, db: Store, actor: Actor, module: str, record_id: int, current: str | None, version: int,
                 parent: QWidget | None = None, kind: str = "", solved_on: date | None = None, *,
                 record_label: str = ""):
        super().__init__(_tr("变更预警等级"), parent)
        from ui.common.theme import current as current_theme

        theme = current_theme()
        self.db, self.actor, self.module, self.record_id, self.version = db, actor, Module(module), record_id, version
        self.level = QComboBox()
        self.level.setObjectName("to_level")
        for lv in LEVEL_ORDER:
            m = MEANINGS[self.module][lv]
            self.level.addItem(theme.chip_icon(lv, 14),
                               f"{lv.zh if lang_index() == 0 else lv.en} — {m.zh if lang_index() == 0 else m.en}",
                               lv.value)
        self.level.setCurrentIndex(self.level.findData(current) if current else -1)
        self.current = current
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(70)
        self.outcome = QPlainTextEdit()
        self.outcome.setObjectName("outcome")
        self.outcome.setTabChangesFocus(True)
        self.outcome.setFixedHeight(60)
        self.outcome_label = QLabel()
        form = QFormLayout()
        self.record_label = QLabel(record_label)
        self.record_label.setObjectName("recordLabel")
        self.record_label.setWordWrap(True)
        self.record_label.setFont(theme.font(0.5, bold=True))
        if record_label:
            form.addRow(QLabel(_tr("记录")), self.record_label)
        self.current_label = QLabel()
        self.current_label.setObjectName("currentLevel")
        self.current_swatch = QLabel()
        if current:
            self.current_swatch.setPixmap(theme.chip_icon(current, 14).pixmap(14, 14))
            self.current_label.setText(Level(current).zh if lang_index() == 0 else Level(current).en)
        now_row = QHBoxLayout()
        now_row.setSpacing(6)
        now_row.addWidget(self.current_swatch)
        now_row.addWidget(self.current_label, 1)
        form.addRow(QLabel(_tr("当前等级")), now_row)
        form.addRow(QLabel(_tr("新等级")), self.level)
        form.addRow(QLabel(_tr("变更理由 *")), self.reason)
        form.addRow(self.outcome_label, self.outcome)
        # A criminal case not yet solved asks, on the move to yellow (取得初步战果) or green (办结),
        # whether this change is its solving (破案) and on which day: the 破案日期 that 破刑事案件
        # and 破案率 count, by default the day of the change.
        self.asks_solved = self.module == Module.CASE and kind == "criminal" and solved_on is None
        self.solved = QCheckBox(_tr("本次变更即破案（抓获犯罪嫌疑人、案件告破）"))
        self.solved.setObjectName("solved")
        self.solved_on = DateEdit()
        self.solved_on.setDate(QDate.currentDate())
        self.solved_on.setObjectName("solved_on")
        self.solved_on.setCalendarPopup(True)
        self.solved_on.setDisplayFormat("yyyy-MM-dd")
        self.solved_on.setMaximumDate(QDate.currentDate())
        self.solved_label = QLabel(_tr("破案日期"))
        self.solved_label.setBuddy(self.solved_on)
        if self.module == Module.CASE and kind == "criminal" and solved_on is not None:
            form.addRow(QLabel(_tr("破案日期")), QLabel(solved_on.isoformat()))
        if self.asks_solved:
            form.addRow(QLabel(""), self.solved)
            form.addRow(self.solved_label, self.solved_on)
            self.solved.toggled.connect(self._on_solved_toggled)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.message)
        box.addWidget(self.buttons)
        for w, name in ((self.level, _tr("新等级")), (self.reason, _tr("变更理由")), (self.outcome, _tr("结果"))):
            self.binder.bind(w, name)
        self.level.currentIndexChanged.connect(self._on_level_changed)
        self._on_level_changed()
        self.reason.setFocus()

    def _on_level_changed(self, *_a) -> None:
        green = self.level.currentData() == "green"
        names = {Module.CASE: _tr("办结情况"), Module.DISPUTE: _tr("调解结果"), Module.PERSON: _tr("撤销列管评估意见")}
        self.outcome_label.setText(names[self.module] + (" *" if green else ""))
        self.outcome.setEnabled(green)
        if self.asks_solved:
            may_solve = self.level.currentData() in ("yellow", "green")
            for w in (self.solved, self.solved_label, self.solved_on):
                w.setVisible(may_solve)
            # Concluding a criminal case (green) is most often its solving: offered ticked.
            self.solved.setChecked(may_solve and (green or self.solved.isChecked()))
            self._on_solved_toggled(self.solved.isChecked())

    def _on_solved_toggled(self, on: bool) -> None:
        self.solved_on.setEnabled(on)

    def solved_date(self) -> date | None:
        """The 破案日期 this change records, or None when it is not a solving."""
        if not (self.asks_solved and self.solved.isVisible() and self.solved.isChecked()):
            return None
        return _qdate(self.solved_on.date())

    def field_for(self, name: str | None):
        return _Field(self.level) if name == "to_level" else None

    def done_text(self, result: Any) -> str:
        lv = Level(self.level.currentData())
        head = self.record_label.text() or _tr("记录")
        return _tr("%1：等级已变更为%2").replace("%1", head).replace("%2", lv.zh if lang_index() == 0 else lv.en)

    def _chosen_level(self) -> str:
        if self.level.currentData() is None:
            raise ValidationError("请选择新等级", "choose the new level", "to_level")
        return self.level.currentData()

    def run(self):
        return records.change_level(self.db, self.actor, self.module.value, self.record_id, self._chosen_level(),
                                    self.reason.toPlainText(), self.outcome.toPlainText(),
                                    expected_version=self.version, solved_on=self.solved_date())


class SolveDialog(ServiceDialog):
    """Record that a criminal case was solved (破案) without changing its level: the date and how."""

    def __init__(self, db: Store, actor: Actor, case_id: int, version: int, parent: QWidget | None = None):
        super().__init__(_tr("登记破案"), parent)
        self.db, self.actor, self.case_id, self.version = db, actor, case_id, version
        self.solved_on = DateEdit()
        self.solved_on.setDate(QDate.currentDate())
        self.solved_on.setObjectName("solved_on")
        self.solved_on.setCalendarPopup(True)
        self.solved_on.setDisplayFormat("yyyy-MM-dd")
        self.solved_on.setMaximumDate(QDate.currentDate())
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(80)
        explain = QLabel(_tr("破案日期计入“破刑事案件”和“破案率”；预警等级不变，如需转为黄色或绿色请使用“变更等级”。"))
        explain.setWordWrap(True)
        form = QFormLayout()
        form.addRow(QLabel(_tr("破案日期 *")), self.solved_on)
        form.addRow(QLabel(_tr("破案情况 *")), self.note)
        box = QVBoxLayout(self)
        box.addWidget(explain)
        box.addLayout(form)
        box.addWidget(self.message)
        box.addWidget(self.buttons)
        self.binder.bind(self.note, _tr("破案情况"))
        self.note.setFocus()

    def run(self):
        return records.mark_case_solved(self.db, self.actor, self.case_id, _qdate(self.solved_on.date()),
                                        self.note.toPlainText(), expected_version=self.version)


def _qdate(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


class ActionDialog(ServiceDialog):
    """Log work done on a record (talk, visit, mediation, investigation…) and the next due date."""

    def __init__(self, db: Store, actor: Actor, module: str, record_id: int, parent: QWidget | None = None):
        super().__init__(_tr("登记工作"), parent)
        self.db, self.actor, self.module, self.record_id = db, actor, Module(module), record_id
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for code, names in ACTION_KIND_NAMES.items():
            self.kind.addItem(names[lang_index()], code)
        default = {Module.CASE: "investigation", Module.DISPUTE: "mediation", Module.PERSON: "talk"}[self.module]
        self.kind.setCurrentIndex(self.kind.findData(default))
        self.content = QPlainTextEdit()
        self.content.setObjectName("content")
        self.content.setTabChangesFocus(True)
        self.content.setFixedHeight(80)
        self.outcome = QLineEdit()
        self.outcome.setObjectName("outcome")
        from ui.common.dates import DateEdit

        self.acted_on = DateEdit()
        self.acted_on.setObjectName("acted_on")
        self.acted_on.setMaximumDate(QDate.currentDate())
        self.acted_on.setDate(QDate.currentDate())
        self.next_due = QLineEdit()
        self.next_due.setObjectName("next_due")
        self.next_due.setPlaceholderText(_tr("如 2025-03-08 或 2025年3月8日；留空按等级周期自动计算"))
        # A dispute's follow-up visit (跟踪回访) records the parties' satisfaction, which feeds the
        # follow-up satisfaction rate (群众回访满意率); it is asked for only on that kind of work.
        self.satisfaction = QComboBox()
        self.satisfaction.setObjectName("satisfaction")
        self.satisfaction.addItem(_tr("（请选择）"), None)
        for code, names in SATISFACTION_NAMES.items():
            self.satisfaction.addItem(names[lang_index()], code)
        self.satisfaction_label = QLabel(_tr("回访满意度 *"))
        form = QFormLayout()
        form.addRow(QLabel(_tr("工作类型")), self.kind)
        form.addRow(QLabel(_tr("工作内容 *")), self.content)
        form.addRow(QLabel(_tr("工作结果")), self.outcome)
        form.addRow(self.satisfaction_label, self.satisfaction)
        form.addRow(QLabel(_tr("工作日期")), self.acted_on)
        form.addRow(QLabel(_tr("下次跟进日期")), self.next_due)
        self._form = form
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.message)
        box.addWidget(self.buttons)
        for w, name in ((self.kind, _tr("工作类型")), (self.content, _tr("工作内容")), (self.outcome, _tr("工作结果")),
                        (self.satisfaction, _tr("回访满意度")), (self.acted_on, _tr("工作日期")),
                        (self.next_due, _tr("下次跟进日期"))):
            self.binder.bind(w, name)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self._on_kind_changed()
        self.content.setFocus()

    @property
    def is_followup(self) -> bool:
        return self.module == Module.DISPUTE and self.kind.currentData() == "followup"

    def _on_kind_changed(self, *_a) -> None:
        self._form.setRowVisible(self.satisfaction, self.is_followup)
        self.outcome.setEnabled(not self.is_followup)  # a follow-up's result is its satisfaction

    def field_for(self, name: str | None):
        if name == "satisfaction":
            return _Field(self.satisfaction)
        return None

    def done_text(self, result: Any) -> str:
        return _tr("已登记工作：%1").replace("%1", self.kind.currentText())

    def run(self):
        due_text = self.next_due.text().strip()
        due = None
        if due_text:
            from ui.common.dates import parse_typed_date

            due = parse_typed_date(due_text)
            if due is None:
                raise ValidationError(f"下次跟进日期不是有效日期：{due_text}", f"next due is not a date: {due_text}",
                                      "next_due")
        if self.is_followup:
            if self.satisfaction.currentData() is None:
                raise ValidationError("请选择回访满意度", "choose the parties' satisfaction", "satisfaction")
            return records.record_followup(self.db, self.actor, self.record_id, self.satisfaction.currentData(),
                                           self.content.toPlainText(), _qdate(self.acted_on.date()), due)
        return records.log_action(self.db, self.actor, self.module.value, self.record_id, self.kind.currentData(),
                                  self.content.toPlainText(), self.outcome.text(), _qdate(self.acted_on.date()), due)


class _Field:
    """A plain widget in the shape ServiceDialog.accept expects of a field row (focus it, say why)."""

    def __init__(self, widget: QWidget):
        self.widget = widget

    def show_error(self, text: str) -> None:
        self.widget.setToolTip(text)


class ReasonDialog(ServiceDialog):
    """One mandatory reason and a service that uses it (void, de-list)."""

    def __init__(self, title: str, prompt: str, call: Callable[[str], Any], parent: QWidget | None = None,
                 note: str = ""):
        super().__init__(title, parent)
        self._call = call
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(90)
        box = QVBoxLayout(self)
        if note:
            n = QLabel(note)
            n.setWordWrap(True)
            box.addWidget(n)
        box.addWidget(QLabel(prompt))
        box.addWidget(self.reason)
        box.addWidget(self.message)
        box.addWidget(self.buttons)
        self.binder.bind(self.reason, prompt)
        self.reason.setFocus()

    def run(self):
        return self._call(self.reason.toPlainText())


class ConvertDialog(ServiceDialog):
    """A dispute that cannot be mediated becomes a case: the new case's number, kind and level."""

    def __init__(self, db: Store, actor: Actor, dispute_id: int, parent: QWidget | None = None):
        super().__init__(_tr("纠纷转为案件"), parent)
        self.db, self.actor, self.dispute_id = db, actor, dispute_id
        self.case_no = QLineEdit()
        self.case_no.setObjectName("case_no")
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for code, names in CASE_KIND_NAMES.items():
            self.kind.addItem(names[lang_index()], code)
        self.level = QComboBox()
        self.level.setObjectName("level")
        for lv in LEVEL_ORDER[:3]:
            self.level.addItem(lv.zh if lang_index() == 0 else lv.en, lv.value)
        self.cause = QLineEdit()
        self.cause.setObjectName("cause")
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(70)
        form = QFormLayout()
        form.addRow(QLabel(_tr("案件编号 *")), self.case_no)
        form.addRow(QLabel(_tr("案件类别")), self.kind)
        form.addRow(QLabel(_tr("案由")), self.cause)
        form.addRow(QLabel(_tr("案件等级")), self.level)
        form.addRow(QLabel(_tr("转案理由 *")), self.reason)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.message)
        box.addWidget(self.buttons)
        for w, name in ((self.case_no, _tr("案件编号")), (self.kind, _tr("案件类别")), (self.cause, _tr("案由")),
                        (self.level, _tr("案件等级")), (self.reason, _tr("转案理由"))):
            self.binder.bind(w, name)
        self.case_no.setFocus()

    def run(self):
        data = CaseInput(case_no=self.case_no.text(), kind=self.kind.currentData(), level=self.level.currentData(),
                         accepted_on=date.today(), cause=self.cause.text().strip())
        return records.convert_dispute(self.db, self.actor, self.dispute_id, data, self.reason.toPlainText())


class ReassignDialog(ServiceDialog):
    """Give one or many records a new responsible officer (team and leaders follow)."""

    def __init__(self, db: Store, actor: Actor, module: str, ids: list[int], parent: QWidget | None = None):
        super().__init__(_tr("改派责任民警（%1 条）").replace("%1", str(len(ids))), parent)
        self.db, self.actor, self.module, self.ids = db, actor, module, ids
        self.officer = QComboBox()
        self.officer.setObjectName("officer_id")
        fill_officers(self.officer, db)
        self.officer.setPlaceholderText(_tr("请选择责任民警"))
        self.officer.setCurrentIndex(-1)
        box = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel(_tr("新的责任民警")))
        row.addWidget(self.officer, 1)
        box.addLayout(row)
        box.addWidget(self.message)
        box.addWidget(self.buttons)
        self.binder.bind(self.officer, _tr("责任民警"))

    def done_text(self, result: Any) -> str:
        return (_tr("已将 %1 条记录改派给%2").replace("%1", str(len(self.ids)))
                .replace("%2", self.officer.currentText()))

    def run(self):
        if self.officer.currentData() is None:
            raise ValidationError("请选择新的责任民警", "choose the new responsible officer", "officer_id")
        return workstation.reassign(self.db, self.actor, self.module, self.ids,
                                    Responsibility(officer_id=self.officer.currentData()))


class TeamMemberDialog(ServiceDialog):
    """Add an officer to a key person's dedicated team (一人一专班) with the duty they take on."""

    def __init__(self, db: Store, actor: Actor, person_id: int, taken: set[int] | frozenset[int] = frozenset(),
                 parent: QWidget | None = None):
        super().__init__(_tr("加入专班"), parent)
        self.db, self.actor, self.person_id = db, actor, person_id
        self.officer = QComboBox()
        self.officer.setObjectName("officer_id")
        fill_officers(self.officer, db, tuple(POLICE), skip=set(taken), role_suffix=True)
        self.officer.setCurrentIndex(-1)
        self.officer.setPlaceholderText(_tr("请选择专班成员"))
        self.duty = QLineEdit()
        self.duty.setObjectName("duty")
        self.duty.setPlaceholderText(_tr("如：每周走访、联系监护人、社区网格员对接"))
        form = QFormLayout()
        form.addRow(QLabel(_tr("专班成员 *")), self.officer)
        form.addRow(QLabel(_tr("分工")), self.duty)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.message)
        box.addWidget(self.buttons)
        self.binder.bind(self.officer, _tr("专班成员"))
        self.binder.bind(self.duty, _tr("分工"))
        if not any(self.officer.itemData(i) is not None for i in range(self.officer.count())):
            self.show_message(_tr("所有民警都已在专班中"))
            self.save_button.setEnabled(False)
        self.officer.setFocus()

    def run(self):
        if self.officer.currentData() is None:
            raise ValidationError("请选择专班成员", "choose an officer", "officer_id")
        return workstation.add_dedicated_member(self.db, self.actor, self.person_id, self.officer.currentData(),
                                                self.duty.text())


class BulkLevelDialog(LevelDialog):
    """One level change with one shared reason on many records; all of them or none."""

    def __init__(self, db: Store, actor: Actor, module: str, ids: list[int], parent: QWidget | None = None):
        counts = workstation.level_counts_of(db, module, ids)
        levels = [lv for lv in LEVEL_ORDER if counts.get(lv.value)]
        # All at one level: that level is the current one. Mixed: say so, and preselect nothing.
        super().__init__(db, actor, module, ids[0], levels[0].value if len(levels) == 1 else None, 0, parent)
        self.ids = ids
        self.level_counts = counts
        self.setWindowTitle(_tr("批量变更预警等级（%1 条）").replace("%1", str(len(ids))))
        if len(levels) > 1:
            zh = lang_index() == 0
            parts = [(f"{lv.zh} {counts[lv.value]} 条" if zh else f"{lv.en} {counts[lv.value]}") for lv in levels]
            self.current_label.setText(_tr("混合：%1").replace("%1", ("、" if zh else ", ").join(parts)))

    def done_text(self, result: Any) -> str:
        lv = Level(self.level.currentData())
        n = len(getattr(result, "changed", self.ids))
        return (_tr("已将 %1 条记录的等级变更为%2").replace("%1", str(n))
                .replace("%2", lv.zh if lang_index() == 0 else lv.en))

    def run(self):
        return workstation.bulk_change_level(self.db, self.actor, self.module.value, self.ids,
                                             self._chosen_level(), self.reason.toPlainText(),
                                             self.outcome.toPlainText())
