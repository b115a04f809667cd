/* test_stack_bench.c - what one unwind + symbolize costs (-k's price per shown
 * syscall), on a stopped C fixture, the stripped Go fixture and the real runc
 * in its Go and C parts. Prints the numbers; asserts only that repeated
 * unwinds (served from the caches) give exactly the first unwind's frames.
 *
 *   cold: a new unwinder: /proc/PID/maps read, ELF files opened and parsed
 *   warm: the same stop unwound again (maps and modules cached), per unwind
 * Times are CPU time of the unwinding thread.
 */
#include "test_stack_tracee.h"

#include <criterion/criterion.h>
#include <sys/syscall.h>
#include <time.h>

#define ROUNDS 2000
#define MAX_FRAMES 64

/* CPU time of this thread (kernel time of process_vm_readv included): the
 * machines these run on are shared, wall time says more about neighbours. */
static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void bench(const char *label, pid_t pid, pid_t tid, const struct user_regs_struct *regs)
{
	struct arena first, a;
	struct stack_frame *f0, *f;
	arena_init(&first);
	arena_init(&a);

	double t0 = now_us();
	struct stack_unwinder *u = stack_unwinder_new();
	size_t n0 =
	    stack_unwind(u, pid, regs, tracee_read, (void *)(intptr_t)tid, &first, &f0, MAX_FRAMES);
	double cold = now_us() - t0;
	cr_assert_gt(n0, 3, "%s: unwound", label);

	t0 = now_us();
	for (int r = 0; r < ROUNDS; r++) {
		size_t n = stack_unwind(u, pid, regs, tracee_read, (void *)(intptr_t)tid, &a, &f,
					MAX_FRAMES);
		cr_assert_eq(n, n0, "%s: round %d gave %zu frames, not %zu", label, r, n, n0);
		for (size_t i = 0; i < n; i++) {
			cr_assert_eq(f[i].ip, f0[i].ip);
			cr_assert_eq(f[i].offset, f0[i].offset);
			cr_assert((!f[i].function && !f0[i].function) ||
				  (f[i].function && f0[i].function &&
				   strcmp(f[i].function, f0[i].function) == 0));
		}
		arena_reset(&a);
	}
	double warm = (now_us() - t0) / ROUNDS;
	struct stack_stats s;
	stack_get_stats(u, &s);
	fprintf(
	    stderr,
	    "stack bench %-22s %2zu frames: cold %8.1f us cpu (%lu ELF parsed), warm %6.2f us/unwind, "
	    "%5.2f us/frame\n",
	    label, n0, cold, s.modules_parsed, warm, warm / (double)n0);
	stack_unwinder_free(u);
	arena_reset(&first);
}

static void bench_sigstop(const char *label, const char *fixture)
{
	char *argv[] = {(char *)fixture_path(fixture), NULL};
	pid_t pid = tracee_start(argv, NULL);
	cr_assert_gt(pid, 0);
	struct user_regs_struct regs;
	cr_assert_eq(tracee_run_until(pid, false, NULL, &regs), pid);
	bench(label, pid, pid, &regs);
	tracee_kill(pid);
}

static bool is_write_stdout(const struct user_regs_struct *r)
{
	return r->orig_rax == SYS_write && r->rdi == 1;
}

static bool is_write_stderr(const struct user_regs_struct *r)
{
	return r->orig_rax == SYS_write && r->rdi == 2;
}

static void bench_syscall(const char *label, char *const argv[], char *const envp[],
			  bool (*pred)(const struct user_regs_struct *))
{
	pid_t pid = tracee_start(argv, envp);
	cr_assert_gt(pid, 0);
	struct user_regs_struct regs;
	pid_t tid = tracee_run_until(pid, true, pred, &regs);
	cr_assert_gt(tid, 0);
	bench(label, pid, tid, &regs);
	tracee_kill(pid);
}

Test(stack_bench, c_fixture)
{
	bench_sigstop("C (DWARF, libc)", "stack_chain");
}

Test(stack_bench, c_fixture_frame_pointers)
{
	bench_sigstop("C (frame pointers)", "stack_fp");
}

Test(stack_bench, go_fixture)
{
	bench_sigstop("Go stripped", "stack_go");
}

Test(stack_bench, runc_go)
{
	bench_syscall("runc Go (--version)", (char *[]){"/usr/sbin/runc", "--version", NULL}, NULL,
		      is_write_stdout);
}

Test(stack_bench, runc_c)
{
	bench_syscall(
	    "runc C (nsexec)", (char *[]){"/usr/sbin/runc", "init", NULL},
	    (char *[]){"_LIBCONTAINER_INITPIPE=notanumber", "_LIBCONTAINER_LOGPIPE=2", NULL},
	    is_write_stderr);
}
