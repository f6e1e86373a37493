#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Part of tier "bpf" (run by tests/bpf/run.sh): a custom BTF for CO-RE, as a
# prebuilt tool gets one from BTFHub on a kernel without /sys/kernel/btf/vmlinux
# (docs/abi.md, "BTF"). bootstrap's handle_exec reads task->real_parent->tgid
# through CO-RE. Under both engines (NAME is the AOT binary, NAME_interp
# wasmbpf-run on the same .wasm):
# - btf_env_without_kernel_btf: in a mount namespace where /sys/kernel/btf is
#   empty, bootstrap cannot load without WASMBPF_BTF; with WASMBPF_BTF naming a
#   copy of the kernel's BTF it loads (the object still checked in a child) and
#   reports an exec this script causes, with the right parent pid;
# - btf_env_types_from_file: with WASMBPF_BTF naming valid BTF that has no
#   struct task_struct, the load fails on the CO-RE relocation of
#   task_struct.real_parent: the types libbpf relocates against are the file's;
# - btf_env_garbage, btf_env_missing: a file that is not BTF (or BTF cut
#   short), or none, is one line "bootstrap: WASMBPF_BTF=FILE: cannot read
#   BTF: WHY"; the guest's load fails and bootstrap exits with its own error
#   status, no trap, no crash.
# The default compiled in with wasmbpf-aot --btf FILE (AOT only):
# - btf_compiled_default_without_kernel_btf: used in that namespace, as is;
# - btf_compiled_default_overridden: WASMBPF_BTF replaces it; set but empty,
#   it means the kernel's BTF (which the namespace hides);
# - btf_compiled_default_relative: a relative FILE is found from the working
#   directory at run time, and not from another;
# - btf_compiled_default_garbage: "bootstrap: wasmbpf-aot --btf FILE: ...".
# Each of these is built from the same module with another --btf: a cache that
# ignored the option would hand one the executable of another.
# How the kernel's BTF is read (runtime/bpf/kernel-btf.c), both engines:
# - kernel_btf_mapped: on a kernel that lets /sys/kernel/btf/vmlinux be
#   mapped, WASMBPF_DEBUG says it was mapped, with as many types as bpftool
#   finds in it, while the object was checked (bootstrap's bytes show CO-RE
#   relocations), and libbpf did not read it again; CO-RE against it gives
#   the right parent pid;
# - kernel_btf_elsewhere: where there is no /sys/kernel/btf/vmlinux to map
#   (hidden in a mount namespace) but /boot/vmlinux-RELEASE is an ELF file
#   with the kernel's BTF, libbpf's own search finds and reads that one.
set -u
. "$WBPF_TOP/tests/lib.sh"
unset WASMBPF_BTF WASMBPF_DEBUG

T=$WBPF_TMP/bpf-btf
BOOT=${WBPF_BOOTSTRAP:-$WBPF_BUILD/examples/bootstrap/bootstrap}
WASM=${WBPF_BOOTSTRAP_WASM:-$BOOT.wasm}
RUN=${WASMBPF_RUN:-$WBPF_BUILD/bin/wasmbpf-run}
ENV_TESTS=(btf_env_without_kernel_btf btf_env_types_from_file btf_env_garbage btf_env_missing)
ENV_TESTS+=(kernel_btf_mapped kernel_btf_elsewhere)
TESTS=("${ENV_TESTS[@]}" "${ENV_TESTS[@]/%/_interp}" btf_compiled_default_without_kernel_btf
	btf_compiled_default_overridden btf_compiled_default_relative btf_compiled_default_garbage)

rm -rf "$T"
mkdir -p "$T"

for f in "$BOOT" "$WASM" "$RUN"; do
	[ -e "$f" ] || fail_all "no $f (make)"
done
why=$(kernel_test_blocker)
[ -z "$why" ] || skip_all "$why"

# ------------------------------------------------------------------ files
cp /sys/kernel/btf/vmlinux "$T/vmlinux.btf" || fail_all "cannot copy /sys/kernel/btf/vmlinux"
# Raw BTF with one type, int: valid, and without anything bootstrap relocates
# against. Header (magic 0xeb9f, version 1, hdr_len 24, types at 0 for 16
# bytes, strings at 16 for 5), INT "int" of 4 bytes, signed, 32 bits, "\0int\0".
printf '\x9f\xeb\x01\x00\x18\x00\x00\x00\x00\x00\x00\x00\x10\x00\x00\x00\x10\x00\x00\x00'`
	`'\x05\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x01\x04\x00\x00\x00\x20\x00\x00\x01'`
	`'\x00int\x00' >"$T/int-only.btf"
# Not BTF, not ELF; and the kernel's BTF cut short (its header says more).
for i in $(seq 1 200); do echo 'this is not BTF data'; done >"$T/garbage.btf"
head -c 3000 "$T/vmlinux.btf" >"$T/truncated.btf"

CHILD=$T/wbT$$
if ! cc -O2 -o "$CHILD" "$WBPF_TOP/tests/bpf/child.c" 2>"$T/cc.err"; then
	cat "$T/cc.err" >&2
	fail_all "cannot build the child program"
fi

# A mount namespace in which /sys/kernel/btf is an empty tmpfs: a kernel
# without BTF, as far as libbpf can see. no-btf CMD... runs CMD there (exec:
# CMD keeps the pid). /sys is made private in it first, so that the tmpfs
# never reaches another namespace; only /sys, since / is no mount point in a
# chroot (the trixie tier), where unshare's --propagation private fails.
NO_BTF=$T/no-btf
cat >"$NO_BTF" <<'EOS'
#!/bin/sh
exec unshare -m --propagation unchanged sh -c 'mount --make-rprivate /sys &&
	mount -t tmpfs wbpf-no-btf /sys/kernel/btf && exec "$@"' sh "$@"
EOS
chmod +x "$NO_BTF"
ns_why=
if ! "$NO_BTF" sh -c '[ ! -e /sys/kernel/btf/vmlinux ]' 2>"$T/ns.err"; then
	ns_why="cannot hide /sys/kernel/btf in a mount namespace: $(head -n1 "$T/ns.err")"
fi
[ -e /sys/kernel/btf/vmlinux ] || fail_all "the namespace hid /sys/kernel/btf/vmlinux outside"

# The kernel's BTF where libbpf looks when sysfs has none: /boot/vmlinux-RELEASE,
# an ELF file whose .BTF section is the kernel's BTF, in a tmpfs over /boot, in
# a namespace like the one above but where every mount is private (which
# needs / to be a mount point: not so in the trixie tier's chroot).
BOOT_BTF=$T/boot-btf
RELEASE=$(uname -r)
cat >"$BOOT_BTF" <<EOS
#!/bin/sh
exec unshare -m --propagation unchanged sh -c 'mount --make-rprivate / &&
	mount -t tmpfs wbpf-no-btf /sys/kernel/btf &&
	mount -t tmpfs wbpf-boot /boot && cp "$T/vmlinux.elf" "/boot/vmlinux-$RELEASE" &&
	exec "\$@"' sh "\$@"
EOS
chmod +x "$BOOT_BTF"
boot_why=
if [ -n "$ns_why" ]; then
	boot_why=$ns_why
elif [ ! -d /boot ]; then
	boot_why="no /boot directory to mount a tmpfs on"
elif ! printf '' | cc -x c -c - -o "$T/empty.o" 2>"$T/elf.err" ||
	! objcopy --add-section .BTF="$T/vmlinux.btf" "$T/empty.o" "$T/vmlinux.elf" 2>>"$T/elf.err"; then
	fail_all "cannot make an ELF file with the kernel's BTF: $(head -n1 "$T/elf.err")"
elif ! "$BOOT_BTF" sh -c "[ ! -e /sys/kernel/btf/vmlinux ] && [ -s /boot/vmlinux-$RELEASE ]" \
	2>"$T/ns.err"; then
	boot_why="cannot put the kernel's BTF in /boot in a mount namespace: $(head -n1 "$T/ns.err")"
fi
# How many types the kernel's BTF has, as bpftool counts them; whether the
# kernel lets the file be mapped (6.16 and later).
KTYPES=$(bpftool btf dump file /sys/kernel/btf/vmlinux 2>/dev/null | grep -c '^\[')
map_why=
cat >"$T/can-map.c" <<'EOS'
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
int main(int argc, char **argv)
{
	struct stat st;
	int fd = open(argv[1], O_RDONLY);

	return fd < 0 || fstat(fd, &st) ||
	       mmap(0, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED;
}
EOS
if ! cc -o "$T/can-map" "$T/can-map.c" 2>"$T/cc.err"; then
	fail_all "cannot build can-map.c: $(head -n1 "$T/cc.err")"
elif ! "$T/can-map" /sys/kernel/btf/vmlinux; then
	map_why="this kernel ($RELEASE) does not let /sys/kernel/btf/vmlinux be mapped (6.16 and later do): libbpf reads it"
fi

# ------------------------------------------------------------------ helpers
# ids of the BPF links process $1 holds, from its fdinfo
links() {
	grep -h '^link_id:' /proc/"$1"/fdinfo/* 2>/dev/null | sort -u | wc -l
}

# exec_seen NAME CMD...: run CMD (bootstrap) until both its programs are
# attached, run the child, stop CMD with SIGINT. 0 when it printed the EXEC
# line of the child (its comm and pid, this shell as parent) and exited 0;
# else 1 with the reason in $why. Output in $T/NAME.out and .err.
exec_seen() {
	local name=$1 pid cpid i line rc
	shift
	"$@" >"$T/$name.out" 2>"$T/$name.err" &
	pid=$!
	for i in $(seq 1 300); do
		[ "$(links $pid)" -ge 2 ] && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.05
	done
	if [ "$(links $pid)" -lt 2 ]; then
		kill -KILL $pid 2>/dev/null
		wait $pid
		why="did not attach (exit $?): $(grep -v 'libbpf: ' "$T/$name.err" | head -n3 | tr '\n' '|')"
		return 1
	fi
	"$CHILD" 20 0 &
	cpid=$!
	wait $cpid
	sleep 0.3
	kill -INT $pid
	for i in $(seq 1 100); do
		kill -0 $pid 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL $pid 2>/dev/null
	wait $pid
	rc=$?
	line=$(awk -v p=$cpid '$2 == "EXEC" && $4 == p' "$T/$name.out")
	if [ $rc -ne 0 ]; then
		why="exit $rc after SIGINT"
	elif ! awk -v c="$(basename "$CHILD")" -v pp=$BASHPID -v f="$CHILD" \
		'$3 == c && $5 == pp && $6 == f { ok = 1 } END { exit !ok }' <<<"$line"; then
		why="no right EXEC line for pid $cpid (ppid $BASHPID): '$line'"
	else
		return 0
	fi
	return 1
}

# load_fails NAME CMD...: CMD must exit with an error status of the guest (not
# a trap, a runtime failure or a signal) without attaching; $rc, output in
# $T/NAME.out and .err. 0 or 1 with $why.
load_fails() {
	local name=$1
	shift
	timeout 30 "$@" >"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	if [ $rc -eq 0 ] || [ $rc -ge 124 ]; then
		why="exit $rc, want a guest error status (1..123): $(tail -n2 "$T/$name.err" | tr '\n' '|')"
		return 1
	fi
	if ! grep -qx 'Failed to load and verify BPF skeleton' "$T/$name.err"; then
		why="bootstrap did not see its load fail: $(head -n3 "$T/$name.err" | tr '\n' '|')"
		return 1
	fi
	return 0
}

# one_line NAME LINE: stderr is LINE, then bootstrap's own message, nothing else
one_line() {
	local want
	want=$(printf '%s\nFailed to load and verify BPF skeleton' "$2")
	if [ "$(cat "$T/$1.err")" != "$want" ]; then
		why="stderr '$(head -c 300 "$T/$1.err" | tr '\n' '|')', want '$(tr '\n' '|' <<<"$want")'"
		return 1
	fi
}

result() { # NAME: pass, or fail with $why
	if [ -z "$why" ]; then
		pass "$1"
	else
		fail "$1" "$why"
	fi
}

# ------------------------------------------------------------------ WASMBPF_BTF
for engine in aot interp; do
	if [ $engine = aot ]; then
		EXE=("$BOOT")
		sfx=
	else
		EXE=("$RUN" "$WASM")
		sfx=_interp
	fi

	t=btf_env_without_kernel_btf$sfx
	why=
	if [ -n "$ns_why" ]; then
		skip $t "$ns_why"
	else
		if ! load_fails $t.kernel "$NO_BTF" "${EXE[@]}"; then
			why="without WASMBPF_BTF, with /sys/kernel/btf hidden: $why"
		elif ! exec_seen $t env WASMBPF_BTF="$T/vmlinux.btf" WASMBPF_DEBUG=1 \
			"$NO_BTF" "${EXE[@]}"; then
			why="WASMBPF_BTF=$T/vmlinux.btf: $why"
		elif ! grep -q '^bootstrap: bpf object checked in a child process' "$T/$t.err"; then
			why="the object was not checked in a child (WASMBPF_DEBUG shows no check)"
		elif ! grep -q "^bootstrap: WASMBPF_BTF=$T/vmlinux.btf: BTF of [0-9]* types parsed" \
			"$T/$t.err"; then
			why="WASMBPF_DEBUG does not show the custom BTF parsed"
		fi
		result $t
	fi

	t=btf_env_types_from_file$sfx
	why=
	if load_fails $t env WASMBPF_BTF="$T/int-only.btf" "${EXE[@]}" &&
		! grep -q 'failed to resolve CO-RE relocation .*struct task_struct\.real_parent' \
			"$T/$t.err"; then
		why="no CO-RE failure naming task_struct.real_parent: $(grep -v '^[0-9;]' "$T/$t.err" |
			head -n4 | tr '\n' '|')"
	fi
	result $t

	t=btf_env_garbage$sfx
	why=
	if ! load_fails $t env WASMBPF_BTF="$T/garbage.btf" "${EXE[@]}" ||
		! one_line $t "bootstrap: WASMBPF_BTF=$T/garbage.btf: cannot read BTF: not raw BTF or an ELF file with a .BTF section"; then
		why="not BTF: $why"
	elif ! load_fails $t.cut env WASMBPF_BTF="$T/truncated.btf" "${EXE[@]}"; then
		why="cut short: $why"
	elif [ "$(wc -l <"$T/$t.cut.err")" -ne 2 ] || ! head -n1 "$T/$t.cut.err" |
		grep -q "^bootstrap: WASMBPF_BTF=$T/truncated.btf: cannot read BTF: invalid BTF (.*)$"; then
		why="cut short: stderr '$(head -c 300 "$T/$t.cut.err" | tr '\n' '|')'"
	fi
	result $t

	t=btf_env_missing$sfx
	why=
	load_fails $t env WASMBPF_BTF="$T/missing.btf" "${EXE[@]}" &&
		one_line $t "bootstrap: WASMBPF_BTF=$T/missing.btf: cannot read BTF: No such file or directory"
	result $t

	t=kernel_btf_mapped$sfx
	why=
	if [ -n "$map_why" ]; then
		skip $t "$map_why"
	else
		if ! exec_seen $t env WASMBPF_DEBUG=1 "${EXE[@]}"; then
			:
		elif ! grep -qx "bootstrap: kernel BTF of $KTYPES types mapped from /sys/kernel/btf/vmlinux in [0-9]* us, while the object was checked" \
			"$T/$t.err"; then
			why="WASMBPF_DEBUG shows no mapping of $KTYPES types: $(grep 'kernel BTF' "$T/$t.err" | head -n2 | tr '\n' '|')"
		elif grep -q "loading kernel BTF '/sys/kernel/btf/vmlinux'" "$T/$t.err"; then
			why="libbpf read the kernel's BTF as well"
		fi
		result $t
	fi

	t=kernel_btf_elsewhere$sfx
	why=
	if [ -n "$boot_why" ]; then
		skip $t "$boot_why"
	else
		if ! exec_seen $t env WASMBPF_DEBUG=1 "$BOOT_BTF" "${EXE[@]}"; then
			why="/sys/kernel/btf hidden, /boot/vmlinux-$RELEASE there: $why"
		elif ! grep -q "loading kernel BTF '/boot/vmlinux-$RELEASE': 0" "$T/$t.err"; then
			why="libbpf did not read /boot/vmlinux-$RELEASE: $(grep 'kernel BTF' "$T/$t.err" | head -n2 | tr '\n' '|')"
		elif grep -q 'kernel BTF of .* mapped' "$T/$t.err"; then
			why="a kernel BTF was mapped where sysfs has none"
		fi
		result $t
	fi
done

# ------------------------------------------------------------------ wasmbpf-aot --btf
# each named bootstrap, as messages start with the program's name
DEF=$T/default/bootstrap
REL=$T/relative/bootstrap
GARB=$T/garbage/bootstrap
mkdir -p "$T/default" "$T/relative" "$T/garbage"
built=1
for b in "$DEF $T/vmlinux.btf" "$REL vmlinux.btf" "$GARB $T/garbage.btf"; do
	read -r exe file <<<"$b"
	if ! aot_build "$WASM" "$exe" --btf "$file" 2>"$T/aot.err"; then
		built=0
		break
	fi
done
if [ $built -eq 0 ]; then
	for t in "${TESTS[@]}"; do
		[[ $t == btf_compiled_* ]] && fail $t "wasmbpf-aot --btf: $(head -n1 "$T/aot.err")"
	done
	exit 0
fi

t=btf_compiled_default_without_kernel_btf
why=
if [ -n "$ns_why" ]; then
	skip $t "$ns_why"
else
	exec_seen $t "$NO_BTF" "$DEF"
	result $t
fi

t=btf_compiled_default_overridden
why=
if ! load_fails $t.file env WASMBPF_BTF="$T/int-only.btf" "$DEF"; then
	why="WASMBPF_BTF=int-only.btf: $why"
elif ! grep -q 'failed to resolve CO-RE relocation .*struct task_struct\.real_parent' \
	"$T/$t.file.err"; then
	why="WASMBPF_BTF=int-only.btf: no CO-RE failure naming task_struct.real_parent"
elif [ -n "$ns_why" ]; then
	why=
elif ! load_fails $t.empty env WASMBPF_BTF= "$NO_BTF" "$DEF"; then
	why="WASMBPF_BTF= (the kernel's), /sys/kernel/btf hidden: $why"
elif grep -q 'cannot read BTF' "$T/$t.empty.err"; then
	why="WASMBPF_BTF= still read the compiled-in BTF: $(head -n1 "$T/$t.empty.err")"
elif ! exec_seen $t.kernel env WASMBPF_BTF= "$DEF"; then
	why="WASMBPF_BTF= with the kernel's BTF: $why"
fi
result $t

t=btf_compiled_default_relative
why=
if [ -n "$ns_why" ]; then
	skip $t "$ns_why"
else
	cd "$T" || exit 1
	if ! exec_seen $t "$NO_BTF" "$REL"; then
		why="from $T, where vmlinux.btf is: $why"
	fi
	cd / || exit 1
	if [ -z "$why" ] && ! load_fails $t.root "$REL"; then
		why="from /: $why"
	elif [ -z "$why" ]; then
		one_line $t.root "bootstrap: wasmbpf-aot --btf vmlinux.btf: cannot read BTF: No such file or directory" ||
			why="from /: $why"
	fi
	cd "$WBPF_TOP" || exit 1
	result $t
fi

t=btf_compiled_default_garbage
why=
load_fails $t "$GARB" &&
	one_line $t "bootstrap: wasmbpf-aot --btf $T/garbage.btf: cannot read BTF: not raw BTF or an ELF file with a .BTF section"
result $t
exit 0
