#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Part of tier "examples" (run by tests/examples/run.sh): lsm on the real
# kernel (root, BTF).
# A feature probe decides what this kernel does with BPF LSM programs: it
# allows them when /sys/kernel/security/lsm lists "bpf" and a trivial
# lsm/path_rmdir program (loaded by a small libbpf program built here) loads.
# Where it does not, lsm must say so in one line, with the reason the probe
# got when it loaded nothing, and exit 1 (both engines), and the refusal
# tests print SKIP with the probe's reason. Where it does,
# lsm -n NAME must make rmdir of a directory NAME fail with EPERM and print
# a line with the pid and comm of that rmdir (both engines), leave other
# names alone, stop on SIGINT within a second with exit 0, and rmdir must
# work again after. Never a BPF program left loaded.
set -u
. "$WBPF_TOP/tests/lib.sh"
. "$WBPF_TOP/tests/examples/lib.sh"

examples_tmp examples-lsm
LSM=${WBPF_LSM:-$WBPF_BUILD/examples/lsm/lsm}
RUN=${WBPF_RUN:-$WBPF_BUILD/bin/wasmbpf-run}
BPFTOOL=${BPFTOOL:-bpftool}
ROOT_TESTS=(lsm_kernel_refusal_said lsm_kernel_refusal_said_interp lsm_refuses_rmdir
	lsm_refuses_rmdir_interp lsm_sigint lsm_no_programs_left)

# ------------------------------------------------------------------ command line (no root)
need_built "$LSM" "$LSM.wasm" "$RUN" || exit 0
cmdline_tests lsm "$LSM" "USAGE: lsm [-h] [-T] -n NAME" "-n a/b" "invalid NAME: a/b"
usage_error_test lsm_missing_name lsm "$LSM" "" "missing -n NAME"

# ------------------------------------------------------------------ real kernel
need_kernel

# ------------------------------------------------------------------ the feature probe
# lsm_blocker: why this kernel does not run BPF LSM programs, or nothing
cat >"$T/probe.bpf.c" <<'EOF'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("lsm/path_rmdir")
int wbpf_lsm_probe(unsigned long long *ctx)
{
	return 0;
}
EOF
cat >"$T/probe.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

/* load the object argv[1]: exit 0 if the kernel took it, else say why */
int main(int argc, char **argv)
{
	struct bpf_object *obj;
	int err;

	libbpf_set_print(NULL);
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		printf("cannot open %s\n", argv[1]);
		return 2;
	}
	err = bpf_object__load(obj);
	if (err)
		printf("%s\n", strerror(-err));
	bpf_object__close(obj);
	return err ? 1 : 0;
}
EOF
lsm_blocker() {
	local multiarch reason
	if [ ! -r /sys/kernel/security/lsm ]; then
		mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
	fi
	if [ ! -r /sys/kernel/security/lsm ]; then
		echo "no /sys/kernel/security/lsm (securityfs cannot be mounted)"
		return
	fi
	if ! tr ',' '\n' </sys/kernel/security/lsm | grep -qx bpf; then
		echo "'bpf' is not in the kernel's LSM list ($(cat /sys/kernel/security/lsm))"
		return
	fi
	multiarch=$(gcc -print-multiarch 2>/dev/null || echo "$(uname -m)-linux-gnu")
	if ! clang -O2 -target bpf -I"/usr/include/$multiarch" -c "$T/probe.bpf.c" \
		-o "$T/probe.bpf.o" 2>"$T/probe.err" ||
		! ${CC:-cc} -O2 -o "$T/probe" "$T/probe.c" -l:libbpf.a -lelf -lz 2>>"$T/probe.err"; then
		echo "cannot build the probe: $(head -1 "$T/probe.err")"
		return
	fi
	if ! reason=$("$T/probe" "$T/probe.bpf.o"); then
		echo "$reason" >"$T/probe.reason"
		echo "the kernel refuses a trivial lsm/path_rmdir program: $reason"
	fi
}
lsm_why=$(lsm_blocker)

# ------------------------------------------------------------------ kernel refuses
# refusal_test NAME CMD...: one line that says it, exit 1
refusal_test() {
	local t=$1 rc line
	shift
	"$@" -n wbkeep$$ >"$T/$t.out" 2>"$T/$t.err"; rc=$?
	line=$(grep '^lsm: this kernel does not allow BPF LSM programs (' "$T/$t.err")
	if [ $rc -ne 1 ]; then
		fail $t "exit $rc, want 1; stderr: $(tail -c 300 "$T/$t.err")"
	elif [ "$(wc -l <<<"$line")" -ne 1 ] ||
		! grep -q "); is 'bpf' in the lsm= boot parameter?\$" <<<"$line"; then
		fail $t "no one line 'lsm: this kernel does not allow BPF LSM programs (...); is 'bpf' in the lsm= boot parameter?': $(tail -c 300 "$T/$t.err")"
	elif [ "$(tail -1 "$T/$t.err")" != "$line" ]; then
		fail $t "the line is not the last one on stderr: $(tail -1 "$T/$t.err")"
	elif [ -s "$T/probe.reason" ] &&
		! grep -qF "(load failed: $(cat "$T/probe.reason"));" <<<"$line"; then
		fail $t "the line does not give the probe's reason '$(cat "$T/probe.reason")': $line"
	else
		pass $t
	fi
}

if [ -z "$lsm_why" ]; then
	skip_each "this kernel allows BPF LSM programs" lsm_kernel_refusal_said \
		lsm_kernel_refusal_said_interp
else
	refusal_test lsm_kernel_refusal_said "$LSM"
	refusal_test lsm_kernel_refusal_said_interp "$RUN" "$LSM.wasm"
fi

# ------------------------------------------------------------------ kernel allows
# rmdir_test NAME CMD...: rmdir of NAME refused and reported, of another name not
rmdir_test() {
	local t=$1 name=wbkeep$$ d=$T/dirs.$1 rpid err_out want
	shift
	mkdir -p "$d/$name" "$d/other$$"
	# the banner and the header are out once it is attached
	if ! start_tool "$T/$t.out" 1 0 2 "$@" -n $name; then
		fail $t "$* -n $name did not start"
		return 1
	fi
	rpid=$(bash -c 'echo $$; exec rmdir "$1" 2>"$2"' sh "$d/$name" "$T/$t.rmdir.err")
	err_out=$(cat "$T/$t.rmdir.err")
	rmdir "$d/other$$" 2>"$T/$t.other.err"
	stop_tool
	want=$(printf '%-7u %-16s %-6u refused rmdir of %s' "$rpid" rmdir 0 $name)
	if [ "$tool_rc" != 0 ]; then
		fail $t "exit $tool_rc after SIGINT; stderr: $(head -c 200 "$T/$t.out.err")"
	elif [ ! -d "$d/$name" ] || ! grep -q 'Operation not permitted' <<<"$err_out"; then
		fail $t "rmdir $d/$name was not refused with EPERM: '$err_out'"
	elif [ -d "$d/other$$" ]; then
		fail $t "rmdir of another name failed: $(cat "$T/$t.other.err")"
	elif ! grep -qxF -- "$want" "$T/$t.out"; then
		fail $t "no line '$want': $(tail -n +3 "$T/$t.out" | head -3)"
	elif ! rmdir "$d/$name" 2>"$T/$t.after.err"; then
		fail $t "rmdir still refused after lsm exited: $(cat "$T/$t.after.err")"
	else
		pass $t
	fi
	return 0
}

if [ -n "$lsm_why" ]; then
	skip_each "$lsm_why" lsm_refuses_rmdir lsm_refuses_rmdir_interp lsm_sigint
else
	with_sigint lsm_sigint rmdir_test lsm_refuses_rmdir "$LSM"
	rmdir_test lsm_refuses_rmdir_interp "$RUN" "$LSM.wasm"
fi

# ------------------------------------------------------------------ nothing left loaded
t=lsm_no_programs_left
# shellcheck disable=SC2086
left=$(programs_left $all_prog_ids)
named=$("$BPFTOOL" prog show 2>/dev/null | grep -E 'name (refuse_rmdir|wbpf_lsm_probe) ')
if [ -n "$left" ]; then
	fail $t "programs still loaded after exit: ids $left"
elif [ -n "$named" ]; then
	fail $t "programs left: $named"
elif [ -z "$lsm_why" ] && [ -z "$all_prog_ids" ]; then
	fail $t "did not see the programs of the runs"
else
	pass $t
fi
exit 0
