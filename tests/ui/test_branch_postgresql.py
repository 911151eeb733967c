"""The desktop app opened on a PostgreSQL branch database (`python -m app gui --db postgresql://…`):
the branch console with its stations' records, on a real server."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import func, select

from app.store.postgres import PgStore
from app.sync import keys as K
from models import Case
from tests.sync.conftest import PG_ENV, drop_pg_database, new_pg_database, pg_url_or_skip
from tests.sync.helpers import ADMIN, demo_station


@pytest.fixture
def pg_branch_url(tmp_path):
    """A PostgreSQL branch holding one demo station's full package."""
    from app.sync.export import export_package
    from app.sync.importer import import_files

    pg_url_or_skip()
    url = new_pg_database(os.environ[PG_ENV])
    branch = PgStore(url)
    station = demo_station(tmp_path / "s5.db", 5)
    try:
        ident = K.init_branch(branch, ADMIN, "东湖分局")
        K.register_branch(station, ADMIN, ident)
        K.trust_station(branch, ADMIN, K.station_identity(station))
        res = export_package(station, ADMIN, tmp_path / "out", full=True, force=True)
        assert [r.status for r in import_files(branch, ADMIN, [res.path])] == ["applied"]
    finally:
        station.close()
        branch.close()
    yield url
    drop_pg_database(os.environ[PG_ENV], url)


def test_the_window_opens_on_a_postgresql_branch(configured_app, qtbot, pg_branch_url):
    from ui.main import open_window

    win = open_window(pg_branch_url)
    assert win is not None
    qtbot.addWidget(win)
    win.show()
    try:
        assert "postgresql://" in win.path_label.text()
        assert win.actor.role == "admin" and win.actor.account == pg_branch_url.split("//")[1].split("@")[0]
        assert win.tabs.tabText(0) == "各所数据"  # the branch console's freshness tab comes first
        backups = next(a for a in win.menuBar().actions()[0].menu().actions() if "备份" in a.text())
        assert not backups.isEnabled()  # the server's backups, not a file copy
        win.start_daily_backup()  # does nothing on PostgreSQL (and must not fail)
        view = next(iter(win.views.values()))
        with win.database.read() as s:
            cases = s.scalar(select(func.count()).select_from(Case).where(Case.status != "voided"))
        assert cases > 0 and view.model.rowCount() == cases
        view.search.setText("路")
        view.apply_filters()
        assert 0 < view.model.rowCount() < cases
    finally:
        win.close()
        win.database.close()
