// SPDX-License-Identifier: GPL-2.0
/*
 * Error reporting, allocation, rate and address parsing/formatting.
 * Rates follow tc's units so a config reads like the tc it becomes.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tcshape.h"

const char *ts_prog = "tcshape";

static void vreport(const char *kind, const char *file, int line,
		    const char *fmt, va_list ap)
{
	if (file && line > 0)
		fprintf(stderr, "%s: %s:%d: %s", ts_prog, file, line, kind);
	else if (file)
		fprintf(stderr, "%s: %s: %s", ts_prog, file, kind);
	else
		fprintf(stderr, "%s: %s", ts_prog, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void ts_err(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", file, line, fmt, ap);
	va_end(ap);
}

void ts_warn(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", file, line, fmt, ap);
	va_end(ap);
}

void *ts_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "%s: out of memory\n", ts_prog);
		exit(2);
	}
	return p;
}

void *ts_xalloc(size_t n)
{
	void *p = ts_xrealloc(NULL, n);

	memset(p, 0, n ? n : 1);
	return p;
}

char *ts_xstrdup(const char *s)
{
	return strcpy(ts_xalloc(strlen(s) + 1), s);
}

char *ts_fmt(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	p = ts_xalloc(n + 1);
	va_start(ap, fmt);
	vsnprintf(p, n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* tc's units: *bit are bits, *bps are BYTES per second (tc-units(8)). */
static const struct {
	const char *name;
	double scale;
} units[] = {
	{ "bit", 1 }, { "kbit", 1e3 }, { "mbit", 1e6 }, { "gbit", 1e9 },
	{ "tbit", 1e12 }, { "kibit", 1024.0 }, { "mibit", 1048576.0 },
	{ "gibit", 1073741824.0 }, { "tibit", 1099511627776.0 },
	{ "bps", 8 }, { "kbps", 8e3 }, { "mbps", 8e6 }, { "gbps", 8e9 },
	{ "tbps", 8e12 },
};

int ts_parse_rate(const char *s, uint64_t *bits)
{
	char *end;
	double v;
	size_t i;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !*end)
		return -1;	/* unit mandatory: a bare tc number is bytes */
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcasecmp(end, units[i].name))
			continue;
		v = v * units[i].scale;
		/* HTB keeps 64-bit bytes/s; refuse what cannot round-trip */
		if (v < 8 || v > 8e15)
			return -1;
		*bits = (uint64_t)llround(v);
		return 0;
	}
	return -1;
}

void ts_rate_str(uint64_t bits, char *buf, size_t len)
{
	static const char *const name[] = { "bit", "kbit", "mbit", "gbit" };
	int i = 0;

	while (i < 3 && bits >= 1000 && bits % 1000 == 0) {
		bits /= 1000;
		i++;
	}
	snprintf(buf, len, "%llu%s", (unsigned long long)bits, name[i]);
}

/*
 * The text `tc class show` prints for a rate. HTB's JSON dump is missing
 * in iproute2 6.1, so the diff compares rates at this precision.
 */
void ts_tc_rate_str(uint64_t bits, char *buf, size_t len)
{
	static const char *const unit[] = { "", "K", "M", "G", "T" };
	uint64_t r = bits / 8 * 8;
	int i;

	for (i = 0; i < 4; i++) {
		if (r < 1000)
			break;
		if (r % 1000 && r < 1000 * 1000)
			break;
		r /= 1000;
	}
	snprintf(buf, len, "%llu%sbit", (unsigned long long)r, unit[i]);
}

int ts_parse_u32(const char *s, uint32_t *v)
{
	unsigned long long x;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || *end || x > 0xffffffffULL)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* Returns 0, -1 if malformed, -2 if bits beyond the prefix are set. */
int ts_parse_addr(const char *s, struct ts_addr *a)
{
	char buf[64], *slash;
	int max, i;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	memset(a, 0, sizeof(*a));
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, a->a) == 1) {
		a->family = 4;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, a->a) == 1) {
		a->family = 6;
		max = 128;
	} else {
		return -1;
	}
	a->len = max;
	if (slash) {
		char *end;
		long l;

		if (!isdigit((unsigned char)*slash))
			return -1;
		l = strtol(slash, &end, 10);
		if (*end || l < 1 || l > max)
			return -1;
		a->len = (int)l;
	}
	for (i = a->len; i < max; i++)
		if (a->a[i / 8] & (0x80 >> (i % 8)))
			return -2;
	return 0;
}

void ts_addr_str(const struct ts_addr *a, char *buf, size_t len)
{
	char tmp[INET6_ADDRSTRLEN];

	inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->a, tmp,
		  sizeof(tmp));
	if (a->len == (a->family == 4 ? 32 : 128))
		snprintf(buf, len, "%s", tmp);
	else
		snprintf(buf, len, "%s/%d", tmp, a->len);
}
