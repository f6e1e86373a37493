#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The cost of the check of bootstrap's BPF object at start-up, per engine, as
# `make bench`'s row "bootstrap object check" measures it (docs/abi.md,
# "Loading an object"), without the rest of the bench:
#
#   bench/check-time.sh [RUNS [OUT...]]     (default 15 runs, OUT build)
#
# RUNS rounds; each round runs the compiled bootstrap and wasmbpf-run on
# bootstrap.wasm of every OUT (build trees to compare, e.g. build/base build),
# one after the other. Prints per tree and engine the median and the
# interquartile range of the time WASMBPF_DEBUG=1 prints (how long the load
# waited for the check; the kernel's BTF, mapped meanwhile, left out), and the load
# average before and after. Every check must have gone through the checker.
set -u
runs=${1:-15}
shift || true
[ $# -gt 0 ] || set -- build
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for out in "$@"; do
	for f in "$out/examples/bootstrap/bootstrap" "$out/examples/bootstrap/bootstrap.wasm" \
		"$out/bin/wasmbpf-run"; do
		[ -e "$f" ] || { echo "check-time: $f: not built" >&2; exit 1; }
	done
done

# median, quartiles and IQR of the numbers on stdin
stats() {
	sort -n | awk '{ v[NR] = $1 }
	function pick(p) { return v[int(p * (NR - 1) + 1.5)] }
	END {
		if (NR == 0) { print "no runs"; exit }
		printf "median %5d us  [IQR %d-%d = %d]  n=%d\n", pick(0.5), pick(0.25),
			pick(0.75), pick(0.75) - pick(0.25), NR
	}'
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
for ((i = 0; i < runs; i++)); do
	n=0
	for out in "$@"; do
		n=$((n + 1))
		for side in aot interp; do
			case $side in
			aot) cmd=("$out/examples/bootstrap/bootstrap") ;;
			interp) cmd=("$out/bin/wasmbpf-run" "$out/examples/bootstrap/bootstrap.wasm") ;;
			esac
			WASMBPF_DEBUG=1 timeout -s INT 0.3 "${cmd[@]}" >/dev/null 2>"$tmp/err"
			line=$(grep -m1 'bpf object checked in' "$tmp/err")
			us=$(sed -n 's/^bootstrap: bpf object checked in a child process in \([0-9]*\) us (the checker.s)$/\1/p' \
				<<<"$line")
			if [ -z "$us" ]; then
				echo "check-time: $out $side run $i: '$line'" >&2
				continue
			fi
			echo "$us" >>"$tmp/$n.$side"
		done
	done
done
echo "load $load0 -> $(cut -d' ' -f1-3 /proc/loadavg)"
n=0
for out in "$@"; do
	n=$((n + 1))
	for side in aot interp; do
		printf '%-14s %-7s ' "$out" "$side"
		if [ -s "$tmp/$n.$side" ]; then stats <"$tmp/$n.$side"; else echo "no runs"; fi
	done
done
