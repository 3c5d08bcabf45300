#!/usr/bin/env bash
# The kernel module in Debian's kernel, under qemu.
#
# Builds kmod/ipn.ko against the installed linux-headers-amd64 (warnings
# fail the build) and the static test programs tests/vm/t_*.c, fetches the
# kernel image of that ABI (cached under build/vm/), boots it with an
# initramfs holding them, runs tests/vm/guest.sh inside and reports.
#
#   tests/vm/run.sh                 the stage: every C suite in an initramfs guest, then
#                                   ipnd/ipnctl on the kernel backend in a 9p guest (apply)
#   tests/vm/run.sh basic switch    only these suites (t_<name>), plus the load checks
#   MODE=9p tests/vm/run.sh apply   only the apply test
#
# Environment:
#   MODE=initramfs|9p   initramfs (default with suites named): a self-contained userland;
#                       9p: the host's / shared read-only (host tools, Deno, libipn)
#   ACCEL=auto|kvm|tcg  auto: KVM on a real VMX/SVM host, else TCG
#   TIMEOUT=secs        host-side limit of the guest run (default 300)
#   SMP=n MEM=MiB       guest size (default 2 CPUs, 1024 MiB)
#   VERBOSE=1           print the whole guest console
#   BENCH=secs          run bench/kmod's dpbench in the guest (bench/kmod/run.sh, MODE=9p)
#   GUEST_CMD='cmd'     run cmd in the guest after the suites, from the repository root
#                       (MODE=9p: the host's tools, e.g. scripts/deno.sh, are there)
# Exit: 0 pass, 1 test failures, 2 setup error, 3 guest crash (no result), 124 timeout.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/tests/vm
B=$ROOT/build/vm
# The stage: two guests, one count. A panic, hang or failure in either fails it.
if [ $# = 0 ] && [ -z "${MODE:-}" ]; then
	t_all=$(date +%s.%N)
	out=$(mktemp)
	trap 'rm -f "$out"' EXIT
	rc=0
	pass=0
	failed=0
	for phase in initramfs 9p; do
		set +e
		if [ "$phase" = 9p ]; then MODE=9p "$0" apply | tee "$out"; else MODE=initramfs "$0" | tee "$out"; fi
		prc=${PIPESTATUS[0]}
		set -e
		line=$(sed -n 's/^vm: \([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p' "$out" | tail -n 1)
		[ -n "$line" ] || line="0 1"
		pass=$((pass + ${line%% *}))
		failed=$((failed + ${line##* }))
		[ "$prc" != 0 ] && [ "${line##* }" = 0 ] && failed=$((failed + 1)) # crash, hang, setup
		[ "$rc" = 0 ] && rc=$prc
	done
	echo "vm: the stage took $(awk -v a="$t_all" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')s" >&2
	echo "vm: $pass passed, $failed failed"
	exit "$rc"
fi
MODE=${MODE:-initramfs}
ACCEL=${ACCEL:-auto}
TIMEOUT=${TIMEOUT:-300}
SMP=${SMP:-2}
MEM=${MEM:-1024}
SUITES="$*"

t_start=$(date +%s.%N)
say() { echo "vm: $*" >&2; }
die() {
	say "$*"
	echo "vm: 0 passed, 1 failed (setup)"
	exit 2
}
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

for tool in qemu-system-x86_64 busybox cpio modprobe depmod xz gcc make dpkg-deb apt-get; do
	command -v "$tool" >/dev/null || die "missing $tool (run scripts/bootstrap.sh --test)"
done
KVER=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
	sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p')
[ -n "$KVER" ] || die "linux-headers-amd64 is not installed (scripts/bootstrap.sh --test)"
[ -d "/usr/src/linux-headers-$KVER" ] || die "no /usr/src/linux-headers-$KVER"
case $MODE in initramfs | 9p) ;; *) die "MODE must be initramfs or 9p" ;; esac
mkdir -p "$B"

# ---- the module: warnings are failures (W=1, -Werror, and modpost's) ----
t0=$(date +%s.%N)
if ! make -s -C "$ROOT/kmod" KVER="$KVER" >"$B/kbuild.log" 2>&1 ||
	grep -iE 'warning|error' "$B/kbuild.log" | grep -v 'Skipping BTF generation' >&2; then
	cat "$B/kbuild.log" >&2
	die "building kmod/ipn.ko failed or warned"
fi
make -s -C "$HERE" OUT="$B/bin" >&2 || die "building the test programs failed"
if [ "$MODE" = 9p ]; then
	make -s -C "$ROOT/native/libipn" all >&2 || die "building libipn failed"
	# the CLI transpiled here once: the guest copies this cache instead of redoing it slowly
	rm -rf "$B/deno-cache"
	DENO_DIR=$B/deno-cache "$ROOT/scripts/deno.sh" cache --quiet --config "$ROOT/deno.json" \
		"$ROOT/runtime/cli/main.ts" >&2 || die "deno cache failed"
fi
say "built ipn.ko and tests for $KVER in $(elapsed "$t0")s"

# ---- Debian's kernel for that ABI: downloaded and unpacked, not installed ----
KROOT=$B/kroot-$KVER
if [ ! -s "$KROOT/boot/vmlinuz-$KVER" ]; then
	t0=$(date +%s.%N)
	mkdir -p "$B/debs"
	(
		cd "$B/debs"
		rm -f linux-image-"$KVER"_*.deb
		apt-get download "linux-image-$KVER" >/dev/null 2>&1 || {
			apt-get update -qq >/dev/null 2>&1 || true
			apt-get download "linux-image-$KVER" >/dev/null
		}
	) || die "cannot download linux-image-$KVER"
	rm -rf "$KROOT.tmp"
	dpkg-deb -x "$B/debs/linux-image-${KVER}"_*.deb "$KROOT.tmp"
	depmod -b "$KROOT.tmp" "$KVER"
	mv "$KROOT.tmp" "$KROOT"
	rm -f "$B/debs/linux-image-${KVER}"_*.deb
	say "fetched linux-image-$KVER in $(elapsed "$t0")s"
fi
# boot the ELF inside the bzImage (PVH entry): saves the decompression at every boot
VMLINUX=$B/vmlinux-$KVER
if [ ! -s "$VMLINUX" ]; then
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$KROOT/boot/vmlinuz-$KVER" | head -n 1 | cut -d: -f1)
	[ -n "$off" ] || die "no xz payload in vmlinuz-$KVER"
	tail -c +$((off + 1)) "$KROOT/boot/vmlinuz-$KVER" >"$VMLINUX.xz"
	xz -dc --single-stream "$VMLINUX.xz" >"$VMLINUX.tmp" || die "cannot unpack vmlinux"
	rm -f "$VMLINUX.xz"
	mv "$VMLINUX.tmp" "$VMLINUX"
fi

# ---- the guest's userland ----
R=$B/root
rm -rf "$R"
mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,kmod,t,host,root}
cp "$(command -v busybox)" "$R/bin/busybox"
for a in $("$R/bin/busybox" --list); do [ -e "$R/bin/$a" ] || ln -s busybox "$R/bin/$a"; done
kmods="veth"
# 9p: the host root; nf_tables: the daemon reads its rewrite table through libnftables
[ "$MODE" = 9p ] && kmods="$kmods virtio_pci 9pnet_virtio 9p nf_tables"
: >"$R/kmod/order"
for m in $kmods; do
	modprobe -d "$KROOT" -S "$KVER" --show-depends "$m" | while read -r cmd path _; do
		[ "$cmd" = insmod ] || continue
		f=$(basename "$path")
		grep -qx "$f" "$R/kmod/order" && continue
		cp "$path" "$R/kmod/$f"
		echo "$f" >>"$R/kmod/order"
	done
done
if [ "$MODE" = initramfs ]; then
	TDIR=/t
	cp "$ROOT/kmod/ipn.ko" "$R/t/"
	strip --strip-debug "$R/t/ipn.ko"
	cp "$B"/bin/* "$HERE/guest.sh" "$R/t/"
	# iproute2 (busybox's ip applet lacks netns) and its libraries
	cp /usr/sbin/ip "$R/usr/sbin/ip"
	for lib in $(ldd /usr/sbin/ip | grep -o '/[^ ]*'); do
		mkdir -p "$R$(dirname "$lib")"
		cp -L "$lib" "$R$lib"
	done
else
	# the host root is shared read-only: the guest runs what is built here
	TDIR=$B/t
	rm -rf "$TDIR"
	mkdir -p "$TDIR"
	cp "$ROOT/kmod/ipn.ko" "$B"/bin/* "$HERE/guest.sh" "$TDIR/"
	cp "$HERE/apply.sh" "$TDIR/t_apply" # ipnd and ipnctl: the host's Deno and libipn.so
fi
printf 'MODE=%q\nTDIR=%q\nSUITES=%q\nexport BENCH=%q GUEST_CMD=%q ROOT_DIR=%q\n' \
	"$MODE" "$TDIR" "$SUITES" "${BENCH:-}" "${GUEST_CMD:-}" "$ROOT" >"$R/etc/ipn-vm.conf"
cat >"$R/init" <<'EOF'
#!/bin/busybox sh
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
. /etc/ipn-vm.conf
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
mount -t tmpfs run /run
for m in $(cat /kmod/order); do insmod /kmod/$m || echo "init: insmod $m failed"; done
echo "IPN-VM-BOOTED uptime=$(cut -d' ' -f1 /proc/uptime)"
if [ "$MODE" = initramfs ]; then
	sh /t/guest.sh /t $SUITES
	rc=$?
elif mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=512000,cache=loose host /host; then
	for d in proc sys dev; do mount --bind /$d /host/$d; done
	# A checkout under /tmp or /run (a CI clone) must stay visible under the
	# guest's own tmpfs: set it aside, mount the tmpfs, put it back.
	case $ROOT_DIR in /tmp/* | /run/*) mkdir /keep && mount --bind "/host$ROOT_DIR" /keep ;; esac
	mount -t tmpfs tmp /host/tmp
	mount -t tmpfs run /host/run
	case $ROOT_DIR in /tmp/* | /run/*) mkdir -p "/host$ROOT_DIR" && mount --move /keep "/host$ROOT_DIR" ;; esac
	# the shared root is read-only: home and caches go to the guest's /tmp
	HOME=/tmp XDG_CACHE_HOME=/tmp/.cache DENO_DIR=/tmp/.deno \
		chroot /host /bin/sh "$TDIR/guest.sh" "$TDIR" $SUITES
	rc=$?
else
	echo "init: cannot mount the host root"
	rc=98
fi
echo "IPN-VM-RESULT rc=$rc uptime=$(cut -d' ' -f1 /proc/uptime)"
# second channel, independent of the console: qemu exits with (rc << 1) | 1
printf "$(printf '\\%03o' $((rc & 255)))" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
poweroff -f
EOF
chmod +x "$R/init"
(cd "$R" && find . | cpio -o -H newc --quiet) >"$B/initramfs.cpio"

# ---- boot ----
if [ "$ACCEL" = auto ]; then
	# a /dev/kvm served by kvm_pvm cannot run a stock kernel: emulate
	if [ -w /dev/kvm ] && [ ! -d /sys/module/kvm_pvm ]; then ACCEL=kvm; else ACCEL=tcg; fi
fi
QEMU=(qemu-system-x86_64 -nodefaults -no-user-config -M pc -m "$MEM" -smp "$SMP"
	-kernel "$VMLINUX" -initrd "$B/initramfs.cpio"
	-append "console=ttyS0 quiet panic=-1 oops=panic panic_on_warn=1 slab_nomerge mitigations=off"
	-display none -serial stdio -no-reboot -nic none
	-device isa-debug-exit,iobase=0xf4,iosize=0x04)
if [ "$ACCEL" = kvm ]; then QEMU+=(-accel kvm -cpu host); else QEMU+=(-accel tcg -cpu max); fi
[ "$MODE" = 9p ] && QEMU+=(-virtfs "local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap")
say "booting $KVER (mode $MODE, $ACCEL, $SMP cpus)"
t0=$(date +%s.%N)
set +e
timeout -k 5 "$TIMEOUT" "${QEMU[@]}" </dev/null >"$B/console.log" 2>&1 &
qpid=$!
# show test lines and kernel trouble as they come; the whole console stays in build/vm/console.log
show='^(ok|not ok|#|vm|guest|IPN-VM|\[ *[0-9.]+\] .*(BUG|WARNING|Oops|panic|Call Trace|RIP))'
[ -n "${VERBOSE:-}" ] && show=.
tail -s 0.2 -n +1 -f --pid=$qpid "$B/console.log" 2>/dev/null | sed -u 's/\r$//' |
	grep --line-buffered -E "$show" &
tpid=$!
wait $qpid
qrc=$?
wait $tpid
set -e
t_vm=$(elapsed "$t0")

log=$(tr -d '\r' <"$B/console.log")
res=$(sed -n 's/^IPN-VM-RESULT rc=\([0-9]*\).*/\1/p' <<<"$log" | tail -n 1)
counts=$(sed -n 's/^vm: \([0-9]* passed, [0-9]* failed\)$/\1/p' <<<"$log" | tail -n 1)
if [ -z "$res" ]; then
	grep -E 'BUG|WARNING|Oops|panic|RIP|Call Trace' <<<"$log" | head -n 40 >&2 || true
	# what passed before it stopped
	counts="$(grep -c '^ok' <<<"$log" || true) passed, $(grep -c '^not ok' <<<"$log" || true) failed"
	if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
		say "TIMEOUT: the guest did not finish in ${TIMEOUT}s (console: build/vm/console.log)"
		echo "vm: $counts, then timeout"
		exit 124
	fi
	say "no result from the guest: it crashed (console: build/vm/console.log)"
	echo "vm: $counts, then crash"
	exit 3
fi
if [ $((qrc & 1)) = 1 ] && [ $((qrc >> 1)) != "$res" ]; then
	say "the console says rc=$res but the debug-exit port says $((qrc >> 1))"
	exit 3
fi
say "guest run ${t_vm}s, whole stage $(elapsed "$t_start")s"
echo "vm: ${counts:-0 passed, 1 failed}"
[ "$res" = 0 ] && [ -n "$counts" ] || exit 1
