/* fmt_private.h - what the formatters share inside formatters/: the ops table
 * formatter.c dispatches through, the buffered writer, and the helpers that turn
 * event fields into names and safe strings. Not part of the stage's interface.
 */
#ifndef NSTRACE_FMT_PRIVATE_H
#define NSTRACE_FMT_PRIVATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "formatter.h"
#include "strbuf.h"

/* Output buffer: whole lines are appended, pushed to fd with a write(2) loop. */
#define FMT_FLUSH_AT (64 * 1024)

struct formatter;

/* One output format. state is the format's own data, made by new, freed by free. */
struct fmt_ops {
	const char *name;
	void *(*create)(struct formatter *f);
	int (*begin)(struct formatter *f, void *state);
	int (*event)(struct formatter *f, void *state, const struct ns_event *ev);
	int (*end)(struct formatter *f, void *state);
	void (*free)(void *state);
};

struct formatter {
	const struct fmt_ops *ops;
	void *state;
	struct formatter_opts opts;
	bool is_tty;	   /* opts.fd is a terminal: flush after every event */
	struct strbuf out; /* complete lines not yet written */
	int err;	   /* sticky errno of the first failed write, 0 if none */
};

extern const struct fmt_ops fmt_text_ops, fmt_json_ops, fmt_chrome_ops;

/* Append one complete line (or several) to the output; flushes past FMT_FLUSH_AT.
 * Returns 0, or -1 with errno once a write has failed (and from then on). */
int fmt_emit(struct formatter *f, const char *s, size_t len);
int fmt_emit_sb(struct formatter *f, struct strbuf *sb);

/* --- escape.c: bytes from a tracee made safe --- */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if s[0..] does not start
 * one (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). */
size_t utf8_seq_len(const unsigned char *s, size_t n);
bool utf8_valid(const char *s, size_t n);
/* A JSON string of arbitrary bytes: valid UTF-8 is kept, every other byte
 * becomes U+FFFD; NULs and control bytes are kept (jansson escapes them). */
json_t *json_bytes(const char *s, size_t n);
json_t *json_cstr(const char *s); /* NULL -> JSON null */
/* Text for a terminal: control bytes and invalid UTF-8 as \xNN, backslash as \\;
 * quote (0 for none) is escaped too. */
void text_escape(struct strbuf *sb, const char *s, size_t n, char quote);
void text_escape_str(struct strbuf *sb, const char *s); /* NULL prints "?" */
/* Lowercase hex of the bytes, for the "hex" field of strings that are not UTF-8. */
void hex_bytes(struct strbuf *sb, const char *s, size_t n);


/* "EPERM", "ERESTARTSYS", or NULL if unknown (call_text.c, beside the texts). */
const char *errno_name(int err);
/* A duration or time in microseconds as "12.345 ms". */
void fmt_put_ms(struct strbuf *sb, int64_t us);
/* A spawn's clone flags (ev->spawn_flags) as a JSON array of names: flag names,
 * unknown bits as one "0x..." string, the exit signal last. */
json_t *json_spawn_flags(const struct ns_event *ev);
/* The short container id shown in text and track names (12 chars). */
#define CONTAINER_SHORT 12
/* ANSI colour of a role's prefix ("" for none). */
const char *role_color(enum role r);

/* --- json_value.c: event fields as JSON (shared by -F json and -F chrome) --- */

json_t *json_av(const struct av *v);
json_t *json_av_list(const struct ns_event *ev); /* "args" */
json_t *json_ns_set(const struct ns_set *ns);
json_t *json_ns_changed(const struct ns_event *ev);
json_t *json_summary(const struct trace_summary *s);
json_t *json_stack(const struct ns_event *ev);
json_t *json_ns_bits(uint32_t bits); /* bit per enum ns_type -> ["mnt", ...] */
json_t *json_creds(const struct ns_event *ev);
json_t *json_creds_changed(uint32_t bits); /* bit per enum cred_bit -> ["uid", ...] */
json_t *json_idmap(const struct id_map_info *m);
/* The whole schema v1 object of one event. */
json_t *json_event(const struct ns_event *ev);
/* "2026-11-29T06:26:19.123456Z" */
void rfc3339_us(char *buf, size_t len, uint64_t wall_ns);
/* --- text_summary.c --- */

/* The launch summary and the end line of an EV_END event, as text lines. */
void text_summary(struct strbuf *sb, const struct ns_event *ev, bool color);

/* Dump compactly into sb (appended), without a newline. */
void json_dump_sb(struct strbuf *sb, const json_t *j, size_t flags);

#endif
