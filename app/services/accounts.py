"""Accounts, log-in and the database key.

A protected station database is encrypted with SQLCipher under a random 256-bit key. The key is
never written in clear: for every account it is wrapped (AES-256-GCM) under a key derived from
that account's password with Argon2id, in a key file beside the database (`station.db.keys`).
Logging in unwraps the key, opens the database and checks the account there (active, role,
Argon2id password hash). A wrong password cannot unwrap the key, so the database file is never
touched. Failed attempts are counted in the key file and lock the account for a while.
"""
from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import func, select

from app.db import Database, sniff_file
from app.fileio import replace_atomically
from app.keyfile import is_demo_file, is_protected, key_file_for  # noqa: F401 - re-exported
from app.domain.permissions import ROLE_LABELS, ROLES, authorize
from app.domain.rules import Actor, require_text
from app.errors import DatabaseError, PermissionDenied, RuleViolation, StationError, ValidationError
from app.services import audit
from models import Account, Officer

#: RFC 9106 "second recommended" (low-memory) profile: t=3, m=64 MiB, p=4.
KDF_TIME, KDF_MEMORY_KIB, KDF_PARALLELISM = 3, 64 * 1024, 4
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 8
_hasher = PasswordHasher(time_cost=KDF_TIME, memory_cost=KDF_MEMORY_KIB, parallelism=KDF_PARALLELISM)


class LoginFailed(StationError):
    code = "login"




# -- the key file ---------------------------------------------------------------------------
def _read_keys(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"format": 1, "accounts": {}, "failures": {}}
    except (OSError, ValueError) as exc:
        raise DatabaseError(f"密钥文件损坏：{path}", f"the key file is damaged: {path} ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != 1 or not isinstance(data.get("accounts"), dict) \
            or not all(isinstance(e, dict) and {"salt", "t", "m", "p", "wrapped"} <= e.keys()
                       for e in data["accounts"].values()) \
            or not isinstance(data.setdefault("failures", {}), dict):
        raise DatabaseError(f"密钥文件格式不支持或已损坏：{path}", f"unsupported or damaged key file: {path}")
    return data


def _write_keys(path: Path, data: dict) -> None:
    """Temp file + fsync + rename: a crash leaves the old key file or the new one, never half."""
    replace_atomically(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"),
                       tmp=path.with_name(path.name + ".tmp"))


def _kek(password: str, salt: bytes, t: int, m: int, p: int) -> bytes:
    return hash_secret_raw(password.encode("utf-8"), salt, time_cost=t, memory_cost=m, parallelism=p,
                           hash_len=32, type=Type.ID)


def _wrap(db_key: str, password: str) -> dict:
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    ct = AESGCM(_kek(password, salt, KDF_TIME, KDF_MEMORY_KIB, KDF_PARALLELISM)).encrypt(
        nonce, bytes.fromhex(db_key), b"station-db-key")
    return {"salt": base64.b64encode(salt).decode(), "t": KDF_TIME, "m": KDF_MEMORY_KIB, "p": KDF_PARALLELISM,
            "wrapped": base64.b64encode(nonce + ct).decode()}


def _unwrap(entry: dict, password: str) -> str | None:
    try:
        blob = base64.b64decode(entry["wrapped"], validate=True)
        salt = base64.b64decode(entry["salt"], validate=True)
        t, m, p = int(entry["t"]), int(entry["m"]), int(entry["p"])
    except (ValueError, TypeError) as exc:
        raise DatabaseError("密钥文件已损坏", f"the key file is damaged ({exc})") from exc
    if not (1 <= t <= 20 and 8 * p <= m <= 4 * 1024 * 1024 and 1 <= p <= 64 and len(salt) >= 8 and len(blob) > 12):
        raise DatabaseError("密钥文件已损坏", "the key file is damaged (parameters out of range)")
    try:
        key = AESGCM(_kek(password, salt, t, m, p)).decrypt(blob[:12], blob[12:], b"station-db-key")
    except InvalidTag:
        return None
    return key.hex()


def _check_password_strength(password: str) -> str:
    if password is None or len(password) < MIN_PASSWORD:
        raise ValidationError(f"密码至少{MIN_PASSWORD}位", f"the password needs at least {MIN_PASSWORD} characters",
                              "password")
    return password


# -- creating -------------------------------------------------------------------------------
def create_protected_database(path: str | Path, admin_password: str, admin_username: str = "admin") -> Database:
    """A new encrypted database whose first account is the administrator."""
    target = Path(path)
    if sniff_file(target) not in ("missing", "empty") or key_file_for(target).exists():
        raise ValidationError(f"文件已存在：{target}", f"the file already exists: {target}", "db")
    _check_password_strength(admin_password)
    db_key = secrets.token_hex(32)
    db = Database(target, key=db_key, create=True)
    try:
        system = Actor(None, "system", "admin", account="system")
        with db.write(system, "init") as session:
            _add_account_row(session, admin_username, admin_password, "admin", None, "系统管理员")
            keys = {"format": 1, "accounts": {admin_username: _wrap(db_key, admin_password)}, "failures": {}}
            _write_keys(key_file_for(target), keys)
    except BaseException:
        db.close()
        raise
    return db


def _add_account_row(session, username: str, password: str, role: str, officer_id: int | None,
                     display_name: str) -> Account:
    name = require_text(username, "用户名", "the user name", "username")
    if role not in ROLES:
        raise ValidationError(f"角色无效：{role}", f"unknown role: {role}", "role")
    if session.scalar(select(Account.id).where(Account.username == name)):
        raise ValidationError(f"用户名已存在：{name}", f"the user name is taken: {name}", "username")
    if officer_id is not None and session.get(Officer, officer_id) is None:
        raise ValidationError(f"民警不存在：{officer_id}", f"no such officer: {officer_id}", "officer_id")
    acc = Account(username=name, role=role, officer_id=officer_id, display_name=display_name or name,
                  password_hash=_hasher.hash(_check_password_strength(password)),
                  created_at=datetime.now().replace(microsecond=0))
    session.add(acc)
    session.flush()
    return acc


def add_account(db: Database, actor: Actor, username: str, password: str, role: str,
                officer_id: int | None = None, display_name: str = "", must_change: bool = False) -> int:
    """Create an account (administrator only); on a protected database its log-in unwraps the key.
    `must_change`: the password is a one-time one, to be changed by its owner at first log-in."""
    authorize(actor, "manage_accounts")
    with db.write(actor, "add_account") as session:
        acc = _add_account_row(session, username, password, role, officer_id, display_name)
        acc.must_change_password = must_change
        if db.key is not None:
            kf = key_file_for(db.path)
            keys = _read_keys(kf)
            keys["accounts"][acc.username] = _wrap(db.key, password)
            _write_keys(kf, keys)
        return acc.id


def add_accounts_bulk(db: Database, actor: Actor, rows: list[tuple[str, str, str, int | None, str]]) -> None:
    """Several accounts in one transaction and one key-file write (the demo station's)."""
    authorize(actor, "manage_accounts")
    with db.write(actor, "add_account") as session:
        kf = key_file_for(db.path)
        keys = _read_keys(kf)
        for username, password, role, officer_id, display in rows:
            acc = _add_account_row(session, username, password, role, officer_id, display)
            if db.key is not None:
                keys["accounts"][acc.username] = _wrap(db.key, password)
        if db.key is not None:
            _write_keys(kf, keys)


def change_password(db: Database, actor: Actor, username: str, old_password: str, new_password: str) -> None:
    """An account changes its own password (the key is re-wrapped; the database is not re-keyed)."""
    if actor.account != username and actor.role != "admin":
        raise PermissionDenied("只能修改自己的密码", "you may change only your own password", "username")
    authorize(actor, "change_own_password" if actor.account == username else "manage_accounts")
    _check_password_strength(new_password)
    if new_password == old_password and actor.account == username:
        raise ValidationError("新密码不能与原密码相同", "the new password must differ from the old one", "password")
    with db.write(actor, "change_password") as session:
        acc = session.scalar(select(Account).where(Account.username == username))
        if acc is None:
            raise ValidationError(f"用户不存在：{username}", f"no such user: {username}", "username")
        if actor.role != "admin" or actor.account == username:
            try:
                _hasher.verify(acc.password_hash, old_password)
            except (VerifyMismatchError, InvalidHashError):
                raise LoginFailed("原密码错误", "the old password is wrong", "password") from None
        acc.password_hash = _hasher.hash(new_password)
        # Set by the owner: no longer a one-time password; set by the administrator: it is one.
        acc.must_change_password = actor.account != username
        if db.key is not None:
            kf = key_file_for(db.path)
            keys = _read_keys(kf)
            keys["accounts"][username] = _wrap(db.key, new_password)
            _write_keys(kf, keys)


# -- administering accounts -------------------------------------------------------------------
#: No 0/O, 1/l/I: a one-time password is read off a paper slip.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
GENERATED_LENGTH = 10


def generate_password(length: int = GENERATED_LENGTH) -> str:
    """A random one-time password (about 57 bits at 10 characters) with a letter and a digit."""
    while True:
        value = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))
        if any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            return value


@dataclass(frozen=True)
class NewPassword:
    """An account and the one-time password to hand over (shown once, never stored in clear)."""

    username: str
    password: str
    generated: bool
    display_name: str = ""
    role: str = ""


@dataclass(frozen=True)
class AccountRow:
    username: str
    display_name: str
    role: str
    officer_id: int | None
    officer_name: str
    team_name: str
    active: bool
    last_login_at: datetime | None
    must_change_password: bool
    locked_until: str | None
    has_key: bool


def create_account(db: Database, actor: Actor, username: str, *, officer_id: int | None = None,
                   role: str | None = None, password: str | None = None) -> NewPassword:
    """One account per person: linked to an officer (the role is theirs), or an administrator or
    analyst without one. The password is typed or generated, and is a one-time one."""
    authorize(actor, "manage_accounts")
    with db.read() as session:
        if officer_id is not None:
            officer = session.get(Officer, officer_id)
            if officer is None or not officer.active:
                raise ValidationError(f"民警不存在或已离岗：{officer_id}", f"no such active officer: {officer_id}",
                                      "officer_id")
            if role not in (None, officer.role):
                raise ValidationError(f"账户角色应与民警职责一致：{officer.role}",
                                      f"the account takes the officer's role: {officer.role}", "role")
            taken = session.scalar(select(Account.username).where(Account.officer_id == officer_id, Account.active))
            if taken:
                raise ValidationError(f"{officer.name}已有账户：{taken}", f"{officer.name} already has an account: "
                                      f"{taken}", "officer_id")
            role, display = officer.role, officer.name
        else:
            if role not in ("admin", "analyst"):
                raise ValidationError("未关联民警的账户只能是系统管理员或分局研判员（关联民警请指定民警）",
                                      "an account without an officer is an administrator or an analyst "
                                      "(link police accounts to their officer)", "role")
            display = ROLE_LABELS[role][0]
    generated = not password
    value = password or generate_password()
    add_account(db, actor, username, value, role, officer_id, display, must_change=True)
    return NewPassword(username.strip(), value, generated, display, role)


def _account(session, username: str) -> Account:
    acc = session.scalar(select(Account).where(Account.username == (username or "").strip()))
    if acc is None:
        raise ValidationError(f"用户不存在：{username}", f"no such user: {username}", "username")
    return acc


def _drop_key_entries(db: Database, usernames: list[str]) -> None:
    if db.key is None or not usernames:
        return
    kf = key_file_for(db.path)
    keys = _read_keys(kf)
    for name in usernames:
        keys["accounts"].pop(name, None)
        keys["failures"].pop(name, None)
    _write_keys(kf, keys)


def disable_account(db: Database, actor: Actor, username: str) -> None:
    """Disable an account: it can no longer log in, and its wrapped database key is removed from
    the key file, so even its old password no longer opens the database."""
    authorize(actor, "manage_accounts")
    with db.write(actor, "disable_account") as session:
        acc = _account(session, username)
        if acc.username == actor.account:
            raise RuleViolation("不能停用自己的账户", "you cannot disable your own account", "username")
        if not acc.active:
            raise ValidationError(f"账户已停用：{acc.username}", f"the account is already disabled: {acc.username}",
                                  "username")
        if acc.role == "admin" and session.scalar(select(func.count()).select_from(Account).where(
                Account.role == "admin", Account.active)) <= 1:
            raise RuleViolation("不能停用最后一个系统管理员账户", "the last administrator account cannot be disabled",
                                "username")
        acc.active = False
        _drop_key_entries(db, [acc.username])


def disable_linked_accounts(db: Database, session, officer_id: int) -> list[str]:
    """Inside the caller's transaction (an officer retiring): disable their accounts and drop
    their key entries."""
    names = []
    for acc in session.scalars(select(Account).where(Account.officer_id == officer_id, Account.active)):
        acc.active = False
        names.append(acc.username)
    _drop_key_entries(db, names)
    return names


def enable_account(db: Database, actor: Actor, username: str, password: str | None = None) -> NewPassword:
    """Enable a disabled account: it needs a new one-time password (its key entry was removed)."""
    authorize(actor, "manage_accounts")
    value = password or generate_password()
    _check_password_strength(value)
    with db.write(actor, "enable_account") as session:
        acc = _account(session, username)
        if acc.active:
            raise ValidationError(f"账户未停用：{acc.username}", f"the account is not disabled: {acc.username}",
                                  "username")
        if acc.officer_id is not None and not session.get(Officer, acc.officer_id).active:
            raise RuleViolation("该民警已离岗，账户不能启用", "the officer has left; the account stays disabled",
                                "username")
        acc.active = True
        acc.must_change_password = True
        acc.password_hash = _hasher.hash(value)
        _set_key_entry(db, acc.username, value)
        return NewPassword(acc.username, value, not password, acc.display_name, acc.role)


def reset_password(db: Database, actor: Actor, username: str, password: str | None = None) -> NewPassword:
    """Give an account a new one-time password (typed or generated) and lift any lock."""
    authorize(actor, "manage_accounts")
    value = password or generate_password()
    _check_password_strength(value)
    with db.write(actor, "reset_password") as session:
        acc = _account(session, username)
        if not acc.active:
            raise RuleViolation(f"账户已停用：{acc.username}（请启用）", f"the account is disabled: {acc.username} "
                                "(enable it instead)", "username")
        acc.must_change_password = True
        acc.password_hash = _hasher.hash(value)
        _set_key_entry(db, acc.username, value)
        return NewPassword(acc.username, value, not password, acc.display_name, acc.role)


def _set_key_entry(db: Database, username: str, password: str) -> None:
    if db.key is None:
        return
    kf = key_file_for(db.path)
    keys = _read_keys(kf)
    keys["accounts"][username] = _wrap(db.key, password)
    keys["failures"].pop(username, None)
    _write_keys(kf, keys)


def unlock_account(db: Database, actor: Actor, username: str) -> bool:
    """Lift the lock-out after failed log-ins (and forget the failures). True if it was locked."""
    authorize(actor, "manage_accounts")
    with db.read() as session:
        name = _account(session, username).username
    was = False
    if db.key is not None:
        kf = key_file_for(db.path)
        keys = _read_keys(kf)
        fail = keys["failures"].pop(name, None)
        was = bool(isinstance(fail, dict) and fail.get("locked_until"))
        _write_keys(kf, keys)
    audit.record_event(db, actor, "unlock_account", "account", name, {"was_locked": was})
    return was


def account_rows(db: Database, now: datetime | None = None) -> list[AccountRow]:
    """Every account with its role, officer, team, last log-in, and whether it is locked or keyless."""
    from models import Team

    clock = now or datetime.now()
    keys = _read_keys(key_file_for(db.path)) if db.key is not None else None
    with db.read() as session:
        teams = dict(session.execute(select(Team.id, Team.name)).all())
        officers = {o.id: o for o in session.scalars(select(Officer))}
        out = []
        for a in session.scalars(select(Account).order_by(Account.id)):
            o = officers.get(a.officer_id)
            locked = None
            if keys is not None:
                fail = keys["failures"].get(a.username)
                until = fail.get("locked_until") if isinstance(fail, dict) else None
                if until and datetime.fromisoformat(until) > clock:
                    locked = until
            out.append(AccountRow(a.username, a.display_name, a.role, a.officer_id, o.name if o else "",
                                  teams.get(o.team_id, "") if o else "", a.active, a.last_login_at,
                                  a.must_change_password, locked,
                                  keys is None or a.username in keys["accounts"]))
        return out


# -- logging in -----------------------------------------------------------------------------
@dataclass
class LoggedIn:
    db: Database
    actor: Actor
    #: A one-time password: the owner must choose their own before working.
    must_change_password: bool = False


def _generic_failure() -> LoginFailed:
    return LoginFailed("用户名或密码错误", "wrong user name or password", "password")


def login(path: str | Path, username: str, password: str, now: datetime | None = None) -> LoggedIn:
    """Open a database as an account. Protected databases: unwrap the key with the password;
    plain ones: check the password hash. Lock-out after repeated failures."""
    target = Path(path)
    clock = now or datetime.now()
    kf = key_file_for(target)
    protected = kf.exists()
    keys = _read_keys(kf) if protected else None
    if protected:
        fail = keys["failures"].get(username, {})
        until = fail.get("locked_until") if isinstance(fail, dict) else None
        if until and datetime.fromisoformat(until) > clock:
            raise LoginFailed(f"失败次数过多，账户已锁定至{until[11:16]}",
                              f"too many failures; the account is locked until {until}", "username")
        entry = keys["accounts"].get(username)
        db_key = _unwrap(entry, password or "") if entry else None
        if db_key is None:
            _count_failure(kf, username, clock)
            raise _generic_failure()
        db = Database(target, key=db_key)
    else:
        db = Database(target)
    try:
        with db.write(None, "login") as session:
            acc = session.scalar(select(Account).where(Account.username == username))
            ok = acc is not None and acc.active
            if ok:
                try:
                    _hasher.verify(acc.password_hash, password or "")
                except (VerifyMismatchError, InvalidHashError):
                    ok = False
            if not ok:
                raise _generic_failure()
            officer = session.get(Officer, acc.officer_id) if acc.officer_id else None
            actor = Actor(acc.officer_id, acc.display_name or acc.username, acc.role,
                          officer.station_id if officer else None, officer.team_id if officer else None,
                          account=acc.username)
            session.info["actor"] = actor  # before any change, so the audit rows name the account
            if _hasher.check_needs_rehash(acc.password_hash):
                acc.password_hash = _hasher.hash(password)
            acc.last_login_at = clock.replace(microsecond=0)
            must_change = bool(acc.must_change_password)
            audit.append_event(session, actor, "login")
    except LoginFailed:
        db.close()
        if protected:
            _count_failure(kf, username, clock)
        raise
    except BaseException:
        db.close()
        raise
    if protected and keys["failures"].pop(username, None) is not None:
        _write_keys(kf, keys)
    return LoggedIn(db, actor, must_change)


def _count_failure(kf: Path, username: str, clock: datetime) -> None:
    keys = _read_keys(kf)
    fail = keys["failures"].setdefault(username, {"count": 0})
    fail["count"] = fail.get("count", 0) + 1
    if fail["count"] >= MAX_FAILURES:
        fail["locked_until"] = (clock + LOCKOUT).isoformat(timespec="seconds")
        fail["count"] = 0
    _write_keys(kf, keys)


def list_accounts(db: Database) -> list[tuple[str, str, str, bool]]:
    with db.read() as session:
        return [(a.username, a.display_name, a.role, a.active)
                for a in session.scalars(select(Account).order_by(Account.id))]


def verify_password(db: Database, actor: Actor, password: str) -> None:
    """Re-check the logged-in account's password (unlocking after the idle lock). Both the
    success and the failure are written to the audit trail."""
    with db.read() as session:
        row = session.execute(select(Account.password_hash, Account.active)
                              .where(Account.username == actor.account)).first()
    ok = row is not None and row.active
    if ok:
        try:
            _hasher.verify(row.password_hash, password or "")
        except (VerifyMismatchError, InvalidHashError):
            ok = False
    audit.record_event(db, actor, "unlock" if ok else "unlock_failed")
    if not ok:
        raise _generic_failure()


def mark_demo(db_path: str | Path) -> None:
    """Say in the key file that this is the demo station, so the log-in can show its accounts."""
    kf = key_file_for(db_path)
    keys = _read_keys(kf)
    keys["demo"] = True
    _write_keys(kf, keys)
