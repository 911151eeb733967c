"""The audit trail in the window: who changed what and when, filterable, with the chain's check."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import audit
from ui.common.theme import show_as_error
from ui.records.columns import lang_index


class AuditDialog(QDialog):
    """The newest 1,000 audit entries matching the filter, and whether the hash chain holds."""

    def __init__(self, db, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self.setWindowTitle(self.tr("审计日志"))
        self.resize(1100, 600)
        problems = audit.verify_chain(db)
        self.chain_label = QLabel(self.tr("哈希链校验：完整") if not problems else
                                  self.tr("哈希链校验：发现 %1 处问题：").replace("%1", str(len(problems)))
                                  + "；".join(problems[:3]))
        self.chain_label.setObjectName("chainOk" if not problems else "chainBroken")
        if problems:
            show_as_error(self.chain_label, bold=True)
        self.account = QLineEdit()
        self.account.setPlaceholderText(self.tr("账户"))
        self.account.editingFinished.connect(self.reload)
        self.module = QComboBox()
        for code, label in (("", self.tr("全部模块")), ("case", self.tr("案件")), ("dispute", self.tr("矛盾纠纷")),
                            ("person", self.tr("重点人员")), ("level_change", self.tr("等级变更")),
                            ("action", self.tr("工作记录")), ("account", self.tr("账户"))):
            self.module.addItem(label, code)
        self.module.currentIndexChanged.connect(self.reload)
        self.table = QTableWidget(0, 7)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between rows
        self.table.setHorizontalHeaderLabels([self.tr("序号"), self.tr("时间"), self.tr("账户"), self.tr("角色"),
                                              self.tr("操作"), self.tr("模块"), self.tr("变更内容")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        filters = QHBoxLayout()
        filters.addWidget(self.account)
        filters.addWidget(self.module)
        filters.addStretch(1)
        box = QVBoxLayout(self)
        box.addWidget(self.chain_label)
        box.addLayout(filters)
        box.addWidget(self.table, 1)
        self.reload()

    def reload(self) -> None:
        rows = audit.list_entries(self._db, account=self.account.text().strip() or None,
                                  module=self.module.currentData() or None)
        self.table.setRowCount(len(rows))
        names = audit.officer_names(self._db)
        lang = lang_index()
        for r, e in enumerate(rows):
            cells = audit.entry_cells(e, lang, names)
            for c, text in enumerate([str(e.seq), e.at.strftime("%Y-%m-%d %H:%M:%S"), e.account, *cells[3:6],
                                      cells[7]]):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()

