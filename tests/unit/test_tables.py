"""The table service: id lists sorted and filtered in SQL, display pages, level counts."""
from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pytest
from sqlalchemy import event
from stdnum.cn import ric

from app.domain.levels import LEVEL_ORDER, Level
from app.errors import ValidationError
from app.services import org, records, tables
from app.services.records import CaseInput, DisputeInput, PersonInput, Responsibility
from app.services.tables import TableQuery

TODAY = date.today()


def id_number(birth: date, seq: int) -> str:
    body = f"110105{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


@dataclass(frozen=True)
class Built:
    db: object
    case_ids: dict[str, int]
    dispute_ids: dict[str, int]
    person_ids: dict[str, int]
    officer: int
    other_officer: int
    loner: int
    team: int
    other_team: int


@pytest.fixture
def built(db, station) -> Built:
    """Cases, disputes and persons over two teams, with ties, empty values, a record without a
    team, an overdue record, a voided one and a dispute converted into a case."""
    leader = station.leader
    o1, o2 = station.officer.officer_id, station.other_officer.officer_id
    loner = org.add_officer(db, "赵敏", "officer", None)
    tl = station.team_leader.officer_id
    cases: dict[str, int] = {}
    specs = [  # case_no, level, kind, cause, accepted, officer
        ("A-001", "red", "criminal", "盗窃", date(2025, 3, 1), o1),
        ("A-002", "red", "criminal", "诈骗", date(2025, 3, 1), o2),
        ("A-003", "orange", "administrative", "", date(2025, 2, 10), o1),
        ("A-004", "yellow", "criminal", "盗窃", date(2025, 1, 5), o2),
        ("A-005", "green", "administrative", "殴打他人", date(2024, 12, 1), o1),
        ("A-006", "orange", "criminal", "抢夺", date(2025, 4, 2), o2),
        ("A-007", "yellow", "administrative", "盗窃", date(2025, 4, 2), o1),
        ("A-008", "red", "criminal", "盗窃电动车", date(2025, 5, 20), o1),
    ]
    for no, level, kind, cause, accepted, officer in specs:
        cases[no] = records.create_case(db, leader, CaseInput(
            no, kind, level, accepted, cause=cause, place="城关镇" if officer == o1 else "",
            closed_on=accepted + timedelta(days=20) if level == "green" else None,
            summary=f"{cause}案", people=Responsibility(officer)))
    cases["A-009"] = records.create_case(db, leader, CaseInput(
        "A-009", "criminal", "orange", date(2025, 6, 1), cause="盗窃",
        people=Responsibility(loner, team_leader_id=tl)))
    cases["A-010"] = records.create_case(db, leader, CaseInput(
        "A-010", "criminal", "red", date(2025, 6, 2), cause="错录", people=Responsibility(o1)))
    records.void_record(db, leader, "case", cases["A-010"], "重复登记")
    # A-004 was entered 30 days ago, had a visit 20 days ago and a follow-up due 5 days ago:
    # overdue today (an action dated before the record was entered would not set its due date).
    with db.engine.begin() as conn:
        for sql in ("UPDATE case_record SET created_at = datetime(created_at, '-30 days'), "
                    "level_changed_at = datetime(level_changed_at, '-30 days') WHERE id = ?",
                    "UPDATE level_change SET changed_at = datetime(changed_at, '-30 days') "
                    "WHERE module = 'case' AND record_id = ?"):
            conn.exec_driver_sql(sql, (cases["A-004"],))
    records.log_action(db, leader, "case", cases["A-004"], "investigation", "走访被害人",
                       acted_on=TODAY - timedelta(days=20), next_due=TODAY - timedelta(days=5))

    disputes: dict[str, int] = {}
    for no, level, parties, found, officer in [
        ("J-001", "red", "张三、李四", date(2025, 3, 2), o1),
        ("J-002", "orange", "王五、赵六", date(2025, 3, 9), o2),
        ("J-003", "yellow", "曾国藩、钱七", date(2025, 2, 1), o1),
        ("J-004", "yellow", "孙八、周九", date(2025, 4, 1), o2),
    ]:
        disputes[no] = records.create_dispute(db, leader, DisputeInput(
            no, "police_primary", "110", level, found, parties=parties, focus_area="neighbour",
            community="东门社区", people=Responsibility(officer)))
    records.convert_dispute(db, leader, disputes["J-004"],
                            CaseInput("A-011", "criminal", "red", date(2025, 4, 5), cause="故意伤害"), "调解不成")

    persons: dict[str, int] = {}
    for i, (name, level, listed, officer) in enumerate([
        ("刘一", "red", date(2024, 5, 1), o1),
        ("陈二", "yellow", date(2024, 6, 1), o2),
        ("吴三", "orange", date(2024, 7, 1), o1),
    ]):
        persons[name] = records.create_person(db, leader, PersonInput(
            name, level, listed, id_number=id_number(date(1980, 1, 1 + i), 11 + 2 * i),
            risk_categories=("ordinary",), control_plan="专人盯控", people=Responsibility(officer)))
    return Built(db, cases, disputes, persons, o1, o2, loner, station.team_id, station.other_team_id)


def rows_of(db, module, query):
    return tables.fetch_rows(db, module, tables.list_ids(db, module, query), as_of=query.as_of)


def case_nos(db, query):
    ids = tables.list_ids(db, "case", query)
    return [r.values[1] for r in tables.fetch_rows(db, "case", ids)]


# -- ordering ---------------------------------------------------------------------------------
def _rank(col: tables.Column, value):
    if col.key == "level":
        return [lv.value for lv in LEVEL_ORDER].index(value)
    if col.key == "status":
        return tables.STATUS_ORDER.index(value)
    return value


def _expected_order(cols, key, rows, descending):
    i = [c.key for c in cols].index(key)
    col = cols[i]

    def cmp(a, b):
        va, vb = _rank(col, a.values[i]), _rank(col, b.values[i])
        if (va is None) != (vb is None):  # empties last in both directions
            return 1 if va is None else -1
        if va is not None and va != vb:
            res = -1 if va < vb else 1
            return -res if descending else res
        res = -1 if a.id < b.id else (1 if a.id > b.id else 0)
        return -res if descending else res

    return [r.id for r in sorted(rows, key=functools.cmp_to_key(cmp))]


@pytest.mark.parametrize("module", ["case", "dispute", "person"])
@pytest.mark.parametrize("descending", [False, True])
def test_every_sortable_column_sorts_in_sql_with_ties_by_id(built, module, descending):
    cols = tables.columns(module)
    everything = TableQuery(statuses=frozenset(tables.STATUS_ORDER))
    rows = rows_of(built.db, module, everything)
    assert len(rows) >= 3
    for col in cols:
        if not col.sortable:
            with pytest.raises(ValidationError):
                tables.list_ids(built.db, module, replace(everything, sort_key=col.key))
            continue
        query = replace(everything, sort_key=col.key, descending=descending)
        got = list(tables.list_ids(built.db, module, query))
        assert got == _expected_order(cols, col.key, rows, descending), col.key


def test_level_sorts_red_first_not_alphabetically(built):
    levels = [r.level for r in rows_of(built.db, "case", TableQuery())]
    assert levels == sorted(levels, key=lambda c: Level(c).rank)
    assert levels[0] == "red" and levels[-1] == "green"


def test_due_date_sort_puts_records_without_a_due_date_last(built):
    rows = rows_of(built.db, "case", TableQuery(sort_key="next_due"))
    dues = [r.values[[c.key for c in tables.columns("case")].index("next_due")] for r in rows]
    assert dues[-1] is None and dues[0] is not None
    assert rows[0].id == built.case_ids["A-004"]  # the overdue one is the most urgent


def test_sort_with_a_text_filter_does_not_walk_the_sort_index(built):
    """PERFORMANCE.md: with a search present, ORDER BY +col, or SQLite walks the whole index
    testing every row (a two-character term is looked up in the character index)."""
    seen = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "case_record_fts_chars MATCH" in statement:
            seen.append((statement, parameters))

    event.listen(built.db.engine, "before_cursor_execute", capture)
    try:
        query = TableQuery(text="盗窃", sort_key="next_due")
        ids = tables.list_ids(built.db, "case", query)
    finally:
        event.remove(built.db.engine, "before_cursor_execute", capture)
    assert len(ids) == 5
    (statement, params), = seen
    with built.db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        plan = " ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params))
    assert "ix_case_record_next_due" not in plan
    assert "(+ case_record.next_due)" in statement


# -- filters ----------------------------------------------------------------------------------
def test_voided_and_converted_are_hidden_unless_asked(built):
    shown = case_nos(built.db, TableQuery())
    assert "A-010" not in shown and "A-011" in shown
    disputes = tables.list_ids(built.db, "dispute", TableQuery())
    assert built.dispute_ids["J-004"] not in disputes and len(disputes) == 3
    with_voided = case_nos(built.db, TableQuery(statuses=frozenset({"active", "closed", "voided"})))
    assert "A-010" in with_voided
    converted = tables.list_ids(built.db, "dispute", TableQuery(statuses=frozenset({"converted"})))
    assert list(converted) == [built.dispute_ids["J-004"]]


def test_level_filter(built):
    got = case_nos(built.db, TableQuery(levels=frozenset({"orange", "yellow"}), sort_key="case_no"))
    assert got == ["A-003", "A-004", "A-006", "A-007", "A-009"]
    assert len(tables.list_ids(built.db, "case", TableQuery(levels=frozenset()))) == 0


def test_text_filter_matches_every_term_and_pinyin(built):
    assert case_nos(built.db, TableQuery(text="盗窃 电动车")) == ["A-008"]
    assert case_nos(built.db, TableQuery(text="50%")) == []  # % is a literal, not a wildcard
    # Dispute parties are searchable by pinyin initials, with the surname reading fixed (曾 → zeng).
    ids = tables.list_ids(built.db, "dispute", TableQuery(text="zgf"))
    assert list(ids) == [built.dispute_ids["J-003"]]


def test_officer_team_and_date_filters(built):
    assert case_nos(built.db, TableQuery(officer_id=built.loner)) == ["A-009"]
    team2 = case_nos(built.db, TableQuery(team_id=built.other_team, sort_key="case_no"))
    assert team2 == ["A-002", "A-004", "A-006", "A-011"]  # A-011 came with J-004 from team 2
    spring = case_nos(built.db, TableQuery(date_from=date(2025, 3, 1), date_to=date(2025, 4, 2),
                                           sort_key="accepted_on"))
    assert spring == ["A-001", "A-002", "A-006", "A-007"]
    persons = tables.list_ids(built.db, "person", TableQuery(date_to=date(2024, 6, 1)))
    assert sorted(persons) == sorted([built.person_ids["刘一"], built.person_ids["陈二"]])


def test_overdue_only_and_the_overdue_flag(built):
    assert case_nos(built.db, TableQuery(overdue_only=True)) == ["A-004"]
    rows = {r.id: r for r in rows_of(built.db, "case", TableQuery())}
    assert [i for i, r in rows.items() if r.overdue] == [built.case_ids["A-004"]]
    # Three weeks from now the red cases (7-day cadence) and oranges (14) are late too; green never.
    later = TODAY + timedelta(days=21)
    late = case_nos(built.db, TableQuery(overdue_only=True, as_of=later, sort_key="case_no"))
    assert late == ["A-001", "A-002", "A-003", "A-004", "A-006", "A-008", "A-009", "A-011"]
    flagged = {r.values[1] for r in rows_of(built.db, "case", TableQuery(as_of=later)) if r.overdue}
    assert flagged == set(late)


# -- pages and counts ---------------------------------------------------------------------------
def test_fetch_rows_keeps_the_given_order_and_joins_names(built):
    ids = [built.case_ids["A-009"], built.case_ids["A-001"], built.case_ids["A-004"]]
    rows = tables.fetch_rows(built.db, "case", ids)
    assert [r.id for r in rows] == ids
    keys = [c.key for c in tables.columns("case")]
    first = dict(zip(keys, rows[1].values))
    assert first["officer"] == "张伟" and first["team"] == "社区警务一队"
    assert first["team_leader"] == "李强" and first["leader"] == "王建国"
    assert first["accepted_on"] == date(2025, 3, 1) and isinstance(first["next_due"], date)
    loner = dict(zip(keys, rows[0].values))
    assert loner["officer"] == "赵敏" and loner["team"] is None and loner["team_leader"] == "李强"
    assert tables.fetch_rows(built.db, "case", []) == []


def test_person_rows_show_a_masked_id_number(built):
    rows = rows_of(built.db, "person", TableQuery(sort_key="name"))
    i = [c.key for c in tables.columns("person")].index("id_number")
    for r in rows:
        assert r.values[i].startswith("1101") and "*" in r.values[i] and len(r.values[i]) == 18
        assert r.values[i][4:14] == "*" * 10


def test_level_counts_honour_the_filter(built):
    counts = tables.level_counts(built.db, "case", TableQuery())
    assert counts == {Level.RED: 4, Level.ORANGE: 3, Level.YELLOW: 2, Level.GREEN: 1}
    assert sum(counts.values()) == len(tables.list_ids(built.db, "case", TableQuery()))
    theft = tables.level_counts(built.db, "case", TableQuery(text="盗窃"))
    assert theft == {Level.RED: 2, Level.ORANGE: 1, Level.YELLOW: 2, Level.GREEN: 0}
    only = tables.level_counts(built.db, "case", TableQuery(levels=frozenset({"yellow"})))
    assert only == {Level.RED: 0, Level.ORANGE: 0, Level.YELLOW: 2, Level.GREEN: 0}
    voided = tables.level_counts(built.db, "case", TableQuery(statuses=frozenset({"voided"})))
    assert voided[Level.RED] == 1 and sum(voided.values()) == 1


def test_unknown_sort_key_is_rejected(built):
    with pytest.raises(ValidationError):
        tables.list_ids(built.db, "case", TableQuery(sort_key="no_such_column"))


@pytest.mark.parametrize("query", [
    TableQuery(), TableQuery(text="盗窃"), TableQuery(text="a"), TableQuery(levels=frozenset({"red", "yellow"})),
    TableQuery(overdue_only=True), TableQuery(statuses=frozenset({"voided"})),
    TableQuery(levels=frozenset({"orange"}), text="盗窃"),
])
def test_level_and_overdue_counts_give_the_cards_and_the_overdue_total_of_the_shown_levels(built, query):
    """The table view's cards count every level under the other filters; its overdue total, summed
    over the shown levels, must equal the overdue rows of the query itself."""
    for module in ("case", "dispute", "person"):
        both = tables.level_and_overdue_counts(built.db, module, query)
        assert {lv: n for lv, (n, _late) in both.items()} == tables.level_counts(
            built.db, module, replace(query, levels=None))
        late = tables.level_counts(built.db, module, replace(query, overdue_only=True))
        assert {lv: o for lv, (_n, o) in both.items()} == tables.level_counts(
            built.db, module, replace(query, levels=None, overdue_only=True))
        shown = set(Level) if query.levels is None else {Level(x) for x in query.levels}
        assert sum(o for lv, (_n, o) in both.items() if lv in shown) == sum(late.values())
    total_late = sum(o for (_n, o) in tables.level_and_overdue_counts(built.db, "case", TableQuery()).values())
    assert total_late >= 1  # the fixture holds an overdue case: the check above is not vacuous


@pytest.mark.parametrize("query", [
    TableQuery(text="a"), TableQuery(text="盗"), TableQuery(text="盗", levels=frozenset({"red", "orange"})),
    TableQuery(text="盗", overdue_only=True), TableQuery(text="路 盗", sort_key="next_due", descending=True),
    TableQuery(text="盗窃"), TableQuery(),
])
def test_ids_with_counts_from_one_scan_equal_the_separate_services(built, query):
    for module in ("case", "dispute", "person"):
        ids, counts = tables.list_ids_with_counts(built.db, module, query)
        assert list(ids) == list(tables.list_ids(built.db, module, query))
        if query.text.strip():  # a search: the counts came with the ids
            assert counts == tables.level_and_overdue_counts(built.db, module, query)
        else:
            assert counts is None
    _ids, counts = tables.list_ids_with_counts(built.db, "case", TableQuery(text="盗"))
    assert sum(n for n, _o in counts.values()) > 0  # not a vacuous comparison
