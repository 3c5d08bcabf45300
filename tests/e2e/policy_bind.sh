#!/usr/bin/env bash
# Bind (seed 003): a program started under a bind policy sends through the
# policy's device while its X11 connections, loopback and other exceptions
# keep the normal route; TCP and UDP, IPv4 and IPv6; a missing device fails
# loudly before anything starts; setuid programs are left alone.
#
#   ns B (the host under test): usn0 --veth-- usn0p (ns T, "test network")
#                               eth0 --veth-- eth0p (ns N, "normal route")
# 192.0.2.10 and 2001:db8::10 exist on both sides; the server that answers
# says which route a connection took.
source "$(dirname "$0")/policy/lib.sh"
need_root
build
B=ipnbd-b-$TAG T=ipnbd-t-$TAG N=ipnbd-n-$TAG
netns "$B"
netns "$T"
netns "$N"
ip -n "$B" link add usn0 type veth peer name usn0p netns "$T"
ip -n "$B" link add eth0 type veth peer name eth0p netns "$N"
ip -n "$B" addr add 10.1.0.1/24 dev usn0
ip -n "$B" addr add fd01::1/64 dev usn0 nodad
ip -n "$B" addr add 10.2.0.1/24 dev eth0
ip -n "$B" addr add fd02::1/64 dev eth0 nodad
ip -n "$T" addr add 10.1.0.2/24 dev usn0p
ip -n "$T" addr add 192.0.2.10/24 dev usn0p
ip -n "$T" addr add fd01::2/64 dev usn0p nodad
ip -n "$T" addr add 2001:db8::10/64 dev usn0p nodad
ip -n "$N" addr add 10.2.0.2/24 dev eth0p
ip -n "$N" addr add 192.0.2.10/32 dev eth0p
ip -n "$N" addr add fd02::2/64 dev eth0p nodad
ip -n "$N" addr add 2001:db8::10/128 dev eth0p nodad
ip -n "$B" link set usn0 up
ip -n "$B" link set eth0 up
ip -n "$T" link set usn0p up
ip -n "$N" link set eth0p up
ip -n "$T" route add 10.2.0.0/24 via 10.1.0.1
# The normal route to the servers is eth0 (lower metric); usn0 has one too,
# which is what a socket bound to usn0 uses.
ip -n "$B" route add 192.0.2.0/24 via 10.2.0.2 dev eth0 metric 100
ip -n "$B" route add 192.0.2.0/24 dev usn0 metric 500
ip -n "$B" -6 route add 2001:db8::/64 via fd02::2 dev eth0 metric 100
ip -n "$B" -6 route add 2001:db8::/64 dev usn0 metric 500
ip -n "$N" route add 10.1.0.0/24 via 10.2.0.1
ip -n "$N" -6 route add fd01::/64 via fd02::1
ip -n "$T" -6 route add fd02::/64 via fd01::1

P=$ROOT/build/tests/policy/sockprobe
for port in 8080 6000 6001; do
	ip netns exec "$T" "$P" serve $port T 192.0.2.10 2001:db8::10 &
	PIDS+=($!)
	ip netns exec "$N" "$P" serve $port N 192.0.2.10 2001:db8::10 &
	PIDS+=($!)
done
ip netns exec "$B" "$P" serve 8080 B 127.0.0.1 ::1 &
PIDS+=($!)
wait_for 5 sh -c "ip netns exec $N ss -Htln | grep -q ':6001 '" || bad "servers did not start"
wait_for 5 sh -c "ip netns exec $B ss -Htln | grep -q ':8080 '" || bad "local server did not start"

cat >"$TMP/plan.json" <<JSON
{"version": 1, "backend": "auto", "resources": [
 {"kind": "bind", "name": "testers", "device": "usn0", "except": [
   {"kind": "port", "proto": "tcp", "ports": [{"from": 6000, "to": 6063}]},
   {"kind": "loopback"}, {"kind": "unix"}]},
 {"kind": "bind", "name": "by-env", "env": "ND", "except": [{"kind": "loopback"}]},
 {"kind": "bind", "name": "gone", "device": "usn9", "except": []},
 {"kind": "bind", "name": "bad", "device": "usn0", "except": [{"kind": "address", "cidr": "nowhere"}]}
]}
JSON
# expect WHAT WANT COMMAND...: the probe's line must be WANT
expect() {
	local what=$1 want=$2
	shift 2
	local got
	got=$("$@" 2>"$TMP/err")
	if [ "$got" = "$want" ]; then ok "$what: $got"; else bad "$what: got '$got' $(cat "$TMP/err"), want '$want'"; fi
}
run() { ip netns exec "$B" "$P" "$@"; }
under() { # POLICY PROBE-ARGS...: through the exec module, as `ipnctl exec` runs it
	local pol=$1
	shift
	driver "$B" exec --plan "$TMP/plan.json" --policy "$pol" -- "$P" "$@"
}

echo "== without a policy everything takes the normal route"
expect "tcp 8080" "dev=- result=ok reply=N" run tcp 192.0.2.10 8080
expect "udp 8080" "dev=- result=ok reply=N" run udp 192.0.2.10 8080
expect "tcp6 8080" "dev=- result=ok reply=N" run tcp 2001:db8::10 8080

echo "== under policy testers (device usn0, except tcp 6000-6063, loopback, unix)"
expect "tcp (non-blocking connect) goes through usn0" "dev=usn0 result=ok reply=T" under testers tcp 192.0.2.10 8080
expect "X11 port 6000 keeps the normal route" "dev=- result=ok reply=N" under testers tcp 192.0.2.10 6000
expect "X11 port 6001 over IPv6 too" "dev=- result=ok reply=N" under testers tcp 2001:db8::10 6001
expect "udp sendto goes through usn0" "dev=usn0 result=ok reply=T" under testers udp 192.0.2.10 8080
expect "udp connect+send" "dev=usn0 result=ok reply=T" under testers udpconn 192.0.2.10 8080
expect "udp sendmsg" "dev=usn0 result=ok reply=T" under testers udpmsg 192.0.2.10 8080
expect "udp to 6000: the exception is tcp only" "dev=usn0 result=ok reply=T" under testers udp 192.0.2.10 6000
expect "tcp over IPv6" "dev=usn0 result=ok reply=T" under testers tcp 2001:db8::10 8080
expect "udp over IPv6" "dev=usn0 result=ok reply=T" under testers udp 2001:db8::10 8080
expect "loopback keeps its route" "dev=- result=ok reply=B" under testers tcp 127.0.0.1 8080
expect "IPv6 loopback too" "dev=- result=ok reply=B" under testers tcp ::1 8080
expect "a listening socket is bound" "dev=usn0 result=ok reply=-" under testers listen 0.0.0.0 7000
expect "one on loopback is not" "dev=- result=ok reply=-" under testers listen 127.0.0.1 7000
expect "a socket the program bound itself is left alone" "dev=eth0 result=ok reply=N" \
	env SOCKPROBE_DEVICE=eth0 ip netns exec "$B" "$DENO" run --quiet -A "$ROOT/tests/e2e/policy/driver.ts" \
	exec --plan "$TMP/plan.json" --policy testers -- "$P" tcp 192.0.2.10 8080

echo "== the device counters agree"
tx() { ip netns exec "$B" cat "/sys/class/net/$1/statistics/tx_packets"; }
u0=$(tx usn0) e0=$(tx eth0)
for _ in 1 2 3 4 5; do under testers udp 192.0.2.10 8080 >/dev/null; done
u1=$(tx usn0) e1=$(tx eth0)
check "5 datagrams left through usn0 (tx $u0 -> $u1)" [ $((u1 - u0)) -ge 5 ]
check "  none through eth0 (tx $e0 -> $e1)" [ $((e1 - e0)) -lt 5 ]

echo "== env-only: ND=<dev> with the library preloaded (the seed's way)"
LIB=$ROOT/build/lib/libipn_bind.so
expect "ND=usn0: tcp 8080 via usn0" "dev=usn0 result=ok reply=T" \
	ip netns exec "$B" env ND=usn0 LD_PRELOAD="$LIB" "$P" tcp 192.0.2.10 8080
expect "ND=usn0: no X11 exception by default" "dev=usn0 result=ok reply=T" \
	ip netns exec "$B" env ND=usn0 LD_PRELOAD="$LIB" "$P" tcp 192.0.2.10 6000
expect "ND=usn0: loopback excepted by default" "dev=- result=ok reply=B" \
	ip netns exec "$B" env ND=usn0 LD_PRELOAD="$LIB" "$P" tcp 127.0.0.1 8080
expect "no ND: the library does nothing" "dev=- result=ok reply=N" \
	ip netns exec "$B" env LD_PRELOAD="$LIB" "$P" tcp 192.0.2.10 8080
expect "policy by-env takes the device from ND" "dev=usn0 result=ok reply=T" \
	env ND=usn0 ip netns exec "$B" "$DENO" run --quiet -A "$ROOT/tests/e2e/policy/driver.ts" \
	exec --plan "$TMP/plan.json" --policy by-env -- "$P" tcp 192.0.2.10 8080
expect "--device overrides the policy" "dev=eth0 result=ok reply=N" \
	driver "$B" exec --plan "$TMP/plan.json" --policy testers --device eth0 -- "$P" tcp 192.0.2.10 8080

echo "== published policies (what ipnd writes, what ipnctl exec reads)"
RUN=$TMP/run
driver "$B" bind publish "$TMP/plan.json" "$RUN" 2>"$TMP/err"
check "publishing a bad policy is refused" contains "$TMP/err" "bind bad: line"
check "  nothing published" [ ! -e "$RUN/bind/testers.policy" ]
grep -v '"name": "bad"' "$TMP/plan.json" | sed 's/"except": \[\]},/"except": []}/' >"$TMP/plan-ok.json"
check "publish" driver "$B" bind publish "$TMP/plan-ok.json" "$RUN"
check "  world-readable" [ "$(stat -c %a "$RUN/bind/testers.policy")" = 644 ]
expect "exec by published name" "dev=usn0 result=ok reply=T" \
	driver "$B" exec --rundir "$RUN" --policy testers -- "$P" tcp 192.0.2.10 8080

echo "== errors: loud, and nothing runs"
driver "$B" exec --plan "$TMP/plan.json" --policy gone -- touch "$TMP/ran" 2>"$TMP/err"
check "missing device in the policy: exit 1" [ $? = 1 ]
check "  says so" contains "$TMP/err" "device usn9 does not exist (bind policy 'gone'); nothing was started"
driver "$B" exec --plan "$TMP/plan.json" --policy testers --device nosuch -- touch "$TMP/ran" 2>"$TMP/err"
check "missing --device: exit 1" [ $? = 1 ]
check "  says so" contains "$TMP/err" "device nosuch does not exist"
driver "$B" exec --plan "$TMP/plan.json" --policy by-env -- touch "$TMP/ran" 2>"$TMP/err"
check "no device at all: says how to give one" contains "$TMP/err" "names no device: give --device DEV or set ND"
driver "$B" exec --plan "$TMP/plan.json" --policy bad -- touch "$TMP/ran" 2>"$TMP/err"
check "bad exception: reported" contains "$TMP/err" "'nowhere' is not an address"
driver "$B" exec --plan "$TMP/plan.json" --policy nope -- touch "$TMP/ran" 2>"$TMP/err"
check "unknown policy: lists the known ones" contains "$TMP/err" "no bind policy 'nope' in the plan (known: bad, by-env, gone, testers)"
check "  the command never ran" [ ! -e "$TMP/ran" ]
expect "device vanished after start: fails closed (ENODEV), no other route" \
	"dev=- result=No such device reply=-" \
	ip netns exec "$B" env ND=usn7 LD_PRELOAD="$LIB" "$P" tcp 192.0.2.10 8080
check "exit code of the command is passed on" bash -c \
	"ip netns exec $B $DENO run --quiet -A $ROOT/tests/e2e/policy/driver.ts exec --plan $TMP/plan.json --policy testers -- sh -c 'exit 7'; [ \$? = 7 ]"

echo "== setuid programs are never touched (secure execution)"
# The probe is linked to the library, so even the loader's secure mode, which
# drops LD_PRELOAD, loads it: only the library's own AT_SECURE check stands.
chmod 755 "$TMP"
cp "$ROOT/build/tests/policy/sockprobe_linked" "$TMP/plain"
cp "$ROOT/build/tests/policy/sockprobe_linked" "$TMP/suid"
chown root:root "$TMP/suid"
chmod 4755 "$TMP/suid"
as_nobody() { ip netns exec "$B" env ND=usn0 setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
expect "unprivileged, not setuid: bound (control)" "dev=usn0 result=ok reply=T" as_nobody "$TMP/plain" tcp 192.0.2.10 8080
expect "setuid root run by nobody: left alone" "dev=- result=ok reply=N" as_nobody "$TMP/suid" tcp 192.0.2.10 8080
finish
