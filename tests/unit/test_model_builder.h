/* test_model_builder.h - synthetic event sequences for the model's tests.
 *
 * A timeline feeds events to a model the way the pipeline does (seq, times,
 * pid/tid/comm, decoded args by man-page name) and records what comes out:
 * each emitted event is copied into a plain record and freed at once, so a
 * model that kept a pointer into an event shows up under ASan.
 */
#ifndef TEST_MODEL_BUILDER_H
#define TEST_MODEL_BUILDER_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "model.h"

/* Namespace inodes: the host's (as on these machines) and a container's. */
#define INO_HOST 4026531830ull
#define INO_CTR 4026532170ull

static inline struct ns_set ns_host(void)
{
	struct ns_set s;
	for (int t = 0; t < NS_COUNT; t++)
		s.ino[t] = INO_HOST + t;
	s.ino[NS_PID_FOR_CHILDREN] = s.ino[NS_PID];
	s.ino[NS_TIME_FOR_CHILDREN] = s.ino[NS_TIME];
	return s;
}

/* The host set with the namespaces in bits (per enum ns_type) replaced by new ones. */
static inline struct ns_set ns_with(struct ns_set base, uint32_t bits)
{
	/* pid_for_children names a pid namespace: a new one has the inode its
	 * first child will show as pid (same for time). */
	for (int t = 0; t < NS_COUNT; t++)
		if (bits & (1u << t))
			base.ino[t] = INO_CTR + (t == NS_PID_FOR_CHILDREN    ? NS_PID
						 : t == NS_TIME_FOR_CHILDREN ? NS_TIME
									     : t);
	return base;
}

#define NSB(t) (1u << (t))

struct rec {
	enum ev_kind kind;
	uint64_t seq;
	int64_t rel_us;
	pid_t pid, tid, ppid, nspid, child_tid;
	enum role role;
	char comm[16], stage[32], container[128], note[1024], phase[64], sc[32];
	int64_t phase_start_us, phase_dur_us;
	uint32_t ns_changed;
	struct ns_set ns, ns_old;
	bool hidden;
	uint32_t creds_changed;
	struct cred_info creds;
	bool has_idmap;
	char idmap_file[16];
	pid_t idmap_target;
	size_t idmap_n;
	struct id_map_extent idmap_ext[4];
	const struct trace_summary *summary;
};

struct tl {
	struct model *m;
	int64_t now_us;
	uint64_t seq;
	struct rec *recs;
	size_t n, cap;
};

static inline void cpy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static void tl_collect(void *ctx, struct ns_event *ev)
{
	struct tl *t = ctx;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->recs = realloc(t->recs, t->cap * sizeof(*t->recs));
	}
	struct rec *r = &t->recs[t->n++];
	memset(r, 0, sizeof(*r));
	r->kind = ev->kind;
	r->seq = ev->seq;
	r->rel_us = ev->rel_us;
	r->pid = ev->pid;
	r->tid = ev->tid;
	r->nspid = ev->nspid;
	r->ppid = ev->ppid;
	cpy(r->comm, sizeof(r->comm), ev->comm);
	r->child_tid = ev->child_tid;
	r->role = ev->role;
	cpy(r->stage, sizeof(r->stage), ev->stage);
	cpy(r->container, sizeof(r->container), ev->container);
	cpy(r->note, sizeof(r->note), ev->note);
	cpy(r->phase, sizeof(r->phase), ev->phase);
	cpy(r->sc, sizeof(r->sc), ev->sc_name);
	r->phase_start_us = ev->phase_start_us;
	r->phase_dur_us = ev->phase_dur_us;
	r->ns_changed = ev->ns_changed;
	r->ns = ev->ns;
	r->ns_old = ev->ns_old;
	r->hidden = ev->hidden;
	r->creds_changed = ev->creds_changed;
	r->creds = ev->creds;
	if (ev->idmap) {
		r->has_idmap = true;
		cpy(r->idmap_file, sizeof(r->idmap_file), ev->idmap->file);
		r->idmap_target = ev->idmap->target;
		r->idmap_n = ev->idmap->n;
		for (size_t i = 0; i < ev->idmap->n && i < 4; i++)
			r->idmap_ext[i] = ev->idmap->ext[i];
	}
	r->summary = ev->summary;
	ns_event_free(ev);
}

static inline void tl_init(struct tl *t, const struct model_opts *opts)
{
	memset(t, 0, sizeof(*t));
	struct model_opts none = {0};
	t->m = model_new(opts ? opts : &none);
}

static inline void tl_fini(struct tl *t)
{
	model_free(t->m);
	free(t->recs);
	memset(t, 0, sizeof(*t));
}

static inline void tl_advance(struct tl *t, int64_t us)
{
	t->now_us += us;
}

static inline struct ns_event *tl_ev(struct tl *t, enum ev_kind kind, pid_t pid, pid_t tid,
				     const char *comm)
{
	struct ns_event *ev = ns_event_new(kind);
	ev->seq = ++t->seq;
	ev->rel_us = t->now_us;
	ev->mono_ns = 1000000000ull + (uint64_t)t->now_us * 1000;
	ev->wall_ns = 1800000000000000000ull + (uint64_t)t->now_us * 1000;
	ev->pid = pid;
	ev->tid = tid;
	ev->comm = comm ? arena_strdup(&ev->arena, comm) : NULL;
	return ev;
}

static inline void tl_feed(struct tl *t, struct ns_event *ev)
{
	model_feed(t->m, ev, tl_collect, t);
	tl_advance(t, 10);
}

static inline void ev_argv(struct ns_event *ev, const char *const *argv)
{
	size_t n = 0;
	while (argv[n])
		n++;
	ev->argv = arena_alloc(&ev->arena, (n + 1) * sizeof(char *));
	for (size_t i = 0; i < n; i++)
		ev->argv[i] = arena_strdup(&ev->arena, argv[i]);
	ev->argc = n;
}

static inline void ev_ns(struct ns_event *ev, struct ns_set ns)
{
	ev->has_ns = true;
	ev->ns = ns;
}

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

static inline void tl_start(struct tl *t)
{
	tl_feed(t, tl_ev(t, EV_START, 0, 0, NULL));
}

static inline void tl_attach(struct tl *t, pid_t pid, pid_t ppid, const char *comm, const char *exe,
			     struct ns_set ns, const char *const *argv)
{
	struct ns_event *ev = tl_ev(t, EV_ATTACH, pid, pid, comm);
	ev->ppid = ppid;
	ev->exe = arena_strdup(&ev->arena, exe);
	ev->nspid = pid;
	ev_argv(ev, argv);
	ev_ns(ev, ns);
	tl_feed(t, ev);
}

/* A new task: pid/tid the new one, spawner the tid that called clone. */
static inline void tl_spawn(struct tl *t, pid_t spawner, pid_t pid, pid_t tid, pid_t ppid,
			    uint64_t flags, bool thread, const char *comm, pid_t nspid,
			    struct ns_set ns)
{
	struct ns_event *ev = tl_ev(t, EV_SPAWN, pid, tid, comm);
	ev->spawner = spawner;
	ev->ppid = ppid;
	ev->clone_flags = flags;
	ev->is_thread = thread;
	ev->nspid = ev->nstid = nspid;
	ev_ns(ev, ns);
	tl_feed(t, ev);
}

static inline void tl_exec(struct tl *t, pid_t pid, pid_t old_tid, const char *filename,
			   const char *exe, const char *comm, pid_t nspid, struct ns_set ns,
			   const char *const *argv)
{
	struct ns_event *ev = tl_ev(t, EV_EXEC, pid, pid, comm);
	ev->filename = arena_strdup(&ev->arena, filename);
	ev->exe = arena_strdup(&ev->arena, exe);
	ev->old_tid = old_tid;
	ev->nspid = ev->nstid = nspid;
	ev->envc = 3;
	ev_argv(ev, argv);
	ev_ns(ev, ns);
	tl_feed(t, ev);
}

/* A syscall event at exit; add arguments with sc_str/sc_raw, then tl_feed. */
static inline struct ns_event *sc_new(struct tl *t, pid_t pid, pid_t tid, const char *comm,
				      const char *name, int64_t ret, int err, int64_t dur_us)
{
	/* The call enters now and is reported at its exit, dur later. */
	t->now_us += dur_us;
	struct ns_event *ev = tl_ev(t, EV_SYSCALL, pid, tid, comm);
	ev->sc_name = arena_strdup(&ev->arena, name);
	ev->ret = err ? -1 : ret;
	ev->err = err;
	ev->dur_ns = (uint64_t)dur_us * 1000;
	ev->entry_mono_ns = ev->mono_ns - ev->dur_ns;
	ev->args = arena_alloc(&ev->arena, sizeof(*ev->args));
	ev->args->items = arena_alloc(&ev->arena, 6 * sizeof(struct av));
	return ev;
}

static inline void sc_raw(struct ns_event *ev, int i, const char *name, uint64_t v)
{
	ev->raw_args[i] = v;
	av_set(&ev->args->items[i], av_uint(&ev->arena, name, v), NULL);
	if (ev->args->n < (size_t)i + 1)
		ev->args->n = i + 1;
}

/* A NULL pointer argument, as the decoders give one. */
static inline void sc_null(struct ns_event *ev, int i, const char *name)
{
	ev->raw_args[i] = 0;
	av_set(&ev->args->items[i], av_addr(&ev->arena, name, 0), NULL);
	if (ev->args->n < (size_t)i + 1)
		ev->args->n = i + 1;
}

static inline void sc_str(struct ns_event *ev, int i, const char *name, const char *s)
{
	ev->raw_args[i] = 0x7ffd0000 + i;
	av_set(&ev->args->items[i], av_str(&ev->arena, name, s, strlen(s), false), NULL);
	if (ev->args->n < (size_t)i + 1)
		ev->args->n = i + 1;
}

static inline void tl_exit(struct tl *t, pid_t pid, pid_t tid, int code)
{
	struct ns_event *ev = tl_ev(t, EV_EXIT, pid, tid, NULL);
	ev->exited = true;
	ev->exit_code = code;
	tl_feed(t, ev);
}

static inline const struct trace_summary *tl_end(struct tl *t)
{
	struct ns_event *ev = tl_ev(t, EV_END, 0, 0, NULL);
	ev->reason = END_FINISHED;
	tl_feed(t, ev);
	return t->recs[t->n - 1].summary;
}

/* Record lookups: the nth (from 0) record matching, or NULL. */
static inline const struct rec *rec_find(const struct tl *t, enum ev_kind kind, pid_t pid,
					 const char *sc, int nth)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct rec *r = &t->recs[i];
		if (r->kind != kind || (pid && r->pid != pid) || (sc && strcmp(r->sc, sc)))
			continue;
		if (nth-- == 0)
			return r;
	}
	return NULL;
}

static inline size_t rec_count(const struct tl *t, enum ev_kind kind, pid_t pid)
{
	size_t k = 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->recs[i].kind == kind && (!pid || t->recs[i].pid == pid))
			k++;
	return k;
}

static inline size_t rec_index(const struct tl *t, const struct rec *r)
{
	return (size_t)(r - t->recs);
}

/* Common syscalls, as the decoders name their arguments. */
static inline void sc_prctl_name(struct tl *t, pid_t pid, pid_t nspid, const char *name)
{
	struct ns_event *ev = sc_new(t, pid, pid, name, "prctl", 0, 0, 20);
	sc_raw(ev, 0, "option", 15);
	sc_str(ev, 1, "arg2", name);
	ev->nspid = ev->nstid = nspid;
	ev->hidden = true;
	tl_feed(t, ev);
}

static inline void sc_mount(struct tl *t, pid_t pid, const char *comm, const char *src,
			    const char *target, uint64_t flags, int err)
{
	struct ns_event *ev = sc_new(t, pid, pid, comm, "mount", 0, err, 50);
	sc_str(ev, 0, "source", src);
	sc_str(ev, 1, "target", target);
	sc_raw(ev, 3, "mountflags", flags);
	tl_feed(t, ev);
}

static inline void sc_openat(struct tl *t, pid_t pid, const char *comm, const char *path,
			     uint64_t flags, int64_t fd, int64_t dur_us)
{
	struct ns_event *ev = sc_new(t, pid, pid, comm, "openat", fd, fd < 0 ? 2 : 0, dur_us);
	sc_raw(ev, 0, "dirfd", (uint64_t)-100);
	sc_str(ev, 1, "pathname", path);
	sc_raw(ev, 2, "flags", flags);
	ev->hidden = true;
	tl_feed(t, ev);
}

static inline void sc_write(struct tl *t, pid_t pid, const char *comm, int fd, const char *buf)
{
	struct ns_event *ev = sc_new(t, pid, pid, comm, "write", (int64_t)strlen(buf), 0, 5);
	sc_raw(ev, 0, "fd", (uint64_t)fd);
	sc_str(ev, 1, "buf", buf);
	sc_raw(ev, 2, "count", strlen(buf));
	ev->hidden = true;
	/* as the pipeline does: a runtime's words go to the model whole */
	if (model_wants_words(t->m, pid, fd))
		model_runtime_wrote(t->m, pid, buf, strlen(buf));
	tl_feed(t, ev);
}

/* Phases must tile the launch: each one starts where the previous ended. */
static inline bool phases_tile(const struct container_summary *c)
{
	int64_t at = c->start_us, total = 0;
	for (size_t i = 0; i < c->nphases; i++) {
		if (c->phases[i].start_us != at || c->phases[i].dur_us <= 0)
			return false;
		at += c->phases[i].dur_us;
		total += c->phases[i].dur_us;
	}
	return total == c->dur_us;
}

#endif
