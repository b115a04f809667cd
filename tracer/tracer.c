/* tracer.c - the ptrace loop: wait for a stop, decode what kind it is, resume.
 *
 * The stop kinds follow ptrace(2): syscall-stops (SIGTRAP|0x80 with
 * TRACESYSGOOD), event stops (status>>16: fork/vfork/clone/exec/seccomp/stop),
 * group-stops (PTRACE_EVENT_STOP with a stopping signal, resumed with
 * PTRACE_LISTEN so the task stays stopped as without a tracer) and
 * signal-delivery stops (re-injected on resume). A task that vanished (ESRCH on
 * any request) is not an error: its exit status arrives through waitpid.
 *
 * Waiting for the next stop, and nstrace's own signals, live in wait.c.
 */
#define _GNU_SOURCE
#include "tracer.h"
#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tracee_table.h"
#include "tracer_internal.h"

#ifndef CLONE_THREAD
#define CLONE_THREAD 0x00010000
#endif

uint64_t tracer_now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t tracer_now_wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct tracer *tracer_new(const struct tracer_config *cfg)
{
	struct tracer *tr = calloc(1, sizeof(*tr));
	if (!tr)
		return NULL;
	if (cfg)
		tr->cfg = *cfg;
	tt_init(&tr->tt);
	tr->options = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
		      PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC;

	tracer_signals_init(tr);
	return tr;
}

void tracer_free(struct tracer *tr)
{
	if (!tr)
		return;
	tt_free(&tr->tt);
	tracer_unpin_self(tr);
	tracer_signals_restore(tr);
	free(tr);
}

void tracer_set_release(struct tracer *tr, tracer_release_fn fn, void *ctx)
{
	tr->release = fn;
	tr->release_ctx = ctx;
}

void tracer_set_idle(struct tracer *tr, int (*fn)(void *ctx), bool (*pending)(void *ctx),
		     void *ctx)
{
	tr->idle = fn;
	tr->idle_pending = pending;
	tr->idle_ctx = ctx;
}

void tracer_get_stats(const struct tracer *tr, struct tracer_stats *out)
{
	*out = tr->stats;
}

size_t tracer_count(const struct tracer *tr)
{
	return tr->tt.count;
}

void tracer_foreach(struct tracer *tr, void (*fn)(void *ctx, struct tracee *t), void *ctx)
{
	tt_foreach(&tr->tt, fn, ctx);
}

struct tracee *tracer_find(struct tracer *tr, pid_t tid)
{
	return tt_find(&tr->tt, tid);
}

pid_t tracee_tid(const struct tracee *t)
{
	return t->tid;
}

pid_t tracee_tgid(const struct tracee *t)
{
	return t->tgid;
}

bool tracee_attached(const struct tracee *t)
{
	return t->attached;
}

void **tracee_user(struct tracee *t)
{
	return &t->user;
}

bool tracee_seccomp_filtered(const struct tracee *t)
{
	return t->seccomp_filtered;
}

bool tracer_get_syscalls(const struct tracee *t)
{
	return t->syscalls;
}

const siginfo_t *tracer_stop_siginfo(struct tracer_stop *stop)
{
	if (stop->kind == STOP_SIGNAL && !stop->si.si_signo &&
	    ptrace(PTRACE_GETSIGINFO, stop->t->tid, 0, &stop->si) < 0)
		memset(&stop->si, 0, sizeof(stop->si));
	return &stop->si;
}

int tracer_get_regs(struct tracee *t, struct user_regs_struct *regs)
{
	return ptrace(PTRACE_GETREGS, t->tid, 0, regs) == 0 ? 0 : -1;
}

/* Forget a tracee: tell the pipeline, then free it. */
void tracer_drop(struct tracer *tr, struct tracee *t, bool detached)
{
	if (detached)
		tracer_unpin(tr, t);
	else if (t->hot) {
		t->hot = false; /* gone: nothing to give back */
		tr->nhot--;
	}
	if (tr->release)
		tr->release(tr->release_ctx, t, detached);
	tt_remove(&tr->tt, t->tid);
}

/* Resume a stopped task with the request its depth asks for. A task between a
 * syscall's entry and an exit someone wants keeps syscall stops until that
 * exit, so a depth change never loses half a syscall. */
void tracer_restart(struct tracer *tr, struct tracee *t, int sig)
{
	(void)tr;
	bool need_exit = t->in_syscall && !t->skip_exit;
	/* under our filter, the next interesting entry comes as a seccomp stop */
	bool next_entry = t->syscalls && !t->seccomp_filtered;
	int req = (need_exit || next_entry) ? PTRACE_SYSCALL : PTRACE_CONT;
	if (req == PTRACE_CONT)
		t->in_syscall = false; /* an exit nobody wants will not stop */
	if (ptrace(req, t->tid, 0, (long)sig) < 0 && errno != ESRCH)
		fprintf(stderr, "nstrace: resume %d: %s\n", t->tid, strerror(errno));
	t->running = true;
}

void tracer_skip_exit(struct tracee *t)
{
	if (t->in_syscall)
		t->skip_exit = true;
}

void tracer_set_syscalls(struct tracer *tr, struct tracee *t, bool syscalls)
{
	(void)tr;
	if (t->syscalls == syscalls)
		return;
	t->syscalls = syscalls;
	/* A running task only sees the new depth at its next stop, which may be far
	 * away (a daemon blocked in epoll): interrupt it so it takes effect now. */
	if (syscalls && t->running && !t->group_stopped && !t->interrupted) {
		if (ptrace(PTRACE_INTERRUPT, t->tid, 0, 0) == 0)
			t->interrupted = true;
	}
}

/* Clone flags of the syscall a task is stopped in at a fork/clone event. */
static uint64_t spawn_flags(struct tracee *t, int event)
{
	struct user_regs_struct r;
	if (ptrace(PTRACE_GETREGS, t->tid, 0, &r) < 0)
		return 0;
	switch (r.orig_rax) {
	case SYS_clone:
		return r.rdi;
	case SYS_clone3: {
		uint64_t flags = 0;
		if (tracer_read_mem((void *)(intptr_t)t->tid, r.rdi, &flags, sizeof(flags)) ==
		    sizeof(flags))
			return flags;
		return 0;
	}
	case SYS_vfork:
		return 0x00004000 | 0x00000100 | SIGCHLD; /* CLONE_VFORK|CLONE_VM|SIGCHLD */
	default:
		return event == PTRACE_EVENT_VFORK ? (0x00004000 | 0x00000100 | SIGCHLD) : SIGCHLD;
	}
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* A held new child whose parent's fork event has not come in ORPHAN_AFTER_NS
 * never will: its parent was killed between the fork and the event (the kernel
 * skips the event stop, or GETEVENTMSG failed). Normally the event follows
 * within microseconds. */
#define ORPHAN_AFTER_NS 2000000000ull /* 2 s */
#define ORPHAN_CHECK_NS 500000000ull  /* 500 ms */

struct orphan_ctx {
	struct tracer *tr;
	uint64_t now;
	bool still_held;
};

static void release_orphan(void *ctx, struct tracee *t)
{
	struct orphan_ctx *o = ctx;
	if (!t->awaiting_parent)
		return;
	if (o->now - t->held_since < ORPHAN_AFTER_NS) {
		o->still_held = true;
		return;
	}
	/* Without its parent's event nothing says what it inherits; a child of
	 * our filtered command carries the filter and must not outlive us (the
	 * rule of detach_now), anything else goes on untraced. */
	struct proc_status st;
	bool filtered = o->tr->cfg.seccomp && !o->tr->attached_any &&
			procfs_status(t->tid, t->tid, &st) == 0 && st.seccomp == 2;
	fprintf(stderr,
		"nstrace: pid %d began, but its parent was killed before reporting it: %s\n",
		t->tid, filtered ? "ended (it carries the --seccomp filter)" : "left to run untraced");
	if (filtered)
		kill(t->tid, SIGKILL);
	if (ptrace(PTRACE_DETACH, t->tid, 0, 0) < 0 && errno != ESRCH)
		fprintf(stderr, "nstrace: detach %d: %s\n", t->tid, strerror(errno));
	tt_remove(&o->tr->tt, t->tid); /* the pipeline never knew it */
}

uint64_t tracer_release_orphans(struct tracer *tr, uint64_t now)
{
	if (!tr->next_orphans || now < tr->next_orphans)
		return tr->next_orphans;
	struct orphan_ctx o = {tr, now, false};
	tt_foreach(&tr->tt, release_orphan, &o);
	tr->next_orphans = o.still_held ? now + ORPHAN_CHECK_NS : 0;
	return tr->next_orphans;
}

/* A stop of a task that tracer_detach wants gone: let it go now. */
static void detach_now(struct tracer *tr, struct tracee *t, int sig)
{
	/* Our seccomp filter (run mode, --seccomp) cannot be removed and would make
	 * its syscalls fail without us: such a process ends with the trace. */
	tracer_kill_filtered(t);
	if (ptrace(PTRACE_DETACH, t->tid, 0, (long)sig) < 0 && errno != ESRCH)
		fprintf(stderr, "nstrace: detach %d: %s\n", t->tid, strerror(errno));
	tracer_drop(tr, t, true);
}

/* Fill stop for a syscall-stop or seccomp stop. Returns false when there is
 * nothing to report (an exit whose entry we never saw: attached mid-syscall). */
static bool syscall_stop(struct tracee *t, struct tracer_stop *stop)
{
	struct __ptrace_syscall_info info;
	memset(&info, 0, sizeof(info));
	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, (void *)sizeof(info), &info) <= 0)
		return false;
	stop->arch = info.arch;
	switch (info.op) {
	case PTRACE_SYSCALL_INFO_ENTRY:
	case PTRACE_SYSCALL_INFO_SECCOMP:
		/* entry and seccomp share the layout of nr and args */
		stop->kind = STOP_SYSCALL_ENTRY;
		stop->seccomp = info.op == PTRACE_SYSCALL_INFO_SECCOMP;
		stop->nr = (long)info.entry.nr;
		for (int i = 0; i < 6; i++)
			stop->args[i] = info.entry.args[i];
		t->in_syscall = true;
		t->skip_exit = false;
		t->sc_nr = stop->nr;
		memcpy(t->sc_args, stop->args, sizeof(t->sc_args));
		return true;
	case PTRACE_SYSCALL_INFO_EXIT:
		if (!t->in_syscall)
			return false;
		stop->kind = STOP_SYSCALL_EXIT;
		stop->nr = t->sc_nr;
		memcpy(stop->args, t->sc_args, sizeof(stop->args));
		stop->rval = info.exit.rval;
		stop->is_error = info.exit.is_error;
		t->in_syscall = false;
		return true;
	default:
		return false;
	}
}

/* Handle one waitpid status. Returns true when *stop is to be reported. */
bool tracer_handle_status(struct tracer *tr, pid_t pid, int status, struct tracer_stop *stop)
{
	memset(stop, 0, sizeof(*stop));
	stop->mono_ns = tracer_now_mono();
	stop->tid = pid;
	struct tracee *t = tt_find(&tr->tt, pid);

	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		if (!t)
			return false;
		t->running = false;
		if (t->detaching) {
			tracer_drop(tr, t, false);
			return false;
		}
		stop->kind = STOP_EXIT;
		stop->t = t;
		stop->tgid = t->tgid;
		stop->status = status;
		return true;
	}
	if (!WIFSTOPPED(status))
		return false;

	int sig = WSTOPSIG(status);
	int event = (unsigned)status >> 16;

	if (!t) {
		/* A new child whose first stop beat its parent's fork event: hold it
		 * until the parent reports it, so its spawn comes before its events. */
		t = tt_get(&tr->tt, pid, NULL);
		t->awaiting_parent = true;
		t->held_since = tracer_now_mono();
		if (!tr->next_orphans)
			tr->next_orphans = t->held_since + ORPHAN_CHECK_NS;
		return false;
	}
	t->running = false;
	/* any stop consumes a pending PTRACE_INTERRUPT (the kernel clears its trap
	 * at every ptrace stop): a later depth change may interrupt again */
	t->interrupted = false;
	stop->t = t;
	stop->tgid = t->tgid;

	if (t->awaiting_start) {
		t->awaiting_start = false;
		/* a new child's first stop; with a stop signal it was born into a
		 * group-stop, and is handled as one below (it stays stopped) */
		if (event == PTRACE_EVENT_STOP && !is_stop_signal(sig)) {
			if (t->detaching)
				detach_now(tr, t, 0);
			else
				tracer_restart(tr, t, 0);
			return false;
		}
	}

	if (sig == (SIGTRAP | 0x80)) {
		if (t->detaching) {
			detach_now(tr, t, 0);
			return false;
		}
		if (t->in_syscall && t->skip_exit) {
			/* entry and exit stops alternate: this is the exit of a call
			 * the caller did not want, so not even read it */
			t->in_syscall = false;
			tr->stats.stops[STOP_SYSCALL_EXIT]++;
			tr->stats.other_stops--; /* counted as the exit it is, not twice */
			tracer_restart(tr, t, 0);
			return false;
		}
		if (syscall_stop(t, stop))
			return true;
		tracer_restart(tr, t, 0);
		return false;
	}

	if (sig == SIGTRAP && event) {
		switch (event) {
		case PTRACE_EVENT_FORK:
		case PTRACE_EVENT_VFORK:
		case PTRACE_EVENT_CLONE: {
			unsigned long msg = 0;
			if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &msg) < 0 || (pid_t)msg <= 0) {
				/* killed between the stop and now (SIGKILL, a sibling's
				 * exit_group): no child to record; if it exists, its own
				 * first stop introduces it */
				tracer_restart(tr, t, 0);
				return false;
			}
			pid_t child = (pid_t)msg;
			bool created;
			struct tracee *c = tt_get(&tr->tt, child, &created);
			stop->kind = STOP_SPAWN;
			stop->spawn_event = event;
			stop->child_tid = child;
			stop->clone_flags = spawn_flags(t, event);
			stop->child_is_thread =
				event == PTRACE_EVENT_CLONE && (stop->clone_flags & CLONE_THREAD);
			c->tgid = stop->child_is_thread ? t->tgid : child;
			c->attached = t->attached;
			c->syscalls = t->syscalls;
			c->seccomp_filtered = t->seccomp_filtered;
			/* affinity is inherited: so is what to restore */
			tracer_inherit_pin(tr, t, c, stop->mono_ns);
			c->detaching = t->detaching;
			if (created) {
				c->awaiting_start = true;
				c->running = true; /* on its way to its first stop */
			}
			if (t->detaching) {
				/* the child stops once; detach it there (or now if it did) */
				if (c->awaiting_parent) {
					c->awaiting_parent = false;
					detach_now(tr, c, 0);
				}
				detach_now(tr, t, 0);
				return false;
			}
			return true;
		}
		case PTRACE_EVENT_EXEC: {
			unsigned long msg = 0;
			if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &msg) < 0 || (pid_t)msg <= 0)
				msg = (unsigned long)pid; /* killed meanwhile: take it as the leader's */
			pid_t old = (pid_t)msg;
			stop->kind = STOP_EXEC;
			stop->old_tid = old;
			if (old != pid) {
				/* A non-leader thread exec'd and took over the leader's tid;
				 * the old tid is gone without an exit report. Its state (inside
				 * execve) moves to the leader's record. */
				struct tracee *o = tt_find(&tr->tt, old);
				if (o) {
					tracer_take_pin(tr, t, o);
					if (tr->release)
						tr->release(tr->release_ctx, t, false);
					t->in_syscall = o->in_syscall;
					t->sc_nr = o->sc_nr;
					memcpy(t->sc_args, o->sc_args, sizeof(t->sc_args));
					t->user = o->user;
					o->user = NULL;
					tt_remove(&tr->tt, old);
				}
			}
			t->tgid = pid;
			if (t->detaching) {
				detach_now(tr, t, 0);
				return false;
			}
			return true;
		}
		case PTRACE_EVENT_SECCOMP:
			if (t->detaching) {
				detach_now(tr, t, 0);
				return false;
			}
			if (syscall_stop(t, stop))
				return true;
			tracer_restart(tr, t, 0);
			return false;
		case PTRACE_EVENT_STOP:
			/* handled below with the group-stops */
			break;
		default:
			if (t->detaching)
				detach_now(tr, t, 0);
			else
				tracer_restart(tr, t, 0);
			return false;
		}
	}

	if (t->starting && (event == PTRACE_EVENT_STOP || sig == SIGCONT)) {
		/* the SIGSTOP/SIGCONT handshake of tracer_spawn, not the command's */
		if (sig == SIGCONT)
			t->starting = false;
		tracer_restart(tr, t, 0);
		return false;
	}

	if (event == PTRACE_EVENT_STOP) {
		if (is_stop_signal(sig)) {
			/* group-stop: stays stopped (also if detached now, as without us) */
			if (t->detaching) {
				detach_now(tr, t, 0);
				return false;
			}
			stop->kind = STOP_GROUP;
			stop->sig = sig;
			return true;
		}
		/* PTRACE_INTERRUPT, a SIGCONT after LISTEN, or a new child's first stop */
		t->group_stopped = false;
		if (t->detaching)
			detach_now(tr, t, 0);
		else
			tracer_restart(tr, t, 0);
		return false;
	}

	/* signal-delivery-stop: report it, re-inject on resume */
	if (t->detaching) {
		detach_now(tr, t, sig);
		return false;
	}
	stop->kind = STOP_SIGNAL;
	stop->sig = sig;
	stop->si.si_signo = 0; /* not read yet: tracer_stop_siginfo */
	return true;
}

void tracer_drop_cb(void *ctx, struct tracee *t)
{
	tracer_drop(ctx, t, false);
}

void tracer_resume(struct tracer *tr, struct tracer_stop *stop)
{
	struct tracee *t = stop->t;
	if (!t)
		return;
	switch (stop->kind) {
	case STOP_EXIT:
		tracer_drop(tr, t, false);
		return;
	case STOP_GROUP:
		if (t->detaching) {
			detach_now(tr, t, 0);
			return;
		}
		/* LISTEN keeps it stopped but lets SIGCONT and our INTERRUPT through */
		if (ptrace(PTRACE_LISTEN, t->tid, 0, 0) < 0 && errno != ESRCH)
			tracer_restart(tr, t, 0);
		t->group_stopped = true;
		t->running = true;
		return;
	case STOP_SIGNAL:
		if (t->detaching)
			detach_now(tr, t, stop->sig);
		else
			tracer_restart(tr, t, stop->sig);
		return;
	case STOP_SPAWN: {
		struct tracee *c = tt_find(&tr->tt, stop->child_tid);
		if (c && c->awaiting_parent) {
			c->awaiting_parent = false;
			if (c->detaching)
				detach_now(tr, c, 0);
			else
				tracer_restart(tr, c, 0);
		}
		break;
	}
	default:
		break;
	}
	if (t->detaching)
		detach_now(tr, t, 0);
	else
		tracer_restart(tr, t, 0);
}
