/* decode_path.c - the pathname syscalls a runtime makes besides openat and
 * mount: open, creat, access/faccessat*, readlink*, mkdir*, unlink*, rmdir,
 * chdir, rename*, link*, symlink, chmod/fchmodat*, chown/lchown/fchownat,
 * truncate, getcwd, umask. As strace prints them: paths in full, *at flags
 * by name, modes in octal, readlink's and getcwd's buffers at exit. */
#include "decode.h"

#define O_CREAT_K 0100
#define O_TMPFILE_BIT 020000000

static void open_entry(struct dcall *c)
{
	uint32_t flags = (uint32_t)c->args[1];
	dc_put(c, dc_path(c, "pathname", c->args[0]));
	dc_put(c, dc_open_flags(c, "flags", flags));
	if (flags & (O_CREAT_K | O_TMPFILE_BIT))
		dc_put(c, dc_umode(c, "mode", c->args[2]));
}

static void creat_entry(struct dcall *c)
{
	dc_put(c, dc_path(c, "pathname", c->args[0]));
	dc_put(c, dc_umode(c, "mode", c->args[1]));
}

/* access(pathname, mode) from argument i on: faccessat's dirfd comes first. */
static void access_args(struct dcall *c, int i)
{
	dc_put(c, dc_path(c, "pathname", c->args[i]));
	dc_put(c, av_xflags(c->a, "mode", &xl_access_modes, c->args[i + 1]));
}

static void access_entry(struct dcall *c)
{
	access_args(c, 0);
}

static void faccessat_entry(struct dcall *c)
{
	dc_put(c, dc_dirfd(c, "dirfd", c->args[0]));
	access_args(c, 1);
}

static void faccessat2_entry(struct dcall *c)
{
	faccessat_entry(c);
	dc_put(c, av_xflags(c->a, "flags", &xl_faccessat_flags, c->args[3]));
}

/* The buffer is output only: an address at entry, the link at exit. */
static void readlink_args(struct dcall *c, int i)
{
	dc_put(c, dc_path(c, "pathname", c->args[i]));
	dc_put(c, av_addr(c->a, "buf", c->args[i + 1]));
	dc_put(c, av_uint(c->a, "bufsiz", c->args[i + 2]));
}

static void readlink_entry(struct dcall *c)
{
	readlink_args(c, 0);
}

static void readlinkat_entry(struct dcall *c)
{
	dc_put(c, dc_dirfd(c, "dirfd", c->args[0]));
	readlink_args(c, 1);
}

/* The kernel neither counts nor writes a NUL: the returned length of bytes,
 * cut at -s (strace's printstrn). */
static void readlink_exit(struct dcall *c)
{
	struct av *slot = dc_arg(c, "buf");
	if (!slot || c->failed || c->ret < 0)
		return;
	dc_replace(slot, dc_buf(c, NULL, slot->u, (uint64_t)c->ret));
}

static void mkdir_entry(struct dcall *c)
{
	dc_put(c, dc_path(c, "pathname", c->args[0]));
	dc_put(c, dc_umode(c, "mode", c->args[1]));
}

static void mkdirat_entry(struct dcall *c)
{
	dc_put(c, dc_dirfd(c, "dirfd", c->args[0]));
	dc_put(c, dc_path(c, "pathname", c->args[1]));
	dc_put(c, dc_umode(c, "mode", c->args[2]));
}

static void pathname_entry(struct dcall *c) /* unlink, rmdir */
{
	dc_put(c, dc_path(c, "pathname", c->args[0]));
}

static void path_entry(struct dcall *c) /* chdir */
{
	dc_put(c, dc_path(c, "path", c->args[0]));
}

static void unlinkat_entry(struct dcall *c)
{
	dc_put(c, dc_dirfd(c, "dirfd", c->args[0]));
	dc_put(c, dc_path(c, "pathname", c->args[1]));
	dc_put(c, av_xflags(c->a, "flags", &xl_at_flags, c->args[2]));
}

static void two_paths_entry(struct dcall *c) /* rename, link */
{
	dc_put(c, dc_path(c, "oldpath", c->args[0]));
	dc_put(c, dc_path(c, "newpath", c->args[1]));
}

/* A symlink's target is text stored in the link, not a path resolved now: no
 * fd path for "/proc/self/fd/N" there. */
static void symlink_entry(struct dcall *c)
{
	dc_put(c, dc_cstr(c, "target", c->args[0], DC_PATH_MAX));
	dc_put(c, dc_path(c, "linkpath", c->args[1]));
}

static void renameat_entry(struct dcall *c)
{
	dc_put(c, dc_dirfd(c, "olddirfd", c->args[0]));
	dc_put(c, dc_path(c, "oldpath", c->args[1]));
	dc_put(c, dc_dirfd(c, "newdirfd", c->args[2]));
	dc_put(c, dc_path(c, "newpath", c->args[3]));
}

static void renameat2_entry(struct dcall *c)
{
	renameat_entry(c);
	dc_put(c, av_xflags(c->a, "flags", &xl_rename_flags, c->args[4]));
}

static void linkat_entry(struct dcall *c)
{
	renameat_entry(c);
	dc_put(c, av_xflags(c->a, "flags", &xl_at_flags, c->args[4]));
}

static void chmod_entry(struct dcall *c)
{
	dc_put(c, dc_path(c, "pathname", c->args[0]));
	dc_put(c, dc_umode(c, "mode", c->args[1]));
}

static void fchmodat_entry(struct dcall *c)
{
	dc_put(c, dc_dirfd(c, "dirfd", c->args[0]));
	dc_put(c, dc_path(c, "pathname", c->args[1]));
	dc_put(c, dc_umode(c, "mode", c->args[2]));
}

static void fchmodat2_entry(struct dcall *c)
{
	fchmodat_entry(c);
	dc_put(c, av_xflags(c->a, "flags", &xl_fchmodat_flags, c->args[3]));
}

static void chown_entry(struct dcall *c) /* chown, lchown */
{
	dc_put(c, dc_path(c, "pathname", c->args[0]));
	dc_put(c, dc_id(c, "owner", c->args[1]));
	dc_put(c, dc_id(c, "group", c->args[2]));
}

static void fchownat_entry(struct dcall *c)
{
	dc_put(c, dc_dirfd(c, "dirfd", c->args[0]));
	dc_put(c, dc_path(c, "pathname", c->args[1]));
	dc_put(c, dc_id(c, "owner", c->args[2]));
	dc_put(c, dc_id(c, "group", c->args[3]));
	dc_put(c, av_xflags(c->a, "flags", &xl_at_flags, c->args[4]));
}

static void truncate_entry(struct dcall *c)
{
	dc_put(c, dc_path(c, "path", c->args[0]));
	dc_put(c, av_uint(c->a, "length", c->args[1]));
}

static void getcwd_entry(struct dcall *c)
{
	dc_put(c, av_addr(c->a, "buf", c->args[0]));
	dc_put(c, av_uint(c->a, "size", c->args[1]));
}

/* The returned length counts the NUL; it is the tracee's word (the kernel's
 * here, but a decoder trusts no length): at most a path's. */
static void getcwd_exit(struct dcall *c)
{
	struct av *slot = dc_arg(c, "buf");
	if (!slot || c->failed || c->ret <= 0)
		return;
	size_t len = (size_t)c->ret - 1;
	dc_replace(slot, dc_cstr(c, NULL, slot->u, len < DC_PATH_MAX ? len : DC_PATH_MAX));
}

static void umask_entry(struct dcall *c)
{
	dc_put(c, dc_umode(c, "mask", c->args[0]));
}

const struct decoder decoders_path[] = {
	{ "open", open_entry, NULL },
	{ "creat", creat_entry, NULL },
	{ "access", access_entry, NULL },
	{ "faccessat", faccessat_entry, NULL },
	{ "faccessat2", faccessat2_entry, NULL },
	{ "readlink", readlink_entry, readlink_exit },
	{ "readlinkat", readlinkat_entry, readlink_exit },
	{ "mkdir", mkdir_entry, NULL },
	{ "mkdirat", mkdirat_entry, NULL },
	{ "unlink", pathname_entry, NULL },
	{ "rmdir", pathname_entry, NULL },
	{ "unlinkat", unlinkat_entry, NULL },
	{ "chdir", path_entry, NULL },
	{ "rename", two_paths_entry, NULL },
	{ "renameat", renameat_entry, NULL },
	{ "renameat2", renameat2_entry, NULL },
	{ "link", two_paths_entry, NULL },
	{ "linkat", linkat_entry, NULL },
	{ "symlink", symlink_entry, NULL },
	{ "chmod", chmod_entry, NULL },
	{ "fchmodat", fchmodat_entry, NULL },
	{ "fchmodat2", fchmodat2_entry, NULL },
	{ "chown", chown_entry, NULL },
	{ "lchown", chown_entry, NULL },
	{ "fchownat", fchownat_entry, NULL },
	{ "truncate", truncate_entry, NULL },
	{ "getcwd", getcwd_entry, getcwd_exit },
	{ "umask", umask_entry, NULL },
	{ NULL, NULL, NULL },
};
