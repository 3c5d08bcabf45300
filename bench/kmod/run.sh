#!/usr/bin/env bash
# The kernel backend against raw AF_UNIX datagrams, inside one guest of
# Debian's kernel (tests/vm/run.sh boots it): one call per frame and
# batched, 64 and 1500-byte frames. Prints the JSON; keeps it in
# build/vm/bench-kmod.json.
#   bench/kmod/run.sh [frames] [batch]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH="${1:-100000} ${2:-32}" "$ROOT/tests/vm/run.sh" none >/dev/null || true
json=$(sed -n 's/^BENCH-JSON //p' "$ROOT/build/vm/console.log" | tr -d '\r' | tail -n 1)
[ -n "$json" ] || { echo "bench/kmod: no result (see build/vm/console.log)" >&2; exit 1; }
echo "$json" | tee "$ROOT/build/vm/bench-kmod.json"
