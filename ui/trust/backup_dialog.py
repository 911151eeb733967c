"""Backups and restore: the list with each backup's check, a backup now, a restore (administrator)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.permissions import allowed
from app.errors import StationError
from app.services.backup import list_backups, make_backup
from app.services.settings import backup_folder_for
from ui.records.columns import lang_code

KIND_LABELS = {"daily": "每日自动", "manual": "手动", "pre-restore": "恢复前", "pre-upgrade": "升级前"}


class BackupDialog(QDialog):
    """Lists the backups newest first; `restore_requested` holds the chosen file when the
    administrator asked to restore (the window then closes the database and restores)."""

    def __init__(self, db, actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.restore_requested = None
        self.setWindowTitle(self.tr("备份与恢复"))
        self.resize(760, 420)
        self.folder = backup_folder_for(db)  # the administrator's backup folder, or backups/ beside the file
        self.where = QLabel(self.tr("备份位置：%1").replace("%1", str(self.folder)))
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, 4)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between rows
        self.table.setHorizontalHeaderLabels([self.tr("时间"), self.tr("类型"), self.tr("大小"), self.tr("校验")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.backup_button = QPushButton(self.tr("立即备份"))
        self.backup_button.clicked.connect(self._on_backup_button_clicked)
        self.restore_button = QPushButton(self.tr("从所选备份恢复…"))
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        role = getattr(actor, "role", "admin") if actor is not None else "admin"
        self._may_restore = allowed(role, "restore_backup")
        self.restore_button.setEnabled(self._may_restore)
        if not self.restore_button.isEnabled():
            self.restore_button.setToolTip(self.tr("只有系统管理员可以从备份恢复"))
        self.backup_button.setEnabled(allowed(role, "backup"))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        #: Shown instead of an empty list: what backups are and when the first one is made.
        self.empty_label = QLabel(self.tr("还没有备份。程序每天启动后会自动备份一次；也可以点击“立即备份”。"))
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setProperty("role", "muted")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addWidget(self.where)
        box.addWidget(self.table, 1)
        box.addWidget(self.empty_label, 1)
        box.addLayout(buttons)
        self.backups = []
        self.reload()

    def reload(self) -> None:
        self.backups = list_backups(self.folder)
        self.table.setRowCount(len(self.backups))
        for row, b in enumerate(self.backups):
            cells = [b.created.strftime("%Y-%m-%d %H:%M:%S"), self.tr(KIND_LABELS.get(b.kind, b.kind)),
                     f"{b.size / 1e6:.1f} MB", self.tr("完好") if b.verified else self.tr("损坏：") + b.problem]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 3 and not b.verified:
                    item.setForeground(Qt.GlobalColor.red)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.setVisible(bool(self.backups))
        self.empty_label.setVisible(not self.backups)
        if self.backups:
            self.table.selectRow(0)
            if self._may_restore:
                self.restore_button.setEnabled(True)
                self.restore_button.setToolTip("")
        else:
            self.restore_button.setEnabled(False)
            self.restore_button.setToolTip(self.tr("还没有可恢复的备份"))

    def _on_backup_button_clicked(self) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            info = make_backup(self._db, "manual", folder=self.folder)
        except StationError as exc:
            QMessageBox.warning(self, self.tr("备份失败"), exc.message(lang_code()))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.reload()
        QMessageBox.information(self, self.tr("备份完成"), self.tr("已备份并校验：%1").replace("%1", info.path.name))

    def _on_restore_button_clicked(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        chosen = self.backups[row]
        if not chosen.verified:
            QMessageBox.warning(self, self.tr("不能恢复"), self.tr("该备份校验失败，请选择其他备份。"))
            return
        answer = QMessageBox.question(
            self, self.tr("从备份恢复"),
            self.tr("将用 %1 的备份替换当前数据库。当前状态会先另存为“恢复前”备份。恢复后程序将关闭，"
                    "请重新启动。是否继续？").replace("%1", chosen.created.strftime("%Y-%m-%d %H:%M")))
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_requested = chosen.path
            self.accept()
