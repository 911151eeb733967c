"""Blank ledgers per module, for stations starting a new ledger: the columns the importer knows,
drop-downs for the closed lists, ID and phone columns as text, and a sheet of instructions."""
from __future__ import annotations

import csv
from pathlib import Path

from app.domain.levels import Module
from app.ledger.fields import FIELDS, value_targets

TEMPLATE_TITLES = {Module.CASE: "案件台账", Module.DISPUTE: "矛盾纠纷排查化解台账", Module.PERSON: "重点人员管控台账"}
TEXT_KINDS = ("id", "phone", "code")
DATA_ROWS = 500


def template_columns(module: Module) -> list:
    """The template's columns: every field the importer knows (the status column says which rows
    are closed, converted or de-listed; the level is the one the record had while open)."""
    return list(FIELDS[module])


def write_template(module: Module, path: str | Path) -> Path:
    out = Path(path)
    specs = template_columns(module)
    if out.suffix.lower() == ".csv":
        with open(out, "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerow([s.titles[0] for s in specs])
        return out
    template_workbook(module).save(out)
    return out


def template_workbook(module: Module):
    """The template as an openpyxl Workbook: title row, header row 2, drop-downs, text and date
    formats for DATA_ROWS rows, and the instructions sheet (the ledger export fills it in)."""
    specs = template_columns(module)
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = TEMPLATE_TITLES[module][:31]
    ws.append([TEMPLATE_TITLES[module]])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(specs))
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([s.titles[0] + ("*" if s.required else "") for s in specs])
    for c, spec in enumerate(specs, start=1):
        cell = ws.cell(2, c)
        cell.font = Font(bold=True, color="FFB3261E" if spec.required else "FF1F1F1F")
        cell.fill = PatternFill("solid", fgColor="FFECEFF3")
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = 22 if spec.kind in ("id", "code") else max(12, len(spec.titles[0]) * 2 + 4)
        body = f"{letter}3:{letter}{DATA_ROWS + 2}"
        if spec.kind in TEXT_KINDS:
            for r in range(3, DATA_ROWS + 3):  # typed ID numbers stay text: Excel would round them
                ws.cell(r, c).number_format = "@"
        elif spec.kind == "date":
            for r in range(3, DATA_ROWS + 3):
                ws.cell(r, c).number_format = "yyyy-mm-dd"
        targets = value_targets(module, spec.key)
        if targets and spec.kind != "risks":
            dv = DataValidation(type="list", formula1='"' + ",".join(targets.values()) + '"', allow_blank=True)
            dv.error = f"请从列表中选择{spec.zh}"
            dv.add(body)
            ws.add_data_validation(dv)
    ws.freeze_panes = "A3"
    notes = wb.create_sheet("填写说明")
    notes.append(["列", "是否必填", "填写要求"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for spec in specs:
        targets = value_targets(module, spec.key)
        if spec.kind == "date":
            rule = "日期，如 2025-03-08、2025年3月8日、2025.3.8 或 2025/03/08"
        elif spec.kind == "id":
            rule = "18位身份证号，按文本填写（本列已设为文本格式，勿改为数字）"
        elif spec.kind == "officer":
            rule = "本所民警姓名，须与系统中的民警名单一致"
        elif targets:
            rule = ("可多选，用顿号分隔：" if spec.kind == "risks" else "从下拉列表选择：") + "、".join(targets.values())
        else:
            rule = f"文字，如：{spec.example}" if spec.example else "文字"
        notes.append([spec.titles[0], "必填" if spec.required else "", rule])
    notes.append([])
    notes.append(["说明", "", "表头必须保留；表头上方可以有标题行，表尾的“合计”行和空行会被跳过。"])
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["C"].width = 80
    return wb
