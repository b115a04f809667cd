/* decode_fd.c - the file descriptor syscalls: close, dup, dup2, dup3, fcntl,
 * getdents64, fchdir, fchmod, fchown, ftruncate, lseek, fsync, fdatasync.
 *
 * fcntl follows strace's print_fcntl: the third argument is decoded by
 * command (flags, signal, struct flock, f_owner_ex) or omitted for the
 * getters, whose result prints with a comment ("= 0x1 (flags FD_CLOEXEC)").
 * getdents64 shows the buffer as strace without -v: "0x... /+ 5 entries +/". */
#include <stdlib.h>
#include <string.h>

#include "decode.h"

static void fd_entry(struct dcall *c) /* close, fchdir, fsync, fdatasync */
{
	dc_put(c, dc_fd(c, "fd", c->args[0]));
}

static void dup_entry(struct dcall *c)
{
	dc_put(c, dc_fd(c, "oldfd", c->args[0]));
}

static void dup2_entry(struct dcall *c)
{
	dc_put(c, dc_fd(c, "oldfd", c->args[0]));
	dc_put(c, dc_fd(c, "newfd", c->args[1]));
}

static void dup3_entry(struct dcall *c)
{
	dup2_entry(c);
	dc_put(c, av_xflags(c->a, "flags", &xl_open_flags, c->args[2]));
}

static void fchmod_entry(struct dcall *c)
{
	dc_put(c, dc_fd(c, "fd", c->args[0]));
	dc_put(c, dc_umode(c, "mode", c->args[1]));
}

static void fchown_entry(struct dcall *c)
{
	dc_put(c, dc_fd(c, "fd", c->args[0]));
	dc_put(c, dc_id(c, "owner", c->args[1]));
	dc_put(c, dc_id(c, "group", c->args[2]));
}

static void ftruncate_entry(struct dcall *c)
{
	dc_put(c, dc_fd(c, "fd", c->args[0]));
	dc_put(c, av_uint(c->a, "length", c->args[1]));
}

static void lseek_entry(struct dcall *c)
{
	dc_put(c, dc_fd(c, "fd", c->args[0]));
	dc_put(c, av_int(c->a, "offset", (int64_t)c->args[1]));
	dc_put(c, av_xval(c->a, "whence", &xl_whence, c->args[2]));
}

/* ---- fcntl ---- */

enum {
	F_DUPFD_K = 0, F_GETFD_K, F_SETFD_K, F_GETFL_K, F_SETFL_K, F_GETLK_K, F_SETLK_K,
	F_SETLKW_K, F_SETOWN_K, F_GETOWN_K, F_SETSIG_K, F_GETSIG_K,
	F_SETOWN_EX_K = 15, F_GETOWN_EX_K = 16,
	F_OFD_GETLK_K = 36, F_OFD_SETLK_K, F_OFD_SETLKW_K,
	F_SETLEASE_K = 1024, F_GETLEASE_K, F_NOTIFY_K, F_DUPFD_QUERY_K,
	F_DUPFD_CLOEXEC_K = 1030, F_SETPIPE_SZ_K, F_GETPIPE_SZ_K, F_ADD_SEALS_K, F_GET_SEALS_K,
};

/* struct flock on x86_64 (and flock64, the same layout). */
struct kflock {
	int16_t l_type, l_whence;
	int64_t l_start, l_len;
	int32_t l_pid;
};

/* {l_type=F_RDLCK, l_whence=SEEK_SET, l_start=0, l_len=0[, l_pid=N]}; the
 * address when unreadable or, for the getters, when the call failed. */
static struct av *flock_value(struct dcall *c, uint64_t addr, bool getlk)
{
	struct kflock fl;
	if (getlk && c->failed)
		return av_addr(c->a, "arg", addr);
	if (!dc_read(c, addr, &fl, sizeof(fl)))
		return dc_bad_addr(c, "arg", addr);
	struct av *s = dc_struct(c, "arg", 5);
	dc_field(s, "l_type", av_xval(c->a, NULL, &xl_lock_types, (uint16_t)fl.l_type));
	dc_field(s, "l_whence", av_xval(c->a, NULL, &xl_whence, (uint16_t)fl.l_whence));
	dc_field(s, "l_start", av_int(c->a, NULL, fl.l_start));
	dc_field(s, "l_len", av_int(c->a, NULL, fl.l_len));
	if (getlk)
		dc_field(s, "l_pid", av_int(c->a, NULL, fl.l_pid));
	s->u = addr;
	return s;
}

static struct av *owner_ex_value(struct dcall *c, uint64_t addr)
{
	int32_t owner[2]; /* type, pid */
	if (!dc_read(c, addr, owner, sizeof(owner)))
		return dc_bad_addr(c, "arg", addr);
	struct av *s = dc_struct(c, "arg", 2);
	dc_field(s, "type", av_xval(c->a, NULL, &xl_f_owner_types, (uint32_t)owner[0]));
	dc_field(s, "pid", av_int(c->a, NULL, owner[1]));
	s->u = addr;
	return s;
}

static void fcntl_entry(struct dcall *c)
{
	uint64_t arg = c->args[2];
	dc_put(c, dc_fd(c, "fd", c->args[0]));
	dc_put(c, av_xval(c->a, "cmd", &xl_fcntl_cmds, c->args[1]));
	switch ((uint32_t)c->args[1]) {
	case F_SETFD_K:
		dc_put(c, av_xflags(c->a, "arg", &xl_fd_flags, arg));
		break;
	case F_SETOWN_K:
		dc_put(c, av_int(c->a, "arg", (int32_t)arg));
		break;
	case F_DUPFD_K:
	case F_DUPFD_CLOEXEC_K:
	case F_SETPIPE_SZ_K:
		dc_put(c, av_int(c->a, "arg", (int64_t)arg));
		break;
	case F_SETFL_K:
		dc_put(c, dc_open_flags(c, "arg", arg));
		break;
	case F_SETLK_K:
	case F_SETLKW_K:
	case F_OFD_SETLK_K:
	case F_OFD_SETLKW_K:
		dc_put(c, flock_value(c, arg, false));
		break;
	case F_SETOWN_EX_K:
		dc_put(c, owner_ex_value(c, arg));
		break;
	case F_NOTIFY_K:
		dc_put(c, av_xflags(c->a, "arg", &xl_notify_flags, arg));
		break;
	case F_DUPFD_QUERY_K:
		dc_put(c, dc_fd(c, "arg", arg));
		break;
	case F_SETLEASE_K:
		dc_put(c, av_xval(c->a, "arg", &xl_lock_types, arg));
		break;
	case F_ADD_SEALS_K:
		dc_put(c, av_xflags(c->a, "arg", &xl_f_seals, arg));
		break;
	case F_SETSIG_K:
		dc_put(c, av_signal(c->a, "arg", (uint32_t)arg));
		break;
	case F_GETFD_K:
	case F_GETFL_K:
	case F_GETOWN_K:
	case F_GETSIG_K:
	case F_GETLK_K:
	case F_OFD_GETLK_K:
	case F_GETOWN_EX_K:
	case F_GETLEASE_K:
	case F_GETPIPE_SZ_K:
	case F_GET_SEALS_K:
		break; /* nothing to show at entry */
	default:
		dc_put(c, dc_hexval(c, "arg", arg));
		break;
	}
}

/* "= 0x1 (flags FD_CLOEXEC)": the result in hex with what it means. */
static void hex_result(struct dcall *c, const char *prefix, const char *text)
{
	struct av *r = av_hex(c->a, NULL, (uint64_t)c->ret);
	if (text)
		r->comment = arena_printf(c->a, "%s%s", prefix, text);
	c->list->ret = r;
}

static void fcntl_exit(struct dcall *c)
{
	uint32_t cmd = (uint32_t)c->args[1];
	if (cmd == F_GETLK_K || cmd == F_OFD_GETLK_K) {
		dc_put(c, flock_value(c, c->args[2], true));
		return;
	}
	if (cmd == F_GETOWN_EX_K) {
		dc_put(c, c->failed ? av_addr(c->a, "arg", c->args[2]) : owner_ex_value(c, c->args[2]));
		return;
	}
	if (c->failed)
		return;
	uint64_t ret = (uint64_t)c->ret;
	switch (cmd) {
	case F_GETFD_K:
		if (ret)
			hex_result(c, "flags ", av_flags_text(c->a, av_xflags(c->a, NULL, &xl_fd_flags, ret)));
		break;
	case F_GETFL_K:
		hex_result(c, "flags ", av_flags_text(c->a, dc_open_flags(c, NULL, ret)));
		break;
	case F_GETLEASE_K:
		hex_result(c, "", xlat_name(&xl_lock_types, ret));
		break;
	case F_GET_SEALS_K:
		if (ret)
			hex_result(c, "seals ", av_flags_text(c->a, av_xflags(c->a, NULL, &xl_f_seals, ret)));
		break;
	case F_GETSIG_K:
		if (ret) {
			struct av *r = av_int(c->a, NULL, c->ret);
			r->comment = xlat_signal_name(c->a, ret);
			c->list->ret = r;
		}
		break;
	}
}

/* ---- getdents64 ---- */

#define DIRENT64_HEADER 19u /* offsetof(struct linux_dirent64, d_name) */
#define DIRENT64_RECLEN_AT 16u
/* The most of a directory buffer read to count its entries (a bound on the
 * work a hostile return value could ask for; the kernel fills at most count). */
#define DENTS_READ_MAX (1u << 20)

static void getdents64_entry(struct dcall *c)
{
	dc_put(c, dc_fd(c, "fd", c->args[0]));
	dc_put(c, av_addr(c->a, "dirp", c->args[1]));
	dc_put(c, av_uint(c->a, "count", (uint32_t)c->args[2]));
}

/* strace's xgetdents without -v: count the records the kernel wrote, "N+"
 * when the walk stopped before the returned length (unreadable memory). */
static void getdents64_exit(struct dcall *c)
{
	struct av *slot = dc_arg(c, "dirp");
	uint32_t count = (uint32_t)c->args[2];
	if (!slot || c->failed || c->ret < 0 || (uint64_t)c->ret > count || !c->ctx->read)
		return;
	uint32_t len = (uint32_t)c->ret, want = len < DENTS_READ_MAX ? len : DENTS_READ_MAX;
	unsigned char *buf = want ? malloc(want) : NULL;
	ssize_t got = buf ? c->ctx->read(c->ctx->read_ctx, slot->u, buf, want) : 0;
	size_t have = got > 0 ? (size_t)got : 0, off = 0;
	unsigned n = 0;
	while (len >= DIRENT64_HEADER) {
		if (off + DIRENT64_HEADER > have)
			break; /* could not read the next record */
		n++;
		uint16_t reclen;
		memcpy(&reclen, buf + off + DIRENT64_RECLEN_AT, sizeof(reclen));
		if (reclen > len) {
			len = 0;
		} else if (reclen < DIRENT64_HEADER) {
			len -= DIRENT64_HEADER;
			off += DIRENT64_HEADER;
		} else {
			len -= reclen;
			off += reclen;
		}
	}
	free(buf);
	slot->comment = arena_printf(c->a, "%u%s entries", n, len ? "+" : "");
}

const struct decoder decoders_fd[] = {
	{ "close", fd_entry, NULL },
	{ "dup", dup_entry, NULL },
	{ "dup2", dup2_entry, NULL },
	{ "dup3", dup3_entry, NULL },
	{ "fcntl", fcntl_entry, fcntl_exit },
	{ "getdents64", getdents64_entry, getdents64_exit },
	{ "fchdir", fd_entry, NULL },
	{ "fchmod", fchmod_entry, NULL },
	{ "fchown", fchown_entry, NULL },
	{ "ftruncate", ftruncate_entry, NULL },
	{ "lseek", lseek_entry, NULL },
	{ "fsync", fd_entry, NULL },
	{ "fdatasync", fd_entry, NULL },
	{ NULL, NULL, NULL },
};
