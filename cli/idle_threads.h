/* idle_threads.h - threads of a runtime that can never build a container.
 *
 * A Go runtime (runc, and runc init once nsexec hands over to Go) runs a
 * monitor thread, sysmon, in a loop that never returns: nanosleep from 20 us
 * to 10 ms, a futex wait when idle, an epoll poll, a tgkill to preempt. Traced
 * at every syscall it is a third of a runc launch's stops, and more the slower
 * the launch gets. Recognized by its stack (runtime.sysmon under the
 * nanosleep), such a thread is followed by events only when none of the calls
 * it makes is selected; its spawns, signals and exit are still seen.
 */
#ifndef NSTRACE_IDLE_THREADS_H
#define NSTRACE_IDLE_THREADS_H

#include <stdbool.h>
#include <sys/types.h>

#include "stack.h"
#include "syscalls.h"
#include "tracer.h"

/* Whether the selection leaves sysmon's calls out, so that it may go
 * unstopped (clone and clone3 excepted: a thread it starts is still a spawn
 * event, and thread clones say nothing about a container). */
bool idle_threads_allowed(const struct sc_filter *shown);

/* Whether a syscall entry is the moment to look: a nanosleep. */
bool idle_threads_probe_point(long nr);

/* Whether the stopped task t (of process tgid) is in Go's runtime.sysmon:
 * unwinds at most a few frames with u. */
bool idle_threads_is_sysmon(struct stack_unwinder *u, struct tracee *t, pid_t tgid);

#endif
