"""Headline statistics: every figure pinned on hand-built data with events placed in the past."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select, update

from app.services import records as R
from app.services.settings import set_cadence
from app.services.stats import change_pct, consistency_problems, count_by_level_now, headline_stats, period_windows, ratio
from models import Action, Case, Dispute, LevelChange, Person

MODELS = {"case": Case, "dispute": Dispute, "person": Person}
LEVELS = ("red", "orange", "yellow", "green")


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour))


# -- building history in the past ----------------------------------------------------------------
# The services stamp now(); these move the stamps to the dates a test needs, so that the data
# looks as if it had been entered on those days.
def _last_change_id(session, module: str, rid: int) -> int:
    return session.scalar(select(func.max(LevelChange.id)).where(LevelChange.module == module,
                                                                 LevelChange.record_id == rid))


def place_created(db, module: str, rid: int, when: datetime) -> None:
    model = MODELS[module]
    with db.write() as s:
        s.execute(update(model).where(model.id == rid).values(created_at=when, level_changed_at=when))
        s.execute(update(LevelChange).where(LevelChange.id == _last_change_id(s, module, rid))
                  .values(changed_at=when))


def place_last_change(db, module: str, rid: int, when: datetime) -> None:
    with db.write() as s:
        s.execute(update(LevelChange).where(LevelChange.id == _last_change_id(s, module, rid))
                  .values(changed_at=when))


def place_last_action(db, module: str, rid: int, when: datetime) -> None:
    with db.write() as s:
        last = s.scalar(select(func.max(Action.id)).where(Action.module == module, Action.record_id == rid))
        s.execute(update(Action).where(Action.id == last).values(acted_at=when, recorded_at=when))


class Builder:
    """Records made through the services, then moved in time."""

    def __init__(self, db, station):
        self.db, self.st, self.n = db, station, 0

    def _people(self):
        return R.Responsibility(officer_id=self.st.officer.officer_id)

    def _no(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n:04d}"

    def case(self, created: date, kind: str = "criminal", level: str = "red", solved: date | None = None,
             closed: date | None = None) -> int:
        if closed is not None and level != "green":
            level = "green"
        rid = R.create_case(self.db, self.st.leader, R.CaseInput(
            self._no("A"), kind, level, created, cause="盗窃", solved_on=solved, closed_on=closed,
            people=self._people()))
        place_created(self.db, "case", rid, at(created))
        return rid

    def dispute(self, found: date, level: str = "yellow", resolved: date | None = None,
                satisfaction: str | None = None) -> int:
        rid = R.create_dispute(self.db, self.st.leader, R.DisputeInput(
            self._no("J"), "police_primary", "110", "green" if resolved else level, found, parties="赵六、钱七",
            resolved_on=resolved, outcome="调解成功" if resolved else "", satisfaction=satisfaction,
            people=self._people()))
        place_created(self.db, "dispute", rid, at(found))
        return rid

    def person(self, created: date, level: str = "yellow") -> int:
        rid = R.create_person(self.db, self.st.leader, R.PersonInput(
            f"人员{self._no('')}", level, created, control_plan="一人一策" if level == "red" else "",
            people=self._people()))
        place_created(self.db, "person", rid, at(created))
        return rid

    def change(self, module: str, rid: int, to: str, when: date, outcome: str = "") -> None:
        R.change_level(self.db, self.st.leader, module, rid, to, "研判调整",
                       outcome or ("办结" if to == "green" else ""), on=when)
        place_last_change(self.db, module, rid, at(when, 10))

    def action(self, module: str, rid: int, when: date, next_due: date | None = None) -> None:
        R.log_action(self.db, self.st.leader, module, rid, "talk", "见面谈话", acted_on=when, next_due=next_due)
        place_last_action(self.db, module, rid, at(when, 11))

    def void(self, module: str, rid: int, when: date) -> None:
        R.void_record(self.db, self.st.leader, module, rid, "重复录入")
        model = MODELS[module]
        with self.db.write() as s:
            s.execute(update(model).where(model.id == rid).values(voided_at=at(when, 12)))
            s.execute(update(LevelChange).where(LevelChange.id == _last_change_id(s, module, rid))
                      .values(changed_at=at(when, 12)))

    def convert(self, dispute_id: int, when: date) -> int:
        cid = R.convert_dispute(self.db, self.st.leader, dispute_id,
                                R.CaseInput(self._no("Z"), "criminal", "orange", when), "调解不成")
        with self.db.write() as s:
            s.execute(update(Dispute).where(Dispute.id == dispute_id).values(converted_at=at(when, 13)))
            s.execute(update(LevelChange).where(LevelChange.id == _last_change_id(s, "dispute", dispute_id))
                      .values(changed_at=at(when, 13)))
        place_created(self.db, "case", cid, at(when, 13))
        return cid


@pytest.fixture
def build(db, station) -> Builder:
    return Builder(db, station)


def levels(block: dict) -> tuple[int, ...]:
    return tuple(block["by_level"][lv] for lv in LEVELS)


def figures(p: dict) -> tuple:
    return p["current"], p["previous"], p["last_year"], p["mom_pct"], p["yoy_pct"]


# -- windows and arithmetic ---------------------------------------------------------------------
def span(w) -> tuple[str, str]:
    return w.start.isoformat(), w.end.isoformat()


@pytest.mark.parametrize("as_of, current, previous, last_year", [
    (date(2024, 5, 15), ("2024-05-01", "2024-05-15"), ("2024-04-01", "2024-04-15"), ("2023-05-01", "2023-05-15")),
    (date(2024, 3, 31), ("2024-03-01", "2024-03-31"), ("2024-02-01", "2024-02-29"), ("2023-03-01", "2023-03-31")),
    (date(2023, 3, 30), ("2023-03-01", "2023-03-30"), ("2023-02-01", "2023-02-28"), ("2022-03-01", "2022-03-30")),
    (date(2024, 2, 29), ("2024-02-01", "2024-02-29"), ("2024-01-01", "2024-01-29"), ("2023-02-01", "2023-02-28")),
    (date(2025, 1, 10), ("2025-01-01", "2025-01-10"), ("2024-12-01", "2024-12-10"), ("2024-01-01", "2024-01-10")),
    (date(2024, 7, 31), ("2024-07-01", "2024-07-31"), ("2024-06-01", "2024-06-30"), ("2023-07-01", "2023-07-31")),
])
def test_windows_compare_the_same_days_clamped_to_month_end(as_of, current, previous, last_year):
    w = period_windows(as_of)
    assert (span(w["current"]), span(w["previous"]), span(w["last_year"])) == (current, previous, last_year)


def test_percentages_round_half_up_to_one_decimal_and_fractions_to_four():
    assert change_pct(4, 1) == 300.0          # +300%, as the station reports it
    assert change_pct(1, 3) == -66.7
    assert change_pct(7, 6) == 16.7
    assert change_pct(17, 16) == 6.3          # 6.25 half up (banker's rounding would give 6.2)
    assert change_pct(0, 5) == -100.0
    assert change_pct(5, 0) is None and change_pct(0, 0) is None
    assert ratio(2, 3) == 0.6667 and ratio(341, 343) == 0.9942 and ratio(181, 181) == 1.0
    assert ratio(0, 0) is None


# -- whole figures --------------------------------------------------------------------------------
def test_empty_database_gives_zeros_and_nulls(db):
    s = headline_stats(db, date(2024, 5, 15))
    assert s["as_of"] == "2024-05-15" and s["station"] is None
    for key in ("cases", "disputes", "persons"):
        assert s[key]["total"] == 0 and levels(s[key]) == (0, 0, 0, 0) and s[key]["overdue"] == 0
    for p in (s["cases"]["criminal_solved"], s["cases"]["administrative_handled"], s["disputes"]["found"],
              s["disputes"]["resolved"]):
        assert figures(p) == (0, 0, 0, None, None)
    d = s["disputes"]
    assert (d["resolution_rate"], d["resolution_rate_ytd"], d["satisfaction_rate"], d["satisfaction_rate_ytd"],
            d["converted"]) == (None, None, None, None, 0)
    assert count_by_level_now(db) == {m: dict.fromkeys(LEVELS, 0) for m in ("case", "dispute", "person")}


def test_contract_keys(db, station):
    s = headline_stats(db, date(2024, 5, 15))
    p_keys = {"current", "previous", "last_year", "mom_pct", "yoy_pct"}
    assert {"as_of", "cases", "disputes", "persons"} <= s.keys()
    assert {"total", "by_level", "overdue", "criminal_solved", "administrative_handled"} <= s["cases"].keys()
    assert {"total", "by_level", "overdue", "found", "resolved", "resolution_rate",
            "satisfaction_rate"} <= s["disputes"].keys()
    assert {"total", "by_level", "overdue"} <= s["persons"].keys()
    for p in (s["cases"]["criminal_solved"], s["disputes"]["found"]):
        assert p_keys <= p.keys()
        assert p["windows"] == {"current": {"from": "2024-05-01", "to": "2024-05-15"},
                                "previous": {"from": "2024-04-01", "to": "2024-04-15"},
                                "last_year": {"from": "2023-05-01", "to": "2023-05-15"}}
    assert s["station"]["name"] == "城关派出所"


def test_partial_month_solved_and_handled_with_mom_and_yoy(build, db):
    # Criminal cases solved: 3 in 1-15 May 2024, 1 in 1-15 April, 2 in 1-15 May 2023.
    for solved in (date(2024, 5, 1), date(2024, 5, 8), date(2024, 5, 15),   # current
                   date(2024, 4, 15),                                         # previous
                   date(2023, 5, 1), date(2023, 5, 15),                       # last year
                   date(2024, 5, 16), date(2024, 4, 16), date(2023, 5, 16), date(2024, 4, 30)):  # none
        build.case(date(2023, 4, 20), "criminal", "yellow", solved=solved)
    build.case(date(2024, 5, 2), "administrative", "yellow", solved=date(2024, 5, 3))  # not criminal
    # Administrative cases handled (closed): 3 now, 1 in April, none a year ago.
    for closed in (date(2024, 5, 3), date(2024, 5, 4), date(2024, 5, 5), date(2024, 4, 2), date(2024, 5, 20)):
        build.case(date(2024, 4, 1), "administrative", closed=closed)
    build.case(date(2024, 4, 1), "criminal", closed=date(2024, 5, 6))  # criminal: not "handled"

    s = headline_stats(db, date(2024, 5, 15))
    assert figures(s["cases"]["criminal_solved"]) == (3, 1, 2, 200.0, 50.0)
    assert figures(s["cases"]["administrative_handled"]) == (3, 1, 0, 200.0, None)
    # 11 yellow (10 criminal + 1 administrative), 6 green (5 closed administrative + 1 criminal).
    assert levels(s["cases"]) == (0, 0, 11, 6) and s["cases"]["total"] == 17


def test_month_end_clamping_and_leap_day(build, db):
    for solved in (date(2024, 2, 29), date(2024, 2, 1), date(2024, 3, 31), date(2024, 3, 1),
                   date(2023, 3, 31), date(2023, 2, 28), date(2024, 1, 29), date(2024, 1, 30)):
        build.case(date(2023, 1, 2), "criminal", "yellow", solved=solved)
    s = headline_stats(db, date(2024, 3, 31))
    # current 1-31 Mar 2024: 2; previous 1-29 Feb 2024: 2; last year 1-31 Mar 2023: 1.
    assert figures(s["cases"]["criminal_solved"]) == (2, 2, 1, 0.0, 100.0)
    s = headline_stats(db, date(2024, 2, 29))
    # current 1-29 Feb 2024: 2; previous 1-29 Jan 2024: 1 (30 Jan is out); last year 1-28 Feb 2023: 1.
    p = s["cases"]["criminal_solved"]
    assert figures(p) == (2, 1, 1, 100.0, 100.0)
    assert p["windows"]["last_year"] == {"from": "2023-02-01", "to": "2023-02-28"}


def test_year_boundary(build, db):
    for found in (date(2025, 1, 1), date(2025, 1, 10), date(2024, 12, 1), date(2024, 12, 10),
                  date(2024, 12, 11), date(2024, 1, 10), date(2024, 1, 11)):
        build.dispute(found)
    s = headline_stats(db, date(2025, 1, 10))
    p = s["disputes"]["found"]
    assert figures(p) == (2, 2, 1, 0.0, 100.0)
    assert p["windows"]["previous"] == {"from": "2024-12-01", "to": "2024-12-10"}
    assert s["disputes"]["ytd"]["window"] == {"from": "2025-01-01", "to": "2025-01-10"}
    assert s["disputes"]["ytd"]["found"] == 2


def test_change_from_zero_is_null_not_infinite(build, db):
    build.case(date(2024, 5, 2), "criminal", "yellow", solved=date(2024, 5, 3))
    p = headline_stats(db, date(2024, 5, 15))["cases"]["criminal_solved"]
    assert figures(p) == (1, 0, 0, None, None)
    p = headline_stats(db, date(2024, 6, 15))["cases"]["criminal_solved"]
    assert figures(p) == (0, 1, 0, -100.0, None)


def test_level_as_of_a_past_day_ignores_later_changes(build, db):
    cid = build.case(date(2024, 3, 1), "criminal", "red")
    build.change("case", cid, "yellow", date(2024, 4, 10))
    build.change("case", cid, "green", date(2024, 5, 20), "已移送起诉")
    build.case(date(2024, 5, 16), "criminal", "orange")  # not yet entered on 15 May
    pid = build.person(date(2024, 3, 1), "red")
    build.change("person", pid, "green", date(2024, 4, 20), "评估无现实危险")
    assert levels(headline_stats(db, date(2024, 2, 29))["cases"]) == (0, 0, 0, 0)
    assert levels(headline_stats(db, date(2024, 4, 9))["cases"]) == (1, 0, 0, 0)
    assert levels(headline_stats(db, date(2024, 4, 10))["cases"]) == (0, 0, 1, 0)
    s = headline_stats(db, date(2024, 5, 15))
    assert levels(s["cases"]) == (0, 0, 1, 0) and s["cases"]["total"] == 1
    assert levels(s["persons"]) == (0, 0, 0, 1)
    assert levels(headline_stats(db, date(2024, 4, 19))["persons"]) == (1, 0, 0, 0)
    s = headline_stats(db, date(2024, 5, 20))
    assert levels(s["cases"]) == (0, 1, 0, 1) and s["cases"]["total"] == 2
    # Today the history agrees with the records themselves.
    now = headline_stats(db)
    assert {m: now[k]["by_level"] for m, k in (("case", "cases"), ("person", "persons"))} == {
        m: v for m, v in count_by_level_now(db).items() if m != "dispute"}


def test_voided_records_leave_every_count_from_the_day_they_were_voided(build, db):
    keep = build.case(date(2024, 5, 1), "criminal", "red", solved=date(2024, 5, 3))
    wrong = build.case(date(2024, 5, 1), "criminal", "orange", solved=date(2024, 5, 4))
    build.void("case", wrong, date(2024, 5, 12))
    before = headline_stats(db, date(2024, 5, 11))
    assert levels(before["cases"]) == (1, 1, 0, 0)
    assert before["cases"]["criminal_solved"]["current"] == 2
    after = headline_stats(db, date(2024, 5, 12))
    assert levels(after["cases"]) == (1, 0, 0, 0) and after["cases"]["total"] == 1
    assert after["cases"]["criminal_solved"]["current"] == 1
    assert count_by_level_now(db)["case"] == {"red": 1, "orange": 0, "yellow": 0, "green": 0}
    assert keep and consistency_problems(db) == []  # the void marker row does not count as a change


def test_converted_dispute_leaves_the_dispute_list_and_lives_on_as_a_case(build, db):
    did = build.dispute(date(2024, 5, 2), "orange")
    build.dispute(date(2024, 5, 3), "yellow")
    build.convert(did, date(2024, 5, 10))
    s = headline_stats(db, date(2024, 5, 9))
    assert levels(s["disputes"]) == (0, 1, 1, 0) and s["disputes"]["converted"] == 0
    assert s["cases"]["total"] == 0
    s = headline_stats(db, date(2024, 5, 15))
    d = s["disputes"]
    assert levels(d) == (0, 0, 1, 0) and d["total"] == 1 and d["converted"] == 1
    assert d["found"]["current"] == 2  # it was still found this month
    assert figures(d["converted_to_case"]) == (1, 0, 0, None, None)
    assert levels(s["cases"]) == (0, 1, 0, 0)
    # Long overdue as a dispute, but converted: not overdue any more.
    assert headline_stats(db, date(2024, 7, 1))["disputes"]["overdue"] == 1  # only the yellow one
    assert count_by_level_now(db)["dispute"] == {"red": 0, "orange": 0, "yellow": 1, "green": 0}
    assert consistency_problems(db) == []


def test_overdue_as_of_a_day_is_rebuilt_from_history(build, db):
    may = lambda d: date(2024, 5, d)  # noqa: E731
    build.person(may(1), "red")                            # due 8 May: overdue
    p2 = build.person(may(1), "red")
    build.action("person", p2, may(15))                    # due 22 May: not overdue
    p3 = build.person(may(1), "yellow")
    build.action("person", p3, may(2), next_due=may(10))   # explicit due 10 May: overdue
    p4 = build.person(may(1), "yellow")
    build.action("person", p4, may(2), next_due=may(10))
    build.change("person", p4, "orange", may(12))          # change restarts cadence: due 26 May
    p5 = build.person(may(1), "orange")                    # due 15 May: overdue
    build.action("person", p5, may(25))                   # ...the later talk is not known on 20 May
    p6 = build.person(may(1), "red")
    build.change("person", p6, "green", may(10), "评估无现实危险")  # de-listed: never overdue
    p7 = build.person(may(1), "yellow")
    build.void("person", p7, may(3))                       # voided: out
    build.person(date(2024, 4, 1), "yellow")               # due 1 May: overdue
    p9 = build.person(may(1), "red")
    build.action("person", p9, may(2), next_due=date(2024, 6, 30))  # explicit, far: not overdue

    s = headline_stats(db, may(20))
    assert s["persons"]["overdue"] == 4                    # p1, p3, p5, p8
    assert levels(s["persons"]) == (3, 2, 2, 1)            # red p1 p2 p9; orange p4 p5; yellow p3 p8; green p6
    assert headline_stats(db, may(1))["persons"]["overdue"] == 0   # p8 due that very day: not yet
    assert headline_stats(db, may(2))["persons"]["overdue"] == 1   # p8
    # 9 May: p8, and the three reds with no talk since 1 May (p1, p2 and p6, not yet de-listed).
    assert headline_stats(db, may(9))["persons"]["overdue"] == 4
    assert p2 and p6 and p9


def test_overdue_uses_the_station_cadence(build, db, station):
    build.person(date(2024, 5, 1), "red")
    assert headline_stats(db, date(2024, 5, 9))["persons"]["overdue"] == 1  # 7 days by default
    set_cadence(db, station.leader, "red", 10)
    assert headline_stats(db, date(2024, 5, 9))["persons"]["overdue"] == 0  # due 11 May
    assert headline_stats(db, date(2024, 5, 12))["persons"]["overdue"] == 1


def test_resolution_and_satisfaction_rates(build, db, station):
    may = lambda d: date(2024, 5, d)  # noqa: E731
    build.dispute(may(2), resolved=may(6), satisfaction="satisfied")
    build.dispute(may(3), resolved=may(7), satisfaction="basic")
    build.dispute(may(4), resolved=may(8), satisfaction="unsatisfied")
    build.dispute(may(5))                                         # found, not resolved
    late = build.dispute(may(10))
    build.change("dispute", late, "green", may(20), "调解成功")  # resolved after 15 May
    build.dispute(date(2024, 4, 20), resolved=may(9))            # resolved now, no follow-up yet
    after = build.dispute(may(1), resolved=may(11))
    R.record_followup(db, station.leader, after, "satisfied", "回访", on=may(18))  # surveyed after 15 May
    build.dispute(date(2024, 3, 1), resolved=date(2024, 3, 10), satisfaction="satisfied")  # earlier this year
    build.dispute(date(2024, 4, 3))                               # found in the previous window

    s = headline_stats(db, may(15))
    d = s["disputes"]
    assert figures(d["found"]) == (6, 1, 0, 500.0, None)
    assert figures(d["resolved"]) == (5, 0, 0, None, None)
    # Of the 6 found from 1 to 15 May, 4 were mediated by 15 May (10 May's only on 20 May).
    assert d["resolution_rate"] == ratio(4, 6) == 0.6667
    assert d["satisfaction_rate"] == 0.6667                      # (1 satisfied + 1 basic) / 3 surveyed
    assert d["satisfaction"] == {"satisfied": 1, "basic": 1, "unsatisfied": 1, "surveyed": 3}
    # Year to date: found 6 + 20 Apr + 1 Mar + 3 Apr = 9; resolved 5 + 10 Mar = 6.
    assert (d["ytd"]["found"], d["ytd"]["resolved"]) == (9, 6)
    assert d["resolution_rate_ytd"] == 0.6667                    # 4 + 20 Apr + 1 Mar = 6 of 9
    assert d["satisfaction_rate_ytd"] == 0.75                   # 3 of 4 surveyed
    assert levels(d) == (0, 0, 3, 6)                             # the late one is still yellow on 15 May

    d = headline_stats(db, may(18))["disputes"]
    assert d["satisfaction_rate"] == 0.75                        # the 18 May survey now counts
    assert d["resolution_rate"] == 0.6667                        # still 4 of 6 (10 May's on 20 May)
    assert headline_stats(db, may(20))["disputes"]["resolution_rate"] == 0.8333  # now 5 of 6


def test_consistency_check_finds_a_level_without_history(build, db):
    cid = build.case(date(2024, 5, 1), "criminal", "red")
    assert consistency_problems(db) == []
    with db.raw() as conn:
        conn.execute("UPDATE case_record SET level = 'yellow' WHERE id = ?", (cid,))
    problems = consistency_problems(db)
    assert len(problems) == 1 and f"#{cid}" in problems[0] and "yellow" in problems[0]
    with db.raw() as conn:
        conn.execute("UPDATE case_record SET level = 'red', status = 'closed' WHERE id = ?", (cid,))
    problems = consistency_problems(db)
    assert len(problems) == 1 and "closed" in problems[0]


def test_overdue_share_and_days_to_green(build, db, station):
    build.case(date(2024, 5, 1), "criminal", "red")                      # due 8 May: overdue on 20 May
    build.case(date(2024, 5, 18), "criminal", "orange")                  # due 1 June: not overdue
    c3 = build.case(date(2024, 5, 2), "criminal", "yellow")
    build.change("case", c3, "green", date(2024, 5, 12), "办结")          # 10 days yellow -> green
    c4 = build.case(date(2024, 4, 1), "criminal", "red")
    build.change("case", c4, "green", date(2024, 4, 21), "破案")          # 20 days red -> green
    s = headline_stats(db, date(2024, 5, 20))["cases"]
    assert s["overdue"] == 1 and s["overdue_share"] == ratio(1, 2)      # c1 of the 2 active
    assert s["days_to_green_ytd"] == {"red": 20.0, "orange": None, "yellow": 10.0}
