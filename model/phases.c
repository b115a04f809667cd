/* phases.c - a container's launch as consecutive phases.
 *
 * One phase is open at a time; a trigger of a later rank closes it at the
 * trigger's time and opens the next, so the phases tile the launch with no gap
 * and no overlap and their durations add up to its wall time. A phase that
 * would last zero microseconds is replaced rather than reported.
 */
#include "model_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t ev_entry_us(const struct ns_event *ev)
{
	/* A syscall event is reported at its exit but may be stamped at entry
	 * (strace's convention) or at exit: entry_mono_ns says which. */
	if (ev->entry_mono_ns && ev->mono_ns > ev->entry_mono_ns)
		return ev->rel_us - (int64_t)((ev->mono_ns - ev->entry_mono_ns) / 1000);
	return ev->rel_us;
}

int64_t ev_exit_us(const struct ns_event *ev)
{
	return ev_entry_us(ev) + (int64_t)(ev->dur_ns / 1000);
}

static void push_phase(struct container *c, const struct phase_info *pi)
{
	if (c->sum.nphases == c->phases_cap) {
		size_t cap = c->phases_cap ? c->phases_cap * 2 : 16;
		struct phase_info *np = realloc(c->sum.phases, cap * sizeof(*np));
		if (!np) {
			fputs("nstrace: out of memory\n", stderr);
			abort();
		}
		c->sum.phases = np;
		c->phases_cap = cap;
	}
	c->sum.phases[c->sum.nphases++] = *pi;
}

/* Close the open phase at at_us: keep it in the summary, announce it with EV_PHASE. */
static void close_phase(struct model *m, struct container *c, int64_t at_us,
			const struct ns_event *trigger, struct out *o, const char *extra)
{
	if (c->rank == PH_NONE || c->rank == PH_DONE)
		return;
	if (at_us < c->start_us)
		at_us = c->start_us;
	char detail[256];
	size_t len = 0;
	detail[0] = '\0';
	if (c->detail)
		len += snprintf(detail, sizeof(detail), "%s", c->detail);
	if (c->mounts && len < sizeof(detail))
		len += snprintf(detail + len, sizeof(detail) - len, "%s%u mount%s, %u failed",
				len ? "; " : "", c->mounts, c->mounts == 1 ? "" : "s",
				c->mounts_failed);
	if (extra && len < sizeof(detail))
		snprintf(detail + len, sizeof(detail) - len, "%s%s", len ? "; " : "", extra);

	struct phase_info pi = {
	    .name = c->name,
	    .pid = c->pid,
	    .start_us = c->start_us,
	    .dur_us = at_us - c->start_us,
	    .detail = detail[0] ? arena_strdup(&c->strings, detail) : NULL,
	};
	push_phase(c, &pi);
	c->sum.dur_us = at_us - c->sum.start_us;

	struct proc *owner = proc_of_pid(m, c->pid);
	struct ns_event *ev = model_event_like(trigger, EV_PHASE, owner);
	if (!owner && trigger->pid != c->pid) {
		/* the phase's process is gone (a failed launch): its own identity,
		 * not the trigger's */
		ev->pid = ev->tid = c->pid;
		ev->ppid = c->owner_ppid;
		ev->nspid = ev->nstid = c->owner_nspid;
		ev->comm = c->owner_comm[0] ? arena_strdup(&ev->arena, c->owner_comm) : NULL;
		ev->role = c->owner_role;
		ev->stage = c->owner_stage[0] ? arena_strdup(&ev->arena, c->owner_stage) : NULL;
	}
	ev->container = arena_strdup(&ev->arena, c->sum.id);
	ev->phase = arena_strdup(&ev->arena, c->name);
	ev->phase_start_us = pi.start_us;
	ev->phase_dur_us = pi.dur_us;
	if (pi.detail)
		ev->note = arena_strdup(&ev->arena, pi.detail);
	out_pre(o, ev);
}

void phase_advance(struct model *m, struct container *c, enum phase_rank rank, const char *name,
		   const char *detail, int64_t at_us, const struct ns_event *trigger, struct out *o)
{
	if (!c || c->done || rank <= c->rank)
		return;
	if (c->rank == PH_NONE) {
		c->sum.start_us = at_us;
	} else {
		if (at_us < c->start_us)
			at_us = c->start_us;
		if (at_us > c->start_us) {
			close_phase(m, c, at_us, trigger, o, NULL);
		} else {
			/* Zero-length: the new phase takes its place, its mounts carry over. */
		}
	}
	if (at_us > c->start_us || c->rank == PH_NONE) {
		c->mounts = c->mounts_failed = 0;
		c->start_us = at_us;
	}
	c->rank = rank;
	c->name = arena_strdup(&c->strings, name);
	c->detail = detail ? arena_strdup(&c->strings, detail) : NULL;
	c->pid = trigger->pid;
	const struct proc *p = proc_of_pid(m, trigger->pid);
	c->owner_ppid = p ? p->ppid : trigger->ppid;
	c->owner_nspid = trigger->nspid;
	c->owner_role = p ? p->role : trigger->role;
	snprintf(c->owner_comm, sizeof(c->owner_comm), "%s",
		 p ? p->comm : trigger->comm ? trigger->comm : "");
	snprintf(c->owner_stage, sizeof(c->owner_stage), "%s", p ? p->stage : "");
}

void phase_finish(struct model *m, struct container *c, int64_t at_us,
		  const struct ns_event *trigger, struct out *o, const char *why)
{
	if (!c || c->done)
		return;
	close_phase(m, c, at_us, trigger, o, why);
	c->rank = PH_DONE;
	c->done = true;
}

void phase_count_mount(struct container *c, bool failed, bool optional, bool expected)
{
	if (!c || c->done)
		return;
	c->mounts++;
	c->sum.nmounts++;
	if (failed) {
		c->mounts_failed++;
		c->sum.nmounts_failed++;
		if (optional)
			c->sum.nmounts_optional++;
		if (expected)
			c->sum.nmounts_expected++;
	}
}
