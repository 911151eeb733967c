"""Fixtures for the widget tests: the configured application and a demo-station window."""
from __future__ import annotations

import pytest

from tests.qt_models.station_data import copy_db, make_station_db


@pytest.fixture(scope="session")
def station_db_file(tmp_path_factory):
    return make_station_db(tmp_path_factory.mktemp("station") / "station.db")


@pytest.fixture(scope="session")
def configured_app(qapp):
    """Locale, Qt's Chinese translator, font and stylesheet, as ui.main sets them at start."""
    from ui.main import configure_application

    configure_application(qapp)
    return qapp


@pytest.fixture
def station_path(station_db_file, tmp_path):
    return copy_db(station_db_file, tmp_path / "station.db")


@pytest.fixture
def window(configured_app, station_path, qtbot):
    from ui.main import open_window

    win = open_window(str(station_path))
    assert win is not None
    qtbot.addWidget(win)
    win.resize(1600, 900)
    win.show()
    qtbot.waitExposed(win)
    # The legend's counts load in the event loop right after the table's first paint.
    qtbot.waitUntil(lambda: not win.current_view().counts_pending(), timeout=5000)
    yield win
    win.close()
    win.database.close()
