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
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import select

from app.db import Database, sniff_file
from app.fileio import replace_atomically
from app import bounded_json
from app.keyfile import KEY_FILE_JSON, is_demo_file, is_protected, key_file_for  # noqa: F401 - re-exported
from app.domain.permissions import ROLES, authorize
from app.domain.rules import Actor, require_text
from app.errors import DatabaseError, PermissionDenied, StationError, ValidationError
from app.services import audit
from models import Account, Officer

#: RFC 9106 "second recommended" (low-memory) profile: t=3, m=64 MiB, p=4.
KDF_TIME, KDF_MEMORY_KIB, KDF_PARALLELISM = 3, 64 * 1024, 4
#: Fixed bounds on the Argon2id parameters a key file may ask for (t, m KiB, p): a key file
#: raised to m = 4 GiB made every log-in attempt take 51 s and 4 GB. The upper bounds cost
#: about 4x the default profile; the lower ones are what Argon2 itself needs.
KDF_MIN = (1, 8, 1)
KDF_MAX = (8, 256 * 1024, 8)
MAX_FAILURES = 5
log = logging.getLogger(__name__)
#: Failed attempts are also counted in this process, per database and account: on read-only
#: media the key file cannot record them, and the idle unlock is counted here too.
_failures_here: dict[tuple[str, str], dict] = {}
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 8
_hasher = PasswordHasher(time_cost=KDF_TIME, memory_cost=KDF_MEMORY_KIB, parallelism=KDF_PARALLELISM)


class LoginFailed(StationError):
    code = "login"




# -- the key file ---------------------------------------------------------------------------
def _read_keys(path: Path) -> dict:
    try:
        data = bounded_json.loads(path.read_bytes(), KEY_FILE_JSON)
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
    if not (KDF_MIN[0] <= t <= KDF_MAX[0] and max(KDF_MIN[1], 8 * p) <= m <= KDF_MAX[1]
            and KDF_MIN[2] <= p <= KDF_MAX[2] and 8 <= len(salt) <= 64 and 12 < len(blob) <= 128):
        raise DatabaseError("密钥文件已损坏（密钥派生参数超出允许范围）",
                            f"the key file is damaged (key derivation parameters t={t}, m={m} KiB, p={p} are "
                            f"outside t<={KDF_MAX[0]}, m<={KDF_MAX[1]} KiB, p<={KDF_MAX[2]})")
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
                officer_id: int | None = None, display_name: str = "") -> int:
    """Create an account (administrator only); on a protected database its log-in unwraps the key."""
    authorize(actor, "manage_accounts")
    with db.write(actor, "add_account") as session:
        acc = _add_account_row(session, username, password, role, officer_id, display_name)
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
    _check_password_strength(new_password)
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
        if db.key is not None:
            kf = key_file_for(db.path)
            keys = _read_keys(kf)
            keys["accounts"][username] = _wrap(db.key, new_password)
            _write_keys(kf, keys)


# -- logging in -----------------------------------------------------------------------------
@dataclass
class LoggedIn:
    db: Database
    actor: Actor


def _generic_failure() -> LoginFailed:
    return LoginFailed("用户名或密码错误", "wrong user name or password", "password")


def login(path: str | Path, username: str, password: str, now: datetime | None = None,
          action: str | None = None) -> LoggedIn:
    """Open a database as an account. Protected databases: unwrap the key with the password;
    plain ones: check the password hash. Lock-out after repeated failures. With `action` (a
    POLICY action: what the command-line command will do), an account whose role may not do it
    is refused before the log-in writes anything: the database is left as it was."""
    target = Path(path)
    clock = now or datetime.now()
    kf = key_file_for(target)
    protected = kf.exists()
    keys = _read_keys(kf) if protected else None
    _refuse_if_locked(kf, keys, username, clock)
    if protected:
        entry = keys["accounts"].get(username)
        db_key = _unwrap(entry, password or "") if entry else None
        if db_key is None:
            _count_failure(kf, username, clock)
            raise _generic_failure()
        db = Database(target, key=db_key)
    else:
        db = Database(target)
    if db.read_only:  # read-only media: the log-in can write nothing, not even its audit row
        return _login_read_only(db, kf, username, password, clock, action)
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
            if action is not None:
                authorize(actor, action)  # raises: the transaction rolls back, nothing is written
            session.info["actor"] = actor  # before any change, so the audit rows name the account
            if _hasher.check_needs_rehash(acc.password_hash):
                acc.password_hash = _hasher.hash(password)
            acc.last_login_at = clock.replace(microsecond=0)
            audit.append_event(session, actor, "login")
    except LoginFailed:
        db.close()
        _count_failure(kf, username, clock)
        raise
    except BaseException:
        db.close()
        raise
    _clear_failures(kf, keys, username)
    return LoggedIn(db, actor)


def _login_read_only(db: Database, kf: Path, username: str, password: str, clock: datetime,
                     action: str | None) -> LoggedIn:
    """Check the account in a read transaction; nothing is written (documented in security.md)."""
    try:
        with db.read() as session:
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
            if action is not None:
                authorize(actor, action)
    except LoginFailed:
        db.close()
        _count_failure(kf, username, clock)
        raise
    except BaseException:
        db.close()
        raise
    _failures_here.pop(_here(kf, username), None)
    return LoggedIn(db, actor)


def _here(kf: Path, username: str) -> tuple[str, str]:
    return str(Path(kf).resolve()), username


def _refuse_if_locked(kf: Path, keys: dict | None, username: str, clock: datetime) -> None:
    """LoginFailed while the account is locked, by the key file's count or this process's."""
    untils = [_failures_here.get(_here(kf, username), {}).get("locked_until")]
    fail = keys["failures"].get(username, {}) if keys else {}
    if isinstance(fail, dict) and isinstance(fail.get("locked_until"), str):
        try:
            untils.append(datetime.fromisoformat(fail["locked_until"]))
        except ValueError:
            raise DatabaseError("密钥文件已损坏", "the key file is damaged (locked_until)") from None
    until = max((u for u in untils if u is not None and u > clock), default=None)
    if until is not None:
        text = until.isoformat(sep=" ", timespec="seconds")
        raise LoginFailed(f"失败次数过多，账户已锁定至{text[11:16]}",
                          f"too many failures; the account is locked until {text}", "username")


def _count_failure(kf: Path, username: str, clock: datetime) -> None:
    """One failed attempt: counted in this process always, and in the key file when there is one
    and it can be written (read-only media: the process's count still locks the account)."""
    mem = _failures_here.setdefault(_here(kf, username), {"count": 0, "locked_until": None})
    mem["count"] += 1
    if mem["count"] >= MAX_FAILURES:
        mem["locked_until"], mem["count"] = clock + LOCKOUT, 0
    if not kf.exists():
        return
    keys = _read_keys(kf)
    fail = keys["failures"].setdefault(username, {"count": 0})
    count = fail.get("count", 0)
    fail["count"] = (count if isinstance(count, int) and 0 <= count < MAX_FAILURES else 0) + 1
    if fail["count"] >= MAX_FAILURES:
        fail["locked_until"] = (clock + LOCKOUT).isoformat(timespec="seconds")
        fail["count"] = 0
    try:
        _write_keys(kf, keys)
    except OSError as exc:
        log.warning("failed log-in of %s counted in memory only: the key file cannot be written (%s)",
                    username, exc)


def _clear_failures(kf: Path, keys: dict | None, username: str) -> None:
    _failures_here.pop(_here(kf, username), None)
    if keys is not None and keys["failures"].pop(username, None) is not None:
        try:
            _write_keys(kf, keys)
        except OSError as exc:
            log.warning("the key file cannot be written (%s); its failure count stays", exc)


def list_accounts(db: Database) -> list[tuple[str, str, str, bool]]:
    with db.read() as session:
        return [(a.username, a.display_name, a.role, a.active)
                for a in session.scalars(select(Account).order_by(Account.id))]


def verify_password(db: Database, actor: Actor, password: str, now: datetime | None = None) -> None:
    """Re-check the logged-in account's password (unlocking after the idle lock). Both the
    success and the failure are written to the audit trail; failures count towards the same
    lock-out as the log-in (a locked account is refused even with the right password)."""
    clock = now or datetime.now()
    kf = key_file_for(db.path)
    _refuse_if_locked(kf, _read_keys(kf) if kf.exists() else None, actor.account, clock)
    with db.read() as session:
        row = session.execute(select(Account.password_hash, Account.active)
                              .where(Account.username == actor.account)).first()
    ok = row is not None and row.active
    if ok:
        try:
            _hasher.verify(row.password_hash, password or "")
        except (VerifyMismatchError, InvalidHashError):
            ok = False
    if not db.read_only:
        audit.record_event(db, actor, "unlock" if ok else "unlock_failed")
    if not ok:
        _count_failure(kf, actor.account, clock)
        raise _generic_failure()
    _failures_here.pop(_here(kf, actor.account), None)


def mark_demo(db_path: str | Path) -> None:
    """Say in the key file that this is the demo station, so the log-in can show its accounts."""
    kf = key_file_for(db_path)
    keys = _read_keys(kf)
    keys["demo"] = True
    _write_keys(kf, keys)
