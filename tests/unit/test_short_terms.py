"""Search terms of one or two characters answered by the character index (migration 0016): the
same records as a LIKE scan of the search text for every term, kept up by every way records are
written (services, ledger import, station packages, bulk loads), built by the upgrade of an old
file, and checked by `check`."""
from __future__ import annotations

from array import array
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from app.cli import main
from app.domain.levels import Module
from app.services import records as R, search_index, tables, workstation
from app.services.tables import TableQuery
from app.store import SqliteStore
from app.store.bulk import CHARS_SUFFIX, TABLES, chars_token

EVERY_STATUS = frozenset(tables.STATUS_ORDER)
TABLE_OF = {Module.CASE: "case_record", Module.DISPUTE: "dispute", Module.PERSON: "person"}
#: Characters the texts and terms are made of: Chinese, ASCII letters (none starting an officer's
#: pinyin, so no name match widens a search), digits, LIKE's own wildcards and escape, quotes,
#: a character outside the BMP and a non-ASCII letter with a case.
ALPHABET = "路口盗窃张伟小区东门号一ab x19%_\\'\"-😀éÉ"


def like_scan(db, module: Module, text: str, statuses=EVERY_STATUS) -> list[int]:
    """The reference: every term of the search box as LIKE '%term%' on the search text."""
    long_terms, short_terms = tables.search_terms(text)
    terms = long_terms + short_terms
    conds = " AND ".join("search_text LIKE ? ESCAPE '\\'" for _ in terms) or "1"
    marks = ", ".join("?" * len(statuses))
    with db.raw(immediate=False) as conn:
        return sorted(r[0] for r in conn.execute(
            f"SELECT id FROM {TABLE_OF[module]} WHERE {conds} AND status IN ({marks})",
            [tables._like(t) for t in terms] + sorted(statuses)))


def found(db, module: Module, text: str, statuses=EVERY_STATUS) -> list[int]:
    return sorted(tables.list_ids(db, module, TableQuery(text=text, statuses=statuses)))


def people(station) -> R.Responsibility:
    return R.Responsibility(officer_id=station.officer.officer_id)


@pytest.fixture
def cases(db, station) -> list[int]:
    return [R.create_case(db, station.leader, R.CaseInput(f"K{i:02d}", "criminal", "yellow", date(2025, 3, 1),
                                                          cause="盗窃", people=people(station)))
            for i in range(12)]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(ALPHABET, max_size=14), min_size=12, max_size=12),
       terms=st.lists(st.text(ALPHABET.replace(" ", ""), min_size=1, max_size=4), min_size=1, max_size=3))
def test_every_term_finds_what_a_like_scan_finds(db, cases, texts, terms):
    """Texts written by UPDATE (the index's triggers), then 1-, 2- and longer terms mixed: the
    table's ids and its level counts are exactly the LIKE scan's rows."""
    with db.raw() as conn:
        for rid, t in zip(cases, texts):
            conn.execute("UPDATE case_record SET search_text = ? WHERE id = ?", (t.lower(), rid))
    text = " ".join(terms)
    assert tables.officer_name_matches(db, text) == ()
    want = like_scan(db, Module.CASE, text)
    assert found(db, Module.CASE, text) == want
    ids, counts = tables.list_ids_with_counts(db, Module.CASE, TableQuery(text=text, statuses=EVERY_STATUS))
    assert sorted(ids) == want and sum(n for n, _ in counts.values()) == len(want)


LEVELS = ("red", "orange", "yellow", "green")
AS_OF = date(2025, 6, 1)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.text(ALPHABET, max_size=10), st.sampled_from(LEVELS),
                               st.sampled_from(tables.STATUS_ORDER),
                               st.sampled_from([None, date(2025, 5, 31), date(2025, 6, 1), date(2025, 6, 2)])),
                     min_size=12, max_size=12),
       terms=st.lists(st.text(ALPHABET.replace(" ", ""), min_size=1, max_size=2), min_size=1, max_size=2),
       levels=st.none() | st.frozensets(st.sampled_from(LEVELS)), descending=st.booleans())
def test_a_short_search_s_whole_list_and_cards_are_the_like_scan_s(db, cases, rows, terms, levels, descending):
    """The search box alone with terms of one or two characters (the character index and the
    records' state index, keys sorted by numpy): the ids in display order, the level filter,
    both directions, and per level the records and the overdue ones (the due date before, on
    and after the day asked, statuses of every kind), exactly as from the LIKE scan."""
    with db.raw() as conn:
        for rid, (t, level, status, due) in zip(cases, rows):
            conn.execute("UPDATE case_record SET search_text = ?, level = ?, status = ?, next_due = ? WHERE id = ?",
                         (t.lower(), level, status, due.isoformat() if due else None, rid))
    text = " ".join(terms)
    query = TableQuery(text=text, levels=levels, descending=descending, as_of=AS_OF)
    with db.read() as session:
        box = tables._with_name_matches_in(session, replace(query, levels=None))
        assert tables._short_search_tokens_in(session, box, False)  # the path under test
    hits = set(like_scan(db, Module.CASE, text, statuses=tables.DEFAULT_STATUSES))
    state = {rid: row[1:] for rid, row in zip(cases, rows) if rid in hits}
    order = sorted(state, key=lambda r: (LEVELS.index(state[r][0]), r), reverse=descending)
    want_ids = [r for r in order if levels is None or state[r][0] in levels]
    want_counts = {lv: (sum(1 for v in state.values() if v[0] == lv.value),
                        sum(1 for v in state.values() if v[0] == lv.value and v[1] == "active"
                            and v[2] is not None and v[2] < AS_OF)) for lv in tables.LEVEL_ORDER}
    ids, counts = tables.list_ids_with_counts(db, Module.CASE, query)
    assert list(ids) == want_ids and counts == want_counts
    assert list(tables.list_ids(db, Module.CASE, query)) == want_ids
    assert tables.level_and_overdue_counts(db, Module.CASE, query) == want_counts
    # Both ways of reading the matches' states (app.services.short_search), whichever the term's
    # share of this small table would choose: sets of ids from the narrow indexes, a seek per match.
    with db.read() as session:
        box = tables._with_name_matches_in(session, query)
        tokens = tables._short_search_tokens_in(session, replace(box, levels=None), False)
        assert tokens is not None
        for by_sets in (True, False):
            assert tables._short_search_scan_in(session, Module.CASE, box, tokens, by_sets=by_sets) == \
                (array("q", want_ids), want_counts), by_sets


def test_ascii_case_folds_as_like_does_and_nothing_else(db, cases):
    """LIKE folds ASCII letters only; the index does the same (SQLite's lower())."""
    with db.raw() as conn:
        conn.execute("UPDATE case_record SET search_text = 'AbÉ路' WHERE id = ?", (cases[0],))
    for term in ("a", "B", "ab", "é", "É", "bé", "é路"):
        assert found(db, Module.CASE, term) == like_scan(db, Module.CASE, term), term
    assert found(db, Module.CASE, "ab") == [cases[0]] and found(db, Module.CASE, "é") == []


def test_the_table_statement_reads_the_index_not_the_text(db, cases):
    stmt = str(tables.ids_statement(Module.CASE, TableQuery(text="盗 窃盗")).compile())
    assert f"case_record{CHARS_SUFFIX} MATCH" in stmt and "LIKE" not in stmt


def test_records_written_by_the_services_are_found(db, station):
    """Created, edited (the old words leave), voided (found among voided), converted, de-listed."""
    cid = R.create_case(db, station.leader, R.CaseInput("A1", "criminal", "red", date(2025, 3, 1), cause="抢劫",
                                                         place="鹭洲", people=people(station)))
    did = R.create_dispute(db, station.leader, R.DisputeInput("J1", "police_primary", "110", "yellow", date(2025, 3, 2),
                                                              parties="甲、乙", focus_area="neighbour",
                                                              summary="隔壁漏水", people=people(station)))
    pid = R.create_person(db, station.leader, R.PersonInput("欧阳娜", "yellow", date(2025, 3, 3),
                                                            risk_categories=("ordinary",), people=people(station)))
    assert found(db, Module.CASE, "鹭") == [cid] and found(db, Module.CASE, "劫") == [cid]
    assert found(db, Module.DISPUTE, "漏水") == [did] and found(db, Module.PERSON, "娜") == [pid]
    assert found(db, Module.PERSON, "oy") == [pid]  # the pinyin initials in its search text
    workstation.update_record(db, station.leader, "case", cid, {"place": "鸳鸯湖"})
    assert found(db, Module.CASE, "鹭") == [] and found(db, Module.CASE, "鸯湖") == [cid]
    R.void_record(db, station.leader, "case", cid, "重复登记")
    assert found(db, Module.CASE, "鸯", statuses=tables.DEFAULT_STATUSES) == []
    assert found(db, Module.CASE, "鸯") == [cid]
    new = R.convert_dispute(db, station.leader, did, R.CaseInput("A2", "criminal", "orange", date(2025, 3, 5),
                                                                 cause="毁坏", people=people(station)), "升级")
    assert found(db, Module.CASE, "毁") == [new] and found(db, Module.DISPUTE, "漏") == [did]
    R.delist_person(db, station.leader, pid, "稳定")
    assert found(db, Module.PERSON, "娜") == [pid]
    for module in Module:
        for term in ("a", "1", "湖", "水", "欧阳"):
            assert found(db, module, term) == like_scan(db, module, term)
    assert search_index.problems(db) == []


def test_records_imported_from_a_ledger_are_found(db, station, tmp_path):
    from app.ledger.importer import import_ledger
    from tests.data.ledgers import build as B

    B.case_ledger(tmp_path / "cases.xlsx", date.today())
    import_ledger(db, station.leader, tmp_path / "cases.xlsx", Module.CASE)
    hits = found(db, Module.CASE, "窃")
    assert hits and hits == like_scan(db, Module.CASE, "窃")
    assert found(db, Module.CASE, "东门") == like_scan(db, Module.CASE, "东门") != []
    assert search_index.problems(db) == []


def test_records_arriving_in_a_station_package_are_found(tmp_path, monkeypatch):
    """A small package (kept up by the triggers) into a branch, then one past the bulk threshold
    (the index rebuilt once, its triggers back as the migration made them)."""
    from app.store import bulk
    from tests.sync.helpers import Net, demo_station

    rebuilt = []
    real = bulk.search_index_rebuilt

    def spy(conn):
        rebuilt.append(True)
        return real(conn)

    monkeypatch.setattr(bulk, "search_index_rebuilt", spy)

    branch = SqliteStore(tmp_path / "branch.db", create=True)
    try:
        with branch.raw(immediate=False) as conn:
            triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                    "AND name LIKE '%chars%' ORDER BY name").fetchall()
        assert len(triggers) == 3 * len(TABLES)
        net = Net(branch, tmp_path / "carry")
        net.join("small", demo_station(tmp_path / "small.db", seed=3, scale=0.02))
        net.join("large", demo_station(tmp_path / "large.db", seed=4, scale=1.0))
        rebuilt.clear()  # the demo generator loads in bulk too
        assert net.send("small").status == "applied" and not rebuilt
        assert net.send("large").status == "applied" and rebuilt
        with branch.raw(immediate=False) as conn:
            assert conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                "AND name LIKE '%chars%' ORDER BY name").fetchall() == triggers
        for module in Module:
            for term in ("路", "区", "纠纷", "a3"):
                assert found(branch, module, term) == like_scan(branch, module, term), (module, term)
        assert found(branch, Module.CASE, "路")
        assert search_index.problems(branch) == []
    finally:
        branch.close()


def test_an_upgraded_file_gets_the_index_of_its_records(tmp_path):
    from app.demo import generate_demo

    path = tmp_path / "old.db"
    old = SqliteStore(path, create=True, revision="0015")
    with old.raw(immediate=False) as conn:
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE '%chars%'").fetchone()[0] == 0
    generate_demo(old, seed=2, scale=0.05, as_of=date(2025, 3, 1))
    old.close()
    db = SqliteStore(path)
    try:
        assert search_index.problems(db) == []
        for module in Module:
            for term in ("路", "区", "调解", "z"):
                assert found(db, module, term) == like_scan(db, module, term)
        assert found(db, Module.CASE, "路")
    finally:
        db.close()


def test_check_names_a_damaged_character_index(db, cases, capsys):
    assert search_index.problems(db) == []
    db.close()
    assert main(["check", "--db", str(db.path)]) == 0
    assert "搜索字符索引 (search character index): ok" in capsys.readouterr().out
    db2 = SqliteStore(db.path)
    with db2.raw() as conn:  # one record left out of the index
        conn.execute(f"DELETE FROM case_record{CHARS_SUFFIX} WHERE rowid = ?", (cases[3],))
    found_problems = search_index.problems(db2)
    db2.close()
    assert any(f"id {cases[3]}" in p for p in found_problems)
    assert any("'盗'" in p and "recount 12" in p for p in found_problems)
    assert main(["check", "--db", str(db.path)]) == 1
    out = capsys.readouterr().out
    assert "搜索字符索引 (search character index): " in out and "records not indexed" in out


def test_an_index_entry_past_the_last_record_is_not_listed(db, cases):
    """A character-index entry for an id the table does not hold (a damaged index, which `check`
    names) is left out by both ways of reading the matches' states, not listed or counted."""
    term = "盗"
    with db.raw() as conn:
        conn.execute(f"INSERT INTO case_record{CHARS_SUFFIX}(rowid, grams) VALUES (?, ?)",
                     (max(cases) + 100, chars_token(term)))
    query = TableQuery(text=term)
    want = like_scan(db, Module.CASE, term, statuses=tables.DEFAULT_STATUSES)
    assert want and len(want) == len(cases)
    with db.read() as session:
        box = tables._with_name_matches_in(session, query)
        tokens = tables._short_search_tokens_in(session, box, False)
        assert tokens is not None
        for by_sets in (True, False):
            ids, counts = tables._short_search_scan_in(session, Module.CASE, box, tokens, by_sets=by_sets)
            assert sorted(ids) == want and sum(n for n, _ in counts.values()) == len(want), by_sets
