// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The import table as data, built from imports.def. */
#include "wbpf/guest.h"

const struct wbpf_import wbpf_imports[] = {
#define WBPF_IMPORT(mod, name, params, results, handler) {mod, name, params, results, handler},
#include "wbpf/imports.def"
};

const size_t wbpf_imports_cnt = sizeof(wbpf_imports) / sizeof(wbpf_imports[0]);
