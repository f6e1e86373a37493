/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * argp.h: glibc's argument parser does not exist in WASI's C library (and the
 * host's glibc header cannot be used by a wasm32 guest). Port the option
 * parsing to getopt_long (<getopt.h>), as wasm-sdk/PORTING.md shows.
 */
#error "argp is glibc-only and not available to Wasm guests: parse options with getopt_long from <getopt.h> (see wasm-sdk/PORTING.md)"
