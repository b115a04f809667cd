/* xlat_mount.c - mount(2), umount2(2), the new mount API, openat/openat2 and
 * *at(2) constants. Values are the kernel's uapi numbers (written out: glibc's
 * <sys/mount.h> and <linux/mount.h> cannot both be included). */
#include "xlat.h"

XLAT_DEFINE(xl_mount_flags, "MS_???", { 1u << 0, "MS_RDONLY" }, { 1u << 1, "MS_NOSUID" },
	    { 1u << 2, "MS_NODEV" }, { 1u << 3, "MS_NOEXEC" }, { 1u << 4, "MS_SYNCHRONOUS" },
	    { 1u << 5, "MS_REMOUNT" }, { 1u << 6, "MS_MANDLOCK" }, { 1u << 7, "MS_DIRSYNC" },
	    { 1u << 8, "MS_NOSYMFOLLOW" }, { 1u << 10, "MS_NOATIME" }, { 1u << 11, "MS_NODIRATIME" },
	    { 1u << 12, "MS_BIND" }, { 1u << 13, "MS_MOVE" }, { 1u << 14, "MS_REC" },
	    { 1u << 15, "MS_SILENT" }, { 1u << 16, "MS_POSIXACL" }, { 1u << 17, "MS_UNBINDABLE" },
	    { 1u << 18, "MS_PRIVATE" }, { 1u << 19, "MS_SLAVE" }, { 1u << 20, "MS_SHARED" },
	    { 1u << 21, "MS_RELATIME" }, { 1u << 22, "MS_KERNMOUNT" }, { 1u << 23, "MS_I_VERSION" },
	    { 1u << 24, "MS_STRICTATIME" }, { 1u << 25, "MS_LAZYTIME" }, { 1u << 26, "MS_SUBMOUNT" },
	    { 1u << 27, "MS_NOREMOTELOCK" }, { 1u << 28, "MS_NOSEC" }, { 1u << 29, "MS_BORN" },
	    { 1u << 30, "MS_ACTIVE" }, { 1u << 31, "MS_NOUSER" });

XLAT_DEFINE(xl_umount_flags, "MNT_???", { 1, "MNT_FORCE" }, { 2, "MNT_DETACH" },
	    { 4, "MNT_EXPIRE" }, { 8, "UMOUNT_NOFOLLOW" });

XLAT_DEFINE(xl_open_tree_flags, "OPEN_TREE_???", { 1, "OPEN_TREE_CLONE" },
	    { 02000000, "OPEN_TREE_CLOEXEC" }, { 0x100, "AT_SYMLINK_NOFOLLOW" },
	    { 0x800, "AT_NO_AUTOMOUNT" }, { 0x1000, "AT_EMPTY_PATH" }, { 0x8000, "AT_RECURSIVE" });

XLAT_DEFINE(xl_mount_setattr_flags, "AT_???", { 0x100, "AT_SYMLINK_NOFOLLOW" },
	    { 0x800, "AT_NO_AUTOMOUNT" }, { 0x1000, "AT_EMPTY_PATH" }, { 0x8000, "AT_RECURSIVE" });

XLAT_DEFINE(xl_move_mount_flags, "MOVE_MOUNT_???", { 0x1, "MOVE_MOUNT_F_SYMLINKS" },
	    { 0x2, "MOVE_MOUNT_F_AUTOMOUNTS" }, { 0x4, "MOVE_MOUNT_F_EMPTY_PATH" },
	    { 0x10, "MOVE_MOUNT_T_SYMLINKS" }, { 0x20, "MOVE_MOUNT_T_AUTOMOUNTS" },
	    { 0x40, "MOVE_MOUNT_T_EMPTY_PATH" }, { 0x100, "MOVE_MOUNT_SET_GROUP" },
	    { 0x200, "MOVE_MOUNT_BENEATH" });

XLAT_DEFINE(xl_fsopen_flags, "FSOPEN_???", { 1, "FSOPEN_CLOEXEC" });
XLAT_DEFINE(xl_fsmount_flags, "FSMOUNT_???", { 1, "FSMOUNT_CLOEXEC" });
XLAT_DEFINE(xl_fspick_flags, "FSPICK_???", { 1, "FSPICK_CLOEXEC" },
	    { 2, "FSPICK_SYMLINK_NOFOLLOW" }, { 4, "FSPICK_NO_AUTOMOUNT" },
	    { 8, "FSPICK_EMPTY_PATH" });

XLAT_DEFINE(xl_fsconfig_cmds, "FSCONFIG_???", { 0, "FSCONFIG_SET_FLAG" },
	    { 1, "FSCONFIG_SET_STRING" }, { 2, "FSCONFIG_SET_BINARY" }, { 3, "FSCONFIG_SET_PATH" },
	    { 4, "FSCONFIG_SET_PATH_EMPTY" }, { 5, "FSCONFIG_SET_FD" }, { 6, "FSCONFIG_CMD_CREATE" },
	    { 7, "FSCONFIG_CMD_RECONFIGURE" }, { 8, "FSCONFIG_CMD_CREATE_EXCL" });

/* fsmount(2) attr_flags. */
XLAT_DEFINE(xl_mount_attr, "MOUNT_ATTR_???", { 0x1, "MOUNT_ATTR_RDONLY" },
	    { 0x2, "MOUNT_ATTR_NOSUID" }, { 0x4, "MOUNT_ATTR_NODEV" }, { 0x8, "MOUNT_ATTR_NOEXEC" },
	    { 0x10, "MOUNT_ATTR_NOATIME" }, { 0x20, "MOUNT_ATTR_STRICTATIME" },
	    { 0x80, "MOUNT_ATTR_NODIRATIME" });

/* struct mount_attr attr_set / attr_clr. */
XLAT_DEFINE(xl_mount_attr_idmap, "MOUNT_ATTR_???", { 0x1, "MOUNT_ATTR_RDONLY" },
	    { 0x2, "MOUNT_ATTR_NOSUID" }, { 0x4, "MOUNT_ATTR_NODEV" }, { 0x8, "MOUNT_ATTR_NOEXEC" },
	    { 0x70, "MOUNT_ATTR__ATIME" }, { 0x10, "MOUNT_ATTR_NOATIME" },
	    { 0x20, "MOUNT_ATTR_STRICTATIME" }, { 0x80, "MOUNT_ATTR_NODIRATIME" },
	    { 0x100000, "MOUNT_ATTR_IDMAP" }, { 0x200000, "MOUNT_ATTR_NOSYMFOLLOW" });

XLAT_DEFINE(xl_mount_propagation, "MS_???", { 1u << 17, "MS_UNBINDABLE" },
	    { 1u << 18, "MS_PRIVATE" }, { 1u << 19, "MS_SLAVE" }, { 1u << 20, "MS_SHARED" });

XLAT_DEFINE(xl_resolve_flags, "RESOLVE_???", { 0x01, "RESOLVE_NO_XDEV" },
	    { 0x02, "RESOLVE_NO_MAGICLINKS" }, { 0x04, "RESOLVE_NO_SYMLINKS" },
	    { 0x08, "RESOLVE_BENEATH" }, { 0x10, "RESOLVE_IN_ROOT" }, { 0x20, "RESOLVE_CACHED" });

XLAT_DEFINE(xl_open_access, "O_???", { 0, "O_RDONLY" }, { 1, "O_WRONLY" }, { 2, "O_RDWR" },
	    { 3, "O_ACCMODE" });

/* The kernel's x86_64 values (glibc defines O_LARGEFILE as 0), strace's order:
 * compound flags (O_SYNC, O_TMPFILE) before the bits they contain. */
XLAT_DEFINE(xl_open_flags, "O_???", { 0100, "O_CREAT" }, { 0200, "O_EXCL" },
	    { 0400, "O_NOCTTY" }, { 01000, "O_TRUNC" }, { 02000, "O_APPEND" },
	    { 04000, "O_NONBLOCK" }, { 04010000, "O_SYNC" }, { 04000000, "__O_SYNC" },
	    { 010000, "O_DSYNC" }, { 040000, "O_DIRECT" }, { 0100000, "O_LARGEFILE" },
	    { 0400000, "O_NOFOLLOW" }, { 01000000, "O_NOATIME" }, { 02000000, "O_CLOEXEC" },
	    { 010000000, "O_PATH" }, { 020200000, "O_TMPFILE" }, { 020000000, "__O_TMPFILE" },
	    { 0200000, "O_DIRECTORY" }, { 020000, "FASYNC" });

XLAT_DEFINE(xl_at_flags, "AT_???", { 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x200, "AT_REMOVEDIR" },
	    { 0x400, "AT_SYMLINK_FOLLOW" }, { 0x800, "AT_NO_AUTOMOUNT" },
	    { 0x1000, "AT_EMPTY_PATH" }, { 0x8000, "AT_RECURSIVE" });

XLAT_DEFINE(xl_execveat_flags, "AT_???", { 0x100, "AT_SYMLINK_NOFOLLOW" },
	    { 0x1000, "AT_EMPTY_PATH" });

XLAT_DEFINE(xl_file_types, "S_IF???", { 0140000, "S_IFSOCK" }, { 0120000, "S_IFLNK" },
	    { 0100000, "S_IFREG" }, { 0060000, "S_IFBLK" }, { 0040000, "S_IFDIR" },
	    { 0020000, "S_IFCHR" }, { 0010000, "S_IFIFO" });
