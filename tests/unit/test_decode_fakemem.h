/* test_decode_fakemem.h - fake tracee memory and a decode+render helper for
 * the decoder tests (header only, included by test_decode_*.c).
 *
 * The fake tracee owns FAKE_PAGES pages at FAKE_BASE; pages can be made
 * unreadable to test how decoders treat bad pointers and strings that run into
 * an unmapped page. Reads never cross into an unreadable page: they come back
 * short, as process_vm_readv does.
 */
#ifndef TEST_DECODE_FAKEMEM_H
#define TEST_DECODE_FAKEMEM_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "call_text.h"
#include "event.h"
#include "syscalls.h"

#define FAKE_BASE 0x7f0000000000ull
#define FAKE_PAGE 4096u
#define FAKE_PAGES 4

struct fake_mem {
	unsigned char bytes[FAKE_PAGES * FAKE_PAGE];
	bool hole[FAKE_PAGES];
	uint64_t next; /* bump pointer for fm_put */
	unsigned reads;
};

static struct fake_mem fm;

static bool fm_verbose;
/* what /proc/TID/fd/N would say, for decoders that resolve /proc/self/fd/N */
static fd_path_fn fm_fd_path;

static inline void fm_reset(void)
{
	memset(&fm, 0, sizeof(fm));
	fm_verbose = false;
	fm_fd_path = NULL;
}

static inline ssize_t fm_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct fake_mem *m = ctx;
	m->reads++;
	size_t done = 0;
	while (done < len) {
		uint64_t a = addr + done;
		if (a < FAKE_BASE || a >= FAKE_BASE + sizeof(m->bytes))
			break;
		size_t off = (size_t)(a - FAKE_BASE);
		if (m->hole[off / FAKE_PAGE])
			break;
		size_t chunk = FAKE_PAGE - off % FAKE_PAGE;
		if (chunk > len - done)
			chunk = len - done;
		memcpy((char *)buf + done, m->bytes + off, chunk);
		done += chunk;
	}
	return done ? (ssize_t)done : -1;
}

/* Copy data into the fake tracee; returns its address there. */
static inline uint64_t fm_put(const void *data, size_t len)
{
	uint64_t off = (fm.next + 7) & ~7ull;
	memcpy(fm.bytes + off, data, len);
	fm.next = off + len;
	return FAKE_BASE + off;
}

static inline uint64_t fm_str(const char *s)
{
	return fm_put(s, strlen(s) + 1);
}

/* Place bytes so that they end exactly at the end of page `page`. */
static inline uint64_t fm_put_at_page_end(unsigned page, const void *data, size_t len)
{
	uint64_t off = (uint64_t)(page + 1) * FAKE_PAGE - len;
	memcpy(fm.bytes + off, data, len);
	return FAKE_BASE + off;
}

static inline uint64_t fm_addr_of_page(unsigned page)
{
	return FAKE_BASE + (uint64_t)page * FAKE_PAGE;
}

struct rendered {
	const char *text; /* the whole call text, in ev's arena */
	struct ns_event *ev;
};

/* Decode nr(args) at entry and at exit with ret, render it like strace. The
 * event is kept in r->ev for inspection (free with rendered_free). */
static inline void decode_render_opts(struct rendered *r, const char *name, int64_t ret, size_t strsize,
			       const uint64_t a0, const uint64_t a1, const uint64_t a2,
			       const uint64_t a3, const uint64_t a4, const uint64_t a5)
{
	long nr = syscall_nr(SC_ARCH_X86_64, name);
	struct ns_event *ev = ns_event_new(EV_SYSCALL);
	ev->nr = nr;
	ev->sc_name = name;
	uint64_t args[6] = { a0, a1, a2, a3, a4, a5 };
	memcpy(ev->raw_args, args, sizeof(args));
	struct decode_ctx ctx = { .arena = &ev->arena, .read = fm_read, .read_ctx = &fm,
				  .strsize = strsize, .verbose = fm_verbose, .arch = SC_ARCH_X86_64,
				  .fd_path = fm_fd_path };
	ev->args = decode_syscall_entry(&ctx, nr, args);
	ev->ret = ret;
	if (ret < 0 && ret >= -4095)
		ev->err = (int)-ret;
	decode_syscall_exit(&ctx, nr, args, ret, ev->args);
	struct strbuf sb;
	sb_init(&sb);
	call_text_render(&sb, ev);
	r->text = arena_strdup(&ev->arena, sb_str(&sb));
	sb_free(&sb);
	r->ev = ev;
}

static inline void rendered_free(struct rendered *r)
{
	ns_event_free(r->ev);
	r->ev = NULL;
}

/* Expect the strace text for name(args...) returning ret (default -s 32). */
#define EXPECT_CALL(expected, name, ret, ...)                                                      \
	do {                                                                                       \
		struct rendered r_;                                                                \
		uint64_t a_[6] = { __VA_ARGS__ };                                                  \
		decode_render_opts(&r_, name, ret, 32, a_[0], a_[1], a_[2], a_[3], a_[4], a_[5]);  \
		cr_expect_str_eq(r_.text, expected);                                               \
		rendered_free(&r_);                                                                \
	} while (0)

/* EXPECT_CALL with the expected text formatted (addresses known only at run
 * time): EXPECTF("readlink", 5, ARGS(path, buf, 64), "readlink(..., %#llx, 64) = 5", buf) */
#define EXPECTF(name, ret, args, ...)                                                              \
	do {                                                                                       \
		char expected_[512];                                                               \
		snprintf(expected_, sizeof(expected_), __VA_ARGS__);                               \
		EXPECT_CALL(expected_, name, ret, args);                                           \
	} while (0)
#define ARGS(...) __VA_ARGS__

#define EXPECT_CALL_S(expected, strsize, name, ret, ...)                                          \
	do {                                                                                       \
		struct rendered r_;                                                                \
		uint64_t a_[6] = { __VA_ARGS__ };                                                  \
		decode_render_opts(&r_, name, ret, strsize, a_[0], a_[1], a_[2], a_[3], a_[4],    \
				   a_[5]);                                                         \
		cr_expect_str_eq(r_.text, expected);                                               \
		rendered_free(&r_);                                                                \
	} while (0)

/* Find an argument node by name. */
static inline const struct av *arg_named(const struct ns_event *ev, const char *name)
{
	for (size_t i = 0; i < ev->args->n; i++)
		if (ev->args->items[i].name && strcmp(ev->args->items[i].name, name) == 0)
			return &ev->args->items[i];
	return NULL;
}

#endif
