// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * lines_hand [N]: lines.c with the formatting done by hand instead of by
 * snprintf: the same events, the same bytes, the same checksum.
 */
#define LINES_BY_HAND 1
#include "lines.c"
