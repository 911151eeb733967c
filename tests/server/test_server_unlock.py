"""The idle unlock on a station server: no key file, so the password is checked against the
account row and failures are counted in this process."""
from __future__ import annotations

import pytest

from app.services.accounts import MAX_FAILURES, LoginFailed, verify_password
from tests.server.helpers import PASSWORD, make_station


def test_the_idle_unlock_on_a_server_checks_the_password_and_locks_out(scratch):
    station = make_station(scratch)
    officer = station.login("off1")
    try:
        verify_password(officer.db, officer.actor, PASSWORD)
        for _ in range(MAX_FAILURES):
            with pytest.raises(LoginFailed):
                verify_password(officer.db, officer.actor, "not-the-password")
        with pytest.raises(LoginFailed, match="locked"):
            verify_password(officer.db, officer.actor, PASSWORD)  # locked, even with the right one
    finally:
        officer.db.close()
