#!/usr/bin/env bash
# Prepare this checkout to run (and with --test, to test) the application.
#
#   scripts/setup.sh [--test]
#
# Idempotent: system packages are checked with dpkg-query and apt is only used when
# something is missing; the Python dependencies are only (re)installed when
# pyproject.toml changed since the last successful install (stamp file in .venv).
# Works as root or as a normal user (sudo is used for apt when not root).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WITH_TEST=0
for arg in "$@"; do
    case "$arg" in
        --test) WITH_TEST=1 ;;
        -h|--help)
            sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
            exit 0 ;;
        *) echo "setup: unknown argument: $arg (usage: scripts/setup.sh [--test])" >&2; exit 2 ;;
    esac
done

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# --------------------------------------------------------------------------- packages
# Qt runtime (xcb platform plugin, EGL/GL, fontconfig, D-Bus) and a CJK font.
RUNTIME_PACKAGES=(
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
    libxkbcommon-x11-0 libxcb-xkb1 libxcb-shape0 libxcb-randr0 libxcb-xinerama0
    libegl1 libgl1 libfontconfig1 libdbus-1-3
    fonts-noto-cjk fonts-wqy-microhei
)

# >>> EXTRA_TEST_PACKAGES: system packages needed only by the test suite (--test).
# Extend this list when tests need more tools (e.g. PostgreSQL for the branch tests).
EXTRA_TEST_PACKAGES=(
    xvfb xauth        # xvfb-run for tests that need a real X server
    poppler-utils     # pdftotext, to check generated PDF reports
    libreoffice-calc-nogui  # headless LibreOffice: generated Excel reports must open and recompute
    postgresql        # the branch sync tests run on PostgreSQL too (scripts/start_postgres.sh)
)
# <<< EXTRA_TEST_PACKAGES

have_dpkg() { command -v dpkg-query >/dev/null 2>&1; }

pkg_installed() {
    [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | cut -c1-2)" = "ii" ]
}

SUDO=()
apt_install() {
    # apt_install PKG... : install the given packages (callers pass only missing ones).
    [ "$#" -gt 0 ] || return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        die "missing system packages and no apt-get on this machine: $*"
    fi
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            SUDO=(sudo)
        else
            die "missing system packages and not root, no sudo: install them as root: apt-get install $*"
        fi
    fi
    say "installing system packages: $*"
    ${SUDO[@]+"${SUDO[@]}"} apt-get update -qq
    ${SUDO[@]+"${SUDO[@]}"} env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# --------------------------------------------------------------------------- python
python_ok() {
    # python_ok EXE MINOR : EXE runs and is Python 3.MINOR or newer
    "$1" -c "import sys; sys.exit(0 if sys.version_info >= (3, $2) else 1)" >/dev/null 2>&1
}

# Print the path of the interpreter to build .venv with, or fail.
find_python() {
    local cand
    # Preferred: 3.12+ (PySide6 is unconstrained there).
    for cand in python3.13 python3.12; do
        if command -v "$cand" >/dev/null 2>&1 && python_ok "$cand" 12; then
            command -v "$cand"; return 0
        fi
    done
    # pyenv installs (shims fail for versions that are not selected, so go direct).
    local home
    for home in "${HOME:-/nonexistent}" /root; do
        for cand in $(ls -d "$home"/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do
            if python_ok "$cand" 12; then echo "$cand"; return 0; fi
        done
    done
    # Fallback: whatever python3 is, if >= 3.11 (pyproject pins PySide6 < 6.12 there).
    for cand in python3; do
        if command -v "$cand" >/dev/null 2>&1 && python_ok "$cand" 11; then
            command -v "$cand"; return 0
        fi
    done
    return 1
}

VENV="$ROOT/.venv"
VPY="$VENV/bin/python"

venv_ok() {
    [ -x "$VPY" ] && python_ok "$VPY" 11 && "$VPY" -m pip --version >/dev/null 2>&1
}

# --------------------------------------------------------------------------- 1. system
WANTED=("${RUNTIME_PACKAGES[@]}")
[ "$WITH_TEST" = 1 ] && WANTED+=("${EXTRA_TEST_PACKAGES[@]}")

PY=""
if ! venv_ok; then
    PY="$(find_python || true)"
    if [ -z "$PY" ]; then
        # No usable interpreter at all (e.g. a minimal Debian image): use the system one.
        WANTED+=(python3 python3-venv)
    else
        PY_REAL="$(readlink -f "$PY")"
        case "$PY_REAL" in
            /usr/bin/python3*)
                # Debian/Ubuntu ship venv's ensurepip separately, in python3.X-venv.
                PY_MINOR="$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
                WANTED+=("python${PY_MINOR}-venv") ;;
        esac
    fi
fi

if have_dpkg; then
    MISSING=()
    for p in "${WANTED[@]}"; do
        pkg_installed "$p" || MISSING+=("$p")
    done
    if [ "${#MISSING[@]}" -gt 0 ]; then
        apt_install "${MISSING[@]}"
    else
        say "system packages: all ${#WANTED[@]} present"
    fi
else
    say "not a dpkg-based system: skipping system packages (need Qt xcb libs and a CJK font)"
fi

# --------------------------------------------------------------------------- 2. venv
if venv_ok; then
    say "reusing .venv ($("$VPY" -c 'import platform; print(platform.python_version())'))"
else
    if [ -z "$PY" ]; then
        PY="$(find_python || true)"
        [ -n "$PY" ] || die "no Python >= 3.11 found (install python3 and python3-venv)"
    fi
    if [ -e "$VENV" ]; then
        say "existing .venv is broken or too old: recreating it"
        rm -rf "$VENV"
    fi
    say "creating .venv with $PY ($("$PY" -c 'import platform; print(platform.python_version())'))"
    "$PY" -m venv "$VENV" || die "could not create .venv with $PY (on Debian: apt-get install python3-venv)"
    venv_ok || die ".venv was created but its python/pip does not work"
fi

# --------------------------------------------------------------------------- 3. deps
HASH="$(sha256sum pyproject.toml | cut -c1-64)"
STAMP_PLAIN="$VENV/.installed-$HASH"
STAMP_TEST="$VENV/.installed-$HASH-test"

if [ "$WITH_TEST" = 1 ]; then
    EXTRAS='.[test]'; STAMP="$STAMP_TEST"
else
    EXTRAS='.'; STAMP="$STAMP_PLAIN"
fi

if [ -e "$STAMP" ] || { [ "$WITH_TEST" = 0 ] && [ -e "$STAMP_TEST" ]; }; then
    say "python dependencies up to date"
else
    export PIP_DISABLE_PIP_VERSION_CHECK=1
    LOG="$VENV/pip-install.log"
    say "upgrading pip"
    "$VPY" -m pip install -q --upgrade pip >"$LOG" 2>&1 || say "warning: pip upgrade failed, continuing (see $LOG)"
    say "installing python dependencies: pip install -e '$EXTRAS' (log: .venv/pip-install.log)"
    # compat mode puts the repository on sys.path (a .pth entry): packages added later are seen
    # without reinstalling, which the default editable finder does not do.
    if ! "$VPY" -m pip install --config-settings editable_mode=compat -e "$EXTRAS" >>"$LOG" 2>&1; then
        tail -n 30 "$LOG" >&2
        die "pip install failed (full log: $LOG)"
    fi
    rm -f "$VENV"/.installed-*
    touch "$STAMP"
    say "python dependencies installed"
fi

say "ready ($VPY)"
