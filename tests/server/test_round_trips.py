"""A table open, a search and a record view on the station server each cost a small fixed number
of round trips, counted at the socket by a local proxy: the same for 5 records as for 60."""
from __future__ import annotations

from sqlalchemy.engine import make_url

from app.server.proxy import LatencyProxy
from app.server.setup import ServerAddress, login_to_server
from app.services.records import get_record
from app.services.tables import TableQuery, fetch_rows, level_and_overdue_counts, list_ids, list_ids_with_counts
from tests.server.helpers import make_station, new_case

#: The most each may cost, measured: per unit of work the pool's liveness check, BEGIN, the query and
#: the rollback (a table open is three units: ids, level counts, a page).
BOUND = {"open": 16, "search": 8, "view": 8}


def table_open(db):
    q = TableQuery()
    ids = list_ids(db, "case", q)
    level_and_overdue_counts(db, "case", q)
    fetch_rows(db, "case", list(ids)[:256])


def search(db):
    q = TableQuery(text="盗窃")
    ids, _counts = list_ids_with_counts(db, "case", q)
    fetch_rows(db, "case", list(ids)[:256])


def measure(db, rid: int) -> dict[str, int]:
    proxy = db.proxy
    out = {}
    for name, op in (("open", table_open), ("search", search), ("view", lambda d: get_record(d, "case", rid))):
        op(db)  # warm: the pool's connection exists
        proxy.reset()
        op(db)
        out[name] = proxy.reset()
    return out


def test_round_trips_do_not_grow_with_the_data(scratch):
    station = make_station(scratch)
    u = make_url(station.address.url)
    proxy = LatencyProxy(u.host, u.port)
    address = ServerAddress(u.set(port=proxy.port).render_as_string(hide_password=False), station.address.prefix)
    try:
        logged = login_to_server(address, "off1", station.accounts["off1"])
        logged.db.proxy = proxy
        try:
            first = new_case(logged.db, logged.actor, "A-0", station.officers["off1"], station.teams["一队"])
            for i in range(1, 5):
                new_case(logged.db, logged.actor, f"A-{i}", station.officers["off1"], station.teams["一队"])
            small = measure(logged.db, first)
            for i in range(5, 60):
                new_case(logged.db, logged.actor, f"A-{i}", station.officers["off1"], station.teams["一队"])
            large = measure(logged.db, first)
        finally:
            logged.db.close()
    finally:
        proxy.close()
    assert small == large, (small, large)
    assert all(0 < large[k] <= BOUND[k] for k in BOUND), large
    print("round trips", large)
