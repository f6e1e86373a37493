/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The engine's view of the wasm2c generation the runtime is built for. The
 * build writes wbpf/w2c-config.h (WBPF_W2C_GEN: 32 for wabt 1.0.32, 33 for
 * 1.0.33 and later) from what w2c-driver/w2c.c detects; this header turns it
 * into the few things the AOT engine needs. Everything else about wasm2c's
 * output (names, instance struct, instantiate) is written into each
 * program's glue by the driver, through the same module.
 */
#ifndef WBPF_W2C_RT_H
#define WBPF_W2C_RT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <wasm-rt.h>

#include "w2c-config.h"

#if WBPF_W2C_GEN >= 33
/* wasm_rt_impl_try() of wasm-rt-impl.h uses wasm_rt_set_unwind_target() */
#include <wasm-rt-exceptions.h>

/* a function type is a pointer to its 256-bit hash; equal types may come from
 * different hash copies, so compare the bytes as wasm2c's call_indirect does */
typedef wasm_rt_func_type_t wbpf_w2c_func_type;

static inline bool wbpf_w2c_func_type_eq(wbpf_w2c_func_type a, wbpf_w2c_func_type b)
{
	return a == b || (a && b && !memcmp(a, b, 32));
}
#else
/* a function type is the index wasm_rt_register_func_type() returned */
typedef uint32_t wbpf_w2c_func_type;

static inline bool wbpf_w2c_func_type_eq(wbpf_w2c_func_type a, wbpf_w2c_func_type b)
{
	return a == b;
}
#endif

/* The bytes of a linear memory, in 64 bits in every generation: at 65536
 * pages 1.0.32's 32-bit `size` field wraps to 0. */
static inline uint64_t wbpf_w2c_mem_size(const wasm_rt_memory_t *m)
{
	return (uint64_t)m->pages * 65536;
}

#endif /* WBPF_W2C_RT_H */
