#!/usr/bin/env bash
# Rewrite (seed 001): multicast UDP arriving on one veth is re-projected as
# unicast to another interface's address, where a plain UDP server bound on
# that address receives it with valid checksums; drift is detected; bad
# input changes nothing; removing the rewrite stops the delivery.
#
#   sender ns S: s0 --veth-- rin  (ns R)     rto 10.9.0.1 (ns R, the target)
source "$(dirname "$0")/policy/lib.sh"
need_root
build
S=ipnrw-s-$TAG R=ipnrw-r-$TAG
netns "$S"
netns "$R"
ip -n "$S" link add s0 type veth peer name rin netns "$R"
ip -n "$R" link add rto type veth peer name rtop
ip -n "$S" addr add 10.8.0.2/24 dev s0
ip -n "$S" link set s0 up
ip -n "$S" route add 224.0.0.0/4 dev s0
ip -n "$R" addr add 10.8.0.1/24 dev rin
ip -n "$R" addr add 10.9.0.1/24 dev rto
for i in rin rto rtop; do ip -n "$R" link set "$i" up; done
# Full software checksums on the way out, and verified in software on the way
# in: otherwise veth hands the receiver "checksum unnecessary" and a broken
# checksum would go unnoticed.
ip netns exec "$S" ethtool -K s0 tx off >/dev/null
ip netns exec "$R" ethtool -K rin rx off >/dev/null
# The rewritten frame is marked as unicast to this host: even a receiver that
# drops unicast IP inside link-layer multicast accepts it.
ip netns exec "$R" sysctl -qw net.ipv4.conf.rin.drop_unicast_in_l2_multicast=1

rewrite() { # NAME FROM GROUP PORTS_JSON TO [ADDRESS]
	local addr=""
	[ -n "${6:-}" ] && addr=",\"address\":\"$6\""
	printf '{"kind":"rewrite","name":"%s","from":"%s","match":{"proto":"udp","group":"%s","ports":%s},"to":"%s"%s}' \
		"$1" "$2" "$3" "$4" "$5" "$addr"
}
plan() { # FILE RESOURCES...
	local f=$1
	shift
	local IFS=,
	echo "{\"version\":1,\"backend\":\"auto\",\"resources\":[$*]}" >"$f"
}
GOOD=$TMP/good.json
plan "$GOOD" "$(rewrite cam-feed rin 239.0.0.0/8 '[{"from":10000,"to":10000},{"from":10010,"to":10020}]' rto)"
listing() { ip netns exec "$R" nft list table netdev ipn_rewrite 2>/dev/null; }

echo "== bad input changes nothing"
plan "$TMP/missing.json" "$(rewrite a rin 239.0.0.0/8 '[{"from":1,"to":2}]' nosuch0)" \
	"$(rewrite b nosuch1 239.0.0.0/8 '[{"from":1,"to":2}]' rto)"
driver "$R" rewrite apply "$TMP/missing.json" >"$TMP/out" 2>&1
check "missing interfaces refused" [ $? = 1 ]
check "  both named: nosuch0 (to)" contains "$TMP/out" "rewrite a: interface nosuch0 (to) does not exist"
check "  both named: nosuch1 (from)" contains "$TMP/out" "rewrite b: interface nosuch1 (from) does not exist"
check "  no table created" [ -z "$(listing)" ]
plan "$TMP/overlap.json" "$(rewrite one rin 239.0.0.0/8 '[{"from":10000,"to":10005}]' rto)" \
	"$(rewrite two rin 239.1.0.0/16 '[{"from":10005,"to":10009}]' rto)"
driver "$R" rewrite apply "$TMP/overlap.json" >"$TMP/out" 2>&1
check "overlapping rewrites refused" [ $? = 1 ]
check "  the overlap is described" contains "$TMP/out" \
	"rewrites one and two overlap: both match udp to 239.1.0.0/16 port 10005 arriving on rin"
check "  no table created" [ -z "$(listing)" ]
plan "$TMP/v6.json" "$(rewrite six rin ff02::/16 '[{"from":1,"to":2}]' rto)"
driver "$R" rewrite apply "$TMP/v6.json" >"$TMP/out" 2>&1
check "IPv6 group refused with a reason" contains "$TMP/out" "is not an IPv4 address or prefix"

echo "== apply"
check "the kernel's check (a preview) passes" [ "$(driver "$R" rewrite check "$GOOD")" = ok ]
check "  and changes nothing" [ -z "$(listing)" ]
check "apply" [ "$(driver "$R" rewrite apply "$GOOD")" = applied ]
check "re-apply is a no-op" [ "$(driver "$R" rewrite apply "$GOOD")" = unchanged ]
check "no drift right after apply" [ "$(driver "$R" rewrite drift "$GOOD")" = "no drift" ]
check "table carries the ownership comment" contains <(listing) 'comment "managed by ipn"'
MAC=$(ip netns exec "$R" cat /sys/class/net/rto/address)
check "rule rewrites to rto's MAC and address" contains <(listing) \
	"ether daddr set $MAC ip daddr set 10.9.0.1 meta pkttype set host"

# A test-owned log of what the IP stack receives after the rewrite, plus a
# deliberately broken checksum on port 10030 to prove the capture can tell.
ip netns exec "$R" nft -f - <<NFT
table ip ipn_test_cap_$TAG {
	chain pre {
		type filter hook prerouting priority -300; policy accept;
		udp dport { 10000-10030 } log group 7
	}
}
table netdev ipn_test_bad_$TAG {
	chain c {
		type filter hook ingress device "rin" priority filter - 5; policy accept;
		udp dport 10030 @th,48,16 set 0x1234
	}
}
NFT
ip netns exec "$R" timeout 30 tcpdump -n -vv -l -i nflog:7 >"$TMP/cap" 2>&1 &
PIDS+=($!)
wait_for 5 contains "$TMP/cap" "listening on" || bad "tcpdump did not start"

listen() { # PORT OUTFILE: a plain UDP server bound on rto's address
	ip netns exec "$R" timeout 6 nc -u -l 10.9.0.1 "$1" >"$2" &
	PIDS+=($!)
	wait_for 5 sh -c "ip netns exec $R ss -Hunl | grep -q '10.9.0.1:$1 '"
}
send() { # GROUP PORT TEXT
	echo "$3" | ip netns exec "$S" timeout 2 nc -u -w0 "$1" "$2"
}
snmp() { # PROTO FIELD: a counter of /proc/net/snmp in R
	ip netns exec "$R" awk -v p="$1:" -v f="$2" \
		'$1 == p && !h { for (i = 2; i <= NF; i++) c[$i] = i; h = 1; next }
		 $1 == p && h { print $c[f] }' /proc/net/snmp
}

echo "== multicast arrives as unicast"
listen 10000 "$TMP/rx10000"
listen 10015 "$TMP/rx10015"
listen 10001 "$TMP/rx10001"
send 239.1.2.3 10000 "hello-10000"
send 239.200.0.9 10015 "hello-10015"
send 239.1.2.3 10001 "not-rewritten"
send 239.1.2.3 10030 "broken-checksum"
wait_for 5 contains "$TMP/rx10000" hello-10000
check "server bound on 10.9.0.1:10000 got the datagram" contains "$TMP/rx10000" hello-10000
wait_for 3 contains "$TMP/rx10015" hello-10015
check "port range 10010-10020 matches 10015" contains "$TMP/rx10015" hello-10015
sleep 0.5
check "port 10001 is not rewritten" [ ! -s "$TMP/rx10001" ]
wait_for 3 grep -q "bad udp cksum" "$TMP/cap"
check "capture verified the UDP checksum of the rewritten datagram" \
	grep -q "10.8.0.2.[0-9]* > 10.9.0.1.10000: \[udp sum ok\]" "$TMP/cap"
check "  and of the one on 10015" grep -q "> 10.9.0.1.10015: \[udp sum ok\]" "$TMP/cap"
check "  no bad IP header checksum" bash -c "! grep -q 'bad cksum' '$TMP/cap'"
check "  the capture does catch a broken checksum (control)" grep -q "10030: \[bad udp cksum" "$TMP/cap"
check "kernel verified both in software: 2 datagrams in, no checksum error" \
	[ "$(snmp Udp InDatagrams)/$(snmp Udp InCsumErrors)" = 2/0 ]
check "no IP header errors" [ "$(snmp Ip InHdrErrors)" = 0 ]
COUNT=$(driver "$R" rewrite counters "$GOOD")
check "rule counter: 2 packets rewritten ($COUNT)" contains <(echo "$COUNT") '"cam-feed":{"packets":2,'

echo "== bad input after apply changes nothing"
before=$(listing | sed 's/counter packets [0-9]* bytes [0-9]*/counter/')
driver "$R" rewrite apply "$TMP/overlap.json" >"$TMP/out" 2>&1
check "overlap refused" [ $? = 1 ]
driver "$R" rewrite apply "$TMP/missing.json" >/dev/null 2>&1
check "missing interface refused" [ $? = 1 ]
check "  live table unchanged" [ "$before" = "$(listing | sed 's/counter packets [0-9]* bytes [0-9]*/counter/')" ]

echo "== drift"
ip netns exec "$R" nft delete table netdev ipn_rewrite
driver "$R" rewrite drift "$GOOD" >"$TMP/out"
check "table deleted by hand: drift reported" [ $? = 3 ]
check "  described" contains "$TMP/out" "table netdev ipn_rewrite is missing"
check "apply repairs it" [ "$(driver "$R" rewrite apply "$GOOD")" = applied ]
check "  in sync again" [ "$(driver "$R" rewrite drift "$GOOD")" = "no drift" ]
ip netns exec "$R" nft add rule netdev ipn_rewrite in_rin udp dport 9 drop
driver "$R" rewrite drift "$GOOD" >"$TMP/out"
check "rule added by hand: drift reported" [ $? = 3 ]
check "  described" contains "$TMP/out" 'chain in_rin: rule added outside ipn: "udp dport 9 drop"'
driver "$R" rewrite apply "$GOOD" >/dev/null
H=$(ip netns exec "$R" nft -a list chain netdev ipn_rewrite in_rin | sed -n 's/.*"rewrite cam-feed" # handle \([0-9]*\)/\1/p')
ip netns exec "$R" nft replace rule netdev ipn_rewrite in_rin handle "$H" ip daddr 239.0.0.0/8 \
	udp dport 10000 counter ip daddr set 10.9.0.99 comment '"rewrite cam-feed"'
driver "$R" rewrite drift "$GOOD" >"$TMP/out"
check "rule edited by hand: drift reported" [ $? = 3 ]
check "  described" contains "$TMP/out" "chain in_rin: rewrite cam-feed changed: live"
check "apply repairs it" [ "$(driver "$R" rewrite apply "$GOOD")" = applied ]
check "  in sync again" [ "$(driver "$R" rewrite drift "$GOOD")" = "no drift" ]

echo "== a table of the same name that ipn does not own"
F=ipnrw-f-$TAG
netns "$F"
ip -n "$F" link add rin type veth peer name rto
ip -n "$F" addr add 10.7.0.1/24 dev rto
ip netns exec "$F" nft add table netdev ipn_rewrite
driver "$F" rewrite apply "$GOOD" >"$TMP/out" 2>&1
check "apply refuses to replace it" [ $? = 1 ]
check "  and says why" contains "$TMP/out" "exists but is not managed by ipn"
driver "$F" rewrite remove "$GOOD" >/dev/null 2>&1
check "remove refuses to delete it" [ $? = 1 ]
check "  it is still there" [ -n "$(ip netns exec "$F" nft list table netdev ipn_rewrite)" ]

echo "== remove"
check "remove" [ "$(driver "$R" rewrite remove "$GOOD")" = removed ]
check "  table gone" [ -z "$(listing)" ]
check "  the test's own tables untouched" [ -n "$(ip netns exec "$R" nft list table ip "ipn_test_cap_$TAG")" ]
listen 10000 "$TMP/rx-after"
send 239.1.2.3 10000 "after-removal"
sleep 1
check "no delivery after removal" [ ! -s "$TMP/rx-after" ]
check "remove again: nothing to do" [ "$(driver "$R" rewrite remove "$GOOD")" = absent ]
finish
