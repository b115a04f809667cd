/* test_stack_tracee.h - running a program under ptrace for the stack tests.
 *
 * Tests are not tracer code, so they may call ptrace: the child stops itself
 * (a SIGSTOP in a known call chain) or the test stops it at a chosen
 * syscall; the test then takes its registers as the tracer would and calls
 * stack_unwind. Fixtures live in fixtures/ beside the test executables.
 */
#ifndef TEST_STACK_TRACEE_H
#define TEST_STACK_TRACEE_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stack.h"

/* fixtures/NAME beside this test executable. */
static inline const char *fixture_path(const char *name)
{
	static char path[PATH_MAX];
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return name;
	self[n] = '\0';
	snprintf(path, sizeof(path), "%s/fixtures/%s", dirname(self), name);
	return path;
}

static inline ssize_t tracee_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	pid_t tid = (pid_t)(intptr_t)ctx;
	struct iovec local = {.iov_base = buf, .iov_len = len};
	struct iovec remote = {.iov_base = (void *)(uintptr_t)addr, .iov_len = len};
	return process_vm_readv(tid, &local, 1, &remote, 1, 0);
}

/* Fork and exec argv (execv, or fexecve of exec_fd if >= 0) under
 * PTRACE_TRACEME, output to /dev/null; returns the pid stopped after exec,
 * or -1. */
static inline pid_t tracee_start_fd(char *const argv[], char *const envp[], int exec_fd)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		extern char **environ;
		char *const *env = envp ? envp : environ;
		if (exec_fd >= 0)
			fexecve(exec_fd, argv, env);
		else
			execve(argv[0], argv, env);
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st) || WSTOPSIG(st) != SIGTRAP)
		return -1;
	ptrace(PTRACE_SETOPTIONS, pid, 0,
	       PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC |
		   PTRACE_O_EXITKILL);
	return pid;
}

static inline pid_t tracee_start(char *const argv[], char *const envp[])
{
	return tracee_start_fd(argv, envp, -1);
}

/* Run every traced thread until one of them is stopped. With want_syscall,
 * stop at the entry of a syscall pred accepts (the pid returned is the
 * thread's); else at the delivery of SIGSTOP to the main thread. Signals the
 * program gets meanwhile are passed on. Returns the stopped thread or -1. */
static inline pid_t tracee_run_until(pid_t pid, bool want_syscall,
				     bool (*pred)(const struct user_regs_struct *),
				     struct user_regs_struct *regs)
{
	enum __ptrace_request cont = want_syscall ? PTRACE_SYSCALL : PTRACE_CONT;
	ptrace(cont, pid, 0, 0);
	for (;;) {
		int st;
		pid_t tid = waitpid(-1, &st, __WALL);
		if (tid < 0)
			return -1;
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (tid == pid)
				return -1;
			continue;
		}
		int sig = WSTOPSIG(st);
		if (sig == (SIGTRAP | 0x80)) {
			ptrace(PTRACE_GETREGS, tid, 0, regs);
			if ((long)regs->rax == -ENOSYS && pred && pred(regs))
				return tid;
			sig = 0;
		} else if (st >> 16) {
			sig = 0; /* clone event */
		} else if (sig == SIGSTOP) {
			if (!want_syscall && tid == pid) {
				ptrace(PTRACE_GETREGS, tid, 0, regs);
				return tid;
			}
			sig = 0; /* a new thread's first stop */
		}
		ptrace(cont, tid, 0, sig);
	}
}

static inline void tracee_kill(pid_t pid)
{
	kill(pid, SIGKILL);
	int st;
	while (waitpid(-1, &st, __WALL) > 0)
		;
}

/* Index of the first frame from `from` whose function is name, or -1. */
static inline long frame_index(const struct stack_frame *f, size_t n, size_t from, const char *name)
{
	for (size_t i = from; i < n; i++)
		if (f[i].function && strcmp(f[i].function, name) == 0)
			return (long)i;
	return -1;
}

static inline void frames_dump(const struct stack_frame *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "  #%zu %s(%s+0x%llx) [0x%llx]\n", i,
			f[i].module ? f[i].module : "?", f[i].function ? f[i].function : "",
			(unsigned long long)f[i].offset, (unsigned long long)f[i].ip);
}

#endif
