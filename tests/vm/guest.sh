#!/bin/sh
# Inside the guest, as root: load ipn.ko, run the suites (t_<name>), then
# unload and reload the module with members attached.
#   guest.sh DIR [suite...]     DIR holds ipn.ko and the test programs
D=$1
shift
SUITES=${*:-basic switch concast perm lossless netdev rewrite rewrite_scenario manage lib_ctl lib_hub lib_switch lib_concast lib_member lib_netdev abuse}
IP=/usr/sbin/ip
[ -x $IP ] || IP=/sbin/ip
export PATH=$D:/usr/sbin:/usr/bin:/sbin:/bin
pass=0
fail=0

# check "what" command... : one shell-level assertion
check() {
	what=$1
	shift
	if "$@" >/tmp/check.out 2>&1; then
		pass=$((pass + 1))
		echo "ok - $what"
	else
		fail=$((fail + 1))
		echo "not ok - $what"
		sed 's/^/#   /' /tmp/check.out
	fi
}

# suite name [args]: a test program; its "# name: P passed, F failed" line counts
suite() {
	name=$1
	shift
	t0=$(cut -d' ' -f1 /proc/uptime)
	timeout 180 "$D/t_$name" "$@" >/tmp/suite.out 2>&1
	rc=$?
	cat /tmp/suite.out
	line=$(grep "^# $name: [0-9]* passed, [0-9]* failed" /tmp/suite.out | tail -n 1)
	if [ -n "$line" ]; then
		p=$(echo "$line" | sed 's/.*: \([0-9]*\) passed.*/\1/')
		f=$(echo "$line" | sed 's/.* \([0-9]*\) failed.*/\1/')
	else
		p=0
		f=1
		echo "not ok - t_$name ended early (exit $rc)"
	fi
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
		echo "not ok - t_$name exit $rc"
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	echo "# t_$name took $(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN{printf "%.1f", b-a}')s"
}

flags_of() { cat "/sys/class/net/$1/flags" 2>/dev/null || echo 0; }
not_promisc() { [ $(($(flags_of "$1") & 0x100)) = 0 ]; }
is_promisc() { [ $(($(flags_of "$1") & 0x100)) != 0 ]; }

echo "guest: kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) cpus"
# ---- libipn's backend choice without the module (tests/vm/ipnlib.c)
check "no module: forcing the kernel backend is a clear error" \
	sh -c "ipnlib open kernel | grep -q 'kernel module is not loaded'"
check "no module: auto takes the user backend (its engine is not in this guest)" \
	sh -c "ipnlib open auto | grep -Eq 'backend user|ipn-engine'"
# ---- loading: the family is a parameter; taken or impossible numbers fail cleanly
check "insmod family=2 (AF_INET, taken) fails" sh -c "! insmod $D/ipn.ko family=2"
check "insmod family=46 (AF_MAX) fails" sh -c "! insmod $D/ipn.ko family=46"
check "insmod ipn.ko" insmod "$D/ipn.ko"
check "the family is published in /sys/module/ipn/parameters/family" \
	sh -c '[ "$(cat /sys/module/ipn/parameters/family)" -gt 0 ]'
check "/proc/net/ipn exists" test -r /proc/net/ipn
check "with the module: auto takes the kernel backend" sh -c "ipnlib open auto | grep -qx 'backend kernel'"

for s in $SUITES; do
	[ "$s" = none ] && continue
	if [ -x "$D/t_$s" ]; then suite "$s"; else check "suite $s exists" false; fi
done

# a command of a later stage (e.g. Deno and libipn over MODE=9p), from the repository root
if [ -n "${GUEST_CMD:-}" ]; then
	check "guest command: $GUEST_CMD" sh -c "cd '${ROOT_DIR:-/}' 2>/dev/null; $GUEST_CMD"
fi

# the data plane side by side (bench/kmod, MODE=9p): BENCH="seconds per measurement"
if [ -n "${BENCH:-}" ]; then
	grep -q '^ipn ' /proc/modules || insmod "$D/ipn.ko"
	if [ -x "$D/dpbench" ]; then
		echo "BENCH-JSON $("$D/dpbench" $BENCH 2>/tmp/dpbench.err || cat /tmp/dpbench.err)"
	else
		echo "BENCH-JSON no dpbench (bench/kmod/run.sh builds it)"
	fi
	rmmod ipn
fi

# ---- unload with members attached, then load again
case " $SUITES " in *" unload "* | *" basic "*) unload=1 ;; *) unload= ;; esac
if [ -n "$unload" ]; then
	echo "# unload and reload with members attached"
	ipnt hold /tmp/held >/tmp/hold.out 2>&1 &
	hp=$!
	for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q holding /tmp/hold.out && break; sleep 0.2; done
	check "a member holds a network" grep -q holding /tmp/hold.out
	check "rmmod with a connected member is refused" sh -c "! rmmod ipn"
	check "the module keeps working" ipnt smoke
	kill $hp
	wait $hp 2>/dev/null
	check "a persistent switch network" ipnt mknet /tmp/pers switch persistent
	check "with a persistent tap" ipnt tap /tmp/pers ipnu0
	$IP link add gu0 type veth peer name gu1 && $IP link set gu0 up && $IP link set gu1 up
	check "and a persistent grab of a veth" ipnt grab /tmp/pers gu0
	check "the grabbed interface is promiscuous" is_promisc gu0
	check "rmmod with a persistent network, a tap and a grab" rmmod ipn
	check "the tap is gone" sh -c "! $IP link show ipnu0"
	check "the grabbed interface is released (not promiscuous)" not_promisc gu0
	check "insmod again" insmod "$D/ipn.ko"
	check "the old node is stale: connect is refused" sh -c "ipnt connect /tmp/pers | grep -q ECONNREFUSED"
	rm -f /tmp/pers /tmp/held
	check "the module works again" ipnt smoke
	check "the same interface can be grabbed again" sh -c \
		"ipnt mknet /tmp/pers2 switch persistent && ipnt grab /tmp/pers2 gu0 && ipnt clr gu0"
	check "released again" not_promisc gu0
	check "rmmod" rmmod ipn
	$IP link del gu0 2>/dev/null
fi

echo "vm: $pass passed, $fail failed"
[ "$fail" = 0 ]
