/* test_model_containerd.c - `ctr run --rm --rootfs DIR mdlctr1 /bin/true` seen
 * from an attached containerd, as containerd 1.6.20 and runc 1.1.5 do it here
 * (strace -f -p $(pidof containerd)):
 *
 *   containerd -> containerd-shim-runc-v2 ... -id mdlctr1 start
 *     -> containerd-shim-runc-v2 -namespace default -id mdlctr1 -address A (long-lived)
 *        -> runc --root R --log L --log-format json create --bundle B --pid-file P mdlctr1
 *           -> runc init (memfd copy) -> stages -> runc:[2:INIT] blocks on the exec fifo
 *           runc create exits 0
 *        -> runc ... start mdlctr1        (the fifo opens: /bin/true runs, exits)
 *        -> runc ... delete mdlctr1
 *   containerd -> containerd-shim-runc-v2 ... -bundle B delete -> runc ... delete --force
 */
#include <criterion/criterion.h>

#include "test_model_builder.h"

#define CTRD 6800
#define CTRD_T 6805 /* a containerd thread nstrace never saw spawn (attached) */
#define SHIM_START 7584
#define SHIM 7592
#define SHIM_T 7595
#define CREATE 7602
#define CREATE_T 7604
#define INIT 7609
#define CHILD 7611
#define GRAND 7612
#define START 7622
#define DELETE 7628
#define SHIM_DELETE 7635
#define FORCE 7641
#define FORK_FLAGS 17ull
#define CLONE_THREADS 0x3d0f00ull
#define VFORK_FLAGS (0x100ull | 0x4000 | 17)
#define PARENT_FLAGS (0x8000ull | 17)
#define UNSHARE_FLAGS (0x00020000ull | 0x04000000 | 0x08000000 | 0x20000000 | 0x40000000)
#define CTR_NS (NSB(NS_MNT) | NSB(NS_UTS) | NSB(NS_IPC) | NSB(NS_NET))
#define BUNDLE "/run/containerd/io.containerd.runtime.v2.task/default/mdlctr1"
#define SHIM_EXE "/usr/bin/containerd-shim-runc-v2"
#define RUNC_GLOBALS                                                                               \
	"runc", "--root", "/run/containerd/runc/default", "--log", BUNDLE "/log.json",             \
	    "--log-format", "json"

static void runc_cmd(struct tl *t, pid_t pid, const char *const *argv, int code)
{
	struct ns_set host = ns_host();
	tl_spawn(t, SHIM_T, pid, pid, SHIM, FORK_FLAGS, false, "containerd-shim", pid, host);
	tl_exec(t, pid, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", pid, host, argv);
	tl_advance(t, 3000);
	tl_exit(t, pid, pid, code);
}

static void ctr_run(struct tl *t, int64_t wait_us)
{
	struct ns_set host = ns_host();
	struct ns_set after_unshare = ns_with(host, CTR_NS | NSB(NS_PID_FOR_CHILDREN));
	struct ns_set ctr = ns_with(host, CTR_NS | NSB(NS_PID) | NSB(NS_PID_FOR_CHILDREN));

	tl_start(t);
	tl_attach(t, CTRD, 1, "containerd", "/usr/bin/containerd", host,
		  ARGV("/usr/bin/containerd", "--config", "/etc/containerd/config.toml"));
	tl_advance(t, 100000);

	/* the shim: start, then the long-lived copy */
	tl_spawn(t, CTRD_T, SHIM_START, SHIM_START, CTRD, FORK_FLAGS, false, "containerd",
		 SHIM_START, host);
	tl_exec(t, SHIM_START, 0, SHIM_EXE, SHIM_EXE, "containerd-shim", SHIM_START, host,
		ARGV(SHIM_EXE, "-namespace", "default", "-address",
		     "/run/containerd/containerd.sock", "-publish-binary", "/usr/bin/containerd",
		     "-id", "mdlctr1", "start"));
	tl_advance(t, 5000);
	tl_spawn(t, SHIM_START, SHIM, SHIM, SHIM_START, FORK_FLAGS, false, "containerd-shim", SHIM,
		 host);
	tl_exec(t, SHIM, 0, SHIM_EXE, SHIM_EXE, "containerd-shim", SHIM, host,
		ARGV(SHIM_EXE, "-namespace", "default", "-id", "mdlctr1", "-address",
		     "/run/containerd/containerd.sock"));
	tl_spawn(t, SHIM, SHIM, SHIM_T, SHIM_START, CLONE_THREADS, true, "containerd-shim", SHIM_T,
		 host);
	tl_exit(t, SHIM_START, SHIM_START, 0);
	tl_advance(t, 8000);

	/* runc create */
	tl_spawn(t, SHIM_T, CREATE, CREATE, SHIM, FORK_FLAGS, false, "containerd-shim", CREATE,
		 host);
	tl_exec(t, CREATE, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", CREATE, host,
		ARGV(RUNC_GLOBALS, "create", "--bundle", BUNDLE, "--pid-file", BUNDLE "/init.pid",
		     "mdlctr1"));
	tl_spawn(t, CREATE, CREATE, CREATE_T, SHIM, CLONE_THREADS, true, "runc", CREATE_T, host);
	tl_advance(t, 20000);
	tl_spawn(t, CREATE_T, INIT, INIT, CREATE, VFORK_FLAGS, false, "runc", INIT, host);
	tl_exec(t, INIT, 0, "/proc/self/exe", "/usr/sbin/runc", "runc", INIT, host,
		ARGV("runc", "init"));
	tl_advance(t, 2000);
	tl_exec(t, INIT, 0, "", "/memfd:runc_cloned:/proc/self/exe (deleted)", "runc", INIT, host,
		ARGV("runc", "init"));
	tl_advance(t, 3000);
	sc_prctl_name(t, INIT, INIT, "runc:[0:PARENT]");
	tl_spawn(t, INIT, CHILD, CHILD, CREATE, PARENT_FLAGS, false, "runc:[0:PARENT]", CHILD,
		 host);
	sc_prctl_name(t, CHILD, CHILD, "runc:[1:CHILD]");
	struct ns_event *ev = sc_new(t, CHILD, CHILD, "runc:[1:CHILD]", "unshare", 0, 0, 3000);
	sc_raw(ev, 0, "flags", UNSHARE_FLAGS);
	ev_ns(ev, after_unshare);
	tl_feed(t, ev);
	tl_spawn(t, CHILD, GRAND, GRAND, CREATE, PARENT_FLAGS, false, "runc:[1:CHILD]", 1, ctr);
	sc_prctl_name(t, GRAND, 1, "runc:[2:INIT]");
	tl_exit(t, CHILD, CHILD, 0);
	tl_exit(t, INIT, INIT, 0);
	tl_advance(t, 6000);
	sc_mount(t, GRAND, "runc:[2:INIT]", "", "/", 0x44000, 0);
	sc_mount(t, GRAND, "runc:[2:INIT]", "proc", "/proc/self/fd/6", 0, 0);
	ev = sc_new(t, GRAND, GRAND, "runc:[2:INIT]", "pivot_root", 0, 0, 100);
	sc_str(ev, 0, "new_root", ".");
	sc_str(ev, 1, "put_old", ".");
	tl_feed(t, ev);
	tl_advance(t, 2000);

	/* runc:[2:INIT] blocks on the fifo; runc create returns; the shim runs runc start */
	int64_t fifo_entry = t->now_us;
	tl_advance(t, 1000);
	tl_exit(t, CREATE, CREATE_T, 0);
	tl_exit(t, CREATE, CREATE, 0);
	tl_advance(t, 10000);
	tl_spawn(t, SHIM_T, START, START, SHIM, FORK_FLAGS, false, "containerd-shim", START, host);
	tl_exec(t, START, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", START, host,
		ARGV(RUNC_GLOBALS, "start", "mdlctr1"));
	/* runc start's read side of the fifo: not the init's wait */
	sc_openat(t, START, "runc", "/run/containerd/runc/default/mdlctr1/exec.fifo", 02000000, 5,
		  20);
	/* the init's open entered at fifo_entry and returns wait_us later */
	cr_assert_lt(t->now_us, fifo_entry + wait_us);
	t->now_us = fifo_entry;
	sc_openat(t, GRAND, "runc:[2:INIT]", "/proc/self/fd/5", 01 | 02000000, 3, wait_us);
	tl_exec(t, GRAND, 0, "/bin/true", "/bin/busybox", "true", 1, ctr, ARGV("/bin/true"));
	tl_advance(t, 1000);
	tl_exit(t, START, START, 0);
	tl_advance(t, 20000);
	tl_exit(t, GRAND, GRAND, 0);

	runc_cmd(t, DELETE, ARGV(RUNC_GLOBALS, "delete", "mdlctr1"), 0);
	tl_spawn(t, CTRD_T, SHIM_DELETE, SHIM_DELETE, CTRD, FORK_FLAGS, false, "containerd",
		 SHIM_DELETE, host);
	tl_exec(t, SHIM_DELETE, 0, SHIM_EXE, SHIM_EXE, "containerd-shim", SHIM_DELETE, host,
		ARGV(SHIM_EXE, "-namespace", "default", "-address",
		     "/run/containerd/containerd.sock", "-publish-binary", "/usr/bin/containerd",
		     "-id", "mdlctr1", "-bundle", BUNDLE, "delete"));
	tl_spawn(t, SHIM_DELETE, FORCE, FORCE, SHIM_DELETE, FORK_FLAGS, false, "containerd-shim",
		 FORCE, host);
	tl_exec(t, FORCE, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", FORCE, host,
		ARGV(RUNC_GLOBALS, "delete", "--force", "mdlctr1"));
	tl_exit(t, FORCE, FORCE, 0);
	tl_exit(t, SHIM_DELETE, SHIM_DELETE, 0);
	tl_exit(t, SHIM, SHIM_T, 0);
	tl_exit(t, SHIM, SHIM, 0);
}

Test(model_containerd, roles_and_depth)
{
	struct tl t;
	tl_init(&t, NULL);
	ctr_run(&t, 40000);
	cr_assert_eq(rec_find(&t, EV_ATTACH, CTRD, NULL, 0)->role, ROLE_DAEMON);
	cr_assert_not(model_wants_syscalls(t.m, CTRD), "daemons get events only");
	cr_assert_eq(rec_find(&t, EV_SPAWN, SHIM_START, NULL, 0)->role, ROLE_DAEMON,
		     "a daemon's fork is the daemon until it execs");
	cr_assert_eq(rec_find(&t, EV_EXEC, SHIM_START, NULL, 0)->role, ROLE_SHIM);
	cr_assert_eq(rec_find(&t, EV_EXEC, SHIM, NULL, 0)->role, ROLE_SHIM);
	cr_assert_eq(rec_find(&t, EV_EXEC, CREATE, NULL, 0)->role, ROLE_RUNTIME);
	cr_assert_eq(rec_find(&t, EV_EXEC, START, NULL, 0)->role, ROLE_RUNTIME);
	cr_assert_eq(rec_find(&t, EV_EXEC, INIT, NULL, 1)->role, ROLE_RUNTIME_INIT,
		     "the memfd copy is still runc init");
	cr_assert_eq(rec_find(&t, EV_EXEC, GRAND, NULL, 0)->role, ROLE_WORKLOAD);
	cr_assert_eq(rec_find(&t, EV_EXEC, SHIM_DELETE, NULL, 0)->role, ROLE_SHIM);
	cr_assert(strstr(rec_find(&t, EV_EXEC, INIT, NULL, 1)->note,
			 "runc init runs from a sealed memfd copy of itself (exe "
			 "/memfd:runc_cloned:/proc/self/exe (deleted))"));
	cr_assert_str_eq(rec_find(&t, EV_EXEC, INIT, NULL, 0)->note,
			 "runc re-executes itself as `runc init`");
	tl_fini(&t);

	struct model_opts wide = {.trace_daemon = true};
	tl_init(&t, &wide);
	tl_attach(&t, CTRD, 1, "containerd", "/usr/bin/containerd", ns_host(),
		  ARGV("/usr/bin/containerd"));
	cr_assert(model_wants_syscalls(t.m, CTRD), "--trace-daemon widens");
	tl_fini(&t);
}

Test(model_containerd, namespaces_with_inodes)
{
	/* a tracer that knows every inode: the notes name them */
	struct tl t;
	tl_init(&t, NULL);
	ctr_run(&t, 40000);
	const struct rec *u = rec_find(&t, EV_SYSCALL, CHILD, "unshare", 0);
	cr_assert_str_eq(u->note,
			 "runc:[1:CHILD] enters new mnt, uts, ipc, net namespaces; its next "
			 "child starts in new pid namespace pid:[4026532173] as pid 1");
	const struct rec *s = rec_find(&t, EV_SPAWN, GRAND, NULL, 0);
	cr_assert_eq(s->ns_changed, NSB(NS_PID), "mnt was already new in its spawner");
	cr_assert(strstr(s->note,
			 "starts in new pid namespace: pid 1 in pid:[4026532173], host pid "
			 "7612"),
		  "%s", s->note);
	tl_fini(&t);
}

Test(model_containerd, one_container_carried_by_every_process)
{
	struct tl t;
	tl_init(&t, NULL);
	ctr_run(&t, 40000);
	cr_assert_eq(rec_count(&t, EV_CONTAINER, 0), 1, "shim start, shim, create: one container");
	const struct rec *c = rec_find(&t, EV_CONTAINER, 0, NULL, 0);
	cr_assert_eq(c->pid, SHIM_START, "recognised from the shim's -id");
	cr_assert_str_eq(c->note, "container mdlctr1, from the shim's command line");
	pid_t carriers[] = {SHIM_START, SHIM,  CREATE, INIT,	    CHILD,
			    GRAND,	START, DELETE, SHIM_DELETE, FORCE};
	for (size_t i = 0; i < sizeof(carriers) / sizeof(carriers[0]); i++) {
		const struct rec *e = rec_find(&t, EV_EXEC, carriers[i], NULL, 0);
		if (!e)
			e = rec_find(&t, EV_SPAWN, carriers[i], NULL, 0);
		cr_assert_str_eq(e->container, "mdlctr1", "pid %d", carriers[i]);
	}
	cr_assert_str_eq(rec_find(&t, EV_ATTACH, CTRD, NULL, 0)->container, "");
	cr_assert(strstr(rec_find(&t, EV_EXEC, START, NULL, 0)->note, "runc start"));
	tl_fini(&t);
}

Test(model_containerd, phases_from_shim_to_exit)
{
	struct tl t;
	tl_init(&t, NULL);
	ctr_run(&t, 40000);
	const struct trace_summary *s = tl_end(&t);
	cr_assert_eq(s->ncontainers, 1);
	const struct container_summary *c = &s->containers[0];
	const char *want[] = {"shim start",	 "runtime create",  "runtime init",
			      "runc:[0:PARENT]", "runc:[1:CHILD]",  "namespace setup",
			      "runc:[2:INIT]",	 "rootfs mounts",   "pivot_root",
			      "wait for start",	 "entrypoint exec", "workload"};
	size_t nwant = sizeof(want) / sizeof(want[0]);
	for (size_t i = 0; i < c->nphases; i++)
		cr_log_info("phase %s %ld+%ld", c->phases[i].name, (long)c->phases[i].start_us,
			    (long)c->phases[i].dur_us);
	cr_assert_eq(c->nphases, nwant);
	for (size_t i = 0; i < nwant; i++)
		cr_assert_str_eq(c->phases[i].name, want[i]);
	cr_assert(phases_tile(c));
	cr_assert_eq(c->start_us, rec_find(&t, EV_EXEC, SHIM_START, NULL, 0)->rel_us);
	cr_assert_eq(c->start_us + c->dur_us, rec_find(&t, EV_EXIT, GRAND, NULL, 0)->rel_us);
	cr_assert_eq(c->phases[9].dur_us, 40000, "the wait lasts until runc start");
	cr_assert_str_eq(c->phases[1].detail, "runc create");
	cr_assert_str_eq(c->id, "mdlctr1");
	cr_assert_str_eq(c->runtime, "runc");
	cr_assert_str_eq(c->bundle, BUNDLE);
	cr_assert_str_eq(c->entrypoint, "/bin/true");
	cr_assert_eq(c->entry_pid, GRAND);
	cr_assert_eq(c->entry_nspid, 1);
	cr_assert_eq(c->nfailures, 0);
	cr_assert_not(c->caused_by_command, "built under an attached daemon");
	tl_fini(&t);
}

Test(model_containerd, wrapped_client_owns_the_launch)
{
	/* nstrace -- ctr run ...: the client is the command, containerd attached */
	struct tl t;
	tl_init(&t, NULL);
	tl_exec(&t, 6000, 0, "/usr/bin/ctr", "/usr/bin/ctr", "ctr", 6000, ns_host(),
		ARGV("ctr", "run", "--rm", "--rootfs", "/r", "mdlctr1", "/bin/true"));
	cr_assert_eq(t.recs[t.n - 1].role, ROLE_CLIENT);
	cr_assert_not(model_wants_syscalls(t.m, 6000), "clients get events only");
	ctr_run(&t, 40000);
	const struct trace_summary *s = tl_end(&t);
	cr_assert(s->containers[0].caused_by_command);
	tl_fini(&t);
}

Test(model_containerd, ctr_names_its_container)
{
	/* ctr names the container it runs: a launch of another id at the same time
	 * is not the command's (and --only-mine hides it) */
	struct tl t;
	tl_init(&t, NULL);
	tl_exec(&t, 6000, 0, "/usr/bin/ctr", "/usr/bin/ctr", "ctr", 6000, ns_host(),
		ARGV("ctr", "run", "--rm", "--rootfs", "/r", "someone-else", "/bin/true"));
	ctr_run(&t, 40000);
	const struct trace_summary *s = tl_end(&t);
	cr_assert_str_eq(s->containers[0].id, "mdlctr1");
	cr_assert_not(s->containers[0].caused_by_command, "ctr asked for another id");
	cr_assert_not(model_container_is_mine(t.m, "mdlctr1"));
	cr_assert(model_container_is_mine(t.m, "never-seen"), "unknown ids are not hidden");
	tl_fini(&t);

	/* docker learns the id from dockerd: any launch during its life is its own */
	tl_init(&t, NULL);
	tl_exec(&t, 6000, 0, "/usr/bin/docker", "/usr/bin/docker", "docker", 6000, ns_host(),
		ARGV("docker", "run", "--rm", "busybox", "/bin/true"));
	ctr_run(&t, 40000);
	s = tl_end(&t);
	cr_assert(s->containers[0].caused_by_command);
	cr_assert(model_container_is_mine(t.m, "mdlctr1"));
	tl_fini(&t);
}

Test(model_containerd, state_dropped_as_processes_exit)
{
	struct tl t;
	tl_init(&t, NULL);
	ctr_run(&t, 40000);
	/* containerd is still running (attached): only it is left */
	cr_assert_eq(model_live_processes(t.m), 1);
	cr_assert_eq(model_live_tasks(t.m), 1);
	tl_fini(&t);
}

Test(model_containerd, many_launches_stay_bounded)
{
	struct tl t;
	tl_init(&t, NULL);
	struct ns_set host = ns_host();
	tl_attach(&t, CTRD, 1, "containerd", "/usr/bin/containerd", host, ARGV("containerd"));
	size_t live = model_live_tasks(t.m);
	for (int i = 0; i < 1100; i++) {
		char id[32];
		snprintf(id, sizeof(id), "c%d", i);
		pid_t pid = 20000 + i;
		tl_spawn(&t, CTRD, pid, pid, CTRD, FORK_FLAGS, false, "containerd", pid, host);
		tl_exec(&t, pid, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", pid, host,
			ARGV("runc", "create", "--bundle", "/b", id));
		tl_spawn(&t, pid, pid, pid + 5000, CTRD, CLONE_THREADS, true, "runc", pid + 5000,
			 host);
		tl_exit(&t, pid, pid + 5000, 0);
		tl_exit(&t, pid, pid, 1);
		cr_assert_eq(model_live_tasks(t.m), live);
		t.n = 0; /* records are not what is measured here */
	}
	const struct trace_summary *s = model_summary(t.m);
	cr_assert_eq(s->ncontainers, 1024);
	cr_assert_eq(s->containers_dropped, 76);
	cr_assert_str_eq(s->containers[0].id, "c76", "the oldest are dropped");
	cr_assert_str_eq(s->containers[1023].id, "c1099");
	cr_assert_eq(s->containers[1023].nfailures, 1, "runc create exited with 1");
	cr_assert(strstr(s->containers[1023].failures[0], "exited with 1"), "%s",
		  s->containers[1023].failures[0]);
	tl_fini(&t);
}

/* A plain program a daemon runs (a hook, a fork storm) builds no container: it
 * is followed by events only, like its daemon, unless --trace-daemon. */
Test(model_containerd, daemon_children_events_only)
{
	struct tl t;
	tl_init(&t, NULL);
	tl_attach(&t, CTRD, 1, "containerd", "/usr/bin/containerd", ns_host(),
		  ARGV("/usr/bin/containerd"));
	tl_spawn(&t, CTRD, 7001, 7001, CTRD, 0x11 /* SIGCHLD */, false, "containerd", 7001,
		 ns_host());
	tl_exec(&t, 7001, 0, "/bin/true", "/usr/bin/true", "true", 7001, ns_host(),
		ARGV("/bin/true"));
	cr_assert_eq(rec_find(&t, EV_EXEC, 7001, NULL, 0)->role, ROLE_PROCESS);
	cr_assert_not(model_wants_syscalls(t.m, 7001), "a daemon's plain child: events only");
	tl_spawn(&t, 7001, 7002, 7002, 7001, 0x11, false, "true", 7002, ns_host());
	cr_assert_not(model_wants_syscalls(t.m, 7002), "and its children too");
	tl_exec(&t, 7002, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", 7002, ns_host(),
		ARGV("runc", "create", "--bundle", "/b", "x1"));
	cr_assert(model_wants_syscalls(t.m, 7002), "but a runtime under it is traced in depth");
	tl_fini(&t);

	struct model_opts wide = {.trace_daemon = true};
	tl_init(&t, &wide);
	tl_attach(&t, CTRD, 1, "containerd", "/usr/bin/containerd", ns_host(),
		  ARGV("/usr/bin/containerd"));
	tl_spawn(&t, CTRD, 7001, 7001, CTRD, 0x11, false, "containerd", 7001, ns_host());
	tl_exec(&t, 7001, 0, "/bin/true", "/usr/bin/true", "true", 7001, ns_host(),
		ARGV("/bin/true"));
	cr_assert(model_wants_syscalls(t.m, 7001), "--trace-daemon widens to its children");
	tl_fini(&t);
}

/* The runtime commands a shim runs that build nothing (start, delete, state)
 * are followed by events only; create and exec are traced in depth, and a
 * housekeeping command the user runs is traced too. */
Test(model_containerd, runtime_housekeeping_events_only)
{
	struct tl t;
	tl_init(&t, NULL);
	tl_attach(&t, CTRD, 1, "containerd", "/usr/bin/containerd", ns_host(),
		  ARGV("/usr/bin/containerd"));
	tl_spawn(&t, CTRD, 7100, 7100, CTRD, 0x11, false, "containerd", 7100, ns_host());
	tl_exec(&t, 7100, 0, "/usr/bin/containerd-shim-runc-v2", "/usr/bin/containerd-shim-runc-v2",
		"containerd-shim", 7100, ns_host(),
		ARGV("containerd-shim-runc-v2", "-namespace", "k8s", "-id", "c1", "-address", "/s"));
	static const char *const subs[][2] = {
	    {"create", "1"}, {"exec", "1"}, {"start", "0"}, {"delete", "0"}, {"state", "0"}, {"kill", "0"},
	};
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		pid_t pid = 7200 + (pid_t)i * 10;
		tl_spawn(&t, 7100, pid, pid, 7100, 0x11, false, "containerd-shim", pid, ns_host());
		tl_exec(&t, pid, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", pid, ns_host(),
			ARGV("runc", "--root", "/run/r", subs[i][0], "c1"));
		tl_spawn(&t, pid, pid, pid + 1, 1000, CLONE_THREADS, true, "runc", pid + 1, ns_host());
		bool deep = subs[i][1][0] == '1';
		cr_assert_eq(model_wants_syscalls(t.m, pid), deep, "runc %s", subs[i][0]);
		cr_assert_eq(model_wants_syscalls(t.m, pid + 1), deep, "runc %s's thread", subs[i][0]);
	}
	tl_fini(&t);

	/* run by the user: traced */
	tl_init(&t, NULL);
	tl_exec(&t, 7300, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", 7300, ns_host(),
		ARGV("runc", "delete", "c1"));
	cr_assert(model_wants_syscalls(t.m, 7300), "nstrace -- runc delete: traced");
	tl_fini(&t);

	struct model_opts wide = {.trace_daemon = true};
	tl_init(&t, &wide);
	tl_attach(&t, CTRD, 1, "containerd", "/usr/bin/containerd", ns_host(),
		  ARGV("/usr/bin/containerd"));
	tl_spawn(&t, CTRD, 7400, 7400, CTRD, 0x11, false, "containerd", 7400, ns_host());
	tl_exec(&t, 7400, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", 7400, ns_host(),
		ARGV("runc", "delete", "c1"));
	cr_assert(model_wants_syscalls(t.m, 7400), "--trace-daemon widens to them");
	tl_fini(&t);
}
