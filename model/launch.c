/* launch.c - what attach, spawn, exec, exit and the end of a trace mean for
 * roles, containers and phases (syscalls are in launch_syscalls.c).
 *
 * Roles are decided at attach, spawn (inherited from the spawner, not the
 * parent: runc's stages clone with CLONE_PARENT) and exec (by program and argv).
 */
#include "model_internal.h"

#include <stdio.h>
#include <string.h>

#define CLONE_PARENT 0x00008000ull
#define FOR_CHILDREN ((1u << NS_PID_FOR_CHILDREN) | (1u << NS_TIME_FOR_CHILDREN))

static const char *base_name(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;
	return s ? s + 1 : path;
}

static const char *const *ev_argv(const struct ns_event *ev)
{
	return (const char *const *)ev->argv;
}

static void set_ctr_id(struct proc *p, const char *id)
{
	snprintf(p->ctr_id, sizeof(p->ctr_id), "%s", id ? id : "");
}

static void leave_container(struct proc *p)
{
	p->launch = false;
	p->ctr_slot = -1;
	p->ctr_serial = 0;
}

/* EV_CONTAINER after the event that revealed the container. */
static void announce_container(const struct ns_event *trigger, const struct proc *p,
			       const struct container *c, struct out *o)
{
	struct ns_event *ev = model_event_like(trigger, EV_CONTAINER, p);
	ev->container = arena_strdup(&ev->arena, c->sum.id);
	ev->note =
	    arena_printf(&ev->arena, "container %s, from %s's command line%s%s", c->sum.id,
			 p->role == ROLE_SHIM ? "the shim" : p->runtime,
			 c->sum.bundle ? "; bundle " : "", c->sum.bundle ? c->sum.bundle : "");
	out_post(o, ev);
}

/* Whether the launch starting now was asked for by the command nstrace runs: it
 * descends from it, or (a wrapped client: docker run, ctr run) the command's client
 * is alive while an attached daemon builds it. Another client's launch at the same
 * moment would be counted too: the model cannot see the daemon's API calls. */
static bool client_names(const struct proc *q, const char *id)
{
	for (size_t i = 0; i < q->client_words_len;) {
		const char *w = q->client_words + i;
		if (!strcmp(w, id))
			return true;
		i += strlen(w) + 1;
	}
	return false;
}

static bool caused_by_command(const struct model *m, const struct proc *p, const char *id)
{
	if (p->from_command)
		return true;
	for (size_t i = 0; i < m->procs.cap; i++) {
		const struct proc *q = m->procs.slots[i].val;
		if (!m->procs.slots[i].key || !q->from_command || q->role != ROLE_CLIENT)
			continue;
		/* ctr names the container it runs: then only that one is ours. docker
		 * and nerdctl learn the id from the daemon: any launch during their
		 * life counts. */
		if (!q->client_names_ids || !id || client_names(q, id))
			return true;
	}
	return false;
}

/* Remember a client's argv words (see struct proc). */
void launch_note_client(struct proc *p, const char *const *argv, size_t argc)
{
	p->client_words_len = 0;
	p->client_names_ids = false;
	if (!argc || !argv || !argv[0])
		return;
	const char *b = strrchr(argv[0], '/');
	b = b ? b + 1 : argv[0];
	p->client_names_ids = !strcmp(b, "ctr");
	for (size_t i = 1; i < argc && argv[i]; i++) {
		size_t l = strlen(argv[i]) + 1;
		if (p->client_words_len + l > sizeof(p->client_words)) {
			p->client_names_ids = false; /* cut: cannot tell, count every launch */
			break;
		}
		memcpy(p->client_words + p->client_words_len, argv[i], l);
		p->client_words_len += l;
	}
}

/* runc create/run ID: the container is being built by this process's tree. */
static struct container *recognise(struct model *m, struct proc *p, const struct ns_event *ev,
				   const char *id, const char *runtime, const char *bundle,
				   enum phase_rank rank, struct out *o)
{
	struct container *c = ctr_find_open(m, id);
	if (c && c->rank >= rank && c->rank < PH_WORKLOAD) {
		/* Built before and never finished (a failed create, say): a new launch. */
		phase_finish(m, c, ev->rel_us, ev, o, "superseded by a new launch of the same id");
		c = NULL;
	} else if (c && c->rank >= rank) {
		c = NULL; /* still running: this attempt is another launch (runc will refuse it) */
	}
	bool fresh = !c;
	if (!c)
		c = ctr_new(m, id, runtime, bundle);
	if (!c->sum.runtime && runtime && *runtime)
		c->sum.runtime = arena_strdup(&c->strings, runtime);
	if (!c->sum.bundle && bundle)
		c->sum.bundle = arena_strdup(&c->strings, bundle);
	c->sum.caused_by_command |= caused_by_command(m, p, c->sum.id);
	ctr_attach_proc(c, p);
	p->launch = true;
	if (fresh)
		announce_container(ev, p, c, o);
	return c;
}

static void on_runtime_exec(struct model *m, struct proc *p, const struct ns_event *ev,
			    struct out *o, struct note *n)
{
	struct argv_info ai;
	parse_runtime_argv(ev_argv(ev), ev->argc, &ai);
	leave_container(p);
	set_ctr_id(p, ai.id);
	snprintf(p->log_path, sizeof(p->log_path), "%s", ai.log ? ai.log : "");
	p->said[0] = '\0';
	p->said_leveled = false;
	/* create, run, exec and restore build a container or a process in one;
	 * start, delete, state, kill and the rest only look at or tear down */
	p->housekeeping = ai.sub && strcmp(ai.sub, "create") && strcmp(ai.sub, "run") &&
			  strcmp(ai.sub, "exec") && strcmp(ai.sub, "restore");
	p->creates = ai.sub && !strcmp(ai.sub, "create");
	p->in_exec = ai.sub && ai.id && !strcmp(ai.sub, "exec");
	p->exec_since_us = ev->rel_us;
	if (!ai.sub || !ai.id)
		return;
	if (!strcmp(ai.sub, "create") || !strcmp(ai.sub, "run")) {
		struct container *c =
		    recognise(m, p, ev, ai.id, p->runtime, ai.bundle, PH_RUNTIME, o);
		char detail[64];
		snprintf(detail, sizeof(detail), "%s %s", p->runtime, ai.sub);
		phase_advance(m, c, PH_RUNTIME, "runtime create", detail, ev->rel_us, ev, o);
		note_add(n, "%s %s: builds container %s from bundle %s", p->runtime, ai.sub, ai.id,
			 ai.bundle ? ai.bundle : "in its working directory");
	} else if (!strcmp(ai.sub, "start")) {
		note_add(
		    n, "%s start: opens container %s's exec fifo, so its init execs the entrypoint",
		    p->runtime, ai.id);
	} else if (!strcmp(ai.sub, "exec")) {
		note_add(n, "%s exec: runs a new process in container %s (joins its namespaces)",
			 p->runtime, ai.id);
	} else if (!strcmp(ai.sub, "delete")) {
		note_add(n, "%s delete: removes container %s", p->runtime, ai.id);
	} else {
		note_add(n, "%s %s on container %s", p->runtime, ai.sub, ai.id);
	}
}

static void on_shim_exec(struct model *m, struct proc *p, const struct ns_event *ev, struct out *o,
			 struct note *n)
{
	struct argv_info ai;
	parse_shim_argv(ev_argv(ev), ev->argc, &ai);
	leave_container(p);
	set_ctr_id(p, ai.id);
	if (!ai.id)
		return;
	if (ai.sub && strcmp(ai.sub, "start")) {
		note_add(n, "shim %s for container %s", ai.sub, ai.id);
		return;
	}
	/* "start" forks the long-lived shim (no subcommand), which runs the runtime. */
	struct container *c = ctr_find_open(m, ai.id);
	if (!c) {
		c = ctr_new(m, ai.id, NULL, ai.bundle);
		c->sum.caused_by_command |= caused_by_command(m, p, c->sum.id);
		announce_container(ev, p, c, o);
	}
	ctr_attach_proc(c, p);
	p->launch = true;
	phase_advance(m, c, PH_SHIM, "shim start", base_name(ev->filename), ev->rel_us, ev, o);
	note_add(n, ai.sub ? "shim start for container %s" : "shim serving container %s", ai.id);
}

/* `runc exec` or `crun exec` ran path in a running container: kept for the
 * summary, from the runtime's exec to the process's end. */
static void exec_begins(struct model *m, struct proc *p, const struct ns_event *ev,
			const char *path)
{
	if (m->nexecs == MODEL_MAX_EXECS) {
		m->execs_dropped++;
		return;
	}
	if (!m->execs)
		m->execs = model_calloc(MODEL_MAX_EXECS, sizeof(*m->execs));
	struct exec_summary *x = &m->execs[m->nexecs++];
	x->container = arena_strdup(&m->exec_strings, p->ctr_id);
	x->runtime = p->runtime[0] ? arena_strdup(&m->exec_strings, p->runtime) : NULL;
	x->path = arena_strdup(&m->exec_strings, path);
	x->pid = p->pid;
	x->nspid = ev->nspid;
	x->start_us = p->exec_since_us;
	x->dur_us = ev->rel_us - x->start_us;
	x->end = NULL;
	p->exec_slot = m->nexecs;
	p->in_exec = false; /* its own children are the exec'd program's business */
}

static void on_workload_exec(struct model *m, struct proc *p, const struct ns_event *ev,
			     struct out *o, struct note *n)
{
	struct container *c = ctr_get(m, p);
	const char *path = ev->filename ? ev->filename : (ev->argc ? ev->argv[0] : "?");
	if (c && p->launch && !c->entry_pid && !c->done) {
		c->entry_pid = p->pid;
		c->sum.entrypoint = arena_strdup(&c->strings, path);
		c->sum.entry_pid = p->pid;
		c->sum.entry_nspid = ev->nspid;
		char detail[160];
		snprintf(detail, sizeof(detail), "entrypoint %s", path);
		phase_advance(m, c, PH_WORKLOAD, "workload", detail, ev->rel_us, ev, o);
		if (ev->nspid)
			note_add(
			    n, "container %s's entrypoint %s: host pid %d, pid %d in the container",
			    c->sum.id, path, p->pid, ev->nspid);
		else
			note_add(n, "container %s's entrypoint %s: host pid %d", c->sum.id, path,
				 p->pid);
	} else if (p->ctr_id[0]) {
		note_add(n, "runs %s in container %s", path, p->ctr_id);
		if (p->in_exec)
			exec_begins(m, p, ev, path);
	}
}

struct proc *launch_on_attach(struct model *m, struct ns_event *ev, struct out *o, struct note *n)
{
	(void)o;
	struct proc *old = proc_of_pid(m, ev->pid);
	if (old)
		proc_drop(m, old);
	struct proc *p = proc_new(m, ev->pid);
	p->ppid = ev->ppid;
	proc_add_tid(m, p, ev->tid > 0 ? ev->tid : ev->pid);
	if (ev->has_ns)
		p->ns = ev->ns;
	char name[RUNTIME_LEN];
	p->role = role_of_program(ev->exe, NULL, ev_argv(ev), ev->argc, name, sizeof(name));
	if (p->role == ROLE_RUNTIME || p->role == ROLE_RUNTIME_INIT)
		snprintf(p->runtime, sizeof(p->runtime), "%s", name);
	if (ev->comm && stage_number(ev->comm) >= 0) {
		/* A runtime stage caught mid-launch (a created container's runc:[2:INIT]). */
		snprintf(p->stage, sizeof(p->stage), "%s", ev->comm);
		p->role = ROLE_RUNTIME_INIT;
		p->built = stage_number(ev->comm) >= 2;
	}
	struct argv_info ai = {0};
	if (p->role == ROLE_RUNTIME)
		parse_runtime_argv(ev_argv(ev), ev->argc, &ai);
	else if (p->role == ROLE_SHIM)
		parse_shim_argv(ev_argv(ev), ev->argc, &ai);
	set_ctr_id(p, ai.id);
	note_add(n, "attached: %s", role_name(p->role));
	if (ai.id)
		note_cat(n, " of container %s", ai.id);
	return p;
}

static void inherit(struct proc *p, const struct proc *sp)
{
	p->role = sp->role;
	memcpy(p->stage, sp->stage, sizeof(p->stage));
	memcpy(p->runtime, sp->runtime, sizeof(p->runtime));
	memcpy(p->ctr_id, sp->ctr_id, sizeof(p->ctr_id));
	memcpy(p->comm, sp->comm, sizeof(p->comm));
	p->ctr_slot = sp->ctr_slot;
	p->ctr_serial = sp->ctr_serial;
	p->launch = sp->launch;
	p->built = sp->built;
	p->housekeeping = sp->housekeeping;
	p->in_exec = sp->in_exec;
	p->exec_since_us = sp->exec_since_us;
	p->from_command = sp->from_command;
	p->quiet_lineage = sp->quiet_lineage || sp->role == ROLE_DAEMON || sp->role == ROLE_SHIM ||
			   sp->role == ROLE_CLIENT;
	p->ns = sp->ns;
	p->creds = sp->creds;
	p->uid_map = sp->uid_map;
	p->gid_map = sp->gid_map;
}

struct proc *launch_on_spawn(struct model *m, struct ns_event *ev, struct out *o, struct note *n)
{
	struct task *st = ev->spawner > 0 ? pidmap_get(&m->tasks, ev->spawner) : NULL;
	struct proc *sp = st ? st->p : proc_of_pid(m, ev->ppid);
	if (st)
		st->last_child = ev->tid;

	if (ev->is_thread) {
		struct proc *p = sp && sp->pid == ev->pid ? sp : proc_of_pid(m, ev->pid);
		if (!p) {
			p = proc_new(m, ev->pid);
			p->from_command = true;
		}
		proc_add_tid(m, p, ev->tid);
		return p;
	}

	/* A pid we still hold belongs to a process whose end we missed. */
	struct proc *stale = proc_of_pid(m, ev->pid);
	if (stale)
		proc_drop(m, stale);
	struct task *stale_t = pidmap_get(&m->tasks, ev->tid);
	if (stale_t)
		task_drop(m, ev->tid);
	/* proc_drop may have freed sp if it was the stale one: look it up again. */
	st = ev->spawner > 0 ? pidmap_get(&m->tasks, ev->spawner) : NULL;
	sp = st ? st->p : proc_of_pid(m, ev->ppid);

	struct proc *p = proc_new(m, ev->pid);
	p->ppid = ev->ppid;
	p->spawner = ev->spawner;
	if (sp) {
		inherit(p, sp);
		/* "a runtime's child before the entrypoint exec" (DESIGN.md) */
		if (sp->role == ROLE_RUNTIME)
			p->role = ROLE_RUNTIME_INIT;
	} else {
		p->from_command = true;
	}
	proc_add_tid(m, p, ev->tid);
	if (ev->comm && *ev->comm)
		snprintf(p->comm, sizeof(p->comm), "%s", ev->comm);

	if (ev->has_ns) {
		if (sp) {
			ev->ns_old = sp->ns;
			ev->ns_changed = ns_diff(&sp->ns, &ev->ns);
		}
		p->ns = ev->ns; /* 0: not known (yet), not the spawner's */
	}
	uint32_t created = ns_created_by_flags(ev->clone_flags);
	if (created || (ev->ns_changed & ~FOR_CHILDREN))
		p->built = true;

	if (sp && sp->pid != ev->ppid)
		note_add(n, "spawned by %d (%s)%s: its parent is %d, which reaps it", sp->pid,
			 proc_who(sp, NULL),
			 ev->clone_flags & CLONE_PARENT ? " with CLONE_PARENT" : "", ev->ppid);
	ns_note_spawn(n, ev, sp ? sp->joined_for_children : 0);

	struct container *c = p->launch ? ctr_get(m, p) : NULL;
	if (c && sp && sp->role == ROLE_RUNTIME) {
		char detail[64];
		snprintf(detail, sizeof(detail), "%s init",
			 sp->runtime[0] ? sp->runtime : "runtime");
		phase_advance(m, c, PH_INIT, "runtime init", detail, ev->rel_us, ev, o);
	}
	if (c && created) {
		c->sum.ns_created |= created;
		phase_advance(m, c, PH_NS, "namespace setup", NULL, ev->rel_us, ev, o);
	}
	return p;
}

/* How a runtime that re-executes itself protects its binary (CVE-2019-5736),
 * read from the new executable: an fd of a sealed memfd ("/memfd:... (deleted)")
 * or of a read-only bind mount detached from every path ("/", or a path that
 * reads " (deleted)"). who: "runc init", "crun". */
static void note_reexec(struct note *n, const char *who, const struct ns_event *ev)
{
	const char *exe = ev->exe && *ev->exe ? ev->exe : NULL;
	if (!exe)
		note_add(n, "%s re-executes itself (its executable could not be read)", who);
	else if (!strncmp(exe, "/memfd:", 7))
		note_add(n,
			 "%s runs from a sealed memfd copy of itself (exe %s), so the "
			 "container cannot write to the host binary",
			 who, exe);
	else if (!strcmp(exe, "/") || strstr(exe, " (deleted)"))
		note_add(n,
			 "%s runs from a read-only bind mount of its own binary, detached "
			 "from every path (exe %s), so the container cannot write to the "
			 "host binary",
			 who, exe);
	else
		note_add(n, "%s re-executes itself (exe %s)", who, exe);
}

/* A runtime process execs the runtime again for the same container: crun
 * re-executes every command (create, run, start, delete...) from a protected
 * copy of its binary, by fd, before it does anything. So does a wrapper that
 * execs the real runtime with the same words. The command goes on as it was:
 * the same create or run of a container being built, or the same command run
 * again by fd. A new launch of the same id is a new process. */
static bool runtime_runs_itself_again(struct model *m, struct proc *p, const struct ns_event *ev,
				      const char *const *argv, size_t argc)
{
	struct argv_info ai;
	parse_runtime_argv(argv, argc, &ai);
	if (!ai.id || !ai.sub || strcmp(ai.id, p->ctr_id))
		return false;
	struct container *c = p->launch ? ctr_get(m, p) : NULL;
	if (c && !c->done && c->rank < PH_WORKLOAD)
		return !strcmp(ai.sub, "create") || !strcmp(ai.sub, "run");
	return !p->launch && ev->filename && !strncmp(ev->filename, "/dev/fd/", 8);
}

void launch_on_exec(struct model *m, struct proc *p, struct ns_event *ev, struct out *o,
		    struct note *n)
{
	if (ev->old_tid > 0 && ev->old_tid != ev->pid)
		note_add(n,
			 "exec by thread %d: it takes over the thread group id %d, "
			 "the other threads are gone",
			 ev->old_tid, ev->pid);
	proc_only_leader(m, p);
	if (ev->has_ns) {
		/* exec moves a task into its time_for_children; pid namespaces never move */
		ev->ns_old = p->ns;
		ev->ns_changed =
		    ns_diff(&p->ns, &ev->ns) & ~((1u << NS_PID) | (1u << NS_PID_FOR_CHILDREN));
		p->ns = ev->ns;
	}
	p->nwatch = 0;
	p->stage[0] = '\0';
	p->creds.cap_known = false; /* exec recomputes capabilities */

	enum role prev = p->role;
	char name[RUNTIME_LEN];
	const char *const *argv = ev_argv(ev);
	enum role byname =
	    role_of_program(ev->exe, ev->filename, argv, ev->argc, name, sizeof(name));
	enum role r = byname;
	bool reexec = is_runtime_reexec(ev->exe, ev->filename, argv, ev->argc);
	if (prev == ROLE_WORKLOAD)
		r = ROLE_WORKLOAD; /* whatever runs inside the container stays the workload */
	else if (prev == ROLE_RUNTIME_INIT && reexec)
		r = ROLE_RUNTIME_INIT;
	else if (prev == ROLE_RUNTIME_INIT && p->built)
		r = ROLE_WORKLOAD; /* the first exec out of runtime-init: the entrypoint */
	p->role = r;
	if (r == ROLE_CLIENT)
		launch_note_client(p, argv, ev->argc);
	if ((r == ROLE_RUNTIME || r == ROLE_RUNTIME_INIT) && name[0])
		snprintf(p->runtime, sizeof(p->runtime), "%s", name);

	if (r == ROLE_RUNTIME && prev == ROLE_RUNTIME &&
	    runtime_runs_itself_again(m, p, ev, argv, ev->argc)) {
		note_reexec(n, p->runtime, ev);
	} else if (r == ROLE_RUNTIME) {
		on_runtime_exec(m, p, ev, o, n);
	} else if (r == ROLE_SHIM) {
		on_shim_exec(m, p, ev, o, n);
	} else if (r == ROLE_WORKLOAD && prev == ROLE_RUNTIME_INIT) {
		on_workload_exec(m, p, ev, o, n);
	} else if (r == ROLE_RUNTIME_INIT && reexec) {
		/* runc 1.1 first execs /proc/self/exe, then its protected copy */
		char who[RUNTIME_LEN + 8];
		snprintf(who, sizeof(who), "%s init", p->runtime);
		if (ev->filename && !strcmp(ev->filename, "/proc/self/exe"))
			note_add(n, "%s re-executes itself as `%s`", p->runtime, who);
		else
			note_reexec(n, who, ev);
		struct container *c = p->launch ? ctr_get(m, p) : NULL;
		char detail[64];
		snprintf(detail, sizeof(detail), "%s init", p->runtime);
		phase_advance(m, c, PH_INIT, "runtime init", detail, ev->rel_us, ev, o);
	} else if (prev != r && r == ROLE_DAEMON) {
		leave_container(p);
		p->ctr_id[0] = '\0';
	}
}

static bool is_entry(const struct container *c, const struct proc *p)
{
	return c && c->entry_pid == p->pid;
}

void launch_on_exit(struct model *m, struct proc *p, struct ns_event *ev, struct out *o,
		    struct note *n)
{
	bool leader = ev->tid <= 0 || ev->tid == ev->pid;
	bool last = p->ntids <= 1;
	if (!leader && !last)
		return;
	struct container *c = ctr_get(m, p);
	char why[128];
	if (ev->exited)
		snprintf(why, sizeof(why), "exited with %d", ev->exit_code);
	else
		snprintf(why, sizeof(why), "killed by signal %d", ev->term_sig);
	bool failed = !ev->exited || ev->exit_code != 0;
	if (p->exec_slot) {
		struct exec_summary *x = &m->execs[p->exec_slot - 1];
		x->dur_us = ev->rel_us - x->start_us;
		x->end = arena_strdup(&m->exec_strings, why);
		p->exec_slot = 0;
	}

	if (is_entry(c, p)) {
		char detail[160];
		snprintf(detail, sizeof(detail), "entrypoint %s", why);
		note_add(n, "container %s's entrypoint %s", c->sum.id, why);
		phase_finish(m, c, ev->rel_us, ev, o, detail);
		return;
	}
	if (!c || !p->launch || c->done)
		return;
	if (!failed && p->role == ROLE_RUNTIME && p->creates && !c->entry_pid && c->rank >= PH_NS &&
	    c->rank < PH_WAIT && strcmp(p->runtime, "runc")) {
		/* `create` is done and its init waits for `start`. runc's init shows
		 * its wait itself: it blocks opening the exec fifo, a call that
		 * returns after this exit and is timed from its entry (on_open).
		 * crun's waits in pselect6 on the fifo create opened for it, a call
		 * no filter shows: the wait is timed from here. */
		char detail[64];
		snprintf(detail, sizeof(detail), "created; its init waits for `%s start`",
			 p->runtime[0] ? p->runtime : "runtime");
		phase_advance(m, c, PH_WAIT, "wait for start", detail, ev->rel_us, ev, o);
		return;
	}
	if (failed && (p->role == ROLE_RUNTIME || p->role == ROLE_RUNTIME_INIT)) {
		char text[512];
		snprintf(text, sizeof(text), "%s (pid %d) %s%s%s", proc_who(p, ev), p->pid, why,
			 p->said[0] ? ": " : "", p->said);
		if (c->sum.nfailures < MODEL_MAX_FAILURES)
			ctr_add_failure_text(c, text);
		if (p->role == ROLE_RUNTIME && !c->entry_pid) {
			/* runc create/run failed before an entrypoint ran: the launch is over. */
			note_add(n, "container %s failed to start: %s", c->sum.id, text);
			phase_finish(m, c, ev->rel_us, ev, o, text);
		}
	}
}

void launch_on_end(struct model *m, struct ns_event *ev, struct out *o)
{
	for (size_t i = 0; i < m->nexecs; i++)
		if (!m->execs[i].end)
			m->execs[i].dur_us = ev->rel_us - m->execs[i].start_us;
	for (size_t k = 0; k < m->nctrs; k++) {
		struct container *c = m->ctrs[(m->ctr_first + k) % MODEL_MAX_CONTAINERS];
		if (c && !c->done && c->rank != PH_NONE)
			phase_finish(m, c, ev->rel_us, ev, o, "still running when the trace ended");
	}
}
