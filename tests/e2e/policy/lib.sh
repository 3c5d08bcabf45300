# Shared by tests/e2e/policy_*.sh: checks, cleanup, the driver, waiting.
# shellcheck shell=bash
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
TAG=$$
FAILS=0
CHECKS=0
PIDS=()
NETNS=()
TMP=$(mktemp -d "/tmp/ipn-policy-e2e-$TAG-XXXX")

cleanup() {
	local p n
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for n in "${NETNS[@]}"; do ip netns del "$n" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT

ok() {
	CHECKS=$((CHECKS + 1))
	echo "  ok   $*"
}
bad() {
	CHECKS=$((CHECKS + 1))
	FAILS=$((FAILS + 1))
	echo "  FAIL $*"
}
# check DESCRIPTION COMMAND...: pass when the command succeeds
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}
# contains FILE TEXT
contains() { grep -qF -- "$2" "$1"; }
finish() {
	echo "$(basename "$0"): $CHECKS checks, $FAILS failed"
	[ "$FAILS" = 0 ]
}

need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "$(basename "$0"): needs root (network namespaces)" >&2
		exit 1
	fi
}

netns() {
	ip netns add "$1" || exit 1
	NETNS+=("$1")
	ip -n "$1" link set lo up
}

build() { make -s -C "$ROOT" native >/dev/null || exit 1; }

DENO="$ROOT/scripts/deno.sh"
# driver NETNS ARGS...: the policy modules, run inside a namespace
driver() {
	local ns=$1
	shift
	ip netns exec "$ns" "$DENO" run --quiet -A "$ROOT/tests/e2e/policy/driver.ts" "$@"
}

# wait_for SECONDS COMMAND...: poll until the command succeeds
wait_for() {
	local n=$(($1 * 10))
	shift
	while [ $n -gt 0 ]; do
		"$@" 2>/dev/null && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
