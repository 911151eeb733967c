"""The station server's second wall, as SQL generated from the policy table and the models, and
applied by the PostgreSQL store after every migration of a server's database (whatever runs it).

The services check every action first and explain a refusal; this SQL makes PostgreSQL refuse
the same things to someone who logs in with an account's password outside the program (psql):

- one group role per application role (`<prefix>:officer` …), NOLOGIN; each account is a LOGIN
  role `<prefix>.<username>` in its role's group, kept in step with the account table by a
  trigger (role changes move the membership, a disabled account loses LOGIN);
- row-level security on every mapped table: reads for the roles that may `read_records`; writes
  to records only to rows the role and team may change (the same rule as
  `permissions.authorize`); history rows (level changes, actions, links, dedicated teams) only
  for records one may change; accounts for `manage_accounts`; settings by key (ledger mappings
  for the police, briefing marks for the station's police (`briefing_shown`), the rest for
  `change_settings`);
- the audit trail insert-only, each new row checked to continue the chain head (under the
  chain's lock) and to name the account that writes it;
- no record or history row written by an account without the audit trail: a deferred constraint
  trigger refuses the COMMIT of a transaction that changed one unless the trail's newest row is
  the transaction's own (a station server's: a branch's accounts write neither);
- change events: every committed write to a table notifies `station_changed` with the table and
  the ids it touched, so other workstations refresh without polling.

Tables are classified from the models: a table with `team_id`, `officer_id` and `version` is a
record table; a table with `module` + `record_id`, or a foreign key to a record table, holds a
record's history; the others are named in TABLE_WRITES (a test fails on a table in none of them).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection

from app.domain.permissions import POLICY, ROLES, TEAM_SCOPED
from app.errors import ValidationError

#: The channel every change event is sent on.
NOTIFY_CHANNEL = "station_changed"
#: The advisory lock every writer takes first (app.store.postgres.WRITE_LOCK): the audit guard
#: takes it too, so a row inserted from psql cannot fork the chain.
CHAIN_LOCK = 70419
#: More ids than this in one statement are sent as "the whole table changed" (payload ≤ 8000 bytes).
MAX_NOTIFY_IDS = 200
#: Role names are PostgreSQL identifiers: 63 bytes at most.
MAX_ROLE_BYTES = 63
PREFIX_RE = re.compile(r"^[a-z][a-z0-9_]{0,23}$")

#: Tables that are neither records nor record history: the actions that may write them.
TABLE_WRITES: dict[str, tuple[str, ...]] = {
    "station": ("manage_station",),
    "team": ("manage_org",),
    "officer": ("manage_org", "add_officer"),
    "account": ("manage_accounts",),
    "setting": (),  # by key: SETTING_WRITES
    "audit_log": (),  # insert-only for everyone, guarded by a trigger
    "sync_key": ("station_key", "export", "register_branch", "import", "manage_trust"),
    "sync_peer": ("register_branch",),
    "export_log": ("export", "apply_receipt"),
    "trusted_station": ("manage_trust",),
    "import_ledger": ("import",),
    "sync_record": ("import",),
    "station_audit": ("import",),
    # The daily summary is written in the same transaction as every change of a record, so every
    # action that changes a record (or the cadence or teams it is counted by) writes it.
    "daily_counts": ("create_record", "edit_record", "change_level", "log_action", "convert_dispute",
                     "void_record", "mark_solved", "close_red", "delist_person", "import", "assess_risk",
                     "control_check", "mediate", "hand_over", "alert_to_dispute", "person_event",
                     "change_settings", "manage_org", "manage_station"),
    "daily_events": ("create_record", "edit_record", "change_level", "log_action", "convert_dispute",
                     "void_record", "mark_solved", "close_red", "delist_person", "import", "assess_risk",
                     "control_check", "mediate", "hand_over", "alert_to_dispute", "person_event",
                     "change_settings", "manage_org", "manage_station"),
    "mediation_body": ("manage_mediation_bodies",),
    "case_series": ("manage_series", "remove_series_member"),
    "series_member": ("manage_series", "remove_series_member"),
    "alert": ("import_alerts", "alert_to_dispute"),
}
#: History tables that an action writes besides the record's owners: a 110 import raises the
#: repeat-call suggestion on a dispute of any team (app.services.alerts).
HISTORY_WRITES: dict[str, tuple[str, ...]] = {
    "suggestion": ("import_alerts",),
}
#: Tables only some roles may read (the rest: `read_records`).
TABLE_READS: dict[str, tuple[str, ...]] = {
    "sync_key": TABLE_WRITES["sync_key"],
}
#: Setting keys by prefix → the action that may write them; other keys need change_settings or
#: manage_station. (Prefixes of app.ledger.memory, app.services.briefing, app.services.accounts.)
SETTING_WRITES: tuple[tuple[str, str], ...] = (
    ("ledger.", "save_ledger_mapping"),
    ("briefing.", "briefing_shown"),
    ("briefing", "briefing_shown"),
    ("roles.", "manage_accounts"),
    ("control.check_hours.", "manage_station"),
)
SETTING_DEFAULT = ("change_settings", "manage_station")
#: Tables the services delete rows from (a dedicated-team member leaving; a setting reset; the
#: branch a station exports to, replaced when it registers another).
DELETES = {"dedicated_member", "setting", "daily_counts", "daily_events", "sync_peer"}
#: At a branch office only the import service (the database's owner) writes these: what packages
#: bring (the stations, their organisation, the summary), besides the records and their history.
BRANCH_SERVICE_ONLY = {"station", "team", "officer", "mediation_body", "case_series", "series_member", "alert",
                       "daily_counts", "daily_events", "sync_key"}
#: At a branch office the accounts read only the public halves of its keys: the import service
#: decrypts the packages and signs the receipts (app.sync.service), so no account may forge a
#: receipt or open a package outside the program.
BRANCH_KEY_COLUMNS = ("kind", "public_key", "created_at")
#: A branch's import requests (migration 0018, PostgreSQL only; not a mapped table): an account
#: adds its own and reads, and withdraws, only its own; the import service answers them.
IMPORT_REQUESTS = "import_request"
#: Never written by account roles: the schema's own bookkeeping.
SCHEMA_TABLES = {"alembic_version"}


def ident(name: str) -> str:
    """A double-quoted SQL identifier."""
    if "\x00" in name:
        raise ValidationError("名称含有非法字符", "the name holds a NUL character", "name")
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A single-quoted SQL string literal (standard_conforming_strings is on since PostgreSQL 9.1)."""
    if "\x00" in text:
        raise ValidationError("文本含有非法字符", "the text holds a NUL character", "text")
    return "'" + text.replace("'", "''") + "'"


def _array(values: Iterable[str]) -> str:
    return "ARRAY[" + ", ".join(literal(v) for v in sorted(values)) + "]::text[]" if values else "ARRAY[]::text[]"


@dataclass(frozen=True)
class RoleNames:
    """The database role names of one station: its groups and its accounts' log-ins. Role names
    are shared by every database of a PostgreSQL server, so each station's carry its prefix."""

    prefix: str

    def __post_init__(self) -> None:
        if not PREFIX_RE.match(self.prefix):
            raise ValidationError(
                f"角色前缀只能由小写字母、数字和下划线组成（以字母开头，至多24个字符）：{self.prefix}",
                f"the role prefix must be lowercase letters, digits and underscores (a letter first, "
                f"24 at most): {self.prefix}", "prefix")

    def group(self, role: str) -> str:
        return f"{self.prefix}:{role}"

    def login(self, username: str) -> str:
        """The PostgreSQL user an account logs in as (what psql -U takes)."""
        name = f"{self.prefix}.{username}"
        if len(name.encode("utf-8")) > MAX_ROLE_BYTES or "\x00" in username or not username:
            raise ValidationError(f"用户名过长或无效：{username}",
                                  f"the user name is too long or not valid for the server: {username}", "username")
        return name

    def groups(self) -> list[str]:
        return [self.group(r) for r in ROLES]


# -- classification -------------------------------------------------------------------------------
@dataclass(frozen=True)
class TableRule:
    table: str
    kind: str  # record / history / plain / audit / schema
    #: history: how to find the record: ("module", "record_id") or ("fk", column, module)
    parent: tuple[str, ...] = ()


def module_of_table(name: str) -> str:
    return name.replace("case_record", "case")


def record_tables(metadata: MetaData) -> dict[str, str]:
    """Record tables → their module code (the same codes as history rows and the audit trail)."""
    out = {}
    for t in metadata.sorted_tables:
        cols = set(t.c.keys())
        if {"team_id", "officer_id", "version", "level"} <= cols:
            out[t.name] = module_of_table(t.name)
    return out


def classify(metadata: MetaData) -> list[TableRule]:
    """One rule per mapped table; a table that fits no rule raises (so a new table gets one)."""
    records = record_tables(metadata)
    rules = []
    for t in metadata.sorted_tables:
        cols = set(t.c.keys())
        if t.name in records:
            rules.append(TableRule(t.name, "record"))
        elif t.name == "audit_log":
            rules.append(TableRule(t.name, "audit"))
        elif t.name in TABLE_WRITES:
            rules.append(TableRule(t.name, "plain"))
        elif {"module", "record_id"} <= cols:
            rules.append(TableRule(t.name, "history", ("module", "record_id")))
        else:
            fk = next(((fk.parent.name, fk.column.table.name) for fk in sorted(
                t.foreign_keys, key=lambda f: f.parent.name) if fk.column.table.name in records), None)
            if fk is None:
                raise ValidationError(f"数据表 {t.name} 没有服务器权限规则",
                                      f"table {t.name} has no server rights rule (app/server/grants.py)", t.name)
            rules.append(TableRule(t.name, "history", ("fk", fk[0], records[fk[1]])))
    return rules


# -- the SQL --------------------------------------------------------------------------------------
def _functions(names: RoleNames, records: dict[str, str]) -> list[str]:
    cases = "\n".join(f"      WHEN {literal(action)} THEN {_array(roles)}" for action, roles in sorted(POLICY.items()))
    parents = "\n".join(
        f"      WHEN {literal(module)} THEN (SELECT station_may_change(action, r.team_id, r.officer_id) "
        f"FROM {ident(table)} r WHERE r.id = record)" for table, module in sorted(records.items()))
    settings = "\n".join(f"      WHEN key LIKE {literal(prefix + '%')} THEN station_may({literal(action)})"
                         for prefix, action in SETTING_WRITES)
    default = " OR ".join(f"station_may({literal(a)})" for a in SETTING_DEFAULT)
    login_prefix = literal(names.prefix + ".")
    return [
        # Who is logged in: the account whose log-in role this session authenticated as.
        f"""CREATE OR REPLACE FUNCTION station_me()
RETURNS TABLE(username text, role text, officer_id integer, team_id integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT a.username::text, a.role::text, a.officer_id, o.team_id
  FROM account a LEFT JOIN officer o ON o.id = a.officer_id
  WHERE a.active AND session_user = {login_prefix} || a.username
$$""",
        # The policy table, generated from app.domain.permissions.POLICY.
        f"""CREATE OR REPLACE FUNCTION station_may(action text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT coalesce((SELECT m.role FROM station_me() m) = ANY (CASE action
{cases}
      ELSE ARRAY[]::text[] END), false)
$$""",
        # permissions.authorize with a record: team leaders and officers only on their team's
        # records, an officer also on records they are responsible for.
        f"""CREATE OR REPLACE FUNCTION station_may_change(action text, team integer, officer integer)
RETURNS boolean LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT station_may(action) AND EXISTS (
    SELECT 1 FROM station_me() m
    WHERE m.role <> ALL ({_array(TEAM_SCOPED)})
       OR (m.officer_id IS NOT NULL AND m.officer_id = officer)
       OR (team IS NOT NULL AND team = m.team_id))
$$""",
        f"""CREATE OR REPLACE FUNCTION station_may_change_record(action text, module text, record integer)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(CASE module
{parents}
      ELSE false END, false)
$$""",
        f"""CREATE OR REPLACE FUNCTION station_may_set(key text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT CASE
{settings}
      ELSE {default} END
$$""",
        # The audit trail's head, for roles that may not read the trail but must continue it.
        """CREATE OR REPLACE FUNCTION station_audit_head() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT coalesce(max(seq), 0) FROM audit_log
$$""",
        # Every audit row: under the chain's lock, continuing the head, naming its writer.
        f"""CREATE OR REPLACE FUNCTION station_audit_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE head_seq integer; head_hash text; me_user text; me_role text;
BEGIN
  PERFORM pg_advisory_xact_lock({CHAIN_LOCK});
  SELECT seq, hash INTO head_seq, head_hash FROM audit_log ORDER BY seq DESC LIMIT 1;
  IF head_seq IS NULL THEN head_seq := 0; head_hash := repeat('0', 64); END IF;
  IF NEW.seq <> head_seq + 1 OR NEW.prev_hash <> head_hash THEN
    RAISE EXCEPTION 'audit row % does not continue the chain head %', NEW.seq, head_seq
      USING ERRCODE = 'check_violation';
  END IF;
  IF session_user LIKE {literal(names.prefix.replace('_', chr(92) + '_') + '.%')} THEN
    SELECT m.username, m.role INTO me_user, me_role FROM station_me() m;
    IF me_user IS NULL OR NEW.account <> me_user OR NEW.role <> me_role THEN
      RAISE EXCEPTION 'audit row % must name the account that writes it', NEW.seq
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;
  RETURN NEW;
END $$""",
        # A record or its history changed by an account: the same transaction must have continued
        # the audit trail (what the program's flush hook always does; psql does not). Checked at
        # COMMIT (a deferred constraint trigger). The newest row of the trail is this transaction's
        # own when its xmin is this transaction (or one of its savepoints): writers hold the
        # chain's lock until they commit, so no other row can come after it.
        """CREATE OR REPLACE FUNCTION station_audited() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE head xid; cur bigint; full_xid bigint;
BEGIN
  -- The database's owner (migrations, the move of a station file) and superusers are not accounts.
  IF session_user = current_user OR coalesce((SELECT r.rolsuper FROM pg_roles r
                                               WHERE r.rolname = session_user), false) THEN
    RETURN NULL;
  END IF;
  SELECT a.xmin INTO head FROM audit_log a ORDER BY a.seq DESC LIMIT 1;
  IF head IS NOT NULL THEN
    IF head = pg_current_xact_id()::xid THEN
      RETURN NULL;
    END IF;
    -- Written in a savepoint: a subtransaction's xid, still in progress (only this transaction's
    -- uncommitted rows are visible to it). xid -> xid8: the one within 2^31 of the current xid.
    cur := pg_current_xact_id()::text::bigint;
    full_xid := ((cur >> 32) << 32) + head::text::bigint;
    IF full_xid > cur + 2147483648 THEN full_xid := full_xid - 4294967296;
    ELSIF full_xid < cur - 2147483648 THEN full_xid := full_xid + 4294967296; END IF;
    IF full_xid > 0 AND pg_xact_status(full_xid::text::xid8) = 'in progress' THEN
      RETURN NULL;
    END IF;
  END IF;
  RAISE EXCEPTION '未写审计记录，不能修改 % / % changed without an entry in the audit trail', TG_ARGV[0],
    TG_ARGV[0] USING ERRCODE = 'insufficient_privilege',
    HINT = '记录只能通过程序修改 / records are changed through the program, which audits every change';
END $$""",
        # A change event per statement, with the ids it touched (see NOTIFY_CHANNEL).
        f"""CREATE OR REPLACE FUNCTION station_notify() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE ids integer[]; n integer;
BEGIN
  IF TG_ARGV[0] = 'id' THEN
    IF TG_OP = 'DELETE' THEN
      SELECT array_agg(id) INTO ids FROM (SELECT id FROM old_rows LIMIT {MAX_NOTIFY_IDS + 1}) s;
    ELSE
      SELECT array_agg(id) INTO ids FROM (SELECT id FROM new_rows LIMIT {MAX_NOTIFY_IDS + 1}) s;
    END IF;
    n := coalesce(array_length(ids, 1), 0);
    IF n = 0 THEN RETURN NULL; END IF;
    IF n > {MAX_NOTIFY_IDS} THEN ids := NULL; END IF;
  END IF;
  PERFORM pg_notify({literal(NOTIFY_CHANNEL)}, json_build_object('t', TG_TABLE_NAME, 'ids', ids)::text);
  RETURN NULL;
END $$""",
        # Accounts and log-in roles in step: the account table is the truth, written by the services.
        f"""CREATE OR REPLACE FUNCTION station_account_role() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE login text := {login_prefix} || NEW.username; g text;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.username <> NEW.username THEN
    RAISE EXCEPTION 'an account''s user name cannot change' USING ERRCODE = 'check_violation';
  END IF;
  IF octet_length(login) > {MAX_ROLE_BYTES} THEN
    RAISE EXCEPTION 'user name too long for the server: %', NEW.username USING ERRCODE = 'check_violation';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
    EXECUTE format('CREATE ROLE %I NOLOGIN INHERIT', login);
  END IF;
  FOREACH g IN ARRAY {_array(names.groups())} LOOP
    IF g = {literal(names.prefix + ':')} || NEW.role THEN
      EXECUTE format('GRANT %I TO %I', g, login);
    ELSIF pg_has_role(login, g, 'MEMBER') THEN
      EXECUTE format('REVOKE %I FROM %I', g, login);
    END IF;
  END LOOP;
  IF NEW.active THEN
    EXECUTE format('ALTER ROLE %I LOGIN', login);
  ELSE
    EXECUTE format('ALTER ROLE %I NOLOGIN', login);
  END IF;
  RETURN NEW;
END $$""",
        # A password is set as a SCRAM verifier made by the client (the clear password never
        # reaches the server or its log): by the administrator, or by the account itself.
        f"""CREATE OR REPLACE FUNCTION station_set_password(account_name text, verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE login text := {login_prefix} || account_name;
BEGIN
  -- The owner's own session (set-up, the move of a station file) sets the first password.
  IF NOT (session_user = current_user OR station_may('manage_accounts')
          OR (station_may('change_own_password') AND session_user = login)) THEN
    RAISE EXCEPTION 'permission denied to set the password of %', account_name
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
    RAISE EXCEPTION 'a password must be given as a SCRAM-SHA-256 verifier' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM account WHERE username = account_name) THEN
    RAISE EXCEPTION 'no such account: %', account_name USING ERRCODE = 'no_data_found';
  END IF;
  EXECUTE format('ALTER ROLE %I PASSWORD %L', login, verifier);
END $$""",
    ]


def _policies(rule: TableRule, records: dict[str, str], branch: bool = False) -> list[str]:
    t = ident(rule.table)
    # A branch office's packages bring every station's records, history and organisation. No
    # account writes them: the branch's import service does, as the database's owner, after it
    # has verified the package (BRANCH_SERVICE_ONLY, app.sync.service).
    readers = ("read_records",) if branch and rule.table == "sync_key" else TABLE_READS.get(rule.table, ("read_records",))
    read = " OR ".join(f"station_may({literal(a)})" for a in readers)
    out = [f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY"]

    def policy(name: str, command: str, using: str | None = None, check: str | None = None) -> None:
        sql = f"CREATE POLICY {ident(name)} ON {t} FOR {command} TO PUBLIC"
        if using is not None:
            sql += f" USING ({using})"
        if check is not None:
            sql += f" WITH CHECK ({check})"
        out.append(sql)

    # Each policy expression that does not depend on the row is a scalar subquery: PostgreSQL then
    # evaluates it once per statement (an InitPlan), not once per row (a table open of 561 cases: 204 -> 17 ms).
    if rule.table == "account":
        policy("station_read", "SELECT", "username = (SELECT m.username FROM station_me() m) "
                                         "OR (SELECT station_may('manage_accounts'))")
    elif rule.kind == "audit":
        policy("station_read", "SELECT", "(SELECT station_may('view_audit')) OR seq >= (SELECT station_audit_head())")
    else:
        policy("station_read", "SELECT", f"(SELECT {read})")

    if rule.kind == "record":
        if branch:  # records arrive only through the import service
            return out
        policy("station_insert", "INSERT", check="station_may_change('create_record', team_id, officer_id)")
        # A handover (an officer leaving, a team retired) moves records as manage_org.
        policy("station_update", "UPDATE", using="station_may_change('edit_record', team_id, officer_id) "
                                                  "OR station_may('manage_org')", check="true")
    elif rule.kind == "history":
        if branch:  # a record's history arrives with it
            return out
        if rule.parent[0] == "module":
            owner = "station_may_change_record('edit_record', module, record_id)"
        else:
            owner = f"station_may_change_record('edit_record', {literal(rule.parent[2])}, {ident(rule.parent[1])})"
        owner += " OR station_may('manage_org')"
        owner += "".join(f" OR station_may({literal(a)})" for a in HISTORY_WRITES.get(rule.table, ()))
        policy("station_insert", "INSERT", check=owner)
        policy("station_update", "UPDATE", using=owner, check=owner)
        if rule.table in DELETES:
            policy("station_delete", "DELETE", using=owner)
    elif rule.kind == "audit":
        policy("station_insert", "INSERT", check="station_may('read_records') OR station_may('manage_accounts')")
    elif rule.table == "setting":
        policy("station_insert", "INSERT", check="station_may_set(key)")
        policy("station_update", "UPDATE", using="station_may_set(key)", check="station_may_set(key)")
        policy("station_delete", "DELETE", using="station_may_set(key)")
    elif rule.table == "account":
        policy("station_insert", "INSERT", check="station_may('manage_accounts')")
        # Column grants limit what an owner may change on their own row (below).
        policy("station_update", "UPDATE", using="station_may('manage_accounts') OR "
                                                  "username = (SELECT m.username FROM station_me() m)",
               check="station_may('manage_accounts') OR username = (SELECT m.username FROM station_me() m)")
    else:
        writers = " OR ".join(f"station_may({literal(a)})" for a in _writers(rule, branch)) or "false"
        policy("station_insert", "INSERT", check=writers)
        policy("station_update", "UPDATE", using=writers, check=writers)
        if rule.table in DELETES:  # the daily summary drops cells that fall back to zero
            policy("station_delete", "DELETE", using=writers)
    return out


def _writers(rule: TableRule, branch: bool) -> tuple[str, ...]:
    """The actions that may write a plain table. At a branch, what the import writes only the
    import service writes (the database's owner): no account's action."""
    actions = TABLE_WRITES[rule.table]
    if branch:
        actions = () if rule.table in BRANCH_SERVICE_ONLY else tuple(a for a in actions if a != "import")
    return actions


def _grants(rule: TableRule, names: RoleNames, branch: bool = False) -> list[str]:
    t = ident(rule.table)
    everyone = ", ".join(ident(g) for g in names.groups())
    # From the groups too: what an older version granted (a branch's accounts wrote records) goes.
    out = [f"REVOKE ALL ON {t} FROM PUBLIC, {everyone}"]
    if branch and rule.table == "sync_key":
        columns = ", ".join(ident(c) for c in BRANCH_KEY_COLUMNS)
        return out + [f"GRANT SELECT ({columns}) ON {t} TO {everyone}"]
    out.append(f"GRANT SELECT ON {t} TO {everyone}")
    if branch and (rule.kind in ("record", "history")
                   or (rule.kind == "plain" and rule.table != "setting" and not _writers(rule, branch))):
        return out  # read-only to every account: the import service writes it
    if rule.kind == "audit":
        out.append(f"GRANT INSERT ON {t} TO {everyone}")
    elif rule.table == "account":
        out.append(f"GRANT INSERT, UPDATE ON {t} TO {ident(names.group('admin'))}")
        # An account changing its own password writes its hash (the program checks the old one
        # against it) beside the PostgreSQL verifier (station_set_password).
        out.append(f"GRANT UPDATE (last_login_at, must_change_password, password_hash) ON {t} TO {everyone}")
    else:
        extra = ", DELETE" if rule.table in DELETES else ""
        out.append(f"GRANT INSERT, UPDATE{extra} ON {t} TO {everyone}")
    return out


def _triggers(rule: TableRule, metadata: MetaData, branch: bool = False) -> list[str]:
    t = ident(rule.table)
    out = []
    if rule.kind in ("record", "history"):
        # No account writes a branch's records or their history (only its import service, the
        # owner): the audit check is a station server's.
        out.append(f"DROP TRIGGER IF EXISTS station_audited ON {t}")
        if not branch:
            out.append(f"CREATE CONSTRAINT TRIGGER station_audited AFTER INSERT OR UPDATE OR DELETE ON {t} "
                       f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION station_audited({literal(rule.table)})")
    if rule.kind == "audit":
        out += [f"DROP TRIGGER IF EXISTS station_audit_guard ON {t}",
                f"CREATE TRIGGER station_audit_guard BEFORE INSERT ON {t} FOR EACH ROW "
                f"EXECUTE FUNCTION station_audit_guard()"]
        return out
    if rule.table == "account":
        out += [f"DROP TRIGGER IF EXISTS station_account_role ON {t}",
                f"CREATE TRIGGER station_account_role AFTER INSERT OR UPDATE ON {t} FOR EACH ROW "
                f"EXECUTE FUNCTION station_account_role()"]
    has_id = "id" in metadata.tables[rule.table].c
    arg = "'id'" if has_id else "'-'"
    for op, rows in (("INSERT", "NEW TABLE AS new_rows"), ("UPDATE", "NEW TABLE AS new_rows"),
                     ("DELETE", "OLD TABLE AS old_rows")):
        name = f"station_notify_{op.lower()}"
        out += [f"DROP TRIGGER IF EXISTS {name} ON {t}",
                f"CREATE TRIGGER {name} AFTER {op} ON {t} REFERENCING {rows} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION station_notify({arg})"]
    return out


def server_sql(names: RoleNames, metadata: MetaData, database: str, branch: bool = False,
               import_requests: bool = True, rollups: bool = False) -> list[str]:
    """Every statement that puts the second wall on a migrated station database, in order.
    Idempotent: run again after a migration, it covers the new tables and re-makes the policies.
    `branch`: a branch office's database, whose records arrive by its import service only;
    `import_requests`: the database has the import requests' table (migration 0018);
    `rollups`: it has the summary's roll-ups over the stations (migration 0019)."""
    records = record_tables(metadata)
    rules = classify(metadata)
    out: list[str] = []
    for g in names.groups():
        out.append(f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {literal(g)}) THEN "
                   f"CREATE ROLE {ident(g)} NOLOGIN NOINHERIT; END IF; END $$")
    everyone = ", ".join(ident(g) for g in names.groups())
    out += [f"REVOKE ALL ON DATABASE {ident(database)} FROM PUBLIC",
            f"GRANT CONNECT, TEMPORARY ON DATABASE {ident(database)} TO {everyone}",
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
            f"GRANT USAGE ON SCHEMA public TO {everyone}"]
    out += _functions(names, records)
    out += ["REVOKE ALL ON FUNCTION station_set_password(text, text) FROM PUBLIC",
            f"GRANT EXECUTE ON FUNCTION station_set_password(text, text) TO {everyone}",
            "REVOKE ALL ON FUNCTION station_account_role() FROM PUBLIC",
            "REVOKE ALL ON FUNCTION station_audit_guard() FROM PUBLIC",
            "REVOKE ALL ON FUNCTION station_audited() FROM PUBLIC"]
    for rule in rules:
        out.append(f"DO $$ DECLARE p record; BEGIN FOR p IN SELECT policyname FROM pg_policies "
                   f"WHERE schemaname = 'public' AND tablename = {literal(rule.table)} LOOP "
                   f"EXECUTE format('DROP POLICY %I ON %I', p.policyname, {literal(rule.table)}); END LOOP; END $$")
        out += _grants(rule, names, branch)
        out += _policies(rule, records, branch)
        out += _triggers(rule, metadata, branch)
    for table in sorted(SCHEMA_TABLES):
        out += [f"REVOKE ALL ON {ident(table)} FROM PUBLIC", f"GRANT SELECT ON {ident(table)} TO {everyone}"]
    out.append(f"REVOKE UPDATE ON ALL SEQUENCES IN SCHEMA public FROM {everyone}")  # (a branch's, before)
    out.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {everyone}")
    if import_requests:
        out += _import_requests(names, branch)
    if rollups:
        out += _rollups(names)
    return out


def _rollups(names: RoleNames) -> list[str]:
    """The summary's roll-ups over the stations (app.store.rollups, not mapped tables): read by
    every account; written only by their triggers' functions, which run as the owner."""
    from app.store.rollups import TABLES

    everyone = ", ".join(ident(g) for g in names.groups())
    out = []
    for table in TABLES:
        t = ident(table)
        out += [f"REVOKE ALL ON {t} FROM PUBLIC, {everyone}", f"GRANT SELECT ON {t} TO {everyone}"]
    return out


def _import_requests(names: RoleNames, branch: bool) -> list[str]:
    """A branch's accounts hand packages to its import service through IMPORT_REQUESTS; on a
    station server the table is its owner's only."""
    t = ident(IMPORT_REQUESTS)
    everyone = ", ".join(ident(g) for g in names.groups())
    mine = "account = (SELECT m.username FROM station_me() m)"
    out = [f"REVOKE ALL ON {t} FROM PUBLIC, {everyone}", f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY",
           f"DO $$ DECLARE p record; BEGIN FOR p IN SELECT policyname FROM pg_policies "
           f"WHERE schemaname = 'public' AND tablename = {literal(IMPORT_REQUESTS)} LOOP "
           f"EXECUTE format('DROP POLICY %I ON %I', p.policyname, {literal(IMPORT_REQUESTS)}); END LOOP; END $$"]
    if branch:
        out += [f"GRANT SELECT, INSERT, DELETE ON {t} TO {everyone}",
                f"CREATE POLICY station_read ON {t} FOR SELECT TO PUBLIC USING ({mine})",
                # A new request is the account's own, pending, unanswered: only the service answers.
                f"CREATE POLICY station_insert ON {t} FOR INSERT TO PUBLIC WITH CHECK ({mine} AND "
                f"station_may('import') AND status = 'pending' AND result IS NULL AND done_at IS NULL)",
                f"CREATE POLICY station_delete ON {t} FOR DELETE TO PUBLIC USING ({mine} AND status <> 'working')"]
    return out


# -- applying it ----------------------------------------------------------------------------------
#: The setting that names a server's role prefix (clients are told it at set-up): a database with
#: it is a station or branch server, whose rights every migration applies again.
PREFIX_SETTING = "server.role_prefix"


def holds(conn: Connection, table: str) -> bool:
    """Whether the database behind `conn` has `table` (PostgreSQL)."""
    return bool(conn.exec_driver_sql(f"SELECT to_regclass('public.{table}') IS NOT NULL").scalar())


def server_prefix_on(conn: Connection) -> str | None:
    """The role prefix of the station or branch server behind `conn`; None for a database
    without accounts as roles (a plain PostgreSQL branch made before they existed)."""
    if not holds(conn, "setting"):
        return None
    value: Any = conn.execute(text("SELECT value FROM setting WHERE key = :k"), {"k": PREFIX_SETTING}).scalar()
    return None if value is None else str(value)


def apply_rights_on(conn: Connection, names: RoleNames) -> None:
    """The second wall's SQL on `conn`, inside its transaction (a branch office's database gets
    the branch's rules: its records arrive by its import service only)."""
    import models  # noqa: F401 - every table mapped
    from models.base import Base

    database = str(conn.exec_driver_sql("SELECT current_database()").scalar())
    branch = holds(conn, "sync_key") and conn.exec_driver_sql(
        "SELECT 1 FROM sync_key WHERE kind = 'branch_box'").first() is not None
    requests = holds(conn, IMPORT_REQUESTS)
    from app.store.rollups import COUNTS

    rollups = holds(conn, COUNTS)
    # The driver's own cursor, without parameters: the SQL holds LIKE patterns with '%'.
    cur = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    for stmt in server_sql(names, Base.metadata, database, branch=branch, import_requests=requests,
                           rollups=rollups):
        cur.execute(stmt)


def reapply_after_migration(conn: Connection) -> None:
    """Run by the PostgreSQL store in every migration's own transaction: on a server (a database
    with a role prefix) the second wall is applied again, so a table a migration adds is covered
    before anyone can use it."""
    prefix = server_prefix_on(conn)
    if prefix:
        apply_rights_on(conn, RoleNames(prefix))
