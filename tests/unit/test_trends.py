"""Trend series and 同比/环比 windows: every figure pinned on hand-built data, answers worked out here."""
from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

from app.errors import ValidationError
from app.services import records as R, tables, trends as T
from app.services.stats import headline_stats
from models import Case, Dispute
from tests.unit.test_stats import Builder, at, build, place_created  # noqa: F401 - the shared builder and fixture

LEVELS = ("red", "orange", "yellow", "green")


def values(trend: T.Trend) -> dict[str, tuple]:
    return {s.key: s.values for s in trend.series}


def span(w) -> tuple[str, str]:
    return w.start.isoformat(), w.end.isoformat()


# -- periods and labels -------------------------------------------------------------------------------
@pytest.mark.parametrize("grain, day, start, end, label", [
    ("day", date(2024, 2, 29), date(2024, 2, 29), date(2024, 2, 29), "2024-02-29"),
    # ISO weeks run Monday to Sunday; 31 Dec 2024 is in week 1 of 2025.
    ("week", date(2024, 12, 31), date(2024, 12, 30), date(2025, 1, 5), "2025-W01"),
    ("week", date(2024, 12, 29), date(2024, 12, 23), date(2024, 12, 29), "2024-W52"),
    ("week", date(2021, 1, 1), date(2020, 12, 28), date(2021, 1, 3), "2020-W53"),
    ("month", date(2024, 2, 10), date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
    ("month", date(2023, 2, 10), date(2023, 2, 1), date(2023, 2, 28), "2023-02"),
    ("quarter", date(2024, 5, 15), date(2024, 4, 1), date(2024, 6, 30), "2024-Q2"),
    ("quarter", date(2024, 12, 31), date(2024, 10, 1), date(2024, 12, 31), "2024-Q4"),
    ("year", date(2024, 7, 1), date(2024, 1, 1), date(2024, 12, 31), "2024"),
])
def test_period_of_and_its_label_round_trip(grain, day, start, end, label):
    p = T.period_of(grain, day)
    assert (p.start, p.end, p.label) == (start, end, label)
    assert T.parse_period(label) == p and T.parse_period(label).grain == grain


def test_chinese_period_labels_follow_document_style():
    assert T.parse_period("2025-05").label_zh == "2025年5月"
    assert T.parse_period("2025-Q2").label_zh == "2025年第二季度"
    assert T.parse_period("2025-05-08").label_zh == "2025年5月8日"
    assert T.parse_period("2025-W19").label_zh == "2025年第19周（5月5日—5月11日）"


@pytest.mark.parametrize("text", ["2025-13", "2025-W60", "2025-Q5", "May 2025", "", "2025-02-30", "25-05"])
def test_bad_period_is_a_validation_error_naming_the_format(text):
    with pytest.raises(ValidationError) as err:
        T.parse_period(text)
    assert "2025-W19" in str(err.value)


def test_periods_cover_the_range_and_cross_the_year_boundary():
    ps = T.periods("month", date(2024, 11, 20), date(2025, 2, 3))
    assert [p.label for p in ps] == ["2024-11", "2024-12", "2025-01", "2025-02"]
    ws = T.periods("week", date(2024, 12, 20), date(2025, 1, 7))
    assert [p.label for p in ws] == ["2024-W51", "2024-W52", "2025-W01", "2025-W02"]


# -- comparison windows -----------------------------------------------------------------------------
@pytest.mark.parametrize("grain, as_of, current, previous, last_year", [
    # Month: stats.period_windows itself (1-15 May against 1-15 April, not all of April).
    ("month", date(2025, 5, 15), ("2025-05-01", "2025-05-15"), ("2025-04-01", "2025-04-15"),
     ("2024-05-01", "2024-05-15")),
    ("month", date(2024, 3, 31), ("2024-03-01", "2024-03-31"), ("2024-02-01", "2024-02-29"),
     ("2023-03-01", "2023-03-31")),
    ("day", date(2024, 2, 29), ("2024-02-29", "2024-02-29"), ("2024-02-28", "2024-02-28"),
     ("2023-02-28", "2023-02-28")),
    ("day", date(2025, 1, 1), ("2025-01-01", "2025-01-01"), ("2024-12-31", "2024-12-31"),
     ("2024-01-01", "2024-01-01")),
    # Wednesday of ISO week 2025-W01 (which starts on 30 Dec 2024): Mon-Wed of each week.
    ("week", date(2025, 1, 1), ("2024-12-30", "2025-01-01"), ("2024-12-23", "2024-12-25"),
     ("2024-01-01", "2024-01-03")),
    # Week 53 of 2020 has no twin in 2019 (52 weeks): week 52, Monday to Friday.
    ("week", date(2021, 1, 1), ("2020-12-28", "2021-01-01"), ("2020-12-21", "2020-12-25"),
     ("2019-12-23", "2019-12-27")),
    ("quarter", date(2024, 5, 31), ("2024-04-01", "2024-05-31"), ("2024-01-01", "2024-02-29"),
     ("2023-04-01", "2023-05-31")),
    ("quarter", date(2025, 5, 31), ("2025-04-01", "2025-05-31"), ("2025-01-01", "2025-02-28"),
     ("2024-04-01", "2024-05-31")),
    ("quarter", date(2025, 1, 20), ("2025-01-01", "2025-01-20"), ("2024-10-01", "2024-10-20"),
     ("2024-01-01", "2024-01-20")),
    ("year", date(2024, 2, 29), ("2024-01-01", "2024-02-29"), ("2023-01-01", "2023-02-28"),
     ("2023-01-01", "2023-02-28")),
])
def test_compare_windows_are_the_same_stretch_of_the_earlier_period(grain, as_of, current, previous, last_year):
    w = T.compare_windows(grain, as_of)
    assert (span(w["current"]), span(w["previous"]), span(w["last_year"])) == (current, previous, last_year)


def test_comparison_counts_change_from_zero_and_labels(build, db):
    # Criminal cases solved: 1-15 May 2025 three, 1-15 April none, 1-15 May 2024 one.
    for solved in (date(2025, 5, 2), date(2025, 5, 9), date(2025, 5, 15)):
        build.case(date(2025, 4, 28), "criminal", "yellow", solved=solved)
    build.case(date(2025, 4, 1), "criminal", "yellow", solved=date(2025, 4, 16))  # after 15 April: outside
    build.case(date(2024, 5, 1), "criminal", "yellow", solved=date(2024, 5, 10))
    build.case(date(2024, 5, 1), "criminal", "yellow", solved=date(2024, 5, 16))  # outside last year's window
    c = T.compare(db, "case", "solved", "month", date(2025, 5, 15))
    assert (c.current, c.previous, c.last_year) == (3, 0, 1)
    assert c.mom_pct is None  # from zero: reported as such, not infinite
    assert c.yoy_pct == 200.0
    assert c.labels() == {"current": "本期 2025-05-01~2025-05-15", "previous": "上期（环比） 2025-04-01~2025-04-15",
                          "last_year": "去年同期（同比） 2024-05-01~2024-05-15"}
    # The month figure agrees with the headline statistics, which define it.
    p = headline_stats(db, date(2025, 5, 15))["cases"]["criminal_solved"]
    assert (p["current"], p["previous"], p["last_year"], p["mom_pct"], p["yoy_pct"]) == (3, 0, 1, None, 200.0)


# -- the as-of level series ----------------------------------------------------------------------------
@pytest.fixture
def history(build):
    """Cases and disputes whose levels move over January to March 2024 (a leap year).

    A: red 10 Jan -> yellow 5 Feb -> green 2 Mar.      B: orange 20 Dec 2023, voided 10 Feb.
    C: yellow 29 Feb (leap day).                       D: red 20 Mar (after as_of 15 Mar).
    E: dispute red 5 Jan, converted 20 Feb into case F (orange, 20 Feb).
    """
    ids = {}
    ids["A"] = build.case(date(2024, 1, 10), "criminal", "red")
    build.change("case", ids["A"], "yellow", date(2024, 2, 5))
    build.change("case", ids["A"], "green", date(2024, 3, 2), "已移送起诉")
    ids["B"] = build.case(date(2023, 12, 20), "criminal", "orange")
    build.void("case", ids["B"], date(2024, 2, 10))
    ids["C"] = build.case(date(2024, 2, 29), "administrative", "yellow")
    ids["D"] = build.case(date(2024, 3, 20), "criminal", "red")
    ids["E"] = build.dispute(date(2024, 1, 5), "red")
    ids["F"] = build.convert(ids["E"], date(2024, 2, 20))
    return ids


AS_OF = date(2024, 3, 15)


def test_levels_at_each_month_end_from_history(history, db):
    tr = T.level_series(db, "case", "month", start=date(2024, 1, 1), as_of=AS_OF)
    assert [p.label for p in tr.periods] == ["2024-01", "2024-02", "2024-03"]
    assert [span(w) for w in tr.windows][-1] == ("2024-03-01", "2024-03-15")
    assert tr.partial == (False, False, True)
    # 31 Jan: A red, B orange.  29 Feb: A yellow, B voided, C yellow, F orange.  15 Mar: A green, C, F.
    assert values(tr) == {"red": (1, 0, 0), "orange": (1, 1, 1), "yellow": (0, 2, 1), "green": (0, 0, 1)}
    disputes = T.level_series(db, "dispute", "month", start=date(2024, 1, 1), as_of=AS_OF)
    assert values(disputes)["red"] == (1, 0, 0)  # converted on 20 Feb: left the dispute list


def test_level_series_agrees_with_headline_stats_at_every_day(history, db):
    tr = T.level_series(db, "case", "day", start=date(2023, 12, 18), as_of=AS_OF)
    for i, w in enumerate(tr.windows):
        by_level = headline_stats(db, w.end)["cases"]["by_level"]
        assert tuple(s.values[i] for s in tr.series) == tuple(by_level[lv] for lv in LEVELS), w.end


def test_level_series_starts_from_the_history_before_the_range(history, db):
    # B (orange since 20 Dec 2023) is counted in the first week of January without a January event.
    tr = T.level_series(db, "case", "week", start=date(2024, 1, 1), end=date(2024, 1, 7), as_of=AS_OF)
    assert values(tr) == {"red": (0,), "orange": (1,), "yellow": (0,), "green": (0,)}


def test_level_series_for_an_empty_database_is_all_zero(db, station):
    tr = T.level_series(db, "person", "quarter", start=date(2024, 1, 1), as_of=date(2024, 12, 31))
    assert [p.label for p in tr.periods] == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    assert all(s.values == (0, 0, 0, 0) for s in tr.series)


def test_level_series_filtered_by_team(history, db, build, station):
    other = build.st.other_officer.officer_id
    rid = R.create_case(db, station.leader, R.CaseInput("X001", "criminal", "red", date(2024, 1, 3),
                                                        people=R.Responsibility(officer_id=other)))
    place_created(db, "case", rid, at(date(2024, 1, 3)))
    mine = T.level_series(db, "case", "month", start=date(2024, 1, 1), as_of=AS_OF,
                          filt=T.TrendFilter(team_id=station.other_team_id))
    assert values(mine)["red"] == (1, 1, 1) and values(mine)["orange"] == (0, 0, 0)
    everyone = T.level_series(db, "case", "month", start=date(2024, 1, 1), as_of=AS_OF)
    assert values(everyone)["red"] == (2, 1, 1)


# -- event counts -------------------------------------------------------------------------------------
def test_new_and_closed_per_month_with_empty_and_partial_periods(history, db):
    tr = T.event_series(db, "case", ("new", "closed"), "month", start=date(2023, 12, 1), as_of=AS_OF)
    # New (accepted): Dec B is voided as known on 15 Mar, so not counted; Jan A; Feb C, F; Mar none
    # (D was accepted after 15 Mar).  Closed: A on 2 Mar.
    assert [p.label for p in tr.periods] == ["2023-12", "2024-01", "2024-02", "2024-03"]
    assert values(tr) == {"new": (0, 1, 2, 0), "closed": (0, 0, 0, 1)}
    assert [s.label for s in tr.series] == ["受案", "办结"]
    # Known on 5 Feb, B had not been voided yet: December counts it.
    early = T.event_series(db, "case", ("new",), "month", start=date(2023, 12, 1), as_of=date(2024, 2, 5))
    assert values(early) == {"new": (1, 1, 0)}


def test_disputes_found_vs_resolved_by_week_across_the_year_boundary(build, db):
    build.dispute(date(2024, 12, 29))                                  # Sunday: 2024-W52
    build.dispute(date(2024, 12, 30), resolved=date(2025, 1, 3))       # Monday: 2025-W01
    build.dispute(date(2025, 1, 5), resolved=date(2025, 1, 6))         # Sunday of W01; resolved in W02
    tr = T.event_series(db, "dispute", ("new", "closed"), "week", start=date(2024, 12, 23), as_of=date(2025, 1, 8))
    assert [p.label for p in tr.periods] == ["2024-W52", "2025-W01", "2025-W02"]
    assert values(tr) == {"new": (1, 2, 0), "closed": (0, 1, 1)}
    assert [s.label for s in tr.series] == ["排查发现", "化解"]


def test_leap_day_quarter_and_year_buckets(build, db):
    build.case(date(2024, 2, 29), "criminal")
    build.case(date(2024, 3, 31), "criminal")
    build.case(date(2024, 4, 1), "criminal")
    build.case(date(2023, 12, 31), "criminal")
    day = T.event_series(db, "case", ("new",), "day", start=date(2024, 2, 28), end=date(2024, 3, 1),
                         as_of=date(2024, 6, 30))
    assert [p.label for p in day.periods] == ["2024-02-28", "2024-02-29", "2024-03-01"]
    assert values(day)["new"] == (0, 1, 0)
    q = T.event_series(db, "case", ("new",), "quarter", start=date(2023, 10, 1), as_of=date(2024, 6, 30))
    assert [p.label for p in q.periods] == ["2023-Q4", "2024-Q1", "2024-Q2"]
    assert values(q)["new"] == (1, 2, 1)
    y = T.event_series(db, "case", ("new",), "year", start=date(2023, 1, 1), as_of=date(2024, 6, 30))
    assert values(y)["new"] == (1, 3) and y.partial == (False, True)


def test_counts_by_level_category_team_and_officer(build, db, station):
    build.case(date(2024, 5, 2), "criminal", "red")
    build.case(date(2024, 5, 3), "administrative", "yellow")
    rid = R.create_case(db, station.leader, R.CaseInput(
        "Y1", "criminal", "red", date(2024, 5, 4), people=R.Responsibility(officer_id=station.other_officer.officer_id)))
    place_created(db, "case", rid, at(date(2024, 5, 4)))  # entered today it would be unknown on 31 May
    kw = dict(start=date(2024, 5, 1), as_of=date(2024, 5, 31))
    by_level = T.event_series(db, "case", ("new",), "month", by="level", **kw)
    assert [(s.key, s.values) for s in by_level.series] == [("red", (2,)), ("orange", (0,)), ("yellow", (1,)),
                                                            ("green", (0,))]
    by_cat = T.event_series(db, "case", ("new",), "month", by="category", **kw)
    assert {s.label: s.values for s in by_cat.series} == {"刑事": (2,), "行政": (1,)}
    by_team = T.event_series(db, "case", ("new",), "month", by="team", **kw)
    assert {s.label: s.values for s in by_team.series} == {"社区警务一队": (2,), "案件办理队": (1,)}
    by_officer = T.event_series(db, "case", ("new",), "month", by="officer", **kw)
    assert {s.label: s.values for s in by_officer.series} == {"张伟": (2,), "刘洋": (1,)}
    only = T.event_series(db, "case", ("new",), "month", filt=T.TrendFilter(category="criminal"), **kw)
    assert values(only)["new"] == (2,)
    idx = [s.key for s in by_officer.series].index(str(station.other_officer.officer_id))
    assert T.point_ids(db, by_officer, 0, by_officer.series[idx].key) == [rid]
    with pytest.raises(ValidationError):
        T.event_series(db, "person", ("new",), "month", by="category", **kw)
    with pytest.raises(ValidationError):
        T.event_series(db, "dispute", ("solved",), "month", **kw)


# -- same period last year -----------------------------------------------------------------------------
def test_solved_beside_the_same_period_last_year_with_partial_and_leap_month(build, db):
    solved = [date(2023, 1, 20), date(2023, 2, 28), date(2023, 3, 10), date(2023, 3, 16),  # last year
              date(2024, 1, 5), date(2024, 1, 6), date(2024, 2, 29), date(2024, 3, 15), date(2024, 3, 16)]
    for d in solved:
        build.case(date(2023, 1, 2), "criminal", "yellow", solved=d)
    tr = T.last_year_series(db, "case", "solved", "month", start=date(2024, 1, 1), as_of=date(2024, 3, 15))
    # March is 1-15 this year, so last year's March is 1-15 too (16 March not counted); 16 March
    # this year is after as_of. February 2024 (29 days) against February 2023 (28).
    assert values(tr) == {"current": (2, 1, 1), "last_year": (1, 1, 1), "yoy_pct": (100.0, 0.0, 0.0)}
    assert span(T.shifted_year(tr.windows[1], "month")) == ("2023-02-01", "2023-02-28")
    assert span(T.shifted_year(tr.windows[2], "month")) == ("2023-03-01", "2023-03-15")
    # The records behind last year's January bar are exactly the one solved on 20 Jan 2023.
    ids = T.point_ids(db, tr, 0, "last_year")
    with db.read() as s:
        assert ids == list(s.scalars(select(Case.id).where(Case.solved_on == date(2023, 1, 20))))


# -- days from entry to green --------------------------------------------------------------------------
def test_average_days_from_entry_to_green_per_entry_level(build, db, history):
    g = build.case(date(2024, 2, 1), "criminal", "red")
    build.change("case", g, "green", date(2024, 3, 1), "办结")                 # 29 days (leap February)
    h = build.case(date(2024, 3, 1), "criminal", "yellow")
    build.change("case", h, "green", date(2024, 3, 4), "办结")                 # 3 days
    k = build.case(date(2024, 1, 2), "criminal", "orange")
    build.change("case", k, "green", date(2024, 1, 31), "办结")                # 29 days, in January
    build.change("case", k, "red", date(2024, 2, 2))
    build.change("case", k, "green", date(2024, 3, 3), "办结")                 # a second green: not counted again
    build.case(date(2024, 3, 5), "administrative", closed=date(2024, 3, 5))   # entered green: not counted
    tr = T.days_to_green_series(db, "case", "month", start=date(2024, 1, 1), as_of=AS_OF)
    # March: A red 10 Jan -> 2 Mar = 52 days, g 29 days: (52 + 29) / 2 = 40.5.
    assert values(tr)["red"] == (None, None, 40.5)
    assert values(tr)["orange"] == (29.0, None, None)
    assert values(tr)["yellow"] == (None, None, 3.0)
    assert values(tr)["n_red"] == (0, 0, 2)
    whole = T.days_to_green(db, "case", T.Window(date(2024, 1, 1), AS_OF))
    assert whole == {"red": (40.5, 2), "orange": (29.0, 1), "yellow": (3.0, 1)}
    assert T.point_ids(db, tr, 2, "red") == sorted([history["A"], g])


def test_average_rounds_half_up():
    assert T._avg(1, 8) == 0.1 and T._avg(3, 8) == 0.4 and T._avg(5, 2) == 2.5 and T._avg(0, 0) is None


# -- share overdue -----------------------------------------------------------------------------------
def test_share_overdue_at_each_period_end_matches_headline_stats(build, db):
    may = lambda d: date(2024, 5, d)  # noqa: E731
    p1 = build.person(may(1), "red")                          # due 8 May
    build.action("person", p1, may(9))                        # due 16 May
    build.person(may(1), "yellow")                            # due 31 May
    p3 = build.person(may(1), "orange")                       # due 15 May
    build.change("person", p3, "green", may(14), "评估无现实危险")
    tr = T.overdue_series(db, "person", "day", start=may(8), end=may(17), as_of=may(31))
    got = values(tr)
    for i, w in enumerate(tr.windows):
        h = headline_stats(db, w.end)["persons"]
        active = sum(h["by_level"][lv] for lv in LEVELS[:3])
        assert (got["overdue"][i], got["active"][i]) == (h["overdue"], active), w.end
    # 8 May: nobody late (due dates 8/15/31 are not before 8 May); 9 May: p1 (due 8) -> 1/3;
    # 9 May p1 acted again (due 16): 0 from then; 14 May p3 green: 2 active; 17 May: p1 late.
    assert got["overdue"] == (0, 0, 0, 0, 0, 0, 0, 0, 0, 1)
    assert got["share"][-1] == 0.5 and got["share"][0] == 0.0


def test_record_states_total_equals_headline_overdue_on_demo_data(tmp_path):
    from app.demo import generate_demo
    from app.store import SqliteStore
    db = SqliteStore(tmp_path / "demo.db", create=True)
    try:
        generate_demo(db, seed=3, scale=0.05, as_of=date(2025, 5, 15))
        for day in (date(2024, 12, 31), date(2025, 3, 1), date(2025, 5, 15)):
            h = headline_stats(db, day)
            for module, key in (("case", "cases"), ("dispute", "disputes"), ("person", "persons")):
                st = T.states_at(db, module, day)
                assert sum(s.overdue for s in st.values()) == h[key]["overdue"]
                counts = Counter(s.level for s in st.values())
                assert tuple(counts[lv] for lv in LEVELS) == tuple(h[key]["by_level"][lv] for lv in LEVELS)
                tr = T.level_series(db, module, "day", start=day, end=day, as_of=day)
                assert tuple(s.values[0] for s in tr.series) == tuple(counts[lv] for lv in LEVELS)
    finally:
        db.close()


# -- drill-down ----------------------------------------------------------------------------------------
def test_point_query_filters_the_table_to_exactly_the_records_behind_the_point(history, db):
    tr = T.level_series(db, "case", "month", start=date(2024, 1, 1), as_of=AS_OF)
    expected = {(1, "orange"): [history["F"]], (1, "yellow"): sorted([history["A"], history["C"]]),
                (0, "orange"): [history["B"]], (2, "green"): [history["A"]]}
    for (i, key), ids in expected.items():
        q = T.point_query(db, tr, i, key)
        assert sorted(tables.list_ids(db, "case", q)) == ids
    # B has since been voided: the table still shows it, because the point counted it.
    assert tables.fetch_rows(db, "case", [history["B"]])[0].status == "voided"
    new = T.event_series(db, "dispute", ("new",), "month", start=date(2024, 1, 1), as_of=AS_OF)
    q = T.point_query(db, new, 0, "new")
    assert list(tables.list_ids(db, "dispute", q)) == [history["E"]]  # converted since, still found in January
    with db.read() as s:
        assert s.scalar(select(Dispute.status).where(Dispute.id == history["E"])) == "converted"


def test_empty_id_set_shows_no_rows(history, db):
    assert list(tables.list_ids(db, "case", tables.TableQuery(ids=frozenset(), statuses=frozenset()))) == []
    many = frozenset(range(1, 50_001))  # far past SQLite's bound-variable limit: one JSON parameter
    assert len(tables.list_ids(db, "case", tables.TableQuery(ids=many, statuses=frozenset()))) == 5  # A B C D F
