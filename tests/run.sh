#!/usr/bin/env bash
# The whole test suite: bootstrap, then each stage in turn, then a summary.
#
#   tests/run.sh                 every stage
#   tests/run.sh deno native     only these stages
#
# Stages:
#   deno    deno test over tests/ (language, plan, runtime, end-to-end in Deno)
#   native  C unit tests of libipn and the engine (make test-native)
#   e2e     tests/e2e/*.sh: namespaces, taps, VDE clients, real daemon (root)
#   vm      tests/vm/run.sh: the kernel module in Debian's kernel under qemu
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
"$ROOT/scripts/bootstrap.sh" --test || exit 1

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(deno native e2e vm)

declare -a summary=()
failed=0
run_stage() {
	local name=$1
	shift
	local t0 rc
	t0=$(date +%s)
	echo "==> $name"
	"$@"
	rc=$?
	local dt=$(($(date +%s) - t0))
	if [ $rc = 0 ]; then summary+=("ok    $name (${dt}s)"); else
		summary+=("FAIL  $name (${dt}s, exit $rc)")
		failed=$((failed + 1))
	fi
}

stage_deno() {
	"$ROOT/scripts/deno.sh" test --quiet --allow-all --no-prompt tests/
}

stage_native() {
	make -s test-native
}

stage_e2e() {
	local t rc=0 n=0 bad=0
	for t in tests/e2e/*.sh; do
		[ -e "$t" ] || continue
		n=$((n + 1))
		echo "--> $t"
		if ! timeout -k 5 600 bash "$t"; then
			echo "FAIL $t"
			bad=$((bad + 1))
			rc=1
		fi
	done
	echo "e2e: $((n - bad)) passed, $bad failed"
	return $rc
}

stage_vm() {
	if [ -x tests/vm/run.sh ]; then tests/vm/run.sh; else echo "vm: no tests yet"; fi
}

for s in "${stages[@]}"; do
	case $s in
	deno | native | e2e | vm) run_stage "$s" "stage_$s" ;;
	*)
		echo "tests/run.sh: unknown stage '$s' (deno, native, e2e, vm)" >&2
		exit 2
		;;
	esac
done

echo
echo "==> summary"
printf '%s\n' "${summary[@]}"
[ $failed = 0 ]
