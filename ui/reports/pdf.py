"""PDF output of a report model: Qt's rich-text layout (QTextDocument) painted page by page onto a QPdfWriter.

A4, the fonts embedded by Qt, a header with the station and the "data as of" stamp and a footer
"第 n 页，共 N 页" on every page. The font is pinned to WenQuanYi Micro Hei where it is installed:
with Noto Sans CJK, Qt's PDFs map some characters to Kangxi radicals in ToUnicode, so pdftotext
and search give "⺠警" instead of "民警" (shared/ECOSYSTEM.md, gotcha 3); the test suite checks
the extracted text.
"""
from __future__ import annotations

import html
import os
import sys
from pathlib import Path

from app.reports.model import Figure, Paragraph, Report, Table, format_value

#: Fonts whose PDF text extracts cleanly, in order of preference, then the app's own list.
PDF_FONTS = ("WenQuanYi Micro Hei", "Microsoft YaHei", "SimSun", "Noto Sans CJK SC")
BODY_PT = 9.0


def _application():
    """The running QApplication, or one made for a command-line run (offscreen without a display)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication([sys.argv[0] if sys.argv else "station-intel"])
    return app


def pdf_font_family() -> str:
    from PySide6.QtGui import QFontDatabase

    families = set(QFontDatabase.families())
    for name in PDF_FONTS:
        if name in families:
            return name
    return PDF_FONTS[-1]


def _tokens() -> dict[str, str]:
    from ui.common.theme import PALETTES

    return PALETTES["light"]  # paper is always light


def _cell(value, kind: str) -> str:
    text = format_value(value, kind)
    return html.escape(text if text != "" else "")


def _table_html(t: Table, tok: dict[str, str]) -> str:
    head = []
    for col in t.columns:
        bg = tok[f"level.{col.level}.chip"] if col.level else tok["header.bg"]
        fg = tok[f"level.{col.level}.on"] if col.level else tok["text"]
        head.append(f'<th bgcolor="{bg}" style="color:{fg}">{html.escape(col.header)}</th>')
    parts = [f'<p class="tt">{html.escape(t.title)}</p>']
    if not t.rows:
        parts.append(f'<p class="muted">{html.escape(t.empty_text)}</p>')
        return "".join(parts)
    parts.append('<table width="100%" border="1" cellspacing="0" cellpadding="3" '
                 f'style="border-color:{tok["border"]}; border-collapse:collapse">')
    parts.append("<thead><tr>" + "".join(head) + "</tr></thead>")
    rows = list(t.rows) + ([t.total_values()] if t.totals else [])
    for i, row in enumerate(rows):
        level = t.row_levels[i] if t.row_levels and i < len(t.rows) else None
        cells = []
        for col, value in zip(t.columns, row):
            align = "right" if col.kind in ("int", "rate", "pct", "days") else "left"
            if t.totals and i == len(t.rows) and col.kind in ("rate", "pct") and col.total:
                value = _totals_value(t, col.key)
            if col.kind == "level" and value:
                attrs = f'bgcolor="{tok[f"level.{value}.chip"]}" style="color:{tok[f"level.{value}.on"]}" align="center"'
            elif level:
                attrs = f'bgcolor="{tok[f"level.{level}.bg"]}" align="{align}"'
            elif t.totals and i == len(t.rows):
                attrs = f'bgcolor="{tok["header.bg"]}" align="{align}"'
            else:
                attrs = f'align="{align}"'
            text = _cell(value, col.kind)
            if t.totals and i == len(t.rows):
                text = f"<b>{text}</b>"
            cells.append(f"<td {attrs}>{text}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</table>")
    if t.note:
        parts.append(f'<p class="muted">{html.escape(t.note)}</p>')
    return "".join(parts)


def _totals_value(t: Table, key: str):
    """A totals-row share (overdue / active) as Excel's formula computes it."""
    from app.services.stats import ratio

    tot = t.total_values()
    keys = [c.key for c in t.columns]
    if key == "share" and "overdue" in keys and "active" in keys:
        return ratio(tot[keys.index("overdue")], tot[keys.index("active")])
    return None


def report_html(report: Report, image_names: dict[int, str], content_px: int) -> str:
    tok = _tokens()
    css = (f"body {{ color:{tok['text']}; }} h1 {{ font-size:16pt; margin:0; }} "
           f"h2 {{ font-size:12pt; margin-top:14px; margin-bottom:4px; color:{tok['accent']}; }} "
           f"p.tt {{ font-weight:bold; margin-top:8px; margin-bottom:3px; }} "
           f"p.muted {{ color:{tok['text.muted']}; font-size:8pt; }} "
           f"th {{ font-weight:bold; }} td, th {{ font-size:8.5pt; }}")
    out = [f"<html><head><style>{css}</style></head><body>",
           f"<h1>{html.escape(report.title)}</h1>",
           f"<p>{html.escape(report.station)}　统计期间：{html.escape(report.period_label)}</p>",
           f'<p class="muted">{html.escape(report.stamp)}</p>']
    if report.subtitle:
        out.append(f'<p class="muted">{html.escape(report.subtitle)}</p>')
    for section in report.sections:
        out.append(f"<h2>{html.escape(section.heading)}</h2>")
        for block in section.blocks:
            if isinstance(block, Table):
                out.append(_table_html(block, tok))
            elif isinstance(block, Figure):
                out.append(f'<p class="tt">{html.escape(block.title)}</p>'
                           f'<p><img src="{image_names[id(block)]}" width="{content_px}"></p>')
            elif isinstance(block, Paragraph):
                out.append(f"<p>{html.escape(block.text)}</p>")
    out.append("</body></html>")
    return "".join(out)


def write_pdf(report: Report, path: str | Path, landscape: bool | None = None) -> Path:
    """Write `report` as an A4 PDF (temp file, then moved into place). Wide reports are landscape."""
    _application()
    from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

    path = Path(path)
    widest = max((sum(c.width for c in t.columns) for t in report.all_tables()), default=0)
    if landscape is None:
        landscape = widest > 90
    tmp = path.with_name(path.name + ".tmp")
    writer = QPdfWriter(str(tmp))
    writer.setResolution(300)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageOrientation(QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait)
    writer.setPageMargins(QMarginsF(14, 12, 14, 12), QPageLayout.Unit.Millimeter)
    writer.setTitle(f"{report.title} {report.period_label}")
    writer.setCreator(report.station or "station-intel")

    family = pdf_font_family()
    font = QFont(family)
    font.setPointSizeF(BODY_PT)
    doc = QTextDocument()
    doc.setDefaultFont(font)
    doc.documentLayout().setPaintDevice(writer)  # lay out in the writer's units: points stay points
    dpi = writer.resolution()
    page_w, page_h = writer.width(), writer.height()
    band = int(dpi * 0.28)  # header and footer bands, ~7 mm each
    body_h = page_h - 2 * band
    # Images are sized in 96-dpi pixels by the text layout (it scales them to the device).
    content_px = int(page_w * 96 / dpi) - 4
    names: dict[int, str] = {}
    figures = [b for s in report.sections for b in s.blocks if isinstance(b, Figure)]
    if figures:
        from ui.dashboard.charts import figure_image

        for k, fig in enumerate(figures):
            name = f"figure{k}.png"
            image = figure_image(fig, width_px=content_px * 2, height_px=int(content_px * 0.8))
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
            names[id(fig)] = name
    doc.setHtml(report_html(report, names, content_px))
    doc.setPageSize(QSizeF(page_w, body_h))
    pages = max(1, doc.pageCount())

    small = QFont(family)
    small.setPointSizeF(7.5)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write the PDF: {path}")
    try:
        muted = _tokens()["text.muted"]
        from PySide6.QtGui import QColor

        for i in range(pages):
            if i:
                writer.newPage()
            painter.setFont(small)
            painter.setPen(QColor(muted))
            top = QRectF(0, 0, page_w, band * 0.8)
            painter.drawText(top, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                             f"{report.station}　{report.title}　{report.period_label}")
            painter.drawText(top, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), report.stamp)
            painter.drawLine(0, int(band * 0.8), page_w, int(band * 0.8))
            bottom = QRectF(0, page_h - band * 0.8, page_w, band * 0.8)
            painter.drawText(bottom, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
                             f"第 {i + 1} 页，共 {pages} 页")
            painter.save()
            painter.translate(0, band - i * body_h)
            doc.drawContents(painter, QRectF(0, i * body_h, page_w, body_h))
            painter.restore()
    finally:
        painter.end()
    del writer
    if not tmp.exists() or tmp.stat().st_size == 0:
        raise OSError(f"the PDF was not written: {path}")
    os.replace(tmp, path)
    return path


__all__ = ["write_pdf", "report_html", "pdf_font_family"]
