#!/usr/bin/env bash
# Two network namespaces, each with a tap on one `switch` network, ping each
# other through the engine; libipn's interface helpers configure the taps;
# removing a tap deletes the interface.
source "$(dirname "$0")/engine/lib.sh"

NS1=ipn-ts1-$SFX NS2=ipn-ts2-$SFX
T1=ipt${SFX}a T2=ipt${SFX}b
NET=sw$SFX
netns "$NS1"
netns "$NS2"

pretty "switch network and two taps"
IC create "$NET" "$RUN/$NET" policy=switch persistent >/dev/null
[ "$(IC tap "$NET" "$T1")" = "port 1" ] || die "first tap not at port 1"
[ "$(IC tap "$NET" "$T2" 5)" = "port 5" ] || die "second tap not at the port asked for"
ip link set "$T1" netns "$NS1"
ip link set "$T2" netns "$NS2"

pretty "configure them with libipn's rtnetlink helpers, inside the namespaces"
for x in "$NS1 $T1 10.77.$((SFX % 250)).1/24" "$NS2 $T2 10.77.$((SFX % 250)).2/24"; do
	set -- $x
	ip netns exec "$1" "$B/tests/ipn-client" addr-add "$2" "$3"
	ip netns exec "$1" "$B/tests/ipn-client" if-set "$2" up 1400
	info=$(ip netns exec "$1" "$B/tests/ipn-client" if-info "$2")
	grep -qx "kind tun" <<<"$info" || die "$2 is not reported as a tun device"
	grep -qx "mtu 1400" <<<"$info" || die "$2 mtu not set"
	grep -qx "up 1" <<<"$info" || die "$2 not up"
	[ "$(ip netns exec "$1" "$B/tests/ipn-client" addrs "$2" | grep -c "^$3$")" = 1 ] ||
		die "$2 does not list $3"
done
ok "taps configured and observed"

pretty "ping across the switch"
PEER=10.77.$((SFX % 250)).2
wait_for 20 ip netns exec "$NS1" ping -c 1 -W 1 "$PEER" || die "no ping reply through the engine"
ip netns exec "$NS1" ping -c 5 -i 0.2 -W 2 "$PEER" >/dev/null || die "pings lost"
ok "ns1 pings ns2 through the switch"

rx=$(nstat "$NET" rx_frames)
tx=$(nstat "$NET" tx_frames)
[ "$rx" -ge 12 ] && [ "$tx" -ge 12 ] || die "counters too low: rx $rx tx $tx"
[ "$(nstat "$NET" drop_queue_full)" = 0 ] || die "unexpected queue drops"
members=$(IC ports "$NET" | grep -c "^port .* kind 3 ")
[ "$members" = 2 ] || die "port list shows $members taps"
ok "counters: rx $rx tx $tx, both taps listed"

pretty "switching is unicast once learned: a third tap sees no ping traffic"
T3=ipt${SFX}c
IC tap "$NET" "$T3" >/dev/null
ip link set "$T3" up
before=$(port_stat "$NET" 2 tx_frames)
ip netns exec "$NS1" ping -c 20 -i 0.05 -W 2 "$PEER" >/dev/null || die "pings lost"
after=$(port_stat "$NET" 2 tx_frames)
[ $((after - before)) -lt 5 ] || die "the third tap got $((after - before)) frames of 40 unicast ones"
ok "learned unicast is not flooded ($((after - before)) frames to the bystander)"

pretty "removing taps deletes the interfaces, wherever they are"
IC detach "$NET" "$T1"
IC detach "$NET" "$T3"
wait_for 5 bash -c "! ip -n $NS1 link show $T1" || die "$T1 still exists in $NS1"
! ip link show "$T3" >/dev/null 2>&1 || die "$T3 still exists"
[ "$(nstat "$NET" attachments)" = 1 ] || die "attachment count wrong"
ok "taps deleted"

IC destroy "$NET"
wait_for 5 bash -c "! ip -n $NS2 link show $T2" || die "$T2 survived its network"
[ ! -e "$RUN/$NET" ] || die "network directory left behind"
ok "destroying the network removes its taps and its directory"
