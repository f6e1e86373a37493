/* UNIT-LINK: w2c-driver/w2c.c */
// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The wasm2c version layer: which versions are which generation, and the C
 * names of each generation. The expected names are what wabt 1.0.32 and
 * 1.0.36 write for these modules and fields (copied from their output).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "w2c.h"

static struct wbpf_w2c gen(int g)
{
	struct wbpf_w2c w;

	memset(&w, 0, sizeof(w));
	w.gen = g;
	snprintf(w.version, sizeof(w.version), "%s", g == WBPF_W2C_GEN_32 ? "1.0.32" : "1.0.36");
	return w;
}

static void check_import(int g, const char *mod, const char *name, const char *want)
{
	struct wbpf_w2c w = gen(g);
	char *fn = wbpf_w2c__import_fn(&w, mod, strlen(mod), name, strlen(name));

	CHECK_STR(fn, want);
	free(fn);
}

static void w2c_versions_to_generations(void)
{
	struct wbpf_w2c w;
	char err[256];

	CHECK_EQ(wbpf_w2c__from_version(&w, "1.0.32\n", err, sizeof(err)), 0);
	CHECK_EQ(w.gen, WBPF_W2C_GEN_32);
	CHECK_STR(w.version, "1.0.32");
	CHECK_EQ(wbpf_w2c__from_version(&w, "1.0.33", err, sizeof(err)), 0);
	CHECK_EQ(w.gen, WBPF_W2C_GEN_33);
	CHECK_EQ(wbpf_w2c__from_version(&w, "1.0.36 (git~1.0.36-2)\n", err, sizeof(err)), 0);
	CHECK_EQ(w.gen, WBPF_W2C_GEN_33);
	CHECK_EQ(wbpf_w2c__from_version(&w, "1.1.0", err, sizeof(err)), 0);
	CHECK_EQ(w.gen, WBPF_W2C_GEN_33);
}

static void w2c_unsupported_version_named(void)
{
	struct wbpf_w2c w;
	char err[256];

	CHECK_EQ(wbpf_w2c__from_version(&w, "1.0.31\n", err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "unsupported wasm2c version 1.0.31") != NULL);
	CHECK_EQ(wbpf_w2c__from_version(&w, "garbage", err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "garbage") != NULL);
}

static void w2c_names_1_0_32(void)
{
	check_import(WBPF_W2C_GEN_32, "wasi_snapshot_preview1", "fd_write",
		     "Z_wasi_snapshot_preview1Z_fd_write");
	check_import(WBPF_W2C_GEN_32, "my-mod_x", "Zed_0xAB__c", "Z_myZ2Dmod_xZ_Z5Aed_0xAB__c");
	check_import(WBPF_W2C_GEN_32, "guest", "go-callback", "Z_guestZ_goZ2Dcallback");
	check_import(WBPF_W2C_GEN_32, "guest", "_start", "Z_guestZ__start");
}

static void w2c_names_1_0_33(void)
{
	struct wbpf_w2c w = gen(WBPF_W2C_GEN_33);
	char *s;

	check_import(WBPF_W2C_GEN_33, "wasi_snapshot_preview1", "fd_write",
		     "w2c_wasi__snapshot__preview1_fd_write");
	check_import(WBPF_W2C_GEN_33, "wasm_bpf", "wasm_load_bpf_object",
		     "w2c_wasm__bpf_wasm_load_bpf_object");
	check_import(WBPF_W2C_GEN_33, "my-mod_x", "Zed_0xAB__c",
		     "w2c_my0x2Dmod__x_Zed_0x0x41B_0x5Fc");
	check_import(WBPF_W2C_GEN_33, "guest", "go-callback", "w2c_guest_go0x2Dcallback");
	check_import(WBPF_W2C_GEN_33, "guest", "_start", "w2c_guest_0x5Fstart");
	s = wbpf_w2c__mangle_name(&w, "__indirect_function_table", 25);
	CHECK_STR(s, "0x5F_indirect_function_table");
	free(s);
	s = wbpf_w2c__import_instance_type(&w, "my-mod_x", 8);
	CHECK_STR(s, "struct w2c_my0x2Dmod__x");
	free(s);
}

int main(void)
{
	RUN(w2c_versions_to_generations);
	RUN(w2c_unsupported_version_named);
	RUN(w2c_names_1_0_32);
	RUN(w2c_names_1_0_33);
	return check_exit();
}
