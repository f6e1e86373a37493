# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Part of the driver tier (tests/driver/run.sh sources it, in order): the
# memory-base pass over the generated C (w2c-driver/membase.c, docs/abi.md
# "Generated code") on a real module, for the wasm2c this build uses: the
# guest's functions read the memory's base into a local, take their loads and
# stores from it, and read it again after every call that may grow memory (all
# but the calls of the guest libc's routines the driver wrapped, by their exact
# names); the program gives the right answer.

cat >"$D/src/membase.c" <<'EOF2'
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint32_t table[4096];

/* a call that grows memory by a page, out of line; natively a static page */
__attribute__((noinline)) static volatile uint32_t *grow(void)
{
#ifdef __wasm__
	uint32_t page = (uint32_t)__builtin_wasm_memory_grow(0, 1);

	if (page == UINT32_MAX)
		exit(2);
	return (volatile uint32_t *)(uintptr_t)(page * 65536u);
#else
	static uint32_t page[16384];

	return page;
#endif
}

__attribute__((noinline)) static uint32_t twice(uint32_t x)
{
	return 2 * x;
}

static uint32_t (*volatile through_table)(uint32_t) = twice;

/* loads and stores around a guest call, call_indirect and memory.grow */
__attribute__((noinline)) static uint32_t kernel(uint32_t n)
{
	uint32_t sum = 0, i;
	volatile uint32_t *fresh;

	for (i = 0; i < 4096; i++)
		table[i] = i * 2654435761u;
	for (i = 0; i < n; i++)
		sum += table[(sum ^ i) & 4095] + twice(i);
	sum += through_table(sum);
	fresh = grow();
	fresh[16383] = sum;
	return fresh[16383] + table[n & 4095];
}

int main(int argc, char **argv)
{
	printf("%u\n", kernel(argc > 1 ? (uint32_t)atoi(argv[1]) : 1000));
	return 0;
}
EOF2
if ! guest_cc "$D/src/membase.c" "$D/src/membase.wasm" 2>"$D/stderr"; then
	fail membase-guest-build "clang --target=wasm32-wasi failed: $(head -1 "$D/stderr")"
elif build_ok membase-build -v --keep-c "$D/out/c" "$D/src/membase.wasm" -o "$D/out/membase"; then
	pass membase-build
	n=$(sed -n 's/^wasmbpf-aot: guest.c: memory base kept in a local in \([0-9]*\) of [0-9]* functions .*/\1/p' \
		"$D/stderr")
	# the same sum natively: the kernel is plain C
	${CC:-cc} -O2 -std=gnu11 -w -o "$D/out/membase-native" "$D/src/membase.c" 2>"$D/stderr" ||
		fail membase-native "cc failed: $(head -1 "$D/stderr")"
	want=$("$D/out/membase-native" 5000)
	got=$("$D/out/membase" 5000)
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		pass membase-runs
	else
		fail membase-runs "printed '$got', natively '$want'"
	fi
	# the kernel's definition is followed by the base's
	if grep -A1 -E '^(static )?u32 w2c_(guest_)?kernel\(' "$D/out/c/guest.c" |
		grep -qE '^  u8\* wbpf_mb = instance->w2c_memory(\.|->)data;$'; then
		pass membase-kernel-has-base
	else
		fail membase-kernel-has-base "w2c_kernel does not start by reading the base"
	fi
	# in every function with the base: no access left on the instance's memory
	# but on a line that calls out, and every call out is followed by a reload,
	# but a call of a libc routine's wrapper (NAME, whose original is NAME_wasm),
	# which is not; that original calls nothing and grows nothing (what makes
	# its wrapper pure for the pass)
	verdict=$(awk '
		FNR == NR {
			if (match($0, /^static u32 w2c_[A-Za-z0-9_]*_wasm\(.*\) \{$/)) {
				inorig = 1
				pure[substr($0, 12, index($0, "_wasm(") - 12)] = 1
			} else if (inorig && /^}$/) {
				inorig = 0
			} else if (inorig && ($0 ~ /w2c_[A-Za-z0-9_]*\(instance/ ||
				   $0 ~ /\(\*/ || $0 ~ /CALL_INDIRECT\(/ || $0 ~ /grow_memory/)) {
				print "a libc routine calls out: " $0; bad = 1; exit
			}
			next
		}
		/^[a-zA-Z_].*\* instance.*\) \{$/ { infn = 1; based = 0; next }
		infn && /^}$/ { infn = 0; next }
		infn && /^  u8\* wbpf_mb = / { based = 1; funcs++; next }
		!infn || !based { next }
		{
			call = $0 ~ /w2c_[A-Za-z0-9_]*\(instance/ || $0 ~ /\(\*Z_/ ||
				$0 ~ /CALL_INDIRECT\(/ || $0 ~ /wasm_rt_grow_memory\(/
			if (match($0, /w2c_[A-Za-z0-9_]*\(instance/) &&
			    substr($0, RSTART, RLENGTH - 9) in pure) {
				rest = substr($0, RSTART + RLENGTH)
				if ($0 ~ /wbpf_mb = / || rest ~ /\(instance/ || rest ~ /\(\*/) {
					print "a reload or another call with: " $0; bad = 1; exit
				}
				purecalls++
				call = 0
			}
			if (call) {
				calls++
				if ($0 !~ /; wbpf_mb = instance->[A-Za-z0-9_]*(\.|->)data;$/) {
					print "no reload after: " $0; bad = 1; exit
				}
				if ($0 ~ /wasm_rt_grow_memory\(/) grows++
			} else if ($0 ~ /[^_a-z](i32|i64|f32|f64)_(load|store)[0-9a-z_]*\(&?instance/) {
				print "access on the instance: " $0; bad = 1; exit
			} else if ($0 ~ /wbpf_mb_(i32|i64|f32|f64)_(load|store)[0-9a-z_]*\(wbpf_mb, /) {
				accesses++
			}
		}
		END {
			for (p in pure)
				npure++
			if (!bad)
				printf "ok %d %d %d %d %d %d\n", funcs, calls, grows, accesses, npure,
					purecalls
		}
	' "$D/out/c/guest.c" "$D/out/c/guest.c")
	read -r ok funcs calls grows accesses npure purecalls <<<"$verdict"
	# (a function with memory.grow in it may be left as it is: wabt 1.0.33 and
	# later follow the grow with preprocessor lines, a shape the pass leaves alone)
	if [ "$ok" = ok ] && [ "$funcs" = "$n" ] && [ "$funcs" -gt 0 ] && [ "$calls" -gt 0 ] &&
		[ "$accesses" -gt 0 ] && { [ "$npure" = 0 ] || [ "$purecalls" -gt 0 ]; }; then
		pass membase-reloads
	else
		fail membase-reloads "$verdict (driver said ${n:-nothing} functions)"
	fi
fi
