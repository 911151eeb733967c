"""B11: random bytes, mutations of a valid package, fuzz bytes encrypted to the branch key and
fuzzed manifests signed by a trusted key: only ImportRejected, never another exception."""
from __future__ import annotations

import json
import os
import zlib

from hypothesis import HealthCheck, given, settings, strategies as st

from app.sync import keys as K, package as P
from app.sync.errors import ImportRejected
from app.sync.importer import _trusted, verify_package
from tests.sync.helpers import ADMIN, Net, dump_all, small_station

#: 2,000 per strategy per run; bench/sync_bench.py --faults runs 10,000 (STATION_FUZZ_EXAMPLES).
N = int(os.environ.get("STATION_FUZZ_EXAMPLES", "2000"))
FAST = settings(max_examples=N, deadline=1000, suppress_health_check=list(HealthCheck), database=None)


def _world(tmp_path_factory):
    from app.store import SqliteStore

    folder = tmp_path_factory.mktemp("fuzz")
    net = Net(SqliteStore(folder / "branch.db", create=True), folder / "carry")
    st = net.join("s1", small_station(folder / "s1.db", "城关派出所", "S1"))
    from tests.sync.test_roundtrip import churn

    churn(st, "x")
    valid = net.export("s1").read_bytes()
    return net, valid, K.branch_keys(net.branch), _trusted(net.branch), K.station_signing_key(st)


def only_rejected(data: bytes, keys, trusted) -> None:
    try:
        verify_package(data, keys, trusted)
    except ImportRejected:
        return
    raise AssertionError("a fuzzed package was accepted")


def test_fuzz_only_import_rejected(tmp_path_factory):
    net, valid, keys, trusted, sign = _world(tmp_path_factory)
    before = dump_all(net.branch)

    @FAST
    @given(st.binary(max_size=2048))
    def raw_bytes(data):
        only_rejected(data, keys, trusted)

    @FAST
    @given(st.lists(st.tuples(st.integers(0, len(valid) - 1), st.integers(1, 255)), min_size=1, max_size=8),
           st.integers(0, len(valid)))
    def mutations(edits, cut):
        bad = bytearray(valid[:max(cut, 1)] if cut < len(valid) // 2 else valid)
        for pos, x in edits:
            if pos < len(bad):
                bad[pos] ^= x
        if bytes(bad) == valid:
            return  # the edits cancelled out: the valid package itself
        only_rejected(bytes(bad), keys, trusted)

    recipient = keys.identity.box_key

    @settings(max_examples=max(N // 10, 50), deadline=1000, suppress_health_check=list(HealthCheck), database=None)
    @given(st.binary(max_size=4096))
    def encrypted_fuzz(inner):
        # Fuzz bytes behind a valid encryption layer reach the container parser.
        data = _encrypt(P.INNER_MAGIC + inner, recipient)
        only_rejected(data, keys, trusted)

    station = K.station_identity(net.stations["s1"])
    manifest_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                                   lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c,
                                                                                        max_size=4), max_leaves=10)

    @settings(max_examples=max(N // 10, 50), deadline=1000, suppress_health_check=list(HealthCheck), database=None)
    @given(st.dictionaries(st.sampled_from(["format", "schema", "seq", "export_id", "kind", "base_seq",
                                            "created_at", "window", "counts", "audit_head", "audit_from",
                                            "parts"]), manifest_values, max_size=12),
           st.lists(st.tuples(st.sampled_from(P.PART_NAMES), st.binary(max_size=200)), max_size=4))
    def signed_fuzz(fields, parts):
        # A fuzzed manifest properly signed by the trusted station key, with fuzzed members.
        m = {"station": {"uuid": station.uuid, "code": station.code, "name": station.name}, **fields}
        members = [(f"{n}.json", zlib.compress(b), len(b)) for n, b in parts]
        try:
            data = P.seal(m, members, sign, recipient).data
        except (TypeError, ValueError):
            return  # not representable as JSON: nothing to send
        only_rejected(data, keys, trusted)

    raw_bytes()
    mutations()
    encrypted_fuzz()
    signed_fuzz()
    assert dump_all(net.branch) == before


def _encrypt(inner: bytes, recipient: bytes) -> bytes:
    import base64
    import struct

    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    eph = X25519PrivateKey.generate()
    eph_pub = eph.public_key().public_bytes(**P._RAW_PUB)
    key = P._content_key(eph.exchange(X25519PublicKey.from_public_bytes(recipient)), eph_pub, recipient)
    nonce = os.urandom(12)
    header = json.dumps({"recipient": K.key_id(recipient), "ephemeral": base64.b64encode(eph_pub).decode(),
                         "nonce": base64.b64encode(nonce).decode()}).encode()
    prefix = P.MAGIC + bytes([P.FORMAT]) + struct.pack(">H", len(header)) + header
    return prefix + AESGCM(key).encrypt(nonce, inner, prefix)


def test_admin_actor_is_used():  # the fuzz world acts as the administrator, as the CLI does
    assert ADMIN.role == "admin"
