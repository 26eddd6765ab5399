#!/usr/bin/env bash
# Prepares this machine for ToBeOut Host Stand: Debian packages (Qt runtime libraries, and the
# PostgreSQL server for the tests), a virtual environment in .venv and the Python packages.
# Usage: scripts/bootstrap.sh run|test   (sourced-free: prints the venv's python on the last line)
set -euo pipefail

purpose="${1:-run}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"

log() { printf '%s\n' "$*" >&2; }

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

# Libraries Qt's xcb and offscreen platforms load at run time, and a font to draw with.
qt_packages=(libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3
    libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xkb1
    libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0 fonts-dejavu-core)
needed=("${qt_packages[@]}")
if [ "$purpose" = test ]; then
    # The suite also builds the PyInstaller bundle, which reads libraries with objdump.
    needed+=(postgresql binutils)
fi

python_bin="$(find_python || true)"
if [ -z "$python_bin" ]; then
    log "ToBeOut needs Python 3.11 or newer. Install it, e.g.: sudo apt-get install python3"
    exit 1
fi
if ! "$python_bin" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    version="$("$python_bin" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    needed+=("python${version}-venv")
fi

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
    for package in "${needed[@]}"; do
        status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
        case "$status" in
            *"install ok installed"*) ;;
            *) missing+=("$package") ;;
        esac
    done
else
    log "Not a Debian/Ubuntu system: make sure Qt's runtime libraries$([ "$purpose" = test ] && echo ' and the PostgreSQL server') are installed."
fi

if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        log "Installing Debian packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2 || true
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
        if [ "$purpose" = test ]; then
            # The tests run their own throwaway cluster; Debian's default one is not needed.
            service postgresql stop >/dev/null 2>&1 || true
        fi
    else
        log "Some system packages are missing. Run this once, then try again:"
        log "  sudo apt-get install -y ${missing[*]}"
        exit 1
    fi
fi

# A venv is (re)built when missing or broken; packages are reinstalled when pyproject changes.
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
    log "Creating the virtual environment in .venv"
    rm -rf "$venv"
    "$python_bin" -m venv "$venv"
fi
# The tests build the desktop bundle, so they need PyInstaller too.
extras=dev
if [ "$purpose" = test ]; then
    extras=dev,package
fi
stamp="$venv/.tobeout-installed"
wanted="$extras $(sha256sum "$root/pyproject.toml" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    log "Installing Python packages (first run takes a few minutes)"
    "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
    "$venv/bin/python" -m pip install --quiet -e "$root[$extras]" >&2
    printf '%s' "$wanted" >"$stamp"
fi
printf '%s\n' "$venv/bin/python"
