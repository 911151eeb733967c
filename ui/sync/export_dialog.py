"""The export dialog: the data-quality check's findings, full or changes only, a progress bar."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.permissions import allowed
from app.sync import keys as K
from app.sync.export import export_package, quality_check
from ui.common import theme
from ui.common.task_runner import Task, run_task, worker_database


class ExportDialog(QDialog):
    """Export a package for the branch office. The check runs on opening; blocking findings
    disable the export unless 强制导出 is ticked (the package then says it was forced)."""

    exported = Signal(object)
    """An ExportResult, after the file was written and verified."""

    def __init__(self, db, actor, parent: QWidget | None = None, folder: str | Path | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.result = None
        self.task: Task | None = None
        self.setWindowTitle(self.tr("导出数据包（报送分局）"))
        self.resize(640, 460)
        branch = K.registered_branch(db)
        self.branch_label = QLabel()
        self.branch_label.setWordWrap(True)
        self.register_button = QPushButton(self.tr("登记分局公钥…"))
        self.register_button.setObjectName("registerBranch")
        self.register_button.clicked.connect(self._on_register_clicked)
        self.issues = QListWidget()
        self.full = QCheckBox(self.tr("完整数据包（不只是变更）"))
        self.force = QCheckBox(self.tr("强制导出（忽略阻止导出的问题）"))
        self.folder = QLineEdit(str(folder or Path.home()))
        browse = QPushButton(self.tr("选择文件夹…"))
        browse.clicked.connect(self._on_browse_clicked)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.hide()  # shown while an export runs: no idle 0 % bar
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = QPushButton(self.tr("导出"))
        self.export_button.clicked.connect(self._on_export_clicked)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        where = QHBoxLayout()
        where.addWidget(QLabel(self.tr("保存到：")))
        where.addWidget(self.folder, 1)
        where.addWidget(browse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        box = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(self.branch_label, 1)
        head.addWidget(self.register_button)
        box.addLayout(head)
        box.addWidget(QLabel(self.tr("数据质量检查：")))
        box.addWidget(self.issues, 1)
        box.addWidget(self.full)
        box.addWidget(self.force)
        box.addLayout(where)
        box.addWidget(self.progress)
        box.addWidget(self.status)
        box.addLayout(buttons)
        self._branch = branch
        self._show_branch()
        self.force.toggled.connect(self._update_buttons)
        self._findings = []
        self.run_check()
        if not allowed(getattr(actor, "role", ""), "export"):
            self.export_button.setEnabled(False)
            self.status.setText(self.tr("只有所领导或系统管理员可以导出数据包"))

    def _show_branch(self) -> None:
        branch = self._branch
        if branch is not None:
            self.branch_label.setText(self.tr("分局：%1（公钥指纹 %2）").replace("%1", branch.name)
                                      .replace("%2", K.fingerprint(branch.box_key)))
            self.register_button.setText(self.tr("更换分局公钥…"))
        else:
            self.branch_label.setText(self.tr("尚未登记分局公钥。请向分局索取公钥文件（branch.pub），"
                                              "点击“登记分局公钥…”选择它，并与分局核对显示的指纹。"))
        from ui.common.denied import denied_reason, set_allowed

        set_allowed(self.register_button, denied_reason(self._actor, "export"))

    def register_branch_file(self, path: str | Path) -> bool:
        """Read a branch public key file and remember it (the policy decides first)."""
        from app.domain.permissions import authorize
        from app.errors import StationError

        try:
            authorize(self._actor, "export")
            ident = K.read_identity_file(Path(path), "branch")
            K.register_branch(self._db, self._actor, ident)
        except StationError as exc:
            self.status.setText(self.tr("无法登记分局公钥：") + exc.message(self._lang()))
            return False
        self._branch = K.registered_branch(self._db)
        self._show_branch()
        self.status.setText(self.tr("已登记分局公钥，请与分局核对指纹：%1").replace("%1", K.fingerprint(ident.box_key)))
        self._update_buttons()
        return True

    @staticmethod
    def _lang() -> str:
        from ui.records.columns import lang_index

        return "zh" if lang_index() == 0 else "en"

    def _on_register_clicked(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, self.tr("选择分局公钥文件"), str(Path.home()),
                                               self.tr("分局公钥 (*.pub);;所有文件 (*)"))
        if path:
            self.register_branch_file(path)

    def run_check(self) -> None:
        self._findings = quality_check(self._db)
        self.issues.clear()
        t = theme.current()
        if not self._findings:
            self.issues.addItem(QListWidgetItem(self.tr("未发现问题")))
        for f in self._findings:
            label = self.tr("阻止导出") if f.severity == "block" else self.tr("警告")
            item = QListWidgetItem(f"[{label}] {f.zh if self._lang() == 'zh' else f.en}")
            item.setToolTip(f.en if self._lang() == "zh" else "")
            if f.severity == "block":
                item.setForeground(t.brush("overdue.fg"))
            self.issues.addItem(item)
        self._update_buttons()

    @property
    def blocking(self) -> bool:
        return any(f.severity == "block" for f in self._findings)

    def _update_buttons(self) -> None:
        self.force.setEnabled(self.blocking)
        ok = self._branch is not None and (not self.blocking or self.force.isChecked())
        self.export_button.setEnabled(ok and allowed(getattr(self._actor, "role", ""), "export"))

    def _on_browse_clicked(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("选择保存数据包的文件夹"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setValue(int(100 * done / max(total, 1)))

    def _on_export_clicked(self) -> None:
        """The export runs on a worker with its own connection (SQLite connections stay on the
        thread that made them); 取消 on the progress dialog stops it with nothing recorded."""
        self.export_button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText(self.tr("正在导出…"))
        db, actor, folder = self._db, self._actor, Path(self.folder.text())
        full, force, findings = self.full.isChecked(), self.force.isChecked(), self._findings

        def work(progress, cancelled):
            with worker_database(db) as own:
                return export_package(own, actor, folder, full=full, force=force, progress=progress,
                                      cancel=cancelled, issues=findings)

        self.task = run_task(work, parent=self, label=self.tr("正在导出数据包…"),
                             on_success=self._on_task_succeeded, on_failure=self._on_task_failed,
                             on_progress=self._on_progress)

    def _on_task_failed(self, message: str, _exc: BaseException) -> None:
        self.progress.hide()
        self.status.setText(self.tr("导出失败：") + message)
        self._update_buttons()

    def _on_task_succeeded(self, res) -> None:
        self.progress.setValue(100)
        self.result = res
        kind = self.tr("完整数据包") if res.kind == "full" else self.tr("增量数据包")
        self.status.setText(self.tr("已导出%1：%2（序号 %3，%4 条变更），已读回校验。")
                            .replace("%1", kind).replace("%2", str(res.path)).replace("%3", str(res.seq))
                            .replace("%4", str(res.changes)))
        self._update_buttons()
        self.exported.emit(res)

    def done(self, result: int) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()
            self.task.wait()
        super().done(result)
