"""The import wizard: pick the file, check the sheet and header (every sheet of a workbook listed with
its guessed module, several imported in one go), map columns, values and officers (remembered per
station and per file shape), preview every row's outcome, import in one transaction, keep the report."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.domain.levels import Module
from app.errors import StationError
from app.ledger.fields import FIELDS, field_specs, value_targets
from app.ledger.importer import (
    CLOSING_DATE,
    OUTCOME_NAMES,
    ImportReport,
    LedgerPlan,
    SheetGuess,
    guess_sheets,
    officer_questions,
    plan_import,
    run_imports,
    write_rejects,
)
from app.ledger.mapping import LedgerMapping, mapping_for_columns, parse_mapping
from app.ledger.memory import save_mapping, saved_mapping
from app.ledger.reader import LedgerFile, read_ledger
from app.ledger.template import write_template
from app.ledger.values import text_of
from ui.common.task_runner import Task, run_task, worker_database
from ui.common.theme import current

MODULES = (Module.CASE, Module.DISPUTE, Module.PERSON)
PREVIEW_ROWS = 20
IGNORE = ""
#: Page ids: one column/value/officer trio per sheet being imported, the first at 2-4.
FILE_ID, SHEET_ID, PREVIEW_ID, REPORT_ID = 0, 1, 1000, 1001
EXTRA_BASE = 10


def _job_page_ids(index: int) -> tuple[int, int, int]:
    base = 2 if index == 0 else EXTRA_BASE + 3 * index
    return base, base + 1, base + 2


@dataclass
class SheetJob:
    """One sheet being imported: its module, the plan and the mapping chosen for it."""

    sheet: str
    module: Module
    plan: LedgerPlan | None = None
    mapping: LedgerMapping = field(default_factory=LedgerMapping)
    remembered: bool = False

    def replan(self, ledger: LedgerFile, header_line: int | None = None) -> LedgerPlan:
        self.plan = plan_import(ledger, self.module, self.mapping, self.sheet, header_line)
        return self.plan

    def apply_remembered(self, db, ledger: LedgerFile) -> None:
        """The mapping this station saved for this shape of ledger, if any (then planned again)."""
        saved = saved_mapping(db, self.module, self.plan.header.titles)
        self.remembered = saved is not None
        self.mapping = saved or LedgerMapping()
        self.replan(ledger, self.plan.header.line(self.plan.sheet))


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setTabKeyNavigation(False)
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.verticalHeader().hide()
    t.horizontalHeader().setStretchLastSection(True)
    return t


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {current().tokens['overdue.fg']};")
    return label


class LedgerImportWizard(QWizard):
    """Brings one ledger in; `imported` carries the module's code once records were written."""

    imported = Signal(str)
    """Emitted after an import that wrote records, with the module code ("case", …)."""
    previewed = Signal()
    """The preview (a rolled-back run on a worker) has finished, shown or failed."""
    import_finished = Signal()
    """The import has finished, written, failed or cancelled; the report page shows which."""

    def __init__(self, db, actor=None, parent: QWidget | None = None, path: str | None = None,
                 module: Module = Module.CASE):
        super().__init__(parent)
        from app.services.org import default_actor

        self.db = db
        self.actor = actor or default_actor(db)
        self.ledger: LedgerFile | None = None
        self.jobs: list[SheetJob] = []
        self.extra_pages: list[int] = []
        self.guesses: list[SheetGuess] = []
        self.previews: list[ImportReport] = []
        self.reports: list[ImportReport] = []
        self.task: Task | None = None
        self.setWindowTitle(self.tr("导入台账"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(1100, 720)
        self.file_page = FilePage(self, path, module)
        self.sheet_page = SheetPage(self)
        self.column_page = ColumnPage(self, 0)
        self.value_page = ValuePage(self, 0)
        self.officer_page = OfficerPage(self, 0)
        self.preview_page = PreviewPage(self)
        self.report_page = ReportPage(self)
        for pid, page in ((FILE_ID, self.file_page), (SHEET_ID, self.sheet_page),
                          *zip(_job_page_ids(0), (self.column_page, self.value_page, self.officer_page)),
                          (PREVIEW_ID, self.preview_page), (REPORT_ID, self.report_page)):
            self.setPage(pid, page)

    @property
    def module(self) -> Module:
        return self.jobs[0].module if self.jobs else self.file_page.module()

    @property
    def plan(self) -> LedgerPlan | None:
        return self.jobs[0].plan if self.jobs else None

    @property
    def mapping(self) -> LedgerMapping:
        return self.jobs[0].mapping

    @property
    def remembered(self) -> bool:
        return bool(self.jobs) and self.jobs[0].remembered

    @property
    def preview(self) -> ImportReport | None:
        return self.previews[0] if self.previews else None

    @property
    def report(self) -> ImportReport | None:
        return self.reports[0] if self.reports else None

    def set_extra_sheets(self, sheets: list[SheetGuess]) -> None:
        """Import these sheets too, each with its own column, value and officer pages."""
        for pid in self.extra_pages:
            self.removePage(pid)
        self.extra_pages = []
        del self.jobs[1:]
        for k, guess in enumerate(sheets, start=1):
            job = SheetJob(guess.name, guess.module)
            job.replan(self.ledger)
            job.apply_remembered(self.db, self.ledger)
            self.jobs.append(job)
            for pid, page in zip(_job_page_ids(k), (ColumnPage(self, k), ValuePage(self, k), OfficerPage(self, k))):
                self.setPage(pid, page)
                self.extra_pages.append(pid)

    def run_in_worker(self, dry_run: bool, on_done, label: str) -> None:
        """run_imports on a worker with its own connection, progress and cancel from the runner:
        every chosen sheet in one transaction."""
        db, actor, plans = self.db, self.actor, [job.plan for job in self.jobs]

        def work(progress, cancelled):
            with worker_database(db) as own:
                return run_imports(own, actor, plans, dry_run=dry_run, progress=progress, cancelled=cancelled)

        task = None

        def deliver(report, message):
            if self.task is task:  # a run superseded by Back and Next again is ignored
                on_done(report, message)

        task = self.task = run_task(work, parent=self, label=label,
                                    on_success=lambda report: deliver(report, None),
                                    on_failure=lambda message, _exc: deliver(None, message))

    def done(self, result: int) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()  # run_import checks the token per row and rolls everything back
            self.task.wait()
        super().done(result)

    def replan(self, sheet: str | None = None, header_line: int | None = None) -> LedgerPlan:
        """Work out the first sheet's plan again with its mapping (after a change of sheet, header or mapping)."""
        job = self.jobs[0]
        if sheet is not None:
            job.sheet = sheet
        return job.replan(self.ledger, header_line)


class FilePage(QWizardPage):
    def __init__(self, wizard: LedgerImportWizard, path: str | None, module: Module):
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("选择台账文件"))
        self.setSubTitle(self.tr("支持 Excel（.xlsx）和 CSV（UTF-8 或 GBK/GB18030）。表头上方的标题行、空行和合计行会自动跳过。"))
        self.path_edit = QLineEdit(path or "")
        self.path_edit.setPlaceholderText(self.tr("台账文件路径"))
        self.path_edit.textChanged.connect(self.completeChanged)
        browse = QPushButton(self.tr("浏览…"))
        browse.clicked.connect(self._on_browse_clicked)
        self.module_combo = QComboBox()
        for m in MODULES:
            self.module_combo.addItem(m.zh, m.value)
        self.module_combo.setCurrentIndex(MODULES.index(module))
        self.template_button = QPushButton(self.tr("生成空白台账模板…"))
        self.template_button.clicked.connect(self._on_template_clicked)
        self.error = _error_label()
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("台账文件："), row)
        form.addRow(self.tr("台账类型："), self.module_combo)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.template_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.error)
        box.addStretch(1)

    def module(self) -> Module:
        return Module(self.module_combo.currentData())

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip())

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择台账文件"), "",
                                              self.tr("台账 (*.xlsx *.csv);;所有文件 (*)"))
        if path:
            self.path_edit.setText(path)

    def _on_template_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存空白台账模板"),
                                              f"{self.module().zh}台账模板.xlsx", self.tr("Excel (*.xlsx)"))
        if path:
            write_template(self.module(), path)
            self.error.setText("")

    def validatePage(self) -> bool:
        w = self._wizard
        try:
            w.ledger = read_ledger(self.path_edit.text().strip())
            first = plan_import(w.ledger, self.module())
            w.set_extra_sheets([])
            w.jobs = [SheetJob(first.sheet.name, self.module(), first)]
            w.guesses = guess_sheets(w.ledger) if w.ledger.kind == "xlsx" else []
        except StationError as exc:
            self.error.setText(exc.zh)
            return False
        self.error.setText("")
        return True


class SheetPage(QWizardPage):
    def __init__(self, wizard: LedgerImportWizard):
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("工作表与表头"))
        self.setSubTitle(self.tr("确认表头所在的行（加粗显示）。表头以下的每一行都会被导入或说明原因。"))
        self.sheet_combo = QComboBox()
        self.header_spin = QSpinBox()
        self.header_spin.setMinimum(1)
        self.header_spin.setMinimumWidth(72)
        self.info = QLabel()
        self.error = _error_label()
        self.table = QTableWidget()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between rows
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sheets_label = QLabel(self.tr("工作簿中的工作表（勾选的将一并导入，各自确认映射，在同一次导入中写入）："))
        self.sheets = _table([self.tr("一并导入"), self.tr("工作表"), self.tr("识别为"), self.tr("表头行"),
                              self.tr("数据行数")])
        self.sheet_checks: dict[str, QCheckBox] = {}
        form = QHBoxLayout()
        form.addWidget(QLabel(self.tr("工作表：")))
        form.addWidget(self.sheet_combo, 1)
        form.addSpacing(16)
        form.addWidget(QLabel(self.tr("表头在第")))
        form.addWidget(self.header_spin)
        form.addWidget(QLabel(self.tr("行")))
        form.addStretch(2)
        box = QVBoxLayout(self)
        box.addWidget(self.sheets_label)
        box.addWidget(self.sheets)
        box.addLayout(form)
        box.addWidget(self.info)
        box.addWidget(self.error)
        box.addWidget(self.table, 1)
        self.sheet_combo.currentTextChanged.connect(self._on_sheet_combo_changed)
        self.header_spin.valueChanged.connect(self._on_header_spin_changed)
        self._loading = False

    def initializePage(self) -> None:
        w = self._wizard
        self._loading = True
        self.sheet_combo.clear()
        self.sheet_combo.addItems(w.ledger.sheet_names)
        self.sheet_combo.setCurrentText(w.plan.sheet.name)
        self.sheet_combo.setEnabled(len(w.ledger.sheet_names) > 1)
        self._loading = False
        self._apply_remembered()
        self._show()
        self._show_sheets()

    def _show_sheets(self) -> None:
        """Every sheet with its guessed module; the others that look like ledgers may be ticked."""
        w = self._wizard
        guesses = w.guesses
        several = len(guesses) > 1
        self.sheets_label.setVisible(several)
        self.sheets.setVisible(several)
        self.sheets.setRowCount(len(guesses))
        self.sheet_checks = {}
        current = w.jobs[0].sheet
        for r, g in enumerate(guesses):
            check = QCheckBox()
            check.setEnabled(g.module is not None and g.name != current)
            check.setChecked(g.name == current)
            self.sheet_checks[g.name] = check
            self.sheets.setCellWidget(r, 0, check)
            module = g.module.zh if g.module is not None else self.tr("不是台账（不导入）")
            for c, text in enumerate((g.name, module, str(g.header_line or ""), str(g.rows)), start=1):
                item = QTableWidgetItem(text)
                if c >= 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.sheets.setItem(r, c, item)
        self.sheets.resizeColumnsToContents()
        self.sheets.horizontalHeader().setStretchLastSection(False)
        self.sheets.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        rows = min(len(guesses), 8)  # every sheet visible without a scroll bar (up to eight)
        self.sheets.setFixedHeight(self.sheets.horizontalHeader().height() + 2 * self.sheets.frameWidth()
                                   + sum(self.sheets.rowHeight(r) for r in range(rows)))

    def tick_sheet(self, name: str, on: bool = True) -> None:
        """Tick (or untick) a sheet to import with the first one, as a person does."""
        self.sheet_checks[name].setChecked(on)

    def validatePage(self) -> bool:
        w = self._wizard
        chosen = [g for g in w.guesses if g.module is not None and g.name != w.jobs[0].sheet
                  and self.sheet_checks.get(g.name) is not None and self.sheet_checks[g.name].isChecked()]
        try:
            w.set_extra_sheets(chosen)
        except StationError as exc:
            self.error.setText(exc.zh)
            return False
        return True

    def _apply_remembered(self) -> None:
        w = self._wizard
        w.jobs[0].apply_remembered(w.db, w.ledger)

    def _on_sheet_combo_changed(self, name: str) -> None:
        if self._loading or not name:
            return
        self._replan(name, None)

    def _on_header_spin_changed(self, line: int) -> None:
        if self._loading:
            return
        self._replan(self.sheet_combo.currentText(), line)

    def _replan(self, sheet: str, line: int | None) -> None:
        w = self._wizard
        try:
            guess = next((g for g in w.guesses if g.name == sheet and g.module), None)
            if guess is not None and line is None:
                w.jobs[0].module = guess.module  # another sheet: the module its header looks like
            w.replan(sheet, line)
            self._apply_remembered()
            self.error.setText("")
        except StationError as exc:
            self.error.setText(exc.zh)
        self._show()
        self._show_sheets()
        self.completeChanged.emit()

    def _show(self) -> None:
        plan = self._wizard.plan
        sheet = plan.sheet
        self._loading = True
        self.header_spin.setMaximum(max(1, sheet.lines[-1] if sheet.lines else 1))
        self.header_spin.setValue(plan.header.line(sheet))
        self._loading = False
        data = len(list(plan.data_indexes()))
        self.info.setText(self.tr("识别为%3台账：%1 个已知列，表头以下共 %2 行。").replace("%1", str(plan.header.matched))
                          .replace("%2", str(data)).replace("%3", plan.module.zh))
        width = min(sheet.width, 40)
        rows = sheet.rows[:max(PREVIEW_ROWS, plan.header.index + 8)]
        self.table.setColumnCount(width + 0)
        self.table.setRowCount(len(rows))
        self.table.setVerticalHeaderLabels([str(sheet.lines[i]) for i in range(len(rows))])
        bold = QFont(self.table.font())
        bold.setBold(True)
        header_bg = current().color("header.bg")
        for r, row in enumerate(rows):
            for c in range(width):
                text = text_of(row[c]) if c < len(row) else ""
                if r < plan.header.index and c and c < len(row) and row[c] == row[c - 1]:
                    text = ""  # a merged title row: its text once, as Excel shows it
                item = QTableWidgetItem(text)
                if r == plan.header.index:
                    item.setFont(bold)
                    item.setBackground(header_bg)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()

    def isComplete(self) -> bool:
        return not self.error.text()


class _JobPage(QWizardPage):
    """A page about one sheet being imported (the first, or one ticked on the sheet page)."""

    def __init__(self, wizard: LedgerImportWizard, index: int):
        super().__init__()
        self._wizard = wizard
        self.index = index

    @property
    def job(self) -> SheetJob:
        return self._wizard.jobs[self.index]

    def sheet_note(self) -> str:
        if len(self._wizard.jobs) < 2:
            return ""
        return QCoreApplication.translate("LedgerImportWizard", "工作表“%1”（%2台账）").replace(
            "%1", self.job.sheet).replace("%2", self.job.module.zh)


class ColumnPage(_JobPage):
    def __init__(self, wizard: LedgerImportWizard, index: int = 0):
        super().__init__(wizard, index)
        self.setTitle(self.tr("列映射"))
        self.setSubTitle(self.tr("常用的列名已自动对应；其余的列请选择对应的字段，或选“不导入”。选择按本所、按表头记住，下次自动套用。"))
        self.notice = QLabel()
        self.table = _table([self.tr("台账中的列"), self.tr("示例"), self.tr("对应字段")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.defaults_box = QWidget()
        self.defaults_form = QFormLayout(self.defaults_box)
        self.defaults_form.setContentsMargins(0, 0, 0, 0)
        self.missing = _error_label()
        self.combos: list[QComboBox] = []
        self.default_edits: dict[str, QWidget] = {}
        self.optional_keys: set[str] = set()
        box = QVBoxLayout(self)
        box.addWidget(self.notice)
        box.addWidget(self.table, 1)
        box.addWidget(self.missing)
        box.addWidget(self.defaults_box)

    def initializePage(self) -> None:
        job = self.job
        plan = job.plan
        notes = [self.sheet_note(), self.tr("已套用上次为同样表头保存的映射。") if job.remembered else ""]
        self.notice.setText("　".join(n for n in notes if n))
        specs = FIELDS[job.module]
        titles = plan.header.titles
        sample_row = next((plan.sheet.rows[i] for i in plan.data_indexes()), [])
        self.table.setRowCount(len(titles))
        self.combos = []
        for c, title in enumerate(titles):
            self.table.setItem(c, 0, QTableWidgetItem(title or self.tr("（第%1列，无标题）").replace("%1", str(c + 1))))
            self.table.setItem(c, 1, QTableWidgetItem(text_of(sample_row[c]) if c < len(sample_row) else ""))
            combo = QComboBox()
            combo.addItem(self.tr("不导入"), IGNORE)
            for spec in specs:
                combo.addItem(spec.zh + ("*" if spec.required else ""), spec.key)
            combo.setCurrentIndex(max(0, combo.findData(plan.columns.get(c, IGNORE))))
            combo.currentIndexChanged.connect(self._on_combo_changed)
            self.table.setCellWidget(c, 2, combo)
            self.combos.append(combo)
        self.table.resizeRowsToContents()
        self._refresh_missing()

    def chosen_columns(self) -> dict[int, str]:
        return {c: combo.currentData() for c, combo in enumerate(self.combos) if combo.currentData() != IGNORE}

    def _on_combo_changed(self, _index: int) -> None:
        self._refresh_missing()

    def _defaults(self) -> dict[str, str]:
        out = {}
        for key, widget in self.default_edits.items():
            value = widget.currentData() if isinstance(widget, QComboBox) else widget.text().strip()
            if value:
                out[key] = value
        return out

    def _refresh_missing(self) -> None:
        """Required fields without a column: name them and offer a value for the whole ledger."""
        job = self.job
        chosen = set(self.chosen_columns().values())
        specs = field_specs(job.module)
        need = [s for s in specs.values() if s.required and s.key not in chosen
                and not (s.key == "level" and "status" in chosen)]
        # A status column says which rows are closed (or converted): their date, when the ledger has
        # no column for it, may be given once for the whole ledger (its cut-off day).
        optional = [specs[k] for k in (CLOSING_DATE[job.module], "case_kind") if k in specs and k not in chosen
                    and "status" in chosen]
        self.optional_keys = {s.key for s in optional}
        kept = self._defaults()
        while self.defaults_form.rowCount():
            self.defaults_form.removeRow(0)
        self.default_edits = {}
        for spec in need + optional:
            targets = value_targets(job.module, spec.key)
            if targets:
                widget = QComboBox()
                widget.addItem(self.tr("（请选择）"), "")
                for label in targets.values():
                    widget.addItem(label, label)
                widget.setCurrentIndex(max(0, widget.findData(kept.get(spec.key, job.mapping.defaults.get(spec.key)))))
                widget.currentIndexChanged.connect(self.completeChanged)
            else:
                widget = QLineEdit(kept.get(spec.key, job.mapping.defaults.get(spec.key, "")))
                widget.setPlaceholderText(spec.example)
                widget.textChanged.connect(self.completeChanged)
            self.default_edits[spec.key] = widget
            if spec.key in self.optional_keys:
                label = self.tr("已办结、已转案的行没有%1时，按此日期（如台账截止日期）：") if spec.kind == "date" else \
                    self.tr("转案件的行新建案件时的%1：")
                if isinstance(widget, QLineEdit):
                    widget.setPlaceholderText("2025-12-31")
                self.defaults_form.addRow(label.replace("%1", spec.zh), widget)
            else:
                self.defaults_form.addRow(self.tr("整本台账的%1：").replace("%1", spec.zh), widget)
        self.missing.setText(self.tr("台账中没有这些必填列：%1。请为它们选择对应的列，或在下面为整本台账填写一个值。")
                             .replace("%1", "、".join(s.zh for s in need)) if need else "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return all(k in self._defaults() for k in self.default_edits if k not in self.optional_keys)

    def validatePage(self) -> bool:
        job = self.job
        mapping = mapping_for_columns(job.module, job.plan.header.titles, self.chosen_columns(), job.mapping)
        kept = {k: v for k, v in job.mapping.defaults.items() if k not in self.default_edits}
        try:
            labels = {k: s.zh for k, s in field_specs(job.module).items()}
            parsed = parse_mapping(job.module, {"columns": mapping.columns, "values": mapping.values, "defaults": {
                labels[k]: v for k, v in {**kept, **self._defaults()}.items()}})
            parsed.officers, parsed.new_officers = dict(job.mapping.officers), dict(job.mapping.new_officers)
            job.mapping = parsed
            job.replan(self._wizard.ledger, job.plan.header.line(job.plan.sheet))
        except StationError as exc:
            self.missing.setText(exc.zh)
            return False
        return True


class ValuePage(_JobPage):
    def __init__(self, wizard: LedgerImportWizard, index: int = 0):
        super().__init__(wizard, index)
        self.setTitle(self.tr("值映射"))
        self.setSubTitle(self.tr("这些值系统不认识（例如 高/中/低）。请指定各自的含义；不指定的值所在的行不会导入，并在报告中说明。"))
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.table = _table([self.tr("字段"), self.tr("台账中的值"), self.tr("行数"), self.tr("对应为")])
        self.combos: list[tuple[str, str, QComboBox]] = []
        box = QVBoxLayout(self)
        box.addWidget(self.info)
        box.addWidget(self.table, 1)

    def initializePage(self) -> None:
        job = self.job
        unknown = job.plan.unknown_values()
        specs = field_specs(job.module)
        rows = [(key, value, n) for key, values in unknown.items() for value, n in values.items()]
        kept = job.plan.kept_focus_areas()
        rows += [("focus_area", value, n) for value, n in kept.items()]
        text = self.tr("所有值都能识别，无需映射。") if not rows else \
            self.tr("共 %1 个值需要指定。").replace("%1", str(len(rows)))
        if kept:
            text += self.tr("重点领域不在系统列表中的（%1）不指定时记为“其他”，原文保留在简要情况中。").replace(
                "%1", "、".join(kept))
        self.info.setText("　".join(t for t in (self.sheet_note(), text) if t))
        self.table.setRowCount(len(rows))
        self.combos = []
        for r, (key, value, n) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(specs[key].zh))
            self.table.setItem(r, 1, QTableWidgetItem(value))
            count = QTableWidgetItem(str(n))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(r, 2, count)
            combo = QComboBox()
            combo.addItem(self.tr("（保留原文，记为“其他”）") if key == "focus_area" else self.tr("（不指定：该行不导入）"), "")
            for code, label in value_targets(job.module, key).items():
                combo.addItem(label, code)
            self.table.setCellWidget(r, 3, combo)
            self.combos.append((key, value, combo))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)

    def choose(self, field: str, value: str, code: str) -> None:
        """Pick the meaning of one ledger value (what a person does with the drop-down)."""
        for key, v, combo in self.combos:
            if key == field and v == value:
                combo.setCurrentIndex(combo.findData(code))
                return
        raise KeyError((field, value))

    def validatePage(self) -> bool:
        job = self.job
        for key, value, combo in self.combos:
            if combo.currentData():
                job.mapping.values.setdefault(key, {})[value] = combo.currentData()
        job.replan(self._wizard.ledger, job.plan.header.line(job.plan.sheet))
        return True


#: What an officer writing may become on the officer page (the combo's data is (action, target)).
_REJECT, _MAP, _ADD = "reject", "map", "add"


class OfficerPage(_JobPage):
    """Officers the ledger names who are not on the roster: map each to an officer, add them to the
    roster in a team, or reject their rows. The choice is remembered for the whole station."""

    def __init__(self, wizard: LedgerImportWizard, index: int = 0):
        super().__init__(wizard, index)
        self.setTitle(self.tr("民警对应"))
        self.setSubTitle(self.tr("台账中这些民警的写法不在本所民警名单中（如“陈警官”、警号、错别字）。请指定对应的民警、添加到名单，"
                                 "或不导入这些行。选择按本所记住。"))
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.error = _error_label()
        self.table = _table([self.tr("台账中的写法"), self.tr("行数"), self.tr("处理")])
        self.combos: list[tuple[str, QComboBox]] = []
        box = QVBoxLayout(self)
        box.addWidget(self.info)
        box.addWidget(self.table, 1)
        box.addWidget(self.error)

    def initializePage(self) -> None:
        from app.services.org import list_officers, list_teams

        w = self._wizard
        questions = officer_questions(w.db, self.job.plan)
        officers = list_officers(w.db)
        teams = list_teams(w.db)
        text = self.tr("台账中的民警都在名单中，无需指定。") if not questions else \
            self.tr("共 %1 种写法需要指定。").replace("%1", str(len(questions)))
        self.info.setText("　".join(t for t in (self.sheet_note(), text) if t))
        self.error.setText("")
        self.table.setRowCount(len(questions))
        self.combos = []
        for r, q in enumerate(questions):
            self.table.setItem(r, 0, QTableWidgetItem(q.text))
            count = QTableWidgetItem(str(q.rows))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(r, 1, count)
            combo = QComboBox()
            combo.addItem(self.tr("不导入这些行"), f"{_REJECT}\t")
            for o in officers:
                label = o.name + (f"（{o.team_name}）" if o.team_name else "") + (f" {o.badge_no}" if o.badge_no else "")
                combo.addItem(self.tr("对应为：%1").replace("%1", label), f"{_MAP}\t{o.badge_no or o.name}")
                if o.id == q.suggestion_id:
                    combo.setCurrentIndex(combo.count() - 1)
            for _tid, team in teams:
                combo.addItem(self.tr("添加到名单：%1").replace("%1", team), f"{_ADD}\t{team}")
            self.table.setCellWidget(r, 2, combo)
            self.combos.append((q.text, combo))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)

    def choose(self, text: str, action: str, target: str = "") -> None:
        """Pick what one officer writing becomes (what a person does with the drop-down)."""
        for name, combo in self.combos:
            if name == text:
                combo.setCurrentIndex(combo.findData(f"{action}\t{target}"))
                return
        raise KeyError(text)

    def validatePage(self) -> bool:
        w = self._wizard
        job = self.job
        for name, combo in self.combos:
            action, target = combo.currentData().split("\t", 1)
            job.mapping.officers.pop(name, None)
            job.mapping.new_officers.pop(name, None)
            if action == _REJECT:
                job.mapping.officers[name] = None
            elif action == _MAP:
                job.mapping.officers[name] = target
            else:
                job.mapping.new_officers[name] = target
        job.replan(w.ledger, job.plan.header.line(job.plan.sheet))
        try:
            save_mapping(w.db, w.actor, job.module, job.plan.header.titles, job.mapping)
        except StationError as exc:  # not remembered (e.g. a role that may not save): the import goes on
            self.error.setText(self.tr("映射未能保存：%1").replace("%1", exc.zh))
        return True


def _fill_report(table: QTableWidget, reports: list[ImportReport]) -> None:
    theme = current()
    colours = {"rejected": theme.color("overdue.fg"), "skipped": theme.color("text.muted")}
    from ui.records.columns import lang_index

    lang = lang_index()
    rows = [(report, row) for report in reports for row in report.rows]
    several = len(reports) > 1
    table.setRowCount(len(rows))
    for r, (report, row) in enumerate(rows):
        words = "；".join(p for p in (row.reason, *row.notes) if p)
        line = f"{report.sheet} {row.line}" if several else str(row.line)
        items = [QTableWidgetItem(line), QTableWidgetItem(OUTCOME_NAMES[row.outcome][lang]),
                 QTableWidgetItem(row.label),
                 QTableWidgetItem(words)]
        items[0].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for c, item in enumerate(items):
            if row.outcome in colours:
                item.setForeground(colours[row.outcome])
            item.setToolTip(words)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)


def _summary(reports: list[ImportReport]) -> str:
    """The report's sentence in the window's language (the rows' reasons are the app's Chinese)."""
    from ui.records.columns import lang_index

    english = lang_index() == 1

    def one(r: ImportReport) -> str:
        return r.summary_en() if english else r.summary()

    if len(reports) == 1:
        return one(reports[0])
    return "\n".join(f"{r.sheet}{': ' if english else '：'}{one(r)}" for r in reports)


class PreviewPage(QWizardPage):
    def __init__(self, wizard: LedgerImportWizard):
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("预览"))
        self.setSubTitle(self.tr("下面是每一行将得到的结果，尚未写入数据库。确认后点“导入”。"))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("导入"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = _table([self.tr("行号"), self.tr("结果"), self.tr("编号/姓名"), self.tr("说明")])
        box = QVBoxLayout(self)
        box.addWidget(self.summary)
        box.addWidget(self.table, 1)

    def initializePage(self) -> None:
        w = self._wizard
        w.previews = []
        self.summary.setText(self.tr("正在预览…"))
        self.table.setRowCount(0)
        self.completeChanged.emit()
        w.run_in_worker(True, self._on_preview_done, self.tr("正在预览台账…"))

    def _on_preview_done(self, reports: list[ImportReport] | None, message: str | None) -> None:
        w = self._wizard
        w.previews = reports or []
        if reports is not None:
            self.summary.setText(_summary(reports))
            _fill_report(self.table, reports)
        else:
            self.summary.setText(message)
            self.table.setRowCount(0)
        self.completeChanged.emit()
        w.previewed.emit()

    def isComplete(self) -> bool:
        """Nothing to add is never offered as an import."""
        return any(r.added > 0 for r in self._wizard.previews)


class ReportPage(QWizardPage):
    def __init__(self, wizard: LedgerImportWizard):
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("导入结果"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = _table([self.tr("行号"), self.tr("结果"), self.tr("编号/姓名"), self.tr("说明")])
        self.rejects_button = QPushButton(self.tr("保存未导入的行…"))
        self.rejects_button.setToolTip(self.tr("保存为与原台账相同列的文件，改正后可再次导入"))
        self.rejects_button.clicked.connect(self._on_rejects_clicked)
        self.saved = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.rejects_button)
        row.addWidget(self.saved, 1)
        box = QVBoxLayout(self)
        box.addWidget(self.summary)
        box.addWidget(self.table, 1)
        box.addLayout(row)

    def initializePage(self) -> None:
        w = self._wizard
        w.reports = []
        self.summary.setText(self.tr("正在导入…"))
        self.rejects_button.setEnabled(False)
        self.completeChanged.emit()
        w.run_in_worker(False, self._on_import_done, self.tr("正在导入台账…"))

    def isComplete(self) -> bool:
        """完成 waits for the import to end."""
        return self._wizard.task is None or not self._wizard.task.running

    def _on_import_done(self, reports: list[ImportReport] | None, message: str | None) -> None:
        w = self._wizard
        w.reports = reports or []
        if reports is not None:
            self.summary.setText(_summary(reports))
            _fill_report(self.table, reports)
        else:
            self.summary.setText(self.tr("导入失败，没有写入任何记录：%1").replace("%1", message))
        self.rejects_button.setEnabled(any(r.rejected for r in w.reports))
        self.completeChanged.emit()
        for module in dict.fromkeys(r.module.value for r in w.reports if r.added):
            w.imported.emit(module)
        w.import_finished.emit()

    def default_rejects_path(self) -> Path:
        src = self._wizard.plan.file.path
        suffix = ".csv" if src.suffix.lower() == ".csv" else ".xlsx"
        return src.with_name(f"{src.stem}_未导入{suffix}")

    def save_rejects(self, path: str | Path) -> Path | None:
        """The first sheet's rejected rows at `path`; each other sheet's beside it, named after the sheet."""
        w = self._wizard
        first = Path(path)
        written = None
        for k, (job, report) in enumerate(zip(w.jobs, w.reports)):
            target = first if k == 0 else first.with_name(f"{first.stem}_{job.sheet}{first.suffix}")
            done = write_rejects(job.plan, report, target)
            written = written or done
        if written is not None:
            self.saved.setText(self.tr("已保存：%1（改正后可再次导入）").replace("%1", str(written)))
        return written

    def _on_rejects_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存未导入的行"), str(self.default_rejects_path()),
                                              self.tr("Excel (*.xlsx);;CSV (*.csv)"))
        if path:
            self.save_rejects(path)
