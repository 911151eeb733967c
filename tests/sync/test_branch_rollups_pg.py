"""Whole-branch reads on PostgreSQL (migration 0019), on the real test server: the summary summed
over the stations and each station's live records (app.store.rollups, kept by triggers) equal a
sum of the stations' cells and a recount of the records after merges, a station's next package
(records voided, levels changed), a recount of a station and hand-written SQL; the headline,
charts and console read from them give the figures of the summary read cell by cell and of a
SQLite branch holding the same stations; the search index (app.store.search_grams) finds exactly
what an ILIKE scan finds, for terms of every length; the first pages walk the level-rank index
and equal the head of the whole list."""
from __future__ import annotations

import os
from datetime import date

import pytest
from sqlalchemy import select, text

from app.domain.levels import Module
from app.services import daily_counts, org, records, tables, trends as T
from app.services.headline import headline_stats
from app.services.tables import TableQuery
from app.store import PgStore, SqliteStore, rollups
from app.sync import keys as K
from app.sync.branch import branch_freshness
from models import Case, Dispute, Officer, Person
from tests.sync.conftest import PG_ENV, _admin, drop_pg_database, pg_url_or_skip
from tests.sync.helpers import ADMIN, Net, demo_station, same_branch_office

AS_OF = date(2026, 11, 1)
TABLE_OF = {Module.CASE: "case_record", Module.DISPUTE: "dispute", Module.PERSON: "person"}


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """A SQLite and a PostgreSQL branch holding the same two demo stations, then each station's
    next package (records voided, levels changed, actions logged) merged into both."""
    pg_url_or_skip()
    tmp = tmp_path_factory.mktemp("rollups")
    lite = SqliteStore(tmp / "branch.db", create=True)
    name = f"branch_rollups_{os.getpid()}"
    with _admin(os.environ[PG_ENV]) as c:
        c.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        c.execute(f"CREATE DATABASE {name}")
    url = os.environ[PG_ENV].rsplit("/", 1)[0] + "/" + name
    pg = PgStore(url, create=True)
    net = Net(lite, tmp / "carry")
    same_branch_office(lite, pg)
    pg_net = Net(pg, tmp / "carry-pg")
    stations = {}
    for seed in (1, 2):
        st = net.join(f"s{seed}", demo_station(tmp / f"s{seed}.db", seed, scale=0.05))
        K.trust_station(pg, ADMIN, K.station_identity(st))
        stations[seed] = st
        path = net.export(f"s{seed}")
        assert net.deliver(path).status == "applied"
        assert pg_net.deliver(path).status == "applied"
    checks = {"after the first packages": rollups.problems_of(pg)}
    for seed, st in stations.items():
        with st.read() as s:
            leader = org.actor_for(st, s.scalar(select(Officer.id).where(Officer.role == "leader")
                                                .order_by(Officer.id)))
            live = {m: s.scalars(select(t.id).where(t.status == "active").order_by(t.id).limit(12)).all()
                    for m, t in (("case", Case), ("dispute", Dispute), ("person", Person))}
        for module, ids in live.items():
            for k, rid in enumerate(ids):
                if k % 3 == 0:
                    records.void_record(st, leader, module, rid, "录入错误")
                elif k % 3 == 1:
                    records.change_level(st, leader, module, rid, ("red", "green")[k % 2], "研判",
                                         "办结" if k % 2 else "", on=AS_OF)
                else:
                    records.log_action(st, leader, module, rid, "visit", "走访", acted_on=AS_OF)
        path = net.export(f"s{seed}")
        assert net.deliver(path).status == "applied"
        assert pg_net.deliver(path).status == "applied"
    checks["after the next packages"] = rollups.problems_of(pg)
    with pg.engine.connect() as conn:  # as autovacuum would: the planner's statistics of the merged rows
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    yield lite, pg, checks
    for st in stations.values():
        st.close()
    lite.close()
    pg.close()
    drop_pg_database(os.environ[PG_ENV], url)


def test_the_rollups_equal_the_sum_of_the_stations_cells(office):
    _lite, pg, checks = office
    assert checks == {"after the first packages": [], "after the next packages": []}
    with pg.read() as s:
        held = s.execute(text(f"SELECT count(*), sum(n) FROM {rollups.COUNTS}")).one()
        assert held[0] > 100 and held[1] > 0  # not an empty table equal to an empty sum


def test_the_triggers_follow_any_statement_on_the_summary(office):
    """Update, insert, delete and a recount of one station's cells (the merge's own), rolled back."""
    _lite, pg, _checks = office
    with pg.engine.connect() as conn:
        trans = conn.begin()
        q = conn.exec_driver_sql
        sid = q("SELECT min(station_id) FROM daily_counts").scalar_one()
        bumped = q("UPDATE daily_counts SET n = n + 2, overdue = overdue + 1 WHERE station_id = %(s)s "
                   "AND category = '*' AND team_id = -1 AND day = (SELECT min(day) FROM daily_counts)",
                   {"s": sid}).rowcount
        assert bumped > 0
        q("INSERT INTO daily_counts (module, day, station_id, category, team_id, level, n, overdue) "
          "VALUES ('case', '2020-01-01', %(s)s, '*', -1, 'red', 5, 1)", {"s": sid})
        q("INSERT INTO daily_events (module, event, day, known_on, station_id, category, key, n, total) "
          "VALUES ('case', 'new', '2020-01-01', '2020-01-01', %(s)s, '*', '', 3, 0)", {"s": sid})
        assert rollups.problems(conn) == []
        assert q(f"SELECT n FROM {rollups.COUNTS} WHERE day = '2020-01-01'").scalar_one() == 5
        q("DELETE FROM daily_counts WHERE day = '2020-01-01'")
        q("DELETE FROM daily_events WHERE station_id = %(s)s", {"s": sid})
        assert rollups.problems(conn) == []
        # The recount writes back the station's deleted events and the bumped cells, nothing else
        # (the made-up cell of 2020-01-01 is already deleted).
        events = q("SELECT count(*) FROM daily_events WHERE station_id = %(s)s", {"s": sid}).scalar_one()
        assert events == 0
        written = daily_counts.rebuild(conn, station_ids=[sid])
        assert written == q("SELECT count(*) FROM daily_events WHERE station_id = %(s)s", {"s": sid}).scalar_one() + bumped
        assert rollups.problems(conn) == []
        assert daily_counts.rebuild(conn, station_ids=[sid]) == 0
        trans.rollback()
    assert rollups.problems_of(pg) == []


def test_a_tampered_rollup_is_named(office):
    _lite, pg, _checks = office
    with pg.write(ADMIN, "test") as s:
        s.execute(text(f"UPDATE {rollups.COUNTS} SET n = n + 1 WHERE day = (SELECT max(day) FROM {rollups.COUNTS})"))
        found = rollups.problems(s.connection())
        s.rollback()
    assert len(found) == 1 and rollups.COUNTS in found[0]


def test_console_counts_equal_a_recount_of_the_records(office):
    lite, pg, _checks = office
    with pg.read() as s:
        assert daily_counts.has_rollups(s)
        want: dict[int, dict[str, int]] = {}
        for module, table in TABLE_OF.items():
            for sid, n in s.execute(text(f"SELECT station_id, count(*) FROM {table} WHERE status <> 'voided' "
                                         f"GROUP BY station_id")):
                want.setdefault(sid, {})[module.value] = n
        assert daily_counts.live_records(s) == want
        voided = s.execute(text("SELECT count(*) FROM case_record WHERE status = 'voided'")).scalar_one()
        assert voided > 0  # the recount is not the plain row count

    def counts(db):
        return sorted((f.station_uuid, tuple(sorted(f.records.items()))) for f in branch_freshness(db, AS_OF))

    assert counts(pg) == counts(lite)
    assert sum(sum(dict(c).values()) for _u, c in counts(pg)) == sum(sum(v.values()) for v in want.values())


def test_branch_figures_from_the_rollups_equal_the_stations_cells_and_sqlite(office, monkeypatch):
    lite, pg, _checks = office
    start = date(AS_OF.year - 1, AS_OF.month, 1)

    def figures(db):
        return {
            "headline": headline_stats(db, AS_OF),
            "levels": [T.level_series(db, m, "month", start=start, as_of=AS_OF) for m in ("case", "dispute", "person")],
            "events": T.event_series(db, "case", ("new", "closed"), "month", start=start, as_of=AS_OF),
            "overdue": T.overdue_series(db, "dispute", "month", start=start, as_of=AS_OF),
        }

    from_rollups = figures(pg)
    assert from_rollups == figures(lite)
    assert from_rollups["headline"]["cases"]["total"] > 0
    monkeypatch.setattr(daily_counts, "has_rollups", lambda session: False)  # every station's cells instead
    assert figures(pg) == from_rollups


def _ilike_ids(db, module: Module, terms: list[str]) -> list[int]:
    """The records whose search text holds every term, by a bare ILIKE scan."""
    t = TABLE_OF[module]
    where = " AND ".join(f"search_text ILIKE :t{i} ESCAPE '\\'" for i in range(len(terms))) or "true"
    like = {f"t{i}": "%" + x.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            for i, x in enumerate(terms)}
    with db.read() as s:
        return sorted(s.execute(text(f"SELECT id FROM {t} WHERE {where} AND status IN ('active', 'closed')"),
                                like).scalars())


def _indexes(s, parent: str) -> set[str]:
    """An index and, on a partitioned table, its partitions' indexes."""
    return {parent, *s.execute(text("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                                    "WHERE i.inhparent = CAST(:p AS regclass)"), {"p": parent}).scalars()}


def _plan(s, stmt, pg) -> str:
    return "\n".join(s.execute(text("EXPLAIN " + str(stmt.compile(
        pg.engine, compile_kwargs={"literal_binds": True})))).scalars())


def _terms(db, module: Module) -> list[str]:
    t = TABLE_OF[module]
    with db.read() as s:
        texts = s.execute(text(f"SELECT search_text FROM {t} WHERE search_text <> '' ORDER BY id LIMIT 40")).scalars()
        words = sorted({w for x in texts for w in x.split()})
    out = ["no-such-text", "50%_", "%", "_", "\\", "Z", "z", "zs"]
    for w in words[:25]:
        out += [w[:1], w[:2], w[:3], w, w.upper(), w[1:3], w[-1:]]
    out += [f"{words[0][:1]} {words[-1][:2]}", f"{words[1]} {words[2][:1]}"]
    return [x for x in dict.fromkeys(out) if x.strip()]


@pytest.mark.parametrize("module", list(Module))
def test_search_through_the_index_equals_an_ilike_scan(office, module):
    _lite, pg, _checks = office
    seen_hits = 0
    for term in _terms(pg, module):
        if tables.officer_name_matches(pg, term):
            continue  # a pinyin word naming an officer also finds that officer's records
        ids, _counts = tables.list_ids_with_counts(pg, module, TableQuery(text=term))
        want = _ilike_ids(pg, module, tables.search_terms(term)[0] + tables.search_terms(term)[1])
        assert sorted(ids) == want, term
        seen_hits += bool(want)
    assert seen_hits > 10


def test_the_search_index_serves_the_search(office):
    """With scans and index walks made dear, a search reads the search index: the statement's condition is the
    index's expression (a term of one character, of two and of three; every status, so that the
    status index of this small branch is no cheaper way in)."""
    _lite, pg, _checks = office
    for term in ("张", "张伟", "东湖路"):
        stmt = tables.ids_statement(Module.CASE, TableQuery(text=term, statuses=frozenset()), True)
        with pg.read() as s:
            s.execute(text("SET LOCAL enable_seqscan = off"))  # scans and index walks (the
            s.execute(text("SET LOCAL enable_indexscan = off"))  # level-rank order) made dear
            plan = _plan(s, stmt, pg)
            names = _indexes(s, "ix_case_record_search_grams")
        assert any(f" {n} " in plan for n in names), plan


@pytest.mark.parametrize("module", list(Module))
def test_first_pages_walk_the_level_rank_index_and_equal_the_whole_list(office, module, monkeypatch):
    _lite, pg, _checks = office
    monkeypatch.setattr(tables, "FIRST_PAGE_FROM", 1)  # the branch here is small: every table is "large"
    whole = tables.list_ids(pg, module, TableQuery())
    first, complete = tables.first_ids(pg, module, TableQuery(), 20)
    assert not complete and list(first) == list(whole[:20])
    for term in _terms(pg, module)[:30]:
        q = TableQuery(text=term)
        every, _counts = tables.list_ids_with_counts(pg, module, q)
        opening = tables.open_table(pg, module, q, 20)
        assert list(opening.ids) == list(every[:len(opening.ids)]), term
        assert opening.complete == (len(every) < 20) or (opening.complete and len(every) == len(opening.ids)), term
        if len(every) >= 20:
            assert not opening.complete and len(opening.ids) == 20 and opening.counts is None, term
    stmt = tables.ids_statement(module, TableQuery(), True).limit(20)
    with pg.read() as s:
        s.execute(text("SET LOCAL enable_seqscan = off"))
        s.execute(text("SET LOCAL enable_sort = off"))
        plan = _plan(s, stmt, pg)
        names = _indexes(s, f"ix_{TABLE_OF[module]}_level_rank")
    # the order is the index's: no sort of the records, an index scan of the level-rank index
    assert any(f" {n} " in plan for n in names) and "Sort  (" not in plan, plan
