/* containers.c - recognised containers, kept for the summary after their
 * processes are gone, at most MODEL_MAX_CONTAINERS (the oldest is dropped).
 *
 * Processes refer to the container whose launch they belong to by slot and
 * serial, so a dropped container is never reached through a stale pointer.
 */
#define _GNU_SOURCE /* strerrorname_np */
#include "model_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (!q) {
		fputs("nstrace: out of memory\n", stderr);
		abort();
	}
	return q;
}

static void ctr_free(struct container *c)
{
	if (!c)
		return;
	free(c->sum.phases);
	free(c->sum.failures);
	arena_reset(&c->strings);
	free(c);
}

static size_t slot_of(const struct model *m, size_t k)
{
	return (m->ctr_first + k) % MODEL_MAX_CONTAINERS;
}

struct container *ctr_get(struct model *m, const struct proc *p)
{
	if (!p || p->ctr_slot < 0)
		return NULL;
	struct container *c = m->ctrs[p->ctr_slot];
	return c && c->serial == p->ctr_serial ? c : NULL;
}

struct container *ctr_find_open(struct model *m, const char *id)
{
	/* Newest first: an id can come back after its container was deleted. */
	for (size_t k = m->nctrs; k-- > 0;) {
		struct container *c = m->ctrs[slot_of(m, k)];
		if (c && !c->done && !strcmp(c->sum.id, id))
			return c;
	}
	return NULL;
}

struct container *ctr_new(struct model *m, const char *id, const char *runtime, const char *bundle)
{
	if (m->nctrs == MODEL_MAX_CONTAINERS) {
		ctr_free(m->ctrs[m->ctr_first]);
		m->ctrs[m->ctr_first] = NULL;
		m->ctr_first = (m->ctr_first + 1) % MODEL_MAX_CONTAINERS;
		m->nctrs--;
		m->summary.containers_dropped++;
	}
	struct container *c = calloc(1, sizeof(*c));
	if (!c) {
		fputs("nstrace: out of memory\n", stderr);
		abort();
	}
	arena_init(&c->strings);
	c->serial = ++m->next_serial;
	c->sum.id = arena_strdup(&c->strings, id);
	c->sum.runtime = runtime && *runtime ? arena_strdup(&c->strings, runtime) : NULL;
	c->sum.bundle = bundle ? arena_strdup(&c->strings, bundle) : NULL;
	c->rank = PH_NONE;
	c->slot = (int)slot_of(m, m->nctrs);
	m->ctrs[c->slot] = c;
	m->nctrs++;
	return c;
}

void ctr_attach_proc(struct container *c, struct proc *p)
{
	/* Slots are stable while the container lives; the serial tells a reused slot. */
	p->ctr_serial = c->serial;
	p->ctr_slot = c->slot;
	snprintf(p->ctr_id, sizeof(p->ctr_id), "%s", c->sum.id);
}

static const char *errno_name(int err)
{
	const char *s = strerrorname_np(err);
	return s ? s : "E?";
}

/* A string argument as strace quotes it: control bytes escaped. */
static size_t quote(char *buf, size_t room, const struct av *s)
{
	size_t len = 0, n = strnlen(s->str, s->len);
	len += snprintf(buf + len, room - len, "\"");
	for (size_t i = 0; i < n && len + 5 < room; i++) {
		unsigned char ch = (unsigned char)s->str[i];
		if (ch == '\n')
			len += snprintf(buf + len, room - len, "\\n");
		else if (ch == '\t')
			len += snprintf(buf + len, room - len, "\\t");
		else if (ch == '"' || ch == '\\')
			len += snprintf(buf + len, room - len, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			len += snprintf(buf + len, room - len, "\\x%02x", ch);
		else
			buf[len++] = (char)ch;
	}
	if (len < room)
		len += snprintf(buf + len, room - len, "\"%s",
				s->truncated || n < s->len ? "..." : "");
	/* "/proc/self/fd/6"</rootfs/data>: which path the call was about */
	if (s->fd_path && len + 2 < room) {
		buf[len++] = '<';
		for (const char *p = s->fd_path; *p && len + 6 < room; p++) {
			unsigned char ch = (unsigned char)*p;
			if (ch < 0x20 || ch >= 0x7f || ch == '>' || ch == '\\')
				len += snprintf(buf + len, room - len, "\\x%02x", ch);
			else
				buf[len++] = (char)ch;
		}
		buf[len++] = '>';
		buf[len] = '\0';
	}
	return len < room ? len : room - 1;
}

void ctr_add_failure(struct container *c, const struct ns_event *ev)
{
	if (c->sum.nfailures >= MODEL_MAX_FAILURES)
		return;
	/* Call text in strace's words, from the decoded strings only (paths say
	 * which mount failed); the formatters print the full call. */
	char buf[512];
	size_t len = 0;
	const struct av *s[2];
	size_t ns = arg_strs(ev, s, 2);
	len += snprintf(buf + len, sizeof(buf) - len, "%s(", ev->sc_name ? ev->sc_name : "?");
	for (size_t i = 0; i < ns && len + 1 < sizeof(buf); i++) {
		if (i)
			len += snprintf(buf + len, sizeof(buf) - len, ", ");
		if (len + 1 < sizeof(buf))
			len += s[i]->kind == AV_ADDR
				   ? (size_t)snprintf(buf + len, sizeof(buf) - len, "NULL")
				   : quote(buf + len, sizeof(buf) - len, s[i]);
	}
	if (len < sizeof(buf))
		snprintf(buf + len, sizeof(buf) - len, "%s) = -1 %s", ns ? ", ..." : "...",
			 errno_name(ev->err));
	ctr_add_failure_text(c, buf);
}

void ctr_add_failure_text(struct container *c, const char *text)
{
	if (c->sum.nfailures >= MODEL_MAX_FAILURES)
		return;
	c->sum.failures = xrealloc(c->sum.failures, (c->sum.nfailures + 1) * sizeof(char *));
	c->sum.failures[c->sum.nfailures++] = arena_strdup(&c->strings, text);
}

void ctr_free_all(struct model *m)
{
	for (size_t k = 0; k < m->nctrs; k++)
		ctr_free(m->ctrs[slot_of(m, k)]);
	m->nctrs = 0;
	free(m->summary.containers);
	m->summary.containers = NULL;
}

const struct trace_summary *ctr_summary(struct model *m)
{
	if (m->summary_cap < m->nctrs) {
		m->summary.containers =
		    xrealloc(m->summary.containers, m->nctrs * sizeof(*m->summary.containers));
		m->summary_cap = m->nctrs;
	}
	for (size_t k = 0; k < m->nctrs; k++)
		m->summary.containers[k] = m->ctrs[slot_of(m, k)]->sum;
	m->summary.ncontainers = m->nctrs;
	return &m->summary;
}

bool model_container_is_mine(const struct model *m, const char *id)
{
	if (!id)
		return true;
	for (size_t k = m->nctrs; k-- > 0;) {
		const struct container *c = m->ctrs[slot_of(m, k)];
		if (c && !strcmp(c->sum.id, id))
			return c->sum.caused_by_command;
	}
	return true; /* not a container we know of: nothing to hide */
}
