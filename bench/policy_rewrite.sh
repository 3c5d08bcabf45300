#!/usr/bin/env bash
# Applying N rewrites through ipn (checks, kernel check, one transaction,
# read-back) against `nft -f` loading the same table, side by side.
#
#   bench/policy_rewrite.sh [N]      as root (a network namespace)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
make -s -C "$ROOT" native >/dev/null
NS=ipnbench-rw-$$
ip netns add "$NS"
trap 'ip netns del "$NS" 2>/dev/null' EXIT
for i in 0 1 2 3 4 5 6 7 8 9; do ip -n "$NS" link add "in$i" type veth peer name "in${i}p"; done
ip -n "$NS" link add out0 type veth peer name out0p
ip -n "$NS" addr add 10.9.0.1/24 dev out0
ip netns exec "$NS" "$ROOT/scripts/deno.sh" run --quiet -A "$ROOT/bench/policy/rewrite_apply.ts" "${1:-1000}"
