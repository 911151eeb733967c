"""串并 candidates read from SQL (migration 0020's partial index): exactly the list the former
path gave, which read every orange active case and scored each in Python (the oracle here), for
a case and for a series, on places with spaces, digits and short keys, and dates at the window's
edges."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from app.domain.workflows import series_score
from app.services import series as S
from tests.unit.test_records import new_case

TODAY = date(2026, 6, 30)
N = 14
#: Place text: two shared openings, Unicode spaces (Python's strip() removes them, and the
#: ideographic one is usual in Chinese input), ASCII, full-width and circled digits (isdigit cuts
#: the key at each), and a letter.
PLACES = st.tuples(st.sampled_from(["", "", " ", "\u3000", "\t "]),
                   st.sampled_from(["贤士花园", "贤士花园", "贤士", "贤", "东湖路", "东湖", ""]),
                   st.sampled_from(["", "1栋", "１号", "①", "a", " ", "花园", "路\u3000"])).map("".join)
CAUSES = ["入室盗窃", "诈骗", ""]


def oracle(db, refs: list[int], exclude: set[int], min_score: int, window: int, limit: int) -> list[tuple]:
    """The former candidates(): every orange active case scored against every reference in Python."""
    with db.raw(immediate=False) as conn:
        pool = conn.execute("SELECT id, case_no, cause, place, accepted_on FROM case_record "
                            "WHERE level = 'orange' AND status = 'active'").fetchall()
        ref_rows = [conn.execute("SELECT cause, place, accepted_on FROM case_record WHERE id = ?", (r,)).fetchone()
                    for r in refs]
    out = []
    for cid, case_no, cause, place, day in pool:
        if cid in exclude:
            continue
        best: tuple[int, tuple[str, ...]] = (0, ())
        for rc, rp, rd in ref_rows:
            s = series_score(rc, rp, date.fromisoformat(rd), cause, place, date.fromisoformat(day), window)
            if s[0] > best[0]:
                best = s
        if best[0] >= min_score:
            out.append((cid, case_no, cause, place, date.fromisoformat(day), best[0], best[1]))
    out.sort(key=lambda x: (-x[5], x[4], x[0]))
    return out[:limit]


def got(rows: list[S.Candidate]) -> list[tuple]:
    return [(c.case_id, c.case_no, c.cause, c.place, c.accepted_on, c.score, c.shared) for c in rows]


@pytest.fixture
def cases(db, station) -> tuple[list[int], int]:
    ids = [new_case(db, station.officer, f"C{i:02d}", "orange", cause="入室盗窃", place="贤士花园1栋",
                    accepted_on=TODAY - timedelta(days=i)) for i in range(N)]
    sid = S.create_series(db, station.officer, "贤士花园系列案", ids[:2])
    return ids, sid


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.lists(st.tuples(st.sampled_from(CAUSES), PLACES,
                               st.sampled_from([0, 1, 59, 60, 61, 62, 120, 121, 200]),
                               st.sampled_from(["orange", "orange", "orange", "red", "yellow"]),
                               st.sampled_from(["active", "active", "active", "closed"])),
                     min_size=N, max_size=N),
       ref=st.integers(0, N - 1), limit=st.sampled_from([1, 3, 50]), window=st.sampled_from([0, 60]),
       min_score=st.sampled_from([1, 2, 3]))
def test_candidates_are_the_full_scan_s(db, cases, data, ref, limit, window, min_score):
    ids, sid = cases
    with db.raw() as conn:
        for rid, (cause, place, days, level, status) in zip(ids, data):
            conn.execute("UPDATE case_record SET cause = ?, place = ?, accepted_on = ?, level = ?, status = ? "
                         "WHERE id = ?", (cause, place, (TODAY - timedelta(days=days)).isoformat(), level, status, rid))
    kw = dict(min_score=min_score, window_days=window, limit=limit)
    assert got(S.candidates(db, case_id=ids[ref], **kw)) == oracle(db, [ids[ref]], {ids[ref]}, min_score, window, limit)
    assert got(S.candidates(db, series_id=sid, **kw)) == oracle(db, ids[:2], set(ids[:2]), min_score, window, limit)


def test_strip_chars_are_what_str_strip_removes():
    assert S.STRIP_CHARS == "".join(chr(i) for i in range(0x110000) if chr(i).isspace())


def plans_of(db, **kw) -> list[str]:
    plans: list[str] = []
    from sqlalchemy import event

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "ix_case_record_series" in statement:
            plans.extend(str(r[-1]) for r in cursor.connection.execute("EXPLAIN QUERY PLAN " + statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        assert S.candidates(db, **kw)
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    return [p for p in plans if "case_record" in p]


def test_candidates_read_ranges_of_the_partial_indexes_alone(db, cases):
    """A score of two reads ranges of the orange active cases' indexes near the case (dates; cause
    and place), never the table (13 s at 1M before) nor the whole index (130-179 ms at 1M)."""
    plans = plans_of(db, case_id=cases[0][0])
    assert plans and all(p.startswith("SEARCH") and "COVERING INDEX ix_case_record_series" in p for p in plans), plans
    assert any("INDEX ix_case_record_series (accepted_on>? AND accepted_on<?)" in p for p in plans), plans
    assert any("INDEX ix_case_record_series_cause (cause=? AND place>? AND place<?)" in p for p in plans), plans
    # A score of one (any of the three) has no such ranges: the whole of 0020's index.
    plans = plans_of(db, case_id=cases[0][0], min_score=1)
    assert plans == ["SCAN case_record USING COVERING INDEX ix_case_record_series"], plans


def test_the_first_by_date_of_many_alike_in_cause_and_date_alone(db, cases):
    """Cases of the same cause and close dates but another place (a score of two each) are more
    than a list takes: the earliest ones, as the full scan orders them."""
    ids, _sid = cases
    with db.raw() as conn:
        for i, rid in enumerate(ids[1:]):
            conn.execute("UPDATE case_record SET place = ? WHERE id = ?", (f"东湖路{i}号", rid))
    want = oracle(db, [ids[0]], {ids[0]}, 2, 60, 3)
    assert got(S.candidates(db, case_id=ids[0], limit=3)) == want
    assert [w[0] for w in want] == ids[:-4:-1] and {w[5] for w in want} == {2}
