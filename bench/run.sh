#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Run every benchmark on what `make bench` built and print one table: native
# code vs wasmbpf-aot vs wasmbpf-run (the interpreter engine, running the same
# .wasm files the AOT binaries are compiled from), measured side by side in
# this run. Progress goes to stderr, the table to stdout. Exits 1 if any
# program gave a wrong result (checksums of the three differ, events missing).
#
# Noise: every figure is the median of runs that alternate between native,
# AOT (and the interpreter), so that a busy moment of a shared machine hits
# all of them alike, and comes with its interquartile range (IQR); a ratio
# whose two IQRs overlap is printed as "≈ native" (within noise), not as a
# number. Timed processes report CPU time (user + sys, from the shell's
# time), which other load inflates far less than wall time. The map lookups
# time themselves and are compared run by run (see maps()).
#
# The compute kernels are also built natively with musl (BENCH_MUSL, the path
# of musl-gcc; empty when it is missing, and that section says it is skipped):
# the guest's libc, wasi-libc, is derived from musl, so aot against native
# musl tells the compiled code from the libc.
#
# Environment (set by bench/bench.mk): BENCH_OUT, BENCH_SIZES, DRIVER,
# WASMBPF_RUN, BENCH_MUSL, EXAMPLES_OUT, CC, BENCH_NATIVE_CFLAGS, BENCH_BPF_LIBS.
# BENCH_REPS (7), BENCH_INTERP_REPS (3), BENCH_EVENTS (1000),
# BENCH_EVENT_REPS (5), BENCH_MAP_RUNS (21) and BENCH_CHECK_RUNS (50) tune the run.
# BENCH_ONLY="compute maps ..." runs only these sections (of compute, maps,
# bootstrap, sizes, build).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

: "${BENCH_OUT:?run through make bench}"
REPS=${BENCH_REPS:-7}
IREPS=${BENCH_INTERP_REPS:-3}
EVENTS=${BENCH_EVENTS:-1000}
EVREPS=${BENCH_EVENT_REPS:-5}
MAPRUNS=${BENCH_MAP_RUNS:-21}
CHECKRUNS=${BENCH_CHECK_RUNS:-50}
# the shell's time keyword: wall, user and sys seconds
TIMEFORMAT='%3R %3U %3S'
export LC_ALL=C
INTERP=${WASMBPF_RUN:?run through make bench}
MUSL=${BENCH_MUSL:-}
ONLY=${BENCH_ONLY:-}
TMP=$BENCH_OUT/tmp
mkdir -p "$TMP"

start=$EPOCHREALTIME
FAILURES=$TMP/failures
: >"$FAILURES"
rows=()
notes=()
map_notes=()
build_notes=()

say() { echo "bench: $(elapsed "$start" "$(now)" | cut -d. -f1) s: $*" >&2; }
# (called in subshells too: failures are collected in a file)
bad() {
	echo "bench: FAILED: $*" >&2
	echo "$*" >>"$FAILURES"
}

# stats: "MEDIAN Q1 Q3" of the numbers on stdin (quartiles interpolated between
# the sorted values); nothing if there are none
stats() {
	sort -g | awk 'function q(p, h, i) {
			h = (NR - 1) * p + 1
			i = int(h)
			return v[i] + (h - i) * (v[i + (i < NR)] - v[i])
		}
		{ v[NR] = $1 }
		END { if (NR) printf "%.6g %.6g %.6g\n", q(0.5), q(0.25), q(0.75) }'
}
median() { stats | cut -d' ' -f1; }
geomean() { awk '{ s += log($1) } END { if (NR) printf "%.2fx", exp(s / NR) }'; }

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", b - a }'; }

# calc EXPR: awk arithmetic, printed with %g
calc() { awk "BEGIN { printf \"%.6g\", $1 }"; }

# fmt_s SECONDS, fmt_kib BYTES: table cells
fmt_s() { awk -v v="$1" 'BEGIN { printf(v < 10 ? "%.3f s" : "%.1f s", v) }'; }
fmt_kib() { awk -v v="$1" 'BEGIN { printf "%.0f KiB", v / 1024 }'; }
count() { awk -v v="$1" 'BEGIN { if (v >= 1e6 && v % 1e5 == 0) printf "%gM", v / 1e6;
	else if (v >= 1e3 && v % 100 == 0) printf "%gk", v / 1e3; else print v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }

# cell UNIT "MEDIAN Q1 Q3": "median [IQR]" in s, ms, us (from ns) or ns
cell() {
	local unit=$1 m q1 q3
	read -r m q1 q3 <<<"$2"
	[ -n "$m" ] || { echo "-"; return; }
	awk -v u="$unit" -v m="$m" -v r="$(calc "$q3 - $q1")" 'BEGIN {
		if (u == "s" && m >= 10) printf "%.1f s [%.1f]", m, r
		else if (u == "s") printf "%.3f s [%.3f]", m, r
		else if (u == "ms") printf "%.1f ms [%.1f]", m, r
		else if (u == "us") printf "%.2f us [%.2f]", m / 1000, r / 1000
		else printf "%.0f ns [%.0f]", m, r }'
}

# nratio "A_MED A_Q1 A_Q3" "B_MED B_Q1 B_Q3" NAME: A/B, or "≈ NAME" when the
# two IQRs overlap: the difference is within the noise of this run
nratio() {
	local am aq1 aq3 bm bq1 bq3
	read -r am aq1 aq3 <<<"$1"
	read -r bm bq1 bq3 <<<"$2"
	[ -n "$am" ] && [ -n "$bm" ] || { echo "-"; return; }
	awk -v am="$am" -v aq1="$aq1" -v aq3="$aq3" -v bm="$bm" -v bq1="$bq1" -v bq3="$bq3" \
		-v name="$3" 'BEGIN {
		if (aq1 <= bq3 && bq1 <= aq3) printf "\342\211\210 %s", name
		else if (bm > 0) printf "%.2fx", am / bm
		else print "-" }'
}

# pad WIDTH TEXT: TEXT and spaces to WIDTH columns ("≈" is 3 bytes, 1 column)
pad() {
	local text=$2 n=$1 rest=${2//[^$'\342']/}
	n=$((n + 2 * ${#rest}))
	printf "%-${n}s" "$text"
}

# row NAME NATIVE AOT INTERP AOT/NATIVE INTERP/AOT (the cells left out are empty)
LABEL_W=34
CELL_W=18
row() {
	local line
	line="$(pad $LABEL_W "$1") $(pad $CELL_W "${2-}") $(pad $CELL_W "${3-}")"
	line+=" $(pad $CELL_W "${4-}") $(pad 14 "${5-}") ${6-}"
	rows+=("$(sed 's/ *$//' <<<"$line")")
}
section() { rows+=("" "$*"); }

# time_run OUTFILE CMD...: "WALL CPU" seconds of one run (CPU = user + sys of
# the process and its children), stdout to OUTFILE
time_run() {
	local out=$1 rc wall user sys
	shift
	{ time "$@" >"$out" 2>"$out.err"; } 2>"$out.time"
	rc=$?
	if [ $rc -ne 0 ]; then
		bad "'$*' exited with $rc: $(head -c 300 "$out.err")"
		echo "0 0"
		return
	fi
	read -r wall user sys <"$out.time"
	echo "$wall $(calc "$user + $sys")"
}

checksum_of() { sed -n 's/^checksum //p' "$1"; }

# check_sum FILE WANT WHAT: the checksum in FILE is WANT (or sets WANT's
# variable if empty): every run of a kernel must print the same
check_sum() {
	local got
	got=$(checksum_of "$1")
	if [ -z "$got" ] || { [ -n "${!2}" ] && [ "$got" != "${!2}" ]; }; then
		bad "$3: checksum '$got', earlier runs '${!2}'"
	fi
	[ -n "${!2}" ] || printf -v "$2" '%s' "$got"
}

# ------------------------------------------------------------------ compute
declare -A sums
ratios=()
iratios=()
compute() {
	local spec name n in i k t0 t1 label c_nat c_aot c_int c_mus c_nat_small c_aot_small
	local s_nat s_aot s_int s_mus wall_nat wall_aot wall_mus worst line c1 c2 c3 r1 r2
	local -a musl_rows=() mratios=() aratios=()

	section "compute: CPU time (user+sys) of the whole process, median [IQR] of $REPS" \
		"interleaved runs ($IREPS for interp)"
	for spec in $BENCH_SIZES; do
		IFS=: read -r name n in <<<"$spec"
		say "compute $name ($(cut -d' ' -f1-3 /proc/loadavg))"
		# native, native with musl and AOT alternate, so that a busy moment
		# hits all of them
		: >"$TMP/$name.t-nat"
		: >"$TMP/$name.t-aot"
		: >"$TMP/$name.t-int"
		: >"$TMP/$name.t-mus"
		c_nat='' c_aot='' c_int='' c_mus=''
		for ((i = 0; i < REPS; i++)); do
			time_run "$TMP/$name.nat" "$BENCH_OUT/compute/$name" "$n" >>"$TMP/$name.t-nat"
			check_sum "$TMP/$name.nat" c_nat "$name $n native"
			if [ -n "$MUSL" ]; then
				time_run "$TMP/$name.mus" "$BENCH_OUT/compute/$name.musl" "$n" \
					>>"$TMP/$name.t-mus"
				check_sum "$TMP/$name.mus" c_mus "$name $n native musl"
			fi
			time_run "$TMP/$name.aot" "$BENCH_OUT/compute/$name.aot" "$n" \
				>>"$TMP/$name.t-aot"
			check_sum "$TMP/$name.aot" c_aot "$name $n AOT"
		done
		# work units: N, except sort's N log2 N comparisons
		if [ "$name" = sort ]; then
			k=$(calc "$n * log($n) / ($in * log($in))")
		else
			k=$(calc "$n / $in")
		fi
		# the interpreter at N and at N=0, in turn: what does not grow with N
		# (start-up, building the input) is not scaled up to the native N
		for ((i = 0; i < IREPS; i++)); do
			read -r _ t1 < <(time_run "$TMP/$name.int" "$INTERP" \
				"$BENCH_OUT/compute/$name.wasm" "$in")
			check_sum "$TMP/$name.int" c_int "$name $in interp"
			read -r _ t0 < <(time_run "$TMP/$name.int0" "$INTERP" \
				"$BENCH_OUT/compute/$name.wasm" 0)
			echo "$t0 $t1 $(calc "$t0 + ($t1 - $t0) * $k")" >>"$TMP/$name.t-int"
		done
		# the interpreter's reference: native and AOT at the interpreter's N
		"$BENCH_OUT/compute/$name" "$in" >"$TMP/$name.nat-small"
		"$BENCH_OUT/compute/$name.aot" "$in" >"$TMP/$name.aot-small"
		c_nat_small=$(checksum_of "$TMP/$name.nat-small")
		c_aot_small=$(checksum_of "$TMP/$name.aot-small")
		if [ -z "$c_nat" ] || [ "$c_nat" != "$c_aot" ]; then
			bad "$name $n: native checksum '$c_nat', AOT '$c_aot'"
		fi
		if [ -n "$MUSL" ] && [ "$c_mus" != "$c_nat" ]; then
			bad "$name $n: native checksum '$c_nat', native musl '$c_mus'"
		fi
		if [ -z "$c_int" ] || [ "$c_int" != "$c_nat_small" ] ||
			[ "$c_int" != "$c_aot_small" ]; then
			bad "$name $in: interp checksum '$c_int', native '$c_nat_small'," \
				"AOT '$c_aot_small'"
		fi
		sums[$name:$n]=$c_nat
		s_nat=$(awk '{ print $2 }' "$TMP/$name.t-nat" | stats)
		s_aot=$(awk '{ print $2 }' "$TMP/$name.t-aot" | stats)
		s_int=$(awk '{ print $3 }' "$TMP/$name.t-int" | stats)
		wall_nat=$(awk '{ print $1 }' "$TMP/$name.t-nat" | median)
		wall_aot=$(awk '{ print $1 }' "$TMP/$name.t-aot" | median)
		case $name in
		sha256) label="sha256 ($n MiB)" ;;
		nbody) label="nbody ($(count "$n") steps)" ;;
		sort) label="sort ($(count "$n") ints)" ;;
		hashmap) label="hashmap ($(count "$n") words)" ;;
		pidstate) label="pidstate ($(count "$n") events)" ;;
		log2hist) label="log2hist ($(count "$n") events)" ;;
		lines) label="lines ($(count "$n")) (guest libc printf)" ;;
		lines_hand) label="lines by hand ($(count "$n"))" ;;
		topn) label="topn ($n intervals)" ;;
		*) label="$name ($(count "$n"))" ;;
		esac
		row "$label" "$(cell s "$s_nat")" "$(cell s "$s_aot")" "$(cell s "$s_int")*" \
			"$(nratio "$s_aot" "$s_nat" native)" "$(nratio "$s_int" "$s_aot" aot)"
		ratios+=("$name $(calc "${s_aot%% *} / ${s_nat%% *}")")
		iratios+=("$(calc "${s_int%% *} / ${s_aot%% *}")")
		if [ -n "$MUSL" ]; then
			s_mus=$(awk '{ print $2 }' "$TMP/$name.t-mus" | stats)
			wall_mus=$(awk '{ print $1 }' "$TMP/$name.t-mus" | median)
			# native and aot again, the columns they have above
			musl_rows+=("$label|$(cell s "$s_nat")|$(cell s "$s_aot")|$(cell s "$s_mus")|$(
				nratio "$s_aot" "$s_mus" musl)|$(nratio "$s_mus" "$s_nat" native)")
			aratios+=("$(calc "${s_aot%% *} / ${s_mus%% *}")")
			mratios+=("$(calc "${s_mus%% *} / ${s_nat%% *}")")
		fi
		notes+=("$name: interp N=$in $(fmt_s "$(awk '{ print $2 }' "$TMP/$name.t-int" |
			median)"), N=0 $(fmt_s "$(awk '{ print $1 }' "$TMP/$name.t-int" | median)"),\
 x$k; wall native $(fmt_s "$wall_nat"), aot $(fmt_s "$wall_aot")${MUSL:+, musl $(
			fmt_s "$wall_mus")}")
	done
	# lines_hand prints the very bytes lines prints with snprintf
	for spec in $BENCH_SIZES; do
		IFS=: read -r name n in <<<"$spec"
		if [ "$name" = lines_hand ] && [ -n "${sums[lines:$n]:-}" ] &&
			[ "${sums[lines:$n]}" != "${sums[lines_hand:$n]}" ]; then
			bad "lines $n: snprintf checksum '${sums[lines:$n]}', by hand" \
				"'${sums[lines_hand:$n]}'"
		fi
	done
	# the ratios of the medians, "≈" or not
	worst=$(printf '%s\n' "${ratios[@]}" | sort -k2 -g | tail -n1)
	row "geomean of the ${#ratios[@]} kernels" "" "" "" \
		"$(printf '%s\n' "${ratios[@]}" | awk '{ print $2 }' | geomean)" \
		"$(printf '%s\n' "${iratios[@]}" | geomean)"
	row "worst kernel: ${worst% *}" "" "" "" "$(ratio "${worst#* }" 1)" ""

	if [ -z "$MUSL" ]; then
		section "compute, native with musl (the libc wasi-libc is derived from)"
		row "musl" "skipped: no musl-gcc (Debian package musl-tools)"
		return
	fi
	section "compute, native with musl (the libc wasi-libc is derived from): musl-gcc -O2" \
		"-static (musl $(musl_version)), memcpy in C; timed in the runs above"
	row "" "native" "aot" "musl" "aot/musl" "musl/native"
	for line in "${musl_rows[@]}"; do
		IFS='|' read -r label c1 c2 c3 r1 r2 <<<"$line"
		row "$label" "$c1" "$c2" "$c3" "$r1" "$r2"
	done
	row "geomean of the ${#aratios[@]} kernels" "" "" "" \
		"$(printf '%s\n' "${aratios[@]}" | geomean)" \
		"$(printf '%s\n' "${mratios[@]}" | geomean)"
}

# musl_version: the version musl's dynamic loader prints, "?" without one
musl_version() {
	local l v=
	for l in /lib/ld-musl-*.so.1; do
		[ -x "$l" ] && v=$("$l" 2>&1 | sed -n 's/^Version //p') && [ -n "$v" ] && break
	done
	echo "${v:-?}"
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

# pratio FILE: "≈ NAME" or "RATIO" for the per-run ratios in FILE (one a line):
# their median, or "≈ NAME" when their IQR holds 1.0 (no difference beyond the
# noise of this run)
pratio() {
	stats <"$1" | awk -v name="$2" '{
		if ($2 <= 1 && 1 <= $3) printf "\342\211\210 %s", name
		else printf "%.2fx", $1 }'
}

# run_ratios A B: A/B run by run, of files of "RUN VALUE" lines
run_ratios() {
	awk 'NR == FNR { b[$1] = $2; next } ($1 in b) && b[$1] > 0 { print $2 / b[$1] }' "$2" "$1"
}

# wall_ns FILE MAP: the median wall time per lookup in MAP of the runs in FILE
wall_ns() { awk -v m="$2" '$2 == m { print $4 }' "$1" | median | xargs printf '%.0f ns'; }

# pquart FILE: "MEDIAN [Q1-Q3]" of the ratios in FILE
pquart() { stats <"$1" | awk '{ printf "%.3f [%.3f-%.3f]", $1, $2, $3 }'; }

# The map benchmark, pinned to one CPU (MAPCPU) where taskset is there: the
# three sides see the same core, its caches and whatever else runs on it. Each
# run starts native, AOT and the interpreter in an order that rotates run by
# run; a ratio is the median of the ratios of the runs, each run against the
# other side's run next to it in time.
MAPCPU=${BENCH_MAP_CPU:-$(($(nproc) - 1))}
maps() {
	local t=$TMP/maps m i j side out s_nat s_aot s_int c_nat c_aot c_int pin=()
	local lookups=20000 rounds=3
	local -a sides=(nat aot int) cmd

	section "BPF map lookups from user space: CPU time (user+sys) per bpf_map_lookup_elem," \
		"median [IQR] of $MAPRUNS runs pinned to one CPU (each the median of $rounds rounds x" \
		"$((lookups / 1000))k); a ratio is the median of the runs' ratios"
	if [ -n "$root_reason" ]; then
		row "map lookup" "skipped: $root_reason"
		return
	fi
	if command -v taskset >/dev/null && taskset -c "$MAPCPU" true 2>/dev/null; then
		pin=(taskset -c "$MAPCPU")
	else
		map_notes+=("not pinned: no taskset, or no CPU $MAPCPU")
	fi
	say "maps ($(load))"
	for side in "${sides[@]}"; do
		: >"$t.$side.all"
	done
	for ((i = 0; i < MAPRUNS; i++)); do
		for ((j = 0; j < 3; j++)); do
			side=${sides[$(((i + j) % 3))]}
			case $side in
			nat) cmd=("$BENCH_OUT/maps/maps-native") ;;
			aot) cmd=("$BENCH_OUT/maps/maps-aot") ;;
			int) cmd=("$INTERP" "$BENCH_OUT/maps/maps.wasm") ;;
			esac
			out=$t.$side
			"${pin[@]}" "${cmd[@]}" "$lookups" "$rounds" >"$out" 2>"$out.err" ||
				bad "${cmd[*]##*/}: $(head -c 300 "$out.err")"
			# "RUN MAP CPU WALL CHECKSUM"
			awk -v i="$i" '$2 == "cpu" && $4 == "wall" { print i, $1, $3, $5, $8 }' \
				"$out" >>"$t.$side.all"
		done
	done
	for m in array hash; do
		for side in "${sides[@]}"; do
			awk -v m=$m '$2 == m { print $1, $3 }' "$t.$side.all" >"$t.$side.$m"
		done
		s_nat=$(awk '{ print $2 }' "$t.nat.$m" | stats)
		s_aot=$(awk '{ print $2 }' "$t.aot.$m" | stats)
		s_int=$(awk '{ print $2 }' "$t.int.$m" | stats)
		c_nat=$(awk -v m=$m '$2 == m { print $5 }' "$t.nat.all" | sort -u)
		c_aot=$(awk -v m=$m '$2 == m { print $5 }' "$t.aot.all" | sort -u)
		c_int=$(awk -v m=$m '$2 == m { print $5 }' "$t.int.all" | sort -u)
		if [ -z "$s_nat" ] || [ -z "$s_aot" ] || [ -z "$s_int" ] || [ -z "$c_nat" ] ||
			[ "$c_nat" != "$c_aot" ] || [ "$c_nat" != "$c_int" ] ||
			[ "$(wc -l <"$t.nat.$m")" != "$MAPRUNS" ] ||
			[ "$(wc -l <"$t.aot.$m")" != "$MAPRUNS" ] ||
			[ "$(wc -l <"$t.int.$m")" != "$MAPRUNS" ]; then
			bad "maps $m: native '$s_nat ns, $c_nat', AOT '$s_aot ns, $c_aot'," \
				"interp '$s_int ns, $c_int'"
			continue
		fi
		run_ratios "$t.aot.$m" "$t.nat.$m" >"$t.aot-nat.$m"
		run_ratios "$t.int.$m" "$t.aot.$m" >"$t.int-aot.$m"
		row "$m map lookup" "$(cell ns "$s_nat")" "$(cell ns "$s_aot")" \
			"$(cell ns "$s_int")" "$(pratio "$t.aot-nat.$m" native)" \
			"$(pratio "$t.int-aot.$m" aot)"
		map_notes+=("$m: aot/native $(pquart "$t.aot-nat.$m"), interp/aot $(
			pquart "$t.int-aot.$m"); wall (median) native $(wall_ns "$t.nat.all" $m), aot $(
			wall_ns "$t.aot.all" $m), interp $(wall_ns "$t.int.all" $m)")
	done
}

# evbench_runs KIND REPS [evbench args]: native, AOT and interpreted bootstrap
# in turn, REPS times each; the results in $TMP/KIND.{native,aot,interp}
evbench_runs() {
	local kind=$1 reps=$2 i side
	local -a tool
	shift 2
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
}

field() { sed -n "s/.*\\b$1=\\([0-9.]*\\).*/\\1/p"; }

# evbench_row LABEL KIND FIELD UNIT: the row of evbench_runs KIND
evbench_row() {
	local label=$1 kind=$2 key=$3 unit=$4 s_nat s_aot s_int

	s_nat=$(field "$key" <"$TMP/$kind.native" | stats)
	s_aot=$(field "$key" <"$TMP/$kind.aot" | stats)
	s_int=$(field "$key" <"$TMP/$kind.interp" | stats)
	if [ -z "$s_nat" ] || [ -z "$s_aot" ] || [ -z "$s_int" ]; then
		bad "$label: no $key for native '$s_nat', AOT '$s_aot', interp '$s_int'"
		return
	fi
	row "$label" "$(cell "$unit" "$s_nat")" "$(cell "$unit" "$s_aot")" \
		"$(cell "$unit" "$s_int")" "$(nratio "$s_aot" "$s_nat" native)" \
		"$(nratio "$s_int" "$s_aot" aot)"
}

bootstrap() {
	section "bootstrap: start -> first event seen (probe exec every 5 ms), $REPS runs;" \
		"CPU/event: $EVENTS exec+exit pairs, $EVREPS runs; median [IQR], interleaved"
	if [ -n "$root_reason" ]; then
		row "bootstrap attach" "skipped: $root_reason"
		row "bootstrap CPU/event" "skipped: $root_reason"
		return
	fi
	say "bootstrap attach time ($(cut -d' ' -f1-3 /proc/loadavg))"
	: >"$TMP/evbench.err"
	evbench_runs attach "$REPS"
	evbench_row "bootstrap attach" attach attach_ms ms
	say "bootstrap CPU per event ($(cut -d' ' -f1-3 /proc/loadavg))"
	evbench_runs events "$EVREPS" -n "$EVENTS" -c "$BENCH_OUT/tools/wbpfb-count"
	evbench_row "bootstrap CPU/event" events ns_per_event us
	check_row
}

# The check of bootstrap's BPF object at start-up (docs/abi.md, "Loading an
# object"): the time WASMBPF_DEBUG=1 prints, CHECKRUNS runs of each engine,
# alternating; every check must have gone through the object checker.
check_row() {
	local i side how us
	local -a tool
	say "bootstrap object check ($(cut -d' ' -f1-3 /proc/loadavg))"
	: >"$TMP/check.aot"
	: >"$TMP/check.interp"
	for ((i = 0; i < CHECKRUNS; i++)); do
		for side in aot interp; do
			case $side in
			aot) tool=("$EXAMPLES_OUT/bootstrap/bootstrap") ;;
			interp) tool=("$INTERP" "$EXAMPLES_OUT/bootstrap/bootstrap.wasm") ;;
			esac
			WASMBPF_DEBUG=1 timeout -s INT 0.3 "${tool[@]}" >/dev/null 2>"$TMP/check.err"
			how=$(sed -n 's/^bootstrap: bpf object checked in a child process in [0-9]* us (\(.*\))$/\1/p' \
				"$TMP/check.err")
			us=$(sed -n 's/^bootstrap: bpf object checked in a child process in \([0-9]*\) us .*/\1/p' \
				"$TMP/check.err")
			if [ "$how" != "the checker's" ] || [ -z "$us" ]; then
				bad "bootstrap check, $side run $i: '$(grep -m1 'checked in' "$TMP/check.err")'"
				continue
			fi
			echo "$((us * 1000))" >>"$TMP/check.$side"
		done
	done
	row "bootstrap object check" "-" "$(cell us "$(stats <"$TMP/check.aot")")" \
		"$(cell us "$(stats <"$TMP/check.interp")")" "" \
		"$(nratio "$(stats <"$TMP/check.interp")" "$(stats <"$TMP/check.aot")" aot)"
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
	static_sizes
}

# Every example as one self-contained file: wasmbpf-aot --static --strip (and
# -Os), bootstrap against the same native tool linked -static and stripped.
static_sizes() {
	local wasm name s s_os s_nat=- nat=$BENCH_OUT/native/bootstrap-static
	# (grep reads all of it: with pipefail, grep -q's early exit can fail the pipe)
	if ! "$DRIVER" --version | grep '^links with --static -' >/dev/null; then
		notes+=("static sizes: this toolchain cannot link statically (wasmbpf-aot --version)")
		return
	fi
	section "size with --static --strip (nothing else needed at run time; native:" \
		"the libbpf original, -static, stripped)"
	if [ -x "$nat" ]; then
		strip -o "$TMP/bootstrap-native-static.stripped" "$nat"
		s_nat=$(stat -c %s "$TMP/bootstrap-native-static.stripped")
	fi
	for wasm in "$EXAMPLES_OUT"/*/*.wasm; do
		name=$(basename "$wasm" .wasm)
		"$DRIVER" --static --strip "$wasm" -o "$TMP/static-$name" 2>>"$TMP/static.err" ||
			{ bad "$name: --static build failed"; continue; }
		"$DRIVER" --static --strip -Os "$wasm" -o "$TMP/static-Os-$name" \
			2>>"$TMP/static.err" || { bad "$name: --static -Os build failed"; continue; }
		s=$(stat -c %s "$TMP/static-$name")
		s_os=$(stat -c %s "$TMP/static-Os-$name")
		if [ "$name" = bootstrap ] && [ "$s_nat" != - ]; then
			row "$name --static" "$(fmt_kib "$s_nat")" "$(fmt_kib "$s")" "-" \
				"$(ratio "$s" "$s_nat")" "-Os: $(fmt_kib "$s_os")"
		else
			row "$name --static" "-" "$(fmt_kib "$s")" "-" "" "-Os: $(fmt_kib "$s_os")"
		fi
	done
}

# build_row LABEL WASM NATIVE-CC-CMD...: wasmbpf-aot of WASM vs the native cc,
# in turn, BUILD_REPS times each
BUILD_REPS=3
build_row() {
	local label=$1 wasm=$2 i s_nat s_aot
	shift 2
	: >"$TMP/build.t-nat"
	: >"$TMP/build.t-aot"
	for ((i = 0; i < BUILD_REPS; i++)); do
		time_run "$TMP/build.out" "$@" >>"$TMP/build.t-nat"
		# a real build every time: the driver's build cache is off
		time_run "$TMP/build.out" env WASMBPF_AOT_CACHE=off "$DRIVER" "$wasm" \
			-o "$TMP/build-aot" >>"$TMP/build.t-aot"
	done
	s_nat=$(awk '{ print $2 }' "$TMP/build.t-nat" | stats)
	s_aot=$(awk '{ print $2 }' "$TMP/build.t-aot" | stats)
	row "$label" "$(cell s "$s_nat")" "$(cell s "$s_aot")" "-" \
		"$(nratio "$s_aot" "$s_nat" native)" "-"
	# wall time too: the driver runs its compilers at once, one per CPU
	build_notes+=("$label: wall native $(fmt_s "$(awk '{ print $1 }' "$TMP/build.t-nat" | median)"),\
 aot $(fmt_s "$(awk '{ print $1 }' "$TMP/build.t-aot" | median)")")
}

build_times() {
	local name s cflags=$BENCH_NATIVE_CFLAGS

	section "build time, CPU (user+sys, with the compilers it runs), median [IQR] of" \
		"$BUILD_REPS interleaved: native = cc of the C source;" \
		"aot = wasmbpf-aot of the .wasm, build cache off"
	say "build times ($(cut -d' ' -f1-3 /proc/loadavg))"
	# shellcheck disable=SC2086
	build_row "build bootstrap" "$EXAMPLES_OUT/bootstrap/bootstrap.wasm" \
		$CC $cflags -I"$BENCH_OUT/native" -Iexamples/bootstrap bench/native/bootstrap.c \
		-o "$TMP/build-native" $BENCH_BPF_LIBS
	# the same build again, from a cache that holds it
	if "$DRIVER" --help | grep -q -- --no-cache; then
		rm -rf "$TMP/aot-cache"
		WASMBPF_AOT_CACHE=$TMP/aot-cache "$DRIVER" "$EXAMPLES_OUT/bootstrap/bootstrap.wasm" \
			-o "$TMP/build-aot"
		for ((i = 0; i < BUILD_REPS; i++)); do
			time_run "$TMP/build.out" env WASMBPF_AOT_CACHE="$TMP/aot-cache" "$DRIVER" \
				"$EXAMPLES_OUT/bootstrap/bootstrap.wasm" -o "$TMP/build-aot"
		done >"$TMP/build.t-cached"
		s=$(awk '{ print $2 }' "$TMP/build.t-cached" | stats)
		row "build bootstrap, cached" "-" "$(cell s "$s")" "-" "-" "-"
	fi
	# shellcheck disable=SC2086
	build_row "build maps" "$BENCH_OUT/maps/maps.wasm" \
		$CC $cflags -I"$BENCH_OUT/maps/native" bench/maps/maps.c -o "$TMP/build-native" \
		$BENCH_BPF_LIBS
	# the first kernels only: one more kernel's build says little more
	for name in sha256 nbody sort hashmap; do
		# shellcheck disable=SC2086
		build_row "build $name" "$BENCH_OUT/compute/$name.wasm" \
			$CC $cflags bench/compute/$name.c -o "$TMP/build-native" -lm
	done
}

# load: "LOAD1 LOAD5 LOAD15" of /proc/loadavg
load() { cut -d' ' -f1-3 /proc/loadavg; }

ncpu=$(nproc)
load_start=$(load)
say "start: load average $load_start, $ncpu CPUs"
# want SECTION: SECTION is to run (all are, unless BENCH_ONLY lists some)
want() { [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]; }

check_root
want compute && compute
want maps && maps
want bootstrap && bootstrap
want sizes && sizes
want build && build_times
load_end=$(load)
say "end: load average $load_end, $ncpu CPUs"

{
	echo
	echo "wasmbpf-aot benchmarks ($ncpu CPUs, $(uname -r))"
	echo "load average (1, 5, 15 min) at start $load_start, at end $load_end"
	if awk -v l="${load_start%% *}" -v n="$ncpu" 'BEGIN { exit !(l > n) }'; then
		echo "WARNING: the machine was busy (load above 1.0 per CPU at start): times are"
		echo "  inflated and noisy; read ratios with their IQRs, \"≈\" = within noise"
	fi
	echo "native = cc -O2; aot = clang --target=wasm32-wasi -O2 + wasmbpf-aot;"
	[ -z "$MUSL" ] || echo "musl = $MUSL -O2 -static, memcpy in C (compute kernels only);"
	echo "interp = $("$INTERP" --version 2>/dev/null | head -n1)," \
		"wabt $(wasm2c --version 2>/dev/null | head -n1)'s interpreter:" \
		"the same .wasm, the same runtime"
	echo "each timing: median [interquartile range] over runs alternating native, aot (, interp);"
	echo "a ratio is \"≈ native\" when the two IQRs overlap (no difference beyond the noise)"
	rows=("$(printf '%-*s %-*s %-*s %-*s %-14s %s' $LABEL_W benchmark $CELL_W native \
		$CELL_W aot $CELL_W interp aot/native interp/aot)" "${rows[@]}")
	printf '%s\n' "${rows[@]}"
	echo
	echo "* interp runs the same .wasm at a smaller N; its CPU time above its time at N=0 is"
	echo "  scaled to the native N by work units (N; N log2 N for sort), run by run:"
	printf '  %s\n' "${notes[@]}"
	echo "lines and lines by hand print the same bytes (same checksum), with snprintf and"
	echo "  without: their difference is the libc's printf (glibc natively, wasi-libc's in the guest)."
	echo "musl: the same kernels natively against musl, whose C the guest's wasi-libc takes its"
	echo "  printf and stdio from (malloc is dlmalloc there; memcpy, memset, strlen and memchr run"
	echo "  as the host's through wasmbpf-aot's libc fast paths). Its memcpy is a C loop"
	echo "  (bench/compute/musl-memcpy.c), not musl's x86_64 rep movsq, which the guest never runs"
	echo "  and which is slow on short copies. aot/musl near 1 where aot/native is not: the gap is"
	echo "  the libc's, not the compiled code's."
	echo "attach: evbench forks the tool on a pty at t0 and execs wbpfb-attach every 5 ms; attach ="
	echo "  the time its first EXEC line of wbpfb-attach is read (wall). CPU/event: after attach, the"
	echo "  tool's utime+stime (sum of /proc/PID/task/*/schedstat, ns) across $EVENTS execs of"
	echo "  wbpfb-count, divided by the EXEC+EXIT lines it printed meanwhile (all $EVENTS of each of"
	echo "  wbpfb-count are required; other processes' events count too; outputs in $TMP). The"
	echo "  native loader's glibc localtime() stats /etc/localtime once per event (TZ unset); the"
	echo "  guest's WASI libc has no time zone. interp: the tool's process is"
	echo "  wasmbpf-run bootstrap.wasm."
	echo "object check: the time bootstrap's WASMBPF_DEBUG=1 line gives for the check of its BPF object"
	echo "  by the object checker at start-up (docs/abi.md, \"Loading an object\"), $CHECKRUNS runs each:"
	echo "  how long the load waited for it; the kernel's BTF, mapped meanwhile, is left out."
	echo "map lookups: one program, bench/maps/maps.c, with libbpf natively and the SDK in the guest"
	echo "  (each lookup is one wasm_bpf_map_operate import call; aot and interp run the same"
	echo "  maps.wasm); checksums of the values agree. Each round is timed inside the program by"
	echo "  the process's CPU clock (CLOCK_PROCESS_CPUTIME_ID; wall time in the notes). Ratios:"
	echo "  median [quartiles] of the runs' ratios, \"≈\" when the quartiles hold 1.0:"
	[ ${#map_notes[@]} -eq 0 ] || printf "  %s\n" "${map_notes[@]}"
	echo "build time, wall (median): the driver compiles the parts of the generated C (one by"
	echo "  default; --num-outputs) and the glue at once, as many as there are CPUs:"
	printf '  %s\n' "${build_notes[@]}"
	echo "total bench time $(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }') s"
} | tee "$BENCH_OUT/results.txt"

if [ -s "$FAILURES" ]; then
	echo "bench: FAILED: $(wc -l <"$FAILURES") wrong or missing results:" >&2
	sed 's/^/  /' "$FAILURES" >&2
	exit 1
fi
