/* test_fmt_text.c - the default text output on synthetic events: prefixes,
 * timestamps (-t -tt -ttt -r -T), the line of every event kind, annotations,
 * colour, hidden events and the launch summary.
 */
#include "test_fmt_util.h"

#include <errno.h>
#include <time.h>

static struct formatter_opts plain = {.ts = TS_DEFAULT};

static char *render(struct formatter_opts o, struct ns_event *ev)
{
	struct captured c = run_fmt(FMT_TEXT, o, &ev, 1);
	return c.buf;
}

#define assert_has(hay, needle)                                                                    \
	cr_assert(strstr((hay), (needle)), "missing <%s> in:\n%s", (needle), (hay))

Test(fmt_text, syscall_line_prefix)
{
	struct ns_event *ev = mk_syscall(12345, 1240, "runc:[2:INIT]", "getpid", 39, 1, 0, 123);
	ev->tid = 1241;
	ev->nspid = 1;
	ev->role = ROLE_RUNTIME_INIT;
	ev->container = "3f2a8c9d1e4b5a6f7788";
	char *out = render(plain, ev);
	const char *want =
	    "  12.345 1240(1)/1241 [runc:[2:INIT]] runtime-init@3f2a8c9d1e4b getpid(";
	cr_assert(strncmp(out, want, strlen(want)) == 0, "got: %s", out);
	cr_assert(strstr(out, ") = 1\n"), "got: %s", out);
	cr_assert_null(strstr(out, "<0."), "no duration without -T");
	free(out);

	struct formatter_opts o = plain;
	o.show_duration = true;
	out = render(o, ev);
	assert_has(out, " <0.000123>\n");
	free(out);
	ns_event_free(ev);
}

Test(fmt_text, plain_pid_without_extras)
{
	struct ns_event *ev = mk_syscall(5, 77, "sh", "getpid", 39, 77, 0, 1);
	ev->nspid = 77;
	char *out = render(plain, ev);
	cr_assert(strncmp(out, "   0.005 77 [sh] getpid(", 24) == 0, "got: %s", out);
	free(out);
	ns_event_free(ev);
}

Test(fmt_text, failed_call_is_red_with_color)
{
	struct ns_event *ev = mk_syscall(5, 77, "runc", "mount", 165, -1, EPERM, 1);
	ev->role = ROLE_RUNTIME;
	struct formatter_opts o = plain;
	char *out = render(o, ev);
	cr_assert_null(strchr(out, '\033'), "no escapes without colour: %s", out);
	assert_has(out, "EPERM");
	free(out);
	o.color = true;
	out = render(o, ev);
	assert_has(out, "\033[31mmount(");
	assert_has(out, "\033[32m77"); /* runtime prefix in green */
	free(out);
	ns_event_free(ev);
}

Test(fmt_text, timestamps)
{
	setenv("TZ", "UTC", 1);
	tzset();
	struct ns_event *ev = mk_event(EV_ATTACH, 1500, 9, 9, "x");
	struct formatter_opts o = plain;
	o.ts = TS_TIME;
	char *out = render(o, ev);
	cr_assert(strncmp(out, "11:06:40 9 [x] +++ attached +++\n", 32) == 0, "got: %s", out);
	free(out);
	o.ts = TS_TIME_US;
	out = render(o, ev);
	cr_assert(strncmp(out, "11:06:40.001500 9 ", 18) == 0, "got: %s", out);
	free(out);
	o.ts = TS_EPOCH;
	out = render(o, ev);
	cr_assert(strncmp(out, "1795000000.001500 9 ", 20) == 0, "got: %s", out);
	free(out);
	ns_event_free(ev);

	/* -r: time since the previous line */
	struct ns_event *evs[] = {mk_event(EV_ATTACH, 1000, 9, 9, "x"),
				  mk_event(EV_ATTACH, 3500, 9, 9, "x")};
	o.ts = TS_RELATIVE;
	struct captured c = run_fmt(FMT_TEXT, o, evs, 2);
	assert_has(c.buf, "  0.000000 9 [x]");
	assert_has(c.buf, "\n  0.002500 9 [x]");
	free(c.buf);
	free_events(evs, 2);
}

Test(fmt_text, lifecycle_lines)
{
	struct ns_event *sp = mk_event(EV_SPAWN, 1, 61, 61, "runc:[0:PARENT]");
	sp->spawner = 60;
	sp->ppid = 40;
	sp->clone_flags = 0x8000 | 17;
	char *out = render(plain, sp);
	assert_has(out, "+++ new process, spawned by 60 (CLONE_PARENT|SIGCHLD), parent 40 +++");
	free(out);
	sp->is_thread = true;
	sp->clone_flags = 0x10f00;
	out = render(plain, sp);
	assert_has(out, "+++ new thread, spawned by 60 "
			"(CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD) +++");
	free(out);
	ns_event_free(sp);

	struct ns_event *ex = mk_event(EV_EXEC, 1, 61, 61, "sh");
	ex->filename = "/bin/sh";
	const char *argv[] = {"sh", "-c", "echo \"hi\"\n"};
	ex->argv = argv;
	ex->argc = 3;
	ex->envc = 4;
	out = render(plain, ex);
	assert_has(
	    out, "+++ exec \"/bin/sh\" [\"sh\", \"-c\", \"echo \\\"hi\\\"\\n\"] /* 4 vars */ +++");
	free(out);
	ns_event_free(ex);

	struct ns_event *sg = mk_event(EV_SIGNAL, 1, 61, 61, "runc");
	sg->signo = 17;
	sg->si_code = 1;
	sg->sig_pid = 62;
	out = render(plain, sg);
	assert_has(out, "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=62} ---");
	free(out);
	ns_event_free(sg);

	struct ns_event *e1 = mk_event(EV_EXIT, 1, 61, 61, "sh");
	e1->exited = true;
	out = render(plain, e1);
	assert_has(out, "+++ exited with 0 +++");
	free(out);
	e1->exited = false;
	e1->term_sig = 11;
	e1->core_dumped = true;
	out = render(plain, e1);
	assert_has(out, "+++ killed by SIGSEGV (core dumped) +++");
	free(out);
	ns_event_free(e1);

	struct ns_event *ph = mk_event(EV_PHASE, 1, 61, 61, "runc:[1:CHILD]");
	ph->phase = "namespaces";
	ph->phase_start_us = 1200;
	ph->phase_dur_us = 3456;
	out = render(plain, ph);
	assert_has(out, "=== phase namespaces: 3.456 ms (from 1.200 ms) ===");
	free(out);
	ns_event_free(ph);

	struct ns_event *dt = mk_event(EV_DETACH, 1, 40, 40, "containerd");
	dt->reason = END_SIGNAL;
	out = render(plain, dt);
	assert_has(out, "+++ detached: signal +++");
	free(out);
	ns_event_free(dt);
}

Test(fmt_text, annotations_under_the_event)
{
	struct ns_event *ev = mk_syscall(5, 61, "runc:[1:CHILD]", "unshare", 272, 0, 0, 1);
	ev->note = "new mount and pid namespaces";
	ev->ns_old.ino[NS_MNT] = 4026531841ULL;
	ev->ns.ino[NS_MNT] = 4026532181ULL;
	ev->ns_changed = 1u << NS_MNT;
	struct formatter_opts o = plain;
	char *out = render(o, ev);
	assert_has(out, "\n         | new mount and pid namespaces\n");
	assert_has(out, "\n         | mnt:[4026531841] -> mnt:[4026532181]\n");
	free(out);
	o.color = true;
	out = render(o, ev);
	assert_has(out, "\033[2m| mnt:[4026531841]");
	free(out);
	ns_event_free(ev);
}

Test(fmt_text, tracee_bytes_cannot_drive_the_terminal)
{
	struct ns_event *ev = mk_event(EV_ATTACH, 1, 9, 9, "evil\033]0;pwned\007\n\xff");
	char *out = render(plain, ev);
	cr_assert_null(strchr(out, '\033'), "raw ESC from comm: %s", out);
	cr_assert_null(strchr(out, '\007'));
	assert_has(out, "[evil\\x1b]0;pwned\\x07\\n\\xff]");
	cr_assert_eq(strchr(out, '\n') - out + 1, (long)strlen(out), "one line only");
	free(out);
	ns_event_free(ev);
}

Test(fmt_text, hidden_not_printed)
{
	struct ns_event *ev = mk_syscall(5, 61, "runc", "prctl", 157, 0, 0, 1);
	ev->hidden = true;
	char *out = render(plain, ev);
	cr_assert_str_eq(out, "");
	free(out);
	ns_event_free(ev);
}

static struct ns_event *mk_end(void)
{
	static struct phase_info phases[] = {
	    {.name = "namespaces", .pid = 61, .start_us = 100, .dur_us = 2500},
	};
	static const char *failures[] = {"mount(\"a\", \"/b\", NULL, 0, NULL) = -1 EPERM"};
	static struct container_summary cs = {
	    .id = "3f2a8c9d1e4b",
	    .runtime = "runc",
	    .bundle = "/bundle",
	    .ns_created = (1u << NS_MNT) | (1u << NS_PID),
	    .phases = phases,
	    .nphases = 1,
	    .entrypoint = "/bin/sh",
	    .entry_pid = 63,
	    .entry_nspid = 1,
	    .start_us = 50,
	    .dur_us = 9000,
	    .failures = failures,
	    .nfailures = 1,
	    .nmounts = 12,
	    .nmounts_failed = 3,
	    .nmounts_optional = 2,
	};
	static struct trace_summary sum = {
	    .containers = &cs, .ncontainers = 1, .nevents = 10, .nsyscalls = 4, .nprocesses = 3};
	struct ns_event *ev = mk_event(EV_END, 10000, 0, 0, NULL);
	ev->reason = END_FINISHED;
	ev->exit_status = 0;
	ev->summary = &sum;
	return ev;
}

Test(fmt_text, summary_at_the_end)
{
	struct ns_event *ev = mk_end();
	char *out = render(plain, ev);
	assert_has(out, "=== launch summary ===\n");
	assert_has(out, "container 3f2a8c9d1e4b (runc, bundle /bundle): 9.000 ms, from 0.050 ms\n");
	assert_has(out, "    namespaces             2.500 ms at 0.100 ms, pid 61\n");
	assert_has(out, "  namespaces created: mnt pid\n");
	assert_has(out, "  namespaces joined: none\n");
	assert_has(out, "  entrypoint: /bin/sh, host pid 63, pid 1 in the container\n");
	assert_has(out, "  mounts: 12 (3 failed, 2 of them optional /proc or /sys paths the runtime goes past)\n");
	assert_has(out, "    mount(\"a\", \"/b\", NULL, 0, NULL) = -1 EPERM\n");
	assert_has(out, "=== trace ended: finished, exit status 0 after 10.000 ms ===\n");
	free(out);
	ns_event_free(ev);
}

Test(fmt_text, summary_only)
{
	struct ns_event *evs[] = {mk_event(EV_START, 0, 0, 0, NULL),
				  mk_syscall(100, 50, "runc", "unshare", 272, 0, 0, 1), mk_end()};
	struct formatter_opts o = plain;
	o.summary_only = true;
	struct captured c = run_fmt(FMT_TEXT, o, evs, 3);
	cr_assert(strncmp(c.buf, "=== launch summary ===\n", 23) == 0, "got: %s", c.buf);
	cr_assert_null(strstr(c.buf, "unshare"));
	free(c.buf);
	free_events(evs, 3);
}

Test(fmt_text, creds_annotation_names_what_is_known)
{
	/* setuid(0) in the host user namespace before any setgid: the host uid is
	 * known, the gid is not; "-1" must not appear as if it were an id */
	struct ns_event *ev = mk_syscall(5, 77, "runc:[2:INIT]", "setuid", 105, 0, 0, 1);
	ev->creds_changed = 1;
	ev->creds = (struct cred_info){.uid = 0, .gid = -1, .host_uid = 0, .host_gid = -1};
	char *out = render(plain, ev);
	assert_has(out, "creds: uid=0 (host uid=0)");
	cr_assert_null(strstr(out, "-1"), "%s", out);
	free(out);
	ev->creds = (struct cred_info){.uid = 0, .gid = 0, .host_uid = 100000, .host_gid = 100000};
	out = render(plain, ev);
	assert_has(out, "creds: uid=0 gid=0 (host uid=100000 gid=100000)");
	free(out);
	ns_event_free(ev);
}

Test(fmt_text, no_empty_creds_line)
{
	/* crun's setgroups(0, NULL) comes before any id is known: its note says
	 * what changed; an empty "creds:" line would say nothing */
	struct ns_event *ev = mk_syscall(5, 77, "crun", "setgroups", 116, 0, 0, 1);
	ev->creds_changed = CRED_GROUPS;
	ev->creds = (struct cred_info){.uid = -1, .gid = -1, .host_uid = -1, .host_gid = -1};
	ev->note = "supplementary groups cleared";
	char *out = render(plain, ev);
	assert_has(out, "| supplementary groups cleared\n");
	cr_assert_null(strstr(out, "creds"), "%s", out);
	free(out);
	ev->note = NULL;
	ev->creds.no_new_privs = true;
	out = render(plain, ev);
	assert_has(out, "| creds: no_new_privs\n");
	free(out);
	ns_event_free(ev);
}

Test(fmt_text, summary_lists_execs)
{
	/* docker exec through a running container's shim: no launch, one exec */
	static struct exec_summary execs[] = {
	    {.container = "web", .runtime = "runc", .path = "/bin/sh", .pid = 6550, .nspid = 7,
	     .start_us = 174489, .dur_us = 41250, .end = "exited with 0"},
	    {.container = "web", .path = "/bin/top", .pid = 6601, .start_us = 300000, .dur_us = 5},
	};
	static struct trace_summary sum = {.execs = execs, .nexecs = 2, .execs_dropped = 3};
	struct ns_event *ev = mk_event(EV_END, 400000, 0, 0, NULL);
	ev->reason = END_SIGNAL;
	ev->summary = &sum;
	char *out = render(plain, ev);
	cr_assert_null(strstr(out, "no container launch seen"), "%s", out);
	assert_has(out, "exec in container web (runc): 41.250 ms, from 174.489 ms\n"
			"  process: /bin/sh, host pid 6550, pid 7 in the container; exited with 0\n");
	assert_has(out, "exec in container web: 0.005 ms, from 300.000 ms\n"
			"  process: /bin/top, host pid 6601; still running when the trace ended\n");
	assert_has(out, "(3 later execs not kept)\n");
	free(out);
	ns_event_free(ev);
}

Test(fmt_text, summary_names_expected_mount_failures)
{
	/* crun: EINVAL probes and the unmount loop's end, with and without
	 * optional kernel paths */
	struct ns_event *ev = mk_end();
	struct container_summary *c = &ev->summary->containers[0];
	c->nmounts_optional = 0;
	c->nmounts_expected = 3;
	char *out = render(plain, ev);
	assert_has(out, "  mounts: 12 (3 failed, 3 of them EINVAL the runtime's code expects: not a "
			"mount point, the end of an unmount loop)\n");
	free(out);
	c->nmounts_optional = 2;
	c->nmounts_expected = 1;
	out = render(plain, ev);
	assert_has(out, "  mounts: 12 (3 failed, 2 of them optional /proc or /sys paths the runtime "
			"goes past; 1 of them EINVAL the runtime's code expects: not a mount point, "
			"the end of an unmount loop)\n");
	free(out);
	c->nmounts_expected = 0;
	ns_event_free(ev);
}
