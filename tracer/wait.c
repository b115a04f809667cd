/* wait.c - waiting for the next stop, and nstrace's own signals.
 *
 * A stop costs two context switches whatever we do; what the tracer adds on
 * top is the way it sleeps. A blocking waitpid is the cheapest: the stopping
 * tracee wakes it directly. Sleeping in sigtimedwait for SIGCHLD instead costs
 * a queued siginfo and a timer armed per sleep, about 3 us per stop on a VM,
 * a third of the floor. So tracer_wait blocks in waitpid, and:
 *
 *  - SIGINT, SIGTERM and SIGHUP have a handler (no SA_RESTART) that records
 *    the signal and interrupts the waitpid; tracer_wait reports it. The handler
 *    only records, so a stop being handled is never disturbed. A signal that
 *    lands between the check and the waitpid arms a 1 ms timer that interrupts
 *    the wait anyway.
 *  - deadlines (--timeout, the detach bound, the output flush) are a one-shot
 *    ITIMER_REAL whose SIGALRM interrupts the waitpid; armed only when the
 *    deadline is sooner than the one already armed.
 *  - SIGCHLD stays at its default (ignored): the kernel drops it at once.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "tracee_table.h"
#include "tracer_internal.h"

const int tracer_sigs[TRACER_NSIGS] = {SIGINT, SIGTERM, SIGHUP, SIGALRM, SIGCHLD};
#define NSTOPSIGS 3 /* the first three end the trace */

/* Set by the handlers, read by tracer_wait. One tracer per process. */
static volatile sig_atomic_t got[NSTOPSIGS]; /* tracer_sigs[i] arrived (a flag each:
					      * no read-modify-write to race with) */
static siginfo_t got_info[NSTOPSIGS];	     /* the first of each */
static volatile sig_atomic_t alarm_fired; /* our timer went off */

static void arm_timer_us(long us)
{
	struct itimerval it = {.it_value = {.tv_sec = us / 1000000, .tv_usec = us % 1000000}};
	if (!it.it_value.tv_sec && !it.it_value.tv_usec)
		it.it_value.tv_usec = 1;
	setitimer(ITIMER_REAL, &it, NULL);
}

static void on_stop_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	int saved = errno;
	for (int i = 0; i < NSTOPSIGS; i++) {
		if (tracer_sigs[i] != sig)
			continue;
		if (!got[i])
			got_info[i] = *si;
		got[i] = 1;
	}
	/* if tracer_wait checked before we ran, its waitpid must not sleep on */
	arm_timer_us(1000);
	errno = saved;
}

static void on_alarm(int sig)
{
	(void)sig;
	alarm_fired = 1;
}

void tracer_signals_init(struct tracer *tr)
{
	for (int i = 0; i < NSTOPSIGS; i++)
		got[i] = 0;
	alarm_fired = 0;
	tr->timer_deadline = 0;
	/* A closed output must come back as EPIPE, not kill us with tracees stopped. */
	struct sigaction ign = {.sa_handler = SIG_IGN};
	sigaction(SIGPIPE, &ign, &tr->orig_sigpipe);
	for (int i = 0; i < TRACER_NSIGS; i++) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sigemptyset(&sa.sa_mask);
		if (i < NSTOPSIGS) {
			/* also when inherited as SIG_IGN (a background job of a
			 * script): we must hear about them to detach first */
			sa.sa_sigaction = on_stop_signal;
			sa.sa_flags = SA_SIGINFO; /* no SA_RESTART: interrupt waitpid */
		} else if (tracer_sigs[i] == SIGALRM) {
			sa.sa_handler = on_alarm;
		} else {
			/* SIGCHLD: an inherited SIG_IGN would reap our children */
			sa.sa_handler = SIG_DFL;
		}
		sigaction(tracer_sigs[i], &sa, &tr->orig_sigs[i]);
	}
	sigset_t ours;
	sigemptyset(&ours);
	for (int i = 0; i < TRACER_NSIGS; i++)
		sigaddset(&ours, tracer_sigs[i]);
	sigprocmask(SIG_UNBLOCK, &ours, &tr->orig_mask);
}

void tracer_signals_restore(struct tracer *tr)
{
	struct itimerval off = {0};
	setitimer(ITIMER_REAL, &off, NULL);
	tr->timer_deadline = 0;
	sigaction(SIGPIPE, &tr->orig_sigpipe, NULL);
	for (int i = 0; i < TRACER_NSIGS; i++)
		sigaction(tracer_sigs[i], &tr->orig_sigs[i], NULL);
	sigprocmask(SIG_SETMASK, &tr->orig_mask, NULL);
}

/* Report one recorded signal (the lowest first), or false. */
static bool take_signal(siginfo_t *si)
{
	for (int i = 0; i < NSTOPSIGS; i++) {
		if (!got[i])
			continue;
		if (si)
			*si = got_info[i];
		got[i] = 0;
		return true;
	}
	return false;
}

/* Make sure a SIGALRM comes by deadline (mono ns; 0: none needed). */
static void arm_deadline(struct tracer *tr, uint64_t deadline)
{
	if (alarm_fired) {
		alarm_fired = 0;
		tr->timer_deadline = 0;
	}
	if (!deadline)
		return;
	uint64_t now = tracer_now_mono();
	if (tr->timer_deadline && tr->timer_deadline > now && tr->timer_deadline <= deadline)
		return; /* one armed already comes in time */
	tr->timer_deadline = deadline;
	arm_timer_us(deadline > now ? (long)((deadline - now + 999) / 1000) : 1);
}

enum tracer_wait_result tracer_wait(struct tracer *tr, struct tracer_stop *stop, int timeout_ms,
				    siginfo_t *si)
{
	uint64_t deadline = timeout_ms >= 0 ? tracer_now_mono() + (uint64_t)timeout_ms * 1000000u : 0;
	bool idle_done = false; /* nothing was ready and the idle hook ran: now sleep */
	for (;;) {
		if (take_signal(si))
			return TW_SIGNAL;
		int status;
		pid_t pid;
		uint64_t now = tracer_now_mono();
		bool pending = tr->idle_pending && tr->idle_pending(tr->idle_ctx);
		/* Poll first only when something is due before we sleep (the
		 * deadline, the idle hook's next call); else block right away,
		 * with the timer set for whichever comes first. A poll per stop
		 * is a syscall per stop. */
		bool due = (deadline && now >= deadline) || (pending && now >= tr->idle_due);
		if (due && !idle_done) {
			pid = waitpid(-1, &status, __WALL | WNOHANG);
		} else {
			uint64_t when = deadline;
			if (pending && tr->idle_due > now && (!when || tr->idle_due < when))
				when = tr->idle_due;
			if (tr->nhot) {
				/* hot tracees that went quiet get their CPUs back */
				uint64_t cool = tracer_cool(tr, now);
				if (cool && (!when || cool < when))
					when = cool;
			}
			if (tr->next_orphans) {
				/* new children whose parent's fork event never came */
				uint64_t orphans = tracer_release_orphans(tr, now);
				if (orphans && (!when || orphans < when))
					when = orphans;
			}
			arm_deadline(tr, when);
			tr->stats.sleeps++;
			pid = waitpid(-1, &status, __WALL);
		}
		idle_done = false;
		if (pid > 0) {
			if (tracer_handle_status(tr, pid, status, stop)) {
				tr->stats.stops[stop->kind]++;
				if (stop->kind != STOP_EXIT)
					tracer_note_stop(tr, stop->t, stop->mono_ns);
				return TW_STOP;
			}
			if (WIFSTOPPED(status))
				tr->stats.other_stops++;
			continue;
		}
		if (pid < 0 && errno == EINTR)
			continue; /* a signal of ours, or the timer: look again */
		if (pid < 0 && errno == ECHILD) {
			/* tasks we still hold records for cannot report anymore */
			if (tr->tt.count)
				tt_foreach(&tr->tt, tracer_drop_cb, tr);
			return TW_EMPTY;
		}
		if (pid < 0)
			return TW_ERROR;
		/* pid == 0: nothing is ready */
		if (tr->tt.count == 0)
			return TW_EMPTY;
		if (deadline && now >= deadline)
			return TW_TIMEOUT;
		int hook = tr->idle ? tr->idle(tr->idle_ctx) : 0;
		if (hook < 0)
			return TW_IDLE;
		tr->idle_due = hook > 0 ? now + (uint64_t)hook * 1000000u : 0;
		idle_done = true;
	}
}
