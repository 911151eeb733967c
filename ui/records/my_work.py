"""My work: the records the logged-in officer, team leader or station leader answers for, overdue first."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.levels import LEVEL_NAMES, Level, Module
from app.domain.permissions import ROLE_LABELS
from app.services import workstation
from app.services.workstation import WorkItem
from ui.common import roles
from ui.common.theme import Theme, current
from ui.records.columns import lang_index

DISPLAY = Qt.ItemDataRole.DisplayRole


def _tr(text: str, n: int = -1) -> str:
    return QCoreApplication.translate("MyWork", text, None, n)


class MyWorkModel(QAbstractTableModel):
    """Rows of WorkItem: state (overdue / due today / active), module, record, level, next due."""

    HEADERS = (QT_TRANSLATE_NOOP("MyWork", "状态"), QT_TRANSLATE_NOOP("MyWork", "模块"),
               QT_TRANSLATE_NOOP("MyWork", "记录"), QT_TRANSLATE_NOOP("MyWork", "等级"),
               QT_TRANSLATE_NOOP("MyWork", "下次跟进"))

    def __init__(self, items: tuple[WorkItem, ...] = (), theme: Theme | None = None, today: date | None = None,
                 parent=None):
        super().__init__(parent)
        self._items = list(items)
        self._theme = theme or current()
        self._today = today or date.today()
        self._brushes = self._theme.level_brushes()
        self._overdue = self._theme.brush("overdue.fg")
        self._headers = [QCoreApplication.translate("MyWork", h) for h in self.HEADERS]

    def set_items(self, items: tuple[WorkItem, ...], today: date) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._today = today
        self.endResetModel()

    def item(self, row: int) -> WorkItem:
        return self._items[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def headerData(self, section, orientation, role=DISPLAY):
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def _state(self, it: WorkItem) -> str:
        if it.overdue:
            return _tr("已超期 %n 天", (self._today - it.next_due).days)
        if it.due_today:
            return _tr("今日到期")
        return _tr("在办")

    def data(self, index, role=DISPLAY):
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        it = self._items[index.row()]
        col = index.column()
        lang = lang_index()
        if role == DISPLAY:
            if col == 0:
                return self._state(it)
            if col == 1:
                m = Module(it.module)
                return m.zh if lang == 0 else m.en
            if col == 2:
                return it.label
            if col == 3:
                return LEVEL_NAMES[Level(it.level)][lang]
            return it.next_due.isoformat() if it.next_due else ""
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._brushes.get(it.level)
        if role == Qt.ItemDataRole.ForegroundRole and it.overdue and col in (0, 4):
            return self._overdue
        if role == Qt.ItemDataRole.DecorationRole and col == 3:
            return self._theme.chip_icon(it.level)
        if role == roles.RowRole:
            return it
        return None


class MyWorkDialog(QDialog):
    """My work, opened at the first start of the day and from the menu; a row opens its record."""

    record_requested = Signal(str, int)
    """Open this record (module code, id)."""

    def __init__(self, db, actor, theme: Theme | None = None, parent: QWidget | None = None,
                 today: date | None = None):
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.setWindowTitle(_tr("我的工作"))
        self.resize(820, 560)
        role = ROLE_LABELS.get(actor.role, (actor.role, actor.role))[lang_index()]
        self.heading = QLabel(_tr("%1（%2）负责的在办记录").replace("%1", actor.name).replace("%2", role))
        self.heading.setFont((theme or current()).font(2, bold=True))
        self.counts = QLabel()
        self.counts.setObjectName("myWorkCounts")
        self.model = MyWorkModel(theme=theme, parent=self)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between rows
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._on_table_activated)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.counts)
        box.addWidget(self.table, 1)
        box.addWidget(buttons)
        self.refresh(today)

    def refresh(self, today: date | None = None) -> None:
        work = workstation.my_work(self.db, self.actor, today)
        self.work = work
        self.model.set_items(work.items, work.as_of)
        counts = workstation.my_work_counts(self.db, self.actor, work.as_of)
        self.counts.setText(_tr("在办 %1 条，已超期 %2 条，今日到期 %3 条").replace("%1", str(counts["responsible"]))
                            .replace("%2", str(counts["overdue"])).replace("%3", str(counts["due_today"])))
        self.count_values = counts
        self.table.resizeColumnsToContents()

    def _on_table_activated(self, index) -> None:
        it = self.model.item(index.row())
        self.record_requested.emit(it.module, it.id)
