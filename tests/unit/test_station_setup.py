"""Setting up and running a station: teams, officers, accounts and settings through the services,
each refused for roles other than the administrator before anything changes, and audited."""
from __future__ import annotations

import json
from datetime import date

import pytest

from app.domain.permissions import POLICY, ROLES, allowed
from app.domain.rules import Actor
from app.errors import PermissionDenied, RuleViolation, ValidationError
from app.services import accounts as A, audit, org, records as R, settings as S

TODAY = date.today()
ADMIN = Actor(None, "系统管理员", "admin", account="admin")


def actors(station) -> dict[str, Actor]:
    return {"admin": ADMIN, "leader": station.leader, "team_leader": station.team_leader,
            "officer": station.officer, "analyst": Actor(None, "研判员", "analyst", account="analyst")}


def snapshot(db):
    return (org.station_info(db), org.team_rows(db), org.list_officers(db, include_retired=True),
            [(r.username, r.active, r.must_change_password) for r in A.account_rows(db)], S.station_settings(db))


NEW_ACTIONS = ("manage_station", "manage_org", "manage_accounts", "change_own_password")


def test_the_new_actions_are_in_the_policy_and_admin_only_except_own_password():
    for action in NEW_ACTIONS:
        assert action in POLICY
    assert POLICY["manage_station"] == POLICY["manage_org"] == POLICY["manage_accounts"] == frozenset({"admin"})
    assert POLICY["change_own_password"] == frozenset(ROLES)


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_against_each_administration_service(db, station, role):
    """Every administration service called as each role is allowed exactly when the policy says
    so; a refusal names the role and the action and changes nothing."""
    who = actors(station)[role]
    A.add_account(db, ADMIN, "zhangwei", "password123", "officer", station.officer.officer_id)
    calls = {
        "manage_accounts": [lambda: A.create_account(db, who, "liuyang", officer_id=station.other_officer.officer_id),
                            lambda: A.reset_password(db, who, "zhangwei"),
                            lambda: A.unlock_account(db, who, "zhangwei"),
                            lambda: A.disable_account(db, who, "zhangwei"),
                            lambda: A.enable_account(db, who, "zhangwei")],
        "manage_station": [lambda: org.update_station(db, who, name="城关派出所（新）"),
                           lambda: S.set_idle_minutes(db, who, 15),
                           lambda: S.set_backup_folder(db, who, "")],
        "manage_org": [lambda: org.add_team(db, "巡逻队", actor=who),
                       lambda: org.rename_team(db, who, station.other_team_id, "案件队"),
                       lambda: org.add_officer(db, "赵敏", "officer", station.team_id, "010001", actor=who),
                       lambda: org.move_officer(db, who, station.other_officer.officer_id, station.team_id),
                       lambda: org.retire_officer(db, who, station.other_officer.officer_id,
                                                  station.officer.officer_id)],
    }
    for action, group in calls.items():
        for call in group:
            if allowed(role, action):
                call()
            else:
                before = snapshot(db)
                with pytest.raises(PermissionDenied) as err:
                    call()
                assert err.value.zh and err.value.en
                assert snapshot(db) == before
    assert allowed(role, "change_own_password")


def test_organisation_code_is_twelve_digits(db, station):
    for bad in ("36010200", "3601020010011", "36010200100X", " ", "３６０１０２００１００１"):
        with pytest.raises(ValidationError) as err:
            org.update_station(db, ADMIN, code=bad)
        assert "12" in err.value.zh
    org.update_station(db, ADMIN, name="城关派出所", code="360102001001", branch_name="东湖分局")
    info = org.station_info(db)
    assert (info.code, info.branch_name) == ("360102001001", "东湖分局")
    changes = [e for e in audit.list_entries(db) if e.action == "update_station:edit"]
    assert changes and changes[-1].detail["code"] == ["360102001", "360102001001"]


def test_teams_are_added_renamed_and_retired_only_when_empty(db, station):
    tid = org.add_team(db, "巡逻队", actor=ADMIN)
    with pytest.raises(ValidationError):
        org.add_team(db, "巡逻队", actor=ADMIN)
    with pytest.raises(ValidationError):
        org.rename_team(db, ADMIN, tid, "案件办理队")
    org.rename_team(db, ADMIN, tid, "巡逻一队")
    oid = org.add_officer(db, "赵敏", "officer", tid, actor=ADMIN)
    with pytest.raises(RuleViolation) as err:
        org.retire_team(db, ADMIN, tid)
    assert "赵敏" in err.value.zh
    org.move_officer(db, ADMIN, oid, station.team_id)
    org.retire_team(db, ADMIN, tid)
    assert (tid, "巡逻一队") not in org.list_teams(db)
    assert (tid, "巡逻一队") in org.list_teams(db, include_retired=True)
    with pytest.raises(ValidationError):
        org.add_officer(db, "钱多", "officer", tid, actor=ADMIN)
    entries = [e.action for e in audit.list_entries(db)]
    for action in ("add_team:create", "rename_team:edit", "retire_team:edit", "move_officer:edit"):
        assert action in entries


def test_officers_badge_numbers_are_unique_and_assisting_staff_are_never_responsible(db, station):
    org.add_officer(db, "赵敏", "officer", station.team_id, "010001", actor=ADMIN)
    with pytest.raises(ValidationError) as err:
        org.add_officer(db, "钱多", "officer", station.team_id, "010001", actor=ADMIN)
    assert "010001" in err.value.zh
    with pytest.raises(ValidationError):
        org.add_officer(db, "孙立", "team_leader", station.team_id, actor=ADMIN, auxiliary=True)
    aux = org.add_officer(db, "孙立", "officer", station.team_id, actor=ADMIN, duty="辅警", auxiliary=True)
    with pytest.raises(ValidationError) as err:
        R.create_dispute(db, station.officer, R.DisputeInput(
            "D1", "police_primary", "110", "yellow", TODAY, parties="甲乙", people=R.Responsibility(officer_id=aux)))
    assert "辅警" in err.value.zh


def open_records(db, station):
    """Three open records of 张伟 (team 1) and one closed."""
    me = station.officer
    ids = [R.create_case(db, me, R.CaseInput(f"A{i}", "criminal", "orange", TODAY,
                                             people=R.Responsibility(officer_id=me.officer_id))) for i in (1, 2)]
    did = R.create_dispute(db, me, R.DisputeInput("D1", "police_primary", "110", "yellow", TODAY, parties="甲乙",
                                                  people=R.Responsibility(officer_id=me.officer_id)))
    closed = R.create_case(db, me, R.CaseInput("A9", "administrative", "green", TODAY, outcome="已办结", closed_on=TODAY,
                                               people=R.Responsibility(officer_id=me.officer_id)))
    return ids, did, closed


def test_retiring_an_officer_moves_every_open_record_in_one_audited_step(db, station):
    (c1, c2), did, closed = open_records(db, station)
    A.add_account(db, ADMIN, "zhangwei", "password123", "officer", station.officer.officer_id)
    me, other = station.officer.officer_id, station.other_officer.officer_id
    newbie = org.add_officer(db, "赵敏", "officer", station.team_id, actor=ADMIN)
    aux = org.add_officer(db, "孙立", "officer", station.team_id, actor=ADMIN, auxiliary=True)
    assert {(r.module, r.id) for r in org.open_records_of(db, me)} == {("case", c1), ("case", c2), ("dispute", did)}
    # No successor for one record: refused, nothing changed.
    with pytest.raises(ValidationError) as err:
        org.retire_officer(db, ADMIN, me, assignments={("case", c1): newbie, ("case", c2): newbie})
    assert "D1" in err.value.zh
    with pytest.raises(ValidationError):
        org.retire_officer(db, ADMIN, me, aux)
    assert R.get_record(db, "dispute", did).fields["officer_id"] == me and org.actor_for(db, me)
    # Record by record: one case to the other team's officer, the rest to the newcomer.
    org.retire_officer(db, ADMIN, me, newbie, assignments={("case", c2): other})
    assert R.get_record(db, "case", c1).fields["officer_id"] == newbie
    moved = R.get_record(db, "case", c2)
    assert moved.fields["officer_id"] == other and moved.fields["team_id"] == station.other_team_id
    assert R.get_record(db, "dispute", did).fields["officer_id"] == newbie
    assert R.get_record(db, "case", closed).fields["officer_id"] == me  # the closed record keeps its history
    assert me not in {o.id for o in org.list_officers(db)}
    assert org.open_records_of(db, me) == []
    entries = audit.list_entries(db)
    moves = [e for e in entries if e.action == "reassign"]
    assert {(e.module, e.detail["officer_id"][1]) for e in moves} == {("case", "赵敏"), ("case", "刘洋"),
                                                                       ("dispute", "赵敏")}
    edits = [e for e in entries if e.action == "retire_officer:edit" and e.module in ("case", "dispute")]
    handed = [e for e in edits if "officer_id" in e.detail]
    assert len({e.record_uuid for e in handed}) == 3 and all(e.detail["officer_id"][0] == me for e in handed)
    row = next(r for r in A.account_rows(db) if r.username == "zhangwei")
    assert not row.active


def test_retiring_a_team_leader_needs_a_team_leader_successor(db, station):
    (c1, _), _, _ = open_records(db, station)
    tl = station.team_leader.officer_id
    assert R.get_record(db, "case", c1).fields["team_leader_id"] == tl
    with pytest.raises(ValidationError) as err:
        org.retire_officer(db, ADMIN, tl, station.officer.officer_id)
    assert "队长" in err.value.zh
    new_tl = org.add_officer(db, "周队", "team_leader", station.team_id, actor=ADMIN)
    org.retire_officer(db, ADMIN, tl, new_tl)
    assert R.get_record(db, "case", c1).fields["team_leader_id"] == new_tl


def test_create_account_links_the_officer_generates_a_one_time_password_and_refuses_a_second(db, station):
    new = A.create_account(db, ADMIN, "zhangwei", officer_id=station.officer.officer_id)
    assert new.generated and len(new.password) == A.GENERATED_LENGTH and new.role == "officer"
    with pytest.raises(ValidationError) as err:
        A.create_account(db, ADMIN, "zhangwei2", officer_id=station.officer.officer_id)
    assert "已有账户" in err.value.zh
    with pytest.raises(ValidationError):
        A.create_account(db, ADMIN, "boss", role="leader")
    analyst = A.create_account(db, ADMIN, "fenju", role="analyst", password="analyst-pass")
    assert not analyst.generated and analyst.password == "analyst-pass"
    rows = {r.username: r for r in A.account_rows(db)}
    assert rows["zhangwei"].must_change_password and rows["zhangwei"].officer_name == "张伟"
    assert rows["zhangwei"].team_name == "社区警务一队" and rows["fenju"].role == "analyst"
    created = [e for e in audit.list_entries(db) if e.action == "add_account:create"]
    assert all("password_hash" not in e.detail for e in created) and len(created) == 2


def protected_station(tmp_path):
    db = A.create_protected_database(tmp_path / "s.db", "admin-pass-1")
    org.init_station(db, "城关派出所")
    team = org.add_team(db, "一队")
    org.add_officer(db, "王建国", "leader")
    org.add_officer(db, "李强", "team_leader", team)
    oid = org.add_officer(db, "张伟", "officer", team)
    db.close()
    logged = A.login(tmp_path / "s.db", "admin", "admin-pass-1")
    return logged.db, logged.actor, oid


def test_first_log_in_must_change_the_one_time_password(tmp_path):
    db, admin, oid = protected_station(tmp_path)
    new = A.create_account(db, admin, "zhangwei", officer_id=oid)
    db.close()
    first = A.login(tmp_path / "s.db", "zhangwei", new.password)
    assert first.must_change_password and first.actor.role == "officer"
    with pytest.raises(ValidationError):
        A.change_password(first.db, first.actor, "zhangwei", new.password, new.password)
    A.change_password(first.db, first.actor, "zhangwei", new.password, "my-own-pass-1")
    first.db.close()
    with pytest.raises(A.LoginFailed):
        A.login(tmp_path / "s.db", "zhangwei", new.password)
    again = A.login(tmp_path / "s.db", "zhangwei", "my-own-pass-1")
    assert not again.must_change_password
    again.db.close()


def as_admin(tmp_path, work):
    logged = A.login(tmp_path / "s.db", "admin", "admin-pass-1")
    try:
        return work(logged.db, logged.actor)
    finally:
        logged.db.close()


def test_a_disabled_account_cannot_log_in_and_its_key_entry_is_gone(tmp_path):
    db, admin, oid = protected_station(tmp_path)
    A.create_account(db, admin, "zhangwei", officer_id=oid, password="first-pass-1")
    with pytest.raises(RuleViolation):
        A.disable_account(db, admin, "admin")
    A.disable_account(db, admin, "zhangwei")
    keys = json.loads((tmp_path / "s.db.keys").read_text(encoding="utf-8"))
    assert "zhangwei" not in keys["accounts"] and "admin" in keys["accounts"]
    row = next(r for r in A.account_rows(db) if r.username == "zhangwei")
    assert not row.active and not row.has_key
    db.close()
    with pytest.raises(A.LoginFailed):
        A.login(tmp_path / "s.db", "zhangwei", "first-pass-1")
    with pytest.raises(RuleViolation):
        as_admin(tmp_path, lambda d, a: A.reset_password(d, a, "zhangwei"))
    back = as_admin(tmp_path, lambda d, a: A.enable_account(d, a, "zhangwei"))
    logged = A.login(tmp_path / "s.db", "zhangwei", back.password)
    assert logged.must_change_password
    logged.db.close()
    actions = as_admin(tmp_path, lambda d, a: [e.action for e in audit.list_entries(d)])
    assert "disable_account:edit" in actions and "enable_account:edit" in actions


def test_reset_and_unlock_after_the_lock_out(tmp_path):
    db, admin, oid = protected_station(tmp_path)
    A.create_account(db, admin, "zhangwei", officer_id=oid, password="first-pass-1")
    db.close()
    for _ in range(A.MAX_FAILURES):
        with pytest.raises(A.LoginFailed):
            A.login(tmp_path / "s.db", "zhangwei", "wrong-pass")
    assert as_admin(tmp_path, lambda d, a: next(r for r in A.account_rows(d) if r.username == "zhangwei").locked_until)
    with pytest.raises(A.LoginFailed) as err:
        A.login(tmp_path / "s.db", "zhangwei", "first-pass-1")
    assert "锁定" in err.value.zh
    assert as_admin(tmp_path, lambda d, a: A.unlock_account(d, a, "zhangwei")) is True
    assert as_admin(tmp_path, lambda d, a: next(
        r for r in A.account_rows(d) if r.username == "zhangwei").locked_until) is None
    A.login(tmp_path / "s.db", "zhangwei", "first-pass-1").db.close()
    reset = as_admin(tmp_path, lambda d, a: A.reset_password(d, a, "zhangwei"))
    with pytest.raises(A.LoginFailed):
        A.login(tmp_path / "s.db", "zhangwei", "first-pass-1")
    logged = A.login(tmp_path / "s.db", "zhangwei", reset.password)
    assert logged.must_change_password
    logged.db.close()
    assert "unlock_account" in as_admin(tmp_path, lambda d, a: [e.action for e in audit.list_entries(d)])


def test_settings_are_bounded_and_audited(db, station, tmp_path):
    for bad in (0, 241, "10", True):
        with pytest.raises(ValidationError):
            S.set_idle_minutes(db, ADMIN, bad)
    S.set_idle_minutes(db, ADMIN, 20)
    with pytest.raises(ValidationError):
        S.set_backup_folder(db, ADMIN, str(tmp_path / "nowhere"))
    S.set_backup_folder(db, ADMIN, str(tmp_path))
    got = S.station_settings(db)
    assert (got.idle_minutes, got.backup_folder) == (20, str(tmp_path.resolve()))
    actions = [e.action for e in audit.list_entries(db)]
    assert "set_idle_minutes:create" in actions and "set_backup_folder:create" in actions


def test_follow_up_cadence_per_module_and_level(db, station):
    me = station.officer
    did = R.create_dispute(db, me, R.DisputeInput("D1", "police_primary", "110", "red", TODAY, parties="甲乙",
                                                  people=R.Responsibility(officer_id=me.officer_id)))
    cid = R.create_case(db, me, R.CaseInput("A1", "criminal", "red", TODAY,
                                            people=R.Responsibility(officer_id=me.officer_id)))
    before = R.get_record(db, "case", cid).next_due
    with pytest.raises(PermissionDenied):
        S.set_cadence(db, station.officer, "red", 3, "dispute")
    S.set_cadence(db, ADMIN, "red", 3, "dispute")
    from datetime import timedelta

    assert R.get_record(db, "dispute", did).next_due == TODAY + timedelta(days=3)
    assert R.get_record(db, "case", cid).next_due == before  # other modules keep the station's cadence
    conf = S.station_settings(db)
    from app.domain.levels import Level, Module

    assert conf.cadence_by_module[Module.DISPUTE][Level.RED] == 3
    assert conf.cadence_by_module[Module.CASE][Level.RED] == conf.cadence[Level.RED]
    d2 = R.create_dispute(db, me, R.DisputeInput("D2", "police_primary", "110", "red", TODAY, parties="丙丁",
                                                 people=R.Responsibility(officer_id=me.officer_id)))
    assert R.get_record(db, "dispute", d2).next_due == TODAY + timedelta(days=3)
    from app.services.headline import headline_stats

    assert headline_stats(db, as_of=TODAY + timedelta(days=4))["disputes"]["overdue"] == 2
    assert headline_stats(db, as_of=TODAY + timedelta(days=4))["cases"]["overdue"] == 0


def test_moving_a_team_leader_leaves_the_old_teams_records_with_its_leader(db, station):
    (c1, _), _, _ = open_records(db, station)
    tl = station.team_leader.officer_id
    with pytest.raises(RuleViolation) as err:
        org.move_officer(db, ADMIN, tl, station.other_team_id)
    assert "队长" in err.value.zh
    assert org.list_officers(db)[1].team_id == station.team_id  # refused before anything changed
    new_tl = org.add_officer(db, "周队", "team_leader", station.team_id, actor=ADMIN)
    org.move_officer(db, ADMIN, tl, station.other_team_id)
    assert R.get_record(db, "case", c1).fields["team_leader_id"] == new_tl


@pytest.mark.parametrize("role", list(ROLES))
def test_every_role_changes_its_own_password_and_only_the_administrator_anothers(db, station, role):
    from dataclasses import replace

    who = actors(station)[role]
    A.add_account(db, ADMIN, "other", "password123", "analyst")
    mine = f"u_{role}"
    A.add_account(db, ADMIN, mine, "password123", role, who.officer_id)
    me = replace(who, account=mine)
    A.change_password(db, me, mine, "password123", "password456")
    assert not next(r for r in A.account_rows(db) if r.username == mine).must_change_password
    if role == "admin":
        A.change_password(db, me, "other", "", "password789")
        assert next(r for r in A.account_rows(db) if r.username == "other").must_change_password
    else:
        with pytest.raises(PermissionDenied):
            A.change_password(db, me, "other", "password123", "password789")


def _form(conf, **changed):
    """The settings window's values: what is stored, with `changed` laid over them."""
    values = {"idle_minutes": conf.idle_minutes, "backup_folder": conf.backup_folder,
              "cadence_by_module": {m: {lv: d for lv, d in c.items() if d is not None}
                                    for m, c in conf.cadence_by_module.items()},
              "check_hours": {lv: h for lv, h in conf.check_cadence.items() if h is not None}}
    values.update(changed)
    return values


def test_the_settings_window_saves_as_one_step_or_not_at_all(db, station, tmp_path):
    """One refused value (a folder that does not exist) leaves every other setting as it was;
    a valid form is written in one audited transaction, cadences with the due dates they move."""
    from datetime import timedelta

    from app.domain.levels import Level, Module

    me = station.officer
    did = R.create_dispute(db, me, R.DisputeInput("D1", "police_primary", "110", "red", TODAY, parties="甲乙",
                                                  people=R.Responsibility(officer_id=me.officer_id)))
    conf = S.station_settings(db)
    before = snapshot(db)
    cadence = _form(conf)["cadence_by_module"]
    cadence[Module.DISPUTE][Level.RED] = conf.cadence_by_module[Module.DISPUTE][Level.RED] + 2
    checks = {**_form(conf)["check_hours"], Level.RED: conf.check_cadence[Level.RED] // 2}
    idle = conf.idle_minutes + 5
    with pytest.raises(ValidationError) as refused:
        S.save_station_settings(db, ADMIN, **_form(conf, idle_minutes=idle, cadence_by_module=cadence,
                                                   check_hours=checks, backup_folder=str(tmp_path / "nowhere")))
    assert refused.value.field == "backup_folder" and snapshot(db) == before
    with pytest.raises(PermissionDenied):
        S.save_station_settings(db, station.officer, **_form(conf, idle_minutes=idle))
    assert not S.save_station_settings(db, ADMIN, **_form(conf))  # nothing changed, nothing written
    last = max(e.seq for e in audit.list_entries(db))
    assert S.save_station_settings(db, ADMIN, **_form(conf, idle_minutes=idle, cadence_by_module=cadence,
                                                      check_hours=checks, backup_folder=str(tmp_path)))
    got = S.station_settings(db)
    assert (got.idle_minutes, got.backup_folder) == (idle, str(tmp_path.resolve()))
    assert got.cadence_by_module[Module.DISPUTE][Level.RED] == cadence[Module.DISPUTE][Level.RED]
    assert got.check_cadence[Level.RED] == checks[Level.RED]
    assert R.get_record(db, "dispute", did).next_due == TODAY + timedelta(days=cadence[Module.DISPUTE][Level.RED])
    actions = {e.action.split(":")[0] for e in audit.list_entries(db) if e.seq > last}
    assert actions == {"save_settings"}
