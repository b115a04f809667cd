/* test_model_runc.c - the model on `runc run mdltest1`, event for event as
 * runc 1.1.5 does it on these machines (strace -f of a busybox bundle):
 *
 *   runc run -> Go thread vfork -> execve /proc/self/exe "runc init"
 *   -> execveat of a sealed copy -> prctl runc:[0:PARENT] -> clone(CLONE_PARENT)
 *   -> runc:[1:CHILD] unshare(NEWNS|NEWUTS|NEWIPC|NEWPID|NEWNET) -> clone(CLONE_PARENT)
 *   -> runc:[2:INIT] (pid 1) mounts, pivot_root(".", "."), masks, hostname,
 *      no_new_privs, capset, opens the exec fifo (blocks), execve /bin/true.
 *
 * Namespace inodes come as /proc shows them: pid_for_children cannot be read
 * after unshare(CLONE_NEWPID) until the new namespace has its pid 1, so it
 * reads 0 (unknown) there and in the grandchild derived from it, until the
 * next read after a syscall of runc:[2:INIT].
 */
#include <criterion/criterion.h>

#include "test_model_builder.h"

#include <errno.h>

#define RUNC 6369
#define RUNC_T 6377 /* the Go thread that vforks runc init */
#define INIT 6378
#define CHILD 6379
#define GRAND 6380
#define CLONE_THREADS 0x3d0f00ull
#define VFORK_FLAGS (0x100ull | 0x4000 | 17)
#define PARENT_FLAGS (0x8000ull | 17)
#define UNSHARE_FLAGS (0x00020000ull | 0x04000000 | 0x08000000 | 0x20000000 | 0x40000000)
#define CTR_NS (NSB(NS_MNT) | NSB(NS_UTS) | NSB(NS_IPC) | NSB(NS_NET))

/* Called by runc_run right after the entrypoint's exec, when set. */
static void (*after_entry)(struct tl *t);
/* Called by runc_run after its masking of /proc/kcore, when set. */
static void (*runc_run_extra)(struct tl *t);
/* runc_run ends there instead: runc:[2:INIT] exits 1, then runc (a failed launch),
 * after writing runc_stderr (when set) to its stderr. */
static bool fail_after_masks;
static const char *runc_stderr;

static void runc_run(struct tl *t)
{
	struct ns_set host = ns_host();
	struct ns_set after_unshare = ns_with(host, CTR_NS);
	after_unshare.ino[NS_PID_FOR_CHILDREN] = 0;
	struct ns_set ctr = ns_with(host, CTR_NS | NSB(NS_PID) | NSB(NS_PID_FOR_CHILDREN));
	struct ns_set derived = after_unshare; /* what the tracer knows at the clone */
	derived.ino[NS_PID] = 0;

	tl_start(t);
	tl_exec(t, RUNC, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", RUNC, host,
		ARGV("runc", "run", "mdltest1"));
	for (pid_t tid = RUNC + 1; tid <= RUNC + 4; tid++)
		tl_spawn(t, RUNC, RUNC, tid, 1000, CLONE_THREADS, true, "runc", tid, host);
	tl_spawn(t, RUNC + 4, RUNC, RUNC_T, 1000, CLONE_THREADS, true, "runc", RUNC_T, host);
	tl_advance(t, 2000);

	/* runc init */
	tl_spawn(t, RUNC_T, INIT, INIT, RUNC, VFORK_FLAGS, false, "runc", INIT, host);
	tl_advance(t, 500);
	tl_exec(t, INIT, 0, "/proc/self/exe", "/usr/sbin/runc", "runc", INIT, host,
		ARGV("runc", "init"));
	struct ns_event *ev = sc_new(t, RUNC, RUNC_T, "runc", "clone", INIT, 0, 2000);
	sc_raw(ev, 0, "flags", VFORK_FLAGS);
	ev->hidden = true;
	tl_feed(t, ev);
	sc_mount(t, INIT, "runc", "/proc/self/exe", "/run/runc/mdltest1/runc.NgqZIB", 0x1000, 0);
	tl_advance(t, 1000);
	tl_exec(t, INIT, 0, "", "/run/runc/mdltest1/runc.NgqZIB (deleted)", "runc", INIT, host,
		ARGV("runc", "init"));
	tl_advance(t, 6000);

	/* runc:[0:PARENT] -> runc:[1:CHILD] */
	sc_prctl_name(t, INIT, INIT, "runc:[0:PARENT]");
	tl_spawn(t, INIT, CHILD, CHILD, RUNC, PARENT_FLAGS, false, "runc:[0:PARENT]", CHILD, host);
	ev = sc_new(t, INIT, INIT, "runc:[0:PARENT]", "clone", CHILD, 0, 100);
	sc_raw(ev, 0, "flags", PARENT_FLAGS);
	tl_feed(t, ev);
	tl_advance(t, 1600);
	sc_prctl_name(t, CHILD, CHILD, "runc:[1:CHILD]");
	ev = sc_new(t, CHILD, CHILD, "runc:[1:CHILD]", "unshare", 0, 0, 3000);
	sc_raw(ev, 0, "flags", UNSHARE_FLAGS);
	ev_ns(ev, after_unshare);
	tl_feed(t, ev);

	/* runc:[2:INIT], pid 1 of the new pid namespace */
	tl_spawn(t, CHILD, GRAND, GRAND, RUNC, PARENT_FLAGS, false, "runc:[1:CHILD]", 1, derived);
	ev = sc_new(t, CHILD, CHILD, "runc:[1:CHILD]", "clone", GRAND, 0, 700);
	sc_raw(ev, 0, "flags", PARENT_FLAGS);
	tl_feed(t, ev);
	tl_advance(t, 5000);
	sc_prctl_name(t, GRAND, 1, "runc:[2:INIT]");
	tl_exit(t, CHILD, CHILD, 0);
	tl_exit(t, INIT, INIT, 0);
	ev = sc_new(t, GRAND, GRAND, "runc:[2:INIT]", "setuid", 0, 0, 10);
	sc_raw(ev, 0, "uid", 0);
	ev->hidden = true;
	tl_feed(t, ev);

	/* Go threads of runc:[2:INIT]: clone3 returns their ids in the new pid namespace */
	for (pid_t k = 1; k <= 2; k++) {
		tl_spawn(t, GRAND, GRAND, GRAND + k, RUNC, CLONE_THREADS, true, "runc:[2:INIT]",
			 1 + k, ctr);
		ev = sc_new(t, GRAND, GRAND, "runc:[2:INIT]", "clone3", 1 + k, 0, 300);
		ev->nspid = 1;
		ev_ns(ev, ctr); /* re-read after clone3: now pid and pid_for_children are known */
		tl_feed(t, ev);
	}
	tl_advance(t, 8000);

	/* rootfs */
	sc_mount(t, GRAND, "runc:[2:INIT]", "", "/", 0x44000, 0);
	sc_mount(t, GRAND, "runc:[2:INIT]", "/tmp/b/rootfs", "/tmp/b/rootfs", 0x5000, 0);
	sc_mount(t, GRAND, "runc:[2:INIT]", "proc", "/proc/self/fd/6", 0, 0);
	sc_mount(t, GRAND, "runc:[2:INIT]", "tmpfs", "/proc/self/fd/6", 0x1000002, 0);
	tl_advance(t, 20000);
	ev = sc_new(t, GRAND, GRAND, "runc:[2:INIT]", "pivot_root", 0, 0, 150);
	ev->nspid = ev->nstid = 1;
	sc_str(ev, 0, "new_root", ".");
	sc_str(ev, 1, "put_old", ".");
	tl_feed(t, ev);
	sc_mount(t, GRAND, "runc:[2:INIT]", "", ".", 0x44000, 0);
	sc_mount(t, GRAND, "runc:[2:INIT]", "/dev/null", "/proc/kcore", 0x1000, 2 /* ENOENT */);
	if (runc_run_extra)
		runc_run_extra(t);
	if (fail_after_masks) {
		tl_exit(t, GRAND, GRAND + 1, 1);
		tl_exit(t, GRAND, GRAND + 2, 1);
		tl_exit(t, GRAND, GRAND, 1);
		tl_advance(t, 3000);
		if (runc_stderr)
			sc_write(t, RUNC, "runc", 2, runc_stderr);
		for (pid_t tid = RUNC + 1; tid <= RUNC + 4; tid++)
			tl_exit(t, RUNC, tid, 1);
		tl_exit(t, RUNC, RUNC_T, 1);
		tl_exit(t, RUNC, RUNC, 1);
		return;
	}
	ev = sc_new(t, GRAND, GRAND, "runc:[2:INIT]", "sethostname", 0, 0, 10);
	sc_str(ev, 0, "name", "runc");
	sc_raw(ev, 1, "len", 4);
	tl_feed(t, ev);
	ev = sc_new(t, GRAND, GRAND, "runc:[2:INIT]", "prctl", 0, 0, 10);
	sc_raw(ev, 0, "option", 38);
	sc_raw(ev, 1, "arg2", 1);
	tl_feed(t, ev);
	ev = sc_new(t, GRAND, GRAND, "runc:[2:INIT]", "capset", 0, 0, 10);
	struct av *data = av_new(&ev->arena, AV_STRUCT, "datap");
	av_reserve(&ev->arena, data, 1);
	struct av *eff = av_new(&ev->arena, AV_FLAGS, "effective");
	eff->u = (1u << 5) | (1u << 10) | (1ull << 29);
	eff->names = arena_alloc(&ev->arena, 3 * sizeof(char *));
	eff->names[0] = "1<<CAP_KILL";
	eff->names[1] = "1<<CAP_NET_BIND_SERVICE";
	eff->names[2] = "1<<CAP_AUDIT_WRITE";
	eff->nnames = 3;
	av_set(&data->items[0], eff, "effective");
	ev->raw_args[1] = 0x7ffd0010;
	av_set(&ev->args->items[1], data, NULL);
	ev->args->n = 2;
	tl_feed(t, ev);
	tl_advance(t, 1000);

	/* the exec fifo: the open blocks 1.2 ms, until `runc run` opens the other end */
	sc_openat(t, GRAND, "runc:[2:INIT]", "/proc/self/fd/5", 01 | 02000000, 3, 1200);
	sc_write(t, GRAND, "runc:[2:INIT]", 3, "0");
	tl_advance(t, 900);
	tl_exec(t, GRAND, 0, "/bin/true", "/bin/busybox", "true", 1, ctr, ARGV("true"));
	if (after_entry)
		after_entry(t);
	tl_exit(t, GRAND, GRAND + 1, 0);
	tl_exit(t, GRAND, GRAND + 2, 0);
	tl_advance(t, 30000);
	tl_exit(t, GRAND, GRAND, 0);
	tl_advance(t, 4000);
	for (pid_t tid = RUNC + 1; tid <= RUNC + 4; tid++)
		tl_exit(t, RUNC, tid, 0);
	tl_exit(t, RUNC, RUNC_T, 0);
	tl_exit(t, RUNC, RUNC, 0);
}

Test(model_runc, roles_follow_the_launch)
{
	struct tl t;
	tl_init(&t, NULL);
	runc_run(&t);
	cr_assert_eq(rec_find(&t, EV_EXEC, RUNC, NULL, 0)->role, ROLE_RUNTIME);
	cr_assert_eq(rec_find(&t, EV_SPAWN, INIT, NULL, 0)->role, ROLE_RUNTIME_INIT,
		     "a runtime's child is runtime-init before its exec");
	cr_assert_eq(rec_find(&t, EV_EXEC, INIT, NULL, 0)->role, ROLE_RUNTIME_INIT);
	cr_assert_eq(rec_find(&t, EV_EXEC, INIT, NULL, 1)->role, ROLE_RUNTIME_INIT,
		     "the sealed copy is still runc init");
	cr_assert_eq(rec_find(&t, EV_SPAWN, GRAND, NULL, 0)->role, ROLE_RUNTIME_INIT);
	const struct rec *entry = rec_find(&t, EV_EXEC, GRAND, NULL, 0);
	cr_assert_eq(entry->role, ROLE_WORKLOAD);
	cr_assert_str_eq(entry->stage, "", "exec ends the stage");
	cr_assert(
	    strstr(entry->note, "entrypoint /bin/true: host pid 6380, pid 1 in the container"),
	    "%s", entry->note);
	tl_fini(&t);
}

Test(model_runc, stages_in_order_with_both_pids)
{
	struct tl t;
	tl_init(&t, NULL);
	runc_run(&t);
	cr_assert_eq(rec_count(&t, EV_STAGE, 0), 3);
	const char *want[] = {"runc:[0:PARENT]", "runc:[1:CHILD]", "runc:[2:INIT]"};
	pid_t pids[] = {INIT, CHILD, GRAND};
	for (int i = 0; i < 3; i++) {
		const struct rec *r = rec_find(&t, EV_STAGE, 0, NULL, i);
		cr_assert_str_eq(r->stage, want[i]);
		cr_assert_eq(r->pid, pids[i]);
		cr_assert_eq(r->role, ROLE_RUNTIME_INIT);
		cr_assert_str_eq(r->container, "mdltest1");
		/* the stage event comes right after the prctl that started it */
		const struct rec *prev = r - 1;
		cr_assert_str_eq(prev->sc, "prctl");
		cr_assert_str_eq(prev->stage, want[i]);
		cr_assert(prev->hidden, "hidden events stay hidden");
	}
	const struct rec *init = rec_find(&t, EV_STAGE, GRAND, NULL, 0);
	cr_assert(strstr(init->note, "host pid 6380, pid 1 in its pid namespace"), "%s",
		  init->note);
	/* a spawned task carries its spawner's stage until it renames itself */
	cr_assert_str_eq(rec_find(&t, EV_SPAWN, CHILD, NULL, 0)->stage, "runc:[0:PARENT]");
	tl_fini(&t);
}

Test(model_runc, clone_parent_keeps_spawner_and_parent_apart)
{
	struct tl t;
	tl_init(&t, NULL);
	runc_run(&t);
	const struct rec *r = rec_find(&t, EV_SPAWN, CHILD, NULL, 0);
	cr_assert(strstr(r->note, "spawned by 6378 (runc:[0:PARENT]) with CLONE_PARENT: its parent "
				  "is 6369"),
		  "%s", r->note);
	/* the role came from the spawner (runc init), not the parent (runc run) */
	cr_assert_eq(r->role, ROLE_RUNTIME_INIT);
	tl_fini(&t);
}

Test(model_runc, namespace_changes_in_words)
{
	struct tl t;
	tl_init(&t, NULL);
	runc_run(&t);
	const struct rec *u = rec_find(&t, EV_SYSCALL, CHILD, "unshare", 0);
	cr_assert_eq(u->ns_changed, CTR_NS | NSB(NS_PID_FOR_CHILDREN),
		     "pid_for_children moved to a namespace not readable yet");
	cr_assert_eq(u->ns.ino[NS_PID_FOR_CHILDREN], 0);
	cr_assert_eq(u->ns_old.ino[NS_PID_FOR_CHILDREN], INO_HOST + NS_PID);
	cr_assert_eq(u->ns_old.ino[NS_MNT], INO_HOST + NS_MNT);
	cr_assert_eq(u->ns.ino[NS_MNT], INO_CTR + NS_MNT);
	cr_assert_str_eq(u->note,
			 "runc:[1:CHILD] enters new mnt, uts, ipc, net namespaces; its next "
			 "child starts in a new pid namespace as pid 1");
	const struct rec *s = rec_find(&t, EV_SPAWN, GRAND, NULL, 0);
	cr_assert_eq(s->ns_changed, 0, "mnt was already new in its spawner, pid is not known");
	cr_assert_eq(s->nspid, 1);
	cr_assert(strstr(s->note, "starts as pid 1 of a new pid namespace, host pid 6380"), "%s",
		  s->note);
	/* the first re-read after that is a correction, not a change */
	cr_assert_eq(rec_find(&t, EV_SYSCALL, GRAND, "clone3", 0)->ns_changed, 0);
	cr_assert_eq(rec_find(&t, EV_SYSCALL, GRAND, "clone3", 0)->ns.ino[NS_PID],
		     INO_CTR + NS_PID);
	/* nothing changed for syscalls that do not move namespaces */
	cr_assert_eq(rec_find(&t, EV_EXEC, GRAND, NULL, 0)->ns_changed, 0);
	tl_fini(&t);
}

Test(model_runc, clone_results_translated_to_host_tids)
{
	struct tl t;
	tl_init(&t, NULL);
	runc_run(&t);
	const struct rec *c = rec_find(&t, EV_SYSCALL, GRAND, "clone3", 0);
	cr_assert_eq(c->child_tid, GRAND + 1);
	cr_assert(strstr(c->note, "returns 2, its pid namespace's id for host tid 6381"), "%s",
		  c->note);
	const struct rec *v = rec_find(&t, EV_SYSCALL, RUNC, "clone", 0);
	cr_assert_eq(v->child_tid, INIT);
	cr_assert_str_eq(v->note, "", "same namespace: nothing to translate");
	tl_fini(&t);
}

Test(model_runc, container_recognised_once_and_carried)
{
	struct tl t;
	tl_init(&t, NULL);
	runc_run(&t);
	cr_assert_eq(rec_count(&t, EV_CONTAINER, 0), 1);
	const struct rec *c = rec_find(&t, EV_CONTAINER, 0, NULL, 0);
	cr_assert_str_eq(c->container, "mdltest1");
	cr_assert_str_eq(c->note, "container mdltest1, from runc's command line");
	cr_assert_eq(rec_index(&t, c), rec_index(&t, rec_find(&t, EV_EXEC, RUNC, NULL, 0)) + 1,
		     "announced right after the exec that revealed it");
	for (size_t i = 0; i < t.n; i++) {
		const struct rec *r = &t.recs[i];
		if (r->pid == INIT || r->pid == CHILD || r->pid == GRAND || r->pid == RUNC)
			cr_assert_str_eq(r->container, "mdltest1", "event %zu (%s)", i,
					 ev_kind_name(r->kind));
	}
	tl_fini(&t);
}

Test(model_runc, credentials_where_they_change)
{
	struct tl t;
	tl_init(&t, NULL);
	runc_run(&t);
	const struct rec *u = rec_find(&t, EV_SYSCALL, GRAND, "setuid", 0);
	cr_assert_eq(u->creds_changed, CRED_UID);
	cr_assert_eq(u->creds.uid, 0);
	cr_assert_eq(u->creds.host_uid, 0, "host user namespace: the id is the host's");
	const struct rec *p = rec_find(&t, EV_SYSCALL, GRAND, "prctl", 1);
	cr_assert_eq(p->creds_changed, CRED_NO_NEW_PRIVS);
	cr_assert(p->creds.no_new_privs);
	const struct rec *c = rec_find(&t, EV_SYSCALL, GRAND, "capset", 0);
	cr_assert_eq(c->creds_changed, CRED_CAPS);
	cr_assert_eq(c->creds.cap_effective, (1u << 5) | (1u << 10) | (1ull << 29));
	cr_assert_str_eq(c->note, "effective capabilities now CAP_KILL, CAP_NET_BIND_SERVICE, "
				  "CAP_AUDIT_WRITE");
	cr_assert_eq(rec_find(&t, EV_SYSCALL, GRAND, "mount", 0)->creds_changed, 0);
	const struct rec *h = rec_find(&t, EV_SYSCALL, GRAND, "sethostname", 0);
	cr_assert_str_eq(h->note, "hostname \"runc\" in uts:[4026532171]");
	tl_fini(&t);
}

Test(model_runc, phases_tile_the_launch)
{
	struct tl t;
	tl_init(&t, NULL);
	runc_run(&t);
	const struct trace_summary *s = tl_end(&t);
	cr_assert_eq(s->ncontainers, 1);
	const struct container_summary *c = &s->containers[0];
	const char *want[] = {"runtime create",	 "runtime init",    "runc:[0:PARENT]",
			      "runc:[1:CHILD]",	 "namespace setup", "runc:[2:INIT]",
			      "rootfs mounts",	 "pivot_root",	    "wait for start",
			      "entrypoint exec", "workload"};
	size_t nwant = sizeof(want) / sizeof(want[0]);
	for (size_t i = 0; i < c->nphases; i++)
		cr_log_info("phase %s %ld+%ld", c->phases[i].name, (long)c->phases[i].start_us,
			    (long)c->phases[i].dur_us);
	cr_assert_eq(c->nphases, nwant, "%zu phases", c->nphases);
	for (size_t i = 0; i < nwant; i++)
		cr_assert_str_eq(c->phases[i].name, want[i], "phase %zu", i);
	cr_assert(phases_tile(c));
	/* from runc's exec to the entrypoint's exit */
	int64_t start = rec_find(&t, EV_EXEC, RUNC, NULL, 0)->rel_us;
	const struct rec *last_exit = NULL;
	for (int i = 0; rec_find(&t, EV_EXIT, GRAND, NULL, i); i++)
		last_exit = rec_find(&t, EV_EXIT, GRAND, NULL, i);
	cr_assert_eq(c->start_us, start);
	cr_assert_eq(c->start_us + c->dur_us, last_exit->rel_us);
	/* the wait is the fifo open's duration */
	cr_assert_eq(c->phases[8].dur_us, 1200);
	cr_assert_str_eq(c->phases[6].detail, "4 mounts, 0 failed");
	cr_assert(strstr(c->phases[7].detail, "2 mounts, 1 failed"), "%s", c->phases[7].detail);
	cr_assert(strstr(c->phases[1].detail, "1 mount, 0 failed"),
		  "runc's cloned-binary mount is not a rootfs mount: %s", c->phases[1].detail);
	/* EV_PHASE events: one per phase, in order, before the event that ended them */
	cr_assert_eq(rec_count(&t, EV_PHASE, 0), nwant);
	for (size_t i = 0; i < nwant; i++) {
		const struct rec *r = rec_find(&t, EV_PHASE, 0, NULL, (int)i);
		cr_assert_str_eq(r->phase, want[i]);
		cr_assert_eq(r->phase_start_us, c->phases[i].start_us);
		cr_assert_eq(r->phase_dur_us, c->phases[i].dur_us);
		cr_assert_str_eq(r->container, "mdltest1");
	}
	const struct rec *wl = rec_find(&t, EV_PHASE, 0, NULL, (int)nwant - 1);
	cr_assert_eq(wl->kind, EV_PHASE);
	cr_assert_eq((wl + 1)->kind, EV_EXIT, "the workload phase ends at its exit");
	tl_fini(&t);
}

Test(model_runc, summary_names_the_container)
{
	struct tl t;
	tl_init(&t, NULL);
	runc_run(&t);
	const struct trace_summary *s = tl_end(&t);
	const struct container_summary *c = &s->containers[0];
	cr_assert_str_eq(c->id, "mdltest1");
	cr_assert_str_eq(c->runtime, "runc");
	cr_assert_null(c->bundle, "runc run without -b: the bundle is its cwd, not known here");
	cr_assert_eq(c->ns_created,
		     NSB(NS_MNT) | NSB(NS_UTS) | NSB(NS_IPC) | NSB(NS_PID) | NSB(NS_NET));
	cr_assert_eq(c->ns_joined, 0);
	cr_assert_str_eq(c->entrypoint, "/bin/true");
	cr_assert_eq(c->entry_pid, GRAND);
	cr_assert_eq(c->entry_nspid, 1);
	cr_assert_eq(c->nfailures, 0, "masking a /proc file the kernel lacks is no failure");
	cr_assert_eq(c->nmounts, 7);
	cr_assert_eq(c->nmounts_failed, 1);
	cr_assert_eq(c->nmounts_optional, 1);
	const struct rec *kcore = rec_find(&t, EV_SYSCALL, GRAND, "mount", 5);
	cr_assert(kcore && strstr(kcore->note, "/proc/kcore is not on this kernel"), "%s",
		  kcore ? kcore->note : "no sixth mount");
	cr_assert(c->caused_by_command, "runc was the command nstrace started");
	cr_assert_eq(s->nprocesses, 4);
	cr_assert_eq(s->nevents, t.seq);
	tl_fini(&t);
}

static void runtime_waits(struct tl *t)
{
	cr_assert_not(model_wants_syscalls(t->m, RUNC),
		      "runc run after its container's entrypoint exec: events only");
	cr_assert_not(model_wants_syscalls(t->m, RUNC_T), "all its threads");
	cr_assert_not(model_wants_syscalls(t->m, GRAND), "the workload: events only");
}

Test(model_runc, depth_policy_by_role)
{
	struct tl t;
	tl_init(&t, NULL);
	runc_run(&t);
	tl_fini(&t);

	/* replay up to the entrypoint and ask as the tracer would */
	tl_init(&t, NULL);
	struct ns_set host = ns_host();
	tl_exec(&t, RUNC, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", RUNC, host,
		ARGV("runc", "run", "x"));
	cr_assert(model_wants_syscalls(t.m, RUNC));
	tl_spawn(&t, RUNC, INIT, INIT, RUNC, VFORK_FLAGS, false, "runc", INIT, host);
	cr_assert(model_wants_syscalls(t.m, INIT));
	tl_exec(&t, INIT, 0, "/proc/self/exe", "/usr/sbin/runc", "runc", INIT, host,
		ARGV("runc", "init"));
	cr_assert(model_wants_syscalls(t.m, INIT));
	sc_prctl_name(&t, INIT, INIT, "runc:[2:INIT]");
	tl_exec(&t, INIT, 0, "/bin/sh", "/bin/busybox", "sh", 1, host, ARGV("sh"));
	cr_assert_eq(rec_find(&t, EV_EXEC, INIT, NULL, 1)->role, ROLE_WORKLOAD);
	cr_assert_not(model_wants_syscalls(t.m, INIT), "the workload gets events only");
	cr_assert(model_wants_syscalls(t.m, 424242), "unknown tids: syscalls");
	tl_fini(&t);

	/* the whole launch: once the entrypoint runs, runc run only waits for it,
	 * so it drops to events only for the container's life */
	tl_init(&t, NULL);
	after_entry = runtime_waits;
	runc_run(&t);
	after_entry = NULL;
	tl_fini(&t);

	struct model_opts follow = {.follow_workload = true};
	tl_init(&t, &follow);
	tl_exec(&t, RUNC, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", RUNC, host,
		ARGV("runc", "run", "x"));
	tl_spawn(&t, RUNC, INIT, INIT, RUNC, VFORK_FLAGS, false, "runc", INIT, host);
	sc_prctl_name(&t, INIT, INIT, "runc:[2:INIT]");
	tl_exec(&t, INIT, 0, "/bin/sh", "/bin/busybox", "sh", 1, host, ARGV("sh"));
	cr_assert(model_wants_syscalls(t.m, INIT), "--follow-workload widens");
	tl_fini(&t);
}

Test(model_runc, idle_loop_thread_gets_events_only)
{
	struct tl t;
	tl_init(&t, NULL);
	struct ns_set host = ns_host();
	tl_exec(&t, RUNC, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", RUNC, host,
		ARGV("runc", "run", "x"));
	tl_spawn(&t, RUNC, RUNC, RUNC + 1, 1000, CLONE_THREADS, true, "runc", RUNC + 1, host);
	tl_spawn(&t, RUNC, RUNC, RUNC + 2, 1000, CLONE_THREADS, true, "runc", RUNC + 2, host);
	cr_assert(model_wants_syscalls(t.m, RUNC + 1), "a runtime thread: syscalls");
	model_set_idle_loop(t.m, RUNC + 1);
	cr_assert_not(model_wants_syscalls(t.m, RUNC + 1), "Go's sysmon: events only");
	cr_assert(model_wants_syscalls(t.m, RUNC), "its process's other threads keep theirs");
	cr_assert(model_wants_syscalls(t.m, RUNC + 2), "its process's other threads keep theirs");
	model_set_idle_loop(t.m, 424242); /* unknown: ignored */
	cr_assert(model_wants_syscalls(t.m, 424242));
	tl_fini(&t);
}

Test(model_runc, memory_follows_live_tasks)
{
	struct tl t;
	tl_init(&t, NULL);
	runc_run(&t);
	cr_assert_eq(model_live_processes(t.m), 0, "every process exited");
	cr_assert_eq(model_live_tasks(t.m), 0);
	tl_fini(&t);
}

/* Which failed mounts are the OCI spec's optional kernel paths (masked with
 * /dev/null or bound read-only onto themselves, skipped by the runtime when
 * the kernel lacks them) and which are failures of the launch. */
static void mounts_that_fail(struct tl *t)
{
	sc_mount(t, GRAND, "runc:[2:INIT]", "/dev/null", "/proc/acpi", 0x1000, ENOTDIR);
	sc_mount(t, GRAND, "runc:[2:INIT]", "/proc/sysrq-trigger", "/proc/sysrq-trigger", 0x5000,
		 ENOENT);
	sc_mount(t, GRAND, "runc:[2:INIT]", "/srv/missing", "/data", 0x5000, ENOENT);
	sc_mount(t, GRAND, "runc:[2:INIT]", "/dev/null", "/proc/kcore", 0x1000, EPERM);
	sc_mount(t, GRAND, "runc:[2:INIT]", "sysfs", "/sys/fs/x", 0, ENOENT);
	/* a bind mount onto the rootfs through an fd: under /proc/ by its text,
	 * but a container path (a volume), so a failure */
	struct ns_event *ev = sc_new(t, GRAND, GRAND, "runc:[2:INIT]", "mount", 0, ENOENT, 50);
	sc_str(ev, 0, "source", "/srv/vol");
	sc_str(ev, 1, "target", "/proc/self/fd/6");
	ev->args->items[1].fd_path = arena_strdup(&ev->arena, "/tmp/b/rootfs/data");
	sc_raw(ev, 3, "mountflags", 0x5000);
	tl_feed(t, ev);
}

Test(model_runc, optional_kernel_paths_are_no_failures)
{
	/* the launch of the other tests, with five more failed mounts after kcore's */
	struct tl t;
	tl_init(&t, NULL);
	runc_run_extra = mounts_that_fail;
	runc_run(&t);
	runc_run_extra = NULL;
	const struct container_summary *c = &tl_end(&t)->containers[0];
	cr_assert_eq(c->nmounts_failed, 7);
	cr_assert_eq(c->nmounts_optional, 3, "kcore (ENOENT), acpi (ENOTDIR), sysrq-trigger");
	cr_assert_eq(c->nfailures, 4, "a missing volume, EPERM, a non-bind mount, a volume by fd");
	cr_assert_str_eq(c->failures[3],
			 "mount(\"/srv/vol\", \"/proc/self/fd/6\"</tmp/b/rootfs/data>, ...) = -1 ENOENT");
	cr_assert_str_eq(c->failures[0], "mount(\"/srv/missing\", \"/data\", ...) = -1 ENOENT");
	cr_assert_str_eq(c->failures[1], "mount(\"/dev/null\", \"/proc/kcore\", ...) = -1 EPERM");
	cr_assert_str_eq(c->failures[2], "mount(\"sysfs\", \"/sys/fs/x\", ...) = -1 ENOENT");
	const struct rec *acpi = rec_find(&t, EV_SYSCALL, GRAND, "mount", 6);
	cr_assert(acpi && strstr(acpi->note, "/proc/acpi is a directory: the runtime masks it with a tmpfs"),
		  "%s", acpi ? acpi->note : "no mount");
	tl_fini(&t);
}

Test(model_runc, failed_launch_phase_keeps_its_process)
{
	/* runc:[2:INIT] fails after its masks and is gone when runc's exit closes
	 * the open phase: that phase's line is still runc:[2:INIT]'s, not a mix of
	 * its pid and runc's identity */
	struct tl t;
	tl_init(&t, NULL);
	fail_after_masks = true;
	runc_run(&t);
	fail_after_masks = false;
	const struct container_summary *c = &tl_end(&t)->containers[0];
	cr_assert_str_eq(c->phases[c->nphases - 1].name, "pivot_root");
	const struct rec *last = NULL;
	for (int i = 0; rec_find(&t, EV_PHASE, 0, NULL, i); i++)
		last = rec_find(&t, EV_PHASE, 0, NULL, i);
	cr_assert_str_eq(last->phase, "pivot_root");
	cr_assert_eq(last->pid, GRAND);
	cr_assert_eq(last->ppid, RUNC, "the phase's process's parent, got %d", last->ppid);
	cr_assert_eq(last->nspid, 1, "its own pid inside, not the trigger's: %d", last->nspid);
	cr_assert_str_eq(last->comm, "runc:[2:INIT]");
	cr_assert_eq(last->role, ROLE_RUNTIME_INIT);
	cr_assert_str_eq(last->stage, "runc:[2:INIT]");
	tl_fini(&t);
}

Test(model_runc, failure_says_what_the_runtime_said)
{
	/* runc's logrus line on stderr: the error's msg, unescaped; a warning
	 * before it and a write to another fd do not count */
	struct tl t;
	tl_init(&t, NULL);
	fail_after_masks = true;
	runc_stderr = "time=\"2026-11-29T16:21:52Z\" level=warning msg=\"cgroup: slow\"\n"
		      "time=\"2026-11-29T16:21:52Z\" level=error msg=\"runc run failed: unable "
		      "to start container process: exec: \\\"/bin/nope\\\": stat /bin/nope: no "
		      "such file or directory\"\n";
	runc_run(&t);
	fail_after_masks = false;
	runc_stderr = NULL;
	const struct container_summary *c = &tl_end(&t)->containers[0];
	cr_assert_eq(c->nfailures, 2);
	cr_assert_str_eq(c->failures[1],
			 "runc (pid 6369) exited with 1: runc run failed: unable to start container "
			 "process: exec: \"/bin/nope\": stat /bin/nope: no such file or directory");
	cr_assert_str_eq(c->failures[0], "runc:[2:INIT] (pid 6380) exited with 1",
			 "runc init said nothing: %s", c->failures[0]);
	const struct rec *w = rec_find(&t, EV_SYSCALL, RUNC, "write", 0);
	cr_assert(w && w->hidden, "the write stays hidden: the summary says it");
	tl_fini(&t);
}

Test(model_runc, failure_says_what_the_log_file_said)
{
	/* under a shim: `runc --log FILE --log-format json create`, the error goes
	 * to FILE as a JSON line; a plain line with no level is taken whole */
	struct tl t;
	tl_init(&t, NULL);
	tl_start(&t);
	const char *log = "/run/containerd/io.containerd.runtime.v2.task/default/c1/log.json";
	tl_exec(&t, RUNC, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", RUNC, ns_host(),
		ARGV("runc", "--root", "/run/containerd/runc/default", "--log", log,
		     "--log-format", "json", "create", "--bundle", "/run/b/c1", "c1"));
	sc_openat(&t, RUNC, "runc", log, 02101 | 02000000, 5, 20);
	sc_write(&t, RUNC, "runc", 4, "{\"level\":\"error\",\"msg\":\"not the log\"}\n");
	sc_write(&t, RUNC, "runc", 5,
		 "{\"level\":\"error\",\"msg\":\"runc create failed: unable to start container "
		 "process: error mounting \\\"/srv/vol\\\" to rootfs at \\\"/data\\\": stat "
		 "/srv/vol: no such file or directory\",\"time\":\"2026-11-29T16:21:52Z\"}\n");
	tl_exit(&t, RUNC, RUNC, 1);
	const struct container_summary *c = &tl_end(&t)->containers[0];
	cr_assert_eq(c->nfailures, 1);
	cr_assert_str_eq(c->failures[0],
			 "runc (pid 6369) exited with 1: runc create failed: unable to start "
			 "container process: error mounting \"/srv/vol\" to rootfs at \"/data\": "
			 "stat /srv/vol: no such file or directory");
	tl_fini(&t);

	tl_init(&t, NULL);
	tl_start(&t);
	tl_exec(&t, RUNC, 0, "/usr/bin/crun", "/usr/bin/crun", "crun", RUNC, ns_host(),
		ARGV("crun", "run", "c2"));
	sc_write(&t, RUNC, "crun", 2, "crun: executable file `/bin/nope` not found\n");
	tl_exit(&t, RUNC, RUNC, 1);
	c = &tl_end(&t)->containers[0];
	cr_assert_eq(c->nfailures, 1);
	cr_assert_str_eq(c->failures[0],
			 "crun (pid 6369) exited with 1: crun: executable file `/bin/nope` not found");
	tl_fini(&t);
}

Test(model_runc, joined_pid_namespace_is_not_new)
{
	/* runc exec (or a config whose pid namespace has a path): the stage
	 * setns()es into the container's pid namespace; its child starts there,
	 * in an existing namespace, where unshare would have made a new one */
	struct tl t;
	tl_init(&t, NULL);
	struct ns_set host = ns_host();
	struct ns_set joined = host;
	joined.ino[NS_PID_FOR_CHILDREN] = INO_CTR + NS_PID;
	struct ns_set child = joined;
	child.ino[NS_PID] = INO_CTR + NS_PID;
	tl_start(&t);
	tl_exec(&t, CHILD, 0, "/proc/self/exe", "/usr/sbin/runc", "runc", CHILD, host,
		ARGV("runc", "init"));
	sc_prctl_name(&t, CHILD, CHILD, "runc:[1:CHILD]");
	struct ns_event *ev = sc_new(&t, CHILD, CHILD, "runc:[1:CHILD]", "setns", 0, 0, 40);
	sc_raw(ev, 0, "fd", 7);
	sc_raw(ev, 1, "nstype", 0x20000000); /* CLONE_NEWPID */
	ev_ns(ev, joined);
	tl_feed(&t, ev);
	tl_spawn(&t, CHILD, GRAND, GRAND, CHILD, PARENT_FLAGS, false, "runc:[1:CHILD]", 2, child);
	const struct rec *s = rec_find(&t, EV_SPAWN, GRAND, NULL, 0);
	char want[160];
	snprintf(want, sizeof(want),
		 "starts in the existing pid namespace its spawner joined: pid 2 in pid:[%llu], "
		 "host pid 6380",
		 (unsigned long long)(INO_CTR + NS_PID));
	cr_assert(strstr(s->note, want), "%s", s->note);
	cr_assert_null(strstr(s->note, "new pid"), "%s", s->note);
	/* the same child after unshare(CLONE_NEWPID) instead: a new one */
	ev = sc_new(&t, CHILD, CHILD, "runc:[1:CHILD]", "unshare", 0, 0, 40);
	sc_raw(ev, 0, "flags", 0x20000000);
	ev_ns(ev, joined);
	tl_feed(&t, ev);
	tl_spawn(&t, CHILD, GRAND + 1, GRAND + 1, CHILD, PARENT_FLAGS, false, "runc:[1:CHILD]", 1,
		 child);
	s = rec_find(&t, EV_SPAWN, GRAND + 1, NULL, 0);
	snprintf(want, sizeof(want), "starts in new pid namespace: pid 1 in pid:[%llu]",
		 (unsigned long long)(INO_CTR + NS_PID));
	cr_assert(strstr(s->note, want), "%s", s->note);
	tl_fini(&t);
}

Test(model_runc, reexec_says_how_runc_protects_its_binary)
{
	/* runc 1.1's try_bindfd: a read-only bind mount of /proc/self/exe,
	 * unmounted (detached) before the execveat; not a copy, not sealed */
	struct tl t;
	tl_init(&t, NULL);
	runc_run(&t);
	const struct rec *e = rec_find(&t, EV_EXEC, INIT, NULL, 1);
	cr_assert(strstr(e->note, "runc init runs from a read-only bind mount of its own binary, "
				  "detached from every path (exe /run/runc/mdltest1/runc.NgqZIB "
				  "(deleted))"),
		  "%s", e->note);
	cr_assert_null(strstr(e->note, "sealed"), "%s", e->note);
	tl_fini(&t);
}

Test(model_runc, runtime_words_on_a_terminal_and_escaped)
{
	/* logrus on a terminal (coloured "ERRO[0000] ..."): the error's text; a
	 * warning and a later plain line do not replace it */
	struct tl t;
	tl_init(&t, NULL);
	tl_start(&t);
	tl_exec(&t, RUNC, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", RUNC, ns_host(),
		ARGV("runc", "run", "c3"));
	sc_write(&t, RUNC, "runc", 2,
		 "\033[31mERRO\033[0m[0000] runc run failed: exec: \"/bin/nope\": not found\n");
	sc_write(&t, RUNC, "runc", 2, "\033[33mWARN\033[0m[0000] cleanup: slow\n");
	sc_write(&t, RUNC, "runc", 2, "hint: see the log\n");
	tl_exit(&t, RUNC, RUNC, 1);
	const struct container_summary *c = &tl_end(&t)->containers[0];
	cr_assert_str_eq(c->failures[0],
			 "runc (pid 6369) exited with 1: runc run failed: exec: \"/bin/nope\": not found");
	tl_fini(&t);

	/* JSON's \u003c \u003e \u0026 (logrus escapes <, >, &) come out as themselves */
	tl_init(&t, NULL);
	tl_start(&t);
	tl_exec(&t, RUNC, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", RUNC, ns_host(),
		ARGV("runc", "--log", "/run/l.json", "--log-format", "json", "create", "c4"));
	sc_openat(&t, RUNC, "runc", "/run/l.json", 02101 | 02000000, 5, 20);
	sc_write(&t, RUNC, "runc", 5,
		 "{\"level\":\"error\",\"msg\":\"hook \\u003cprestart\\u003e failed \\u0026 "
		 "exited\",\"time\":\"x\"}\n");
	tl_exit(&t, RUNC, RUNC, 1);
	c = &tl_end(&t)->containers[0];
	cr_assert_str_eq(c->failures[0],
			 "runc (pid 6369) exited with 1: hook <prestart> failed & exited");
	tl_fini(&t);

	/* the log file is not an id map: its writes stay hidden, none is read as a
	 * map, and every one of them is watched (the second line counts) */
	tl_init(&t, NULL);
	tl_start(&t);
	tl_exec(&t, RUNC, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", RUNC, ns_host(),
		ARGV("runc", "--log", "/run/l.json", "--log-format", "json", "create", "c5"));
	sc_openat(&t, RUNC, "runc", "/run/l.json", 02101 | 02000000, 5, 20);
	sc_write(&t, RUNC, "runc", 5, "{\"level\":\"info\",\"msg\":\"starting\"}\n");
	sc_write(&t, RUNC, "runc", 5, "{\"level\":\"error\",\"msg\":\"second line\"}\n");
	tl_exit(&t, RUNC, RUNC, 1);
	c = &tl_end(&t)->containers[0];
	cr_assert_str_eq(c->failures[0], "runc (pid 6369) exited with 1: second line");
	for (int i = 0; i < 2; i++) {
		const struct rec *w = rec_find(&t, EV_SYSCALL, RUNC, "write", i);
		cr_assert(w && w->hidden && !w->has_idmap, "log write %d shown or read as a map", i);
	}
	tl_fini(&t);
}
