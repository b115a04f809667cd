/* options.h - nstrace's command line, parsed into one plain struct.
 *
 * Parsing is pure (no side effects, no exit) so the unit tests can drive it.
 */
#ifndef NSTRACE_OPTIONS_H
#define NSTRACE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "formatter.h"
#include "syscalls.h"

#define OPT_MAX_PIDS 64
#define OPT_MAX_NAMES 8

enum once_mode { ONCE_OFF, ONCE_EXEC, ONCE_EXIT };

struct options {
	/* what to trace */
	char **command; /* argv after --, NULL-terminated; NULL in attach mode */
	pid_t pids[OPT_MAX_PIDS];
	size_t npids;
	const char *attach_names[OPT_MAX_NAMES]; /* -a NAME */
	size_t nattach_names;
	const char *daemon;  /* --daemon PID|NAME */
	bool no_daemon;	     /* --no-daemon */
	bool only_mine;	     /* --only-mine */
	bool shims;	     /* --shims: attach the attached containerds' running shims too */
	enum once_mode once; /* --once[=exec|exit] */
	double timeout_s;    /* --timeout SECONDS, 0 = none */

	/* how deep */
	struct sc_filter filter; /* -e trace= */
	bool filter_given;
	bool trace_daemon;    /* --trace-daemon */
	bool follow_workload; /* --follow-workload */
	bool seccomp;	      /* --seccomp: run mode only; attached processes never get a filter */
	bool stack;	      /* -k */
	bool no_colocate;     /* --no-colocate: leave CPU affinities alone */
	bool colocate_all;    /* --colocate-all: plain commands and depth-traced daemons too */

	/* output */
	enum fmt_kind format; /* -F */
	const char *output;   /* -o FILE, "-" for stdout; NULL: stderr */
	size_t strsize;	      /* -s */
	bool verbose;	      /* -v */
	enum ts_mode ts;      /* -t -tt -ttt -r */
	bool show_duration;   /* -T */
	int color;	      /* -1 auto, 0 never, 1 always */
	bool summary_only;
	bool quiet; /* -q: no attach/detach chatter on stderr */

	bool help, version;
};

/* Parse argv into opts. Returns 0, or -1 with a one-line message in err. */
int options_parse(struct options *opts, int argc, char **argv, char *err, size_t errlen);
/* The --help text. */
const char *options_usage(void);

#endif
