/* test_fmt_util.h - synthetic events and a captured output for the formatter
 * tests (test_fmt_*.c): build an event of any kind, run a formatter over a list
 * of them into a memfd, get the bytes back.
 */
#ifndef TEST_FMT_UTIL_H
#define TEST_FMT_UTIL_H

#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "event.h"
#include "formatter.h"
#include "syscalls.h"

#define T0_MONO 5000000000ULL	       /* monotonic ns at rel_us 0 */
#define T0_WALL 1795000000000000000ULL /* 2026-11-18T11:06:40Z */

/* An event at rel_us with its clocks consistent, for task pid/tid. */
static inline struct ns_event *mk_event(enum ev_kind kind, int64_t rel_us, pid_t pid, pid_t tid,
					const char *comm)
{
	static uint64_t seq;
	struct ns_event *ev = ns_event_new(kind);
	ev->seq = ++seq;
	ev->rel_us = rel_us;
	ev->mono_ns = T0_MONO + (uint64_t)rel_us * 1000;
	ev->wall_ns = T0_WALL + (uint64_t)rel_us * 1000;
	ev->pid = pid;
	ev->tid = tid;
	ev->comm = comm ? arena_strdup(&ev->arena, comm) : NULL;
	return ev;
}

/* A syscall event with decoded args; entry dur_us before the event. */
static inline struct ns_event *mk_syscall(int64_t rel_us, pid_t pid, const char *comm,
					  const char *name, long nr, int64_t ret, int err,
					  uint64_t dur_us)
{
	struct ns_event *ev = mk_event(EV_SYSCALL, rel_us, pid, pid, comm);
	ev->sc_name = name;
	ev->nr = nr;
	ev->ret = ret;
	ev->err = err;
	ev->dur_ns = dur_us * 1000;
	ev->entry_mono_ns = ev->mono_ns - ev->dur_ns;
	ev->args = arena_alloc(&ev->arena, sizeof(*ev->args));
	return ev;
}

/* Give a syscall event n decoded arguments (copied). */
static inline void set_args(struct ns_event *ev, struct av **vals, size_t n)
{
	ev->args->items = arena_alloc(&ev->arena, n * sizeof(struct av));
	ev->args->n = n;
	for (size_t i = 0; i < n; i++)
		av_set(&ev->args->items[i], vals[i], NULL);
}

struct captured {
	char *buf;
	size_t len;
	int rc; /* last formatter return */
};

/* Run a formatter over events (begin, each, end) into a memfd, return the bytes. */
static inline struct captured run_fmt(enum fmt_kind kind, struct formatter_opts opts,
				      struct ns_event **evs, size_t n)
{
	int fd = memfd_create("fmt", 0);
	cr_assert(fd >= 0);
	opts.fd = fd;
	struct formatter *f = formatter_new(kind, &opts);
	cr_assert(f);
	struct captured c = {0};
	c.rc = formatter_begin(f);
	cr_assert_eq(c.rc, 0);
	for (size_t i = 0; i < n; i++) {
		decode_event_names(evs[i]); /* as the pipeline does before formatting */
		c.rc = formatter_event(f, evs[i]);
		cr_assert_eq(c.rc, 0);
	}
	c.rc = formatter_end(f);
	cr_assert_eq(c.rc, 0);
	formatter_free(f);
	off_t size = lseek(fd, 0, SEEK_END);
	c.buf = calloc(1, (size_t)size + 1);
	c.len = (size_t)pread(fd, c.buf, (size_t)size, 0);
	close(fd);
	return c;
}

static inline void free_events(struct ns_event **evs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ns_event_free(evs[i]);
}

/* The source tree, from this file's path (tests/unit/...), for docs/schema.
 * A relative __FILE__ is relative to where it was compiled: the directory of
 * the test executable, whatever directory the test runs in. */
static inline char *source_root(void)
{
	char path[4096], exe[4096];
	if (__FILE__[0] == '/') {
		snprintf(path, sizeof(path), "%s", __FILE__);
	} else {
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		cr_assert(n > 0);
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';
		snprintf(path, sizeof(path), "%s/%s", exe, __FILE__);
	}
	char *cut = strstr(path, "/tests/unit/");
	cr_assert(cut, "__FILE__ is not under tests/unit: %s", path);
	*cut = '\0';
	return strdup(path);
}

#endif
