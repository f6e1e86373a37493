/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libbpf-wasm.h: the guest side of the Wasm-eBPF host ABI (docs/abi.md in the source tree).
 *
 * A header-only library for C guests built with `clang --target=wasm32-wasi`.
 * Every function is `static inline`, so including it in several files costs
 * nothing and unused parts vanish; there is nothing to link.
 *
 * It offers the libbpf names that Wasm-eBPF programs use (source-compatible
 * with the libbpf-wasm.h of the wasm-bpf project, so programs written for it
 * compile unchanged), backed by the six imports of module "wasm_bpf":
 *
 *   skeleton     bpf_object__{open,load,attach,detach,destroy}_skeleton, used
 *                by the NAME_bpf__*() functions of a header made by wasmbpf-skel
 *   maps         bpf_map__fd, bpf_map_{lookup,update,delete}_elem[_flags],
 *                bpf_map_get_next_key, and libbpf 1.x's bpf_map__lookup_elem()
 *                family, which checks key and value sizes
 *   globals      skel->rodata patches the object before load; skel->bss and
 *                skel->data are guest-side copies of the .bss/.data maps,
 *                exchanged with wbpf_map__pull()/wbpf_map__push() (or
 *                NAME_bpf__pull_globals()/NAME_bpf__push_globals())
 *   buffers      bpf_buffer__{new,open,poll,free} for ring and perf buffers,
 *                both in the wasm-bpf form (open(map, cb, ctx)) and in the
 *                libbpf-tools form (new(map, heap) + open(buf, cb, lost, ctx))
 *   programs     bpf_program__set_autoload, bpf_set_prog_attach_target
 *   libbpf names ring_buffer__{new,poll,consume,free}, perf_buffer__{new,poll,
 *                consume,free} (on the buffers above), bpf_object__find_map_by_name,
 *                bpf_object__find_program_by_name (skel->obj), libbpf_set_print
 *                (wbpf-print.h), libbpf_get_error, libbpf_strerror
 *
 * Errors: functions returning int return 0 (or a count) on success and a
 * negative errno on failure, as libbpf does; pointer-returning ones return
 * NULL and set errno. The errno values are the guest's (wasi-libc's), so
 * `err == -ENOENT` and strerror(-err) mean what they say: hosts return Linux
 * errno values, which this library translates (wbpf_host_errno()). The raw
 * wasm_* imports below return the host's values untranslated.
 *
 * Stopping: WASI has no signals. After SIGINT/SIGTERM the host makes the
 * pending or next bpf_buffer__poll() return -EINTR, so a poll loop must end
 * on it:
 *
 *	while (!exiting) {
 *		err = bpf_buffer__poll(rb, 100);
 *		if (err == -EINTR) {
 *			err = 0;
 *			break;
 *		}
 *		if (err < 0)
 *			break;
 *	}
 *
 * Limits of the ABI (not of this library): the host opens and loads an
 * object in one step, so bpf_program__set_autoload(prog, false) can only keep
 * the program from being attached, not from being loaded; links live until
 * the object is closed, so bpf_object__detach_skeleton() detaches nothing and
 * NAME_bpf__destroy() is what detaches.
 */
#ifndef __LIBBPF_WASM_H
#define __LIBBPF_WASM_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wbpf-print.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ imports */

#define __WBPF_IMPORT(name) __attribute__((import_module("wasm_bpf"), import_name(name)))

/* A host handle of a loaded object: 0 means failure. */
typedef uint64_t bpf_object_skel;

/* (i32 buf, i32 size) -> i64: open and load the ELF object in [buf, buf+size). */
__WBPF_IMPORT("wasm_load_bpf_object")
bpf_object_skel wasm_load_bpf_object(const void *obj_buf, int obj_buf_sz);

/* (i64 obj, i32 prog_name, i32 target) -> i32: attach a program; target may be NULL. */
__WBPF_IMPORT("wasm_attach_bpf_program")
int wasm_attach_bpf_program(bpf_object_skel obj, const char *name, const char *attach_target);

/*
 * (i64 obj, i32 map_fd, i32 sample_fn, i32 ctx, i32 data, i32 max_size,
 *  i32 timeout_ms) -> i32: poll a ring/perf buffer map; for each sample the
 * host copies up to max_size bytes to data and calls the table entry
 * sample_fn, of type (i32 ctx, i32 data, i32 size) -> i32.
 */
__WBPF_IMPORT("wasm_bpf_buffer_poll")
int wasm_bpf_buffer_poll(bpf_object_skel obj, int fd, int32_t sample_func, uint32_t ctx, char *data,
			 int max_size, int timeout_ms);

/* (i64 obj, i32 map_name) -> i32: the fd of a map of obj, or a negative errno. */
__WBPF_IMPORT("wasm_bpf_map_fd_by_name")
int wasm_bpf_map_fd_by_name(bpf_object_skel obj, const char *name);

/* (i32 fd, i32 cmd, i32 key, i32 value, i32 next_key, i64 flags) -> i32. */
__WBPF_IMPORT("wasm_bpf_map_operate")
int wasm_bpf_map_operate(int fd, int cmd, void *key, void *value, void *next_key, uint64_t flags);

/* (i64 obj) -> i32: detach every link of obj, free its poll buffer, close it. */
__WBPF_IMPORT("wasm_close_bpf_object")
int wasm_close_bpf_object(bpf_object_skel obj);

#undef __WBPF_IMPORT

/* ------------------------------------------------------------- constants */

#ifndef POLL_TIMEOUT_MS
#define POLL_TIMEOUT_MS 100
#endif

/* Largest sample bpf_buffer__poll() delivers whole; longer ones are cut. */
#ifndef WBPF_BUFFER_SAMPLE_MAX
#define WBPF_BUFFER_SAMPLE_MAX 65536
#endif

/* flags for BPF_MAP_UPDATE_ELEM command */
enum {
	BPF_ANY = 0,	 /* create new element or update existing */
	BPF_NOEXIST = 1, /* create new element if it didn't exist */
	BPF_EXIST = 2,	 /* update existing element */
	BPF_F_LOCK = 4,	 /* spin_lock-ed map_lookup/map_update */
};

/* The map commands wasm_bpf_map_operate() accepts (values as in linux/bpf.h). */
enum bpf_cmd {
	BPF_MAP_LOOKUP_ELEM = 1,
	BPF_MAP_UPDATE_ELEM = 2,
	BPF_MAP_DELETE_ELEM = 3,
	BPF_MAP_GET_NEXT_KEY = 4,
};

enum bpf_map_type {
	BPF_MAP_TYPE_UNSPEC,
	BPF_MAP_TYPE_HASH,
	BPF_MAP_TYPE_ARRAY,
	BPF_MAP_TYPE_PROG_ARRAY,
	BPF_MAP_TYPE_PERF_EVENT_ARRAY,
	BPF_MAP_TYPE_PERCPU_HASH,
	BPF_MAP_TYPE_PERCPU_ARRAY,
	BPF_MAP_TYPE_STACK_TRACE,
	BPF_MAP_TYPE_CGROUP_ARRAY,
	BPF_MAP_TYPE_LRU_HASH,
	BPF_MAP_TYPE_LRU_PERCPU_HASH,
	BPF_MAP_TYPE_LPM_TRIE,
	BPF_MAP_TYPE_ARRAY_OF_MAPS,
	BPF_MAP_TYPE_HASH_OF_MAPS,
	BPF_MAP_TYPE_DEVMAP,
	BPF_MAP_TYPE_SOCKMAP,
	BPF_MAP_TYPE_CPUMAP,
	BPF_MAP_TYPE_XSKMAP,
	BPF_MAP_TYPE_SOCKHASH,
	BPF_MAP_TYPE_CGROUP_STORAGE_DEPRECATED,
	BPF_MAP_TYPE_CGROUP_STORAGE = BPF_MAP_TYPE_CGROUP_STORAGE_DEPRECATED,
	BPF_MAP_TYPE_REUSEPORT_SOCKARRAY,
	BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE,
	BPF_MAP_TYPE_QUEUE,
	BPF_MAP_TYPE_STACK,
	BPF_MAP_TYPE_SK_STORAGE,
	BPF_MAP_TYPE_DEVMAP_HASH,
	BPF_MAP_TYPE_STRUCT_OPS,
	BPF_MAP_TYPE_RINGBUF,
	BPF_MAP_TYPE_INODE_STORAGE,
	BPF_MAP_TYPE_TASK_STORAGE,
	BPF_MAP_TYPE_BLOOM_FILTER,
	BPF_MAP_TYPE_USER_RINGBUF,
	BPF_MAP_TYPE_CGRP_STORAGE,
};

/* ------------------------------------------------------------- objects */

/*
 * A map of a skeleton. fd is known once the object is loaded. mmaped is the
 * guest-side copy of a global-data map (.rodata, .data, .bss), or NULL.
 * key_sz/value_sz/type come from the skeleton generator (0: unknown).
 */
struct bpf_map {
	bpf_object_skel obj_ptr;
	char name[64];
	int fd;
	enum bpf_map_type type;
	uint32_t key_sz;
	uint32_t value_sz;
	void *mmaped;
	size_t mmaped_sz;
	struct bpf_map *__next; /* every loaded map of this file: ring_buffer__new(fd) */
};

struct bpf_program {
	bpf_object_skel obj_ptr;
	char name[64];
	char attach_target[128];
	/* false: bpf_object__attach_skeleton() leaves the program alone */
	bool autoattach;
	bool autoattach_set;
};

/* Filled by the generated NAME_bpf__create_skeleton(). */
struct bpf_map_skeleton {
	const char *name; /* the name libbpf finds the map by: "rb", ".rodata" */
	struct bpf_map **map;
	void **mmaped;
	/* below: filled by wasmbpf-skel; 0 when made by another generator */
	uint32_t type;
	uint32_t key_sz;
	uint32_t value_sz;
};

struct bpf_prog_skeleton {
	const char *name;
	struct bpf_program **prog;
};

struct bpf_object_skeleton {
	size_t sz; /* size of this struct, for forward/backward compatibility */
	const char *name;
	void *data; /* the embedded ELF object */
	size_t data_sz;
	size_t rodata_offset; /* file offset of .rodata inside data */
	size_t bss_offset;    /* unused: .bss has no file bytes */

	bpf_object_skel obj;

	int map_cnt;
	int map_skel_sz; /* sizeof(struct bpf_map_skeleton) */
	struct bpf_map_skeleton *maps;

	int prog_cnt;
	int prog_skel_sz; /* sizeof(struct bpf_prog_skeleton) */
	struct bpf_prog_skeleton *progs;

	/* below: filled by wasmbpf-skel; 0 when made by another generator */
	size_t rodata_sz;
	size_t data_sec_offset; /* file offset of .data inside data */
	size_t data_sec_sz;
	size_t bss_sz;

	/* private: this instance's copy of data, the bytes that get loaded */
	void *obj_buf;
};

/* Options of NAME_bpf__open_opts(); accepted for source compatibility, ignored. */
struct bpf_object_open_opts {
	size_t sz;
	const char *object_name;
	bool relaxed_maps;
	const char *pin_root_path;
	const char *kconfig;
	const char *btf_custom_path;
};

#ifndef LIBBPF_OPTS
#define LIBBPF_OPTS(TYPE, NAME, ...)                                                               \
	struct TYPE NAME = ({                                                                      \
		memset(&NAME, 0, sizeof(struct TYPE));                                             \
		(struct TYPE){.sz = sizeof(struct TYPE), __VA_ARGS__};                             \
	})
#define DECLARE_LIBBPF_OPTS LIBBPF_OPTS
#endif

/* errno-style result to libbpf style: -errno on failure */
static inline int libbpf_err_errno(int ret)
{
	return ret < 0 ? -errno : ret;
}

static inline int __wbpf_err(int err)
{
	if (err < 0)
		errno = -err;
	return err;
}

/*
 * A host result to the guest's numbering: >= 0 unchanged; a negative Linux
 * errno to the negative wasi-libc errno of the same name (-EIO otherwise).
 */
static inline int wbpf_host_errno(int ret)
{
	static const struct {
		short linux_errno;
		short guest_errno;
	} map[] = {
		{1, EPERM},	   {2, ENOENT},	    {3, ESRCH},		{4, EINTR},
		{5, EIO},	   {6, ENXIO},	    {7, E2BIG},		{8, ENOEXEC},
		{9, EBADF},	   {10, ECHILD},    {11, EAGAIN},	{12, ENOMEM},
		{13, EACCES},	   {14, EFAULT},    {16, EBUSY},	{17, EEXIST},
		{18, EXDEV},	   {19, ENODEV},    {20, ENOTDIR},	{21, EISDIR},
		{22, EINVAL},	   {23, ENFILE},    {24, EMFILE},	{25, ENOTTY},
		{26, ETXTBSY},	   {27, EFBIG},	    {28, ENOSPC},	{29, ESPIPE},
		{30, EROFS},	   {31, EMLINK},    {32, EPIPE},	{33, EDOM},
		{34, ERANGE},	   {35, EDEADLK},   {36, ENAMETOOLONG}, {38, ENOSYS},
		{39, ENOTEMPTY},   {40, ELOOP},	    {62, ETIMEDOUT},	{71, EPROTO},
		{74, EBADMSG},	   {75, EOVERFLOW}, {84, EILSEQ},	{95, EOPNOTSUPP},
		{110, ETIMEDOUT},  {114, EALREADY}, {115, EINPROGRESS}, {125, ECANCELED},
		{524, EOPNOTSUPP}, /* the kernel's ENOTSUPP */
	};
	size_t i;

	if (ret >= 0)
		return ret;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].linux_errno == -ret)
			return -map[i].guest_errno;
	return -EIO;
}

/* wbpf_host_errno(), and errno set on failure */
static inline int __wbpf_host_err(int ret)
{
	return __wbpf_err(wbpf_host_errno(ret));
}

static inline bool __wbpf_has_suffix(const char *str, const char *sfx)
{
	size_t n = strlen(str), m = strlen(sfx);

	return n >= m && strcmp(str + n - m, sfx) == 0;
}

#define __WBPF_MAP_SKEL(s, i)                                                                      \
	((struct bpf_map_skeleton *)((char *)(s)->maps + (i) * (s)->map_skel_sz))
#define __WBPF_PROG_SKEL(s, i)                                                                     \
	((struct bpf_prog_skeleton *)((char *)(s)->progs + (i) * (s)->prog_skel_sz))

/*
 * Set the attach target of a program: a cgroup path for cgroup programs
 * (sockops, ...), an interface name for xdp. Others ignore it.
 */
static inline void bpf_set_prog_attach_target(struct bpf_program *prog, const char *attach_target)
{
	if (!prog)
		return;
	strncpy(prog->attach_target, attach_target ? attach_target : "",
		sizeof(prog->attach_target) - 1);
	prog->attach_target[sizeof(prog->attach_target) - 1] = '\0';
}

/*
 * Choose whether bpf_object__attach_skeleton() attaches prog. The host loads
 * every program of an object (one-step load), so this cannot skip loading.
 */
static inline int bpf_program__set_autoload(struct bpf_program *prog, bool autoload)
{
	if (!prog)
		return __wbpf_err(-EINVAL);
	prog->autoattach = autoload;
	prog->autoattach_set = true;
	return 0;
}

static inline int bpf_program__set_autoattach(struct bpf_program *prog, bool autoattach)
{
	return bpf_program__set_autoload(prog, autoattach);
}

static inline const char *bpf_program__name(const struct bpf_program *prog)
{
	return prog->name;
}

static inline const char *bpf_map__name(const struct bpf_map *map)
{
	return map->name;
}

static inline enum bpf_map_type bpf_map__type(const struct bpf_map *map)
{
	return map->type;
}

static inline uint32_t bpf_map__key_size(const struct bpf_map *map)
{
	return map->key_sz;
}

static inline uint32_t bpf_map__value_size(const struct bpf_map *map)
{
	return map->value_sz;
}

/* The map's fd (valid after load), or a negative errno. */
static inline int bpf_map__fd(const struct bpf_map *map)
{
	if (!map)
		return __wbpf_err(-EINVAL);
	if (map->fd >= 0)
		return map->fd;
	if (!map->obj_ptr)
		return __wbpf_err(-EINVAL);
	return __wbpf_host_err(wasm_bpf_map_fd_by_name(map->obj_ptr, map->name));
}

/* The loaded maps of this file's skeletons, newest first (for ring_buffer__new(fd)). */
static inline struct bpf_map **__wbpf_maps(void)
{
	static struct bpf_map *head;

	return &head;
}

static inline struct bpf_map *__wbpf_map_by_fd(int fd)
{
	struct bpf_map *m;

	for (m = *__wbpf_maps(); m; m = m->__next)
		if (m->fd == fd)
			return m;
	return NULL;
}

static inline void __wbpf_map_forget(struct bpf_map *map)
{
	struct bpf_map **p;

	for (p = __wbpf_maps(); *p; p = &(*p)->__next) {
		if (*p == map) {
			*p = map->__next;
			return;
		}
	}
}

/*
 * Why the last wasm_load_bpf_object() of this guest failed, as a negative
 * errno (-EPERM: not privileged, ...). The load import itself can only say 0,
 * so a host that keeps the reason answers wasm_bpf_map_fd_by_name(0, NULL)
 * with -(WBPF_LOAD_ERRNO_BASE + errno), out of the range of any other answer
 * (see docs/abi.md, section "Loading an object"). Any other answer (a host without
 * it returns -1 or -EINVAL for handle 0) gives -EINVAL: the reason is not known.
 */
#define WBPF_LOAD_ERRNO_BASE 0x10000

static inline int wbpf_last_load_error(void)
{
	int ret = wasm_bpf_map_fd_by_name(0, NULL);

	if (ret <= -WBPF_LOAD_ERRNO_BASE && ret > -2 * WBPF_LOAD_ERRNO_BASE)
		return wbpf_host_errno(ret + WBPF_LOAD_ERRNO_BASE);
	return -EINVAL;
}

/*
 * libbpf's struct bpf_object is, in a guest, the skeleton of one BPF object:
 * skel->obj. Only the lookups below take it.
 */
struct bpf_object;

/* The map of that name (its C name, or ".rodata"/".bss"/".data"), or NULL, errno ENOENT. */
static inline struct bpf_map *bpf_object__find_map_by_name(const struct bpf_object *obj,
							     const char *name)
{
	const struct bpf_object_skeleton *s = (const struct bpf_object_skeleton *)obj;
	int i;

	for (i = 0; s && name && i < s->map_cnt; i++) {
		struct bpf_map_skeleton *ms = __WBPF_MAP_SKEL(s, i);
		struct bpf_map *map = ms->map ? *ms->map : NULL;

		if (map && (strcmp(map->name, name) == 0 ||
			    (name[0] == '.' && __wbpf_has_suffix(map->name, name))))
			return map;
	}
	errno = ENOENT;
	return NULL;
}

/* The program of that name (its function name), or NULL, errno ENOENT. */
static inline struct bpf_program *bpf_object__find_program_by_name(const struct bpf_object *obj,
								    const char *name)
{
	const struct bpf_object_skeleton *s = (const struct bpf_object_skeleton *)obj;
	int i;

	for (i = 0; s && name && i < s->prog_cnt; i++) {
		struct bpf_prog_skeleton *ps = __WBPF_PROG_SKEL(s, i);
		struct bpf_program *prog = ps->prog ? *ps->prog : NULL;

		if (prog && strcmp(prog->name, name) == 0)
			return prog;
	}
	errno = ENOENT;
	return NULL;
}

/* libbpf 1.x: -errno if ptr is NULL, else 0. */
static inline long libbpf_get_error(const void *ptr)
{
	return ptr ? 0 : -errno;
}

static inline int libbpf_strerror(int err, char *buf, size_t size)
{
	if (!buf || !size)
		return -EINVAL;
	strncpy(buf, strerror(err < 0 ? -err : err), size - 1);
	buf[size - 1] = '\0';
	return 0;
}

/*
 * Create the maps and programs of the skeleton and give this instance its own
 * copy of the object bytes, so that writes through skel->rodata (and the
 * initial values of skel->data) patch what bpf_object__load_skeleton() loads.
 * skel->bss is a zeroed guest-side buffer, pushed to the map at load.
 */
static inline int bpf_object__open_skeleton(struct bpf_object_skeleton *s,
					    const struct bpf_object_open_opts *opts)
{
	int i;

	(void)opts;
	if (!s || !s->data || !s->data_sz)
		return __wbpf_err(-EINVAL);

	s->obj_buf = malloc(s->data_sz);
	if (!s->obj_buf)
		return __wbpf_err(-ENOMEM);
	memcpy(s->obj_buf, s->data, s->data_sz);

	for (i = 0; i < s->map_cnt; i++) {
		struct bpf_map_skeleton *ms = __WBPF_MAP_SKEL(s, i);
		struct bpf_map *map;

		map = (struct bpf_map *)calloc(1, sizeof(*map));
		if (!map)
			return __wbpf_err(-ENOMEM);
		*ms->map = map;
		strncpy(map->name, ms->name, sizeof(map->name) - 1);
		map->fd = -1;
		if ((size_t)s->map_skel_sz >=
		    offsetof(struct bpf_map_skeleton, value_sz) + sizeof(ms->value_sz)) {
			map->type = (enum bpf_map_type)ms->type;
			map->key_sz = ms->key_sz;
			map->value_sz = ms->value_sz;
		}

		if (__wbpf_has_suffix(ms->name, "rodata") && s->rodata_offset) {
			map->mmaped = (char *)s->obj_buf + s->rodata_offset;
			map->mmaped_sz = s->rodata_sz;
		} else if (__wbpf_has_suffix(ms->name, ".data") && s->data_sec_offset) {
			map->mmaped = (char *)s->obj_buf + s->data_sec_offset;
			map->mmaped_sz = s->data_sec_sz;
		} else if (__wbpf_has_suffix(ms->name, ".bss") && s->bss_sz) {
			map->mmaped = calloc(1, s->bss_sz);
			if (!map->mmaped)
				return __wbpf_err(-ENOMEM);
			map->mmaped_sz = s->bss_sz;
		}
		if (ms->mmaped)
			*ms->mmaped = map->mmaped;
	}

	for (i = 0; i < s->prog_cnt; i++) {
		struct bpf_prog_skeleton *ps = __WBPF_PROG_SKEL(s, i);
		struct bpf_program *prog;

		prog = (struct bpf_program *)calloc(1, sizeof(*prog));
		if (!prog)
			return __wbpf_err(-ENOMEM);
		*ps->prog = prog;
		strncpy(prog->name, ps->name, sizeof(prog->name) - 1);
		prog->autoattach = true;
	}
	return 0;
}

/* Copy a global-data map's kernel value (key 0) into its guest-side copy. */
static inline int wbpf_map__pull(struct bpf_map *map)
{
	uint32_t key = 0;
	int fd;

	if (!map || !map->mmaped)
		return __wbpf_err(-EINVAL);
	fd = bpf_map__fd(map);
	if (fd < 0)
		return fd;
	return __wbpf_host_err(
		wasm_bpf_map_operate(fd, BPF_MAP_LOOKUP_ELEM, &key, map->mmaped, NULL, 0));
}

/* Copy a global-data map's guest-side copy into the kernel map (key 0). */
static inline int wbpf_map__push(struct bpf_map *map)
{
	uint32_t key = 0;
	int fd;

	if (!map || !map->mmaped)
		return __wbpf_err(-EINVAL);
	fd = bpf_map__fd(map);
	if (fd < 0)
		return fd;
	return __wbpf_host_err(
		wasm_bpf_map_operate(fd, BPF_MAP_UPDATE_ELEM, &key, map->mmaped, NULL, BPF_ANY));
}

/* Pull (push) every writable global-data map (.data, .bss) of a skeleton. */
static inline int wbpf_object__sync_globals(struct bpf_object_skeleton *s, bool push)
{
	int i, err;

	for (i = 0; i < s->map_cnt; i++) {
		struct bpf_map *map = *__WBPF_MAP_SKEL(s, i)->map;

		if (!map || !map->mmaped || __wbpf_has_suffix(map->name, "rodata"))
			continue;
		err = push ? wbpf_map__push(map) : wbpf_map__pull(map);
		if (err < 0)
			return err;
	}
	return 0;
}

/*
 * Load the object (the host opens and loads it in one step), look up every
 * map's fd and push the guest's .bss copy, set before load, into its map.
 */
static inline int bpf_object__load_skeleton(struct bpf_object_skeleton *s)
{
	int i, err;

	if (!s || !s->data_sz)
		return __wbpf_err(-EINVAL);
	if (s->obj)
		return __wbpf_err(-EBUSY);
	s->obj = wasm_load_bpf_object(s->obj_buf ? s->obj_buf : s->data, (int)s->data_sz);
	if (!s->obj)
		return __wbpf_err(wbpf_last_load_error()); /* the host printed the reason */

	for (i = 0; i < s->map_cnt; i++) {
		struct bpf_map *map = *__WBPF_MAP_SKEL(s, i)->map;

		if (!map)
			return __wbpf_err(-EINVAL);
		map->obj_ptr = s->obj;
		map->fd = wasm_bpf_map_fd_by_name(s->obj, map->name);
		if (map->fd < 0) {
			err = map->fd;
			map->fd = -1;
			return __wbpf_host_err(err);
		}
		map->__next = *__wbpf_maps();
		*__wbpf_maps() = map;
		if (map->mmaped && __wbpf_has_suffix(map->name, ".bss")) {
			err = wbpf_map__push(map);
			if (err < 0)
				return err;
		}
	}
	for (i = 0; i < s->prog_cnt; i++) {
		struct bpf_program *prog = *__WBPF_PROG_SKEL(s, i)->prog;

		if (!prog)
			return __wbpf_err(-EINVAL);
		prog->obj_ptr = s->obj;
	}
	return 0;
}

/*
 * Attach every program left to autoattach. A program whose section libbpf
 * cannot attach by itself (-EOPNOTSUPP) is skipped, as libbpf's skeleton
 * does; any other error ends the call.
 */
static inline int bpf_object__attach_skeleton(struct bpf_object_skeleton *s)
{
	int i, err;

	if (!s || !s->obj)
		return __wbpf_err(-EINVAL);
	for (i = 0; i < s->prog_cnt; i++) {
		struct bpf_program *prog = *__WBPF_PROG_SKEL(s, i)->prog;

		if (!prog || !prog->autoattach)
			continue;
		err = wbpf_host_errno(wasm_attach_bpf_program(
			s->obj, prog->name, prog->attach_target[0] ? prog->attach_target : NULL));
		if (err == -EOPNOTSUPP)
			continue;
		if (err < 0)
			return __wbpf_err(err);
	}
	return 0;
}

/* Links live until the object is closed: see the top of this file. */
static inline int bpf_object__detach_skeleton(struct bpf_object_skeleton *s)
{
	(void)s;
	return 0;
}

/* Close the object (detaching every link) and free the skeleton. NULL is fine. */
static inline void bpf_object__destroy_skeleton(struct bpf_object_skeleton *s)
{
	int i;

	if (!s)
		return;
	if (s->obj)
		wasm_close_bpf_object(s->obj);
	for (i = 0; s->maps && i < s->map_cnt; i++) {
		struct bpf_map_skeleton *ms = __WBPF_MAP_SKEL(s, i);
		struct bpf_map *map = ms->map ? *ms->map : NULL;

		if (!map)
			continue;
		__wbpf_map_forget(map);
		if (map->mmaped && __wbpf_has_suffix(map->name, ".bss"))
			free(map->mmaped);
		if (ms->mmaped)
			*ms->mmaped = NULL;
		free(map);
		*ms->map = NULL;
	}
	for (i = 0; s->progs && i < s->prog_cnt; i++) {
		struct bpf_prog_skeleton *ps = __WBPF_PROG_SKEL(s, i);

		if (ps->prog) {
			free(*ps->prog);
			*ps->prog = NULL;
		}
	}
	free(s->obj_buf);
	free(s->maps);
	free(s->progs);
	free(s);
}

/* ------------------------------------------------------------- map operations */

static inline int bpf_map_update_elem(int fd, const void *key, const void *value, uint64_t flags)
{
	return __wbpf_host_err(wasm_bpf_map_operate(fd, BPF_MAP_UPDATE_ELEM, (void *)key,
						    (void *)value, NULL, flags));
}

static inline int bpf_map_lookup_elem(int fd, const void *key, void *value)
{
	return __wbpf_host_err(
		wasm_bpf_map_operate(fd, BPF_MAP_LOOKUP_ELEM, (void *)key, value, NULL, 0));
}

static inline int bpf_map_lookup_elem_flags(int fd, const void *key, void *value, uint64_t flags)
{
	return __wbpf_host_err(
		wasm_bpf_map_operate(fd, BPF_MAP_LOOKUP_ELEM, (void *)key, value, NULL, flags));
}

static inline int bpf_map_delete_elem(int fd, const void *key)
{
	return __wbpf_host_err(
		wasm_bpf_map_operate(fd, BPF_MAP_DELETE_ELEM, (void *)key, NULL, NULL, 0));
}

static inline int bpf_map_delete_elem_flags(int fd, const void *key, uint64_t flags)
{
	return __wbpf_host_err(
		wasm_bpf_map_operate(fd, BPF_MAP_DELETE_ELEM, (void *)key, NULL, NULL, flags));
}

/* key NULL: the first key. -ENOENT after the last one. */
static inline int bpf_map_get_next_key(int fd, const void *key, void *next_key)
{
	return __wbpf_host_err(
		wasm_bpf_map_operate(fd, BPF_MAP_GET_NEXT_KEY, (void *)key, NULL, next_key, 0));
}

static inline bool __wbpf_map_percpu(const struct bpf_map *map)
{
	switch (map->type) {
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
		return true;
	default:
		return false;
	}
}

/*
 * As libbpf: -EINVAL when key_sz or value_sz differ from the map's (per-CPU
 * values are not checked: the guest cannot count the host's CPUs; the host
 * still checks the whole range).
 */
static inline int __wbpf_map_check(const struct bpf_map *map, size_t key_sz, size_t value_sz,
				   bool check_value)
{
	if (!map || map->fd < 0)
		return -EINVAL;
	if (map->key_sz && key_sz != map->key_sz)
		return -EINVAL;
	if (check_value && map->value_sz && !__wbpf_map_percpu(map) && value_sz != map->value_sz)
		return -EINVAL;
	return 0;
}

static inline int bpf_map__lookup_elem(const struct bpf_map *map, const void *key, size_t key_sz,
				       void *value, size_t value_sz, uint64_t flags)
{
	int err = __wbpf_map_check(map, key_sz, value_sz, true);

	if (err)
		return __wbpf_err(err);
	return bpf_map_lookup_elem_flags(map->fd, key, value, flags);
}

static inline int bpf_map__update_elem(const struct bpf_map *map, const void *key, size_t key_sz,
				       const void *value, size_t value_sz, uint64_t flags)
{
	int err = __wbpf_map_check(map, key_sz, value_sz, true);

	if (err)
		return __wbpf_err(err);
	return bpf_map_update_elem(map->fd, key, value, flags);
}

static inline int bpf_map__delete_elem(const struct bpf_map *map, const void *key, size_t key_sz,
				       uint64_t flags)
{
	int err = __wbpf_map_check(map, key_sz, 0, false);

	if (err)
		return __wbpf_err(err);
	return bpf_map_delete_elem_flags(map->fd, key, flags);
}

static inline int bpf_map__get_next_key(const struct bpf_map *map, const void *cur_key,
					void *next_key, size_t key_sz)
{
	int err = __wbpf_map_check(map, key_sz, 0, false);

	if (err)
		return __wbpf_err(err);
	return bpf_map_get_next_key(map->fd, cur_key, next_key);
}

/* ------------------------------------------------------------- ring and perf buffers */

typedef int (*bpf_buffer_sample_fn)(void *ctx, void *data, size_t size);
/* libbpf-tools' callbacks (the host does not report the CPU: it is passed as 0) */
typedef void (*bpf_buffer_perf_sample_fn)(void *ctx, int cpu, void *data, uint32_t size);
typedef void (*bpf_buffer_lost_fn)(void *ctx, int cpu, uint64_t cnt);

struct bpf_buffer {
	struct bpf_map *events;
	int fd;
	void *ctx;
	bpf_buffer_sample_fn sample_fn;
	bpf_buffer_perf_sample_fn perf_sample_fn;
	char *sample_buf;
	int sample_max;
	int cb_err; /* a negative callback result that stopped the last poll */
};

/*
 * The one function the host calls for every sample, of the exact type the
 * host requires, (i32, i32, i32) -> i32, whatever the user's callback is.
 */
static inline int __wbpf_buffer_sample(void *ctx, void *data, size_t size)
{
	struct bpf_buffer *b = (struct bpf_buffer *)ctx;
	int ret;

	if (b->sample_fn) {
		ret = b->sample_fn(b->ctx, data, size);
		if (ret < 0)
			b->cb_err = ret;
		return ret;
	}
	if (b->perf_sample_fn)
		b->perf_sample_fn(b->ctx, 0, data, (uint32_t)size);
	return 0;
}

/* A buffer for the ring buffer or perf event array map events; heap is ignored. */
static inline struct bpf_buffer *__wbpf_buffer_new(struct bpf_map *events, struct bpf_map *heap)
{
	struct bpf_buffer *b;

	(void)heap;
	if (!events) {
		errno = EINVAL;
		return NULL;
	}
	b = (struct bpf_buffer *)calloc(1, sizeof(*b));
	if (!b) {
		errno = ENOMEM;
		return NULL;
	}
	b->events = events;
	b->fd = -1;
	b->sample_max = WBPF_BUFFER_SAMPLE_MAX;
	b->sample_buf = (char *)malloc(b->sample_max);
	if (!b->sample_buf) {
		free(b);
		errno = ENOMEM;
		return NULL;
	}
	return b;
}

/* wasm-bpf form: a ready buffer calling sample_cb(ctx, data, size) per sample. */
static inline struct bpf_buffer *__wbpf_buffer_open3(struct bpf_map *events,
						     bpf_buffer_sample_fn sample_cb, void *ctx)
{
	struct bpf_buffer *b = __wbpf_buffer_new(events, NULL);

	if (!b)
		return NULL;
	b->sample_fn = sample_cb;
	b->ctx = ctx;
	b->fd = bpf_map__fd(events);
	return b;
}

/* libbpf-tools form: set the callbacks of a buffer from bpf_buffer__new(). */
static inline int __wbpf_buffer_open4(struct bpf_buffer *b, bpf_buffer_perf_sample_fn sample_cb,
				      bpf_buffer_lost_fn lost_cb, void *ctx)
{
	(void)lost_cb;
	if (!b)
		return __wbpf_err(-EINVAL);
	b->perf_sample_fn = sample_cb;
	b->ctx = ctx;
	b->fd = bpf_map__fd(b->events);
	return b->fd < 0 ? b->fd : 0;
}

#define __WBPF_NARG(...) __WBPF_NARG_(__VA_ARGS__, 4, 3, 2, 1, 0)
#define __WBPF_NARG_(_1, _2, _3, _4, N, ...) N
#define __WBPF_CAT(a, b) __WBPF_CAT_(a, b)
#define __WBPF_CAT_(a, b) a##b
#define __wbpf_buffer_new1(events) __wbpf_buffer_new(events, NULL)
#define __wbpf_buffer_new2(events, heap) __wbpf_buffer_new(events, heap)

/* bpf_buffer__new(events) or bpf_buffer__new(events, heap) */
#define bpf_buffer__new(...) __WBPF_CAT(__wbpf_buffer_new, __WBPF_NARG(__VA_ARGS__))(__VA_ARGS__)
/*
 * bpf_buffer__open(events, sample_cb, ctx) -> struct bpf_buffer * (wasm-bpf), or
 * bpf_buffer__open(buf, sample_cb, lost_cb, ctx) -> int (libbpf-tools)
 */
#define bpf_buffer__open(...) __WBPF_CAT(__wbpf_buffer_open, __WBPF_NARG(__VA_ARGS__))(__VA_ARGS__)

/*
 * Wait up to timeout_ms for samples and deliver each one to the callback.
 * Returns the number of samples consumed (ring buffer) or ready events (perf
 * buffer), 0 on timeout, a negative callback result, or a negative errno:
 * -EINTR once the program was asked to stop (hosts report it as the guest's
 * EINTR, or as Linux's, which is translated). timeout_ms 0 means the default
 * of POLL_TIMEOUT_MS, as in wasm-bpf; a negative one waits until an event or
 * a stop.
 */
static inline int __wbpf_buffer_poll(struct bpf_buffer *b, int timeout_ms)
{
	int ret;

	if (!b || !b->events || b->fd < 0 || (!b->sample_fn && !b->perf_sample_fn))
		return __wbpf_err(-EINVAL);
	if (!b->events->obj_ptr)
		return __wbpf_err(-EINVAL);
	b->cb_err = 0;
	ret = wasm_bpf_buffer_poll(
		b->events->obj_ptr, b->fd, (int32_t)(uintptr_t)&__wbpf_buffer_sample,
		(uint32_t)(uintptr_t)b, b->sample_buf, b->sample_max, timeout_ms);
	if (ret >= 0 || (b->cb_err && ret == b->cb_err))
		return ret; /* a count, or the callback's own (guest) error */
	if (ret == -EINTR)
		return __wbpf_err(ret); /* already the guest's EINTR: how a host says "stop" */
	return __wbpf_host_err(ret);
}

static inline int bpf_buffer__poll(struct bpf_buffer *b, int timeout_ms)
{
	return __wbpf_buffer_poll(b, timeout_ms ? timeout_ms : POLL_TIMEOUT_MS);
}

/* Free the buffer (NULL is fine). The host's poll buffer goes with the object. */
static inline void bpf_buffer__free(struct bpf_buffer *b)
{
	if (!b)
		return;
	free(b->sample_buf);
	free(b);
}

/*
 * libbpf's ring_buffer and perf_buffer, on the buffers above. map_fd must be
 * bpf_map__fd() of a map of a skeleton loaded in this file. Differences from
 * libbpf: one map per buffer (no ring_buffer__add); the host sizes perf
 * buffers (page_cnt is ignored) and reports their lost samples on stderr
 * (lost_cb is never called); perf samples give cpu 0. Timeouts are libbpf's:
 * 0 returns at once, a negative one waits for an event (or a stop: -EINTR).
 */
typedef int (*ring_buffer_sample_fn)(void *ctx, void *data, size_t size);
typedef void (*perf_buffer_sample_fn)(void *ctx, int cpu, void *data, uint32_t size);
typedef void (*perf_buffer_lost_fn)(void *ctx, int cpu, uint64_t cnt);

struct ring_buffer_opts {
	size_t sz;
};

struct perf_buffer_opts {
	size_t sz;
	uint32_t sample_period;
};

struct ring_buffer; /* a struct bpf_buffer */
struct perf_buffer; /* a struct bpf_buffer */

static inline struct bpf_buffer *__wbpf_buffer_by_fd(const char *what, int map_fd,
						     enum bpf_map_type type)
{
	struct bpf_map *map = __wbpf_map_by_fd(map_fd);

	if (!map) {
		__wbpf_pr(LIBBPF_WARN, "%s: fd %d is not a map of a loaded skeleton\n", what,
			  map_fd);
		errno = EINVAL;
		return NULL;
	}
	if (map->type && map->type != type) {
		__wbpf_pr(LIBBPF_WARN, "%s: map '%s' has the wrong type\n", what, map->name);
		errno = EINVAL;
		return NULL;
	}
	return __wbpf_buffer_new(map, NULL);
}

/* A ring buffer reader calling sample_cb(ctx, data, size) per sample; NULL and errno on failure. */
static inline struct ring_buffer *ring_buffer__new(int map_fd, ring_buffer_sample_fn sample_cb,
						   void *ctx, const struct ring_buffer_opts *opts)
{
	struct bpf_buffer *b = __wbpf_buffer_by_fd("ring_buffer__new", map_fd,
						   BPF_MAP_TYPE_RINGBUF);

	(void)opts;
	if (!b)
		return NULL;
	b->sample_fn = sample_cb;
	b->ctx = ctx;
	b->fd = map_fd;
	return (struct ring_buffer *)b;
}

static inline int ring_buffer__poll(struct ring_buffer *rb, int timeout_ms)
{
	return __wbpf_buffer_poll((struct bpf_buffer *)rb, timeout_ms);
}

static inline int ring_buffer__consume(struct ring_buffer *rb)
{
	return __wbpf_buffer_poll((struct bpf_buffer *)rb, 0);
}

static inline void ring_buffer__free(struct ring_buffer *rb)
{
	bpf_buffer__free((struct bpf_buffer *)rb);
}

/* A perf buffer reader calling sample_cb(ctx, 0, data, size) per sample; NULL and errno on failure. */
static inline struct perf_buffer *perf_buffer__new(int map_fd, size_t page_cnt,
						   perf_buffer_sample_fn sample_cb,
						   perf_buffer_lost_fn lost_cb, void *ctx,
						   const struct perf_buffer_opts *opts)
{
	struct bpf_buffer *b = __wbpf_buffer_by_fd("perf_buffer__new", map_fd,
						   BPF_MAP_TYPE_PERF_EVENT_ARRAY);

	(void)page_cnt;
	(void)lost_cb;
	(void)opts;
	if (!b)
		return NULL;
	b->perf_sample_fn = sample_cb;
	b->ctx = ctx;
	b->fd = map_fd;
	return (struct perf_buffer *)b;
}

static inline int perf_buffer__poll(struct perf_buffer *pb, int timeout_ms)
{
	return __wbpf_buffer_poll((struct bpf_buffer *)pb, timeout_ms);
}

static inline int perf_buffer__consume(struct perf_buffer *pb)
{
	return __wbpf_buffer_poll((struct bpf_buffer *)pb, 0);
}

static inline void perf_buffer__free(struct perf_buffer *pb)
{
	bpf_buffer__free((struct bpf_buffer *)pb);
}

/*
 * Command-line numbers for tools: the whole of s is a decimal number in
 * [min, max]. Returns 0 and stores it in *out, or -EINVAL (not a number,
 * trailing characters) or -ERANGE (outside [min, max]).
 */
static inline int wbpf_parse_number(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end)
		return -EINVAL;
	if (errno || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

#ifdef __cplusplus
}
#endif

#endif /* __LIBBPF_WASM_H */
