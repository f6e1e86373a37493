/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * time.h for Wasm-eBPF guests: WASI's, with localtime()/localtime_r() that
 * honour a POSIX TZ string. wasi-libc has no time zones (its localtime is
 * UTC whatever TZ says), and a guest sees no host environment unless it is
 * given, so a tool prints local time when run as
 *
 *	WASMBPF_ENV_TZ=CET-1CEST,M3.5.0,M10.5.0/3 ./tool
 *
 * TZ is "STD OFFSET [DST [OFFSET] [,START[/TIME],END[/TIME]]]" (POSIX: OFFSET
 * is hours west of UTC, [+-]hh[:mm[:ss]]; START/END are Mm.w.d, Jn or n;
 * DST without rules uses M3.2.0,M11.1.0 as glibc does). Zone names from the
 * tz database ("Europe/Berlin") need the host's zoneinfo files, which a guest
 * does not have: they, and anything unparsable, give UTC and one message
 * through libbpf_set_print()'s callback or on stderr. mktime() is still UTC.
 */
#ifndef __WBPF_COMPAT_TIME_H
#define __WBPF_COMPAT_TIME_H

#include_next <time.h>

#include <stdlib.h>
#include <string.h>
#include "wbpf-print.h"

struct __wbpf_tz_rule {
	char kind; /* 'M', 'J', 'n' (zero-based day) */
	int m, w, d; /* M: month, week, weekday; J/n: d is the day */
	long time;   /* seconds after local midnight */
};

struct __wbpf_tz {
	char std[16], dst[16];
	long std_off, dst_off; /* seconds west of UTC */
	int has_dst;
	struct __wbpf_tz_rule start, end;
};

static inline const char *__wbpf_tz_name(const char *s, char *name, size_t size)
{
	size_t n = 0;

	if (*s == '<') {
		for (s++; *s && *s != '>'; s++)
			if (n + 1 < size)
				name[n++] = *s;
		if (*s != '>')
			return NULL;
		s++;
	} else {
		for (; (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'); s++)
			if (n + 1 < size)
				name[n++] = *s;
	}
	name[n] = '\0';
	return n >= 3 ? s : NULL;
}

/* [+-]hh[:mm[:ss]] in seconds */
static inline const char *__wbpf_tz_secs(const char *s, long *out)
{
	long sign = 1, v = 0, part;
	int i;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	for (i = 0; i < 3; i++) {
		if (*s < '0' || *s > '9')
			return i ? s : NULL;
		for (part = 0; *s >= '0' && *s <= '9'; s++)
			part = part * 10 + (*s - '0');
		v += part * (i == 0 ? 3600 : i == 1 ? 60 : 1);
		if (*s != ':' || i == 2)
			break;
		s++;
	}
	*out = sign * v;
	return s;
}

static inline const char *__wbpf_tz_rule(const char *s, struct __wbpf_tz_rule *r)
{
	char *end;

	if (*s == 'M') {
		r->kind = 'M';
		r->m = (int)strtol(s + 1, &end, 10);
		if (*end != '.')
			return NULL;
		r->w = (int)strtol(end + 1, &end, 10);
		if (*end != '.')
			return NULL;
		r->d = (int)strtol(end + 1, &end, 10);
		if (r->m < 1 || r->m > 12 || r->w < 1 || r->w > 5 || r->d < 0 || r->d > 6)
			return NULL;
	} else {
		r->kind = *s == 'J' ? 'J' : 'n';
		if (*s == 'J')
			s++;
		if (*s < '0' || *s > '9')
			return NULL;
		r->d = (int)strtol(s, &end, 10);
	}
	s = end;
	r->time = 7200;
	if (*s == '/')
		s = __wbpf_tz_secs(s + 1, &r->time);
	return s;
}

static inline int __wbpf_tz_parse(const char *s, struct __wbpf_tz *tz)
{
	memset(tz, 0, sizeof(*tz));
	if (!(s = __wbpf_tz_name(s, tz->std, sizeof(tz->std))) ||
	    !(s = __wbpf_tz_secs(s, &tz->std_off)))
		return -1;
	if (!*s)
		return 0;
	if (!(s = __wbpf_tz_name(s, tz->dst, sizeof(tz->dst))))
		return -1;
	tz->has_dst = 1;
	tz->dst_off = tz->std_off - 3600;
	if (*s && *s != ',' && !(s = __wbpf_tz_secs(s, &tz->dst_off)))
		return -1;
	if (!*s) /* no rules: the US ones, as glibc and musl assume */
		s = ",M3.2.0,M11.1.0";
	if (*s != ',' || !(s = __wbpf_tz_rule(s + 1, &tz->start)) || *s != ',' ||
	    !(s = __wbpf_tz_rule(s + 1, &tz->end)) || *s)
		return -1;
	return 0;
}

/* days from 1970-01-01 to y-m-d (proleptic Gregorian) */
static inline long long __wbpf_days(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* seconds (UTC-based day count) of the local midnight a rule names in year y */
static inline long long __wbpf_tz_rule_day(long long y, const struct __wbpf_tz_rule *r)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	long long first, day;
	int len, wd1, mday;

	if (r->kind == 'J') /* 1..365, February 29 never counted */
		return __wbpf_days(y, 1, 1) + r->d - 1 + (leap && r->d >= 60);
	if (r->kind == 'n')
		return __wbpf_days(y, 1, 1) + r->d;
	first = __wbpf_days(y, r->m, 1);
	wd1 = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
	len = mdays[r->m - 1] + (r->m == 2 && leap);
	mday = 1 + (r->d - wd1 + 7) % 7 + (r->w - 1) * 7;
	while (mday > len)
		mday -= 7;
	day = first + mday - 1;
	return day;
}

static inline struct tm *wbpf_localtime_r(const time_t *t, struct tm *tm)
{
	static char std[16], dst[16];
	static int warned;
	const char *env = getenv("TZ");
	struct __wbpf_tz tz;
	long long start, end, y;
	time_t local;
	long off;
	int isdst = 0;

	if (!env || !*env || __wbpf_tz_parse(env, &tz)) {
		if (env && *env && !warned++)
			__wbpf_pr(LIBBPF_WARN,
				  "TZ '%s' is not a POSIX TZ string (such as CET-1CEST): "
				  "times are UTC\n",
				  env);
		if (!gmtime_r(t, tm))
			return NULL;
		tm->tm_isdst = 0;
		tm->tm_gmtoff = 0;
		tm->tm_zone = "UTC";
		return tm;
	}
	off = tz.std_off;
	if (tz.has_dst) {
		local = *t - tz.std_off;
		if (!gmtime_r(&local, tm))
			return NULL;
		y = tm->tm_year + 1900LL;
		start = __wbpf_tz_rule_day(y, &tz.start) * 86400 + tz.start.time + tz.std_off;
		end = __wbpf_tz_rule_day(y, &tz.end) * 86400 + tz.end.time + tz.dst_off;
		if (start < end)
			isdst = *t >= start && *t < end;
		else
			isdst = !(*t >= end && *t < start);
		if (isdst)
			off = tz.dst_off;
	}
	local = *t - off;
	if (!gmtime_r(&local, tm))
		return NULL;
	memcpy(std, tz.std, sizeof(std));
	memcpy(dst, tz.dst, sizeof(dst));
	tm->tm_isdst = isdst;
	tm->tm_gmtoff = -off;
	tm->tm_zone = isdst ? dst : std;
	return tm;
}

static inline struct tm *wbpf_localtime(const time_t *t)
{
	static struct tm tm;

	return wbpf_localtime_r(t, &tm);
}

#define localtime(t) wbpf_localtime(t)
#define localtime_r(t, tm) wbpf_localtime_r(t, tm)

#endif /* __WBPF_COMPAT_TIME_H */
