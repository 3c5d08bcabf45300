#!/usr/bin/env bash
# The fleet benchmark: tap to tap across an ipn VXLAN uplink between two
# hosts (network namespaces, one ipnd each) against the same hosts' veth
# underlay and a kernel VXLAN device, in one run. Run as root. Writes
# build/bench/fleet.json and build/bench/fleet.svg; prints the JSON.
#
#   bench/fleet/run.sh                  5 s x 3 iperf3 runs, 200 pings per path
#   bench/fleet/run.sh --quick          2 s x 1 run, 100 pings
#   bench/fleet/run.sh --setting "queue 1024"   an extra line in the network block
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
"$ROOT/scripts/bootstrap.sh" --test >/dev/null
args=()
for a in "$@"; do
	if [ "$a" = --quick ]; then args+=(--seconds 2 --runs 1 --pings 100); else args+=("$a"); fi
done
mkdir -p "$ROOT/build/bench"
"$ROOT/scripts/deno.sh" run --quiet -A "$ROOT/bench/fleet/bench.ts" --out "$ROOT/build/bench/fleet.json" "${args[@]}" >/dev/null
"$ROOT/scripts/deno.sh" run --quiet -A "$ROOT/bench/fleet/chart.ts" "$ROOT/build/bench/fleet.json" "$ROOT/build/bench/fleet.svg"
cat "$ROOT/build/bench/fleet.json"
echo "chart: build/bench/fleet.svg" >&2
