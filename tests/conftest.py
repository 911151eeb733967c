"""Shared fixtures: headless Qt, a private data folder and settings store per test, temp databases."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from app.domain.rules import Actor  # noqa: E402
from app.services import org  # noqa: E402
from app.store import SqliteStore  # noqa: E402


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path, monkeypatch):
    """No test ever reads or writes the user's real station database or settings."""
    data = tmp_path / "userdata"
    monkeypatch.setenv("STATION_DATA_DIR", str(data))
    try:
        from PySide6.QtCore import QSettings

        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    except ImportError:  # pragma: no cover - Qt is a hard dependency
        pass
    return data


#: The day the test modules were collected on; their `TODAY = date.today()` holds this day.
COLLECTED_ON = date.today()


@pytest.fixture(autouse=True)
def today_is_the_run_day(request, monkeypatch):
    """A test module's `TODAY = date.today()` means the day its test runs, as the app's own
    `date.today()` does. A run that crosses midnight would otherwise hold yesterday's date, taken
    when the module was collected, against the app's today (seen: 7 of 26 tests of two modules
    failed under `faketime` started 15 s before midnight). Only a module's value equal to the
    collection day is moved, so a fixed date (`TODAY = date(2024, 6, 10)`) is left alone; so is
    the ledger tests' `D = B.Days(TODAY)`, made again from the new day."""
    today = date.today()
    module = getattr(request, "module", None)
    if module is None or today == COLLECTED_ON or getattr(module, "TODAY", None) != COLLECTED_ON:
        return
    monkeypatch.setattr(module, "TODAY", today)
    days = getattr(module, "D", None)
    if days is not None and getattr(days, "today", None) == COLLECTED_ON:
        monkeypatch.setattr(module, "D", type(days)(today))


@pytest.fixture
def db(tmp_path):
    database = SqliteStore(tmp_path / "station.db", create=True)
    yield database
    database.close()


@dataclass(frozen=True)
class StationPeople:
    team_id: int
    other_team_id: int
    leader: Actor
    team_leader: Actor
    officer: Actor
    other_officer: Actor


@pytest.fixture
def station(db) -> StationPeople:
    """A station with two teams, a leader, a team leader and two officers."""
    org.init_station(db, "城关派出所", "360102001", "东湖分局")
    t1 = org.add_team(db, "社区警务一队")
    t2 = org.add_team(db, "案件办理队")
    leader = org.add_officer(db, "王建国", "leader")
    tl = org.add_officer(db, "李强", "team_leader", t1)
    org.add_officer(db, "陈刚", "team_leader", t2)
    o1 = org.add_officer(db, "张伟", "officer", t1)
    o2 = org.add_officer(db, "刘洋", "officer", t2)
    return StationPeople(t1, t2, org.actor_for(db, leader), org.actor_for(db, tl), org.actor_for(db, o1),
                         org.actor_for(db, o2))
