#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Run every benchmark on what `make bench` built and print one table: native
# code vs wasmbpf-aot vs wasmbpf-run (the interpreter engine, running the same
# .wasm files the AOT binaries are compiled from), measured side by side in
# this run. Progress goes to stderr, the table to stdout. Exits 1 if any
# program gave a wrong result (checksums of the three differ, events missing).
#
# Environment (set by bench/bench.mk): BENCH_OUT, BENCH_SIZES, DRIVER,
# WASMBPF_RUN, EXAMPLES_OUT, CC, BENCH_NATIVE_CFLAGS, BENCH_BPF_LIBS.
# BENCH_REPS (5), BENCH_INTERP_REPS (3), BENCH_EVENTS (2000) and
# BENCH_EVENT_REPS (7) tune the run.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

: "${BENCH_OUT:?run through make bench}"
REPS=${BENCH_REPS:-5}
IREPS=${BENCH_INTERP_REPS:-3}
EVENTS=${BENCH_EVENTS:-2000}
EVREPS=${BENCH_EVENT_REPS:-7}
INTERP=${WASMBPF_RUN:?run through make bench}
TMP=$BENCH_OUT/tmp
mkdir -p "$TMP"

FAILURES=$TMP/failures
: >"$FAILURES"
rows=()
notes=()

say() { echo "bench: $*" >&2; }
# (called in subshells too: failures are collected in a file)
bad() {
	echo "bench: FAILED: $*" >&2
	echo "$*" >>"$FAILURES"
}

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", b - a }'; }

# calc EXPR: awk arithmetic, printed with %g
calc() { awk "BEGIN { printf \"%.6g\", $1 }"; }

# fmt_s SECONDS, fmt_ms MS, ...: table cells
fmt_s() { awk -v v="$1" 'BEGIN { printf(v < 10 ? "%.3f s" : "%.1f s", v) }'; }
fmt_ms() { awk -v v="$1" 'BEGIN { printf "%.1f ms", v }'; }
fmt_ns() { awk -v v="$1" 'BEGIN { printf "%.0f ns", v }'; }
fmt_us() { awk -v v="$1" 'BEGIN { printf "%.2f us", v / 1000 }'; }
fmt_kib() { awk -v v="$1" 'BEGIN { printf "%.0f KiB", v / 1024 }'; }
count() { awk -v v="$1" 'BEGIN { if (v >= 1e6 && v % 1e5 == 0) printf "%gM", v / 1e6;
	else if (v >= 1e3 && v % 100 == 0) printf "%gk", v / 1e3; else print v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }

# row NAME NATIVE AOT INTERP AOT/NATIVE INTERP/AOT
row() { rows+=("$(printf '%-26s %-11s %-11s %-11s %-11s %s' "$@" | sed 's/ *$//')"); }
section() { rows+=("" "$*"); }

# time_run OUTFILE CMD...: wall seconds of one run, stdout to OUTFILE
time_run() {
	local out=$1 t0 t1
	shift
	t0=$(now)
	"$@" >"$out" 2>"$out.err" || {
		bad "'$*' exited with $?: $(head -c 300 "$out.err")"
		echo 0
		return
	}
	t1=$(now)
	elapsed "$t0" "$t1"
}

# median_run REPS OUTFILE CMD...: median wall seconds
median_run() {
	local reps=$1 out=$2 i
	shift 2
	for ((i = 0; i < reps; i++)); do
		time_run "$out" "$@"
		echo
	done | median
}

checksum_of() { sed -n 's/^checksum //p' "$1"; }

# ------------------------------------------------------------------ compute
compute() {
	local spec name n in i units_n units_in t_nat t_aot t_int t_int0 t_int_scaled
	local c_nat c_aot c_int c_nat_small c_aot_small label

	section "compute: wall time of the whole process, median of $REPS runs ($IREPS for interp)"
	for spec in $BENCH_SIZES; do
		IFS=: read -r name n in <<<"$spec"
		say "compute $name"
		# native and AOT alternate, so that a busy moment hits both
		: >"$TMP/$name.t-nat"
		: >"$TMP/$name.t-aot"
		: >"$TMP/$name.t-int"
		: >"$TMP/$name.t-int0"
		for ((i = 0; i < REPS; i++)); do
			time_run "$TMP/$name.nat" "$BENCH_OUT/compute/$name" "$n" >>"$TMP/$name.t-nat"
			echo >>"$TMP/$name.t-nat"
			time_run "$TMP/$name.aot" "$BENCH_OUT/compute/$name.aot" "$n" \
				>>"$TMP/$name.t-aot"
			echo >>"$TMP/$name.t-aot"
		done
		# the interpreter at N and at N=0: what does not grow with N (start-up,
		# building the input) is not scaled up
		for ((i = 0; i < IREPS; i++)); do
			time_run "$TMP/$name.int" "$INTERP" "$BENCH_OUT/compute/$name.wasm" "$in" \
				>>"$TMP/$name.t-int"
			echo >>"$TMP/$name.t-int"
			time_run "$TMP/$name.int0" "$INTERP" "$BENCH_OUT/compute/$name.wasm" 0 \
				>>"$TMP/$name.t-int0"
			echo >>"$TMP/$name.t-int0"
		done
		t_nat=$(median <"$TMP/$name.t-nat")
		t_aot=$(median <"$TMP/$name.t-aot")
		t_int=$(median <"$TMP/$name.t-int")
		t_int0=$(median <"$TMP/$name.t-int0")
		# the interpreter's reference: native and AOT at the interpreter's N
		"$BENCH_OUT/compute/$name" "$in" >"$TMP/$name.nat-small"
		"$BENCH_OUT/compute/$name.aot" "$in" >"$TMP/$name.aot-small"
		c_nat=$(checksum_of "$TMP/$name.nat")
		c_aot=$(checksum_of "$TMP/$name.aot")
		c_int=$(checksum_of "$TMP/$name.int")
		c_nat_small=$(checksum_of "$TMP/$name.nat-small")
		c_aot_small=$(checksum_of "$TMP/$name.aot-small")
		if [ -z "$c_nat" ] || [ "$c_nat" != "$c_aot" ]; then
			bad "$name $n: native checksum '$c_nat', AOT '$c_aot'"
		fi
		if [ -z "$c_int" ] || [ "$c_int" != "$c_nat_small" ] ||
			[ "$c_int" != "$c_aot_small" ]; then
			bad "$name $in: interp checksum '$c_int', native '$c_nat_small'," \
				"AOT '$c_aot_small'"
		fi
		# work units: N, except sort's N log2 N comparisons
		if [ "$name" = sort ]; then
			units_n=$(calc "$n * log($n) / log(2)")
			units_in=$(calc "$in * log($in) / log(2)")
		else
			units_n=$n
			units_in=$in
		fi
		t_int_scaled=$(calc "$t_int0 + ($t_int - $t_int0) * $units_n / $units_in")
		case $name in
		sha256) label="sha256 ($n MiB)" ;;
		nbody) label="nbody ($(count "$n") steps)" ;;
		sort) label="sort ($(count "$n") ints)" ;;
		hashmap) label="hashmap ($(count "$n") words)" ;;
		*) label="$name ($(count "$n"))" ;;
		esac
		row "$label" "$(fmt_s "$t_nat")" "$(fmt_s "$t_aot")" "$(fmt_s "$t_int_scaled")*" \
			"$(ratio "$t_aot" "$t_nat")" "$(ratio "$t_int_scaled" "$t_aot")"
		notes+=("$name: interp N=$in $(fmt_s "$t_int"), N=0 $(fmt_s "$t_int0"),\
 x$(calc "$units_n / $units_in"); checksums: native = AOT at N=$n; native = AOT = interp at N=$in")
	done
}

# ---------------------------------------------------------------- root part
root_reason=
check_root() {
	if [ "$(id -u)" -ne 0 ]; then
		root_reason="needs root"
	elif [ ! -r /sys/kernel/btf/vmlinux ]; then
		root_reason="no kernel BTF at /sys/kernel/btf/vmlinux"
	elif [ ! -d /sys/kernel/tracing/events ] &&
		! mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null; then
		root_reason="tracefs is not mounted and cannot be"
	fi
}

maps() {
	local nat=$TMP/maps.nat aot=$TMP/maps.aot int=$TMP/maps.int m i
	local ns_nat ns_aot ns_int c_nat c_aot c_int
	local lookups=200000 rounds=5 runs=3

	section "BPF map lookups from user space: ns per bpf_map_lookup_elem," \
		"median of $runs runs x $rounds rounds x $((lookups / 1000))k lookups"
	if [ -n "$root_reason" ]; then
		row "map lookup" "skipped: $root_reason"
		return
	fi
	say "maps"
	: >"$nat.all"
	: >"$aot.all"
	: >"$int.all"
	for ((i = 0; i < runs; i++)); do
		"$BENCH_OUT/maps/maps-native" "$lookups" "$rounds" >"$nat" 2>"$nat.err" ||
			bad "maps-native: $(cat "$nat.err")"
		cat "$nat" >>"$nat.all"
		"$BENCH_OUT/maps/maps-aot" "$lookups" "$rounds" >"$aot" 2>"$aot.err" ||
			bad "maps-aot: $(cat "$aot.err")"
		cat "$aot" >>"$aot.all"
		"$INTERP" "$BENCH_OUT/maps/maps.wasm" "$lookups" "$rounds" >"$int" 2>"$int.err" ||
			bad "wasmbpf-run maps.wasm: $(cat "$int.err")"
		cat "$int" >>"$int.all"
	done
	for m in array hash; do
		ns_nat=$(awk -v m=$m '$1 == m { print $2 }' "$nat.all" | median)
		ns_aot=$(awk -v m=$m '$1 == m { print $2 }' "$aot.all" | median)
		c_nat=$(awk -v m=$m '$1 == m { print $5 }' "$nat.all" | sort -u)
		c_aot=$(awk -v m=$m '$1 == m { print $5 }' "$aot.all" | sort -u)
		ns_int=$(awk -v m=$m '$1 == m { print $2 }' "$int.all" | median)
		c_int=$(awk -v m=$m '$1 == m { print $5 }' "$int.all" | sort -u)
		if [ -z "$ns_nat" ] || [ -z "$ns_aot" ] || [ -z "$ns_int" ] || [ -z "$c_nat" ] ||
			[ "$c_nat" != "$c_aot" ] || [ "$c_nat" != "$c_int" ]; then
			bad "maps $m: native '$ns_nat ns, $c_nat', AOT '$ns_aot ns, $c_aot'," \
				"interp '$ns_int ns, $c_int'"
			continue
		fi
		row "$m map lookup" "$(fmt_ns "$ns_nat")" "$(fmt_ns "$ns_aot")" \
			"$(fmt_ns "$ns_int")" "$(ratio "$ns_aot" "$ns_nat")" \
			"$(ratio "$ns_int" "$ns_aot")"
	done
}

# evbench_runs KIND REPS FIELD [evbench args]: native, AOT and interpreted
# bootstrap in turn, REPS times each; prints the three medians of FIELD
evbench_runs() {
	local kind=$1 reps=$2 key=$3 i side
	local -a tool
	shift 3
	for side in native aot interp; do
		: >"$TMP/$kind.$side"
	done
	for ((i = 0; i < reps; i++)); do
		for side in native aot interp; do
			case $side in
			native) tool=("$BENCH_OUT/native/bootstrap") ;;
			aot) tool=("$EXAMPLES_OUT/bootstrap/bootstrap") ;;
			interp) tool=("$INTERP" "$EXAMPLES_OUT/bootstrap/bootstrap.wasm") ;;
			esac
			"$BENCH_OUT/tools/evbench" -p "$BENCH_OUT/tools/wbpfb-attach" "$@" \
				-o "$TMP/bootstrap-$kind-$side-$i.out" -- "${tool[@]}" \
				>>"$TMP/$kind.$side" 2>>"$TMP/evbench.err" ||
				bad "evbench $kind $side run $i: $(tail -n 3 "$TMP/evbench.err")"
		done
	done
	echo "$(field "$key" <"$TMP/$kind.native" | median)" \
		"$(field "$key" <"$TMP/$kind.aot" | median)" \
		"$(field "$key" <"$TMP/$kind.interp" | median)"
}

field() { sed -n "s/.*\\b$1=\\([0-9.]*\\).*/\\1/p"; }

bootstrap() {
	local a_nat a_aot a_int e_nat e_aot e_int

	section "bootstrap: start -> first event seen (probe exec every 5 ms), median of $REPS;" \
		"CPU/event: $EVENTS exec+exit pairs, median of $EVREPS"
	if [ -n "$root_reason" ]; then
		row "bootstrap attach" "skipped: $root_reason"
		row "bootstrap CPU/event" "skipped: $root_reason"
		return
	fi
	say "bootstrap attach time"
	: >"$TMP/evbench.err"
	read -r a_nat a_aot a_int < <(evbench_runs attach "$REPS" attach_ms)
	if [ -n "$a_nat" ] && [ -n "$a_aot" ] && [ -n "$a_int" ]; then
		row "bootstrap attach" "$(fmt_ms "$a_nat")" "$(fmt_ms "$a_aot")" \
			"$(fmt_ms "$a_int")" "$(ratio "$a_aot" "$a_nat")" \
			"$(ratio "$a_int" "$a_aot")"
	else
		bad "bootstrap attach: no time for native '$a_nat', AOT '$a_aot', interp '$a_int'"
	fi
	say "bootstrap CPU per event"
	read -r e_nat e_aot e_int < <(evbench_runs events "$EVREPS" ns_per_event \
		-n "$EVENTS" -c "$BENCH_OUT/tools/wbpfb-count")
	if [ -n "$e_nat" ] && [ -n "$e_aot" ] && [ -n "$e_int" ]; then
		row "bootstrap CPU/event" "$(fmt_us "$e_nat")" "$(fmt_us "$e_aot")" \
			"$(fmt_us "$e_int")" "$(ratio "$e_aot" "$e_nat")" \
			"$(ratio "$e_int" "$e_aot")"
	else
		bad "bootstrap CPU/event: no figure for native '$e_nat', AOT '$e_aot'," \
			"interp '$e_int'"
	fi
}

# -------------------------------------------------------- size, build time
sizes() {
	local nat=$BENCH_OUT/native/bootstrap aot=$EXAMPLES_OUT/bootstrap/bootstrap
	local s_nat s_aot s_int ss_nat ss_aot ss_int s_wasm

	s_wasm=$(stat -c %s "$aot.wasm")
	section "size of bootstrap (all three link libbpf, libelf, libz statically;" \
		"interp = wasmbpf-run + the $(fmt_kib "$s_wasm") .wasm)"
	strip -o "$TMP/bootstrap-native.stripped" "$nat"
	strip -o "$TMP/bootstrap-aot.stripped" "$aot"
	strip -o "$TMP/wasmbpf-run.stripped" "$INTERP"
	s_nat=$(stat -c %s "$nat")
	s_aot=$(stat -c %s "$aot")
	s_int=$(($(stat -c %s "$INTERP") + s_wasm))
	ss_nat=$(stat -c %s "$TMP/bootstrap-native.stripped")
	ss_aot=$(stat -c %s "$TMP/bootstrap-aot.stripped")
	ss_int=$(($(stat -c %s "$TMP/wasmbpf-run.stripped") + s_wasm))
	row "bootstrap size" "$(fmt_kib "$s_nat")" "$(fmt_kib "$s_aot")" "$(fmt_kib "$s_int")" \
		"$(ratio "$s_aot" "$s_nat")" "$(ratio "$s_int" "$s_aot")"
	row "bootstrap size, stripped" "$(fmt_kib "$ss_nat")" "$(fmt_kib "$ss_aot")" \
		"$(fmt_kib "$ss_int")" "$(ratio "$ss_aot" "$ss_nat")" "$(ratio "$ss_int" "$ss_aot")"
}

# build_row LABEL WASM NATIVE-CC-CMD...: wasmbpf-aot of WASM vs the native cc
build_row() {
	local label=$1 wasm=$2 t_nat t_aot
	shift 2
	t_nat=$(median_run 3 "$TMP/build.out" "$@")
	# a real build every time: the driver's build cache is off
	t_aot=$(median_run 3 "$TMP/build.out" env WASMBPF_AOT_CACHE=off "$DRIVER" "$wasm" \
		-o "$TMP/build-aot")
	row "$label" "$(fmt_s "$t_nat")" "$(fmt_s "$t_aot")" "-" "$(ratio "$t_aot" "$t_nat")" "-"
}

build_times() {
	local spec name n in t cflags=$BENCH_NATIVE_CFLAGS

	section "build time, wall, median of 3: native = cc of the C source;" \
		"aot = wasmbpf-aot of the .wasm, build cache off"
	say "build times"
	# shellcheck disable=SC2086
	build_row "build bootstrap" "$EXAMPLES_OUT/bootstrap/bootstrap.wasm" \
		$CC $cflags -I"$BENCH_OUT/native" -Iexamples/bootstrap bench/native/bootstrap.c \
		-o "$TMP/build-native" $BENCH_BPF_LIBS
	# the same build again, from a cache that holds it
	if "$DRIVER" --help | grep -q -- --no-cache; then
		rm -rf "$TMP/aot-cache"
		WASMBPF_AOT_CACHE=$TMP/aot-cache "$DRIVER" "$EXAMPLES_OUT/bootstrap/bootstrap.wasm" \
			-o "$TMP/build-aot"
		t=$(median_run 3 "$TMP/build.out" env WASMBPF_AOT_CACHE="$TMP/aot-cache" "$DRIVER" \
			"$EXAMPLES_OUT/bootstrap/bootstrap.wasm" -o "$TMP/build-aot")
		row "build bootstrap, cached" "-" "$(fmt_s "$t")" "-" "-" "-"
	fi
	# shellcheck disable=SC2086
	build_row "build maps" "$BENCH_OUT/maps/maps.wasm" \
		$CC $cflags -I"$BENCH_OUT/maps/native" bench/maps/maps.c -o "$TMP/build-native" \
		$BENCH_BPF_LIBS
	for spec in $BENCH_SIZES; do
		IFS=: read -r name n in <<<"$spec"
		# shellcheck disable=SC2086
		build_row "build $name" "$BENCH_OUT/compute/$name.wasm" \
			$CC $cflags bench/compute/$name.c -o "$TMP/build-native" -lm
	done
}

start=$(now)
load=$(cut -d' ' -f1 /proc/loadavg)
check_root
compute
maps
bootstrap
sizes
build_times

{
	echo
	echo "wasmbpf-aot benchmarks ($(nproc) CPUs, $(uname -r), load average at start $load)"
	echo "native = cc -O2; aot = clang --target=wasm32-wasi -O2 + wasmbpf-aot;"
	echo "interp = $("$INTERP" --version 2>/dev/null | head -n1)," \
		"wabt $(wasm2c --version 2>/dev/null | head -n1)'s interpreter:" \
		"the same .wasm, the same runtime"
	printf '%-26s %-11s %-11s %-11s %-11s %s\n' benchmark native aot interp aot/native interp/aot
	printf '%s\n' "${rows[@]}"
	echo
	echo "* interp runs the same .wasm at a smaller N; its time above its time at N=0 is scaled"
	echo "  to the native N by work units (N; N log2 N for sort):"
	printf '  %s\n' "${notes[@]}"
	echo "attach: evbench forks the tool on a pty at t0 and execs wbpfb-attach every 5 ms; attach ="
	echo "  the time its first EXEC line of wbpfb-attach is read. CPU/event: after attach, the tool's"
	echo "  utime+stime (sum of /proc/PID/task/*/schedstat, ns) across $EVENTS execs of wbpfb-count,"
	echo "  divided by the EXEC+EXIT lines it printed meanwhile (all $EVENTS of each of wbpfb-count"
	echo "  are required; other processes' events count too; outputs in $TMP). The native"
	echo "  loader's glibc localtime() stats /etc/localtime once per event (TZ unset); the guest's"
	echo "  WASI libc has no time zone. interp: the tool's process is wasmbpf-run bootstrap.wasm."
	echo "map lookups: one program, bench/maps/maps.c, with libbpf natively and the SDK in the guest"
	echo "  (each lookup is one wasm_bpf_map_operate import call; aot and interp run the same"
	echo "  maps.wasm); checksums of the values agree."
	echo "total bench time $(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }') s"
} | tee "$BENCH_OUT/results.txt"

if [ -s "$FAILURES" ]; then
	echo "bench: FAILED: $(wc -l <"$FAILURES") wrong or missing results:" >&2
	sed 's/^/  /' "$FAILURES" >&2
	exit 1
fi
