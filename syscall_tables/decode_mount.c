/* decode_mount.c - mount, umount2, pivot_root, chroot and the new mount API
 * (open_tree, move_mount, fsopen, fsconfig, fsmount, fspick, mount_setattr). */
#include <string.h>

#include "decode.h"

#define MS_REMOUNT (1u << 5)
#define MS_BIND (1u << 12)
#define MS_MOVE (1u << 13)
#define MS_PROPAGATION ((1u << 17) | (1u << 18) | (1u << 19) | (1u << 20))
#define MS_MGC_VAL 0xc0ed0000u /* pre-2.4 magic in the high half, still accepted */
#define MS_MGC_MSK 0xffff0000u
#define MOUNT_ATTR_IDMAP 0x100000u

/* filesystemtype and data mean nothing for a remount (type) or a bind, move or
 * propagation change (both); strace prints them as addresses then. */
static void mount_entry(struct dcall *c)
{
	uint64_t flags = c->args[3];
	bool old_magic = (flags & MS_MGC_MSK) == MS_MGC_VAL;
	if (old_magic)
		flags &= ~(uint64_t)MS_MGC_MSK;
	bool ignore_type = false, ignore_data = false;
	if (flags & MS_REMOUNT)
		ignore_type = true;
	else if (flags & (MS_BIND | MS_MOVE | MS_PROPAGATION))
		ignore_type = ignore_data = true;

	dc_put(c, dc_path(c, "source", c->args[0]));
	dc_put(c, dc_path(c, "target", c->args[1]));
	dc_put(c, ignore_type ? av_addr(c->a, "filesystemtype", c->args[2])
			      : dc_str(c, "filesystemtype", c->args[2]));
	struct av *f;
	if (old_magic && !flags) {
		f = av_sym(c->a, "mountflags", "MS_MGC_VAL", c->args[3]);
	} else {
		f = av_xflags(c->a, "mountflags", &xl_mount_flags, flags);
		if (old_magic) {
			const char **names = arena_alloc(c->a, (f->nnames + 1) * sizeof(*names));
			names[0] = "MS_MGC_VAL";
			memcpy(names + 1, f->names, f->nnames * sizeof(*names));
			f->names = names;
			f->nnames++;
			f->comment = NULL;
			f->u = c->args[3];
		}
	}
	dc_put(c, f);
	dc_put(c, ignore_data ? av_addr(c->a, "data", c->args[4]) : dc_str(c, "data", c->args[4]));
}

static void umount2_entry(struct dcall *c)
{
	dc_put(c, dc_path(c, "target", c->args[0]));
	dc_put(c, av_xflags(c->a, "flags", &xl_umount_flags, (uint32_t)c->args[1]));
}

static void pivot_root_entry(struct dcall *c)
{
	dc_put(c, dc_path(c, "new_root", c->args[0]));
	dc_put(c, dc_path(c, "put_old", c->args[1]));
}

static void chroot_entry(struct dcall *c)
{
	dc_put(c, dc_path(c, "path", c->args[0]));
}

static void open_tree_entry(struct dcall *c)
{
	dc_put(c, dc_dirfd(c, "dirfd", c->args[0]));
	dc_put(c, dc_path(c, "pathname", c->args[1]));
	dc_put(c, av_xflags(c->a, "flags", &xl_open_tree_flags, (uint32_t)c->args[2]));
}

static void move_mount_entry(struct dcall *c)
{
	dc_put(c, dc_dirfd(c, "from_dirfd", c->args[0]));
	dc_put(c, dc_path(c, "from_pathname", c->args[1]));
	dc_put(c, dc_dirfd(c, "to_dirfd", c->args[2]));
	dc_put(c, dc_path(c, "to_pathname", c->args[3]));
	dc_put(c, av_xflags(c->a, "flags", &xl_move_mount_flags, (uint32_t)c->args[4]));
}

static void fsopen_entry(struct dcall *c)
{
	dc_put(c, dc_str(c, "fsname", c->args[0]));
	dc_put(c, av_xflags(c->a, "flags", &xl_fsopen_flags, (uint32_t)c->args[1]));
}

enum { FS_SET_FLAG, FS_SET_STRING, FS_SET_BINARY, FS_SET_PATH, FS_SET_PATH_EMPTY, FS_SET_FD };

/* Each command says what key, value and aux are (see fsconfig(2)). */
static void fsconfig_entry(struct dcall *c)
{
	uint32_t cmd = (uint32_t)c->args[1];
	uint64_t key = c->args[2], value = c->args[3];
	int32_t aux = (int32_t)c->args[4];
	dc_put(c, dc_fd(c, "fd", c->args[0]));
	dc_put(c, av_xval(c->a, "cmd", &xl_fsconfig_cmds, cmd));
	dc_put(c, cmd <= FS_SET_FD ? dc_strn0(c, "key", key, 256) : av_addr(c->a, "key", key));
	switch (cmd) {
	case FS_SET_STRING:
		dc_put(c, dc_strn0(c, "value", value, 256));
		break;
	case FS_SET_PATH:
	case FS_SET_PATH_EMPTY:
		dc_put(c, dc_path(c, "value", value));
		break;
	case FS_SET_BINARY:
		if (aux >= 0 && aux <= 1024 * 1024) {
			dc_put(c, dc_buf(c, "value", value, (uint64_t)aux));
			break;
		}
		/* fall through */
	default:
		dc_put(c, av_addr(c->a, "value", value));
		break;
	}
	if (cmd == FS_SET_PATH || cmd == FS_SET_PATH_EMPTY)
		dc_put(c, dc_dirfd(c, "aux", c->args[4]));
	else if (cmd == FS_SET_FD)
		dc_put(c, dc_fd(c, "aux", c->args[4]));
	else
		dc_put(c, av_int(c->a, "aux", aux));
}

static void fsmount_entry(struct dcall *c)
{
	dc_put(c, dc_fd(c, "fs_fd", c->args[0]));
	dc_put(c, av_xflags(c->a, "flags", &xl_fsmount_flags, (uint32_t)c->args[1]));
	dc_put(c, av_xflags(c->a, "attr_flags", &xl_mount_attr, (uint32_t)c->args[2]));
}

static void fspick_entry(struct dcall *c)
{
	dc_put(c, dc_dirfd(c, "dirfd", c->args[0]));
	dc_put(c, dc_path(c, "pathname", c->args[1]));
	dc_put(c, av_xflags(c->a, "flags", &xl_fspick_flags, (uint32_t)c->args[2]));
}

struct mount_attr_v0 {
	uint64_t attr_set, attr_clr, propagation, userns_fd;
};

/* struct mount_attr; userns_fd is an fd only for idmapped mounts. */
static struct av *mount_attr_value(struct dcall *c, uint64_t addr, uint64_t size)
{
	struct mount_attr_v0 ma;
	if (size < sizeof(ma))
		return av_addr(c->a, "attr", addr);
	if (!dc_read(c, addr, &ma, sizeof(ma))) {
		struct av *v = av_addr(c->a, "attr", addr);
		v->unreadable = addr != 0;
		return v;
	}
	struct av *s = dc_struct(c, "attr", 4);
	dc_field(s, "attr_set", av_xflags(c->a, NULL, &xl_mount_attr_idmap, ma.attr_set));
	dc_field(s, "attr_clr", av_xflags(c->a, NULL, &xl_mount_attr_idmap, ma.attr_clr));
	dc_field(s, "propagation", av_xval(c->a, NULL, &xl_mount_propagation, ma.propagation));
	if (ma.userns_fd > 0x7fffffff || !((ma.attr_set | ma.attr_clr) & MOUNT_ATTR_IDMAP))
		dc_field(s, "userns_fd", av_uint(c->a, NULL, ma.userns_fd));
	else
		dc_field(s, "userns_fd", dc_fd(c, NULL, ma.userns_fd));
	s->u = addr;
	return s;
}

static void mount_setattr_entry(struct dcall *c)
{
	dc_put(c, dc_dirfd(c, "dirfd", c->args[0]));
	dc_put(c, dc_path(c, "pathname", c->args[1]));
	dc_put(c, av_xflags(c->a, "flags", &xl_mount_setattr_flags, (uint32_t)c->args[2]));
	dc_put(c, mount_attr_value(c, c->args[3], c->args[4]));
	dc_put(c, av_uint(c->a, "size", c->args[4]));
}

const struct decoder decoders_mount[] = {
	{ "mount", mount_entry, NULL },
	{ "umount2", umount2_entry, NULL },
	{ "pivot_root", pivot_root_entry, NULL },
	{ "chroot", chroot_entry, NULL },
	{ "open_tree", open_tree_entry, NULL },
	{ "move_mount", move_mount_entry, NULL },
	{ "fsopen", fsopen_entry, NULL },
	{ "fsconfig", fsconfig_entry, NULL },
	{ "fsmount", fsmount_entry, NULL },
	{ "fspick", fspick_entry, NULL },
	{ "mount_setattr", mount_setattr_entry, NULL },
	{ NULL, NULL, NULL },
};
