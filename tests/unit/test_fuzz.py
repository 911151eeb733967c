"""Bad input everywhere: generated inputs to the parsers, the services, the command line and the
key file end in a clear StationError (or success) and never change the database on failure.

CI runs a few hundred examples per target; `bench/fuzz_parsers.py` runs 10,000+ (FUZZ_EXAMPLES).
"""
import os
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from app import cli
from app.domain.identity import normalise_mobile, parse_id_number
from app.errors import StationError
from app.services import accounts as A, records as R

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

id_like = st.one_of(
    st.text(max_size=25),
    st.text(alphabet="0123456789Xx ", min_size=15, max_size=20),
    st.from_regex(r"[1-8][0-9]{5}(19|20)[0-9]{2}[0-1][0-9][0-3][0-9][0-9]{3}[0-9Xx]", fullmatch=True),
)


@FUZZ
@given(id_like)
def test_id_numbers_parse_or_name_the_fault(value):
    try:
        rid = parse_id_number(value)
    except StationError as err:
        assert err.field == "id_number" and err.zh and err.en
    else:
        assert len(rid.number) == 18 and rid.sex in ("M", "F") and rid.birth_date <= date.today()


@FUZZ
@given(st.one_of(st.text(max_size=20), st.from_regex(r"\+?[0-9 \-]{3,16}", fullmatch=True)))
def test_mobiles_parse_or_name_the_fault(value):
    try:
        number = normalise_mobile(value)
    except StationError as err:
        assert err.field == "phone"
    else:
        assert len(number) == 11 and number.startswith("1") and number.isdigit()


def _snapshot(db):
    with db.engine.connect() as conn:
        names = [r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE '%fts%' ORDER BY name")]
        return {n: conn.exec_driver_sql(f'SELECT * FROM "{n}" ORDER BY 1').all() for n in names}


text_or_none = st.one_of(st.none(), st.text(max_size=30))
dates = st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
                  st.text(max_size=12))


@FUZZ
@given(no=st.text(max_size=20), kind=st.sampled_from(["criminal", "administrative", "civil", ""]),
       level=st.sampled_from(["red", "orange", "yellow", "green", "purple", ""]), accepted=dates,
       closed=dates, cause=st.text(max_size=40))
def test_case_form_inputs_save_whole_or_change_nothing(db, station, no, kind, level, accepted, closed, cause):
    before = _snapshot(db)
    try:
        R.create_case(db, station.officer, R.CaseInput(
            no, kind, level, accepted, cause=cause, closed_on=closed,
            people=R.Responsibility(officer_id=station.officer.officer_id)))
    except StationError as err:
        assert err.zh and err.en
        assert _snapshot(db) == before
    else:
        after = _snapshot(db)
        assert len(after["case_record"]) == len(before["case_record"]) + 1
        assert len(after["level_change"]) == len(before["level_change"]) + 1


@FUZZ
@given(name=st.text(max_size=40), ident=st.one_of(st.none(), id_like), phone=st.one_of(st.just(""), st.text(max_size=14)),
       level=st.sampled_from(["red", "orange", "yellow", "green", "x"]), grade=st.one_of(st.none(), st.integers(-3, 9)),
       plan=st.text(max_size=10))
def test_person_form_inputs_save_whole_or_change_nothing(db, station, name, ident, phone, level, grade, plan):
    before = _snapshot(db)
    try:
        R.create_person(db, station.officer, R.PersonInput(
            name, level, date.today(), id_number=ident, phone=phone, mental_risk_grade=grade, control_plan=plan,
            guardian_name="监护人" if grade and grade >= 3 else "",
            people=R.Responsibility(officer_id=station.officer.officer_id)))
    except StationError:
        assert _snapshot(db) == before


@FUZZ
@given(reason=st.text(max_size=10), outcome=st.text(max_size=10),
       level=st.sampled_from(["red", "orange", "yellow", "green", "blue"]))
def test_level_change_inputs_save_whole_or_change_nothing(db, station, reason, outcome, level):
    cid = getattr(station, "_fuzz_case", None)
    if cid is None:
        cid = R.create_case(db, station.officer, R.CaseInput(
            "FZ-1", "criminal", "orange", date.today(), people=R.Responsibility(officer_id=station.officer.officer_id)))
        object.__setattr__(station, "_fuzz_case", cid)
    before = _snapshot(db)
    try:
        R.change_level(db, station.officer, "case", cid, level, reason, outcome)
    except StationError:
        assert _snapshot(db) == before


words = st.sampled_from(["init", "demo", "check", "stats", "backup", "backups", "restore", "audit", "gui",
                         "--db", "--json", "--as-of", "--seed", "--scale", "--user", "--from", "--out",
                         "--station", "--unprotected", "2025-02-30", "x", "-1", "0", "yesterday", "", "--"])


@settings(max_examples=max(40, EXAMPLES // 3), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.one_of(words, st.text(max_size=8)), max_size=7))
def test_command_line_never_shows_a_traceback(tmp_path, monkeypatch, capsys, argv):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STATION_PASSWORD", "fuzz-pass-1")
    if "demo" in argv:  # keep generated demo stations tiny
        argv = argv + ["--scale", "0.01"]
    code = cli.main(argv, run_gui=lambda _db: 0)
    assert code in (0, 1, 2, 130)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if code == 2:
        assert err.startswith("错误: ")


@FUZZ
@given(st.binary(max_size=300))
def test_a_damaged_key_file_is_a_clear_error(tmp_path_factory, blob):
    folder = tmp_path_factory.mktemp("kf")
    path = folder / "station.db"
    path.write_bytes(b"\x8a" * 4096)
    A.key_file_for(path).write_bytes(blob)
    with pytest.raises(StationError):
        A.login(path, "admin", "whatever-pass")


json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10)),
                           lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                   st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                           max_leaves=12)


@FUZZ
@given(accounts=st.dictionaries(st.sampled_from(["admin", "x"]), json_values, max_size=2),
       failures=json_values, fmt=st.sampled_from([1, 2, "1", None]))
def test_a_key_file_with_the_wrong_shape_is_a_clear_error(tmp_path_factory, accounts, failures, fmt):
    import json

    folder = tmp_path_factory.mktemp("kf")
    path = folder / "station.db"
    path.write_bytes(b"\x8a" * 4096)
    A.key_file_for(path).write_text(json.dumps({"format": fmt, "accounts": accounts, "failures": failures}))
    with pytest.raises(StationError):
        A.login(path, "admin", "whatever-pass")
