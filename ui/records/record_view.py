"""The drill-down record view: fields, the three responsible people, the timeline, links, actions.

It shows one `RecordDetail` (app.services.records.get_record) at a time; linked records open in
the same view, with back and forward like a browser. Buttons for what the actor may not do are
greyed out (app.domain.permissions), and the services refuse them anyway.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStyledItemDelegate,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.fields import field_label
from app.domain.levels import (
    ACTION_KIND_NAMES,
    CASE_KIND_NAMES,
    DISPUTE_CATEGORY_NAMES,
    DISPUTE_SOURCE_NAMES,
    FOCUS_AREA_NAMES,
    LEVEL_NAMES,
    PERSON_RISK_CATEGORIES,
    SATISFACTION_NAMES,
    STATUS_NAMES,
    Level,
    Module,
    status_name,
)
from app.domain.permissions import ROLE_LABELS, allowed
from app.domain.rules import is_overdue
from app.domain.workflows import CONTROL_STATUS_NAMES
from app.services import workstation
from app.services.records import RecordDetail
from ui.common.theme import Theme, current
from ui.records.columns import colon, gap, lang_index, paren

ROLE_NAMES = {"party": ("当事人", "party"), "suspect": ("嫌疑人", "suspect"), "victim": ("被害人", "victim"),
              "involved": ("涉及人员", "involved"), "converted": ("转为案件", "became case"),
              "source": ("来源纠纷", "source dispute")}
#: The fields shown, per module, in order (the rest of the row is bookkeeping).
SHOWN: dict[Module, tuple[str, ...]] = {
    Module.CASE: ("case_no", "kind", "category", "cause", "place", "accepted_on", "filed_on", "solved_on",
                  "closed_on", "summary"),
    Module.DISPUTE: ("dispute_no", "category", "source", "focus_area", "parties", "place", "community", "found_on",
                     "resolved_on", "outcome", "satisfaction", "followed_up_on", "followup_due", "summary"),
    Module.PERSON: ("name", "id_number", "sex", "birth_date", "phone", "address", "community", "grid",
                    "risk_categories", "mental_risk_grade", "guardian_name", "guardian_phone", "skynet",
                    "control_status", "listed_on",
                    "delisted_on", "delist_reason", "summary"),
}
_CODES = {"kind": CASE_KIND_NAMES, "source": DISPUTE_SOURCE_NAMES, "focus_area": FOCUS_AREA_NAMES,
          "satisfaction": SATISFACTION_NAMES, "status": STATUS_NAMES, "control_status": CONTROL_STATUS_NAMES,
          "sex": {"M": ("男", "Male"), "F": ("女", "Female")}}


def _tr(text: str) -> str:
    return QCoreApplication.translate("RecordView", text)


def show_value(module: Module, key: str, value: Any, unmask: bool = False) -> str:
    lang = lang_index()
    if value is None or value == "":
        return "—"
    if key == "category" and module == Module.DISPUTE:
        return DISPUTE_CATEGORY_NAMES.get(value, (value, value))[lang]
    if key == "risk_categories":
        return ("、" if lang == 0 else ", ").join(PERSON_RISK_CATEGORIES.get(c, (c, c))[lang]
                                                 for c in str(value).split(",") if c) or "—"
    if key == "status":
        return status_name(module, value, lang)
    if key in _CODES:
        return _CODES[key].get(value, (value, value))[lang]
    if key == "id_number" and not unmask:
        from app.domain.identity import mask_id_number

        return mask_id_number(value)
    if isinstance(value, bool):
        return _tr("是") if value else _tr("否")
    if isinstance(value, date):
        return value.isoformat()[:16] if not hasattr(value, "hour") else value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def level_name(code: str | None) -> str:
    return LEVEL_NAMES[Level(code)][lang_index()] if code else ""


class _Scope:
    """Enough of a record for authorize(): its team and responsible officer."""

    def __init__(self, fields: dict):
        self.team_id = fields.get("team_id")
        self.officer_id = fields.get("officer_id")


class RecordView(QWidget):
    """One record in full, with its actions; `open_record` and the history buttons move between records."""

    record_opened = Signal(str, int)
    """Another record is shown (module code, id)."""
    action_requested = Signal(str)
    """A button asked for an action on the shown record: edit, level, action, convert, delist, void."""

    def __init__(self, loader, actor, theme: Theme | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._load = loader
        self.actor = actor
        self._theme = theme or current()
        self.detail: RecordDetail | None = None
        self._back: list[tuple[str, int]] = []
        self._forward: list[tuple[str, int]] = []

        self.back_button = QToolButton()
        self.back_button.setText("◀ " + _tr("后退"))
        self.back_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.back_button.clicked.connect(self.go_back)
        self.forward_button = QToolButton()
        self.forward_button.setText(_tr("前进") + " ▶")
        self.forward_button.clicked.connect(self.go_forward)
        self.title = QLabel()
        self.title.setObjectName("recordTitle")
        self.title.setFont(self._theme.font(3, bold=True))
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.level_badge = QLabel()
        self.level_badge.setObjectName("levelBadge")
        self.level_badge.setFont(self._theme.font(1, bold=True))
        self.status_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.forward_button)
        top.addSpacing(12)
        top.addWidget(self.level_badge)
        top.addWidget(self.title, 1)
        top.addWidget(self.status_label)

        self.meaning = QLabel()
        self.meaning.setWordWrap(True)
        self.people = QLabel()
        self.people.setObjectName("responsibility")
        self.people.setWordWrap(True)
        self.due = QLabel()
        self.due.setObjectName("nextDue")
        self.due.setFont(self._theme.font(1, bold=True))

        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, text in (("edit", _tr("修改")), ("level", _tr("变更等级")), ("action", _tr("登记工作")),
                          ("convert", _tr("转为案件")), ("delist", _tr("撤销列管")), ("solve", _tr("登记破案")),
                          ("void", _tr("作废"))):
            b = QPushButton(text)
            b.setObjectName(f"button_{key}")
            b.clicked.connect(lambda _c=False, k=key: self.action_requested.emit(k))
            self.buttons[key] = b
            bar.addWidget(b)
        bar.addStretch(1)

        self.tabs = QTabWidget()
        self.fields_form = QFormLayout()
        self.fields_form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        fields_page = QWidget()
        fields_page.setLayout(self.fields_form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(fields_page)
        self.timeline = QTreeWidget()
        self.timeline.setTabKeyNavigation(False)
        self.timeline.setObjectName("timeline")
        self.timeline.setRootIsDecorated(False)
        self.timeline.setHeaderLabels([_tr("时间"), _tr("事项"), _tr("经办人"), _tr("内容"), _tr("结果"), _tr("下次跟进")])
        header = self.timeline.header()
        header.setStretchLastSection(False)
        for col in (0, 1, 2, 4, 5):  # as wide as what they hold: an empty column takes only its title
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)  # the content gets the rest…
        self.timeline.setWordWrap(True)  # …and wraps instead of being cut off
        self.timeline.setUniformRowHeights(False)
        header.sectionResized.connect(self._on_timeline_section_resized)
        self._wrap = _WrapDelegate(self.timeline)
        self.timeline.setItemDelegateForColumn(3, self._wrap)
        self.links = QListWidget()
        self.links.setObjectName("links")
        self.links.itemActivated.connect(self._on_links_item_activated)
        self.plan = QPlainTextEdit()
        self.plan.setObjectName("controlPlan")
        self.plan.setReadOnly(True)
        self.team = QListWidget()
        self.team.setObjectName("dedicatedTeam")
        self.team_add = QPushButton(_tr("加入专班…"))
        self.team_add.setObjectName("button_team_add")
        self.team_add.clicked.connect(lambda: self.action_requested.emit("team_add"))
        self.team_remove = QPushButton(_tr("移出专班"))
        self.team_remove.setObjectName("button_team_remove")
        self.team_remove.clicked.connect(lambda: self.action_requested.emit("team_remove"))
        self.team.currentItemChanged.connect(lambda *_a: self._update_team_buttons())
        team_page = QWidget()
        team_box = QVBoxLayout(team_page)
        team_box.setContentsMargins(0, 0, 0, 0)
        team_box.addWidget(self.team, 1)
        team_bar = QHBoxLayout()
        team_bar.addWidget(self.team_add)
        team_bar.addWidget(self.team_remove)
        team_bar.addStretch(1)
        team_box.addLayout(team_bar)
        self.tabs.addTab(scroll, _tr("基本信息"))
        self.tabs.addTab(self.timeline, _tr("处置经过"))
        self.tabs.addTab(self.links, _tr("关联记录"))
        self._plan_index = self.tabs.addTab(self.plan, _tr("一人一策"))
        self._team_index = self.tabs.addTab(team_page, _tr("一人一专班"))
        self.workflow_panels = self._workflow_panels(loader)

        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.meaning)
        box.addWidget(self.people)
        box.addWidget(self.due)
        box.addLayout(bar)
        box.addWidget(self.tabs, 1)

        back = QAction(self)
        back.setShortcut(QKeySequence(QKeySequence.StandardKey.Back))
        back.triggered.connect(self.go_back)
        fwd = QAction(self)
        fwd.setShortcut(QKeySequence(QKeySequence.StandardKey.Forward))
        fwd.triggered.connect(self.go_forward)
        self.addActions([back, fwd])
        self._update_history_buttons()

    workflow_changed = Signal(object)
    """A workflow step (在管在控, 融调化解, 串并侦查) was saved in one of the tabs: its Changes."""

    def _workflow_panels(self, loader) -> dict:
        """The seed's working methods as one tab per module: 在管在控 for a key person, 融调化解 for
        a dispute, 串并侦查 for a case (only when the view reads a database)."""
        db = getattr(loader, "db", None)
        if db is None:
            return {}
        from ui.workflows.record_panels import CaseSeriesPanel, DisputeWorkPanel, PersonControlPanel

        panels = {}
        for mod, cls, title in ((Module.PERSON, PersonControlPanel, _tr("在管在控")),
                                (Module.DISPUTE, DisputeWorkPanel, _tr("融调化解")),
                                (Module.CASE, CaseSeriesPanel, _tr("串并侦查"))):
            panel = cls(db, self.actor, self._theme)
            panel.changed.connect(self._on_workflow_panel_changed)
            panels[mod] = (panel, self.tabs.addTab(panel, title))
        return panels

    def _on_workflow_panel_changed(self, changes) -> None:
        self.reload()
        self.workflow_changed.emit(changes)

    def _show_workflow_panel(self, mod: Module, d: RecordDetail) -> None:
        for m, (panel, index) in self.workflow_panels.items():
            self.tabs.setTabVisible(index, m == mod)
            if m == mod:
                panel.show_record(d.id, d.fields)

    def sizeHint(self) -> QSize:
        return QSize(860, 680)

    # -- navigation -------------------------------------------------------------------------
    @property
    def shown(self) -> tuple[str, int] | None:
        return (self.detail.module, self.detail.id) if self.detail else None

    def open_record(self, module: str, record_id: int, *, remember: bool = True) -> None:
        detail = self._load(module, record_id)
        if remember and self.detail is not None and self.shown != (detail.module, detail.id):
            self._back.append(self.shown)
            self._forward.clear()
        self._show(detail)
        self.record_opened.emit(detail.module, detail.id)

    def reload(self) -> None:
        if self.detail is not None:
            self._show(self._load(self.detail.module, self.detail.id))

    def go_back(self) -> None:
        if self._back:
            self._forward.append(self.shown)
            self.open_record(*self._back.pop(), remember=False)

    def go_forward(self) -> None:
        if self._forward:
            self._back.append(self.shown)
            self.open_record(*self._forward.pop(), remember=False)

    def _update_history_buttons(self) -> None:
        self.back_button.setEnabled(bool(self._back))
        self.forward_button.setEnabled(bool(self._forward))

    def _on_links_item_activated(self, item: QListWidgetItem) -> None:
        module, rid = item.data(Qt.ItemDataRole.UserRole)
        self.open_record(module, rid)

    # -- showing ------------------------------------------------------------------------------
    def _show(self, d: RecordDetail) -> None:
        self.detail = d
        mod = Module(d.module)
        lang = lang_index()
        f = d.fields
        label = {Module.CASE: f.get("case_no"), Module.DISPUTE: f.get("dispute_no"), Module.PERSON: f.get("name")}[mod]
        self.title.setText(f"{mod.zh if lang == 0 else mod.en}{gap()}{label}")
        self.level_badge.setText(f" {level_name(d.level)} ")
        chip = self._theme.tokens[f"level.{d.level}.chip"]
        on = self._theme.tokens[f"level.{d.level}.on"]  # white on yellow is 2:1; the token is ≥ 4.5:1
        self.level_badge.setStyleSheet(f"background: {chip}; color: {on}; border-radius: 3px; padding: 2px 6px;")
        self.status_label.setText(status_name(d.module, d.status, lang))
        from app.domain.levels import MEANINGS

        m = MEANINGS[mod][Level(d.level)]
        self.meaning.setText(f"{m.zh}　→ {m.action_zh}" if lang == 0 else f"{m.en} → {m.action_en}")
        self.people.setText(_tr("包案所领导：%1　队长：%2　责任民警：%3").replace("%1", d.people.get("leader_id") or "—")
                            .replace("%2", d.people.get("team_leader_id") or "—")
                            .replace("%3", d.people.get("officer_id") or "—"))
        if d.next_due is None:
            self.due.setText(_tr("下次跟进：无（已办结或不需跟进）") if d.status != "active" else _tr("下次跟进：—"))
            self.due.setStyleSheet("")
        elif is_overdue(d.next_due, d.status, date.today()):
            days = (date.today() - d.next_due).days
            self.due.setText(_tr("下次跟进：%1（已超期 %2 天）").replace("%1", d.next_due.isoformat())
                             .replace("%2", str(days)))
            self.due.setStyleSheet(f"color: {self._theme.tokens['overdue.fg']};")
        else:
            self.due.setText(_tr("下次跟进：%1").replace("%1", d.next_due.isoformat()))
            self.due.setStyleSheet("")
        if d.status == "voided":
            self.due.setText(self.due.text() + gap() + _tr("作废理由：%1").replace("%1", f.get("void_reason") or ""))
        self._fill_fields(mod, f)
        self._fill_timeline(d)
        self._fill_links(d)
        person = mod == Module.PERSON
        self.tabs.setTabVisible(self._plan_index, person)
        self.tabs.setTabVisible(self._team_index, person)
        if person:
            self.plan.setPlainText(f.get("control_plan") or _tr("（尚未制定管控方案）"))
            self.team.clear()
            for m_ in self._team_rows(d.id):
                role = ROLE_LABELS.get(m_.role, (m_.role, m_.role))[lang]
                item = QListWidgetItem(f"{m_.name}{paren(role)}{gap()}{m_.duty}".strip())
                item.setData(Qt.ItemDataRole.UserRole, m_.officer_id)
                self.team.addItem(item)
            if self.team.count() == 0:
                self.team.addItem(_tr("（尚未组建专班）"))
        self._show_workflow_panel(mod, d)
        self._update_buttons()
        self._update_history_buttons()

    def team_officer_ids(self) -> set[int]:
        """The officers on the shown key person's dedicated team."""
        return {oid for i in range(self.team.count())
                if (oid := self.team.item(i).data(Qt.ItemDataRole.UserRole)) is not None}

    def selected_team_member(self) -> tuple[int, str] | None:
        """(officer id, shown text) of the team member selected in the team tab, if any."""
        item = self.team.currentItem()
        if item is None or item.data(Qt.ItemDataRole.UserRole) is None:
            return None
        return item.data(Qt.ItemDataRole.UserRole), item.text()

    def _update_team_buttons(self) -> None:
        d = self.detail
        can = (d is not None and d.module == Module.PERSON.value and d.status not in ("voided", "converted")
               and self._may("edit_record"))
        from ui.common.denied import set_allowed

        why = None if can else (self._why_not("edit_record") or _tr("该记录已作废或已转为案件"))
        set_allowed(self.team_add, why)
        set_allowed(self.team_remove, why or (None if self.selected_team_member() is not None
                                              else _tr("请先在专班名单中选择一名成员")))

    def _team_rows(self, person_id: int):
        return self._load.team(person_id) if hasattr(self._load, "team") else []

    def _fill_fields(self, mod: Module, f: dict) -> None:
        while self.fields_form.rowCount():
            self.fields_form.removeRow(0)
        unmask = self.actor is not None and allowed(self.actor.role, "unmask")
        for key in SHOWN[mod]:
            value = QLabel(show_value(mod, key, f.get(key), unmask))
            value.setObjectName(f"value_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields_form.addRow(QLabel(field_label(key, lang_index(), mod.value) + colon()), value)
        for key in ("created_at", "updated_at"):
            v = f.get(key)
            self.fields_form.addRow(QLabel(field_label(key, lang_index()) + colon()),
                                    QLabel(v.strftime("%Y-%m-%d %H:%M") if v else "—"))

    def _fill_timeline(self, d: RecordDetail) -> None:
        lang = lang_index()
        self.timeline.clear()
        for e in reversed(d.timeline):  # newest first: what happened last is what matters now
            if e.kind == "level":
                if e.from_level is None:
                    what = _tr("登记（%1）").replace("%1", level_name(e.to_level))
                elif e.outcome in ("converted", "voided") or e.from_level == e.to_level:
                    what = {"converted": _tr("转为案件"), "voided": _tr("作废")}.get(e.outcome, _tr("记录"))
                else:
                    what = _tr("等级 %1→%2").replace("%1", level_name(e.from_level)).replace("%2", level_name(e.to_level))
            else:
                what = ACTION_KIND_NAMES.get(e.kind, (e.kind, e.kind))[lang]
            outcome = "" if e.outcome in ("converted", "voided") else e.outcome
            item = QTreeWidgetItem([e.when.strftime("%Y-%m-%d %H:%M"), what, e.who, e.text, outcome,
                                    e.next_due.isoformat() if e.next_due else ""])
            item.setToolTip(3, e.text)
            if e.kind == "level" and e.to_level:
                item.setBackground(1, self._theme.level_background(e.to_level))
            self.timeline.addTopLevelItem(item)

    def _on_timeline_section_resized(self, column: int, _old: int, _new: int) -> None:
        if column == 3:  # wrapped rows take their new height
            self.timeline.scheduleDelayedItemsLayout()

    def _fill_links(self, d: RecordDetail) -> None:
        lang = lang_index()
        self.links.clear()
        for link in d.links:
            mod = Module(link.module)
            role = ROLE_NAMES.get(link.role, (link.role, link.role))[lang]
            item = QListWidgetItem(f"[{mod.zh if lang == 0 else mod.en}] {link.label}{gap()}{level_name(link.level)}"
                                   f"{gap()}{status_name(link.module, link.status, lang)}{gap()}{paren(role)}")
            item.setData(Qt.ItemDataRole.UserRole, (link.module, link.record_id))
            item.setIcon(self._theme.chip_icon(link.level))
            item.setToolTip(_tr("双击打开"))
            self.links.addItem(item)
        self.tabs.setTabText(2, _tr("关联记录（%1）").replace("%1", str(len(d.links))))

    def _may(self, action: str) -> bool:
        return self._why_not(action) is None

    def _why_not(self, action: str) -> str | None:
        """None when the account may do `action` on this record; else the policy's reason."""
        from ui.common.denied import denied_reason

        if self.actor is None or self.detail is None:
            return _tr("未登录")
        return denied_reason(self.actor, action, _Scope(self.detail.fields))

    def _update_buttons(self) -> None:
        from ui.common.denied import set_allowed

        d = self.detail
        mod = Module(d.module)
        live = d.status not in ("voided", "converted")
        closed = None if live else _tr("该记录已作废或已转为案件")
        self._update_team_buttons()

        set_allowed(self.buttons["edit"], closed or self._why_not("edit_record"))
        set_allowed(self.buttons["level"], closed or self._why_not("change_level"))
        set_allowed(self.buttons["action"], closed or self._why_not("log_action"))
        inactive = None if d.status == "active" else _tr("该记录已不在办")
        self.buttons["convert"].setVisible(mod == Module.DISPUTE)
        set_allowed(self.buttons["convert"], inactive or self._why_not("convert_dispute"))
        self.buttons["delist"].setVisible(mod == Module.PERSON)
        delist = inactive or self._why_not("change_level")
        if delist is None and not allowed(self.actor.role, "delist_person"):
            delist = _tr("撤销列管须由所领导审批")
        set_allowed(self.buttons["delist"], delist)
        set_allowed(self.buttons["void"], closed or self._why_not("void_record"))
        unsolved = mod == Module.CASE and d.fields.get("kind") == "criminal" and d.fields.get("solved_on") is None
        self.buttons["solve"].setVisible(unsolved)
        set_allowed(self.buttons["solve"], closed or self._why_not("mark_solved"))


class _WrapDelegate(QStyledItemDelegate):
    """A column whose text wraps: the row is as tall as the text at the column's width (a tree
    view alone sizes rows to one line and cuts the rest off)."""

    def __init__(self, view: QTreeWidget):
        super().__init__(view)
        self._view = view

    def sizeHint(self, option, index):
        size = super().sizeHint(option, index)
        width = self._view.header().sectionSize(index.column()) - 12
        text = str(index.data() or "")
        if width <= 0 or not text:
            return size
        rect = option.fontMetrics.boundingRect(QRect(0, 0, width, 100000), int(Qt.TextFlag.TextWordWrap), text)
        return QSize(size.width(), max(size.height(), rect.height() + 8))


class Loader:
    """What the record view reads, bound to one database: the record and a person's team."""

    def __init__(self, db):
        self.db = db

    def __call__(self, module: str, record_id: int) -> RecordDetail:
        from app.services.records import get_record

        return get_record(self.db, module, record_id)

    def team(self, person_id: int):
        return workstation.list_dedicated_team(self.db, person_id)
