#!/usr/bin/env bash
# The whole test suite: ruff, then pytest on SQLite and on a PostgreSQL server it starts itself.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python_bin="$(bash "$root/scripts/bootstrap.sh" test | tail -n 1)"
bin="$(dirname "$python_bin")"
cd "$root"
export QT_QPA_PLATFORM=offscreen
echo "== ruff check" >&2
"$bin/ruff" check .
"$bin/ruff" format --check .
echo "== pytest (SQLite and PostgreSQL)" >&2
exec "$python_bin" -m pytest "$@"
