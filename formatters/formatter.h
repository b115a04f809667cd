/* formatter.h - the one small interface formatters implement: begin, event, end.
 *
 * Formatters read annotated events and write them out; they never decode and
 * never touch a tracee. A write error (EPIPE, ENOSPC) is returned to the caller,
 * which then detaches every tracee and ends the trace (END_OUTPUT).
 */
#ifndef NSTRACE_FORMATTER_H
#define NSTRACE_FORMATTER_H

#include <stdbool.h>
#include <stddef.h>

#include "event.h"

enum fmt_kind { FMT_TEXT, FMT_JSON, FMT_CHROME };

enum ts_mode {
	TS_DEFAULT, /* milliseconds since the trace started */
	TS_TIME,    /* -t: wall clock HH:MM:SS */
	TS_TIME_US, /* -tt: HH:MM:SS.uuuuuu */
	TS_EPOCH,   /* -ttt: seconds.uuuuuu since the epoch */
	TS_RELATIVE /* -r: time since the previous line */
};

struct formatter_opts {
	int fd;		   /* where to write; the formatter never closes it */
	enum ts_mode ts;
	bool show_duration; /* -T */
	bool color;
	bool summary_only;
};

struct formatter;

struct formatter *formatter_new(enum fmt_kind kind, const struct formatter_opts *opts);
/* Each returns 0, or -1 with errno set when the output failed. */
int formatter_begin(struct formatter *f);
int formatter_event(struct formatter *f, const struct ns_event *ev);
int formatter_end(struct formatter *f);
/* Push buffered output to the fd (done by end, and on detach). */
int formatter_flush(struct formatter *f);
/* Whether complete lines wait in the buffer for a flush. */
bool formatter_pending(const struct formatter *f);
void formatter_free(struct formatter *f);

#endif
