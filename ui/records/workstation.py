"""The workstation controller: opens records, runs the forms and dialogs, and tells every view what changed.

One per main window. The table views and the record window never call a write service
themselves: they ask the workstation, which shows the dialog, and after a save emits `changed`
(an app.services.Changes) so each view re-reads what is stale (Anki's OpChanges pattern).
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QMessageBox, QVBoxLayout, QWidget

from app.domain.levels import Module
from app.domain.rules import Actor
from app.errors import StationError
from app.services import Changes, records, workstation
from app.store import Store
from ui.common.theme import Theme, current
from ui.records import forms
from ui.records.columns import lang_index
from ui.records.record_view import Loader, RecordView


def _tr(text: str) -> str:
    return QCoreApplication.translate("Workstation", text)


def detail_label(d) -> str:
    """How a dialog names the record it acts on: 案件 A2025001 盗窃, 纠纷 J… 张三、李四, 重点人员 单雄信."""
    mod = Module(d.module)
    f = d.fields
    parts = {Module.CASE: (f.get("case_no"), f.get("cause") or f.get("category")),
             Module.DISPUTE: (f.get("dispute_no"), f.get("parties")),
             Module.PERSON: (f.get("name"),)}[mod]
    name = mod.zh if lang_index() == 0 else mod.en
    return " ".join([name, *(str(p) for p in parts if p)])


class RecordWindow(QWidget):
    """The record view in its own window, so the table stays visible beside it."""

    def __init__(self, view: RecordView, parent: QWidget | None = None):
        super().__init__(parent)
        from PySide6.QtCore import Qt

        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle(_tr("记录详情"))
        self.view = view
        box = QVBoxLayout(self)
        box.setContentsMargins(8, 8, 8, 8)
        box.addWidget(view)
        close = QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self)
        close.activated.connect(self.close)
        self.resize(900, 720)


class Workstation(QObject):
    """Opening, creating and acting on records for one logged-in actor over one database."""

    changed = Signal(object)
    """A service changed the database; carries the Changes (or None for 'reload everything')."""

    status_message = Signal(str)
    """A save finished: what it did, for the status bar."""

    record_created = Signal(str, int)
    """A new record (module, id) was saved; the tables select it."""

    def __init__(self, db: Store, actor: Actor | None = None, theme: Theme | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        from app.services.org import default_actor

        self.db = db
        self.actor = actor or default_actor(db)
        self.theme = theme or current()
        self.window: RecordWindow | None = None
        self.dialog: QDialog | None = None
        self.suggestions = None
        self._parent_widget = parent if isinstance(parent, QWidget) else None

    # -- the record window -----------------------------------------------------------------
    def record_view(self) -> RecordView:
        if self.window is None:
            view = RecordView(Loader(self.db), self.actor, self.theme)
            view.action_requested.connect(self._on_view_action_requested)
            view.workflow_changed.connect(self.changed.emit)
            self.window = RecordWindow(view, self._parent_widget)
        return self.window.view

    def open_record(self, module: str, record_id: int) -> RecordView:
        view = self.record_view()
        try:
            view.open_record(Module(module).value, record_id)
        except StationError as exc:
            QMessageBox.warning(self._parent_widget, _tr("无法打开记录"), forms.err_text(exc))
            return view
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        return view

    def _on_view_action_requested(self, key: str) -> None:
        d = self.window.view.detail
        if d is None:
            return
        {"edit": lambda: self.edit_record(d.module, d.id), "level": lambda: self.change_level(d.module, d.id),
         "action": lambda: self.log_action(d.module, d.id), "convert": lambda: self.convert(d.id),
         "delist": lambda: self.delist(d.id), "void": lambda: self.void(d.module, d.id),
         "solve": lambda: self.mark_solved(d.id),
         "team_add": lambda: self.add_team_member(d.id), "team_remove": lambda: self.remove_team_member(d.id)}[key]()

    # -- dialogs ---------------------------------------------------------------------------
    def _run(self, dialog: forms.ServiceDialog, after=None) -> forms.ServiceDialog:
        """Show a dialog window-modally (never a nested event loop: tests and the idle lock
        can still reach the window); after a save, everyone is told."""
        self.dialog = dialog

        def done(result) -> None:
            changes = result if isinstance(result, Changes) else None
            if after is not None:
                after(result)
            self._announce(changes)
            if isinstance(dialog, forms.RecordForm) and dialog.record_id is None and isinstance(result, int):
                self.record_created.emit(dialog.module.value, result)
            self.status_message.emit(dialog.done_text(result))

        dialog.saved.connect(done)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None) if self.dialog is dialog else None)
        dialog.open()
        return dialog

    def _announce(self, changes: Changes | None) -> None:
        if self.window is not None and self.window.view.detail is not None:
            try:
                self.window.view.reload()
            except StationError:
                pass
        self.changed.emit(changes)

    def _owner(self) -> QWidget | None:
        if self.window is not None and self.window.isVisible():
            return self.window
        return self._parent_widget

    def new_record(self, module: str) -> forms.RecordForm:
        form = forms.RecordForm(self.db, self.actor, module, parent=self._parent_widget)

        def created(record_id) -> None:
            self.check_suggestions(form, record_id)
        return self._run(form, created)

    def edit_record(self, module: str, record_id: int) -> forms.RecordForm:
        return self._run(forms.RecordForm(self.db, self.actor, module, record_id, parent=self._owner()))

    def change_level(self, module: str, record_id: int) -> forms.LevelDialog:
        d = records.get_record(self.db, module, record_id)
        return self._run(forms.LevelDialog(self.db, self.actor, module, record_id, d.level, d.version,
                                           parent=self._owner(), kind=d.fields.get("kind", ""),
                                           solved_on=d.fields.get("solved_on"), record_label=detail_label(d)))

    def mark_solved(self, case_id: int) -> forms.SolveDialog:
        d = records.get_record(self.db, "case", case_id)
        return self._run(forms.SolveDialog(self.db, self.actor, case_id, d.version, parent=self._owner()))

    def log_action(self, module: str, record_id: int) -> forms.ActionDialog:
        return self._run(forms.ActionDialog(self.db, self.actor, module, record_id, parent=self._owner()))

    def convert(self, dispute_id: int) -> forms.ConvertDialog:
        def opened(case_id) -> None:
            if self.window is not None and self.window.isVisible():
                self.window.view.open_record("case", case_id)
        return self._run(forms.ConvertDialog(self.db, self.actor, dispute_id, parent=self._owner()), opened)

    def delist(self, person_id: int) -> forms.ReasonDialog:
        return self._run(forms.ReasonDialog(
            _tr("撤销列管"), _tr("撤销列管评估意见（必填）："),
            lambda text: records.delist_person(self.db, self.actor, person_id, text), parent=self._owner(),
            note=_tr("经评估无现实危险或符合撤销列管条件的，由所领导审批撤销列管；记录保留，等级转为绿色。")))

    def void(self, module: str, record_id: int) -> forms.ReasonDialog:
        return self._run(forms.ReasonDialog(
            _tr("作废记录"), _tr("作废理由（必填）："),
            lambda text: records.void_record(self.db, self.actor, module, record_id, text), parent=self._owner(),
            note=_tr("作废用于纠正录入错误：记录不会删除，作废后不再计入任何在办清单和统计。")))

    # -- the key person's dedicated team (一人一专班) -------------------------------------------
    def add_team_member(self, person_id: int) -> forms.TeamMemberDialog:
        taken = self.window.view.team_officer_ids() if self.window is not None else set()
        return self._run(forms.TeamMemberDialog(self.db, self.actor, person_id, taken, parent=self._owner()))

    def remove_team_member(self, person_id: int) -> QMessageBox | None:
        """Ask (window-modally), then take the selected officer off the team; recorded in history."""
        member = self.window.view.selected_team_member() if self.window is not None else None
        if member is None:
            return None
        officer_id, text = member
        box = QMessageBox(QMessageBox.Icon.Question, _tr("移出专班"),
                          _tr("确定将 %1 移出专班吗？").replace("%1", text.split("　")[0].split("  ")[0]),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self._owner())
        self.dialog = box

        def answered(button: int) -> None:
            self.dialog = None
            if button != QMessageBox.StandardButton.Yes:
                return
            try:
                changes = workstation.remove_dedicated_member(self.db, self.actor, person_id, officer_id)
            except StationError as exc:
                QMessageBox.warning(self._owner(), _tr("无法移出专班"), forms.err_text(exc))
                return
            self._announce(changes)
        box.finished.connect(answered)
        box.open()
        return box

    def reassign(self, module: str, ids: list[int]) -> forms.ReassignDialog:
        return self._run(forms.ReassignDialog(self.db, self.actor, module, ids, parent=self._parent_widget))

    def bulk_level(self, module: str, ids: list[int]) -> forms.BulkLevelDialog:
        def report(result) -> None:
            if isinstance(result, workstation.BulkResult):
                self.last_bulk = result
        return self._run(forms.BulkLevelDialog(self.db, self.actor, module, ids, parent=self._parent_widget),
                         report)

    # -- cross-module suggestions ----------------------------------------------------------
    def check_suggestions(self, form: forms.RecordForm, record_id) -> None:
        """After a new case or dispute is saved: key persons it names, repeated 110 calls."""
        if not isinstance(record_id, int) or form.module == Module.PERSON:
            return
        from ui.records.suggestions import SuggestionDialog, collect

        try:
            found = collect(self.db, form, record_id)
        except StationError:
            return
        if not found:
            return
        dialog = SuggestionDialog(self.db, self.actor, form.module.value, record_id, found, self._parent_widget)
        self.suggestions = dialog
        dialog.decided.connect(lambda: self._announce(None))
        dialog.open()

    # -- my work ---------------------------------------------------------------------------
    def show_my_work(self):
        from ui.records.my_work import MyWorkDialog

        dialog = MyWorkDialog(self.db, self.actor, self.theme, self._parent_widget)
        dialog.record_requested.connect(self.open_record)
        self.my_work_dialog = dialog
        dialog.show()
        QSettings().setValue(self._my_work_key(), _today_text())
        return dialog

    def _my_work_key(self) -> str:
        return f"my_work/last_shown/{self.actor.account or self.actor.officer_id or 'station'}"

    def show_my_work_if_first_today(self):
        """My work opens by itself at the first start of each day for each account."""
        if self.actor.role not in ("leader", "team_leader", "officer"):
            return None
        if QSettings().value(self._my_work_key(), "") == _today_text():
            return None
        return self.show_my_work()

    def module_name(self, module: str) -> str:
        m = Module(module)
        return m.zh if lang_index() == 0 else m.en


def _today_text() -> str:
    from datetime import date

    return date.today().isoformat()
