/* spawn.c - run mode: start a command traced from its first instruction.
 *
 * As strace does with PTRACE_SEIZE: the child stops itself before exec, we
 * seize it while it is stopped and continue it, so its execve is the first
 * thing we see. The child gets back the signal mask and SIGPIPE disposition
 * nstrace had before it blocked its own signals, and it inherits no descriptor
 * of ours (all are O_CLOEXEC), so it runs as it would untraced.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "procfs.h"
#include "seccomp_filter.h"
#include "tracee_table.h"
#include "tracer_internal.h"

/* Find what execvp would run, to fail before forking and to exec that path
 * directly: the trace then starts with the one execve that succeeds, not with
 * a failed attempt per PATH entry (strace does the same). */
static int resolve_command(const char *cmd, char *out, size_t outlen, char *err, size_t errlen)
{
	if (strchr(cmd, '/')) {
		snprintf(out, outlen, "%s", cmd);
		if (access(cmd, X_OK) == 0)
			return 0;
		snprintf(err, errlen, "cannot run '%s': %s", cmd, strerror(errno));
		return -1;
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	char buf[4096];
	for (const char *p = path; *p;) {
		const char *colon = strchr(p, ':');
		size_t len = colon ? (size_t)(colon - p) : strlen(p);
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, len ? p : ".", cmd);
		struct stat sb;
		if (stat(buf, &sb) == 0 && S_ISREG(sb.st_mode) && access(buf, X_OK) == 0) {
			snprintf(out, outlen, "%s", buf);
			return 0;
		}
		p += len + (colon ? 1 : 0);
		if (!colon)
			break;
	}
	snprintf(err, errlen, "cannot run '%s': command not found in PATH", cmd);
	return -1;
}

int tracer_check_command(const char *cmd, char *err, size_t errlen)
{
	char path[4096];
	return resolve_command(cmd, path, sizeof(path), err, errlen);
}

pid_t tracer_spawn(struct tracer *tr, char *const argv[], char *err, size_t errlen)
{
	if (!argv || !argv[0]) {
		snprintf(err, errlen, "no command given");
		return -1;
	}
	char path[4096];
	if (resolve_command(argv[0], path, sizeof(path), err, errlen) < 0)
		return -1;

	struct seccomp_prog prog;
	bool want_filter = tr->cfg.seccomp;
	if (want_filter && seccomp_prog_build(&prog, tr->cfg.seccomp_nrs, tr->cfg.seccomp_n,
					      tr->cfg.seccomp_narrow) < 0) {
		snprintf(err, errlen, "--seccomp: too many syscalls selected for one filter");
		return -1;
	}

	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		sigaction(SIGPIPE, &tr->orig_sigpipe, NULL);
		for (int i = 0; i < TRACER_NSIGS; i++)
			sigaction(tracer_sigs[i], &tr->orig_sigs[i], NULL);
		sigprocmask(SIG_SETMASK, &tr->orig_mask, NULL);
		/* nor our CPU: we may have pinned ourselves for an attached task */
		if (tr->self_pinned)
			sched_setaffinity(0, sizeof(tr->self_orig), &tr->self_orig);
		if (want_filter) {
			/* Installed before the stop, so the command's very first
			 * syscall already runs under it. Root needs no no_new_privs. */
			struct sock_fprog fp = {.len = prog.len, .filter = prog.insns};
			if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) < 0)
				fprintf(stderr,
					"nstrace: --seccomp: cannot install the filter (%s): "
					"tracing every syscall instead\n",
					strerror(errno));
		}
		raise(SIGSTOP); /* wait here until the parent has seized us */
		execv(path, argv);
		fprintf(stderr, "nstrace: cannot run '%s': %s\n", argv[0], strerror(errno));
		_exit(127);
	}

	int status;
	while (waitpid(pid, &status, WSTOPPED) < 0) {
		if (errno != EINTR) {
			snprintf(err, errlen, "waitpid: %s", strerror(errno));
			return -1;
		}
	}
	if (!WIFSTOPPED(status)) {
		snprintf(err, errlen, "the command exited before it could be traced");
		return -1;
	}
	/* Did the filter go in? /proc says (Seccomp: 2). */
	struct proc_status st;
	bool filtered = want_filter && procfs_status(pid, pid, &st) == 0 && st.seccomp == 2;
	unsigned long opts = tr->options;
	if (filtered) /* a filtered tree must not outlive us: its syscalls would fail */
		opts |= PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL;
	if (ptrace(PTRACE_SEIZE, pid, 0, opts) < 0) {
		int e = errno;
		kill(pid, SIGKILL); /* ours, never ran: nothing else can reap it */
		waitpid(pid, &status, 0);
		snprintf(err, errlen, "cannot trace the command: %s", strerror(e));
		return -1;
	}
	struct tracee *t = tt_get(&tr->tt, pid, NULL);
	t->tgid = pid;
	t->attached = false;
	t->syscalls = true;
	t->running = true;
	t->starting = true;
	t->seccomp_filtered = filtered;
	/* It sits in a group-stop we did not see as a tracer: SIGCONT ends it and
	 * we get its stops from here on (the SIGCONT's delivery among them). */
	kill(pid, SIGCONT);
	return pid;
}
