/* tracer_internal.h - the tracer's state, shared by the files of tracer/ only. */
#ifndef NSTRACE_TRACER_INTERNAL_H
#define NSTRACE_TRACER_INTERNAL_H

#include <signal.h>

#include "tracee_table.h"
#include "tracer.h"

#define TRACER_NSIGS 5

struct tracer {
	struct tracer_config cfg;
	struct tracee_table tt;
	unsigned long options; /* PTRACE_O_* for every seize */
	sigset_t orig_mask;    /* restored in the run-mode child and at free */
	struct sigaction orig_sigpipe;
	struct sigaction orig_sigs[TRACER_NSIGS]; /* tracer_sigs as we found them */
	uint64_t timer_deadline; /* when the ITIMER_REAL we armed fires (mono ns), 0: none */
	size_t nhot;		 /* tracees pinned for their event rate (affinity.c) */
	uint64_t next_cool;	 /* when to look for hot tracees gone quiet, 0: none */
	uint64_t next_orphans;	 /* when to look at held new children again, 0: none held */
	bool attached_any;	 /* some tracee was attached, not started by us */
	cpu_set_t cpu;	       /* the one CPU co-located tasks share with us */
	cpu_set_t self_orig;
	bool self_pinned;
	int (*idle)(void *ctx);
	bool (*idle_pending)(void *ctx);
	void *idle_ctx;
	uint64_t idle_due; /* when the idle hook wants its next call (mono ns), 0: at idle */
	struct tracer_stats stats;
	tracer_release_fn release;
	void *release_ctx;
};

/* The signals nstrace handles itself: SIGINT, SIGTERM, SIGHUP (reported by
 * tracer_wait), SIGALRM (wakes a wait at a deadline), SIGCHLD (left at its
 * default: ignored, so never queued). wait.c. */
extern const int tracer_sigs[TRACER_NSIGS];
void tracer_signals_init(struct tracer *tr);
void tracer_signals_restore(struct tracer *tr);
bool tracer_handle_status(struct tracer *tr, pid_t pid, int status, struct tracer_stop *stop);

void tracer_restart(struct tracer *tr, struct tracee *t, int sig);
void tracer_drop(struct tracer *tr, struct tracee *t, bool detached);
void tracer_unpin(struct tracer *tr, struct tracee *t);
/* affinity.c: an events-only task stopped; co-locate it while it stops often.
 * tracer_cool returns when to call it again (mono ns), 0 when nothing is hot. */
void tracer_note_stop(struct tracer *tr, struct tracee *t, uint64_t now);
uint64_t tracer_cool(struct tracer *tr, uint64_t now);
/* A new child has its parent's affinity: and so our record of it. */
void tracer_inherit_pin(struct tracer *tr, const struct tracee *parent, struct tracee *child,
			uint64_t now);
void tracer_unpin_self(struct tracer *tr);
/* A non-leader thread exec'd: the leader's record now stands for that thread,
 * whose pin (and hot state) it takes over; the old record goes. */
void tracer_take_pin(struct tracer *tr, struct tracee *leader, struct tracee *thread);
void tracer_drop_cb(void *ctx, struct tracee *t);
/* New children held for their parent's fork event that never came (the parent
 * was killed first): let go of them. Returns when to look again (mono ns), 0
 * when none is held. tracer.c. */
uint64_t tracer_release_orphans(struct tracer *tr, uint64_t now);
/* Kill a process that carries our --seccomp filter (it cannot outlive us);
 * nothing for a record whose process is not known (tgid 0). */
void tracer_kill_filtered(const struct tracee *t);

#endif
