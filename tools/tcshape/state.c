// SPDX-License-Identifier: GPL-2.0
/*
 * Current state, read back from tc itself rather than from a state file:
 * the kernel is the truth after a partial failure, a reboot or a hand edit,
 * and the diff then repairs it. qdiscs and filters come from `tc -j`;
 * iproute2 6.1 prints HTB classes only as text, so those are parsed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json.h"
#include "plan.h"

const char *ts_tc_path(void)
{
	const char *p = getenv("TCSHAPE_TC");

	return p && *p ? p : "tc";
}

/* Runs argv, returns its stdout (NUL-terminated) or NULL if it failed. */
char *ts_run_capture(char *const argv[])
{
	size_t len = 0, cap = 65536;
	char *buf;
	int fd[2], status;
	ssize_t r;
	pid_t pid;

	if (pipe(fd))
		return NULL;
	pid = fork();
	if (pid < 0)
		return NULL;
	if (!pid) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "%s: cannot run %s: %s\n", ts_prog, argv[0],
			strerror(errno));
		_exit(127);
	}
	close(fd[1]);
	buf = ts_xalloc(cap);
	while ((r = read(fd[0], buf + len, cap - len - 1)) > 0 ||
	       (r < 0 && errno == EINTR)) {
		if (r < 0)
			continue;
		len += r;
		if (cap - len < 2)
			buf = ts_xrealloc(buf, cap *= 2);
	}
	buf[len] = '\0';
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static unsigned long hex(const char *s)
{
	return s ? strtoul(s, NULL, 16) : 0;
}

int ts_state_qdisc_json(const char *dev, const char *json, struct ts_objs *o,
			char *root_kind, size_t kindlen, int *root_handle)
{
	struct ts_json *j = ts_json_parse(json);
	const struct ts_json *q;

	if (!j || j->type != TS_J_ARR) {
		ts_json_free(j);
		return -1;
	}
	*root_kind = '\0';
	*root_handle = -1;
	for (q = j->kid; q; q = q->next) {
		const char *kind = ts_json_str(q, "kind");
		const char *handle = ts_json_str(q, "handle");
		const char *parent = ts_json_str(q, "parent");
		const struct ts_json *root = ts_json_get(q, "root");

		if (!kind || !handle)
			continue;
		if (root && root->val && !strcmp(root->val, "true")) {
			snprintf(root_kind, kindlen, "%s", kind);
			*root_handle = (int)hex(handle);
			if (!strcmp(kind, "htb") && hex(handle) == 1) {
				const char *def = ts_json_str(
					ts_json_get(q, "options"), "default");

				ts_objs_add(o, TS_P_ROOT,
					    ts_fmt("%s qdisc root", dev),
					    ts_fmt("htb 1: default %lx",
						   hex(def)), NULL, NULL,
					    ts_fmt("qdisc del dev %s root",
						   dev), 1);
			}
		} else if (!strcmp(kind, "ingress")) {
			ts_objs_add(o, TS_P_INGRESS, ts_fmt("%s ingress", dev),
				    ts_xstrdup("ingress"), NULL, NULL,
				    ts_fmt("qdisc del dev %s handle ffff: "
					   "ingress", dev), 0);
		} else if (parent && !strncmp(parent, "1:", 2)) {
			ts_objs_add(o, TS_P_LEAF,
				    ts_fmt("%s leaf %s", dev, parent),
				    ts_fmt("%s %s", kind, handle), NULL, NULL,
				    NULL, (uint32_t)hex(parent + 2));
		}
	}
	ts_json_free(j);
	return 0;
}

/* "class htb 1:1a parent 1:1 leaf 1a: prio 3 quantum 1600 rate 1Mbit ..." */
int ts_state_class_text(const char *dev, const char *text, struct ts_objs *o)
{
	const char *line = text;

	for (; line && *line; line = strchr(line, '\n'), line += !!line) {
		char buf[512], *tok, *save = NULL;
		char id[16] = "", rate[32] = "", ceil[32] = "";
		char prio[16] = "", quantum[16] = "";
		size_t n = strcspn(line, "\n");
		unsigned int minor;

		if (strncmp(line, "class htb 1:", 12) || n >= sizeof(buf))
			continue;
		memcpy(buf, line, n);
		buf[n] = '\0';
		strtok_r(buf, " ", &save);
		strtok_r(NULL, " ", &save);
		snprintf(id, sizeof(id), "%s", strtok_r(NULL, " ", &save));
		while ((tok = strtok_r(NULL, " ", &save))) {
			char *v = NULL, *dst = NULL;

			if (!strcmp(tok, "rate") && !rate[0])
				dst = rate;
			else if (!strcmp(tok, "ceil") && !ceil[0])
				dst = ceil;
			else if (!strcmp(tok, "prio") && !prio[0])
				dst = prio;
			else if (!strcmp(tok, "quantum") && !quantum[0])
				dst = quantum;
			if (dst && (v = strtok_r(NULL, " ", &save)))
				snprintf(dst, 16, "%s", v);
		}
		minor = (unsigned int)hex(id + 2);
		if (minor == 1) {
			ts_objs_add(o, TS_P_ROOTCLASS,
				    ts_fmt("%s class 1:1", dev),
				    ts_fmt("rate %s ceil %s", rate, ceil),
				    NULL, NULL, NULL, 1);
			continue;
		}
		ts_objs_add(o, TS_P_CLASS, ts_fmt("%s class %s", dev, id),
			    ts_fmt("rate %s ceil %s prio %s quantum %s", rate,
				   ceil, prio, quantum), NULL, NULL,
			    ts_fmt("class del dev %s classid %s", dev, id),
			    minor);
	}
	return 0;
}

/* "value/mask@off ..." for every selector key, as the planner writes it. */
static char *matchkey(const struct ts_json *opt)
{
	const struct ts_json *k;
	char buf[256] = "";
	size_t len = 0;

	for (k = opt->kid; k && len < sizeof(buf); k = k->next) {
		if (!k->key || strcmp(k->key, "match"))
			continue;
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s/%s@%s",
				len ? " " : "", ts_json_str(k, "value"),
				ts_json_str(k, "mask"), ts_json_str(k, "off"));
	}
	return ts_xstrdup(buf);
}

static const char *find_str(const struct ts_json *j, const char *key)
{
	for (; j; j = j->next) {
		const char *s;

		if (j->key && !strcmp(j->key, key) && j->val)
			return j->val;
		s = find_str(j->kid, key);
		if (s)
			return s;
	}
	return NULL;
}

static void u32_obj(const char *dev, const struct ts_json *opt,
		    unsigned long pref, const char *proto, struct ts_objs *o)
{
	const char *fh = ts_json_str(opt, "fh");
	const char *link = ts_json_str(opt, "link");
	const char *hm = ts_json_str(opt, "hash_mask");
	const char *flow = ts_json_str(opt, "flowid");
	unsigned long h, b = 0, node = 0;
	char *end, *del, *spec;

	if (!fh)
		return;
	h = strtoul(fh, &end, 16);
	if (*end == ':' && end[1])
		b = strtoul(end + 1, &end, 16);
	if (*end == ':' && end[1])
		node = strtoul(end + 1, &end, 16);
	if (ts_json_get(opt, "ht_divisor")) {
		if (h < 0x800)
			ts_objs_add(o, TS_P_HT, ts_fmt("%s ht %lx", dev, h),
				    ts_fmt("prio %lu %s divisor %s", pref,
					   proto, ts_json_str(opt,
							      "ht_divisor")),
				    NULL, NULL, NULL, (uint32_t)h << 20);
		return;
	}
	del = ts_fmt("filter del dev %s parent 1: prio %lu protocol %s "
		     "handle %s u32", dev, pref, proto, fh);
	spec = link && hm ? ts_fmt("link %s %s@%s", link, hm,
				   ts_json_str(opt, "hash_off"))
			  : ts_fmt("link %s", link ? link : "-");
	if (h >= 0x800 && link) {
		ts_objs_add(o, TS_P_ROOTLINK, ts_fmt("%s root %lu", dev, pref),
			    spec, NULL, NULL, del, 0);
	} else if (link) {
		ts_objs_add(o, TS_P_LINK, ts_fmt("%s link %lx:%lx", dev, h, b),
			    spec, NULL, NULL, del,
			    (uint32_t)(h << 20 | b << 12 | node));
	} else {
		char *mk = matchkey(opt);

		free(spec);
		/* anything else under our root is stale: key it to delete */
		ts_objs_add(o, TS_P_ENT, ts_fmt("%s ent %lx:%lx %s", dev,
						h >= 0x800 ? 0xfff : h, b, mk),
			    ts_fmt("flowid %s", flow ? flow : "-"), NULL,
			    NULL, del, (uint32_t)(h << 20 | b << 12 | node));
		free(mk);
	}
}

/* Copies the word after `word` in plain text; "" if there is none. */
static void text_arg(const char *text, const char *word, char *buf,
		     size_t len)
{
	size_t n = strlen(word), k;

	*buf = '\0';
	while (text && *text) {
		text += strspn(text, " \t\n");
		k = strcspn(text, " \t\n");
		if (k == n && !strncmp(text, word, n)) {
			text += k;
			text += strspn(text, " \t\n");
			k = strcspn(text, " \t\n");
			snprintf(buf, len, "%.*s", (int)k, text);
			return;
		}
		text += k;
	}
}

/*
 * fw filter. iproute2 6.8 and later print "fw":{"mark":"0x10","mask":
 * "0xffffffff"},"classid":"1:10"; older ones (Debian 12's 6.1) print the
 * options as plain text even under -j, which the JSON reader keeps as
 * "text": "handle 0x10[/0xff] classid 1:10".
 */
static void fw_obj(const char *dev, const struct ts_json *opt,
		   unsigned long pref, const char *proto, struct ts_objs *o)
{
	const struct ts_json *fw = ts_json_get(opt, "fw");
	const char *cl = ts_json_str(opt, "classid");
	unsigned long mark = 0, mask = 0xffffffff;
	char h[32], c[32];
	char *end, *spec;

	if (fw) {
		mark = strtoul(ts_json_str(fw, "mark") ?: "0", NULL, 0);
		mask = strtoul(ts_json_str(fw, "mask") ?: "0xffffffff", NULL,
			       0);
	} else {
		text_arg(ts_json_str(opt, "text"), "handle", h, sizeof(h));
		mark = strtoul(h, &end, 0);
		if (*end == '/')
			mask = strtoul(end + 1, NULL, 0);
		text_arg(ts_json_str(opt, "text"), "classid", c, sizeof(c));
		if (!cl && *c)
			cl = c;
	}
	if (!mark)
		return;
	/* tcshape never sets a mask: a masked filter differs from the plan */
	spec = mask == 0xffffffff ? ts_fmt("classid %s", cl ? cl : "-")
				  : ts_fmt("classid %s mask 0x%lx",
					   cl ? cl : "-", mask);
	ts_objs_add(o, TS_P_FW, ts_fmt("%s fw 0x%lx", dev, mark), spec, NULL,
		    NULL, ts_fmt("filter del dev %s parent 1: prio %lu "
				 "protocol %s handle 0x%lx fw", dev, pref,
				 proto, mark), (uint32_t)mark);
}

int ts_state_filter_json(const char *dev, const char *json, int ingress,
			 struct ts_objs *o)
{
	struct ts_json *j = ts_json_parse(json);
	const struct ts_json *f;

	if (!j || j->type != TS_J_ARR) {
		ts_json_free(j);
		return -1;
	}
	for (f = j->kid; f; f = f->next) {
		const struct ts_json *opt = ts_json_get(f, "options");
		const char *kind = ts_json_str(f, "kind");
		const char *proto = ts_json_str(f, "protocol");
		unsigned long pref = strtoul(ts_json_str(f, "pref") ?: "0",
					     NULL, 10);

		if (!opt || !kind || !proto)
			continue;
		if (ingress) {
			const char *to;

			if (ts_json_get(opt, "ht_divisor"))
				continue;
			to = find_str(opt->kid, "to_dev");

			ts_objs_add(o, TS_P_REDIR, ts_fmt("%s redirect", dev),
				    ts_fmt("mirred %s", to ? to : "-"), NULL,
				    NULL, ts_fmt("filter del dev %s parent "
						 "ffff: prio %lu", dev, pref),
				    0);
		} else if (!strcmp(kind, "fw")) {
			fw_obj(dev, opt, pref, proto, o);
		} else if (!strcmp(kind, "u32")) {
			u32_obj(dev, opt, pref, proto, o);
		}
	}
	ts_json_free(j);
	return 0;
}

static char *tc_out(const char *a1, const char *a2, const char *a3,
		    const char *dev, const char *a5, const char *a6)
{
	char *argv[] = { (char *)ts_tc_path(), (char *)a1, (char *)a2,
			 (char *)a3, "dev", (char *)dev, (char *)a5,
			 (char *)a6, NULL };

	return ts_run_capture(argv);
}

/* Reads what tc has on dev; root_kind/handle say whose root it is. */
int ts_state_read(const char *dev, struct ts_objs *o, char *root_kind,
		  size_t kindlen, int *root_handle)
{
	char *q, *s;
	int rc = 0, ingress;

	q = tc_out("-j", "qdisc", "show", dev, NULL, NULL);
	if (!q || ts_state_qdisc_json(dev, q, o, root_kind, kindlen,
				      root_handle)) {
		free(q);
		return -1;
	}
	ingress = strstr(q, "\"ingress\"") != NULL;
	free(q);
	if (!strcmp(root_kind, "htb") && *root_handle == 1) {
		s = tc_out("-d", "class", "show", dev, NULL, NULL);
		if (!s || ts_state_class_text(dev, s, o))
			rc = -1;
		free(s);
		s = tc_out("-j", "filter", "show", dev, "parent", "1:");
		if (!s || ts_state_filter_json(dev, s, 0, o))
			rc = -1;
		free(s);
	}
	if (ingress) {
		s = tc_out("-j", "filter", "show", dev, "parent", "ffff:");
		if (!s || ts_state_filter_json(dev, s, 1, o))
			rc = -1;
		free(s);
	}
	return rc;
}
