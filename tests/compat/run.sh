#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# compat tier (root, real kernel): modules shaped like the existing Wasm-eBPF
# toolchain's, every attach kind, and load failures that say why.
#  - compat_*: one guest source (compat.c) built in the module shapes that
#    must all work: linked with and without --export-table, importing from
#    "wasm_bpf" or "env", the TinyGo callback-wrapper/go-callback path; each
#    patches .rodata in its embedded object bytes, passes 0 for unused
#    pointers, causes events itself and checks every one it receives.
#  - attach_*: attach.c loads an object and attaches one program by name
#    (auto-attach or with a target); the native trigger program causes K
#    events; the program's counter must show them, and nothing of the guest
#    may stay loaded after it exits. fentry/fexit and LSM are SKIPped when,
#    and only when, the kernel refuses to load them.
#  - load_fail_*: the verifier's reason / the missing tracepoint's name on
#    stderr, a non-zero exit, nothing left loaded.
# Builds are cached in $WBPF_TMP/compat.
set -u
. "$WBPF_TOP/tests/lib.sh"

SRC=$WBPF_TOP/tests/compat
D=$WBPF_TMP/compat
BPFTOOL=${BPFTOOL:-bpftool}
VARIANTS=(plain plain-xt env env-xt tinygo tinygo-xt)
TESTS=(compat_plain compat_export_table compat_env compat_env_export_table compat_tinygo
	compat_tinygo_export_table compat_main_returns_neg
	attach_tp attach_tracepoint attach_tp_target attach_tp_btf attach_raw_tp attach_raw_tp_target
	attach_uprobe_section attach_uprobe_target attach_uretprobe_target attach_kprobe
	attach_cgroup_skb attach_sockops attach_xdp
	attach_fentry attach_lsm
	load_fail_verifier load_fail_missing_tp load_fail_missing_tp_btf no_program_left)

[ "$(id -u)" -eq 0 ] || skip_all "needs root (loads BPF programs)"
[ -x "$WASMBPF_AOT" ] || fail_all "no driver at $WASMBPF_AOT"
[ -r /sys/kernel/btf/vmlinux ] || skip_all "kernel has no BTF (/sys/kernel/btf/vmlinux)"
mount_tracefs || skip_all "tracefs is not mounted and cannot be mounted"
command -v "$BPFTOOL" >/dev/null || skip_all "no bpftool"
command -v wasm-objdump >/dev/null || skip_all "no wasm-objdump (wabt)"
mkdir -p "$D"
TRIG=$D/wbpfct-trig # its comm is what the BPF programs count

# ------------------------------------------------------------------ build
# Rebuilt only when a source, the driver or the runtime archive changed.
multiarch=$(gcc -print-multiarch 2>/dev/null || echo "$(uname -m)-linux-gnu")
stamp=$( (echo "$D"; cat "$SRC"/*.c "$SRC"/*.h "$SRC"/run.sh "$WASMBPF_AOT" \
	"$WBPF_BUILD"/lib/wasmbpf-aot/libwbpf-rt.a 2>/dev/null) | sha256sum | cut -c1-16)
if [ "$(cat "$D/stamp" 2>/dev/null)" != "$stamp" ]; then
	rm -f "$D/stamp"
	(
		set -e
		cd "$D"
		bpf_obj() { # NAME SRC [CFLAGS...]
			local n=$1 s=$2
			shift 2
			clang -O2 -g -target bpf -I"/usr/include/$multiarch" -I"$SRC" "$@" \
				-c "$SRC/$s" -o "$n.bpf.o"
			{
				echo "unsigned char ${n}_bpf_o[] = {"
				od -An -v -tx1 "$n.bpf.o" | sed 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'
				echo "};"
				echo "unsigned int ${n}_bpf_o_len = $(stat -c %s "$n.bpf.o");"
			} > "$n.bpf.inc"
		}
		cc -O2 -Wall -I"$SRC" -o "$TRIG" "$SRC/trig.c"
		bpf_obj compat compat.bpf.c
		bpf_obj attach attach.bpf.c -DCT_TRIG="\"$TRIG\""
		bpf_obj fentry fentry.bpf.c
		bpf_obj lsm lsm.bpf.c
		bpf_obj bad bad.bpf.c
		bpf_obj notp missing.bpf.c
		bpf_obj nobtf missing.bpf.c -DMISSING_BTF
		# the existing examples' flags: -O2 -Wl,--allow-undefined, no --export-table
		for v in "${VARIANTS[@]}"; do
			flags=("-Wl,--allow-undefined")
			case $v in env*) flags+=(-DCT_ENV) ;; tinygo*) flags+=(-DCT_TINYGO) ;; esac
			case $v in *-xt) flags+=("-Wl,--export-table") ;; esac
			guest_cc "$SRC/compat.c" "compat-$v.wasm" -I"$SRC" -I"$D" "${flags[@]}"
			aot_build "compat-$v.wasm" "compat-$v"
		done
		guest_cc "$SRC/attach.c" attach.wasm -I"$SRC" -I"$D" -Wl,--allow-undefined
		aot_build attach.wasm attach
	) >"$D/build.log" 2>&1 || {
		cat "$D/build.log" >&2
		fail_all "build failed (see $D/build.log)"
	}
	echo "$stamp" > "$D/stamp"
fi

progs_left() {
	"$BPFTOOL" prog show 2>/dev/null | grep -c 'name wbpf_ct_'
}
# progs_gone: none left, allowing the kernel up to 3 s to free programs whose
# last reference went with the process (raw_tp and tp_btf links are released
# after an RCU grace period); an attachment that outlives the process (a
# legacy cgroup or XDP attach) stays and fails.
progs_gone() {
	for _ in $(seq 60); do
		[ "$(progs_left)" -eq 0 ] && return 0
		sleep 0.05
	done
	return 1
}
left=$(progs_left)
[ "$left" -eq 0 ] || echo "compat: $left wbpf_ct_* programs loaded before the tier" >&2

# ------------------------------------------------------------------ module shapes
# shape_ok VARIANT: the module really has the shape its name says
shape_ok() {
	local v=$1 x imports exports
	x=$(wasm-objdump -x "$D/compat-$v.wasm")
	imports=$(grep -E '<- [^.]+\.' <<<"$x" | grep -v wasi_snapshot_preview1 |
		sed 's/.*<- //' | sort | tr '\n' ' ')
	exports=$(grep -E ' -> "' <<<"$x" | sed 's/.*-> //' | sort | tr '\n' ' ')
	local mod=wasm_bpf poll=wasm_bpf.wasm_bpf_buffer_poll
	case $v in env*) mod=env poll=env.wasm_bpf_buffer_poll ;; esac
	case $v in tinygo*) poll=callback-wrapper.wasm_bpf_buffer_poll ;; esac
	local want_imports="" f
	for f in wasm_attach_bpf_program wasm_bpf_map_fd_by_name wasm_bpf_map_operate \
		wasm_close_bpf_object wasm_load_bpf_object; do
		want_imports+="$mod.$f "
	done
	want_imports=$(tr ' ' '\n' <<<"$want_imports $poll" | grep . | sort | tr '\n' ' ')
	if [ "$imports" != "$want_imports" ]; then
		shape_why="imports are '$imports', want '$want_imports'"
		return 1
	fi
	case $v in
	*-xt) grep -q '"__indirect_function_table"' <<<"$exports" ||
		{ shape_why="no exported table"; return 1; } ;;
	*) ! grep -q '"__indirect_function_table"' <<<"$exports" ||
		{ shape_why="the table is exported"; return 1; } ;;
	esac
	case $v in
	tinygo*) grep -q '"go-callback"' <<<"$exports" ||
		{ shape_why="no go-callback export"; return 1; } ;;
	*) ! grep -q '"go-callback"' <<<"$exports" ||
		{ shape_why="unexpected go-callback export"; return 1; } ;;
	esac
}

N=25
for v in "${VARIANTS[@]}"; do
	case $v in
	plain) t=compat_plain ;; plain-xt) t=compat_export_table ;;
	env) t=compat_env ;; env-xt) t=compat_env_export_table ;;
	tinygo) t=compat_tinygo ;; tinygo-xt) t=compat_tinygo_export_table ;;
	esac
	magic=$(printf '0x%08x' $(((RANDOM << 16 | RANDOM) | 1)))
	(cd "$D" && timeout 60 "./compat-$v" "$magic" $N) >"$D/$t.out" 2>"$D/$t.err"
	rc=$?
	first=$(grep -m1 -v '^ok ' "$D/$t.out")
	if ! shape_ok "$v"; then
		fail "$t" "module shape: $shape_why"
	elif [ $rc -ne 0 ] || [ -n "$first" ]; then
		fail "$t" "exit $rc: ${first:-$(tail -n1 "$D/$t.err")}"
		tail -n 20 "$D/$t.err" | sed "s/^/  $t: /" >&2
	elif ! grep -qx "ok events delivered" "$D/$t.out" || ! grep -qx "ok close" "$D/$t.out"; then
		fail "$t" "the guest did not run every check"
	elif ! progs_gone; then
		fail "$t" "programs left loaded after exit"
	else
		pass "$t"
	fi
done

# main returns -1: exit status 255, and every line printed reaches the file
t=compat_main_returns_neg
(cd "$D" && timeout 60 ./compat-plain 0x1234567 3 neg) >"$D/$t.out" 2>"$D/$t.err"
rc=$?
if [ $rc -ne 255 ]; then
	fail "$t" "exit $rc, want 255: $(tail -n1 "$D/$t.err")"
elif [ "$(grep -c '^line [0-9]* of the output before main returns -1$' "$D/$t.out")" -ne 300 ]; then
	fail "$t" "lines lost: $(grep -c '^line ' "$D/$t.out") of 300"
elif [ "$(tail -c 21 "$D/$t.out")" != "last line, no newline" ]; then
	fail "$t" "the unterminated last line was lost"
elif grep -q '^FAIL' "$D/$t.out"; then
	fail "$t" "$(grep -m1 '^FAIL' "$D/$t.out")"
else
	pass "$t"
fi

# ------------------------------------------------------------------ attach kinds
K=7
guest_pid=
# start_guest NAME OBJ PROG TARGET WANT: the guest, in the background; 0 once "ready"
start_guest() {
	local name=$1
	shift
	rm -f "$D/$name.out" # a "ready" from an earlier run must not count
	(cd "$D" && exec timeout 30 ./attach "$@") >"$D/$name.out" 2>"$D/$name.err" &
	guest_pid=$!
	for _ in $(seq 200); do
		grep -q '^ready$' "$D/$name.out" 2>/dev/null && return 0
		kill -0 $guest_pid 2>/dev/null || break
		sleep 0.025
	done
	wait $guest_pid
	rc=$?
	return 1
}

# attach_test NAME OBJ PROG TARGET CMP TRIG-ARGS...: CMP "eq" (exactly K hits) or "ge"
attach_test() {
	local name=$1 obj=$2 prog=$3 target=$4 cmp=$5 hits
	shift 5
	if ! start_guest "$name" "$obj" "$prog" "$target" $K; then
		fail "$name" "exit $rc before attaching: $(grep -m1 -e 'failed' -e 'error' \
			"$D/$name.err" || tail -n1 "$D/$name.err")"
		tail -n 20 "$D/$name.err" | sed "s/^/  $name: /" >&2
		return
	fi
	"$TRIG" "$@" >"$D/$name.trig" 2>&1 || echo "trigger failed: $(cat "$D/$name.trig")" >&2
	wait $guest_pid
	rc=$?
	hits=$(awk '$1 == "hits" { print $2 }' "$D/$name.out")
	if [ $rc -ne 0 ]; then
		fail "$name" "exit $rc, hits ${hits:-none}, want $K"
	elif [ "$cmp" = eq ] && [ "$hits" -ne $K ]; then
		fail "$name" "$hits hits, want exactly $K"
	elif ! progs_gone; then
		fail "$name" "programs left loaded after exit: $("$BPFTOOL" prog show |
			grep -o 'name wbpf_ct_[a-z_]*' | tr '\n' ' ')"
	else
		pass "$name"
	fi
}

attach_test attach_tp attach wbpf_ct_tp - eq sys $K
attach_test attach_tracepoint attach wbpf_ct_tplong - eq sys $K
attach_test attach_tp_target attach wbpf_ct_tptgt syscalls/sys_enter_getpgid eq sys $K
attach_test attach_tp_btf attach wbpf_ct_tpbtf @ eq sys $K
attach_test attach_raw_tp attach wbpf_ct_rawtp - eq sys $K
attach_test attach_raw_tp_target attach wbpf_ct_rawtgt sys_enter eq sys $K
attach_test attach_uprobe_section attach wbpf_ct_upsec - eq probe $K
attach_test attach_uprobe_target attach wbpf_ct_uptgt "$TRIG:wbpf_compat_probe" eq probe $K
attach_test attach_uretprobe_target attach wbpf_ct_uretprobe "$TRIG:wbpf_compat_probe" eq probe $K

# kprobes: SKIP only when the attach fails and the kernel has no kprobe PMU
t=attach_kprobe
if start_guest $t attach wbpf_ct_kprobe - $K; then
	"$TRIG" sys $K >"$D/$t.trig" 2>&1
	wait $guest_pid
	rc=$?
	hits=$(awk '$1 == "hits" { print $2 }' "$D/$t.out")
	if [ $rc -ne 0 ] || [ "$hits" -ne $K ]; then
		fail $t "exit $rc, hits ${hits:-none}, want $K"
	else
		pass $t
	fi
elif [ $rc -eq 4 ] && [ ! -e /sys/bus/event_source/devices/kprobe ] &&
	grep -q "failed to attach BPF program 'wbpf_ct_kprobe'" "$D/$t.err"; then
	skip $t "the kernel has no kprobes (no kprobe PMU): $(grep -m1 \
		"failed to attach BPF program 'wbpf_ct_kprobe'" "$D/$t.err" | sed 's/^[^:]*: //')"
else
	fail $t "exit $rc: $(tail -n1 "$D/$t.err")"
	tail -n 20 "$D/$t.err" | sed "s/^/  $t: /" >&2
fi
progs_gone || fail $t "programs left loaded after exit"

cgroot=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -z "$cgroot" ]; then
	skip attach_cgroup_skb "no cgroup2 mount"
	skip attach_sockops "no cgroup2 mount"
else
	for t in attach_cgroup_skb:wbpf_ct_cgskb attach_sockops:wbpf_ct_sockops; do
		cg=$cgroot/wbpf-compat-$$
		mkdir -p "$cg"
		attach_test "${t%%:*}" attach "${t#*:}" "$cg" ge cgroup "$cg" $K
		rmdir "$cg" 2>/dev/null || echo "compat: cannot remove $cg" >&2
	done
fi
attach_test attach_xdp attach wbpf_ct_xdp lo ge udp $K

# fentry/fexit and LSM: SKIP only when the kernel refuses the program
kernel_refused() { # NAME PROG: the load failed and libbpf said the kernel refused PROG
	[ $rc -eq 3 ] && grep -q "prog '$2': BPF program load failed" "$D/$1.err"
}
for t in attach_fentry:fentry:wbpf_ct_fentry attach_lsm:lsm:wbpf_ct_lsm; do
	name=${t%%:*} obj=${t#*:} obj=${obj%%:*} prog=${t##*:}
	if start_guest "$name" "$obj" "$prog" - $K; then
		"$TRIG" sys $K >"$D/$name.trig" 2>&1
		wait $guest_pid
		rc=$?
		hits=$(awk '$1 == "hits" { print $2 }' "$D/$name.out")
		if [ $rc -ne 0 ] || [ "$hits" -ne $K ]; then
			fail "$name" "exit $rc, hits ${hits:-none}, want $K"
		else
			pass "$name"
		fi
	elif kernel_refused "$name" "$prog"; then
		skip "$name" "the kernel refuses to load $obj programs: $(grep -m1 \
			"prog '$prog': BPF program load failed" "$D/$name.err" | sed 's/^[^:]*: //')"
	elif [ $rc -eq 4 ] && [ "$obj" = lsm ] &&
		! grep -qw bpf /sys/kernel/security/lsm 2>/dev/null; then
		skip "$name" "BPF LSM is not enabled (no 'bpf' in /sys/kernel/security/lsm)"
	elif [ $rc -eq 4 ] && grep -q "failed to attach BPF program '$prog'" "$D/$name.err"; then
		skip "$name" "the kernel refuses to attach $obj programs: $(grep -m1 \
			"failed to attach BPF program '$prog'" "$D/$name.err" | sed 's/^[^:]*: //')"
	else
		fail "$name" "exit $rc: $(tail -n1 "$D/$name.err")"
		tail -n 20 "$D/$name.err" | sed "s/^/  $name: /" >&2
	fi
	progs_gone || fail "$name" "programs left loaded after exit"
done

# ------------------------------------------------------------------ load failures
# load_fail NAME OBJ PROG WANT_RC PATTERN WHAT
load_fail() {
	local name=$1 obj=$2 prog=$3 want=$4 pat=$5 what=$6
	(cd "$D" && timeout 30 ./attach "$obj" "$prog" - 1) >"$D/$name.out" 2>"$D/$name.err"
	rc=$?
	if [ $rc -ne "$want" ]; then
		fail "$name" "exit $rc, want $want"
	elif ! grep -q -- "$pat" "$D/$name.err"; then
		fail "$name" "$what not on stderr: $(tail -n1 "$D/$name.err")"
	elif ! progs_gone; then
		fail "$name" "programs left loaded after exit"
	else
		pass "$name"
		return
	fi
	tail -n 20 "$D/$name.err" | sed "s/^/  $name: /" >&2
}
load_fail load_fail_verifier bad wbpf_ct_bad 3 "invalid mem access 'map_value_or_null'" \
	"the verifier's reason"
load_fail load_fail_missing_tp notp wbpf_ct_notp 4 "sys_enter_wbpf_no_such_call" \
	"the missing tracepoint's name"
load_fail load_fail_missing_tp_btf nobtf wbpf_ct_nobtf 3 "wbpf_no_such_tracepoint" \
	"the missing BTF tracepoint's name"

left=$(progs_left)
if [ "$left" -ne 0 ]; then
	fail no_program_left "$left wbpf_ct_* programs still loaded"
else
	pass no_program_left
fi
exit 0
