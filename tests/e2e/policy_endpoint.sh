#!/usr/bin/env bash
# Endpoint (seed 002): one name over inet, inet6 and an ipn network path,
# tried in order; dead families (timeout, refused, missing path) fall back
# to a live one, and both libipn (C) and the Deno module say which served.
# The published table is readable by an unprivileged program.
source "$(dirname "$0")/policy/lib.sh"
need_root
build
E=ipnep-$TAG
netns "$E"
ip -n "$E" link add ep0 type veth peer name ep0p
ip -n "$E" addr add 10.5.0.1/24 dev ep0
ip -n "$E" addr add fd05::1/64 dev ep0 nodad
ip -n "$E" link set ep0 up
ip -n "$E" link set ep0p up
# 10.5.0.9:81 swallows SYNs: a connection there can only time out
ip netns exec "$E" nft -f - <<NFT
table ip ipn_test_drop_$TAG {
	chain out {
		type filter hook output priority 0; policy accept;
		ip daddr 10.5.0.9 tcp dport 81 drop
	}
}
NFT
ip -n "$E" route add 10.5.0.9/32 dev ep0

P=$ROOT/build/tests/policy/sockprobe
EPC=$ROOT/build/tests/policy/ep_connect
ip netns exec "$E" "$P" serve 8080 live4 &
PIDS+=($!)
wait_for 5 sh -c "ip netns exec $E ss -Htln | grep -q ':8080 '" || bad "server did not start"
# a real VDE switch as the ipn network (the user backend speaks its protocol)
NET=$TMP/net
vde_switch -s "$NET" -d -p "$TMP/vde.pid" >/dev/null 2>&1
wait_for 5 test -S "$NET/ctl" || bad "vde_switch did not start"
PIDS+=("$(cat "$TMP/vde.pid" 2>/dev/null)")

cat >"$TMP/plan.json" <<JSON
{"version": 1, "backend": "auto", "resources": [
 {"kind": "endpoint", "name": "db", "addresses": [
   {"family": "inet", "address": "10.5.0.9", "port": 81},
   {"family": "inet6", "address": "fd05::1", "port": 80},
   {"family": "ipn", "path": "$NET"}]},
 {"kind": "endpoint", "name": "web", "addresses": [
   {"family": "ipn", "path": "$TMP/missing"},
   {"family": "inet6", "address": "fd05::1", "port": 81},
   {"family": "inet", "address": "10.5.0.1", "port": 8080}]},
 {"kind": "endpoint", "name": "six", "addresses": [
   {"family": "inet", "address": "10.5.0.1", "port": 81},
   {"family": "inet6", "address": "fd05::1", "port": 8080}]},
 {"kind": "endpoint", "name": "dead", "addresses": [
   {"family": "inet", "address": "10.5.0.1", "port": 82},
   {"family": "ipn", "path": "$TMP/missing"}]}
]}
JSON
# served WHAT WANT COMMAND...: the "served" line of the output must be WANT
served() {
	local what=$1 want=$2
	shift 2
	"$@" >"$TMP/out" 2>&1
	local got
	got=$(grep '^served' "$TMP/out")
	if [ "$got" = "$want" ]; then ok "$what: $got"; else bad "$what: got '$got' ($(tr '\n' ' ' <"$TMP/out")), want '$want'"; fi
}

for side in C Deno; do
	echo "== $side"
	if [ $side = C ]; then
		connect() { # NAME: the plan's entries, through ipn_endpoint_connect
			local list
			list=$(driver "$E" endpoint text "$TMP/plan.json" "$1") || return 2
			ip netns exec "$E" "$EPC" --addrs "$list" 500
		}
	else
		connect() { driver "$E" endpoint connect "$TMP/plan.json" "$1"; }
	fi
	t0=$(date +%s%N)
	served "inet times out, inet6 refused: the ipn path serves" "served index=2 family=ipn" connect db
	ms=$((($(date +%s%N) - t0) / 1000000))
	check "  the timeout entry was tried ($ms ms)" grep -qi "10.5.0.9 81: \(connection \)\?timed out" "$TMP/out"
	check "  the refused entry was tried" grep -qi "fd05::1.*refused" "$TMP/out"
	served "missing path, refused inet6: inet serves" "served index=2 family=inet" connect web
	served "refused inet: inet6 serves" "served index=1 family=inet6" connect six
	connect dead >"$TMP/out" 2>&1
	check "nothing alive: fails" [ $? = 1 ]
	check "  naming each failure" bash -c "grep -qi '10.5.0.1 82: connection refused' '$TMP/out' && grep -q 'missing: No such file or directory' '$TMP/out'"
done

echo "== the published table"
RUN=$TMP/run
check "publish" driver "$E" endpoint publish "$TMP/plan.json" "$RUN"
check "  world-readable" [ "$(stat -c %a "$RUN/endpoints.json")" = 644 ]
chmod 755 "$TMP"
served "an unprivileged C program resolves 'web' and connects" "served index=2 family=inet" \
	ip netns exec "$E" setpriv --reuid=65534 --regid=65534 --clear-groups "$EPC" --name web "$RUN" 500
ip netns exec "$E" "$EPC" --name nosuch "$RUN" >"$TMP/out" 2>&1
check "unknown name: fails with ENOENT" bash -c "[ $? = 1 ] && grep -q 'lookup nosuch: error -2' '$TMP/out'"
finish
