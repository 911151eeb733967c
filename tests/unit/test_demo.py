"""The demo station: deterministic, complete, and consistent with the rules the services apply."""
from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

import pytest

from app.demo import BASE_PERSONS, DemoSummary, generate_demo, station_identity
from app.domain.identity import normalise_mobile, parse_id_number
from app.domain.levels import (
    ACTION_KIND_NAMES,
    CASE_KIND_NAMES,
    DEFAULT_CADENCE_DAYS,
    DISPUTE_CATEGORY_NAMES,
    DISPUTE_SOURCE_NAMES,
    FOCUS_AREA_NAMES,
    PERSON_RISK_CATEGORIES,
    Level,
)
from app.errors import ValidationError
from app.services.records import case_search_text, dispute_search_text, person_search_text
from app.services.stats import consistency_problems
from app.store import SqliteStore, Store
from models import Case, Dispute, Person

AS_OF = date(2026, 3, 15)
END = "2026-03-15 08:30:00.000000"  # the history ends at the morning meeting of as_of
LEVELS = ("red", "orange", "yellow", "green")
TABLES = {"case": "case_record", "dispute": "dispute", "person": "person"}
MARKER = "(lc.outcome IN ('voided', 'converted') AND lc.from_level = lc.to_level)"


def rows(db: Store, sql: str, *args) -> list[tuple]:
    with db.raw(immediate=False) as conn:
        return conn.execute(sql, args).fetchall()


def scalar(db: Store, sql: str, *args):
    return rows(db, sql, *args)[0][0]


def content_hash(db: Store) -> str:
    """Every table's rows (search-index tables included), in a stable order."""
    digest = hashlib.sha256()
    with db.raw(immediate=False) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        for name in names:
            digest.update(name.encode())
            for row in sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{name}"')):
                digest.update(row.encode())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Store, DemoSummary, list[tuple[int, int]]]:
    """One station at scale 1, with the progress reports it made."""
    db = SqliteStore(tmp_path_factory.mktemp("demo") / "station.db", create=True)
    calls: list[tuple[int, int]] = []
    summary = generate_demo(db, seed=1, scale=1.0, as_of=AS_OF, progress=lambda d, t: calls.append((d, t)))
    yield db, summary, calls
    db.close()


# -- the station ---------------------------------------------------------------------------------
def test_station_teams_and_officers(demo):
    db, s, _ = demo
    name, code, branch, is_demo = rows(db, "SELECT name, code, branch_name, is_demo FROM station")[0]
    assert (name, code, branch) == (s.station_name, s.station_code, s.branch_name)
    assert name.endswith("派出所") and branch.endswith(("分局", "公安局")) and is_demo == 1
    assert 4 <= scalar(db, "SELECT count(*) FROM team") <= 6
    roles = dict(rows(db, "SELECT role, count(*) FROM officer GROUP BY role"))
    assert 1 <= roles["leader"] <= 3 and 20 <= roles["officer"] <= 40
    assert roles["team_leader"] == scalar(db, "SELECT count(*) FROM team")
    # one team leader per team, and leaders above the teams
    assert scalar(db, "SELECT count(DISTINCT team_id) FROM officer WHERE role = 'team_leader'") == roles["team_leader"]
    assert scalar(db, "SELECT count(*) FROM officer WHERE role = 'leader' AND team_id IS NOT NULL") == 0
    assert scalar(db, "SELECT count(DISTINCT name) FROM officer") == scalar(db, "SELECT count(*) FROM officer")
    assert scalar(db, "SELECT count(DISTINCT badge_no) FROM officer") == scalar(db, "SELECT count(*) FROM officer")
    assert all(len(b) == 6 and b.isdigit() for (b,) in rows(db, "SELECT badge_no FROM officer"))
    for (phone,) in rows(db, "SELECT phone FROM officer"):
        assert normalise_mobile(phone) == phone


def test_seeds_give_different_stations_of_shared_branches():
    idents = [station_identity(seed) for seed in range(1, 301)]
    assert len({i[0] for i in idents}) == len(idents)
    assert len({i[1] for i in idents}) == len(idents)
    assert len({i[2] for i in idents[:6]}) == 1  # seeds 1-6 are stations of one branch office
    assert all(len(i[1]) <= 32 for i in idents)


# -- size and shape --------------------------------------------------------------------------------
def test_counts_at_scale_one(demo):
    db, s, _ = demo
    assert 1500 <= s.cases <= 2500 and 800 <= s.disputes <= 1500
    assert abs(s.persons - BASE_PERSONS) <= 5
    for module, table in TABLES.items():
        assert scalar(db, f"SELECT count(*) FROM {table}") == getattr(s, module + "s")
    assert s.level_changes == scalar(db, "SELECT count(*) FROM level_change")
    assert s.actions == scalar(db, "SELECT count(*) FROM action")
    assert s.person_links == scalar(db, "SELECT count(*) FROM person_link") > 0
    assert s.dedicated_members == scalar(db, "SELECT count(*) FROM dedicated_member") > 0


def test_history_spans_more_than_two_years_with_a_trend(demo):
    db = demo[0]
    first = datetime.fromisoformat(scalar(db, "SELECT min(created_at) FROM case_record"))
    assert first.date() <= AS_OF - timedelta(days=2 * 365 + 30)
    assert first.date() >= AS_OF - timedelta(days=27 * 31)
    for table, col in (("case_record", "accepted_on"), ("dispute", "found_on")):
        months = rows(db, f"SELECT substr({col}, 1, 7), count(*) FROM {table} GROUP BY 1 ORDER BY 1")
        full = [n for m, n in months if m < AS_OF.strftime("%Y-%m")]
        assert len(full) >= 26 and min(full) > 0
        assert max(full) >= 1.25 * min(full)  # month-to-month variation, not a flat line
    solved = dict(rows(db, "SELECT substr(solved_on, 1, 7), count(*) FROM case_record "
                           "WHERE kind = 'criminal' AND solved_on IS NOT NULL GROUP BY 1"))
    assert len(solved) >= 24  # criminal cases solved in nearly every month: YoY and MoM mean something


def test_everything_is_represented(demo):
    db = demo[0]
    for module, table in TABLES.items():
        assert {r[0] for r in rows(db, f"SELECT DISTINCT level FROM {table} WHERE status <> 'voided'")} == set(LEVELS)
        assert {r[0] for r in rows(db, "SELECT DISTINCT to_level FROM level_change WHERE module = ?", module)} == \
            set(LEVELS)
        statuses = {r[0] for r in rows(db, f"SELECT DISTINCT status FROM {table}")}
        assert {"active", "closed", "voided"} <= statuses
        assert scalar(db, f"SELECT count(*) FROM {table} WHERE status = 'active' AND next_due < ?", AS_OF) > 0
        assert scalar(db, f"SELECT count(*) FROM {table} WHERE status = 'active' AND next_due = ?", AS_OF) > 0
        open_levels = {r[0] for r in rows(db, f"SELECT DISTINCT level FROM {table} WHERE status = 'active'")}
        assert open_levels == {"red", "orange", "yellow"}  # something to dispatch at every level
    assert "converted" in {r[0] for r in rows(db, "SELECT DISTINCT status FROM dispute")}
    distinct = lambda sql: {r[0] for r in rows(db, sql)}  # noqa: E731
    assert distinct("SELECT DISTINCT kind FROM case_record") == set(CASE_KIND_NAMES)
    assert distinct("SELECT DISTINCT category FROM dispute") == set(DISPUTE_CATEGORY_NAMES)
    assert distinct("SELECT DISTINCT source FROM dispute") == set(DISPUTE_SOURCE_NAMES)
    assert distinct("SELECT DISTINCT focus_area FROM dispute") == set(FOCUS_AREA_NAMES)
    assert distinct("SELECT DISTINCT satisfaction FROM dispute WHERE satisfaction IS NOT NULL") == {
        "satisfied", "basic", "unsatisfied"}
    cats = {c for (v,) in rows(db, "SELECT risk_categories FROM person") for c in v.split(",")}
    assert cats == set(PERSON_RISK_CATEGORIES)
    assert distinct("SELECT DISTINCT mental_risk_grade FROM person WHERE mental_risk_grade IS NOT NULL") == \
        set(range(6))
    assert scalar(db, "SELECT count(*) FROM person WHERE id_number IS NULL") >= 1
    assert scalar(db, "SELECT count(*) FROM person WHERE level = 'green' AND delisted_on IS NOT NULL") > 0
    surnames = "".join(r[0] for r in rows(db, "SELECT name FROM person UNION ALL SELECT name FROM officer "
                                              "UNION ALL SELECT parties FROM dispute"))
    for s in ("曾", "单", "解", "欧阳"):
        assert s in surnames


# -- consistency, checked over the whole database ------------------------------------------------------
def test_database_checks_pass(demo):
    db = demo[0]
    assert db.integrity_problems() == []
    assert consistency_problems(db) == []


@pytest.mark.parametrize("module", TABLES)
def test_level_history(demo, module):
    db = demo[0]
    t = TABLES[module]
    # exactly one creation row, at creation, from nothing
    assert scalar(db, f"""SELECT count(*) FROM {t} r WHERE (SELECT count(*) FROM level_change lc
        WHERE lc.module = ? AND lc.record_id = r.id AND lc.from_level IS NULL AND lc.changed_at = r.created_at) <> 1""",
                  module) == 0
    # every later row is a real change (or a marker), attributed and reasoned, after creation
    assert scalar(db, f"""SELECT count(*) FROM level_change lc JOIN {t} r ON r.id = lc.record_id
        WHERE lc.module = ? AND (lc.officer_id IS NULL OR lc.reason = '' OR lc.changed_at < r.created_at
        OR lc.changed_at > ? OR (lc.from_level = lc.to_level AND NOT {MARKER}))""", module, END) == 0
    # each change starts from the level the one before ended at
    history = rows(db, "SELECT record_id, from_level, to_level, outcome FROM level_change WHERE module = ? "
                       "ORDER BY record_id, changed_at, id", module)
    last: dict[int, str] = {}
    for rid, frm, to, outcome in history:
        assert frm == last.get(rid), (rid, frm, last.get(rid))
        last[rid] = to
        if to == "green" and frm != "green":
            assert outcome, rid  # green needs the closing outcome
    levels = dict(rows(db, f"SELECT id, level FROM {t}"))
    assert last == levels
    # level_changed_at is the last real change
    assert scalar(db, f"""SELECT count(*) FROM {t} r WHERE r.level_changed_at <> (SELECT max(changed_at)
        FROM level_change lc WHERE lc.module = ? AND lc.record_id = r.id AND NOT {MARKER})""", module) == 0


def test_closing_red_and_delisting_are_the_station_leaders(demo):
    db = demo[0]
    assert scalar(db, f"""SELECT count(*) FROM level_change lc JOIN officer o ON o.id = lc.officer_id
        WHERE lc.to_level = 'green' AND (lc.from_level = 'red' OR (lc.module = 'person' AND lc.from_level IS NOT NULL))
        AND o.role <> 'leader' AND NOT {MARKER}""") == 0


@pytest.mark.parametrize("module", TABLES)
def test_activity_due_dates_and_status(demo, module):
    db = demo[0]
    t = TABLES[module]
    last_activity = f"""max(date(r.created_at),
        coalesce((SELECT max(date(lc.changed_at)) FROM level_change lc
                  WHERE lc.module = '{module}' AND lc.record_id = r.id AND NOT {MARKER}), date(r.created_at)),
        coalesce((SELECT max(date(a.acted_at)) FROM action a WHERE a.module = '{module}' AND a.record_id = r.id),
                 date(r.created_at)))"""
    assert scalar(db, f"SELECT count(*) FROM {t} r WHERE r.last_activity_on <> {last_activity}") == 0
    for (rid, level, status, last, due) in rows(db, f"SELECT id, level, status, last_activity_on, next_due FROM {t}"):
        if status == "active":
            days = DEFAULT_CADENCE_DAYS[Level(level)]
            assert due == (date.fromisoformat(last) + timedelta(days=days)).isoformat(), rid
        else:
            assert due is None, rid
        assert (status == "closed") == (level == "green" and status not in ("voided", "converted")), rid
        assert status in ("active", "closed", "voided", "converted")
    assert scalar(db, f"SELECT count(*) FROM {t} WHERE status = 'active' AND level = 'green'") == 0
    # updated_at covers every change and every action; version counts the writes
    assert scalar(db, f"""SELECT count(*) FROM {t} r WHERE r.updated_at < r.created_at
        OR r.updated_at < (SELECT max(changed_at) FROM level_change lc WHERE lc.module = ? AND lc.record_id = r.id)
        OR r.updated_at < coalesce((SELECT max(recorded_at) FROM action a WHERE a.module = ? AND a.record_id = r.id),
                                   r.created_at) OR r.updated_at > ?""", module, module, END) == 0
    followup = "(r.satisfaction IS NOT NULL)" if module == "dispute" else "0"
    assert scalar(db, f"""SELECT count(*) FROM {t} r WHERE r.version <> 1
        + (SELECT count(*) FROM level_change lc
           WHERE lc.module = ? AND lc.record_id = r.id AND lc.from_level IS NOT NULL)
        + (SELECT count(*) FROM action a WHERE a.module = ? AND a.record_id = r.id) + {followup}""",
                  module, module) == 0
    # voided records: the time, the reason, and a marker row at that time
    assert scalar(db, f"""SELECT count(*) FROM {t} r WHERE (r.status = 'voided') <> (r.voided_at IS NOT NULL)
        OR (r.status = 'voided' AND (r.void_reason IS NULL OR r.void_reason = '' OR NOT EXISTS (
            SELECT 1 FROM level_change lc WHERE lc.module = ? AND lc.record_id = r.id AND lc.outcome = 'voided'
            AND lc.changed_at = r.voided_at)))""", module) == 0


@pytest.mark.parametrize("module", TABLES)
def test_actions_fit_the_module_and_the_timeline(demo, module):
    db = demo[0]
    t = TABLES[module]
    kinds = {r[0] for r in rows(db, "SELECT DISTINCT kind FROM action WHERE module = ?", module)}
    expected = {"case": {"investigation"}, "dispute": {"mediation", "visit", "followup"},
                "person": {"talk", "counselling", "stabilise", "watch"}}[module]
    assert kinds == expected and kinds <= set(ACTION_KIND_NAMES)
    assert scalar(db, f"""SELECT count(*) FROM action a JOIN {t} r ON r.id = a.record_id WHERE a.module = ?
        AND (a.acted_at < r.created_at OR a.acted_at > ? OR a.recorded_at < a.acted_at OR a.officer_id IS NULL
             OR a.content = '' OR (r.voided_at IS NOT NULL AND a.acted_at > r.voided_at))""", module, END) == 0
    if module == "dispute":
        assert scalar(db, "SELECT count(*) FROM action a JOIN dispute r ON r.id = a.record_id "
                          "WHERE a.module = 'dispute' AND r.converted_at IS NOT NULL "
                          "AND a.acted_at > r.converted_at") == 0


@pytest.mark.parametrize("module", TABLES)
def test_three_levels_of_responsibility(demo, module):
    db = demo[0]
    t = TABLES[module]
    assert scalar(db, f"""SELECT count(*) FROM {t} r JOIN officer o ON o.id = r.officer_id
        JOIN officer tl ON tl.id = r.team_leader_id JOIN officer l ON l.id = r.leader_id
        WHERE o.team_id = r.team_id AND tl.team_id = r.team_id AND tl.role = 'team_leader'
        AND l.role = 'leader' AND r.station_id = (SELECT id FROM station)""") == \
        scalar(db, f"SELECT count(*) FROM {t}")


def test_cases(demo):
    db = demo[0]
    assert scalar(db, "SELECT count(*) FROM case_record WHERE accepted_on <> date(created_at)") == 0
    assert scalar(db, "SELECT count(*) FROM case_record WHERE case_no NOT GLOB "
                      "'A[0-9][0-9][0-9][0-9][0-9][0-9]20[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'") == 0
    assert scalar(db, "SELECT count(*) FROM case_record WHERE substr(case_no, 8, 4) <> substr(accepted_on, 1, 4)") == 0
    numbers = [r[0] for r in rows(db, "SELECT case_no FROM case_record ORDER BY id")]
    assert numbers == sorted(numbers)  # given in the order the cases came in
    # 破案: the first day a criminal case reached yellow or green
    first_result = """(SELECT min(date(changed_at)) FROM level_change lc WHERE lc.module = 'case'
        AND lc.record_id = c.id AND lc.to_level IN ('yellow', 'green'))"""
    assert scalar(db, f"SELECT count(*) FROM case_record c WHERE kind = 'criminal' "
                      f"AND solved_on IS NOT {first_result}") == 0
    assert scalar(db, "SELECT count(*) FROM case_record WHERE kind = 'administrative' AND solved_on IS NOT NULL") == 0
    # 办结: closed on the day it went green
    assert scalar(db, f"""SELECT count(*) FROM case_record c WHERE (level = 'green') <> (closed_on IS NOT NULL)
        OR closed_on <> (SELECT max(date(changed_at)) FROM level_change lc WHERE lc.module = 'case'
                         AND lc.record_id = c.id AND lc.to_level = 'green' AND NOT {MARKER})""") == 0
    # a criminal case is concluded only once solved: its green comes after a yellow
    assert scalar(db, """SELECT count(*) FROM case_record c WHERE kind = 'criminal' AND level = 'green'
        AND solved_on IS NULL""") == 0
    criminal, filed = rows(db, "SELECT count(*), sum(filed_on IS NOT NULL) FROM case_record WHERE kind = 'criminal'")[0]
    assert filed >= 0.8 * criminal
    assert scalar(db, "SELECT count(*) FROM case_record WHERE filed_on < accepted_on OR filed_on > ?", AS_OF) == 0


def test_disputes_and_conversions(demo):
    db = demo[0]
    assert scalar(db, "SELECT count(*) FROM dispute WHERE found_on <> date(created_at)") == 0
    numbers = [r[0] for r in rows(db, "SELECT dispute_no FROM dispute ORDER BY id")]
    assert numbers == sorted(numbers)
    assert scalar(db, "SELECT count(*) FROM dispute WHERE dispute_no NOT GLOB 'J20[0-9][0-9][0-9][0-9][0-9][0-9]*' "
                      "OR substr(dispute_no, 2, 4) <> substr(found_on, 1, 4)") == 0
    # mediated: resolved on the day it went green, with the outcome; follow-ups after that
    assert scalar(db, f"""SELECT count(*) FROM dispute d WHERE (level = 'green' AND status = 'closed')
        <> (resolved_on IS NOT NULL) OR (resolved_on IS NOT NULL AND (outcome = '' OR resolved_on <> (
            SELECT max(date(changed_at)) FROM level_change lc WHERE lc.module = 'dispute' AND lc.record_id = d.id
            AND lc.to_level = 'green' AND NOT {MARKER})))""") == 0
    green, surveyed = rows(db, "SELECT count(*), sum(satisfaction IS NOT NULL) FROM dispute WHERE status = 'closed'")[0]
    assert surveyed >= 0.7 * green
    assert scalar(db, """SELECT count(*) FROM dispute d WHERE (satisfaction IS NULL) <> (followed_up_on IS NULL)
        OR followed_up_on < resolved_on OR (satisfaction IS NOT NULL AND NOT EXISTS (SELECT 1 FROM action a
            WHERE a.module = 'dispute' AND a.record_id = d.id AND a.kind = 'followup'
            AND date(a.acted_at) = d.followed_up_on))""") == 0
    # converted: linked both ways, the case opened at the moment of conversion, with a marker row
    converted = rows(db, "SELECT id, converted_case_id, converted_at FROM dispute WHERE status = 'converted'")
    assert converted
    for did, cid, at in converted:
        case = rows(db, "SELECT source_dispute_id, created_at FROM case_record WHERE id = ?", cid)[0]
        assert case == (did, at)
        assert scalar(db, "SELECT count(*) FROM level_change WHERE module = 'dispute' AND record_id = ? "
                          "AND outcome = 'converted' AND changed_at = ?", did, at) == 1
    assert scalar(db, "SELECT count(*) FROM case_record WHERE source_dispute_id IS NOT NULL") == len(converted)
    assert scalar(db, "SELECT count(*) FROM dispute WHERE (status = 'converted') <> (converted_case_id IS NOT NULL) "
                      "OR (status = 'converted') <> (converted_at IS NOT NULL)") == 0
    # the people named in a converted dispute follow it into the case
    assert scalar(db, """SELECT count(*) FROM person_link pl JOIN dispute d ON d.id = pl.record_id
        WHERE pl.module = 'dispute' AND d.status = 'converted' AND NOT EXISTS (SELECT 1 FROM person_link c
            WHERE c.module = 'case' AND c.record_id = d.converted_case_id AND c.person_id = pl.person_id)""") == 0


def test_key_persons(demo):
    db = demo[0]
    people = rows(db, "SELECT id, name, id_number, sex, birth_date, phone, guardian_phone, level, status, "
                      "risk_categories, control_plan, mental_risk_grade, guardian_name, skynet, listed_on, "
                      "delisted_on, delist_reason, created_at FROM person")
    seen = set()
    for (pid, name, number, sex, birth, phone, gphone, level, status, cats, plan, grade, guardian, skynet, listed,
         delisted, delist_reason, created) in people:
        if number is None:
            assert sex is None and birth is None
        else:
            ident = parse_id_number(number)
            assert (ident.number, ident.sex, ident.birth_date.isoformat()) == (number, sex, birth)
            assert 1950 <= ident.birth_date.year <= 2005
            assert number not in seen
            seen.add(number)
        for p in (phone, gphone):
            if p:
                assert normalise_mobile(p) == p
        assert 2 <= len(name.replace("·", "")) <= 8
        assert all(c in PERSON_RISK_CATEGORIES for c in cats.split(","))
        assert listed <= created[:10]
        if status == "active" and level == "red":
            assert plan and skynet == 1, pid
        else:
            assert skynet == 0, pid
        if grade is not None and grade >= 3:
            assert guardian and gphone, pid
        assert (level == "green" and status == "closed") == (delisted is not None) == bool(delist_reason), pid
    assert len(seen) == len(people) - scalar(db, "SELECT count(*) FROM person WHERE id_number IS NULL")
    # one person, one team: 2-4 dedicated members for every red or orange person still on the list
    teams = dict(rows(db, """SELECT p.id, (SELECT count(*) FROM dedicated_member m WHERE m.person_id = p.id)
        FROM person p WHERE p.status = 'active' AND p.level IN ('red', 'orange')"""))
    assert teams and all(2 <= n <= 4 for n in teams.values())
    assert scalar(db, "SELECT count(*) FROM dedicated_member m JOIN person p ON p.id = m.person_id "
                      "WHERE NOT (p.status = 'active' AND p.level IN ('red', 'orange'))") == 0


def test_person_links_name_the_person(demo):
    db = demo[0]
    links = rows(db, """SELECT pl.module, pl.role, p.name, coalesce(d.parties, c.summary), pl.created_at,
        p.created_at FROM person_link pl JOIN person p ON p.id = pl.person_id
        LEFT JOIN dispute d ON pl.module = 'dispute' AND d.id = pl.record_id
        LEFT JOIN case_record c ON pl.module = 'case' AND c.id = pl.record_id""")
    assert {m for m, *_ in links} == {"case", "dispute"}
    for _module, _role, name, text, linked_at, person_created in links:
        assert text is not None and linked_at >= person_created
        assert name in text


def test_search_text_is_the_services(demo):
    db = demo[0]
    with db.read() as session:
        for model, build in ((Case, case_search_text), (Dispute, dispute_search_text), (Person, person_search_text)):
            sample = session.query(model).filter(model.id % 37 == 1).all()
            assert len(sample) > 5
            for rec in sample:
                assert rec.search_text == build(rec), rec.id


def test_statistics_rebuilt_from_history_match_the_stored_fields(demo):
    from app.services.stats import headline_stats

    db = demo[0]
    stats = headline_stats(db, AS_OF)
    for block, table in (("cases", "case_record"), ("disputes", "dispute"), ("persons", "person")):
        assert stats[block]["overdue"] == scalar(
            db, f"SELECT count(*) FROM {table} WHERE status = 'active' AND next_due < ?", AS_OF)
        by_level = dict(rows(db, f"SELECT level, count(*) FROM {table} WHERE status NOT IN ('voided', 'converted') "
                                 "GROUP BY level"))
        assert stats[block]["by_level"] == by_level
    assert stats["cases"]["criminal_solved"]["yoy_pct"] is not None
    assert stats["disputes"]["found"]["mom_pct"] is not None


def test_progress_reports(demo):
    calls = demo[2]
    assert len(calls) >= 3
    assert calls[-1][0] == calls[-1][1]
    assert all(d <= t for d, t in calls) and [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert len({t for _, t in calls}) == 1


def test_services_work_on_demo_records(demo):
    db = demo[0]
    from app.services.records import get_record

    rid = scalar(db, "SELECT id FROM dispute WHERE status = 'converted' LIMIT 1")
    detail = get_record(db, "dispute", rid)
    assert detail.status == "converted" and any(link.role == "converted" for link in detail.links)
    assert detail.timeline[0].from_level is None
    pid = scalar(db, "SELECT person_id FROM person_link LIMIT 1")
    assert get_record(db, "person", pid).links


# -- determinism and refusal ---------------------------------------------------------------------
def test_same_seed_same_database_other_seed_other_station(tmp_path):
    def make(name: str, seed: int) -> tuple[str, DemoSummary]:
        db = SqliteStore(tmp_path / name, create=True)
        try:
            s = generate_demo(db, seed=seed, scale=0.2, as_of=AS_OF)
            assert db.integrity_problems() == [] and consistency_problems(db) == []
            return content_hash(db), s
        finally:
            db.close()

    h1, s1 = make("a.db", 7)
    h2, s2 = make("b.db", 7)
    h3, s3 = make("c.db", 8)
    assert h1 == h2
    assert (s1.cases, s1.disputes, s1.actions, s1.level_changes) == (s2.cases, s2.disputes, s2.actions,
                                                                      s2.level_changes)
    assert h3 != h1
    assert s3.station_name != s1.station_name and s3.station_code != s1.station_code


def test_generating_in_a_second_process_gives_the_same_database(tmp_path, monkeypatch):
    import app.demo as demo_module

    hashes = []
    for name, parallel_from in (("inline.db", 10 ** 9), ("child.db", 0)):
        monkeypatch.setattr(demo_module, "PARALLEL_FROM", parallel_from)
        db = SqliteStore(tmp_path / name, create=True)
        try:
            calls: list[tuple[int, int]] = []
            generate_demo(db, seed=11, scale=0.1, as_of=AS_OF, progress=lambda d, t: calls.append((d, t)))  # noqa: B023
            hashes.append(content_hash(db))
            assert calls[-1][0] == calls[-1][1] and len(calls) >= 3
        finally:
            db.close()
    assert hashes[0] == hashes[1]


def test_a_failure_in_the_generating_process_is_raised_here(db):
    from app.demo import _load

    with db.raw() as conn:
        with pytest.raises(RuntimeError, match="KeyError"):
            _load(conn, (1, 1.0, AS_OF, {}, (12, 1, 1)), True, 10, None)
    assert scalar(db, "SELECT count(*) FROM station") == 0


def test_record_numbers_sort_in_the_order_they_were_given():
    from app.demo import DAY, _serial_width

    day = date(2025, 6, 1).toordinal() * DAY
    assert _serial_width([day] * 99_999, 5) == 5
    assert _serial_width([day] * 100_000 + [day + 400 * DAY], 5) == 6


def test_small_scale_still_covers_every_code(tmp_path):
    db = SqliteStore(tmp_path / "small.db", create=True)
    try:
        generate_demo(db, seed=5, scale=0.2, as_of=AS_OF)
        assert {r[0] for r in rows(db, "SELECT DISTINCT focus_area FROM dispute")} == set(FOCUS_AREA_NAMES)
        assert {r[0] for r in rows(db, "SELECT DISTINCT source FROM dispute")} == set(DISPUTE_SOURCE_NAMES)
        assert {r[0] for r in rows(db, "SELECT DISTINCT category FROM dispute")} == set(DISPUTE_CATEGORY_NAMES)
        for table in TABLES.values():
            assert {r[0] for r in rows(db, f"SELECT DISTINCT level FROM {table}")} == set(LEVELS)
            assert {r[0] for r in rows(db, f"SELECT DISTINCT level FROM {table} WHERE status = 'active'")} == {
                "red", "orange", "yellow"}
            assert scalar(db, f"SELECT count(*) FROM {table} WHERE status = 'voided'") > 0
            assert scalar(db, f"SELECT count(*) FROM {table} WHERE status = 'active' AND next_due < ?", AS_OF) > 0
            assert scalar(db, f"SELECT count(*) FROM {table} WHERE status = 'active' AND next_due = ?", AS_OF) > 0
        assert scalar(db, "SELECT count(*) FROM dispute WHERE status = 'converted'") > 0
        assert set(range(6)) <= {r[0] for r in rows(db, "SELECT mental_risk_grade FROM person")}
    finally:
        db.close()


def test_refuses_a_database_that_has_a_station(db, station):
    before = content_hash(db)
    with pytest.raises(ValidationError) as err:
        generate_demo(db, seed=1, scale=0.2, as_of=AS_OF)
    assert err.value.field == "station"
    assert content_hash(db) == before
    assert scalar(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
                      "AND name = 'ix_case_record_created'") == 1


@pytest.mark.parametrize("kwargs", [{"seed": 0}, {"seed": -3}, {"seed": 1.5}, {"scale": 0}, {"scale": -1},
                                    {"scale": 10_000}])
def test_rejects_bad_arguments(db, kwargs):
    with pytest.raises(ValidationError):
        generate_demo(db, **kwargs)
    assert scalar(db, "SELECT count(*) FROM station") == 0


def test_as_of_defaults_to_today(tmp_path):
    db = SqliteStore(tmp_path / "today.db", create=True)
    try:
        s = generate_demo(db, seed=2, scale=0.05)
        assert s.as_of == date.today()
        latest = max(scalar(db, f"SELECT max(updated_at) FROM {t}") for t in TABLES.values())
        assert latest[:10] <= date.today().isoformat()
    finally:
        db.close()


def test_levels_fit_what_happened(demo):
    db = demo[0]
    spot = "('危险驾驶', '吸毒', '赌博', '殴打他人')"
    first = ("(SELECT lc.to_level FROM level_change lc WHERE lc.module = 'case' AND lc.record_id = c.id "
             "AND lc.from_level IS NULL)")
    # Caught on the spot with the suspect in hand: entered at yellow or green, never red or orange
    # (a converted dispute's 殴打他人 is another matter: it enters as the dispute left it).
    assert scalar(db, f"SELECT count(*) FROM case_record c WHERE source_dispute_id IS NULL AND cause IN {spot}") > 50
    assert scalar(db, f"SELECT count(*) FROM case_record c WHERE source_dispute_id IS NULL AND cause IN {spot} "
                      f"AND {first} IN ('red', 'orange')") == 0
    # 救助警情 are settled within weeks: none open a month after the call, none red at the end.
    assert scalar(db, "SELECT count(*) FROM dispute WHERE category = 'assistance' AND status = 'active' "
                      "AND found_on < date(?, '-30 days')", AS_OF) == 0
    assert scalar(db, "SELECT count(*) FROM dispute WHERE category = 'assistance' AND status = 'active' "
                      "AND level = 'red' AND found_on < date(?, '-7 days')", AS_OF) == 0
