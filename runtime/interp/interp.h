/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Private to wasmbpf-run (runtime/interp). */
#ifndef WBPF_INTERP_H
#define WBPF_INTERP_H

#include <stdint.h>

#include <string>
#include <vector>

/*
 * Rewrite the module in (wasm binary) so that wabt 1.0.32's interpreter
 * reports call stack exhaustion at every call_indirect (see guard.cc). Returns
 * 0 with the new binary in *out, or -EINVAL with wabt's message in *err.
 */
int wbpf_interp_guard_calls(const char *path, const std::vector<uint8_t> &in,
			    std::vector<uint8_t> *out, std::string *err);

#endif /* WBPF_INTERP_H */
