#!/usr/bin/env bash
# The language benchmark: ipn parse+check+plan against `nft -c -f` on the
# same generated configurations. Writes build/bench/dsl.json and
# build/bench/dsl.svg. Run as root for the nft side (nft -c needs
# CAP_NET_ADMIN); without it only our figures are reported.
#
#   bench/dsl/run.sh            1k, 10k, ~1 MB and 100k statements
#   bench/dsl/run.sh --quick    1k and 10k only
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
"$ROOT/scripts/bootstrap.sh" --test >/dev/null
mkdir -p "$ROOT/build/bench"
"$ROOT/scripts/deno.sh" run --quiet -A "$ROOT/bench/dsl/bench.ts" --out "$ROOT/build/bench/dsl.json" "$@" >/dev/null
"$ROOT/scripts/deno.sh" run --quiet -A "$ROOT/bench/dsl/chart.ts" "$ROOT/build/bench/dsl.json" "$ROOT/build/bench/dsl.svg"
cat "$ROOT/build/bench/dsl.json"
echo "chart: build/bench/dsl.svg" >&2
