// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for netflow_dest_parse(), which judges root-supplied
 * sysctl and module parameter text in the kernel. The input is the text
 * (NUL-terminated here, as proc_dostring leaves it). Every result must
 * keep destparse.h's promises, and every accepted destination must read
 * back the same through netflow_dest_format() and a second parse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "destparse.h"
#include "promise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netflow_dest_spec d[NETFLOW_DEST_MAX + 1], back;
	char *text, err[128], buf[96];
	int n, i, j, m;

	if (size > 4096)
		return 0;
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	memset(err, 'x', sizeof(err));
	/* one guard slot past max: the parser must never write it */
	memset(&d[NETFLOW_DEST_MAX], 0xa5, sizeof(d[0]));
	n = netflow_dest_parse(text, d, NETFLOW_DEST_MAX, err, sizeof(err));
	PROMISE(memchr(err, '\0', sizeof(err)) != NULL);
	for (i = 0; i < (int)sizeof(d[0]); i++)
		PROMISE(((u8 *)&d[NETFLOW_DEST_MAX])[i] == 0xa5);
	if (n < 0) {
		PROMISE(n == -EINVAL);
		PROMISE(err[0] != '\0');
		free(text);
		return 0;
	}
	PROMISE(n >= 1 && n <= NETFLOW_DEST_MAX);
	PROMISE(err[0] == '\0');
	for (i = 0; i < n; i++) {
		PROMISE(d[i].family == 4 || d[i].family == 6);
		PROMISE(d[i].port >= 1);
		PROMISE(d[i].protocol == 0 || d[i].protocol == 5 ||
			d[i].protocol == 9 || d[i].protocol == 10);
		PROMISE(!(d[i].protocol == 5 && d[i].family == 6));
		/* an interface name always fits IFNAMSIZ with its NUL */
		PROMISE(memchr(d[i].ifname, '\0', NETFLOW_IFNAMSIZ) != NULL);
		if (d[i].family == 4) {
			PROMISE(all_zero(d[i].addr.b + 4, 12));
			if (d[i].has_src)
				PROMISE(all_zero(d[i].src.b + 4, 12));
		}
		if (!d[i].has_src)
			PROMISE(all_zero(&d[i].src, sizeof(d[i].src)));
		/* duplicates are merged: no two entries are the same */
		for (j = 0; j < i; j++)
			PROMISE(memcmp(&d[i].addr, &d[j].addr, 16) ||
				d[i].port != d[j].port ||
				d[i].family != d[j].family ||
				d[i].has_src != d[j].has_src ||
				memcmp(&d[i].src, &d[j].src, 16) ||
				strcmp(d[i].ifname, d[j].ifname));

		/* what /proc shows parses back to the same destination */
		m = netflow_dest_format(&d[i], buf, sizeof(buf));
		PROMISE(m > 0 && m < (int)sizeof(buf));
		PROMISE(netflow_dest_parse(buf, &back, 1, err,
					   sizeof(err)) == 1);
		PROMISE(back.family == d[i].family);
		PROMISE(back.port == d[i].port);
		PROMISE(back.protocol == d[i].protocol);
		PROMISE(!memcmp(&back.addr, &d[i].addr, sizeof(back.addr)));
	}
	free(text);
	return 0;
}
