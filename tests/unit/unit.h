/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal host unit-test helpers. Every test program prints one line per
 * test, "PASS: name" or "FAIL: name: why", and exits non-zero on a failure;
 * tests/run counts those lines into the final "N passed, N failed".
 * stdout is unbuffered: LeakSanitizer ends a leaking program with _exit(),
 * which would drop a buffered pipe's PASS/FAIL lines.
 */
#ifndef NETFLOW_UNIT_H
#define NETFLOW_UNIT_H

#include <stdio.h>
#include <stdlib.h>

static int unit_failed_total;
static int unit_failed_here;

__attribute__((constructor)) static void unit_stdout_unbuffered(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
}

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("  check failed at %s:%d: %s\n",		\
			       __FILE__, __LINE__, #cond);		\
			unit_failed_here++;				\
		}							\
	} while (0)

#define CHECK_EQ(a, b)							\
	do {								\
		unsigned long long _a = (a), _b = (b);			\
		if (_a != _b) {						\
			printf("  check failed at %s:%d: %s == %s "	\
			       "(%llu != %llu)\n", __FILE__, __LINE__,	\
			       #a, #b, _a, _b);				\
			unit_failed_here++;				\
		}							\
	} while (0)

/* Run one test function and report it by name. */
#define RUN_TEST(fn)							\
	do {								\
		unit_failed_here = 0;					\
		fn();							\
		if (unit_failed_here) {					\
			printf("FAIL: %s: %d checks failed\n", #fn,	\
			       unit_failed_here);			\
			unit_failed_total++;				\
		} else {						\
			printf("PASS: %s\n", #fn);			\
		}							\
	} while (0)

#define UNIT_EXIT() (unit_failed_total ? EXIT_FAILURE : EXIT_SUCCESS)

#endif /* NETFLOW_UNIT_H */
