"""The briefing service: the changes between two briefings, the stored briefing time, masking and the figures."""
from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select, text
from stdnum.cn import ric

from app.demo import generate_demo
from app.errors import PermissionDenied, ValidationError
from app.services import audit, briefing as B, records as R
from app.services.stats import headline_stats
from models import Case, Dispute, LevelChange, Person

#: Key persons of the story; none shares a name with an officer of the `station` fixture.
NAMES = {"p1": "赵小明", "p2": "欧阳娜娜", "p3": "孙丽"}


def id_number(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


IDS = {"p2": id_number("36010219800101123"), "p3": id_number("36010419900315244")}


class Clock:
    """Stands in for records.now(): every service stamps the time the story says."""

    def __init__(self, start: datetime):
        self.t = start

    def __call__(self) -> datetime:
        return self.t


@dataclasses.dataclass
class Story:
    day0: date
    b1: datetime  # the first briefing
    b2: datetime  # the second, the next morning
    ids: dict[str, int]
    clock: Clock


def tell_story(db, st, monkeypatch) -> Story:
    """Records before a briefing, the changes of one working day, a record made at the very
    moment of the next briefing. Every stamp is placed by the clock, ten days back."""
    day0 = date.today() - timedelta(days=10)
    clock = Clock(datetime.combine(day0, time(7, 0)))
    monkeypatch.setattr(R, "now", clock)
    officer, leader = st.officer, st.leader
    people = R.Responsibility(officer_id=officer.officer_id)
    ids: dict[str, int] = {}

    def step(minutes: int) -> None:
        clock.t += timedelta(minutes=minutes)

    def case(key: str, no: str, level: str) -> None:
        ids[key] = R.create_case(db, officer, R.CaseInput(no, "criminal", level, day0, cause="盗窃", people=people))

    def dispute(key: str, no: str, level: str) -> None:
        ids[key] = R.create_dispute(db, officer, R.DisputeInput(no, "police_primary", "110", level, day0,
                                                                parties="钱多多、孙小红", people=people))

    def person(key: str, level: str) -> None:
        ids[key] = R.create_person(db, officer, R.PersonInput(NAMES[key], level, day0, id_number=IDS.get(key),
                                                              control_plan="专人盯控", people=people))

    # Before the first briefing.
    for make in (lambda: case("a", "A0001", "orange"), lambda: case("b", "A0002", "red"),
                 lambda: dispute("d1", "J0001", "yellow"), lambda: dispute("d2", "J0002", "orange"),
                 lambda: person("p1", "yellow"), lambda: person("p2", "red")):
        make()
        step(5)
    b1 = datetime.combine(day0, time(8, 30))
    clock.t = datetime.combine(day0, time(9, 0))
    # Between the two briefings: create, raise, lower, close, convert, void.
    case("c", "A0003", "red")
    step(10)
    person("p3", "orange")
    step(10)
    R.change_level(db, officer, "case", ids["a"], "red", "发现作案人线索")
    step(10)
    R.change_level(db, officer, "person", ids["p2"], "yellow", "情绪稳定")
    step(10)
    R.change_level(db, leader, "case", ids["b"], "green", "已破案", outcome="案件办结")
    step(10)
    ids["e"] = R.convert_dispute(db, officer, ids["d2"], R.CaseInput("A0004", "criminal", "orange", day0),
                                 "调解不成")
    step(10)
    R.void_record(db, officer, "dispute", ids["d1"], "重复录入")
    step(10)
    dispute("d3", "J0003", "yellow")
    step(10)
    R.void_record(db, officer, "dispute", ids["d3"], "录错")
    # At the very moment of the second briefing: belongs to the window after it.
    b2 = datetime.combine(day0 + timedelta(days=1), time(8, 30))
    clock.t = b2
    case("f", "A0005", "yellow")
    return Story(day0, b1, b2, ids, clock)


def counts(briefing_changes: B.SinceLast, module: str) -> dict[str, int]:
    c = briefing_changes.by_module[module]
    return {k: c.get(k) for k in B.EVENT_KINDS if c.get(k)}


# -- since the last briefing ----------------------------------------------------------------------
def test_changes_between_two_briefings(db, station, monkeypatch):
    story = tell_story(db, station, monkeypatch)
    first = B.start_briefing(db, station.leader, "daily", story.b1)
    assert first == story.b1 - timedelta(days=1)  # never shown before: the last day
    since = B.start_briefing(db, station.leader, "daily", story.b2)
    assert since == story.b1  # the next day starts where the last briefing was shown
    b = B.build_briefing(db, since=since, now=story.b2)
    s = b.since_last
    assert (s.since, s.until) == (story.b1, story.b2)
    assert counts(s, "case") == {"new": 2, "raised": 1, "closed": 1}  # C and E (converted); F comes after
    assert s.by_module["case"].new_by_level == {"red": 1, "orange": 1, "yellow": 0, "green": 0}
    assert counts(s, "dispute") == {"new": 1, "converted": 1, "voided": 2}
    assert counts(s, "person") == {"new": 1, "lowered": 1}
    # The new and raised records, red first and the latest first; D3 was voided since, so it is
    # counted but not dispatched.
    ids = story.ids
    assert [(i.module, i.record_id, i.kind) for i in s.items] == [
        ("case", ids["a"], "raised"), ("case", ids["c"], "new"), ("case", ids["e"], "new"),
        ("person", ids["p3"], "new")]
    assert s.items[0].from_level == "orange" and s.items[0].to_level == "red"
    assert s.items[3].label == "孙*" and s.items[3].number == ""
    assert s.items[0].officer == "张伟" and s.items[0].team == "社区警务一队"
    # Every level_change row of the window is counted once, by an independent count.
    with db.read() as session:
        n = session.scalar(select(func.count()).select_from(LevelChange).where(
            LevelChange.changed_at >= story.b1, LevelChange.changed_at < story.b2))
    assert sum(s.total(k) for k in B.EVENT_KINDS) == n == 10


def test_the_next_window_takes_what_happened_at_the_briefing(db, station, monkeypatch):
    story = tell_story(db, station, monkeypatch)
    B.start_briefing(db, station.leader, "daily", story.b1)
    B.start_briefing(db, station.leader, "daily", story.b2)
    b3 = story.b2 + timedelta(days=1)
    since = B.start_briefing(db, station.leader, "daily", b3)
    assert since == story.b2
    s = B.since_last(db, since, b3)
    assert counts(s, "case") == {"new": 1}  # F, made at the second briefing's second
    assert s.total("new") == 1 and sum(s.total(k) for k in B.EVENT_KINDS) == 1


def test_reopening_the_same_day_keeps_the_window(db, station):
    day = datetime(2026, 3, 9, 8, 30)
    assert B.last_shown_at(db) is None
    assert B.start_briefing(db, station.leader, "daily", day) == day - timedelta(days=1)
    assert B.last_shown_at(db) == day
    # Closed and opened again at noon: the same start, and the morning stays "the briefing".
    assert B.start_briefing(db, station.leader, "daily", day.replace(hour=12)) == day - timedelta(days=1)
    assert B.last_shown_at(db) == day
    # The next morning starts at yesterday's briefing.
    assert B.start_briefing(db, station.leader, "daily", day + timedelta(days=1)) == day
    # The weekly consultation is remembered apart, by ISO week.
    assert B.start_briefing(db, station.leader, "weekly", day) == day - timedelta(days=7)
    assert B.start_briefing(db, station.leader, "weekly", day + timedelta(days=4)) == day - timedelta(days=7)
    assert B.start_briefing(db, station.leader, "weekly", day + timedelta(days=7)) == day
    assert B.last_shown_at(db, "weekly") == day + timedelta(days=7)


def test_a_damaged_stored_time_does_not_stop_the_briefing(db, station):
    with db.write() as session:
        session.execute(text("INSERT INTO setting (key, value) VALUES ('briefing.last_shown_at', 'yesterday')"))
    at = datetime(2026, 3, 9, 8, 30)
    assert B.start_briefing(db, station.leader, "daily", at) == at - timedelta(days=1)
    assert B.last_shown_at(db) == at


def test_bad_modes_and_windows_are_refused(db, station):
    with pytest.raises(ValidationError):
        B.build_briefing(db, mode="monthly")
    with pytest.raises(ValidationError):
        B.since_last(db, datetime(2026, 3, 9), datetime(2026, 3, 8))
    with pytest.raises(ValidationError):
        B.trend_days(date(2026, 3, 9), 0)


@pytest.mark.parametrize("frm, to, outcome, kind", [
    (None, "red", "", "new"), (None, "green", "案件办结", "new"), ("orange", "red", "", "raised"),
    ("green", "yellow", "", "raised"), ("red", "yellow", "", "lowered"), ("red", "green", "办结", "closed"),
    ("yellow", "green", "调解完成", "closed"), ("orange", "orange", "converted", "converted"),
    ("red", "red", "voided", "voided")])
def test_classify(frm, to, outcome, kind):
    assert B.classify(frm, to, outcome) == kind


# -- masking --------------------------------------------------------------------------------------
def all_strings(value) -> list[str]:
    """Every string anywhere in a briefing (dataclasses, dicts, tuples)."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value):
        return [s for f in dataclasses.fields(value) for s in all_strings(getattr(value, f.name))]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in all_strings(k) + all_strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in all_strings(v)]
    return []


def unmask_events(db) -> list:
    return [e for e in audit.list_entries(db) if e.action == "unmask"]


def test_masked_unless_a_leader_asks(db, station, monkeypatch):
    story = tell_story(db, station, monkeypatch)
    story.clock.t = story.b2 + timedelta(minutes=5)
    R.create_dispute(db, station.officer, R.DisputeInput("J0009", "police_primary", "110", "red", story.day0,
                                                         parties="钱多多、孙小红", people=R.Responsibility(
                                                             officer_id=station.officer.officer_id)))
    b = B.build_briefing(db, since=story.b1, now=story.b2)
    assert b.red["dispute"].total == 1
    strings = " ".join(all_strings(b))
    for name in NAMES.values():
        assert name not in strings
    for number in IDS.values():
        assert number not in strings
    assert "孙*" in strings  # P3, new since the last briefing, shown masked
    assert "钱多多" not in strings and "钱*多、孙*红" in strings  # a red dispute's parties

    assert not b.unmasked and not unmask_events(db)

    for actor in (station.officer, station.team_leader):
        with pytest.raises(PermissionDenied):
            B.build_briefing(db, since=story.b1, now=story.b2, unmask_by=actor)
    assert not unmask_events(db)

    full = B.build_briefing(db, since=story.b1, now=story.b2, unmask_by=station.leader)
    assert full.unmasked
    assert "孙丽" in " ".join(all_strings(full)) and "钱多多、孙小红" in " ".join(all_strings(full))
    events = unmask_events(db)
    assert len(events) == 1 and events[0].account == station.leader.name and events[0].module == "person"
    with db.read() as session:
        p3_uuid = session.scalar(select(Person.uuid).where(Person.id == story.ids["p3"]))
    assert p3_uuid in events[0].detail["persons"]
    assert audit.verify_chain(db) == []


def test_red_persons_masked_and_unmasked(db, station):
    people = R.Responsibility(officer_id=station.officer.officer_id)
    pid = R.create_person(db, station.officer, R.PersonInput("欧阳娜娜", "red", date.today(), id_number=IDS["p2"],
                                                             control_plan="专人盯控", people=people))
    masked = B.build_briefing(db).red["person"]
    assert masked.total == 1
    row = masked.rows[0]
    assert (row.record_id, row.label, row.number) == (pid, "欧**娜", IDS["p2"][:4] + "*" * 10 + IDS["p2"][-4:])
    full = B.build_briefing(db, unmask_by=station.leader).red["person"].rows[0]
    assert (full.label, full.number) == ("欧阳娜娜", IDS["p2"])


def test_mask_parties():
    assert B.mask_parties("张三、李四五") == "张*、李*五"
    assert B.mask_parties("欧阳娜娜,王五") == "欧**娜,王*"
    assert B.mask_parties("") == ""


# -- the figures against the data (the demo station) ----------------------------------------------
@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from app.store import SqliteStore

    db = SqliteStore(tmp_path_factory.mktemp("demo") / "demo.db", create=True)
    generate_demo(db, seed=7, scale=0.3)
    yield db
    db.close()


def test_figures_equal_the_data(demo_db):
    db = demo_db
    now = datetime.now().replace(microsecond=0)
    today = now.date()
    b = B.build_briefing(db, now=now)
    h = headline_stats(db, today)
    for module, key, model in (("case", "cases", Case), ("dispute", "disputes", Dispute),
                               ("person", "persons", Person)):
        ov = b.overview[module]
        assert ov.by_level == h[key]["by_level"]
        assert ov.active == sum(n for lv, n in h[key]["by_level"].items() if lv != "green")
        with db.read() as session:
            red = session.scalar(select(func.count()).select_from(model).where(
                model.level == "red", model.status == "active"))
            overdue = session.scalar(select(func.count()).select_from(model).where(
                model.status == "active", model.next_due < today))
            by_team = dict(session.execute(select(model.team_id, func.count()).where(
                model.status == "active", model.next_due < today).group_by(model.team_id)).all())
        assert b.red[module].total == red == ov.by_level["red"]
        assert len(b.red[module].rows) == min(red, 40)
        dues = [r.next_due for r in b.red[module].rows]
        assert dues == sorted(dues)  # the most overdue first
        assert b.overdue.by_module[module] == overdue == ov.overdue
        for team in b.overdue.teams:
            assert team.by_module[module] == by_team.get(team.team_id, 0)
    assert b.overdue.total == sum(t.total for t in b.overdue.teams)
    assert [i.days_overdue for i in b.overdue.oldest] == sorted((i.days_overdue for i in b.overdue.oldest),
                                                               reverse=True)
    assert b.headline == h


def test_trend_points_equal_the_headline_counts_of_those_days(demo_db):
    today = date.today()
    days = B.trend_days(today, 8)
    assert days[-1] == today and days[0] == today - timedelta(days=49)
    for module, key in (("case", "cases"), ("dispute", "disputes"), ("person", "persons")):
        trend = B.level_trend(demo_db, B.Module(module), days)
        for i, day in enumerate(days[::3]):
            expected = headline_stats(demo_db, day)[key]["by_level"]
            assert {lv: trend.counts[lv][i * 3] for lv in B.LEVEL_CODES} == expected, (module, day)


def test_weekly_mode_compares_with_the_week_before(demo_db):
    now = datetime.now().replace(microsecond=0)
    b = B.build_briefing(demo_db, mode="weekly", now=now)
    s = b.since_last
    assert s.since == now - timedelta(days=7) and s.previous is not None
    assert len(b.trends["case"].days) == 12
    with demo_db.read() as session:
        before = session.scalar(select(func.count()).select_from(LevelChange).where(
            LevelChange.changed_at >= now - timedelta(days=14), LevelChange.changed_at < now - timedelta(days=7)))
    assert sum(s.total(k, previous=True) for k in B.EVENT_KINDS) == before
    assert sum(s.total(k) for k in B.EVENT_KINDS) > 0  # the demo station's last week is not empty
