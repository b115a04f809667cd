/* tracer_internal.h - the tracer's state, shared by the files of tracer/ only. */
#ifndef NSTRACE_TRACER_INTERNAL_H
#define NSTRACE_TRACER_INTERNAL_H

#include <signal.h>

#include "tracee_table.h"
#include "tracer.h"

struct tracer {
	struct tracer_config cfg;
	struct tracee_table tt;
	unsigned long options; /* PTRACE_O_* for every seize */
	sigset_t blocked;      /* our signals, collected by tracer_wait */
	sigset_t orig_mask;    /* restored in the run-mode child and at free */
	struct sigaction orig_sigpipe;
	struct sigaction orig_stop_sigs[3]; /* SIGINT, SIGTERM, SIGHUP as we found them */
	cpu_set_t cpu;	       /* the one CPU co-located tasks share with us */
	cpu_set_t self_orig;
	bool self_pinned;
	int (*idle)(void *ctx);
	void *idle_ctx;
	struct tracer_stats stats;
	tracer_release_fn release;
	void *release_ctx;
};

extern const int tracer_stop_sigs[3];

void tracer_restart(struct tracer *tr, struct tracee *t, int sig);
void tracer_drop(struct tracer *tr, struct tracee *t, bool detached);
void tracer_unpin(struct tracer *tr, struct tracee *t);
void tracer_unpin_self(struct tracer *tr);
void tracer_drop_cb(void *ctx, struct tracee *t);

#endif
