"""Section B of the trust battery: damaged, foreign, tampered, oversized and hostile packages are
rejected whole with ImportRejected and a code, and the branch database stays as it was."""
from __future__ import annotations

import json
import os
import random
import zlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text

from app.services import audit
from app.store.fileio import WriteFailed, write_verified
from app.sync import keys as K, package as P
from app.sync.errors import ImportRejected
from tests.sync.helpers import ADMIN, Net, demo_station, dump_all, small_station

#: Offsets and flips per run in CI; bench/sync_bench.py --faults runs the larger counts.
SAMPLES = int(os.environ.get("STATION_SYNC_SAMPLES", "2000"))


@pytest.fixture
def setup(branch, tmp_path):
    net = Net(branch, tmp_path / "carry")
    net.join("s1", demo_station(tmp_path / "s1.db", 1))
    return net


def reseal(net: Net, path, *, mutate_manifest=None, mutate_members=None, sign_key=None, recipient=None) -> bytes:
    """Open a real package with the branch's key, change it, and sign and encrypt it again."""
    keys = K.branch_keys(net.branch)
    inner = P.parse_inner(P.decrypt(path.read_bytes(), box=keys.box))
    manifest = dict(inner.manifest)
    members = [(n, zlib.decompress(d)) for n, d in inner.members]
    if mutate_members:
        members = mutate_members(members)
    if mutate_manifest:
        mutate_manifest(manifest)
    if sign_key is None:
        sign_key = K.station_signing_key(net.stations["s1"])
    packed = [(n, zlib.compress(r), len(r)) for n, r in members]
    return P.seal(manifest, packed, sign_key, recipient or keys.identity.box_key).data


def verify_only(net: Net):
    """The import's verification step alone (everything before the database), for many samples."""
    from app.sync.importer import _trusted, verify_package

    keys, trusted = K.branch_keys(net.branch), _trusted(net.branch)

    def check(data: bytes) -> str:
        with pytest.raises(ImportRejected) as info:
            verify_package(data, keys, trusted)
        return info.value.code
    return check


def rejected(net: Net, data: bytes) -> ImportRejected:
    from app.sync.importer import import_package

    with pytest.raises(ImportRejected) as info:
        import_package(net.branch, ADMIN, data, name="x")
    return info.value


def test_truncation_at_sampled_offsets(setup):
    net = setup
    data = net.export("s1").read_bytes()
    before = dump_all(net.branch)
    rng = random.Random(1)
    offsets = sorted(set(range(0, 64)) | set(rng.sample(range(len(data)), min(SAMPLES, len(data)))))
    check = verify_only(net)
    codes = {check(data[:off]) for off in offsets}
    codes |= {rejected(net, data[:off]).code for off in offsets[::20]}   # and through the whole import
    assert codes <= {"empty", "damaged", "not_a_package"}
    assert dump_all(net.branch) == before
    from app.sync.importer import import_package

    assert import_package(net.branch, ADMIN, data).status == "applied"


def test_bit_flips_and_bursts(setup):
    net = setup
    data = bytearray(net.export("s1").read_bytes())
    before = dump_all(net.branch)
    rng = random.Random(2)
    check = verify_only(net)
    codes = set()
    for i in range(SAMPLES):
        pos = rng.randrange(len(data))
        bad = bytearray(data)
        bad[pos] ^= 1 << rng.randrange(8)
        codes.add(check(bytes(bad)) if i % 20 else rejected(net, bytes(bad)).code)
    for _ in range(100):
        pos = rng.randrange(len(data) - 64)
        bad = bytearray(data)
        bad[pos:pos + rng.randrange(2, 64)] = os.urandom(64)[:rng.randrange(2, 64)]
        codes.add(check(bytes(bad)))
    assert codes <= {"damaged", "not_a_package", "too_new", "wrong_recipient", "malformed"}
    assert dump_all(net.branch) == before


def test_empty_file_and_wrong_recipient_and_untrusted(setup, make_branch, tmp_path):
    net = setup
    path = net.export("s1")
    before = dump_all(net.branch)
    assert rejected(net, b"").code == "empty"
    other = K.init_branch(make_branch("other"), ADMIN, "西湖分局")
    foreign = reseal(net, path, recipient=other.box_key)
    assert rejected(net, foreign).code == "wrong_recipient"
    K.revoke_station(net.branch, ADMIN, K.station_identity(net.stations["s1"]).uuid)
    assert rejected(net, path.read_bytes()).code == "revoked_key"
    stranger = small_station(tmp_path / "x.db", "陌生派出所", "X9")
    K.register_branch(stranger, ADMIN, net.identity)
    from app.sync.export import export_package

    res = export_package(stranger, ADMIN, tmp_path / "x.stpkg", force=True)
    assert rejected(net, res.path.read_bytes()).code == "untrusted_station"
    after = dump_all(net.branch)   # only the revocation itself changed the branch
    assert {k: v for k, v in after.items() if k not in ("trusted_station", "audit_log")} == \
        {k: v for k, v in before.items() if k not in ("trusted_station", "audit_log")}


def test_tampered_signature_and_manifest(setup):
    net = setup
    path = net.export("s1")
    before = dump_all(net.branch)
    attacker = Ed25519PrivateKey.generate()

    def edit(m):
        m["counts"] = dict(m["counts"])
    assert rejected(net, reseal(net, path, mutate_manifest=edit, sign_key=attacker)).code == "bad_signature"
    # The signature of the real manifest over a package whose manifest was edited afterwards.
    keys = K.branch_keys(net.branch)
    inner = P.parse_inner(P.decrypt(path.read_bytes(), box=keys.box))
    m = dict(inner.manifest, seq=99)
    mbytes = json.dumps(m, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    assert rejected(net, _raw_seal(keys, mbytes, inner.signature, inner.members)).code == "bad_signature"
    unsigned = _raw_seal(keys, inner.manifest_bytes, bytes(64), inner.members)
    assert rejected(net, unsigned).code == "bad_signature"
    # A member swapped after signing: its checksum no longer matches the signed manifest.
    members = list(inner.members)
    members[3] = (members[3][0], zlib.compress(b'{"columns":[],"rows":[]}'))
    assert rejected(net, _raw_seal(keys, inner.manifest_bytes, inner.signature, members)).code == "checksum"
    assert dump_all(net.branch) == before


def _raw_seal(keys, mbytes: bytes, sig: bytes, members) -> bytes:
    """Encrypt a hand-made inner container (bypassing seal's signing)."""
    import struct

    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    chunks = [P.INNER_MAGIC, struct.pack(">I", len(mbytes)), mbytes, sig, struct.pack(">H", len(members))]
    for name, data in members:
        nb = name.encode()
        chunks += [struct.pack(">B", len(nb)), nb, struct.pack(">Q", len(data)), data]
    eph = X25519PrivateKey.generate()
    eph_pub = eph.public_key().public_bytes(**P._RAW_PUB)
    recipient = keys.identity.box_key
    import base64

    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

    key = P._content_key(eph.exchange(X25519PublicKey.from_public_bytes(recipient)), eph_pub, recipient)
    nonce = os.urandom(12)
    header = json.dumps({"recipient": K.key_id(recipient), "ephemeral": base64.b64encode(eph_pub).decode(),
                         "nonce": base64.b64encode(nonce).decode()}).encode()
    prefix = P.MAGIC + bytes([P.FORMAT]) + struct.pack(">H", len(header)) + header
    return prefix + AESGCM(key).encrypt(nonce, b"".join(chunks), prefix)


def test_newer_format_and_schema_are_too_new(setup):
    net = setup
    path = net.export("s1")
    data = bytearray(path.read_bytes())
    data[len(P.MAGIC)] = P.FORMAT + 1
    assert rejected(net, bytes(data)).code == "too_new"
    assert rejected(net, reseal(net, path, mutate_manifest=lambda m: m.update(schema="9999"))).code == "too_new"

    def newer_columns(members):
        out = []
        for n, raw in members:
            obj = json.loads(raw)
            if n == "case.json":
                obj["columns"].append("future_field")
                obj["rows"] = [r + [1] for r in obj["rows"]]
            out.append((n, json.dumps(obj).encode()))
        return out
    assert rejected(net, reseal(net, path, mutate_members=newer_columns)).code == "too_new"


@pytest.mark.parametrize("name", ["../case.json", "/etc/case.json", "a/case.json", "..\\case.json", "CON.json",
                                  "evil.json", ".case.json", "case.json\x00"])
def test_unsafe_member_names(setup, name):
    net = setup
    path = net.export("s1")
    before = dump_all(net.branch)

    def rename(members):
        return [(name if n == "case.json" else n, raw) for n, raw in members]
    assert rejected(net, reseal(net, path, mutate_members=rename)).code in ("bad_member",)
    assert dump_all(net.branch) == before


def test_compression_bomb_and_size_limits(setup, monkeypatch, tmp_path):
    net = setup
    path = net.export("s1")
    keys = K.branch_keys(net.branch)
    inner = P.parse_inner(P.decrypt(path.read_bytes(), box=keys.box))
    bomb = zlib.compress(b"\x00" * (64 * 1024 * 1024), 9)   # 64 MiB of zeros in ~64 KiB
    members = [(n, bomb if n == "case.json" else d) for n, d in inner.members]
    manifest = dict(inner.manifest)
    sk = K.station_signing_key(net.stations["s1"])
    sealed = P.seal(manifest, [(n, d, 64 * 1024 * 1024 if n == "case.json" else
                                len(zlib.decompress(d))) for n, d in members], sk, keys.identity.box_key)
    assert rejected(net, sealed.data).code == "limit"
    # A member that lies about its size: it would decompress beyond what the manifest declares.
    liar = P.seal(manifest, [(n, d, 10 if n == "case.json" else len(zlib.decompress(d))) for n, d in inner.members],
                  sk, keys.identity.box_key)
    assert rejected(net, liar.data).code == "limit"
    monkeypatch.setattr(P, "MAX_PACKAGE_BYTES", 1000)
    assert rejected(net, path.read_bytes()).code == "too_large"
    from app.sync.importer import read_package_file

    with pytest.raises(ImportRejected) as info:
        read_package_file(path)
    assert info.value.code == "too_large"


def test_another_station_cannot_write_a_stations_records(setup, tmp_path):
    """Station 2 (trusted) signs a package carrying records of station 1: refused, and the
    refusal is written to the branch's audit trail."""
    net = setup
    net.deliver(net.export("s1"))
    s2 = net.join("s2", demo_station(tmp_path / "s2.db", 2))
    with net.stations["s1"].read() as s:
        victim = s.execute(text("SELECT uuid FROM case_record ORDER BY id LIMIT 1")).scalar()
    with s2.raw() as conn:    # station 2's data claims one of station 1's cases
        conn.execute("UPDATE case_record SET uuid = ? WHERE id = (SELECT min(id) FROM case_record)", (victim,))
    path = net.export("s2")
    before = dump_all(net.branch)
    from app.sync.importer import import_files

    (res,) = import_files(net.branch, ADMIN, [path])
    assert res.status == "rejected" and res.code == "ownership"
    after = dump_all(net.branch)
    assert {k: v for k, v in after.items() if k != "audit_log"} == {k: v for k, v in before.items() if k != "audit_log"}
    new = after["audit_log"][len(before["audit_log"]):]
    assert len(new) == 1 and new[0][5] == "import_rejected"
    assert audit.verify_chain(net.branch) == []

    # Rows naming the other station as owner are refused before the database is read.
    def claim(members):
        s1 = K.station_identity(net.stations["s1"]).uuid
        out = []
        for n, raw in members:
            obj = json.loads(raw)
            if n == "officer.json":
                i = obj["columns"].index("station")
                obj["rows"][0][i] = s1
            out.append((n, json.dumps(obj).encode()))
        return out
    net.stations["s1"], keep = s2, net.stations["s1"]
    try:
        data = reseal(net, path, mutate_members=claim, sign_key=K.station_signing_key(s2))
    finally:
        net.stations["s1"] = keep
    assert rejected(net, data).code == "ownership"


def test_rewritten_station_audit_trail_is_caught(setup):
    net = setup
    net.ack("s1", net.deliver(net.export("s1")))
    path = net.export("s1")

    def rewrite(members):
        out = []
        for n, raw in members:
            obj = json.loads(raw)
            if n == "audit.json" and obj["rows"]:
                obj["rows"][0][7] = "forged"
            out.append((n, json.dumps(obj).encode()))
        return out
    assert rejected(net, reseal(net, path, mutate_members=rewrite)).code == "audit_fork"


def test_package_and_receipt_writes_are_atomic(tmp_path, monkeypatch):
    target = tmp_path / "p.stpkg"
    target.write_bytes(b"previous good file")

    def full(_fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(WriteFailed):
        write_verified(target, b"new" * 1000)
    assert target.read_bytes() == b"previous good file"
    assert [p.name for p in tmp_path.iterdir()] == ["p.stpkg"]
    monkeypatch.undo()
    with pytest.raises(WriteFailed):  # the medium returns something else than was written
        write_verified(target, b"abc", verify=lambda back: (_ for _ in ()).throw(WriteFailed("坏", "bad")))
