/* test_model_userns.c - a launch with a user namespace and a joined network
 * namespace, as runc's nsexec.c does it: runc:[1:CHILD] unshares CLONE_NEWUSER
 * and asks its parent; runc:[0:PARENT] writes /proc/CHILD/uid_map and gid_map;
 * the child joins the pod's net namespace with setns and unshares the rest;
 * runc:[2:INIT] sets uid/gid 0, which the host sees through the maps. */
#include <criterion/criterion.h>

#include "test_model_builder.h"

#define RUNC 800
#define INIT 801
#define CHILD 802
#define GRAND 803
#define PARENT_FLAGS (0x8000ull | 17)
#define NEWUSER 0x10000000ull
#define NEWNET 0x40000000ull
#define REST_FLAGS (0x00020000ull | 0x04000000 | 0x08000000 | 0x20000000)
#define POD_NET 4026532999ull

static void userns_launch(struct tl *t)
{
	struct ns_set host = ns_host();
	struct ns_set user = ns_with(host, NSB(NS_USER));
	struct ns_set joined = user;
	joined.ino[NS_NET] = POD_NET;
	struct ns_set rest =
	    ns_with(joined, NSB(NS_MNT) | NSB(NS_UTS) | NSB(NS_IPC) | NSB(NS_PID_FOR_CHILDREN));
	struct ns_set ctr = ns_with(rest, NSB(NS_PID));

	tl_start(t);
	tl_exec(t, RUNC, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", RUNC, host,
		ARGV("runc", "--root", "/run/r", "create", "--bundle=/b/u", "u1"));
	tl_spawn(t, RUNC, INIT, INIT, RUNC, 0x4111, false, "runc", INIT, host);
	tl_exec(t, INIT, 0, "/proc/self/exe", "/usr/sbin/runc", "runc", INIT, host,
		ARGV("runc", "init"));
	sc_prctl_name(t, INIT, INIT, "runc:[0:PARENT]");
	tl_spawn(t, INIT, CHILD, CHILD, RUNC, PARENT_FLAGS, false, "runc:[0:PARENT]", CHILD, host);
	sc_prctl_name(t, CHILD, CHILD, "runc:[1:CHILD]");
	struct ns_event *ev = sc_new(t, CHILD, CHILD, "runc:[1:CHILD]", "unshare", 0, 0, 200);
	sc_raw(ev, 0, "flags", NEWUSER);
	ev_ns(ev, user);
	tl_feed(t, ev);

	/* runc:[0:PARENT] maps the child's ids; it reads its own map first (read-only) */
	sc_openat(t, INIT, "runc:[0:PARENT]", "/proc/self/uid_map", 0, 8, 5);
	sc_write(t, INIT, "runc:[0:PARENT]", 8, "0 0 4294967295\n");
	sc_openat(t, INIT, "runc:[0:PARENT]", "/proc/802/setgroups", 01, 7, 5);
	sc_write(t, INIT, "runc:[0:PARENT]", 7, "deny");
	sc_openat(t, INIT, "runc:[0:PARENT]", "/proc/802/uid_map", 02, 7, 5);
	sc_write(t, INIT, "runc:[0:PARENT]", 7, "0 100000 65536\n");
	sc_openat(t, INIT, "runc:[0:PARENT]", "/proc/802/gid_map", 02, 7, 5);
	sc_write(t, INIT, "runc:[0:PARENT]", 7, "0 200000 1000\n1000 1000 1\n");
	sc_write(t, INIT, "runc:[0:PARENT]", 7, "7 7 7\n"); /* fd 7 reused: no map */

	ev = sc_new(t, CHILD, CHILD, "runc:[1:CHILD]", "setns", 0, 0, 40);
	sc_raw(ev, 0, "fd", 5);
	sc_raw(ev, 1, "nstype", NEWNET);
	ev_ns(ev, joined);
	tl_feed(t, ev);
	ev = sc_new(t, CHILD, CHILD, "runc:[1:CHILD]", "unshare", 0, 0, 900);
	sc_raw(ev, 0, "flags", REST_FLAGS);
	ev_ns(ev, rest);
	tl_feed(t, ev);
	tl_spawn(t, CHILD, GRAND, GRAND, RUNC, PARENT_FLAGS, false, "runc:[1:CHILD]", 1, ctr);
	sc_prctl_name(t, GRAND, 1, "runc:[2:INIT]");
	ev = sc_new(t, GRAND, GRAND, "runc:[2:INIT]", "setresuid", 0, 0, 5);
	sc_raw(ev, 0, "ruid", 0);
	sc_raw(ev, 1, "euid", 0);
	sc_raw(ev, 2, "suid", 0);
	tl_feed(t, ev);
	ev = sc_new(t, GRAND, GRAND, "runc:[2:INIT]", "setgid", 0, 0, 5);
	sc_raw(ev, 0, "gid", 1000);
	tl_feed(t, ev);
	ev = sc_new(t, GRAND, GRAND, "runc:[2:INIT]", "setgroups", 0, 0, 5);
	sc_raw(ev, 0, "size", 0);
	tl_feed(t, ev);
}

Test(model_userns, id_maps_decoded_from_writes)
{
	struct tl t;
	tl_init(&t, NULL);
	userns_launch(&t);
	const struct rec *w0 = rec_find(&t, EV_SYSCALL, INIT, "write", 0);
	cr_assert_not(w0->has_idmap, "its own map opened read-only is not a map write");
	const struct rec *sg = rec_find(&t, EV_SYSCALL, INIT, "write", 1);
	cr_assert(sg->has_idmap);
	cr_assert_str_eq(sg->idmap_file, "setgroups");
	cr_assert(strstr(sg->note, "setgroups of 802 (runc:[1:CHILD]): deny"), "%s", sg->note);
	const struct rec *u = rec_find(&t, EV_SYSCALL, INIT, "write", 2);
	cr_assert(u->has_idmap);
	cr_assert_str_eq(u->idmap_file, "uid_map");
	cr_assert_not(u->hidden, "an id map write is shown");
	cr_assert(w0->hidden, "other writes stay hidden");
	cr_assert_eq(u->idmap_target, CHILD);
	cr_assert_eq(u->idmap_n, 1);
	cr_assert_eq(u->idmap_ext[0].inside, 0);
	cr_assert_eq(u->idmap_ext[0].outside, 100000);
	cr_assert_eq(u->idmap_ext[0].count, 65536);
	cr_assert_str_eq(u->note, "uid_map of 802 (runc:[1:CHILD]): uid 0-65535 in its user "
				  "namespace = host uid 100000-165535");
	const struct rec *g = rec_find(&t, EV_SYSCALL, INIT, "write", 3);
	cr_assert_eq(g->idmap_n, 2);
	cr_assert_eq(g->idmap_ext[1].inside, 1000);
	cr_assert_eq(g->idmap_ext[1].outside, 1000);
	cr_assert_not(rec_find(&t, EV_SYSCALL, INIT, "write", 4)->has_idmap,
		      "one write per map: a reused fd is not the map");
	tl_fini(&t);
}

Test(model_userns, refused_map_is_a_failure)
{
	struct tl t;
	tl_init(&t, NULL);
	struct ns_set host = ns_host();
	tl_exec(&t, RUNC, 0, "/usr/sbin/runc", "/usr/sbin/runc", "runc", RUNC, host,
		ARGV("runc", "run", "u2"));
	tl_spawn(&t, RUNC, INIT, INIT, RUNC, 0x4111, false, "runc", INIT, host);
	tl_exec(&t, INIT, 0, "/proc/self/exe", "/usr/sbin/runc", "runc", INIT, host,
		ARGV("runc", "init"));
	sc_prctl_name(&t, INIT, INIT, "runc:[0:PARENT]");
	sc_openat(&t, INIT, "runc:[0:PARENT]", "/proc/802/uid_map", 02, 7, 5);
	struct ns_event *ev =
	    sc_new(&t, INIT, INIT, "runc:[0:PARENT]", "write", 0, 1 /* EPERM */, 5);
	sc_raw(ev, 0, "fd", 7);
	sc_str(ev, 1, "buf", "0 0 65536\n");
	tl_feed(&t, ev);
	cr_assert_not(rec_find(&t, EV_SYSCALL, INIT, "write", 0)->has_idmap);
	sc_write(&t, INIT, "runc:[0:PARENT]", 9, "x"); /* another fd: not a map */
	const struct trace_summary *s = model_summary(t.m);
	cr_assert_eq(s->containers[0].nfailures, 1);
	cr_assert_str_eq(s->containers[0].failures[0], "write(\"0 0 65536\\n\", ...) = -1 EPERM");
	tl_fini(&t);
}

Test(model_userns, ids_seen_through_the_maps)
{
	struct tl t;
	tl_init(&t, NULL);
	userns_launch(&t);
	const struct rec *u = rec_find(&t, EV_SYSCALL, GRAND, "setresuid", 0);
	cr_assert_eq(u->creds_changed, CRED_UID);
	cr_assert_eq(u->creds.uid, 0);
	cr_assert_eq(u->creds.host_uid, 100000);
	cr_assert_str_eq(u->note, "uid 0 in its user namespace (host uid 100000)");
	const struct rec *g = rec_find(&t, EV_SYSCALL, GRAND, "setgid", 0);
	cr_assert_eq(g->creds.gid, 1000);
	cr_assert_eq(g->creds.host_gid, 1000, "second extent: 1000 maps to 1000");
	cr_assert_eq(g->creds.uid, 0, "earlier changes carry on");
	const struct rec *gr = rec_find(&t, EV_SYSCALL, GRAND, "setgroups", 0);
	cr_assert_eq(gr->creds_changed, CRED_GROUPS);
	cr_assert_str_eq(gr->note, "supplementary groups cleared");
	tl_fini(&t);
}

Test(model_userns, created_and_joined_namespaces)
{
	struct tl t;
	tl_init(&t, NULL);
	userns_launch(&t);
	const struct rec *u = rec_find(&t, EV_SYSCALL, CHILD, "unshare", 0);
	cr_assert_eq(u->ns_changed, NSB(NS_USER));
	cr_assert_str_eq(u->note, "runc:[1:CHILD] enters new user namespace");
	const struct rec *s = rec_find(&t, EV_SYSCALL, CHILD, "setns", 0);
	cr_assert_eq(s->ns_changed, NSB(NS_NET));
	cr_assert_eq(s->ns_old.ino[NS_NET], INO_HOST + NS_NET);
	cr_assert_str_eq(s->note, "runc:[1:CHILD] joins net namespace net:[4026532999]");
	const struct trace_summary *sum = tl_end(&t);
	const struct container_summary *c = &sum->containers[0];
	cr_assert_str_eq(c->bundle, "/b/u");
	cr_assert_eq(c->ns_created,
		     NSB(NS_USER) | NSB(NS_MNT) | NSB(NS_UTS) | NSB(NS_IPC) | NSB(NS_PID));
	cr_assert_eq(c->ns_joined, NSB(NS_NET));
	cr_assert(phases_tile(c));
	tl_fini(&t);
}
