"""TLS and SCRAM on a private PostgreSQL server started for this module: hostssl only, SCRAM
passwords, the server certificate made by app.server.tls, pinned once by its fingerprint."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest

from app.errors import DatabaseError, ValidationError
from app.server.setup import ServerAddress, create_station_server, login_to_server
from app.server.tls import fetch_server_certificate, fingerprint, make_server_certificate, pin_certificate, pinned_url
from app.services.accounts import LoginFailed

SUPER_PASSWORD = "Super-pass-2026"
OWNER_PASSWORD = "Owner-pass-2026"
ADMIN_PASSWORD = "Admin-pass-2026"


def _bin(name: str) -> str | None:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))), None)
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="module")
def tls_server():
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not initdb or not pg_ctl:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL server binaries are missing in CI")
        pytest.skip("PostgreSQL server binaries not installed")
    state = Path(tempfile.mkdtemp(prefix="station-tls-"))
    data = state / "data"
    pwfile = state / "pw"
    pwfile.write_text(SUPER_PASSWORD)
    if os.geteuid() == 0:
        shutil.chown(state, "postgres")
        shutil.chown(pwfile, "postgres")
    subprocess.run(_as_owner([initdb, "-D", str(data), "-U", "postgres", "-A", "scram-sha-256",
                              f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C.UTF-8"]),
                   check=True, capture_output=True)
    cert = make_server_certificate(data, ["127.0.0.1", "localhost"])
    if os.geteuid() == 0:
        for p in (cert.cert_path, cert.key_path):
            shutil.chown(p, "postgres")
    (data / "pg_hba.conf").write_text("hostssl all all 127.0.0.1/32 scram-sha-256\n")
    port = _free_port()
    subprocess.run(_as_owner([pg_ctl, "-D", str(data), "-l", str(state / "log"), "-w", "-t", "60", "-o",
                              f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={state} "
                              f"-c ssl=on -c fsync=off"] + ["start"]), check=True, capture_output=True)
    try:
        yield {"port": port, "cert": cert, "state": state}
    finally:
        subprocess.run(_as_owner([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(state, ignore_errors=True)


def test_pinned_tls_and_scram_end_to_end(tls_server, tmp_path):
    port, cert = tls_server["port"], tls_server["cert"]
    der = fetch_server_certificate("127.0.0.1", port)
    assert fingerprint(der) == cert.fingerprint  # what the workstation shows = what the server printed
    pinned = pin_certificate(der, tmp_path / "station-server.crt")
    superuser = pinned_url(f"postgresql://postgres:{SUPER_PASSWORD}@127.0.0.1:{port}/postgres", pinned)
    with psycopg.connect(superuser, autocommit=True) as c:
        c.execute(f"CREATE ROLE st_owner LOGIN CREATEROLE PASSWORD '{OWNER_PASSWORD}'")
        c.execute("CREATE DATABASE cg OWNER st_owner")
        assert c.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone()[0] is True
    with psycopg.connect(pinned_url(f"postgresql://postgres:{SUPER_PASSWORD}@127.0.0.1:{port}/cg", pinned),
                         autocommit=True) as c:
        c.execute("ALTER SCHEMA public OWNER TO st_owner")
    owner = pinned_url(f"postgresql://st_owner:{OWNER_PASSWORD}@127.0.0.1:{port}/cg", pinned)
    address = create_station_server(owner, "城关派出所", "admin", ADMIN_PASSWORD, prefix="cg")
    assert "sslrootcert" in address.url and "verify-ca" in address.url and "st_owner" not in address.url
    logged = login_to_server(address, "admin", ADMIN_PASSWORD)
    logged.db.close()
    with pytest.raises(LoginFailed):  # SCRAM: the password is checked by the server
        login_to_server(address, "admin", "Wrong-pass-2026")
    with pytest.raises(LoginFailed):
        login_to_server(address, "nobody", ADMIN_PASSWORD)
    # Another certificate pinned (a server in the middle): refused before any password is sent.
    other = make_server_certificate(tmp_path / "other", ["127.0.0.1"])
    wrong = ServerAddress(pinned_url(f"postgresql://127.0.0.1:{port}/cg", other.cert_path), "cg")
    with pytest.raises(DatabaseError) as refused:
        login_to_server(wrong, "admin", ADMIN_PASSWORD)
    assert "certificate" in str(refused.value).lower()
    # No TLS: the server's pg_hba has no line for it.
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(f"postgresql://cg.admin:{ADMIN_PASSWORD}@127.0.0.1:{port}/cg?sslmode=disable")


def test_a_certificate_is_never_overwritten(tmp_path):
    first = make_server_certificate(tmp_path, ["station-server"])
    with pytest.raises(ValidationError, match="already there"):
        make_server_certificate(tmp_path, ["station-server"])
    assert oct(first.key_path.stat().st_mode & 0o777) == "0o600"
    assert len(first.fingerprint.split(":")) == 32
