// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * lsm: refuse the removal (rmdir) of every directory named NAME, wherever it
 * is, and print one line for each refusal, with a BPF LSM program; a
 * Wasm-eBPF guest. The name goes into the object's .rodata before load. A
 * kernel whose LSM list lacks "bpf" (or that refuses BPF LSM programs for
 * another reason) fails the load: the host prints libbpf's reason and the
 * tool says what it means in one line and exits 1. The poll returns -EINTR
 * once the host was asked to stop; destroying the object detaches the
 * program, and rmdir works again.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "lsm.h"
#include "lsm.skel.h"
#include "tool_helpers.h"

_Static_assert(sizeof(struct rmdir_event) == 280, "struct rmdir_event layout");

#define PROG "lsm"

static struct env {
	bool timestamp;
	bool verbose;
	const char *name;
} env;

static const struct wbpf_tool tool = {
	.name = "lsm",
	.version = "lsm 0.1",
	.doc = "Refuse rmdir of directories with a given name, with a BPF LSM program.\n"
	       "\n"
	       "USAGE: lsm [-h] [-T] -n NAME\n"
	       "\n"
	       "EXAMPLES:\n"
	       "    lsm -n keep      # no directory named 'keep' can be removed, until Ctrl-C\n"
	       "    lsm -T -n .git   # the same for .git, with times\n",
	.options = "OPTIONS:\n"
		   "  -n, --name=NAME   the directory name to protect (a name, not a path)\n"
		   "  -T, --timestamp   include a time column\n"
		   "  -v, --verbose     say more on stderr\n"
		   "  -h, --help        show this help\n"
		   "  -V, --version     show the version\n"
		   "\n"
		   "rmdir of such a directory fails with EPERM (\"Operation not permitted\")\n"
		   "while lsm runs, for every process, root included. Each refusal is one\n"
		   "line: the process, its user id and the name. Needs a kernel with BPF LSM\n"
		   "enabled: 'bpf' in /sys/kernel/security/lsm (the lsm= boot parameter).\n",
	.verbose = &env.verbose,
};

static int parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{"name", required_argument, NULL, 'n'},
		{"timestamp", no_argument, NULL, 'T'},
		WBPF_TOOL_COMMON_OPTIONS,
	};
	int c;

	while ((c = wbpf_tool_getopt(&tool, argc, argv, "n:TvhV", opts)) != -1) {
		switch (c) {
		case 'n':
			if (!*optarg || strlen(optarg) >= LSM_NAME_LEN || strchr(optarg, '/') ||
			    !strcmp(optarg, ".") || !strcmp(optarg, ".."))
				return wbpf_tool_usage_error(PROG, "invalid NAME", optarg);
			env.name = optarg;
			break;
		case 'T':
			env.timestamp = true;
			break;
		}
	}
	if (optind < argc)
		return wbpf_tool_usage_error(PROG, "unrecognized positional argument",
					     argv[optind]);
	if (!env.name)
		return wbpf_tool_usage_error(PROG, "missing -n NAME", NULL);
	return 0;
}

static int handle_event(void *ctx, void *data, size_t data_sz)
{
	struct rmdir_event e;
	char ts[32];

	if (wbpf_tool_short_event(data_sz, sizeof(e)))
		return 0;
	memcpy(&e, data, sizeof(e));
	e.comm[sizeof(e.comm) - 1] = '\0';
	e.name[sizeof(e.name) - 1] = '\0';
	if (env.timestamp)
		printf("%-8s ", wbpf_tool_time_hms(ts, sizeof(ts)));
	printf("%-7u %-16s %-6u refused rmdir of %s\n", e.pid, e.comm, e.uid, e.name);
	return 0;
}

int main(int argc, char **argv)
{
	struct bpf_buffer *rb = NULL;
	struct lsm_bpf *skel;
	int err;

	err = parse_args(argc, argv);
	if (err)
		return err;

	skel = lsm_bpf__open();
	if (!skel) {
		fprintf(stderr, "failed to open BPF object\n");
		return 1;
	}
	memcpy((char *)skel->rodata->target_name, env.name, strlen(env.name) + 1);
	skel->rodata->target_len = strlen(env.name);

	err = lsm_bpf__load(skel);
	if (err) {
		/* the host printed libbpf's reason above; the SDK gives its errno
		 * where the host keeps it (-EINVAL: not known) */
		if (err == -EACCES) {
			fprintf(stderr, "%s: the verifier refused the program (log above)\n", PROG);
			goto cleanup;
		}
		fprintf(stderr,
			"%s: this kernel does not allow BPF LSM programs (load failed: %s); "
			"is 'bpf' in the lsm= boot parameter?\n",
			PROG, err == -EINVAL ? "reason above" : strerror(-err));
		goto cleanup;
	}
	err = lsm_bpf__attach(skel);
	if (err) {
		fprintf(stderr,
			"%s: this kernel does not allow BPF LSM programs (attach failed: %s); "
			"is 'bpf' in the lsm= boot parameter?\n",
			PROG, strerror(-err));
		goto cleanup;
	}

	rb = bpf_buffer__open(skel->maps.rb, handle_event, NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "failed to create ring buffer: %s\n", strerror(errno));
		goto cleanup;
	}
	if (env.verbose)
		fprintf(stderr, "lsm: refusing rmdir of '%s'\n", env.name);
	printf("Refusing rmdir of directories named '%s'... Hit Ctrl-C to end.\n", env.name);
	if (env.timestamp)
		printf("%-8s ", "TIME");
	printf("%-7s %-16s %-6s %s\n", "PID", "COMM", "UID", "EVENT");
	fflush(stdout);

	/* main: poll until Ctrl-C */
	err = wbpf_tool_poll(rb, 0, NULL, NULL);
	if (err)
		fprintf(stderr, "error polling ring buffer: %s\n", strerror(-err));

cleanup:
	fflush(stdout);
	bpf_buffer__free(rb);
	lsm_bpf__destroy(skel);

	return err != 0;
}
