/* xlat_file.c - constants of the path and fd syscalls: access(2) modes,
 * faccessat2/fchmodat2 flags, statx(2) sync types, masks and attributes,
 * rename flags, fcntl(2) commands, fd flags, seals, lock types, dnotify
 * flags, lseek whence, close_range flags. Kernel uapi values, strace's order. */
#include "xlat.h"

XLAT_DEFINE(xl_access_modes, "?_OK", { 0, "F_OK" }, { 4, "R_OK" }, { 2, "W_OK" }, { 1, "X_OK" });

XLAT_DEFINE(xl_faccessat_flags, "AT_???", { 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x200, "AT_EACCESS" },
	    { 0x1000, "AT_EMPTY_PATH" });

XLAT_DEFINE(xl_fchmodat_flags, "AT_???", { 0x100, "AT_SYMLINK_NOFOLLOW" },
	    { 0x1000, "AT_EMPTY_PATH" });

/* AT_STATX_SYNC_TYPE (0x6000) is both bits: strace names them one by one. */
XLAT_DEFINE(xl_statx_sync_types, NULL, { 0x2000, "AT_STATX_FORCE_SYNC" },
	    { 0x4000, "AT_STATX_DONT_SYNC" });

/* The compound masks first, as strace: 0xfff is STATX_ALL, 0x7ff STATX_BASIC_STATS. */
XLAT_DEFINE(xl_statx_masks, "STATX_???", { 0xfff, "STATX_ALL" }, { 0x7ff, "STATX_BASIC_STATS" },
	    { 0x1, "STATX_TYPE" }, { 0x2, "STATX_MODE" }, { 0x4, "STATX_NLINK" },
	    { 0x8, "STATX_UID" }, { 0x10, "STATX_GID" }, { 0x20, "STATX_ATIME" },
	    { 0x40, "STATX_MTIME" }, { 0x80, "STATX_CTIME" }, { 0x100, "STATX_INO" },
	    { 0x200, "STATX_SIZE" }, { 0x400, "STATX_BLOCKS" }, { 0x800, "STATX_BTIME" },
	    { 0x1000, "STATX_MNT_ID" }, { 0x2000, "STATX_DIOALIGN" },
	    { 0x4000, "STATX_MNT_ID_UNIQUE" }, { 0x8000, "STATX_SUBVOL" },
	    { 0x10000, "STATX_WRITE_ATOMIC" }, { 0x20000, "STATX_DIO_READ_ALIGN" });

XLAT_DEFINE(xl_statx_attrs, "STATX_ATTR_???", { 0x4, "STATX_ATTR_COMPRESSED" },
	    { 0x10, "STATX_ATTR_IMMUTABLE" }, { 0x20, "STATX_ATTR_APPEND" },
	    { 0x40, "STATX_ATTR_NODUMP" }, { 0x800, "STATX_ATTR_ENCRYPTED" },
	    { 0x1000, "STATX_ATTR_AUTOMOUNT" }, { 0x2000, "STATX_ATTR_MOUNT_ROOT" },
	    { 0x100000, "STATX_ATTR_VERITY" }, { 0x200000, "STATX_ATTR_DAX" },
	    { 0x400000, "STATX_ATTR_WRITE_ATOMIC" });

XLAT_DEFINE(xl_rename_flags, "RENAME_??", { 1, "RENAME_NOREPLACE" }, { 2, "RENAME_EXCHANGE" },
	    { 4, "RENAME_WHITEOUT" });

XLAT_DEFINE(xl_fcntl_cmds, "F_???", { 0, "F_DUPFD" }, { 1, "F_GETFD" }, { 2, "F_SETFD" },
	    { 3, "F_GETFL" }, { 4, "F_SETFL" }, { 5, "F_GETLK" }, { 6, "F_SETLK" },
	    { 7, "F_SETLKW" }, { 8, "F_SETOWN" }, { 9, "F_GETOWN" }, { 10, "F_SETSIG" },
	    { 11, "F_GETSIG" }, { 12, "F_GETLK64" }, { 13, "F_SETLK64" }, { 14, "F_SETLKW64" },
	    { 15, "F_SETOWN_EX" }, { 16, "F_GETOWN_EX" }, { 17, "F_GETOWNER_UIDS" },
	    { 36, "F_OFD_GETLK" }, { 37, "F_OFD_SETLK" }, { 38, "F_OFD_SETLKW" },
	    { 1024, "F_SETLEASE" }, { 1025, "F_GETLEASE" }, { 1026, "F_NOTIFY" },
	    { 1027, "F_DUPFD_QUERY" }, { 1028, "F_CREATED_QUERY" }, { 1029, "F_CANCELLK" },
	    { 1030, "F_DUPFD_CLOEXEC" }, { 1031, "F_SETPIPE_SZ" }, { 1032, "F_GETPIPE_SZ" },
	    { 1033, "F_ADD_SEALS" }, { 1034, "F_GET_SEALS" });

XLAT_DEFINE(xl_fd_flags, "FD_???", { 1, "FD_CLOEXEC" });

XLAT_DEFINE(xl_f_seals, "F_SEAL_???", { 0x1, "F_SEAL_SEAL" }, { 0x2, "F_SEAL_SHRINK" },
	    { 0x4, "F_SEAL_GROW" }, { 0x8, "F_SEAL_WRITE" }, { 0x10, "F_SEAL_FUTURE_WRITE" },
	    { 0x20, "F_SEAL_EXEC" });

XLAT_DEFINE(xl_lock_types, "F_???", { 0, "F_RDLCK" }, { 1, "F_WRLCK" }, { 2, "F_UNLCK" },
	    { 4, "F_EXLCK" }, { 8, "F_SHLCK" });

XLAT_DEFINE(xl_notify_flags, "DN_???", { 0x1, "DN_ACCESS" }, { 0x2, "DN_MODIFY" },
	    { 0x4, "DN_CREATE" }, { 0x8, "DN_DELETE" }, { 0x10, "DN_RENAME" },
	    { 0x20, "DN_ATTRIB" }, { 0x80000000u, "DN_MULTISHOT" });

XLAT_DEFINE(xl_f_owner_types, "F_OWNER_???", { 0, "F_OWNER_TID" }, { 1, "F_OWNER_PID" },
	    { 2, "F_OWNER_PGRP" });

XLAT_DEFINE(xl_whence, "SEEK_???", { 0, "SEEK_SET" }, { 1, "SEEK_CUR" }, { 2, "SEEK_END" },
	    { 3, "SEEK_DATA" }, { 4, "SEEK_HOLE" });

XLAT_DEFINE(xl_close_range_flags, "CLOSE_RANGE_???", { 2, "CLOSE_RANGE_UNSHARE" },
	    { 4, "CLOSE_RANGE_CLOEXEC" });
