/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The six wasm_bpf imports (docs/abi.md, "Imports") declared with every
 * pointer as a plain i32, so a test guest can pass any offset, and the
 * values the host answers with: Linux errno values and the map_operate
 * commands.
 */
#ifndef WBPF_RAW_IMPORTS_H
#define WBPF_RAW_IMPORTS_H

#include <stdint.h>

#define IMPORT(mod, name) __attribute__((import_module(mod), import_name(name)))

IMPORT("wasm_bpf", "wasm_load_bpf_object") long long load(uint32_t buf, uint32_t size);
IMPORT("wasm_bpf", "wasm_attach_bpf_program")
int attach(long long obj, uint32_t name, uint32_t target);
IMPORT("wasm_bpf", "wasm_bpf_buffer_poll")
int bpoll(long long obj, int fd, uint32_t fn, uint32_t ctx, uint32_t data, uint32_t max_size,
	  int timeout_ms);
IMPORT("wasm_bpf", "wasm_bpf_map_fd_by_name") int fd_by_name(long long obj, uint32_t name);
IMPORT("wasm_bpf", "wasm_bpf_map_operate")
int map_op(int fd, int cmd, uint32_t key, uint32_t value, uint32_t next_key, long long flags);
IMPORT("wasm_bpf", "wasm_close_bpf_object") int close_obj(long long obj);

/* Linux errno values, as the host returns them */
#define L_ENOENT 2
#define L_EBADF 9
#define L_EACCES 13
#define L_EFAULT 14
#define L_EBUSY 16
#define L_EEXIST 17
#define L_ENODEV 19
#define L_EINVAL 22
#define L_ERANGE 34
#define L_EOPNOTSUPP 95

/* wasm_bpf_map_operate's commands (BPF_MAP_*_ELEM, BPF_MAP_GET_NEXT_KEY) */
#define LOOKUP 1
#define UPDATE 2
#define DELETE 3
#define NEXT_KEY 4

/* a guest pointer as the i32 the imports take */
#define P(x) ((uint32_t)(uintptr_t)(x))

#endif /* WBPF_RAW_IMPORTS_H */
