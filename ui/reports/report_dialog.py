"""The report pack in the window: pick a report and a period, get the Excel or PDF file."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QStandardPaths, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import StationError
from app.reports.pack import REPORTS, build_report
from ui.common.task_runner import Task, run_task, worker_database
from ui.common.theme import show_as_error
from ui.records.columns import lang_code

CONTEXT = "ReportDialog"
#: The reports' names in the window (the documents themselves are the station's Chinese paperwork).
REPORT_NAMES = {"morning": QT_TRANSLATE_NOOP(CONTEXT, "每日晨会调度简报"),
                "weekly": QT_TRANSLATE_NOOP(CONTEXT, "每周会商研判报告"),
                "monthly": QT_TRANSLATE_NOOP(CONTEXT, "月度统计报表"),
                "accountability": QT_TRANSLATE_NOOP(CONTEXT, "责任落实情况表"),
                "red": QT_TRANSLATE_NOOP(CONTEXT, "红色预警记录清单"),
                "breakdown": QT_TRANSLATE_NOOP(CONTEXT, "分类统计表")}


def default_period(example: str, today: date) -> str:
    """Today's period in the form the report takes (a day, an ISO week or a month)."""
    if "-W" in example:
        year, week, _ = today.isocalendar()
        return f"{year}-W{week:02d}"
    if example.count("-") == 1:
        return today.strftime("%Y-%m")
    return today.isoformat()


class ReportDialog(QDialog):
    """One step per report: the period defaults to the current one; the file is written,
    read back by its writer, and the export is recorded in the audit trail. The report is built
    off the GUI thread (ui/common/task_runner.py)."""

    generated = Signal(object)
    """The Path of the file written."""
    failed = Signal(str)
    """The message shown when a report could not be made."""

    def __init__(self, db, actor, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._today = today or date.today()
        self.written: Path | None = None
        self.task: Task | None = None
        self.setWindowTitle(self.tr("报表"))
        self.report = QComboBox()
        for key, kind in REPORTS.items():
            self.report.addItem(self.tr(REPORT_NAMES.get(key, kind.title)), key)
        self.report.currentIndexChanged.connect(self._on_report_current_index_changed)
        self.period = QLineEdit()
        self.period.setToolTip(self.tr("日：2025-05-15；周：2025-W19；月：2025-05；季：2025-Q2"))
        self.xlsx = QRadioButton(self.tr("Excel (.xlsx)"))
        self.pdf = QRadioButton(self.tr("PDF (A4)"))
        self.xlsx.setChecked(True)
        self.xlsx.toggled.connect(self._on_format_toggled)
        formats = QHBoxLayout()
        formats.addWidget(self.xlsx)
        formats.addWidget(self.pdf)
        formats.addStretch(1)
        self.path = QLineEdit()
        browse = QPushButton(self.tr("浏览…"))
        browse.clicked.connect(self._on_browse_clicked)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        self.status = QLabel()
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("报表："), self.report)
        form.addRow(self.tr("统计期间："), self.period)
        form.addRow(self.tr("格式："), formats)
        form.addRow(self.tr("保存为："), where)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.generate_button = buttons.addButton(self.tr("生成"), QDialogButtonBox.ButtonRole.ActionRole)
        self.generate_button.clicked.connect(self.generate)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.status)
        box.addWidget(buttons)
        self.setMinimumWidth(560)
        self._on_report_current_index_changed(0)

    def _suffix(self) -> str:
        return ".pdf" if self.pdf.isChecked() else ".xlsx"

    def _suggested_path(self) -> Path:
        folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or ".")
        return folder / f"{self.report.currentText()}_{self.period.text().strip()}{self._suffix()}"

    def _on_report_current_index_changed(self, _index: int) -> None:
        kind = REPORTS[self.report.currentData()]
        self.period.setText(default_period(kind.example, self._today))
        self.path.setText(str(self._suggested_path()))

    def _on_format_toggled(self, _checked: bool) -> None:
        current = Path(self.path.text().strip() or self._suggested_path())
        self.path.setText(str(current.with_suffix(self._suffix())))

    def _on_browse_clicked(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, self.tr("保存报表"), self.path.text(),
                                                "Excel (*.xlsx)" if self._suffix() == ".xlsx" else "PDF (*.pdf)")
        if chosen:
            self.path.setText(chosen)

    def generate(self) -> None:
        """Build the report on a worker (its own connection), then write the file here: the PDF
        is laid out by Qt's text engine, which belongs on the GUI thread."""
        from app.domain.permissions import authorize

        out = Path(self.path.text().strip()).with_suffix(self._suffix())
        key, period, today, actor = self.report.currentData(), self.period.text().strip(), self._today, self._actor
        try:
            if actor is not None:
                authorize(actor, "read_records")
        except StationError as exc:
            self._show_failure(exc.message(lang_code()))
            return
        db = self._db

        def work(progress, cancelled):
            with worker_database(db) as own:
                report = build_report(own, key, period, today)
                if out.suffix == ".xlsx":
                    from app.reports.xlsx import write_xlsx

                    write_xlsx(report, out)
                return report

        self.generate_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("正在生成…"))
        self.task = run_task(work, parent=self, label=self.tr("正在生成报表…"), cancellable=False,
                             on_success=lambda report: self._on_task_succeeded(report, out, key, period),
                             on_failure=lambda message, _exc: self._show_failure(message))

    def _on_task_succeeded(self, report, out: Path, key: str, period: str) -> None:
        from app.services import audit

        try:
            if out.suffix == ".pdf":
                from ui.reports.pdf import write_pdf

                write_pdf(report, out)
            audit.record_event(self._db, self._actor, "export_report",
                               detail={"report": key, "period": period, "file": str(out)})
        except StationError as exc:
            self._show_failure(exc.message(lang_code()))
            return
        except OSError as exc:
            self._show_failure(self.tr("无法写入文件：") + (exc.strerror or str(exc)))
            return
        self.generate_button.setEnabled(True)
        self.written = out
        self.status.setStyleSheet("")
        self.status.setText(self.tr("已生成：%1").replace("%1", str(out)))
        self.generated.emit(out)

    def _show_failure(self, message: str) -> None:
        self.generate_button.setEnabled(True)
        show_as_error(self.status)
        self.status.setText(message)
        self.failed.emit(message)

    def done(self, result: int) -> None:
        if self.task is not None and self.task.running:
            self.task.wait()  # a report cannot be cancelled half-written; it is quick to finish
        super().done(result)
