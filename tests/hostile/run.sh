#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Tier "hostile": modules written to break the sandbox, one attack a file,
# each run compiled (wasmbpf-aot) and interpreted (wasmbpf-run); both engines
# must give the documented answer (docs/abi.md). A case registers itself by
# being here: every tests/hostile/NAME.wat and NAME.c (a C guest, built with
# -I tests/hostile: hostile.h for the BPF cases, fs.h for the file-system
# ones) is one, and its leading comment (";; " or " * " lines) says what it
# must do:
#   hostile: what it attacks (free text, any number of lines)
#   needs: bpf           root, kernel BTF and tracefs (skipped by name otherwise)
#   grant: SUB::/GUEST[:ro]   the directory FIX/SUB granted as /GUEST (repeatable)
#   fixture: COMMAND     a shell command run in FIX before the guest (repeatable)
#   args: WORDS          the guest's arguments; @FIXTURE@ is FIX's host path
#   stdio: pipes         stdin an empty FIFO, stdout a pipe drained slowly
#   exit: N              the exit status
#   stdout: LINE         each line of stdout, in order (none: empty stdout)
#   stdout-repeat: N LINE   N lines LINE at this place of stdout
#   stderr-has: TEXT     stderr must contain TEXT (optional, repeatable)
#   absent: PATH         FIX/PATH must not exist after the run, not even as a
#                        dangling symlink (repeatable)
# A case that loads BPF must leave no program of its object loaded.
# A case with a grant gets a fixture FIX, fresh for each engine: FIX/outside/
# (secret.txt, dir/deep.txt, linked.txt with a second name dir/linked-too.txt,
# symlink to-secret -> secret.txt) and each granted SUB with sentinel.txt and
# sub/inner.txt; then the fixture commands run, and every file's times are
# set to 2001-02-03. Everything in FIX but the writable grants (the outside
# tree, FIX itself, the read-only grants) must be the same after the run:
# names, types, sizes, modes, owners, link counts, symlink targets, content
# hashes, modification, change and access times (access times of regular
# files and directories: following a symlink moves its own).
# With "stdio: pipes" the tier holds the three descriptions too and checks
# their open(2) flags are unchanged while the guest runs (once its first line
# of stdout came and the pipe filled) and after it exits.
# Test names: NAME_aot and NAME_interp.
#   tests/run.sh hostile              every case
#   tests/hostile/run.sh [NAME...]    some cases (env defaults as tests/run.sh's)
set -u
export WBPF_TOP=${WBPF_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
export WBPF_BUILD=${WBPF_BUILD:-$WBPF_TOP/build}
export WASMBPF_AOT=${WASMBPF_AOT:-$WBPF_BUILD/bin/wasmbpf-aot}
export WBPF_TMP=${WBPF_TMP:-$WBPF_BUILD/test-tmp}
. "$WBPF_TOP/tests/lib.sh"

H=$WBPF_TOP/tests/hostile
T=$WBPF_TMP/hostile
RUN=${WASMBPF_RUN:-$WBPF_BUILD/bin/wasmbpf-run}
# wabt's interpreter zero-fills its memory vector when it grows; with huge
# pages a 4 GiB guest takes seconds there instead of half a minute.
export GLIBC_TUNABLES=glibc.malloc.hugetlb=1

rm -rf "$T"
mkdir -p "$T"

# directive FILE KEY: the values of ";; KEY: VALUE" or " * KEY: VALUE" lines
directive() {
	sed -n -e "s/^;; $2: \{0,1\}//p" -e "s/^ \* $2: \{0,1\}//p" "$1"
}

# ids of the loaded programs of the abi object (all named wbpf_abi_*)
abi_prog_ids() {
	bpftool prog show 2>/dev/null | awk '/^[0-9]+:/ && / name wbpf_abi_/ { sub(":", "", $1); print $1 }'
}

# new_progs BEFORE-FILE: ids loaded now that were not before (after up to 2 s)
new_progs() {
	local now
	for _ in $(seq 1 40); do
		now=$(abi_prog_ids | grep -vxF -f "$1")
		[ -z "$now" ] && return
		sleep 0.05
	done
	echo $now
}

# the abi tier's BPF object, as a C array for the C guests
bpf_blocker=$(kernel_test_blocker)
multiarch=$(gcc -print-multiarch 2>/dev/null || echo "$(uname -m)-linux-gnu")
if ! clang -O2 -g -target bpf -I"/usr/include/$multiarch" -I"$WBPF_TOP/tests/abi" \
	-I"$WBPF_TOP/wasm-sdk/include" \
	-c "$WBPF_TOP/tests/abi/abi.bpf.c" -o "$T/abi.bpf.o" 2>"$T/abi.bpf.err"; then
	bpf_blocker="abi.bpf.c does not build: $(head -c 200 "$T/abi.bpf.err")"
fi
{
	echo "unsigned char abi_bpf_o[] = {"
	od -An -v -tx1 "$T/abi.bpf.o" 2>/dev/null | sed 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'
	echo "};"
	echo "unsigned int abi_bpf_o_len = $(stat -c %s "$T/abi.bpf.o" 2>/dev/null || echo 0);"
} >"$T/abi.bpf.inc"

# want_stdout SRC: the stdout its stdout and stdout-repeat lines give, in order
want_stdout() {
	awk '{
		l = $0
		if (!sub(/^(;; | \* )/, "", l))
			next
		if (sub(/^stdout: ?/, "", l)) {
			print l
		} else if (sub(/^stdout-repeat: ?/, "", l)) {
			n = l
			sub(/ .*/, "", n)
			sub(/^[0-9]+ /, "", l)
			for (i = 0; i < n + 0; i++)
				print l
		}
	}' "$1"
}

# check NAME ENGINE SRC: add to reasons what the run in $T/NAME.ENGINE.*
# does not do of SRC's exit, stdout and stderr-has directives
check() {
	local name=$1 engine=$2 src=$3 want_exit rc text
	want_exit=$(directive "$src" exit)
	rc=$(cat "$T/$name.$engine.rc")
	[ "$rc" = "$want_exit" ] || reasons+=("exit $rc, want $want_exit")
	want_stdout "$src" >"$T/$name.want"
	cmp -s "$T/$name.want" "$T/$name.$engine.out" ||
		reasons+=("stdout differs at line $(first_diff "$T/$name.want" "$T/$name.$engine.out")")
	while IFS= read -r text; do
		[ -n "$text" ] || continue
		grep -qF -- "$text" "$T/$name.$engine.err" || reasons+=("stderr lacks '$text'")
	done < <(directive "$src" stderr-has)
}

# first_diff WANT GOT: "N: 'got' want 'want'" for the first line that differs
first_diff() {
	awk -v want="$1" '
		{ n++; w = ""; if ((getline w < want) <= 0) w = "(nothing)"
		  if ($0 != w) { printf "%d: %.100s, want %.100s", n, $0, w; found = 1; exit } }
		END { if (!found) { if ((getline w < want) > 0) printf "%d: (nothing), want %.100s", n + 1, w } }
	' "$2"
}

# ---------------------------------------------------------------- fixtures

# 2001-02-03 04:05:06 UTC: every time in a fixture
FIXED_TIME=@981173106

# make_fixture NAME ENGINE SRC: a fresh FIX for one run of SRC; sets
# GRANT_ENV (the WASMBPF_DIR_* assignments) and RW_GRANTS (the writable SUBs).
# Returns 1, with WHY, when a directive is wrong or a fixture command fails.
make_fixture() {
	local src=$3 spec sub n=0 cmd
	FIX=$T/$1.$2.fs
	GRANT_ENV=()
	RW_GRANTS=()
	rm -rf "$FIX"
	mkdir -p "$FIX/outside/dir"
	printf 'outside the grants\n' >"$FIX/outside/secret.txt"
	printf 'deeper outside\n' >"$FIX/outside/dir/deep.txt"
	printf 'one file, two names\n' >"$FIX/outside/linked.txt"
	ln "$FIX/outside/linked.txt" "$FIX/outside/dir/linked-too.txt"
	ln -s secret.txt "$FIX/outside/to-secret"
	chmod 0640 "$FIX/outside/secret.txt"
	while IFS= read -r spec; do
		if ! [[ $spec =~ ^([a-z0-9_]+)::(/[^:]*)(:ro)?$ ]]; then
			WHY="bad directive 'grant: $spec'"
			return 1
		fi
		sub=${BASH_REMATCH[1]}
		mkdir -p "$FIX/$sub/sub"
		printf 'sentinel of %s\n' "$sub" >"$FIX/$sub/sentinel.txt"
		printf 'inner of %s\n' "$sub" >"$FIX/$sub/sub/inner.txt"
		GRANT_ENV+=("WASMBPF_DIR_$n=$FIX/$sub::${BASH_REMATCH[2]}${BASH_REMATCH[3]}")
		[ -n "${BASH_REMATCH[3]}" ] || RW_GRANTS+=("$sub")
		n=$((n + 1))
	done < <(directive "$src" grant)
	while IFS= read -r cmd; do
		if ! (cd "$FIX" && eval "$cmd") >"$FIX.setup.err" 2>&1; then
			WHY="fixture '$cmd' failed: $(head -c 200 "$FIX.setup.err")"
			return 1
		fi
	done < <(directive "$src" fixture)
	find "$FIX" -exec touch -h -d "$FIXED_TIME" {} +
}

# tree_names: every path in FIX but the writable grants' trees, sorted
tree_names() {
	local -a prune=()
	local g
	for g in "${RW_GRANTS[@]}"; do
		prune+=(-path "./$g" -prune -o)
	done
	(cd "$FIX" && find . "${prune[@]}" -print) | LC_ALL=C sort
}

# tree_meta NAMES: the metadata of each path of file NAMES; stat reads no
# file and no directory, so it moves no access time
tree_meta() {
	(cd "$FIX" && xargs -r -d '\n' stat --printf '%n %F %s %a %h %u:%g %.9Y %.9Z %.9X\n' \
		<"$1" 2>&1) | awk '$2 == "symbolic" { $NF = "-" } { print }'
}

# tree_content NAMES: a hash of each regular file, the target of each symlink
tree_content() {
	local p
	(
		cd "$FIX" || exit
		while IFS= read -r p; do
			if [ -L "$p" ]; then
				echo "$p -> $(readlink "$p")"
			elif [ -f "$p" ]; then
				sha256sum "$p"
			fi
		done <"$1"
	)
}

# snapshot_before S: names, contents and metadata into S.*.before; reading
# them moved access times, which are set again before the metadata is taken
snapshot_before() {
	tree_names >"$1.names.before"
	tree_content "$1.names.before" >"$1.content.before"
	(cd "$FIX" && xargs -r -d '\n' touch -a -h -d "$FIXED_TIME" <"$1.names.before")
	tree_meta "$1.names.before" >"$1.meta.before"
}

# snapshot_after S: the same into S.*.after, metadata first; adds to reasons
# what changed
snapshot_after() {
	local what
	tree_meta "$1.names.before" >"$1.meta.after"
	tree_names >"$1.names.after"
	tree_content "$1.names.after" >"$1.content.after"
	for what in names meta content; do
		cmp -s "$1.$what.before" "$1.$what.after" && continue
		reasons+=("outside the writable grants, $what changed: $(diff "$1.$what.before" \
			"$1.$what.after" | grep '^[<>]' | head -n 4 | tr '\n' '|')")
	done
}

# ---------------------------------------------------------------- stdio

# fd_flags PID FD: the open(2) flags of descriptor FD of process PID (octal)
fd_flags() {
	awk '/^flags:/ { print $2 }' "/proc/$1/fdinfo/$2"
}

# run_pipes NAME ENGINE CMD...: CMD with stdin an empty FIFO that stays open,
# stdout a pipe whose reader takes one line, waits (the pipe fills), notes
# the flags, then reads on slowly into the .out file, stderr the .err file.
# This shell holds the three descriptions too: their flags must be the same
# while CMD runs and after it ended as before it started.
run_pipes() {
	local name=$1 engine=$2 me=$BASHPID in out err reader before during after
	shift 2
	local base=$T/$name.$engine
	rm -f "$base.fifo" "$base.fds" "$base.during"
	mkfifo "$base.fifo"
	exec {in}<>"$base.fifo" {err}>"$base.err"
	# the reader learns the descriptors' numbers from $base.fds (they are
	# known only once it runs)
	exec {out}> >(
		IFS= read -r line && printf '%s\n' "$line"
		sleep 0.5
		read -r -a fds <"$base.fds"
		for fd in "${fds[@]}"; do fd_flags "$me" "$fd"; done | tr '\n' ' ' >"$base.during"
		dd bs=64k count=4 iflag=fullblock status=none
		sleep 0.3
		cat
	)
	reader=$!
	echo "$in $out $err" >"$base.fds"
	before=$(for fd in $in $out $err; do fd_flags "$me" "$fd"; done | tr '\n' ' ')
	env "${GRANT_ENV[@]}" timeout 120 "$@" <&$in >&$out 2>&$err
	echo $? >"$base.rc"
	after=$(for fd in $in $out $err; do fd_flags "$me" "$fd"; done | tr '\n' ' ')
	exec {in}<&- {out}>&- {err}>&-
	wait "$reader"
	during=$(cat "$base.during" 2>/dev/null)
	[ "$during" = "$before" ] ||
		reasons+=("stdin, stdout, stderr flags while the guest ran: $during, before: $before")
	[ "$after" = "$before" ] ||
		reasons+=("stdin, stdout, stderr flags after the guest: $after, before: $before")
}

# ---------------------------------------------------------------- runs

# build SRC NAME: $T/NAME.wasm from a .wat or a C guest
build_wasm() {
	case $1 in
	*.wat) wat2wasm "$1" -o "$T/$2.wasm" ;;
	*.c) guest_cc "$1" "$T/$2.wasm" -I"$H" -I"$WBPF_TOP/tests/abi" -I"$T" ;;
	esac
}

# run_engine NAME ENGINE SRC: one run, then the checks of SRC's header
run_engine() {
	local name=$1 engine=$2 src=$3 left p
	local -a cmd=("$T/$name") args=()
	reasons=()
	[ "$engine" = interp ] && cmd=("$RUN" "$T/$name.wasm")
	GRANT_ENV=()
	FIX=
	if [ -n "$(directive "$src" grant)" ]; then
		if ! make_fixture "$name" "$engine" "$src"; then
			fail "${name}_$engine" "$WHY"
			return
		fi
		snapshot_before "$T/$name.$engine"
	fi
	read -r -a args <<<"$(directive "$src" args)"
	args=("${args[@]//@FIXTURE@/$FIX}")
	abi_prog_ids >"$T/$name.$engine.progs"
	if [ "$(directive "$src" stdio)" = pipes ]; then
		run_pipes "$name" "$engine" "${cmd[@]}" "${args[@]}" >"$T/$name.$engine.out"
	else
		env "${GRANT_ENV[@]}" timeout 120 "${cmd[@]}" "${args[@]}" \
			>"$T/$name.$engine.out" 2>"$T/$name.$engine.err" </dev/null
		echo $? >"$T/$name.$engine.rc"
	fi
	left=
	if [ "$(directive "$src" needs)" = bpf ]; then
		left=$(new_progs "$T/$name.$engine.progs")
	fi
	if [ -n "$left" ]; then
		fail "${name}_$engine" "BPF programs left loaded: $left"
		return
	fi
	check "$name" "$engine" "$src"
	if [ -n "$FIX" ]; then
		snapshot_after "$T/$name.$engine"
		while IFS= read -r p; do
			[ -n "$p" ] || continue
			if [ -e "$FIX/$p" ] || [ -L "$FIX/$p" ]; then
				reasons+=("$p exists")
			fi
		done < <(directive "$src" absent)
	fi
	if [ ${#reasons[@]} -eq 0 ]; then
		pass "${name}_$engine"
	else
		fail "${name}_$engine" "$(
			IFS=';'
			echo "${reasons[*]}"
		); stderr: $(head -c 200 "$T/$name.$engine.err")"
	fi
}

for src in "$H"/*.wat "$H"/*.c; do
	[ -e "$src" ] || continue
	name=$(basename "${src%.*}")
	if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then
		continue
	fi
	if [ "$(directive "$src" needs)" = bpf ] && [ -n "$bpf_blocker" ]; then
		skip "${name}_aot" "$bpf_blocker"
		skip "${name}_interp" "$bpf_blocker"
		continue
	fi
	if ! build_wasm "$src" "$name" 2>"$T/$name.build.err"; then
		fail "${name}_aot" "does not build: $(head -c 200 "$T/$name.build.err")"
		fail "${name}_interp" "does not build"
		continue
	fi
	if aot_build "$T/$name.wasm" "$T/$name" 2>"$T/$name.aot.build.err"; then
		run_engine "$name" aot "$src"
	else
		fail "${name}_aot" "wasmbpf-aot: $(head -c 200 "$T/$name.aot.build.err")"
	fi
	if [ -x "$RUN" ]; then
		run_engine "$name" interp "$src"
	else
		skip "${name}_interp" "no $RUN (make interp)"
	fi
done
