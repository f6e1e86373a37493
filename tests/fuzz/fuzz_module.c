// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer target: the front end of wasmbpf-aot on arbitrary bytes, as the
 * driver runs it before wasm2c sees the module: the module reader, the import
 * and export checks against the import table (strict, then with unknown
 * imports allowed), the glue C written for a module that passes, and the
 * guest libc routines' search and renaming (libcfn.c: on what it finds, else
 * on the first defined functions, as if they were routines; a renamed module
 * must read again). Any input must end in "accepted" or a one-line reason,
 * never a crash, a leak or undefined behaviour.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "libcfn.h"
#include "w2c.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static void libc_routines(const uint8_t *data, size_t len, const struct wbpf_wasm *m)
{
	struct wbpf_libcfns fns;
	struct wbpf_wasm again = {0};
	char err[256];
	uint8_t *out;
	size_t outlen = 0;
	uint32_t i;

	wbpf_libcfn__find(data, len, m, &fns);
	for (i = 0; !fns.n && i < m->nfuncs && i < 3; i++) {
		fns.fn[i].func = m->nfunc_imports + i;
		fns.fn[i].kind = (enum wbpf_libcfn_kind)(i % WBPF_LIBC_NKINDS);
	}
	if (!fns.n)
		fns.n = i;
	out = wbpf_libcfn__rename(data, len, m, &fns, &outlen);
	if (!out)
		return;
	if (wbpf_wasm__parse(out, outlen, &again, err, sizeof(err)))
		abort(); /* the renamed module no longer reads */
	wbpf_wasm__free(&again);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct wbpf_wasm m = {0};
	char err[256];
	int pass;

	if (wbpf_wasm__parse(data, len, &m, err, sizeof(err))) {
		if (!err[0] || strchr(err, '\n'))
			abort();     /* a refusal is one line */
		wbpf_wasm__free(&m); /* safe, and needed, after a failure too */
		return 0;
	}
	libc_routines(data, len, &m);
	for (pass = 0; pass < 4; pass++) {
		struct wbpf_glue g = {0};
		struct wbpf_w2c w2c;
		char *text = NULL;
		size_t textlen = 0;
		FILE *f;

		err[0] = '\0';
		/* both wasm2c generations: the glue of each */
		if (wbpf_w2c__from_version(&w2c, pass < 2 ? "1.0.32" : "1.0.36", err, sizeof(err)))
			abort();
		g.w2c = &w2c;
		if (wbpf_check_module(&g.chk, &m, pass & 1, err, sizeof(err))) {
			if (!err[0] || strchr(err, '\n'))
				abort();
			wbpf_glue__free(&g);
			continue;
		}
		/* what wbpf_glue__read_header would find for this module */
		g.hdr.instantiate_args = (int)g.chk.nimport_modules;
		strcpy(g.hdr.table_field, "w2c_T0");
		f = open_memstream(&text, &textlen);
		if (!f)
			abort();
		if (wbpf_glue__write_options(&g, &m, f) || wbpf_glue__write(&g, f))
			abort();
		fclose(f);
		free(text);
		wbpf_glue__free(&g);
	}
	wbpf_wasm__free(&m);
	return 0;
}
