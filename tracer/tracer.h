/* tracer.h - the ptrace engine: every ptrace call of nstrace lives behind this.
 *
 * It starts a command traced from its first instruction or seizes running
 * processes (every thread), follows fork/vfork/clone/exec, and reports raw stops
 * one at a time. The caller looks at a stop (reads memory, /proc) while the task
 * is still stopped, then resumes it. Nothing is printed here.
 *
 * Signals to nstrace itself (SIGINT, SIGTERM, SIGHUP) only set a flag that
 * tracer_wait reports, so a stop is never half-handled when one arrives.
 */
#ifndef NSTRACE_TRACER_H
#define NSTRACE_TRACER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/user.h>

#include "arena.h"

enum stop_kind {
	STOP_SYSCALL_ENTRY, /* syscall-enter-stop (or a seccomp stop, same meaning) */
	STOP_SYSCALL_EXIT,  /* syscall-exit-stop */
	STOP_SPAWN,	    /* the task created child_tid (fork, vfork, clone, clone3) */
	STOP_EXEC,	    /* the task exec'd; old_tid is the thread that called exec */
	STOP_SIGNAL,	    /* a signal is about to be delivered (it will be re-injected) */
	STOP_GROUP,	    /* a group-stop (SIGSTOP & co): the task stays stopped (LISTEN) */
	STOP_EXIT,	    /* the task is gone: exited or killed (status as from waitpid) */
};

struct tracee; /* opaque: one traced task */

struct tracer_stop {
	enum stop_kind kind;
	struct tracee *t;
	pid_t tid, tgid;
	uint64_t mono_ns;

	/* syscall stops */
	uint32_t arch; /* AUDIT_ARCH_* */
	long nr;
	uint64_t args[6];
	int64_t rval;
	bool is_error;
	bool seccomp; /* reported by a seccomp filter's SECCOMP_RET_TRACE */

	/* STOP_SPAWN */
	pid_t child_tid;
	bool child_is_thread;
	uint64_t clone_flags; /* 0 for fork; read from the caller's registers/memory */
	int spawn_event;      /* PTRACE_EVENT_FORK, _VFORK or _CLONE */

	/* STOP_EXEC */
	pid_t old_tid;

	/* STOP_SIGNAL, STOP_GROUP */
	int sig;
	siginfo_t si; /* STOP_SIGNAL: filled by tracer_stop_siginfo, on demand */

	/* STOP_EXIT */
	int status;
};

enum tracer_wait_result {
	TW_STOP,     /* *stop holds a stopped task; call tracer_resume when done */
	TW_EMPTY,    /* nothing left to trace */
	TW_SIGNAL,   /* nstrace got a signal: *si says which */
	TW_TIMEOUT,  /* the timeout passed */
	TW_ERROR,    /* waitpid failed unexpectedly (errno set) */
	TW_IDLE,     /* the idle hook asked to stop waiting */
};

/* --seccomp: selected calls that trap only on some arguments (tracer_config). */
#define SECCOMP_NARROW_CLONE_NS 1u    /* clone: only with a CLONE_NEW* bit */
#define SECCOMP_NARROW_OPENAT_FIFO 2u /* openat: only flags == O_WRONLY|O_CLOEXEC (the exec fifo) */

struct tracer_config {
	/* --seccomp: the run-mode command gets a filter that stops it only at these
	 * syscalls (x86_64 numbers); its tree is killed if nstrace goes away, since
	 * a filter without its tracer makes those syscalls fail (ENOSYS). */
	bool seccomp;
	const long *seccomp_nrs;
	size_t seccomp_n;
	unsigned seccomp_narrow; /* SECCOMP_NARROW_*: calls that stop only on some arguments */
	/* Run tasks that get syscall stops on the tracer's CPU (see affinity.c). */
	bool colocate;
};

struct tracer;

struct tracer *tracer_new(const struct tracer_config *cfg);
void tracer_free(struct tracer *tr);

/* Run mode: fork, exec argv traced from its first instruction. Returns the pid, or
 * -1 with a one-line message in err. The child gets nstrace's original signal
 * mask and dispositions back, and none of nstrace's descriptors. */
pid_t tracer_spawn(struct tracer *tr, char *const argv[], char *err, size_t errlen);

/* Whether run mode could start cmd (a path, or a name found in PATH): 0, or -1
 * with the same one-line message tracer_spawn would give. Lets the caller fail
 * before it printed anything. */
int tracer_check_command(const char *cmd, char *err, size_t errlen);

/* Attach mode: seize every thread of pid, rescanning /proc/PID/task until it is
 * stable. syscalls: whether the threads get syscall stops from the start.
 * Returns the number of threads, or -1 with a one-line message in err (no such
 * process, kernel thread, already traced, permission denied, ourselves). */
int tracer_attach(struct tracer *tr, pid_t pid, bool syscalls, char *err, size_t errlen);

/* Wait for the next stop; timeout_ms < 0 waits forever. On TW_SIGNAL, *si is
 * the signal nstrace received. */
enum tracer_wait_result tracer_wait(struct tracer *tr, struct tracer_stop *stop, int timeout_ms,
				    siginfo_t *si);
/* Let the stopped task go on (re-injecting a pending signal, LISTEN for
 * group-stops, syscall stops or not according to its depth). */
void tracer_resume(struct tracer *tr, struct tracer_stop *stop);

/* Depth of one task: syscall stops or events only. A running task that should
 * start getting syscall stops is interrupted so that the change is immediate. */
void tracer_set_syscalls(struct tracer *tr, struct tracee *t, bool syscalls);
bool tracer_get_syscalls(const struct tracee *t);
/* At a syscall entry: its exit is of no interest, so resume it without
 * reading it (and report no STOP_SYSCALL_EXIT for it). */
void tracer_skip_exit(struct tracee *t);

/* Co-location: on, the task runs on the tracer's CPU (its affinity saved);
 * off, its own affinity comes back. Detaching always restores it. No-op unless
 * the config asked for it. */
void tracer_colocate(struct tracer *tr, struct tracee *t, bool on);
/* Its own affinity back now, also if it was pinned for its stop rate (a hot
 * parent's pin is inherited): the container's workload starts, and where it
 * runs is not the tracer's business. */
void tracer_uncolocate(struct tracer *tr, struct tracee *t);

/* Detach from tasks, interrupting running ones to do it: none is left stopped
 * (unless it was in a group-stop, as without a tracer), none is killed. A
 * pending signal is re-injected. which: NULL detaches everything; otherwise a
 * predicate over each tracee. Events that happen meanwhile (new children of
 * detached tasks) are detached as well. Returns the number detached. */
typedef bool (*tracee_pred_fn)(void *ctx, struct tracee *t);
size_t tracer_detach(struct tracer *tr, tracee_pred_fn which, void *ctx);

/* Called when the tracer lets go of a task (it exited, vanished, was detached,
 * or a non-leader exec replaced the leader's record): the callee flushes and
 * frees what it keeps in *tracee_user(t) and sets it to NULL. */
typedef void (*tracer_release_fn)(void *ctx, struct tracee *t, bool detached);
void tracer_set_release(struct tracer *tr, tracer_release_fn fn, void *ctx);

/* --seccomp, run mode: processes of the command that still run when the trace
 * ends carry a filter that would make their syscalls fail without us, so they
 * end with the trace (SIGKILL), as PTRACE_O_EXITKILL would do if we died.
 * Attached processes never carry one. Returns how many were killed. */
size_t tracer_end_seccomp_tree(struct tracer *tr);

/* Called whenever tracer_wait is about to sleep (no stop pending) while
 * pending(ctx) says the hook has work: the moment to flush buffered output, so
 * a trace is batched under load and yet current when the tracees are quiet.
 * It returns 0 to sleep as long as need be, N > 0 to be called again within N
 * ms (output waits to be flushed), or < 0 to make tracer_wait return TW_IDLE
 * (the output failed: end the trace now). Until those N ms are up, and with
 * nothing pending, tracer_wait goes straight to a blocking waitpid (the timer
 * set for the hook): the cheapest way to the next stop. */
void tracer_set_idle(struct tracer *tr, int (*fn)(void *ctx), bool (*pending)(void *ctx),
		     void *ctx);

/* What the trace cost, in ptrace terms (NSTRACE_STATS=1 prints it; the bench
 * reports it). stops[] counts reported stops by kind; other_stops the ones
 * handled inside the tracer (a new task's first stop, interrupts, syscall
 * stops with nothing to report); sleeps how often tracer_wait called a
 * blocking waitpid (which returns at once when a stop is already there). */
struct tracer_stats {
	unsigned long stops[STOP_EXIT + 1];
	unsigned long other_stops;
	unsigned long sleeps;
};
void tracer_get_stats(const struct tracer *tr, struct tracer_stats *out);

/* Tracees: iteration and the slots the pipeline uses. */
size_t tracer_count(const struct tracer *tr);
void tracer_foreach(struct tracer *tr, void (*fn)(void *ctx, struct tracee *t), void *ctx);
struct tracee *tracer_find(struct tracer *tr, pid_t tid);
pid_t tracee_tid(const struct tracee *t);
pid_t tracee_tgid(const struct tracee *t);
bool tracee_attached(const struct tracee *t); /* seized while running (not started by us) */
void **tracee_user(struct tracee *t);	     /* one pointer for the caller's per-task data */

/* Whether the task carries our seccomp filter (--seccomp, run mode). */
bool tracee_seccomp_filtered(const struct tracee *t);

/* What a task stopped at STOP_EXEC now runs, read from its new stack: argv
 * (what /proc/PID/cmdline says) and AT_EXECFN, the path given to execve (the
 * kernel's comm is its basename). Strings go to the arena. Returns 0, or -1
 * when the stack is not the usual 64-bit layout: read /proc then. */
struct exec_info {
	size_t argc;
	const char **argv; /* NULL-terminated */
	size_t envc;	   /* the environment's size (its strings are not read) */
	const char *execfn;
	uint64_t phdr, phnum; /* AT_PHDR, AT_PHNUM: where its program headers are */
};
int tracer_exec_info(struct tracee *t, struct arena *a, struct exec_info *out);

/* The GNU build ID of the program t just exec'd (xi from tracer_exec_info),
 * read from its first page in memory: its length, 0 if it has none there. */
size_t tracer_exec_build_id(struct tracee *t, const struct exec_info *xi, unsigned char *id,
			    size_t max);

/* The siginfo of a STOP_SIGNAL stop, read on first use into stop->si (zeroed
 * if the task is gone): a signal nobody shows costs no PTRACE_GETSIGINFO. */
const siginfo_t *tracer_stop_siginfo(struct tracer_stop *stop);

/* Registers of a stopped task (for -k). Returns 0 or -1. */
int tracer_get_regs(struct tracee *t, struct user_regs_struct *regs);

/* Read tracee memory (process_vm_readv, /proc/PID/mem where that fails).
 * Returns bytes read (may be short at an unmapped page) or -1. Signature fits
 * syscall_tables' mem_reader_fn with ctx = (void *)(intptr_t)tid. */
ssize_t tracer_read_mem(void *tid_ctx, uint64_t addr, void *buf, size_t len);

/* Monotonic and wall clocks in ns. */
uint64_t tracer_now_mono(void);
uint64_t tracer_now_wall(void);

#endif
