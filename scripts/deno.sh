#!/usr/bin/env bash
# Run the project's pinned Deno (from node_modules) with clean error output.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $(uname -m) in
x86_64) bin=$ROOT/node_modules/@deno/linux-x64-glibc/deno ;;
aarch64) bin=$ROOT/node_modules/@deno/linux-arm64-glibc/deno ;;
*) bin=$ROOT/node_modules/.bin/deno ;;
esac
export RUST_BACKTRACE=0 DENO_NO_UPDATE_CHECK=1 DENO_NO_PROMPT=1
exec "$bin" "$@"
