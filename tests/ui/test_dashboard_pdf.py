"""The report pack as PDF: A4, fonts embedded, Chinese text extractable by pdftotext (no Kangxi radicals), page numbers."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest

from app.cli import main
from app.reports.pack import REPORTS, build_report
from app.store import SqliteStore

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


def _text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _pages(path) -> tuple[int, str]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    return int(fields["Pages"]), fields["Page size"].strip()


@pytest.fixture
def demo_db(station_path):
    db = SqliteStore(station_path)
    yield db
    db.close()


@pytest.mark.parametrize("name", list(REPORTS))
def test_each_report_as_pdf_keeps_its_chinese_text(configured_app, demo_db, tmp_path, name):
    from ui.reports.pdf import write_pdf

    today = date.today()
    period = {"morning": today.isoformat(), "red": today.isoformat(), "weekly": "{}-W{:02d}".format(
        *today.isocalendar()[:2]), "monthly": f"{today:%Y-%m}", "accountability": f"{today:%Y-%m}",
        "breakdown": f"{today:%Y-%m}"}[name]
    report = build_report(demo_db, name, period, today)
    out = write_pdf(report, tmp_path / f"{name}.pdf")
    text = _text(out)
    pages, size = _pages(out)
    assert "A4" in size
    # The title, the station, the "data as of" stamp and the page numbers, character for character:
    # with the Noto CJK font these came out as Kangxi radicals (⺠警, ⽉, ⽇).
    for expected in (report.title, report.station, "数据截至", f"第 1 页，共 {pages} 页", "统计期间"):
        assert expected in text, expected
    assert not any("\u2e80" <= ch <= "\u2fdf" for ch in text), "Kangxi radicals in the extracted text"
    headings = [s.heading for s in report.sections]
    assert all(h in text for h in headings)
    if name in ("accountability", "morning", "red"):
        assert "民警" in text
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in r for r in rows), fonts  # every font embedded


def test_pdf_numbers_match_the_report_model(configured_app, demo_db, tmp_path):
    from ui.reports.pdf import write_pdf

    today = date.today()
    report = build_report(demo_db, "monthly", f"{today:%Y-%m}", today)
    text = _text(write_pdf(report, tmp_path / "m.pdf"))
    levels = next(t for t in report.all_tables() if t.title.startswith("各类预警等级"))
    for row in levels.rows:
        line = next(ln for ln in text.splitlines() if ln.strip().startswith(row[0]) and str(row[1]) in ln)
        assert [str(v) for v in row[1:7]] == line.split()[1:7]


def test_report_command_writes_a_pdf(configured_app, station_path, tmp_path, capsys):
    out = tmp_path / "红色清单.pdf"
    assert main(["report", "red", "--db", str(station_path), "--period", date.today().isoformat(),
                 "--out", str(out)]) == 0
    assert "红色预警记录清单" in _text(out)
    assert not (tmp_path / "红色清单.pdf.tmp").exists()


def test_breakdown_pdf_prints_the_figures_of_the_model(configured_app, demo_db, tmp_path):
    from app.reports.model import format_value
    from ui.reports.pdf import write_pdf

    today = date.today()
    report = build_report(demo_db, "breakdown", f"{today:%Y-%m}", today)
    text = _text(write_pdf(report, tmp_path / "b.pdf"))
    lines = [ln.split() for ln in text.splitlines()]
    for t in report.all_tables():
        for row in t.rows:
            shown = [format_value(v, c.kind) for v, c in zip(row, t.columns)]
            assert shown in lines, (t.title, shown)
