/* affinity.c - co-locate the tracer and the tasks it stops often.
 *
 * A syscall-stop pair costs about 90 us when tracer and tracee run on different
 * CPUs (two cross-CPU wakeups per stop) and about 15 us on the same CPU, so a
 * task with syscall stops runs on the tracer's CPU while it has them (the
 * pipeline asks this for runtime tasks only). Its own affinity is put back when
 * it drops to events only (the workload's exec) and when the tracer detaches
 * from it: nobody is left pinned after the trace. Put back only if the task
 * still has our pin: an affinity it set itself meanwhile is its own.
 *
 * Events-only tasks keep their CPUs: a daemon stops rarely and needs its
 * parallelism; so do tasks under our seccomp filter, which stop at the shown
 * calls only (pinning all of runc's threads under --seccomp made a launch
 * slower, 74 ms against 65). One that stops often (a fork storm under a daemon: four stops
 * per fork and exec, each a cross-CPU round trip) is better off on our CPU while
 * it does: HOT_STOPS stops within HOT_WINDOW make it "hot" and pinned, and
 * COOL_AFTER without a stop gives it its own affinity back. Its children are
 * hot with it, and cool down the same way, except the container's workload:
 * the pipeline gives it its affinity back at its exec (tracer_uncolocate).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <string.h>

#include "tracee_table.h"
#include "tracer_internal.h"

static bool pin_self(struct tracer *tr)
{
	if (tr->self_pinned)
		return true;
	int cpu = sched_getcpu();
	if (cpu < 0)
		return false;
	if (sched_getaffinity(0, sizeof(tr->self_orig), &tr->self_orig) < 0)
		return false;
	CPU_ZERO(&tr->cpu);
	CPU_SET(cpu, &tr->cpu);
	if (sched_setaffinity(0, sizeof(tr->cpu), &tr->cpu) < 0)
		return false;
	tr->self_pinned = true;
	return true;
}

#define HOT_STOPS 20
#define HOT_WINDOW_NS 100000000ull /* 100 ms */
#define COOL_AFTER_NS 200000000ull /* 200 ms */

static void unhot(struct tracer *tr, struct tracee *t)
{
	if (!t->hot)
		return;
	t->hot = false;
	tr->nhot--;
}

void tracer_colocate(struct tracer *tr, struct tracee *t, bool on)
{
	if (on)
		unhot(tr, t); /* pinned for its syscall stops from now on */
	else if (t->hot)
		return; /* pinned for its rate: cooling down decides */
	if (!tr->cfg.colocate || on == t->pinned)
		return;
	if (on) {
		if (!pin_self(tr))
			return;
		if (sched_getaffinity(t->tid, sizeof(t->orig_cpus), &t->orig_cpus) < 0)
			return;
		/* a cpuset that excludes our CPU makes this fail: then it stays put */
		if (sched_setaffinity(t->tid, sizeof(tr->cpu), &tr->cpu) == 0)
			t->pinned = true;
	} else {
		tracer_unpin(tr, t);
	}
}

void tracer_note_stop(struct tracer *tr, struct tracee *t, uint64_t now)
{
	if (!tr->cfg.colocate || (t->syscalls && !t->seccomp_filtered))
		return;
	if (t->hot) {
		t->last_stop = now;
		return;
	}
	if (t->pinned)
		return; /* inherited from a hot parent, given back at its exec */
	if (now - t->win_start > HOT_WINDOW_NS) {
		t->win_start = now;
		t->win_stops = 0;
	}
	if (++t->win_stops < HOT_STOPS)
		return;
	tracer_colocate(tr, t, true);
	if (!t->pinned)
		return;
	t->hot = true;
	t->last_stop = now;
	tr->nhot++;
	if (!tr->next_cool)
		tr->next_cool = now + COOL_AFTER_NS;
}

void tracer_inherit_pin(struct tracer *tr, const struct tracee *parent, struct tracee *child,
			uint64_t now)
{
	child->pinned = parent->pinned;
	child->orig_cpus = parent->orig_cpus;
	/* A hot task's children are hot too: a storm's short-lived programs end
	 * where they began (giving each its CPUs back at exec costs more than
	 * the pin saves), a long-lived one cools down like any other. */
	if (parent->hot && !child->hot) {
		child->hot = true;
		child->last_stop = now;
		tr->nhot++;
	}
}

struct cool_ctx {
	struct tracer *tr;
	uint64_t now;
};

static void cool_one(void *ctx, struct tracee *t)
{
	struct cool_ctx *c = ctx;
	if (t->hot && c->now - t->last_stop >= COOL_AFTER_NS)
		tracer_unpin(c->tr, t);
}

uint64_t tracer_cool(struct tracer *tr, uint64_t now)
{
	if (!tr->nhot) {
		tr->next_cool = 0;
		return 0;
	}
	if (now < tr->next_cool)
		return tr->next_cool;
	struct cool_ctx c = {tr, now};
	tt_foreach(&tr->tt, cool_one, &c);
	tr->next_cool = tr->nhot ? now + COOL_AFTER_NS / 2 : 0;
	return tr->next_cool;
}

void tracer_unpin(struct tracer *tr, struct tracee *t)
{
	unhot(tr, t);
	if (!t->pinned)
		return;
	t->pinned = false;
	/* Only our pin is undone: a task that set its own affinity since (taskset,
	 * runc's execCPUAffinity) keeps it. ESRCH: gone; EINVAL: its cpuset
	 * changed meanwhile, nothing to restore. */
	cpu_set_t now;
	if (sched_getaffinity(t->tid, sizeof(now), &now) < 0 || !CPU_EQUAL(&now, &tr->cpu))
		return;
	sched_setaffinity(t->tid, sizeof(t->orig_cpus), &t->orig_cpus);
}

void tracer_take_pin(struct tracer *tr, struct tracee *leader, struct tracee *thread)
{
	unhot(tr, leader); /* that task is gone: nothing of it to give back */
	leader->pinned = thread->pinned;
	leader->orig_cpus = thread->orig_cpus;
	leader->hot = thread->hot; /* counted in nhot once, as before */
	leader->last_stop = thread->last_stop;
	leader->win_start = thread->win_start;
	leader->win_stops = thread->win_stops;
	thread->hot = thread->pinned = false;
}

void tracer_uncolocate(struct tracer *tr, struct tracee *t)
{
	tracer_unpin(tr, t);
	t->win_stops = 0; /* it counts towards "hot" afresh, from its own stops */
	t->win_start = 0;
}

void tracer_unpin_self(struct tracer *tr)
{
	if (tr->self_pinned)
		sched_setaffinity(0, sizeof(tr->self_orig), &tr->self_orig);
	tr->self_pinned = false;
}
