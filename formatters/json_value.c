/* json_value.c - an event as a schema v1 JSON object (docs/json.md), and the
 * typed rendering of decoded arguments. Shared by -F json (one object a line)
 * and -F chrome (the args of slices and instants).
 *
 * Rule for absent data: an optional field whose value is unknown is left out
 * (never null); the one exception is "errno", always present on syscall events
 * and null when the call succeeded. Every string goes through json_bytes, so
 * bytes from a tracee can never make a line invalid JSON.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "call_text.h"
#include "fmt_private.h"

static json_t *json_hex(uint64_t v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_string(buf);
}

/* Integers beyond int64 would be wrapped by json_integer: keep them exact as text. */
static json_t *json_u64(uint64_t v)
{
	if (v <= INT64_MAX)
		return json_integer((json_int_t)v);
	char buf[32];
	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return json_string(buf);
}

/* Set key in obj; a key already present gets "#2", "#3"... rather than being lost. */
static void set_unique(json_t *obj, const char *key, json_t *val)
{
	if (!json_object_get(obj, key)) {
		json_object_set_new(obj, key, val);
		return;
	}
	char buf[128];
	for (int n = 2;; n++) {
		snprintf(buf, sizeof(buf), "%.100s#%d", key, n);
		if (!json_object_get(obj, buf)) {
			json_object_set_new(obj, buf, val);
			return;
		}
	}
}

static json_t *json_av_str(const struct av *v)
{
	if (!v->str)
		return json_null();
	bool valid = utf8_valid(v->str, v->len);
	if (valid && !v->truncated && !v->fd_path)
		return json_bytes(v->str, v->len);
	/* The object form says what the plain string cannot: cut at -s, not UTF-8
	 * (then "hex" holds the exact bytes, as "str" has U+FFFD in their place),
	 * or the file a /proc/self/fd/N path named ("fd_path"). */
	json_t *o = json_object();
	json_object_set_new(o, "str", json_bytes(v->str, v->len));
	json_object_set_new(o, "truncated", json_boolean(v->truncated));
	if (v->fd_path)
		json_object_set_new(o, "fd_path", json_bytes(v->fd_path, strlen(v->fd_path)));
	if (!valid) {
		struct strbuf sb;
		sb_init(&sb);
		hex_bytes(&sb, v->str, v->len);
		json_object_set_new(o, "hex", json_stringn(sb_str(&sb), sb.len));
		sb_free(&sb);
	}
	return o;
}

static json_t *json_av_plain(const struct av *v)
{
	char buf[32];
	switch (v->kind) {
	case AV_INT:
	case AV_FD:
		return json_integer((json_int_t)v->i);
	case AV_UINT:
		return json_u64(v->u);
	case AV_HEX:
		return json_hex(v->u);
	case AV_OCT:
		snprintf(buf, sizeof(buf), "0%" PRIo64, v->u);
		return json_string(v->u ? buf : "0");
	case AV_SYM:
		return v->sym ? json_cstr(v->sym) : json_u64(v->u);
	case AV_FLAGS: {
		json_t *a = json_array();
		for (size_t i = 0; i < v->nnames; i++)
			json_array_append_new(a, json_cstr(v->names[i]));
		if (v->unknown)
			json_array_append_new(a, json_hex(v->unknown));
		if (v->nnames == 0 && !v->unknown && v->sym)
			json_array_append_new(a, json_cstr(v->sym));
		return a;
	}
	case AV_STR:
		return json_av_str(v);
	case AV_ADDR:
		if (v->unreadable) {
			json_t *o = json_object();
			json_object_set_new(o, "addr", json_hex(v->u));
			return o;
		}
		return v->u ? json_hex(v->u) : json_null();
	case AV_STRUCT: {
		json_t *o = json_object();
		for (size_t i = 0; i < v->nitems; i++) {
			const struct av *it = &v->items[i];
			char key[32];
			const char *name = it->name;
			if (!name) {
				snprintf(key, sizeof(key), "field%zu", i);
				name = key;
			}
			set_unique(o, name, json_av(it));
		}
		if (v->more)
			json_object_set_new(o, "...", json_true());
		return o;
	}
	case AV_ARRAY: {
		json_t *a = json_array();
		for (size_t i = 0; i < v->nitems; i++)
			json_array_append_new(a, json_av(&v->items[i]));
		if (v->more)
			json_array_append_new(a, json_string("..."));
		return a;
	}
	case AV_RAW:
		return v->str ? json_bytes(v->str, v->len ? v->len : strlen(v->str)) : json_null();
	}
	return json_null();
}

json_t *json_av(const struct av *v)
{
	json_t *plain = json_av_plain(v);
	if (!v->out)
		return plain;
	json_t *o = json_object();
	json_object_set_new(o, "in", plain);
	json_object_set_new(o, "out", json_av(v->out));
	return o;
}

json_t *json_spawn_flags(const struct ns_event *ev)
{
	const struct av *v = ev->spawn_flags;
	if (v && v->kind == AV_FLAGS)
		return json_av_plain(v);
	json_t *a = json_array();
	if (v && v->kind == AV_SYM && v->sym)
		json_array_append_new(a, json_cstr(v->sym)); /* only an exit signal */
	else if (v && v->u)
		json_array_append_new(a, json_hex(v->u));
	return a;
}

json_t *json_av_list(const struct ns_event *ev)
{
	json_t *o = json_object();
	if (!ev->args)
		return o;
	for (size_t i = 0; i < ev->args->n; i++) {
		const struct av *v = &ev->args->items[i];
		char key[32];
		const char *name = v->name;
		if (!name) {
			snprintf(key, sizeof(key), "arg%zu", i);
			name = key;
		}
		set_unique(o, name, json_av(v));
	}
	return o;
}

json_t *json_ns_set(const struct ns_set *ns)
{
	json_t *o = json_object();
	for (int t = 0; t < NS_COUNT; t++)
		if (ns->ino[t])
			json_object_set_new(o, ns_type_name(t), json_u64(ns->ino[t]));
	return o;
}

json_t *json_ns_changed(const struct ns_event *ev)
{
	json_t *o = json_object();
	for (int t = 0; t < NS_COUNT; t++) {
		if (!(ev->ns_changed & (1u << t)))
			continue;
		json_object_set_new(
		    o, ns_type_name(t),
		    json_pack("[o,o]", json_u64(ev->ns_old.ino[t]), json_u64(ev->ns.ino[t])));
	}
	return o;
}

json_t *json_ns_bits(uint32_t bits)
{
	json_t *a = json_array();
	for (int t = 0; t < NS_COUNT; t++)
		if (bits & (1u << t))
			json_array_append_new(a, json_string(ns_type_name(t)));
	return a;
}

static void set_str(json_t *o, const char *key, const char *s)
{
	if (s)
		json_object_set_new(o, key, json_cstr(s));
}

static void set_int_nz(json_t *o, const char *key, long long v)
{
	if (v)
		json_object_set_new(o, key, json_integer(v));
}

static json_t *json_phase(const struct phase_info *p)
{
	json_t *o = json_object();
	set_str(o, "name", p->name);
	set_int_nz(o, "pid", p->pid);
	json_object_set_new(o, "start_us", json_integer(p->start_us));
	json_object_set_new(o, "dur_us", json_integer(p->dur_us));
	set_str(o, "detail", p->detail);
	return o;
}

static json_t *json_container(const struct container_summary *c)
{
	json_t *o = json_object();
	set_str(o, "id", c->id);
	set_str(o, "runtime", c->runtime);
	set_str(o, "bundle", c->bundle);
	json_object_set_new(o, "ns_created", json_ns_bits(c->ns_created));
	json_object_set_new(o, "ns_joined", json_ns_bits(c->ns_joined));
	json_t *ph = json_array();
	for (size_t i = 0; i < c->nphases; i++)
		json_array_append_new(ph, json_phase(&c->phases[i]));
	json_object_set_new(o, "phases", ph);
	set_str(o, "entrypoint", c->entrypoint);
	set_int_nz(o, "entry_pid", c->entry_pid);
	set_int_nz(o, "entry_nspid", c->entry_nspid);
	json_object_set_new(o, "start_us", json_integer(c->start_us));
	json_object_set_new(o, "dur_us", json_integer(c->dur_us));
	json_t *f = json_array();
	for (size_t i = 0; i < c->nfailures; i++)
		json_array_append_new(f, json_cstr(c->failures[i]));
	json_object_set_new(o, "failures", f);
	json_object_set_new(o, "caused_by_command", json_boolean(c->caused_by_command));
	json_object_set_new(o, "mounts", json_integer(c->nmounts));
	json_object_set_new(o, "mounts_failed", json_integer(c->nmounts_failed));
	json_object_set_new(o, "mounts_optional", json_integer(c->nmounts_optional));
	json_object_set_new(o, "mounts_expected", json_integer(c->nmounts_expected));
	return o;
}

static json_t *json_exec(const struct exec_summary *x)
{
	json_t *o = json_object();
	set_str(o, "container", x->container);
	set_str(o, "runtime", x->runtime);
	set_str(o, "path", x->path);
	json_object_set_new(o, "pid", json_integer(x->pid));
	if (x->nspid)
		json_object_set_new(o, "nspid", json_integer(x->nspid));
	json_object_set_new(o, "start_us", json_integer(x->start_us));
	json_object_set_new(o, "dur_us", json_integer(x->dur_us));
	set_str(o, "end", x->end);
	return o;
}

json_t *json_summary(const struct trace_summary *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "events", json_u64(s->nevents));
	json_object_set_new(o, "syscalls", json_u64(s->nsyscalls));
	json_object_set_new(o, "processes", json_u64(s->nprocesses));
	json_t *a = json_array();
	for (size_t i = 0; i < s->ncontainers; i++)
		json_array_append_new(a, json_container(&s->containers[i]));
	json_object_set_new(o, "containers", a);
	if (s->containers_dropped)
		json_object_set_new(o, "containers_dropped", json_u64(s->containers_dropped));
	json_t *e = json_array();
	for (size_t i = 0; i < s->nexecs; i++)
		json_array_append_new(e, json_exec(&s->execs[i]));
	json_object_set_new(o, "execs", e);
	if (s->execs_dropped)
		json_object_set_new(o, "execs_dropped", json_u64(s->execs_dropped));
	return o;
}

json_t *json_stack(const struct ns_event *ev)
{
	json_t *a = json_array();
	for (size_t i = 0; i < ev->nstack; i++) {
		const struct stack_frame *fr = &ev->stack[i];
		json_t *o = json_object();
		json_object_set_new(o, "ip", json_hex(fr->ip));
		set_str(o, "module", fr->module);
		set_str(o, "function", fr->function);
		json_object_set_new(o, "offset", json_u64(fr->offset));
		json_array_append_new(a, o);
	}
	return a;
}

static const char *const cred_bit_names[] = {
    "uid", "gid", "groups", "caps", "no_new_privs", "seccomp",
};

json_t *json_creds(const struct ns_event *ev)
{
	const struct cred_info *c = &ev->creds;
	json_t *o = json_object();
	if (c->uid >= 0)
		json_object_set_new(o, "uid", json_integer(c->uid));
	if (c->gid >= 0)
		json_object_set_new(o, "gid", json_integer(c->gid));
	if (c->host_uid >= 0)
		json_object_set_new(o, "host_uid", json_integer(c->host_uid));
	if (c->host_gid >= 0)
		json_object_set_new(o, "host_gid", json_integer(c->host_gid));
	if (c->cap_known)
		json_object_set_new(o, "cap_effective", json_hex(c->cap_effective));
	json_object_set_new(o, "no_new_privs", json_boolean(c->no_new_privs));
	static const char *const modes[] = {"none", "strict", "filter"};
	if (c->seccomp_mode >= 0 && c->seccomp_mode <= 2)
		json_object_set_new(o, "seccomp", json_string(modes[c->seccomp_mode]));
	return o;
}

json_t *json_creds_changed(uint32_t bits)
{
	json_t *a = json_array();
	for (size_t i = 0; i < sizeof(cred_bit_names) / sizeof(cred_bit_names[0]); i++)
		if (bits & (1u << i))
			json_array_append_new(a, json_string(cred_bit_names[i]));
	return a;
}

json_t *json_idmap(const struct id_map_info *m)
{
	json_t *o = json_object();
	set_str(o, "file", m->file);
	set_int_nz(o, "target", m->target);
	json_t *a = json_array();
	for (size_t i = 0; m->ext && i < m->n; i++)
		json_array_append_new(a,
				      json_pack("{sIsIsI}", "inside", (json_int_t)m->ext[i].inside,
						"outside", (json_int_t)m->ext[i].outside, "count",
						(json_int_t)m->ext[i].count));
	json_object_set_new(o, "extents", a);
	json_object_set_new(o, "truncated", json_boolean(m->truncated));
	set_str(o, "setgroups", m->setgroups);
	return o;
}

void rfc3339_us(char *buf, size_t len, uint64_t wall_ns)
{
	time_t sec = (time_t)(wall_ns / 1000000000ULL);
	unsigned us = (unsigned)(wall_ns % 1000000000ULL / 1000);
	struct tm tm;
	gmtime_r(&sec, &tm);
	char date[32];
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%06uZ", date, us);
}

static void add_syscall(json_t *o, const struct ns_event *ev)
{
	set_str(o, "syscall", ev->sc_name);
	json_object_set_new(o, "nr", json_integer(ev->nr));
	if (ev->args) {
		json_object_set_new(o, "args", json_av_list(ev));
		if (ev->args->ret)
			json_object_set_new(o, "ret_decoded", json_av(ev->args->ret));
	} else {
		json_t *raw = json_array();
		for (int i = 0; i < 6; i++)
			json_array_append_new(raw, json_hex(ev->raw_args[i]));
		json_object_set_new(o, "raw_args", raw);
	}
	if (!ev->unfinished)
		json_object_set_new(o, "ret", json_integer(ev->ret));
	/* A name, or for a number no table knows its decimal digits: always a string. */
	char enbuf[16];
	const char *en = errno_name(ev->err);
	if (!en && ev->err) {
		snprintf(enbuf, sizeof(enbuf), "%d", ev->err);
		en = enbuf;
	}
	json_object_set_new(o, "errno", en ? json_string(en) : json_null());
	json_object_set_new(o, "dur_us", json_u64(ev->dur_ns / 1000));
	struct strbuf sb;
	sb_init(&sb);
	call_text_render(&sb, ev);
	json_object_set_new(o, "call", json_bytes(sb_str(&sb), sb.len));
	sb_free(&sb);
	json_object_set_new(o, "unfinished", json_boolean(ev->unfinished));
}

static void add_signal(json_t *o, const struct ns_event *ev)
{
	const char *name = ev->signame;
	json_object_set_new(o, "signal", name ? json_string(name) : json_integer(ev->signo));
	json_object_set_new(o, "signo", json_integer(ev->signo));
	json_object_set_new(o, "si_code", json_integer(ev->si_code));
	set_str(o, "si_code_name", ev->si_code_name);
	set_int_nz(o, "si_pid", ev->sig_pid);
}

static void add_exit(json_t *o, const struct ns_event *ev)
{
	if (ev->exited) {
		json_object_set_new(o, "exit_code", json_integer(ev->exit_code));
	} else {
		const char *name = ev->signame;
		json_object_set_new(o, "signal",
				    name ? json_string(name) : json_integer(ev->term_sig));
		json_object_set_new(o, "signo", json_integer(ev->term_sig));
	}
	json_object_set_new(o, "core_dumped", json_boolean(ev->core_dumped));
}

json_t *json_event(const struct ns_event *ev)
{
	json_t *o = json_object();
	char ts[64];
	rfc3339_us(ts, sizeof(ts), ev->wall_ns);
	json_object_set_new(o, "v", json_integer(1));
	json_object_set_new(o, "seq", json_u64(ev->seq));
	json_object_set_new(o, "type", json_string(ev_kind_name(ev->kind)));
	json_object_set_new(o, "ts", json_string(ts));
	json_object_set_new(o, "rel_us", json_integer(ev->rel_us));
	json_object_set_new(o, "mono_ns", json_u64(ev->mono_ns));
	set_int_nz(o, "pid", ev->pid);
	set_int_nz(o, "tid", ev->tid);
	set_int_nz(o, "ppid", ev->ppid);
	set_int_nz(o, "spawner", ev->spawner);
	set_int_nz(o, "nspid", ev->nspid);
	set_int_nz(o, "nstid", ev->nstid);
	set_str(o, "comm", ev->comm);
	set_str(o, "exe", ev->exe);
	if (ev->role != ROLE_UNKNOWN)
		json_object_set_new(o, "role", json_string(role_name(ev->role)));
	set_str(o, "stage", ev->stage);
	set_str(o, "container", ev->container);
	set_str(o, "note", ev->note);

	switch (ev->kind) {
	case EV_SYSCALL:
		add_syscall(o, ev);
		break;
	case EV_SPAWN: {
		set_int_nz(o, "child_tid", ev->child_tid);
		json_object_set_new(o, "clone_flags", json_spawn_flags(ev));
		json_object_set_new(o, "is_thread", json_boolean(ev->is_thread));
		break;
	}
	case EV_EXEC: {
		set_str(o, "filename", ev->filename);
		json_t *argv = json_array();
		for (size_t i = 0; ev->argv && i < ev->argc; i++)
			json_array_append_new(argv, json_cstr(ev->argv[i]));
		json_object_set_new(o, "argv", argv);
		json_object_set_new(o, "envc", json_u64(ev->envc));
		set_int_nz(o, "old_tid", ev->old_tid);
		break;
	}
	case EV_SIGNAL:
		add_signal(o, ev);
		break;
	case EV_EXIT:
		add_exit(o, ev);
		break;
	case EV_PHASE:
		set_str(o, "phase", ev->phase);
		json_object_set_new(o, "start_us", json_integer(ev->phase_start_us));
		json_object_set_new(o, "dur_us",
				    json_integer(ev->phase_dur_us > 0 ? ev->phase_dur_us : 0));
		break;
	case EV_DETACH:
	case EV_END:
		json_object_set_new(o, "reason", json_string(end_reason_name(ev->reason)));
		set_str(o, "reason_text", ev->reason_text);
		if (ev->kind == EV_END) {
			json_object_set_new(o, "exit_status", json_integer(ev->exit_status));
			if (ev->summary)
				json_object_set_new(o, "summary", json_summary(ev->summary));
		}
		break;
	default:
		break;
	}
	if (ev->has_ns)
		json_object_set_new(o, "ns", json_ns_set(&ev->ns));
	if (ev->ns_changed)
		json_object_set_new(o, "ns_changed", json_ns_changed(ev));
	if (ev->creds_changed) {
		json_object_set_new(o, "creds_changed", json_creds_changed(ev->creds_changed));
		json_object_set_new(o, "creds", json_creds(ev));
	}
	if (ev->idmap)
		json_object_set_new(o, "idmap", json_idmap(ev->idmap));
	if (ev->nstack)
		json_object_set_new(o, "stack", json_stack(ev));
	return o;
}
