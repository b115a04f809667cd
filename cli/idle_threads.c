/* idle_threads.c - recognize Go's sysmon thread by its stack (see the header). */
#define _GNU_SOURCE
#include "idle_threads.h"

#include <string.h>
#include <sys/syscall.h>

#include "arena.h"

/* Every call runtime.sysmon makes or that runs on its thread (signal handling,
 * starting an M for a P it took back, a fatal error). If any is selected the
 * thread keeps its syscall stops, so nothing selected is ever lost. */
static const long sysmon_calls[] = {
	SYS_nanosleep,	    SYS_clock_nanosleep, SYS_futex,	   SYS_epoll_pwait,
	SYS_epoll_wait,	    SYS_epoll_pwait2,	 SYS_tgkill,	   SYS_tkill,
	SYS_getpid,	    SYS_gettid,		 SYS_sched_yield,  SYS_mmap,
	SYS_munmap,	    SYS_mprotect,	 SYS_madvise,	   SYS_sigaltstack,
	SYS_rt_sigprocmask, SYS_rt_sigreturn,	 SYS_rt_sigaction, SYS_write,
	SYS_exit,	    SYS_exit_group,	 SYS_set_robust_list, SYS_rseq,
};

bool idle_threads_allowed(const struct sc_filter *shown)
{
	for (size_t i = 0; i < sizeof(sysmon_calls) / sizeof(sysmon_calls[0]); i++)
		if (sc_filter_has(shown, sysmon_calls[i]))
			return false;
	return true;
}

bool idle_threads_probe_point(long nr)
{
	return nr == SYS_nanosleep;
}

bool idle_threads_is_sysmon(struct stack_unwinder *u, struct tracee *t, pid_t tgid)
{
	struct user_regs_struct regs;
	if (!u || tracer_get_regs(t, &regs) < 0)
		return false;
	/* runtime.usleep (the syscall), then its caller: sysmon, or a worker
	 * stealing work (runqgrab), or a spinning lock; a frame more for luck. */
	struct arena a;
	arena_init(&a);
	struct stack_frame *frames = NULL;
	size_t n = stack_unwind(u, tgid, &regs, tracer_read_mem, (void *)(intptr_t)tracee_tid(t),
				&a, &frames, 3);
	bool sysmon = false;
	for (size_t i = 0; i < n; i++)
		if (frames[i].function && !strcmp(frames[i].function, "runtime.sysmon"))
			sysmon = true;
	arena_reset(&a);
	return sysmon;
}
