"""app.services.first_page: a plain station file's first page without SQLAlchemy, the same rows as
the table service's (tables.open_table) on real files: the demo, a station made by `init` and
filled through the services, and a table large enough to open on its first page alone."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from app import cli
from app.domain.levels import Module
from app.services import first_page, org, records, tables
from app.services.org import default_actor
from app.services.tables import TableQuery
from app.store import SqliteStore
from tests.qt_models.station_data import make_station_db

MODULES = (Module.CASE, Module.DISPUTE, Module.PERSON)


def _service_rows(path: Path, module: Module, page_size: int) -> tuple[tables.TableRow, ...]:
    db = SqliteStore(path)
    try:
        return tables.open_table(db, module, TableQuery(), page_size, choices=True).rows
    finally:
        db.close()


def _assert_same_pages(path: Path, sizes=(1, 7, 96, 256)) -> int:
    """Every module's first page, at several sizes, read both ways; returns how many rows compared."""
    compared = 0
    for module in MODULES:
        for size in sizes:
            expected = _service_rows(path, module, size)
            got = first_page.read_first_page(path, module, size)
            assert got is not None, (module, size)
            assert got == expected, (module, size)
            # Types too (dataclass equality would let date == "2025-01-01"-like mix-ups through? no,
            # but a str for a date would differ): every value's type is the service's.
            assert [tuple(type(v) for v in r.values) for r in got] == \
                [tuple(type(v) for v in r.values) for r in expected]
            compared += len(got)
    return compared


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    return make_station_db(tmp_path_factory.mktemp("demo") / "demo.db", scale=0.3, seed=3)


def test_the_demo_station_reads_the_same_first_pages(demo_file):
    assert _assert_same_pages(demo_file) > 3 * 96  # the demo fills more than a page of each module


def test_a_large_table_opened_on_its_first_page_reads_the_same(demo_file, monkeypatch):
    # From FIRST_PAGE_FROM records on, the service reads its first page by LIMIT (the whole list
    # after the paint): the same rows as the whole list's head, and as this reader's.
    monkeypatch.setattr(tables, "FIRST_PAGE_FROM", 10)
    assert _assert_same_pages(demo_file, sizes=(1, 96)) > 0


def test_a_station_made_by_init_and_filled_through_the_services(tmp_path, capsys):
    path = tmp_path / "station.db"
    assert cli.main(["init", "--db", str(path), "--station", "城关派出所", "--unprotected"]) == 0
    capsys.readouterr()
    assert first_page.read_first_page(path, Module.CASE, 96) == ()  # no records yet
    db = SqliteStore(path)
    try:
        team = org.add_team(db, "社区警务一队")
        org.add_officer(db, "王建国", "leader")
        org.add_officer(db, "李强", "team_leader", team)
        officers = [org.add_officer(db, name, "officer", team) for name in ("张伟", "赵敏")]
        actor = default_actor(db)
        day = date.today()
        ids = []
        for i, level in enumerate(["green", "red", "yellow", "orange", "red", "green", "orange"]):
            accepted = day - timedelta(days=40 + i)
            ids.append(records.create_case(db, actor, records.CaseInput(
                f"A2026{i:04d}", "criminal", level, accepted, cause="盗窃",
                place=f"东湖路{i}号\n二楼", summary="报警人称电动自行车被盗，价值约3000元。",
                closed_on=accepted + timedelta(days=5) if level == "green" else None,
                people=records.Responsibility(officer_id=officers[i % 2]))))
        records.void_record(db, actor, "case", ids[1], "重复登记")  # voided: off the working list
    finally:
        db.close()
    assert _assert_same_pages(path, sizes=(1, 3, 96)) > 0
    rows = first_page.read_first_page(path, Module.CASE, 96)
    assert rows is not None
    assert ids[1] not in [r.id for r in rows]
    assert [r.level for r in rows] == ["red", "orange", "orange", "yellow", "green", "green"]


def test_the_order_walks_the_level_rank_index():
    from models.records import LEVEL_RANK_SQL

    assert first_page.LEVEL_RANK_SQL == LEVEL_RANK_SQL  # the index's very expression, or SQLite sorts


def test_files_it_cannot_read_exactly_give_none(tmp_path, demo_file):
    old = tmp_path / "old.db"
    SqliteStore(old, create=True, revision="0001").close()
    assert first_page.read_first_page(old, Module.CASE, 96) is None  # the window upgrades it first
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    assert first_page.read_first_page(junk, Module.CASE, 96) is None
    assert first_page.read_first_page(tmp_path / "missing.db", Module.CASE, 96) is None
    assert not (tmp_path / "missing.db").exists()  # read-only: nothing made


def test_a_branch_file_gives_none(tmp_path):
    # A branch office's tables have the owning station's column, and its window opens on the
    # stations' freshness console: the frame stays empty there.
    from app.domain.rules import Actor
    from app.services.org import init_station
    from app.sync.keys import init_branch

    path = tmp_path / "branch.db"
    branch = SqliteStore(path, create=True)
    try:
        init_station(branch, "东湖分局")
        init_branch(branch, Actor(None, "admin", "admin", account="admin"), "东湖分局")
    finally:
        branch.close()
    assert first_page.read_first_page(path, Module.CASE, 96) is None


def test_a_path_with_uri_characters_is_read(tmp_path, demo_file):
    import shutil

    folder = tmp_path / "所 #1 ?50% a"
    folder.mkdir()
    path = shutil.copyfile(demo_file, folder / "station?#%.db")
    # Compared with the service on the demo file itself (the store's own URL would not take '?').
    assert first_page.read_first_page(path, Module.CASE, 5) == _service_rows(demo_file, Module.CASE, 5)
