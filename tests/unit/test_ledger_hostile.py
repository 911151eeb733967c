"""Hostile ledgers are refused before they are unpacked or parsed, each with one line naming the limit;
dates at the edge of Excel's calendar are judged the same whichever way they are written."""
from __future__ import annotations

import zipfile
from datetime import date

import pytest
from openpyxl import Workbook

from app.errors import ValidationError
from app.ledger import reader
from app.ledger.reader import read_ledger
from app.ledger.values import parse_date


def _workbook(path, rows=(("案件编号", "受案日期"), ("A1", "2025-03-08"))):
    wb = Workbook()
    for r in rows:
        wb.active.append(list(r))
    wb.save(path)
    return path


def _rewrite(src, dst, change):
    """Copy an .xlsx part by part, letting `change(name, data)` replace a part's bytes."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info.filename)))
    return dst


def refused(path) -> str:
    with pytest.raises(ValidationError) as err:
        read_ledger(path)
    assert "\n" not in err.value.zh
    return err.value.zh


def test_a_50_mb_cell_is_refused_naming_the_limit(tmp_path):
    src = _workbook(tmp_path / "ok.xlsx")
    big = b"x" * (50 * 2**20)

    def change(name, data):
        return data.replace(b">A1<", b">" + big + b"<") if name == "xl/worksheets/sheet1.xml" else data

    bad = _rewrite(src, tmp_path / "big.xlsx", change)
    assert bad.stat().st_size < 1 * 2**20  # it packs small: the limit is on what it would become
    assert "超过32767个字符的上限" in refused(bad) or "压缩比超过" in refused(bad)


def test_a_long_cell_under_the_ratio_is_refused_by_the_cell_limit(tmp_path):
    src = _workbook(tmp_path / "ok.xlsx")
    import os

    noise = os.urandom(60_000).hex().encode()  # does not compress: only the cell limit can catch it

    def change(name, data):
        return data.replace(b">A1<", b">" + noise + b"<") if name == "xl/worksheets/sheet1.xml" else data

    assert "超过32767个字符的上限" in refused(_rewrite(src, tmp_path / "long.xlsx", change))


def test_entity_expansion_is_refused(tmp_path):
    src = _workbook(tmp_path / "ok.xlsx")
    dtd = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>')

    def change(name, data):
        if name == "xl/worksheets/sheet1.xml":
            return dtd + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data)
        return data

    assert "实体展开" in refused(_rewrite(src, tmp_path / "lol.xlsx", change))


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    src = _workbook(tmp_path / "ok.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    _rewrite(src, bomb, lambda name, data: data)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/zeros.bin", b"\0" * (300 * 2**20))
    assert bomb.stat().st_size < 2 * 2**20
    assert "MB" in refused(bomb) and "上限" in refused(bomb)


def test_too_many_rows_or_columns_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_ROWS", 50)
    wb = Workbook()
    for i in range(60):
        wb.active.append([f"A{i}", "2025-03-08"])
    wb.save(tmp_path / "rows.xlsx")
    assert "超过50行或1000列的上限" in refused(tmp_path / "rows.xlsx")
    wb = Workbook()
    wb.active.cell(1, 1001).value = "x"
    wb.save(tmp_path / "cols.xlsx")
    assert "列的上限" in refused(tmp_path / "cols.xlsx")
    (tmp_path / "rows.csv").write_text("\n".join(f"A{i},2025-03-08" for i in range(60)), encoding="utf-8")
    assert "超过50行" in refused(tmp_path / "rows.csv")


def test_a_long_csv_field_and_a_huge_file_are_refused(tmp_path, monkeypatch):
    (tmp_path / "long.csv").write_text("案件编号,受案日期\n" + "x" * 200_000 + ",2025-03-08\n", encoding="utf-8")
    assert "32767个字符" in refused(tmp_path / "long.csv")
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 1000)
    (tmp_path / "huge.csv").write_text("x," * 1000, encoding="utf-8")
    assert "上限" in refused(tmp_path / "huge.csv")


def test_an_ordinary_workbook_still_reads(tmp_path):
    ledger = read_ledger(_workbook(tmp_path / "ok.xlsx"))
    assert ledger.sheet().rows[1] == ["A1", "2025-03-08"]


@pytest.mark.parametrize("cell", [1, 1.0, "1", "1899-12-31", "1899年12月31日"])
def test_the_first_day_of_excels_calendar_is_refused_however_it_is_written(cell):
    with pytest.raises(ValidationError, match="年份不合理"):
        parse_date(cell, "受案日期")


def test_serial_days_inside_the_plausible_years_still_read():
    assert parse_date(2) == date(1900, 1, 1) and parse_date("2") == parse_date("1900-01-01")
