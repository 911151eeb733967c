"""The maintained daily summary (daily_counts) against the recount it replaces.

Three oracles: the SQL state engine (stats.state_counts / state_series, itself held to a Python
replay in test_state_engine.py) on a demo station bent into every edge case; a recount of the
whole table from the history after each step of a seeded random run of the record services
across many days (level changes back and forth, actions with and without due dates, conversions,
voiding, de-listing, reassignment to another team, refused changes that roll back); and the
`check` command, which must name a tampered cell."""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import and_, delete, func, insert, select, text, update

from app.cli import main
from app.domain.levels import Level, Module
from app.errors import StationError
from app.services import daily_counts as dc, records as R, settings as S, trends as T, workstation as W
from app.services.headline import headline_stats
from app.services.settings import load_cadence
from app.services.stats import MODELS, state_counts, state_series
from app.store import SqliteStore
from models import Case, Dispute
from tests.unit.test_state_engine import AS_OF, as_of_days, bend

LEVELS = ("red", "orange", "yellow", "green")
KEYS = {Module.CASE: "cases", Module.DISPUTE: "disputes", Module.PERSON: "persons"}


def exact(db) -> None:
    """The table equals a recount of the history, cell by cell."""
    with db.read() as s:
        conn = s.connection()
        want = dc.recount(conn, {m: load_cadence(s, m) for m in Module})
        have = dc.table_cells(conn)
    assert have == want


def same_state(s, module: Module, day: date, **filt) -> None:
    where = []
    model = MODELS[module]
    if filt.get("team_id") is not None:
        where.append(model.team_id == filt["team_id"])
    if filt.get("category") is not None:
        where.append((Case.kind if module == Module.CASE else Dispute.category) == filt["category"])
    want = state_counts(s, module, day, load_cadence(s, module), where)
    got = dc.state_on(s, module, day, **filt)
    assert (got.by_level, got.overdue, got.converted) == (want.by_level, want.overdue, want.converted), (module, day)


# -- rebuild against the SQL engine on the bent demo station ----------------------------------------
@pytest.fixture(scope="module")
def bent(tmp_path_factory):
    from app.demo import generate_demo

    db = SqliteStore(tmp_path_factory.mktemp("summary") / "demo.db", create=True)
    generate_demo(db, seed=5, scale=0.1, as_of=AS_OF)
    bend(db, seed=11)  # Core rewrites of the history, past the upkeep: the bulk path's rebuild follows
    dc.rebuild_db(db)
    yield db
    db.close()


def test_the_rebuilt_summary_gives_the_engine_s_state_on_every_edge_day(bent):
    days = as_of_days(bent)
    checked = 0
    with bent.read() as s:
        for module in Module:
            for day in days:
                same_state(s, module, day)
            want = state_series(s, module, days, load_cadence(s, module))
            got = dc.states_on(s, module, days)
            assert [(g.by_level, g.overdue) for g in got] == [(w.by_level, w.overdue) for w in want]
            checked += sum(g.overdue for g in got)
    assert checked > 100


def test_team_and_category_cells_add_up_like_the_filtered_engine(bent):
    with bent.read() as s:
        teams = s.scalars(select(Case.team_id).distinct()).all()
        for team in teams:
            if team is not None:
                same_state(s, Module.CASE, AS_OF, team_id=team)
        for kind in ("criminal", "administrative"):
            same_state(s, Module.CASE, AS_OF, category=kind)
        for cat in ("police_primary", "non_police", "assistance"):
            same_state(s, Module.DISPUTE, AS_OF - timedelta(days=30), category=cat)


def test_trends_and_headline_read_the_summary_and_keep_their_figures(bent):
    """The level and overdue trends and the headline figures equal the recount (state engine)."""
    for module in Module:
        tr = T.overdue_series(bent, module, "month", start=date(2024, 1, 1), as_of=AS_OF)
        lv = T.level_series(bent, module, "month", start=date(2024, 1, 1), as_of=AS_OF)
        got = {s.key: s.values for s in tr.series}
        levels = {s.key: s.values for s in lv.series}
        with bent.read() as s:
            want = state_series(s, module, [w.end for w in tr.windows], load_cadence(s, module))
        assert list(got["overdue"]) == [w.overdue for w in want]
        assert list(got["active"]) == [w.active for w in want]
        for code in LEVELS:
            assert list(levels[code]) == [w.by_level[code] for w in want]
    h = headline_stats(bent, AS_OF)
    with bent.read() as s:
        for module in Module:
            want = state_counts(s, module, AS_OF, load_cadence(s, module))
            assert h[KEYS[module]]["by_level"] == want.by_level and h[KEYS[module]]["overdue"] == want.overdue


def recounted(monkeypatch, fn):
    """`fn()` with the summary hidden: every figure from the SQL recounts over the records."""
    with monkeypatch.context() as m:
        m.setattr(dc, "available", lambda session: False)
        return fn()


def test_headline_figures_from_the_summary_equal_the_recount_on_every_edge_day(bent, monkeypatch):
    """Every headline figure (states, period counts, 化解率, 满意率, 破案率, days to green) read
    from the summary equals the SQL recount, on as-of days before, inside and after the history."""
    days = [d for d in as_of_days(bent) if d <= AS_OF + timedelta(days=40)]
    for day in days[::2] + [AS_OF]:
        assert headline_stats(bent, day) == recounted(monkeypatch, lambda: headline_stats(bent, day)), day
    with bent.read() as s:
        counted = s.scalar(select(func.count()).select_from(dc.EVENTS))
    assert counted > 100


def test_windows_and_filters_of_the_event_figures_equal_the_recount(bent, monkeypatch):
    from app.services.stats import Window, resolution_of, satisfaction_of, solve_rate_of

    windows = [Window(date(2024, 10, 1), date(2024, 12, 31)), Window(date(2025, 1, 1), AS_OF),
               Window(date(2025, 4, 1), date(2025, 4, 30))]
    for w in windows:
        for as_of in (w.end, AS_OF):
            def figures():
                with bent.read() as s:
                    return (resolution_of(s, w, as_of), satisfaction_of(s, w, as_of), solve_rate_of(s, w, as_of),
                            {m: T.days_to_green(bent, m, w, as_of=as_of) for m in Module})
            assert figures() == recounted(monkeypatch, figures), (w, as_of)
    with bent.read() as s:
        team = s.scalar(select(Case.team_id).where(Case.team_id.is_not(None)).limit(1))
    for filt in (T.TrendFilter(team_id=team), T.TrendFilter(category="criminal")):
        got = T.days_to_green(bent, Module.CASE, windows[1], filt, as_of=AS_OF)
        assert got == recounted(monkeypatch, lambda: T.days_to_green(bent, Module.CASE, windows[1], filt, as_of=AS_OF))


def test_days_to_green_trend_from_the_summary_equals_the_recount(bent, monkeypatch):
    for module in Module:
        for grain, start in (("month", date(2024, 1, 1)), ("week", date(2025, 1, 1))):
            def series():
                return T.days_to_green_series(bent, module, grain, start=start, as_of=AS_OF).series
            assert series() == recounted(monkeypatch, series), (module, grain)
    assert any(v for s in T.days_to_green_series(bent, Module.CASE, "month", start=date(2024, 1, 1),
                                                 as_of=AS_OF).series for v in s.values)


def test_event_trends_from_the_summary_equal_the_recount(bent, monkeypatch):
    with bent.read() as s:
        team = s.scalar(select(Case.team_id).where(Case.team_id.is_not(None)).limit(1))
    cases = [(Module.CASE, ev) for ev in ("new", "closed", "solved", "handled", "filed")]
    others = [(m, ev) for m in (Module.DISPUTE, Module.PERSON) for ev in ("new", "closed")]
    for module, event in cases + others:
        filters = [T.TrendFilter(), T.TrendFilter(team_id=team)]
        if module == Module.CASE:
            filters += [T.TrendFilter(category="criminal"), T.TrendFilter(category="administrative")]
        for filt in filters:
            for grain, start, as_of in (("month", date(2024, 1, 1), AS_OF), ("week", date(2025, 1, 1), AS_OF),
                                        ("day", date(2025, 4, 1), date(2025, 4, 20))):
                def series():
                    return T.event_series(bent, module, (event,), grain, start=start, as_of=as_of, filt=filt).series
                assert series() == recounted(monkeypatch, series), (module, event, filt, grain)


def test_year_on_year_trends_and_comparisons_from_the_summary_equal_the_recount(bent, monkeypatch):
    for module, event in ((Module.CASE, "solved"), (Module.CASE, "handled"), (Module.DISPUTE, "closed"),
                          (Module.PERSON, "new")):
        for grain in ("month", "week", "quarter", "year", "day"):
            def figures():
                return (T.last_year_series(bent, module, event, grain, start=date(2025, 1, 1), as_of=AS_OF).series,
                        T.compare(bent, module, event, grain, AS_OF).as_dict(),
                        T.compare(bent, module, event, grain, AS_OF, known_at=AS_OF - timedelta(days=3)).as_dict())
            assert figures() == recounted(monkeypatch, figures), (module, event, grain)


# -- upkeep in the same transaction, over a random run of the services ---------------------------------
class Clock:
    def __init__(self, start: datetime):
        self.at = start

    def __call__(self) -> datetime:
        return self.at


def test_every_write_keeps_the_summary_exact_across_days(db, station, monkeypatch):
    rnd = random.Random(21)
    start = datetime.combine(date.today() - timedelta(days=90), time(9))
    clock = Clock(start)
    monkeypatch.setattr(R, "now", clock)
    actor = station.leader
    people = [R.Responsibility(officer_id=station.officer.officer_id),
              R.Responsibility(officer_id=station.other_officer.officer_id)]
    made: dict[Module, list[int]] = {m: [] for m in Module}
    refused = steps = 0
    for day in range(80):
        for _ in range(rnd.randint(0, 4)):
            clock.at = datetime.combine(start.date() + timedelta(days=day), time(rnd.randint(0, 23), rnd.randint(0, 59)))
            today = clock.at.date()
            op = rnd.choice(["new", "new", "level", "level", "level", "action", "action", "convert", "void",
                             "delist", "reassign"])
            try:
                if op == "new" or not any(made.values()):
                    m = rnd.choice(list(Module))
                    lv = rnd.choice(LEVELS[:3])
                    p = rnd.choice(people)
                    n = sum(len(v) for v in made.values())
                    if m == Module.CASE:
                        rid = R.create_case(db, actor, R.CaseInput(f"C{n}", rnd.choice(["criminal", "administrative"]),
                                                                   lv, today, people=p))
                    elif m == Module.DISPUTE:
                        rid = R.create_dispute(db, actor, R.DisputeInput(
                            f"D{n}", rnd.choice(["police_primary", "non_police", "assistance"]), "110", lv, today,
                            parties="甲 乙", people=p))
                    else:
                        rid = R.create_person(db, actor, R.PersonInput(f"人员{n}", lv, today, people=p))
                    made[m].append(rid)
                else:
                    m = rnd.choice([k for k, v in made.items() if v])
                    rid = rnd.choice(made[m])
                    if op == "level":
                        to = rnd.choice(LEVELS)
                        R.change_level(db, actor, m.value, rid, to, "研判调整", "办结" if to == "green" else "")
                    elif op == "action":
                        due = today + timedelta(days=rnd.randint(-3, 20)) if rnd.random() < .5 else None
                        R.log_action(db, actor, m.value, rid, "talk", "见面谈话", acted_on=today,
                                     next_due=due if due is None or due >= today else today)
                    elif op == "convert" and made[Module.DISPUTE]:
                        did = rnd.choice(made[Module.DISPUTE])
                        n = sum(len(v) for v in made.values())
                        made[Module.CASE].append(R.convert_dispute(db, actor, did, R.CaseInput(
                            f"Z{n}", "criminal", "red", today, people=people[0]), "调解不成转案件"))
                    elif op == "void":
                        R.void_record(db, actor, m.value, rid, "重复录入")
                    elif op == "delist" and made[Module.PERSON]:
                        R.delist_person(db, actor, rnd.choice(made[Module.PERSON]), "经评估无现实危险")
                    elif op == "reassign":
                        W.reassign(db, actor, m.value, [rid], rnd.choice(people))
                steps += 1
            except StationError:
                refused += 1  # refused and rolled back: the summary must not move either
            exact(db)  # after every step, refused ones included
    exact(db)
    assert steps > 80 and refused > 0
    with db.read() as s:
        for module in Module:
            for k in range(0, 95, 3):
                same_state(s, module, start.date() + timedelta(days=k))
            same_state(s, module, start.date() + timedelta(days=60), team_id=station.team_id)
        overdue = sum(dc.state_on(s, m, start.date() + timedelta(days=k)).overdue for m in Module for k in (30, 60, 90))
    assert overdue > 0  # the run reached overdue records, so that part was compared too


def test_a_cadence_change_moves_the_overdue_cells(db, station):
    cid = R.create_case(db, station.leader, R.CaseInput(
        "A1", "criminal", "red", date.today() - timedelta(days=10),
        people=R.Responsibility(officer_id=station.officer.officer_id)))
    assert cid
    S.set_cadence(db, station.leader, "red", 30)
    exact(db)
    with db.read() as s:
        same_state(s, Module.CASE, date.today() + timedelta(days=40))


def test_a_write_that_fails_leaves_the_summary_as_it_was(db, station):
    cid = R.create_case(db, station.leader, R.CaseInput(
        "A1", "criminal", "red", date.today(), people=R.Responsibility(officer_id=station.officer.officer_id)))
    with db.read() as s:
        before = dc.table_cells(s.connection())
    with pytest.raises(RuntimeError):
        with db.write(station.leader, "change_level") as session:
            rec = session.get(Case, cid)
            rec.level = "green"
            session.flush()
            raise RuntimeError("stopped")
    with db.read() as s:
        assert dc.table_cells(s.connection()) == before
    exact(db)


# -- check ------------------------------------------------------------------------------------------------
def test_check_names_a_tampered_summary_cell(db, station, capsys):
    R.create_case(db, station.leader, R.CaseInput(
        "A1", "criminal", "red", date.today(), people=R.Responsibility(officer_id=station.officer.officer_id)))
    assert dc.problems(db) == []
    db.close()
    assert main(["check", "--db", str(db.path)]) == 0
    assert "每日汇总 (daily summary): ok" in capsys.readouterr().out

    db2 = SqliteStore(db.path)
    with db2.raw() as conn:
        conn.execute("UPDATE daily_counts SET n = n + 1 WHERE module = 'case' AND level = 'red' AND category = '*' "
                     "AND day = (SELECT min(day) FROM daily_counts WHERE module = 'case')")
    found = dc.problems(db2)
    db2.close()
    assert len(found) == 1 and "case" in found[0] and "red" in found[0]
    assert main(["check", "--db", str(db.path)]) == 1
    out = capsys.readouterr().out
    assert "每日汇总 (daily summary): 1 个问题 (problems)" in out and "daily summary daily_counts case" in out
    db3 = SqliteStore(db.path)
    with db3.raw() as conn:  # the cell put back, an event cell moved instead
        conn.execute("UPDATE daily_counts SET n = n - 1 WHERE module = 'case' AND level = 'red' AND category = '*' "
                     "AND day = (SELECT min(day) FROM daily_counts WHERE module = 'case')")
        conn.execute("UPDATE daily_events SET known_on = '2000-01-01' WHERE module = 'case' AND event = 'new' "
                     "AND category = '*'")
    found = dc.problems(db3)
    db3.close()
    assert len(found) == 2 and all("daily_events case new" in p for p in found)


def test_an_upgraded_file_gets_its_summary_from_the_history(tmp_path):
    """A file made at 0010 (before the summary) gets the table filled by the migration."""
    from app.demo import generate_demo

    path = tmp_path / "old.db"
    old = SqliteStore(path, create=True, revision="0010")
    with old.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'daily_counts'")).scalar() == 0
    generate_demo(old, seed=2, scale=0.05, as_of=date(2025, 3, 1))  # no table yet: nothing to rebuild
    old.close()
    db = SqliteStore(path)
    try:
        exact(db)
        with db.read() as s:
            assert dc.table_cells(s.connection())
            same_state(s, Module.DISPUTE, date(2025, 2, 1))
    finally:
        db.close()


def test_level_codes_of_the_table_are_the_engine_s(bent):
    with bent.read() as s:
        levels = set(s.scalars(select(dc.TABLE.c.level).distinct()))
    assert levels <= {*LEVELS, dc.CONVERTED} and Level.RED.value in levels


# -- a rebuild writes only the cells that differ -----------------------------------------------------
def test_a_rebuild_writes_only_the_cells_that_differ(bent):
    """A rebuild over an exact summary writes nothing; after one cell is changed, one deleted and
    one made up, it writes those three and the summary equals the recount again."""
    assert dc.rebuild_db(bent) == 0
    with bent.read() as s:
        station = s.scalar(select(func.min(dc.TABLE.c.station_id)))
    assert dc.rebuild_db(bent, [Module.CASE], station_ids=[station]) == 0
    with bent.write(None, "test") as s:
        conn = s.connection()
        table = dc.TABLE
        changed, dropped = conn.execute(select(table.c.module, table.c.day, table.c.station_id, table.c.category,
                                               table.c.team_id, table.c.level)
                                        .where(table.c.module == "case").order_by(table.c.day).limit(2)).all()
        cell = lambda row: and_(*(table.c[k] == v for k, v in row._mapping.items()))  # noqa: E731
        conn.execute(update(table).where(cell(changed)).values(n=table.c.n + 7))
        conn.execute(delete(table).where(cell(dropped)))
        conn.execute(insert(dc.EVENTS).values(module="case", event="new", day=date(1999, 1, 1),
                                              known_on=date(1999, 1, 1), station_id=changed.station_id,
                                              category="*", key="", n=4, total=0))
    assert dc.problems(bent)  # the tampering is seen before the rebuild
    assert dc.rebuild_db(bent) == 3
    assert dc.problems(bent) == []
    assert dc.rebuild_db(bent) == 0
