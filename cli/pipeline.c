/* pipeline.c - wires tracer, decoders, model and formatter into one run.
 *
 * Per traced task it keeps a small cache (struct task: comm, pids, namespaces)
 * so that the hot path (a syscall stop) never reads /proc; /proc is read at
 * attach, spawn (only when the clone creates namespaces or crosses a pid
 * namespace), exec, and after a successful namespace syscall or rename.
 */
#define _GNU_SOURCE
#include "pipeline.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemons.h"
#include "exe_cache.h"
#include "event.h"
#include "formatter.h"
#include "idle_threads.h"
#include "model.h"
#include "procfs.h"
#include "stack.h"
#include "syscalls.h"
#include "tracer.h"

#define CLONE_NEWPID 0x20000000
#define MAX_STACK_FRAMES 64
#define NS_ALL (NS_BIT(NS_COUNT) - 1)

/* What the pipeline remembers about one traced task. */
struct task {
	struct ns_event *pending; /* a syscall between its entry and exit */
	char comm[64];
	pid_t ppid;
	pid_t nspid, nstid;
	struct ns_set ns;
	bool has_ns;
	unsigned char idle_probes; /* nanosleeps looked at for Go's sysmon */
	bool idle_loop;		   /* it is sysmon: events only (idle_threads.h) */
};

struct pipeline {
	const struct options *o;
	struct tracer *tr;
	struct model *model;
	struct formatter *fmt;
	struct stack_unwinder *unw; /* -k stacks, and the sysmon probe */
	struct exe_cache *exes;	    /* exe of events-only execs (exe_cache.h) */
	bool probe_idle;	    /* the selection lets sysmon threads go unstopped */
	unsigned long idle_threads; /* how many did */
	unsigned long entry_stops[SC_FILTER_MAX]; /* per x86_64 syscall, for NSTRACE_STATS=2 */
	uint64_t start_mono, start_wall;
	uint64_t seq;
	struct ns_set ns_self; /* ours: the command we fork starts in them, and a task in
				* our pid namespace has nspid == pid */
	char comm_self[16];    /* and our name, its name until it execs */

	bool output_failed;
	int output_errno;
	uint64_t last_flush_mono; /* on_idle */
	bool relevel;		  /* depths of every task to be asked again (a workload started) */
	bool workload_exec;	  /* the exec just fed made its task the workload */
	bool once_hit;

	pid_t cmd_pid; /* run mode */
	bool cmd_done;
	int cmd_status;

	struct daemon_attach daemons; /* client wrap: what we attached besides the command */
};

/* ---------- events ---------- */

static void emit(void *ctx, struct ns_event *ev)
{
	struct pipeline *p = ctx;
	if (ev->kind == EV_EXEC && ev->role == ROLE_WORKLOAD) {
		/* a launch is done: its runtime may drop to events only */
		p->relevel = true;
		p->workload_exec = true;
	}
	/* --only-mine: launches the command did not cause stay out of the output
	 * (they still count in the summary, which says which were not ours) */
	if (p->o->only_mine && ev->container && ev->kind != EV_END &&
	    !model_container_is_mine(p->model, ev->container)) {
		ns_event_free(ev);
		return;
	}
	ev->seq = ++p->seq;
	if (!p->output_failed && formatter_event(p->fmt, ev) < 0) {
		p->output_failed = true;
		p->output_errno = errno;
	}
	if (p->o->once == ONCE_EXEC && ev->kind == EV_EXEC && ev->role == ROLE_WORKLOAD)
		p->once_hit = true;
	if (p->o->once == ONCE_EXIT && ev->kind == EV_EXIT && ev->role == ROLE_WORKLOAD &&
	    ev->pid == ev->tid)
		p->once_hit = true;
	ns_event_free(ev);
}

static void feed(struct pipeline *p, struct ns_event *ev)
{
	decode_event_names(ev); /* spawn flags, signal names: syscall_tables' tables */
	model_feed(p->model, ev, emit, p);
}

static struct ns_event *new_event(struct pipeline *p, enum ev_kind kind, uint64_t mono)
{
	struct ns_event *ev = ns_event_new(kind);
	if (!mono)
		mono = tracer_now_mono();
	ev->mono_ns = mono;
	ev->wall_ns = p->start_wall + (mono - p->start_mono);
	ev->rel_us = (int64_t)(mono - p->start_mono) / 1000;
	return ev;
}

/* Fill who an event is about from the task cache. */
static void set_who(struct ns_event *ev, pid_t tid, pid_t tgid, const struct task *k)
{
	ev->pid = tgid;
	ev->tid = tid;
	if (k) {
		ev->ppid = k->ppid;
		ev->nspid = k->nspid;
		ev->nstid = k->nstid;
		ev->comm = arena_strdup(&ev->arena, k->comm);
		if (k->has_ns) {
			ev->has_ns = true;
			ev->ns = k->ns;
		}
	}
}

/* ---------- the task cache ---------- */

/* Pids and ppid from /proc; the comm too unless the caller knows it (a new
 * task has its spawner's); the namespaces if asked. */
static void task_read_proc(struct task *k, pid_t tgid, pid_t tid, bool with_comm, bool with_ns)
{
	struct proc_status st;
	bool have_st = procfs_status(tgid, tid, &st) == 0;
	if (have_st) {
		k->ppid = st.ppid;
		k->nspid = st.nspid;
		k->nstid = st.nstid;
	}
	if (with_comm && procfs_comm(tid, k->comm, sizeof(k->comm)) < 0 && !k->comm[0] && have_st)
		snprintf(k->comm, sizeof(k->comm), "%s", st.name);
	if (with_ns)
		k->has_ns = procfs_ns(tid, &k->ns) > 0;
}

static struct task *task_get(struct pipeline *p, struct tracee *t)
{
	void **slot = tracee_user(t);
	if (!*slot) {
		struct task *k = calloc(1, sizeof(*k));
		if (!k) {
			fputs("nstrace: out of memory\n", stderr);
			abort();
		}
		if (tracee_tid(t) == p->cmd_pid && !tracee_attached(t)) {
			/* the command we forked, not yet exec'd: our namespaces, our
			 * pid namespace, our child, our name; /proc would say so */
			k->ns = p->ns_self;
			k->has_ns = true;
			k->nspid = k->nstid = p->cmd_pid;
			k->ppid = getpid();
			snprintf(k->comm, sizeof(k->comm), "%s", p->comm_self);
		} else {
			task_read_proc(k, tracee_tgid(t), tracee_tid(t), true, true);
		}
		*slot = k;
	}
	return *slot;
}

/* A syscall that never returned to us: print it unfinished, as strace's "= ?". */
static void flush_pending(struct pipeline *p, struct task *k)
{
	if (!k->pending)
		return;
	struct ns_event *ev = k->pending;
	k->pending = NULL;
	ev->unfinished = true;
	ev->dur_ns = 0;
	feed(p, ev);
}

/* The tracer lets go of a task: flush what we hold for it. */
static void on_release(void *ctx, struct tracee *t, bool detached)
{
	struct pipeline *p = ctx;
	struct task *k = *tracee_user(t);
	if (k)
		flush_pending(p, k);
	if (detached && tracee_tid(t) == tracee_tgid(t)) {
		struct ns_event *ev = new_event(p, EV_DETACH, 0);
		set_who(ev, tracee_tid(t), tracee_tgid(t), k);
		ev->reason = END_NONE;
		feed(p, ev);
	}
	if (p->unw && tracee_tid(t) == tracee_tgid(t))
		stack_forget(p->unw, tracee_tgid(t));
	free(k);
	*tracee_user(t) = NULL;
}

/* Ask the model how deep each task should be traced after an event that can
 * change its role. */
static void update_depth(struct pipeline *p, struct tracee *t)
{
	bool syscalls = model_wants_syscalls(p->model, tracee_tid(t));
	tracer_set_syscalls(p->tr, t, syscalls);
	/* A runtime with syscall stops runs on our CPU while it has them: it lives
	 * a few hundred ms and stops thousands of times. A plain command or a
	 * daemon traced in depth keeps its CPUs: pinned, it would see one CPU
	 * (nproc, GOMAXPROCS, thread pools) for as long as it is traced, unless
	 * asked (--colocate-all: where waking another CPU is slow). A task
	 * under our seccomp filter stops at the shown calls only: like an
	 * events-only task it joins our CPU only while it stops often (affinity.c);
	 * pinning every thread of the runtime cost more than it saved. */
	tracer_colocate(p->tr, t,
			syscalls && !tracee_seccomp_filtered(t) &&
			    (p->o->colocate_all || model_is_runtime(p->model, tracee_tid(t))));
}

static void update_depth_cb(void *ctx, struct tracee *t)
{
	update_depth(ctx, t);
}

/* ---------- stops ---------- */

/* How much of a runtime's write to stderr or its log the model reads. */
#define MODEL_WRITE_MAX 1024

static void decode_ctx_init(struct pipeline *p, struct decode_ctx *dc, struct ns_event *ev,
			    pid_t tid, uint32_t arch)
{
	memset(dc, 0, sizeof(*dc));
	dc->arena = &ev->arena;
	dc->read = tracer_read_mem;
	dc->read_ctx = (void *)(intptr_t)tid;
	dc->fd_path = procfs_fd_path;
	dc->strsize = p->o->strsize;
	dc->verbose = p->o->verbose;
	dc->arch = sc_arch_of_audit(arch);
}

/* Is this nanosleep Go's sysmon? A worker's nanosleep (stealing work) is looked
 * at twice at most; sysmon's first one already says it. */
static void probe_idle_loop(struct pipeline *p, struct tracer_stop *s, struct task *k)
{
	k->idle_probes++;
	if (!tracer_get_syscalls(s->t) || !idle_threads_is_sysmon(p->unw, s->t, s->tgid))
		return;
	k->idle_loop = true;
	p->idle_threads++;
	model_set_idle_loop(p->model, s->tid);
	update_depth(p, s->t); /* after this nanosleep returns: events only */
}

static void on_syscall_entry(struct pipeline *p, struct tracer_stop *s, struct task *k)
{
	enum sc_arch arch = sc_arch_of_audit(s->arch);
	const struct syscall_ent *ent = syscall_ent(arch, s->nr);
	bool shown = arch == SC_ARCH_X86_64 && sc_filter_has(&p->o->filter, s->nr);
	bool needed = ent && (ent->flags & SCF_MODEL);
	if (arch == SC_ARCH_X86_64 && (unsigned long)s->nr < SC_FILTER_MAX)
		p->entry_stops[s->nr]++;
	if (p->probe_idle && arch == SC_ARCH_X86_64 && idle_threads_probe_point(s->nr) &&
	    !k->idle_loop && k->idle_probes < 2)
		probe_idle_loop(p, s, k);
	/* write(2) matters to the model only on an id map it saw opened */
	if (!shown && (!needed || (s->nr == SYS_write &&
				   !model_watches_fd(p->model, s->tid, (int)s->args[0])))) {
		tracer_skip_exit(s->t);
		return;
	}
	struct ns_event *ev = new_event(p, EV_SYSCALL, s->mono_ns);
	ev->nr = s->nr;
	ev->sc_name = ent ? ent->name : arena_printf(&ev->arena, "syscall_%#lx", s->nr);
	memcpy(ev->raw_args, s->args, sizeof(ev->raw_args));
	ev->entry_mono_ns = s->mono_ns;
	ev->hidden = !shown;
	set_who(ev, s->tid, s->tgid, k); /* again at exit; now for an unfinished end */
	struct decode_ctx dc;
	decode_ctx_init(p, &dc, ev, s->tid, s->arch);
	ev->args = decode_syscall_entry(&dc, s->nr, s->args);
	if (k->pending)
		flush_pending(p, k); /* cannot happen with a sane kernel; never leak */
	k->pending = ev;
}

/* The caller's namespaces a successful namespace syscall can have moved: clone
 * never moves the caller (its child is read at the spawn), unshare moves what
 * its flags name, setns the type it names (any for nstype 0). */
static uint32_t ns_moved_by(long nr, const uint64_t *args)
{
	switch (nr) {
	case SYS_unshare:
		return ns_changed_by_flags(args[0]);
	case SYS_setns:
		return args[1] ? ns_changed_by_flags(args[1]) : NS_ALL;
	default:
		return 0;
	}
}

/* Re-read the namespaces in which (all if we never knew them). */
static void refresh_ns(pid_t tid, struct task *k, uint32_t which)
{
	if (!which)
		return;
	if (!k->has_ns || which == NS_ALL)
		k->has_ns = procfs_ns(tid, &k->ns) > 0;
	else
		procfs_ns_some(tid, &k->ns, which);
}

static void finish_syscall(struct pipeline *p, struct tracer_stop *s, struct task *k,
			   struct ns_event *ev, int64_t rval, bool is_error)
{
	const struct syscall_ent *ent = syscall_ent(sc_arch_of_audit(s->arch), ev->nr);
	ev->ret = rval;
	ev->err = is_error ? (int)-rval : 0;
	ev->dur_ns = s->mono_ns - ev->entry_mono_ns;
	struct decode_ctx dc;
	decode_ctx_init(p, &dc, ev, s->tid, s->arch);
	if (ev->args)
		decode_syscall_exit(&dc, ev->nr, ev->raw_args, rval, ev->args);
	/* a runtime's words on stderr or in its --log file: read whole (the
	 * decoded buffer is cut at -s) for the model's failure messages */
	if (ev->nr == SYS_write && !is_error && rval > 0 &&
	    model_wants_words(p->model, s->tid, (int)ev->raw_args[0])) {
		char text[MODEL_WRITE_MAX];
		size_t n = (uint64_t)rval < sizeof(text) ? (size_t)rval : sizeof(text);
		ssize_t got = tracer_read_mem((void *)(intptr_t)s->tid, ev->raw_args[1], text, n);
		if (got > 0)
			model_runtime_wrote(p->model, s->tid, text, (size_t)got);
	}
	if (ent && !is_error) {
		if (ent->flags & SCF_NS_CHANGE)
			refresh_ns(s->tid, k, ns_moved_by(ev->nr, ev->raw_args));
		if ((ent->flags & SCF_COMM_CHANGE) && ev->raw_args[0] == PR_SET_NAME)
			procfs_comm(s->tid, k->comm, sizeof(k->comm));
	}
	set_who(ev, s->tid, s->tgid, k);
	if (p->o->stack && !ev->hidden) {
		struct user_regs_struct regs;
		if (tracer_get_regs(s->t, &regs) == 0)
			ev->nstack = stack_unwind(p->unw, s->tgid, &regs, tracer_read_mem,
						  (void *)(intptr_t)s->tid, &ev->arena, &ev->stack,
						  MAX_STACK_FRAMES);
	}
	feed(p, ev);
}

static void on_syscall_exit(struct pipeline *p, struct tracer_stop *s, struct task *k)
{
	struct ns_event *ev = k->pending;
	if (!ev || ev->nr != s->nr)
		return;
	k->pending = NULL;
	const struct syscall_ent *ent = syscall_ent(sc_arch_of_audit(s->arch), s->nr);
	finish_syscall(p, s, k, ev, s->rval, s->is_error);
	if (ent && (ent->flags & SCF_COMM_CHANGE))
		update_depth(p, s->t); /* a runtime stage name can change the depth */
}

static void on_spawn(struct pipeline *p, struct tracer_stop *s, struct task *k)
{
	struct tracee *ct = tracer_find(p->tr, s->child_tid);
	if (!ct)
		return;
	struct task *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	/* Derive the child's identity from the parent's without /proc: the same
	 * namespaces, except that a child lives in the parent's pid_for_children
	 * and time_for_children, and that those its clone creates are read (a
	 * stat of each, tens of microseconds apiece). */
	snprintf(c->comm, sizeof(c->comm), "%s", k->comm);
	c->ppid = s->child_is_thread ? k->ppid : s->tgid;
	/* After unshare(CLONE_NEWPID) pid_for_children reads as unknown until its
	 * first child exists: then only /proc can say where the child lives. */
	bool derive = k->has_ns && k->ns.ino[NS_PID_FOR_CHILDREN];
	uint32_t created = derive ? ns_created_by_flags(s->clone_flags) : 0;
	if (created & NS_BIT(NS_PID))
		created |= NS_BIT(NS_PID_FOR_CHILDREN);
	if (created & NS_BIT(NS_TIME))
		created |= NS_BIT(NS_TIME_FOR_CHILDREN);
	if (derive) {
		c->ns = k->ns;
		c->has_ns = true;
		c->ns.ino[NS_PID] = k->ns.ino[NS_PID_FOR_CHILDREN];
		if (k->ns.ino[NS_TIME_FOR_CHILDREN])
			c->ns.ino[NS_TIME] = k->ns.ino[NS_TIME_FOR_CHILDREN];
		if (created)
			procfs_ns_some(s->child_tid, &c->ns, created);
	}
	if (!derive || c->ns.ino[NS_PID] != p->ns_self.ino[NS_PID] ||
	    (s->clone_flags & 0x00008000)) {
		/* other pid namespace (nspid differs) or CLONE_PARENT (ppid differs) */
		task_read_proc(c, s->child_is_thread ? s->tgid : s->child_tid, s->child_tid,
			       false, !derive);
	} else {
		c->nspid = s->child_is_thread ? k->nspid : s->child_tid;
		c->nstid = s->child_tid;
	}
	if (!s->child_is_thread && !(s->clone_flags & CLONE_NEWPID) && c->has_ns && k->has_ns &&
	    !k->ns.ino[NS_PID_FOR_CHILDREN])
		k->ns.ino[NS_PID_FOR_CHILDREN] = c->ns.ino[NS_PID]; /* readable now */
	*tracee_user(ct) = c;

	struct ns_event *ev = new_event(p, EV_SPAWN, s->mono_ns);
	set_who(ev, s->child_tid, s->child_is_thread ? s->tgid : s->child_tid, c);
	ev->spawner = s->tid;
	ev->child_tid = s->child_tid;
	ev->clone_flags = s->clone_flags;
	ev->is_thread = s->child_is_thread;
	feed(p, ev);
	update_depth(p, ct);
}

/* The exe of a task that just exec'd. An events-only task (a daemon's storm of
 * children) asks the exe cache first: the same program exec'd by the same path
 * in the same mount namespace was looked up before. A task with syscall stops
 * is one of the few that build the container: always read. */
static const char *exec_exe(struct pipeline *p, struct tracer_stop *s, struct task *k,
			    const struct exec_info *xi, struct arena *a)
{
	if (!xi || tracer_get_syscalls(s->t) || !k->has_ns || !exe_cache_path_ok(xi->execfn))
		return procfs_exe(s->tgid, a);
	unsigned char id[EXE_CACHE_ID_MAX];
	size_t n = tracer_exec_build_id(s->t, xi, id, sizeof(id));
	uint64_t mnt = k->ns.ino[NS_MNT];
	const char *exe = exe_cache_get(p->exes, mnt, xi->execfn, id, n);
	if (exe)
		return arena_strdup(a, exe);
	exe = procfs_exe(s->tgid, a);
	exe_cache_put(p->exes, mnt, xi->execfn, id, n, exe);
	return exe;
}

static void on_exec(struct pipeline *p, struct tracer_stop *s, struct task *k)
{
	/* execve returned into the new program: report the call first (= 0). */
	struct ns_event *call = k->pending;
	const char *filename = NULL;
	size_t envc = 0;
	struct ns_event *ev = new_event(p, EV_EXEC, s->mono_ns);
	if (call && call->args) {
		for (size_t i = 0; i < call->args->n; i++) {
			const struct av *a = &call->args->items[i];
			if (a->name && !strcmp(a->name, "pathname") && a->kind == AV_STR && a->len)
				filename = arena_strdup(&ev->arena, a->str);
			if (a->name && !strcmp(a->name, "envp"))
				envc = (size_t)a->i;
		}
	}
	if (p->unw)
		stack_forget(p->unw, s->tgid); /* a new image: its maps are new */
	if (call) {
		k->pending = NULL;
		if (s->old_tid != s->tid)
			call->old_tid = s->old_tid; /* the thread that made the call */
		finish_syscall(p, s, k, call, 0, false);
	}
	/* argv and the comm from the new stack (no /proc files for a new process
	 * to open); comm is the basename of the path exec'd, cut to 15 bytes, as
	 * the kernel sets it, but for an fd (fexecve): ask /proc then */
	struct exec_info xi;
	bool from_stack = tracer_exec_info(s->t, &ev->arena, &xi) == 0;
	if (from_stack && strncmp(xi.execfn, "/dev/fd/", 8)) {
		const char *base = strrchr(xi.execfn, '/');
		snprintf(k->comm, 16, "%s", base ? base + 1 : xi.execfn);
	} else {
		procfs_comm(s->tid, k->comm, sizeof(k->comm));
	}
	/* exec keeps the pids, unless a thread exec'd and took the leader's */
	struct proc_status st;
	if ((s->old_tid != s->tid || !k->nspid) && procfs_status(s->tgid, s->tid, &st) == 0) {
		k->nspid = st.nspid;
		k->nstid = st.nstid;
		k->ppid = st.ppid;
	}
	set_who(ev, s->tid, s->tgid, k);
	ev->exe = exec_exe(p, s, k, from_stack ? &xi : NULL, &ev->arena);
	if (from_stack) {
		ev->argc = xi.argc;
		ev->argv = xi.argv;
		if (!call)
			envc = xi.envc; /* the call was not seen: its envp is on the stack */
	} else {
		ev->argc = procfs_cmdline(s->tgid, &ev->arena, &ev->argv);
	}
	/* the path exec'd: the call's argument, else (the call went unseen) the
	 * AT_EXECFN the kernel put on the stack, else at least the executable */
	ev->filename = filename ? filename : from_stack ? xi.execfn : ev->exe;
	ev->envc = envc;
	ev->old_tid = s->old_tid != s->tid ? s->old_tid : 0;
	p->workload_exec = false;
	feed(p, ev);
	update_depth(p, s->t);
	if (p->workload_exec)
		tracer_uncolocate(p->tr, s->t); /* or a hot runtime init's pin stays with it */
	if (p->relevel) {
		p->relevel = false;
		tracer_foreach(p->tr, update_depth_cb, p);
	}
}

static void on_signal(struct pipeline *p, struct tracer_stop *s, struct task *k)
{
	struct ns_event *ev = new_event(p, EV_SIGNAL, s->mono_ns);
	set_who(ev, s->tid, s->tgid, k);
	ev->signo = s->sig;
	/* Go's preemption signal arrives constantly: it passes, unprinted. */
	ev->hidden = s->sig == SIGURG || (!tracer_get_syscalls(s->t) && !k->idle_loop);
	if (!ev->hidden) {
		/* who sent it, why: only for a signal that is shown */
		const siginfo_t *si = tracer_stop_siginfo(s);
		ev->si_code = si->si_code;
		ev->sig_pid = si->si_pid;
	}
	feed(p, ev);
}

static void on_exit_stop(struct pipeline *p, struct tracer_stop *s, struct task *k)
{
	flush_pending(p, k);
	struct ns_event *ev = new_event(p, EV_EXIT, s->mono_ns);
	set_who(ev, s->tid, s->tgid, k);
	ev->exited = WIFEXITED(s->status);
	ev->exit_code = ev->exited ? WEXITSTATUS(s->status) : 0;
	ev->term_sig = WIFSIGNALED(s->status) ? WTERMSIG(s->status) : 0;
	ev->core_dumped = WIFSIGNALED(s->status) && WCOREDUMP(s->status);
	feed(p, ev);
	if (s->tid == p->cmd_pid) {
		p->cmd_done = true;
		p->cmd_status = s->status;
	}
}

static void on_stop(struct pipeline *p, struct tracer_stop *s)
{
	struct task *k = task_get(p, s->t);
	switch (s->kind) {
	case STOP_SYSCALL_ENTRY:
		on_syscall_entry(p, s, k);
		break;
	case STOP_SYSCALL_EXIT:
		on_syscall_exit(p, s, k);
		break;
	case STOP_SPAWN:
		on_spawn(p, s, k);
		break;
	case STOP_EXEC:
		on_exec(p, s, k);
		break;
	case STOP_SIGNAL:
		on_signal(p, s, k);
		break;
	case STOP_GROUP:
		break; /* the stopping signal was reported at its delivery */
	case STOP_EXIT:
		on_exit_stop(p, s, k);
		break;
	}
}

/* ---------- start and end ---------- */

/* Nothing to handle right now: push what is buffered, so that whoever tails the
 * output (a person, Vector, a test) sees the launch as it happens. At most
 * every FLUSH_EVERY_MS while stops keep coming: a write per stop would cost
 * more than the stop. */
#define FLUSH_EVERY_MS 50

/* Whether on_idle has work: buffered output, or a failed output to report. */
static bool output_pending(void *ctx)
{
	struct pipeline *p = ctx;
	return p->output_failed || formatter_pending(p->fmt);
}

static int on_idle(void *ctx)
{
	struct pipeline *p = ctx;
	if (p->output_failed)
		return -1;
	uint64_t now = tracer_now_mono();
	uint64_t since_ms = (now - p->last_flush_mono) / 1000000u;
	if (since_ms < FLUSH_EVERY_MS)
		return (int)(FLUSH_EVERY_MS - since_ms);
	p->last_flush_mono = now;
	if (formatter_flush(p->fmt) < 0) {
		p->output_failed = true;
		p->output_errno = errno;
		return -1;
	}
	return 0;
}

/* The syscalls a --seccomp filter stops at: the shown ones, and those the model
 * needs, but for the hot ones it can do without (write only serves the uid_map
 * annotations and the runtime's error message; exits are reported by waitpid
 * anyway). openat is narrowed to the exec fifo's open unless it is shown; clone
 * to the calls that create namespaces unless it is shown. */
static size_t seccomp_selection(const struct options *o, long *nrs, size_t max)
{
	size_t n = 0;
	for (long nr = 0; nr < syscall_max(SC_ARCH_X86_64) && n < max; nr++) {
		const struct syscall_ent *ent = syscall_ent(SC_ARCH_X86_64, nr);
		if (!ent)
			continue;
		bool model = (ent->flags & SCF_MODEL) && nr != SYS_write &&
			     !(ent->flags & SCF_NORETURN);
		if (sc_filter_has(&o->filter, nr) || model)
			nrs[n++] = nr;
	}
	return n;
}

static int open_output(const struct options *o)
{
	/* our own descriptor, close-on-exec: the command never sees it */
	if (!o->output)
		return fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (!strcmp(o->output, "-"))
		return fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	/* traces reveal argv, paths and hostnames: readable by the owner only */
	return open(o->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
}

static bool want_color(const struct options *o, int fd)
{
	if (o->color >= 0)
		return o->color;
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return false;
	const char *term = getenv("TERM");
	if (term && !strcmp(term, "dumb"))
		return false;
	return o->format == FMT_TEXT && isatty(fd);
}

struct depth_ctx {
	struct pipeline *p;
	pid_t tgid;
};

static void depth_of_process(void *ctx, struct tracee *t)
{
	struct depth_ctx *d = ctx;
	if (tracee_tgid(t) == d->tgid)
		update_depth(d->p, t);
}

static void emit_attach(struct pipeline *p, pid_t pid)
{
	struct tracee *t = tracer_find(p->tr, pid);
	if (!t)
		return;
	struct task *k = task_get(p, t);
	struct ns_event *ev = new_event(p, EV_ATTACH, 0);
	set_who(ev, pid, pid, k);
	ev->exe = procfs_exe(pid, &ev->arena);
	ev->argc = procfs_cmdline(pid, &ev->arena, &ev->argv);
	feed(p, ev);
	/* the other threads share the role the model just gave the process */
	struct depth_ctx d = {p, pid};
	tracer_foreach(p->tr, depth_of_process, &d);
}

/* containerd's running shims, found for each attached process: a shim serves
 * its containers' later launches and execs (a pod's next containers, `docker
 * exec`), which containerd never forks. With --shims, or when the wrapped
 * client runs an exec, they are attached (events only, as the shim role says);
 * a shim gone or already traced is skipped with a line. Otherwise one line says
 * they exist. Returns how many were attached, their pids in *out (malloc'd). */
static size_t attach_shims(struct pipeline *p, const struct options *o, const pid_t *attached,
			   size_t nattached, pid_t **out)
{
	bool want = o->shims || (o->command && daemon_client_execs(o->command));
	size_t n = 0;
	*out = NULL;
	for (size_t i = 0; i < nattached; i++) {
		pid_t *found;
		size_t k = daemon_shims_of(attached[i], &found);
		if (k && !want && !o->quiet)
			fprintf(stderr,
				"nstrace: pid %d has %zu running shim%s: what %s (exec, a pod's "
				"next containers) is not traced without --shims\n",
				attached[i], k, k == 1 ? "" : "s", k == 1 ? "it runs" : "they run");
		pid_t *grown = want && k ? realloc(*out, (n + k) * sizeof(**out)) : NULL;
		if (grown)
			*out = grown;
		for (size_t j = 0; grown && j < k; j++) {
			char err[256];
			if (tracer_find(p->tr, found[j]))
				continue; /* given with -p too */
			if (tracer_attach(p->tr, found[j], false, err, sizeof(err)) < 0) {
				fprintf(stderr, "nstrace: shim %d skipped: %s\n", found[j], err);
				continue;
			}
			if (!o->quiet)
				fprintf(stderr, "nstrace: attached to shim pid %d\n", found[j]);
			(*out)[n++] = found[j];
		}
		free(found);
	}
	return n;
}

static int run_status(struct pipeline *p)
{
	if (!p->cmd_done)
		return EXIT_RUNTIME;
	if (WIFEXITED(p->cmd_status))
		return WEXITSTATUS(p->cmd_status);
	return 128 + WTERMSIG(p->cmd_status);
}

static bool is_daemon_side(void *ctx, struct tracee *t)
{
	struct pipeline *p = ctx;
	return tracee_attached(t) && p->cmd_pid; /* everything we did not start */
}

/* NSTRACE_STATS=1: what the trace cost in stops, one line on stderr (the bench
 * and docs/performance.md use it). */
static void print_stats(struct pipeline *p)
{
	const char *env = getenv("NSTRACE_STATS");
	if (!env || !*env || !strcmp(env, "0"))
		return;
	struct tracer_stats st;
	tracer_get_stats(p->tr, &st);
	unsigned long total = st.other_stops;
	for (size_t i = 0; i < sizeof(st.stops) / sizeof(st.stops[0]); i++)
		total += st.stops[i];
	/* our own CPU time: while a tracee waits in a stop, it waits on this */
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr,
		"nstrace: stats: %lu stops (syscall %lu+%lu, spawn %lu, exec %lu, signal %lu, "
		"group %lu, exit %lu, other %lu), %lu sleeps, %lu exe cache hits, "
		"%lu idle threads, cpu %.1f ms user + %.1f ms system\n",
		total, st.stops[STOP_SYSCALL_ENTRY], st.stops[STOP_SYSCALL_EXIT],
		st.stops[STOP_SPAWN], st.stops[STOP_EXEC], st.stops[STOP_SIGNAL],
		st.stops[STOP_GROUP], st.stops[STOP_EXIT], st.other_stops, st.sleeps,
		exe_cache_hits(p->exes), p->idle_threads,
		ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3,
		ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3);
	if (strcmp(env, "2"))
		return;
	/* NSTRACE_STATS=2: which syscalls made the entry stops (seccomp stops
	 * included), most first: what a cheaper trace would have to avoid */
	unsigned long left[SC_FILTER_MAX]; /* a copy to pick from, the largest each time */
	memcpy(left, p->entry_stops, sizeof(left));
	fprintf(stderr, "nstrace: stats: entry stops by syscall:");
	for (;;) {
		long best = -1;
		for (long nr = 0; nr < SC_FILTER_MAX; nr++)
			if (left[nr] && (best < 0 || left[nr] > left[best]))
				best = nr;
		if (best < 0)
			break;
		const struct syscall_ent *ent = syscall_ent(SC_ARCH_X86_64, best);
		fprintf(stderr, " %s %lu", ent ? ent->name : "?", left[best]);
		left[best] = 0;
	}
	fputc('\n', stderr);
}

int pipeline_run(const struct options *o)
{
	struct pipeline P = {.o = o}, *p = &P;
	char err[512];

	int fd = open_output(o);
	if (fd < 0) {
		fprintf(stderr, "nstrace: cannot open output '%s': %s\n", o->output,
			strerror(errno));
		return EXIT_USAGE;
	}
	struct formatter_opts fo = {
	    .fd = fd,
	    .ts = o->ts,
	    .show_duration = o->show_duration,
	    .color = want_color(o, fd),
	    .summary_only = o->summary_only,
	};
	p->fmt = formatter_new(o->format, &fo);
	struct model_opts mo = {.trace_daemon = o->trace_daemon,
				.follow_workload = o->follow_workload};
	p->model = model_new(&mo);
	static long sc_nrs[SC_FILTER_MAX];
	size_t sc_n = o->seccomp ? seccomp_selection(o, sc_nrs, SC_FILTER_MAX) : 0;
	struct tracer_config tc = {.seccomp = o->seccomp,
				   .seccomp_nrs = sc_nrs,
				   .seccomp_n = sc_n,
				   .seccomp_narrow =
				       (sc_filter_has(&o->filter, SYS_clone) ? 0
									     : SECCOMP_NARROW_CLONE_NS) |
				       (sc_filter_has(&o->filter, SYS_openat)
					    ? 0
					    : SECCOMP_NARROW_OPENAT_FIFO),
				   .colocate = !o->no_colocate};
	p->tr = tracer_new(&tc);
	if (!p->fmt || !p->model || !p->tr) {
		fprintf(stderr, "nstrace: out of memory\n");
		return EXIT_RUNTIME;
	}
	tracer_set_release(p->tr, on_release, p);
	tracer_set_idle(p->tr, on_idle, output_pending, p);
	p->probe_idle = !o->seccomp && idle_threads_allowed(&o->filter);
	if (o->stack || p->probe_idle)
		p->unw = stack_unwinder_new();
	p->exes = exe_cache_new(); /* none: every exe is read */
	procfs_ns(getpid(), &p->ns_self);
	if (prctl(PR_GET_NAME, p->comm_self) < 0)
		snprintf(p->comm_self, sizeof(p->comm_self), "nstrace");
	p->start_mono = tracer_now_mono();
	p->start_wall = tracer_now_wall();

	int status = EXIT_OK;
	/* A command that cannot run and a wrong target end nstrace before it
	 * printed anything: one line of error, no trace. */
	if (o->command && tracer_check_command(o->command[0], err, sizeof(err)) < 0) {
		fprintf(stderr, "nstrace: %s\n", err);
		status = 127;
		goto out;
	}
	pid_t attached[OPT_MAX_PIDS + OPT_MAX_NAMES + DAEMONS_MAX];
	size_t nattached = 0;
	for (size_t i = 0; i < o->npids + o->nattach_names; i++) {
		pid_t pid = i < o->npids ? o->pids[i] : 0;
		if (!pid) {
			const char *name = o->attach_names[i - o->npids];
			pid = daemon_find_by_name(name, err, sizeof(err));
			if (pid <= 0) {
				fprintf(stderr, "nstrace: -a %s: %s\n", name, err);
				status = EXIT_USAGE;
				goto out;
			}
		}
		if (tracer_attach(p->tr, pid, false, err, sizeof(err)) < 0) {
			fprintf(stderr, "nstrace: %s\n", err);
			status = EXIT_USAGE;
			goto out;
		}
		if (!o->quiet)
			fprintf(stderr, "nstrace: attached to pid %d\n", pid);
		attached[nattached++] = pid;
	}
	if (o->command && !o->no_daemon) {
		if (daemon_attach_for_client(p->tr, o, &p->daemons, err, sizeof(err)) < 0) {
			fprintf(stderr, "nstrace: %s\n", err);
			status = EXIT_USAGE;
			goto out;
		}
		for (size_t i = 0; i < p->daemons.n; i++) {
			if (!o->quiet)
				fprintf(stderr, "nstrace: attached to daemon pid %d\n",
					p->daemons.pids[i]);
			attached[nattached++] = p->daemons.pids[i];
		}
	}

	pid_t *shims = NULL;
	size_t nshims = attach_shims(p, o, attached, nattached, &shims);

	if (o->seccomp && nattached && !o->quiet)
		fprintf(stderr,
			"nstrace: --seccomp filters only the command nstrace starts; "
			"attached processes never get a filter (it would outlive the trace)\n");
	if (formatter_begin(p->fmt) < 0) {
		fprintf(stderr, "nstrace: cannot write output: %s\n", strerror(errno));
		status = EXIT_RUNTIME;
		free(shims);
		goto out;
	}
	struct ns_event *start = new_event(p, EV_START, 0);
	start->pid = getpid();
	start->tid = start->pid;
	start->comm = "nstrace";
	if (o->command) {
		size_t n = 0;
		while (o->command[n])
			n++;
		start->argc = n;
		start->argv = arena_alloc(&start->arena, (n + 1) * sizeof(char *));
		for (size_t i = 0; i < n; i++)
			start->argv[i] = arena_strdup(&start->arena, o->command[i]);
	}
	feed(p, start);
	for (size_t i = 0; i < nattached; i++)
		emit_attach(p, attached[i]);
	for (size_t i = 0; i < nshims; i++)
		emit_attach(p, shims[i]);
	free(shims);

	if (o->command) {
		p->cmd_pid = tracer_spawn(p->tr, o->command, err, sizeof(err));
		if (p->cmd_pid < 0) {
			fprintf(stderr, "nstrace: %s\n", err);
			status = 127;
			tracer_detach(p->tr, NULL, NULL);
			goto out;
		}
	}

	enum end_reason reason = END_FINISHED;
	uint64_t deadline = o->timeout_s > 0 ? p->start_mono + (uint64_t)(o->timeout_s * 1e9) : 0;
	for (;;) {
		int timeout_ms = -1;
		if (deadline) {
			uint64_t now = tracer_now_mono();
			timeout_ms = now >= deadline ? 0 : (int)((deadline - now) / 1000000u) + 1;
		}
		struct tracer_stop s;
		siginfo_t si;
		enum tracer_wait_result r = tracer_wait(p->tr, &s, timeout_ms, &si);
		if (r == TW_STOP) {
			on_stop(p, &s);
			tracer_resume(p->tr, &s);
			if (p->output_failed) {
				reason = END_OUTPUT;
				break;
			}
			if (p->once_hit) {
				reason = END_ONCE;
				break;
			}
			if (p->cmd_pid && p->cmd_done && p->daemons.n) {
				reason = END_CMD_EXITED;
				break;
			}
			continue;
		}
		if (r == TW_EMPTY)
			break;
		if (r == TW_IDLE) { /* only when the output failed */
			reason = END_OUTPUT;
			break;
		}
		if (r == TW_TIMEOUT) {
			reason = END_TIMEOUT;
			break;
		}
		if (r == TW_ERROR) {
			fprintf(stderr, "nstrace: waitpid: %s\n", strerror(errno));
			reason = END_ERROR;
			break;
		}
		/* TW_SIGNAL */
		if (p->cmd_pid && !p->cmd_done) {
			/* Run mode: the command decides, as without a tracer. A signal
			 * from the terminal reached it already; one sent to us alone is
			 * passed on. */
			if (si.si_code != SI_KERNEL)
				kill(p->cmd_pid, si.si_signo);
			continue;
		}
		reason = END_SIGNAL;
		break;
	}

	/* End: let every tracee go (the run-mode command included: it goes on
	 * untraced if it still runs), then the closing record and the summary. */
	if (p->daemons.n && reason == END_CMD_EXITED)
		tracer_detach(p->tr, is_daemon_side, p);
	size_t killed = o->seccomp ? tracer_end_seccomp_tree(p->tr) : 0;
	if (killed)
		fprintf(stderr,
			"nstrace: --seccomp: ended %zu process(es) of the command that still ran: "
			"their filter would make syscalls fail without nstrace\n",
			killed);
	tracer_detach(p->tr, NULL, NULL);

	if (p->cmd_pid)
		status = run_status(p);
	if (reason == END_OUTPUT || reason == END_ERROR)
		status = EXIT_RUNTIME;
	struct ns_event *end = new_event(p, EV_END, 0);
	end->pid = getpid();
	end->tid = end->pid;
	end->comm = "nstrace";
	end->reason = reason;
	end->reason_text = reason == END_OUTPUT
			       ? arena_printf(&end->arena, "output: %s", strerror(p->output_errno))
			       : end_reason_name(reason);
	end->exit_status = status;
	end->summary = model_summary(p->model);
	feed(p, end);
out:
	if (status == EXIT_USAGE)
		tracer_detach(p->tr, NULL, NULL); /* a partial attach: let go of it */
	else if (formatter_end(p->fmt) < 0 && !p->output_failed)
		fprintf(stderr, "nstrace: cannot write output: %s\n", strerror(errno));
	if (p->output_failed)
		fprintf(stderr, "nstrace: output failed (%s): detached from every process\n",
			strerror(p->output_errno));
	formatter_free(p->fmt);
	close(fd);
	print_stats(p);
	tracer_free(p->tr);
	model_free(p->model);
	exe_cache_free(p->exes);
	if (p->unw)
		stack_unwinder_free(p->unw);
	return status;
}
