/* call_text.c - a syscall as strace prints it: "name(args) = ret".
 *
 * Rendering only (the values come decoded, see syscall_tables/). The rules
 * follow strace 6: strings quoted with C escapes and octal for other bytes,
 * "..." after a cut string, flags joined by '|', NULL for null pointers,
 * {a=1, b=2} structs, [..] arrays, " => " before what the kernel wrote back,
 * comments as / * ... * /, and "= -1 ENOENT (No such file or directory)".
 */
#define _GNU_SOURCE /* strerrorname_np */
#include "call_text.h"
#include "fmt_private.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

static void put_escaped(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	sb_putc(sb, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = u[i];
		switch (c) {
		case '"':
			sb_puts(sb, "\\\"");
			continue;
		case '\\':
			sb_puts(sb, "\\\\");
			continue;
		case '\f':
			sb_puts(sb, "\\f");
			continue;
		case '\n':
			sb_puts(sb, "\\n");
			continue;
		case '\r':
			sb_puts(sb, "\\r");
			continue;
		case '\t':
			sb_puts(sb, "\\t");
			continue;
		case '\v':
			sb_puts(sb, "\\v");
			continue;
		}
		if (c >= ' ' && c <= '~') {
			sb_putc(sb, (char)c);
			continue;
		}
		/* shortest octal, unless an octal digit follows: then all three */
		bool digit_next = i + 1 < len && u[i + 1] >= '0' && u[i + 1] <= '7';
		sb_putc(sb, '\\');
		if (digit_next || c >> 6)
			sb_putc(sb, (char)('0' + (c >> 6)));
		if (digit_next || c >> 3)
			sb_putc(sb, (char)('0' + ((c >> 3) & 7)));
		sb_putc(sb, (char)('0' + (c & 7)));
	}
	sb_putc(sb, '"');
}

/* strace -y's "<path>": bytes that could end it or fool a terminal are \xNN. */
static void put_fd_path(struct strbuf *sb, const char *p)
{
	sb_putc(sb, '<');
	for (const unsigned char *u = (const unsigned char *)p; *u; u++) {
		if (*u < 0x20 || *u >= 0x7f || *u == '>' || *u == '\\')
			sb_printf(sb, "\\x%02x", *u);
		else
			sb_putc(sb, (char)*u);
	}
	sb_putc(sb, '>');
}

static void put_flags(struct strbuf *sb, const struct av *v)
{
	for (size_t i = 0; i < v->nnames; i++) {
		if (i)
			sb_putc(sb, '|');
		sb_puts(sb, v->names[i]);
	}
	if (v->unknown) {
		if (v->nnames)
			sb_putc(sb, '|');
		sb_printf(sb, "%#" PRIx64, v->unknown);
	}
	if (!v->nnames && !v->unknown)
		sb_puts(sb, v->sym ? v->sym : "0");
}

static void put_value(struct strbuf *sb, const struct av *v);

static void put_items(struct strbuf *sb, const struct av *v, bool named)
{
	for (size_t i = 0; i < v->nitems; i++) {
		if (i)
			sb_puts(sb, ", ");
		if (named && v->items[i].name)
			sb_printf(sb, "%s=", v->items[i].name);
		av_text_render(sb, &v->items[i]);
	}
	if (v->more)
		sb_puts(sb, v->nitems ? ", ..." : "...");
}

static void put_value(struct strbuf *sb, const struct av *v)
{
	switch (v->kind) {
	case AV_INT:
	case AV_FD:
		sb_printf(sb, "%" PRId64, v->i);
		break;
	case AV_UINT:
		sb_printf(sb, "%" PRIu64, v->u);
		break;
	case AV_HEX:
		sb_printf(sb, "%#" PRIx64, v->u);
		break;
	case AV_OCT:
		sb_printf(sb, "%#03" PRIo64, v->u);
		break;
	case AV_SYM:
		if (v->sym)
			sb_puts(sb, v->sym);
		else
			sb_printf(sb, "%#" PRIx64, v->u);
		break;
	case AV_FLAGS:
		put_flags(sb, v);
		break;
	case AV_STR:
		put_escaped(sb, v->str ? v->str : "", v->len);
		if (v->truncated)
			sb_puts(sb, "...");
		if (v->fd_path)
			put_fd_path(sb, v->fd_path);
		break;
	case AV_ADDR:
		if (v->u)
			sb_printf(sb, "%#" PRIx64, v->u);
		else
			sb_puts(sb, "NULL");
		break;
	case AV_STRUCT:
		sb_putc(sb, '{');
		put_items(sb, v, true);
		sb_putc(sb, '}');
		break;
	case AV_ARRAY:
		sb_putc(sb, '[');
		put_items(sb, v, false);
		sb_putc(sb, ']');
		break;
	case AV_RAW:
		if (v->str)
			sb_putn(sb, v->str, v->len ? v->len : strlen(v->str));
		break;
	}
}

void av_text_render(struct strbuf *sb, const struct av *v)
{
	put_value(sb, v);
	if (v->comment)
		sb_printf(sb, " /* %s */", v->comment);
	if (v->out) {
		sb_puts(sb, " => ");
		av_text_render(sb, v->out);
	}
}

/* The kernel's restart codes never reach user space; strace names them. */
static const struct {
	int err;
	const char *name, *text;
} restart_errnos[] = {
	{ 512, "ERESTARTSYS", "To be restarted if SA_RESTART is set" },
	{ 513, "ERESTARTNOINTR", "To be restarted" },
	{ 514, "ERESTARTNOHAND", "To be restarted if no handler" },
	{ 515, "ENOIOCTLCMD", "No ioctl command" },
	{ 516, "ERESTART_RESTARTBLOCK", "Interrupted by signal" },
	{ 517, "EPROBE_DEFER", "Driver requests probe retry" },
	{ 518, "EOPENSTALE", "Open found a stale dentry" },
	{ 519, "ENOPARAM", "Parameter not supported" },
	{ 521, "EBADHANDLE", "Illegal NFS file handle" },
	{ 522, "ENOTSYNC", "Update synchronization mismatch" },
	{ 523, "EBADCOOKIE", "Cookie is stale" },
	{ 524, "ENOTSUPP", "Operation is not supported" },
	{ 525, "ETOOSMALL", "Buffer or request is too small" },
	{ 526, "ESERVERFAULT", "An untranslatable error occurred" },
	{ 527, "EBADTYPE", "Type not supported by server" },
	{ 528, "EJUKEBOX", "Request initiated, but will not complete before timeout" },
	{ 529, "EIOCBQUEUED", "iocb queued, will get completion event" },
	{ 530, "ERECALLCONFLICT", "conflict with recalled state" },
};

const char *errno_name(int err)
{
	for (size_t i = 0; i < sizeof(restart_errnos) / sizeof(restart_errnos[0]); i++)
		if (restart_errnos[i].err == err)
			return restart_errnos[i].name;
	return err > 0 ? strerrorname_np(err) : NULL;
}

static void put_error(struct strbuf *sb, int err)
{
	for (size_t i = 0; i < sizeof(restart_errnos) / sizeof(restart_errnos[0]); i++) {
		if (restart_errnos[i].err == err) {
			/* strace: "= ? ERESTARTSYS (...)" when the call will be restarted */
			sb_printf(sb, "%s %s (%s)", err <= 516 ? "?" : "-1", restart_errnos[i].name,
				  restart_errnos[i].text);
			return;
		}
	}
	const char *name = strerrorname_np(err);
	if (name)
		sb_printf(sb, "-1 %s (%s)", name, strerror(err));
	else
		sb_printf(sb, "-1 %d (%s)", err, strerror(err));
}

static void put_ret(struct strbuf *sb, const struct ns_event *ev)
{
	if (ev->unfinished) {
		sb_putc(sb, '?');
		return;
	}
	int err = ev->err;
	if (!err && ev->ret < 0 && ev->ret >= -4095)
		err = (int)-ev->ret;
	if (err) {
		put_error(sb, err);
		return;
	}
	const struct av *r = ev->args ? ev->args->ret : NULL;
	if (!r) {
		sb_printf(sb, "%" PRId64, ev->ret);
		return;
	}
	put_value(sb, r);
	if (r->comment)
		sb_printf(sb, " (%s)", r->comment);
}

void call_text_render(struct strbuf *sb, const struct ns_event *ev)
{
	if (ev->sc_name)
		sb_puts(sb, ev->sc_name);
	else
		sb_printf(sb, "syscall_%#lx", (unsigned long)ev->nr);
	sb_putc(sb, '(');
	if (ev->args) {
		for (size_t i = 0; i < ev->args->n; i++) {
			const struct av *a = &ev->args->items[i];
			if (i)
				sb_puts(sb, ", ");
			if (a->label)
				sb_printf(sb, "%s=", a->label);
			av_text_render(sb, a);
		}
	} else {
		/* not decoded: the six argument registers, as strace prints
		 * syscalls it does not know */
		for (size_t i = 0; i < 6; i++)
			sb_printf(sb, "%s%#" PRIx64, i ? ", " : "", ev->raw_args[i]);
	}
	sb_puts(sb, ") = ");
	put_ret(sb, ev);
}
