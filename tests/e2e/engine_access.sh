#!/usr/bin/env bash
# IPN access with a real unprivileged uid (nobody): w only is send-only, r
# only is receive-only, neither is refused with a clear error (and counted),
# x manages; root gets everything; taking a right away disconnects.
source "$(dirname "$0")/engine/lib.sh"

AS_NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
NVC() { "${AS_NOBODY[@]}" "$B/tests/vde-client" "$@"; }
NIC() { "${AS_NOBODY[@]}" "$B/tests/ipn-client" --rundir "$RUN" "$@"; }
members() { stat "$1" members; }

W=aw$SFX R=ar$SFX N=an$SFX X=ax$SFX
IC create "$W" "$RUN/$W" policy=hub persistent mode=0662 >/dev/null
IC create "$R" "$RUN/$R" policy=hub persistent mode=0664 >/dev/null
IC create "$N" "$RUN/$N" policy=hub persistent mode=0660 >/dev/null
IC create "$X" "$RUN/$X" policy=hub persistent mode=0667 >/dev/null

pretty "on disk: anyone may knock on PATH/ctl, the engine decides"
IC update "$N" gid=100 >/dev/null
[ "$(stat -c '%a %U %G' "$RUN/$N/ctl")" = "666 root users" ] || die "ctl is $(stat -c '%a %U %G' "$RUN/$N/ctl")"
[ "$(stat -c '%a %U %G' "$RUN/$N")" = "755 root users" ] || die "directory is $(stat -c '%a %U %G' "$RUN/$N")"
ok "ctl 0666, directory 0755, owned by the network's owner and group"

pretty "w only: nobody sends, and gets nothing"
out=$RUN/w.out
"$VCB" recv "vde://$RUN/$W" 20 10000 quiet >"$out" &
RX=$!
BG+=($RX)
"${AS_NOBODY[@]}" "$VCB" recv "vde://$RUN/$W" 1 60000 quiet >"$RUN/w-nobody.out" &
BG+=($!)
wait_for 10 bash -c "[ \"\$('$B/tests/ipn-client' --rundir '$RUN' get '$W' | awk '\$1==\"members\"{print \$2}')\" = 2 ]" ||
	die "members did not join"
NVC send "vde://$RUN/$W" 10 >/dev/null || die "nobody could not send on a 0662 network"
VC send "vde://$RUN/$W" 10 >/dev/null
wait "$RX" || die "root receiver got $(cat "$out")"
nport=$(IC ports "$W" | awk '$1 == "port" && $10 == 65534 {print $2}')
[ -n "$nport" ] || die "nobody's port not listed"
IC ports "$W" | grep -q "^port $nport kind 1 rights 2 " || die "nobody's rights are not w"
[ "$(port_stat "$W" "$nport" tx_frames)" = 0 ] || die "frames delivered to a member without r"
ok "root's receiver got all 20 (10 from nobody); nobody's receiver got 0 of them"

pretty "r only: nobody receives; what it sends is dropped and counted"
"${AS_NOBODY[@]}" "$VCB" recv "vde://$RUN/$R" 5 10000 quiet >"$RUN/r-nobody.out" &
RX=$!
BG+=($RX)
wait_for 10 grep -qx ready "$RUN/r-nobody.out" || die "nobody could not join a 0664 network"
wait_for 10 bash -c "[ \"\$('$B/tests/ipn-client' --rundir '$RUN' get '$R' | awk '\$1==\"members\"{print \$2}')\" = 1 ]"
VC send "vde://$RUN/$R" 5 >/dev/null
wait "$RX" || die "nobody received $(tail -1 "$RUN/r-nobody.out")"
NVC send "vde://$RUN/$R" 7 >/dev/null
wait_for 10 bash -c "[ \"\$('$B/tests/ipn-client' --rundir '$RUN' get '$R' | awk '\$1==\"drop_no_write\"{print \$2}')\" = 7 ]" ||
	die "drop_no_write is $(nstat "$R" drop_no_write), expected 7"
[ "$(nstat "$R" tx_frames)" = 5 ] || die "a receive-only member's frames were delivered"
ok "nobody received 5; its 7 frames dropped as no_write"

pretty "neither: refused, with an error the client can print, and counted"
if err=$(NVC send "vde://$RUN/$N" 1 2>&1); then die "nobody joined a 0660 network"; fi
grep -q "Permission denied" <<<"$err" || die "VDE refusal unclear: $err"
if err=$(NIC join "$RUN/$N" 2>&1); then die "nobody joined natively a 0660 network"; fi
grep -q "Permission denied" <<<"$err" || die "native refusal unclear: $err"
[ "$(nstat "$N" drop_refused)" = 2 ] || die "refusals counted: $(nstat "$N" drop_refused)"
IC join "$RUN/$N" | grep -qx "port 1 rights 6" || die "root does not get rw"
ok "refused: '$err'; root joins with rw"

pretty "native members get the same rights"
NIC join "$RUN/$W" | grep -q " rights 2$" || die "native nobody on 0662 is not send-only"
NIC join "$RUN/$R" | grep -q " rights 4$" || die "native nobody on 0664 is not receive-only"
ok "send-only and receive-only natively too"

pretty "control: create needs root, managing needs x, no right hides the network"
if cerr=$(NIC create "z$SFX" "$RUN/z$SFX" 2>&1); then die "nobody created a network"; fi
grep -q "needs root" <<<"$cerr" || die "unclear: $cerr"
if err=$(NIC update "$R" mtu=1000 2>&1); then die "nobody managed a network without x"; fi
grep -q "needs the x right" <<<"$err" || die "unclear: $err"
NIC update "$X" mtu=1000 || die "nobody could not manage a network with x"
[ "$(nstat "$X" mtu)" = 1000 ] || die "update with x did not apply"
if NIC get "$N" >/dev/null 2>&1; then die "nobody sees a network it has no right on"; fi
NIC list | grep -q "^$N " && die "list shows a network nobody has no right on"
ok "create refused ('$cerr'), x manages, no right hides"

pretty "taking the right away disconnects the member"
"${AS_NOBODY[@]}" "$VCB" hold "vde://$RUN/$R" 60 &
BG+=($!)
wait_for 10 bash -c "[ \"\$('$B/tests/ipn-client' --rundir '$RUN' get '$R' | awk '\$1==\"members\"{print \$2}')\" = 1 ]" ||
	die "member did not join"
IC update "$R" mode=0660
wait_for 10 bash -c "[ \"\$('$B/tests/ipn-client' --rundir '$RUN' get '$R' | awk '\$1==\"members\"{print \$2}')\" = 0 ]" ||
	die "member kept its port after losing its rights"
ok "mode 0664 -> 0660: nobody's port closed"
