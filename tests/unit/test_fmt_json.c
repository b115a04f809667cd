/* test_fmt_json.c - -F json on synthetic events: schema v1 fields per kind,
 * typed arguments, hostile strings, and every line valid against the JSON Schema
 * (docs/schema/nstrace-event-v1.schema.json, checked with python3-jsonschema).
 */
#include "test_fmt_util.h"
#include "fmt_private.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>

static struct formatter_opts plain = {.ts = TS_DEFAULT};

/* Parse every line of the output; jansson rejects invalid UTF-8 and bad JSON. */
static size_t parse_lines(const struct captured *c, json_t **out, size_t max)
{
	size_t n = 0;
	const char *p = c->buf, *end = c->buf + c->len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		cr_assert(nl, "output does not end with a newline");
		json_error_t err;
		json_t *j = json_loadb(p, (size_t)(nl - p), JSON_ALLOW_NUL, &err);
		/* (the message shows at most 200 bytes: criterion chokes on huge ones) */
		cr_assert(j, "line %zu is not JSON: %s: %.200s", n + 1, err.text, p);
		cr_assert(n < max);
		out[n++] = j;
		p = nl + 1;
	}
	return n;
}

static json_t *one_line(struct ns_event *ev)
{
	struct captured c = run_fmt(FMT_JSON, plain, &ev, 1);
	json_t *lines[2];
	size_t n = parse_lines(&c, lines, 2);
	cr_assert_eq(n, 1, "expected one line, got %zu: %s", n, c.buf);
	free(c.buf);
	return lines[0];
}

static const char *str_at(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	cr_assert(json_is_string(v), "%s is not a string", key);
	return json_string_value(v);
}

static long long int_at(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	cr_assert(json_is_integer(v), "%s is not an integer", key);
	return json_integer_value(v);
}

Test(fmt_json, common_fields)
{
	struct ns_event *ev = mk_event(EV_EXIT, 12345, 1240, 1241, "runc:[2:INIT]");
	ev->ppid = 1200;
	ev->spawner = 1239;
	ev->nspid = 1;
	ev->role = ROLE_RUNTIME_INIT;
	ev->stage = "runc:[2:INIT]";
	ev->container = "3f2a8c9d1e4b5a6f";
	ev->exited = true;
	ev->exit_code = 3;
	json_t *o = one_line(ev);
	cr_assert_eq(int_at(o, "v"), 1);
	cr_assert_eq(int_at(o, "seq"), (long long)ev->seq);
	cr_assert_str_eq(str_at(o, "type"), "exit");
	cr_assert_str_eq(str_at(o, "ts"), "2026-11-18T11:06:40.012345Z");
	cr_assert_eq(int_at(o, "rel_us"), 12345);
	cr_assert_eq(int_at(o, "mono_ns"), (long long)ev->mono_ns);
	cr_assert_eq(int_at(o, "pid"), 1240);
	cr_assert_eq(int_at(o, "tid"), 1241);
	cr_assert_eq(int_at(o, "ppid"), 1200);
	cr_assert_eq(int_at(o, "spawner"), 1239);
	cr_assert_eq(int_at(o, "nspid"), 1);
	cr_assert_str_eq(str_at(o, "comm"), "runc:[2:INIT]");
	cr_assert_str_eq(str_at(o, "role"), "runtime-init");
	cr_assert_str_eq(str_at(o, "container"), "3f2a8c9d1e4b5a6f");
	cr_assert_eq(int_at(o, "exit_code"), 3);
	cr_assert(json_is_false(json_object_get(o, "core_dumped")));
	/* unknown values are left out, never null */
	cr_assert_null(json_object_get(o, "exe"));
	cr_assert_null(json_object_get(o, "note"));
	cr_assert_null(json_object_get(o, "signal"));
	json_decref(o);
	ns_event_free(ev);
}

Test(fmt_json, syscall_success_and_failure)
{
	struct ns_event *ok = mk_syscall(100, 50, "runc", "unshare", 272, 0, 0, 7);
	struct av *flags = av_new(&ok->arena, AV_FLAGS, "flags");
	static const char *names[] = {"CLONE_NEWNS", "CLONE_NEWPID"};
	flags->names = names;
	flags->nnames = 2;
	flags->unknown = 0x1;
	set_args(ok, &flags, 1);
	json_t *o = one_line(ok);
	cr_assert_str_eq(str_at(o, "syscall"), "unshare");
	cr_assert_eq(int_at(o, "nr"), 272);
	cr_assert_eq(int_at(o, "ret"), 0);
	cr_assert(json_is_null(json_object_get(o, "errno")), "errno must be null on success");
	cr_assert_eq(int_at(o, "dur_us"), 7);
	cr_assert(json_is_false(json_object_get(o, "unfinished")));
	cr_assert(strncmp(str_at(o, "call"), "unshare(", 8) == 0, "call: %s", str_at(o, "call"));
	json_t *fl = json_object_get(json_object_get(o, "args"), "flags");
	cr_assert(json_is_array(fl));
	cr_assert_eq(json_array_size(fl), 3);
	cr_assert_str_eq(json_string_value(json_array_get(fl, 0)), "CLONE_NEWNS");
	cr_assert_str_eq(json_string_value(json_array_get(fl, 2)), "0x1");
	json_decref(o);
	ns_event_free(ok);

	struct ns_event *bad = mk_syscall(200, 50, "runc", "mount", 165, -1, EPERM, 3);
	o = one_line(bad);
	cr_assert_eq(int_at(o, "ret"), -1);
	cr_assert_str_eq(str_at(o, "errno"), "EPERM");
	json_decref(o);
	ns_event_free(bad);
}

Test(fmt_json, unfinished_has_no_ret)
{
	struct ns_event *ev = mk_syscall(100, 50, "runc", "wait4", 61, 0, 0, 0);
	ev->unfinished = true;
	json_t *o = one_line(ev);
	cr_assert(json_is_true(json_object_get(o, "unfinished")));
	cr_assert_null(json_object_get(o, "ret"));
	json_decref(o);
	ns_event_free(ev);
}

Test(fmt_json, typed_argument_tree)
{
	struct ns_event *ev = mk_syscall(100, 50, "runc", "clone3", 435, 51, 0, 20);
	struct arena *a = &ev->arena;
	struct av *st = av_new(a, AV_STRUCT, "args");
	av_reserve(a, st, 4);
	av_set(&st->items[0], av_hex(a, NULL, 0x20000), "flags");
	av_set(&st->items[1], av_sym(a, NULL, "SIGCHLD", 17), "exit_signal");
	struct av *arr = av_new(a, AV_ARRAY, NULL);
	av_reserve(a, arr, 2);
	av_set(&arr->items[0], av_int(a, NULL, -5), NULL);
	av_set(&arr->items[1], av_uint(a, NULL, UINT64_MAX), NULL);
	arr->more = true;
	av_set(&st->items[2], arr, "set_tid");
	struct av *bad = av_addr(a, NULL, 0xdead0000);
	bad->unreadable = true;
	av_set(&st->items[3], bad, "cgroup");
	struct av *mode = av_new(a, AV_OCT, "mode");
	mode->u = 0755;
	struct av *nul = av_addr(a, "stack", 0);
	struct av *fd = av_new(a, AV_FD, "fd");
	fd->i = 3;
	struct av *vals[] = {st, mode, nul, fd};
	set_args(ev, vals, 4);

	json_t *o = one_line(ev);
	json_t *args = json_object_get(o, "args");
	json_t *s = json_object_get(args, "args");
	cr_assert(json_is_object(s));
	cr_assert_str_eq(json_string_value(json_object_get(s, "flags")), "0x20000");
	cr_assert_str_eq(json_string_value(json_object_get(s, "exit_signal")), "SIGCHLD");
	json_t *set = json_object_get(s, "set_tid");
	cr_assert_eq(json_array_size(set), 3);
	cr_assert_eq(json_integer_value(json_array_get(set, 0)), -5);
	/* beyond int64: exact, as a decimal string */
	cr_assert_str_eq(json_string_value(json_array_get(set, 1)), "18446744073709551615");
	cr_assert_str_eq(json_string_value(json_array_get(set, 2)), "...");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(s, "cgroup"), "addr")),
			 "0xdead0000");
	cr_assert_str_eq(json_string_value(json_object_get(args, "mode")), "0755");
	cr_assert(json_is_null(json_object_get(args, "stack")));
	cr_assert_eq(json_integer_value(json_object_get(args, "fd")), 3);
	json_decref(o);
	ns_event_free(ev);
}

Test(fmt_json, strings_truncated_and_binary)
{
	struct ns_event *ev = mk_syscall(100, 50, "runc", "mount", 165, 0, 0, 20);
	struct arena *a = &ev->arena;
	struct av *vals[] = {
	    av_str(a, "source", "proc", 4, false),
	    av_str(a, "target", "/very/long/pat", 14, true),
	    av_str(a, "fstype", "a\xff\0b", 4, false),
	    av_str(a, "data", "/proc/self/fd/6", 15, false),
	};
	vals[3]->fd_path = "/run/b/rootfs/dev";
	set_args(ev, vals, 4);
	json_t *o = one_line(ev);
	json_t *args = json_object_get(o, "args");
	cr_assert_str_eq(json_string_value(json_object_get(args, "source")), "proc");
	json_t *t = json_object_get(args, "target");
	cr_assert_str_eq(json_string_value(json_object_get(t, "str")), "/very/long/pat");
	cr_assert(json_is_true(json_object_get(t, "truncated")));
	json_t *b = json_object_get(args, "fstype");
	cr_assert(json_is_false(json_object_get(b, "truncated")));
	cr_assert_str_eq(json_string_value(json_object_get(b, "hex")), "61ff0062");
	json_t *bs = json_object_get(b, "str");
	cr_assert_eq(json_string_length(bs), 6); /* a, U+FFFD (3 bytes), NUL, b */
	cr_assert_eq(memcmp(json_string_value(bs), "a\xef\xbf\xbd\0b", 6), 0);
	/* a /proc/self/fd/N path: the object form, with the file it named */
	json_t *d = json_object_get(args, "data");
	cr_assert_str_eq(json_string_value(json_object_get(d, "str")), "/proc/self/fd/6");
	cr_assert_str_eq(json_string_value(json_object_get(d, "fd_path")), "/run/b/rootfs/dev");
	cr_assert(json_is_false(json_object_get(d, "truncated")));
	cr_assert(strstr(json_string_value(json_object_get(o, "call")),
			 "\"/proc/self/fd/6\"</run/b/rootfs/dev>"),
		  "%s", json_string_value(json_object_get(o, "call")));
	json_decref(o);
	ns_event_free(ev);
}

Test(fmt_json, hostile_process_strings_stay_valid)
{
	/* invalid UTF-8, overlong, surrogate, control bytes, quotes, backslashes */
	static const char *bad[] = {
	    "\xff\xfe",		"\xc0\xaf",    "\xed\xa0\x80", "a\x01\x1b[31m\x7f",   "q\"\\",
	    "\xf4\x90\x80\x80", "caf\xc3\xa9", "\xe2\x82",     "\xf0\x9f\x98\x80 ok",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ns_event *ev = mk_event(EV_EXEC, 1, 7, 7, bad[i]);
		ev->exe = bad[i];
		ev->filename = bad[i];
		const char *argv[] = {bad[i], "x"};
		ev->argv = argv;
		ev->argc = 2;
		ev->note = bad[i];
		json_t *o = one_line(ev); /* asserts the line parses */
		const char *comm = str_at(o, "comm");
		cr_assert(strlen(comm) > 0);
		json_decref(o);
		ns_event_free(ev);
	}
	/* valid UTF-8 passes unchanged */
	struct ns_event *ev = mk_event(EV_EXEC, 1, 7, 7, "caf\xc3\xa9");
	json_t *o = one_line(ev);
	cr_assert_str_eq(str_at(o, "comm"), "caf\xc3\xa9");
	json_decref(o);
	ns_event_free(ev);
}

Test(fmt_json, huge_string)
{
	size_t n = 4 << 20;
	char *big = malloc(n);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)(i * 7 + 1); /* every byte value, mostly invalid UTF-8 */
	struct ns_event *ev = mk_syscall(100, 50, "runc", "write", 1, (int64_t)n, 0, 20);
	struct av *s = av_str(&ev->arena, "buf", big, n, false);
	set_args(ev, &s, 1);
	json_t *o = one_line(ev);
	json_t *v = json_object_get(json_object_get(o, "args"), "buf");
	cr_assert_eq(strlen(json_string_value(json_object_get(v, "hex"))), 2 * n);
	json_decref(o);
	ns_event_free(ev);
	free(big);
}

Test(fmt_json, kinds_have_their_fields)
{
	struct ns_event *sp = mk_event(EV_SPAWN, 10, 60, 60, "runc");
	sp->spawner = 55;
	sp->ppid = 40;
	sp->clone_flags = 0x8000 | 0x20000000 | 17 | (1ULL << 40);
	json_t *o = one_line(sp);
	json_t *fl = json_object_get(o, "clone_flags");
	cr_assert_str_eq(json_string_value(json_array_get(fl, 0)), "CLONE_PARENT");
	cr_assert_str_eq(json_string_value(json_array_get(fl, 1)), "CLONE_NEWPID");
	/* as strace orders them: unknown bits, then the exit signal */
	cr_assert_str_eq(json_string_value(json_array_get(fl, 2)), "0x10000000000");
	cr_assert_str_eq(json_string_value(json_array_get(fl, 3)), "SIGCHLD");
	cr_assert(json_is_false(json_object_get(o, "is_thread")));
	json_decref(o);
	ns_event_free(sp);

	struct ns_event *ex = mk_event(EV_EXEC, 10, 60, 60, "sh");
	ex->filename = "/bin/sh";
	const char *argv[] = {"sh", "-c", "true"};
	ex->argv = argv;
	ex->argc = 3;
	ex->envc = 12;
	o = one_line(ex);
	cr_assert_str_eq(str_at(o, "filename"), "/bin/sh");
	cr_assert_eq(json_array_size(json_object_get(o, "argv")), 3);
	cr_assert_eq(int_at(o, "envc"), 12);
	cr_assert_null(json_object_get(o, "env"), "the environment is never printed");
	json_decref(o);
	ns_event_free(ex);

	struct ns_event *sg = mk_event(EV_SIGNAL, 10, 60, 60, "runc");
	sg->signo = 17;
	sg->si_code = 1;
	sg->sig_pid = 61;
	o = one_line(sg);
	cr_assert_str_eq(str_at(o, "signal"), "SIGCHLD");
	cr_assert_eq(int_at(o, "si_code"), 1);
	cr_assert_str_eq(str_at(o, "si_code_name"), "CLD_EXITED");
	cr_assert_eq(int_at(o, "si_pid"), 61);
	json_decref(o);
	ns_event_free(sg);

	struct ns_event *k = mk_event(EV_EXIT, 10, 60, 60, "sh");
	k->term_sig = 9;
	k->core_dumped = false;
	o = one_line(k);
	cr_assert_str_eq(str_at(o, "signal"), "SIGKILL");
	cr_assert_null(json_object_get(o, "exit_code"));
	json_decref(o);
	ns_event_free(k);

	struct ns_event *ph = mk_event(EV_PHASE, 900, 60, 60, "runc:[1:CHILD]");
	ph->phase = "namespaces";
	ph->phase_start_us = 400;
	ph->phase_dur_us = 500;
	o = one_line(ph);
	cr_assert_str_eq(str_at(o, "phase"), "namespaces");
	cr_assert_eq(int_at(o, "start_us"), 400);
	cr_assert_eq(int_at(o, "dur_us"), 500);
	json_decref(o);
	ns_event_free(ph);
}

Test(fmt_json, namespaces_and_changes)
{
	struct ns_event *ev = mk_syscall(100, 50, "runc:[1:CHILD]", "unshare", 272, 0, 0, 9);
	ev->has_ns = true;
	ev->ns.ino[NS_MNT] = 4026532181ULL;
	ev->ns.ino[NS_PID_FOR_CHILDREN] = 4026532184ULL;
	ev->ns_old.ino[NS_MNT] = 4026531841ULL;
	ev->ns_old.ino[NS_PID_FOR_CHILDREN] = 4026531836ULL;
	ev->ns_changed = (1u << NS_MNT) | (1u << NS_PID_FOR_CHILDREN);
	json_t *o = one_line(ev);
	json_t *ns = json_object_get(o, "ns");
	cr_assert_eq(json_integer_value(json_object_get(ns, "mnt")), 4026532181LL);
	cr_assert_null(json_object_get(ns, "net"), "unknown inodes are left out");
	json_t *ch = json_object_get(json_object_get(o, "ns_changed"), "pid_for_children");
	cr_assert_eq(json_integer_value(json_array_get(ch, 0)), 4026531836LL);
	cr_assert_eq(json_integer_value(json_array_get(ch, 1)), 4026532184LL);
	json_decref(o);
	ns_event_free(ev);
}

Test(fmt_json, hidden_events_are_not_printed)
{
	struct ns_event *ev = mk_syscall(100, 50, "runc", "prctl", 157, 0, 0, 1);
	ev->hidden = true;
	struct captured c = run_fmt(FMT_JSON, plain, &ev, 1);
	cr_assert_eq(c.len, 0);
	free(c.buf);
	ns_event_free(ev);
}

static struct ns_event *mk_end(void)
{
	static struct phase_info phases[] = {
	    {.name = "namespaces", .pid = 61, .start_us = 100, .dur_us = 200},
	    {.name = "rootfs", .pid = 62, .start_us = 300, .dur_us = 900, .detail = "pivot_root"},
	};
	static const char *failures[] = {"mount(\"x\", \"/y\", NULL, 0, NULL) = -1 EPERM"};
	static struct container_summary cs = {
	    .id = "3f2a8c9d1e4b5a6f",
	    .runtime = "runc",
	    .bundle = "/b",
	    .ns_created = 0x1f,
	    .ns_joined = 1u << NS_USER,
	    .phases = phases,
	    .nphases = 2,
	    .entrypoint = "/bin/sh",
	    .entry_pid = 63,
	    .entry_nspid = 1,
	    .start_us = 50,
	    .dur_us = 2000,
	    .failures = failures,
	    .nfailures = 1,
	    .nmounts = 12,
	    .nmounts_failed = 3,
	    .nmounts_optional = 2,
	    .nmounts_expected = 1,
	};
	static struct trace_summary sum = {
	    .containers = &cs,
	    .ncontainers = 1,
	    .nevents = 99,
	    .nsyscalls = 40,
	    .nprocesses = 5,
	};
	struct ns_event *ev = mk_event(EV_END, 3000, 0, 0, NULL);
	ev->reason = END_FINISHED;
	ev->reason_text = "the command exited";
	ev->exit_status = 0;
	ev->summary = &sum;
	return ev;
}

Test(fmt_json, end_carries_the_summary)
{
	struct ns_event *ev = mk_end();
	json_t *o = one_line(ev);
	cr_assert_str_eq(str_at(o, "reason"), "finished");
	cr_assert_eq(int_at(o, "exit_status"), 0);
	cr_assert_null(json_object_get(o, "pid"));
	json_t *c = json_array_get(json_object_get(json_object_get(o, "summary"), "containers"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(c, "id")), "3f2a8c9d1e4b5a6f");
	cr_assert_eq(json_array_size(json_object_get(c, "ns_created")), 5);
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(c, "ns_joined"), 0)),
			 "user");
	cr_assert_eq(json_array_size(json_object_get(c, "phases")), 2);
	cr_assert_eq(json_integer_value(json_object_get(c, "entry_nspid")), 1);
	cr_assert_eq(json_integer_value(json_object_get(c, "mounts_failed")), 3);
	cr_assert_eq(json_integer_value(json_object_get(c, "mounts_optional")), 2);
	cr_assert_eq(json_integer_value(json_object_get(c, "mounts_expected")), 1);
	json_t *execs = json_object_get(json_object_get(o, "summary"), "execs");
	cr_assert(json_is_array(execs) && json_array_size(execs) == 0, "execs: always an array");
	json_decref(o);
	ns_event_free(ev);
}

Test(fmt_json, summary_carries_execs)
{
	static struct exec_summary execs[] = {
	    {.container = "web", .runtime = "crun", .path = "/bin/sh", .pid = 6550, .nspid = 7,
	     .start_us = 174489, .dur_us = 41250, .end = "exited with 0"},
	    {.container = "web", .path = "/bin/top", .pid = 6601, .start_us = 3, .dur_us = 5},
	};
	static struct trace_summary sum = {.execs = execs, .nexecs = 2};
	struct ns_event *ev = mk_event(EV_END, 400000, 0, 0, NULL);
	ev->reason = END_FINISHED;
	ev->summary = &sum;
	json_t *o = one_line(ev);
	json_t *a = json_object_get(json_object_get(o, "summary"), "execs");
	cr_assert_eq(json_array_size(a), 2);
	json_t *x = json_array_get(a, 0);
	cr_assert_str_eq(json_string_value(json_object_get(x, "container")), "web");
	cr_assert_str_eq(json_string_value(json_object_get(x, "runtime")), "crun");
	cr_assert_str_eq(json_string_value(json_object_get(x, "path")), "/bin/sh");
	cr_assert_eq(json_integer_value(json_object_get(x, "pid")), 6550);
	cr_assert_eq(json_integer_value(json_object_get(x, "nspid")), 7);
	cr_assert_eq(json_integer_value(json_object_get(x, "dur_us")), 41250);
	cr_assert_str_eq(json_string_value(json_object_get(x, "end")), "exited with 0");
	x = json_array_get(a, 1);
	cr_assert_null(json_object_get(x, "end"), "still running: no end");
	cr_assert_null(json_object_get(x, "nspid"), "unknown: absent");
	cr_assert_null(json_object_get(x, "runtime"));
	json_decref(o);
	ns_event_free(ev);
}

Test(fmt_json, summary_only_prints_the_end)
{
	struct ns_event *evs[] = {mk_event(EV_START, 0, 0, 0, NULL),
				  mk_syscall(100, 50, "runc", "unshare", 272, 0, 0, 1), mk_end()};
	struct formatter_opts o = plain;
	o.summary_only = true;
	struct captured c = run_fmt(FMT_JSON, o, evs, 3);
	json_t *lines[4];
	cr_assert_eq(parse_lines(&c, lines, 4), 1);
	cr_assert_str_eq(str_at(lines[0], "type"), "end");
	json_decref(lines[0]);
	free(c.buf);
	free_events(evs, 3);
}

/* Every kind, with every optional part, in one trace: the schema must accept
 * each line (and the schema must be strict enough to reject a broken one). */
Test(fmt_json, every_line_validates_against_the_schema)
{
	struct ns_event *evs[16];
	size_t n = 0;
	evs[n++] = mk_event(EV_START, 0, 0, 0, NULL);
	evs[n] = mk_event(EV_ATTACH, 1, 40, 40, "containerd");
	evs[n++]->role = ROLE_DAEMON;
	struct ns_event *sp = evs[n++] = mk_event(EV_SPAWN, 5, 60, 60, "runc");
	sp->spawner = 40;
	sp->ppid = 40;
	sp->clone_flags = 0x11;
	struct ns_event *ex = evs[n++] = mk_event(EV_EXEC, 8, 60, 60, "runc");
	ex->filename = "/usr/bin/runc";
	static const char *argv[] = {"runc", "\xff"};
	ex->argv = argv;
	ex->argc = 2;
	struct ns_event *sc = evs[n++] = mk_syscall(20, 60, "runc", "unshare", 272, -1, EINVAL, 3);
	struct av *s[] = {av_str(&sc->arena, "x", "\x01\xfe", 2, true),
			  av_str(&sc->arena, "y", "/proc/self/fd/3", 15, false)};
	s[1]->fd_path = "/x";
	set_args(sc, s, 2);
	sc->has_ns = true;
	sc->ns.ino[NS_MNT] = 5;
	sc->ns_old.ino[NS_MNT] = 4;
	sc->ns_changed = 1;
	sc->creds_changed = CRED_UID | CRED_CAPS;
	sc->creds = (struct cred_info){.uid = 0,
				       .gid = -1,
				       .host_uid = 100000,
				       .host_gid = -1,
				       .cap_known = true,
				       .cap_effective = 0x1ff,
				       .seccomp_mode = 2};
	static struct stack_frame frames[] = {
	    {.ip = 0x401000, .module = "/bin/x", .function = "main", .offset = 4}};
	sc->stack = frames;
	sc->nstack = 1;
	struct ns_event *raw = evs[n++] = mk_syscall(21, 60, "runc", "getpid", 39, 60, 0, 1);
	raw->args = NULL;
	struct ns_event *wr = evs[n++] = mk_syscall(22, 60, "runc", "write", 1, 10, 0, 1);
	static struct id_map_extent ext[] = {{0, 100000, 65536}};
	static struct id_map_info map = {.file = "uid_map", .target = 61, .ext = ext, .n = 1};
	wr->idmap = &map;
	struct ns_event *sg = evs[n++] = mk_event(EV_SIGNAL, 30, 60, 60, "runc");
	sg->signo = 40;
	sg->si_code = -6;
	evs[n] = mk_event(EV_STAGE, 31, 61, 61, "runc:[1:CHILD]");
	evs[n++]->stage = "runc:[1:CHILD]";
	evs[n] = mk_event(EV_CONTAINER, 32, 61, 61, "runc:[1:CHILD]");
	evs[n++]->container = "abc";
	struct ns_event *ph = evs[n++] = mk_event(EV_PHASE, 33, 61, 61, "runc:[1:CHILD]");
	ph->phase = "namespaces";
	struct ns_event *ext_ev = evs[n++] = mk_event(EV_EXIT, 34, 61, 61, "sh");
	ext_ev->exited = true;
	struct ns_event *dt = evs[n++] = mk_event(EV_DETACH, 35, 40, 40, "containerd");
	dt->reason = END_SIGNAL;
	evs[n++] = mk_end();

	char *root = source_root();
	char path[] = "/tmp/test_fmt_json.XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	struct captured c = run_fmt(FMT_JSON, plain, evs, n);
	cr_assert_eq(write(fd, c.buf, c.len), (ssize_t)c.len);
	close(fd);
	char cmd[4096];
	snprintf(cmd, sizeof(cmd),
		 "python3 '%s/tests/live/schema_validate.py' "
		 "'%s/docs/schema/nstrace-event-v1.schema.json' '%s'",
		 root, root, path);
	int rc = system(cmd);
	cr_assert_eq(rc, 0, "schema validation failed (%d) on:\n%s", rc, c.buf);

	/* the schema is not a rubber stamp: a line missing "type" must fail */
	fd = open(path, O_WRONLY | O_TRUNC);
	const char broken[] = "{\"v\":1,\"seq\":1,\"ts\":\"2026-11-19T09:46:40.000000Z\",\"rel_"
			      "us\":0,\"mono_ns\":1}\n";
	cr_assert_eq(write(fd, broken, sizeof(broken) - 1), (ssize_t)sizeof(broken) - 1);
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "python3 '%s/tests/live/schema_validate.py' "
		 "'%s/docs/schema/nstrace-event-v1.schema.json' '%s' 2>/dev/null",
		 root, root, path);
	cr_assert_neq(system(cmd), 0, "the schema accepted a line without a type");
	unlink(path);
	free(c.buf);
	free(root);
	free_events(evs, n);
}

/* json_dump_sb (formatters/json_dump.c) writes what jansson's own compact dump
 * writes, byte for byte: escapes, integers at both ends, reals at the default
 * and at chrome's precision, empty containers, key order. */
static void same_as_jansson(json_t *v, size_t flags)
{
	char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | flags);
	cr_assert(want);
	struct strbuf sb;
	sb_init(&sb);
	json_dump_sb(&sb, v, flags);
	cr_assert_str_eq(sb_str(&sb), want);
	sb_free(&sb);
	free(want);
}

Test(fmt_json, dump_matches_jansson)
{
	char controls[32];
	for (int i = 0; i < 32; i++)
		controls[i] = (char)i; /* NUL included */
	json_t *o = json_object();
	json_object_set_new(o, "controls", json_stringn(controls, sizeof(controls)));
	json_object_set_new(o, "quote\"back\\slash/", json_string("a\"b\\c/d"));
	json_object_set_new(o, "utf8", json_string("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \x7f"));
	json_object_set_new(o, "", json_string(""));
	json_t *ints = json_array();
	json_int_t iv[] = {0, 1, -1, 9, 10, -10, 1234567890, INT64_MAX, INT64_MIN};
	for (size_t i = 0; i < sizeof(iv) / sizeof(iv[0]); i++)
		json_array_append_new(ints, json_integer(iv[i]));
	json_object_set_new(o, "ints", ints);
	json_t *reals = json_array();
	double rv[] = {0.0, -0.0, 0.5, 3.0, -2.25, 1e20, 1e-5, 1.5e300, 123456.789, 1.0 / 3,
		       100000000000000000000.0, 5e-324};
	for (size_t i = 0; i < sizeof(rv) / sizeof(rv[0]); i++)
		json_array_append_new(reals, json_real(rv[i]));
	json_object_set_new(o, "reals", reals);
	json_object_set_new(o, "empty_object", json_object());
	json_object_set_new(o, "empty_array", json_array());
	json_object_set_new(o, "lits", json_pack("[bbn]", 1, 0));
	json_object_set_new(o, "nested", json_pack("{s:{s:[i,{s:s}]}}", "a", "b", 1, "c", "d"));
	for (int k = 0; k < 40; k++) { /* enough keys to make jansson rehash */
		char key[16];
		snprintf(key, sizeof(key), "k%d", 39 - k);
		json_object_set_new(o, key, json_integer(k));
	}
	same_as_jansson(o, 0);
	same_as_jansson(o, JSON_REAL_PRECISION(15));
	same_as_jansson(reals, JSON_REAL_PRECISION(3));
	json_t *scalar = json_string("x");
	same_as_jansson(scalar, 0);
	json_decref(scalar);
	json_decref(o);

	/* and the objects of real events, as -F json dumps them */
	struct ns_event *sc = mk_syscall(20, 60, "runc\n", "unshare", 272, -1, EINVAL, 3);
	struct av *s = av_str(&sc->arena, "x", "\x01\xfe\"", 3, true);
	set_args(sc, &s, 1);
	sc->has_ns = true;
	sc->ns.ino[NS_MNT] = 4026531832u;
	struct ns_event *ex = mk_event(EV_EXEC, 8, 60, 60, "runc");
	ex->filename = "/usr/bin/runc";
	static const char *argv[] = {"runc", "--root=\\x", "\t"};
	ex->argv = argv;
	ex->argc = 3;
	struct ns_event *evs[] = {sc, ex, mk_end()};
	for (size_t i = 0; i < 3; i++) {
		json_t *j = json_event(evs[i]);
		same_as_jansson(j, 0);
		json_decref(j);
	}
	free_events(evs, 3);
}
