/* tracee_table.h - per-task state of the tracer and the table that holds it.
 *
 * Like strace's struct tcb: one struct per traced task, found by tid. The table
 * is an open hash so that fork storms with thousands of tasks stay O(1).
 */
#ifndef NSTRACE_TRACEE_TABLE_H
#define NSTRACE_TRACEE_TABLE_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct tracee {
	pid_t tid, tgid;
	bool attached;	    /* seized while running (attach mode): never kill, detach at end */
	bool syscalls;	    /* depth: PTRACE_SYSCALL (true) or PTRACE_CONT */
	bool running;	    /* resumed, not in a ptrace-stop we hold */
	bool group_stopped; /* in a group-stop, resumed with PTRACE_LISTEN */
	bool awaiting_start;  /* spawned: its first stop has not come yet */
	bool awaiting_parent; /* its first stop came before its parent's spawn event */
	uint64_t held_since;  /* when (mono ns), while awaiting_parent */
	bool interrupted;     /* PTRACE_INTERRUPT sent, its stop not seen yet */
	bool detaching;	      /* tracer_detach wants it gone */
	bool starting;	      /* run-mode command before its exec: our SIGSTOP/SIGCONT are not its own */
	bool in_syscall;      /* between an entry stop and its exit stop */
	bool skip_exit;	      /* nobody wants this syscall's exit: resume it unread */
	bool seccomp_filtered; /* carries our seccomp filter: entries come as seccomp stops */
	bool pinned;	       /* runs on the tracer's CPU (affinity.c); orig_cpus to restore */
	bool hot;	       /* pinned for its event rate, not for syscall stops (affinity.c) */
	unsigned win_stops;    /* its stops since win_start */
	uint64_t win_start, last_stop; /* mono ns */
	cpu_set_t orig_cpus;
	long sc_nr;	       /* the syscall in progress, for its exit stop */
	uint64_t sc_args[6];
	void *user;	      /* the pipeline's data */
	struct tracee *next;  /* hash chain */
};

struct tracee_table {
	struct tracee **buckets;
	size_t nbuckets, count;
};

void tt_init(struct tracee_table *tt);
void tt_free(struct tracee_table *tt);
struct tracee *tt_find(const struct tracee_table *tt, pid_t tid);
/* Find or create; a new tracee is zeroed but for tid. */
struct tracee *tt_get(struct tracee_table *tt, pid_t tid, bool *created);
/* Remove and free (the caller handled t->user). */
void tt_remove(struct tracee_table *tt, pid_t tid);
void tt_foreach(struct tracee_table *tt, void (*fn)(void *ctx, struct tracee *t), void *ctx);

#endif
