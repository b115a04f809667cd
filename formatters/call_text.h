/* call_text.h - render a syscall the way strace prints it.
 *
 * Shared by the text formatter (the call line) and the JSON formatter (the
 * "call" field), so both say exactly the same thing. Rendering only: the values
 * were decoded before (syscall_tables/).
 */
#ifndef NSTRACE_CALL_TEXT_H
#define NSTRACE_CALL_TEXT_H

#include "event.h"
#include "strbuf.h"

/* "name(args) = ret", "= -1 ENOENT (No such file or directory)", "= ?" when
 * unfinished. Raw arguments print as hex numbers when ev->args is NULL. */
void call_text_render(struct strbuf *sb, const struct ns_event *ev);
/* One value as strace prints it (strings quoted and escaped, flags joined by |). */
void av_text_render(struct strbuf *sb, const struct av *v);

#endif
