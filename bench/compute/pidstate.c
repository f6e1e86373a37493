// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * pidstate [N]: per-process state, as a tracing tool's user space keeps it.
 * N synthetic events (exec, exit, context switch, read, write) for up to
 * 32k pids update a struct per pid in an open-addressing table keyed by pid
 * (linear probing, deletion by backward shift): exec fills in comm and parent,
 * every event looks its pid up or adds it, exit folds the pid's totals into
 * the checksum and removes it. The checksum also walks what is left.
 */
#include "bench.h"

#define TABLE_BITS 16
#define TABLE_SIZE (1u << TABLE_BITS)
#define MAX_PID 32768

struct task {
	uint32_t pid; /* 0: empty slot */
	uint32_t ppid;
	char comm[16];
	uint64_t start_ns;
	uint64_t last_ns;
	uint64_t run_ns;
	uint64_t switches;
	uint64_t read_bytes;
	uint64_t write_bytes;
	uint32_t reads;
	uint32_t writes;
};

static struct task table[TABLE_SIZE];
static uint32_t live;

static const char *const comms[] = {
	"bash", "sshd", "systemd", "kworker/0:1", "python3", "node", "cc1", "make",
	"git", "postgres", "nginx", "containerd", "cron", "journald", "ld", "as",
};

static uint32_t slot_of(uint32_t pid)
{
	return (pid * 2654435761u) >> (32 - TABLE_BITS);
}

static struct task *lookup_or_init(uint32_t pid, uint64_t now)
{
	uint32_t i = slot_of(pid);

	for (;; i = (i + 1) & (TABLE_SIZE - 1)) {
		struct task *t = &table[i];

		if (t->pid == pid)
			return t;
		if (!t->pid) {
			memset(t, 0, sizeof(*t));
			t->pid = pid;
			t->start_ns = now;
			t->last_ns = now;
			memcpy(t->comm, "<unknown>", 10);
			live++;
			return t;
		}
	}
}

/* remove the entry at slot i, shifting back the ones probed past it */
static void remove_at(uint32_t i)
{
	uint32_t j = i;

	for (;;) {
		uint32_t home;

		j = (j + 1) & (TABLE_SIZE - 1);
		if (!table[j].pid)
			break;
		home = slot_of(table[j].pid);
		/* table[j] may move to i if i lies cyclically in [home, j) */
		if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
			table[i] = table[j];
			i = j;
		}
	}
	table[i].pid = 0;
	live--;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	return (h ^ v) * 0x100000001b3ull;
}

static uint64_t fold(uint64_t h, const struct task *t, uint64_t now)
{
	h = mix(h, t->pid);
	h = mix(h, t->ppid);
	h = mix(h, now - t->start_ns);
	h = mix(h, t->run_ns);
	h = mix(h, t->switches);
	h = mix(h, t->read_bytes + 3 * t->write_bytes);
	h = mix(h, (uint64_t)t->reads << 32 | t->writes);
	for (int k = 0; k < 16 && t->comm[k]; k++)
		h = mix(h, (uint8_t)t->comm[k]);
	return h;
}

static uint64_t run(long n)
{
	uint64_t x = 0x2545f4914f6cdd1dull, h = 1469598103934665603ull, now = 1000000;

	memset(table, 0, sizeof(table));
	live = 0;
	for (long e = 0; e < n; e++) {
		uint32_t pid, kind;
		struct task *t;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		/* busy pids are the low ones: the minimum of two draws */
		pid = (uint32_t)(x >> 48) % MAX_PID;
		if ((uint32_t)(x >> 32) % MAX_PID < pid)
			pid = (uint32_t)(x >> 32) % MAX_PID;
		pid++;
		kind = x & 31;
		now += 1 + (x >> 20 & 1023);
		if (kind == 0) {
			/* exec */
			const char *c = comms[x >> 8 & 15];

			t = lookup_or_init(pid, now);
			t->ppid = 1 + (uint32_t)(x >> 24) % pid;
			t->start_ns = now;
			memset(t->comm, 0, sizeof(t->comm));
			memcpy(t->comm, c, strlen(c));
		} else if (kind == 1) {
			/* exit */
			uint32_t i = slot_of(pid);

			for (;; i = (i + 1) & (TABLE_SIZE - 1)) {
				if (!table[i].pid)
					break;
				if (table[i].pid == pid) {
					h = fold(h, &table[i], now);
					remove_at(i);
					break;
				}
			}
		} else if (kind < 20) {
			/* switch: the time since its last event was spent on the CPU */
			t = lookup_or_init(pid, now);
			t->run_ns += now - t->last_ns;
			t->last_ns = now;
			t->switches++;
		} else if (kind < 26) {
			t = lookup_or_init(pid, now);
			t->reads++;
			t->read_bytes += x >> 52;
		} else {
			t = lookup_or_init(pid, now);
			t->writes++;
			t->write_bytes += x >> 54;
		}
	}
	for (uint32_t i = 0; i < TABLE_SIZE; i++)
		if (table[i].pid)
			h = fold(h, &table[i], now);
	return mix(h, live);
}

BENCH_MAIN(14000000)
