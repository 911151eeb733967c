"""The station's working lists in one window: 110 alerts (import, repeats, 转为纠纷), case series
(串并案: members, a map of places and dates, common features), the camera watch list with the
overdue checks, and the mediation bodies with the hand-overs and 回访 that are due."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.levels import DISPUTE_CATEGORY_NAMES, FOCUS_AREA_NAMES, LEVEL_NAMES, Level
from app.domain.workflows import CONTROL_STATUS_NAMES, MEDIATION_BODY_KIND_NAMES, NOT_IN_HAND, place_key
from app.errors import StationError
from app.services import Changes, alerts, control, mediation, series
from ui.common.denied import denied_reason, set_allowed
from ui.common.theme import Theme, current
from ui.records.columns import colon, gap, lang_index
from ui.records.forms import err_text
from ui.workflows.forms import Input, StepDialog, when_text
from ui.workflows.record_panels import choices, name_of, series_shared, tree


def _tr(text: str) -> str:
    return QCoreApplication.translate("Workflows", text)


class _Tab(QWidget):
    changed = Signal(object)
    """A step was saved here."""
    open_requested = Signal(str, int)
    """Open this record (module, id) in the record window."""

    def __init__(self, db, actor, theme: Theme, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.actor, self.theme = db, actor, theme
        self.dialog: StepDialog | None = None

    def _step(self, title: str, inputs: list[Input], call, intro: str = "") -> StepDialog:
        dialog = StepDialog(title, inputs, call, self.window(), intro)
        self.dialog = dialog

        def saved(result) -> None:
            self.reload()
            self.changed.emit(result if isinstance(result, Changes) else None)
        dialog.saved.connect(saved)
        dialog.open()
        return dialog

    def _allow(self, button: QPushButton, action: str) -> None:
        set_allowed(button, None if self.actor is None else denied_reason(self.actor, action))


# -- 110 alerts --------------------------------------------------------------------------------------------
class AlertsTab(_Tab):
    def __init__(self, db, actor, theme: Theme, parent: QWidget | None = None):
        super().__init__(db, actor, theme, parent)
        self.import_button = QPushButton(_tr("导入110警情…"))
        self.import_button.setObjectName("button_import_alerts")
        self.import_button.clicked.connect(self.choose_file)
        self.convert_button = QPushButton(_tr("转为纠纷…"))
        self.convert_button.setObjectName("button_alert_to_dispute")
        self.convert_button.clicked.connect(self.convert_selected)
        self.report = QLabel()
        self.report.setObjectName("alertReport")
        self.report.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.import_button)
        bar.addWidget(self.convert_button)
        bar.addWidget(self.report, 1)
        self.table = tree([_tr("报警时间"), _tr("警情编号"), _tr("地址"), _tr("报警人"), _tr("电话"), _tr("类别"),
                           _tr("重复"), _tr("转为纠纷"), _tr("简要警情")], "alertTable")
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemActivated.connect(self._on_table_item_activated)
        self.repeats = tree([_tr("地址或报警人"), _tr("次数"), _tr("首次"), _tr("最近")], "repeatGroups")
        self.pending = tree([_tr("相关纠纷"), _tr("等级"), _tr("重复报警提示")], "pendingSuggestions")
        self.pending.itemSelectionChanged.connect(self._update_buttons)
        self.accept_button = QPushButton(_tr("按建议升级"))
        self.accept_button.setObjectName("button_accept_suggestion")
        self.accept_button.clicked.connect(lambda: self.answer_selected("accepted"))
        self.dismiss_button = QPushButton(_tr("忽略"))
        self.dismiss_button.setObjectName("button_dismiss_suggestion")
        self.dismiss_button.clicked.connect(lambda: self.answer_selected("dismissed"))
        side = QWidget()
        sbox = QVBoxLayout(side)
        sbox.setContentsMargins(0, 0, 0, 0)
        self.repeats_title = QLabel()
        sbox.addWidget(self.repeats_title)
        sbox.addWidget(self.repeats, 1)
        self.pending_title = QLabel()
        self.pending_detail = QLabel()
        self.pending_detail.setObjectName("pendingDetail")
        self.pending_detail.setWordWrap(True)
        sbox.addWidget(self.pending_title)
        sbox.addWidget(self.pending, 1)
        sbox.addWidget(self.pending_detail)
        answers = QHBoxLayout()
        answers.addStretch(1)
        answers.addWidget(self.accept_button)
        answers.addWidget(self.dismiss_button)
        sbox.addLayout(answers)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        box = QVBoxLayout(self)
        box.addLayout(bar)
        box.addWidget(split, 1)

    def reload(self) -> None:
        from app.domain.workflows import REPEAT_ALERT_DAYS

        self.table.clear()
        for a in alerts.list_alerts(self.db):
            item = QTreeWidgetItem([when_text(a.received_at), a.alert_no, a.address, a.caller, a.caller_phone,
                                    a.category, str(a.repeats) if a.repeats > 1 else "", a.dispute_no, a.summary])
            item.alert_id, item.dispute_id = a.id, a.dispute_id
            if a.repeats > 1:
                item.setForeground(6, self.theme.color("overdue.fg"))
                item.setToolTip(6, _tr("%1日内同一地址或报警人报警 %2 次").replace("%1", str(REPEAT_ALERT_DAYS))
                                .replace("%2", str(a.repeats)))
            self.table.addTopLevelItem(item)
        self.repeats.clear()
        groups = alerts.repeated(self.db)
        self.repeats_title.setText(_tr("%1日内重复报警（%2 处）").replace("%1", str(REPEAT_ALERT_DAYS))
                                   .replace("%2", str(len(groups))))
        for g in groups:
            what = (_tr("地址") if g.by == "address" else _tr("报警人")) + colon() + g.key
            self.repeats.addTopLevelItem(QTreeWidgetItem([what, str(g.count), when_text(g.first), when_text(g.last)]))
        from app.services.workstation import pending_suggestions

        self.pending.clear()
        waiting = pending_suggestions(self.db, "dispute")
        self.pending_title.setText(_tr("待处理的重复报警提示（%1 条）").replace("%1", str(len(waiting))))
        for p in waiting:
            detail = suggestion_text(p.detail)
            item = QTreeWidgetItem([p.label, LEVEL_NAMES[Level(p.level)][lang_index()] + " → "
                                    + LEVEL_NAMES[Level(p.raise_to)][lang_index()], detail])
            item.setToolTip(2, detail)
            item.suggestion_id, item.dispute_id = p.id, p.record_id
            self.pending.addTopLevelItem(item)
        self._update_buttons()

    def _selected(self) -> QTreeWidgetItem | None:
        items = self.table.selectedItems()
        return items[0] if items else None

    def _update_buttons(self) -> None:
        self._allow(self.import_button, "import_alerts")
        item = self._selected()
        why = None if self.actor is None else denied_reason(self.actor, "alert_to_dispute")
        if why is None and item is None:
            why = _tr("请先选择一条警情")
        if why is None and item.dispute_id:
            why = _tr("该警情已转为纠纷")
        set_allowed(self.convert_button, why)
        chosen = self.pending.selectedItems()
        self.pending_detail.setText(chosen[0].text(2) if chosen else "")
        why = None if self.actor is None else denied_reason(self.actor, "change_level")
        if why is None and not chosen:
            why = _tr("请先选择一条提示")
        set_allowed(self.accept_button, why)
        set_allowed(self.dismiss_button, why)

    def answer_selected(self, decision: str) -> bool:
        """Accept (raise the dispute one level) or dismiss the selected repeat-call suggestion."""
        from app.services.workstation import answer_suggestion

        chosen = self.pending.selectedItems()
        if not chosen:
            return False
        try:
            changes = answer_suggestion(self.db, self.actor, chosen[0].suggestion_id, decision)
        except StationError as exc:
            self.report.setText(err_text(exc))
            return False
        self.reload()
        self.changed.emit(changes)
        return True

    def _on_table_item_activated(self, item: QTreeWidgetItem, _col: int) -> None:
        if item.dispute_id:
            self.open_requested.emit("dispute", item.dispute_id)

    def choose_file(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _tr("导入110警情"), "", _tr("警情表 (*.xlsx *.csv)"))
        if path:
            self.import_file(path)

    def import_file(self, path: str | Path):
        from app.ledger.alerts import import_alerts

        try:
            report = import_alerts(self.db, self.actor, path)
        except StationError as exc:
            self.report.setText(err_text(exc))
            return None
        text = report.summary() if lang_index() == 0 else report.summary_en()
        bad = report.rejected[:5]
        if bad:
            text += "\n" + "\n".join(_tr("第%1行：%2").replace("%1", str(r.line)).replace("%2", r.reason) for r in bad)
        self.report.setText(text)
        self.reload()
        self.changed.emit(None)
        return report

    def convert_selected(self) -> StepDialog | None:
        item = self._selected()
        if item is None:
            return None
        aid = item.alert_id
        from app.services.workstation import officer_choices

        officers = tuple((oid, name) for oid, name, role, _team in officer_choices(self.db) if role != "leader")
        default_officer = self.actor.officer_id if self.actor and self.actor.officer_id in {o for o, _ in officers} \
            else (officers[0][0] if officers else None)
        no = f"110-{item.text(1)}"
        levels = tuple((lv.value, LEVEL_NAMES[lv][lang_index()]) for lv in (Level.RED, Level.ORANGE, Level.YELLOW))

        def call(v):
            did, changes = alerts.alert_to_dispute(self.db, self.actor, aid, dispute_no=v["no"], category=v["category"],
                                                   level=v["level"], parties=v["parties"], focus_area=v["focus"],
                                                   officer_id=v["officer"])
            self.open_requested.emit("dispute", did)
            return changes
        return self._step(_tr("警情转为纠纷"), [
            Input("no", _tr("纠纷编号"), default=no),
            Input("category", _tr("纠纷类别"), "choice", choices(DISPUTE_CATEGORY_NAMES), "police_primary"),
            Input("level", _tr("预警等级"), "choice", levels, "yellow" if item.text(6) == "" else "orange"),
            Input("parties", _tr("当事人"), default=item.text(3)),
            Input("focus", _tr("重点领域"), "choice", choices(FOCUS_AREA_NAMES), "neighbour"),
            Input("officer", _tr("责任民警"), "choice", officers, default_officer),
        ], call, intro=_tr("警情 %1（%2，%3）转为纠纷，来源为110警情，两条记录互相关联。").replace("%1", item.text(1))
            .replace("%2", item.text(0)).replace("%3", item.text(2))
            + (_tr("该地址或报警人近期已多次报警，建议提高预警等级。") if item.text(6) else ""))


def suggestion_text(detail: str) -> str:
    """A repeat-call suggestion in the interface's language (its stored sentence is Chinese); a
    detail in another form is shown as it is."""
    f = alerts.repeat_facts(detail)
    if f is None:
        return detail
    return (_tr("%1“%2”%3日内报警%4次，纠纷%5登记后又报警%6次（最近%7），建议升为%8")
            .replace("%1", _tr("地址") if f.by == "address" else _tr("报警人")).replace("%2", f.key)
            .replace("%3", str(f.days)).replace("%4", str(f.count)).replace("%5", f.dispute_no)
            .replace("%6", str(f.later)).replace("%7", when_text(f.latest))
            .replace("%8", LEVEL_NAMES[Level(f.raise_to)][lang_index()]))


# -- case series ------------------------------------------------------------------------------------------
class SeriesMap(QWidget):
    """The series' cases on a map of places and dates: one row per place (its name without the
    house number), dates along the bottom, each case a dot in its level's colour."""

    def __init__(self, theme: Theme, parent: QWidget | None = None):
        super().__init__(parent)
        self.theme = theme
        self.members: list = []
        self.setObjectName("seriesMap")
        self.setMinimumHeight(180)

    def sizeHint(self) -> QSize:
        return QSize(520, 220)

    def set_members(self, members: list) -> None:
        self.members = list(members)
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.theme.color("panel.bg"))
        if not self.members:
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, _tr("（未选择串并案）"))
            return
        places = sorted({place_key(m.place) or "—" for m in self.members})
        first = min(m.accepted_on for m in self.members)
        last = max(m.accepted_on for m in self.members)
        span = max(1, (last - first).days)
        fm = p.fontMetrics()
        left = min(200, max(fm.horizontalAdvance(x) for x in places) + 16)
        top, bottom, right = 10, self.height() - fm.height() - 10, self.width() - 20
        row_h = (bottom - top) / max(1, len(places))
        p.setPen(QPen(self.theme.color("grid"), 1))
        for i, name in enumerate(places):
            y = top + row_h * (i + 0.5)
            p.setPen(self.theme.color("text"))
            p.drawText(QRectF(4, y - row_h / 2, left - 8, row_h), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                       name)
            p.setPen(QPen(self.theme.color("grid"), 1))
            p.drawLine(QPointF(left, y), QPointF(right, y))
        p.setPen(self.theme.color("text"))
        p.drawText(QRectF(left, bottom + 4, 200, fm.height()), Qt.AlignmentFlag.AlignLeft, first.isoformat())
        p.drawText(QRectF(right - 200, bottom + 4, 200, fm.height()), Qt.AlignmentFlag.AlignRight, last.isoformat())
        for m in self.members:
            i = places.index(place_key(m.place) or "—")
            x = left + 10 + (right - left - 20) * (m.accepted_on - first).days / span
            y = top + row_h * (i + 0.5)
            p.setPen(QPen(self.theme.color("text"), 1))
            p.setBrush(self.theme.color(f"level.{m.level}.chip"))
            p.drawEllipse(QPointF(x, y), 8, 8)
            label_w = fm.horizontalAdvance(m.case_no)
            lx = x + 10 if x + 10 + label_w < self.width() - 4 else x - 10 - label_w  # never cut at the edge
            p.drawText(QPointF(lx, y - 8), m.case_no)
        p.end()


class SeriesTab(_Tab):
    def __init__(self, db, actor, theme: Theme, parent: QWidget | None = None):
        super().__init__(db, actor, theme, parent)
        self.list = tree([_tr("串并案"), _tr("主办民警"), _tr("案件"), _tr("状态")], "seriesList")
        self.list.currentItemChanged.connect(lambda *_a: self._show_current())
        self.members = tree([_tr("案件编号"), _tr("案由"), _tr("地点"), _tr("受案日期"), _tr("等级"), _tr("破案日期"),
                             _tr("责任民警")], "seriesMembers")
        self.members.itemActivated.connect(lambda item, _c: self.open_requested.emit("case", item.case_id))
        self.members.itemSelectionChanged.connect(self._update_buttons)
        self.features = QLabel()
        self.features.setObjectName("seriesFeatures")
        self.features.setWordWrap(True)
        self.map = SeriesMap(theme)
        self.candidates = tree([_tr("案件编号"), _tr("案由"), _tr("地点"), _tr("受案日期"), _tr("相同点")],
                               "seriesTabCandidates")
        self.add_button = QPushButton(_tr("加入所选候选案件"))
        self.add_button.setObjectName("button_add_candidate")
        self.add_button.clicked.connect(self.add_candidate)
        self.solve_button = QPushButton(_tr("串并案告破…"))
        self.solve_button.setObjectName("button_series_solved")
        self.solve_button.clicked.connect(self.mark_solved)
        self.remove_button = QPushButton(_tr("移出串并案…"))
        self.remove_button.setObjectName("button_remove_member")
        self.remove_button.clicked.connect(self.remove_selected)
        right = QWidget()
        rbox = QVBoxLayout(right)
        rbox.setContentsMargins(0, 0, 0, 0)
        rbox.addWidget(self.features)
        rbox.addWidget(self.members, 2)
        rbox.addWidget(self.map, 2)
        rbox.addWidget(QLabel(_tr("可串并的橙色案件：")))
        rbox.addWidget(self.candidates, 1)
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addWidget(self.solve_button)
        bar.addWidget(self.remove_button)
        bar.addStretch(1)
        rbox.addLayout(bar)
        split = QSplitter()
        split.addWidget(self.list)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        split.setSizes([380, 1000])
        box = QVBoxLayout(self)
        box.addWidget(split)

    def reload(self) -> None:
        keep = self.current_id()
        self.list.clear()
        status = {"active": _tr("侦查中"), "solved": _tr("已破")}
        for s in series.list_series(self.db):
            item = QTreeWidgetItem([s.name, s.lead, _tr("%1 起（已破 %2）").replace("%1", str(s.members))
                                    .replace("%2", str(s.solved_members)), status.get(s.status, s.status)])
            item.series_id, item.status = s.id, s.status
            self.list.addTopLevelItem(item)
            if s.id == keep or keep is None and self.list.topLevelItemCount() == 1:
                self.list.setCurrentItem(item)
        self._show_current()

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return item.series_id if item is not None else None

    def _show_current(self) -> None:
        sid = self.current_id()
        self.members.clear()
        self.candidates.clear()
        if sid is None:
            self.features.setText(_tr("尚无串并案：在案件的“串并侦查”页中把相似的橙色案件串并。"))
            self.map.set_members([])
            self._update_buttons()
            return
        rows = series.series_members(self.db, sid)
        lang = lang_index()
        for m in rows:
            item = QTreeWidgetItem([m.case_no, m.cause, m.place, m.accepted_on.isoformat(),
                                    LEVEL_NAMES[Level(m.level)][lang], when_text(m.solved_on) if m.solved_on else "",
                                    m.officer])
            item.setBackground(4, self.theme.level_background(m.level))
            item.case_id = m.case_id
            self.members.addTopLevelItem(item)
        row = next(s for s in series.list_series(self.db) if s.id == sid)
        lines = []
        shared = series.common_features(rows)
        if shared is not None:
            if shared.cause:
                lines.append(_tr("案由：%1（%2/%3起）").replace("%1", shared.cause)
                             .replace("%2", str(shared.cause_count)).replace("%3", str(shared.members)))
            if shared.place:
                lines.append(_tr("地点：%1（%2/%3起）").replace("%1", shared.place)
                             .replace("%2", str(shared.place_count)).replace("%3", str(shared.members)))
            lines.append(_tr("时间：%1 至 %2（%3天）").replace("%1", shared.first.isoformat())
                         .replace("%2", shared.last.isoformat()).replace("%3", str(shared.days)))
        if row.features:
            lines.append(_tr("共同特征：%1").replace("%1", row.features))
        if row.status == "solved":
            lines.append(_tr("已于 %1 告破").replace("%1", when_text(row.solved_on)))
        self.features.setText(gap().join(lines))
        self.map.set_members(rows)
        if row.status == "active":
            for c in series.candidates(self.db, series_id=sid):
                item = QTreeWidgetItem([c.case_no, c.cause, c.place, c.accepted_on.isoformat(),
                                        series_shared(c.shared)])
                item.case_id = c.case_id
                self.candidates.addTopLevelItem(item)
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self.list.currentItem()
        why = None if self.actor is None else denied_reason(self.actor, "manage_series")
        if why is None and (item is None or item.status != "active"):
            why = _tr("请先选择侦查中的串并案")
        set_allowed(self.solve_button, why)
        set_allowed(self.add_button, why or (None if self.candidates.topLevelItemCount() else _tr("没有候选案件")))
        why = None if self.actor is None else denied_reason(self.actor, "remove_series_member")
        if why is None and not self.members.selectedItems():
            why = _tr("请先选择要移出的案件")
        set_allowed(self.remove_button, why)

    def remove_selected(self) -> StepDialog | None:
        """Take the selected case out of the series, with the reason."""
        sid, picked = self.current_id(), self.members.selectedItems()
        if sid is None or not picked:
            return None
        cid, no = picked[0].case_id, picked[0].text(0)
        return self._step(_tr("移出串并案"), [Input("reason", _tr("移出理由"), "long")],
                          lambda v: series.remove_from_series(self.db, self.actor, sid, cid, v["reason"]),
                          intro=_tr("把案件 %1 移出该串并案。串并案至少保留两起案件；若移出的是唯一已破的案件，"
                                    "串并案恢复为侦查中。").replace("%1", no))

    def add_candidate(self) -> None:
        sid = self.current_id()
        picked = self.candidates.selectedItems() or [self.candidates.topLevelItem(0)]
        try:
            for item in picked:
                if item is not None:
                    series.add_to_series(self.db, self.actor, sid, item.case_id)
        except StationError as exc:
            QMessageBox.warning(self, _tr("无法串并"), err_text(exc))
        self.reload()
        self.changed.emit(None)

    def mark_solved(self) -> StepDialog:
        sid = self.current_id()
        return self._step(_tr("串并案告破"), [
            Input("solved_on", _tr("告破日期"), "date"),
            Input("note", _tr("破案情况"), "long"),
        ], lambda v: series.mark_series_solved(self.db, self.actor, sid, v["note"], v["solved_on"]),
            intro=_tr("串并案中须有一起案件已登记破案。"))


# -- the camera watch list --------------------------------------------------------------------------------
class WatchTab(_Tab):
    def __init__(self, db, actor, theme: Theme, parent: QWidget | None = None):
        super().__init__(db, actor, theme, parent)
        self.export_button = QPushButton(_tr("导出天网布控名单…"))
        self.export_button.setObjectName("button_export_watch_list")
        self.export_button.clicked.connect(self.choose_export)
        self.note = QLabel()
        self.note.setObjectName("watchNote")
        self.note.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.export_button)
        bar.addWidget(self.note, 1)
        self.table = tree([_tr("姓名"), _tr("等级"), _tr("管控状态"), _tr("人员类别"), _tr("责任民警"), _tr("最近核查")],
                          "watchTable")
        self.table.itemActivated.connect(lambda item, _c: self.open_requested.emit("person", item.person_id))
        box = QVBoxLayout(self)
        box.addLayout(bar)
        box.addWidget(self.table, 1)

    def reload(self) -> None:
        from app.domain.identity import mask_name
        from app.domain.permissions import allowed

        unmask = self.actor is not None and allowed(self.actor.role, "unmask")
        self.table.clear()
        lang = lang_index()
        rows = control.watch_list(self.db)
        late = 0
        for r in rows:
            last = when_text(r.last_check) + (_tr("（超期）") if r.overdue else "")
            item = QTreeWidgetItem([r.name if unmask else mask_name(r.name), LEVEL_NAMES[Level(r.level)][lang],
                                    name_of(CONTROL_STATUS_NAMES, r.control_status), r.categories, r.officer, last])
            item.person_id = r.person_id
            item.setBackground(1, self.theme.level_background(r.level))
            if r.overdue or r.control_status in NOT_IN_HAND:
                late += 1
                for c in (2, 5):
                    item.setForeground(c, self.theme.color("overdue.fg"))
            self.table.addTopLevelItem(item)
        self.note.setText(_tr("红色在管人员自动列入天网布控名单，共 %1 人；核查超期或脱控、失联 %2 人。")
                          .replace("%1", str(len(rows))).replace("%2", str(late)))
        self._allow(self.export_button, "watch_list")

    def choose_export(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, _tr("导出天网布控名单"), f"天网布控名单-{date.today()}.xlsx",
                                               _tr("Excel 文件 (*.xlsx)"))
        if path:
            self.export_to(path)

    def export_to(self, path: str | Path) -> int | None:
        try:
            n = control.export_watch_list(self.db, self.actor, path, lang_index())
        except StationError as exc:
            self.note.setText(err_text(exc))
            return None
        self.note.setText(_tr("已导出 %1 人：%2").replace("%1", str(n)).replace("%2", str(path)))
        return n


# -- mediation bodies and what is due ------------------------------------------------------------------------
class MediationTab(_Tab):
    def __init__(self, db, actor, theme: Theme, parent: QWidget | None = None):
        super().__init__(db, actor, theme, parent)
        self.bodies = tree([_tr("调解组织"), _tr("类型"), _tr("联系方式"), _tr("调解次数"), _tr("状态")], "bodyList")
        self.add_button = QPushButton(_tr("添加调解组织…"))
        self.add_button.setObjectName("button_add_body")
        self.add_button.clicked.connect(self.add_body)
        self.retire_button = QPushButton(_tr("停用/启用"))
        self.retire_button.setObjectName("button_retire_body")
        self.retire_button.clicked.connect(self.toggle_body)
        self.due = tree([_tr("事项"), _tr("纠纷编号"), _tr("当事人"), _tr("期限"), _tr("说明"), _tr("责任民警")], "dueList")
        self.due.itemActivated.connect(lambda item, _c: self.open_requested.emit("dispute", item.dispute_id))
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addWidget(self.retire_button)
        bar.addStretch(1)
        box = QVBoxLayout(self)
        box.addWidget(QLabel(_tr("调解组织（融调解中心、群众工作室、人民调解委员会、司法所…）")))
        box.addWidget(self.bodies, 1)
        box.addLayout(bar)
        self.due_title = QLabel()
        box.addWidget(self.due_title)
        box.addWidget(self.due, 1)

    def reload(self) -> None:
        self.bodies.clear()
        for b in mediation.mediation_bodies(self.db, include_inactive=True):
            item = QTreeWidgetItem([b.name, name_of(MEDIATION_BODY_KIND_NAMES, b.kind), b.contact, str(b.mediations),
                                    _tr("在用") if b.active else _tr("已停用")])
            item.body_id, item.active = b.id, b.active
            self.bodies.addTopLevelItem(item)
        self.due.clear()
        answers = mediation.overdue_answers(self.db)
        visits = mediation.followups_due(self.db, within_days=3)
        for r in answers:
            self._due_item(_tr("移交答复超期"), r, True)
        for r in visits:
            self._due_item(_tr("回访超期") if r.detail else _tr("回访将到期"), r, bool(r.detail))
        self.due_title.setText(_tr("移交答复超期 %1 起，回访到期 %2 起").replace("%1", str(len(answers)))
                               .replace("%2", str(len(visits))))
        self._allow(self.add_button, "manage_mediation_bodies")
        self._allow(self.retire_button, "manage_mediation_bodies")

    def _due_item(self, what: str, r, late: bool) -> None:
        item = QTreeWidgetItem([what, r.dispute_no, r.parties, r.due.isoformat(),
                                r.detail if r.detail != "超期" else "", r.officer])
        item.dispute_id = r.dispute_id
        if late:
            item.setForeground(0, self.theme.color("overdue.fg"))
            item.setForeground(3, self.theme.color("overdue.fg"))
        self.due.addTopLevelItem(item)

    def add_body(self) -> StepDialog:
        return self._step(_tr("添加调解组织"), [
            Input("name", _tr("名称")),
            Input("kind", _tr("类型"), "choice", choices(MEDIATION_BODY_KIND_NAMES), "center"),
            Input("contact", _tr("联系方式")),
        ], lambda v: mediation.add_mediation_body(self.db, self.actor, v["name"], v["kind"], v["contact"]))

    def toggle_body(self) -> None:
        item = self.bodies.currentItem()
        if item is None:
            return
        try:
            mediation.set_body_active(self.db, self.actor, item.body_id, not item.active)
        except StationError as exc:
            QMessageBox.warning(self, _tr("无法修改"), err_text(exc))
        self.reload()


class WorkflowWindow(QWidget):
    """110警情, 串并侦查, 天网布控 and 融调化解 lists, one tab each."""

    changed = Signal(object)
    """Something was saved in one of the tabs."""
    open_requested = Signal(str, int)
    """Open this record (module, id)."""

    TABS = ("alerts", "series", "watch", "mediation")

    def __init__(self, db, actor, theme: Theme | None = None, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("workflowWindow")
        self.setWindowTitle(_tr("工作方法：110警情、串并侦查、天网布控、融调化解"))
        theme = theme or current()
        self.tabs = QTabWidget()
        self.pages = {"alerts": AlertsTab(db, actor, theme), "series": SeriesTab(db, actor, theme),
                      "watch": WatchTab(db, actor, theme), "mediation": MediationTab(db, actor, theme)}
        for key, title in (("alerts", _tr("110警情")), ("series", _tr("串并侦查")), ("watch", _tr("天网布控")),
                           ("mediation", _tr("融调化解"))):
            page = self.pages[key]
            page.changed.connect(self.changed.emit)
            page.open_requested.connect(self.open_requested.emit)
            self.tabs.addTab(page, title)
        box = QVBoxLayout(self)
        box.addWidget(self.tabs)
        self.resize(1200, 760)

    def show_tab(self, key: str) -> None:
        self.tabs.setCurrentIndex(self.TABS.index(key))
        self.reload()

    def reload(self) -> None:
        for page in self.pages.values():
            try:
                page.reload()
            except StationError as exc:  # pragma: no cover - a storage failure is shown, not raised
                QMessageBox.warning(self, _tr("无法读取"), err_text(exc))
