"""The full-screen briefing window: slides on the projector, driven by a presenter clicker.

Keys (what common presenter clickers send): PageDown / Right / Down / Space / Return next,
PageUp / Left / Up / Backspace previous, Home / End first / last, B or "." blanks the screen
(again: back), F11 full screen on / off, Esc ends the briefing (or first un-blanks), F5 / R
reloads now, W switches between the morning briefing and the weekly consultation, Ctrl+U shows
the key persons' full names (station leader only; audited; masked again after a while), Ctrl+P
writes the PDF handout. A left click goes forward, a right click back.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QSettings, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QScreen
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from app.domain.permissions import allowed
from app.errors import PermissionDenied, StationError
from app.services import briefing as service
from app.store import Store
from ui.briefing.canvas import HEIGHT, WIDTH, SlidePainter, fit_rect
from ui.briefing.handout import write_handout
from ui.briefing.pages import Chrome, Page, build_pages
from ui.common.theme import Theme
from ui.records.columns import lang_code

NEXT_KEYS = {Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Space, Qt.Key.Key_Return,
             Qt.Key.Key_Enter, Qt.Key.Key_N}
PREVIOUS_KEYS = {Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Backspace, Qt.Key.Key_P}
BLANK_KEYS = {Qt.Key.Key_B, Qt.Key.Key_Period}


@dataclass(frozen=True)
class BriefingPrefs:
    """The briefing's preferences (QSettings, group "briefing"), declared once with their defaults."""

    #: Seconds each slide stays before the next comes up on its own; 0 turns rotation off.
    rotate_seconds: int = 30
    #: Minutes between reloads of the data.
    refresh_minutes: int = 5
    #: Seconds full names stay on the wall after a leader unmasks them.
    unmask_seconds: int = 120

    @classmethod
    def load(cls, settings: QSettings | None = None) -> "BriefingPrefs":
        s = settings or QSettings()
        d = cls()

        def read(key: str, default: int, low: int, high: int) -> int:
            try:
                value = int(s.value(f"briefing/{key}", default))
            except (TypeError, ValueError):
                return default
            return min(max(value, low), high)

        return cls(read("rotate_seconds", d.rotate_seconds, 0, 3600),
                   read("refresh_minutes", d.refresh_minutes, 1, 240),
                   read("unmask_seconds", d.unmask_seconds, 10, 3600))

    def save(self, settings: QSettings | None = None) -> None:
        s = settings or QSettings()
        for key in ("rotate_seconds", "refresh_minutes", "unmask_seconds"):
            s.setValue(f"briefing/{key}", getattr(self, key))


def projector_screen(screens: list, current) -> object:
    """The screen the briefing goes to: another one than the workstation's when there are several."""
    others = [s for s in screens if s is not current]
    return others[0] if len(screens) > 1 and others else current


class BriefingWindow(QWidget):
    """One top-level window showing the current slide; it reloads itself and rotates the slides."""

    page_changed = Signal(int)
    """The slide shown changed (its index)."""
    refreshed = Signal()
    """The data was reloaded from the database."""

    def __init__(self, db: Store, actor=None, *, mode: str = "daily", prefs: BriefingPrefs | None = None,
                 clock: Callable[[], datetime] | None = None, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self._db = db
        self.actor = actor
        self.prefs = prefs or BriefingPrefs.load()
        self._clock = clock or datetime.now
        self.theme = Theme("projector")
        self.mode = service.mode_of(mode).key
        self.setWindowTitle(self.tr("晨会简报") if self.mode == "daily" else self.tr("每周会商研判"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(640, 360)
        self.resize(1280, 720)
        self.briefing: service.Briefing | None = None
        self.pages: list[Page] = []
        self.index = 0
        self.blank = False
        self.notice = ""
        self.next_refresh: datetime | None = None
        #: What the last paint put on the wall (the tests read it): every string, and the cut ones.
        self.painted_texts: list[str] = []
        self.painted_elided: list[str] = []

        self._rotate = QTimer(self)
        self._rotate.timeout.connect(self._on_rotate_timeout)
        self._refresh = QTimer(self)
        self._refresh.timeout.connect(self._on_refresh_timeout)
        self._remask = QTimer(self)
        self._remask.setSingleShot(True)
        self._remask.timeout.connect(self._on_remask_timeout)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self._on_notice_timeout)

        # Shown now: this showing becomes "the last briefing" for the next one.
        self.since = service.start_briefing(db, actor, self.mode, self._clock())
        self.refresh()
        self._restart_rotation()
        self._refresh.start(self.prefs.refresh_minutes * 60_000)

    # -- data ---------------------------------------------------------------------------------
    @property
    def database(self) -> Store:
        return self._db

    @property
    def unmasked(self) -> bool:
        return bool(self.briefing and self.briefing.unmasked)

    def refresh(self, unmask: bool = False) -> None:
        """Reload every figure (masked again unless `unmask`), keeping the slide on the wall."""
        key = self.pages[self.index].key if self.pages else None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.briefing = service.build_briefing(self._db, mode=self.mode, since=self.since, now=self._clock(),
                                                   unmask_by=self.actor if unmask else None)
        finally:
            QApplication.restoreOverrideCursor()
        self.pages = build_pages(self.briefing)
        keys = [p.key for p in self.pages]
        self.index = keys.index(key) if key in keys else min(self.index, len(self.pages) - 1)
        self.next_refresh = self.briefing.as_of + timedelta(minutes=self.prefs.refresh_minutes)
        if self._refresh.isActive():
            self._refresh.start()  # a reload by hand restarts the countdown shown in the footer
        if not unmask:
            self._remask.stop()
        self.update()
        self.refreshed.emit()

    def _on_refresh_timeout(self) -> None:
        try:
            self.refresh()
        except StationError as exc:  # a locked or vanished file: the last picture stays, with a note
            self.show_notice(self.tr("刷新失败：%1").replace("%1", exc.message(lang_code())), seconds=30)

    def set_mode(self, mode: str) -> None:
        """Switch between the morning briefing and the weekly consultation."""
        self.mode = service.mode_of(mode).key
        self.setWindowTitle(self.tr("晨会简报") if self.mode == "daily" else self.tr("每周会商研判"))
        self.since = service.start_briefing(self._db, self.actor, self.mode, self._clock())
        self.index = 0
        self.refresh()

    # -- privacy ------------------------------------------------------------------------------
    def toggle_unmask(self) -> bool:
        """Full names on / off. Only a station leader may turn them on, and that is audited.
        Returns whether full names are now shown."""
        if self.unmasked:
            self.refresh()
            return False
        if self.actor is None or not allowed(getattr(self.actor, "role", None), "unmask"):
            self.show_notice(self.tr("仅所领导可查看完整姓名和身份证号"))
            return False
        try:
            self.refresh(unmask=True)
        except PermissionDenied as exc:
            self.show_notice(exc.message(lang_code()))
            return False
        except StationError as exc:  # the audit entry could not be written: nothing is unmasked
            self.show_notice(exc.message(lang_code()))
            return False
        self._remask.start(self.prefs.unmask_seconds * 1000)
        return True

    def _on_remask_timeout(self) -> None:
        if self.unmasked:
            self.refresh()

    # -- handout ------------------------------------------------------------------------------
    def export_handout(self, path: str | Path) -> Path:
        """The PDF handout of what is shown, always with personal data masked (it leaves the room)."""
        data = self.briefing
        if data is None or data.unmasked:
            data = service.build_briefing(self._db, mode=self.mode, since=self.since, now=self._clock())
        return write_handout(path, data, self.theme)

    def _ask_handout(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name = f"{self.briefing.station_name}{self.windowTitle()}{self.briefing.as_of:%Y%m%d}.pdf"
        was_full = self.isFullScreen()
        self._rotate.stop()
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存讲义"), str(Path(folder) / name),
                                              self.tr("PDF 文件 (*.pdf)"))
        self._restart_rotation()
        if was_full and not self.isFullScreen():
            self.showFullScreen()
        if not path:
            return
        try:
            saved = self.export_handout(path)
        except StationError as exc:
            self.show_notice(exc.message(lang_code()))
            return
        self.show_notice(self.tr("讲义已保存：%1").replace("%1", saved.name))

    # -- navigation ---------------------------------------------------------------------------
    def go_to(self, index: int) -> None:
        if not self.pages:
            return
        index = max(0, min(index, len(self.pages) - 1))
        if index != self.index:
            self.index = index
            self.page_changed.emit(index)
        self.update()

    def next_page(self) -> None:
        self.go_to(self.index + 1)

    def previous_page(self) -> None:
        self.go_to(self.index - 1)

    def set_blank(self, blank: bool) -> None:
        self.blank = blank
        if blank:
            self._rotate.stop()
        else:
            self._restart_rotation()
        self.update()

    def _restart_rotation(self) -> None:
        if self.prefs.rotate_seconds and not self.blank:
            self._rotate.start(self.prefs.rotate_seconds * 1000)
        else:
            self._rotate.stop()

    def _on_rotate_timeout(self) -> None:
        if self.pages:
            self.go_to((self.index + 1) % len(self.pages))

    def show_notice(self, text: str, seconds: int = 5) -> None:
        self.notice = text
        self._notice_timer.start(seconds * 1000)
        self.update()

    def _on_notice_timeout(self) -> None:
        self.notice = ""
        self.update()

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def show_on_projector(self, workstation_screen: QScreen | None = None) -> None:
        """Full screen on the second screen when there is one, so the workstation stays usable."""
        current = workstation_screen or QGuiApplication.primaryScreen()
        target = projector_screen(QGuiApplication.screens(), current)
        if target is not None:
            self.setScreen(target)
            self.setGeometry(target.geometry())
        self.showFullScreen()
        self.raise_()
        self.activateWindow()

    # -- events -------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if ctrl and key == Qt.Key.Key_U:
            self.toggle_unmask()
        elif ctrl and key == Qt.Key.Key_P:
            self._ask_handout()
        elif self.blank and key not in (Qt.Key.Key_F11,):
            self.set_blank(False)  # any key brings the picture back, as on presentation software
        elif key in BLANK_KEYS:
            self.set_blank(True)
        elif key in NEXT_KEYS:
            self.next_page()
            self._restart_rotation()
        elif key in PREVIOUS_KEYS:
            self.previous_page()
            self._restart_rotation()
        elif key == Qt.Key.Key_Home:
            self.go_to(0)
            self._restart_rotation()
        elif key == Qt.Key.Key_End:
            self.go_to(len(self.pages) - 1)
            self._restart_rotation()
        elif key == Qt.Key.Key_F11:
            self.toggle_full_screen()
        elif key == Qt.Key.Key_Escape:
            self.close()
        elif key in (Qt.Key.Key_F5, Qt.Key.Key_R):
            self._on_refresh_timeout()
        elif key == Qt.Key.Key_W:
            self.set_mode("weekly" if self.mode == "daily" else "daily")
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.set_blank(False) if self.blank else self.next_page()
        elif event.button() == Qt.MouseButton.RightButton:
            self.previous_page()
        self._restart_rotation()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        # No pointer on the projector picture.
        if self.isFullScreen():
            self.setCursor(Qt.CursorShape.BlankCursor)
        else:
            self.unsetCursor()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.theme.color("window.bg") if not self.blank else Qt.GlobalColor.black)
        if self.blank or not self.pages:
            self.painted_texts, self.painted_elided = [], []
            painter.end()
            return
        area = fit_rect(self.width(), self.height())
        painter.translate(area.topLeft())
        painter.scale(area.width() / WIDTH, area.height() / HEIGHT)
        sp = SlidePainter(painter, self.theme)
        chrome = Chrome(self.index + 1, len(self.pages), self.next_refresh, self.notice)
        self.pages[self.index].paint(sp, chrome)
        painter.end()
        self.painted_texts, self.painted_elided = sp.texts, sp.elided

    def closeEvent(self, event: QCloseEvent) -> None:
        for timer in (self._rotate, self._refresh, self._remask, self._notice_timer):
            timer.stop()
        super().closeEvent(event)


def open_briefing(db: Store, actor=None, *, mode: str = "daily", parent: QWidget | None = None) -> BriefingWindow:
    """Open the briefing for the current database and actor, full screen on the projector."""
    window = BriefingWindow(db, actor, mode=mode, parent=parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show_on_projector(parent.screen() if parent is not None else None)
    return window
