// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * wasm_bpf objects: load, attach, map fd by name, close, and the state that
 * holds them (docs/abi.md, "Loading an object", "Attaching", "Closing").
 *
 * Handles are 1..N in load order and never reused: a closed handle stays
 * invalid. Every import that takes an object handle answers -EINVAL for a
 * handle that is not a live object (docs/abi.md, "Closing").
 *
 * What the attach target means (target 0 or "" always means libbpf's
 * auto-attach from the section name):
 *   cgroup program types (sockops, cgroup_skb/..., cgroup/..., every
 *   BPF_PROG_TYPE_CGROUP_*): the path of a cgroup directory (cgroup v2);
 *   xdp: a network interface name;
 *   socket filters (BPF_PROG_TYPE_SOCKET_FILTER, section "socket"): a
 *   network interface name; the host opens an AF_PACKET socket bound to it
 *   with the program attached (SO_ATTACH_BPF) and keeps it as the link;
 *   a section without its attach point, exactly "uprobe", "uretprobe",
 *   "uprobe.s", "uretprobe.s": "BINARY:FUNCTION[+OFFSET]" or "BINARY:OFFSET"
 *   (OFFSET decimal or 0x hex), every process;
 *   exactly "kprobe", "kretprobe": a kernel function name;
 *   exactly "tp", "tracepoint": "CATEGORY/NAME";
 *   exactly "raw_tp", "raw_tracepoint": a tracepoint name;
 *   any other section: the target is ignored and libbpf auto-attaches, as
 *   the existing hosts do.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <sys/syscall.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpf-priv.h"

static const char *prog_name = "wasmbpf";
static bool debug;

/* libbpf's log: warnings (the verifier log among them) always, the rest with
 * WASMBPF_DEBUG set. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level != LIBBPF_WARN && !debug)
		return 0;
	fprintf(stderr, "%s: ", prog_name);
	return vfprintf(stderr, fmt, ap);
}

const char *wbpf_bpf__prog_name(void)
{
	return prog_name;
}

bool wbpf_bpf__debug(void)
{
	return debug;
}

struct wbpf_bpf *wbpf_bpf__get(struct wbpf_guest *g)
{
	struct wbpf_bpf *b = g->bpf;
	const char *env;

	if (b)
		return b;
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	if (g->prog)
		prog_name = g->prog;
	b->prog = prog_name;
	env = getenv("WASMBPF_DEBUG");
	debug = env && *env && strcmp(env, "0") != 0;
	/* WASMBPF_BTF overrides the compiled-in default; set but empty, it means
	 * the kernel's BTF (docs/abi.md, "BTF") */
	env = getenv("WASMBPF_BTF");
	if (env) {
		b->btf = *env ? env : NULL;
		b->btf_setting = "WASMBPF_BTF=";
	} else if (g->btf_default && *g->btf_default) {
		b->btf = g->btf_default;
		b->btf_setting = "wasmbpf-aot --btf ";
	}
	libbpf_set_print(libbpf_print);
	g->bpf = b;
	wbpf_atexit(wbpf_bpf__free);
	return b;
}

struct wbpf_obj *wbpf_bpf__obj(struct wbpf_guest *g, uint64_t handle)
{
	struct wbpf_bpf *b = g->bpf;

	if (!b || handle == 0 || handle > b->objs_cnt)
		return NULL;
	return b->objs[handle - 1];
}

void wbpf_map__free_poll(struct wbpf_map *m)
{
	struct wbpf_pending *p, *next;

	ring_buffer__free(m->rb);
	m->rb = NULL;
	if (m->pb)
		wbpf_map__report_lost(m, true);
	perf_buffer__free(m->pb);
	m->pb = NULL;
	free(m->cpus);
	m->cpus = NULL;
	free(m->lost_read);
	m->lost_read = NULL;
	m->cpus_cnt = 0;
	for (p = m->pending; p; p = next) {
		next = p->next;
		free(p);
	}
	m->pending = NULL;
	m->pending_tail = &m->pending;
}

static void obj_free(struct wbpf_bpf *b, struct wbpf_obj *o)
{
	size_t i;

	if (!o)
		return;
	for (i = 0; i < o->links_cnt; i++)
		bpf_link__destroy(o->links[i]);
	for (i = 0; i < o->socks_cnt; i++)
		close(o->socks[i]);
	for (i = 0; i < o->maps_cnt; i++) {
		struct wbpf_map *m = &o->maps[i];

		wbpf_map__free_poll(m);
		wbpf_bpf__del_map_fd(b, m);
	}
	bpf_object__close(o->obj);
	free(o->links);
	free(o->socks);
	free(o->maps);
	free(o->elf);
	free(o);
}

void wbpf_bpf__free(struct wbpf_guest *g)
{
	struct wbpf_bpf *b = g->bpf;
	size_t i;

	if (!b)
		return;
	for (i = b->objs_cnt; i > 0; i--)
		obj_free(b, b->objs[i - 1]);
	/* see docs/abi.md, section "Lost events" */
	if (b->perf_lost)
		fprintf(stderr, "%s: lost %llu perf buffer samples in total\n", prog_name,
			(unsigned long long)b->perf_lost);
	free(b->objs);
	free(b->map_fds);
	free(b);
	g->bpf = NULL;
}

static bool is_percpu(uint32_t type)
{
	switch (type) {
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
		return true;
	default:
		return false;
	}
}

/* Ask the kernel once per map for its type and sizes (docs/abi.md, "Map operations"). */
static int cache_maps(struct wbpf_bpf *b, struct wbpf_obj *o)
{
	struct bpf_map *map;
	size_t n = 0;
	int ncpus = 0, err = 0;

	bpf_object__for_each_map(map, o->obj)
		n++;
	o->maps = calloc(n ? n : 1, sizeof(*o->maps));
	if (!o->maps)
		return -ENOMEM;
	bpf_object__for_each_map(map, o->obj) {
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);
		struct wbpf_map *m = &o->maps[o->maps_cnt];
		int fd = bpf_map__fd(map);
		uint64_t percpu;
		uint32_t value_size;

		if (fd < 0) /* not created (autocreate off) */
			continue;
		err = bpf_obj_get_info_by_fd(fd, &info, &len);
		if (err) {
			err = -errno;
			fprintf(stderr, "%s: cannot read info of map '%s': %s\n", prog_name,
				bpf_map__name(map), strerror(errno));
			return err;
		}
		m->obj = o;
		m->fd = fd;
		m->type = info.type;
		value_size = info.value_size;
		m->pending_tail = &m->pending;
		if (is_percpu(info.type)) {
			if (!ncpus) {
				ncpus = libbpf_num_possible_cpus();
				if (ncpus <= 0)
					return ncpus < 0 ? ncpus : -EINVAL;
			}
			/* in 64 bits: a size past 4 GiB can never fit in guest memory */
			percpu = (((uint64_t)info.value_size + 7) & ~7ull) * (uint64_t)ncpus;
			if (percpu > UINT32_MAX) {
				fprintf(stderr, "%s: per-CPU value of map '%s' is over 4 GiB\n",
					prog_name, bpf_map__name(map));
				return -E2BIG;
			}
			value_size = (uint32_t)percpu;
		}
		err = wbpf_bpf__add_map_fd(b, m, info.key_size, value_size);
		if (err)
			return err;
		o->maps_cnt++;
	}
	return 0;
}

/* Whether this process may load BPF programs: CAP_SYS_ADMIN, or CAP_BPF (Linux 5.8+). */
static bool may_load_bpf(void)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[2] = {};

	if (syscall(SYS_capget, &hdr, data))
		return false;
	return (data[0].effective & (1u << 21 /* CAP_SYS_ADMIN */)) ||
	       (data[1].effective & (1u << (39 - 32) /* CAP_BPF */));
}

long long wbpf_bpf__now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The child-process check of a guest object: 0, or -errno after one line on
 * stderr. When the bytes show that libbpf will want the kernel's BTF, it is
 * mapped while the child checks them (kernel-btf.c); the time printed is the
 * time the load waited for the check, that work left out. */
static long long meanwhile_us; /* how long the last one took */

static void kernel_btf_meanwhile(void)
{
	long long t0 = wbpf_bpf__now_us();

	wbpf_bpf__kernel_btf_ahead();
	meanwhile_us = wbpf_bpf__now_us() - t0;
}

static int check_object(const struct wbpf_bpf *b, const void *elf, size_t size)
{
	bool ahead = !b->btf && wbpf_bpf__wants_kernel_btf(elf, size);
	long long t0 = debug ? wbpf_bpf__now_us() : 0;
	char reason[256];
	int err;

	meanwhile_us = 0;
	err = wbpf_bpf_check_object(elf, size, prog_name, debug,
				    ahead ? kernel_btf_meanwhile : NULL, reason, sizeof(reason));
	if (debug)
		fprintf(stderr, "%s: bpf object checked in a child process in %lld us (%s)\n",
			prog_name, wbpf_bpf__now_us() - t0 - meanwhile_us,
			wbpf_bpf_check_by_checker() ? "the checker's" : "forked by the host");
	if (err)
		fprintf(stderr, "%s: bpf object rejected: %s\n", prog_name, reason);
	return err;
}

/* libbpf's last message while the custom BTF is parsed (it says what is wrong
 * with the BTF at debug level): part of the one line */
static char btf_msg[128];

static int btf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	va_list copy;

	va_copy(copy, ap);
	vsnprintf(btf_msg, sizeof(btf_msg), fmt, copy);
	va_end(copy);
	if (debug)
		libbpf_print(level, fmt, ap);
	return 0;
}

/*
 * Parse the custom BTF before each load (docs/abi.md, "BTF"). libbpf reads it
 * only for an object with CO-RE relocations and then says no more than "failed
 * to parse target BTF"; checked here, a missing or wrong file is one clear line
 * for every object. Returns 0 or -errno after that line on stderr.
 */
static int check_btf(const struct wbpf_bpf *b)
{
	libbpf_print_fn_t old;
	long long t0 = debug ? wbpf_bpf__now_us() : 0;
	struct btf *btf = NULL;
	char why[200];
	struct stat st;
	size_t n;
	int err;

	if (stat(b->btf, &st)) {
		err = -errno;
		snprintf(why, sizeof(why), "%s", strerror(errno));
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0) {
		err = -EINVAL;
		snprintf(why, sizeof(why), "%s",
			 S_ISREG(st.st_mode) ? "empty file" : "not a regular file");
		goto cleanup;
	}
	btf_msg[0] = '\0';
	old = libbpf_set_print(btf_print);
	btf = btf__parse(b->btf, NULL);
	err = btf ? 0 : -errno;
	libbpf_set_print(old);
	if (!err) {
		if (debug)
			fprintf(stderr, "%s: %s%s: BTF of %u types parsed in %lld us\n", prog_name,
				b->btf_setting, b->btf, btf__type_cnt(btf) - 1, wbpf_bpf__now_us() - t0);
		goto cleanup;
	}
	if (err == -EACCES || err == -EPERM || err == -ENOMEM || err == -EIO) {
		snprintf(why, sizeof(why), "%s", strerror(-err));
		goto cleanup;
	}
	/* anything else is the contents: neither raw BTF nor an ELF file with a
	 * .BTF section, or BTF that libbpf refused (its message says why) */
	n = strlen(btf_msg);
	while (n > 0 && (btf_msg[n - 1] == '\n' || btf_msg[n - 1] == ' '))
		btf_msg[--n] = '\0';
	if (err == -LIBBPF_ERRNO__FORMAT || !n)
		snprintf(why, sizeof(why), "not raw BTF or an ELF file with a .BTF section");
	else
		snprintf(why, sizeof(why), "invalid BTF (%s)",
			 strncmp(btf_msg, "libbpf: ", 8) ? btf_msg : btf_msg + 8);
	err = -EINVAL;

cleanup:
	if (err)
		fprintf(stderr, "%s: %s%s: cannot read BTF: %s\n", prog_name, b->btf_setting,
			b->btf, why);
	btf__free(btf);
	return err;
}

uint64_t wbpf_bpf_load_object(struct wbpf_guest *g, uint32_t buf, uint32_t size)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	struct wbpf_bpf *b = wbpf_bpf__get(g);
	struct wbpf_obj *o = NULL, **objs;
	const void *src;
	char msg[128];
	int err;

	if (!b) {
		fprintf(stderr, "%s: failed to load BPF object: %s\n", prog_name, strerror(ENOMEM));
		return 0;
	}
	src = wbpf_guest_range(g, buf, size);
	if (!src || size == 0) {
		fprintf(stderr, "%s: failed to load BPF object: %s\n", prog_name,
			src ? "empty buffer" : "buffer outside guest memory");
		b->load_errno = src ? EINVAL : EFAULT;
		return 0;
	}
	o = calloc(1, sizeof(*o));
	objs = realloc(b->objs, (b->objs_cnt + 1) * sizeof(*objs));
	if (objs)
		b->objs = objs;
	if (!o || !objs) {
		err = -ENOMEM;
		goto cleanup;
	}
	o->b = b;
	/* libbpf reads the ELF in place; give it a host copy that lives as long as
	 * the object, so neither the guest nor libelf sees the other's writes. */
	o->elf = malloc(size);
	if (!o->elf) {
		err = -ENOMEM;
		goto cleanup;
	}
	memcpy(o->elf, src, size);
	if (b->btf) {
		err = check_btf(b);
		if (err)
			goto cleanup;
	}
	/* libbpf parses the guest's bytes first where a crash cannot take the
	 * host down (see docs/abi.md, section "Loading an object") */
	err = check_object(b, o->elf, size);
	if (err)
		goto cleanup;
	/* internal maps are named after the object: "PROG.rodata" in bpftool */
	opts.object_name = prog_name;
	/* CO-RE against the custom BTF (docs/abi.md, "BTF"): libbpf reads it in
	 * bpf_object__load(), so the check's child, which only opens, needs none */
	opts.btf_custom_path = b->btf;
	o->obj = bpf_object__open_mem(o->elf, size, &opts);
	if (!o->obj) {
		err = -errno;
		libbpf_strerror(err, msg, sizeof(msg));
		fprintf(stderr, "%s: failed to open BPF object: %s\n", prog_name, msg);
		goto cleanup;
	}
	err = bpf_object__load(o->obj);
	/* the kernel's BTF made during the check, when libbpf did not want it */
	wbpf_bpf__kernel_btf_drop();
	if (err) {
		libbpf_strerror(err, msg, sizeof(msg));
		fprintf(stderr, "%s: failed to load BPF object: %s\n", prog_name, msg);
		goto cleanup;
	}
	err = cache_maps(b, o);
	if (err)
		goto cleanup;
	o->handle = b->objs_cnt + 1;
	b->objs[b->objs_cnt++] = o;
	b->load_errno = 0;
	return o->handle;

cleanup:
	wbpf_bpf__kernel_btf_drop();
	if (err == -ENOMEM)
		fprintf(stderr, "%s: failed to load BPF object: %s\n", prog_name, strerror(ENOMEM));
	/* EPERM without the capabilities: not privileged (with them it is the kernel's
	 * refusal of a program type, explained above); EACCES is the verifier's */
	if (err == -EPERM && !may_load_bpf())
		fprintf(stderr, "%s: loading BPF programs needs root, or the capabilities "
			"CAP_BPF and CAP_PERFMON (CAP_SYS_ADMIN on kernels before 5.8)\n", prog_name);
	/* see docs/abi.md, section "Loading an object" */
	b->load_errno = err < 0 && err > -WBPF_LOAD_ERRNO_BASE ? -err : EINVAL;
	obj_free(b, o);
	return 0;
}

static int add_link(struct wbpf_obj *o, struct bpf_link *link)
{
	struct bpf_link **p;
	size_t n;

	if (o->links_cnt == o->links_cap) {
		n = o->links_cap ? o->links_cap * 2 : 8;
		p = realloc(o->links, n * sizeof(*p));
		if (!p)
			return -ENOMEM;
		o->links = p;
		o->links_cap = n;
	}
	o->links[o->links_cnt++] = link;
	return 0;
}

static int add_sock(struct wbpf_obj *o, int sock)
{
	size_t n;
	int *p;

	if (o->socks_cnt == o->socks_cap) {
		n = o->socks_cap ? o->socks_cap * 2 : 4;
		p = realloc(o->socks, n * sizeof(*p));
		if (!p)
			return -ENOMEM;
		o->socks = p;
		o->socks_cap = n;
	}
	o->socks[o->socks_cnt++] = sock;
	return 0;
}

/*
 * A socket filter's target: an AF_PACKET raw socket bound to interface
 * ifname for every protocol, with prog attached (see docs/abi.md, section
 * "Attaching"). The socket is created with protocol 0, which receives
 * nothing, and bound only once the filter is on, so no packet reaches it
 * unfiltered; nobody reads it, so its receive buffer is kept at the
 * minimum. Returns the socket, or -1 with errno set (ENODEV: no such
 * interface).
 */
static int attach_socket(const struct bpf_program *prog, const char *ifname)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
	};
	int prog_fd = bpf_program__fd(prog), rcvbuf = 0, sock, err;

	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll.sll_ifindex) {
		errno = ENODEV; /* also for a name too long to be one */
		return -1;
	}
	sock = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0 /* no packets yet */);
	if (sock < 0)
		return -1;
	if (setsockopt(sock, SOL_SOCKET, SO_ATTACH_BPF, &prog_fd, sizeof(prog_fd)) ||
	    setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) ||
	    bind(sock, (struct sockaddr *)&sll, sizeof(sll))) {
		err = errno;
		close(sock);
		errno = err;
		return -1;
	}
	return sock;
}

bool wbpf_bpf_is_cgroup_prog(enum bpf_prog_type t)
{
	switch (t) {
	case BPF_PROG_TYPE_CGROUP_SKB:
	case BPF_PROG_TYPE_CGROUP_SOCK:
	case BPF_PROG_TYPE_CGROUP_DEVICE:
	case BPF_PROG_TYPE_SOCK_OPS:
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR:
	case BPF_PROG_TYPE_CGROUP_SYSCTL:
	case BPF_PROG_TYPE_CGROUP_SOCKOPT:
		return true;
	default:
		return false;
	}
}

static bool sec_is(const char *sec, const char *const *names)
{
	for (; *names; names++)
		if (strcmp(sec, *names) == 0)
			return true;
	return false;
}

/* "BINARY:FUNCTION[+OFFSET]" or "BINARY:OFFSET" for a section without its binary. */
static struct bpf_link *attach_uprobe(const struct bpf_program *prog, bool retprobe,
				      const char *target)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .retprobe = retprobe);
	char *path = strdup(target), *func, *plus, *end;
	struct bpf_link *link = NULL;
	unsigned long long off = 0;

	if (!path) {
		errno = ENOMEM;
		return NULL;
	}
	func = strrchr(path, ':');
	if (!func || func == path || !func[1])
		goto bad_target;
	*func++ = '\0';
	plus = strchr(func, '+');
	if (plus) {
		*plus++ = '\0';
		errno = 0;
		off = strtoull(plus, &end, 0);
		if (errno || !*plus || *end)
			goto bad_target;
	} else {
		errno = 0;
		off = strtoull(func, &end, 0);
		if (!errno && *end == '\0')
			func = NULL; /* a bare offset */
		else
			off = 0;
	}
	opts.func_name = func;
	link = bpf_program__attach_uprobe_opts(prog, -1 /* every process */, path, off, &opts);
	free(path);
	return link;

bad_target:
	fprintf(stderr, "%s: uprobe target '%s' is not BINARY:FUNCTION[+OFFSET] or BINARY:OFFSET\n",
		prog_name, target);
	free(path);
	errno = EINVAL;
	return NULL;
}

static struct bpf_link *attach_tracepoint(const struct bpf_program *prog, const char *target)
{
	struct bpf_link *link;
	char *cat = strdup(target), *name;

	if (!cat) {
		errno = ENOMEM;
		return NULL;
	}
	name = strchr(cat, '/');
	if (!name || name == cat || !name[1]) {
		fprintf(stderr, "%s: tracepoint target '%s' is not CATEGORY/NAME\n", prog_name,
			target);
		free(cat);
		errno = EINVAL;
		return NULL;
	}
	*name++ = '\0';
	link = bpf_program__attach_tracepoint(prog, cat, name);
	free(cat);
	return link;
}

/* Attach prog to target, following the table at the top of this file. */
static struct bpf_link *attach(struct bpf_program *prog, const char *target)
{
	static const char *const uprobes[] = {"uprobe", "uprobe.s", NULL};
	static const char *const uretprobes[] = {"uretprobe", "uretprobe.s", NULL};
	static const char *const tps[] = {"tp", "tracepoint", NULL};
	static const char *const raw_tps[] = {"raw_tp", "raw_tracepoint", NULL};
	const char *sec = bpf_program__section_name(prog);
	enum bpf_prog_type type = bpf_program__type(prog);
	struct bpf_link *link = NULL;
	int fd, ifindex, err;

	if (!target || !*target)
		return bpf_program__attach(prog);
	if (wbpf_bpf_is_cgroup_prog(type)) {
		fd = open(target, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return NULL;
		link = bpf_program__attach_cgroup(prog, fd);
		err = errno;
		close(fd); /* the link holds the cgroup */
		errno = err;
		return link;
	}
	if (type == BPF_PROG_TYPE_XDP) {
		ifindex = (int)if_nametoindex(target);
		if (!ifindex)
			return NULL; /* errno ENODEV */
		return bpf_program__attach_xdp(prog, ifindex);
	}
	if (sec_is(sec, uprobes) || sec_is(sec, uretprobes))
		return attach_uprobe(prog, sec_is(sec, uretprobes), target);
	if (strcmp(sec, "kprobe") == 0 || strcmp(sec, "kretprobe") == 0)
		return bpf_program__attach_kprobe(prog, sec[1] == 'r', target);
	if (sec_is(sec, tps))
		return attach_tracepoint(prog, target);
	if (sec_is(sec, raw_tps))
		return bpf_program__attach_raw_tracepoint(prog, target);
	return bpf_program__attach(prog);
}

/* The live object `handle` and the guest string at name_off: 0, -EINVAL or -EFAULT. */
static int obj_and_name(struct wbpf_guest *g, uint64_t handle, uint64_t name_off,
			struct wbpf_obj **o, const char **name)
{
	*o = wbpf_bpf__obj(g, handle);
	if (!*o)
		return -EINVAL;
	*name = wbpf_guest_str(g, (uint32_t)name_off, NULL);
	return *name ? 0 : -EFAULT;
}

uint32_t wbpf_bpf_attach_program(struct wbpf_guest *g, uint64_t obj, uint32_t name_off,
				 uint32_t target_off)
{
	const char *name, *target = NULL;
	struct bpf_program *prog;
	struct bpf_link *link;
	struct wbpf_obj *o;
	int err, sock;

	err = obj_and_name(g, obj, name_off, &o, &name);
	if (err)
		return (uint32_t)err;
	if (target_off) {
		target = wbpf_guest_str(g, target_off, NULL);
		if (!target)
			return (uint32_t)-EFAULT;
	}
	prog = bpf_object__find_program_by_name(o->obj, name);
	if (!prog) {
		fprintf(stderr, "%s: no BPF program '%s' in the object\n", prog_name, name);
		return (uint32_t)-ENOENT;
	}
	if (target && *target && bpf_program__type(prog) == BPF_PROG_TYPE_SOCKET_FILTER) {
		sock = attach_socket(prog, target);
		if (sock >= 0) {
			err = add_sock(o, sock);
			if (err)
				close(sock);
			return (uint32_t)err;
		}
		link = NULL;
	} else {
		link = attach(prog, target);
	}
	if (!link) {
		err = errno ? -errno : -EINVAL;
		fprintf(stderr, "%s: failed to attach BPF program '%s'%s%s%s: %s\n", prog_name,
			bpf_program__name(prog), target ? " to '" : "", target ? target : "",
			target ? "'" : "", strerror(-err));
		return (uint32_t)err;
	}
	err = add_link(o, link);
	if (err)
		bpf_link__destroy(link);
	return (uint32_t)err;
}

uint32_t wbpf_bpf_map_fd_by_name(struct wbpf_guest *g, uint64_t obj, uint32_t name_off)
{
	struct bpf_map *map;
	struct wbpf_obj *o;
	const char *name;
	int fd;

	/* handle 0, name NULL: why the last load failed (docs/abi.md, section "Loading an object") */
	if (obj == 0 && name_off == 0 && g->bpf && g->bpf->load_errno)
		return (uint32_t)-(WBPF_LOAD_ERRNO_BASE + g->bpf->load_errno);
	fd = obj_and_name(g, obj, name_off, &o, &name);
	if (fd)
		return (uint32_t)fd;
	map = bpf_object__find_map_by_name(o->obj, name);
	fd = map ? bpf_map__fd(map) : -1;
	return (uint32_t)(fd >= 0 ? fd : -ENOENT);
}

uint32_t wbpf_bpf_close_object(struct wbpf_guest *g, uint64_t obj)
{
	struct wbpf_obj *o = wbpf_bpf__obj(g, obj);
	struct wbpf_bpf *b = g->bpf;

	if (!o)
		return (uint32_t)-EINVAL;
	/* a callback may not free the buffer its poll is reading */
	if (b->polling == o)
		return (uint32_t)-EBUSY;
	b->objs[o->handle - 1] = NULL;
	obj_free(b, o);
	return 0;
}
