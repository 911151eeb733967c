"""A workstation's views hear another process's save: the server's change event reaches the
workstation's `changed` signal on the GUI thread within two seconds."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.server.helpers import make_station, new_case

ROOT = Path(__file__).resolve().parents[2]


def test_another_process_save_reaches_the_workstation_signal(scratch, qtbot):
    pytest.importorskip("PySide6")
    from ui.common.server_events import ServerEvents
    from ui.records.workstation import Workstation

    station = make_station(scratch)
    mine = station.login("off2")
    off1 = station.login("off1")
    try:
        rid = new_case(off1.db, off1.actor, "A-1", station.officers["off1"], station.teams["一队"])
    finally:
        off1.db.close()
    ws = Workstation(mine.db, mine.actor)
    events = ServerEvents(station.address.for_account("off2", station.accounts["off2"])).start()
    events.follow(ws)
    try:
        assert events.connected
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        with qtbot.waitSignal(ws.changed, timeout=2000,
                              check_params_cb=lambda ch: ch is not None and ("case", rid) in ch.record_ids):
            subprocess.run([sys.executable, "-m", "tests.server.worker", station.address.url, station.address.prefix,
                            "tl1", station.accounts["tl1"], str(rid), "1"], cwd=ROOT, env=env, check=True,
                           capture_output=True, timeout=120)
    finally:
        events.stop()
        mine.db.close()
