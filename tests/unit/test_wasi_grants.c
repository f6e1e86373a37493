/* UNIT-LINK: runtime/wasi/grant.c */
// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The sandbox grant parsers: WASMBPF_DIR* "HOST[::GUEST][:ro]" and the guest
 * environment built from compile-time entries and WASMBPF_ENV_* variables.
 */
#include <errno.h>
#include <stdlib.h>

#include "../../runtime/wasi/grant.h"
#include "check.h"

static void parse_ok(const char *spec, const char *host, const char *guest, bool ro)
{
	struct wbpf_wasi_grant g;
	int err = wbpf_wasi_grant_parse(spec, &g);

	CHECK_EQ(err, 0);
	if (err) {
		fprintf(stderr, "  spec '%s'\n", spec);
		return;
	}
	CHECK_STR(g.host, host);
	CHECK_STR(g.guest, guest);
	CHECK_EQ(g.ro, ro);
	wbpf_wasi_grant_free(&g);
}

static void parse_bad(const char *spec)
{
	struct wbpf_wasi_grant g;
	int err = wbpf_wasi_grant_parse(spec, &g);

	if (err != -EINVAL)
		fprintf(stderr, "  spec '%s'\n", spec);
	CHECK_EQ(err, -EINVAL);
	CHECK(!g.host && !g.guest);
	if (!err)
		wbpf_wasi_grant_free(&g);
}

static void host_alone_is_seen_under_its_own_name(void)
{
	parse_ok("/tmp/x", "/tmp/x", "/tmp/x", false);
	parse_ok(".", ".", ".", false);
	parse_ok("rel/dir", "rel/dir", "rel/dir", false);
}

static void host_and_guest_names(void)
{
	parse_ok("/tmp/x::/sandbox", "/tmp/x", "/sandbox", false);
	parse_ok("/tmp/x::.", "/tmp/x", ".", false);
	/* the first "::" splits; the guest name may hold more */
	parse_ok("/a::/b::c", "/a", "/b::c", false);
}

static void trailing_ro_makes_it_read_only(void)
{
	parse_ok("/tmp/x:ro", "/tmp/x", "/tmp/x", true);
	parse_ok("/tmp/x::/sandbox:ro", "/tmp/x", "/sandbox", true);
}

static void trailing_rw_is_the_explicit_default(void)
{
	parse_ok("/tmp/x:rw", "/tmp/x", "/tmp/x", false);
	parse_ok("/tmp/x::/s:rw", "/tmp/x", "/s", false);
}

static void only_one_mode_suffix_is_taken(void)
{
	parse_ok("/tmp/x:ro:ro", "/tmp/x:ro", "/tmp/x:ro", true);
	parse_ok("/tmp/x:rox", "/tmp/x:rox", "/tmp/x:rox", false);
	parse_ok("/tmp/x:", "/tmp/x:", "/tmp/x:", false);
}

static void empty_host_or_guest_is_refused(void)
{
	parse_bad("");
	parse_bad(":ro");
	parse_bad(":rw");
	parse_bad("::/sandbox");
	parse_bad("/tmp/x::");
	parse_bad("/tmp/x:::ro");
	parse_bad("::");
}

static void dir_variables_in_order(void)
{
	char *env[] = {"HOME=/root",	     "WASMBPF_DIR_B=/b",    "WASMBPF_DIRX=/no",
		       "WASMBPF_DIR=/plain", "WASMBPF_DIR_A=/a:ro", "XWASMBPF_DIR=/no",
		       "WASMBPF_DIR_",	     "WASMBPF_ENV_DIR=/no", NULL};
	const char *dirs[] = {"/built::/in", "/built2", NULL};
	struct wbpf_wasi_grant_src *l;
	size_t n;

	CHECK_EQ(wbpf_wasi_grant_list(dirs, env, &l, &n), 0);
	CHECK_EQ(n, 5);
	if (n != 5)
		return;
	/* compile-time first, then WASMBPF_DIR, then WASMBPF_DIR_* by name */
	CHECK_STR(l[0].spec, "/built::/in");
	CHECK_STR(l[0].source, WBPF_WASI_BUILTIN);
	CHECK_STR(l[1].spec, "/built2");
	CHECK_STR(l[2].spec, "/plain");
	CHECK_STR(l[2].source, "WASMBPF_DIR");
	CHECK_STR(l[3].spec, "/a:ro");
	CHECK_STR(l[3].source, "WASMBPF_DIR_A");
	CHECK_STR(l[4].spec, "/b");
	CHECK_STR(l[4].source, "WASMBPF_DIR_B");
	wbpf_wasi_grant_list_free(l, n);
}

static void no_grants_at_all(void)
{
	char *env[] = {"PATH=/bin", NULL};
	struct wbpf_wasi_grant_src *l;
	size_t n = 99;

	CHECK_EQ(wbpf_wasi_grant_list(NULL, env, &l, &n), 0);
	CHECK_EQ(n, 0);
	wbpf_wasi_grant_list_free(l, n);
	CHECK_EQ(wbpf_wasi_grant_list(NULL, NULL, &l, &n), 0);
	CHECK_EQ(n, 0);
	wbpf_wasi_grant_list_free(l, n);
}

static void env_only_what_is_granted(void)
{
	char *env[] = {"HOME=/root",	     "WASMBPF_ENV_FOO=bar", "PATH=/bin", "WASMBPF_ENVX=1",
		       "WASMBPF_ENV_EMPTY=", "WASMBPF_ENV_EQ=a=b",  NULL};
	const char *envs[] = {"A=1", NULL};
	const char *bad;
	char **out;
	size_t n;

	CHECK_EQ(wbpf_wasi_env_list(envs, env, &out, &n, &bad), 0);
	CHECK_EQ(n, 4);
	if (n == 4) {
		CHECK_STR(out[0], "A=1");
		CHECK_STR(out[1], "FOO=bar");
		CHECK_STR(out[2], "EMPTY=");
		CHECK_STR(out[3], "EQ=a=b");
		CHECK(out[4] == NULL);
	}
	wbpf_wasi_env_free(out);
}

static void env_later_overrides_earlier_in_place(void)
{
	char *env[] = {"WASMBPF_ENV_B=host", "WASMBPF_ENV_A=host", "WASMBPF_ENV_B=again", NULL};
	const char *envs[] = {"A=1", "B=2", "C=3", "A=4", NULL};
	const char *bad;
	char **out;
	size_t n;

	CHECK_EQ(wbpf_wasi_env_list(envs, env, &out, &n, &bad), 0);
	CHECK_EQ(n, 3);
	if (n == 3) {
		CHECK_STR(out[0], "A=host");
		CHECK_STR(out[1], "B=again");
		CHECK_STR(out[2], "C=3");
	}
	wbpf_wasi_env_free(out);
}

static void env_prefix_names_do_not_collide(void)
{
	char *env[] = {"WASMBPF_ENV_AB=2", NULL};
	const char *envs[] = {"A=1", NULL};
	const char *bad;
	char **out;
	size_t n;

	CHECK_EQ(wbpf_wasi_env_list(envs, env, &out, &n, &bad), 0);
	CHECK_EQ(n, 2);
	wbpf_wasi_env_free(out);
}

static void env_bad_entries_are_refused(void)
{
	char *host_bad[] = {"WASMBPF_ENV_=x", NULL};
	const char *no_eq[] = {"NOVALUE", NULL};
	const char *no_name[] = {"=v", NULL};
	const char *bad;
	char **out;
	size_t n;

	CHECK_EQ(wbpf_wasi_env_list(no_eq, NULL, &out, &n, &bad), -EINVAL);
	CHECK_STR(bad, "NOVALUE");
	CHECK(out == NULL);
	CHECK_EQ(wbpf_wasi_env_list(no_name, NULL, &out, &n, &bad), -EINVAL);
	CHECK_STR(bad, "=v");
	CHECK_EQ(wbpf_wasi_env_list(NULL, host_bad, &out, &n, &bad), -EINVAL);
	CHECK_STR(bad, "WASMBPF_ENV_=x");
}

static void env_empty(void)
{
	const char *bad;
	char **out;
	size_t n = 99;

	CHECK_EQ(wbpf_wasi_env_list(NULL, NULL, &out, &n, &bad), 0);
	CHECK_EQ(n, 0);
	CHECK(out && out[0] == NULL);
	wbpf_wasi_env_free(out);
}

int main(void)
{
	RUN(host_alone_is_seen_under_its_own_name);
	RUN(host_and_guest_names);
	RUN(trailing_ro_makes_it_read_only);
	RUN(trailing_rw_is_the_explicit_default);
	RUN(only_one_mode_suffix_is_taken);
	RUN(empty_host_or_guest_is_refused);
	RUN(dir_variables_in_order);
	RUN(no_grants_at_all);
	RUN(env_only_what_is_granted);
	RUN(env_later_overrides_earlier_in_place);
	RUN(env_prefix_names_do_not_collide);
	RUN(env_bad_entries_are_refused);
	RUN(env_empty);
	return check_exit();
}
