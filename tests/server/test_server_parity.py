"""The briefing, the report pack, and ledger export and import run against a station server and give
the same figures as on the station file the server was moved from (real PostgreSQL, real xlsx
read back with openpyxl)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import openpyxl
import pytest

from app.domain.levels import Module
from app.ledger.export import export_ledger
from app.ledger.importer import import_ledger
from app.ledger.template import template_columns
from app.reports.pack import REPORTS, build_report
from app.reports.xlsx import write_xlsx
from app.server.move import move_to_server
from app.server.setup import ServerAddress, login_to_server
from app.services.accounts import login
from app.services.briefing import build_briefing
from app.services.tables import TableQuery
from app.startup import create_demo_database
from app.store.keyfile import DEMO_PASSWORD

AS_OF = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 8, 30)


def _cells(path) -> list[list]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return [[list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets]
    finally:
        wb.close()


@pytest.fixture
def both(tmp_path, scratch):
    """The demo station as a file and, moved, on the server; its station leader logged in to each."""
    path = tmp_path / "station.db"
    db, _ = create_demo_database(path, seed=5, scale=0.05, as_of=AS_OF)
    db.close()
    moved = move_to_server(path, scratch.owner_url, "admin", DEMO_PASSWORD)
    handed = {p.username: p.password for p in moved.passwords}
    on_file = login(path, "leader", DEMO_PASSWORD)
    on_server = login_to_server(ServerAddress(scratch.server_url, moved.address.prefix), "leader", handed["leader"])
    assert on_server.actor.role == on_file.actor.role == "leader"
    yield on_file, on_server
    on_file.db.close()
    on_server.db.close()


def test_briefing_and_reports_give_the_file_s_figures(both, tmp_path):
    on_file, on_server = both
    since = datetime(2026, 11, 29, 8, 30)
    file_briefing = build_briefing(on_file.db, now=NOW, since=since)
    server_briefing = build_briefing(on_server.db, now=NOW, since=since)
    assert server_briefing.overview == file_briefing.overview and server_briefing.red == file_briefing.red
    assert server_briefing == file_briefing
    assert sum(o.active for o in file_briefing.overview.values()) > 0  # figures, not empty tables

    periods = {"2025-05-15": "2026-11-30", "2025-W19": "2026-W48", "2025-05": "2026-11"}
    for name, kind in REPORTS.items():
        on_f = build_report(on_file.db, name, periods[kind.example], today=AS_OF)
        on_s = build_report(on_server.db, name, periods[kind.example], today=AS_OF)
        # When each was made (to the minute) is the only field that may differ: a minute may turn between.
        assert abs((on_s.generated_at - on_f.generated_at).total_seconds()) <= 60
        on_s = replace(on_s, generated_at=on_f.generated_at)
        assert on_s == on_f, name
        a = write_xlsx(on_f, tmp_path / f"file-{name}.xlsx")
        b = write_xlsx(on_s, tmp_path / f"server-{name}.xlsx")
        assert _cells(b) == _cells(a), name


def test_ledger_export_and_import_give_the_file_s_records(both, tmp_path):
    on_file, on_server = both
    for module in (Module.CASE, Module.DISPUTE, Module.PERSON):
        a = export_ledger(on_file.db, on_file.actor, module, TableQuery(), tmp_path / f"file-{module.value}.xlsx")
        b = export_ledger(on_server.db, on_server.actor, module, TableQuery(), tmp_path / f"server-{module.value}.xlsx")
        assert a.rows == b.rows > 0
        assert _cells(b.path) == _cells(a.path)

    # A ledger of new cases (the exported ones renumbered) imported into both.
    wb = openpyxl.load_workbook(tmp_path / "file-case.xlsx")
    ws = wb.worksheets[0]
    no = [s.key for s in template_columns(Module.CASE)].index("case_no")
    for row in ws.iter_rows(min_row=3):  # under the title and hint rows
        if row[no].value:
            row[no].value = f"N{row[no].value}"
    wb.save(tmp_path / "new-cases.xlsx")
    reports = [import_ledger(s.db, s.actor, tmp_path / "new-cases.xlsx", Module.CASE)[0] for s in (on_file, on_server)]
    outcomes = [[(r.line, r.outcome) for r in rep.rows] for rep in reports]
    assert outcomes[0] == outcomes[1] and reports[0].count("imported") > 0
    new = replace(TableQuery(), text="N")
    after = [export_ledger(s.db, s.actor, Module.CASE, new, tmp_path / f"after-{i}.xlsx")
             for i, s in enumerate((on_file, on_server))]
    assert after[0].rows == after[1].rows == reports[0].count("imported")
    assert _cells(after[1].path) == _cells(after[0].path)


def test_series_candidates_give_the_file_s_list(both):
    """串并 candidates (SQL bounds, then scored in Python) are the same on the server as on the file."""
    from sqlalchemy import select

    from app.services import series
    from models import Case

    on_file, on_server = both
    with on_file.db.read() as s:
        ids = list(s.scalars(select(Case.id).where(Case.level == "orange", Case.status == "active")
                             .order_by(Case.id).limit(6)))
    assert ids
    for cid in ids:
        assert series.candidates(on_server.db, case_id=cid) == series.candidates(on_file.db, case_id=cid)
    assert any(series.candidates(on_file.db, case_id=cid) for cid in ids)
    groups = series.list_series(on_file.db)
    assert groups  # the demo has series: their members are several references at once
    for g in groups:
        assert series.candidates(on_server.db, series_id=g.id) == series.candidates(on_file.db, series_id=g.id)
