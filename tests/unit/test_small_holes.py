"""The audit's smaller findings: search text with NUL or a lone surrogate, two databases sharing
one backups/ folder, and `check` missing the append-only triggers."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app import cli
from app.services import records, tables
from app.services.backup import backup_dir_for, list_backups, make_backup, prune_backups
from app.services.records import CaseInput, Responsibility
from app.services.tables import TableQuery
from app.store import SqliteStore


@pytest.fixture
def three_cases(db, station):
    r = Responsibility(officer_id=station.officer.officer_id)
    for no, cause in (("A1", "盗窃电动车"), ("A2", "电信诈骗"), ("B3", "故意伤害")):
        records.create_case(db, station.officer, CaseInput(no, "criminal", "red", date.today(), cause=cause, people=r))
    return db


@pytest.mark.parametrize("text,expected", [
    ("\x00", 0), ("a\x00", 2), ("\ud800", 0), ("诈骗\ud800", 1), ("\x00%", 0), ("盗窃\x00诈骗", 0), ("电\x00", 2),
])
def test_search_text_with_nul_or_a_lone_surrogate_neither_errs_nor_matches_everything(three_cases, text, expected):
    """Before: NUL cut the LIKE pattern to '%' (every record) and a lone surrogate raised."""
    ids, _counts = tables.list_ids_with_counts(three_cases, "case", TableQuery(text=text))
    assert len(ids) == expected
    assert len(tables.list_ids(three_cases, "case", TableQuery(text=text))) == expected


def test_search_text_is_bounded():
    long_terms, short_terms = tables.search_terms(" ".join(f"w{i:03d}" for i in range(100)) + "x" * 10_000)
    assert len(long_terms) + len(short_terms) == tables.MAX_SEARCH_TERMS
    assert sum(map(len, long_terms + short_terms)) <= tables.MAX_SEARCH_CHARS


def test_two_databases_in_one_folder_keep_their_own_backups(tmp_path):
    a, b = SqliteStore(tmp_path / "station.db", create=True), SqliteStore(tmp_path / "other.db", create=True)
    try:
        day = datetime(2026, 1, 1, 8)
        for i in range(20):  # twenty days of daily backups of each: thinning runs in both folders
            make_backup(a, "daily", day + timedelta(days=i))
            make_backup(b, "daily", day + timedelta(days=i))
            prune_backups(backup_dir_for(a.path), day + timedelta(days=i))
            prune_backups(backup_dir_for(b.path), day + timedelta(days=i))
        fa, fb = backup_dir_for(a.path), backup_dir_for(b.path)
        assert fa != fb and fa.name == "backups" and fb.name == "backups-other.db"
        got_a, got_b = list_backups(fa), list_backups(fb)
        assert got_a and got_b and all(x.verified for x in got_a + got_b)
        assert len(got_a) == len(got_b)  # the same thinning, each on its own files
        assert not {x.path.name for x in got_a} & {x.path.name for x in got_b} or fa != fb
    finally:
        a.close()
        b.close()


def test_check_notices_missing_append_only_triggers(tmp_path, capsys):
    path = tmp_path / "station.db"
    db = SqliteStore(path, create=True)
    with db.raw() as conn:
        conn.execute("DROP TRIGGER audit_log_no_delete")
    db.close()
    assert cli.main(["check", "--db", str(path)]) == cli.EXIT_PROBLEMS
    assert "audit_log_no_delete" in capsys.readouterr().out
