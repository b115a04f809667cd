/* test_decode_fd.c - close, dup*, fcntl (commands, their third argument, the
 * getters' commented results, struct flock), getdents64's entry count, fchdir,
 * fchmod, fchown, ftruncate and lseek; unreadable memory as addresses. */
#include <criterion/criterion.h>
#include <stdio.h>

#include "test_decode_fakemem.h"

TestSuite(decode_fd, .init = fm_reset);

#define EBADF_TEXT "-1 EBADF (Bad file descriptor)"
#define EINVAL_TEXT "-1 EINVAL (Invalid argument)"

Test(decode_fd, close_and_dup)
{
	EXPECT_CALL("close(3) = 0", "close", 0, 3);
	EXPECT_CALL("close(-1) = " EBADF_TEXT, "close", -9, 0xffffffff);
	EXPECT_CALL("fchdir(3) = 0", "fchdir", 0, 3);
	EXPECT_CALL("fsync(0) = " EINVAL_TEXT, "fsync", -22, 0);
	EXPECT_CALL("dup(3) = 4", "dup", 4, 3);
	EXPECT_CALL("dup2(3, 10) = 10", "dup2", 10, 3, 10);
	EXPECT_CALL("dup3(3, 11, O_CLOEXEC) = 11", "dup3", 11, 3, 11, 02000000);
	EXPECT_CALL("dup3(3, 12, 0) = 12", "dup3", 12, 3, 12, 0);
	EXPECT_CALL("dup3(3, 12, 0x1 /* O_??? */) = " EINVAL_TEXT, "dup3", -22, 3, 12, 1);
	EXPECT_CALL("dup3(3, 12, O_CLOEXEC|0x1) = " EINVAL_TEXT, "dup3", -22, 3, 12, 02000001);
}

Test(decode_fd, fd_mode_owner_length_offset)
{
	EXPECT_CALL("fchmod(0, 0600) = 0", "fchmod", 0, 0, 0600);
	EXPECT_CALL("fchown(0, 0, -1) = 0", "fchown", 0, 0, 0, (uint64_t)-1);
	EXPECT_CALL("ftruncate(3, 4096) = 0", "ftruncate", 0, 3, 4096);
	EXPECT_CALL("lseek(3, 10, SEEK_SET) = 10", "lseek", 10, 3, 10, 0);
	EXPECT_CALL("lseek(3, -1, SEEK_CUR) = 9", "lseek", 9, 3, (uint64_t)-1, 1);
	EXPECT_CALL("lseek(3, 0, SEEK_HOLE) = 4096", "lseek", 4096, 3, 0, 4);
	EXPECT_CALL("lseek(3, 0, 0x9 /* SEEK_??? */) = " EINVAL_TEXT, "lseek", -22, 3, 0, 9);
}

Test(decode_fd, fcntl_setters)
{
	EXPECT_CALL("fcntl(3, F_SETFD, FD_CLOEXEC) = 0", "fcntl", 0, 3, 2, 1);
	EXPECT_CALL("fcntl(3, F_SETFD, 0) = 0", "fcntl", 0, 3, 2, 0);
	EXPECT_CALL("fcntl(3, F_SETFD, FD_CLOEXEC|0x2) = 0", "fcntl", 0, 3, 2, 3);
	EXPECT_CALL("fcntl(3, F_SETFL, O_RDONLY|O_APPEND|O_NONBLOCK) = 0", "fcntl", 0, 3, 4,
		    02000 | 04000);
	EXPECT_CALL("fcntl(3, F_SETFL, O_RDONLY) = 0", "fcntl", 0, 3, 4, 0);
	EXPECT_CALL("fcntl(3, F_DUPFD, 20) = 20", "fcntl", 20, 3, 0, 20);
	EXPECT_CALL("fcntl(3, F_DUPFD_CLOEXEC, 30) = 30", "fcntl", 30, 3, 1030, 30);
	EXPECT_CALL("fcntl(3, F_SETPIPE_SZ, 65536) = 65536", "fcntl", 65536, 3, 1031, 65536);
	EXPECT_CALL("fcntl(3, F_SETOWN, -42) = 0", "fcntl", 0, 3, 8, 0xffffffd6);
	EXPECT_CALL("fcntl(3, F_SETSIG, SIGUSR1) = 0", "fcntl", 0, 3, 10, 10);
	EXPECT_CALL("fcntl(3, F_SETSIG, 0) = 0", "fcntl", 0, 3, 10, 0);
	EXPECT_CALL("fcntl(3, F_NOTIFY, DN_ACCESS|DN_MULTISHOT) = 0", "fcntl", 0, 3, 1026,
		    0x80000001u);
	EXPECT_CALL("fcntl(3, F_SETLEASE, F_RDLCK) = 0", "fcntl", 0, 3, 1024, 0);
	EXPECT_CALL("fcntl(3, F_SETLEASE, 0x5 /* F_??? */) = " EINVAL_TEXT, "fcntl", -22, 3, 1024,
		    5);
	EXPECT_CALL("fcntl(3, F_ADD_SEALS, F_SEAL_SEAL|F_SEAL_WRITE) = 0", "fcntl", 0, 3, 1033, 9);
	EXPECT_CALL("fcntl(3, F_ADD_SEALS, 0x40 /* F_SEAL_??? */) = " EINVAL_TEXT, "fcntl", -22, 3,
		    1033, 0x40);
	EXPECT_CALL("fcntl(3, F_DUPFD_QUERY, 4) = 1", "fcntl", 1, 3, 1027, 4);
	/* an unknown command: its argument in hex, as strace */
	EXPECT_CALL("fcntl(3, 0x3039 /* F_??? */, 0x7) = " EINVAL_TEXT, "fcntl", -22, 3, 12345, 7);
	EXPECT_CALL("fcntl(-1, F_GETFD) = " EBADF_TEXT, "fcntl", -9, (uint64_t)-1, 1, 0);
}

Test(decode_fd, fcntl_getter_results)
{
	EXPECT_CALL("fcntl(3, F_GETFD) = 0", "fcntl", 0, 3, 1, 99);
	EXPECT_CALL("fcntl(3, F_GETFD) = 0x1 (flags FD_CLOEXEC)", "fcntl", 1, 3, 1, 0);
	EXPECT_CALL("fcntl(3, F_GETFL) = 0x8001 (flags O_WRONLY|O_LARGEFILE)", "fcntl", 0x8001, 3, 3,
		    0);
	EXPECT_CALL("fcntl(3, F_GETFL) = 0 (flags O_RDONLY)", "fcntl", 0, 3, 3, 0);
	EXPECT_CALL("fcntl(3, F_GETLEASE) = 0x2 (F_UNLCK)", "fcntl", 2, 3, 1025, 0);
	EXPECT_CALL("fcntl(3, F_GETLEASE) = 0x7", "fcntl", 7, 3, 1025, 0);
	EXPECT_CALL("fcntl(3, F_GET_SEALS) = 0x9 (seals F_SEAL_SEAL|F_SEAL_WRITE)", "fcntl", 9, 3,
		    1034, 0);
	EXPECT_CALL("fcntl(3, F_GET_SEALS) = 0", "fcntl", 0, 3, 1034, 0);
	EXPECT_CALL("fcntl(3, F_GETSIG) = 10 (SIGUSR1)", "fcntl", 10, 3, 11, 0);
	EXPECT_CALL("fcntl(3, F_GETSIG) = 0", "fcntl", 0, 3, 11, 0);
	EXPECT_CALL("fcntl(3, F_GETOWN) = 1234", "fcntl", 1234, 3, 9, 0);
	EXPECT_CALL("fcntl(3, F_GETPIPE_SZ) = 65536", "fcntl", 65536, 3, 1032, 0);
	EXPECT_CALL("fcntl(3, F_GETFL) = " EBADF_TEXT, "fcntl", -9, 3, 3, 0);
}

struct kflock {
	int16_t l_type, l_whence;
	int64_t l_start, l_len;
	int32_t l_pid;
};

Test(decode_fd, fcntl_locks_and_owner)
{
	struct kflock wr = { .l_type = 1, .l_whence = 0, .l_start = 0, .l_len = 10 };
	uint64_t w = fm_put(&wr, sizeof(wr));
	EXPECT_CALL("fcntl(3, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=10}) = 0",
		    "fcntl", 0, 3, 6, w);
	EXPECT_CALL("fcntl(3, F_OFD_SETLKW, {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, "
		    "l_len=10}) = 0",
		    "fcntl", 0, 3, 38, w);
	struct kflock odd = { .l_type = 0x99, .l_whence = 7, .l_start = -5, .l_len = -1 };
	uint64_t o = fm_put(&odd, sizeof(odd));
	EXPECT_CALL("fcntl(3, F_SETLKW, {l_type=0x99 /* F_??? */, l_whence=0x7 /* SEEK_??? */, "
		    "l_start=-5, l_len=-1}) = " EINVAL_TEXT,
		    "fcntl", -22, 3, 7, o);
	/* F_GETLK: the struct the kernel wrote, at exit, with l_pid */
	struct kflock got = { .l_type = 0, .l_whence = 1, .l_start = 100, .l_len = 0,
			      .l_pid = 4242 };
	uint64_t g = fm_put(&got, sizeof(got));
	EXPECT_CALL("fcntl(3, F_GETLK, {l_type=F_RDLCK, l_whence=SEEK_CUR, l_start=100, l_len=0, "
		    "l_pid=4242}) = 0",
		    "fcntl", 0, 3, 5, g);
	EXPECTF("fcntl", -22, ARGS(3, 36, g), "fcntl(3, F_OFD_GETLK, %#llx) = " EINVAL_TEXT,
		(unsigned long long)g);
	int32_t owner[2] = { 1, 77 };
	uint64_t ow = fm_put(owner, sizeof(owner));
	EXPECT_CALL("fcntl(3, F_SETOWN_EX, {type=F_OWNER_PID, pid=77}) = 0", "fcntl", 0, 3, 15, ow);
	EXPECT_CALL("fcntl(3, F_GETOWN_EX, {type=F_OWNER_PID, pid=77}) = 0", "fcntl", 0, 3, 16, ow);
	/* bad pointers */
	EXPECT_CALL("fcntl(3, F_SETLK, 0x10) = -1 EFAULT (Bad address)", "fcntl", -14, 3, 6, 0x10);
	EXPECT_CALL("fcntl(3, F_SETLK, NULL) = -1 EFAULT (Bad address)", "fcntl", -14, 3, 6, 0);
	fm.hole[3] = true;
	uint64_t edge = fm_addr_of_page(3) - 8; /* struct flock runs into the hole */
	EXPECTF("fcntl", 0, ARGS(3, 5, edge), "fcntl(3, F_GETLK, %#llx) = 0",
		(unsigned long long)edge);
	EXPECTF("fcntl", 0, ARGS(3, 16, edge + 8), "fcntl(3, F_GETOWN_EX, %#llx) = 0",
		(unsigned long long)(edge + 8));
}

/* linux_dirent64 records of reclen bytes each, with a name. */
static size_t put_dirent(unsigned char *buf, size_t off, uint16_t reclen, const char *name)
{
	memset(buf + off, 0, reclen);
	memcpy(buf + off + 16, &reclen, sizeof(reclen));
	buf[off + 18] = 4; /* DT_DIR */
	memcpy(buf + off + 19, name, strlen(name) + 1);
	return off + reclen;
}

Test(decode_fd, getdents64_counts_entries)
{
	unsigned char d[96];
	size_t n = put_dirent(d, 0, 24, ".");
	n = put_dirent(d, n, 24, "..");
	n = put_dirent(d, n, 24, "ln3");
	uint64_t a = fm_put(d, n);
	EXPECTF("getdents64", 72, ARGS(3, a, 4096),
		"getdents64(3, %#llx /* 3 entries */, 4096) = 72", (unsigned long long)a);
	EXPECTF("getdents64", 0, ARGS(3, a, 4096), "getdents64(3, %#llx /* 0 entries */, 4096) = 0",
		(unsigned long long)a);
	EXPECTF("getdents64", -9, ARGS((uint64_t)-1, a, 4096),
		"getdents64(-1, %#llx, 4096) = " EBADF_TEXT, (unsigned long long)a);
	/* a length past count: the kernel "gone bananas", strace shows the address only */
	EXPECTF("getdents64", 72, ARGS(3, a, 48), "getdents64(3, %#llx, 48) = 72",
		(unsigned long long)a);
	/* a tail shorter than a record header counts as left over: "N+" */
	EXPECTF("getdents64", 50, ARGS(3, a, 4096),
		"getdents64(3, %#llx /* 2+ entries */, 4096) = 50", (unsigned long long)a);
	/* a record longer than what is left ends the walk */
	unsigned char big[32];
	put_dirent(big, 0, 30, "x");
	uint16_t huge = 500;
	memcpy(big + 16, &huge, sizeof(huge));
	uint64_t b = fm_put(big, sizeof(big));
	EXPECTF("getdents64", 30, ARGS(3, b, 4096),
		"getdents64(3, %#llx /* 1 entries */, 4096) = 30", (unsigned long long)b);
}

Test(decode_fd, getdents64_unreadable_buffer)
{
	fm.hole[3] = true;
	unsigned char d[48];
	size_t n = put_dirent(d, 0, 24, "a");
	n = put_dirent(d, n, 24, "b");
	/* the second record lies in the hole */
	uint64_t a = fm_put_at_page_end(2, d, 24);
	EXPECTF("getdents64", 48, ARGS(3, a, 4096),
		"getdents64(3, %#llx /* 1+ entries */, 4096) = 48", (unsigned long long)a);
	uint64_t hole = fm_addr_of_page(3);
	EXPECTF("getdents64", 48, ARGS(3, hole, 4096),
		"getdents64(3, %#llx /* 0+ entries */, 4096) = 48", (unsigned long long)hole);
	EXPECT_CALL("getdents64(3, NULL /* 0+ entries */, 4096) = 48", "getdents64", 48, 3, 0, 4096);
}
