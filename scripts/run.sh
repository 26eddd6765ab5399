#!/usr/bin/env bash
# Opens ToBeOut Host Stand on its embedded SQLite database (demo data on the first start).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python_bin="$(bash "$root/scripts/bootstrap.sh" run | tail -n 1)"
cd "$root"
exec "$python_bin" main.py "$@"
