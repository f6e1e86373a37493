/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Private state of the wasm_bpf imports (runtime/bpf). Not installed.
 *
 * g->bpf holds every object the guest loaded, indexed by handle - 1 (handles
 * are 1..N and never reused, so a stale handle stays invalid after close),
 * and a table indexed by file descriptor (map.c) that maps each of those
 * objects' map fds to the map's type and sizes. map_operate and buffer_poll
 * find a map with one array index instead of a bpf() call.
 */
#ifndef WBPF_BPF_PRIV_H
#define WBPF_BPF_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/bpf.h>

#include <wbpf/bpf.h>
#include <wbpf/guest.h>

#include "wbpf-handlers.h"

struct bpf_object;
struct bpf_link;
struct ring_buffer;
struct perf_buffer;
struct wbpf_obj;

/* One perf sample held back because the guest stopped the poll that read it. */
struct wbpf_pending {
	struct wbpf_pending *next;
	uint32_t size;
	uint8_t data[];
};

/* The parameters of the poll in progress; valid only during a poll. */
struct wbpf_poll_call {
	struct wbpf_guest *g;
	bool go;	    /* TinyGo: call the export "go-callback" */
	uint32_t sample_fn; /* table index (not used when go) */
	uint32_t ctx;
	uint32_t data;
	uint32_t max_size;
	int stop;      /* first negative result of the guest or of the call */
	int delivered; /* samples handed to the guest in this poll */
};

/* A map of a loaded object (its sizes are in its struct wbpf_map_fd). */
struct wbpf_map {
	struct wbpf_obj *obj;
	int fd;
	uint32_t type;
	/* poll buffer, created on the first poll of this map */
	struct ring_buffer *rb;
	struct perf_buffer *pb;
	struct wbpf_pending *pending, **pending_tail;
	struct wbpf_poll_call *call;
	/* perf buffer losses (see docs/abi.md, section "Lost events") */
	int *cpus;	     /* cpus[i]: the CPU of the perf buffer's ring i */
	uint64_t *lost_read; /* lost_read[i]: ring i's lost count, as last read */
	size_t cpus_cnt;
	bool lost_counted; /* the rings count their losses (PERF_FORMAT_LOST) */
	uint64_t lost_next_ns; /* CLOCK_MONOTONIC_COARSE: no read of the counts before */
};

/* One entry of the fd table: what the kernel told of the map at load time. */
struct wbpf_map_fd {
	struct wbpf_map *map; /* NULL: not a map fd of the guest's live objects */
	uint32_t type;
	uint32_t key_size;
	uint32_t value_size; /* bytes the kernel copies: per-CPU maps count every CPU */
};

struct wbpf_obj {
	struct wbpf_bpf *b;
	uint64_t handle;
	struct bpf_object *obj;
	void *elf; /* the host copy of the guest's ELF bytes, kept for the object's life */
	struct bpf_link **links;
	size_t links_cnt, links_cap;
	/* socket filters' links: AF_PACKET sockets the programs are attached to */
	int *socks;
	size_t socks_cnt, socks_cap;
	struct wbpf_map *maps;
	size_t maps_cnt;
};

struct wbpf_bpf {
	struct wbpf_obj **objs; /* objs[handle - 1], NULL once closed */
	size_t objs_cnt;
	struct wbpf_map_fd *map_fds; /* map_fds[fd], map_fds_cnt entries */
	size_t map_fds_cnt;
	/* the object whose map a poll is reading: its callbacks may not close it,
	 * and no callback may start another poll */
	struct wbpf_obj *polling;
	const char *prog;   /* the program's name, for messages */
	uint64_t perf_lost; /* perf buffer samples lost, every map, reported at exit */
	int load_errno;	    /* why the last load failed (positive errno), 0 if it did not */
	/* the custom BTF of CO-RE relocations, or NULL for the kernel's, and where
	 * it was set, for messages: "WASMBPF_BTF=" or "wasmbpf-aot --btf "
	 * (docs/abi.md, "BTF") */
	const char *btf;
	const char *btf_setting;
};

/* wasm_bpf_map_fd_by_name(0, NULL) answers -(WBPF_LOAD_ERRNO_BASE + load_errno):
 * see docs/abi.md, section "Loading an object" */
#define WBPF_LOAD_ERRNO_BASE 0x10000

/* object.c */
struct wbpf_bpf *wbpf_bpf__get(struct wbpf_guest *g);
struct wbpf_obj *wbpf_bpf__obj(struct wbpf_guest *g, uint64_t handle);
void wbpf_map__free_poll(struct wbpf_map *m);
/* Whether programs of type t attach to a cgroup (their target is a cgroup
 * directory: see the table at the top of object.c). */
bool wbpf_bpf_is_cgroup_prog(enum bpf_prog_type t);
/* The program's name in messages, whether WASMBPF_DEBUG is set, and the
 * monotonic clock in microseconds for its timings (set by wbpf_bpf__get()). */
const char *wbpf_bpf__prog_name(void);
bool wbpf_bpf__debug(void);
long long wbpf_bpf__now_us(void);

/* kernel-btf.c */
/* Whether the object's bytes show CO-RE relocations, or programs or externs
 * that need the kernel's BTF (a search, not a parse: a hint). */
bool wbpf_bpf__wants_kernel_btf(const void *elf, size_t size);
/* Map the kernel's BTF now, for libbpf's next request. */
void wbpf_bpf__kernel_btf_ahead(void);
/* Free what wbpf_bpf__kernel_btf_ahead() made, if libbpf did not take it. */
void wbpf_bpf__kernel_btf_drop(void);

/* map.c */
/* Enter m (m->fd, m->type) in the fd table with its sizes: 0 or -ENOMEM. */
int wbpf_bpf__add_map_fd(struct wbpf_bpf *b, struct wbpf_map *m, uint32_t key_size,
			 uint32_t value_size);
/* Take m out of the fd table (when it is there). */
void wbpf_bpf__del_map_fd(struct wbpf_bpf *b, struct wbpf_map *m);
/* The map of fd in the table, or NULL. */
struct wbpf_map *wbpf_bpf__map(struct wbpf_guest *g, uint32_t fd);

/* poll.c */
/* Report the perf buffer samples m's rings lost since the last report. */
/* Read and report the rings' lost counts: always when final, else at most
 * once a second (a read() per CPU is not for every poll). */
void wbpf_map__report_lost(struct wbpf_map *m, bool final);

/* check.c */
/*
 * Open [elf, elf + size) with libbpf in a disposable child process, never in
 * this one (see docs/abi.md, section "Loading an object"): the checker's
 * (wbpf_bpf_checker_start()) when it runs, else one forked here. Returns 0 if
 * libbpf opened it there; -EINVAL if libbpf refused it, crashed or ran over
 * its time, with reason (one line, no newline) saying which; another -errno
 * if the check could not run (fork failed), with reason saying so. Nothing
 * in this process is changed but a checker found gone is reaped; debug
 * passes libbpf's log of a child forked here to stderr (the checker's child
 * does so when WASMBPF_DEBUG was set at its start). meanwhile, unless NULL,
 * runs once the object is on its way to the child, before its answer is
 * read: host work that needs nothing of the object.
 */
int wbpf_bpf_check_object(const void *elf, size_t size, const char *obj_name, bool debug,
			  void (*meanwhile)(void), char *reason, size_t reason_sz);
/* Whether the last check ran in the checker's child (else in one forked here). */
bool wbpf_bpf_check_by_checker(void);
/* The checker's pid, or -1 when there is none. */
pid_t wbpf_bpf_checker_pid(void);

/* gen/check-warm.c, from check-warm.bpf.c: what a spare opens while it waits */
extern const unsigned char wbpf_check_warm_obj[];
extern const size_t wbpf_check_warm_obj_size;

#endif /* WBPF_BPF_PRIV_H */
