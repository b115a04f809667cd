/* test_stack_runc_run.c - the scenario without the rest of nstrace:
 * a real `runc run` of a busybox bundle, followed through its forks and its
 * re-exec (runc init runs from a memfd copy of itself), stopped at the
 * unshare of runc:[1:CHILD] (C, nsexec) and at the pivot_root of
 * runc:[2:INIT] (Go), and unwound there.
 *
 * Its libseccomp calls (cgo) are unwound too, back to their Go callers.
 *
 * Debian's runc is stripped: under unshare, libc's unshare then runc's C
 * functions that have an exported extent (try_unshare, nsexec), nothing
 * borrowed; under pivot_root, the Go names of golang.org/x/sys/unix and
 * runc's libcontainer from .gopclntab.
 */
#include "test_stack_tracee.h"

#include <criterion/criterion.h>
#include <sys/syscall.h>

#define MAX_FRAMES 64

static char source_dir[PATH_MAX];

/* The repository, from this file's path at build time (scripts/). */
static const char *repo_dir(void)
{
	snprintf(source_dir, sizeof(source_dir), "%s", __FILE__);
	for (int up = 0; up < 3; up++) {
		char *slash = strrchr(source_dir, '/');
		if (slash)
			*slash = '\0';
	}
	return source_dir;
}

static pid_t tgid_of(pid_t tid)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	FILE *f = fopen(path, "r");
	pid_t tgid = tid;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	if (f)
		fclose(f);
	return tgid;
}

/* Run the whole traced tree until some task enters syscall nr. */
static pid_t run_to_syscall(long nr, struct user_regs_struct *regs)
{
	for (;;) {
		int st;
		pid_t tid = waitpid(-1, &st, __WALL);
		if (tid < 0)
			return -1;
		if (WIFEXITED(st) || WIFSIGNALED(st))
			continue;
		int sig = WSTOPSIG(st);
		if (sig == (SIGTRAP | 0x80)) {
			ptrace(PTRACE_GETREGS, tid, 0, regs);
			if ((long)regs->rax == -ENOSYS && (long)regs->orig_rax == nr)
				return tid;
			sig = 0;
		} else if (st >> 16 || sig == SIGSTOP) {
			sig = 0; /* fork/clone/exec events, new tasks' first stop */
		}
		ptrace(PTRACE_SYSCALL, tid, 0, sig);
	}
}

static void dump(const char *what, const struct stack_frame *f, size_t n)
{
	fprintf(stderr, "%s:\n", what);
	frames_dump(f, n);
}

Test(stack_runc_run, unshare_and_pivot_root, .timeout = 60)
{
	char bundle[] = "/tmp/stack-runc-XXXXXX", cmd[PATH_MAX * 2], id[64];
	cr_assert_not_null(mkdtemp(bundle));
	snprintf(cmd, sizeof(cmd), "%s/scripts/make-bundle.sh %s >/dev/null", repo_dir(), bundle);
	cr_assert_eq(system(cmd), 0, "make-bundle.sh");
	snprintf(id, sizeof(id), "stack-unwind-%d", getpid());

	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (chdir(bundle) != 0)
			_exit(126);
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		execl("/usr/sbin/runc", "runc", "run", id, (char *)NULL);
		_exit(127);
	}
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	ptrace(PTRACE_SETOPTIONS, pid, 0,
	       PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK |
		   PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL);
	ptrace(PTRACE_SYSCALL, pid, 0, 0);

	struct stack_unwinder *u = stack_unwinder_new();
	struct arena arena;
	arena_init(&arena);

	/* Stop at each syscall in turn and unwind there: runc's first seccomp
	 * calls (libseccomp, through cgo), the unshare of runc:[1:CHILD], the
	 * pivot_root of runc:[2:INIT]. Assertions come after the cleanup. */
	static const long nrs[] = {SYS_seccomp, SYS_unshare, SYS_pivot_root};
	static const char *const names[] = {"seccomp", "unshare", "pivot_root"};
	struct stack_frame *frames[3] = {NULL, NULL, NULL};
	size_t counts[3] = {0, 0, 0};
	pid_t tid = -1;
	for (size_t k = 0; k < 3; k++) {
		struct user_regs_struct regs;
		tid = run_to_syscall(nrs[k], &regs);
		if (tid <= 0)
			break;
		counts[k] = stack_unwind(u, tgid_of(tid), &regs, tracee_read, (void *)(intptr_t)tid,
					 &arena, &frames[k], MAX_FRAMES);
		dump(names[k], frames[k], counts[k]);
		if (k < 2)
			ptrace(PTRACE_SYSCALL, tid, 0, 0);
	}

	/* Everything traced dies with us (EXITKILL); take the tree down now. */
	if (tid > 0)
		kill(tid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(-1, &st, __WALL) > 0)
		;
	/* runc killed before its state was written: delete finds nothing, and
	 * the cgroups runc made for the id stay unless removed here */
	snprintf(cmd, sizeof(cmd),
		 "runc delete --force %s >/dev/null 2>&1; rm -rf %s; "
		 "for d in /sys/fs/cgroup/*/%s /sys/fs/cgroup/%s; do "
		 "[ -d \"$d\" ] && rmdir \"$d\"; done 2>/dev/null",
		 id, bundle, id, id);
	(void)system(cmd);

	for (size_t k = 0; k < 3; k++)
		cr_assert_gt(counts[k], 0, "no stack at %s", names[k]);
	struct stack_frame *sf = frames[0], *uf = frames[1], *pf = frames[2];
	size_t sn = counts[0], un = counts[1], pn = counts[2];

	/* seccomp: libseccomp's C frames, then back on the goroutine's stack. */
	long cg = frame_index(sf, sn, 1, "runtime.asmcgocall");
	cr_assert_geq(cg, 2, "the cgo call under seccomp");
	cr_assert_eq(frame_index(sf, sn, (size_t)cg, "runtime.cgocall"), cg + 1);
	bool seccomp_go = false;
	for (size_t i = (size_t)cg; i < sn; i++)
		seccomp_go |= sf[i].function &&
			      !strncmp(sf[i].function, "github.com/seccomp/libseccomp-golang.", 37);
	cr_assert(seccomp_go, "libseccomp-golang's Go frames above the cgo call");
	cr_assert_str_eq(sf[sn - 1].function, "runtime.goexit");

	/* unshare: libc, then runc's C code (the memfd copy of itself), nsexec. */
	cr_assert_gt(un, 3);
	cr_assert(strstr(uf[0].module, "libc.so"), "frame 0 in libc");
	cr_assert_str_eq(uf[0].function ? uf[0].function : "", "unshare");
	long ns = frame_index(uf, un, 1, "nsexec");
	cr_assert_geq(ns, 1, "nsexec under unshare");
	for (long i = 1; i <= ns; i++) {
		const char *fn = uf[i].function;
		cr_assert(!fn || !strcmp(fn, "try_unshare") || !strcmp(fn, "nsexec"),
			  "runc C frame %ld named %s", i, fn);
		/* runc init runs from a copy on a detached mount: "/" */
		cr_assert(!strcmp(uf[i].module, "/") || strstr(uf[i].module, "runc"),
			  "frame %ld module %s", i, uf[i].module);
	}

	/* pivot_root: Go names all the way. */
	static const char *const chain[] = {
	    "golang.org/x/sys/unix.PivotRoot",
	    "github.com/opencontainers/runc/libcontainer.pivotRoot",
	    "github.com/opencontainers/runc/libcontainer.(*linuxStandardInit).Init",
	};
	long at = 0;
	for (size_t i = 0; i < sizeof(chain) / sizeof(chain[0]); i++) {
		long j = frame_index(pf, pn, (size_t)at, chain[i]);
		cr_assert_geq(j, at, "%s under pivot_root, in order", chain[i]);
		at = j;
	}
	for (size_t i = 0; i < pn; i++)
		cr_assert_not_null(pf[i].function, "pivot_root frame %zu unnamed", i);
	cr_assert_str_eq(pf[pn - 1].function, "runtime.goexit");
	arena_reset(&arena);
	stack_unwinder_free(u);
}
