#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The main job, end to end: compile examples/bootstrap's bootstrap.wasm into a
# native program with wasmbpf-aot, run it as root for a few seconds while
# starting some processes, then stop it with SIGINT as a user would.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-build}
wasm=$OUT/examples/bootstrap/bootstrap.wasm
prog=$OUT/demo/bootstrap
secs=${DEMO_SECONDS:-4}

mkdir -p "$OUT/demo"
echo "\$ wasmbpf-aot $wasm -o $prog"
start=$(date +%s%N)
"$OUT/bin/wasmbpf-aot" "$wasm" -o "$prog"
end=$(date +%s%N)
echo "compiled $(($(stat -c %s "$wasm") / 1024)) KiB of wasm in $(((end - start) / 1000000)) ms" \
	"into a $(($(stat -c %s "$prog") / 1024)) KiB native executable"

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: loading BPF programs needs root: run 'sudo make demo'" >&2
	exit 1
fi
if [ ! -d /sys/kernel/tracing/events ]; then
	mount -t tracefs tracefs /sys/kernel/tracing
fi

echo "\$ sudo $prog    # for ${secs} s, then SIGINT"
"$prog" &
pid=$!
sleep 1
for i in $(seq 1 "$secs"); do
	ls / > /dev/null
	sh -c 'exit 3' || true
	sleep 0.7
done
kill -INT "$pid"
wait "$pid"
echo "bootstrap exited with status $?"
