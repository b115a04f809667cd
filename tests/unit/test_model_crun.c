/* test_model_crun.c - crun launches: no stages; the runtime clones its child
 * straight into new namespaces (CLONE_NEW* in clone's flags) and the child
 * mounts, pivots and execs the entrypoint. crun_real adds what crun 1.8 does
 * around that: its re-exec, its mount-point probes, its unmount loop. */
#include <criterion/criterion.h>

#include "test_model_builder.h"

#define CRUN 300
#define KID 301
#define NEW_FLAGS                                                                                  \
	(0x00020000ull | 0x20000000 | 0x04000000 | 0x08000000 | 0x40000000 | 0x02000000 |          \
	 17 /* SIGCHLD */)
#define KID_NS                                                                                     \
	(NSB(NS_MNT) | NSB(NS_UTS) | NSB(NS_IPC) | NSB(NS_PID) | NSB(NS_PID_FOR_CHILDREN) |        \
	 NSB(NS_NET) | NSB(NS_CGROUP))

/* crun's one clone into new namespaces: the child's spawn, then the call */
static void crun_clones(struct tl *t, struct ns_set ctr)
{
	tl_spawn(t, CRUN, KID, KID, CRUN, NEW_FLAGS, false, "crun", 1, ctr);
	struct ns_event *ev = sc_new(t, CRUN, CRUN, "crun", "clone", KID, 0, 400);
	sc_raw(ev, 0, "flags", NEW_FLAGS);
	tl_feed(t, ev);
}

static void crun_pivots(struct tl *t)
{
	struct ns_event *ev = sc_new(t, KID, KID, "crun", "pivot_root", 0, 0, 90);
	sc_str(ev, 0, "new_root", ".");
	sc_str(ev, 1, "put_old", ".");
	tl_feed(t, ev);
}

static void crun_run(struct tl *t, bool exit_before_end)
{
	struct ns_set host = ns_host(), ctr = ns_with(host, KID_NS);
	tl_start(t);
	tl_exec(t, CRUN, 0, "/usr/bin/crun", "/usr/bin/crun", "crun", CRUN, host,
		ARGV("crun", "--cgroup-manager=systemd", "--root", "/run/crun", "run", "-b",
		     "/srv/b", "web"));
	tl_advance(t, 4000);
	crun_clones(t, ctr);
	tl_advance(t, 2000);
	sc_mount(t, KID, "crun", "/srv/b/rootfs", "/srv/b/rootfs", 0x5000, 0);
	sc_mount(t, KID, "crun", "proc", "/proc", 0, 0);
	sc_mount(t, KID, "crun", "sysfs", "/sys", 1, 1 /* EPERM */);
	tl_advance(t, 1000);
	crun_pivots(t);
	tl_advance(t, 700);
	tl_exec(t, KID, 0, "/bin/sh", "/bin/busybox", "sh", 1, ctr, ARGV("sh", "-c", "sleep 1"));
	if (!exit_before_end)
		return;
	tl_advance(t, 9000);
	tl_exit(t, KID, KID, 0);
	tl_exit(t, CRUN, CRUN, 0);
}

Test(model_crun, single_clone_builds_the_namespaces)
{
	struct tl t;
	tl_init(&t, NULL);
	crun_run(&t, true);
	const struct rec *s = rec_find(&t, EV_SPAWN, KID, NULL, 0);
	cr_assert_eq(s->role, ROLE_RUNTIME_INIT);
	cr_assert_str_eq(s->container, "web");
	cr_assert_eq(s->ns_changed, KID_NS);
	cr_assert(strstr(s->note, "starts in new mnt, uts, ipc, pid, net, cgroup namespaces: pid 1 "
				  "in pid:[4026532173], host pid 301"),
		  "%s", s->note);
	const struct rec *e = rec_find(&t, EV_EXEC, KID, NULL, 0);
	cr_assert_eq(e->role, ROLE_WORKLOAD, "namespaces were built: the exec is the entrypoint");
	tl_fini(&t);
}

Test(model_crun, phases_and_summary)
{
	struct tl t;
	tl_init(&t, NULL);
	crun_run(&t, true);
	const struct trace_summary *s = tl_end(&t);
	const struct container_summary *c = &s->containers[0];
	const char *want[] = {"runtime create", "namespace setup", "rootfs mounts", "pivot_root",
			      "workload"};
	for (size_t i = 0; i < c->nphases; i++)
		cr_log_info("phase %s %ld+%ld", c->phases[i].name, (long)c->phases[i].start_us,
			    (long)c->phases[i].dur_us);
	cr_assert_eq(c->nphases, 5, "a zero-length runtime init is not a phase");
	for (size_t i = 0; i < 5; i++)
		cr_assert_str_eq(c->phases[i].name, want[i]);
	cr_assert(phases_tile(c));
	cr_assert_str_eq(c->phases[0].detail, "crun run");
	cr_assert_str_eq(c->id, "web");
	cr_assert_str_eq(c->runtime, "crun");
	cr_assert_str_eq(c->bundle, "/srv/b");
	cr_assert_eq(c->ns_created, NSB(NS_MNT) | NSB(NS_UTS) | NSB(NS_IPC) | NSB(NS_PID) |
					NSB(NS_NET) | NSB(NS_CGROUP));
	cr_assert_eq(c->entry_pid, KID);
	cr_assert_eq(c->entry_nspid, 1);
	cr_assert_str_eq(c->entrypoint, "/bin/sh");
	cr_assert_eq(c->nfailures, 1);
	cr_assert_str_eq(c->failures[0], "mount(\"sysfs\", \"/sys\", ...) = -1 EPERM");
	cr_assert_eq(c->nmounts, 3);
	cr_assert_eq(c->nmounts_failed, 1);
	tl_fini(&t);
}

Test(model_crun, trace_end_closes_a_running_workload)
{
	struct tl t;
	tl_init(&t, NULL);
	crun_run(&t, false);
	tl_advance(&t, 5000);
	const struct trace_summary *s = tl_end(&t);
	const struct container_summary *c = &s->containers[0];
	cr_assert_str_eq(c->phases[c->nphases - 1].name, "workload");
	cr_assert(strstr(c->phases[c->nphases - 1].detail, "still running when the trace ended"));
	cr_assert(phases_tile(c));
	/* the EV_PHASE of the workload comes before EV_END, which carries the summary */
	const struct rec *end = &t.recs[t.n - 1];
	cr_assert_eq(end->kind, EV_END);
	cr_assert_eq(end->summary, s);
	cr_assert_eq((end - 1)->kind, EV_PHASE);
	cr_assert_eq(end->rel_us, c->start_us + c->dur_us);
	tl_fini(&t);
}

/* crun 1.8 as it really runs (traced on Debian 12): it re-executes itself from
 * a read-only bind mount of its binary (execveat of the fd, AT_EMPTY_PATH),
 * walks up from the rootfs making the first mount point private (EINVAL: not
 * a mount point), and after pivot_root unmounts the old root until EINVAL. */
#define MS_PRIVATE_ 0x40000ull
#define EINVAL_ 22

static void crun_real(struct tl *t, bool private_root_fails, bool early_umount)
{
	struct ns_set host = ns_host(), ctr = ns_with(host, KID_NS);
	const char *const *argv = ARGV("crun", "run", "--bundle", "/srv/b", "web");
	struct ns_event *ev;
	tl_start(t);
	tl_exec(t, CRUN, 0, "/usr/bin/crun", "/usr/bin/crun", "crun", CRUN, host, argv);
	tl_advance(t, 500);
	sc_mount(t, CRUN, "crun", "/proc/self/exe", "/tmp/crun.Ku03El", 0x1000 /* MS_BIND */, 0);
	tl_advance(t, 300);
	tl_exec(t, CRUN, 0, "/dev/fd/3", "/", "crun", CRUN, host, argv);
	tl_advance(t, 4000);
	crun_clones(t, ctr);
	tl_advance(t, 2000);
	if (early_umount) {
		ev = sc_new(t, KID, KID, "crun", "umount2", 0, EINVAL_, 30);
		sc_str(ev, 0, "target", ".");
		sc_raw(ev, 1, "flags", 2 /* MNT_DETACH */);
		tl_feed(t, ev);
	}
	const char *up[] = {"/srv/b/rootfs", "/srv/b", "/srv", "/"};
	for (size_t i = 0; i < 4; i++) {
		bool last = i == 3;
		ev = sc_new(t, KID, KID, "crun", "mount", 0,
			    last && !private_root_fails ? 0 : EINVAL_, 30);
		sc_null(ev, 0, "source");
		sc_str(ev, 1, "target", up[i]);
		sc_null(ev, 2, "filesystemtype");
		sc_raw(ev, 3, "mountflags", MS_PRIVATE_);
		tl_feed(t, ev);
	}
	/* a propagation change with a source is not crun's probe: a real failure */
	sc_mount(t, KID, "crun", "/srv/b/rootfs", "/srv/b/rootfs", MS_PRIVATE_, EINVAL_);
	sc_mount(t, KID, "crun", "proc", "/proc", 0, 0);
	crun_pivots(t);
	for (int i = 0; i < 2; i++) {
		ev = sc_new(t, KID, KID, "crun", "umount2", 0, i ? EINVAL_ : 0, 30);
		sc_str(ev, 0, "target", ".");
		sc_raw(ev, 1, "flags", 2 /* MNT_DETACH */);
		tl_feed(t, ev);
	}
	tl_advance(t, 700);
	tl_exec(t, KID, 0, "/bin/true", "/bin/busybox", "true", 1, ctr, ARGV("/bin/true"));
	tl_advance(t, 900);
	tl_exit(t, KID, KID, 0);
	tl_exit(t, CRUN, CRUN, 0);
}

Test(model_crun, reexec_keeps_the_launch)
{
	struct tl t;
	tl_init(&t, NULL);
	crun_real(&t, false, false);
	const struct rec *e = rec_find(&t, EV_EXEC, CRUN, NULL, 1);
	cr_assert_not_null(e);
	cr_assert_eq(e->role, ROLE_RUNTIME);
	cr_assert(strstr(e->note, "crun runs from a read-only bind mount of its own binary, "
				  "detached from every path (exe /)"),
		  "%s", e->note);
	cr_assert_eq(rec_count(&t, EV_CONTAINER, 0), 1, "the re-exec announced a second container");
	const struct trace_summary *s = tl_end(&t);
	cr_assert_eq(s->ncontainers, 1);
	const struct container_summary *c = &s->containers[0];
	cr_assert_str_eq(c->phases[0].name, "runtime create");
	cr_assert(!strncmp(c->phases[0].detail, "crun run", 8) &&
		      !strstr(c->phases[0].detail, "superseded"),
		  "%s", c->phases[0].detail);
	cr_assert_str_eq(c->entrypoint, "/bin/true");
	cr_assert_eq(c->start_us, rec_find(&t, EV_EXEC, CRUN, NULL, 0)->rel_us,
		     "the launch starts at crun's first exec, not at its re-exec");
	tl_fini(&t);
}

Test(model_crun, probes_and_the_unmount_loop_end_are_expected)
{
	struct tl t;
	tl_init(&t, NULL);
	crun_real(&t, false, false);
	const struct rec *r = rec_find(&t, EV_SYSCALL, KID, "mount", 0);
	cr_assert(strstr(r->note, "/srv/b/rootfs is not a mount point: the runtime tries its parent"),
		  "%s", r->note);
	r = rec_find(&t, EV_SYSCALL, KID, "umount2", 1);
	cr_assert(strstr(r->note, "nothing is left mounted on the old root"), "%s", r->note);
	const struct trace_summary *s = tl_end(&t);
	const struct container_summary *c = &s->containers[0];
	for (size_t i = 0; i < c->nfailures; i++)
		cr_log_info("failure: %s", c->failures[i]);
	cr_assert_eq(c->nfailures, 1, "only the probe-looking mount with a source is a failure");
	cr_assert_str_eq(c->failures[0], "mount(\"/srv/b/rootfs\", \"/srv/b/rootfs\", ...) = -1 EINVAL");
	cr_assert_eq(c->nmounts_failed, 5);
	cr_assert_eq(c->nmounts_expected, 4, "3 parents that are no mount points, the loop's end");
	cr_assert_eq(c->nmounts_optional, 0);
	tl_fini(&t);
}

Test(model_crun, einval_elsewhere_is_a_failure)
{
	/* "/" is a mount point in every namespace; an unmount of "." before
	 * pivot_root is no loop's end */
	struct tl t;
	tl_init(&t, NULL);
	crun_real(&t, true, true);
	const struct trace_summary *s = tl_end(&t);
	const struct container_summary *c = &s->containers[0];
	bool root = false, early = false;
	for (size_t i = 0; i < c->nfailures; i++) {
		cr_log_info("failure: %s", c->failures[i]);
		root |= !strcmp(c->failures[i], "mount(NULL, \"/\", ...) = -1 EINVAL");
		early |= !strcmp(c->failures[i], "umount2(\".\", ...) = -1 EINVAL");
	}
	cr_assert(root, "mount(NULL, \"/\", NULL, MS_PRIVATE) = EINVAL is not a failure");
	cr_assert(early, "umount2(\".\") = EINVAL before pivot_root is not a failure");
	cr_assert_eq(c->nmounts_expected, 4, "3 probes and the loop's end");
	tl_fini(&t);
}

/* crun create, then crun start (containerd's shim and podman run crun so):
 * create exits once its init is ready, the init waits in pselect6 on the exec
 * fifo create opened for it, start re-executes itself and opens the fifo for
 * writing, the init execs the entrypoint. */
#define START 302

static void crun_create_start(struct tl *t)
{
	struct ns_set host = ns_host(), ctr = ns_with(host, KID_NS);
	const char *const *create = ARGV("crun", "create", "--bundle", "/srv/b", "web");
	const char *const *start = ARGV("crun", "start", "web");
	tl_start(t);
	tl_exec(t, CRUN, 0, "/usr/bin/crun", "/usr/bin/crun", "crun", CRUN, host, create);
	tl_exec(t, CRUN, 0, "/dev/fd/3", "/", "crun", CRUN, host, create);
	tl_advance(t, 2000);
	crun_clones(t, ctr);
	tl_advance(t, 2000);
	sc_mount(t, KID, "crun", "proc", "/proc", 0, 0);
	crun_pivots(t);
	tl_advance(t, 500);
	tl_exit(t, CRUN, CRUN, 0); /* created */
	tl_advance(t, 9000);
	tl_exec(t, START, 0, "/usr/bin/crun", "/usr/bin/crun", "crun", START, host, start);
	tl_exec(t, START, 0, "/dev/fd/3", "/", "crun", START, host, start);
	tl_advance(t, 300);
	sc_openat(t, START, "crun", "/run/crun/web/exec.fifo", 1 /* O_WRONLY */, 3, 40);
	tl_advance(t, 200);
	tl_exec(t, KID, 0, "/bin/true", "/bin/busybox", "true", 1, ctr, ARGV("/bin/true"));
	tl_exit(t, START, START, 0);
	tl_advance(t, 900);
	tl_exit(t, KID, KID, 0);
}

Test(model_crun, create_then_start_waits_for_start)
{
	struct tl t;
	tl_init(&t, NULL);
	crun_create_start(&t);
	const struct rec *e = rec_find(&t, EV_EXEC, START, NULL, 1);
	cr_assert(strstr(e->note, "crun runs from a read-only bind mount"), "%s", e->note);
	cr_assert_null(strstr(e->note, "crun start:"), "start's re-exec told as a second start: %s",
		       e->note);
	const struct trace_summary *s = tl_end(&t);
	cr_assert_eq(s->ncontainers, 1);
	const struct container_summary *c = &s->containers[0];
	const char *want[] = {"runtime create", "namespace setup", "rootfs mounts", "pivot_root",
			      "wait for start", "entrypoint exec", "workload"};
	for (size_t i = 0; i < c->nphases; i++)
		cr_log_info("phase %s %ld+%ld %s", c->phases[i].name, (long)c->phases[i].start_us,
			    (long)c->phases[i].dur_us, c->phases[i].detail ? c->phases[i].detail : "");
	cr_assert_eq(c->nphases, 7);
	for (size_t i = 0; i < 7; i++)
		cr_assert_str_eq(c->phases[i].name, want[i]);
	cr_assert(phases_tile(c));
	/* the wait: from create's exit to the return of start's open of the fifo */
	const struct rec *created = rec_find(&t, EV_EXIT, CRUN, NULL, 0);
	const struct rec *opened = rec_find(&t, EV_SYSCALL, START, "openat", 0);
	cr_assert_eq(c->phases[4].start_us, created->rel_us);
	cr_assert_eq(c->phases[5].start_us, opened->rel_us);
	cr_assert_str_eq(c->phases[4].detail, "created; its init waits for `crun start`");
	cr_assert_eq(c->nfailures, 0);
	tl_fini(&t);
}

Test(model_crun, run_detached_does_not_wait_for_start)
{
	/* crun run -d starts the container itself and may exit before the
	 * entrypoint's exec: no wait for a `crun start` that never comes */
	struct ns_set host = ns_host(), ctr = ns_with(host, KID_NS);
	struct tl t;
	tl_init(&t, NULL);
	tl_start(&t);
	tl_exec(&t, CRUN, 0, "/usr/bin/crun", "/usr/bin/crun", "crun", CRUN, host,
		ARGV("crun", "run", "-d", "--bundle", "/srv/b", "web"));
	tl_advance(&t, 2000);
	crun_clones(&t, ctr);
	sc_mount(&t, KID, "crun", "proc", "/proc", 0, 0);
	crun_pivots(&t);
	tl_exit(&t, CRUN, CRUN, 0);
	tl_advance(&t, 300);
	tl_exec(&t, KID, 0, "/bin/true", "/bin/busybox", "true", 1, ctr, ARGV("/bin/true"));
	const struct trace_summary *s = tl_end(&t);
	const struct container_summary *c = &s->containers[0];
	for (size_t i = 0; i < c->nphases; i++) {
		cr_log_info("phase %s", c->phases[i].name);
		cr_assert_str_neq(c->phases[i].name, "wait for start");
	}
	cr_assert_str_eq(c->phases[c->nphases - 1].name, "workload");
	tl_fini(&t);
}
