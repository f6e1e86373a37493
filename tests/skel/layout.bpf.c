// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Types whose wasm32 rendering wasmbpf-skel must get right: padding, BPF
 * pointers, unions, arrays, anonymous members, packed and over-aligned
 * structs, enums. Global variables put them in the BTF and in .rodata,
 * .data and .bss. Built for the skel tests only; never loaded.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct padded {
	char c;
	long long x;
	short s;
	int i;
	char tail;
};

struct with_ptr {
	int a;
	void *p;
	const char *name;
	int b;
	struct padded *next;
};

union num {
	int i;
	long long ll;
	char bytes[12];
};

struct arrays {
	short n;
	int vals[3];
	union num u;
	struct padded p[2];
	unsigned char grid[2][3];
	long counts[4];
};

struct anon {
	int kind;
	union {
		int a;
		long long b;
	};
	struct {
		char x;
		int y;
	} named;
};

struct __attribute__((packed)) packed {
	char c;
	int i;
	long long l;
};

struct holds_packed {
	char c;
	struct packed pk;
	short tail;
};

struct __attribute__((aligned(16))) over_aligned {
	int x;
};

struct holds_aligned {
	char c;
	struct over_aligned a;
};

/* bitfields become the bytes that hold them; the other members keep their names */
struct bits {
	int a : 3;
	int b : 5;
	char c;
	unsigned long long d : 40;
	int e;
};

typedef enum { KIND_A = 1, KIND_B = 5, KIND_MAX = 0x7fffffff } kind_t;

typedef struct {
	kind_t kind;
	unsigned long flags;
	_Bool on;
} config_t;

const volatile int ro_int = 7;
const volatile struct padded ro_padded = { .c = 1 };
const volatile char ro_name[5] = "abc";
const volatile struct with_ptr ro_ptr;
const volatile config_t ro_config;

int data_counter = 42;
struct arrays data_arrays = { .n = 3 };
char data_tag = 'x';

struct anon bss_anon;
struct holds_packed bss_pk;
struct holds_aligned bss_al;
union num bss_num;
long long bss_total;
struct bits bss_bits;

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct arrays);
} arr_map SEC(".maps");

SEC("tp/syscalls/sys_enter_getpid")
int count_getpid(void *ctx)
{
	__u32 k = 0;
	struct arrays *a = bpf_map_lookup_elem(&arr_map, &k);

	data_counter += ro_int + ro_padded.c + ro_name[0] + (int)ro_ptr.a + ro_config.on;
	bss_total += bss_anon.kind + bss_pk.pk.i + bss_al.a.x + bss_num.i + data_tag + bss_bits.e;
	if (a)
		a->n++;
	return 0;
}
