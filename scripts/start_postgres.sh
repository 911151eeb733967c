#!/usr/bin/env bash
# Start a private, throw-away PostgreSQL server for the branch-office (分局) sync tests.
#
#   scripts/start_postgres.sh          start (or reuse) the server; prints the URL
#   scripts/start_postgres.sh stop     stop it and remove its data folder
#
# Idempotent: installs the server with apt-get when it is missing, makes a cluster in a private
# folder (PG_STATE_DIR, default /tmp/station-intel-pg), listens on 127.0.0.1 only on a free port,
# creates a role and a database, and writes the URL to $PG_STATE_DIR/url (and to .pg_url in the
# repository root). A second run finds the running server and prints the same URL.
# Tests read the URL from STATION_TEST_PG_URL:  export STATION_TEST_PG_URL="$(scripts/start_postgres.sh)"
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${PG_STATE_DIR:-/tmp/station-intel-pg}"
DATA="$STATE/data"
ROLE=station
DBNAME=station_test

log() { echo "start_postgres: $*" >&2; }

find_bin() {
    local name="$1" dir
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/$name" ] && { echo "$dir/$name"; return 0; }
    done
    return 1
}

# Commands run as the postgres user when we are root (initdb refuses root), else as ourselves.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

if [ "${1:-}" = "stop" ]; then
    if [ -d "$DATA" ] && PG_CTL="$(find_bin pg_ctl)"; then
        as_owner "$PG_CTL" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
    fi
    rm -rf "$STATE"
    rm -f "$ROOT/.pg_url"
    log "stopped"
    exit 0
fi

if ! find_bin initdb >/dev/null; then
    log "installing PostgreSQL (apt-get)"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
fi
INITDB="$(find_bin initdb)"
PG_CTL="$(find_bin pg_ctl)"
PSQL="$(find_bin psql)"

mkdir -p "$STATE"
if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$STATE"
fi

# Reuse a running server.
if [ -f "$STATE/url" ] && as_owner "$PG_CTL" -D "$DATA" status >/dev/null 2>&1; then
    cp "$STATE/url" "$ROOT/.pg_url" 2>/dev/null || true
    cat "$STATE/url"
    exit 0
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
    rm -rf "$DATA"
    as_owner "$INITDB" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi

PORT="$(python3 - <<'EOF'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
)"
# The socket folder is the private state folder: nothing listens outside 127.0.0.1.
as_owner "$PG_CTL" -D "$DATA" -l "$STATE/server.log" -w -t 60 \
    -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$STATE -c fsync=off" start >/dev/null

as_owner "$PSQL" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >/dev/null <<EOF
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN CREATEDB;
  END IF;
END \$\$;
EOF
if ! as_owner "$PSQL" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'" | grep -q 1; then
    as_owner "$PSQL" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -q -c "CREATE DATABASE $DBNAME OWNER $ROLE"
fi

URL="postgresql://$ROLE@127.0.0.1:$PORT/$DBNAME"
echo "$URL" > "$STATE/url"
cp "$STATE/url" "$ROOT/.pg_url" 2>/dev/null || true
log "running at $URL (data in $DATA)"
echo "$URL"
