"""Every window and dialog is usable by keyboard: Tab reaches every control and leaves each one.

The walk presses Tab from the first control until focus comes back to where it started; a
control that keeps focus on Tab (the 受案日期 "不限" filter used to) is a keyboard trap.
"""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QDialog, QDialogButtonBox, QTabBar, QWidget

from app.services import records
from app.services.records import CaseInput, DisputeInput, PersonInput, Responsibility


def focusable(window: QWidget) -> set[QWidget]:
    """The controls Tab should reach: visible, enabled, taking Tab focus, not a part of another."""
    out = set()
    for w in window.findChildren(QWidget):
        if not (w.isVisibleTo(window) and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus):
            continue
        if w.focusProxy() is not None or isinstance(w.parentWidget(), (QAbstractSpinBox, QComboBox)):
            continue
        if w.window() is not window:
            continue
        out.add(w)
    return out


def owner(w: QWidget) -> QWidget:
    """The control a focused part belongs to (a spin box's line edit is the spin box)."""
    parent = w.parentWidget()
    return parent if isinstance(parent, (QAbstractSpinBox, QComboBox)) else w


def walk(qtbot, window: QWidget, start: QWidget | None = None, limit: int = 200) -> list[QWidget]:
    """Press Tab until focus returns to the start; fail on a control that keeps focus."""
    # Windows left by earlier tests may hold the activation: this one must be active for Tab.
    window.raise_()
    window.activateWindow()
    try:
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=1000)
    except Exception:  # the offscreen platform does not always hand activation over by itself
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            QApplication.setActiveWindow(window)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    if start is None:
        first = sorted(focusable(window), key=lambda w: (w.mapTo(window, w.rect().topLeft()).y(),
                                                         w.mapTo(window, w.rect().topLeft()).x()))[0]
        start = first
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and QApplication.focusWidget().window() is window, timeout=2000)
    begin = owner(QApplication.focusWidget())
    chain = [begin]
    for _ in range(limit):
        before = owner(QApplication.focusWidget())
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        now = owner(QApplication.focusWidget())
        assert now is not before, f"Tab does not leave {type(before).__name__} {before.objectName()!r}"
        if now is begin:
            return chain
        chain.append(now)
    raise AssertionError(f"Tab never returns to the start: {[type(w).__name__ for w in chain[-10:]]}")


def check(qtbot, window: QWidget, start: QWidget | None = None) -> list[QWidget]:
    chain = walk(qtbot, window, start)
    missing = focusable(window) - set(chain)
    assert not missing, [f"{type(w).__name__}:{w.objectName() or getattr(w, 'text', lambda: '')()}"
                         for w in missing]
    return chain


@pytest.fixture
def filled(db, station):
    o = station.officer
    r = Responsibility(officer_id=o.officer_id)
    return {
        "case": records.create_case(db, o, CaseInput("A1", "criminal", "red", date(2026, 3, 1), cause="盗窃",
                                                     people=r)),
        "dispute": records.create_dispute(db, o, DisputeInput("J1", "police_primary", "110", "yellow",
                                                              date(2026, 3, 2), parties="张三、李四", people=r)),
        "person": records.create_person(db, o, PersonInput("单雄信", "red", date(2026, 1, 2), control_plan="每周走访",
                                                           people=r)),
    }


@pytest.mark.parametrize("module", ["case", "dispute", "person"])
def test_the_main_window_tab_chain_reaches_the_table_and_leaves_the_date_filter(configured_app, qtbot, db,
                                                                               station, filled, module):
    from app.domain.levels import Module
    from ui.main_window import MainWindow

    window = MainWindow(db, actor=station.leader)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    view = window.views[Module(module)]
    window.tabs.setCurrentWidget(view)
    chain = check(qtbot, window, view.search)
    assert view.table in chain and view.date_from in chain and view.date_to in chain
    assert chain.index(view.date_to) < chain.index(view.table)


def dialogs(db, station, filled):
    """Every dialog a person meets at the station, built as the app builds them."""
    from ui.records import forms
    from ui.records.my_work import MyWorkDialog
    from ui.reports.report_dialog import ReportDialog
    from ui.sync.export_dialog import ExportDialog
    from ui.trust.audit_view import AuditDialog
    from ui.trust.backup_dialog import BackupDialog

    o, lead = station.officer, station.leader
    d = records.get_record(db, "case", filled["case"])
    return {
        "new case": lambda: forms.RecordForm(db, o, "case"),
        "new dispute": lambda: forms.RecordForm(db, o, "dispute"),
        "new person": lambda: forms.RecordForm(db, o, "person"),
        "edit case": lambda: forms.RecordForm(db, o, "case", filled["case"]),
        "level": lambda: forms.LevelDialog(db, o, "case", filled["case"], d.level, d.version, record_label="A1"),
        "bulk level": lambda: forms.BulkLevelDialog(db, o, "case", [filled["case"]]),
        "action": lambda: forms.ActionDialog(db, o, "dispute", filled["dispute"]),
        "convert": lambda: forms.ConvertDialog(db, o, filled["dispute"]),
        "reassign": lambda: forms.ReassignDialog(db, lead, "case", [filled["case"]]),
        "team member": lambda: forms.TeamMemberDialog(db, o, filled["person"]),
        "my work": lambda: MyWorkDialog(db, o),
        "reports": lambda: ReportDialog(db, lead),
        "export": lambda: ExportDialog(db, lead),
        "audit": lambda: AuditDialog(db),
        "backups": lambda: BackupDialog(db, lead),
    }


DIALOGS = ["new case", "new dispute", "new person", "edit case", "level", "bulk level", "action", "convert",
           "reassign", "team member", "my work", "reports", "export", "audit", "backups"]


@pytest.mark.parametrize("name", DIALOGS)
def test_every_dialog_is_reachable_and_leavable_by_tab(configured_app, qtbot, db, station, filled, name):
    dialog: QDialog = dialogs(db, station, filled)[name]()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    chain = check(qtbot, dialog)
    buttons = [b for box in dialog.findChildren(QDialogButtonBox) for b in box.buttons() if b.isVisible()]
    assert all(b in chain for b in buttons if b.isEnabled())
    assert not any(isinstance(w, QTabBar) and w.count() < 2 for w in chain)
    dialog.close()


def test_the_record_window_tab_chain(configured_app, qtbot, db, station, filled):
    from ui.records.workstation import Workstation

    ws = Workstation(db, station.officer)
    ws.open_record("person", filled["person"])
    qtbot.addWidget(ws.window)
    qtbot.waitExposed(ws.window)
    check(qtbot, ws.window)
