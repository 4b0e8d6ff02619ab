// SPDX-License-Identifier: GPL-2.0
/*
 * tcshape command line: check, plan, apply, show, clear, and the one-liners
 * limit / unlimit which edit the last applied config and apply it.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply.h"
#include "show.h"
#include "tcshape.h"

#define DEFAULT_CONF "/etc/tcshape.conf"

static void usage(FILE *f)
{
	fprintf(f,
"usage: tcshape [-c FILE] [--offline] [--force] COMMAND\n"
"  check                  parse and validate the config\n"
"  plan                   print the tc -batch that apply would run\n"
"  apply                  apply the config (diff: only what changed)\n"
"  show [-i SECONDS]      configured vs measured rate per tenant\n"
"  clear                  remove what tcshape created\n"
"  limit DEV ADDR RATE[/CEIL] [up RATE[/CEIL]] [ifb IFB] [side lan|wan]\n"
"        [rate LINKRATE]  add or change one address's limit and apply\n"
"  unlimit DEV ADDR       remove that limit and apply\n"
"-c FILE defaults to %s; show, clear, limit and unlimit default\n"
"to the last applied config in $TCSHAPE_RUNDIR (/run/tcshape).\n",
		DEFAULT_CONF);
}

/* Link speed for `limit` on an iface not configured yet. */
static uint64_t link_rate(const char *dev)
{
	char *p = ts_fmt("/sys/class/net/%s/speed", dev);
	FILE *f = fopen(p, "r");
	long mbit = -1;

	free(p);
	if (f) {
		if (fscanf(f, "%ld", &mbit) != 1)
			mbit = -1;
		fclose(f);
	}
	return mbit > 0 ? (uint64_t)mbit * 1000000 : 10000000000ULL;
}

static int oneliner(struct ts_config *c, int argc, char **argv)
{
	const char *f = "command line", *dev, *addr;
	struct ts_iface *ifc;
	struct ts_tenant *t;
	char line[512], name[TS_NAME_MAX + 1];
	int i, unlimit = !strcmp(argv[0], "unlimit");

	if (argc < (unlimit ? 3 : 4)) {
		usage(stderr);
		return -1;
	}
	dev = argv[1];
	addr = argv[2];
	snprintf(name, sizeof(name), "%s", addr);
	t = ts_config_tenant(c, name);
	if (unlimit) {
		if (!t) {
			ts_err(f, 0, "no limit for %s", addr);
			return -1;
		}
		ts_tenant_del(c, t);
		return 0;
	}
	ifc = ts_config_iface(c, dev);
	if (!ifc) {
		size_t n = (size_t)snprintf(line, sizeof(line), "iface %s",
					    dev);

		for (i = 4; i + 1 < argc; i += 2)
			if (strcmp(argv[i], "up"))
				n += snprintf(line + n, sizeof(line) - n,
					      " %s %s", argv[i], argv[i + 1]);
		if (!strstr(line, " rate "))
			snprintf(line + n, sizeof(line) - n, " rate %llubit",
				 (unsigned long long)link_rate(dev));
		if (ts_config_line(c, line, f, 0))
			return -1;
	}
	if (t)
		ts_tenant_del(c, t);
	snprintf(line, sizeof(line), "tenant %s %s down %s up %s", name, addr,
		 argv[3], argv[3]);
	for (i = 4; i + 1 < argc; i += 2)
		if (!strcmp(argv[i], "up"))
			snprintf(line, sizeof(line), "tenant %s %s down %s "
				 "up %s", name, addr, argv[3], argv[i + 1]);
	return ts_config_line(c, line, f, 0);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "offline", no_argument, NULL, 'n' },
		{ "force", no_argument, NULL, 'f' },
		{ "interval", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *conf = NULL, *cmd;
	struct ts_config c;
	double interval = 1.0;
	int opt, offline = 0, force = 0, rc = 0, lock = -1;
	char *applied;

	while ((opt = getopt_long(argc, argv, "c:nfi:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			conf = optarg;
			break;
		case 'n':
			offline = 1;
			break;
		case 'f':
			force = 1;
			break;
		case 'i':
			interval = atof(optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	cmd = argv[optind];
	if (!strcmp(cmd, "show") && optind + 2 < argc &&
	    !strcmp(argv[optind + 1], "-i"))
		interval = atof(argv[optind + 2]);
	ts_config_init(&c);
	applied = ts_fmt("%s/applied.conf", ts_rundir());
	if (strcmp(cmd, "check") && strcmp(cmd, "plan") &&
	    (!offline || strcmp(cmd, "plan"))) {
		lock = ts_lock();
		if (lock < 0)
			return 1;
	}
	if (!strcmp(cmd, "limit") || !strcmp(cmd, "unlimit")) {
		if (!conf && access(applied, F_OK) == 0)
			rc = ts_config_load(&c, applied);
		else if (conf)
			rc = ts_config_load(&c, conf);
		if (!rc)
			rc = oneliner(&c, argc - optind, argv + optind);
		if (!rc && !c.nifc)
			rc = ts_clear(NULL);
		else if (!rc && !(rc = ts_config_check(&c)))
			rc = ts_apply(&c, TS_APPLY, force);
	} else if (!strcmp(cmd, "clear")) {
		if (conf)
			rc = ts_config_load(&c, conf);
		if (!rc)
			rc = ts_clear(conf ? &c : NULL);
	} else if (!strcmp(cmd, "check") || !strcmp(cmd, "plan") ||
		   !strcmp(cmd, "apply") || !strcmp(cmd, "show")) {
		if (!conf)
			conf = !strcmp(cmd, "show") && !access(applied, F_OK)
			       ? applied : DEFAULT_CONF;
		rc = ts_config_load(&c, conf);
		if (!rc)
			rc = ts_config_check(&c);
		if (rc)
			;
		else if (!strcmp(cmd, "plan"))
			rc = ts_apply(&c, offline ? TS_OFFLINE : TS_PLAN,
				      force);
		else if (!strcmp(cmd, "apply"))
			rc = ts_apply(&c, TS_APPLY, force);
		else if (!strcmp(cmd, "show"))
			rc = ts_show(&c, interval);
		else
			printf("%s: %s: %zu ifaces, %zu tenants: ok\n",
			       ts_prog, conf, c.nifc, c.nt);
	} else {
		ts_err(NULL, 0, "unknown command '%s'", cmd);
		usage(stderr);
		rc = -1;
	}
	if (rc && strcmp(cmd, "check") && strcmp(cmd, "show") &&
	    strcmp(cmd, "clear"))
		fprintf(stderr, "%s: nothing applied\n", ts_prog);
	ts_config_free(&c);
	free(applied);
	if (lock >= 0)
		close(lock);
	return rc ? 1 : 0;
}
