/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one parser of decimal numbers given by people (options, environment
 * variables), shared by the runtime and wasmbpf-aot.
 */
#ifndef WBPF_NUMBER_H
#define WBPF_NUMBER_H

/* Parse all of s as a decimal number in [min, max]. 0, or -EINVAL (empty,
 * not a number, trailing characters) or -ERANGE; *out is set only on 0. */
int wbpf_parse_long(const char *s, long min, long max, long *out);

#endif /* WBPF_NUMBER_H */
