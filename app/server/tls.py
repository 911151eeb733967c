"""TLS for the station server: the server's certificate, and the client pinning it once.

The station server makes its own certificate (`make_server_certificate`: an ECDSA P-256 key and a
self-signed certificate naming the server's host names and addresses) and prints its SHA-256
fingerprint. At a workstation's set-up the program fetches the certificate the server presents
(`fetch_server_certificate`), shows the fingerprint to be compared with the server's (read out
or on paper), and once confirmed keeps the certificate (`pin_certificate`). From then on every
connection uses `sslmode=verify-ca` with that certificate as the only root: a server that shows
any other certificate (a machine in the middle, a replaced server) is refused before the
password is sent.
"""
from __future__ import annotations

import ipaddress
import os
import re
import socket
import ssl
import struct
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from app.errors import DatabaseError, ValidationError

#: PostgreSQL's SSLRequest code (protocol 3): the client asks for TLS before anything else.
SSL_REQUEST = 80877103
VALID_YEARS = 10
CERT_NAME, KEY_NAME = "server.crt", "server.key"
#: A certificate larger than this is not one (a hostile server cannot make us read more).
MAX_CERT_BYTES = 64 * 1024


@dataclass(frozen=True)
class ServerCertificate:
    cert_path: Path
    key_path: Path
    fingerprint: str


def fingerprint(der: bytes) -> str:
    """SHA-256 of the certificate, as pairs of hex digits (what a person reads out and compares)."""
    import hashlib

    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def make_server_certificate(folder: str | Path, names: list[str], *, now: datetime | None = None) -> ServerCertificate:
    """Write server.crt and server.key (mode 0600, as PostgreSQL requires) into `folder`, for the
    host names and IP addresses in `names`. An existing pair is never overwritten."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    if not names:
        raise ValidationError("请至少给出一个服务器名称或地址", "give at least one host name or address", "names")
    target = Path(folder)
    cert_path, key_path = target / CERT_NAME, target / KEY_NAME
    if cert_path.exists() or key_path.exists():
        raise ValidationError(f"证书已存在，未覆盖：{cert_path}", f"a certificate is already there; not overwritten: "
                              f"{cert_path}", "dir")
    alt = []
    for n in names:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(n)))
        except ValueError:
            alt.append(x509.DNSName(n))
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0]),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "station-intel")])
    start = (now or datetime.now(timezone.utc)) - timedelta(minutes=5)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start)
            .not_valid_after(start + timedelta(days=365 * VALID_YEARS))
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            # Its own root: the pinned certificate is the only trust anchor a workstation has.
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    target.mkdir(parents=True, exist_ok=True)
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return ServerCertificate(cert_path, key_path, fingerprint(cert.public_bytes(serialization.Encoding.DER)))


def fetch_server_certificate(host: str, port: int, timeout: float = 5.0) -> bytes:
    """The certificate (DER) a PostgreSQL server presents, fetched without trusting it, to be
    confirmed by its fingerprint. Raises DatabaseError when the server offers no TLS."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw:
            raw.sendall(struct.pack("!II", 8, SSL_REQUEST))
            answer = raw.recv(1)
            if answer != b"S":
                raise DatabaseError(f"服务器不支持加密连接（TLS）：{host}:{port}",
                                    f"the server does not offer TLS: {host}:{port}")
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE  # not trusted yet: the person compares the fingerprint
            with ctx.wrap_socket(raw, server_hostname=host) as tls:
                der = tls.getpeercert(binary_form=True)
    except OSError as exc:
        raise DatabaseError(f"无法连接服务器 {host}:{port}：{exc}", f"cannot reach the server {host}:{port}: {exc}") from exc
    if not der or len(der) > MAX_CERT_BYTES:
        raise DatabaseError("服务器未出示有效证书", "the server showed no usable certificate")
    return der


def pin_certificate(der: bytes, path: str | Path) -> Path:
    """Keep the confirmed certificate (PEM) where the client finds it: the only root it trusts."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(ssl.DER_cert_to_PEM_cert(der), encoding="ascii")
    return target


def pinned_url(url: str, cert_path: str | Path) -> str:
    """`url` with TLS required and verified against the pinned certificate only."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("sslmode", "sslrootcert")]
    query += [("sslmode", "verify-ca"), ("sslrootcert", str(Path(cert_path).resolve()))]
    return urlunsplit(parts._replace(query=urlencode(query)))


_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*|[0-9A-Fa-f:.]{2,45})$")
_DATABASE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_$-]{0,62}$")


def server_url(host: str, port: int, database: str) -> str:
    """postgresql://HOST:PORT/DATABASE from what a person typed at set-up, each part checked."""
    host, database = host.strip(), database.strip()
    if len(host) > 253 or not _HOST.match(host):
        raise ValidationError(f"服务器地址无效：{host[:80]}", f"not a host name or IP address: {host[:80]}", "host")
    if not 0 < int(port) < 65536:
        raise ValidationError(f"端口无效：{port}", f"not a port: {port}", "port")
    if not _DATABASE.match(database):
        raise ValidationError(f"数据库名无效：{database[:80]}", f"not a database name: {database[:80]}", "database")
    shown = f"[{host}]" if ":" in host else host
    return f"postgresql://{shown}:{int(port)}/{database}"


def server_certificate_path(host: str, port: int) -> Path:
    """Where this workstation keeps the confirmed certificate of the server at host:port."""
    from app.store.paths import data_dir

    safe = re.sub(r"[^A-Za-z0-9.-]", "_", host.strip())[:100]
    return data_dir() / "servers" / f"{safe}_{int(port)}.crt"
