"""The workflow tabs of the record view: a key person's 在管在控 (status, checks, events, risk
assessments), a dispute's 融调化解 (mediations, hand-over and answer, 回访), a case's 串并 series.
Each reads through the services and runs each step in a StepDialog; after a save it reloads
itself and emits `changed`."""
from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.levels import LEVEL_NAMES, PERSON_RISK_CATEGORIES, SATISFACTION_NAMES, Level
from app.domain.workflows import (
    CONTROL_ENTRY_NAMES,
    CONTROL_STATUS_NAMES,
    MEDIATION_RESULT_NAMES,
    NOT_IN_HAND,
    PERSON_EVENT_NAMES,
    PETITION_TIER_NAMES,
)
from app.services import Changes, control, mediation, series
from ui.common.denied import denied_reason, set_allowed
from ui.common.theme import Theme, current
from ui.records.columns import joined, lang_index, paren
from ui.workflows.forms import Input, StepDialog, when_text


def _tr(text: str) -> str:
    return QCoreApplication.translate("Workflows", text)


def name_of(table: dict, code: str | None) -> str:
    if code is None or code == "":
        return ""
    return table.get(code, (code, code))[lang_index()]


def series_shared(parts: tuple[str, ...]) -> str:
    """What a candidate case shares with a case or a series (案由、地点、时间), in the interface's words."""
    same = {"cause": _tr("案由"), "place": _tr("地点"), "time": _tr("时间")}
    return joined(same.get(p, p) for p in parts)


def choices(table: dict) -> tuple[tuple[str, str], ...]:
    return tuple((code, names[lang_index()]) for code, names in table.items())


def tree(headers: list[str], name: str) -> QTreeWidget:
    t = QTreeWidget()
    t.setObjectName(name)
    t.setRootIsDecorated(False)
    t.setHeaderLabels(headers)
    t.setTabKeyNavigation(False)
    h = t.header()
    h.setStretchLastSection(True)
    for c in range(len(headers) - 1):
        h.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
    return t


class _Scope:
    def __init__(self, fields: dict):
        self.team_id = fields.get("team_id")
        self.officer_id = fields.get("officer_id")


class _Panel(QWidget):
    changed = Signal(object)
    """A step was saved: carries its Changes (or None)."""

    def __init__(self, db, actor, theme: Theme | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.theme = theme or current()
        self.fields: dict = {}
        self.record_id: int | None = None
        self.dialog: StepDialog | None = None
        self.buttons: dict[str, QPushButton] = {}

    def _button(self, key: str, text: str, handler) -> QPushButton:
        b = QPushButton(text)
        b.setObjectName(f"button_{key}")
        b.clicked.connect(handler)
        self.buttons[key] = b
        return b

    def _why_not(self, action: str) -> str | None:
        if self.actor is None:
            return _tr("未登录")
        return denied_reason(self.actor, action, _Scope(self.fields))

    def _step(self, title: str, inputs: list[Input], call, intro: str = "") -> StepDialog:
        dialog = StepDialog(title, inputs, call, self.window(), intro)
        self.dialog = dialog

        def saved(result: Any) -> None:
            self.reload()
            self.changed.emit(result if isinstance(result, Changes) else None)  # None: reload everything
        dialog.saved.connect(saved)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None) if self.dialog is dialog else None)
        dialog.open()
        return dialog

    def show_record(self, record_id: int, fields: dict) -> None:
        self.record_id, self.fields = record_id, fields
        self.reload()

    def reload(self) -> None:  # pragma: no cover - every panel overrides it
        raise NotImplementedError


# -- a key person's 在管在控 -----------------------------------------------------------------------
class PersonControlPanel(_Panel):
    """在管在控: the control status with its history, checks and camera hits, the events
    失控/非访/滋事, and the risk assessments of the person's file (一人一档)."""

    def __init__(self, db, actor, theme: Theme | None = None, parent: QWidget | None = None):
        super().__init__(db, actor, theme, parent)
        self.state = QLabel()
        self.state.setObjectName("controlState")
        self.state.setWordWrap(True)
        self.state.setFont(self.theme.font(1, bold=True))
        bar = QHBoxLayout()
        for key, text, handler in (("check", _tr("登记核查"), lambda: self.record_check("check")),
                                   ("hit", _tr("天网比中"), lambda: self.record_check("hit")),
                                   ("status", _tr("变更管控状态"), self.change_status),
                                   ("event", _tr("登记事件"), self.record_event),
                                   ("assess", _tr("风险评估"), self.assess)):
            bar.addWidget(self._button(key, text, handler))
        bar.addStretch(1)
        self.history = tree([_tr("时间"), _tr("事项"), _tr("管控状态"), _tr("地点"), _tr("经办人"), _tr("结果")],
                            "controlHistory")
        self.events = tree([_tr("日期"), _tr("事件"), _tr("级别"), _tr("地点"), _tr("登记人"), _tr("经过")], "personEvents")
        self.assessments = tree([_tr("评估时间"), _tr("评估人"), _tr("人员类别"), _tr("建议等级"), _tr("确认等级"),
                                 _tr("理由")], "assessments")
        self.inner = QTabWidget()
        self.inner.setObjectName("controlTabs")
        self.inner.addTab(self.history, _tr("管控记录"))
        self.inner.addTab(self.events, _tr("失控·非访·滋事"))
        self.inner.addTab(self.assessments, _tr("风险评估"))
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 4, 0, 0)
        box.addWidget(self.state)
        box.addLayout(bar)
        box.addWidget(self.inner, 1)

    def reload(self) -> None:
        lang = lang_index()
        st = control.control_state(self.db, self.record_id)
        status = name_of(CONTROL_STATUS_NAMES, st.status)
        parts = [_tr("管控状态：%1").replace("%1", status),
                 _tr("最近核查：%1").replace("%1", when_text(st.last_check))]
        if st.due is not None:
            due = when_text(st.due)
            parts.append(_tr("下次核查：%1（已超期）").replace("%1", due) if st.overdue
                         else _tr("下次核查：%1").replace("%1", due))
        parts.append(_tr("天网布控：是") if st.on_watch_list else _tr("天网布控：否"))
        self.state.setText("　".join(parts))
        alarm = st.overdue or st.status in NOT_IN_HAND
        self.state.setStyleSheet(f"color: {self.theme.tokens['overdue.fg']};" if alarm else "")
        self.history.clear()
        for r in control.control_history(self.db, self.record_id):
            self.history.addTopLevelItem(QTreeWidgetItem([
                when_text(r.when), name_of(CONTROL_ENTRY_NAMES, r.kind), name_of(CONTROL_STATUS_NAMES, r.status),
                r.place, r.officer, r.outcome]))
        self.events.clear()
        for e in control.person_events(self.db, self.record_id):
            item = QTreeWidgetItem([e.occurred_on.isoformat(), name_of(PERSON_EVENT_NAMES, e.kind),
                                    name_of(PETITION_TIER_NAMES, e.tier), e.place, e.officer, e.summary])
            item.setForeground(1, self.theme.color("overdue.fg"))
            self.events.addTopLevelItem(item)
        self.assessments.clear()
        sep = "、" if lang == 0 else ", "
        for a in control.assessments(self.db, self.record_id):
            cats = sep.join(name_of({k: v[:2] for k, v in PERSON_RISK_CATEGORIES.items()}, c) for c in a.categories)
            why = a.proposed_reason + (("；" if lang == 0 else "; ") + a.override_reason if a.override_reason else "")
            item = QTreeWidgetItem([when_text(a.assessed_at), a.officer, cats, LEVEL_NAMES[Level(a.proposed_level)][lang],
                                    LEVEL_NAMES[Level(a.confirmed_level)][lang], why])
            item.setBackground(4, self.theme.level_background(a.confirmed_level))
            self.assessments.addTopLevelItem(item)
        self.inner.setTabText(1, _tr("失控·非访·滋事（%1）").replace("%1", str(self.events.topLevelItemCount())))
        live = None if self.fields.get("status") == "active" else _tr("该人员已不在管")
        for key, action in (("check", "control_check"), ("hit", "control_check"), ("status", "control_check"),
                            ("assess", "assess_risk")):
            set_allowed(self.buttons[key], live or self._why_not(action))
        voided = _tr("记录已作废") if self.fields.get("status") == "voided" else None
        set_allowed(self.buttons["event"], voided or self._why_not("person_event"))

    def record_check(self, kind: str) -> StepDialog:
        statuses = (("", _tr("不变")),) + choices(CONTROL_STATUS_NAMES)
        title = _tr("登记核查") if kind == "check" else _tr("天网比中")
        return self._step(title, [
            Input("at", _tr("时间"), "datetime"),
            Input("place", _tr("地点"), default=""),
            Input("outcome", _tr("结果"), "long", default="" if kind == "check" else _tr("比中，轨迹正常")),
            Input("status", _tr("核查后状态"), "choice", statuses, ""),
        ], lambda v: control.record_check(self.db, self.actor, self.record_id, kind, at=v["at"], place=v["place"],
                                          outcome=v["outcome"], status=v["status"] or None))

    def change_status(self) -> StepDialog:
        return self._step(_tr("变更管控状态"), [
            Input("status", _tr("管控状态"), "choice", choices(CONTROL_STATUS_NAMES), "away_reported"),
            Input("reason", _tr("理由"), "long"),
            Input("place", _tr("去向/地点")),
        ], lambda v: control.set_control_status(self.db, self.actor, self.record_id, v["status"], v["reason"],
                                                place=v["place"]))

    def record_event(self) -> StepDialog:
        tiers = (("", _tr("（非访时必填）")),) + choices(PETITION_TIER_NAMES)
        return self._step(_tr("登记事件"), [
            Input("kind", _tr("事件"), "choice", choices(PERSON_EVENT_NAMES), "lost_control"),
            Input("tier", _tr("非访级别"), "choice", tiers, ""),
            Input("occurred_on", _tr("发生日期"), "date"),
            Input("place", _tr("地点")),
            Input("summary", _tr("经过"), "long"),
        ], lambda v: control.record_person_event(self.db, self.actor, self.record_id, v["kind"], v["occurred_on"],
                                                 v["summary"], tier=v["tier"] or None, place=v["place"]),
            intro=_tr("失控、非访、滋事计入统计与晨会简报（零失控、零非访、零滋事）。"))

    def assess(self) -> StepDialog:
        current = tuple(c for c in (self.fields.get("risk_categories") or "").split(",") if c)
        grade = self.fields.get("mental_risk_grade")
        levels = (("", _tr("采用建议等级")),) + tuple((lv.value, LEVEL_NAMES[lv][lang_index()])
                                                  for lv in (Level.RED, Level.ORANGE, Level.YELLOW))
        grades = (("", "—"),) + tuple((str(g), str(g)) for g in range(6))
        return self._step(_tr("风险评估"), [
            Input("categories", _tr("人员类别"), "checks", choices({k: v[:2] for k, v in PERSON_RISK_CATEGORIES.items()}),
                  current),
            Input("grade", _tr("精神病人风险等级"), "choice", grades, "" if grade is None else str(grade)),
            Input("tier", _tr("非访级别"), "choice", (("", "—"),) + choices(PETITION_TIER_NAMES), ""),
            Input("confirmed", _tr("确认等级"), "choice", levels, ""),
            Input("override", _tr("调整理由"), "long", note=_tr("确认等级与建议等级不同时必填")),
            Input("note", _tr("评估意见"), "long"),
        ], lambda v: control.assess_risk(
            self.db, self.actor, self.record_id, v["categories"],
            mental_risk_grade=int(v["grade"]) if v["grade"] else None, petition_tier=v["tier"] or None,
            confirmed_level=v["confirmed"] or None, override_reason=v["override"], note=v["note"]),
            intro=_tr("按人员类别建议预警等级（重大刑事前科、扬言极端、肇事肇祸精神病人3级及以上、"
                      "中联办/部督/省督非访人员为红色；涉退、涉众、五失人员为橙色；一般为黄色），民警确认或说明理由后调整。"))


# -- a dispute's 融调化解 -----------------------------------------------------------------------------
class DisputeWorkPanel(_Panel):
    """融调化解: the mediations (body, mediator, agreement), the hand-over of a 非公安主责 dispute
    with its answer, and the 回访 due after mediation."""

    def __init__(self, db, actor, theme: Theme | None = None, parent: QWidget | None = None):
        super().__init__(db, actor, theme, parent)
        self.state = QLabel()
        self.state.setObjectName("disputeWorkState")
        self.state.setWordWrap(True)
        bar = QHBoxLayout()
        for key, text, handler in (("mediate", _tr("登记调解"), self.mediate), ("handover", _tr("移交部门"), self.hand_over),
                                   ("answer", _tr("登记答复"), self.answer), ("followup", _tr("登记回访"), self.followup)):
            bar.addWidget(self._button(key, text, handler))
        bar.addStretch(1)
        self.mediations = tree([_tr("调解日期"), _tr("调解组织"), _tr("调解人"), _tr("结果"), _tr("登记人"), _tr("协议内容")],
                               "mediations")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 4, 0, 0)
        box.addWidget(self.state)
        box.addLayout(bar)
        box.addWidget(self.mediations, 1)

    def reload(self) -> None:
        f = self.fields
        today = date.today()
        lines, alarm = [], False
        if f.get("handover_department"):
            if f.get("answered_on"):
                lines.append(_tr("已移交%1（%2），%3答复：%4").replace("%1", f["handover_department"])
                             .replace("%2", when_text(f.get("handover_on"))).replace("%3", when_text(f["answered_on"]))
                             .replace("%4", f.get("answer") or ""))
            else:
                late = f.get("answer_due") is not None and f["answer_due"] < today
                alarm |= late
                text = _tr("已移交%1（%2），答复期限%3").replace("%1", f["handover_department"]).replace(
                    "%2", when_text(f.get("handover_on"))).replace("%3", when_text(f.get("answer_due")))
                lines.append(text + (_tr("，已超期") if late else ""))
        if f.get("followup_due") and not f.get("followed_up_on"):
            late = f["followup_due"] < today
            alarm |= late
            lines.append(_tr("回访期限：%1").replace("%1", when_text(f["followup_due"])) + (_tr("（已超期）") if late else ""))
        elif f.get("followed_up_on"):
            lines.append(_tr("已回访：%1，%2").replace("%1", when_text(f["followed_up_on"]))
                         .replace("%2", name_of(SATISFACTION_NAMES, f.get("satisfaction"))))
        self.state.setText("\n".join(lines) or _tr("尚未移交，尚无回访期限"))
        self.state.setStyleSheet(f"color: {self.theme.tokens['overdue.fg']};" if alarm else "")
        self.mediations.clear()
        for m in mediation.mediations(self.db, self.record_id):
            self.mediations.addTopLevelItem(QTreeWidgetItem([m.held_on.isoformat(), m.body, m.mediator,
                                                             name_of(MEDIATION_RESULT_NAMES, m.result), m.officer,
                                                             m.agreement]))
        live = f.get("status") not in ("voided", "converted")
        active = f.get("status") == "active"
        set_allowed(self.buttons["mediate"], (None if live else _tr("该记录已作废或已转为案件")) or self._why_not("mediate"))
        handover = None if active else _tr("该记录已不在办")
        if handover is None and f.get("category") != "non_police":
            handover = _tr("只有非公安主责类纠纷可以移交其他部门")
        if handover is None and f.get("handover_department") and not f.get("answered_on"):
            handover = _tr("已移交，尚待答复")
        set_allowed(self.buttons["handover"], handover or self._why_not("hand_over"))
        waiting = None if f.get("handover_department") and not f.get("answered_on") else _tr("没有待答复的移交")
        set_allowed(self.buttons["answer"], waiting or self._why_not("hand_over"))
        follow = None if f.get("status") == "closed" else _tr("调解完成（绿色）后回访")
        set_allowed(self.buttons["followup"], follow or self._why_not("log_action"))

    def mediate(self) -> StepDialog:
        bodies = ((None, _tr("派出所自行调解")),) + tuple((b.id, b.name) for b in mediation.mediation_bodies(self.db))
        return self._step(_tr("登记调解"), [
            Input("body", _tr("调解组织"), "choice", bodies, bodies[1][0] if len(bodies) > 1 else None),
            Input("mediator", _tr("调解人")),
            Input("held_on", _tr("调解日期"), "date"),
            Input("result", _tr("结果"), "choice", choices(MEDIATION_RESULT_NAMES), "agreed"),
            Input("agreement", _tr("协议内容"), "long"),
        ], lambda v: mediation.record_mediation(self.db, self.actor, self.record_id, body_id=v["body"],
                                                mediator=v["mediator"], agreement=v["agreement"], result=v["result"],
                                                held_on=v["held_on"]))

    def hand_over(self) -> StepDialog:
        from datetime import timedelta

        from app.domain.workflows import ANSWER_DAYS
        return self._step(_tr("移交部门"), [
            Input("department", _tr("移交部门")),
            Input("handed_on", _tr("移交日期"), "date"),
            Input("answer_due", _tr("答复期限"), "date", default=date.today() + timedelta(days=ANSWER_DAYS)),
            Input("note", _tr("说明"), "long"),
        ], lambda v: mediation.hand_over(self.db, self.actor, self.record_id, v["department"], handed_on=v["handed_on"],
                                         answer_due=v["answer_due"], note=v["note"]),
            intro=_tr("非公安主责类纠纷移交主管部门，逾期未答复计为超期。"))

    def answer(self) -> StepDialog:
        return self._step(_tr("登记答复"), [
            Input("answered_on", _tr("答复日期"), "date"),
            Input("answer", _tr("答复内容"), "long"),
        ], lambda v: mediation.record_answer(self.db, self.actor, self.record_id, v["answer"], v["answered_on"]))

    def followup(self) -> StepDialog:
        from app.services.records import record_followup
        return self._step(_tr("登记回访"), [
            Input("on", _tr("回访日期"), "date"),
            Input("satisfaction", _tr("满意度"), "choice", choices(SATISFACTION_NAMES), "satisfied"),
            Input("content", _tr("回访情况"), "long"),
        ], lambda v: record_followup(self.db, self.actor, self.record_id, v["satisfaction"], v["content"], on=v["on"]))


# -- a case's series ---------------------------------------------------------------------------------
class CaseSeriesPanel(_Panel):
    """串并侦查 from a case: the series it is in, similar orange cases, grouping them.

    The candidates are read when the tab is on screen: when it is shown, or at a reload while it
    is. At 1,000,000 records they cost 124-254 ms of a case's opening (app.services.series), and
    most cases are opened for their fields and history, not for this tab."""

    def __init__(self, db, actor, theme: Theme | None = None, parent: QWidget | None = None):
        super().__init__(db, actor, theme, parent)
        #: The case whose candidates the list shows (None: not read since the last reload).
        self.candidates_of: int | None = None
        self.state = QLabel()
        self.state.setObjectName("seriesState")
        self.state.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self._button("new_series", _tr("与所选案件串并…"), self.new_series))
        bar.addWidget(self._button("join_series", _tr("加入串并案…"), self.join_series))
        bar.addStretch(1)
        self.candidates = tree([_tr("案件编号"), _tr("案由"), _tr("地点"), _tr("受案日期"), _tr("相同点")], "seriesCandidates")
        self.candidates.setSelectionMode(QTreeWidget.SelectionMode.ExtendedSelection)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 4, 0, 0)
        box.addWidget(self.state)
        box.addWidget(QLabel(_tr("可串并的橙色案件（案由、地点、时间相近）：")))
        box.addWidget(self.candidates, 1)
        box.addLayout(bar)

    def reload(self) -> None:
        groups = series.series_of_case(self.db, self.record_id)
        status = {"active": _tr("侦查中"), "solved": _tr("已破")}
        self.state.setText(_tr("所属串并案：%1").replace("%1", joined(n + paren(status.get(s, s)) for _i, n, s in groups))
                           if groups else _tr("尚未串并"))
        self.candidates.clear()
        self.candidates_of = None
        if self.isVisible():
            self._fill_candidates()
        why = self._why_not("manage_series")
        set_allowed(self.buttons["new_series"], why)
        active = [g for g in series.list_series(self.db) if g.status == "active" and g.id not in {i for i, *_ in groups}]
        set_allowed(self.buttons["join_series"], why or (None if active else _tr("没有侦查中的串并案")))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.record_id is not None and self.candidates_of != self.record_id:
            self._fill_candidates()

    def _fill_candidates(self) -> None:
        self.candidates.clear()
        for c in series.candidates(self.db, case_id=self.record_id):
            item = QTreeWidgetItem([c.case_no, c.cause, c.place, c.accepted_on.isoformat(), series_shared(c.shared)])
            item.case_id = c.case_id
            self.candidates.addTopLevelItem(item)
        self.candidates_of = self.record_id

    def new_series(self) -> StepDialog:
        picked = [i.case_id for i in self.candidates.selectedItems()]
        cause = self.fields.get("cause") or ""
        return self._step(_tr("新建串并案"), [
            Input("name", _tr("串并案名称"), default=_tr("%1系列案").replace("%1", cause) if cause else ""),
            Input("features", _tr("共同特征"), "long"),
        ], lambda v: series.create_series(self.db, self.actor, v["name"], [self.record_id] + picked,
                                          features=v["features"]),
            intro=_tr("本案与所选的 %1 起案件组成串并案，由您主办。").replace("%1", str(len(picked))))

    def join_series(self) -> StepDialog:
        mine = {i for i, *_ in series.series_of_case(self.db, self.record_id)}
        options = tuple((g.id, g.name) for g in series.list_series(self.db) if g.status == "active" and g.id not in mine)
        return self._step(_tr("加入串并案"), [
            Input("series", _tr("串并案"), "choice", options, options[0][0] if options else None),
            Input("note", _tr("说明"), "long"),
        ], lambda v: series.add_to_series(self.db, self.actor, v["series"], self.record_id, v["note"]))

