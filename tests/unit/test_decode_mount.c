/* test_decode_mount.c - mount, umount2, pivot_root, chroot, the new mount API,
 * openat2, mknodat and symlinkat decoders, rendered as strace prints them. */
#include <criterion/criterion.h>
#include <stdio.h>

#include "test_decode_fakemem.h"

#define MS_RDONLY 1ul
#define MS_NOSUID 2ul
#define MS_NODEV 4ul
#define MS_NOEXEC 8ul
#define MS_REMOUNT 32ul
#define MS_BIND 4096ul
#define MS_MOVE 8192ul
#define MS_REC 16384ul
#define MS_PRIVATE (1ul << 18)
#define MS_SHARED (1ul << 20)
#define AT_FDCWD_U ((uint64_t)-100)

TestSuite(decode_mount, .init = fm_reset);

Test(decode_mount, mount_flags_and_strings)
{
	uint64_t root = fm_str("/"), tmpfs = fm_str("tmpfs"), mnt = fm_str("/mnt");
	uint64_t data = fm_str("size=1m,mode=755\n\t\"x\001\377");
	EXPECT_CALL("mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE, NULL) = 0", "mount", 0, 0, root, 0,
		    MS_REC | MS_PRIVATE, 0);
	EXPECT_CALL("mount(\"tmpfs\", \"/mnt\", \"tmpfs\", MS_NOSUID|MS_NODEV|MS_ACTIVE, "
		    "\"size=1m,mode=755\\n\\t\\\"x\\1\\377\") = -1 EINVAL (Invalid argument)",
		    "mount", -22, tmpfs, mnt, tmpfs, MS_NOSUID | MS_NODEV | 0x40000000, data);
	EXPECT_CALL("mount(\"tmpfs\", \"/mnt\", \"tmpfs\", 0, NULL) = 0", "mount", 0, tmpfs, mnt, tmpfs,
		    0, 0);
	EXPECT_CALL("mount(0x10, 0x20, 0x30, 0, 0x40) = -1 EFAULT (Bad address)", "mount", -14, 0x10,
		    0x20, 0x30, 0, 0x40);
	EXPECT_CALL("mount(\"tmpfs\", \"/mnt\", \"tmpfs\", 0x200 /* MS_??? */, NULL) = 0", "mount", 0,
		    tmpfs, mnt, tmpfs, 0x200, 0);
}

Test(decode_mount, mount_type_and_data_ignored_by_flags)
{
	uint64_t a = fm_str("/a"), b = fm_str("/b"), d = fm_str("ignored");
	char expected[256];
	/* bind: type and data are addresses */
	snprintf(expected, sizeof(expected),
		 "mount(\"/a\", \"/b\", NULL, MS_BIND|MS_REC, %#llx) = 0", (unsigned long long)d);
	EXPECT_CALL(expected, "mount", 0, a, b, 0, MS_BIND | MS_REC, d);
	snprintf(expected, sizeof(expected), "mount(\"/a\", \"/b\", %#llx, MS_MOVE, NULL) = 0",
		 (unsigned long long)d);
	EXPECT_CALL(expected, "mount", 0, a, b, d, MS_MOVE, 0);
	EXPECT_CALL("mount(NULL, \"/b\", NULL, MS_SHARED, NULL) = 0", "mount", 0, 0, b, 0, MS_SHARED,
		    0);
	/* remount: the type is an address, the data a string */
	snprintf(expected, sizeof(expected),
		 "mount(NULL, \"/b\", %#llx, MS_RDONLY|MS_NOSUID|MS_REMOUNT|MS_BIND, \"ignored\") = 0",
		 (unsigned long long)a);
	EXPECT_CALL(expected, "mount", 0, 0, b, a, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID, d);
}

Test(decode_mount, mount_old_magic_and_long_data)
{
	uint64_t t = fm_str("tmpfs"), d = fm_str("/d"), s = fm_str("size=64k");
	uint64_t longd = fm_str("mode=0755,size=65536,nr_inodes=1024,uid=0,gid=0");
	EXPECT_CALL("mount(\"tmpfs\", \"/d\", \"tmpfs\", MS_MGC_VAL, \"size=64k\") = 0", "mount", 0, t,
		    d, t, 0xc0ed0000ul, s);
	EXPECT_CALL("mount(\"tmpfs\", \"/d\", \"tmpfs\", MS_MGC_VAL|MS_RDONLY|MS_NOEXEC, "
		    "\"size=64k\") = 0",
		    "mount", 0, t, d, t, 0xc0ed0000ul | MS_RDONLY | MS_NOEXEC, s);
	EXPECT_CALL("mount(\"tmpfs\", \"/d\", \"tmpfs\", 0, \"mode=0755,size=65536,nr_inodes=1\"...) "
		    "= 0",
		    "mount", 0, t, d, t, 0, longd);
	EXPECT_CALL_S("mount(\"tmpfs\", \"/d\", \"tm\"..., 0, \"mo\"...) = 0", 2, "mount", 0, t, d, t,
		      0, longd);
}

Test(decode_mount, mount_typed_args)
{
	uint64_t t = fm_str("tmpfs"), d = fm_str("/d");
	struct rendered r;
	decode_render_opts(&r, "mount", 0, 32, t, d, t, MS_NOSUID | MS_NODEV | 0x200, 0, 0);
	const struct av *f = arg_named(r.ev, "mountflags");
	cr_assert_eq(f->kind, AV_FLAGS);
	cr_assert_eq(f->nnames, 2);
	cr_assert_eq(f->unknown, 0x200);
	cr_assert_str_eq(arg_named(r.ev, "source")->str, "tmpfs");
	cr_assert_str_eq(arg_named(r.ev, "target")->str, "/d");
	cr_assert_str_eq(arg_named(r.ev, "filesystemtype")->str, "tmpfs");
	cr_assert_eq(arg_named(r.ev, "data")->kind, AV_ADDR);
	rendered_free(&r);
}

Test(decode_mount, umount2_pivot_root_chroot)
{
	uint64_t m = fm_str("/mnt"), dot = fm_str(".");
	EXPECT_CALL("umount2(\"/mnt\", MNT_DETACH|0x100) = -1 EINVAL (Invalid argument)", "umount2",
		    -22, m, 2 | 0x100);
	EXPECT_CALL("umount2(\"/mnt\", 0) = 0", "umount2", 0, m, 0);
	EXPECT_CALL("umount2(\"/mnt\", MNT_FORCE|UMOUNT_NOFOLLOW) = 0", "umount2", 0, m, 9);
	EXPECT_CALL("umount2(\"/mnt\", 0x100 /* MNT_??? */) = 0", "umount2", 0, m, 0x100);
	EXPECT_CALL("pivot_root(\".\", \".\") = -1 EBUSY (Device or resource busy)", "pivot_root",
		    -16, dot, dot);
	EXPECT_CALL("chroot(\"/mnt\") = 0", "chroot", 0, m);
	EXPECT_CALL("chroot(0x10) = -1 EFAULT (Bad address)", "chroot", -14, 0x10);
	EXPECT_CALL("chroot(NULL) = -1 EFAULT (Bad address)", "chroot", -14, 0);
}

Test(decode_mount, new_mount_api)
{
	uint64_t tmpfs = fm_str("tmpfs"), size = fm_str("size"), one = fm_str("1m");
	uint64_t src = fm_str("source"), path = fm_str("/tmp/a"), empty = fm_str(""), e = fm_str("/e");
	EXPECT_CALL("fsopen(\"tmpfs\", FSOPEN_CLOEXEC) = 3", "fsopen", 3, tmpfs, 1);
	EXPECT_CALL("fsopen(\"tmpfs\", 0x2 /* FSOPEN_??? */) = -1 EINVAL (Invalid argument)",
		    "fsopen", -22, tmpfs, 2);
	EXPECT_CALL("fsconfig(3, FSCONFIG_SET_STRING, \"size\", \"1m\", 0) = 0", "fsconfig", 0, 3, 1,
		    size, one, 0);
	EXPECT_CALL("fsconfig(3, FSCONFIG_SET_FLAG, \"size\", NULL, 0) = 0", "fsconfig", 0, 3, 0, size,
		    0, 0);
	EXPECT_CALL("fsconfig(3, FSCONFIG_SET_PATH, \"source\", \"/tmp/a\", AT_FDCWD) = 0", "fsconfig",
		    0, 3, 3, src, path, AT_FDCWD_U);
	EXPECT_CALL("fsconfig(3, FSCONFIG_SET_FD, \"source\", NULL, 99) = -1 EBADF (Bad file "
		    "descriptor)",
		    "fsconfig", -9, 3, 5, src, 0, 99);
	EXPECT_CALL("fsconfig(3, FSCONFIG_CMD_CREATE, NULL, NULL, 0) = 0", "fsconfig", 0, 3, 6, 0, 0,
		    0);
	EXPECT_CALL("fsconfig(3, 0x63 /* FSCONFIG_??? */, NULL, NULL, 0) = -1 EINVAL (Invalid "
		    "argument)",
		    "fsconfig", -22, 3, 99, 0, 0, 0);
	EXPECT_CALL("fsmount(3, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID|MOUNT_ATTR_NODEV) = 4", "fsmount",
		    4, 3, 1, 6);
	EXPECT_CALL("fsmount(3, 0, 0) = 4", "fsmount", 4, 3, 0, 0);
	EXPECT_CALL("move_mount(4, \"\", AT_FDCWD, \"/e\", MOVE_MOUNT_F_EMPTY_PATH) = 0", "move_mount",
		    0, 4, empty, AT_FDCWD_U, e, 4);
	EXPECT_CALL("fspick(AT_FDCWD, \"/e\", FSPICK_CLOEXEC|FSPICK_NO_AUTOMOUNT) = 5", "fspick", 5,
		    AT_FDCWD_U, e, 5);
	EXPECT_CALL("open_tree(AT_FDCWD, \"/tmp/a\", OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC|AT_RECURSIVE) "
		    "= 6",
		    "open_tree", 6, AT_FDCWD_U, path, 1 | 02000000 | 0x8000);
}

Test(decode_mount, mount_setattr_struct)
{
	uint64_t e = fm_str("/e");
	uint64_t attr1[4] = { 0x1 | 0x8, 0x2, MS_PRIVATE, 0 };
	uint64_t a1 = fm_put(attr1, sizeof(attr1));
	EXPECT_CALL("mount_setattr(AT_FDCWD, \"/e\", AT_RECURSIVE, {attr_set=MOUNT_ATTR_RDONLY|"
		    "MOUNT_ATTR_NOEXEC, attr_clr=MOUNT_ATTR_NOSUID, propagation=MS_PRIVATE, "
		    "userns_fd=0}, 32) = 0",
		    "mount_setattr", 0, AT_FDCWD_U, e, 0x8000, a1, 32);
	/* idmapped mount: userns_fd is a file descriptor */
	uint64_t attr2[4] = { 0x100000, 0, 0, 7 };
	uint64_t a2 = fm_put(attr2, sizeof(attr2));
	EXPECT_CALL("mount_setattr(AT_FDCWD, \"/e\", 0, {attr_set=MOUNT_ATTR_IDMAP, attr_clr=0, "
		    "propagation=0 /* MS_??? */, userns_fd=7}, 32) = 0",
		    "mount_setattr", 0, AT_FDCWD_U, e, 0, a2, 32);
	struct rendered r;
	decode_render_opts(&r, "mount_setattr", 0, 32, AT_FDCWD_U, e, 0, a2, 32, 0);
	const struct av *at = arg_named(r.ev, "attr");
	cr_assert_eq(at->kind, AV_STRUCT);
	cr_assert_eq(at->items[3].kind, AV_FD);
	cr_assert_str_eq(at->items[3].name, "userns_fd");
	rendered_free(&r);
	char expected[160];
	snprintf(expected, sizeof(expected),
		 "mount_setattr(AT_FDCWD, \"/e\", 0, %#llx, 8) = -1 EINVAL (Invalid argument)",
		 (unsigned long long)a2);
	EXPECT_CALL(expected, "mount_setattr", -22, AT_FDCWD_U, e, 0, a2, 8);
}

Test(decode_mount, openat2_mknodat_symlinkat)
{
	uint64_t p = fm_str("/tmp/a"), l = fm_str("/tmp/link");
	uint64_t how1[3] = { 0 | 02000000 | 0200000, 0, 0x4 | 0x8 };
	uint64_t h1 = fm_put(how1, sizeof(how1));
	EXPECT_CALL("openat2(AT_FDCWD, \"/tmp/a\", {flags=O_RDONLY|O_CLOEXEC|O_DIRECTORY, "
		    "resolve=RESOLVE_NO_SYMLINKS|RESOLVE_BENEATH}, 24) = -1 EXDEV (Invalid "
		    "cross-device link)",
		    "openat2", -18, AT_FDCWD_U, p, h1, 24);
	uint64_t how2[3] = { 1 | 0100 | 0200, 0600, 0x10 | 0x2 };
	uint64_t h2 = fm_put(how2, sizeof(how2));
	EXPECT_CALL("openat2(AT_FDCWD, \"/tmp/a\", {flags=O_WRONLY|O_CREAT|O_EXCL, mode=0600, "
		    "resolve=RESOLVE_NO_MAGICLINKS|RESOLVE_IN_ROOT}, 24) = 3",
		    "openat2", 3, AT_FDCWD_U, p, h2, 24);
	EXPECT_CALL("mknodat(AT_FDCWD, \"/tmp/a\", S_IFCHR|0666, makedev(0x1, 0x3)) = 0", "mknodat", 0,
		    AT_FDCWD_U, p, 0020000 | 0666, (1 << 8) | 3);
	EXPECT_CALL("mknodat(AT_FDCWD, \"/tmp/a\", S_IFIFO|0600) = 0", "mknodat", 0, AT_FDCWD_U, p,
		    0010000 | 0600, 0);
	EXPECT_CALL("mknodat(AT_FDCWD, \"/tmp/a\", S_IFREG|S_ISUID|0755) = 0", "mknodat", 0,
		    AT_FDCWD_U, p, 0100000 | 04755, 0);
	/* makedev(259, 70000) in the kernel's encoding: minor bits above 8 go to bit 20 */
	EXPECT_CALL("mknodat(AT_FDCWD, \"/tmp/a\", S_IFBLK|0660, makedev(0x103, 0x11170)) = 0",
		    "mknodat", 0, AT_FDCWD_U, p, 0060000 | 0660, 0x11110370);
	EXPECT_CALL("symlinkat(\"/tmp/a\", AT_FDCWD, \"/tmp/link\") = 0", "symlinkat", 0, p,
		    AT_FDCWD_U, l);
}

/* fd 6 is a rootfs directory, fd 7 a file with a hostile name, others closed */
static ssize_t fake_fd_path(void *ctx, int fd, char *buf, size_t len)
{
	(void)ctx;
	const char *p = fd == 6 ? "/run/b/rootfs/data" : fd == 7 ? "/x>\n\033[31m\\" : NULL;
	if (!p)
		return -1;
	size_t n = strlen(p) < len ? strlen(p) : len;
	memcpy(buf, p, n);
	return (ssize_t)n;
}

Test(decode_mount, own_fd_paths_say_what_they_name)
{
	/* runc 1.1 mounts onto /proc/self/fd/N (an O_PATH fd of the target in the
	 * rootfs): the line says which path that is, as strace -y does for fds */
	fm_fd_path = fake_fd_path;
	uint64_t tmpfs = fm_str("tmpfs"), six = fm_str("/proc/self/fd/6");
	uint64_t seven = fm_str("/proc/thread-self/fd/7"), eight = fm_str("/proc/self/fd/8");
	uint64_t other = fm_str("/proc/self/fdinfo/6"), bad = fm_str("/proc/self/fd/6x");
	EXPECT_CALL("mount(\"tmpfs\", \"/proc/self/fd/6\"</run/b/rootfs/data>, \"tmpfs\", 0, NULL) "
		    "= -1 EINVAL (Invalid argument)",
		    "mount", -22, tmpfs, six, tmpfs, 0, 0);
	/* a name that could end the <> or colour a terminal is escaped */
	EXPECT_CALL("mount(\"tmpfs\", \"/proc/thread-self/fd/7\"</x\\x3e\\x0a\\x1b[31m\\x5c>, "
		    "\"tmpfs\", 0, NULL) = 0",
		    "mount", 0, tmpfs, seven, tmpfs, 0, 0);
	/* a closed fd, and paths that only look alike, stay as they are */
	EXPECT_CALL("mount(\"tmpfs\", \"/proc/self/fd/8\", \"tmpfs\", 0, NULL) = 0", "mount", 0,
		    tmpfs, eight, tmpfs, 0, 0);
	EXPECT_CALL("mount(\"tmpfs\", \"/proc/self/fdinfo/6\", \"tmpfs\", 0, NULL) = 0", "mount", 0,
		    tmpfs, other, tmpfs, 0, 0);
	EXPECT_CALL("mount(\"tmpfs\", \"/proc/self/fd/6x\", \"tmpfs\", 0, NULL) = 0", "mount", 0,
		    tmpfs, bad, tmpfs, 0, 0);
	/* a symlink's target is stored text, not resolved at the call */
	uint64_t l = fm_str("/tmp/l");
	EXPECT_CALL("symlinkat(\"/proc/self/fd/6\", AT_FDCWD, \"/tmp/l\") = 0", "symlinkat", 0, six,
		    (uint64_t)-100, l);
	EXPECT_CALL("symlink(\"/proc/self/fd/6\", \"/tmp/l\") = 0", "symlink", 0, six, l);
	/* without a resolver (the fuzzer, a decoder test): nothing is added */
	fm_fd_path = NULL;
	EXPECT_CALL("mount(\"tmpfs\", \"/proc/self/fd/6\", \"tmpfs\", 0, NULL) = 0", "mount", 0,
		    tmpfs, six, tmpfs, 0, 0);
}
