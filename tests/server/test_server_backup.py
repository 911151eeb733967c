"""Backups of a station server: pg_dump of one snapshot, restored into a scratch database and
compared table by table before it is kept; the file stations' retention."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from app.errors import DatabaseError
from app.server.backup import MANIFEST, backup_server
from tests.server.helpers import make_station, new_case


def test_a_backup_is_verified_by_a_restore_and_thinned(scratch, tmp_path):
    station = make_station(scratch)
    off1 = station.login("off1")
    try:
        new_case(off1.db, off1.actor, "A-001", station.officers["off1"], station.teams["一队"])
    finally:
        off1.db.close()
    first = backup_server(scratch.owner_url, tmp_path, "daily", now=datetime(2026, 12, 1, 2, 0))
    assert first.path.is_file() and first.rows["case_record"] == 1 and first.rows["account"] == 6
    start = datetime(2026, 12, 2, 2, 0)
    for day in range(9):  # nine more nightly backups: seven daily ones are kept (plus a weekly one)
        backup_server(scratch.owner_url, tmp_path, "daily", now=start + timedelta(days=day))
    kept = json.loads((tmp_path / MANIFEST).read_text())["backups"]
    assert sorted(p.name for p in tmp_path.glob("*.dump")) == sorted(e["name"] for e in kept)
    assert 7 <= len(kept) < 10
    with scratch.superuser() as c:  # every scratch restore was dropped
        assert c.execute("SELECT count(*) FROM pg_database WHERE datname LIKE %s",
                         (scratch.name + "_verify_%",)).fetchone()[0] == 0


def test_a_dump_that_restores_differently_is_not_kept(scratch, tmp_path, monkeypatch):
    make_station(scratch)
    import app.server.backup as b

    # The restored copy's audit chain does not verify (as a damaged dump would read).
    monkeypatch.setattr(b, "chain_problems", lambda conn: ["audit row 1"])
    with pytest.raises(DatabaseError) as refused:
        backup_server(scratch.owner_url, tmp_path, "manual")
    assert "audit row 1" in refused.value.en
    assert list(tmp_path.glob("*.dump")) == [] and list(tmp_path.glob(".*tmp")) == []


def test_a_server_database_has_no_file_backup_folder(scratch):
    """The file backups' folder of a server database is refused in words (it has no file beside
    which backups/ could be), not with a TypeError from a missing path."""
    from app.services.settings import backup_folder_for

    station = make_station(scratch)
    off1 = station.login("off1")
    try:
        with pytest.raises(DatabaseError) as refused:
            backup_folder_for(off1.db)
    finally:
        off1.db.close()
    assert "pg_dump" in refused.value.en
