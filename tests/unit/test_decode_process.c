/* test_decode_process.c - wait4 statuses and options, kill/tkill/tgkill
 * signals (standard, real-time, unknown), pidfd_open and pidfd_send_signal. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>

#include "test_decode_fakemem.h"

TestSuite(decode_process, .init = fm_reset);

static void expect_wait_status(int32_t st, const char *text)
{
	uint64_t p = fm_put(&st, sizeof(st));
	char expected[160];
	snprintf(expected, sizeof(expected), "wait4(4, [%s], 0, NULL) = 4", text);
	EXPECT_CALL(expected, "wait4", 4, 4, p, 0, 0);
}

Test(decode_process, wait4_statuses)
{
	expect_wait_status(3 << 8, "{WIFEXITED(s) && WEXITSTATUS(s) == 3}");
	expect_wait_status(SIGKILL, "{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}");
	expect_wait_status(SIGSEGV | 0x80, "{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}");
	expect_wait_status(SIGSTOP << 8 | 0x7f, "{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}");
	expect_wait_status(0xffff, "{WIFCONTINUED(s)}");
}

Test(decode_process, wait4_not_reaped_and_bad_pointers)
{
	int32_t st = 0;
	uint64_t p = fm_put(&st, sizeof(st));
	char expected[160];
	snprintf(expected, sizeof(expected), "wait4(-1, %#llx, WNOHANG, NULL) = 0",
		 (unsigned long long)p);
	EXPECT_CALL(expected, "wait4", 0, (uint64_t)-1, p, WNOHANG, 0);
	snprintf(expected, sizeof(expected),
		 "wait4(-1, %#llx, WNOHANG|__WCLONE|__WNOTHREAD|0x100000, NULL) = -1 EINVAL (Invalid "
		 "argument)",
		 (unsigned long long)p);
	EXPECT_CALL(expected, "wait4", -22, (uint64_t)-1, p,
		    WNOHANG | __WCLONE | __WNOTHREAD | 0x100000, 0);
	EXPECT_CALL("wait4(-1, 0x10, 0, 0x20) = 5", "wait4", 5, (uint64_t)-1, 0x10, 0, 0x20);
	EXPECT_CALL("wait4(-1, NULL, __WALL, NULL) = 5", "wait4", 5, (uint64_t)-1, 0, __WALL, 0);
	EXPECT_CALL("wait4(2, NULL, WSTOPPED|WCONTINUED, NULL) = 2", "wait4", 2, 2, 0,
		    WUNTRACED | WCONTINUED, 0);
}

Test(decode_process, kill_family)
{
	EXPECT_CALL("kill(3, SIGKILL) = 0", "kill", 0, 3, SIGKILL);
	EXPECT_CALL("kill(0, 0) = 0", "kill", 0, 0, 0);
	EXPECT_CALL("kill(-1, 99) = -1 EINVAL (Invalid argument)", "kill", -22, (uint64_t)-1, 99);
	EXPECT_CALL("kill(999999, SIGRTMIN) = -1 ESRCH (No such process)", "kill", -3, 999999, 32);
	EXPECT_CALL("kill(999999, SIGRT_5) = -1 ESRCH (No such process)", "kill", -3, 999999, 37);
	EXPECT_CALL("kill(999999, SIGRT_32) = -1 ESRCH (No such process)", "kill", -3, 999999, 64);
	EXPECT_CALL("tkill(1, SIGURG) = 0", "tkill", 0, 1, SIGURG);
	EXPECT_CALL("tgkill(1, 7, SIGTERM) = 0", "tgkill", 0, 1, 7, SIGTERM);
}

Test(decode_process, pidfd)
{
	EXPECT_CALL("pidfd_open(1, 0) = 3", "pidfd_open", 3, 1, 0);
	EXPECT_CALL("pidfd_open(1, PIDFD_NONBLOCK) = 4", "pidfd_open", 4, 1, 04000);
	EXPECT_CALL("pidfd_send_signal(3, SIGTERM, NULL, 0) = 0", "pidfd_send_signal", 0, 3, SIGTERM,
		    0, 0);
}
