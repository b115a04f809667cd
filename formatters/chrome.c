/* chrome.c - -F chrome: Trace Event Format JSON for ui.perfetto.dev and
 * chrome://tracing (docs/chrome.md).
 *
 * Written incrementally, one trace event a line:
 *
 *   {"displayTimeUnit":"ms","otherData":{...},"traceEvents":[
 *   {...first event...}
 *   ,{...every later event...}
 *   ]}
 *
 * so a trace cut short lacks only the final "]}". Each traced process is a
 * process track named "comm (pid, role, container)", each thread a thread
 * track; syscalls are complete slices (X) on their thread, launch phases X
 * slices on a "launch phases" track of the process that ran them, namespace
 * changes and execs instants (i), spawns flow arrows (s -> f).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call_text.h"
#include "fmt_private.h"

/* The phase track of process P is the thread id PHASE_TID_BASE + P: pid_max is
 * at most 2^22, so it never meets a real tid, and stays below 2^31. */
#define PHASE_TID_BASE 1000000000
/* Spawn marker slices end at the spawn and last this long (us); the flow's ends
 * sit in their middle, strictly inside a slice whatever a viewer's sort order. */
#define SPAWN_MARK_US 0.02
#define CLONE_PARENT_FLAG 0x8000ULL

/* Per task state: what was last said about it, so metadata is only re-emitted
 * when it changes. One table keyed by pid (processes) and one by tid (threads). */
struct track {
	int key; /* 0: free slot */
	int pid; /* threads: their process */
	char *name;
	int sort;
	bool phase_track; /* processes: the "launch phases" thread was named */
	double last_end;  /* threads: when the last event written on the track ended */
};

struct track_map {
	struct track *slots;
	size_t cap, n;
};

struct chrome_state {
	struct strbuf line;
	struct track_map procs, threads;
	bool phases_named_nopid; /* the phase track of events without a pid */
	bool have_origin;
	uint64_t origin_mono; /* CLOCK_MONOTONIC of rel_us 0 */
	size_t nwritten;      /* events written: the first one has no leading comma */
	uint64_t next_flow;
};

static struct track *map_get(struct track_map *m, int key, bool create)
{
	if (create && (m->n + 1) * 2 > m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 64;
		struct track *ns = calloc(ncap, sizeof(*ns));
		if (!ns)
			return NULL;
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->slots[i].key)
				continue;
			size_t j = (size_t)(unsigned)m->slots[i].key % ncap;
			while (ns[j].key)
				j = (j + 1) % ncap;
			ns[j] = m->slots[i];
		}
		free(m->slots);
		m->slots = ns;
		m->cap = ncap;
	}
	if (!m->cap)
		return NULL;
	size_t j = (size_t)(unsigned)key % m->cap;
	while (m->slots[j].key) {
		if (m->slots[j].key == key)
			return &m->slots[j];
		j = (j + 1) % m->cap;
	}
	if (!create)
		return NULL;
	m->slots[j].key = key;
	m->slots[j].sort = -1;
	m->n++;
	return &m->slots[j];
}

static void map_free(struct track_map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].name);
	free(m->slots);
}

static void *chrome_new(struct formatter *f)
{
	(void)f;
	struct chrome_state *s = calloc(1, sizeof(*s));
	if (s)
		sb_init(&s->line);
	return s;
}

/* Write one trace event (takes the reference). */
static int put(struct formatter *f, struct chrome_state *s, json_t *o)
{
	sb_reset(&s->line);
	if (s->nwritten++)
		sb_putc(&s->line, ',');
	json_dump_sb(&s->line, o, JSON_REAL_PRECISION(15));
	json_decref(o);
	sb_putc(&s->line, '\n');
	return fmt_emit_sb(f, &s->line);
}

/* Microseconds since the trace started, from a monotonic time. */
static double ts_of(const struct chrome_state *s, uint64_t mono_ns)
{
	if (!s->have_origin || mono_ns < s->origin_mono)
		return 0;
	return (double)(mono_ns - s->origin_mono) / 1000.0;
}

static json_t *base_event(const char *ph, const char *name, const char *cat, int pid, int tid)
{
	json_t *o = json_object();
	json_object_set_new(o, "ph", json_string(ph));
	json_object_set_new(o, "name", json_cstr(name));
	if (cat)
		json_object_set_new(o, "cat", json_string(cat));
	json_object_set_new(o, "pid", json_integer(pid));
	json_object_set_new(o, "tid", json_integer(tid));
	return o;
}

static int put_meta(struct formatter *f, struct chrome_state *s, const char *what, int pid, int tid,
		    const char *key, json_t *val)
{
	json_t *o = base_event("M", what, NULL, pid, tid);
	json_object_set_new(o, "args", json_pack("{so}", key, val));
	return put(f, s, o);
}

/* Launch order, top to bottom: daemon, shim, client, runtime, init stages (by
 * stage number), workload, anything else. */
static int sort_index(const struct ns_event *ev)
{
	static const int order[ROLE_COUNT] = {
	    [ROLE_DAEMON] = 1,	     [ROLE_SHIM] = 2,	  [ROLE_CLIENT] = 3,  [ROLE_RUNTIME] = 4,
	    [ROLE_RUNTIME_INIT] = 5, [ROLE_WORKLOAD] = 6, [ROLE_PROCESS] = 7, [ROLE_UNKNOWN] = 8,
	};
	int idx = ((unsigned)ev->role < ROLE_COUNT ? order[ev->role] : 8) * 10;
	/* runc:[0:PARENT], runc:[1:CHILD], runc:[2:INIT] */
	const char *st = ev->stage ? strchr(ev->stage, '[') : NULL;
	if (ev->role == ROLE_RUNTIME_INIT && st && st[1] >= '0' && st[1] <= '9')
		idx += st[1] - '0' + 1;
	return idx;
}

static char *process_name(const struct ns_event *ev)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, ev->comm ? ev->comm : "?");
	sb_printf(&sb, " (%d", ev->pid);
	if (ev->role != ROLE_UNKNOWN)
		sb_printf(&sb, ", %s", role_name(ev->role));
	if (ev->container)
		sb_printf(&sb, ", %.*s", CONTAINER_SHORT, ev->container);
	sb_putc(&sb, ')');
	char *name = strdup(sb_str(&sb));
	sb_free(&sb);
	return name;
}

/* Name (or rename) the process and thread tracks of the event's task. */
static int ensure_tracks(struct formatter *f, struct chrome_state *s, const struct ns_event *ev)
{
	if (ev->pid <= 0)
		return 0;
	struct track *p = map_get(&s->procs, ev->pid, true);
	if (!p)
		return 0;
	/* A thread's comm is its own: only the leader's (or, before the leader was
	 * seen, anyone's) comm names the process. */
	if (ev->tid == ev->pid || !p->name || ev->kind == EV_EXEC) {
		char *name = process_name(ev);
		if (name && (!p->name || strcmp(name, p->name) != 0)) {
			free(p->name);
			p->name = name;
			if (put_meta(f, s, "process_name", ev->pid, ev->pid, "name",
				     json_cstr(name)) < 0)
				return -1;
		} else {
			free(name);
		}
	}
	int sort = sort_index(ev);
	if (sort != p->sort) {
		p->sort = sort;
		if (put_meta(f, s, "process_sort_index", ev->pid, ev->pid, "sort_index",
			     json_integer(sort)) < 0)
			return -1;
	}
	int tid = ev->tid > 0 ? ev->tid : ev->pid;
	struct track *t = map_get(&s->threads, tid, true);
	if (!t)
		return 0;
	/* a thread first met as an unseen spawner may have been put in the wrong
	 * process: name it again in the right one */
	bool moved = t->pid != ev->pid;
	t->pid = ev->pid;
	const char *comm = ev->comm ? ev->comm : "?";
	if (moved || !t->name || strcmp(t->name, comm) != 0) {
		free(t->name);
		t->name = strdup(comm);
		if (put_meta(f, s, "thread_name", ev->pid, tid, "name", json_cstr(comm)) < 0)
			return -1;
	}
	return 0;
}

/* Note that something on thread tid ends at end; returns the time an instant at
 * ts may be drawn. The model stamps what it learns from a syscall (a stage
 * begins at prctl) with the syscall's entry time, but it holds from the
 * syscall's exit: an instant is never drawn before the end of what came before
 * it on its thread. */
static double track_end(struct chrome_state *s, int tid, double ts, double end)
{
	struct track *t = tid > 0 ? map_get(&s->threads, tid, true) : NULL;
	if (!t)
		return ts;
	if (ts == end && ts < t->last_end)
		ts = end = t->last_end;
	if (end > t->last_end)
		t->last_end = end;
	return ts;
}

static int put_instant(struct formatter *f, struct chrome_state *s, const struct ns_event *ev,
		       const char *name, const char *cat, const char *scope, json_t *args)
{
	int tid = ev->tid > 0 ? ev->tid : ev->pid;
	json_t *o = base_event("i", name, cat, ev->pid, tid);
	double ts = ts_of(s, ev->mono_ns);
	if (strcmp(scope, "t") == 0)
		ts = track_end(s, tid, ts, ts);
	json_object_set_new(o, "ts", json_real(ts));
	json_object_set_new(o, "s", json_string(scope));
	json_object_set_new(o, "args", args ? args : json_object());
	return put(f, s, o);
}

static void add_who(json_t *args, const struct ns_event *ev)
{
	if (ev->nspid)
		json_object_set_new(args, "nspid", json_integer(ev->nspid));
	if (ev->stage)
		json_object_set_new(args, "stage", json_cstr(ev->stage));
	if (ev->container)
		json_object_set_new(args, "container", json_cstr(ev->container));
	if (ev->note)
		json_object_set_new(args, "note", json_cstr(ev->note));
}

/* A syscall event is stamped at its entry (as strace prints it); entry_mono_ns
 * says so explicitly, dur_ns is the time to its exit. */
static uint64_t syscall_entry(const struct ns_event *ev)
{
	return ev->entry_mono_ns ? ev->entry_mono_ns : ev->mono_ns;
}

static int put_syscall(struct formatter *f, struct chrome_state *s, const struct ns_event *ev)
{
	uint64_t entry = syscall_entry(ev), dur = ev->dur_ns;
	/* An execve a non-leader thread made is drawn on that thread's track: the
	 * leader, whose tid the process keeps, may have been in a call meanwhile. */
	int tid = ev->old_tid > 0 ? ev->old_tid : ev->tid > 0 ? ev->tid : ev->pid;
	json_t *o = base_event("X", ev->sc_name ? ev->sc_name : "syscall", "syscall", ev->pid, tid);
	double ts = ts_of(s, entry), d = (double)dur / 1000.0;
	/* No exit was seen (the task died or exec'd from another thread): the call
	 * lasted at least until the last thing seen on its thread. */
	struct track *t = ev->unfinished ? map_get(&s->threads, tid, false) : NULL;
	if (t && t->last_end > ts + d)
		d = t->last_end - ts;
	track_end(s, tid, ts, ts + d);
	json_object_set_new(o, "ts", json_real(ts));
	json_object_set_new(o, "dur", json_real(d));
	if (ev->err)
		json_object_set_new(o, "cname", json_string("terrible"));

	json_t *args = json_object();
	struct strbuf sb;
	sb_init(&sb);
	call_text_render(&sb, ev);
	json_object_set_new(args, "call", json_bytes(sb_str(&sb), sb.len));
	sb_free(&sb);
	if (ev->args)
		json_object_set_new(args, "args", json_av_list(ev));
	if (!ev->unfinished)
		json_object_set_new(args, "ret", json_integer(ev->ret));
	const char *en = errno_name(ev->err);
	if (en)
		json_object_set_new(args, "errno", json_string(en));
	if (ev->unfinished)
		json_object_set_new(args, "unfinished", json_true());
	add_who(args, ev);
	json_object_set_new(o, "args", args);
	return put(f, s, o);
}

/* A spawner nstrace saw no event of (a daemon thread found at attach): its tracks
 * still need names. A child starts with its spawner's comm, so that is its name. */
static int name_unseen_spawner(struct formatter *f, struct chrome_state *s, struct track *t,
			       const struct ns_event *ev, int sp_pid, int sp_tid)
{
	const char *comm = ev->comm ? ev->comm : "?";
	t->pid = sp_pid;
	t->name = strdup(comm);
	if (put_meta(f, s, "thread_name", sp_pid, sp_tid, "name", json_cstr(comm)) < 0)
		return -1;
	struct track *p = map_get(&s->procs, sp_pid, true);
	if (!p || p->name)
		return 0;
	struct strbuf sb;
	sb_init(&sb);
	sb_printf(&sb, "%s (%d)", comm, sp_pid);
	p->name = strdup(sb_str(&sb));
	sb_free(&sb);
	return put_meta(f, s, "process_name", sp_pid, sp_pid, "name", json_cstr(p->name));
}

static int put_spawn(struct formatter *f, struct chrome_state *s, const struct ns_event *ev)
{
	int child_tid = ev->tid > 0 ? ev->tid : ev->pid;
	int sp_tid = ev->spawner > 0 ? ev->spawner : ev->ppid;
	if (sp_tid <= 0)
		return 0;
	/* The spawner's process: known from its own events; else a thread's is the
	 * child's own, a child's parent is it (unless CLONE_PARENT), else guess the
	 * spawner leads its process. */
	struct track *t = map_get(&s->threads, sp_tid, true);
	int sp_pid = sp_tid;
	if (t && t->pid)
		sp_pid = t->pid;
	else if (ev->is_thread)
		sp_pid = ev->pid;
	else if (ev->ppid > 0 && !(ev->clone_flags & CLONE_PARENT_FLAG))
		sp_pid = ev->ppid;
	if (t && !t->name && name_unseen_spawner(f, s, t, ev, sp_pid, sp_tid) < 0)
		return -1;
	double ts = ts_of(s, ev->mono_ns);
	track_end(s, sp_tid, ts, ts);
	track_end(s, child_tid, ts, ts);
	uint64_t id = ++s->next_flow;
	char name[64];

	json_t *flags = json_spawn_flags(ev);

	json_t *o = base_event("s", "spawn", "spawn", sp_pid, sp_tid);
	json_object_set_new(o, "id", json_integer((json_int_t)id));
	json_object_set_new(o, "ts", json_real(ts - SPAWN_MARK_US / 2));
	if (put(f, s, o) < 0)
		goto fail;
	snprintf(name, sizeof(name), "spawn %d", child_tid);
	o = base_event("X", name, "spawn", sp_pid, sp_tid);
	json_object_set_new(o, "ts", json_real(ts - SPAWN_MARK_US));
	json_object_set_new(o, "dur", json_real(SPAWN_MARK_US));
	json_object_set_new(o, "args",
			    json_pack("{si,sO,sb}", "child", child_tid, "clone_flags", flags,
				      "is_thread", ev->is_thread));
	if (put(f, s, o) < 0)
		goto fail;

	o = base_event("f", "spawn", "spawn", ev->pid, child_tid);
	json_object_set_new(o, "id", json_integer((json_int_t)id));
	json_object_set_new(o, "ts", json_real(ts - SPAWN_MARK_US / 2));
	json_object_set_new(o, "bp", json_string("e"));
	if (put(f, s, o) < 0)
		goto fail;
	snprintf(name, sizeof(name), "spawned by %d", sp_tid);
	o = base_event("X", name, "spawn", ev->pid, child_tid);
	json_object_set_new(o, "ts", json_real(ts - SPAWN_MARK_US));
	json_object_set_new(o, "dur", json_real(SPAWN_MARK_US));
	json_t *args = json_pack("{si,sO,sb}", "spawner", sp_tid, "clone_flags", flags, "is_thread",
				 ev->is_thread);
	add_who(args, ev);
	json_object_set_new(o, "args", args);
	json_decref(flags);
	return put(f, s, o);
fail:
	json_decref(flags);
	return -1;
}

static int put_phase(struct formatter *f, struct chrome_state *s, const struct ns_event *ev)
{
	int pid = ev->pid > 0 ? ev->pid : 0;
	struct track *p = pid ? map_get(&s->procs, pid, true) : NULL;
	bool *named = p ? &p->phase_track : &s->phases_named_nopid;
	/* pid_max is at most 4194304: no overflow for a real pid; clamp the rest */
	int tid = PHASE_TID_BASE + (pid > 0 && pid < 1000000000 ? pid : 0);
	if (!*named) {
		*named = true;
		if (put_meta(f, s, "thread_name", pid, tid, "name", json_string("launch phases")) <
		    0)
			return -1;
		/* above the process's real threads */
		if (put_meta(f, s, "thread_sort_index", pid, tid, "sort_index", json_integer(-1)) <
		    0)
			return -1;
	}
	json_t *o = base_event("X", ev->phase ? ev->phase : "phase", "phase", pid, tid);
	json_object_set_new(o, "ts", json_real((double)ev->phase_start_us));
	json_object_set_new(o, "dur",
			    json_real((double)(ev->phase_dur_us > 0 ? ev->phase_dur_us : 0)));
	json_t *args = json_object();
	add_who(args, ev);
	json_object_set_new(o, "args", args);
	return put(f, s, o);
}

static int put_ns_change(struct formatter *f, struct chrome_state *s, const struct ns_event *ev)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_puts(&sb, "ns");
	for (int t = 0; t < NS_COUNT; t++)
		if (ev->ns_changed & (1u << t))
			sb_printf(&sb, "%c%s", sb.len == 2 ? ' ' : ',', ns_type_name(t));
	json_t *args = json_object();
	json_object_set_new(args, "ns_changed", json_ns_changed(ev));
	add_who(args, ev);
	/* at the moment the change took effect: a syscall's exit */
	struct ns_event at = *ev;
	if (ev->kind == EV_SYSCALL)
		at.mono_ns = syscall_entry(ev) + ev->dur_ns;
	int rc = put_instant(f, s, &at, sb_str(&sb), "ns", "t", args);
	sb_free(&sb);
	return rc;
}

static int put_event_kind(struct formatter *f, struct chrome_state *s, const struct ns_event *ev)
{
	char name[96];
	json_t *args;
	switch (ev->kind) {
	case EV_SYSCALL:
		return put_syscall(f, s, ev);
	case EV_SPAWN:
		return put_spawn(f, s, ev);
	case EV_PHASE:
		return put_phase(f, s, ev);
	case EV_EXEC: {
		const char *base = ev->filename ? strrchr(ev->filename, '/') : NULL;
		snprintf(name, sizeof(name), "exec %s",
			 base		? base + 1
			 : ev->filename ? ev->filename
					: "?");
		json_t *argv = json_array();
		for (size_t i = 0; ev->argv && i < ev->argc; i++)
			json_array_append_new(argv, json_cstr(ev->argv[i]));
		args = json_pack("{sososI}", "filename", json_cstr(ev->filename), "argv", argv,
				 "envc", (json_int_t)ev->envc);
		add_who(args, ev);
		return put_instant(f, s, ev, name, "exec", "t", args);
	}
	case EV_SIGNAL: {
		const char *sig = ev->signame;
		args = json_pack("{si}", "si_code", ev->si_code);
		if (ev->sig_pid)
			json_object_set_new(args, "si_pid", json_integer(ev->sig_pid));
		add_who(args, ev);
		return put_instant(f, s, ev, sig ? sig : "signal", "signal", "t", args);
	}
	case EV_EXIT: {
		if (ev->exited) {
			snprintf(name, sizeof(name), "exit %d", ev->exit_code);
		} else {
			const char *sig = ev->signame;
			snprintf(name, sizeof(name), "killed by %s%s", sig ? sig : "signal",
				 ev->core_dumped ? " (core dumped)" : "");
		}
		args = json_object();
		add_who(args, ev);
		return put_instant(f, s, ev, name, "exit", "t", args);
	}
	case EV_STAGE:
		snprintf(name, sizeof(name), "stage %s", ev->stage ? ev->stage : "?");
		args = json_object();
		add_who(args, ev);
		return put_instant(f, s, ev, name, "stage", "t", args);
	case EV_CONTAINER:
		snprintf(name, sizeof(name), "container %.*s", CONTAINER_SHORT,
			 ev->container ? ev->container : "?");
		args = json_object();
		add_who(args, ev);
		return put_instant(f, s, ev, name, "container", "g", args);
	case EV_ATTACH:
	case EV_DETACH:
		args = json_object();
		if (ev->kind == EV_DETACH) {
			json_object_set_new(args, "reason",
					    json_string(end_reason_name(ev->reason)));
			if (ev->reason_text)
				json_object_set_new(args, "reason_text",
						    json_cstr(ev->reason_text));
		}
		add_who(args, ev);
		return put_instant(f, s, ev, ev_kind_name(ev->kind), "trace", "t", args);
	case EV_START:
		args = json_object();
		add_who(args, ev);
		return put_instant(f, s, ev, "trace start", "trace", "g", args);
	case EV_END:
		args = json_object();
		json_object_set_new(args, "reason", json_string(end_reason_name(ev->reason)));
		if (ev->reason_text)
			json_object_set_new(args, "reason_text", json_cstr(ev->reason_text));
		json_object_set_new(args, "exit_status", json_integer(ev->exit_status));
		if (ev->summary)
			json_object_set_new(args, "summary", json_summary(ev->summary));
		return put_instant(f, s, ev, "trace end", "trace", "g", args);
	case EV_KIND_COUNT:
		break;
	}
	return 0;
}

static int chrome_event(struct formatter *f, void *state, const struct ns_event *ev)
{
	struct chrome_state *s = state;
	if (ev->hidden)
		return 0;
	if (f->opts.summary_only && ev->kind != EV_END)
		return 0;
	if (!s->have_origin && ev->mono_ns) {
		s->have_origin = true;
		uint64_t rel_ns = ev->rel_us > 0 ? (uint64_t)ev->rel_us * 1000 : 0;
		s->origin_mono = ev->mono_ns > rel_ns ? ev->mono_ns - rel_ns : 0;
	}
	if (ev->kind != EV_PHASE && ensure_tracks(f, s, ev) < 0)
		return -1;
	if (put_event_kind(f, s, ev) < 0)
		return -1;
	if (ev->ns_changed && ev->pid > 0)
		return put_ns_change(f, s, ev);
	return 0;
}

static int chrome_begin(struct formatter *f, void *state)
{
	(void)state;
	static const char head[] = "{\"displayTimeUnit\":\"ms\","
				   "\"otherData\":{\"producer\":\"nstrace\",\"format\":1},"
				   "\"traceEvents\":[\n";
	return fmt_emit(f, head, sizeof(head) - 1);
}

static int chrome_end(struct formatter *f, void *state)
{
	(void)state;
	return fmt_emit(f, "]}\n", 3);
}

static void chrome_free(void *state)
{
	struct chrome_state *s = state;
	if (!s)
		return;
	map_free(&s->procs);
	map_free(&s->threads);
	sb_free(&s->line);
	free(s);
}

const struct fmt_ops fmt_chrome_ops = {
    .name = "chrome",
    .create = chrome_new,
    .begin = chrome_begin,
    .event = chrome_event,
    .end = chrome_end,
    .free = chrome_free,
};
