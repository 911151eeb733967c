"""The import wizard: pick the file, check the sheet and header, map columns and values (remembered
per header signature), preview every row's outcome, import in one transaction, keep the report."""
from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget, QWizard, QWizardPage)

from app.domain.levels import Module
from app.errors import StationError
from app.ledger.fields import FIELDS, field_specs, value_targets
from app.ledger.importer import ImportReport, LedgerPlan, plan_import, run_import, write_rejects
from app.ledger.mapping import LedgerMapping, header_signature, mapping_for_columns, parse_mapping
from app.ledger.reader import LedgerFile, read_ledger
from app.ledger.template import write_template
from app.ledger.values import text_of
from ui.common.task_runner import Task, run_task, worker_database
from ui.common.theme import current

MODULES = (Module.CASE, Module.DISPUTE, Module.PERSON)
PREVIEW_ROWS = 20
SETTINGS_PREFIX = "ledger/mapping/"
IGNORE = ""


def remembered_mapping(module: Module, titles) -> LedgerMapping | None:
    """The mapping saved the last time a ledger with these columns was imported, if any."""
    raw = QSettings().value(SETTINGS_PREFIX + header_signature(module, titles))
    if not raw:
        return None
    try:
        return parse_mapping(module, json.loads(raw))
    except (StationError, ValueError):
        return None  # a stale or damaged entry: start again from the usual titles


def remember_mapping(module: Module, titles, mapping: LedgerMapping) -> None:
    labels = {k: s.zh for k, s in field_specs(module).items()}
    data = {"columns": {t: v for t, v in mapping.columns.items()}, "values": mapping.values,
            "defaults": {labels.get(k, k): v for k, v in mapping.defaults.items()}}
    QSettings().setValue(SETTINGS_PREFIX + header_signature(module, titles), json.dumps(data, ensure_ascii=False))


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
        self.plan: LedgerPlan | None = None
        self.mapping = LedgerMapping()
        self.remembered = False
        self.preview: ImportReport | None = None
        self.report: ImportReport | None = None
        self.task: Task | None = None
        self.setWindowTitle(self.tr("导入台账"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.resize(1100, 720)
        self.file_page = FilePage(self, path, module)
        self.sheet_page = SheetPage(self)
        self.column_page = ColumnPage(self)
        self.value_page = ValuePage(self)
        self.preview_page = PreviewPage(self)
        self.report_page = ReportPage(self)
        for page in (self.file_page, self.sheet_page, self.column_page, self.value_page, self.preview_page,
                     self.report_page):
            self.addPage(page)

    @property
    def module(self) -> Module:
        return self.file_page.module()

    def run_in_worker(self, dry_run: bool, on_done, label: str) -> None:
        """run_import on a worker with its own connection, progress and cancel from the runner."""
        db, actor, plan = self.db, self.actor, self.plan

        def work(progress, cancelled):
            with worker_database(db) as own:
                return run_import(own, actor, plan, dry_run=dry_run, progress=progress, cancelled=cancelled)

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
        """Work out the plan again with the current mapping (after a change of sheet, header or mapping)."""
        self.plan = plan_import(self.ledger, self.module, self.mapping, sheet, header_line)
        return self.plan


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
        try:
            self._wizard.ledger = read_ledger(self.path_edit.text().strip())
            self._wizard.mapping = LedgerMapping()
            self._wizard.replan()
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
        form = QHBoxLayout()
        form.addWidget(QLabel(self.tr("工作表：")))
        form.addWidget(self.sheet_combo, 1)
        form.addSpacing(16)
        form.addWidget(QLabel(self.tr("表头在第")))
        form.addWidget(self.header_spin)
        form.addWidget(QLabel(self.tr("行")))
        form.addStretch(2)
        box = QVBoxLayout(self)
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

    def _apply_remembered(self) -> None:
        w = self._wizard
        saved = remembered_mapping(w.module, w.plan.header.titles)
        w.remembered = saved is not None
        w.mapping = saved or LedgerMapping()
        w.replan(w.plan.sheet.name, w.plan.header.line(w.plan.sheet))

    def _on_sheet_combo_changed(self, name: str) -> None:
        if self._loading or not name:
            return
        self._replan(name, None)

    def _on_header_spin_changed(self, line: int) -> None:
        if self._loading:
            return
        self._replan(self.sheet_combo.currentText(), line)

    def _replan(self, sheet: str, line: int | None) -> None:
        try:
            self._wizard.replan(sheet, line)
            self._apply_remembered()
            self.error.setText("")
        except StationError as exc:
            self.error.setText(exc.zh)
        self._show()
        self.completeChanged.emit()

    def _show(self) -> None:
        plan = self._wizard.plan
        sheet = plan.sheet
        self._loading = True
        self.header_spin.setMaximum(max(1, sheet.lines[-1] if sheet.lines else 1))
        self.header_spin.setValue(plan.header.line(sheet))
        self._loading = False
        data = len(list(plan.data_indexes()))
        self.info.setText(self.tr("识别到 %1 个已知列，表头以下共 %2 行。").replace("%1", str(plan.header.matched))
                          .replace("%2", str(data)))
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


class ColumnPage(QWizardPage):
    def __init__(self, wizard: LedgerImportWizard):
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("列映射"))
        self.setSubTitle(self.tr("常用的列名已自动对应；其余的列请选择对应的字段，或选“不导入”。选择会按表头记住，下次自动套用。"))
        self.notice = QLabel()
        self.table = _table([self.tr("台账中的列"), self.tr("示例"), self.tr("对应字段")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.defaults_box = QWidget()
        self.defaults_form = QFormLayout(self.defaults_box)
        self.defaults_form.setContentsMargins(0, 0, 0, 0)
        self.missing = _error_label()
        self.combos: list[QComboBox] = []
        self.default_edits: dict[str, QWidget] = {}
        box = QVBoxLayout(self)
        box.addWidget(self.notice)
        box.addWidget(self.table, 1)
        box.addWidget(self.missing)
        box.addWidget(self.defaults_box)

    def initializePage(self) -> None:
        w = self._wizard
        plan = w.plan
        self.notice.setText(self.tr("已套用上次为同样表头保存的映射。") if w.remembered else "")
        specs = FIELDS[w.module]
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
        w = self._wizard
        chosen = set(self.chosen_columns().values())
        specs = field_specs(w.module)
        need = [s for s in specs.values() if s.required and s.key not in chosen
                and not (s.key == "level" and "status" in chosen)]
        kept = self._defaults()
        while self.defaults_form.rowCount():
            self.defaults_form.removeRow(0)
        self.default_edits = {}
        for spec in need:
            targets = value_targets(w.module, spec.key)
            if targets:
                widget = QComboBox()
                widget.addItem(self.tr("（请选择）"), "")
                for code, label in targets.items():
                    widget.addItem(label, label)
                widget.setCurrentIndex(max(0, widget.findData(kept.get(spec.key, w.mapping.defaults.get(spec.key)))))
                widget.currentIndexChanged.connect(self.completeChanged)
            else:
                widget = QLineEdit(kept.get(spec.key, w.mapping.defaults.get(spec.key, "")))
                widget.setPlaceholderText(spec.example)
                widget.textChanged.connect(self.completeChanged)
            self.default_edits[spec.key] = widget
            self.defaults_form.addRow(self.tr("整本台账的%1：").replace("%1", spec.zh), widget)
        self.missing.setText(self.tr("台账中没有这些必填列：%1。请为它们选择对应的列，或在下面为整本台账填写一个值。")
                             .replace("%1", "、".join(s.zh for s in need)) if need else "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return all(k in self._defaults() for k in self.default_edits)

    def validatePage(self) -> bool:
        w = self._wizard
        mapping = mapping_for_columns(w.module, w.plan.header.titles, self.chosen_columns(), w.mapping)
        mapping.defaults = self._defaults()
        try:
            labels = {k: s.zh for k, s in field_specs(w.module).items()}
            mapping = parse_mapping(w.module, {"columns": mapping.columns, "values": mapping.values,
                                               "defaults": {labels[k]: v for k, v in mapping.defaults.items()}})
            w.mapping = mapping
            w.replan(w.plan.sheet.name, w.plan.header.line(w.plan.sheet))
        except StationError as exc:
            self.missing.setText(exc.zh)
            return False
        return True


class ValuePage(QWizardPage):
    def __init__(self, wizard: LedgerImportWizard):
        super().__init__()
        self._wizard = wizard
        self.setTitle(self.tr("值映射"))
        self.setSubTitle(self.tr("这些值系统不认识（例如 高/中/低、已调解）。请指定各自的含义；不指定的值所在的行不会导入，并在报告中说明。"))
        self.info = QLabel()
        self.table = _table([self.tr("字段"), self.tr("台账中的值"), self.tr("行数"), self.tr("对应为")])
        self.combos: list[tuple[str, str, QComboBox]] = []
        box = QVBoxLayout(self)
        box.addWidget(self.info)
        box.addWidget(self.table, 1)

    def initializePage(self) -> None:
        w = self._wizard
        unknown = w.plan.unknown_values()
        specs = field_specs(w.module)
        rows = [(key, value, n) for key, values in unknown.items() for value, n in values.items()]
        self.info.setText(self.tr("所有值都能识别，无需映射。") if not rows else
                          self.tr("共 %1 个值需要指定。").replace("%1", str(len(rows))))
        self.table.setRowCount(len(rows))
        self.combos = []
        for r, (key, value, n) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(specs[key].zh))
            self.table.setItem(r, 1, QTableWidgetItem(value))
            count = QTableWidgetItem(str(n))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(r, 2, count)
            combo = QComboBox()
            combo.addItem(self.tr("（不指定：该行不导入）"), "")
            for code, label in value_targets(w.module, key).items():
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
        w = self._wizard
        for key, value, combo in self.combos:
            if combo.currentData():
                w.mapping.values.setdefault(key, {})[value] = combo.currentData()
        w.replan(w.plan.sheet.name, w.plan.header.line(w.plan.sheet))
        remember_mapping(w.module, w.plan.header.titles, w.mapping)
        return True


def _fill_report(table: QTableWidget, report: ImportReport) -> None:
    theme = current()
    colours = {"rejected": theme.color("overdue.fg"), "skipped": theme.color("text.muted")}
    table.setRowCount(len(report.rows))
    for r, row in enumerate(report.rows):
        words = "；".join(p for p in (row.reason, *row.notes) if p)
        items = [QTableWidgetItem(str(row.line)), QTableWidgetItem(row.outcome_zh), QTableWidgetItem(row.label),
                 QTableWidgetItem(words)]
        items[0].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for c, item in enumerate(items):
            if row.outcome in colours:
                item.setForeground(colours[row.outcome])
            item.setToolTip(words)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)


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
        w.preview = None
        self.summary.setText(self.tr("正在预览…"))
        self.table.setRowCount(0)
        self.completeChanged.emit()
        w.run_in_worker(True, self._on_preview_done, self.tr("正在预览台账…"))

    def _on_preview_done(self, report: ImportReport | None, message: str | None) -> None:
        w = self._wizard
        w.preview = report
        if report is not None:
            self.summary.setText(report.summary())
            _fill_report(self.table, report)
        else:
            self.summary.setText(message)
            self.table.setRowCount(0)
        self.completeChanged.emit()
        w.previewed.emit()

    def isComplete(self) -> bool:
        """Nothing to add is never offered as an import."""
        return self._wizard.preview is not None and self._wizard.preview.added > 0


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
        w.report = None
        self.summary.setText(self.tr("正在导入…"))
        self.rejects_button.setEnabled(False)
        self.completeChanged.emit()
        w.run_in_worker(False, self._on_import_done, self.tr("正在导入台账…"))

    def isComplete(self) -> bool:
        """完成 waits for the import to end."""
        return self._wizard.task is None or not self._wizard.task.running

    def _on_import_done(self, report: ImportReport | None, message: str | None) -> None:
        w = self._wizard
        w.report = report
        if report is not None:
            self.summary.setText(report.summary())
            _fill_report(self.table, report)
        else:
            self.summary.setText(self.tr("导入失败，没有写入任何记录：%1").replace("%1", message))
        self.rejects_button.setEnabled(bool(report and report.rejected))
        self.completeChanged.emit()
        if report is not None and report.added:
            w.imported.emit(w.module.value)
        w.import_finished.emit()

    def default_rejects_path(self) -> Path:
        src = self._wizard.plan.file.path
        suffix = ".csv" if src.suffix.lower() == ".csv" else ".xlsx"
        return src.with_name(f"{src.stem}_未导入{suffix}")

    def save_rejects(self, path: str | Path) -> Path | None:
        written = write_rejects(self._wizard.plan, self._wizard.report, path)
        if written is not None:
            self.saved.setText(self.tr("已保存：%1（改正后可再次导入）").replace("%1", str(written)))
        return written

    def _on_rejects_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存未导入的行"), str(self.default_rejects_path()),
                                              self.tr("Excel (*.xlsx);;CSV (*.csv)"))
        if path:
            self.save_rejects(path)
