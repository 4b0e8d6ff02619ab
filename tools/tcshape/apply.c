// SPDX-License-Identifier: GPL-2.0
/*
 * plan / apply / clear. The current state comes from tc; /run/tcshape only
 * records what tcshape created (root qdisc, ingress qdisc, IFB device) so
 * that `clear` removes exactly that and apply never takes over a root that
 * someone else installed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "apply.h"
#include "plan.h"

const char *ts_rundir(void)
{
	const char *p = getenv("TCSHAPE_RUNDIR");

	return p && *p ? p : "/run/tcshape";
}

static const char *ip_path(void)
{
	const char *p = getenv("TCSHAPE_IP");

	return p && *p ? p : "ip";
}

int ts_lock(void)
{
	char *path;
	int fd;

	mkdir(ts_rundir(), 0755);
	path = ts_fmt("%s/lock", ts_rundir());
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	free(path);
	if (fd < 0 || flock(fd, LOCK_EX)) {
		ts_err(ts_rundir(), 0, "cannot lock: %s", strerror(errno));
		return -1;
	}
	return fd;
}

static int dev_exists(const char *dev)
{
	char *p = ts_fmt("/sys/class/net/%s", dev);
	int ok = access(p, F_OK) == 0;

	free(p);
	return ok;
}

/* Ownership words for dev: "root", "ingress", "ifb". */
static int owned(const char *dev, const char *what)
{
	char *p = ts_fmt("%s/owned-%s", ts_rundir(), dev), line[64];
	FILE *f = fopen(p, "r");
	int yes = 0;

	free(p);
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, what, strlen(what)) &&
		    line[strlen(what)] == '\n')
			yes = 1;
	if (f)
		fclose(f);
	return yes;
}

static void own(const char *dev, const char *what)
{
	char *p;
	FILE *f;

	if (owned(dev, what))
		return;
	p = ts_fmt("%s/owned-%s", ts_rundir(), dev);
	f = fopen(p, "a");
	if (f) {
		fprintf(f, "%s\n", what);
		fclose(f);
	}
	free(p);
}

/* Runs argv with data on stdin; returns the exit status. */
static int run_stdin(char *const argv[], const char *data, size_t len)
{
	int fd[2], status = -1;
	pid_t pid;

	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		dup2(fd[0], 0);
		close(fd[0]);
		close(fd[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "%s: cannot run %s: %s\n", ts_prog, argv[0],
			strerror(errno));
		_exit(127);
	}
	close(fd[0]);
	while (len) {
		ssize_t w = write(fd[1], data, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		data += w;
		len -= w;
	}
	close(fd[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int run(const char *a0, const char *a1, const char *a2,
	       const char *a3, const char *a4, const char *a5, const char *a6)
{
	char *argv[] = { (char *)a0, (char *)a1, (char *)a2, (char *)a3,
			 (char *)a4, (char *)a5, (char *)a6, NULL };

	return run_stdin(argv, "", 0);
}

/* Refuses roots and ingress qdiscs that tcshape did not create. */
static int check_owner(const struct ts_tree *t, const char *kind, int handle,
		       const struct ts_objs *cur, int force)
{
	const struct ts_iface *f = t->ifc;
	char *ing;
	int rc = 0;

	if (handle > 0 && !(handle == 1 && !strcmp(kind, "htb"))) {
		ts_err(f->file, f->line, "%s has a root qdisc %s %x: that "
		       "tcshape did not create; remove it first", t->dev,
		       kind, handle);
		rc = -1;
	} else if (handle == 1 && !force && !owned(t->dev, "root")) {
		ts_err(f->file, f->line, "root htb 1: on %s was not created "
		       "by tcshape; use --force to take it over", t->dev);
		rc = -1;
	}
	ing = ts_fmt("%s ingress", t->dev);
	if (!t->is_ifb && f->ifb[0] && ts_objs_find(cur, ing) && !force &&
	    !owned(t->dev, "ingress")) {
		ts_err(f->file, f->line, "%s already has an ingress qdisc "
		       "tcshape did not create; use --force", t->dev);
		rc = -1;
	}
	free(ing);
	return rc;
}

static void save_config(const struct ts_config *c)
{
	char *p = ts_fmt("%s/applied.conf", ts_rundir());
	char *tmp = ts_fmt("%s.tmp", p);
	FILE *f = fopen(tmp, "w");

	if (f) {
		fprintf(f, "# written by tcshape apply; edit your own config "
			"instead\n");
		ts_config_write(c, f);
		if (!fclose(f))
			rename(tmp, p);
	}
	free(tmp);
	free(p);
}

int ts_apply(const struct ts_config *c, enum ts_mode mode, int force)
{
	struct ts_tree *tr = ts_xalloc(2 * c->nifc * sizeof(*tr));
	size_t nt = ts_plan_trees(c, tr), i, n = 0, len = 0;
	struct ts_objs cur = { 0 }, want = { 0 };
	char *batch = NULL;
	FILE *bf;
	int rc = 0;

	for (i = 0; mode != TS_OFFLINE && i < c->nifc; i++)
		if (!dev_exists(c->ifc[i].dev)) {
			ts_err(c->ifc[i].file, c->ifc[i].line,
			       "unknown interface %s", c->ifc[i].dev);
			rc = -1;
		}
	for (i = 0; !rc && mode != TS_OFFLINE && i < nt; i++) {
		char kind[32] = "";
		int handle = -1;

		if (!dev_exists(tr[i].dev))
			continue;	/* an IFB device still to create */
		if (ts_state_read(tr[i].dev, &cur, kind, sizeof(kind),
				  &handle)) {
			ts_err(tr[i].ifc->file, tr[i].ifc->line, "cannot read "
			       "tc state of %s", tr[i].dev);
			rc = -1;
		} else if (check_owner(&tr[i], kind, handle, &cur, force)) {
			rc = -1;
		}
	}
	ts_objs_sort(&cur);
	if (!rc)
		rc = ts_plan(c, &cur, &want, NULL);
	if (rc)
		goto out;
	bf = open_memstream(&batch, &len);
	n = ts_diff(&want, &cur, bf);
	fclose(bf);
	if (mode != TS_APPLY) {
		fputs(batch, stdout);
		goto out;
	}
	if (!n) {
		printf("%s: no changes\n", ts_prog);
		save_config(c);
		goto out;
	}
	for (i = 0; i < nt; i++) {
		if (tr[i].is_ifb && !dev_exists(tr[i].dev)) {
			if (run(ip_path(), "link", "add", tr[i].dev, "type",
				"ifb", NULL) ||
			    run(ip_path(), "link", "set", tr[i].dev, "up",
				NULL, NULL)) {
				ts_err(tr[i].ifc->file, tr[i].ifc->line,
				       "cannot create IFB device %s (is the "
				       "ifb module available?)", tr[i].dev);
				rc = -1;
				goto out;
			}
			own(tr[i].dev, "ifb");
		}
		/* recorded first: a half-applied batch is still ours */
		own(tr[i].dev, "root");
		if (tr[i].is_ifb)
			own(tr[i].ifc->dev, "ingress");
	}
	{
		char *argv[] = { (char *)ts_tc_path(), "-batch", "-", NULL };
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = run_stdin(argv, batch, len);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (rc) {
			ts_err(NULL, 0, "tc -batch failed (exit %d) after "
			       "partial apply; run apply again to converge or "
			       "'clear'", rc);
			rc = -1;
			goto out;
		}
		printf("%s: applied %zu changes in %.0f ms\n", ts_prog, n,
		       (t1.tv_sec - t0.tv_sec) * 1e3 +
		       (t1.tv_nsec - t0.tv_nsec) / 1e6);
	}
	save_config(c);
out:
	free(batch);
	ts_objs_free(&cur);
	ts_objs_free(&want);
	free(tr);
	return rc;
}

static void clear_dev(const char *dev, int pass)
{
	char *argv[] = { (char *)ts_tc_path(), "-j", "qdisc", "show", "dev",
			 (char *)dev, NULL };
	char *q;

	if (pass == 0 && owned(dev, "ingress"))
		run(ts_tc_path(), "qdisc", "del", "dev", dev, "ingress",
		    NULL);
	if (pass == 0 && owned(dev, "root")) {
		q = ts_run_capture(argv);
		/* only our own handle: someone may have replaced it since */
		if (q && strstr(q, "\"kind\":\"htb\",\"handle\":\"1:\""))
			run(ts_tc_path(), "qdisc", "del", "dev", dev, "root",
			    NULL);
		free(q);
	}
	if (pass == 1) {
		char *p = ts_fmt("%s/owned-%s", ts_rundir(), dev);

		if (owned(dev, "ifb"))
			run(ip_path(), "link", "del", dev, NULL, NULL, NULL);
		unlink(p);
		free(p);
	}
}

int ts_clear(const struct ts_config *c)
{
	struct dirent **ent;
	int n, i, pass, left = 0;

	n = scandir(ts_rundir(), &ent, NULL, alphasort);
	if (n < 0)
		n = 0;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n; i++) {
			const char *dev = ent[i]->d_name + 6;

			if (strncmp(ent[i]->d_name, "owned-", 6))
				continue;
			if (c && !ts_config_iface((struct ts_config *)c, dev)) {
				left += pass;
				continue;
			}
			clear_dev(dev, pass);
			if (pass)
				printf("%s: cleared %s\n", ts_prog, dev);
		}
	for (i = 0; i < n; i++)
		free(ent[i]);
	free(ent);
	if (!left) {
		char *p = ts_fmt("%s/applied.conf", ts_rundir());

		unlink(p);
		free(p);
	}
	return 0;
}
