#!/usr/bin/env bash
# Shared by tests/e2e/engine_*.sh: build, a private engine rundir, unique
# names, cleanup, explicit waits. Source it; it sets -euo pipefail.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
B=$ROOT/build
make -s -C "$ROOT/native/libipn" all test-progs >/dev/null

SFX=$$                      # unique per test run: names, namespaces, dirs
RUN=$(mktemp -d "/tmp/ipn-e2e-$SFX.XXXX")
chmod 0755 "$RUN"           # unprivileged members must reach network paths
IC() { "$B/tests/ipn-client" --rundir "$RUN" "$@"; }
VC() { "$B/tests/vde-client" "$@"; }
# In the background use the binaries themselves, so $! is the client's pid
# (a backgrounded function is a subshell: killing it leaves the client).
ICB=$B/tests/ipn-client
VCB=$B/tests/vde-client

NAMESPACES=()
CLEANUPS=()
BG=()

pretty() { echo "[+] $*"; }
ok() { echo "ok - $*"; }
die() {
	echo "FAIL - $*" >&2
	[ -f "$RUN/engine.log" ] && { echo "--- engine.log" >&2; tail -n 30 "$RUN/engine.log" >&2; }
	exit 1
}

# wait_for SECONDS CMD...: run CMD until it succeeds or the deadline passes.
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $deadline ] || return 1
		sleep 0.05
	done
}

netns() { # netns NAME: create (IPv6 off: no autoconf chatter), remember for cleanup
	ip netns add "$1"
	NAMESPACES+=("$1")
	ip -n "$1" link set lo up
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}

# A counter of a network: stat NET KEY
nstat() { IC get "$1" | awk -v k="$2" '$1 == k {print $2}'; }
port_stat() { IC ports "$1" | awk -v k="port$2.$3" '$1 == k {print $2}'; }

engine_pid() { cat "$RUN/engine.pid" 2>/dev/null; }

cleanup() {
	local rc=$?
	set +e
	for p in "${BG[@]}"; do kill "$p" 2>/dev/null; done
	for c in "${CLEANUPS[@]}"; do eval "$c"; done
	if [ -S "$RUN/engine.ctl" ]; then
		IC shutdown >/dev/null 2>&1 || kill "$(engine_pid)" 2>/dev/null
	fi
	for n in "${NAMESPACES[@]}"; do ip netns del "$n" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$RUN"
	exit $rc
}
trap cleanup EXIT
