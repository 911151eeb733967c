"""What a person reads in a window: every visible text of its widgets, menus, headers and items.

Used by the English test: with a station whose own data is in Latin letters, any CJK character
left in an English window is an untranslated string (or Chinese punctuation in English text).
"""
from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMenu,
    QTabBar,
    QTabWidget,
    QTreeWidget,
    QWidget,
)

#: CJK ideographs, CJK punctuation (、。「」) and full-width forms (：，（）).
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def _menu_texts(menu: QMenu, where: str):
    yield where, menu.title()
    for action in menu.actions():
        if action.menu() is not None:
            yield from _menu_texts(action.menu(), where + "/" + action.text())
        elif not action.isSeparator():
            yield where, action.text()
            yield where + " (tip)", action.toolTip() if action.toolTip() != action.text().replace("&", "") else ""


def visible_texts(window: QWidget):
    """(where, text) for every text shown in `window` (data cells included: the caller's data is Latin)."""
    yield "title", window.windowTitle()
    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            if action.menu() is not None:
                yield from _menu_texts(action.menu(), "menu " + action.text())
    for w in window.findChildren(QWidget):
        if not w.isVisibleTo(window):
            continue
        name = f"{type(w).__name__}:{w.objectName()}"
        if w.toolTip():
            yield name + " (tip)", w.toolTip()
        if isinstance(w, QLabel):
            yield name, w.text()
        elif isinstance(w, QAbstractButton):
            yield name, w.text()
        elif isinstance(w, QLineEdit):
            yield name, w.text()
            yield name + " (placeholder)", w.placeholderText()
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                yield name, w.itemText(i)
        elif isinstance(w, QGroupBox):
            yield name, w.title()
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                yield name, w.tabText(i)
        if isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView) and w.model() is not None:
            m = w.model()
            try:
                columns = m.columnCount(QModelIndex())
            except TypeError:  # a list model: one column
                columns = 1
            for c in range(columns):
                yield name + " header", str(m.headerData(c, Qt.Orientation.Horizontal) or "")
            for r in range(min(m.rowCount(), 30)):
                for c in range(columns):
                    yield name + " cell", str(m.index(r, c).data() or "")
                    yield name + " cell tip", str(m.index(r, c).data(Qt.ItemDataRole.ToolTipRole) or "")
        if isinstance(w, QTreeWidget):
            header = w.headerItem()
            for c in range(w.columnCount()):
                yield name + " header", header.text(c)
        if isinstance(w, QListWidget):
            for i in range(w.count()):
                yield name + " item", w.item(i).text()
        if isinstance(w, QTabWidget):
            for i in range(w.count()):
                yield name + " tab", w.tabText(i)


#: Texts that are Chinese on purpose: a language's name in that language (the language menu).
ALLOWED = {"中文（简体）"}


def chinese_left(window: QWidget) -> list[str]:
    """Every shown text with a CJK character in it, with where it is."""
    return sorted({f"{where}: {text}" for where, text in visible_texts(window)
                   if text and text not in ALLOWED and CJK.search(text)})
