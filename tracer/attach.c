/* attach.c - seize a running process, every thread of it.
 *
 * PTRACE_SEIZE (not ATTACH) so that group-stops can be reported and kept with
 * PTRACE_LISTEN and no SIGSTOP is injected. Threads keep being created while
 * we seize (a Go daemon spawns them at will), so /proc/PID/task is rescanned
 * until a pass finds nothing new; threads cloned by an already-seized thread
 * are auto-attached by PTRACE_O_TRACECLONE anyway.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <unistd.h>

#include "procfs.h"
#include "tracee_table.h"
#include "tracer_internal.h"

#define MAX_TASKS 65536

/* Why a seize failed, in words an operator can act on. */
static void explain_eperm(pid_t pid, const char *comm, char *err, size_t errlen)
{
	char scope[16] = "";
	FILE *f = fopen("/proc/sys/kernel/yama/ptrace_scope", "re");
	if (f) {
		if (!fgets(scope, sizeof(scope), f))
			scope[0] = '\0';
		fclose(f);
		scope[strcspn(scope, "\n")] = '\0';
	}
	if (scope[0] && strcmp(scope, "0") != 0)
		snprintf(err, errlen,
			 "cannot attach to pid %d (%s): Operation not permitted "
			 "(kernel.yama.ptrace_scope = %s; run as root or set it to 0)",
			 pid, comm, scope);
	else if (geteuid() != 0)
		snprintf(err, errlen,
			 "cannot attach to pid %d (%s): Operation not permitted (not root)", pid,
			 comm);
	else
		snprintf(err, errlen, "cannot attach to pid %d (%s): Operation not permitted", pid,
			 comm);
}

/* EPERM on a thread of a busy process is not always a refusal: a thread that
 * an already-seized thread just cloned is ours by PTRACE_O_TRACECLONE (its
 * stop is on its way), and one that is exiting cannot be seized any more. */
static bool seize_race(pid_t pid, pid_t tid)
{
	struct proc_status st;
	if (procfs_status(pid, tid, &st) < 0)
		return true; /* gone */
	return st.tracer_pid == getpid() || st.state == 'Z' || st.state == 'X';
}

static bool same_tgid(void *ctx, struct tracee *t)
{
	return t->tgid == *(pid_t *)ctx;
}

int tracer_attach(struct tracer *tr, pid_t pid, bool syscalls, char *err, size_t errlen)
{
	struct proc_status st;
	if (pid == getpid()) {
		snprintf(err, errlen, "pid %d is nstrace itself: it cannot trace itself", pid);
		return -1;
	}
	if (procfs_status(pid, pid, &st) < 0) {
		snprintf(err, errlen, "pid %d: no such process", pid);
		return -1;
	}
	if (st.kthread || procfs_is_kthread(pid)) {
		snprintf(err, errlen, "pid %d (%s) is a kernel thread: it cannot be traced", pid,
			 st.name);
		return -1;
	}
	if (st.tgid && st.tgid != pid) {
		/* a thread id: trace its whole process */
		pid = st.tgid;
		if (procfs_status(pid, pid, &st) < 0) {
			snprintf(err, errlen, "pid %d: no such process", pid);
			return -1;
		}
	}
	if (st.tracer_pid == getpid()) {
		snprintf(err, errlen, "pid %d (%s) is already traced by this nstrace", pid,
			 st.name);
		return -1;
	}
	if (st.tracer_pid) {
		char tcomm[64] = "?";
		procfs_comm(st.tracer_pid, tcomm, sizeof(tcomm));
		snprintf(err, errlen, "pid %d (%s) is already traced by pid %d (%s)", pid, st.name,
			 st.tracer_pid, tcomm);
		return -1;
	}

	static pid_t tids[MAX_TASKS];
	int total = 0;
	for (int pass = 0;; pass++) {
		int n = procfs_tasks(pid, tids, MAX_TASKS);
		if (n < 0) {
			if (total)
				break; /* the process exited while we attached */
			snprintf(err, errlen, "pid %d: no such process", pid);
			return -1;
		}
		int fresh = 0;
		for (int i = 0; i < n; i++) {
			if (tt_find(&tr->tt, tids[i]))
				continue;
			if (ptrace(PTRACE_SEIZE, tids[i], 0, tr->options) < 0) {
				if (errno == ESRCH)
					continue; /* the thread exited meanwhile */
				if (errno == EPERM && seize_race(pid, tids[i]))
					continue;
				int e = errno;
				if (total)
					tracer_detach(tr, same_tgid, &pid); /* undo the partial attach */
				if (e == EPERM) {
					struct proc_status again;
					if (procfs_status(pid, tids[i], &again) == 0 && again.tracer_pid)
						snprintf(err, errlen,
							 "pid %d (%s) is already traced by pid %d", pid,
							 st.name, again.tracer_pid);
					else
						explain_eperm(pid, st.name, err, errlen);
				} else {
					snprintf(err, errlen, "cannot attach to pid %d (%s): %s", pid,
						 st.name, strerror(e));
				}
				return -1;
			}
			struct tracee *t = tt_get(&tr->tt, tids[i], NULL);
			t->tgid = pid;
			t->attached = true;
			tr->attached_any = true;
			t->running = true;
			t->syscalls = syscalls;
			if (syscalls && ptrace(PTRACE_INTERRUPT, t->tid, 0, 0) == 0)
				t->interrupted = true;
			fresh++;
			total++;
		}
		if (fresh == 0 && pass > 0)
			break;
	}
	if (total == 0) {
		snprintf(err, errlen, "pid %d: no such process", pid);
		return -1;
	}
	return total;
}
