"""The branch console's tables on PostgreSQL: the same rows, in the same order, with the same counts
as on SQLite for every filter, search and sort the table view offers (FTS5, json_each and SQLite's
unary-plus planner hint have PostgreSQL equivalents in app.services.tables).

The PostgreSQL database is made with a Chinese ICU collation (pinyin order, as a branch server set
up for Chinese would sort text by default), so the tables must not depend on the server's collation."""
from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from app.domain.levels import Module
from app.services import tables
from app.services.tables import TableQuery
from app.store import SqliteStore
from app.store.postgres import PgStore
from app.sync import keys as K
from tests.sync.conftest import PG_ENV, _admin, drop_pg_database, pg_url_or_skip
from tests.sync.helpers import ADMIN, Net, demo_station, same_branch_office


@pytest.fixture(scope="module")
def branches(tmp_path_factory):
    """One SQLite and one PostgreSQL branch holding the same two demo stations."""
    pg_url_or_skip()
    tmp = tmp_path_factory.mktemp("branch-tables")
    lite = SqliteStore(tmp / "branch.db", create=True)
    name = f"branch_tables_zh_{os.getpid()}"
    with _admin(os.environ[PG_ENV]) as c:
        c.execute(f"DROP DATABASE IF EXISTS {name}")
        c.execute(f"CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'zh' LOCALE 'C.UTF-8'")
    url = os.environ[PG_ENV].rsplit("/", 1)[0] + "/" + name
    pg = PgStore(url, create=True)
    with pg.read() as s:  # the server really sorts Chinese by pinyin here: 李 (li) before 张 (zhang)
        assert s.execute(text("SELECT min(x) FROM (VALUES ('张'), ('李')) v(x)")).scalar() == "李"
    net = Net(lite, tmp / "carry")  # makes the branch's keys; the PostgreSQL branch is the same office
    same_branch_office(lite, pg)
    pg_net = Net(pg, tmp / "carry-pg")
    for seed in (1, 2):
        st = net.join(f"s{seed}", demo_station(tmp / f"s{seed}.db", seed, scale=0.05))
        K.trust_station(pg, ADMIN, K.station_identity(st))
        path = net.export(f"s{seed}")
        net.deliver(path)
        pg_net.deliver(path)
    yield lite, pg
    lite.close()
    pg.close()
    drop_pg_database(os.environ[PG_ENV], url)


def _uuids(db, module, ids) -> list[str]:
    t = tables._TABLES[Module(module)]
    with db.read() as s:
        by_id = dict(s.execute(select(t.c.id, t.c.uuid).where(t.c.id.in_(list(ids)))).all())
    return [by_id[i] for i in ids]


def _queries(module: Module, db) -> list[TableQuery]:
    t = tables._TABLES[module]
    with db.read() as s:
        some = [i for (i,) in s.execute(select(t.c.id).order_by(t.c.id).limit(7))]
        sample = s.execute(select(t.c.search_text).where(t.c.search_text != "").limit(1)).scalar_one()
    word = next(w for w in sample.split() if len(w) >= 3)
    category = {Module.CASE: "criminal", Module.DISPUTE: "neighbour", Module.PERSON: "mental"}[module]
    as_of = date(2026, 11, 1)
    qs = [TableQuery(), TableQuery(levels=frozenset({"red", "orange"})), TableQuery(text=word),
          TableQuery(text=word[:1]), TableQuery(text=word[:2] + " " + word), TableQuery(text="no-such-text"),
          TableQuery(overdue_only=True, as_of=as_of), TableQuery(category=category),
          TableQuery(statuses=frozenset({"voided"})), TableQuery(station_id=2),
          TableQuery(date_from=as_of - timedelta(days=120), date_to=as_of),
          TableQuery(ids=frozenset(some)), TableQuery(text="50%_")]
    for col in tables.columns_for(module, branch=True):
        if col.sortable:
            qs += [TableQuery(sort_key=col.key), TableQuery(sort_key=col.key, descending=True, text=word[:1])]
    return qs


@pytest.mark.parametrize("module", list(Module))
def test_postgresql_tables_match_sqlite(branches, module):
    lite, pg = branches
    assert tables.is_postgresql(pg) and not tables.is_postgresql(lite)
    nonempty = 0
    for q in _queries(module, lite):
        ids_lite, ids_pg = tables.list_ids(lite, module, q), tables.list_ids(pg, module, q)
        assert _uuids(lite, module, ids_lite) == _uuids(pg, module, ids_pg), q
        assert tables.level_counts(lite, module, q) == tables.level_counts(pg, module, q), q
        assert tables.level_and_overdue_counts(lite, module, q) == tables.level_and_overdue_counts(pg, module, q), q
        page_lite = tables.fetch_rows(lite, module, list(ids_lite[:50]), branch=True)
        page_pg = tables.fetch_rows(pg, module, list(ids_pg[:50]), branch=True)
        assert [(r.level, r.status, r.overdue, r.values) for r in page_lite] == [
            (r.level, r.status, r.overdue, r.values) for r in page_pg], q
        nonempty += bool(len(ids_lite))
    assert nonempty >= 10  # the comparisons are about real rows, not empty lists


def _report_content(db, key: str, period: str) -> list:
    from app.reports.pack import build_report

    rep = build_report(db, key, period, today=date(2026, 11, 1))
    return [rep.title, rep.station, rep.period_label, rep.as_of] + [
        (t.title, [c.key for c in t.columns], t.rows, t.total_values()) for t in rep.all_tables()]


@pytest.mark.parametrize("key,period", [("morning", "2026-10-30"), ("weekly", "2026-W43"), ("monthly", "2026-10"),
                                        ("accountability", "2026-10"), ("red", "2026-10-30")])
def test_postgresql_report_pack_matches_sqlite(branches, key, period):
    """The report pack across stations reads the same on a PostgreSQL branch as on a SQLite one."""
    lite, pg = branches
    got_lite = _report_content(lite, key, period)
    assert _report_content(pg, key, period) == got_lite
    assert any(rows for _t, _c, rows, _tot in got_lite[4:])  # real rows were compared


def test_postgresql_headline_statistics_match_sqlite(branches):
    from app.services.stats import headline_stats

    lite, pg = branches
    a, b = headline_stats(lite, as_of=date(2026, 11, 1)), headline_stats(pg, as_of=date(2026, 11, 1))
    assert a == b and a["cases"]["total"] > 0
