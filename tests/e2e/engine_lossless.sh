#!/usr/bin/env bash
# Lossless networks hold senders back instead of dropping: a slow receiver
# gets every frame from two fast senders (a VDE program and a native
# member). A lossy network under the same load drops, and every frame is
# accounted for: delivered or counted as queue_full.
source "$(dirname "$0")/engine/lib.sh"
AS_NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
FRAME=ffffffffffff020000000009$(printf '88b5%0100d' 0)

# Senders are send-only (nobody on a 0662 network; a native member joined
# write-only), so the receiver is the only reader.
run() { # run NET FLAGS: slow receiver, two senders; prints the receiver's port
	IC create "$1" "$RUN/$1" policy=hub persistent queue=16 mode=0662 $2 >/dev/null
	"$VCB" recv "vde://$RUN/$1" 3000 60000 quiet delay_us=200 >"$RUN/$1.out" &
	BG+=($!)
	wait_for 10 grep -qx ready "$RUN/$1.out" || die "receiver did not start"
	"${AS_NOBODY[@]}" "$VCB" send "vde://$RUN/$1" 2000 >/dev/null &
	local s1=$!
	"$ICB" send "$RUN/$1" 1000 "$FRAME" wronly >/dev/null &
	local s2=$!
	wait "$s1" || die "VDE sender failed"
	wait "$s2" || die "native sender failed"
}

pretty "lossless: 3000 frames into a queue of 16 in front of a slow reader"
L=ll$SFX
run "$L" lossless
RX=${BG[-1]}
wait "$RX" || die "receiver got $(tail -1 "$RUN/$L.out")"
for d in queue_full too_big no_write no_route malformed; do
	[ "$(nstat "$L" "drop_$d")" = 0 ] || die "lossless network dropped: $d $(nstat "$L" "drop_$d")"
done
[ "$(nstat "$L" rx_frames)" = 3000 ] && [ "$(nstat "$L" tx_frames)" = 3000 ] ||
	die "rx $(nstat "$L" rx_frames) tx $(nstat "$L" tx_frames)"
ok "all 3000 delivered, 0 dropped"

pretty "lossy: same load, drops counted, nothing unaccounted"
Y=ly$SFX
run "$Y" lossy
port=$(IC ports "$Y" | awk '$1 == "port" && $10 == 0 {print $2; exit}')
accounted() {
	local tx q
	tx=$(port_stat "$Y" "$port" tx_frames)
	q=$(port_stat "$Y" "$port" drop_queue_full)
	[ $((tx + q)) = 3000 ]
}
wait_for 60 accounted || die "delivered + dropped != 3000"
ok "delivered $(port_stat "$Y" "$port" tx_frames) + dropped $(port_stat "$Y" "$port" drop_queue_full) = 3000"
