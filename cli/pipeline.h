/* pipeline.h - the run: tracer stops -> events -> decoders -> model -> formatter.
 *
 * The only place that knows every stage. It turns each raw stop into an event,
 * fills what /proc knows (comm, exe, argv, namespaces, pids), lets the decoders
 * type the arguments, passes the event through the model and hands the result
 * to the formatter. It also decides when the trace ends and ends it safely.
 */
#ifndef NSTRACE_PIPELINE_H
#define NSTRACE_PIPELINE_H

#include "options.h"

/* Exit statuses of nstrace (also in the README and the man page). */
enum {
	EXIT_OK = 0,	     /* attach mode: the trace ended normally */
	EXIT_RUNTIME = 1,    /* the output failed or an internal error ended the trace */
	EXIT_USAGE = 2,	     /* bad options, nothing to attach to, cannot attach */
	/* run mode: the command's own exit status, 128+N if it was killed by N */
};

/* Run a whole trace as the options say; returns nstrace's exit status. */
int pipeline_run(const struct options *opts);

#endif
