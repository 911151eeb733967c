"""The idle lock hides the data and only the logged-in account's password brings it back."""
from app.services import accounts as A, audit
from app.startup import DEMO_PASSWORD, create_demo_database
from ui.common.idle_lock import IdleWatcher
from ui.main_window import MainWindow


def test_idle_lock_hides_data_and_unlocks_with_the_password(qtbot, tmp_path):
    path = tmp_path / "demo.db"
    db, _ = create_demo_database(path, seed=3, scale=0.05)
    db.close()
    session = A.login(path, "officer", DEMO_PASSWORD)
    window = MainWindow(session.db, actor=session.actor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.idle_watcher is not None
    with qtbot.waitSignal(window.idle_watcher.idle, timeout=5000):
        window.idle_watcher._timer.setInterval(50)
        window.idle_watcher.restart()
    assert window.is_locked and not window.centralWidget().isVisible()
    dialog = window.unlock_dialog
    dialog.password.setText("wrong-password")
    dialog.accept()
    assert window.is_locked and dialog.error.isVisible()
    dialog.password.setText(DEMO_PASSWORD)
    dialog.accept()
    assert not window.is_locked and window.centralWidget().isVisible()
    actions = [e.action for e in audit.list_entries(session.db) if e.account == "officer"]
    assert "unlock_failed" in actions and "unlock" in actions
    window.idle_watcher.stop()
    window.close()
    session.db.close()


def test_activity_restarts_the_count(qtbot):
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication, QWidget

    w = QWidget()
    qtbot.addWidget(w)
    watcher = IdleWatcher(interval_ms=200)
    fired = []
    watcher.idle.connect(lambda: fired.append(1))
    for _ in range(6):  # keep moving the mouse for ~600 ms: never idle
        qtbot.wait(100)
        QApplication.sendEvent(w, QMouseEvent(QEvent.Type.MouseMove, QPointF(5, 5), QPointF(5, 5),
                                              Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                                              Qt.KeyboardModifier.NoModifier))
    assert fired == []
    qtbot.waitUntil(lambda: fired == [1], timeout=3000)
    watcher.stop()
