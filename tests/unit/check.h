/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Unit test checks that always run (never assert(), which NDEBUG removes).
 * A test program defines test functions, calls RUN(fn) for each from main and
 * returns check_exit(). Output follows tests/run.sh: PASS/FAIL lines.
 */
#ifndef WBPF_CHECK_H
#define WBPF_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int check_failed_now;
static int check_failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
			check_failed_now = 1;                                                      \
		}                                                                                  \
	} while (0)

#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		long long _a = (long long)(a), _b = (long long)(b);                                \
		if (_a != _b) {                                                                    \
			fprintf(stderr, "%s:%d: check failed: %s == %s (%lld != %lld)\n", __FILE__, \
				__LINE__, #a, #b, _a, _b);                                         \
			check_failed_now = 1;                                                      \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *_a = (a), *_b = (b);                                                   \
		if (!_a || !_b || strcmp(_a, _b)) {                                                \
			fprintf(stderr, "%s:%d: check failed: %s == %s (\"%s\" != \"%s\")\n",       \
				__FILE__, __LINE__, #a, #b, _a ? _a : "(null)", _b ? _b : "(null)"); \
			check_failed_now = 1;                                                      \
		}                                                                                  \
	} while (0)

#define RUN(fn)                                                                                    \
	do {                                                                                       \
		check_failed_now = 0;                                                              \
		fn();                                                                              \
		if (check_failed_now) {                                                            \
			printf("FAIL %s: see the check lines above\n", #fn);                      \
			check_failures++;                                                          \
		} else {                                                                           \
			printf("PASS %s\n", #fn);                                                 \
		}                                                                                  \
		fflush(stdout);                                                                    \
	} while (0)

static inline int check_exit(void)
{
	return check_failures ? 1 : 0;
}

/* The count of non-overlapping occurrences of needle in s (NULL: 0). */
static inline int check_count(const char *s, const char *needle)
{
	int n = 0;

	while (s && (s = strstr(s, needle))) {
		n++;
		s += strlen(needle);
	}
	return n;
}

#endif /* WBPF_CHECK_H */
