/* test_decode_path.c - open, creat, access/faccessat*, readlink*, mkdir*,
 * unlink*, rmdir, chdir, rename*, link*, symlink, chmod/fchmodat*, chown*,
 * truncate, getcwd and umask: AT_FDCWD, flags by name and unknown bits in hex,
 * octal modes, ids, output buffers at exit, bad pointers as addresses. */
#include <criterion/criterion.h>
#include <stdio.h>

#include "test_decode_fakemem.h"

#define AT_FDCWD_U ((uint64_t)-100)
#define EINVAL_TEXT "-1 EINVAL (Invalid argument)"

TestSuite(decode_path, .init = fm_reset);

static char expected[512];


Test(decode_path, open_and_creat)
{
	uint64_t f = fm_str("/tmp/f");
	EXPECT_CALL("open(\"/tmp/f\", O_RDONLY) = 3", "open", 3, f, 0);
	EXPECT_CALL("open(\"/tmp/f\", O_WRONLY|O_CREAT|O_EXCL, 0600) = 4", "open", 4, f,
		    1 | 0100 | 0200, 0600);
	/* no O_CREAT: the mode register is not shown */
	EXPECT_CALL("open(\"/tmp/f\", O_RDWR|O_CLOEXEC) = 5", "open", 5, f, 2 | 02000000, 0600);
	EXPECT_CALL("open(\"/tmp/f\", O_RDONLY|0x40000000) = 3", "open", 3, f, 0x40000000);
	/* mode_t is 16 bits to strace */
	EXPECT_CALL("creat(\"/tmp/f\", 0644) = 3", "creat", 3, f, 0x10000 | 0644);
	EXPECT_CALL("open(0x10, O_RDONLY) = -1 EFAULT (Bad address)", "open", -14, 0x10, 0);
}

Test(decode_path, access_modes_and_faccessat_flags)
{
	uint64_t p = fm_str("/tmp");
	EXPECT_CALL("access(\"/nonexistent\", F_OK) = -1 ENOENT (No such file or directory)",
		    "access", -2, fm_str("/nonexistent"), 0);
	EXPECT_CALL("access(\"/tmp\", R_OK|W_OK|X_OK) = 0", "access", 0, p, 7);
	EXPECT_CALL("access(\"/tmp\", 0x10 /* ?_OK */) = " EINVAL_TEXT, "access", -22, p, 0x10);
	EXPECT_CALL("access(\"/tmp\", R_OK|0x10) = " EINVAL_TEXT, "access", -22, p, 0x14);
	EXPECT_CALL("faccessat(AT_FDCWD, \"/tmp\", R_OK) = 0", "faccessat", 0, AT_FDCWD_U, p, 4);
	EXPECT_CALL("faccessat(7, \"x\", W_OK) = 0", "faccessat", 0, 7, fm_str("x"), 2);
	EXPECT_CALL("faccessat2(AT_FDCWD, \"/tmp\", W_OK, AT_SYMLINK_NOFOLLOW|AT_EACCESS) = 0",
		    "faccessat2", 0, AT_FDCWD_U, p, 2, 0x300);
	EXPECT_CALL("faccessat2(3, \"\", F_OK, AT_EMPTY_PATH) = 0", "faccessat2", 0, 3, fm_str(""),
		    0, 0x1000);
	EXPECT_CALL("faccessat2(AT_FDCWD, \"/tmp\", F_OK, 0x1000000 /* AT_??? */) = " EINVAL_TEXT,
		    "faccessat2", -22, AT_FDCWD_U, p, 0, 0x1000000);
}

Test(decode_path, readlink_buffer_at_exit)
{
	uint64_t p = fm_str("/tmp/ln"), target = fm_str("/etc/hostname");
	EXPECT_CALL("readlink(\"/tmp/ln\", \"/etc/hostname\", 4096) = 13", "readlink", 13, p, target,
		    4096);
	/* the kernel writes no NUL: exactly the returned length */
	EXPECT_CALL("readlink(\"/tmp/ln\", \"/etc\", 4) = 4", "readlink", 4, p, target, 4);
	EXPECT_CALL_S("readlink(\"/tmp/ln\", \"/etc/hos\"..., 4096) = 13", 8, "readlink", 13, p,
		      target, 4096);
	EXPECT_CALL("readlinkat(AT_FDCWD, \"/tmp/ln\", \"/etc/hostname\", 64) = 13", "readlinkat",
		    13, AT_FDCWD_U, p, target, 64);
	/* failure: the buffer is an address */
	EXPECTF("readlink", -2, ARGS(p, target, 4096),
		"readlink(\"/tmp/ln\", %#llx, 4096) = -1 ENOENT (No such file or directory)",
		(unsigned long long)target);
	EXPECT_CALL("readlink(\"/tmp/ln\", 0x10, 10) = -1 EFAULT (Bad address)", "readlink", -14, p,
		    0x10, 10);
	/* success but the buffer cannot be read back */
	fm.hole[3] = true;
	uint64_t hole = fm_addr_of_page(3);
	struct rendered r;
	decode_render_opts(&r, "readlinkat", 5, 32, 4, p, hole, 64, 0, 0);
	snprintf(expected, sizeof(expected), "readlinkat(4, \"/tmp/ln\", %#llx, 64) = 5",
		 (unsigned long long)hole);
	cr_expect_str_eq(r.text, expected);
	const struct av *buf = arg_named(r.ev, "buf");
	cr_assert_not_null(buf);
	cr_expect(buf->unreadable);
	rendered_free(&r);
}

Test(decode_path, getcwd_and_umask)
{
	uint64_t cwd = fm_str("/tmp/d");
	EXPECT_CALL("getcwd(\"/tmp/d\", 64) = 7", "getcwd", 7, cwd, 64);
	EXPECTF("getcwd", -34, ARGS(cwd, 2),
		"getcwd(%#llx, 2) = -1 ERANGE (Numerical result out of range)",
		(unsigned long long)cwd);
	EXPECT_CALL("umask(022) = 002", "umask", 02, 022);
	EXPECT_CALL("umask(000) = 022", "umask", 022, 0);
	EXPECT_CALL("umask(01777) = 0777", "umask", 0777, 01777);
}

Test(decode_path, directories)
{
	uint64_t d = fm_str("/tmp/d");
	EXPECT_CALL("mkdir(\"/tmp/d\", 0755) = 0", "mkdir", 0, d, 0755);
	EXPECT_CALL("mkdir(\"/tmp/d\", 000) = 0", "mkdir", 0, d, 0);
	EXPECT_CALL("mkdirat(AT_FDCWD, \"/tmp/d\", 01777) = 0", "mkdirat", 0, AT_FDCWD_U, d, 01777);
	EXPECT_CALL("mkdirat(3, \"/tmp/d\", 0700) = -1 EEXIST (File exists)", "mkdirat", -17, 3, d,
		    0700);
	EXPECT_CALL("rmdir(\"/tmp/d\") = 0", "rmdir", 0, d);
	EXPECT_CALL("chdir(\"/tmp/d\") = 0", "chdir", 0, d);
	EXPECT_CALL("unlink(\"/tmp/d\") = -1 EISDIR (Is a directory)", "unlink", -21, d);
	EXPECT_CALL("unlinkat(AT_FDCWD, \"/tmp/d\", AT_REMOVEDIR) = 0", "unlinkat", 0, AT_FDCWD_U, d,
		    0x200);
	EXPECT_CALL("unlinkat(AT_FDCWD, \"/tmp/d\", 0) = 0", "unlinkat", 0, AT_FDCWD_U, d, 0);
	EXPECT_CALL("unlinkat(AT_FDCWD, \"/tmp/d\", AT_SYMLINK_FOLLOW) = " EINVAL_TEXT, "unlinkat",
		    -22, AT_FDCWD_U, d, 0x400);
	EXPECT_CALL("unlinkat(AT_FDCWD, \"/tmp/d\", 0x1 /* AT_??? */) = " EINVAL_TEXT, "unlinkat",
		    -22, AT_FDCWD_U, d, 0x1);
	EXPECT_CALL("unlinkat(AT_FDCWD, \"/tmp/d\", AT_REMOVEDIR|0x1) = " EINVAL_TEXT, "unlinkat",
		    -22, AT_FDCWD_U, d, 0x201);
}

Test(decode_path, renames_and_links)
{
	uint64_t a = fm_str("/tmp/a"), b = fm_str("/tmp/b");
	EXPECT_CALL("rename(\"/tmp/a\", \"/tmp/b\") = 0", "rename", 0, a, b);
	EXPECT_CALL("renameat(AT_FDCWD, \"/tmp/a\", 5, \"b\") = 0", "renameat", 0, AT_FDCWD_U, a, 5,
		    fm_str("b"));
	EXPECT_CALL("renameat2(AT_FDCWD, \"/tmp/a\", AT_FDCWD, \"/tmp/b\", RENAME_NOREPLACE) = 0",
		    "renameat2", 0, AT_FDCWD_U, a, AT_FDCWD_U, b, 1);
	EXPECT_CALL("renameat2(AT_FDCWD, \"/tmp/a\", AT_FDCWD, \"/tmp/b\", "
		    "RENAME_EXCHANGE|RENAME_WHITEOUT|0x10) = " EINVAL_TEXT,
		    "renameat2", -22, AT_FDCWD_U, a, AT_FDCWD_U, b, 0x16);
	EXPECT_CALL("renameat2(AT_FDCWD, \"/tmp/a\", AT_FDCWD, \"/tmp/b\", 0x10 /* RENAME_?? */) = "
		    EINVAL_TEXT,
		    "renameat2", -22, AT_FDCWD_U, a, AT_FDCWD_U, b, 0x10);
	EXPECT_CALL("renameat2(AT_FDCWD, \"/tmp/a\", AT_FDCWD, \"/tmp/b\", 0) = 0", "renameat2", 0,
		    AT_FDCWD_U, a, AT_FDCWD_U, b, 0);
	EXPECT_CALL("link(\"/tmp/a\", \"/tmp/b\") = 0", "link", 0, a, b);
	EXPECT_CALL("linkat(AT_FDCWD, \"/tmp/a\", AT_FDCWD, \"/tmp/b\", AT_SYMLINK_FOLLOW) = 0",
		    "linkat", 0, AT_FDCWD_U, a, AT_FDCWD_U, b, 0x400);
	EXPECT_CALL("linkat(3, \"\", AT_FDCWD, \"/tmp/b\", AT_EMPTY_PATH) = 0", "linkat", 0, 3,
		    fm_str(""), AT_FDCWD_U, b, 0x1000);
	EXPECT_CALL("symlink(\"/etc/hostname\", \"/tmp/b\") = 0", "symlink", 0,
		    fm_str("/etc/hostname"), b);
	EXPECT_CALL("rename(\"/tmp/a\", 0x10) = -1 EFAULT (Bad address)", "rename", -14, a, 0x10);
}

Test(decode_path, modes_owners_and_truncate)
{
	uint64_t p = fm_str("/tmp/e");
	EXPECT_CALL("chmod(\"/tmp/e\", 04755) = 0", "chmod", 0, p, 04755);
	EXPECT_CALL("chmod(\"/tmp/e\", 0100755) = 0", "chmod", 0, p, 0100755);
	EXPECT_CALL("fchmodat(AT_FDCWD, \"/tmp/e\", 0700) = 0", "fchmodat", 0, AT_FDCWD_U, p, 0700);
	EXPECT_CALL("fchmodat2(AT_FDCWD, \"/tmp/e\", 0755, AT_SYMLINK_NOFOLLOW) = 0", "fchmodat2", 0,
		    AT_FDCWD_U, p, 0755, 0x100);
	EXPECT_CALL("fchmodat2(AT_FDCWD, \"/tmp/e\", 0755, 0x200 /* AT_??? */) = " EINVAL_TEXT,
		    "fchmodat2", -22, AT_FDCWD_U, p, 0755, 0x200);
	EXPECT_CALL("chown(\"/tmp/e\", 0, -1) = 0", "chown", 0, p, 0, 0xffffffff);
	EXPECT_CALL("lchown(\"/tmp/e\", -1, 1000) = 0", "lchown", 0, p, (uint64_t)-1, 1000);
	EXPECT_CALL("fchownat(AT_FDCWD, \"/tmp/e\", 0, 0, AT_SYMLINK_NOFOLLOW) = 0", "fchownat", 0,
		    AT_FDCWD_U, p, 0, 0, 0x100);
	EXPECT_CALL("fchownat(3, \"\", 65534, 65534, AT_EMPTY_PATH) = 0", "fchownat", 0, 3,
		    fm_str(""), 65534, 65534, 0x1000);
	EXPECT_CALL("truncate(\"/tmp/e\", 100) = 0", "truncate", 0, p, 100);
	EXPECT_CALL("truncate(\"/tmp/e\", 18446744073709551615) = " EINVAL_TEXT, "truncate", -22, p,
		    (uint64_t)-1);
}

Test(decode_path, paths_near_unreadable_memory)
{
	fm.hole[2] = true;
	/* ends right before the hole: readable */
	uint64_t edge = fm_put_at_page_end(1, "/tmp/edge", 10);
	EXPECT_CALL("chdir(\"/tmp/edge\") = 0", "chdir", 0, edge);
	/* runs into the hole without a NUL: an address, marked unreadable */
	uint64_t cut = fm_put_at_page_end(1, "/tmp/cut", 8);
	struct rendered r;
	decode_render_opts(&r, "mkdirat", -14, 32, AT_FDCWD_U, cut, 0755, 0, 0, 0);
	snprintf(expected, sizeof(expected), "mkdirat(AT_FDCWD, %#llx, 0755) = -1 EFAULT (Bad address)",
		 (unsigned long long)cut);
	cr_expect_str_eq(r.text, expected);
	const struct av *path = arg_named(r.ev, "pathname");
	cr_assert_not_null(path);
	cr_expect_eq(path->kind, AV_ADDR);
	cr_expect(path->unreadable);
	rendered_free(&r);
	uint64_t hole = fm_addr_of_page(2);
	EXPECTF("linkat", -14, ARGS(AT_FDCWD_U, hole, AT_FDCWD_U, 0, 0),
		"linkat(AT_FDCWD, %#llx, AT_FDCWD, NULL, 0) = -1 EFAULT (Bad address)",
		(unsigned long long)hole);
}

Test(decode_path, argument_names)
{
	uint64_t a = fm_str("/a"), b = fm_str("/b");
	struct rendered r;
	decode_render_opts(&r, "renameat2", 0, 32, AT_FDCWD_U, a, 4, b, 1, 0);
	const char *names[] = { "olddirfd", "oldpath", "newdirfd", "newpath", "flags" };
	cr_assert_eq(r.ev->args->n, 5);
	for (size_t i = 0; i < 5; i++)
		cr_expect_str_eq(r.ev->args->items[i].name, names[i]);
	cr_expect_eq(arg_named(r.ev, "newdirfd")->kind, AV_FD);
	rendered_free(&r);
	decode_render_opts(&r, "open", 3, 32, a, 0, 0, 0, 0, 0);
	cr_expect_str_eq(arg_named(r.ev, "pathname")->str, "/a");
	rendered_free(&r);
}
