/* json.c - -F json: JSON Lines, one schema v1 object per event (docs/json.md).
 *
 * Each object is dumped into a line of its own and appended whole, so a reader
 * tailing the file never sees half an object, even if nstrace is killed.
 */
#include <stdlib.h>

#include "fmt_private.h"

struct json_state {
	struct strbuf line;
};

static void *json_new(struct formatter *f)
{
	(void)f;
	struct json_state *s = calloc(1, sizeof(*s));
	if (s)
		sb_init(&s->line);
	return s;
}

static int json_begin(struct formatter *f, void *state)
{
	(void)f;
	(void)state;
	return 0;
}

static int json_event_line(struct formatter *f, void *state, const struct ns_event *ev)
{
	struct json_state *s = state;
	if (ev->hidden)
		return 0;
	/* --summary-only: the end event alone carries the summary. */
	if (f->opts.summary_only && ev->kind != EV_END)
		return 0;
	json_t *o = json_event(ev);
	sb_reset(&s->line);
	json_dump_sb(&s->line, o, 0);
	json_decref(o);
	sb_putc(&s->line, '\n');
	return fmt_emit_sb(f, &s->line);
}

static int json_end(struct formatter *f, void *state)
{
	(void)f;
	(void)state;
	return 0;
}

static void json_free(void *state)
{
	struct json_state *s = state;
	if (!s)
		return;
	sb_free(&s->line);
	free(s);
}

const struct fmt_ops fmt_json_ops = {
    .name = "json",
    .create = json_new,
    .begin = json_begin,
    .event = json_event_line,
    .end = json_end,
    .free = json_free,
};
