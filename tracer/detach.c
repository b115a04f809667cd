/* detach.c - let tracees go without harming them.
 *
 * PTRACE_DETACH only works on a task in a ptrace-stop, so running tasks are
 * interrupted first and detached at whatever stop comes next, re-injecting a
 * signal that stop was about to deliver. A task in a group-stop stays stopped
 * (as it would be without us). Children that detaching tasks spawn meanwhile
 * are detached at their first stop. Nothing is ever killed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>

#include "tracee_table.h"
#include "tracer_internal.h"

/* How long to wait for tasks to reach a stop. A task can only be slow to stop
 * inside an uninterruptible wait (a vfork parent waits for its child); past the
 * bound, our exit detaches whatever is left (the kernel does it for us). */
#define DETACH_WAIT_MS 5000

struct mark_ctx {
	struct tracer *tr;
	tracee_pred_fn which;
	void *ctx;
	size_t n;
};

static void mark(void *ctx, struct tracee *t)
{
	struct mark_ctx *m = ctx;
	if (t->detaching || (m->which && !m->which(m->ctx, t)))
		return;
	t->detaching = true;
	m->n++;
	/* its own CPUs back now: that needs no stop, and a task that never stops
	 * again before the detach gives up waiting is not left on ours */
	tracer_unpin(m->tr, t);
	/* A new child whose first stop beat its parent's fork event: its record
	 * knows neither its process nor its parent's filter yet. Its parent's fork
	 * event, on its way, detaches it (or ends it, filtered) with what it
	 * inherits; detached now, that event would make a record of it afresh
	 * that never stops. */
	if (t->awaiting_parent)
		return;
	if (!t->running) {
		/* held in a stop we got but did not resume: the caller is done with it */
		tracer_kill_filtered(t); /* see detach_now */
		if (ptrace(PTRACE_DETACH, t->tid, 0, 0) < 0 && errno != ESRCH)
			fprintf(stderr, "nstrace: detach %d: %s\n", t->tid, strerror(errno));
		tracer_drop(m->tr, t, true);
		return;
	}
	if (t->awaiting_start)
		return; /* its first stop is coming: detached there */
	if (ptrace(PTRACE_INTERRUPT, t->tid, 0, 0) < 0 && errno == ESRCH) {
		/* gone: its exit status will come, or already came for a zombie */
	}
}

struct count_ctx {
	size_t n;
};

static void count_detaching(void *ctx, struct tracee *t)
{
	if (t->detaching)
		((struct count_ctx *)ctx)->n++;
}

size_t tracer_detach(struct tracer *tr, tracee_pred_fn which, void *ctx)
{
	struct mark_ctx m = {tr, which, ctx, 0};
	tt_foreach(&tr->tt, mark, &m);

	/* no output hook while letting go: a failed output must not cut this short */
	int (*idle)(void *) = tr->idle;
	tr->idle = NULL;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct count_ctx c = {0};
		tt_foreach(&tr->tt, count_detaching, &c);
		if (c.n == 0)
			break;
		struct tracer_stop stop;
		siginfo_t si;
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long spent = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (spent >= DETACH_WAIT_MS)
			break;
		enum tracer_wait_result r = tracer_wait(tr, &stop, (int)(DETACH_WAIT_MS - spent), &si);
		if (r == TW_STOP) {
			/* a stop of a task we keep (partial detach): handle it as usual,
			 * this loop only exists to let the others go */
			tracer_resume(tr, &stop);
		} else if (r == TW_EMPTY || r == TW_ERROR || r == TW_TIMEOUT) {
			break;
		}
		/* TW_SIGNAL: a second Ctrl-C does not cut the detach short */
	}
	tr->idle = idle;
	return m.n;
}

void tracer_kill_filtered(const struct tracee *t)
{
	if (t->seccomp_filtered && t->tgid > 0)
		kill(t->tgid, SIGKILL);
}

static void kill_filtered(void *ctx, struct tracee *t)
{
	if (t->seccomp_filtered && t->tid == t->tgid && t->tgid > 0 && kill(t->tgid, SIGKILL) == 0)
		(*(size_t *)ctx)++;
}

size_t tracer_end_seccomp_tree(struct tracer *tr)
{
	size_t n = 0;
	tt_foreach(&tr->tt, kill_filtered, &n);
	return n;
}
