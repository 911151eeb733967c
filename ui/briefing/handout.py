"""The handout: the same briefing as a PDF, one A4 landscape page per slide, text kept as text."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from app.errors import StationError
from app.services.briefing import Briefing
from ui.briefing.canvas import HEIGHT, WIDTH, SlidePainter, fit_rect, pdf_families
from ui.briefing.pages import Chrome, Page, build_pages
from ui.common.theme import Theme

RESOLUTION = 300


def write_handout(path: str | Path, briefing: Briefing, theme: Theme | None = None) -> Path:
    """Write the briefing's slides to `path` and return it. The file appears complete or not at
    all (written beside it, flushed to disk, then renamed), so an earlier handout of the same
    name survives a failure."""
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    theme = theme or Theme("projector")
    pages = build_pages(briefing)
    try:  # a missing or read-only folder named in Python's words, before Qt only says "begin() failed"
        tmp.open("wb").close()
    except OSError as exc:
        raise StationError(f"无法写入讲义文件：{target}（{exc.strerror or exc}）",
                           f"cannot write the handout: {target} ({exc.strerror or exc})", "path") from exc
    writer = QPdfWriter(str(tmp))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                     QMarginsF(8, 8, 8, 8), QPageLayout.Unit.Millimeter))
    writer.setResolution(RESOLUTION)
    mode = "晨会简报" if briefing.mode == "daily" else "每周会商研判"
    writer.setTitle(f"{briefing.station_name} {mode} {briefing.as_of:%Y-%m-%d %H:%M}")
    writer.setCreator("StationIntel")
    painter = QPainter()
    if not painter.begin(writer):
        tmp.unlink(missing_ok=True)
        raise StationError(f"无法写入讲义文件：{target}", f"cannot write the handout: {target}", "path")
    try:
        families = pdf_families()
        for i, page in enumerate(pages):
            if i:
                writer.newPage()
            _paint_page(painter, writer.width(), writer.height(), page, Chrome(i + 1, len(pages)), theme, families)
    finally:
        painter.end()
    try:
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StationError(f"无法写入讲义文件：{target}（{exc.strerror or exc}）",
                           f"cannot write the handout: {target} ({exc.strerror or exc})", "path") from exc
    return target


def _paint_page(painter: QPainter, width: int, height: int, page: Page, chrome: Chrome, theme: Theme,
                families: list[str]) -> SlidePainter:
    area = fit_rect(width, height)
    painter.save()
    painter.translate(area.topLeft())
    painter.scale(area.width() / WIDTH, area.height() / HEIGHT)
    sp = SlidePainter(painter, theme, families)
    page.paint(sp, chrome)
    painter.restore()
    return sp
