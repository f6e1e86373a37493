# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Shared helpers for tier runners (source it). Result lines go to stdout,
# details of failures to stderr.
#   pass NAME | fail NAME WHY | skip NAME WHY
#   skip_all WHY | fail_all WHY   every test of the tier's TESTS array, then exit
#   need_root NAME         -> returns 1 (after printing SKIP) when not root
#   aot_build SRC.wasm OUT [driver args...]   compile with wasmbpf-aot, quietly
#   guest_cc SRC.c OUT.wasm [clang args...]   clang --target=wasm32-wasi
set -u
: "${WBPF_TOP:?run through tests/run.sh}"
WASI_CC=${WASI_CC:-clang --target=wasm32-wasi}

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
skip() { echo "SKIP $1: $2"; }

# Report every test named in the caller's TESTS array, then leave the tier.
skip_all() {
	local t
	for t in "${TESTS[@]}"; do skip "$t" "$1"; done
	exit 0
}
fail_all() {
	local t
	for t in "${TESTS[@]}"; do fail "$t" "$1"; done
	exit 1
}

need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		skip "$1" "needs root"
		return 1
	fi
}

guest_cc() {
	local src=$1 out=$2
	shift 2
	$WASI_CC -O2 -std=gnu11 -Wall -o "$out" "$src" "$@"
}

aot_build() {
	local src=$1 out=$2
	shift 2
	"$WASMBPF_AOT" "$@" "$src" -o "$out"
}

# Why BPF tests that need the real kernel cannot run here (root, BTF, tracefs,
# bpftool), or nothing when they can.
kernel_test_blocker() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "needs root"
	elif [ ! -r /sys/kernel/btf/vmlinux ]; then
		echo "kernel has no BTF (/sys/kernel/btf/vmlinux)"
	elif ! mount_tracefs; then
		echo "no tracefs (mount -t tracefs tracefs /sys/kernel/tracing failed)"
	elif ! command -v "${BPFTOOL:-bpftool}" >/dev/null; then
		echo "no bpftool"
	fi
}

# why_diff WHAT FILE_A FILE_B: when the files differ, add WHAT to the caller's
# reasons array and show the diff on stderr (headed by the caller's $name).
why_diff() {
	if ! cmp -s "$2" "$3"; then
		reasons+=("$1")
		{
			echo "--- ${name:+$name: }$1: $2 vs $3"
			diff -u "$2" "$3" | head -40
		} >&2
	fi
}

# programs_left ID...: wait up to 2 s for the kernel to free these BPF
# program IDs (it does so shortly after the last fd closes); print the ones
# still loaded then.
programs_left() {
	local left loaded id
	for _ in $(seq 1 40); do
		left=
		loaded=$("${BPFTOOL:-bpftool}" prog show | awk '/^[0-9]+:/ { sub(":", "", $1); print $1 }')
		for id in "$@"; do
			grep -qx "$id" <<<"$loaded" && left="$left $id"
		done
		[ -z "$left" ] && break
		sleep 0.05
	done
	echo $left
}

mount_tracefs() {
	[ -d /sys/kernel/tracing/events ] && return 0
	mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
	[ -d /sys/kernel/tracing/events ] || [ -d /sys/kernel/debug/tracing/events ]
}
