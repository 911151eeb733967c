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
from typing import AbstractSet, Callable, ContextManager, NotRequired, TypedDict, TypeGuard

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import bounded_json
from app.domain.permissions import ROLE_LABELS, ROLES, authorize
from app.domain.rules import Actor, require_text
from app.errors import DatabaseError, PermissionDenied, RuleViolation, StationError, ValidationError
from app.services import audit
from app.store import SqliteStore, Store
from app.store.fileio import replace_atomically
from app.store.keyfile import KEY_FILE_JSON, is_demo_file, is_protected, key_file_for  # noqa: F401 - re-exported
from app.store.sqlite import sniff_file
from models import Account, Officer, Setting

#: RFC 9106 "second recommended" (low-memory) profile: t=3, m=64 MiB, p=4.
KDF_TIME, KDF_MEMORY_KIB, KDF_PARALLELISM = 3, 64 * 1024, 4
#: Fixed bounds on the Argon2id parameters a key file may ask for (t, m KiB, p): a key file
#: raised to m = 4 GiB made every log-in attempt take 51 s and 4 GB. The upper bounds cost
#: about 4x the default profile; the lower ones are what Argon2 itself needs.
KDF_MIN = (1, 8, 1)
KDF_MAX = (8, 256 * 1024, 8)
MAX_FAILURES = 5
log = logging.getLogger(__name__)


class _CountedHere(TypedDict):
    count: int
    locked_until: datetime | None


#: Failed attempts are also counted in this process, per database and account: on read-only
#: media the key file cannot record them, and the idle unlock is counted here too.
_failures_here: dict[tuple[str, str], _CountedHere] = {}
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 8
_hasher = PasswordHasher(time_cost=KDF_TIME, memory_cost=KDF_MEMORY_KIB, parallelism=KDF_PARALLELISM)


class LoginFailed(StationError):
    code = "login"


# -- the key file ---------------------------------------------------------------------------
# The key file's JSON. It comes from disk, so its values are checked where they are used (an
# entry's fields in _open_entry, a failure's in _refuse_if_locked and _count_failure).
class KeyEntry(TypedDict):
    """An account's entry: the database key wrapped under its password's key (AES-256-GCM), the
    Argon2id salt and parameters, and for the sealing roles the roles key wrapped the same way."""

    salt: str
    t: int
    m: int
    p: int
    wrapped: str
    roles_key: NotRequired[str]


class Failure(TypedDict, total=False):
    """An account's failed log-ins since its last success, and its lock-out (ISO time)."""

    count: int
    locked_until: str


class RolesSeal(TypedDict):
    """The roles seal: the roles public key and its signature of the accounts (base64)."""

    public: str
    signature: str


class KeyFile(TypedDict):
    format: int
    accounts: dict[str, KeyEntry]
    failures: dict[str, Failure]
    roles: NotRequired[RolesSeal]
    #: The demo station (its accounts are shown at log-in).
    demo: NotRequired[bool]


_ENTRY_FIELDS: AbstractSet[str] = frozenset({"salt", "t", "m", "p", "wrapped"})


def _is_key_file(data: object) -> TypeGuard[KeyFile]:
    return isinstance(data, dict) and data.get("format") == 1 and isinstance(data.get("accounts"), dict) \
        and all(isinstance(e, dict) and _ENTRY_FIELDS <= e.keys() for e in data["accounts"].values()) \
        and isinstance(data.get("failures"), dict)


def _read_keys(path: Path) -> KeyFile:
    try:
        data = bounded_json.loads(path.read_bytes(), KEY_FILE_JSON)
    except FileNotFoundError:
        return {"format": 1, "accounts": {}, "failures": {}}
    except (OSError, ValueError) as exc:
        raise DatabaseError(f"密钥文件损坏：{path}", f"the key file is damaged: {path} ({exc})") from exc
    if isinstance(data, dict):
        data.setdefault("failures", {})
    if not _is_key_file(data):
        raise DatabaseError(f"密钥文件格式不支持或已损坏：{path}", f"unsupported or damaged key file: {path}")
    return data


def _key_file(db: Store) -> Path:
    """The key file of a protected database. Only a database file has a key (SQLCipher); a
    server database has neither, and callers ask only when `db.key` is set."""
    if db.path is None:
        raise DatabaseError("服务器数据库没有密钥文件", f"a server database has no key file: {db.title}")
    return key_file_for(db.path)


def _write_keys(path: Path, data: KeyFile) -> None:
    """Temp file + fsync + rename: a crash leaves the old key file or the new one, never half."""
    replace_atomically(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"),
                       tmp=path.with_name(path.name + ".tmp"))


def _kek(password: str, salt: bytes, t: int, m: int, p: int) -> bytes:
    return hash_secret_raw(password.encode("utf-8"), salt, time_cost=t, memory_cost=m, parallelism=p,
                           hash_len=32, type=Type.ID)


def _wrap(db_key: str, password: str, roles_key: Ed25519PrivateKey | None = None) -> KeyEntry:
    """An account's entry: the database key, and for the sealing roles the roles key, each
    wrapped under the key derived from the password."""
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    kek = _kek(password, salt, KDF_TIME, KDF_MEMORY_KIB, KDF_PARALLELISM)
    ct = AESGCM(kek).encrypt(nonce, bytes.fromhex(db_key), b"station-db-key")
    entry: KeyEntry = {"salt": base64.b64encode(salt).decode(), "t": KDF_TIME, "m": KDF_MEMORY_KIB,
                       "p": KDF_PARALLELISM, "wrapped": base64.b64encode(nonce + ct).decode()}
    if roles_key is not None:
        entry["roles_key"] = _wrap_with(kek, roles_key)
    return entry


def _unwrap(entry: KeyEntry, password: str) -> str | None:
    opened = _open_entry(entry, password)
    return None if opened is None else opened[0]


def _open_entry(entry: KeyEntry, password: str) -> tuple[str, bytes] | None:
    """(database key, key-encryption key) of an entry, or None for a wrong password."""
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
    kek = _kek(password, salt, t, m, p)
    try:
        key = AESGCM(kek).decrypt(blob[:12], blob[12:], b"station-db-key")
    except InvalidTag:
        return None
    return key.hex(), kek


# -- the roles seal ---------------------------------------------------------------------------
#: Roles whose key-file entry holds the roles key: only their sessions can change accounts.
SEALING_ROLES = frozenset({"admin", "leader"})
ROLES_AAD = b"station-roles-key"
ROLES_CONTEXT = b"station-intel roles seal v1\n"
ROLES_PIN = "roles.public"


def _raw_public(private: Ed25519PrivateKey) -> bytes:
    return private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _raw_private(private: Ed25519PrivateKey) -> bytes:
    return private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                 serialization.NoEncryption())


def _roles_rows(session: Session) -> bytes:
    """The sealed content: every account's user name, role, officer and whether it is active."""
    rows = session.execute(select(Account.username, Account.role, Account.officer_id, Account.active)
                           .order_by(Account.username)).all()
    return json.dumps([[u, r, o, bool(a)] for u, r, o, a in rows], ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def _unwrap_roles_key(entry: KeyEntry, kek: bytes) -> Ed25519PrivateKey | None:
    try:
        blob = base64.b64decode(entry.get("roles_key", ""), validate=True)
        return Ed25519PrivateKey.from_private_bytes(AESGCM(kek).decrypt(blob[:12], blob[12:], ROLES_AAD))
    except (ValueError, TypeError, InvalidTag):
        return None


def seal_roles(db: Store, session: Session, keys: KeyFile) -> None:
    """Sign the accounts table with the roles key. THE helper every service that changes an
    account row must call; its contract:

    - call it inside the write transaction that changed any account's user name, role, officer
      or active flag, after the change (it flushes), and write `keys` to the key file after it
      (the caller owns the key-file write, so the file and the rows change together);
    - the database must have been opened by a log-in of a sealing role (administrator or station
      leader: `db.roles_key` holds the roles private key, unwrapped with their password) or made
      by create_protected_database; otherwise it raises PermissionDenied and the transaction
      rolls back, so an account row never changes without a valid seal;
    - it stores the signature and the public key in `keys["roles"]` and pins the public key in
      the database (setting `roles.public`); log-in and `check` verify both (verify_roles).

    Unprotected databases (no key, no key file) have no seal: nothing is done."""
    if db.key is None:
        return
    private = db.roles_key
    if private is None:
        raise PermissionDenied("只有系统管理员或所领导登录后才能修改账户", "only a session of an administrator or "
                               "station leader can change accounts (the roles seal)", "manage_accounts")
    session.flush()
    public = base64.b64encode(_raw_public(private)).decode()
    keys["roles"] = {"public": public,
                     "signature": base64.b64encode(private.sign(ROLES_CONTEXT + _roles_rows(session))).decode()}
    pin = session.get(Setting, ROLES_PIN)
    if pin is None:
        session.add(Setting(key=ROLES_PIN, value=public))
    elif pin.value != public:
        pin.value = public


def verify_roles(db: Store, keys: KeyFile | None = None) -> list[str]:
    """Why the accounts table does not match its seal (empty when it does, and for unprotected
    databases). `check` prints these; log-in refuses every role but the administrator on them."""
    if db.key is None:
        return []
    keys = keys if keys is not None else _read_keys(_key_file(db))
    with db.read() as session:
        return _seal_problems(session, keys)


def _check_password_strength(password: str) -> str:
    if password is None or len(password) < MIN_PASSWORD:
        raise ValidationError(f"密码至少{MIN_PASSWORD}位", f"the password needs at least {MIN_PASSWORD} characters",
                              "password")
    return password


# -- creating -------------------------------------------------------------------------------
def create_protected_database(path: str | Path, admin_password: str, admin_username: str = "admin") -> Store:
    """A new encrypted database whose first account is the administrator."""
    target = Path(path)
    if sniff_file(target) not in ("missing", "empty") or key_file_for(target).exists():
        raise ValidationError(f"文件已存在：{target}", f"the file already exists: {target}", "db")
    _check_password_strength(admin_password)
    db_key = secrets.token_hex(32)
    db = SqliteStore(target, key=db_key, create=True)
    try:
        system = Actor(None, "system", "admin", account="system")
        roles_key = db.roles_key = Ed25519PrivateKey.generate()  # the roles key is born with the database
        with db.write(system, "init") as session:
            _add_account_row(session, admin_username, admin_password, "admin", None, "系统管理员")
            keys: KeyFile = {"format": 1, "accounts": {admin_username: _wrap(db_key, admin_password, roles_key)},
                             "failures": {}}
            seal_roles(db, session, keys)
            _write_keys(key_file_for(target), keys)
    except BaseException:
        db.close()
        raise
    return db


def _add_account_row(session: Session, username: str, password: str, role: str, officer_id: int | None,
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


def add_account(db: Store, actor: Actor, username: str, password: str, role: str,
                officer_id: int | None = None, display_name: str = "", must_change: bool = False) -> int:
    """Create an account (administrator only); on a protected database its log-in unwraps the key.
    `must_change`: the password is a one-time one, to be changed by its owner at first log-in."""
    authorize(actor, "manage_accounts")
    with db.write(actor, "add_account") as session:
        acc = _add_account_row(session, username, password, role, officer_id, display_name)
        acc.must_change_password = must_change
        _server_password(db, session, acc.username, password)
        if db.key is not None:
            kf = _key_file(db)
            keys = _read_keys(kf)
            keys["accounts"][acc.username] = _wrap(db.key, password, _roles_key_for(db, role))
            seal_roles(db, session, keys)
            _write_keys(kf, keys)
        return acc.id


def _roles_key_for(db: Store, role: str) -> Ed25519PrivateKey | None:
    """The roles key to wrap for an account of `role` (sealing roles only)."""
    if role not in SEALING_ROLES:
        return None
    private = db.roles_key
    if private is None:
        raise PermissionDenied("只有系统管理员或所领导登录后才能设置该角色", "only a session of an administrator or "
                               "station leader can give this role (the roles seal)", "manage_accounts")
    return private


def add_accounts_bulk(db: Store, actor: Actor, rows: list[tuple[str, str, str, int | None, str]]) -> None:
    """Several accounts in one transaction and one key-file write (the demo station's)."""
    authorize(actor, "manage_accounts")
    with db.write(actor, "add_account") as session:
        kf = _key_file(db) if db.key is not None else None
        keys = _read_keys(kf) if kf is not None else None
        for username, password, role, officer_id, display in rows:
            acc = _add_account_row(session, username, password, role, officer_id, display)
            _server_password(db, session, acc.username, password)
            if db.key is not None and keys is not None:
                keys["accounts"][acc.username] = _wrap(db.key, password, _roles_key_for(db, role))
        if kf is not None and keys is not None:
            seal_roles(db, session, keys)
            _write_keys(kf, keys)


def change_password(db: Store, actor: Actor, username: str, old_password: str, new_password: str) -> None:
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
        _server_password(db, session, username, new_password)
        if db.key is not None:
            kf = _key_file(db)
            keys = _read_keys(kf)
            keys["accounts"][username] = _wrap(db.key, new_password, _roles_key_for(db, acc.role))
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


def create_account(db: Store, actor: Actor, username: str, *, officer_id: int | None = None,
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


def _account(session: Session, username: str) -> Account:
    acc = session.scalar(select(Account).where(Account.username == (username or "").strip()))
    if acc is None:
        raise ValidationError(f"用户不存在：{username}", f"no such user: {username}", "username")
    return acc


def _drop_key_entries(db: Store, session: Session, usernames: list[str]) -> None:
    """Inside the write that disabled `usernames`: remove their key entries and re-seal the roles."""
    if db.key is None or not usernames:
        return
    kf = _key_file(db)
    keys = _read_keys(kf)
    for name in usernames:
        keys["accounts"].pop(name, None)
        keys["failures"].pop(name, None)
    seal_roles(db, session, keys)
    _write_keys(kf, keys)


def disable_account(db: Store, actor: Actor, username: str) -> None:
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
        if acc.role == "admin" and session.execute(select(func.count()).select_from(Account).where(
                Account.role == "admin", Account.active)).scalar_one() <= 1:
            raise RuleViolation("不能停用最后一个系统管理员账户", "the last administrator account cannot be disabled",
                                "username")
        acc.active = False
        _drop_key_entries(db, session, [acc.username])


def disable_linked_accounts(db: Store, session: Session, officer_id: int) -> list[str]:
    """Inside the caller's transaction (an officer retiring): disable their accounts and drop
    their key entries."""
    names = []
    for acc in session.scalars(select(Account).where(Account.officer_id == officer_id, Account.active)):
        acc.active = False
        names.append(acc.username)
    _drop_key_entries(db, session, names)
    return names


def enable_account(db: Store, actor: Actor, username: str, password: str | None = None) -> NewPassword:
    """Enable a disabled account: it needs a new one-time password (its key entry was removed)."""
    authorize(actor, "manage_accounts")
    value = password or generate_password()
    _check_password_strength(value)
    with db.write(actor, "enable_account") as session:
        acc = _account(session, username)
        if acc.active:
            raise ValidationError(f"账户未停用：{acc.username}", f"the account is not disabled: {acc.username}",
                                  "username")
        officer = session.get(Officer, acc.officer_id) if acc.officer_id is not None else None
        if acc.officer_id is not None and (officer is None or not officer.active):
            raise RuleViolation("该民警已离岗，账户不能启用", "the officer has left; the account stays disabled",
                                "username")
        acc.active = True
        return _one_time_password(db, session, acc, value, generated=not password)


def reset_password(db: Store, actor: Actor, username: str, password: str | None = None) -> NewPassword:
    """Give an account a new one-time password (typed or generated) and lift any lock."""
    authorize(actor, "manage_accounts")
    value = password or generate_password()
    _check_password_strength(value)
    with db.write(actor, "reset_password") as session:
        acc = _account(session, username)
        if not acc.active:
            raise RuleViolation(f"账户已停用：{acc.username}（请启用）", f"the account is disabled: {acc.username} "
                                "(enable it instead)", "username")
        return _one_time_password(db, session, acc, value, generated=not password)


def _one_time_password(db: Store, session: Session, acc: Account, value: str, generated: bool) -> NewPassword:
    """Inside the caller's write: `value` becomes the account's one-time password (hash, key
    entry, roles re-sealed); the owner must change it at the next log-in."""
    acc.must_change_password = True
    acc.password_hash = _hasher.hash(value)
    _set_key_entry(db, session, acc, value)
    return NewPassword(acc.username, value, generated, acc.display_name, acc.role)


def _server_password(db: Store, session: Session, username: str, password: str) -> None:
    """On a station server, the account's PostgreSQL password follows (inside the same write)."""
    if db.password_hook is not None:
        db.password_hook(session, username, password)


def _set_key_entry(db: Store, session: Session, acc: Account, password: str) -> None:
    """Inside the write that (re)enabled or reset `acc`: a new key entry (with the roles key for
    the sealing roles) and the roles re-sealed, since the active flag may have changed."""
    _server_password(db, session, acc.username, password)
    if db.key is None:
        return
    kf = _key_file(db)
    keys = _read_keys(kf)
    keys["accounts"][acc.username] = _wrap(db.key, password, _roles_key_for(db, acc.role))
    keys["failures"].pop(acc.username, None)
    _failures_here.pop(_here(kf, acc.username), None)
    seal_roles(db, session, keys)
    _write_keys(kf, keys)


def unlock_account(db: Store, actor: Actor, username: str) -> bool:
    """Lift the lock-out after failed log-ins (and forget the failures). True if it was locked."""
    authorize(actor, "manage_accounts")
    with db.read() as session:
        name = _account(session, username).username
    was = False
    if db.key is not None:
        kf = _key_file(db)
        keys = _read_keys(kf)
        fail = keys["failures"].pop(name, None)
        was = bool(isinstance(fail, dict) and fail.get("locked_until"))
        _write_keys(kf, keys)
        # The lock-out is counted in memory too (for unwritable key files): lift that count as well.
        here = _failures_here.pop(_here(kf, name), None)
        was = (here is not None and here["locked_until"] is not None) or was
    audit.record_event(db, actor, "unlock_account", "account", name, {"was_locked": was})
    return was


def account_rows(db: Store, now: datetime | None = None) -> list[AccountRow]:
    """Every account with its role, officer, team, last log-in, and whether it is locked or keyless."""
    from models import Team

    clock = now or datetime.now()
    keys = _read_keys(_key_file(db)) if db.key is not None else None
    with db.read() as session:
        teams = dict(session.execute(select(Team.id, Team.name)).all())
        officers = {o.id: o for o in session.scalars(select(Officer))}
        out = []
        for a in session.scalars(select(Account).order_by(Account.id)):
            o = officers.get(a.officer_id) if a.officer_id is not None else None
            locked = None
            if keys is not None:
                fail = keys["failures"].get(a.username)
                until = fail.get("locked_until") if isinstance(fail, dict) else None
                if until and datetime.fromisoformat(until) > clock:
                    locked = until
            out.append(AccountRow(a.username, a.display_name, a.role, a.officer_id, o.name if o else "",
                                  teams.get(o.team_id, "") if o and o.team_id is not None else "", a.active, a.last_login_at,
                                  a.must_change_password, locked,
                                  keys is None or a.username in keys["accounts"]))
        return out


# -- logging in -----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Unlocked:
    """A protected database's key file, the account's entry in it, and the key-encryption key
    its password unwrapped the entry with."""

    keys: KeyFile
    entry: KeyEntry
    kek: bytes


@dataclass
class LoggedIn:
    db: Store
    actor: Actor
    #: A one-time password: the owner must choose their own before working.
    must_change_password: bool = False


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
    keys = _read_keys(kf) if kf.exists() else None
    _refuse_if_locked(kf, keys, username, clock)
    unlocked: _Unlocked | None = None
    if keys is not None:  # protected
        entry = keys["accounts"].get(username)
        opened = _open_entry(entry, password or "") if entry else None
        if entry is None or opened is None:
            _count_failure(kf, username, clock)
            raise _generic_failure()
        db = SqliteStore(target, key=opened[0])
        unlocked = _Unlocked(keys, entry, opened[1])
    else:
        db = SqliteStore(target)
    if db.read_only:  # read-only media: the log-in can write nothing, not even its audit row
        return _login_read_only(db, kf, unlocked, username, password, clock, action)
    try:
        with db.write(None, "login") as session:
            acc, actor = _checked_account(session, username, password, action)
            session.info["actor"] = actor  # before any change, so the audit rows name the account
            if unlocked is not None:
                _roles_at_login(db, session, unlocked, acc, kf, writable=True)
            if _hasher.check_needs_rehash(acc.password_hash):
                acc.password_hash = _hasher.hash(password)
            acc.last_login_at = clock.replace(microsecond=0)
            must_change = bool(acc.must_change_password)
            audit.append_event(session, actor, "login")
    except LoginFailed:
        db.close()
        _count_failure(kf, username, clock)
        raise
    except BaseException:
        db.close()
        raise
    _clear_failures(kf, keys, username)
    return LoggedIn(db, actor, must_change)


def _checked_account(session: Session, username: str, password: str, action: str | None) -> tuple[Account, Actor]:
    """The active account whose password this is, as an Actor; with `action`, refused unless its
    role may do it (raised inside the caller's transaction, so nothing is written)."""
    acc = session.scalar(select(Account).where(Account.username == username))
    if acc is None or not acc.active:
        raise _generic_failure()
    try:
        _hasher.verify(acc.password_hash, password or "")
    except (VerifyMismatchError, InvalidHashError):
        raise _generic_failure() from None
    officer = session.get(Officer, acc.officer_id) if acc.officer_id else None
    actor = Actor(acc.officer_id, acc.display_name or acc.username, acc.role,
                  officer.station_id if officer else None, officer.team_id if officer else None,
                  account=acc.username)
    if action is not None:
        authorize(actor, action)
    return acc, actor


def check_login_without_writing(path: str | Path, username: str, password: str, action: str,
                                read_session: Callable[[str | None], ContextManager[Session]],
                                ) -> tuple[str | None, Actor]:
    """The database key (None for an unprotected file) and the account as an Actor, checked the
    way the log-in checks them, writing nothing at all (no audit row, no failure counter): for
    reading a station file elsewhere, e.g. moving it to a server, where the file stays as it was.
    `read_session(key)` opens a read-only session on the file with that key."""
    target = Path(path)
    kf = key_file_for(target)
    key = None
    if kf.exists():
        keys = _read_keys(kf)
        _refuse_if_locked(kf, keys, username, datetime.now())
        entry = keys["accounts"].get(username)
        key = _unwrap(entry, password or "") if entry else None
        if key is None:
            raise _generic_failure()
    with read_session(key) as session:
        _acc, actor = _checked_account(session, username, password, action)
    return key, actor


def _login_read_only(db: Store, kf: Path, unlocked: _Unlocked | None, username: str, password: str,
                     clock: datetime, action: str | None) -> LoggedIn:
    """Check the account in a read transaction; nothing is written (documented in security.md)."""
    try:
        with db.read() as session:
            acc, actor = _checked_account(session, username, password, action)
            if unlocked is not None:
                _roles_at_login(db, session, unlocked, acc, kf, writable=False)
    except LoginFailed:
        db.close()
        _count_failure(kf, username, clock)
        raise
    except BaseException:
        db.close()
        raise
    _failures_here.pop(_here(kf, username), None)
    return LoggedIn(db, actor)


def _seal_problems(session: Session, keys: KeyFile) -> list[str]:
    seal = keys.get("roles")
    if not isinstance(seal, dict):
        return ["accounts not sealed yet (a database from an earlier version): log in once as the administrator"]
    pin = session.get(Setting, ROLES_PIN)
    problems = []
    if pin is None or pin.value != seal.get("public"):
        problems.append("roles seal: the key file's roles key is not the one the database pins (replaced)")
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(str(seal.get("public")), validate=True)).verify(
            base64.b64decode(str(seal.get("signature")), validate=True), ROLES_CONTEXT + _roles_rows(session))
    except (ValueError, TypeError, InvalidSignature):
        problems.append("roles seal: the accounts (roles, officers, active) were changed outside the app")
    return problems


def _roles_at_login(db: Store, session: Session, unlocked: _Unlocked, acc: Account, kf: Path,
                    writable: bool) -> None:
    """The roles seal at log-in. A sealing role (administrator, station leader) must unwrap the
    roles key with its own password, and it must be the sealed one: an officer who wrote
    'leader' into the accounts table holds no such key. Any other account logs in only while
    the accounts match their seal. The administrator always gets in (to look and repair); the
    broken seal is written to the audit trail and `check` reports it. A database from before
    the seal is sealed at its administrator's first log-in."""
    keys, entry, kek = unlocked.keys, unlocked.entry, unlocked.kek
    private = _unwrap_roles_key(entry, kek) if acc.role in SEALING_ROLES else None
    seal = keys.get("roles")
    if not isinstance(seal, dict):
        if acc.role == "admin" and writable:
            roles_key = db.roles_key = private or Ed25519PrivateKey.generate()
            entry["roles_key"] = _wrap_with(kek, roles_key)
            seal_roles(db, session, keys)
            _write_keys(kf, keys)
        return
    problems = _seal_problems(session, keys)
    sealed_public = seal.get("public")
    if acc.role in SEALING_ROLES:
        mine = None if private is None else base64.b64encode(_raw_public(private)).decode()
        if mine != sealed_public:
            problems.append(f"roles seal: the {acc.role} account {acc.username} holds no key of the seal")
        else:
            db.roles_key = private
    if problems and acc.role != "admin":
        raise LoginFailed("该账户的角色未经签章确认：账户表可能在程序之外被改动，请系统管理员运行 check 核查",
                          "this account's role is not confirmed by the roles seal: the accounts may have been "
                          "changed outside the app; the administrator should run check", "username")
    db.roles_problems = tuple(problems)
    if problems and writable:
        audit.append_event(session, None, "roles_seal_broken", detail={"problems": problems})


def _wrap_with(kek: bytes, private: Ed25519PrivateKey) -> str:
    nonce = secrets.token_bytes(12)
    return base64.b64encode(nonce + AESGCM(kek).encrypt(nonce, _raw_private(private), ROLES_AAD)).decode()


def _here(kf: Path | str, username: str) -> tuple[str, str]:
    """The key of this process's failure count: the key file's resolved path, or for a server
    database (no key file) its title."""
    return (str(kf.resolve()) if isinstance(kf, Path) else kf), username


def _refuse_if_locked(kf: Path | str, keys: KeyFile | None, username: str, clock: datetime) -> None:
    """LoginFailed while the account is locked, by the key file's count or this process's
    (`kf`: the key file, or a server database's title, as for _count_failure)."""
    here = _failures_here.get(_here(kf, username))
    untils = [here["locked_until"] if here is not None else None]
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


def _count_failure(kf: Path | str, username: str, clock: datetime) -> None:
    """One failed attempt: counted in this process always, and in the key file when there is one
    and it can be written (read-only media: the process's count still locks the account). A
    server database has no key file: `kf` is its title, and the count is this process's."""
    mem = _failures_here.setdefault(_here(kf, username), {"count": 0, "locked_until": None})
    mem["count"] += 1
    if mem["count"] >= MAX_FAILURES:
        mem["locked_until"], mem["count"] = clock + LOCKOUT, 0
    if not isinstance(kf, Path) or not kf.exists():
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


def _clear_failures(kf: Path, keys: KeyFile | None, username: str) -> None:
    _failures_here.pop(_here(kf, username), None)
    if keys is not None and keys["failures"].pop(username, None) is not None:
        try:
            _write_keys(kf, keys)
        except OSError as exc:
            log.warning("the key file cannot be written (%s); its failure count stays", exc)


def list_accounts(db: Store) -> list[tuple[str, str, str, bool]]:
    with db.read() as session:
        return [(a.username, a.display_name, a.role, a.active)
                for a in session.scalars(select(Account).order_by(Account.id))]


def verify_password(db: Store, actor: Actor, password: str, now: datetime | None = None) -> None:
    """Re-check the logged-in account's password (unlocking after the idle lock). Both the
    success and the failure are written to the audit trail; failures count towards the same
    lock-out as the log-in (a locked account is refused even with the right password)."""
    clock = now or datetime.now()
    # A server database has no key file: its failures are counted in this process, by its title.
    kf: Path | str = key_file_for(db.path) if db.path is not None else db.title
    _refuse_if_locked(kf, _read_keys(kf) if isinstance(kf, Path) and kf.exists() else None, actor.account, clock)
    with db.read() as session:
        row = session.execute(select(Account.password_hash, Account.active)
                              .where(Account.username == actor.account)).first()
    ok = False
    if row is not None and row.active:
        try:
            _hasher.verify(row.password_hash, password or "")
            ok = True
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
