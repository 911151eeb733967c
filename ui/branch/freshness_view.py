"""The branch console's station list: how fresh each station's data is, and importing packages."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.sync.branch import branch_freshness
from app.sync.importer import import_files
from ui.common import theme

#: Freshness state -> theme token of the row's background (the level colours' meaning: red = act).
STATE_TOKENS = {"ok": "level.green.bg", "stale": "level.orange.bg", "gap": "level.red.bg", "none": "filter.off.bg",
                "fork": "level.red.bg"}


class FreshnessView(QWidget):
    """One row per station: last package, its sequence, missing packages, record counts."""

    imported = Signal(list)
    """The ImportResult list of an import run (views over the records refresh on it)."""

    COLUMNS = ("派出所", "代码", "数据新鲜度", "序号", "缺号", "案件", "矛盾纠纷", "重点人员")

    def __init__(self, db, actor, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between rows
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.import_button = QPushButton(self.tr("导入数据包…"))
        self.import_button.clicked.connect(self._on_import_clicked)
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.refresh_button.clicked.connect(self.reload)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        box = QVBoxLayout(self)
        box.addLayout(buttons)
        box.addWidget(self.table, 1)
        box.addWidget(self.message)
        self.rows = []
        self.reload()

    def reload(self) -> None:
        self.rows = branch_freshness(self._db)
        t = theme.current()
        self.table.setRowCount(len(self.rows))
        for r, f in enumerate(self.rows):
            missing = "" if not f.missing else (f"{len(f.missing)}" + (self.tr("（已覆盖）") if f.covered else ""))
            cells = [f.name, f.code, f.text("zh"), "" if f.last_seq is None else str(f.last_seq), missing,
                     str(f.records["case"]), str(f.records["dispute"]), str(f.records["person"])]
            brush = t.brush(STATE_TOKENS[f.state])
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setBackground(brush)
                item.setToolTip(f.text("en"))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()

    def import_paths(self, paths: list[Path]) -> list:
        results = import_files(self._db, self._actor, paths)
        lines = []
        for res in results:
            if res.status == "rejected":
                lines.append(self.tr("拒绝 %1：%2").replace("%1", res.file).replace("%2", res.zh))
            else:
                lines.append(f"{res.file}：{res.zh}")
        self.message.setText("\n".join(lines))
        self.reload()
        self.imported.emit(results)
        return results

    def _on_import_clicked(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("选择数据包"), str(Path.home()),
                                                self.tr("派出所数据包 (*.stpkg)"))
        if files:
            self.import_paths([Path(f) for f in files])
