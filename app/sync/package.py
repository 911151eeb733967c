"""The package file: a signed manifest and compressed parts, encrypted for one branch office.

    file  = MAGIC "STNPKG\\r\\n" | u8 format | u16 header length | header (JSON) | ciphertext
    inner = "STNSIG1\\n" | u32 manifest length | manifest (JSON) | Ed25519 signature (64)
            | u16 member count | members: u8 name length | name | u64 length | zlib data

The header names the recipient's key and carries an ephemeral X25519 public key; the content
key is HKDF-SHA256 of the X25519 shared secret, and AES-256-GCM covers the inner bytes with the
whole outer prefix as associated data, so any flipped or missing byte fails before anything is
parsed. The signature covers the manifest, and the manifest holds the SHA-256, size and raw size
of every member, so nothing is decompressed before it is known to be the station's. The layout
and the limits are documented in docs/sync-format.md.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
import struct
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from isal import isal_zlib

from app import bounded_json
from app.sync.errors import ImportRejected
from app.sync.keys import key_id
from app.sync.limits import (
    FORMAT,
    HEADER_JSON,
    HKDF_INFO,
    INNER_MAGIC,
    MAGIC,
    MANIFEST_JSON,
    MAX_HEADER_BYTES,
    MAX_MANIFEST_BYTES,
    MAX_MEMBERS,
    MAX_PACKAGE_BYTES,
    MAX_PART_RAW,
    MAX_RATIO,
    MAX_TOTAL_RAW,
    SIGN_CONTEXT,
)

PART_NAMES = ("station", "team", "officer", "case", "dispute", "person", "dedicated_member", "level_change",
              "action", "person_link", "audit", "mediation_body", "case_series", "alert", "control_check",
              "person_event", "risk_assessment", "mediation", "series_member")
MEMBER_RE = re.compile(r"^[a-z][a-z_]{0,30}\.json$")
_RAW_PUB = dict(encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw)


def _rej(code: str, zh: str, en: str, **kw) -> ImportRejected:
    return ImportRejected(code, zh, en, **kw)


def member_name_problem(name: str) -> str | None:
    """Why a member name is unsafe or unknown (None when it is one of ours)."""
    if "/" in name or "\\" in name or ".." in name or name.startswith((".", "~")) or ":" in name:
        return f"path components in member name {name!r}"
    if any(ord(c) < 32 for c in name) or not MEMBER_RE.match(name):
        return f"unsafe member name {name!r}"
    stem = name[:-5]
    if stem.upper() in {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}:
        return f"reserved member name {name!r}"
    if stem not in PART_NAMES:
        return f"unknown member {name!r}"
    return None


def _content_key(shared: bytes, eph_pub: bytes, recipient_pub: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=eph_pub + recipient_pub, info=HKDF_INFO).derive(shared)


# -- making ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sealed:
    data: bytes
    sha256: str
    content_key: bytes  # kept by the station only to verify the file it wrote


#: ISA-L's levels are 0-3; 1 gives about zlib level 1's size at a third of its time.
FAST_LEVEL = 1


def compress_part(raw: bytes, level: int = FAST_LEVEL) -> bytes:
    """One part as a single zlib stream (RFC 1950: what format 1 holds and any zlib reads),
    made by ISA-L (`isal`), then checked: it decompresses to exactly `raw`. The check is made
    here, on the compressing thread, so that the read-back of the written file (verify_own) need
    not decompress again: what it reads back is then checked byte for byte (SHA-256) against
    these very bytes. Raises ValueError if the round trip fails (a fault of the compressor)."""
    data = isal_zlib.compress(raw, level)
    if not _decompresses_to(data, raw):
        raise ValueError("a compressed part does not decompress to its content")
    return data


def _decompresses_to(data: bytes, raw: bytes, piece: int = 1 << 24) -> bool:
    """Whether `data` is one zlib stream of exactly `raw`, decompressed 16 MiB at a time (a
    million records' largest part is 0.6 GB: no second copy of it is made)."""
    d = isal_zlib.decompressobj()
    pos, tail = 0, data
    try:
        while not d.eof:
            out = d.decompress(tail, piece)
            tail = d.unconsumed_tail
            if not out and not tail:
                break  # the stream ends early
            if not raw.startswith(out, pos):  # memcmp in place (a memoryview compares byte by byte)
                return False
            pos += len(out)
    except isal_zlib.error:
        return False
    return d.eof and pos == len(raw) and not d.unused_data


def seal(manifest: dict, members: list[tuple[str, bytes, int]], sign_key: Ed25519PrivateKey,
         recipient_box: bytes) -> Sealed:
    """Sign the manifest and encrypt the package for the branch whose X25519 public key is
    `recipient_box`. `members` are (name, compressed bytes, raw size); the manifest gets their
    entries ("parts") here, so the signature covers them."""
    manifest = dict(manifest)
    manifest["parts"] = [{"name": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d), "raw_size": r}
                         for n, d, r in members]
    manifest["format"] = FORMAT
    manifest["recipient"] = key_id(recipient_box)
    manifest["signer"] = key_id(sign_key.public_key().public_bytes(**_RAW_PUB))
    mbytes = json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    sig = sign_key.sign(SIGN_CONTEXT + mbytes)
    chunks = [INNER_MAGIC, struct.pack(">I", len(mbytes)), mbytes, sig, struct.pack(">H", len(members))]
    for name, data, _raw in members:
        nb = name.encode("ascii")
        chunks += [struct.pack(">B", len(nb)), nb, struct.pack(">Q", len(data)), data]
    inner = b"".join(chunks)
    eph = X25519PrivateKey.generate()
    eph_pub = eph.public_key().public_bytes(**_RAW_PUB)
    key = _content_key(eph.exchange(X25519PublicKey.from_public_bytes(recipient_box)), eph_pub, recipient_box)
    nonce = os.urandom(12)
    header = json.dumps({"recipient": key_id(recipient_box), "ephemeral": base64.b64encode(eph_pub).decode(),
                         "nonce": base64.b64encode(nonce).decode(), "cipher": "AES-256-GCM"},
                        sort_keys=True, separators=(",", ":")).encode("ascii")
    prefix = MAGIC + bytes([FORMAT]) + struct.pack(">H", len(header)) + header
    data = prefix + AESGCM(key).encrypt(nonce, inner, prefix)
    return Sealed(data, hashlib.sha256(data).hexdigest(), key)


# -- opening -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Outer:
    prefix: bytes
    header: dict
    ciphertext: bytes


def parse_outer(data: bytes) -> Outer:
    if len(data) == 0:
        raise _rej("empty", "文件为空", "the file is empty")
    if len(data) > MAX_PACKAGE_BYTES:
        raise _rej("too_large", f"文件超过{MAX_PACKAGE_BYTES // 2**20} MB上限",
                   f"the file is larger than the {MAX_PACKAGE_BYTES // 2**20} MB limit")
    if len(data) < len(MAGIC) + 3 or data[:len(MAGIC)] != MAGIC:
        if MAGIC.startswith(data[:len(MAGIC)]):
            raise _rej("damaged", "数据包不完整（文件被截断）", "the package is truncated")
        raise _rej("not_a_package", "不是派出所导出数据包", "not a station export package")
    fmt = data[len(MAGIC)]
    if fmt > FORMAT:
        raise _rej("too_new", f"数据包格式版本 {fmt} 比本程序新，请升级分局程序",
                   f"package format {fmt} is newer than this app ({FORMAT}): upgrade the branch app")
    if fmt < 1:
        raise _rej("too_old", f"数据包格式版本 {fmt} 过旧", f"package format {fmt} is too old")
    (hlen,) = struct.unpack(">H", data[len(MAGIC) + 1:len(MAGIC) + 3])
    if hlen > MAX_HEADER_BYTES:
        raise _rej("malformed", "数据包头部过长", "the package header is too long")
    start = len(MAGIC) + 3
    if len(data) < start + hlen + 16:
        raise _rej("damaged", "数据包不完整（文件被截断）", "the package is truncated")
    try:
        header = bounded_json.loads(data[start:start + hlen].decode("ascii"), HEADER_JSON)
        if not isinstance(header, dict):
            raise ValueError
        for k in ("recipient", "ephemeral", "nonce"):
            if not isinstance(header.get(k), str):
                raise ValueError
    except (ValueError, UnicodeDecodeError):
        raise _rej("damaged", "数据包头部损坏", "the package header is damaged") from None
    return Outer(data[:start + hlen], header, data[start + hlen:])


def _b64field(header: dict, name: str, size: int) -> bytes:
    try:
        raw = base64.b64decode(header[name], validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != size:
        raise _rej("damaged", "数据包头部损坏", f"the package header is damaged ({name})")
    return raw


def decrypt(data: bytes, box: X25519PrivateKey | None = None, content_key: bytes | None = None) -> bytes:
    """The inner bytes, decrypted with the branch's private key (or, at the station, with the
    content key it made). Any damage raises ImportRejected before parsing."""
    outer = parse_outer(data)
    eph_pub = _b64field(outer.header, "ephemeral", 32)
    nonce = _b64field(outer.header, "nonce", 12)
    if content_key is None:
        mine = box.public_key().public_bytes(**_RAW_PUB)
        if outer.header["recipient"] != key_id(mine):
            raise _rej("wrong_recipient", "数据包是为其他分局加密的，本分局无法解密",
                       f"the package is encrypted for another branch (key {outer.header['recipient'][:8]}…); "
                       f"this branch is {key_id(mine)[:8]}…")
        try:
            shared = box.exchange(X25519PublicKey.from_public_bytes(eph_pub))
        except ValueError:
            raise _rej("damaged", "数据包头部损坏", "the package header is damaged (key)") from None
        content_key = _content_key(shared, eph_pub, mine)
    try:
        return AESGCM(content_key).decrypt(nonce, outer.ciphertext, outer.prefix)
    except InvalidTag:
        raise _rej("damaged", "数据包已损坏或被截断（加密校验失败），请重新拷贝",
                   "the package is damaged or truncated (the encryption check failed); copy it again") from None


@dataclass(frozen=True)
class Inner:
    manifest: dict
    manifest_bytes: bytes
    signature: bytes
    members: list[tuple[str, bytes]]


def parse_inner(inner: bytes) -> Inner:
    """Split the decrypted bytes; bounds are checked before every read."""
    pos = len(INNER_MAGIC)
    if inner[:pos] != INNER_MAGIC or len(inner) < pos + 4:
        raise _rej("malformed", "数据包结构无效", "the package structure is invalid")

    def take(n: int) -> bytes:
        nonlocal pos
        if n < 0 or pos + n > len(inner):
            raise _rej("malformed", "数据包结构无效（长度越界）", "the package structure is invalid (length out of bounds)")
        chunk = inner[pos:pos + n]
        pos += n
        return chunk

    (mlen,) = struct.unpack(">I", take(4))
    if mlen > MAX_MANIFEST_BYTES:
        raise _rej("limit", "清单过大", "the manifest is larger than the limit")
    mbytes = take(mlen)
    sig = take(64)
    (count,) = struct.unpack(">H", take(2))
    if count > MAX_MEMBERS:
        raise _rej("limit", "数据包成员过多", f"too many members ({count} > {MAX_MEMBERS})")
    members = []
    for _ in range(count):
        (nlen,) = struct.unpack(">B", take(1))
        try:
            name = take(nlen).decode("ascii")
        except UnicodeDecodeError:
            raise _rej("bad_member", "成员名称无效", "a member name is not plain ASCII") from None
        problem = member_name_problem(name)
        if problem:
            raise _rej("bad_member", f"成员名称不安全或未知：{name!r}", problem)
        (size,) = struct.unpack(">Q", take(8))
        if size > MAX_PACKAGE_BYTES:
            raise _rej("limit", "成员过大", f"member {name} is larger than the limit")
        members.append((name, take(size)))
    if pos != len(inner):
        raise _rej("malformed", "数据包末尾有多余数据", "the package has trailing data")
    try:
        manifest = bounded_json.loads(mbytes, MANIFEST_JSON)
    except bounded_json.JsonRejected as exc:
        raise _rej("malformed", f"清单无效：{exc.reason}", f"the manifest is refused: {exc.reason}") from None
    if not isinstance(manifest, dict):
        raise _rej("malformed", "清单无效", "the manifest is not an object")
    return Inner(manifest, mbytes, sig, members)


def verify_signature(inner: Inner, public: bytes) -> None:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(inner.signature, SIGN_CONTEXT + inner.manifest_bytes)
    except (InvalidSignature, ValueError):
        raise _rej("bad_signature", "签名无效：数据包被篡改或由其他密钥签名",
                   "the signature is invalid: the package was altered or signed by another key") from None


def check_members(inner: Inner, *, authenticated: bool = True, station_uuid: str = "",
                  seq: int | None = None, inflate: bool = True) -> dict[str, bytes]:
    """Match the members against the signed manifest (names, order, sizes, SHA-256), then
    decompress each within its declared size. Returns part name -> raw JSON bytes (with
    `inflate=False`, the station's check of its own file, nothing is decompressed and the
    result is empty: compress_part checked each member's round trip as it was made)."""
    kw = dict(authenticated=authenticated, station_uuid=station_uuid, seq=seq)
    parts = inner.manifest.get("parts")
    if not isinstance(parts, list) or len(parts) != len(inner.members):
        raise _rej("checksum", "数据包成员与清单不符", "the members do not match the signed manifest", **kw)
    total = 0
    out: dict[str, bytes] = {}
    pending: list[tuple[str, Future]] = []

    def settle() -> None:
        """The members handed to the decompressing threads, in order: the first bad one is
        reported, as if they had been decompressed one after the other."""
        for name, job in pending:
            raw = job.result()
            if raw is None:
                raise _rej("malformed", f"成员 {name} 无法解压", f"member {name} cannot be decompressed", **kw)
            if raw is False:
                raise _rej("limit", f"成员 {name} 解压后大小与清单不符",
                           f"member {name} does not decompress to its declared size", **kw)
            out[name[:-5]] = raw
        pending.clear()

    # ISA-L's inflate and SHA-256 work outside the GIL: the members decompress on two threads while the
    # next ones are checked. Each is bounded by its declared raw size, checked against the
    # limits before it is handed over.
    with ThreadPoolExecutor(2, thread_name_prefix="package-inflate") as pool:
        try:
            for entry, (name, data) in zip(parts, inner.members):
                if not isinstance(entry, dict) or entry.get("name") != name or name[:-5] in out or any(
                        name == n for n, _ in pending):
                    settle()
                    raise _rej("checksum", "数据包成员与清单不符", f"member {name} does not match the signed manifest",
                               **kw)
                size, raw_size = entry.get("size"), entry.get("raw_size")
                if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (size, raw_size)):
                    settle()
                    raise _rej("malformed", "清单无效", f"member {name}: sizes are not whole numbers", **kw)
                if size != len(data) or entry.get("sha256") != hashlib.sha256(data).hexdigest():
                    settle()
                    raise _rej("checksum", f"成员 {name} 校验和不符", f"member {name} does not match its checksum", **kw)
                total += raw_size
                if raw_size > MAX_PART_RAW or total > MAX_TOTAL_RAW:
                    settle()
                    raise _rej("limit", f"成员 {name} 解压后超过上限", f"member {name} exceeds the size limit", **kw)
                if raw_size > max(1, len(data)) * MAX_RATIO:
                    settle()
                    raise _rej("limit", f"成员 {name} 压缩比异常（疑似压缩炸弹）",
                               f"member {name} claims a compression ratio above {MAX_RATIO} (compression bomb?)", **kw)
                if inflate:
                    pending.append((name, pool.submit(_inflate, data, raw_size)))
            settle()
        finally:
            for _name, job in pending:
                job.cancel()
    return out


def _inflate(data: bytes, raw_size: int) -> bytes | None | bool:
    """The member decompressed, never past raw_size + 1 bytes; None if it is not zlib data,
    False if it does not decompress to exactly raw_size bytes. ISA-L's inflate (`isal`) reads
    any zlib stream, 2-3x faster than the standard library's, with the same bounds
    (max_length, eof, unused_data, unconsumed_tail)."""
    d = isal_zlib.decompressobj()
    try:
        raw = d.decompress(data, raw_size + 1)
    except isal_zlib.error:
        return None
    if len(raw) != raw_size or not d.eof or d.unused_data or d.unconsumed_tail:
        return False
    return raw


@dataclass(frozen=True)
class Opened:
    manifest: dict
    parts: dict[str, bytes]
    sha256: str
    signer_key: bytes


def open_package(data: bytes, box: X25519PrivateKey,
                 trusted_key: Callable[[str], tuple[bytes, bool] | None]) -> Opened:
    """Decrypt, authenticate and unpack a package. `trusted_key(station_uuid)` gives the
    station's trusted public key and whether it is revoked (None: not trusted)."""
    from app.sync.manifest import check_manifest

    inner = parse_inner(decrypt(data, box=box))
    station = inner.manifest.get("station")
    st_uuid = station.get("uuid") if isinstance(station, dict) else None
    if not isinstance(st_uuid, str):
        raise _rej("malformed", "清单中没有派出所标识", "the manifest names no station")
    trusted = trusted_key(st_uuid)
    # Not yet authenticated: only a short, printable form of the name reaches messages and receipts.
    name = "".join(c for c in str(station.get("name", ""))[:64] if c.isprintable())
    if trusted is None:
        raise _rej("untrusted_station", f"未信任的派出所：{name}（{st_uuid[:8]}…），请先导入其公钥",
                   f"untrusted station {name!s} ({st_uuid[:8]}…): import its public key first (trust-station)",
                   station_uuid=st_uuid)
    public, revoked = trusted
    if revoked:
        raise _rej("revoked_key", f"该派出所的密钥已被吊销：{name}", f"the station's key is revoked: {name}",
                   station_uuid=st_uuid)
    verify_signature(inner, public)
    seq = inner.manifest.get("seq") if isinstance(inner.manifest.get("seq"), int) else None
    check_manifest(inner.manifest, authenticated=True)
    parts = check_members(inner, station_uuid=st_uuid, seq=seq)
    return Opened(inner.manifest, parts, hashlib.sha256(data).hexdigest(), public)


def verify_own(data: bytes, content_key: bytes, public: bytes) -> None:
    """At the station, after writing: the file read back decrypts, its signature holds and every
    member matches the manifest (name, size, SHA-256). Members are not decompressed again:
    compress_part checked that each decompresses to its content as it made it."""
    inner = parse_inner(decrypt(data, content_key=content_key))
    verify_signature(inner, public)
    check_members(inner, inflate=False)
