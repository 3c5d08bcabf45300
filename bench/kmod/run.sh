#!/usr/bin/env bash
# The data plane side by side in one guest of Debian's kernel (MODE=9p:
# the host's binaries): libipn's kernel backend, libipn's user engine,
# vde_switch (hub) and direct AF_UNIX datagrams, the same client workload,
# one call per frame and batched. Writes build/bench/kmod.json and
# build/bench/kmod.svg; prints the JSON.
#   bench/kmod/run.sh [seconds per measurement]
# Two passes: all on one CPU, then spread over the guest's CPUs (dpbench.c).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
"$ROOT/scripts/bootstrap.sh" --test >/dev/null
make -s -C "$ROOT/bench/kmod" OUT="$ROOT/build/vm/bin"
mkdir -p "$ROOT/build/bench"
MODE=9p BENCH="${1:-0.5}" TIMEOUT=600 "$ROOT/tests/vm/run.sh" none >/dev/null || true
json=$(sed -n 's/^BENCH-JSON //p' "$ROOT/build/vm/console.log" | tr -d '\r' | tail -n 1)
[ -n "$json" ] && [ "${json:0:1}" = "{" ] || {
	echo "bench/kmod: no result (see build/vm/console.log)" >&2
	exit 1
}
echo "$json" >"$ROOT/build/bench/kmod.json"
"$ROOT/scripts/deno.sh" run --quiet --allow-read --allow-write "$ROOT/bench/kmod/chart.ts" \
	"$ROOT/build/bench/kmod.json" "$ROOT/build/bench/kmod.svg"
cat "$ROOT/build/bench/kmod.json"
echo "chart: build/bench/kmod.svg" >&2
