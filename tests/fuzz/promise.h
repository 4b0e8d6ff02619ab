/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every fuzz target checks with: a broken promise aborts, so
 * libFuzzer saves the input that broke it.
 */
#ifndef FUZZ_PROMISE_H
#define FUZZ_PROMISE_H

#include <stdio.h>
#include <stdlib.h>

#define PROMISE(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "broken promise at %s:%d: %s\n", \
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

static inline int all_zero(const void *p, size_t len)
{
	const unsigned char *b = p;

	while (len--)
		if (*b++)
			return 0;
	return 1;
}

#endif /* FUZZ_PROMISE_H */
