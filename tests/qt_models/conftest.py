"""Fixtures for the model tests: one demo-station database per session, copied per test."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale

from app.store import SqliteStore
from tests.qt_models.station_data import copy_db, make_station_db


@pytest.fixture(scope="session")
def station_db_file(tmp_path_factory):
    return make_station_db(tmp_path_factory.mktemp("station") / "station.db")


@pytest.fixture
def station_db(station_db_file, tmp_path):
    database = SqliteStore(copy_db(station_db_file, tmp_path / "copy.db"))
    yield database
    database.close()


@pytest.fixture(autouse=True)
def _qt_application(qapp):
    """Models build icons and brushes, which need the QApplication first; the app runs in
    Chinese (ui.main sets the same default locale)."""
    QLocale.setDefault(QLocale("zh_CN"))
    return qapp
