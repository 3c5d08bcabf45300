#!/usr/bin/env bash
# The engine is a proper daemon: started through libipn by a process that
# is then killed (with its whole session), it keeps forwarding, detached
# from that session, with stdio on /dev/null and cwd at /, and a new client
# finds the networks it hosts.
source "$(dirname "$0")/engine/lib.sh"

NS1=ipn-sv1-$SFX NS2=ipn-sv2-$SFX
T1=ipt${SFX}s T2=ipt${SFX}t
NET=sv$SFX SUB=10.81.$((SFX % 250))
netns "$NS1"
netns "$NS2"

pretty "a starter in its own session creates the network and taps, then waits"
setsid bash -c "'$ICB' --rundir '$RUN' create $NET '$RUN/$NET' policy=switch persistent owner=starter &&
	'$ICB' --rundir '$RUN' tap $NET $T1 && '$ICB' --rundir '$RUN' tap $NET $T2 && exec sleep 600" \
	>/dev/null &
STARTER=$!
BG+=($STARTER)
wait_for 20 ip link show "$T2" || die "the starter did not set up the taps"
ip link set "$T1" netns "$NS1"
ip link set "$T2" netns "$NS2"
ip -n "$NS1" addr add "$SUB.1/24" dev "$T1"
ip -n "$NS2" addr add "$SUB.2/24" dev "$T2"
ip -n "$NS1" link set "$T1" up
ip -n "$NS2" link set "$T2" up
wait_for 20 ip netns exec "$NS1" ping -c 1 -W 1 "$SUB.2" || die "no forwarding to begin with"

PID=$(engine_pid)
sid() { awk '{print $6}' "/proc/$1/stat"; }
[ "$(sid "$PID")" != "$(sid "$STARTER")" ] || die "the engine shares the starter's session"
[ "$(awk '{print $4}' "/proc/$PID/stat")" != "$STARTER" ] || die "the engine is the starter's child"
[ "$(readlink "/proc/$PID/cwd")" = / ] || die "engine cwd is $(readlink "/proc/$PID/cwd")"
for fd in 0 1 2; do
	[ "$(readlink "/proc/$PID/fd/$fd")" = /dev/null ] || die "engine fd $fd is $(readlink "/proc/$PID/fd/$fd")"
done
ok "engine $PID: own session, cwd /, stdio on /dev/null"

pretty "kill the starter's whole session"
exec 3>&2 2>/dev/null # bash reports the killed job on stderr
kill -KILL -- "-$(sid "$STARTER")"
wait "$STARTER" || true
exec 2>&3 3>&-
! kill -0 "$STARTER" 2>/dev/null || die "starter still alive"
kill -0 "$PID" || die "the engine died with its starter"
ip netns exec "$NS1" ping -c 5 -i 0.2 -W 2 "$SUB.2" >/dev/null || die "forwarding stopped"
ok "starter gone, engine $PID still forwards"

pretty "a new client finds the network, with its owner tag"
IC list | grep -q "^$NET $RUN/$NET " || die "network not listed"
[ "$(nstat "$NET" owner)" = starter ] || die "owner tag lost"
[ "$(nstat "$NET" attachments)" = 2 ] || die "taps not observed"
ok "network $NET listed, owner 'starter', 2 attachments"

pretty "clean stop: taps deleted, directory removed, engine gone"
IC shutdown
wait_for 10 bash -c "! kill -0 $PID 2>/dev/null" || die "engine still running after shutdown"
! ip -n "$NS1" link show "$T1" >/dev/null 2>&1 || die "tap survived the engine"
[ ! -e "$RUN/$NET" ] && [ ! -e "$RUN/engine.ctl" ] || die "files left behind"
ok "stopped cleanly"
