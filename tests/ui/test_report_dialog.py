"""The report pack from the window: one step per report, the file read back by its reader."""
import subprocess
from datetime import date

from openpyxl import load_workbook

from app.demo import generate_demo
from app.services import audit
from app.services.org import default_actor
from ui.reports.report_dialog import ReportDialog, default_period


def test_default_periods():
    d = date(2025, 5, 15)
    assert default_period("2025-05-15", d) == "2025-05-15"
    assert default_period("2025-W19", d) == "2025-W20"
    assert default_period("2025-05", d) == "2025-05"


def test_monthly_excel_and_red_list_pdf_in_one_step_each(qtbot, db, tmp_path):
    generate_demo(db, seed=8, scale=0.1, as_of=date(2025, 5, 20))
    dialog = ReportDialog(db, default_actor(db), today=date(2025, 5, 20))
    qtbot.addWidget(dialog)
    dialog.report.setCurrentIndex(dialog.report.findData("monthly"))
    assert dialog.period.text() == "2025-05"
    dialog.path.setText(str(tmp_path / "monthly.xlsx"))
    with qtbot.waitSignal(dialog.generated, timeout=20000):
        dialog.generate()
    assert dialog.written == tmp_path / "monthly.xlsx", dialog.status.text()
    assert load_workbook(dialog.written)["案件"]["A1"].value == "月度统计报表"
    dialog.report.setCurrentIndex(dialog.report.findData("red"))
    dialog.pdf.setChecked(True)
    dialog.path.setText(str(tmp_path / "red.pdf"))
    with qtbot.waitSignal(dialog.generated, timeout=20000):
        dialog.generate()
    assert dialog.written == tmp_path / "red.pdf", dialog.status.text()
    text = subprocess.run(["pdftotext", str(dialog.written), "-"], capture_output=True, text=True, check=True).stdout
    assert "红色预警记录清单" in text
    assert [e.action for e in audit.list_entries(db)][:2] == ["export_report", "export_report"]


def test_a_bad_period_is_named_and_nothing_is_written(qtbot, db, station, tmp_path):
    dialog = ReportDialog(db, station.leader)
    qtbot.addWidget(dialog)
    dialog.period.setText("2025-13")
    dialog.path.setText(str(tmp_path / "x.xlsx"))
    with qtbot.waitSignal(dialog.failed, timeout=20000):
        dialog.generate()
    assert dialog.written is None and "统计期间" in dialog.status.text()
    assert not (tmp_path / "x.xlsx").exists()
