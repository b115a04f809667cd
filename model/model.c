/* model.c - the model's entry points: process bookkeeping, annotation, output order.
 *
 * model_feed looks the task up (creating its state lazily), lets the handler of
 * the event kind update the state and write a note, annotates the event from
 * the state, drops the state of tasks that are gone, and emits: phases that
 * ended first (they ended at or before this event), then the event, then the
 * stage and container events it started.
 */
#include "model_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *model_calloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (!p) {
		fputs("nstrace: out of memory\n", stderr);
		abort();
	}
	return p;
}

static void note_vadd(struct note *n, bool sentence, const char *fmt, va_list ap)
{
	size_t room = sizeof(n->buf) - n->len;
	if (room <= 1)
		return;
	if (sentence && n->len) {
		int k = snprintf(n->buf + n->len, room, "; ");
		n->len += (size_t)k < room ? (size_t)k : room - 1;
		room = sizeof(n->buf) - n->len;
	}
	int k = vsnprintf(n->buf + n->len, room, fmt, ap);
	if (k > 0)
		n->len += (size_t)k < room ? (size_t)k : room - 1;
}

void note_add(struct note *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	note_vadd(n, true, fmt, ap);
	va_end(ap);
}

void note_cat(struct note *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	note_vadd(n, false, fmt, ap);
	va_end(ap);
}

void out_pre(struct out *o, struct ns_event *ev)
{
	if (o->npre < OUT_MAX)
		o->pre[o->npre++] = ev;
	else
		ns_event_free(ev); /* cannot happen: a handler adds at most a few */
}

void out_post(struct out *o, struct ns_event *ev)
{
	if (o->npost < OUT_MAX)
		o->post[o->npost++] = ev;
	else
		ns_event_free(ev);
}

const char *proc_who(const struct proc *p, const struct ns_event *ev)
{
	if (p->stage[0])
		return p->stage;
	if (p->comm[0])
		return p->comm;
	return ev && ev->comm ? ev->comm : "?";
}

struct proc *proc_of_pid(struct model *m, pid_t pid)
{
	return pidmap_get(&m->procs, pid);
}

/* An event the model adds: the trigger's time and sequence number (the moment it
 * describes), the process p's identity and annotations. */
struct ns_event *model_event_like(const struct ns_event *trigger, enum ev_kind kind,
				  const struct proc *p)
{
	struct ns_event *ev = ns_event_new(kind);
	ev->seq = trigger->seq;
	ev->mono_ns = trigger->mono_ns;
	ev->wall_ns = trigger->wall_ns;
	ev->rel_us = trigger->rel_us;
	ev->pid = trigger->pid;
	ev->tid = trigger->tid;
	ev->ppid = trigger->ppid;
	ev->nspid = trigger->nspid;
	ev->nstid = trigger->nstid;
	ev->hidden = false;
	if (!p) {
		ev->comm = trigger->comm ? arena_strdup(&ev->arena, trigger->comm) : NULL;
		ev->role = trigger->role;
		return ev;
	}
	if (p->pid != trigger->pid) {
		ev->pid = ev->tid = p->pid;
		ev->ppid = p->ppid;
		ev->nspid = ev->nstid = 0;
	}
	ev->comm = arena_strdup(&ev->arena, p->comm);
	ev->role = p->role;
	if (p->stage[0])
		ev->stage = arena_strdup(&ev->arena, p->stage);
	if (p->ctr_id[0])
		ev->container = arena_strdup(&ev->arena, p->ctr_id);
	return ev;
}

/* Process and thread bookkeeping. */

struct proc *proc_new(struct model *m, pid_t pid)
{
	struct proc *p = model_calloc(1, sizeof(*p));
	p->pid = pid;
	p->role = ROLE_PROCESS;
	p->ctr_slot = -1;
	creds_init(&p->creds);
	pidmap_put(&m->procs, pid, p);
	m->summary.nprocesses++;
	return p;
}

static void proc_free(struct model *m, struct proc *p)
{
	for (size_t i = 0; i < p->ntids; i++)
		free(pidmap_del(&m->tasks, p->tids[i]));
	pidmap_del(&m->procs, p->pid);
	free(p->tids);
	free(p);
}

void proc_drop(struct model *m, struct proc *p)
{
	if (p && pidmap_get(&m->procs, p->pid) == p)
		proc_free(m, p);
}

static void tids_remove(struct proc *p, pid_t tid)
{
	for (size_t i = 0; i < p->ntids; i++)
		if (p->tids[i] == tid) {
			p->tids[i] = p->tids[--p->ntids];
			return;
		}
}

void task_drop(struct model *m, pid_t tid)
{
	struct task *t = pidmap_del(&m->tasks, tid);
	if (!t)
		return;
	struct proc *p = t->p;
	free(t);
	tids_remove(p, tid);
	if (!p->ntids)
		proc_drop(m, p);
}

struct task *proc_add_tid(struct model *m, struct proc *p, pid_t tid)
{
	struct task *t = pidmap_get(&m->tasks, tid);
	if (t && t->p == p)
		return t;
	if (t) {
		/* A tid we thought belonged elsewhere (an exit we never saw): move it. */
		struct proc *old = t->p;
		tids_remove(old, tid);
		t->p = p;
		t->last_child = 0;
		if (!old->ntids && old != p)
			proc_drop(m, old);
	} else {
		t = model_calloc(1, sizeof(*t));
		t->tid = tid;
		t->p = p;
		pidmap_put(&m->tasks, tid, t);
	}
	if (p->ntids == p->tidcap) {
		size_t cap = p->tidcap ? p->tidcap * 2 : 4;
		pid_t *nt = realloc(p->tids, cap * sizeof(*nt));
		if (!nt) {
			fputs("nstrace: out of memory\n", stderr);
			abort();
		}
		p->tids = nt;
		p->tidcap = cap;
	}
	p->tids[p->ntids++] = tid;
	return t;
}

void proc_only_leader(struct model *m, struct proc *p)
{
	/* exec kills every other thread of the group; the caller takes the leader's tid. */
	for (size_t i = 0; i < p->ntids;) {
		if (p->tids[i] == p->pid) {
			i++;
			continue;
		}
		free(pidmap_del(&m->tasks, p->tids[i]));
		p->tids[i] = p->tids[--p->ntids];
	}
	struct task *t = proc_add_tid(m, p, p->pid);
	t->last_child = 0;
}

/* The state of the process an event is about, created when first seen. */
static struct proc *proc_for(struct model *m, const struct ns_event *ev)
{
	if (ev->pid <= 0)
		return NULL;
	struct task *t = ev->tid > 0 ? pidmap_get(&m->tasks, ev->tid) : NULL;
	if (t && t->p->pid == ev->pid)
		return t->p;
	struct proc *p = proc_of_pid(m, ev->pid);
	if (!p) {
		/* Not attached, not spawned under a traced task: the command nstrace
		 * started (its first event is its exec) or a task we missed. */
		p = proc_new(m, ev->pid);
		p->ppid = ev->ppid;
		p->from_command = true;
	}
	proc_add_tid(m, p, ev->tid > 0 ? ev->tid : ev->pid);
	return p;
}

static void annotate(struct ns_event *ev, const struct proc *p, const struct note *n)
{
	if (p) {
		ev->role = p->role;
		ev->stage = p->stage[0] ? arena_strdup(&ev->arena, p->stage) : NULL;
		ev->container = p->ctr_id[0] ? arena_strdup(&ev->arena, p->ctr_id) : NULL;
	}
	if (n->len) {
		if (ev->note && *ev->note)
			ev->note = arena_printf(&ev->arena, "%s; %s", ev->note, n->buf);
		else
			ev->note = arena_strdup(&ev->arena, n->buf);
	}
}

static void remember_comm(struct proc *p, const struct ns_event *ev)
{
	if (p && ev->comm && ev->comm[0])
		snprintf(p->comm, sizeof(p->comm), "%s", ev->comm);
}

struct model *model_new(const struct model_opts *opts)
{
	struct model *m = model_calloc(1, sizeof(*m));
	if (opts)
		m->opts = *opts;
	pidmap_init(&m->tasks);
	pidmap_init(&m->procs);
	arena_init(&m->exec_strings);
	return m;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->procs.cap; i++) {
		struct proc *p = m->procs.slots[i].val;
		if (!m->procs.slots[i].key)
			continue;
		free(p->tids);
		free(p);
	}
	for (size_t i = 0; i < m->tasks.cap; i++)
		if (m->tasks.slots[i].key)
			free(m->tasks.slots[i].val);
	pidmap_free(&m->procs);
	pidmap_free(&m->tasks);
	ctr_free_all(m);
	free(m->execs);
	arena_reset(&m->exec_strings);
	free(m);
}

void model_feed(struct model *m, struct ns_event *ev, model_emit_fn emit, void *ctx)
{
	struct out o = {0};
	struct note n = {{0}, 0};
	struct proc *p = NULL;

	m->summary.nevents++;
	if (ev->kind == EV_SYSCALL)
		m->summary.nsyscalls++;
	if (ev->has_ns && !m->host_userns && ev->kind != EV_SPAWN)
		m->host_userns = ev->ns.ino[NS_USER];

	switch (ev->kind) {
	case EV_ATTACH:
		if (ev->pid > 0)
			p = launch_on_attach(m, ev, &o, &n);
		break;
	case EV_SPAWN:
		if (ev->pid > 0 && ev->tid > 0)
			p = launch_on_spawn(m, ev, &o, &n);
		break;
	/* Events about no known task (pid 0) pass through unannotated. */
	case EV_EXEC:
		p = proc_for(m, ev);
		remember_comm(p, ev);
		if (p)
			launch_on_exec(m, p, ev, &o, &n);
		break;
	case EV_SYSCALL:
		p = proc_for(m, ev);
		remember_comm(p, ev); /* after prctl(PR_SET_NAME) comm is the new name */
		if (p)
			launch_on_syscall(m, p, ev, &o, &n);
		break;
	case EV_EXIT:
		p = proc_for(m, ev);
		if (p)
			launch_on_exit(m, p, ev, &o, &n);
		break;
	case EV_SIGNAL:
	case EV_DETACH:
		p = proc_for(m, ev);
		remember_comm(p, ev);
		break;
	case EV_END:
		launch_on_end(m, ev, &o);
		ev->summary = model_summary(m);
		break;
	default:
		break;
	}
	if (p)
		remember_comm(p, ev);
	annotate(ev, p, &n);

	/* The state of a task that is gone goes now: memory follows the live tasks. */
	if (p && ev->kind == EV_EXIT)
		task_drop(m, ev->tid > 0 ? ev->tid : ev->pid);
	else if (p && ev->kind == EV_DETACH) {
		if (ev->tid <= 0 || ev->tid == ev->pid)
			proc_drop(m, p);
		else
			task_drop(m, ev->tid);
	}

	for (size_t i = 0; i < o.npre; i++)
		emit(ctx, o.pre[i]);
	emit(ctx, ev);
	for (size_t i = 0; i < o.npost; i++)
		emit(ctx, o.post[i]);
}

bool model_watches_fd(const struct model *m, pid_t tid, int fd)
{
	const struct task *t = pidmap_get(&m->tasks, tid);
	return t && (watch_has(t->p, fd) || said_watches(t->p, fd));
}

void model_set_idle_loop(struct model *m, pid_t tid)
{
	struct task *t = pidmap_get(&m->tasks, tid);
	if (t)
		t->idle_loop = true;
}

bool model_wants_words(const struct model *m, pid_t tid, int fd)
{
	const struct task *t = pidmap_get(&m->tasks, tid);
	return t && said_watches(t->p, fd);
}

void model_runtime_wrote(struct model *m, pid_t tid, const char *text, size_t len)
{
	struct task *t = pidmap_get(&m->tasks, tid);
	if (t)
		said_on_text(t->p, text, len);
}

bool model_wants_syscalls(const struct model *m, pid_t tid)
{
	const struct task *t = pidmap_get(&m->tasks, tid);
	if (!t)
		return true;
	if (t->idle_loop)
		return false;
	/* A plain program under a daemon is not building a container: follow it
	 * like its daemon, unless the daemon side is traced in depth. */
	if (t->p->role == ROLE_PROCESS && t->p->quiet_lineage && !m->opts.trace_daemon)
		return false;
	/* The same for the runtime commands a shim runs that build nothing (runc
	 * start, delete, state): each would stop a thousand times in Go's start-up
	 * alone. Run by the user (nstrace -- runc delete x) they are traced. */
	if (t->p->role == ROLE_RUNTIME && t->p->housekeeping && t->p->quiet_lineage &&
	    !m->opts.trace_daemon)
		return false;
	/* A runtime whose container runs its entrypoint has built it: what it does
	 * next is wait (runc run, Go's timers and all), so it drops to events only
	 * rather than stopping at every syscall for the container's whole life. */
	if (t->p->role == ROLE_RUNTIME) {
		const struct container *c = ctr_get((struct model *)m, t->p);
		if (c && c->entry_pid)
			return false;
	}
	return depth_wants_syscalls(t->p->role, &m->opts);
}

bool model_is_runtime(const struct model *m, pid_t tid)
{
	const struct task *t = pidmap_get(&m->tasks, tid);
	return t && (t->p->role == ROLE_RUNTIME || t->p->role == ROLE_RUNTIME_INIT);
}

const struct trace_summary *model_summary(struct model *m)
{
	ctr_summary(m); /* the containers, into m->summary */
	m->summary.execs = m->execs;
	m->summary.nexecs = m->nexecs;
	m->summary.execs_dropped = m->execs_dropped;
	return &m->summary;
}

size_t model_live_processes(const struct model *m)
{
	return m->procs.n;
}

size_t model_live_tasks(const struct model *m)
{
	return m->tasks.n;
}
