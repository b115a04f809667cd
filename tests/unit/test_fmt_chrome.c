/* test_fmt_chrome.c - -F chrome on a synthetic launch: valid trace JSON with
 * named and sorted process tracks, syscall and phase slices, instants for
 * namespace changes and execs, paired flows from spawner to child; a trace cut
 * before its end is repaired by appending "]}".
 */
#include "test_fmt_util.h"

#include <errno.h>
#include <jansson.h>

static struct formatter_opts plain = {.ts = TS_DEFAULT};

/* A small runc launch: runtime 50 spawns 61 (CLONE_PARENT), which unshares,
 * renames itself and runs a phase; 61 execs the workload. */
static size_t launch(struct ns_event **evs)
{
	size_t n = 0;
	evs[n++] = mk_event(EV_START, 0, 0, 0, NULL);
	struct ns_event *cl = mk_syscall(300, 50, "runc", "clone", 56, 61, 0, 100);
	struct ns_event *sp = mk_event(EV_SPAWN, 250, 61, 61, "runc");
	sp->spawner = 50;
	sp->ppid = 40;
	sp->clone_flags = 0x8000 | 17;
	sp->role = ROLE_RUNTIME_INIT;
	evs[n++] = sp;
	cl->role = ROLE_RUNTIME;
	evs[n++] = cl;
	struct ns_event *un = mk_syscall(500, 61, "runc:[1:CHILD]", "unshare", 272, 0, 0, 50);
	un->role = ROLE_RUNTIME_INIT;
	un->stage = "runc:[1:CHILD]";
	un->container = "3f2a8c9d1e4b5a6f";
	un->ns_changed = 1u << NS_MNT;
	un->ns_old.ino[NS_MNT] = 1;
	un->ns.ino[NS_MNT] = 2;
	evs[n++] = un;
	struct ns_event *bad = mk_syscall(600, 61, "runc:[1:CHILD]", "mount", 165, -1, EPERM, 20);
	bad->role = ROLE_RUNTIME_INIT;
	evs[n++] = bad;
	struct ns_event *ph = mk_event(EV_PHASE, 700, 61, 61, "runc:[1:CHILD]");
	ph->phase = "namespaces";
	ph->phase_start_us = 400;
	ph->phase_dur_us = 300;
	evs[n++] = ph;
	struct ns_event *ex = mk_event(EV_EXEC, 800, 61, 61, "sh");
	ex->filename = "/bin/sh";
	ex->role = ROLE_WORKLOAD;
	evs[n++] = ex;
	struct ns_event *end = mk_event(EV_END, 900, 0, 0, NULL);
	end->reason = END_FINISHED;
	evs[n++] = end;
	return n;
}

static json_t *events_of(const struct captured *c)
{
	json_error_t err;
	json_t *doc = json_loadb(c->buf, c->len, 0, &err);
	cr_assert(doc, "not JSON: %s (line %d): %.300s", err.text, err.line, c->buf);
	cr_assert_str_eq(json_string_value(json_object_get(doc, "displayTimeUnit")), "ms");
	json_t *evs = json_object_get(doc, "traceEvents");
	cr_assert(json_is_array(evs));
	json_incref(evs);
	json_decref(doc);
	return evs;
}

static json_t *find(json_t *evs, const char *ph, const char *name, const char *cat)
{
	size_t i;
	json_t *e;
	json_array_foreach(evs, i, e)
	{
		if (strcmp(json_string_value(json_object_get(e, "ph")), ph) != 0)
			continue;
		if (name && strcmp(json_string_value(json_object_get(e, "name")), name) != 0)
			continue;
		if (cat && (!json_object_get(e, "cat") ||
			    strcmp(json_string_value(json_object_get(e, "cat")), cat) != 0))
			continue;
		return e;
	}
	return NULL;
}

static double num(json_t *e, const char *key)
{
	json_t *v = json_object_get(e, key);
	cr_assert(json_is_number(v), "%s is not a number", key);
	return json_number_value(v);
}

Test(fmt_chrome, tracks_slices_instants_flows)
{
	struct ns_event *evs[16];
	size_t n = launch(evs);
	struct captured c = run_fmt(FMT_CHROME, plain, evs, n);
	json_t *te = events_of(&c);

	/* process names "comm (pid, role, container)", renamed as the model learns */
	size_t i;
	json_t *e;
	bool named_child = false;
	json_array_foreach(te, i, e)
	{
		if (strcmp(json_string_value(json_object_get(e, "name")), "process_name") == 0 &&
		    json_integer_value(json_object_get(e, "pid")) == 61) {
			const char *nm =
			    json_string_value(json_object_get(json_object_get(e, "args"), "name"));
			if (strcmp(nm, "runc:[1:CHILD] (61, runtime-init, 3f2a8c9d1e4b)") == 0)
				named_child = true;
		}
	}
	cr_assert(named_child, "no process_name for the runc:[1:CHILD] track:\n%s", c.buf);
	cr_assert(find(te, "M", "process_sort_index", NULL));
	cr_assert(find(te, "M", "thread_name", NULL));

	json_t *un = find(te, "X", "unshare", "syscall");
	cr_assert(un);
	cr_assert_float_eq(num(un, "ts"), 450.0, 1e-6, "slice starts at the syscall's entry");
	cr_assert_float_eq(num(un, "dur"), 50.0, 1e-6);
	cr_assert_eq(json_integer_value(json_object_get(un, "tid")), 61);
	json_t *args = json_object_get(un, "args");
	cr_assert(strncmp(json_string_value(json_object_get(args, "call")), "unshare(", 8) == 0);
	json_t *mnt = find(te, "X", "mount", "syscall");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(mnt, "args"), "errno")),
			 "EPERM");

	json_t *ph = find(te, "X", "namespaces", "phase");
	cr_assert(ph);
	cr_assert_float_eq(num(ph, "ts"), 400.0, 1e-6);
	cr_assert_float_eq(num(ph, "dur"), 300.0, 1e-6);
	cr_assert_eq(json_integer_value(json_object_get(ph, "pid")), 61);
	cr_assert_neq(json_integer_value(json_object_get(ph, "tid")), 61,
		      "phases have their own track");

	json_t *ns = find(te, "i", NULL, "ns");
	cr_assert(ns, "no instant for the namespace change");
	cr_assert_str_eq(json_string_value(json_object_get(ns, "name")), "ns mnt");
	cr_assert(find(te, "i", "exec sh", "exec"));

	json_t *s = find(te, "s", "spawn", "spawn");
	json_t *f = find(te, "f", "spawn", "spawn");
	cr_assert(s && f);
	cr_assert(json_equal(json_object_get(s, "id"), json_object_get(f, "id")));
	cr_assert_eq(json_integer_value(json_object_get(s, "tid")), 50);
	cr_assert_eq(json_integer_value(json_object_get(f, "tid")), 61);
	cr_assert_str_eq(json_string_value(json_object_get(f, "bp")), "e");
	json_decref(te);

	/* the structure checker agrees */
	char *root = source_root();
	char path[] = "/tmp/test_fmt_chrome.XXXXXX";
	int fd = mkstemp(path);
	cr_assert_eq(write(fd, c.buf, c.len), (ssize_t)c.len);
	close(fd);
	char cmd[4096];
	snprintf(cmd, sizeof(cmd),
		 "python3 '%s/tests/live/chrome_check.py' '%s' --require syscall phase ns exec "
		 "flow sort",
		 root, path);
	cr_assert_eq(system(cmd), 0, "chrome_check failed on:\n%.2000s", c.buf);
	unlink(path);
	free(root);
	free(c.buf);
	free_events(evs, n);
}

Test(fmt_chrome, cut_trace_is_repaired_by_closing_it)
{
	struct ns_event *evs[16];
	size_t n = launch(evs);
	/* as if killed before the end: no EV_END, no formatter_end */
	int fd = memfd_create("chrome", 0);
	struct formatter_opts o = plain;
	o.fd = fd;
	struct formatter *f = formatter_new(FMT_CHROME, &o);
	cr_assert_eq(formatter_begin(f), 0);
	for (size_t i = 0; i + 1 < n; i++) {
		decode_event_names(evs[i]);
		cr_assert_eq(formatter_event(f, evs[i]), 0);
	}
	cr_assert_eq(formatter_flush(f), 0);
	formatter_free(f);
	off_t size = lseek(fd, 0, SEEK_END);
	char *buf = calloc(1, (size_t)size + 3);
	cr_assert_eq(pread(fd, buf, (size_t)size, 0), size);
	close(fd);
	json_error_t err;
	cr_assert_null(json_loadb(buf, (size_t)size, 0, &err), "a cut trace is not closed");
	cr_assert_eq(buf[size - 1], '\n', "every event line is complete");
	memcpy(buf + size, "]}", 2);
	json_t *doc = json_loadb(buf, (size_t)size + 2, 0, &err);
	cr_assert(doc, "appending ]} does not repair it: %s", err.text);
	json_decref(doc);
	free(buf);
	free_events(evs, n);
}

Test(fmt_chrome, empty_trace_is_valid)
{
	struct captured c = run_fmt(FMT_CHROME, plain, NULL, 0);
	json_t *te = events_of(&c);
	cr_assert_eq(json_array_size(te), 0);
	json_decref(te);
	free(c.buf);
}

Test(fmt_chrome, hidden_and_hostile)
{
	struct ns_event *evs[2];
	evs[0] = mk_syscall(10, 5, "x\xff\x01", "prctl", 157, 0, 0, 1);
	evs[0]->hidden = true;
	evs[1] = mk_syscall(20, 5, "x\xff\x01", "getpid", 39, 5, 0, 1);
	struct captured c = run_fmt(FMT_CHROME, plain, evs, 2);
	json_t *te = events_of(&c);
	cr_assert_null(find(te, "X", "prctl", NULL), "hidden syscalls are not drawn");
	cr_assert(find(te, "X", "getpid", NULL));
	json_decref(te);
	free(c.buf);
	free_events(evs, 2);
}

/* A daemon thread nstrace never saw an event of forks a child (attach mode):
 * the arrow starts in the daemon's process (the child's parent), on a named
 * thread track, and the structure holds when that thread shows up later. */
Test(fmt_chrome, unseen_spawner_thread)
{
	struct ns_event *evs[3];
	evs[0] = mk_event(EV_SPAWN, 100, 70, 70, "containerd");
	evs[0]->spawner = 41;
	evs[0]->ppid = 40;
	evs[0]->clone_flags = 0x4100 | 17; /* CLONE_VM|CLONE_VFORK|SIGCHLD */
	evs[1] = mk_syscall(300, 40, "containerd", "clone", 56, 70, 0, 250);
	evs[1]->tid = 41;
	evs[1]->role = ROLE_DAEMON;
	evs[2] = mk_event(EV_EXIT, 400, 70, 70, "containerd");
	evs[2]->exited = true;
	struct captured c = run_fmt(FMT_CHROME, plain, evs, 3);
	json_t *te = events_of(&c);
	json_t *s = find(te, "s", "spawn", "spawn");
	cr_assert_eq(json_integer_value(json_object_get(s, "pid")), 40,
		     "the spawner's process is the parent");
	cr_assert_eq(json_integer_value(json_object_get(s, "tid")), 41);
	json_decref(te);

	char *root = source_root();
	char path[] = "/tmp/test_fmt_chrome.XXXXXX";
	int fd = mkstemp(path);
	cr_assert_eq(write(fd, c.buf, c.len), (ssize_t)c.len);
	close(fd);
	char cmd[4096];
	snprintf(cmd, sizeof(cmd),
		 "python3 '%s/tests/live/chrome_check.py' '%s' --require flow syscall", root, path);
	cr_assert_eq(system(cmd), 0, "chrome_check failed on:\n%.2000s", c.buf);
	unlink(path);
	free(root);
	free(c.buf);
	free_events(evs, 3);
}

/* A non-leader thread's execve: the leader was in clone3 meanwhile and the
 * process keeps the leader's tid, so the call is drawn on the thread that made
 * it, not overlapping the leader's slice. */
Test(fmt_chrome, exec_from_thread_on_its_own_track)
{
	struct ns_event *evs[3];
	evs[0] = mk_syscall(300, 80, "forker", "clone3", 435, 81, 0, 250); /* 50 .. 300 on 80 */
	evs[1] = mk_syscall(320, 80, "forker", "execve", 59, 0, 0, 100);  /* 220 .. 320 by 81 */
	evs[1]->old_tid = 81;
	evs[2] = mk_event(EV_EXEC, 320, 80, 80, "true");
	evs[2]->old_tid = 81;
	evs[2]->filename = "/bin/true";
	struct captured c = run_fmt(FMT_CHROME, plain, evs, 3);
	json_t *te = events_of(&c);
	json_t *x = find(te, "X", "execve", "syscall");
	cr_assert(x);
	cr_assert_eq(json_integer_value(json_object_get(x, "tid")), 81, "%.1000s", c.buf);
	cr_assert_eq(json_integer_value(json_object_get(find(te, "X", "clone3", "syscall"), "tid")),
		     80);
	json_decref(te);
	free(c.buf);
	free_events(evs, 3);
}
