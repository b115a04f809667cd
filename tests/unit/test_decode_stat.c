/* test_decode_stat.c - stat, lstat, fstat, newfstatat, statx, statfs and
 * fstatfs: AT_FDCWD, *at flags by name and in hex, the abbreviated result
 * structs strace prints after success, addresses after failure or when the
 * buffer cannot be read. */
#include <criterion/criterion.h>
#include <stdio.h>

#include "test_decode_fakemem.h"

#define AT_FDCWD_U ((uint64_t)-100)
#define ENOENT_TEXT "-1 ENOENT (No such file or directory)"

TestSuite(decode_stat, .init = fm_reset);

/* struct stat as the x86_64 kernel writes it. */
struct kstat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	uint64_t times[6];
	int64_t unused[3];
};

static uint64_t put_stat(uint32_t mode, int64_t size, uint64_t rdev)
{
	struct kstat st = { .mode = mode, .size = size, .rdev = rdev, .nlink = 1 };
	return fm_put(&st, sizeof(st));
}


Test(decode_stat, newfstatat_missing_volume)
{
	/* runc's os.Stat of a bind mount source that does not exist */
	uint64_t p = fm_str("/nonexistent/vol"), buf = put_stat(0, 0, 0);
	EXPECTF("newfstatat", -2, ARGS(AT_FDCWD_U, p, buf, 0),
		"newfstatat(AT_FDCWD, \"/nonexistent/vol\", %#llx, 0) = " ENOENT_TEXT,
		(unsigned long long)buf);
	EXPECTF("stat", -2, ARGS(p, buf), "stat(\"/nonexistent/vol\", %#llx) = " ENOENT_TEXT,
		(unsigned long long)buf);
	EXPECTF("lstat", -2, ARGS(p, buf), "lstat(\"/nonexistent/vol\", %#llx) = " ENOENT_TEXT,
		(unsigned long long)buf);
}

Test(decode_stat, results_after_success)
{
	uint64_t d = fm_str("/tmp"), n = fm_str("/dev/null");
	uint64_t dir = put_stat(0040000 | 01777, 4096, 0);
	EXPECT_CALL("newfstatat(AT_FDCWD, \"/tmp\", {st_mode=S_IFDIR|S_ISVTX|0777, st_size=4096, "
		    "...}, AT_SYMLINK_NOFOLLOW) = 0",
		    "newfstatat", 0, AT_FDCWD_U, d, dir, 0x100);
	uint64_t chr = put_stat(0020000 | 0666, 0, (1 << 8) | 3);
	EXPECT_CALL("stat(\"/dev/null\", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}) = 0",
		    "stat", 0, n, chr);
	/* glibc's dev_t: major 0x103, minor 0x11170 (bits above 8 of the minor at 20) */
	uint64_t blk = put_stat(0060000 | 0660, 0, 0x11110370);
	EXPECT_CALL("fstat(3, {st_mode=S_IFBLK|0660, st_rdev=makedev(0x103, 0x11170), ...}) = 0",
		    "fstat", 0, 3, blk);
	uint64_t reg = put_stat(0100000 | 04755, 1926232, 0);
	EXPECT_CALL("newfstatat(3, \"\", {st_mode=S_IFREG|S_ISUID|0755, st_size=1926232, ...}, "
		    "AT_EMPTY_PATH) = 0",
		    "newfstatat", 0, 3, fm_str(""), reg, 0x1000);
	/* a type no name covers: the whole mode in octal */
	uint64_t odd = put_stat(0170000 | 0644, 1, 0);
	EXPECT_CALL("lstat(\"/tmp\", {st_mode=0170644, st_size=1, ...}) = 0", "lstat", 0, d, odd);
	/* -v: still strace's abbreviated form (the full struct is not decoded) */
	fm_verbose = true;
	EXPECT_CALL("stat(\"/tmp\", {st_mode=S_IFDIR|S_ISVTX|0777, st_size=4096, ...}) = 0", "stat",
		    0, d, dir);
}

Test(decode_stat, flags_by_name_and_unknown_bits)
{
	uint64_t p = fm_str("/tmp"), buf = put_stat(0, 0, 0);
	EXPECTF("newfstatat", -22, ARGS(AT_FDCWD_U, p, buf, 0x100 | 0x800 | 0x1000),
		"newfstatat(AT_FDCWD, \"/tmp\", %#llx, "
		"AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT|AT_EMPTY_PATH) = -1 EINVAL (Invalid argument)",
		(unsigned long long)buf);
	EXPECTF("newfstatat", -22, ARGS(AT_FDCWD_U, p, buf, 0x1000 | 0x10000000),
		"newfstatat(AT_FDCWD, \"/tmp\", %#llx, AT_EMPTY_PATH|0x10000000) = -1 EINVAL "
		"(Invalid argument)",
		(unsigned long long)buf);
	EXPECTF("newfstatat", -22, ARGS(5, p, buf, 0x2),
		"newfstatat(5, \"/tmp\", %#llx, 0x2 /* AT_??? */) = -1 EINVAL (Invalid argument)",
		(unsigned long long)buf);
}

Test(decode_stat, bad_pointers_stay_addresses)
{
	uint64_t p = fm_str("/tmp");
	fm.hole[3] = true;
	uint64_t hole = fm_addr_of_page(3);
	/* a successful call whose buffer cannot be read: the address, marked */
	struct rendered r;
	char expected[128];
	decode_render_opts(&r, "stat", 0, 32, p, hole, 0, 0, 0, 0);
	snprintf(expected, sizeof(expected), "stat(\"/tmp\", %#llx) = 0", (unsigned long long)hole);
	cr_expect_str_eq(r.text, expected);
	const struct av *sb = arg_named(r.ev, "statbuf");
	cr_assert_not_null(sb);
	cr_expect_eq(sb->kind, AV_ADDR);
	cr_expect(sb->unreadable);
	rendered_free(&r);
	/* a buffer running into the hole */
	uint64_t edge = fm_addr_of_page(3) - 64;
	EXPECTF("fstat", 0, ARGS(3, edge), "fstat(3, %#llx) = 0", (unsigned long long)edge);
	/* pathname outside the tracee, NULL buffer, fd -1 */
	EXPECT_CALL("lstat(0x10, NULL) = -1 EFAULT (Bad address)", "lstat", -14, 0x10, 0);
	EXPECT_CALL("newfstatat(AT_FDCWD, NULL, 0x20, 0) = -1 EFAULT (Bad address)", "newfstatat",
		    -14, AT_FDCWD_U, 0, 0x20, 0);
	EXPECTF("fstat", -9, ARGS((uint64_t)-1, hole),
		"fstat(-1, %#llx) = -1 EBADF (Bad file descriptor)", (unsigned long long)hole);
	EXPECTF("statx", 0, ARGS(AT_FDCWD_U, p, 0, 0x7ff, hole),
		"statx(AT_FDCWD, \"/tmp\", AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, %#llx) = 0",
		(unsigned long long)hole);
}

/* The head of struct statx. */
struct kstatx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, spare;
	uint64_t ino, size, blocks, attributes_mask;
	unsigned char rest[256 - 64];
};

Test(decode_stat, statx_flags_mask_and_result)
{
	uint64_t p = fm_str("/nonexistent");
	struct kstatx zero = { 0 };
	uint64_t buf = fm_put(&zero, sizeof(zero));
	EXPECTF("statx", -2, ARGS(AT_FDCWD_U, p, 0, 0x7ff, buf),
		"statx(AT_FDCWD, \"/nonexistent\", AT_STATX_SYNC_AS_STAT, STATX_BASIC_STATS, %#llx) = " ENOENT_TEXT,
		(unsigned long long)buf);
	EXPECTF("statx", -2, ARGS(AT_FDCWD_U, p, 0x4000 | 0x100, 0xfff, buf),
		"statx(AT_FDCWD, \"/nonexistent\", AT_STATX_DONT_SYNC|AT_SYMLINK_NOFOLLOW, STATX_ALL, "
		"%#llx) = " ENOENT_TEXT,
		(unsigned long long)buf);
	EXPECTF("statx", -22, ARGS(AT_FDCWD_U, p, 0x2000, 0x1 | 0x2 | 0x80000000u, buf),
		"statx(AT_FDCWD, \"/nonexistent\", AT_STATX_FORCE_SYNC, STATX_TYPE|STATX_MODE|0x80000000, "
		"%#llx) = -1 EINVAL (Invalid argument)",
		(unsigned long long)buf);
	EXPECTF("statx", -22, ARGS(AT_FDCWD_U, p, 0x6000, 0, buf),
		"statx(AT_FDCWD, \"/nonexistent\", AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC, 0, %#llx) = "
		"-1 EINVAL (Invalid argument)",
		(unsigned long long)buf);
	EXPECTF("statx", -22, ARGS(AT_FDCWD_U, p, 0x10000000 | 0x1000, 0xfff, buf),
		"statx(AT_FDCWD, \"/nonexistent\", AT_STATX_SYNC_AS_STAT|AT_EMPTY_PATH|0x10000000, "
		"STATX_ALL, %#llx) = -1 EINVAL (Invalid argument)",
		(unsigned long long)buf);

	struct kstatx stx = { .mask = 0x1fff, .attributes = 0x2000, .mode = 0040000 | 01777,
			      .size = 12288 };
	uint64_t res = fm_put(&stx, sizeof(stx));
	EXPECT_CALL("statx(AT_FDCWD, \"/tmp\", AT_STATX_SYNC_AS_STAT, STATX_ALL, "
		    "{stx_mask=STATX_ALL|STATX_MNT_ID, stx_attributes=STATX_ATTR_MOUNT_ROOT, "
		    "stx_mode=S_IFDIR|S_ISVTX|0777, stx_size=12288, ...}) = 0",
		    "statx", 0, AT_FDCWD_U, fm_str("/tmp"), 0, 0xfff, res);
	struct kstatx odd = { .mask = 0x80000000u, .attributes = 0x1, .mode = 0100000 | 0600 };
	uint64_t res2 = fm_put(&odd, sizeof(odd));
	EXPECT_CALL("statx(3, \"\", AT_STATX_SYNC_AS_STAT|AT_EMPTY_PATH, STATX_TYPE, "
		    "{stx_mask=0x80000000 /* STATX_??? */, stx_attributes=0x1 /* STATX_ATTR_??? */, "
		    "stx_mode=S_IFREG|0600, stx_size=0, ...}) = 0",
		    "statx", 0, 3, fm_str(""), 0x1000, 0x1, res2);
}

Test(decode_stat, statfs_buffers_stay_addresses)
{
	uint64_t p = fm_str("/tmp"), buf = put_stat(0, 0, 0);
	EXPECTF("statfs", 0, ARGS(p, buf), "statfs(\"/tmp\", %#llx) = 0", (unsigned long long)buf);
	EXPECTF("fstatfs", -9, ARGS((uint64_t)-1, buf),
		"fstatfs(-1, %#llx) = -1 EBADF (Bad file descriptor)", (unsigned long long)buf);
}

Test(decode_stat, typed_arguments)
{
	uint64_t p = fm_str("/tmp"), buf = put_stat(0040000 | 0755, 40, 0);
	struct rendered r;
	decode_render_opts(&r, "newfstatat", 0, 32, AT_FDCWD_U, p, buf, 0x100, 0, 0);
	const struct av *dirfd = arg_named(r.ev, "dirfd"), *path = arg_named(r.ev, "pathname");
	const struct av *st = arg_named(r.ev, "statbuf"), *flags = arg_named(r.ev, "flags");
	cr_assert(dirfd && path && st && flags);
	cr_expect_eq(dirfd->kind, AV_SYM);
	cr_expect_str_eq(dirfd->sym, "AT_FDCWD");
	cr_expect_eq(path->kind, AV_STR);
	cr_expect_eq(st->kind, AV_STRUCT);
	cr_expect_eq(st->u, buf);
	cr_expect(st->more);
	cr_expect_eq(flags->kind, AV_FLAGS);
	cr_expect_eq(flags->u, 0x100);
	rendered_free(&r);
}
