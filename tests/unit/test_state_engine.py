"""The SQL "state as of a day" engine (stats.state_select) against the straightforward Python replay
it replaced, kept here as the oracle: on a demo station whose history is bent into the awkward
cases (explicit due dates, several level changes a day, actions tied with or older than a change,
records without a creation row, voided, converted, de-listed, a level without a cadence, as-of
days before anything existed), every record's level and overdue flag must agree, and so must the
sums the headline figures and the overdue series report."""
from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import delete, func, select, update

from app.domain.levels import Level, Module
from app.domain.rules import next_due_date
from app.services import trends as T
from app.services.settings import load_cadence
from app.services.stats import MODELS, end_of, headline_stats, known_at, state_counts
from models import Action, Dispute, LevelChange, Setting

AS_OF = date(2025, 5, 15)
LEVELS = ("red", "orange", "yellow", "green")
KEYS = {Module.CASE: "cases", Module.DISPUTE: "disputes", Module.PERSON: "persons"}


# -- the oracle: the Python replay of history (the former stats._state_as_of, per record) ----------
def replay(session, module: Module, as_of: date, cadence: dict) -> tuple[dict[int, tuple[str, bool]], set[int]]:
    """{record id: (level, overdue)} of the records known at the end of `as_of` (converted
    disputes left out) and the set of converted ones, by folding the whole history in Python."""
    model = MODELS[module]
    end = end_of(as_of)
    conv = [Dispute.converted_at] if module == Module.DISPUTE else []
    records = session.execute(select(model.id, model.level, model.created_at, *conv)
                              .where(*known_at(model, end))).all()
    last_level: dict[int, tuple[str, datetime]] = {}
    change_days: dict[int, date] = {}
    for rid, from_level, to_level, outcome, changed_at in session.execute(
            select(LevelChange.record_id, LevelChange.from_level, LevelChange.to_level, LevelChange.outcome,
                   LevelChange.changed_at)
            .where(LevelChange.module == module.value, LevelChange.changed_at < end)
            .order_by(LevelChange.record_id, LevelChange.changed_at, LevelChange.id)):
        if outcome in ("voided", "converted") and from_level is not None and from_level == to_level:
            continue  # a marker row keeps the level
        last_level[rid] = (to_level, changed_at)
        change_days[rid] = max(change_days.get(rid, changed_at.date()), changed_at.date())
    last_action: dict[int, tuple[datetime, date | None]] = {}
    action_days: dict[int, date] = {}
    for rid, acted_at, next_due in session.execute(
            select(Action.record_id, Action.acted_at, Action.next_due)
            .where(Action.module == module.value, Action.acted_at < end)
            .order_by(Action.record_id, Action.acted_at, Action.id)):
        last_action[rid] = (acted_at, next_due)
        action_days[rid] = max(action_days.get(rid, acted_at.date()), acted_at.date())
    states: dict[int, tuple[str, bool]] = {}
    converted: set[int] = set()
    for row in records:
        rid, current_level, created_at = row[0], row[1], row[2]
        if conv and row[3] is not None and row[3] < end:
            converted.add(rid)
            continue
        level_code, changed_at = last_level.get(rid, (current_level, created_at))
        overdue = False
        if level_code != Level.GREEN.value:
            last_activity = max(d for d in (created_at.date(), change_days.get(rid), action_days.get(rid)) if d)
            explicit = None
            if rid in last_action and last_action[rid][0] >= changed_at:
                explicit = last_action[rid][1]
            due = next_due_date(Level(level_code), last_activity, explicit, cadence)
            overdue = due is not None and due < as_of
        states[rid] = (level_code, overdue)
    return states, converted


# -- a demo station bent into the edge cases --------------------------------------------------------
def bend(db, seed: int) -> None:
    """Rewrite part of the demo history (seeded) so that every rule of the replay is exercised."""
    rnd = random.Random(seed)
    with db.write() as s:
        actions = s.execute(select(Action.id, Action.module, Action.record_id, Action.acted_at)).all()
        changes = s.execute(select(LevelChange.id, LevelChange.module, LevelChange.record_id,
                                   LevelChange.from_level, LevelChange.changed_at)
                            .order_by(LevelChange.module, LevelChange.record_id, LevelChange.changed_at,
                                      LevelChange.id)).all()
        by_record: dict[tuple[str, int], list] = {}
        for ch in changes:
            by_record.setdefault((ch.module, ch.record_id), []).append(ch)
        # Explicit due dates (before, on and after the action day), some actions left without one.
        for a in rnd.sample(actions, len(actions) // 3):
            s.execute(update(Action).where(Action.id == a.id)
                      .values(next_due=a.acted_at.date() + timedelta(days=rnd.randint(-10, 40))))
        histories = [h for h in by_record.values() if len(h) >= 2]
        for h in rnd.sample(histories, len(histories) // 5):
            # Several changes on one day: the last but one moved to the last one's day, earlier or
            # later in the day (so the order by time and the order by id can disagree), or to the
            # same instant (ties broken by row id).
            last, before = h[-1], h[-2]
            when = rnd.choice([datetime.combine(last.changed_at.date(), time(rnd.randint(0, 23), rnd.randint(0, 59))),
                               last.changed_at])
            s.execute(update(LevelChange).where(LevelChange.id == before.id).values(changed_at=when))
        for h in rnd.sample(histories, len(histories) // 10):
            # The latest action at the very instant of the last change: it counts (acted_at >= changed_at).
            last = h[-1]
            s.execute(delete(Action).where(Action.module == last.module, Action.record_id == last.record_id,
                                           Action.acted_at >= last.changed_at))
            s.add(Action(module=last.module, record_id=last.record_id, kind="talk", content="同时",
                         acted_at=last.changed_at, recorded_at=last.changed_at,
                         next_due=last.changed_at.date() + timedelta(days=rnd.randint(-5, 5))))
        for a in rnd.sample(actions, len(actions) // 10):
            # Actions at midnight, without a due date: the cadence boundary (due = day + cadence) is
            # hit exactly on the as-of days picked by `as_of_days`.
            s.execute(update(Action).where(Action.id == a.id)
                      .values(acted_at=datetime.combine(a.acted_at.date(), time()), next_due=None))
        for (_module, _rid), h in rnd.sample(sorted(by_record.items()), len(by_record) // 40):
            # No creation row (inconsistent data: the record keeps its current level until a change).
            s.execute(delete(LevelChange).where(LevelChange.id == h[0].id))
        for module, rid in rnd.sample(sorted(by_record), len(by_record) // 40):
            # Nothing but the record itself: its creation day is its last activity.
            s.execute(delete(LevelChange).where(LevelChange.module == module, LevelChange.record_id == rid))
            s.execute(delete(Action).where(Action.module == module, Action.record_id == rid))
        for module, model in MODELS.items():
            ids = s.scalars(select(model.id).order_by(model.id)).all()
            for rid in rnd.sample(ids, max(1, len(ids) // 30)):
                # Actions older than the record (entered with a wrong date): explicit only if not older
                # than the last change, and never before the creation when there is no change.
                created = s.scalar(select(model.created_at).where(model.id == rid))
                s.add(Action(module=module.value, record_id=rid, kind="talk", content="补录",
                             acted_at=created - timedelta(hours=rnd.choice([1, 30])), recorded_at=created,
                             next_due=created.date() + timedelta(days=rnd.randint(0, 20)) if rnd.random() < .7 else None))
            for rid in rnd.sample(ids, max(1, len(ids) // 50)):
                # Voided (some of them before the as-of days, some after).
                created = s.scalar(select(model.created_at).where(model.id == rid))
                s.execute(update(model).where(model.id == rid).values(
                    status="voided", voided_at=created + timedelta(days=rnd.randint(0, 200), hours=3)))
        for module, model in MODELS.items():
            # Voided (or, for disputes, converted) while active, weeks after the last event, with no
            # marker row: the voiding or conversion alone moves the record out of the counts.
            last = {}
            for table, rid_col, at_col in ((LevelChange, LevelChange.record_id, LevelChange.changed_at),
                                           (Action, Action.record_id, Action.acted_at)):
                for rid, at in s.execute(select(rid_col, func.max(at_col)).where(table.module == module.value)
                                         .group_by(rid_col)):
                    last[rid] = max(last.get(rid, at), at)
            quiet = [rid for rid in s.scalars(select(model.id).where(model.level != "green", model.voided_at.is_(None))
                                              .order_by(model.id))
                     if rid in last and last[rid] < datetime.combine(AS_OF, time()) - timedelta(days=60)]
            for n, rid in enumerate(rnd.sample(quiet, min(len(quiet), 6))):
                when = last[rid] + timedelta(days=20, hours=1)
                if module == Module.DISPUTE and n % 2:
                    s.execute(update(Dispute).where(Dispute.id == rid).values(status="converted", converted_at=when))
                else:
                    s.execute(update(model).where(model.id == rid).values(status="voided", voided_at=when))
        s.merge(Setting(key="cadence.red", value="3"))
        s.merge(Setting(key="cadence.yellow", value=""))  # a level without a cadence: never overdue by it


@pytest.fixture(scope="module")
def bent(tmp_path_factory):
    from app.demo import generate_demo
    from app.store import SqliteStore

    db = SqliteStore(tmp_path_factory.mktemp("engine") / "demo.db", create=True)
    generate_demo(db, seed=5, scale=0.1, as_of=AS_OF)
    bend(db, seed=11)
    from app.services.daily_counts import rebuild_db

    rebuild_db(db)  # bend rewrites the history with Core, past the daily summary's upkeep (as bulk paths do)
    yield db
    db.close()


def as_of_days(db) -> list[date]:
    """The day before anything existed, the first day, random days, and days on which a midnight
    action's cadence runs out exactly (due = as-of day: not overdue yet; one day later: overdue)."""
    with db.read() as s:
        first = min(s.scalar(select(m.created_at).order_by(m.created_at).limit(1)) for m in MODELS.values())
        midnight = s.scalars(select(Action.acted_at).where(Action.acted_at == func.date(Action.acted_at))
                             .order_by(Action.acted_at.desc()).limit(4)).all()
        bare = [s.scalar(select(m.created_at).where(~m.id.in_(select(LevelChange.record_id).where(
            LevelChange.module == module.value))).order_by(m.id.desc()).limit(1)) for module, m in MODELS.items()]
    days = [first.date() - timedelta(days=1), first.date(), AS_OF, AS_OF + timedelta(days=40)]
    days += [at.date() + timedelta(days=2) for at in bare if at is not None]  # within the cadence of creation
    rnd = random.Random(2)
    days += sorted(first.date() + timedelta(days=rnd.randint(0, (AS_OF - first.date()).days)) for _ in range(4))
    for at in midnight:
        days += [at.date() + timedelta(days=14), at.date() + timedelta(days=15), at.date() + timedelta(days=3)]
    return sorted(set(days))


def test_the_bent_station_holds_every_edge_case(bent):
    with bent.read() as s:
        assert s.scalar(select(Action.id).where(Action.next_due.is_not(None)).limit(1))
        assert s.scalar(select(Dispute.id).where(Dispute.converted_at.is_not(None)).limit(1))
        for model in MODELS.values():
            assert s.scalar(select(model.id).where(model.voided_at.is_not(None)).limit(1))
        assert load_cadence(s)[Level.YELLOW] is None
        # Records at each level, a de-listed (green) person, marker rows for voiding or conversion.
        assert s.scalar(select(MODELS[Module.PERSON].id).where(MODELS[Module.PERSON].level == "green").limit(1))
        assert s.scalar(select(LevelChange.id).where(LevelChange.outcome.in_(("voided", "converted"))).limit(1))


def test_record_states_agree_with_the_replay_record_by_record(bent):
    checked = Counter()
    with bent.read() as s:
        cadence = load_cadence(s)
        for day in as_of_days(bent):
            for module in Module:
                expected, converted = replay(s, module, day, cadence)
                got = T.record_states(s, module, day, cadence=cadence)
                assert {rid: (st.level, st.overdue) for rid, st in got.items()} == expected, (module, day)
                counts = state_counts(s, module, day, cadence)
                assert counts.converted == len(converted)
                assert counts.overdue == sum(o for _lv, o in expected.values())
                assert counts.by_level == {lv: sum(1 for v in expected.values() if v[0] == lv) for lv in LEVELS}
                checked["overdue"] += counts.overdue
                checked["records"] += len(expected)
    assert checked["overdue"] > 100 and checked["records"] > 1000  # the comparison covered real cases


def test_headline_and_overdue_series_agree_with_the_replay(bent):
    days = [d for d in as_of_days(bent) if d <= AS_OF][::2]
    with bent.read() as s:
        cadence = load_cadence(s)
        oracle = {(m, d): replay(s, m, d, cadence) for m in Module for d in days}
    for day in days[:4]:
        h = headline_stats(bent, day)
        for module in Module:
            states, converted = oracle[(module, day)]
            block = h[KEYS[module]]
            assert block["overdue"] == sum(o for _lv, o in states.values())
            assert block["by_level"] == {lv: sum(1 for v in states.values() if v[0] == lv) for lv in LEVELS}
            if module == Module.DISPUTE:
                assert block["converted"] == len(converted)
    for module in Module:
        tr = T.overdue_series(bent, module, "month", start=date(2024, 1, 1), as_of=AS_OF)
        got = {s.key: s.values for s in tr.series}
        for i, w in enumerate(tr.windows):
            with bent.read() as s:
                states, _ = replay(s, module, w.end, cadence)
            assert got["overdue"][i] == sum(o for _lv, o in states.values()), (module, w.end)
            assert got["active"][i] == sum(1 for lv, _o in states.values() if lv != "green"), (module, w.end)


def test_filters_narrow_the_engine_like_the_replay(bent):
    """A team filter (the dashboard's) keeps exactly the replay's records of that team."""
    from models import Case

    with bent.read() as s:
        team = s.scalar(select(Case.team_id).where(Case.team_id.is_not(None)).limit(1))
        members = set(s.scalars(select(Case.id).where(Case.team_id == team)))
        cadence = load_cadence(s)
        expected, _ = replay(s, Module.CASE, AS_OF, cadence)
        got = T.record_states(s, Module.CASE, AS_OF, T.TrendFilter(team_id=team), cadence)
    assert {rid: (st.level, st.overdue) for rid, st in got.items()} == \
        {rid: v for rid, v in expected.items() if rid in members}
    assert got


# -- days from entry to green: the indexed first-green search against the plain GROUP BY ------------
def first_greens(session, module: Module, as_of: date) -> list[tuple[int, str, date, date]]:
    """(id, entry level, entry day, first green day) by grouping the whole history (the former query)."""
    model = MODELS[module]
    end = end_of(as_of)
    greens: dict[int, datetime] = {}
    entries: dict[int, tuple[datetime, int, str]] = {}
    for rid, lid, from_level, to_level, at in session.execute(
            select(LevelChange.record_id, LevelChange.id, LevelChange.from_level, LevelChange.to_level,
                   LevelChange.changed_at)
            .where(LevelChange.module == module.value, LevelChange.changed_at < end)):
        if from_level is None:
            entries[rid] = min(entries.get(rid, (at, lid, to_level)), (at, lid, to_level))
        elif to_level == "green" and from_level != "green":
            greens[rid] = min(greens.get(rid, at), at)
    known = set(session.scalars(select(model.id).where(*known_at(model, end))))
    return [(rid, entries[rid][2], entries[rid][0].date(), g.date()) for rid, g in greens.items()
            if rid in known and rid in entries and entries[rid][2] != "green"]


def test_days_to_green_agree_with_grouping_the_whole_history(bent):
    from decimal import ROUND_HALF_UP, Decimal

    def expected(rows, start: date, end: date) -> dict:
        out = {}
        for lv in LEVELS[:3]:
            days = [(g - e).days for _rid, level, e, g in rows if level == lv and start <= g <= end]
            out[lv] = (float((Decimal(sum(days)) / len(days)).quantize(Decimal("0.1"), ROUND_HALF_UP))
                       if days else None, len(days))
        return out

    seen = 0
    for module in Module:
        for as_of in (date(2024, 12, 31), AS_OF):
            with bent.read() as s:
                rows = first_greens(s, module, as_of)
            for start in (date(as_of.year, 1, 1), date(2024, 6, 1), date(2020, 1, 1)):
                got = T.days_to_green(bent, module, T.Window(start, as_of), as_of=as_of)
                assert got == expected(rows, start, as_of), (module, as_of, start)
                seen += sum(n for _avg, n in got.values())
        tr = T.days_to_green_series(bent, module, "month", start=date(2024, 1, 1), as_of=AS_OF)
        with bent.read() as s:
            rows = first_greens(s, module, AS_OF)
        for i, w in enumerate(tr.windows):
            e = expected(rows, w.start, w.end)
            assert tuple(tr.series_by_key(lv).values[i] for lv in LEVELS[:3]) == tuple(e[lv][0] for lv in LEVELS[:3])
            assert tuple(tr.series_by_key(f"n_{lv}").values[i] for lv in LEVELS[:3]) == \
                tuple(e[lv][1] for lv in LEVELS[:3])
            if i % 5 == 0:
                ids = T.point_ids(bent, tr, i, "n_orange")
                assert ids == sorted(rid for rid, lv, _e, g in rows if lv == "orange" and w.start <= g <= w.end)
    assert seen > 100


def test_level_series_equals_the_state_engine_at_each_period_end(bent):
    """Records per level at each period end = the state engine's by_level then (the headline's),
    for the whole station (read from the daily summary) and for one officer (the engine itself)."""
    with bent.read() as s:
        officer = s.scalar(select(MODELS[Module.CASE].officer_id).where(
            MODELS[Module.CASE].officer_id.is_not(None)).limit(1))
    for module in Module:
        for grain, start in (("month", date(2024, 1, 1)), ("week", date(2025, 1, 1)), ("day", date(2025, 4, 20))):
            tr = T.level_series(bent, module, grain, start=start, as_of=AS_OF)
            mine = T.level_series(bent, module, grain, start=start, as_of=AS_OF, filt=T.TrendFilter(officer_id=officer))
            model = MODELS[module]
            with bent.read() as s:
                cadence = load_cadence(s, module)
                for i, w in enumerate(tr.windows):
                    want = state_counts(s, module, w.end, cadence).by_level
                    assert {lv: tr.series_by_key(lv).values[i] for lv in LEVELS} == want, (module, grain, w.end)
                    want = state_counts(s, module, w.end, cadence, [model.officer_id == officer]).by_level
                    assert {lv: mine.series_by_key(lv).values[i] for lv in LEVELS} == want, (module, grain, w.end)


def test_each_cadence_gets_its_own_sql(bent):
    """The cadence is baked into the statement (days added in SQL): statements compiled for one
    cadence must not be reused for another (SQLAlchemy's statement cache keys include it)."""
    with bent.read() as s:
        for cadence in ({Level.RED: 7, Level.ORANGE: 14, Level.YELLOW: 30, Level.GREEN: None},
                        {Level.RED: 3, Level.ORANGE: 14, Level.YELLOW: 30, Level.GREEN: None},
                        {Level.RED: 3, Level.ORANGE: 60, Level.YELLOW: None, Level.GREEN: None},
                        {Level.RED: 7, Level.ORANGE: 14, Level.YELLOW: 30, Level.GREEN: None}):
            expected, _ = replay(s, Module.CASE, AS_OF, cadence)
            got = T.record_states(s, Module.CASE, AS_OF, cadence=cadence)
            assert {rid: (st.level, st.overdue) for rid, st in got.items()} == expected, cadence


def test_briefing_level_trend_agrees_with_the_replay(bent):
    from app.services.briefing import level_trend, trend_days

    days = trend_days(AS_OF, 12)
    with bent.read() as s:
        cadence = load_cadence(s)
        for module in Module:
            tr = level_trend(bent, module, days)
            for i, day in enumerate(days):
                states, _ = replay(s, module, day, cadence)
                assert {lv: tr.counts[lv][i] for lv in LEVELS} == \
                    {lv: sum(1 for v in states.values() if v[0] == lv) for lv in LEVELS}, (module, day)
