#!/usr/bin/env bash
# A grabbed veth carries traffic between a namespace behind it and a tap on
# the same network; the grab sets promiscuity, does not loop its own frames
# back, and releasing it restores the interface.
source "$(dirname "$0")/engine/lib.sh"

NS1=ipn-gr1-$SFX NS2=ipn-gr2-$SFX
V=ipv${SFX}a VP=ipv${SFX}b T=ipt${SFX}g
NET=gr$SFX
SUB=10.78.$((SFX % 250))
netns "$NS1"
netns "$NS2"
CLEANUPS+=("ip link del $V 2>/dev/null")

pretty "veth $V (grabbed here) <-> $VP in $NS1; tap $T in $NS2"
ip link add "$V" type veth peer name "$VP"
ip link set "$VP" netns "$NS1"
ip -n "$NS1" addr add "$SUB.1/24" dev "$VP"
ip -n "$NS1" link set "$VP" up
ip link set "$V" up
promisc() { ip -d link show "$V" | grep -o 'promiscuity [0-9]*' | awk '{print $2}'; }
[ "$(promisc)" = 0 ] || die "veth starts promiscuous"

IC create "$NET" "$RUN/$NET" policy=switch persistent >/dev/null
IC grab "$NET" "$V" >/dev/null
[ "$(promisc)" = 1 ] || die "grab did not make $V promiscuous"
IC tap "$NET" "$T" >/dev/null
ip link set "$T" netns "$NS2"
ip -n "$NS2" addr add "$SUB.2/24" dev "$T"
ip -n "$NS2" link set "$T" up
ok "grabbed, promiscuity $(promisc)"

pretty "ping through the grab"
wait_for 20 ip netns exec "$NS2" ping -c 1 -W 1 "$SUB.1" || die "no reply through the grab"
ip netns exec "$NS2" ping -c 10 -i 0.1 -W 2 "$SUB.1" >/dev/null || die "pings lost"
ok "$NS2 (tap) reaches $NS1 (behind the grabbed veth)"

pretty "our own transmissions are not read back"
rx=$(port_stat "$NET" 1 rx_frames)
tx=$(port_stat "$NET" 1 tx_frames)
# Without PACKET_IGNORE_OUTGOING every frame sent on the grab would come
# back as received: rx would be at least tx.
[ "$tx" -ge 11 ] || die "grab transmitted only $tx frames"
[ "$rx" -le $((tx + 3)) ] || die "grab reads back its own frames: rx $rx tx $tx"
ok "grab rx $rx, tx $tx"

pretty "frames larger than the network's MTU are counted, not forwarded"
IC update "$NET" mtu=600 >/dev/null
ip netns exec "$NS1" ping -c 1 -W 1 -s 1000 "$SUB.2" >/dev/null 2>&1 || true
[ "$(nstat "$NET" drop_too_big)" -ge 1 ] || die "oversize frame not counted"
ok "too_big counted: $(nstat "$NET" drop_too_big)"

pretty "release"
IC detach "$NET" "$V"
[ "$(promisc)" = 0 ] || die "promiscuity not restored after release"
ip link show "$V" >/dev/null || die "release deleted the grabbed interface"
ok "released: $V exists, promiscuity $(promisc)"

pretty "a grab goes away cleanly when its interface is deleted"
IC grab "$NET" "$V" >/dev/null
ip link del "$V"
wait_for 10 bash -c "! '$B/tests/ipn-client' --rundir '$RUN' ports '$NET' | grep -q 'kind 4'" ||
	die "grab of a deleted interface still listed"
ok "grab dropped when its interface vanished"
