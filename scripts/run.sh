#!/usr/bin/env bash
# Opens ToBeOut Host Stand, with the demo restaurant on the first start.
#
# A real install (`python main.py`) greets a database without restaurants with the set-up wizard;
# this script is the quick look: while the database has no restaurant it loads the demo first
# (`main.py demo`, idempotent; the demo accounts are printed on stderr, the id on stdout is
# dropped). A database that already has restaurants is never given the demo. With a command
# (`scripts/run.sh restaurant list`) the arguments go to main.py unchanged.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python_bin="$(bash "$root/scripts/bootstrap.sh" run | tail -n 1)"
cd "$root"

# Global options come before a command; only they are passed to the demo step.
options=()
rest=("$@")
while [ "${#rest[@]}" -gt 0 ]; do
    case "${rest[0]}" in
        --database-url) options+=("${rest[@]:0:2}"); rest=("${rest[@]:2}") ;;
        --database-url=*) options+=("${rest[0]}"); rest=("${rest[@]:1}") ;;
        *) break ;;
    esac
done

if [ "${#rest[@]}" -eq 0 ]; then
    restaurants="$("$python_bin" main.py ${options[@]+"${options[@]}"} restaurant list --json \
        2>/dev/null || true)"
    if [ "$restaurants" = "[]" ]; then
        "$python_bin" main.py ${options[@]+"${options[@]}"} demo >/dev/null ||
            echo "run.sh: the demo restaurant could not be loaded; starting anyway." >&2
    fi
fi
exec "$python_bin" main.py "$@"
