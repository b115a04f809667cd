/* test_fmt_writer.c - the formatters' output path: a closed pipe gives -1 and
 * EPIPE (never a signal, never an abort) and stays failed; big outputs are
 * written whole, as complete lines, through short writes.
 */
#include "test_fmt_util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

static void ignore_sigpipe(void)
{
	/* as nstrace's main does: a closed output must be EPIPE, not death */
	signal(SIGPIPE, SIG_IGN);
}

Test(fmt_writer, closed_pipe_is_epipe_for_every_format, .init = ignore_sigpipe)
{
	for (enum fmt_kind k = FMT_TEXT; k <= FMT_CHROME; k++) {
		int p[2];
		cr_assert_eq(pipe(p), 0);
		close(p[0]);
		struct formatter_opts o = {.fd = p[1]};
		struct formatter *f = formatter_new(k, &o);
		struct ns_event *ev = mk_event(EV_ATTACH, 1, 9, 9, "x");
		/* buffered: the failure shows at the latest at flush */
		int rc = formatter_begin(f);
		if (rc == 0)
			rc = formatter_event(f, ev);
		if (rc == 0)
			rc = formatter_flush(f);
		cr_assert_eq(rc, -1, "format %d: write to a closed pipe succeeded", k);
		cr_assert_eq(errno, EPIPE, "format %d: errno %d", k, errno);
		/* sticky: later calls fail the same way */
		errno = 0;
		cr_assert_eq(formatter_event(f, ev), -1);
		cr_assert_eq(errno, EPIPE);
		cr_assert_eq(formatter_end(f), -1);
		formatter_free(f);
		ns_event_free(ev);
		close(p[1]);
	}
}

Test(fmt_writer, bad_fd_is_an_error)
{
	struct formatter_opts o = {.fd = 987};
	struct formatter *f = formatter_new(FMT_JSON, &o);
	struct ns_event *ev = mk_event(EV_ATTACH, 1, 9, 9, "x");
	cr_assert_eq(formatter_event(f, ev), 0, "buffered until flush");
	cr_assert_eq(formatter_flush(f), -1);
	cr_assert_eq(errno, EBADF);
	formatter_free(f);
	ns_event_free(ev);
}

/* A reader that drains a pipe slowly in small reads: the writer sees short
 * writes and must still produce every line whole and in order. */
Test(fmt_writer, large_output_through_a_pipe, .init = ignore_sigpipe)
{
	int p[2];
	cr_assert_eq(pipe(p), 0);
	fcntl(p[1], F_SETPIPE_SZ, 4096);
	pid_t child = fork();
	if (child == 0) {
		close(p[1]);
		char buf[777];
		size_t lines = 0;
		ssize_t n;
		while ((n = read(p[0], buf, sizeof(buf))) > 0)
			for (ssize_t i = 0; i < n; i++)
				lines += buf[i] == '\n';
		_exit(lines == 5000 ? 0 : 1);
	}
	close(p[0]);
	struct formatter_opts o = {.fd = p[1]};
	struct formatter *f = formatter_new(FMT_JSON, &o);
	cr_assert_eq(formatter_begin(f), 0);
	for (int i = 0; i < 5000; i++) {
		struct ns_event *ev = mk_event(EV_EXEC, i, 9, 9, "x");
		ev->filename = "/some/rather/long/path/to/make/the/lines/longer/than/a/pipe/read";
		cr_assert_eq(formatter_event(f, ev), 0);
		ns_event_free(ev);
	}
	cr_assert_eq(formatter_end(f), 0);
	formatter_free(f);
	close(p[1]);
	int st;
	cr_assert_eq(waitpid(child, &st, 0), child);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the reader did not get 5000 lines");
}

static void small_file_limit(void)
{
	/* a file that cannot grow past 1000 bytes: writes beyond fail with EFBIG
	 * after a short write, as a full disk does with ENOSPC */
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit rl = {.rlim_cur = 1000, .rlim_max = RLIM_INFINITY};
	setrlimit(RLIMIT_FSIZE, &rl);
}

Test(fmt_writer, full_file_keeps_whole_lines, .init = small_file_limit)
{
	char path[] = "/tmp/test_fmt_writer.XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	struct formatter_opts o = {.fd = fd};
	struct formatter *f = formatter_new(FMT_JSON, &o);
	int rc = 0;
	for (int i = 0; i < 100 && rc == 0; i++) {
		struct ns_event *ev = mk_event(EV_ATTACH, i, 9, 9, "x");
		rc = formatter_event(f, ev);
		if (rc == 0)
			rc = formatter_flush(f); /* one small write a line: the limit cuts one */
		ns_event_free(ev);
	}
	cr_assert_eq(rc, -1, "the output never filled up");
	cr_assert_eq(errno, EFBIG);
	formatter_free(f);
	off_t size = lseek(fd, 0, SEEK_END);
	cr_assert(size > 0 && size <= 1000);
	char last;
	cr_assert_eq(pread(fd, &last, 1, size - 1), 1);
	cr_assert_eq(last, '\n', "the file ends mid-line (%lld bytes)", (long long)size);
	close(fd);
	unlink(path);
}
