/* text.c - the default output: one line per event, strace-like.
 *
 *   "  12.345 1240(1) [runc:[2:INIT]] runtime-init@3f2a8c9d1e4b pivot_root(".", ".") = 0"
 *
 * Line shapes: syscalls as strace prints them (call_text.c); the life of a task
 * (spawn, exec, exit, attach, detach) between "+++"; signals between "---" as
 * strace does; what the model recognised (stage, phase, container, start, end)
 * between "==="; notes and namespace changes as indented annotation lines.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "call_text.h"
#include "fmt_private.h"

#define C_RESET "\033[0m"
#define C_RED "\033[31m"
#define C_DIM "\033[2m"

struct text_state {
	struct strbuf line;
	uint64_t last_mono; /* -r: time of the previous line */
	bool have_last;
};

static void *text_new(struct formatter *f)
{
	(void)f;
	struct text_state *s = calloc(1, sizeof(*s));
	if (s)
		sb_init(&s->line);
	return s;
}

/* The time column; its width is the indent of annotation lines. */
static void put_time(struct text_state *s, const struct formatter_opts *o, struct strbuf *sb,
		     const struct ns_event *ev)
{
	time_t sec = (time_t)(ev->wall_ns / 1000000000ULL);
	long long us = (long long)(ev->wall_ns % 1000000000ULL / 1000);
	struct tm tm;
	char hms[16];
	switch (o->ts) {
	case TS_DEFAULT: {
		long long rel = ev->rel_us < 0 ? 0 : ev->rel_us;
		sb_printf(sb, "%4lld.%03lld", rel / 1000, rel % 1000);
		break;
	}
	case TS_TIME:
	case TS_TIME_US:
		localtime_r(&sec, &tm);
		strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
		if (o->ts == TS_TIME)
			sb_puts(sb, hms);
		else
			sb_printf(sb, "%s.%06lld", hms, us);
		break;
	case TS_EPOCH:
		sb_printf(sb, "%lld.%06lld", (long long)sec, us);
		break;
	case TS_RELATIVE: {
		uint64_t d =
		    s->have_last && ev->mono_ns > s->last_mono ? ev->mono_ns - s->last_mono : 0;
		sb_printf(sb, "%3" PRIu64 ".%06" PRIu64, d / UINT64_C(1000000000),
			  d % UINT64_C(1000000000) / 1000);
		break;
	}
	}
	s->last_mono = ev->mono_ns;
	s->have_last = true;
}

/* "1234(1)/1240 [comm] role@container " */
static void put_who(struct strbuf *sb, const struct ns_event *ev, bool color)
{
	if (!ev->pid && !ev->tid)
		return;
	const char *col = color ? role_color(ev->role) : "";
	sb_puts(sb, col);
	sb_printf(sb, "%d", ev->pid);
	if (ev->nspid && ev->nspid != ev->pid)
		sb_printf(sb, "(%d)", ev->nspid);
	if (ev->tid && ev->tid != ev->pid) {
		sb_printf(sb, "/%d", ev->tid);
		if (ev->nstid && ev->nstid != ev->tid && ev->nstid != ev->nspid)
			sb_printf(sb, "(%d)", ev->nstid);
	}
	if (ev->comm) {
		sb_puts(sb, " [");
		text_escape_str(sb, ev->comm);
		sb_putc(sb, ']');
	}
	if (ev->role != ROLE_UNKNOWN || ev->container) {
		sb_putc(sb, ' ');
		if (ev->role != ROLE_UNKNOWN)
			sb_puts(sb, role_name(ev->role));
		if (ev->container) {
			sb_putc(sb, '@');
			text_escape(sb, ev->container, strnlen(ev->container, CONTAINER_SHORT), 0);
		}
	}
	if (*col)
		sb_puts(sb, C_RESET);
	sb_putc(sb, ' ');
}

static void put_spawn(struct strbuf *sb, const struct ns_event *ev)
{
	sb_printf(sb, "+++ new %s, spawned by %d (", ev->is_thread ? "thread" : "process",
		  ev->spawner);
	if (ev->spawn_flags)
		av_text_render(sb, ev->spawn_flags);
	else
		sb_printf(sb, "%#llx", (unsigned long long)ev->clone_flags);
	sb_putc(sb, ')');
	if (!ev->is_thread && ev->ppid && ev->ppid != ev->spawner)
		sb_printf(sb, ", parent %d", ev->ppid);
	sb_puts(sb, " +++");
}

static void put_exec(struct strbuf *sb, const struct ns_event *ev)
{
	sb_puts(sb, "+++ exec \"");
	text_escape_str(sb, ev->filename);
	sb_puts(sb, "\" [");
	for (size_t i = 0; ev->argv && i < ev->argc; i++) {
		sb_puts(sb, i ? ", \"" : "\"");
		if (ev->argv[i])
			text_escape(sb, ev->argv[i], strlen(ev->argv[i]), '"');
		sb_putc(sb, '"');
	}
	/* the environment is never shown, only counted (it carries secrets) */
	sb_printf(sb, "] /* %zu vars */", ev->envc);
	if (ev->old_tid && ev->old_tid != ev->tid)
		sb_printf(sb, ", by thread %d", ev->old_tid);
	sb_puts(sb, " +++");
}

static void put_signal(struct strbuf *sb, const struct ns_event *ev)
{
	const char *name = ev->signame;
	const char *code = ev->si_code_name;
	if (name)
		sb_printf(sb, "--- %s {si_signo=%s, si_code=", name, name);
	else
		sb_printf(sb, "--- %d {si_signo=%d, si_code=", ev->signo, ev->signo);
	if (code)
		sb_puts(sb, code);
	else
		sb_printf(sb, "%d", ev->si_code);
	if (ev->sig_pid)
		sb_printf(sb, ", si_pid=%d", ev->sig_pid);
	sb_puts(sb, "} ---");
}

static void put_exit(struct strbuf *sb, const struct ns_event *ev)
{
	if (ev->exited) {
		sb_printf(sb, "+++ exited with %d +++", ev->exit_code);
		return;
	}
	const char *name = ev->signame;
	if (name)
		sb_printf(sb, "+++ killed by %s%s +++", name,
			  ev->core_dumped ? " (core dumped)" : "");
	else
		sb_printf(sb, "+++ killed by signal %d%s +++", ev->term_sig,
			  ev->core_dumped ? " (core dumped)" : "");
}

/* The event's own text, after the prefix. */
static void put_body(struct strbuf *sb, const struct ns_event *ev, bool color)
{
	switch (ev->kind) {
	case EV_SYSCALL:
		if (color && ev->err)
			sb_puts(sb, C_RED);
		call_text_render(sb, ev);
		if (color && ev->err)
			sb_puts(sb, C_RESET);
		break;
	case EV_SPAWN:
		put_spawn(sb, ev);
		break;
	case EV_EXEC:
		put_exec(sb, ev);
		break;
	case EV_SIGNAL:
		put_signal(sb, ev);
		break;
	case EV_EXIT:
		put_exit(sb, ev);
		break;
	case EV_STAGE:
		sb_puts(sb, "=== stage ");
		text_escape_str(sb, ev->stage ? ev->stage : ev->comm);
		sb_puts(sb, " ===");
		break;
	case EV_PHASE:
		sb_puts(sb, "=== phase ");
		text_escape_str(sb, ev->phase);
		sb_puts(sb, ": ");
		fmt_put_ms(sb, ev->phase_dur_us);
		sb_puts(sb, " (from ");
		fmt_put_ms(sb, ev->phase_start_us);
		sb_puts(sb, ") ===");
		break;
	case EV_CONTAINER:
		sb_puts(sb, "=== container ");
		text_escape_str(sb, ev->container);
		sb_puts(sb, " ===");
		break;
	case EV_ATTACH:
		sb_puts(sb, "+++ attached +++");
		break;
	case EV_DETACH:
		sb_puts(sb, "+++ detached: ");
		text_escape_str(sb,
				ev->reason_text ? ev->reason_text : end_reason_name(ev->reason));
		sb_puts(sb, " +++");
		break;
	case EV_START:
		sb_puts(sb, "=== trace started ===");
		break;
	case EV_END:
	case EV_KIND_COUNT:
		break;
	}
}

static void put_annotation_start(struct strbuf *sb, bool color)
{
	/* under the event, past the time column */
	sb_puts(sb, color ? "         " C_DIM "| " : "         | ");
}

static void put_annotation_end(struct strbuf *sb, bool color)
{
	if (color)
		sb_puts(sb, C_RESET);
	sb_putc(sb, '\n');
}

/* "mnt:[4026531841]"; an inode of 0 is not known (yet): pid_for_children right
 * after unshare(CLONE_NEWPID) names no namespace until the first child. */
static void put_ns_ino(struct strbuf *sb, const char *type, uint64_t ino)
{
	if (ino)
		sb_printf(sb, "%s:[%" PRIu64 "]", type, ino);
	else
		sb_printf(sb, "%s:[?]", type);
}

static void put_annotations(struct strbuf *sb, const struct ns_event *ev, bool color)
{
	if (ev->note) {
		put_annotation_start(sb, color);
		text_escape_str(sb, ev->note);
		put_annotation_end(sb, color);
	}
	if (ev->ns_changed) {
		put_annotation_start(sb, color);
		bool first = true;
		for (int t = 0; t < NS_COUNT; t++) {
			if (!(ev->ns_changed & (1u << t)))
				continue;
			const char *n = ns_type_name(t);
			sb_printf(sb, "%s", first ? "" : ", ");
			put_ns_ino(sb, n, ev->ns_old.ino[t]);
			sb_puts(sb, " -> ");
			put_ns_ino(sb, n, ev->ns.ino[t]);
			first = false;
		}
		put_annotation_end(sb, color);
	}
	/* a change with nothing known to show (setgroups before any id is known:
	 * its note says it) gets no empty "creds:" line */
	const struct cred_info *cr = &ev->creds;
	bool creds_known = cr->uid >= 0 || cr->gid >= 0 || cr->host_uid >= 0 ||
			   cr->host_gid >= 0 || cr->cap_known || cr->no_new_privs ||
			   cr->seccomp_mode;
	if (ev->creds_changed && creds_known) {
		const struct cred_info *c = cr;
		put_annotation_start(sb, color);
		sb_puts(sb, "creds:");
		if (c->uid >= 0)
			sb_printf(sb, " uid=%" PRId64, c->uid);
		if (c->gid >= 0)
			sb_printf(sb, " gid=%" PRId64, c->gid);
		/* the host ids that are known, by name: "-1" would read as an id */
		if (c->host_uid >= 0 && c->host_gid >= 0)
			sb_printf(sb, " (host uid=%" PRId64 " gid=%" PRId64 ")", c->host_uid,
				  c->host_gid);
		else if (c->host_uid >= 0)
			sb_printf(sb, " (host uid=%" PRId64 ")", c->host_uid);
		else if (c->host_gid >= 0)
			sb_printf(sb, " (host gid=%" PRId64 ")", c->host_gid);
		if (c->cap_known)
			sb_printf(sb, " caps=0x%" PRIx64, c->cap_effective);
		if (c->no_new_privs)
			sb_puts(sb, " no_new_privs");
		if (c->seccomp_mode == 1)
			sb_puts(sb, " seccomp=strict");
		else if (c->seccomp_mode == 2)
			sb_puts(sb, " seccomp=filter");
		put_annotation_end(sb, color);
	}
	if (ev->idmap) {
		const struct id_map_info *m = ev->idmap;
		put_annotation_start(sb, color);
		text_escape_str(sb, m->file);
		if (m->target)
			sb_printf(sb, " of %d", m->target);
		sb_puts(sb, ":");
		if (m->setgroups) {
			sb_putc(sb, ' ');
			text_escape_str(sb, m->setgroups);
		}
		for (size_t i = 0; m->ext && i < m->n; i++)
			sb_printf(sb, "%s %u %u %u", i ? "," : "", m->ext[i].inside,
				  m->ext[i].outside, m->ext[i].count);
		if (m->truncated)
			sb_puts(sb, " ...");
		put_annotation_end(sb, color);
	}
	/* -k: frames as strace prints them */
	for (size_t i = 0; i < ev->nstack; i++) {
		const struct stack_frame *fr = &ev->stack[i];
		sb_puts(sb, " > ");
		text_escape_str(sb, fr->module ? fr->module : "?");
		if (fr->function) {
			sb_putc(sb, '(');
			text_escape_str(sb, fr->function);
			sb_printf(sb, "+0x%" PRIx64 ")", fr->offset);
		} else {
			sb_printf(sb, "(+0x%" PRIx64 ")", fr->offset);
		}
		sb_printf(sb, " [0x%" PRIx64 "]\n", fr->ip);
	}
}

static int text_event(struct formatter *f, void *state, const struct ns_event *ev)
{
	struct text_state *s = state;
	bool color = f->opts.color;
	if (ev->hidden)
		return 0;
	if (f->opts.summary_only && ev->kind != EV_END)
		return 0;
	struct strbuf *sb = &s->line;
	sb_reset(sb);
	if (ev->kind == EV_END) {
		text_summary(sb, ev, color);
		return fmt_emit_sb(f, sb);
	}
	put_time(s, &f->opts, sb, ev);
	sb_putc(sb, ' ');
	put_who(sb, ev, color);
	put_body(sb, ev, color);
	if (ev->kind == EV_SYSCALL && f->opts.show_duration)
		sb_printf(sb, " <%" PRIu64 ".%06" PRIu64 ">", ev->dur_ns / UINT64_C(1000000000),
			  ev->dur_ns % UINT64_C(1000000000) / 1000);
	sb_putc(sb, '\n');
	put_annotations(sb, ev, color);
	return fmt_emit_sb(f, sb);
}

static int text_begin(struct formatter *f, void *state)
{
	(void)f;
	(void)state;
	return 0;
}

static int text_end(struct formatter *f, void *state)
{
	(void)f;
	(void)state;
	return 0;
}

static void text_free(void *state)
{
	struct text_state *s = state;
	if (!s)
		return;
	sb_free(&s->line);
	free(s);
}

const struct fmt_ops fmt_text_ops = {
    .name = "text",
    .create = text_new,
    .begin = text_begin,
    .event = text_event,
    .end = text_end,
    .free = text_free,
};
