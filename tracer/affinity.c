/* affinity.c - co-locate the tracer and the tasks it stops at every syscall.
 *
 * A syscall-stop pair costs about 90 us when tracer and tracee run on different
 * CPUs (two cross-CPU wakeups per stop) and about 15 us on the same CPU, so a
 * task with syscall stops runs on the tracer's CPU while it has them. Its own
 * affinity is put back when it drops to events only (the workload's exec) and
 * when the tracer detaches from it: nobody is left pinned after the trace.
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

void tracer_colocate(struct tracer *tr, struct tracee *t, bool on)
{
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

void tracer_unpin(struct tracer *tr, struct tracee *t)
{
	(void)tr;
	if (!t->pinned)
		return;
	/* ESRCH: gone; EINVAL: its cpuset changed meanwhile, nothing to restore */
	sched_setaffinity(t->tid, sizeof(t->orig_cpus), &t->orig_cpus);
	t->pinned = false;
}

void tracer_unpin_self(struct tracer *tr)
{
	if (tr->self_pinned)
		sched_setaffinity(0, sizeof(tr->self_orig), &tr->self_orig);
	tr->self_pinned = false;
}
