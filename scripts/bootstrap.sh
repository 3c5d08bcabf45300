#!/usr/bin/env bash
# Bring a fresh Debian 12 machine to the point where ipn runs: system packages,
# npm dependencies (frozen by package-lock.json) and the native build.
# Idempotent and quick when everything is present.
#
#   scripts/bootstrap.sh          what `ipnctl` needs
#   scripts/bootstrap.sh --test   plus what the test suite and benchmarks need
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

run_pkgs="gcc make libc6-dev pkg-config iproute2 libnftables-dev nftables"
test_pkgs="vde2 vdeplug libvdeplug-dev qemu-system-x86 linux-headers-amd64 busybox-static
  cpio kmod xz-utils iperf3 graphviz tcpdump iputils-ping netcat-openbsd procps ethtool"

pkgs=$run_pkgs
[ "${1:-}" = --test ] && pkgs="$run_pkgs $test_pkgs"

say() { echo "bootstrap: $*" >&2; }

# --- system packages (one dpkg-query for all; apt only when something is missing)
# shellcheck disable=SC2086
installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' $pkgs 2>/dev/null | awk '$2 == "installed" {print $1}' || true)
missing=()
for p in $pkgs; do
	grep -qx "$p" <<<"$installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "bootstrap: missing packages: ${missing[*]} (run as root, or install them)" >&2
		exit 1
	fi
	say "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
		apt-get update -qq >/dev/null
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	}
fi

# --- npm dependencies: reinstall only when the lockfile changed
stamp=node_modules/.ipn-lock-stamp
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -x node_modules/@deno/linux-x64-glibc/deno ]; then
	say "npm ci"
	npm ci --no-audit --no-fund --loglevel=error >/dev/null
	echo "$want" >"$stamp"
fi

# --- native build (make itself decides what is stale)
make -s -C "$ROOT" native
