/* floor.c - the cheapest ptrace tracer that makes a given set of stops: the
 * benchmark's floor. It decodes, models and prints nothing; it only follows
 * forks and resumes every stop, so its cost over an untraced run is what the
 * stops alone cost on this machine.
 *
 *   nstrace-floor events   CMD...   fork/vfork/clone/exec events only (PTRACE_CONT)
 *   nstrace-floor syscalls CMD...   plus a stop at every syscall entry and exit
 *   nstrace-floor seccomp SET CMD... a seccomp filter on the syscalls named in SET
 *                                   (comma-separated): a stop there and at its exit
 *   nstrace-floor seccomp-one-cpu SET CMD...  the same, all on the tracer's CPU
 *
 * events, syscalls and seccomp-one-cpu run tracer and command on the tracer's
 * CPU (as nstrace co-locates them); seccomp leaves placement to the scheduler.
 * Which of the two seccomp placements is faster depends on the run (one CPU
 * serializes runc's threads with the tracer; two make each stop a cross-CPU
 * wakeup), so the benchmark times both.
 * Exits with the command's status; NSTRACE_STATS=1 prints its stop count on
 * standard error, as nstrace does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "syscalls.h"

#define MAX_NRS 128

static int usage(void)
{
	fprintf(stderr, "usage: nstrace-floor events|syscalls CMD... | seccomp|seccomp-one-cpu SET "
			"CMD...\n");
	return 2;
}

/* RET_TRACE for the listed numbers, ALLOW for the rest (x86_64 only, as the
 * benchmark's machines). */
static int install_filter(const long *nrs, size_t n)
{
	struct sock_filter f[MAX_NRS + 4];
	size_t k = 0;
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	for (size_t i = 0; i < n; i++)
		f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nrs[i],
						      (unsigned char)(n - i), 0);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
	struct sock_fprog prog = {.len = (unsigned short)k, .filter = f};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return usage();
	const char *mode = argv[1];
	bool every = !strcmp(mode, "syscalls"), one_cpu = !strcmp(mode, "seccomp-one-cpu");
	bool filter = one_cpu || !strcmp(mode, "seccomp");
	if (!every && !filter && strcmp(mode, "events"))
		return usage();
	char **cmd = argv + 2;
	long nrs[MAX_NRS];
	size_t n = 0;
	if (filter) {
		if (argc < 4)
			return usage();
		char *set = strdup(argv[2]);
		for (char *name = strtok(set, ","); name && n < MAX_NRS; name = strtok(NULL, ",")) {
			long nr = syscall_nr(SC_ARCH_X86_64, name);
			if (nr < 0) {
				fprintf(stderr, "nstrace-floor: unknown syscall %s\n", name);
				return 2;
			}
			nrs[n++] = nr;
		}
		cmd = argv + 3;
	}
	if (!filter || one_cpu) {
		cpu_set_t one;
		CPU_ZERO(&one);
		CPU_SET(sched_getcpu(), &one);
		sched_setaffinity(0, sizeof(one), &one); /* the command inherits it */
	}
	pid_t child = fork();
	if (child < 0) {
		perror("nstrace-floor: fork");
		return 1;
	}
	if (child == 0) {
		raise(SIGSTOP); /* until seized */
		if (filter && install_filter(nrs, n) < 0) {
			perror("nstrace-floor: seccomp");
			_exit(126);
		}
		execvp(cmd[0], cmd);
		fprintf(stderr, "nstrace-floor: %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	waitpid(child, NULL, WUNTRACED);
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
		    PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
	if (filter)
		opts |= PTRACE_O_TRACESECCOMP;
	if (ptrace(PTRACE_SEIZE, child, 0, opts) < 0) {
		perror("nstrace-floor: PTRACE_SEIZE");
		kill(child, SIGKILL);
		return 1;
	}
	kill(child, SIGCONT);
	int resume = every ? PTRACE_SYSCALL : PTRACE_CONT;
	int status, rc = 1;
	unsigned long stops = 0;
	for (;;) {
		pid_t pid = waitpid(-1, &status, __WALL);
		if (pid < 0)
			break; /* ECHILD: everyone is gone */
		stops++;
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (pid == child)
				rc = WIFEXITED(status) ? WEXITSTATUS(status)
						       : 128 + WTERMSIG(status);
			continue;
		}
		int sig = WSTOPSIG(status), event = status >> 16;
		if (event == PTRACE_EVENT_SECCOMP)
			ptrace(PTRACE_SYSCALL, pid, 0, 0); /* on to its exit stop */
		else if (event || sig == (SIGTRAP | 0x80) || sig == SIGTRAP)
			ptrace(resume, pid, 0, 0); /* events, syscall stops, a child's first stop */
		else
			ptrace(resume, pid, 0, sig); /* a signal: deliver it */
	}
	const char *stats = getenv("NSTRACE_STATS");
	if (stats && *stats && strcmp(stats, "0"))
		fprintf(stderr, "nstrace-floor: %lu stops\n", stops);
	return rc;
}
