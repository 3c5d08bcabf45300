#!/usr/bin/env bash
# Hostile and careless clients leave the engine serving everyone else:
# malformed handshakes, runt/oversize/garbage frames, corrupted rings, a
# member that never reads, garbage on the control socket, and thousands of
# join/leave cycles, all counted, with no leak (fd count and RSS compared
# before and after from /proc).
source "$(dirname "$0")/engine/lib.sh"
RB() { "$B/tests/ipn-robust" "$@"; }

S=rs$SFX H=rh$SFX
IC create "$S" "$RUN/$S" policy=switch persistent queue=64 >/dev/null
IC create "$H" "$RUN/$H" policy=hub persistent queue=64 >/dev/null
PID=$(engine_pid)
fds() { ls "/proc/$PID/fd" | wc -l; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$PID/status"; }

# A witness that must keep getting frames through everything below.
WITNESS=0
witness() { # witness NET: a fresh sender's marked frame reaches a fresh receiver
	WITNESS=$((WITNESS + 1))
	local out=$RUN/witness.$WITNESS.out # fresh: no stale "ready" from the last one
	"$VCB" recv "vde://$RUN/$1" 1 10000 quiet src=02:77:77:77:77:77 >"$out" &
	local rx=$!
	wait_for 10 grep -qx ready "$out" || return 1
	wait_for 10 bash -c "'$B/tests/ipn-client' --rundir '$RUN' ports '$1' | grep -q 'descr vde-client'" || return 1
	VC send "vde://$RUN/$1" 3 src=02:77:77:77:77:77 >/dev/null
	wait "$rx"
}

pretty "warm up, then measure the engine"
RB churn "$RUN/$S" 200 >/dev/null
witness "$S" || die "the network does not forward to begin with"
fd0=$(fds)
rss0=$(rss)
ok "engine $PID: $fd0 fds, RSS $rss0 kB"

pretty "malformed handshakes are dropped and counted"
m0=$(nstat "$S" drop_malformed)
RB handshakes "$RUN/$S" || die "a malformed handshake was not dropped"
m1=$(nstat "$S" drop_malformed)
[ $((m1 - m0)) -ge 14 ] || die "only $((m1 - m0)) malformed joins counted"
witness "$S" || die "forwarding stopped after malformed handshakes"
ok "$((m1 - m0)) malformed joins counted; still forwarding"

pretty "runt, oversize and garbage frames"
big0=$(nstat "$S" drop_too_big)
small0=$(nstat "$S" drop_too_small)
RB frames "$RUN/$S" >/dev/null
wait_for 10 bash -c "[ \$('$B/tests/ipn-client' --rundir '$RUN' get '$S' | awk '\$1==\"drop_too_small\"{print \$2}') -ge $((small0 + 3)) ]" ||
	die "runts not counted as too_small"
[ $(($(nstat "$S" drop_too_big) - big0)) -ge 3 ] || die "oversize frames not counted as too_big"
witness "$S" || die "forwarding stopped after garbage frames"
ok "too_small +$(($(nstat "$S" drop_too_small) - small0)), too_big +$(($(nstat "$S" drop_too_big) - big0)); still forwarding"

pretty "a native member corrupting its rings is cut off"
RB ringfuzz "$RUN/$S" || die "ring corruption not handled"
witness "$S" || die "forwarding stopped after ring corruption"
ok "corrupt member disconnected; still forwarding"

pretty "a member that never reads (lossy): its queue overflows, others are served"
"$VCB" hold "vde://$RUN/$H" 120 &
HOLD=$!
BG+=($HOLD)
wait_for 10 bash -c "'$B/tests/ipn-client' --rundir '$RUN' ports '$H' | grep -q 'kind 1'" || die "holder did not join"
hold_port=$(IC ports "$H" | awk '$1 == "port" {print $2; exit}')
VC send "vde://$RUN/$H" 3000 >/dev/null
wait_for 10 bash -c "[ \$('$B/tests/ipn-client' --rundir '$RUN' ports '$H' | awk '\$1==\"port$hold_port.drop_queue_full\"{print \$2}') -gt 0 ]" ||
	die "the never-reading member's queue did not overflow"
witness "$H" || die "a member that never reads stalled the hub"
ok "holder dropped $(port_stat "$H" "$hold_port" drop_queue_full) (queue_full); others served"
kill "$HOLD"
wait_for 10 bash -c "[ \$('$B/tests/ipn-client' --rundir '$RUN' get '$H' | awk '\$1==\"members\"{print \$2}') = 0 ]" ||
	die "the holder's port outlived it"

pretty "garbage on the control socket"
RB ctlfuzz "$RUN" || die "control socket mishandled garbage"
ok "control garbage refused; the engine answers"

pretty "random join requests and control requests"
RB fuzz "$RUN/$S" "$RUN" 500 || die "random input mishandled"
witness "$S" || die "forwarding stopped after random input"
ok "500 random joins dropped, 500 random control requests answered; still forwarding"

pretty "2000 join/leave cycles, then no leak"
rss0=$(rss) # the floods above legitimately grew the packet pools
RB churn "$RUN/$S" 2000 || die "churn failed"
wait_for 10 bash -c "[ \$('$B/tests/ipn-client' --rundir '$RUN' get '$S' | awk '\$1==\"members\"{print \$2}') = 0 ]" ||
	die "ports left over after churn"
witness "$S" || die "forwarding stopped after churn"
# the witness' own ports close asynchronously: wait until they are gone
wait_for 10 bash -c "[ \$(ls /proc/$PID/fd | wc -l) -le $fd0 ]" || true
fd1=$(fds)
rss1=$(rss)
[ "$fd1" = "$fd0" ] || die "fd count $fd0 -> $fd1"
[ $((rss1 - rss0)) -lt 256 ] || die "RSS grew by $((rss1 - rss0)) kB"
ok "fds $fd0 -> $fd1 (whole test), RSS $rss0 -> $rss1 kB (across the churn)"
