"""The role matrix, generated from the policy table: every command-line command and every writing
service that the table names is run as every role, on real protected databases; a refusal leaves
every file byte-identical."""
from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from app import cli
from app.domain.permissions import COMMAND_ACTIONS, POLICY, ROLES, SUBCOMMAND_ACTIONS, allowed
from app.domain.rules import Actor
from app.errors import PermissionDenied
from app.services import accounts, org
from app.services.accounts import add_account, create_protected_database, login
from app.store import SqliteStore, Store
from app.sync import keys as K

PASSWORD = "pass-word-1"


@pytest.fixture
def cheap_kdf(monkeypatch):
    """The real Argon2id code at its smallest cost: a hundred log-ins stay fast."""
    monkeypatch.setattr(accounts, "KDF_TIME", 1)
    monkeypatch.setattr(accounts, "KDF_MEMORY_KIB", 64)
    monkeypatch.setattr(accounts, "KDF_PARALLELISM", 1)
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    monkeypatch.setenv("STATION_PASSWORD", PASSWORD)


def _with_role_accounts(db, officers: dict[str, int | None]) -> None:
    admin = Actor(None, "admin", "admin", account="admin")
    for role in ROLES:
        if role != "admin":
            add_account(db, admin, role, PASSWORD, role, officers.get(role))


def protected_station(path: Path) -> Store:
    db = create_protected_database(path, PASSWORD)
    org.init_station(db, "城关派出所", "360102001", "东湖分局")
    team = org.add_team(db, "一队")
    people = {"leader": org.add_officer(db, "王所长", "leader"),
              "team_leader": org.add_officer(db, "李队长", "team_leader", team),
              "officer": org.add_officer(db, "张民警", "officer", team)}
    _with_role_accounts(db, people)
    return db


def protected_branch(path: Path) -> Store:
    db = create_protected_database(path, PASSWORD)
    K.init_branch(db, Actor(None, "admin", "admin", account="admin"), "东湖分局")
    _with_role_accounts(db, {})
    return db


def file_hashes(folder: Path) -> dict[str, str]:
    """Every file under `folder`, by content. The -shm index and the instance lock are the
    operating system's bookkeeping, not content."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.endswith(("-shm", ".lock"))}


@pytest.fixture
def world(tmp_path, cheap_kdf):
    """A protected station and branch that know each other, a package, a receipt and an
    unrelated branch key (the one a hostile export would redirect to)."""
    from app.sync.export import export_package
    from app.sync.importer import import_files

    admin = Actor(None, "admin", "admin", account="admin")
    st_path, br_path = tmp_path / "st" / "station.db", tmp_path / "br" / "branch.db"
    st_path.parent.mkdir()
    br_path.parent.mkdir()
    st, br = protected_station(st_path), protected_branch(br_path)
    other = SqliteStore(tmp_path / "other.db", create=True)
    other_ident = K.init_branch(other, admin, "别的分局")
    other.close()
    files = tmp_path / "files"
    files.mkdir()
    (files / "other.pub").write_text(other_ident.to_json(), encoding="utf-8")
    ident = K.station_identity(st, admin)
    (files / "station.pub").write_text(ident.to_json(), encoding="utf-8")
    K.register_branch(st, admin, K.branch_keys(br).identity)
    K.trust_station(br, admin, ident)
    work = _seed_work(st, files)
    pkg = export_package(st, admin, files, full=True).path
    import_files(br, admin, [pkg], receipts_dir=files)
    st.close()
    br.close()
    from app.ledger.fields import module_arg
    from app.ledger.template import write_template

    write_template(module_arg("cases"), files / "cases.xlsx")
    return {"tmp": tmp_path, "st": st_path, "br": br_path, "files": files, "pkg": pkg,
            "receipt": next(files.glob("*.receipt.json")), "uuid": ident.uuid, **work}


def _seed_work(st, files: Path) -> dict:
    """A key person, a 非公安主责 dispute, two orange cases, an alert log with one alert in, all of
    the officer's team: what the seed's workflow services act on."""
    from datetime import date, datetime, timedelta

    import openpyxl

    from app.ledger.alerts import import_alerts
    from app.services import alerts, records
    from models import Officer

    with st.read() as session:
        ids = dict(session.execute(select(Officer.role, Officer.id)).all())
    leader = org.actor_for(st, ids["leader"])
    people = records.Responsibility(officer_id=ids["officer"])
    day = date.today() - timedelta(days=5)
    pid = records.create_person(st, leader, records.PersonInput("周某", "yellow", day, people=people))
    did = records.create_dispute(st, leader, records.DisputeInput("J1", "non_police", "visit", "yellow", day,
                                                                  parties="业主、物业", people=people))
    cases = [records.create_case(st, leader, records.CaseInput(f"A{i}", "criminal", "orange", day, cause="盗窃",
                                                               people=people)) for i in range(2)]
    wb = openpyxl.Workbook()
    wb.active.append(["警情编号", "报警时间", "发案地址", "报警人"])
    wb.active.append(["110-1", datetime.combine(day, datetime.min.time()), "东街1号", "王某"])
    wb.save(files / "alerts.xlsx")
    import_alerts(st, leader, files / "alerts.xlsx")
    from app.services import series

    grouped = [records.create_case(st, leader, records.CaseInput(f"S{i}", "criminal", "orange", day, cause="盗窃",
                                                                 people=people)) for i in range(len(ROLES) + 2)]
    sid = series.create_series(st, leader, "盗窃系列案", grouped)
    return {"person": pid, "dispute": did, "cases": cases, "alert": alerts.list_alerts(st)[0].id,
            "series": sid, "series_cases": grouped}


def _argv(command: str, w: dict) -> list[str]:
    st, br, f = str(w["st"]), str(w["br"]), w["files"]
    out = w["tmp"] / "out"
    return {
        "check": ["check", "--db", st], "stats": ["stats", "--db", st],
        "report": ["report", "monthly", "--db", st, "--period", "2025-05", "--out", str(out / "r.xlsx")],
        "branch-status": ["branch-status", "--db", br],
        "backup": ["backup", "--db", st], "backups": ["backups", "--db", st],
        "restore": ["restore", "--db", st, "--from", str(f / "no-such-backup.db")],
        "audit": ["audit", "--db", st, "--out", str(out / "audit.csv")],
        "import-ledger": ["import-ledger", "--db", st, "--module", "cases", "--dry-run", str(f / "cases.xlsx")],
        "station-key": ["station-key", "--db", st, "--out", str(out / "s.pub")],
        "export": ["export", "--db", st, "--out", str(out), "--branch-key", str(f / "other.pub")],
        "receipt": ["receipt", "--db", st, str(w["receipt"])],
        "trust-station": ["trust-station", "--db", br, str(f / "station.pub")],
        "import": ["import", "--db", br, "--receipts", str(out), str(w["pkg"])],
        "branch-receipt": ["branch-receipt", "--db", br, "--station", w["uuid"], "--out", str(out / "x.json")],
        "station": ["station", "show", "--db", st], "team": ["team", "list", "--db", st],
        "officer": ["officer", "list", "--db", st], "account": ["account", "list", "--db", st],
        "passwd": ["passwd", "--db", st],
        "roster": ["roster", "import", "--db", st, "--dry-run", str(f / "cases.xlsx")],
        "server-move": ["server-move", "--db", st, "--to", "postgresql://nobody@127.0.0.1:1/none"],
        "alerts-import": ["alerts-import", "--db", st, "--dry-run", str(f / "alerts.xlsx")],
        "watchlist-export": ["watchlist-export", "--db", st, str(out / "watch.xlsx")],
    }[command]


def test_every_command_line_command_is_decided_by_the_policy_table():
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(sub.choices) == set(COMMAND_ACTIONS), "a command without a POLICY action (COMMAND_ACTIONS)"
    assert all(a is None or a in POLICY for a in COMMAND_ACTIONS.values())


PROTECTED_COMMANDS = sorted(c for c, a in COMMAND_ACTIONS.items() if a is not None)


@pytest.mark.parametrize("command", PROTECTED_COMMANDS)
def test_each_command_as_each_role_follows_the_policy_and_a_refusal_changes_no_file(world, command, capsys):
    action = COMMAND_ACTIONS[command]
    (world["tmp"] / "out").mkdir(exist_ok=True)
    for role in ROLES:
        before = file_hashes(world["tmp"])
        code = cli.main(_argv(command, world) + ["--user", role])
        err = capsys.readouterr().err
        if allowed(role, action):
            assert "无权" not in err, (command, role, err)
        else:
            assert code != 0 and "无权" in err, (command, role, err)
            assert file_hashes(world["tmp"]) == before, (command, role)


def test_an_analyst_cannot_replace_a_station_key_nor_revoke_it(world):
    """Audit hole 1: an analyst replaced a station's key and then rewrote its case by a forged package."""
    forged = K.StationIdentity(world["uuid"], "360102001", "城关派出所", b"\x01" * 32)
    logged = login(world["br"], "analyst", PASSWORD)
    try:
        before = file_hashes(world["br"].parent)
        with pytest.raises(PermissionDenied):
            K.trust_station(logged.db, logged.actor, forged)
        with pytest.raises(PermissionDenied):
            K.revoke_station(logged.db, logged.actor, world["uuid"])
        assert file_hashes(world["br"].parent) == before
        from models import TrustedStation

        with logged.db.read() as s:
            row = s.get(TrustedStation, world["uuid"])
            assert row.sign_key != forged.sign_key and row.revoked_at is None
    finally:
        logged.db.close()


@pytest.mark.parametrize("role", ["officer", "team_leader", "analyst"])
def test_a_refused_export_does_not_register_another_branch_key(world, role, capsys):
    """Audit hole 2: `export --branch-key OTHER.pub` registered the key before the role check."""
    before = file_hashes(world["tmp"])
    code = cli.main(["export", "--db", str(world["st"]), "--out", str(world["tmp"]), "--branch-key",
                     str(world["files"] / "other.pub"), "--user", role])
    assert code != 0 and "无权" in capsys.readouterr().err
    assert file_hashes(world["tmp"]) == before
    logged = login(world["st"], "leader", PASSWORD)
    try:
        assert K.registered_branch(logged.db).name == "东湖分局"
        with pytest.raises(PermissionDenied):
            K.register_branch(logged.db, Actor(None, role, role, account=role),
                              K.read_identity_file(world["files"] / "other.pub", "branch"))
        assert K.registered_branch(logged.db).name == "东湖分局"
    finally:
        logged.db.close()


# -- the writing services, one case per POLICY action --------------------------------------------------
def _service_cases(w):
    """action -> a call of a service that does it, as `actor` (on an open station `st` or branch `br`)."""
    from datetime import date

    from app.domain.levels import Module
    from app.ledger.alerts import import_alerts
    from app.ledger.mapping import LedgerMapping
    from app.ledger.memory import save_mapping
    from app.services import alerts as AL, control as C, mediation as M, org, series as S
    from app.services.accounts import change_password
    from app.services.settings import set_cadence
    from app.sync.export import export_package
    from app.sync.importer import import_package, read_package_file
    from app.sync.receipt import apply_receipt

    other = K.read_identity_file(w["files"] / "other.pub", "branch")
    station_pub = K.read_identity_file(w["files"] / "station.pub", "station")
    return {
        "manage_trust": ("br", lambda db, a: K.trust_station(db, a, station_pub)),
        "register_branch": ("st", lambda db, a: K.register_branch(db, a, other)),
        "apply_receipt": ("st", lambda db, a: apply_receipt(db, a, w["receipt"])),
        "export": ("st", lambda db, a: export_package(db, a, w["tmp"] / "out", full=True)),
        "import": ("br", lambda db, a: import_package(db, a, read_package_file(w["pkg"]))),
        "manage_accounts": ("st", lambda db, a: add_account(db, a, f"new_{a.role}", PASSWORD, "officer")),
        "change_settings": ("st", lambda db, a: set_cadence(db, a, "red", 3)),
        "manage_station": ("st", lambda db, a: org.update_station(db, a, name="改名派出所")),
        "manage_org": ("st", lambda db, a: org.add_team(db, f"队_{a.role}", actor=a)),
        "change_own_password": ("st", lambda db, a: change_password(db, a, a.account, PASSWORD, "another-pass-2")),
        "add_officer": ("st", _ledger_adds_an_officer),
        "save_ledger_mapping": ("st", lambda db, a: save_mapping(db, a, Module.CASE, ["案件编号", "案别"],
                                                                 LedgerMapping())),
        # The seed's workflows, on the records of the officer's team (_seed_work).
        "control_check": ("st", lambda db, a: C.record_check(db, a, w["person"], "check", outcome="核查正常")),
        "person_event": ("st", lambda db, a: C.record_person_event(db, a, w["person"], "trouble", date.today(), "滋事")),
        "assess_risk": ("st", lambda db, a: C.assess_risk(db, a, w["person"], ["five_losses"])),
        "watch_list": ("st", lambda db, a: C.export_watch_list(db, a, w["tmp"] / "out" / f"watch-{a.role}.xlsx")),
        "manage_mediation_bodies": ("st", lambda db, a: M.add_mediation_body(db, a, f"调解组织{a.role}", "center")),
        "mediate": ("st", lambda db, a: M.record_mediation(db, a, w["dispute"], body_id=None, mediator="调解员",
                                                           agreement="和解")),
        "hand_over": ("st", lambda db, a: M.hand_over(db, a, w["dispute"], "区住建局")),
        "manage_series": ("st", lambda db, a: S.create_series(db, a, f"系列案{a.role}", w["cases"])),
        "import_alerts": ("st", lambda db, a: import_alerts(db, a, w["files"] / "alerts.xlsx")),
        "alert_to_dispute": ("st", lambda db, a: AL.alert_to_dispute(db, a, w["alert"], dispute_no=f"JJ{a.role}")),
        # Each role takes out its own case, so an allowed role's call succeeds.
        "remove_series_member": ("st", lambda db, a: S.remove_from_series(
            db, a, w["series"], w["series_cases"][ROLES.index(a.role)], "串并有误")),
    }


def _ledger_adds_an_officer(db, actor):
    """The ledger import adding an officer it names to the roster (import-ledger --add-officers-to)."""
    from app.ledger.officers import Roster, add_to_roster_in
    from models import Station

    with db.write(actor, "add_officer") as session:
        station_id = session.scalar(select(Station.id))
        add_to_roster_in(session, actor, station_id, Roster.load(session), f"新民警{actor.role}", "一队")


def test_every_policy_action_has_a_service_or_command_case(world):
    covered = set(_service_cases(world)) | {a for a in COMMAND_ACTIONS.values() if a}
    # The record actions are run per role and per team in test_security.py (the record services).
    record_actions = {"create_record", "edit_record", "change_level", "log_action", "convert_dispute",
                      "link_person", "void_record", "close_red", "delist_person", "unmask",
                      "mark_solved"}  # mark_solved: per role and team in test_figures.py
    # briefing_shown is never refused (the briefing shows): the policy decides whether it is
    # remembered, per role, in test_only_the_station_s_police_move_the_briefing_mark.
    assert set(POLICY) <= covered | record_actions | {"briefing_shown"}, set(POLICY) - covered - record_actions


@pytest.mark.parametrize("command,sub", sorted(SUBCOMMAND_ACTIONS))
def test_each_changing_subcommand_is_refused_at_log_in_and_changes_no_file(world, command, sub, capsys):
    """`team add` as an officer: refused by the log-in, before it writes its last-log-in or audit row."""
    action = SUBCOMMAND_ACTIONS[(command, sub)]
    extra = {("station", "set"): ["--name", "新名"], ("team", "add"): ["新队"], ("team", "rename"): ["一队", "新队"],
             ("team", "retire"): ["一队"], ("officer", "add"): ["--name", "新人", "--role", "officer"],
             ("officer", "move"): ["--name", "x", "--team", "y"], ("officer", "retire"): ["--name", "x", "--to", "y"]}
    for role in ROLES:
        if allowed(role, action):
            continue
        before = file_hashes(world["tmp"])
        code = cli.main([command, sub, "--db", str(world["st"]), "--user", role] + extra[(command, sub)])
        err = capsys.readouterr().err
        assert code != 0 and "无权" in err, (command, sub, role, err)
        assert file_hashes(world["tmp"]) == before, (command, sub, role)


@pytest.mark.parametrize("action", ["manage_trust", "register_branch", "apply_receipt", "export", "import",
                                    "manage_accounts", "change_settings", "manage_station", "manage_org",
                                    "change_own_password", "add_officer", "save_ledger_mapping",
                                    "control_check", "person_event", "assess_risk", "watch_list",
                                    "manage_mediation_bodies", "mediate", "hand_over", "manage_series",
                                    "import_alerts", "alert_to_dispute", "remove_series_member"])
def test_each_writing_service_as_each_role(world, action):
    where, call = _service_cases(world)[action]
    (world["tmp"] / "out").mkdir(exist_ok=True)
    for role in ROLES:
        logged = login(world[where], role, PASSWORD)
        try:
            before = file_hashes(world["tmp"])
            if allowed(role, action):
                try:
                    call(logged.db, logged.actor)
                except PermissionDenied as exc:  # pragma: no cover - the failure message says which
                    pytest.fail(f"{role} refused {action}: {exc}")
                except Exception:
                    pass  # allowed, and failing for another reason (e.g. the package already applied)
            else:
                with pytest.raises(PermissionDenied):
                    call(logged.db, logged.actor)
                assert file_hashes(world["tmp"]) == before, (action, role)
        finally:
            logged.db.close()


@pytest.mark.parametrize("where", ["st", "br"])
def test_only_the_station_s_police_move_the_briefing_mark(world, where):
    """Showing the briefing stores "last shown" (where the next "since the last briefing" starts)
    only for the roles the policy table lets mark it: the administrator and the branch's analyst
    see the same briefing and leave the file as it was after their log-in."""
    from datetime import datetime, timedelta

    from app.services import briefing as B

    at = datetime(2026, 3, 9, 8, 30)
    for i, role in enumerate(ROLES):
        logged = login(world[where], role, PASSWORD)
        try:
            when = at + timedelta(days=i)
            before, shown = file_hashes(world["tmp"]), B.last_shown_at(logged.db)
            since = B.start_briefing(logged.db, logged.actor, "daily", when)
            assert since <= when
            if allowed(role, "briefing_shown"):
                assert B.last_shown_at(logged.db) == when, role
            else:
                assert B.last_shown_at(logged.db) == shown, role
                assert file_hashes(world["tmp"]) == before, role
        finally:
            logged.db.close()
