/* decode_stat.c - stat, lstat, fstat, newfstatat, statx, statfs, fstatfs.
 *
 * The result buffer is an address at entry; after a successful call it
 * becomes strace's abbreviated struct: {st_mode=S_IFREG|0644, st_size=N, ...}
 * (st_rdev for devices) and {stx_mask=..., stx_attributes=..., stx_mode=...,
 * stx_size=N, ...}. statfs buffers stay addresses. */
#include "decode.h"

/* struct stat as the x86_64 kernel writes it (arch/x86/include/uapi/asm/stat.h). */
struct kstat64 {
	uint64_t st_dev, st_ino, st_nlink;
	uint32_t st_mode, st_uid, st_gid, pad0;
	uint64_t st_rdev;
	int64_t st_size, st_blksize, st_blocks;
	uint64_t times[6];
	int64_t unused[3];
};

/* The head of struct statx (include/uapi/linux/stat.h); strace reads all 256 bytes. */
struct kstatx {
	uint32_t stx_mask, stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink, stx_uid, stx_gid;
	uint16_t stx_mode, spare0;
	uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	unsigned char rest[256 - 64];
};

#define S_IFMT_K 0170000
#define S_IFCHR_K 0020000
#define S_IFBLK_K 0060000
#define AT_STATX_SYNC_TYPE_K 0x6000u

static void stat_exit(struct dcall *c)
{
	struct av *slot = dc_arg(c, "statbuf");
	struct kstat64 st;
	if (!slot || c->failed)
		return;
	uint64_t addr = slot->u;
	if (!dc_read(c, addr, &st, sizeof(st))) {
		dc_replace(slot, dc_bad_addr(c, NULL, addr));
		return;
	}
	struct av *s = dc_struct(c, NULL, 2);
	dc_field(s, "st_mode", dc_symbolic_mode(c, NULL, st.st_mode));
	uint32_t type = st.st_mode & S_IFMT_K;
	if (type == S_IFCHR_K || type == S_IFBLK_K)
		dc_field(s, "st_rdev", dc_dev(c, NULL, st.st_rdev));
	else
		dc_field(s, "st_size", av_uint(c->a, NULL, (uint64_t)st.st_size));
	s->more = true;
	s->u = addr;
	dc_replace(slot, s);
}

static void stat_entry(struct dcall *c) /* stat, lstat */
{
	dc_put(c, dc_path(c, "pathname", c->args[0]));
	dc_put(c, av_addr(c->a, "statbuf", c->args[1]));
}

static void fstat_entry(struct dcall *c)
{
	dc_put(c, dc_fd(c, "fd", c->args[0]));
	dc_put(c, av_addr(c->a, "statbuf", c->args[1]));
}

static void newfstatat_entry(struct dcall *c)
{
	dc_put(c, dc_dirfd(c, "dirfd", c->args[0]));
	dc_put(c, dc_path(c, "pathname", c->args[1]));
	dc_put(c, av_addr(c->a, "statbuf", c->args[2]));
	dc_put(c, av_xflags(c->a, "flags", &xl_at_flags, c->args[3]));
}

/* AT_STATX_SYNC_AS_STAT (no sync bit) or the sync bits by name, then the
 * AT_* flags, then what no name covers in hex (no "???" comment: strace
 * always has a name in front). */
static struct av *statx_flags(struct dcall *c, uint32_t flags)
{
	struct av *f = av_xflags(c->a, "flags", &xl_statx_sync_types, flags & AT_STATX_SYNC_TYPE_K);
	if (f->nnames == 0)
		av_flags_append(c->a, f, "AT_STATX_SYNC_AS_STAT");
	struct av *at = av_xflags(c->a, NULL, &xl_at_flags, flags & ~AT_STATX_SYNC_TYPE_K);
	for (size_t i = 0; i < at->nnames; i++)
		av_flags_append(c->a, f, at->names[i]);
	f->unknown = at->unknown;
	f->u = flags;
	f->i = flags;
	f->comment = NULL;
	return f;
}

static void statx_entry(struct dcall *c)
{
	dc_put(c, dc_dirfd(c, "dirfd", c->args[0]));
	dc_put(c, dc_path(c, "pathname", c->args[1]));
	dc_put(c, statx_flags(c, (uint32_t)c->args[2]));
	dc_put(c, av_xflags(c->a, "mask", &xl_statx_masks, c->args[3]));
	dc_put(c, av_addr(c->a, "statxbuf", c->args[4]));
}

static void statx_exit(struct dcall *c)
{
	struct av *slot = dc_arg(c, "statxbuf");
	struct kstatx stx;
	if (!slot || c->failed)
		return;
	uint64_t addr = slot->u;
	if (!dc_read(c, addr, &stx, sizeof(stx))) {
		dc_replace(slot, dc_bad_addr(c, NULL, addr));
		return;
	}
	struct av *s = dc_struct(c, NULL, 4);
	dc_field(s, "stx_mask", av_xflags(c->a, NULL, &xl_statx_masks, stx.stx_mask));
	dc_field(s, "stx_attributes", av_xflags(c->a, NULL, &xl_statx_attrs, stx.stx_attributes));
	dc_field(s, "stx_mode", dc_symbolic_mode(c, NULL, stx.stx_mode));
	dc_field(s, "stx_size", av_uint(c->a, NULL, stx.stx_size));
	s->more = true;
	s->u = addr;
	dc_replace(slot, s);
}

static void statfs_entry(struct dcall *c)
{
	dc_put(c, dc_path(c, "path", c->args[0]));
	dc_put(c, av_addr(c->a, "buf", c->args[1]));
}

static void fstatfs_entry(struct dcall *c)
{
	dc_put(c, dc_fd(c, "fd", c->args[0]));
	dc_put(c, av_addr(c->a, "buf", c->args[1]));
}

const struct decoder decoders_stat[] = {
	{ "stat", stat_entry, stat_exit },
	{ "lstat", stat_entry, stat_exit },
	{ "fstat", fstat_entry, stat_exit },
	{ "newfstatat", newfstatat_entry, stat_exit },
	{ "statx", statx_entry, statx_exit },
	{ "statfs", statfs_entry, NULL },
	{ "fstatfs", fstatfs_entry, NULL },
	{ NULL, NULL, NULL },
};
