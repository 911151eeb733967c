"""Sync keys: the station's Ed25519 signing key, the branch's X25519 + Ed25519 identity, and
the public identity files that are exchanged (station.pub, branch.pub)."""
from __future__ import annotations

import base64
import hashlib
import json
import uuid as uuidlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import select

from app import bounded_json
from app.domain.permissions import authorize
from app.errors import NotFound, ValidationError
from app.services import audit
from models import Setting, Station, SyncKey, SyncPeer, TrustedStation

IDENTITY_FORMAT = 1
MAX_IDENTITY_FILE = 64 * 1024
IDENTITY_JSON = bounded_json.Limits(MAX_IDENTITY_FILE, max_depth=2, max_items=64, max_string=1024)
_RAW = dict(encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw)
_RAW_PRIV = dict(encoding=serialization.Encoding.Raw, format=serialization.PrivateFormat.Raw,
                 encryption_algorithm=serialization.NoEncryption())


def key_id(public: bytes) -> str:
    """A short, stable name of a public key (the first 128 bits of its SHA-256, hex)."""
    return hashlib.sha256(public).hexdigest()[:32]


def fingerprint(public: bytes) -> str:
    """Groups of four hex digits, to compare over the telephone before trusting a key."""
    k = key_id(public)
    return " ".join(k[i:i + 4] for i in range(0, 32, 4))


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _unb64(text, what: str) -> bytes:
    try:
        raw = base64.b64decode(str(text), validate=True)
    except (ValueError, TypeError):
        raise ValidationError(f"公钥文件无效：{what}", f"the key file is invalid: {what}", "key") from None
    if len(raw) != 32:
        raise ValidationError(f"公钥文件无效：{what}", f"the key file is invalid: {what} is not a 32-byte key", "key")
    return raw


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


# -- station -----------------------------------------------------------------------------------
def station_signing_key(db, actor=None) -> Ed25519PrivateKey:
    """The station's signing key, created on first use and kept in the database."""
    with db.read() as session:
        row = session.get(SyncKey, "station_sign")
        if row is not None:
            return Ed25519PrivateKey.from_private_bytes(row.private_key)
    with db.write(actor, "create_signing_key") as session:
        row = session.get(SyncKey, "station_sign")
        if row is None:
            key = Ed25519PrivateKey.generate()
            pub = key.public_key().public_bytes(**_RAW)
            # Core, not the ORM: the audit hook records new rows' values, and a private key
            # must never reach the audit trail (which travels in packages).
            session.execute(SyncKey.__table__.insert().values(
                kind="station_sign", private_key=key.private_bytes(**_RAW_PRIV), public_key=pub, created_at=_now()))
            audit.append_event(session, actor, "create_signing_key", detail={"key_id": key_id(pub)})
            return key
        return Ed25519PrivateKey.from_private_bytes(row.private_key)


@dataclass(frozen=True)
class StationIdentity:
    uuid: str
    code: str
    name: str
    sign_key: bytes

    def to_json(self) -> str:
        return json.dumps({"format": IDENTITY_FORMAT, "kind": "station", "uuid": self.uuid, "code": self.code,
                           "name": self.name, "sign_key": _b64(self.sign_key),
                           "fingerprint": fingerprint(self.sign_key)}, ensure_ascii=False, indent=1)


def station_identity(db, actor=None) -> StationIdentity:
    key = station_signing_key(db, actor)
    with db.read() as session:
        st = session.execute(select(Station.uuid, Station.code, Station.name).order_by(Station.id)).first()
    if st is None:
        raise NotFound("数据库中没有派出所信息", "the database has no station")
    return StationIdentity(st.uuid, st.code, st.name, key.public_key().public_bytes(**_RAW))


@dataclass(frozen=True)
class BranchIdentity:
    uuid: str
    name: str
    box_key: bytes
    sign_key: bytes

    @property
    def key_id(self) -> str:
        return key_id(self.box_key)

    def to_json(self) -> str:
        return json.dumps({"format": IDENTITY_FORMAT, "kind": "branch", "uuid": self.uuid, "name": self.name,
                           "box_key": _b64(self.box_key), "sign_key": _b64(self.sign_key),
                           "fingerprint": fingerprint(self.box_key)}, ensure_ascii=False, indent=1)


def read_identity_file(path: Path, kind: str) -> StationIdentity | BranchIdentity:
    """A public identity file made by `station-key` (kind station) or `branch-init` (kind branch)."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_IDENTITY_FILE:
            raise ValidationError(f"公钥文件过大：{p}", f"the key file is too large: {p}", "key")
        data = bounded_json.loads(p.read_bytes(), IDENTITY_JSON)
    except FileNotFoundError:
        raise ValidationError(f"公钥文件不存在：{p}", f"the key file does not exist: {p}", "key") from None
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise ValidationError(f"公钥文件无效：{p}", f"the key file is invalid: {p} ({exc})", "key") from None
    if not isinstance(data, dict) or data.get("kind") != kind:
        zh = {"station": "派出所", "branch": "分局"}.get(kind, kind)
        raise ValidationError(f"不是{zh}公钥文件：{p}", f"not a {kind} public key file: {p}", "key")
    if data.get("format") != IDENTITY_FORMAT:
        raise ValidationError(f"公钥文件版本不支持：{p}", f"unsupported key file format: {p}", "key")
    ident = str(data.get("uuid", ""))
    if len(ident) != 32 or any(c not in "0123456789abcdef" for c in ident):
        raise ValidationError(f"公钥文件无效：{p}", f"the key file is invalid: {p} (uuid)", "key")
    if kind == "station":
        return StationIdentity(ident, str(data.get("code", ""))[:32], str(data.get("name", ""))[:100],
                               _unb64(data.get("sign_key"), "sign_key"))
    return BranchIdentity(ident, str(data.get("name", ""))[:100], _unb64(data.get("box_key"), "box_key"),
                          _unb64(data.get("sign_key"), "sign_key"))


def register_branch(db, actor, ident: BranchIdentity) -> bool:
    """Remember the branch office the station exports to. Returns True when it changed.
    Decided by the policy table first: a role that may not export may not redirect exports."""
    authorize(actor, "register_branch")
    with db.write(actor, "register_branch") as session:
        peer = session.scalars(select(SyncPeer).order_by(SyncPeer.id)).first()
        if peer is not None and peer.uuid == ident.uuid and peer.box_key == ident.box_key \
                and peer.sign_key == ident.sign_key:
            return False
        t = SyncPeer.__table__
        session.execute(t.delete())
        session.execute(t.insert().values(uuid=ident.uuid, name=ident.name, box_key=ident.box_key,
                                          sign_key=ident.sign_key, added_at=_now()))
        audit.append_event(session, actor, "register_branch",
                           detail={"branch": ident.uuid, "name": ident.name, "key_id": ident.key_id})
        return True


def registered_branch(db) -> BranchIdentity | None:
    with db.read() as session:
        peer = session.execute(select(SyncPeer.uuid, SyncPeer.name, SyncPeer.box_key, SyncPeer.sign_key)
                               .order_by(SyncPeer.id)).first()
        return None if peer is None else BranchIdentity(*peer)


# -- branch ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BranchKeys:
    identity: BranchIdentity
    box: X25519PrivateKey
    sign: Ed25519PrivateKey


def _has_key(session, kind: str) -> bool:
    """Whether the database holds a key of this kind (read by its kind alone: a PostgreSQL
    branch's accounts may not read the private halves)."""
    return session.scalar(select(SyncKey.kind).where(SyncKey.kind == kind)) is not None


def _setting(session, key: str) -> str | None:
    row = session.get(Setting, key)
    return None if row is None else row.value


def init_branch(db, actor, name: str) -> BranchIdentity:
    """Make this database a branch office: create its identity key pairs (once)."""
    with db.write(actor, "branch_init") as session:
        if session.get(SyncKey, "branch_box") is not None:
            raise ValidationError("该数据库已是分局数据库", "this database is already a branch database", "db")
        if session.scalar(select(SyncKey.kind).where(SyncKey.kind == "station_sign")) is not None:
            raise ValidationError("这是派出所数据库（已有签名密钥），不能作为分局数据库",
                                  "this is a station database (it has a signing key); it cannot be a branch", "db")
        box, sign = X25519PrivateKey.generate(), Ed25519PrivateKey.generate()
        ts = _now()
        session.execute(SyncKey.__table__.insert(), [
            {"kind": "branch_box", "private_key": box.private_bytes(**_RAW_PRIV),
             "public_key": box.public_key().public_bytes(**_RAW), "created_at": ts},
            {"kind": "branch_sign", "private_key": sign.private_bytes(**_RAW_PRIV),
             "public_key": sign.public_key().public_bytes(**_RAW), "created_at": ts}])
        ident = uuidlib.uuid4().hex
        session.add(Setting(key="branch.uuid", value=ident))
        session.add(Setting(key="branch.name", value=name))
        audit.append_event(session, actor, "branch_init", detail={"branch": ident, "name": name})
    return branch_keys(db).identity


def _not_branch():
    from app.sync.errors import ImportRejected

    return ImportRejected("not_branch", "该数据库不是分局数据库，请先运行 branch-init",
                          "this is not a branch database: run branch-init first")


def branch_identity(db) -> BranchIdentity:
    """The branch's public identity. It reads the public halves only, which is all a PostgreSQL
    branch's accounts may read of its keys (app.store.rights): its import service, run by the
    database's owner, decrypts the packages and signs the receipts."""
    with db.read() as session:
        public = dict(session.execute(select(SyncKey.kind, SyncKey.public_key)
                                      .where(SyncKey.kind.in_(("branch_box", "branch_sign")))).all())
        if len(public) != 2:
            raise _not_branch()
        return BranchIdentity(_setting(session, "branch.uuid") or "", _setting(session, "branch.name") or "",
                              public["branch_box"], public["branch_sign"])


def branch_keys(db) -> BranchKeys:
    """The branch's identity with its private keys (the owner's, or a file branch's)."""
    with db.read() as session:
        box, sign = session.get(SyncKey, "branch_box"), session.get(SyncKey, "branch_sign")
        if box is None or sign is None:
            raise _not_branch()
        ident = BranchIdentity(_setting(session, "branch.uuid") or "", _setting(session, "branch.name") or "",
                               box.public_key, sign.public_key)
        return BranchKeys(ident, X25519PrivateKey.from_private_bytes(box.private_key),
                          Ed25519PrivateKey.from_private_bytes(sign.private_key))


def trust_station(db, actor, ident: StationIdentity) -> str:
    """Trust a station's signing key. Returns 'added', 'unchanged' or 'replaced' (a new key for
    a station already trusted: its old key stops being accepted). Administrator only."""
    authorize(actor, "manage_trust")
    with db.write(actor, "trust_station") as session:
        if not _has_key(session, "branch_box"):
            raise ValidationError("该数据库不是分局数据库，请先运行 branch-init",
                                  "this is not a branch database: run branch-init first", "db")
        row = session.get(TrustedStation, ident.uuid)
        if row is not None and row.sign_key == ident.sign_key and row.revoked_at is None:
            return "unchanged"
        outcome = "added" if row is None else "replaced"
        t = TrustedStation.__table__
        values = dict(code=ident.code, name=ident.name, sign_key=ident.sign_key, revoked_at=None)
        if row is None:
            session.execute(t.insert().values(uuid=ident.uuid, added_at=_now(), **values))
        else:
            session.execute(t.update().where(t.c.uuid == ident.uuid).values(**values))
        audit.append_event(session, actor, "trust_station", detail={
            "station": ident.uuid, "code": ident.code, "name": ident.name, "key_id": key_id(ident.sign_key),
            "outcome": outcome})
        return outcome


def revoke_station(db, actor, station_uuid: str) -> None:
    """Stop accepting a station's packages (administrator only)."""
    authorize(actor, "manage_trust")
    with db.write(actor, "revoke_station") as session:
        t = TrustedStation.__table__
        if session.execute(t.update().where(t.c.uuid == station_uuid).values(revoked_at=_now())).rowcount != 1:
            raise NotFound(f"未信任该派出所：{station_uuid}", f"no such trusted station: {station_uuid}")
        audit.append_event(session, actor, "revoke_station", detail={"station": station_uuid})
