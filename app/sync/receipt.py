"""Receipts: the branch's signed answer to each package (applied, duplicate, rejected with the
reason), carried back to the station, which marks its packages acknowledged."""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select

from app import bounded_json
from app.errors import ValidationError
from app.services import audit
from app.store.fileio import write_verified
from app.sync import keys as K
from models import ExportLog, ImportLedger, Station

RECEIPT_FORMAT = 1
MAX_RECEIPT_BYTES = 4 * 1024 * 1024
#: A receipt repeats the branch's ledger for the station, so a lost receipt is made good by the next.
LEDGER_ENTRIES = 500
RECEIPT_JSON = bounded_json.Limits(MAX_RECEIPT_BYTES, max_depth=5, max_items=20 * (LEDGER_ENTRIES + 100),
                                   max_string=4096)


def _canon(body: dict) -> bytes:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _entry(seq, export_id, sha, status, code, reason, at) -> dict:
    return {"seq": seq, "export_id": export_id, "sha256": sha, "status": status, "code": code, "reason": reason,
            "at": at.isoformat(sep=" ") if isinstance(at, datetime) else at}


def make_receipt(db, station_uuid: str, current: list[dict]) -> bytes:
    keys = K.branch_keys(db)
    with db.read() as session:
        t = ImportLedger
        ledger = session.execute(select(t.seq, t.export_id, t.sha256, t.status, t.code, t.reason, t.applied_at)
                                 .where(t.station_uuid == station_uuid)
                                 .order_by(t.seq.desc()).limit(LEDGER_ENTRIES)).all()
        entries = current + [_entry(*r) for r in ledger]
    body = {"format": RECEIPT_FORMAT, "kind": "receipt", "station": station_uuid,
            "branch": {"uuid": keys.identity.uuid, "name": keys.identity.name, "key_id": keys.identity.key_id},
            "issued_at": datetime.now().replace(microsecond=0).isoformat(sep=" "), "entries": entries}
    sig = keys.sign.sign(_canon(body))
    return json.dumps({"body": body, "signature": base64.b64encode(sig).decode()}, ensure_ascii=False,
                      indent=1).encode("utf-8")


def receipt_for(db, res) -> bytes:
    """The signed receipt for one import result. Made where the branch's signing key is: on a
    PostgreSQL branch, by its import service (app.sync.service), which hands it back with the result."""
    current = [_entry(res.seq, res.export_id, res.sha256, res.status, res.code, res.en, datetime.now())]
    return make_receipt(db, res.station_uuid, current)


def write_receipt(db, res, path: Path, signed: bytes | None = None) -> Path:
    """The receipt for one import result, written durably and read back before success.
    `signed`: the receipt the import service made; it is written only if the branch's public key
    verifies it (the account writing it holds no private key)."""
    data = receipt_for(db, res) if signed is None else signed
    sign_key = K.branch_identity(db).sign_key
    write_verified(Path(path), data, lambda back: parse_receipt(back, sign_key))
    return Path(path)


def reissue_receipt(db, station_uuid: str, path: Path) -> Path:
    """A receipt with the whole ledger of one station (when a receipt was lost). It is signed
    here, so on a PostgreSQL branch only the database's owner can make it."""
    from app.sync.requests import through_service

    if through_service(db):
        raise ValidationError("补发回执须由分局数据库的所有者在服务器上运行 branch-receipt（账户不持有分局的签名密钥）",
                              "a receipt is reissued by the branch database's owner on the server (branch-receipt): "
                              "accounts do not hold the branch's signing key", "db")
    data = make_receipt(db, station_uuid, [])
    write_verified(Path(path), data, lambda back: parse_receipt(back, K.branch_keys(db).identity.sign_key))
    return Path(path)


def parse_receipt(data: bytes, sign_key: bytes) -> dict:
    try:
        obj = bounded_json.loads(data, RECEIPT_JSON)
        body, sig = obj["body"], base64.b64decode(obj["signature"], validate=True)
        if not isinstance(body, dict) or body.get("kind") != "receipt" or not isinstance(body.get("entries"), list):
            raise ValueError
    except bounded_json.JsonRejected as exc:
        raise ValidationError(f"不是有效的回执文件：{exc.reason}", f"not a valid receipt file: {exc.reason}",
                              "receipt") from None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise ValidationError("不是有效的回执文件", "not a valid receipt file", "receipt") from None
    if body.get("format") != RECEIPT_FORMAT:
        raise ValidationError("回执格式版本不支持", "unsupported receipt format", "receipt")
    try:
        Ed25519PublicKey.from_public_bytes(sign_key).verify(sig, _canon(body))
    except (InvalidSignature, ValueError):
        raise ValidationError("回执签名无效（不是登记的分局签发，或已被改动）",
                              "the receipt's signature is invalid (not from the registered branch, or altered)",
                              "receipt") from None
    return body


@dataclass(frozen=True)
class ReceiptSummary:
    acknowledged: tuple[int, ...]
    rejected: tuple[tuple[int, str], ...]
    unknown: int


def apply_receipt(db, actor, path: str | Path) -> ReceiptSummary:
    """At the station: check the receipt's signature against the registered branch and mark
    the packages it names (by sequence and SHA-256) acknowledged or rejected."""
    from app.domain.permissions import authorize

    authorize(actor, "apply_receipt")
    p = Path(path)
    if not p.is_file():
        raise ValidationError(f"回执文件不存在：{p}", f"no such receipt file: {p}", "receipt")
    if p.stat().st_size > MAX_RECEIPT_BYTES:
        raise ValidationError("回执文件过大", "the receipt file is too large", "receipt")
    branch = K.registered_branch(db)
    if branch is None:
        raise ValidationError("尚未登记分局公钥", "no branch office is registered", "branch")
    body = parse_receipt(p.read_bytes(), branch.sign_key)
    if body.get("branch", {}).get("uuid") != branch.uuid:
        raise ValidationError("回执来自其他分局", "the receipt comes from another branch office", "receipt")
    acked, rejected, unknown = [], [], 0
    now = datetime.now().replace(microsecond=0)
    with db.write(actor, "receipt") as session:
        st_uuid = session.scalar(select(Station.uuid).order_by(Station.id))
        if body.get("station") not in ("", None, st_uuid):
            raise ValidationError("回执是发给其他派出所的", "the receipt is for another station", "receipt")
        log = ExportLog.__table__
        by_sha = {r.sha256: r for r in session.execute(select(log.c.seq, log.c.sha256, log.c.acknowledged_at)
                                                       .where(log.c.state == "written"))}
        for e in body["entries"]:
            row = by_sha.get(e.get("sha256")) if isinstance(e, dict) else None
            if row is None or (e.get("seq") is not None and e.get("seq") != row.seq):
                unknown += 1
                continue
            if e.get("status") in ("applied", "duplicate"):
                values = {"receipt_status": "applied", "receipt_reason": str(e.get("code") or "")[:500]}
                if row.acknowledged_at is None and row.seq not in acked:
                    values["acknowledged_at"] = now
                    acked.append(row.seq)
                session.execute(log.update().where(log.c.seq == row.seq).values(**values))
            elif e.get("status") == "rejected" and row.acknowledged_at is None and row.seq not in acked:
                reason = str(e.get("reason") or "")[:500]
                session.execute(log.update().where(log.c.seq == row.seq).values(
                    receipt_status="rejected", receipt_reason=reason))
                rejected.append((row.seq, reason))
        audit.append_event(session, actor, "receipt", detail={"file": p.name, "acknowledged": acked,
                                                               "rejected": [s for s, _ in rejected]})
    return ReceiptSummary(tuple(sorted(set(acked))), tuple(rejected), unknown)
