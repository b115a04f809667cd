/* formatter.c - the formatter interface (formatter.h): pick a format's ops,
 * buffer its complete lines and write them to the output fd.
 *
 * Write errors are values: the first one is kept (sticky) and every later call
 * returns -1 with that errno, so the caller can detach its tracees and end the
 * trace (END_OUTPUT). The caller ignores SIGPIPE, so a closed pipe is EPIPE here.
 */
#include "formatter.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmt_private.h"

static const struct fmt_ops *const fmt_by_kind[] = {
    [FMT_TEXT] = &fmt_text_ops,
    [FMT_JSON] = &fmt_json_ops,
    [FMT_CHROME] = &fmt_chrome_ops,
};

struct formatter *formatter_new(enum fmt_kind kind, const struct formatter_opts *opts)
{
	if ((unsigned)kind >= sizeof(fmt_by_kind) / sizeof(fmt_by_kind[0]) || !fmt_by_kind[kind]) {
		errno = EINVAL;
		return NULL;
	}
	struct formatter *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->ops = fmt_by_kind[kind];
	f->opts = *opts;
	f->is_tty = isatty(opts->fd) == 1;
	sb_init(&f->out);
	f->state = f->ops->create(f);
	if (!f->state) {
		sb_free(&f->out);
		free(f);
		errno = ENOMEM;
		return NULL;
	}
	return f;
}

/* write(2) until done; EINTR retried, a short write continued. *done says how
 * much went out, also on failure. */
static int write_all(int fd, const char *p, size_t n, size_t *done)
{
	*done = 0;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
		*done += (size_t)w;
	}
	return 0;
}

/* A write failed after part of a line went out (a full disk takes what fits,
 * then says ENOSPC): cut a regular file back to its last whole line, so what
 * the trace left behind is complete lines. A pipe cannot be taken back; its
 * reader is gone anyway (EPIPE). */
static void drop_partial_line(int fd, const char *buf, size_t done)
{
	size_t partial = 0;
	while (partial < done && buf[done - partial - 1] != '\n')
		partial++;
	if (!partial)
		return;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	off_t end = lseek(fd, 0, SEEK_CUR);
	if (end >= (off_t)partial && ftruncate(fd, end - (off_t)partial) == 0)
		lseek(fd, end - (off_t)partial, SEEK_SET);
}

bool formatter_pending(const struct formatter *f)
{
	return f->out.len > 0 || f->err;
}

int formatter_flush(struct formatter *f)
{
	if (f->err) {
		sb_reset(&f->out);
		errno = f->err;
		return -1;
	}
	if (f->out.len == 0)
		return 0;
	size_t done;
	int rc = write_all(f->opts.fd, f->out.buf, f->out.len, &done);
	if (rc < 0) {
		f->err = errno ? errno : EIO;
		drop_partial_line(f->opts.fd, f->out.buf, done);
	}
	sb_reset(&f->out);
	if (rc < 0)
		errno = f->err;
	return rc;
}

int fmt_emit(struct formatter *f, const char *s, size_t len)
{
	if (f->err) {
		errno = f->err;
		return -1;
	}
	sb_putn(&f->out, s, len);
	if (f->out.len >= FMT_FLUSH_AT)
		return formatter_flush(f);
	return 0;
}

int fmt_emit_sb(struct formatter *f, struct strbuf *sb)
{
	return fmt_emit(f, sb_str(sb), sb->len);
}

int formatter_begin(struct formatter *f)
{
	if (f->ops->begin(f, f->state) < 0)
		return -1;
	return f->is_tty ? formatter_flush(f) : (f->err ? (errno = f->err, -1) : 0);
}

int formatter_event(struct formatter *f, const struct ns_event *ev)
{
	if (f->ops->event(f, f->state, ev) < 0)
		return -1;
	/* Someone watching a terminal wants each line as it happens. */
	if (f->is_tty)
		return formatter_flush(f);
	if (f->err) {
		errno = f->err;
		return -1;
	}
	return 0;
}

int formatter_end(struct formatter *f)
{
	int rc = f->ops->end(f, f->state);
	int frc = formatter_flush(f);
	return rc < 0 || frc < 0 ? -1 : 0;
}

void formatter_free(struct formatter *f)
{
	if (!f)
		return;
	f->ops->free(f->state);
	sb_free(&f->out);
	free(f);
}
