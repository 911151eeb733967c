"""A small station on a scratch server: two teams, their people and accounts."""
from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass
from datetime import date

from app.server.setup import ServerAddress, create_station_server, login_to_server
from app.services import org
from app.services.accounts import create_account
from app.services.records import CaseInput, Responsibility, create_case

ADMIN_PASSWORD = "Admin-pass-2026"
PASSWORD = "Police-pass-2026"


@dataclass
class Station:
    address: ServerAddress
    teams: dict[str, int]
    officers: dict[str, int]
    #: account user name → password
    accounts: dict[str, str]

    def login(self, username: str):
        return login_to_server(self.address, username, self.accounts[username])


def make_station(scratch) -> Station:
    """城关派出所 on the scratch database: teams 一队 and 二队, a station leader, a team leader and
    an officer in each team, each with an account; the administrator `admin`."""
    address = create_station_server(scratch.owner_url, "城关派出所", "admin", ADMIN_PASSWORD)
    address = ServerAddress(scratch.server_url, address.prefix)
    admin = login_to_server(address, "admin", ADMIN_PASSWORD)
    db, actor = admin.db, admin.actor
    try:
        teams = {n: org.add_team(db, n, actor=actor) for n in ("一队", "二队")}
        officers = {
            "leader": org.add_officer(db, "王所长", "leader", None, "100001", actor=actor),
            "tl1": org.add_officer(db, "李队长", "team_leader", teams["一队"], "100002", actor=actor),
            "off1": org.add_officer(db, "张民警", "officer", teams["一队"], "100003", actor=actor),
            "tl2": org.add_officer(db, "赵队长", "team_leader", teams["二队"], "100004", actor=actor),
            "off2": org.add_officer(db, "刘民警", "officer", teams["二队"], "100005", actor=actor),
        }
        accounts = {"admin": ADMIN_PASSWORD}
        for key, oid in officers.items():
            create_account(db, actor, key, officer_id=oid, password=PASSWORD)
            accounts[key] = PASSWORD
    finally:
        db.close()
    return Station(address, teams, officers, accounts)


def new_case(db, actor, no: str, officer_id: int, team_id: int) -> int:
    return create_case(db, actor, CaseInput(
        case_no=no, kind="criminal", level="orange", accepted_on=date(2026, 11, 30), cause="盗窃",
        summary=f"{no} 摘要", people=Responsibility(officer_id=officer_id, team_id=team_id)))


@contextlib.contextmanager
def import_service(owner_url: str):
    """The branch's import service (app.sync.service) on a thread, as its owner runs it; yields
    the results it answered, and stops and joins it at the end."""
    from app.store.postgres import PgStore
    from app.sync.service import serve_imports

    db = PgStore(owner_url)
    stop = threading.Event()
    answered: list = []
    failed: list = []

    def run() -> None:
        try:
            serve_imports(db, stop, answered.append)
        except BaseException as exc:  # said by the test, not lost on the thread
            failed.append(exc)

    thread = threading.Thread(target=run, name="import-service")
    thread.start()
    try:
        _wait_until_running(owner_url, failed)
        yield answered
    finally:
        stop.set()
        thread.join(30)
        db.close()
    assert not thread.is_alive()
    if failed:
        raise failed[0]


def _wait_until_running(owner_url: str, failed: list) -> None:
    import psycopg

    from app.sync.requests import service_running_sql

    url = owner_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as c:
        for _ in range(200):
            if failed or c.execute(service_running_sql()).fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the import service did not start")
