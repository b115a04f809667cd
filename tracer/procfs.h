/* procfs.h - what /proc says about a task: namespaces, pids, names, identity.
 *
 * Read at attach, spawn, exec and after namespace syscalls, never on the
 * per-syscall hot path. A task may vanish at any time: every reader fails soft.
 */
#ifndef NSTRACE_PROCFS_H
#define NSTRACE_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "arena.h"
#include "event.h"

/* Inodes of /proc/TID/ns/\*; returns how many could be read. */
int procfs_ns(pid_t tid, struct ns_set *ns);
/* The same for the types in which (NS_BIT()s) only, the others left as they
 * are: a first stat of these magic links costs tens of microseconds each. */
int procfs_ns_some(pid_t tid, struct ns_set *ns, uint32_t which);

struct proc_status {
	pid_t tgid, ppid, tracer_pid;
	pid_t nspid;   /* innermost value of NSpid: the pid in the task's own pid ns */
	pid_t nstid;   /* innermost value of NSpid for the thread */
	char state;    /* R, S, D, T, t, Z, ... */
	bool kthread;
	int seccomp;   /* Seccomp: 0 none, 1 strict, 2 filter */
	char name[64];
};
/* /proc/PID/task/TID/status (tid may equal pid). Returns 0 or -1. */
int procfs_status(pid_t pid, pid_t tid, struct proc_status *st);

/* /proc/TID/comm into buf (no newline). Returns 0 or -1. */
int procfs_comm(pid_t tid, char *buf, size_t len);
/* readlink /proc/TID/fd/FD into buf (not NUL-terminated): its length, or -1.
 * ctx is the tid, as for tracer_read_mem (a decoder's fd_path_fn). */
ssize_t procfs_fd_path(void *tid_ctx, int fd, char *buf, size_t len);
/* readlink /proc/PID/exe into the arena, or NULL. */
const char *procfs_exe(pid_t pid, struct arena *a);
/* /proc/PID/cmdline split into argv in the arena; returns argc (0 on failure). */
size_t procfs_cmdline(pid_t pid, struct arena *a, const char ***argv);
/* Whether pid is a kernel thread (PF_KTHREAD in /proc/PID/stat). */
bool procfs_is_kthread(pid_t pid);
/* Thread ids of /proc/PID/task into tids (up to max); returns the count or -1. */
int procfs_tasks(pid_t pid, pid_t *tids, size_t max);

#endif
