#!/usr/bin/env bash
# Unmodified VDE software joins ipn networks: a libvdeplug program exchanges
# frames, vde_plug cables two networks together (dpipe) and plugs a tap in
# (tap://), qemu joins with -nic vde, and port requests behave.
source "$(dirname "$0")/engine/lib.sh"

NS1=ipn-vd1-$SFX NS2=ipn-vd2-$SFX NS3=ipn-vd3-$SFX
A=va$SFX H=vh$SFX
SUB=10.79.$((SFX % 250))
netns "$NS1"
netns "$NS2"
netns "$NS3"
IC create "$A" "$RUN/$A" policy=switch persistent >/dev/null
IC create "$H" "$RUN/$H" policy=hub persistent >/dev/null

pretty "a libvdeplug program sends, another receives"
out=$RUN/recv.out
"$VCB" recv "vde://$RUN/$H" 50 10000 >"$out" &
BG+=($!)
wait_for 10 grep -qx ready "$out" || die "receiver did not start"
wait_for 10 bash -c "[ \"\$('$B/tests/ipn-client' --rundir '$RUN' get '$H' | awk '\$1==\"members\"{print \$2}')\" = 1 ]"
VC send "vde://$RUN/$H" 50 size=200 >/dev/null || die "sender failed"
wait "${BG[-1]}" || die "receiver got $(tail -1 "$out")"
[ "$(grep -c '^frame ' "$out")" = 50 ] || die "wrong frame count"
# every sequence number once, payload intact (200 bytes: 400 hex digits)
seqs=$(awk '/^frame /{print substr($2, 29, 8)}' "$out" | sort -u | wc -l)
[ "$seqs" = 50 ] || die "sequence numbers missing or repeated: $seqs unique"
[ "$(awk '/^frame /{print length($2)}' "$out" | sort -u)" = 400 ] || die "frames resized"
ok "50 frames of 200 bytes, each once and intact"

pretty "vde_plug plugs a tap (tap://) into $A from inside $NS2"
T1=ipt${SFX}v T2=ipq${SFX}v
IC tap "$A" "$T1" >/dev/null
ip link set "$T1" netns "$NS1"
ip -n "$NS1" addr add "$SUB.1/24" dev "$T1"
ip -n "$NS1" link set "$T1" up
ip netns exec "$NS2" vde_plug "vde://$RUN/$A" "tap://$T2" </dev/null >/dev/null 2>&1 &
BG+=($!)
wait_for 10 ip -n "$NS2" link show "$T2" || die "vde_plug did not create its tap"
ip -n "$NS2" addr add "$SUB.2/24" dev "$T2"
ip -n "$NS2" link set "$T2" up
wait_for 20 ip netns exec "$NS1" ping -c 1 -W 1 "$SUB.2" || die "no ping to vde_plug's tap"
ok "engine tap in $NS1 pings vde_plug's tap in $NS2"

pretty "vde_plug cables: dpipe vde_plug $A = vde_plug $H"
T3=ipt${SFX}h
IC tap "$H" "$T3" >/dev/null
ip link set "$T3" netns "$NS3"
ip -n "$NS3" addr add "$SUB.3/24" dev "$T3"
ip -n "$NS3" link set "$T3" up
dpipe vde_plug "vde://$RUN/$A" = vde_plug "vde://$RUN/$H" >/dev/null 2>&1 &
BG+=($!)
wait_for 20 ip netns exec "$NS1" ping -c 1 -W 1 "$SUB.3" || die "no ping across the cable"
ip netns exec "$NS3" ping -c 3 -i 0.2 -W 2 "$SUB.2" >/dev/null || die "pings lost across the cable"
ok "$NS1 and $NS2 (network $A) reach $NS3 (network $H) through two vde_plugs"

pretty "port requests: vde://PATH[7]"
"$VCB" hold "vde://$RUN/$H[7]" 30 &
BG+=($!)
wait_for 10 bash -c "'$B/tests/ipn-client' --rundir '$RUN' ports '$H' | grep -q '^port 7 kind 1 '" ||
	die "the member did not get port 7"
refused=$(nstat "$H" drop_refused)
if err=$(VC send "vde://$RUN/$H[7]" 1 2>&1); then die "a second member got the taken port 7"; fi
grep -q "Connection refused" <<<"$err" || die "unclear refusal: $err"
[ "$(nstat "$H" drop_refused)" = $((refused + 1)) ] || die "refusal not counted"
ok "port 7 granted once; the second request refused ($err)"

pretty "qemu joins with -nic vde"
qemu-system-x86_64 -nodefaults -display none -S -machine none \
	-nic "vde,sock=$RUN/$A,model=e1000" >/dev/null 2>&1 &
QEMU=$!
BG+=($QEMU)
wait_for 20 bash -c "'$B/tests/ipn-client' --rundir '$RUN' ports '$A' | grep -q 'pid $QEMU '" ||
	die "qemu did not join"
kill "$QEMU"
wait "$QEMU" 2>/dev/null || true
wait_for 10 bash -c "! '$B/tests/ipn-client' --rundir '$RUN' ports '$A' | grep -q 'pid $QEMU '" ||
	die "qemu's port outlived qemu"
ok "qemu joined as a VDE member and its port went with it"
