#!/usr/bin/env bash
# The switch is VLAN-aware: a trunk port carries VLANs 10 and 20 tagged,
# access ports get them untagged; tags are stripped and added on egress,
# untagged frames on a trunk-only port and foreign tags are dropped and
# counted; and Linux VLAN interfaces over taps talk through it.
source "$(dirname "$0")/engine/lib.sh"

NET=vl$SFX
IC create "$NET" "$RUN/$NET" policy=switch persistent >/dev/null
IC vlan "$NET" 1 pvid=0 trunk=10,20
IC vlan "$NET" 2 pvid=10
IC vlan "$NET" 3 pvid=20
IC vlan "$NET" 4 pvid=20
[ "$(IC vlan-get "$NET" 1)" = "port 1 pvid 0" ] || die "vlan config not stored"

# recv_on PORT COUNT OUT: a VDE receiver at a given port, in the background
recv_on() {
	"$VCB" recv "vde://$RUN/$NET[$1]" "$2" 10000 >"$3" &
	BG+=($!)
	wait_for 10 grep -qx ready "$3" || die "receiver on port $1 did not start"
}
joined() { wait_for 10 bash -c "'$ICB' --rundir '$RUN' ports '$NET' | grep -q '^port $1 '"; }
ethertype_at_12() { awk '/^frame /{print substr($2, 25, 4)}' "$1" | sort -u; }

pretty "tagged VLAN 10 from the trunk reaches the VLAN 10 access port untagged"
recv_on 2 5 "$RUN/p2.out"
R2=$!
recv_on 3 5 "$RUN/p3.out"
R3=$!
joined 2 && joined 3 || die "receivers not joined"
VC send "vde://$RUN/$NET[1]" 5 vlan=10 src=02:00:00:00:00:01 >/dev/null
wait_for 10 bash -c "[ \$(grep -c '^frame' '$RUN/p2.out') = 5 ]" || die "port 2 got $(grep -c '^frame' "$RUN/p2.out") of 5"
[ "$(ethertype_at_12 "$RUN/p2.out")" = 88b5 ] || die "tag not stripped: $(ethertype_at_12 "$RUN/p2.out")"
[ "$(port_stat "$NET" 3 tx_frames)" = 0 ] || die "VLAN 10 leaked to the VLAN 20 port"
ok "5 frames, untagged, none to VLAN 20"

pretty "untagged from a VLAN 20 access port reaches the trunk tagged 20"
recv_on 1 5 "$RUN/p1.out"
R1=$!
joined 1 || die "trunk receiver not joined"
VC send "vde://$RUN/$NET[4]" 5 src=02:00:00:00:00:04 >/dev/null
wait "$R1" || die "trunk got $(tail -1 "$RUN/p1.out")"
# 802.1Q: 8100, then TCI with VID 20 (0x014)
[ "$(awk '/^frame /{print substr($2, 25, 8)}' "$RUN/p1.out" | sort -u)" = 81000014 ] ||
	die "not tagged 20 on the trunk: $(awk '/^frame /{print substr($2, 25, 8)}' "$RUN/p1.out" | sort -u)"
[ "$(awk '/^frame /{print substr($2, 33, 4)}' "$RUN/p1.out" | sort -u)" = 88b5 ] || die "payload type lost"
wait "$R3" || die "the other VLAN 20 port got $(tail -1 "$RUN/p3.out")"
[ "$(ethertype_at_12 "$RUN/p3.out")" = 88b5 ] || die "access port got tagged frames"
[ "$(grep -c '^frame' "$RUN/p2.out")" = 5 ] || die "VLAN 20 leaked to the VLAN 10 port"
ok "5 frames tagged 8100 0014 on the trunk, untagged to port 3, none to VLAN 10"

pretty "untagged on the trunk-only port, and a tag the trunk does not carry, are dropped"
v0=$(nstat "$NET" drop_vlan)
VC send "vde://$RUN/$NET[1]" 4 >/dev/null
VC send "vde://$RUN/$NET[1]" 3 vlan=30 >/dev/null
wait_for 10 bash -c "[ \$('$ICB' --rundir '$RUN' get '$NET' | awk '\$1==\"drop_vlan\"{print \$2}') = $((v0 + 7)) ]" ||
	die "drop_vlan is $(nstat "$NET" drop_vlan), expected $((v0 + 7))"
ok "7 frames counted as vlan drops"
kill "$R2" 2>/dev/null || true

pretty "Linux VLAN interfaces over taps: trunk tap with a VLAN 10 interface <-> access tap"
NS1=ipn-vl1-$SFX NS2=ipn-vl2-$SFX
netns "$NS1"
netns "$NS2"
# a kernel without 802.1Q support cannot take part; the frame-level checks
# above still hold
ip -n "$NS1" link add vlprobe type veth peer name vlprobe2
if ! ip -n "$NS1" link add link vlprobe name vlprobe.10 type vlan id 10 2>/dev/null; then
	echo "skip - this kernel has no 802.1Q interfaces (8021q)"
	exit 0
fi
ip -n "$NS1" link del vlprobe
T1=ipt${SFX}k T2=ipt${SFX}l SUB=10.82.$((SFX % 250))
IC vlan "$NET" 5 pvid=0 trunk=10
IC vlan "$NET" 6 pvid=10
IC tap "$NET" "$T1" 5 >/dev/null
IC tap "$NET" "$T2" 6 >/dev/null
ip link set "$T1" netns "$NS1"
ip link set "$T2" netns "$NS2"
ip -n "$NS1" link set "$T1" up
ip -n "$NS1" link add link "$T1" name v10 type vlan id 10
ip -n "$NS1" addr add "$SUB.1/24" dev v10
ip -n "$NS1" link set v10 up
ip -n "$NS2" addr add "$SUB.2/24" dev "$T2"
ip -n "$NS2" link set "$T2" up
wait_for 20 ip netns exec "$NS1" ping -c 1 -W 1 "$SUB.2" || die "no ping between VLAN interface and access tap"
ip netns exec "$NS2" ping -c 3 -i 0.2 -W 2 "$SUB.1" >/dev/null || die "pings lost"
ok "ping across trunk (tagged) and access (untagged)"
