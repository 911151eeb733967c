"""The task runner: work off the GUI thread with throttled progress, cancel, failures as messages."""
from __future__ import annotations

import csv
import threading
import time

import pytest
from PySide6.QtCore import QThread, QThreadPool, QTimer
from PySide6.QtWidgets import QPushButton
from sqlalchemy import func, select

from app.domain.levels import Module
from app.ledger.importer import plan_import, run_import
from app.ledger.mapping import LedgerMapping
from app.services import audit
from models import Case
from ui.common import task_runner
from ui.common.task_runner import Task, run_task, worker_database


@pytest.fixture(autouse=True)
def no_worker_left(qapp):
    """A test that leaves a worker thread running fails (napari's fixture, STYLE.md)."""
    yield
    assert QThreadPool.globalInstance().waitForDone(5000), "a worker thread is still running"
    assert QThreadPool.globalInstance().activeThreadCount() == 0


def _cases(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Case))


def _big_ledger(path, rows: int):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["案件编号", "案件类别", "案由", "受案日期", "预警等级", "主办民警"])
        for i in range(rows):
            w.writerow([f"B{i:05d}", "刑事", "盗窃", "2025-03-08", "黄", "张伟"])
    return path


def test_results_and_throttled_progress_arrive_on_the_gui_thread(qtbot):
    gui = QThread.currentThread()
    threads, seen = [], []

    def work(progress, cancelled):
        threads.append(threading.current_thread() is threading.main_thread())
        for i in range(1, 2001):
            progress(i, 2000)
        return "done"

    def on_progress(done, total):
        seen.append((done, total, QThread.currentThread() is gui))

    task = Task(work)
    task.progressed.connect(on_progress)
    with qtbot.waitSignal(task.succeeded, timeout=5000) as sig:
        task.start()
    assert sig.args == ["done"] and threads == [False]
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][0] == 2000)
    assert seen[-1][:2] == (2000, 2000)
    assert all(on_gui for _, _, on_gui in seen)
    assert len(seen) < 200  # 2,000 calls throttled to a handful of signals
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)
    assert task.dialog is None and not task.running  # quick work never shows a dialog


def test_cancel_stops_a_ledger_import_and_leaves_the_database_unchanged(qtbot, db, station, tmp_path):
    plan = plan_import(_big_ledger(tmp_path / "big.csv", 3000), Module.CASE, LedgerMapping())
    before = len(audit.list_entries(db))
    progressed = []

    def work(progress, cancelled):
        with worker_database(db) as own:
            return run_import(own, station.leader, plan, progress=progress, cancelled=cancelled)

    def on_progress(done, total):
        progressed.append(done)
        task.cancel()

    task = Task(work)
    task.progressed.connect(on_progress)
    with qtbot.waitSignal(task.failed, timeout=60000) as sig:
        task.start()
    message, exc = sig.args
    assert "取消" in message and progressed and progressed[-1] < 3000
    assert _cases(db) == 0
    assert len(audit.list_entries(db)) == before


def test_the_same_import_uncancelled_writes_through_its_own_connection(qtbot, db, station, tmp_path):
    plan = plan_import(_big_ledger(tmp_path / "small.csv", 50), Module.CASE, LedgerMapping())

    def work(progress, cancelled):
        with worker_database(db) as own:
            return run_import(own, station.leader, plan, progress=progress, cancelled=cancelled)

    task = Task(work)
    with qtbot.waitSignal(task.succeeded, timeout=60000) as sig:
        task.start()
    assert sig.args[0].added == 50 and _cases(db) == 50


def test_a_storage_failure_becomes_a_clear_message(qtbot):
    from sqlalchemy.exc import OperationalError

    def work(progress, cancelled):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    got = []
    task = run_task(work, on_failure=lambda message, exc: got.append((message, exc)))
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert got[0][0] == "数据库正被其他程序使用，请稍后重试"
    assert isinstance(task.error, OperationalError)


def test_without_a_handler_a_failure_is_shown_in_a_message_box(qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(task_runner.QMessageBox, "warning", lambda parent, title, text: shown.append((title, text)))

    def work(progress, cancelled):
        raise OSError(28, "No space left on device", "/mnt/usb/x.stpkg")

    task = run_task(work)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert shown and "No space left on device" in shown[0][1] and "/mnt/usb/x.stpkg" in shown[0][1]


def test_a_bug_is_logged_with_its_traceback_and_shown(qtbot, caplog):
    def work(progress, cancelled):
        return {}["missing"]

    task = Task(work)
    with qtbot.waitSignal(task.failed, timeout=5000) as sig:
        task.start()
    assert "KeyError" in sig.args[0]
    assert any(r.exc_info and r.exc_info[0] is KeyError for r in caplog.records)


def test_the_gui_stays_responsive_and_long_work_shows_a_cancellable_dialog(qtbot):
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(10)
    dialogs = []

    def work(progress, cancelled):
        end = time.monotonic() + 0.9
        n = 0
        while time.monotonic() < end:  # pure Python: holds the GIL between switches
            n += sum(range(2000))
            progress(int(1000 * (0.9 - (end - time.monotonic())) / 0.9), 1000)
            if cancelled():
                return "cancelled"
        return "finished"

    task = Task(work, label="测试")
    task.progressed.connect(lambda d, t: dialogs.append(task.dialog is not None))
    started = time.monotonic()
    with qtbot.waitSignal(task.finished, timeout=10000):
        task.start()
    timer.stop()
    during = [t for t in ticks if t >= started]
    assert len(during) >= 20, f"the GUI timer fired only {len(during)} times in ~0.9 s"
    gaps = [b - a for a, b in zip(during, during[1:])]
    assert max(gaps) < 0.25  # never frozen: a 10 ms timer, generous for a loaded CI machine
    assert not dialogs[0] and any(dialogs)  # no dialog at first, one after ~0.5 s
    assert task.dialog is None  # closed when the work ended


def test_the_dialogs_cancel_button_cancels(qtbot):
    def work(progress, cancelled):
        end = time.monotonic() + 10
        while time.monotonic() < end:
            progress(1, 2)
            if cancelled():
                return "cancelled"
            time.sleep(0.01)
        return "ran to the end"

    task = Task(work)
    task.start()
    qtbot.waitUntil(lambda: task.dialog is not None, timeout=5000)
    with qtbot.waitSignal(task.succeeded, timeout=5000) as sig:
        task.dialog.findChild(QPushButton).click()  # the 取消 button a person presses
    assert sig.args == ["cancelled"]
