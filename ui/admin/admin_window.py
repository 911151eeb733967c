"""系统管理: the administrator sets up and runs the station (details, teams, people, accounts, settings).

Every button calls a service of app/services (org, accounts, settings) or app.ledger.roster; the
services decide who may, validate and audit. A refusal or bad input is shown as the service worded it.
"""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.levels import ROLE_NAMES, Level, Module
from app.domain.permissions import ROLE_LABELS
from app.domain.workflows import CHECK_CADENCE_BOUNDS
from app.errors import StationError
from app.services import accounts as A, org, settings as S
from ui.admin.rows_model import Column, RowsModel
from ui.records.columns import lang_index


def _lang() -> str:
    return "zh" if lang_index() == 0 else "en"


def _role_label(code: str) -> str:
    return ROLE_LABELS.get(code, (code, code))[lang_index()]


class _Page(QWidget):
    """A page of the window: a table of service rows and the buttons acting on the chosen row."""

    changed = Signal()
    """The station's organisation or accounts changed (the other pages and the main window refresh)."""

    def __init__(self, db, actor, columns: list[Column], parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.model = RowsModel(columns, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.buttons = QHBoxLayout()
        box = QVBoxLayout(self)
        box.addLayout(self.buttons)
        box.addWidget(self.table, 1)

    def add_button(self, text: str, slot, needs_row: bool = True) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        button.setProperty("needs_row", needs_row)
        self.buttons.addWidget(button)
        return button

    def finish_buttons(self) -> None:
        self.buttons.addStretch(1)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self._on_table_current_row_changed()

    def _on_table_current_row_changed(self, *_args) -> None:
        has = self.current() is not None
        for i in range(self.buttons.count()):
            w = self.buttons.itemAt(i).widget()
            if isinstance(w, QPushButton) and w.property("needs_row"):
                w.setEnabled(has)

    def current(self):
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def run(self, call) -> bool:
        """Call a service; show its refusal or complaint as it is worded. True on success."""
        try:
            call()
        except StationError as exc:
            QMessageBox.warning(self, self.tr("未完成"), exc.message(_lang()))
            return False
        self.reload()
        self.changed.emit()
        return True

    def reload(self) -> None:
        raise NotImplementedError


def _bounded_form(page: QWidget, form: QFormLayout, save: QPushButton) -> None:
    """A form of a few fields stays readable on a wide screen: at most 720 pixels, top left."""
    holder = QWidget()
    holder.setMaximumWidth(720)
    inner = QVBoxLayout(holder)
    inner.setContentsMargins(0, 0, 0, 0)
    inner.addLayout(form)
    row = QHBoxLayout()
    row.addWidget(save)
    row.addStretch(1)
    inner.addLayout(row)
    box = QVBoxLayout(page)
    box.setContentsMargins(16, 16, 16, 16)
    box.addWidget(holder)
    box.addStretch(1)


# -- station details ---------------------------------------------------------------------------------
class StationPage(QWidget):
    changed = Signal()
    """The station's details were saved."""

    def __init__(self, db, actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.name = QLineEdit()
        self.code = QLineEdit()
        self.code.setMaxLength(12)
        self.code.setPlaceholderText(self.tr("12位数字"))
        self.branch = QLineEdit()
        self.where = QLabel(str(db.path))
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        save = QPushButton(self.tr("保存"))
        save.clicked.connect(self.save)
        form = QFormLayout()
        form.addRow(self.tr("派出所名称："), self.name)
        form.addRow(self.tr("机构代码："), self.code)
        form.addRow(self.tr("所属分局："), self.branch)
        form.addRow(self.tr("数据库文件："), self.where)
        _bounded_form(self, form, save)
        self.reload()

    def reload(self) -> None:
        info = org.station_info(self._db)
        self.name.setText(info.name)
        self.code.setText(info.code)
        self.branch.setText(info.branch_name)

    def save(self) -> bool:
        try:
            org.update_station(self._db, self._actor, name=self.name.text(), code=self.code.text(),
                               branch_name=self.branch.text())
        except StationError as exc:
            QMessageBox.warning(self, self.tr("未保存"), exc.message(_lang()))
            return False
        self.changed.emit()
        return True


# -- teams -------------------------------------------------------------------------------------------
class TeamsPage(_Page):
    def __init__(self, db, actor, parent: QWidget | None = None):
        super().__init__(db, actor, [
            Column(QT_TRANSLATE_NOOP("AdminColumns", "队组"), lambda r: r.name), Column(QT_TRANSLATE_NOOP("AdminColumns", "在岗人数"), lambda r: r.people),
            Column(QT_TRANSLATE_NOOP("AdminColumns", "队长"), lambda r: r.team_leader),
            Column(QT_TRANSLATE_NOOP("AdminColumns", "状态"), lambda r: r.active, lambda v: self.tr("在用") if v else self.tr("已撤销")),
        ], parent)
        self.add_button(self.tr("新建队组…"), self.add_team, needs_row=False)
        self.add_button(self.tr("改名…"), self.rename_team)
        self.add_button(self.tr("撤销队组"), self.retire_team)
        self.finish_buttons()
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(org.team_rows(self._db))

    def add_team(self, name: str | None = None) -> bool:
        if not isinstance(name, str):
            name, ok = QInputDialog.getText(self, self.tr("新建队组"), self.tr("队组名称："))
            if not ok:
                return False
        return self.run(lambda: org.add_team(self._db, name, actor=self._actor))

    def rename_team(self) -> None:
        row = self.current()
        name, ok = QInputDialog.getText(self, self.tr("队组改名"), self.tr("新名称："), text=row.name)
        if ok:
            self.run(lambda: org.rename_team(self._db, self._actor, row.id, name))

    def retire_team(self) -> None:
        row = self.current()
        if QMessageBox.question(self, self.tr("撤销队组"), self.tr("撤销队组“%1”？其记录保留原队组名称。")
                                .replace("%1", row.name)) == QMessageBox.StandardButton.Yes:
            self.run(lambda: org.retire_team(self._db, self._actor, row.id))


# -- people ------------------------------------------------------------------------------------------
class OfficerDialog(QDialog):
    """Name, badge number, team, duty → role (辅警 as assisting staff), mobile."""

    def __init__(self, teams: list[tuple[int, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("添加人员"))
        self.name = QLineEdit()
        self.badge = QLineEdit()
        self.team = QComboBox()
        self.team.addItem(self.tr("（不属于队组）"), None)
        for tid, name in teams:
            self.team.addItem(name, tid)
        self.role = QComboBox()
        for code in ("officer", "team_leader", "leader"):
            self.role.addItem(ROLE_NAMES[code][lang_index()], code)
        self.auxiliary = QCheckBox(self.tr("辅警（协助工作，不能担任责任民警）"))
        self.duty = QLineEdit()
        self.duty.setPlaceholderText(self.tr("如 民警、中队长、所长"))
        self.duty.textChanged.connect(self._on_duty_text_changed)
        self.phone = QLineEdit()
        form = QFormLayout(self)
        form.addRow(self.tr("姓名："), self.name)
        form.addRow(self.tr("警号："), self.badge)
        form.addRow(self.tr("队组："), self.team)
        form.addRow(self.tr("职责："), self.role)
        form.addRow("", self.auxiliary)
        form.addRow(self.tr("职务："), self.duty)
        form.addRow(self.tr("手机："), self.phone)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(420)

    def _on_duty_text_changed(self, text: str) -> None:
        """A duty title the domain knows (所长 → 所领导, 中队长 → 队长, 辅警…) sets the role; others leave it."""
        from app.ledger.roster import DUTY_ROLES

        known = DUTY_ROLES.get(text.strip())
        if known is not None:
            self.role.setCurrentIndex(self.role.findData(known[0]))
            self.auxiliary.setChecked(known[1])


class RetireDialog(QDialog):
    """A person leaves: each open record gets a successor (all to one, or record by record)."""

    def __init__(self, db, person, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("人员离岗：%1").replace("%1", person.name))
        self.records = org.open_records_of(db, person.id)
        people = [o for o in org.list_officers(db) if o.id != person.id]
        intro = QLabel(self.tr("%1 负责的 %2 条在办记录将移交给接手人，每次移交都记入审计日志；其账户将停用。")
                       .replace("%1", person.name).replace("%2", str(len(self.records))))
        intro.setWordWrap(True)
        self.everyone = QComboBox()
        self.everyone.addItem(self.tr("（逐条指定）"), None)
        for o in people:
            self.everyone.addItem(f"{o.name}（{_role_label(o.role)}）", o.id)
        form = QFormLayout()
        form.addRow(self.tr("全部移交给："), self.everyone)
        self.per_record: dict[tuple[str, int], QComboBox] = {}
        slot_names = {"officer_id": self.tr("责任民警"), "team_leader_id": self.tr("队长"),
                      "leader_id": self.tr("所领导")}
        for rec in self.records:
            combo = QComboBox()
            combo.addItem(self.tr("（同上）"), None)
            for o in people:
                combo.addItem(o.name, o.id)
            self.per_record[(rec.module, rec.id)] = combo
            form.addRow(f"{rec.label}（{slot_names[rec.slot]}）", combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addLayout(form)
        box.addWidget(buttons)
        self.setMinimumWidth(480)

    def choice(self) -> tuple[int | None, dict[tuple[str, int], int]]:
        picks = {key: combo.currentData() for key, combo in self.per_record.items() if combo.currentData()}
        return self.everyone.currentData(), picks


class OfficersPage(_Page):
    def __init__(self, db, actor, parent: QWidget | None = None):
        super().__init__(db, actor, [
            Column(QT_TRANSLATE_NOOP("AdminColumns", "姓名"), lambda r: r.name), Column(QT_TRANSLATE_NOOP("AdminColumns", "警号"), lambda r: r.badge_no),
            Column(QT_TRANSLATE_NOOP("AdminColumns", "职责"), lambda r: (r.role, r.auxiliary),
                   lambda v: self.tr("辅警") if v[1] else ROLE_NAMES[v[0]][lang_index()]),
            Column(QT_TRANSLATE_NOOP("AdminColumns", "职务"), lambda r: r.duty), Column(QT_TRANSLATE_NOOP("AdminColumns", "队组"), lambda r: r.team_name), Column(QT_TRANSLATE_NOOP("AdminColumns", "手机"), lambda r: r.phone),
        ], parent)
        self.add_button(self.tr("添加人员…"), self.add_officer, needs_row=False)
        self.add_button(self.tr("导入花名册…"), self.import_roster, needs_row=False)
        self.add_button(self.tr("调整队组…"), self.move_officer)
        self.add_button(self.tr("离岗（移交在办记录）…"), self.retire_officer)
        self.finish_buttons()
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(org.list_officers(self._db))

    def add_officer(self, dialog: OfficerDialog | None = None) -> bool:
        dialog = dialog if isinstance(dialog, OfficerDialog) else OfficerDialog(org.list_teams(self._db), self)
        if dialog.result() != QDialog.DialogCode.Accepted and dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.run(lambda: org.add_officer(
            self._db, dialog.name.text(), dialog.role.currentData(), dialog.team.currentData(), dialog.badge.text(),
            actor=self._actor, duty=dialog.duty.text(), auxiliary=dialog.auxiliary.isChecked(),
            phone=dialog.phone.text()))

    def move_officer(self) -> None:
        row = self.current()
        teams = org.list_teams(self._db)
        names = [n for _, n in teams]
        name, ok = QInputDialog.getItem(self, self.tr("调整队组"), self.tr("%1 调至：").replace("%1", row.name),
                                        names, 0, False)
        if ok:
            tid = dict((n, t) for t, n in teams)[name]
            self.run(lambda: org.move_officer(self._db, self._actor, row.id, tid))

    def retire_officer(self, dialog: RetireDialog | None = None) -> bool:
        row = self.current()
        dialog = dialog if isinstance(dialog, RetireDialog) else RetireDialog(self._db, row, self)
        if dialog.result() != QDialog.DialogCode.Accepted and dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        to, picks = dialog.choice()
        return self.run(lambda: org.retire_officer(self._db, self._actor, row.id, to, picks))

    def import_roster(self, path: str | None = None) -> None:
        from app.ledger.roster import import_roster

        if not isinstance(path, str):
            path, _ = QFileDialog.getOpenFileName(self, self.tr("导入民警花名册"), "",
                                                  self.tr("花名册 (*.xlsx *.csv)"))
            if not path:
                return
        result = {}
        if not self.run(lambda: result.setdefault("report", import_roster(self._db, self._actor, path))):
            return
        report = result["report"]
        self.last_report = report
        lines = [report.summary() if _lang() == "zh" else report.summary_en()]
        rejected = [r for r in report.rows if r.outcome == "rejected"]
        lines += [self.tr("第%1行 %2：%3").replace("%1", str(r.line)).replace("%2", r.name).replace("%3", r.reason)
                  for r in rejected[:30]]
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("花名册导入结果"), "\n".join(lines),
                          QMessageBox.StandardButton.Close, self)
        save = box.addButton(self.tr("保存未导入的行…"), QMessageBox.ButtonRole.ActionRole) if rejected else None
        self.report_box = box
        box.exec()
        if save is not None and box.clickedButton() is save:
            self.save_rejects()

    def save_rejects(self, target: str | None = None) -> None:
        """The rejected rows of the last roster, with the reason, to fix and import again."""
        from app.ledger.roster import write_rejects

        if not isinstance(target, str):
            target, _ = QFileDialog.getSaveFileName(self, self.tr("保存未导入的行"), "花名册-未导入.xlsx",
                                                    self.tr("Excel (*.xlsx);;CSV (*.csv)"))
            if not target:
                return
        write_rejects(self.last_report, target)


# -- accounts ----------------------------------------------------------------------------------------
class AccountDialog(QDialog):
    """A new account: linked to a person (their role), or an administrator or analyst; the initial
    password typed, or generated."""

    def __init__(self, people, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("新建账户"))
        self.username = QLineEdit()
        self.linked = QRadioButton(self.tr("本所人员"))
        self.unlinked = QRadioButton(self.tr("系统管理员或分局研判员"))
        self.linked.setChecked(True)
        self.officer = QComboBox()
        for o in people:
            self.officer.addItem(f"{o.name}（{_role_label(o.role)}，{o.team_name or '-'}）", o.id)
        self.role = QComboBox()
        for code in ("admin", "analyst"):
            self.role.addItem(_role_label(code), code)
        self.generate = QCheckBox(self.tr("自动生成初始密码"))
        self.generate.setChecked(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setEnabled(False)
        self.generate.toggled.connect(lambda on: self.password.setEnabled(not on))
        self.linked.toggled.connect(self._on_linked_toggled)
        form = QFormLayout(self)
        form.addRow(self.tr("用户名："), self.username)
        form.addRow(self.linked, self.officer)
        form.addRow(self.unlinked, self.role)
        form.addRow("", self.generate)
        form.addRow(self.tr("初始密码："), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._on_linked_toggled(True)
        self.setMinimumWidth(460)

    def _on_linked_toggled(self, on: bool) -> None:
        self.officer.setEnabled(self.linked.isChecked())
        self.role.setEnabled(not self.linked.isChecked())


class AccountsPage(_Page):
    #: The last one-time password dialog (tests read it; it is shown once).
    slip = None

    def __init__(self, db, actor, parent: QWidget | None = None):
        super().__init__(db, actor, [
            Column(QT_TRANSLATE_NOOP("AdminColumns", "用户名"), lambda r: r.username), Column(QT_TRANSLATE_NOOP("AdminColumns", "姓名"), lambda r: r.display_name),
            Column(QT_TRANSLATE_NOOP("AdminColumns", "角色"), lambda r: r.role, _role_label), Column(QT_TRANSLATE_NOOP("AdminColumns", "队组"), lambda r: r.team_name),
            Column(QT_TRANSLATE_NOOP("AdminColumns", "状态"), lambda r: r, self._state),
            Column(QT_TRANSLATE_NOOP("AdminColumns", "最近登录"), lambda r: r.last_login_at,
                   lambda v: v.strftime("%Y-%m-%d %H:%M") if v else self.tr("从未登录")),
        ], parent)
        self.add_button(self.tr("新建账户…"), self.add_account, needs_row=False)
        self.add_button(self.tr("重置密码"), lambda: self._one_time(A.reset_password))
        self.add_button(self.tr("解锁"), self.unlock)
        self.add_button(self.tr("停用"), self.disable)
        self.add_button(self.tr("启用"), lambda: self._one_time(A.enable_account))
        self.finish_buttons()
        self.reload()

    def _state(self, r) -> str:
        if not r.active:
            return self.tr("已停用")
        text = self.tr("正常")
        if r.locked_until:
            text += self.tr("，锁定至%1").replace("%1", r.locked_until[11:16])
        if r.must_change_password:
            text += self.tr("，待修改初始密码")
        return text

    def reload(self) -> None:
        self.model.set_rows(A.account_rows(self._db))

    def _show_password(self, new) -> None:
        from ui.admin.dialogs import PasswordSlipDialog

        self.slip = PasswordSlipDialog(org.station_info(self._db).name, new, self)
        self.slip.open()

    def add_account(self, dialog: AccountDialog | None = None) -> bool:
        if not isinstance(dialog, AccountDialog):
            dialog = AccountDialog(org.list_officers(self._db), self)
        if dialog.result() != QDialog.DialogCode.Accepted and dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        result = {}
        password = None if dialog.generate.isChecked() else dialog.password.text()
        if dialog.linked.isChecked():
            call = lambda: A.create_account(self._db, self._actor, dialog.username.text(),  # noqa: E731
                                            officer_id=dialog.officer.currentData(), password=password)
        else:
            call = lambda: A.create_account(self._db, self._actor, dialog.username.text(),  # noqa: E731
                                            role=dialog.role.currentData(), password=password)
        if not self.run(lambda: result.setdefault("new", call())):
            return False
        self._show_password(result["new"])
        return True

    def _one_time(self, service) -> None:
        row = self.current()
        result = {}
        if self.run(lambda: result.setdefault("new", service(self._db, self._actor, row.username))):
            self._show_password(result["new"])

    def unlock(self) -> None:
        row = self.current()
        if self.run(lambda: A.unlock_account(self._db, self._actor, row.username)):
            QMessageBox.information(self, self.tr("解锁"), self.tr("账户 %1 已可登录。").replace("%1", row.username))

    def disable(self) -> None:
        row = self.current()
        if QMessageBox.question(self, self.tr("停用账户"), self.tr("停用账户 %1？它将不能登录，其数据库密钥随即删除；"
                                                               "再次启用时须设新密码。").replace("%1", row.username)) \
                == QMessageBox.StandardButton.Yes:
            self.run(lambda: A.disable_account(self._db, self._actor, row.username))


# -- settings ----------------------------------------------------------------------------------------
class SettingsPage(QWidget):
    changed = Signal()
    """The station's settings were saved."""

    def __init__(self, db, actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.idle = QSpinBox()
        self.idle.setRange(*S.IDLE_RANGE)
        self.idle.setSuffix(self.tr(" 分钟"))
        self.idle.setMaximumWidth(160)
        self.folder = QLineEdit()
        self.folder.setPlaceholderText(self.tr("数据库旁的 backups 文件夹"))
        browse = QPushButton(self.tr("选择…"))
        browse.clicked.connect(self._on_browse_clicked)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        #: (module, level) → days between follow-ups (跟进周期), one grid of modules by levels.
        self.cadence: dict[tuple[Module, Level], QSpinBox] = {}
        form = QFormLayout()
        form.addRow(self.tr("无操作自动锁定："), self.idle)
        form.addRow(self.tr("备份文件夹："), row)
        grid = QGridLayout()
        levels = (Level.RED, Level.ORANGE, Level.YELLOW)
        for c, level in enumerate(levels, start=1):
            grid.addWidget(QLabel(level.zh if lang_index() == 0 else level.en), 0, c, Qt.AlignmentFlag.AlignCenter)
        for r, module in enumerate(Module, start=1):
            grid.addWidget(QLabel(module.zh if lang_index() == 0 else module.en), r, 0)
            for c, level in enumerate(levels, start=1):
                spin = QSpinBox()
                spin.setRange(1, 365)
                spin.setSuffix(self.tr(" 天"))
                self.cadence[(module, level)] = spin
                grid.addWidget(spin, r, c)
        form.addRow(self.tr("跟进周期："), grid)
        #: Level → the 在管在控 check cadence: red in hours, orange and yellow in days.
        self.checks: dict[Level, QSpinBox] = {}
        checks = QHBoxLayout()
        for level in levels:
            lo, hi = CHECK_CADENCE_BOUNDS[level]
            spin = QSpinBox()
            spin.setObjectName(f"check_{level.value}")
            if level == Level.RED:
                spin.setRange(lo, hi)
                spin.setSuffix(self.tr(" 小时"))
            else:
                spin.setRange(lo // 24, hi // 24)
                spin.setSuffix(self.tr(" 天"))
            self.checks[level] = spin
            checks.addWidget(QLabel(level.zh if lang_index() == 0 else level.en))
            checks.addWidget(spin)
        checks.addStretch(1)
        form.addRow(self.tr("重点人员核查周期："), checks)
        save = QPushButton(self.tr("保存"))
        save.clicked.connect(self.save)
        _bounded_form(self, form, save)
        self.reload()

    def reload(self) -> None:
        conf = S.station_settings(self._db)
        self.idle.setValue(conf.idle_minutes)
        self.folder.setText(conf.backup_folder)
        for (module, level), spin in self.cadence.items():
            spin.setValue(conf.cadence_by_module[module][level] or 1)
        for level, spin in self.checks.items():
            hours = conf.check_cadence[level]
            spin.setValue(hours if level == Level.RED else hours // 24)

    def _on_browse_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("备份文件夹"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def save(self) -> bool:
        cadence: dict[Module, dict[Level, int]] = {}
        for (module, level), spin in self.cadence.items():
            cadence.setdefault(module, {})[level] = spin.value()
        checks = {level: spin.value() if level == Level.RED else spin.value() * 24
                  for level, spin in self.checks.items()}
        try:
            S.save_station_settings(self._db, self._actor, idle_minutes=self.idle.value(),
                                    backup_folder=self.folder.text(), cadence_by_module=cadence, check_hours=checks)
        except StationError as exc:
            QMessageBox.warning(self, self.tr("未保存"), exc.message(_lang()))
            return False
        self.reload()
        self.changed.emit()
        return True


class AdminWindow(QDialog):
    """系统管理 (administrator only): station details, teams, people, accounts and settings."""

    changed = Signal()
    """Something of the organisation changed (the main window refreshes its lists)."""

    def __init__(self, db, actor, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("系统管理"))
        self.tabs = QTabWidget()
        self.station = StationPage(db, actor)
        self.teams = TeamsPage(db, actor)
        self.officers = OfficersPage(db, actor)
        self.accounts = AccountsPage(db, actor)
        self.settings = SettingsPage(db, actor)
        for page, name in ((self.station, self.tr("派出所信息")), (self.teams, self.tr("队组管理")),
                           (self.officers, self.tr("人员管理")), (self.accounts, self.tr("账户管理")),
                           (self.settings, self.tr("系统设置"))):
            self.tabs.addTab(page, name)
            page.changed.connect(self._on_page_changed)
        box = QVBoxLayout(self)
        box.addWidget(self.tabs)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        box.addWidget(close)
        self.resize(960, 640)

    def _on_page_changed(self) -> None:
        for page in (self.teams, self.officers, self.accounts):
            page.reload()
        self.changed.emit()
