#!/usr/bin/env bash
# In the guest (MODE=9p: the host's / shared read-only, ipn.ko loaded):
# ipnd and ipnctl on the kernel backend, chosen automatically. One apply of
# a switch with a tap, the tap and the network seen by the kernel, a plan
# that finds nothing to do, one that sees a change made by hand, a destroy
# that removes both. Deno is slow here: five Deno processes in all.
#   (tests/vm/run.sh copies this script into the guest as t_apply)
set -u
ROOT=${ROOT_DIR:?}
cd "$ROOT" || exit 1
export HOME=/tmp XDG_CACHE_HOME=/tmp/.cache DENO_DIR=/tmp/.deno
export IPN_STATE_DIR=/tmp/ipn-state IPN_RUN_DIR=/tmp/ipn-run NO_COLOR=1
IP=/usr/sbin/ip
pass=0
fail=0
check() {
	local what=$1
	shift
	if "$@" >/tmp/apply-check.out 2>&1; then
		pass=$((pass + 1))
		echo "ok - $what"
	else
		fail=$((fail + 1))
		echo "not ok - $what"
		sed 's/^/#   /' /tmp/apply-check.out
	fi
}
ipnctl() {
	timeout 300 "$ROOT/scripts/deno.sh" run --quiet --no-prompt --config "$ROOT/deno.json" \
		--allow-read --allow-write --allow-env --allow-ffi --allow-run --allow-sys --allow-net \
		"$ROOT/runtime/cli/main.ts" "$@"
}
since() { awk -v a="$1" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.1f", b - a }'; }

CFG=/tmp/vmapply.ipn
cat >"$CFG" <<'EOF'
network vmlab {
  path "/tmp/ipn-vmlab"
  policy switch
  tap vmtap0 {
    address 10.55.0.1/24
  }
}
EOF
mkdir -p "$IPN_RUN_DIR"
# the modules as the host transpiled them (tests/vm/run.sh); the shared root is read-only
[ -d "$ROOT/build/vm/deno-cache" ] && cp -a "$ROOT/build/vm/deno-cache" "$DENO_DIR"

t0=$(cut -d' ' -f1 /proc/uptime)
ipnctl daemon --backend auto >/tmp/ipnd.out 2>&1 &
dpid=$!
for _ in $(seq 1 600); do
	[ -S "$IPN_RUN_DIR/ipnd.sock" ] && break
	kill -0 "$dpid" 2>/dev/null || break
	sleep 0.5
done
check "ipnd starts (backend auto) in $(since "$t0")s" test -S "$IPN_RUN_DIR/ipnd.sock"

t0=$(cut -d' ' -f1 /proc/uptime)
check "ipnctl apply: a switch with a tap" ipnctl apply "$CFG"
echo "# apply took $(since "$t0")s"
check "the module has the network, tagged ipnd" grep -Eq '^switch .* vmlab ipnd /tmp/ipn-vmlab$' /proc/net/ipn
check "its node is a socket" test -S /tmp/ipn-vmlab
check "ip link shows the tap, an ipn device, up" sh -c "$IP -d link show vmtap0 | grep -q 'ipn' && $IP link show vmtap0 | grep -q ',UP'"
check "with its address 10.55.0.1/24" sh -c "$IP -4 addr show vmtap0 | grep -q 'inet 10.55.0.1/24'"

t0=$(cut -d' ' -f1 /proc/uptime)
check "ipnctl plan --detailed-exitcode: no changes (exit 0)" ipnctl plan --detailed-exitcode "$CFG"
echo "# plan took $(since "$t0")s"

# drift, as the kernel reports it: the node's mode changed by hand
mode=$(stat -c %a /tmp/ipn-vmlab)
chmod 0600 /tmp/ipn-vmlab
t0=$(cut -d' ' -f1 /proc/uptime)
ipnctl plan --detailed-exitcode "$CFG" >/tmp/drift.out 2>&1
rc=$?
echo "# drift plan took $(since "$t0")s"
check "chmod 0600 by hand: plan reports the change (exit 2)" test "$rc" = 2
check "  naming it: access.mode = 0600 -> 0$mode" grep -Eq "access\.mode +=  ?0600 -> 0$mode" /tmp/drift.out
sed 's/^/#   /' /tmp/drift.out

t0=$(cut -d' ' -f1 /proc/uptime)
check "ipnctl destroy" ipnctl destroy "$CFG"
echo "# destroy took $(since "$t0")s"
check "the tap is gone" sh -c "! $IP link show vmtap0"
check "the network is gone from the module" sh -c "! grep -q vmlab /proc/net/ipn"

kill "$dpid" 2>/dev/null
wait "$dpid" 2>/dev/null
check "ipnd stops on SIGTERM" sh -c "! kill -0 $dpid"
if [ "$fail" != 0 ]; then
	echo "# ipnd's output:"
	sed 's/^/#   /' /tmp/ipnd.out "$IPN_STATE_DIR/ipnd.log" 2>/dev/null | tail -n 30
fi
echo "# apply: $pass passed, $fail failed"
[ "$fail" = 0 ]
