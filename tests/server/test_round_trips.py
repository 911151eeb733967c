"""A table open, a search and a record view on the station server each cost a small fixed number
of round trips, counted at the socket by a local proxy: the same for 5 records as for 60."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy.engine import make_url

from app.server.proxy import LatencyProxy
from app.server.setup import ServerAddress, login_to_server
from app.services.records import get_record
from app.services.tables import TableQuery, open_table
from tests.server.helpers import make_station, new_case

#: The most each may cost, measured: one unit of work each (BEGIN, its queries, the rollback). A
#: table open asks the table view's own question (tables.open_table with the filters' choices:
#: the database's kind, officers, teams, the size check, the ids, the level and overdue counts and
#: the first page, 10); a search, the same with its text (ids and counts from one pass, and the
#: page, 4); a record view, get_record. No liveness check while the pool's connection is fresh
#: (app.store.postgres.IDLE_PING_SECONDS). Before, the view asked each question in a unit of its own.
BOUND = {"open": 10, "search": 4, "view": 7}


@contextmanager
def counted_login(station):
    """An officer logged in through a local proxy that counts the round trips (and adds latency)."""
    u = make_url(station.address.url)
    proxy = LatencyProxy(u.host, u.port)
    address = ServerAddress(u.set(port=proxy.port).render_as_string(hide_password=False), station.address.prefix)
    try:
        logged = login_to_server(address, "off1", station.accounts["off1"])
        try:
            yield logged, proxy
        finally:
            logged.db.close()
    finally:
        proxy.close()


def table_open(db):
    opening = open_table(db, "case", TableQuery(), 256, choices=True)
    assert opening.complete and opening.counts is not None and len(opening.rows) == min(len(opening.ids), 256)


def search(db):
    opening = open_table(db, "case", TableQuery(text="盗窃"), 256, first_page=False)
    assert opening.counts is not None and len(opening.rows) == min(len(opening.ids), 256)


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
    with counted_login(station) as (logged, proxy):
        logged.db.proxy = proxy
        first = new_case(logged.db, logged.actor, "A-0", station.officers["off1"], station.teams["一队"])
        for i in range(1, 5):
            new_case(logged.db, logged.actor, f"A-{i}", station.officers["off1"], station.teams["一队"])
        small = measure(logged.db, first)
        for i in range(5, 60):
            new_case(logged.db, logged.actor, f"A-{i}", station.officers["off1"], station.teams["一队"])
        large = measure(logged.db, first)
    assert small == large, (small, large)
    assert all(0 < large[k] <= BOUND[k] for k in BOUND), large
    print("round trips", large)


def test_a_connection_the_server_closed_while_idle_is_replaced(scratch, monkeypatch):
    """Without a ping per unit of work, a pooled connection that sat idle is checked before use:
    one the server ended meanwhile (a restart, an administrator) is replaced, unseen."""
    import app.store.postgres as pg

    station = make_station(scratch)
    logged = login_to_server(station.address, "off1", station.accounts["off1"])
    try:
        def backend() -> int:
            with logged.db.read() as s:
                return s.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()

        first = backend()
        with scratch.superuser() as c:
            assert c.execute("SELECT pg_terminate_backend(%s)", (first,)).fetchone()[0] is True
        monkeypatch.setattr(pg, "IDLE_PING_SECONDS", 0.0)  # the connection counts as idle at once
        second = backend()
        assert second != first
    finally:
        logged.db.close()


def test_the_table_view_opens_in_one_unit_of_work(scratch, qtbot):
    """What the case table itself costs to build its filters, open, paint and count its levels:
    the one unit of work measured above, nothing else."""
    pytest.importorskip("PySide6")
    from ui.records.table_view import RecordTableView

    station = make_station(scratch)
    with counted_login(station) as (logged, proxy):
        for i in range(5):
            new_case(logged.db, logged.actor, f"A-{i}", station.officers["off1"], station.teams["一队"])
        table_open(logged.db)  # warm
        proxy.reset()
        table_open(logged.db)
        alone = proxy.reset()
        view = RecordTableView(logged.db, "case")
        qtbot.addWidget(view)
        view.show()
        qtbot.waitUntil(lambda: not view.counts_pending())
        assert view.model.rowCount() == 5 and view.model.row_at(0) is not None
        opened = proxy.reset()
    assert opened == alone, (opened, alone)
