/* test_model_procs.c - process bookkeeping and roles: exec by a non-leader
 * thread, pid reuse, attach mid-launch, runc exec, failed launches, the role
 * table and runtime command lines, and memory that stays flat. */
#include <criterion/criterion.h>

#include "test_model_builder.h"

#define CLONE_THREADS 0x3d0f00ull

Test(model_procs, exec_by_non_leader_thread)
{
	struct tl t;
	tl_init(&t, NULL);
	struct ns_set host = ns_host();
	tl_exec(&t, 500, 0, "/usr/bin/app", "/usr/bin/app", "app", 500, host, ARGV("app"));
	tl_spawn(&t, 500, 500, 501, 1, CLONE_THREADS, true, "app", 501, host);
	tl_spawn(&t, 500, 500, 502, 1, CLONE_THREADS, true, "app", 502, host);
	cr_assert_eq(model_live_tasks(t.m), 3);
	/* thread 502 execs: the kernel gives it tid 500, 501 is gone */
	tl_exec(&t, 500, 502, "/usr/bin/next", "/usr/bin/next", "next", 500, host, ARGV("next"));
	const struct rec *e = rec_find(&t, EV_EXEC, 500, NULL, 1);
	cr_assert(strstr(e->note, "exec by thread 502: it takes over the thread group id 500"),
		  "%s", e->note);
	cr_assert_eq(model_live_tasks(t.m), 1, "only the leader is left");
	cr_assert_eq(model_live_processes(t.m), 1);
	/* late exits of the vanished threads change nothing */
	tl_exit(&t, 500, 501, 0);
	cr_assert_eq(model_live_processes(t.m), 1);
	tl_exit(&t, 500, 500, 0);
	cr_assert_eq(model_live_processes(t.m), 0);
	cr_assert_eq(model_live_tasks(t.m), 0);
	tl_fini(&t);
}

Test(model_procs, leader_exit_waits_for_threads)
{
	struct tl t;
	tl_init(&t, NULL);
	struct ns_set host = ns_host();
	tl_exec(&t, 600, 0, "/usr/bin/app", "/usr/bin/app", "app", 600, host, ARGV("app"));
	tl_spawn(&t, 600, 600, 601, 1, CLONE_THREADS, true, "app", 601, host);
	tl_exit(&t, 600, 601, 0);
	cr_assert_eq(model_live_processes(t.m), 1, "a thread's exit is not the process's");
	tl_exit(&t, 600, 600, 0);
	cr_assert_eq(model_live_processes(t.m), 0);
	tl_fini(&t);
}

Test(model_procs, fork_exec_storm_keeps_memory_flat)
{
	struct tl t;
	tl_init(&t, NULL);
	struct ns_set host = ns_host();
	tl_attach(&t, 100, 1, "dockerd", "/usr/sbin/dockerd", host, ARGV("/usr/sbin/dockerd"));
	size_t procs = model_live_processes(t.m), tasks = model_live_tasks(t.m);
	for (int i = 0; i < 20000; i++) {
		pid_t pid = 1000 + (i % 30000);
		tl_spawn(&t, 100, pid, pid, 100, 17, false, "dockerd", pid, host);
		if (i == 0)
			cr_assert_not(model_wants_syscalls(t.m, pid),
				      "a daemon's fork: events only");
		tl_exec(&t, pid, 0, "/usr/sbin/iptables", "/usr/sbin/iptables", "iptables", pid,
			host, ARGV("iptables", "-L"));
		if (i == 0) {
			cr_assert_eq(t.recs[t.n - 1].role, ROLE_PROCESS);
			cr_assert_not(model_wants_syscalls(t.m, pid),
				      "a plain program under a daemon: events only, like the daemon");
		}
		tl_exit(&t, pid, pid, 0);
		t.n = 0;
	}
	cr_assert_eq(model_live_processes(t.m), procs);
	cr_assert_eq(model_live_tasks(t.m), tasks);
	cr_assert_eq(model_summary(t.m)->ncontainers, 0);
	tl_fini(&t);
}

Test(model_procs, reused_pid_starts_fresh)
{
	struct tl t;
	tl_init(&t, NULL);
	struct ns_set host = ns_host();
	tl_attach(&t, 100, 1, "containerd", "/usr/bin/containerd", host, ARGV("containerd"));
	tl_exec(&t, 700, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", 700, host,
		ARGV("runc", "run", "a"));
	/* 700's exit was never reported; the pid comes back under containerd */
	tl_spawn(&t, 100, 700, 700, 100, 17, false, "containerd", 700, host);
	const struct rec *s = rec_find(&t, EV_SPAWN, 700, NULL, 0);
	cr_assert_eq(s->role, ROLE_DAEMON);
	cr_assert_str_eq(s->container, "");
	tl_fini(&t);
}

Test(model_procs, attach_mid_launch)
{
	struct tl t;
	tl_init(&t, NULL);
	struct ns_set ctr = ns_with(ns_host(), NSB(NS_PID) | NSB(NS_MNT));
	tl_attach(&t, 900, 1, "runc:[2:INIT]", "/memfd:runc_cloned:/proc/self/exe (deleted)", ctr,
		  ARGV("runc", "init"));
	const struct rec *a = rec_find(&t, EV_ATTACH, 900, NULL, 0);
	cr_assert_eq(a->role, ROLE_RUNTIME_INIT);
	cr_assert_str_eq(a->stage, "runc:[2:INIT]");
	cr_assert(model_wants_syscalls(t.m, 900));
	tl_attach(&t, 950, 1, "containerd-shim", "/usr/bin/containerd-shim-runc-v2", ns_host(),
		  ARGV("/usr/bin/containerd-shim-runc-v2", "-namespace", "k8s.io", "-id", "abc",
		       "-address", "/run/containerd/containerd.sock"));
	const struct rec *sh = rec_find(&t, EV_ATTACH, 950, NULL, 0);
	cr_assert_eq(sh->role, ROLE_SHIM);
	cr_assert_str_eq(sh->container, "abc");
	cr_assert_not(model_wants_syscalls(t.m, 950));
	tl_fini(&t);
}

/* The role table, one exec per program. */
Test(model_procs, roles_by_program)
{
	const struct {
		const char *exe;
		const char *const *argv;
		enum role role;
	} cases[] = {
	    {"/usr/bin/containerd", ARGV("containerd"), ROLE_DAEMON},
	    {"/usr/sbin/dockerd", ARGV("dockerd", "--iptables=false"), ROLE_DAEMON},
	    {"/usr/bin/crio", ARGV("crio"), ROLE_DAEMON},
	    {"/usr/bin/podman", ARGV("podman", "system", "service"), ROLE_DAEMON},
	    {"/usr/bin/podman", ARGV("podman", "run", "busybox"), ROLE_CLIENT},
	    {"/usr/bin/containerd-shim-runsc-v1", ARGV("containerd-shim-runsc-v1"), ROLE_SHIM},
	    {"/usr/bin/conmon", ARGV("conmon", "-c", "x"), ROLE_SHIM},
	    {"/usr/local/bin/docker", ARGV("docker", "run", "busybox"), ROLE_CLIENT},
	    {"/usr/bin/ctr", ARGV("ctr", "run"), ROLE_CLIENT},
	    {"/usr/bin/nerdctl", ARGV("nerdctl", "run"), ROLE_CLIENT},
	    {"/usr/bin/crun", ARGV("crun", "create", "x"), ROLE_RUNTIME},
	    {"/usr/bin/youki", ARGV("youki", "create", "x"), ROLE_RUNTIME},
	    {"/usr/bin/runsc", ARGV("runsc", "run", "x"), ROLE_RUNTIME},
	    {"/usr/sbin/runc", ARGV("runc", "init"), ROLE_RUNTIME_INIT},
	    {"/bin/ls", ARGV("ls"), ROLE_PROCESS},
	    {"/usr/bin/dockerd-wrapper", ARGV("dockerd"), ROLE_DAEMON}, /* argv[0] decides */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tl t;
		tl_init(&t, NULL);
		pid_t pid = 2000 + (pid_t)i;
		tl_exec(&t, pid, 0, cases[i].exe, cases[i].exe, "x", pid, ns_host(), cases[i].argv);
		cr_assert_eq(t.recs[t.n - 1].role, cases[i].role, "%s: %s", cases[i].exe,
			     role_name(t.recs[t.n - 1].role));
		tl_fini(&t);
	}
}

/* Container id and bundle from runtime command lines. */
Test(model_procs, runtime_command_lines)
{
	const struct {
		const char *const *argv;
		const char *id, *bundle;
	} cases[] = {
	    {ARGV("runc", "--root", "/r", "--log", "/l", "--log-format", "json", "--systemd-cgroup",
		  "create", "--bundle", "/b1", "--pid-file", "/p", "--console-socket", "/s", "id1"),
	     "id1", "/b1"},
	    {ARGV("runc", "run", "-b", "/b2", "id2"), "id2", "/b2"},
	    {ARGV("runc", "run", "--bundle=/b3", "--detach", "id3"), "id3", "/b3"},
	    {ARGV("runc", "--debug", "run", "id4"), "id4", NULL},
	    {ARGV("crun", "--cgroup-manager=systemd", "--root=/x", "run", "-b", "/b5", "id5"),
	     "id5", "/b5"},
	    {ARGV("runc", "--root", "/r", "run", "--", "id6"), "id6", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tl t;
		tl_init(&t, NULL);
		tl_exec(&t, 3000, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", 3000, ns_host(),
			cases[i].argv);
		const struct rec *c = rec_find(&t, EV_CONTAINER, 0, NULL, 0);
		cr_assert_not_null(c, "case %zu", i);
		cr_assert_str_eq(c->container, cases[i].id);
		const struct trace_summary *s = model_summary(t.m);
		if (cases[i].bundle)
			cr_assert_str_eq(s->containers[0].bundle, cases[i].bundle, "case %zu", i);
		else
			cr_assert_null(s->containers[0].bundle, "case %zu", i);
		tl_fini(&t);
	}
	/* subcommands that do not build a container carry its id but make none */
	struct tl t;
	tl_init(&t, NULL);
	tl_exec(&t, 3000, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", 3000, ns_host(),
		ARGV("runc", "--root", "/r", "state", "id7"));
	cr_assert_eq(rec_count(&t, EV_CONTAINER, 0), 0);
	cr_assert_str_eq(t.recs[t.n - 1].container, "id7");
	tl_exec(&t, 3001, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", 3001, ns_host(),
		ARGV("runc", "--version"));
	cr_assert_str_eq(t.recs[t.n - 1].container, "");
	tl_fini(&t);
}

Test(model_procs, runc_exec_joins_without_a_new_launch)
{
	struct tl t;
	tl_init(&t, NULL);
	struct ns_set host = ns_host(), ctr = ns_with(host, NSB(NS_MNT) | NSB(NS_PID));
	tl_exec(&t, 4000, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", 4000, host,
		ARGV("runc", "exec", "web", "/bin/ps"));
	tl_spawn(&t, 4000, 4001, 4001, 4000, 0x4111, false, "runc", 4001, host);
	tl_exec(&t, 4001, 0, "/proc/self/exe", "/usr/sbin/runc", "runc", 4001, host,
		ARGV("runc", "init"));
	struct ns_event *ev = sc_new(&t, 4001, 4001, "runc", "setns", 0, 0, 30);
	sc_raw(ev, 0, "fd", 4);
	sc_raw(ev, 1, "nstype", 0);
	/* setns to a pid namespace moves pid_for_children, not the caller */
	ev_ns(ev, ns_with(host, NSB(NS_MNT) | NSB(NS_PID_FOR_CHILDREN)));
	tl_feed(&t, ev);
	const struct rec *s = rec_find(&t, EV_SYSCALL, 4001, "setns", 0);
	cr_assert_str_eq(s->note, "runc joins mnt namespace mnt:[4026532170]; its next child joins "
				  "pid namespace pid:[4026532173]");
	tl_exec(&t, 4001, 0, "/bin/ps", "/bin/busybox", "ps", 0, ctr, ARGV("/bin/ps"));
	const struct rec *e = rec_find(&t, EV_EXEC, 4001, NULL, 1);
	cr_assert_eq(e->role, ROLE_WORKLOAD);
	cr_assert_str_eq(e->container, "web");
	cr_assert_str_eq(e->note, "runs /bin/ps in container web");
	cr_assert_eq(rec_count(&t, EV_CONTAINER, 0), 0);
	cr_assert_eq(rec_count(&t, EV_PHASE, 0), 0);
	/* the summary keeps the exec: from runc exec's exec to /bin/ps's exit;
	 * a program /bin/ps runs is its business, not another exec */
	tl_advance(&t, 700);
	tl_exec(&t, 4001, 0, "/bin/cat", "/bin/busybox", "cat", 7, ctr, ARGV("cat"));
	tl_advance(&t, 300);
	tl_exit(&t, 4001, 4001, 3);
	const struct rec *start = rec_find(&t, EV_EXEC, 4000, NULL, 0);
	const struct rec *end = &t.recs[t.n - 1];
	const struct trace_summary *sum = tl_end(&t);
	cr_assert_eq(sum->ncontainers, 0);
	cr_assert_eq(sum->nexecs, 1);
	const struct exec_summary *x = &sum->execs[0];
	cr_assert_str_eq(x->container, "web");
	cr_assert_str_eq(x->runtime, "runc");
	cr_assert_str_eq(x->path, "/bin/ps");
	cr_assert_eq(x->pid, 4001);
	cr_assert_eq(x->start_us, start->rel_us);
	cr_assert_eq(x->dur_us, end->rel_us - start->rel_us);
	cr_assert_str_eq(x->end, "exited with 3");
	tl_fini(&t);
}

Test(model_procs, exec_still_running_at_the_end)
{
	struct tl t;
	tl_init(&t, NULL);
	struct ns_set host = ns_host(), ctr = ns_with(host, NSB(NS_MNT) | NSB(NS_PID));
	tl_exec(&t, 4100, 0, "/usr/bin/crun", "/usr/bin/crun", "crun", 4100, host,
		ARGV("crun", "exec", "db", "/bin/sh"));
	tl_exec(&t, 4100, 0, "/dev/fd/3", "/", "crun", 4100, host,
		ARGV("crun", "exec", "db", "/bin/sh"));
	tl_spawn(&t, 4100, 4101, 4101, 4100, 0x11, false, "crun", 4101, host);
	struct ns_event *ev = sc_new(&t, 4101, 4101, "crun", "setns", 0, 0, 30);
	sc_raw(ev, 0, "fd", 5);
	sc_raw(ev, 1, "nstype", 0x20000 /* CLONE_NEWNS */);
	ev_ns(ev, ns_with(host, NSB(NS_MNT)));
	tl_feed(&t, ev);
	tl_exec(&t, 4101, 0, "/bin/sh", "/bin/busybox", "sh", 9, ctr, ARGV("/bin/sh"));
	tl_advance(&t, 5000);
	const struct trace_summary *sum = tl_end(&t);
	cr_assert_eq(sum->nexecs, 1);
	const struct exec_summary *x = &sum->execs[0];
	cr_assert_str_eq(x->container, "db");
	cr_assert_str_eq(x->path, "/bin/sh");
	cr_assert_eq(x->nspid, 9);
	cr_assert_null(x->end, "still running: no end");
	cr_assert_eq(x->start_us + x->dur_us, t.recs[t.n - 1].rel_us, "lasts to the trace's end");
	tl_fini(&t);
}

Test(model_procs, failed_launch_ends_with_its_failures)
{
	struct tl t;
	tl_init(&t, NULL);
	struct ns_set host = ns_host(), ctr = ns_with(host, NSB(NS_MNT) | NSB(NS_PID));
	tl_exec(&t, 5000, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", 5000, host,
		ARGV("runc", "run", "bad"));
	tl_spawn(&t, 5000, 5001, 5001, 5000, 0x4111, false, "runc", 5001, host);
	tl_exec(&t, 5001, 0, "/proc/self/exe", "/usr/sbin/runc", "runc", 5001, host,
		ARGV("runc", "init"));
	sc_prctl_name(&t, 5001, 5001, "runc:[0:PARENT]");
	tl_spawn(&t, 5001, 5002, 5002, 5000, 0x8011, false, "runc:[0:PARENT]", 5002, host);
	sc_prctl_name(&t, 5002, 5002, "runc:[1:CHILD]");
	struct ns_event *ev = sc_new(&t, 5002, 5002, "runc:[1:CHILD]", "unshare", 0, 0, 100);
	sc_raw(ev, 0, "flags", 0x20020000);
	ev_ns(ev, ns_with(host, NSB(NS_MNT) | NSB(NS_PID_FOR_CHILDREN)));
	tl_feed(&t, ev);
	tl_spawn(&t, 5002, 5003, 5003, 5000, 0x8011, false, "runc:[1:CHILD]", 1, ctr);
	sc_prctl_name(&t, 5003, 1, "runc:[2:INIT]");
	sc_mount(&t, 5003, "runc:[2:INIT]", "/srv/missing", "/srv/missing", 0x5000, 2);
	tl_exit(&t, 5003, 5003, 1);
	tl_exit(&t, 5002, 5002, 0);
	tl_exit(&t, 5001, 5001, 0);
	tl_advance(&t, 500);
	tl_exit(&t, 5000, 5000, 1);
	const struct rec *x = rec_find(&t, EV_EXIT, 5000, NULL, 0);
	cr_assert(strstr(x->note, "container bad failed to start"), "%s", x->note);
	const struct trace_summary *s = tl_end(&t);
	const struct container_summary *c = &s->containers[0];
	cr_assert_eq(c->nfailures, 3);
	cr_assert_str_eq(c->failures[0],
			 "mount(\"/srv/missing\", \"/srv/missing\", ...) = -1 ENOENT");
	cr_assert_str_eq(c->failures[1], "runc:[2:INIT] (pid 5003) exited with 1");
	cr_assert_str_eq(c->failures[2], "runc (pid 5000) exited with 1");
	cr_assert_null(c->entrypoint);
	cr_assert(phases_tile(c));
	cr_assert_str_eq(c->phases[c->nphases - 1].name, "rootfs mounts");
	cr_assert_eq(c->start_us + c->dur_us, x->rel_us, "the launch ends when runc gives up");
	cr_assert_eq(rec_count(&t, EV_PHASE, 0), c->nphases, "EV_END adds no phase: all closed");
	tl_fini(&t);
}

Test(model_procs, same_id_again_while_running)
{
	struct tl t;
	tl_init(&t, NULL);
	struct ns_set host = ns_host(), ctr = ns_with(host, NSB(NS_MNT) | NSB(NS_PID));
	tl_exec(&t, 7000, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", 7000, host,
		ARGV("runc", "run", "dup"));
	tl_spawn(&t, 7000, 7001, 7001, 7000, 0x20020011, false, "runc", 1, ctr);
	tl_advance(&t, 100);
	tl_exec(&t, 7001, 0, "/bin/sleep", "/bin/busybox", "sleep", 1, ctr, ARGV("sleep", "60"));
	/* a second `runc run dup` while the first runs: runc refuses it */
	tl_exec(&t, 7100, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", 7100, host,
		ARGV("runc", "run", "dup"));
	tl_advance(&t, 100);
	tl_exit(&t, 7100, 7100, 1);
	const struct trace_summary *s = tl_end(&t);
	cr_assert_eq(s->ncontainers, 2);
	const struct container_summary *first = &s->containers[0], *second = &s->containers[1];
	cr_assert_eq(first->entry_pid, 7001);
	cr_assert_str_eq(first->phases[first->nphases - 1].name, "workload");
	cr_assert(strstr(first->phases[first->nphases - 1].detail, "still running"));
	cr_assert_eq(first->nfailures, 0);
	cr_assert_eq(second->nfailures, 1);
	cr_assert_str_eq(second->failures[0], "runc (pid 7100) exited with 1");
	cr_assert(phases_tile(first));
	cr_assert(phases_tile(second));
	tl_fini(&t);
}
