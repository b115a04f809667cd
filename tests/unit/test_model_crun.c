/* test_model_crun.c - a crun-style launch: no stages, no re-exec; the runtime
 * clones its child straight into new namespaces (CLONE_NEW* in clone's flags)
 * and the child mounts, pivots and execs the entrypoint. */
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

static void crun_run(struct tl *t, bool exit_before_end)
{
	struct ns_set host = ns_host(), ctr = ns_with(host, KID_NS);
	tl_start(t);
	tl_exec(t, CRUN, 0, "/usr/bin/crun", "/usr/bin/crun", "crun", CRUN, host,
		ARGV("crun", "--cgroup-manager=systemd", "--root", "/run/crun", "run", "-b",
		     "/srv/b", "web"));
	tl_advance(t, 4000);
	tl_spawn(t, CRUN, KID, KID, CRUN, NEW_FLAGS, false, "crun", 1, ctr);
	struct ns_event *ev = sc_new(t, CRUN, CRUN, "crun", "clone", KID, 0, 400);
	sc_raw(ev, 0, "flags", NEW_FLAGS);
	tl_feed(t, ev);
	tl_advance(t, 2000);
	sc_mount(t, KID, "crun", "/srv/b/rootfs", "/srv/b/rootfs", 0x5000, 0);
	sc_mount(t, KID, "crun", "proc", "/proc", 0, 0);
	sc_mount(t, KID, "crun", "sysfs", "/sys", 1, 1 /* EPERM */);
	tl_advance(t, 1000);
	ev = sc_new(t, KID, KID, "crun", "pivot_root", 0, 0, 90);
	sc_str(ev, 0, "new_root", ".");
	sc_str(ev, 1, "put_old", ".");
	tl_feed(t, ev);
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
