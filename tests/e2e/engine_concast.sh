#!/usr/bin/env bash
# Concast merges real traffic from several senders (VDE programs and native
# members) into what the receiver expects: sum by count with the first
# message carrying the result, summary by timeout, dedup, and flow state read
# and set while a flow is open.
source "$(dirname "$0")/engine/lib.sh"

# messages: u16 key at 0, a tag byte at 3, u32 value at 4 (network order)
msg() { printf '%04x00%02x%08x' "$1" "$2" "$3"; }
NSEND() { "$B/tests/ipn-client" send "$1" 1 "$2" wronly >/dev/null; }

pretty "sum of 3 messages per key, output: the first message with the sum"
S=cs$SFX
IC create "$S" "$RUN/$S" policy=concast persistent key=u16@0 merge=sum value=u32@4 count=3 \
	output=message receiver=1 >/dev/null
out=$RUN/sum.out
"$VCB" recv "vde://$RUN/$S[1]" 2 10000 >"$out" &
BG+=($!)
RX=$!
wait_for 10 grep -qx ready "$out" || die "receiver did not start"
VC send "vde://$RUN/$S" 1 "hex=$(msg 7 1 10)" >/dev/null
NSEND "$RUN/$S" "$(msg 9 1 1000)"
VC send "vde://$RUN/$S" 1 "hex=$(msg 7 2 20)" >/dev/null
NSEND "$RUN/$S" "$(msg 9 2 2000)"
NSEND "$RUN/$S" "$(msg 7 3 30)"
VC send "vde://$RUN/$S" 1 "hex=$(msg 9 3 3000)" >/dev/null
wait "$RX" || die "receiver got: $(cat "$out")"
grep -qx "frame $(msg 7 1 60)" "$out" || die "key 7 not merged to 60: $(cat "$out")"
grep -qx "frame $(msg 9 1 6000)" "$out" || die "key 9 not merged to 6000: $(cat "$out")"
[ "$(nstat "$S" flows)" = 0 ] || die "flows left open"
ok "receiver got exactly: $(grep frame "$out" | cut -d' ' -f2 | xargs)"

pretty "senders do not receive: the merged output goes to the receiver port only"
[ "$(nstat "$S" tx_frames)" = 2 ] || die "tx_frames $(nstat "$S" tx_frames), expected 2"
ok "2 frames delivered for 6 merged"

pretty "flow state: read while open, set, completed by the next message"
NSEND "$RUN/$S" "$(msg 4 1 5)"
NSEND "$RUN/$S" "$(msg 4 2 6)"
wait_for 10 bash -c "'$B/tests/ipn-client' --rundir '$RUN' flow-get '$S' 4 | grep -q ' count 2 '" ||
	die "flow 4 not visible with count 2"
IC flow-get "$S" 4 | grep -q "^key 4 value 11 count 2 " || die "flow 4 state wrong: $(IC flow-get "$S" 4)"
IC flow-set "$S" 4 value=100 count=2 expect=3
out=$RUN/flow.out # a fresh file: the shell truncates it only once the receiver runs
"$VCB" recv "vde://$RUN/$S[1]" 1 10000 >"$out" &
RX=$!
BG+=($RX)
wait_for 10 grep -qx ready "$out" || die "receiver did not start"
NSEND "$RUN/$S" "$(msg 4 3 1)"
wait "$RX" || die "no output after the set flow completed"
grep -qx "frame $(msg 4 1 101)" "$out" || die "set flow merged wrong: $(cat "$out")"
IC flow-set "$S" 5 value=1 count=1 expect=5
IC flow-set "$S" 5 close
if IC flow-get "$S" 5 2>/dev/null; then die "closed flow still there"; fi
ok "flow read (value 11, count 2), set (value 100), completed to 101; closed"

pretty "summary after a timeout, to every member that may receive"
T=ct$SFX
IC create "$T" "$RUN/$T" policy=concast persistent key=u32@0 merge=max value=u16@4 timeout=300 \
	output=summary >/dev/null
out=$RUN/summary.out
"$B/tests/ipn-client" recv "$RUN/$T" 1 10000 rdonly >"$out" &
RX=$!
BG+=($RX)
wait_for 10 grep -q '^port ' "$out" || die "native receiver did not join"
NSEND "$RUN/$T" "0000002a00050000"
NSEND "$RUN/$T" "0000002a00090000"
VC send "vde://$RUN/$T" 1 "hex=0000002a00070000" >/dev/null
wait "$RX" || die "no summary after the timeout: $(cat "$out")"
# struct ipn_concast_summary: be64 key, be64 value, be32 count, be32 0
grep -qx "frame 000000000000002a000000000000000900000003""00000000" "$out" ||
	die "summary wrong: $(cat "$out")"
ok "summary: key 42, max 9, count 3"

pretty "dedup: the first message of a flow passes at once, the rest are swallowed"
D=cd$SFX
IC create "$D" "$RUN/$D" policy=concast persistent key=u16@0 merge=dedup count=3 receiver=1 >/dev/null
out=$RUN/dedup.out
"$VCB" recv "vde://$RUN/$D[1]" 2 3000 >"$out" &
RX=$!
BG+=($RX)
wait_for 10 grep -qx ready "$out" || die "receiver did not start"
for i in 1 2 3; do NSEND "$RUN/$D" "$(msg 8 "$i" 0)"; done
NSEND "$RUN/$D" "$(msg 8 4 0)" # a new flow for key 8
wait "$RX" || die "dedup outputs missing: $(cat "$out")"
[ "$(grep -c '^frame ' "$out")" = 2 ] || die "dedup delivered $(grep -c '^frame ' "$out") frames"
grep -qx "frame $(msg 8 1 0)" "$out" && grep -qx "frame $(msg 8 4 0)" "$out" || die "wrong frames passed"
ok "4 messages, 2 flows, 2 delivered"

pretty "messages too short for the key or value are counted"
NSEND "$RUN/$S" "0007"
wait_for 10 bash -c "[ \"\$('$B/tests/ipn-client' --rundir '$RUN' get '$S' | awk '\$1==\"drop_concast\"{print \$2}')\" = 1 ]" ||
	die "short message not counted as drop_concast"
ok "drop_concast counted"
