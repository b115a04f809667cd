/* strbuf.h - a growable string buffer for building output lines.
 *
 * Formatters build a whole line (or JSON object) here and write it with one
 * write, so output is always made of complete lines even when nstrace is killed.
 */
#ifndef NSTRACE_STRBUF_H
#define NSTRACE_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *buf; /* always NUL-terminated once anything was added */
	size_t len, cap;
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_reset(struct strbuf *sb); /* empty, keep capacity */
void sb_putc(struct strbuf *sb, char c);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putn(struct strbuf *sb, const char *s, size_t n);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The contents as a C string ("" when empty). */
const char *sb_str(struct strbuf *sb);

#endif
