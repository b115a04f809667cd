/* launch_syscalls.c - what the container-building syscalls mean: namespace
 * changes, stage names, mounts, pivot_root, the exec fifo, credentials.
 *
 * Dispatched by syscall name (names are the same on every architecture; numbers
 * are not), through a table.
 */
#include "model_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#define PR_SET_NAME 15
#define PR_SET_NO_NEW_PRIVS 38
#define PR_SET_SECCOMP 22
#define O_WRONLY_BITS 1
#define FOR_CHILDREN ((1u << NS_PID_FOR_CHILDREN) | (1u << NS_TIME_FOR_CHILDREN))

struct sc_ctx {
	struct model *m;
	struct proc *p;
	struct ns_event *ev;
	struct out *o;
	struct note *n;
	struct container *c; /* the container this process is launching, if any */
	bool ok;	     /* the call succeeded */
	const char *who;
};

typedef void (*sc_handler)(struct sc_ctx *x);

static bool building(const struct sc_ctx *x)
{
	return x->c && (x->p->role == ROLE_RUNTIME || x->p->role == ROLE_RUNTIME_INIT);
}

static void fail(struct sc_ctx *x)
{
	if (!x->ok && !x->ev->unfinished && building(x))
		ctr_add_failure(x->c, x->ev);
}

static void on_clone(struct sc_ctx *x)
{
	struct task *t = pidmap_get(&x->m->tasks, x->ev->tid);
	fail(x);
	if (!x->ok || x->ev->ret <= 0 || !t || !t->last_child)
		return;
	/* clone returns the child's id in the caller's pid namespace; EV_SPAWN told
	 * us its host id. */
	x->ev->child_tid = t->last_child;
	if (t->last_child != x->ev->ret)
		note_add(x->n, "returns %" PRId64 ", its pid namespace's id for host tid %d",
			 x->ev->ret, t->last_child);
	t->last_child = 0;
}

static void ns_setup_begins(struct sc_ctx *x)
{
	phase_advance(x->m, x->c, PH_NS, "namespace setup", NULL, ev_entry_us(x->ev), x->ev, x->o);
}

static void on_unshare(struct sc_ctx *x)
{
	fail(x);
	if (!x->ok)
		return;
	uint64_t flags = x->ev->raw_args[0];
	uint32_t created = ns_created_by_flags(flags);
	if (!created)
		return;
	x->p->joined_for_children &= ~created; /* its next children's are new now */
	x->p->built = true;
	if (x->ev->has_ns) {
		/* A new pid namespace cannot be read as pid_for_children until its
		 * pid 1 exists: known before, 0 now is the change, inode to come. */
		uint32_t moved = ns_changed_by_flags(flags);
		for (int t = 0; t < NS_COUNT; t++)
			if ((moved & (1u << t)) && !x->ev->ns.ino[t] && x->ev->ns_old.ino[t])
				x->ev->ns_changed |= 1u << t;
	}
	ns_note_unshare(x->n, x->who, flags, x->ev);
	if (building(x)) {
		x->c->sum.ns_created |= created;
		ns_setup_begins(x);
	}
}

static void on_setns(struct sc_ctx *x)
{
	fail(x);
	if (!x->ok)
		return;
	uint32_t types = ns_type_of_nstype(x->ev->raw_args[1]);
	if (!types && x->ev->has_ns) {
		/* nstype 0: any type; what changed says which */
		types = x->ev->ns_changed & ~FOR_CHILDREN;
		if (x->ev->ns_changed & (1u << NS_PID_FOR_CHILDREN))
			types |= 1u << NS_PID;
		if (x->ev->ns_changed & (1u << NS_TIME_FOR_CHILDREN))
			types |= 1u << NS_TIME;
	}
	x->p->built = true;
	x->p->joined_for_children |= types & ((1u << NS_PID) | (1u << NS_TIME));
	ns_note_setns(x->n, x->who, types, x->ev);
	if (building(x)) {
		x->c->sum.ns_joined |= types;
		ns_setup_begins(x);
	}
}

static enum phase_rank stage_rank(int number)
{
	switch (number) {
	case 0:
		return PH_STAGE0;
	case 1:
		return PH_STAGE1;
	case 2:
		return PH_STAGE2;
	default:
		return PH_NONE;
	}
}

static void on_prctl(struct sc_ctx *x)
{
	creds_on_syscall(x->m, x->p, x->ev, x->n);
	uint64_t option = x->ev->raw_args[0];
	if (option == PR_SET_NO_NEW_PRIVS || option == PR_SET_SECCOMP)
		fail(x);
	if (!x->ok || option != PR_SET_NAME)
		return;
	char name[STAGE_LEN];
	const char *s = arg_str(x->ev, "arg2", name, sizeof(name), NULL);
	if (!s)
		s = x->ev->comm;
	if (!s || stage_number(s) < 0)
		return;
	if (x->p->role != ROLE_RUNTIME && x->p->role != ROLE_RUNTIME_INIT)
		return;
	x->p->role = ROLE_RUNTIME_INIT;
	snprintf(x->p->stage, sizeof(x->p->stage), "%s", s);
	if (stage_number(s) >= 2)
		x->p->built = true;

	struct ns_event *st = model_event_like(x->ev, EV_STAGE, x->p);
	st->stage = arena_strdup(&st->arena, x->p->stage);
	if (x->ev->nspid && x->ev->nspid != x->ev->pid)
		st->note = arena_printf(&st->arena,
					"stage %s begins: host pid %d, pid %d in its "
					"pid namespace",
					x->p->stage, x->p->pid, x->ev->nspid);
	else
		st->note =
		    arena_printf(&st->arena, "stage %s begins: pid %d", x->p->stage, x->p->pid);
	out_post(x->o, st);
	if (building(x))
		phase_advance(x->m, x->c, stage_rank(stage_number(s)), x->p->stage, NULL,
			      ev_entry_us(x->ev), x->ev, x->o);
}

/* The OCI spec's masked and read-only paths are kernel files under /proc and
 * /sys (kcore, sysrq-trigger, acpi, firmware...). The runtime bind-mounts
 * /dev/null (masked) or the path itself (read-only) onto each, and a kernel
 * without one gives ENOENT, which runc and crun skip, or ENOTDIR for a
 * directory, which they mask with a read-only tmpfs next. Such a failure is
 * part of a healthy launch: annotated, counted, never a summary failure. A
 * bind mount onto anything else (a volume whose source is missing) is. */
static bool optional_path_mount(struct sc_ctx *x)
{
	if (x->ok || x->ev->unfinished || (x->ev->err != ENOENT && x->ev->err != ENOTDIR) ||
	    strcmp(x->ev->sc_name, "mount") || !(x->ev->raw_args[3] & MS_BIND))
		return false;
	char target[256];
	const struct av *t = arg_find(x->ev, "target");
	if (!arg_str(x->ev, "target", target, sizeof(target), NULL) ||
	    (strncmp(target, "/proc/", 6) && strncmp(target, "/sys/", 5)))
		return false;
	/* "/proc/self/fd/6" is a path in the rootfs the runtime opened (a volume,
	 * /dev...), not one of the kernel's optional paths */
	if ((t && t->fd_path) || !strncmp(target, "/proc/self/fd/", 14) ||
	    !strncmp(target, "/proc/thread-self/fd/", 21))
		return false;
	if (x->ev->err == ENOENT)
		note_add(x->n, "%s is not on this kernel: an optional path, the runtime goes on",
			 target);
	else
		note_add(x->n, "%s is a directory: the runtime masks it with a tmpfs instead",
			 target);
	return true;
}

/* A failure the runtime's own code expects and goes past (crun):
 * make_parent_mount_private tries mount(NULL, dir, NULL, MS_PRIVATE, NULL)
 * from the rootfs upwards and reads EINVAL as "not a mount point: try the
 * parent"; after pivot_root, do_pivot unmounts "." (the old root) until EINVAL
 * says nothing is left on it. Counted, annotated, never a summary failure. */
static bool expected_mount_failure(struct sc_ctx *x)
{
	char target[256];
	if (x->ok || x->ev->unfinished || x->ev->err != EINVAL ||
	    !arg_str(x->ev, "target", target, sizeof(target), NULL))
		return false;
	if (!strcmp(x->ev->sc_name, "umount2")) {
		if (strcmp(target, ".") || x->c->rank != PH_PIVOT)
			return false;
		note_add(x->n, "nothing is left mounted on the old root: the runtime's unmount "
			       "loop ends here");
		return true;
	}
	/* "/" is a mount point in any mount namespace: its EINVAL is a real one */
	if (strcmp(x->ev->sc_name, "mount") || x->ev->raw_args[0] ||
	    x->ev->raw_args[3] != MS_PRIVATE || !strcmp(target, "/"))
		return false;
	note_add(x->n, "%s is not a mount point: the runtime tries its parent", target);
	return true;
}

static void on_mount(struct sc_ctx *x)
{
	bool optional = building(x) && optional_path_mount(x);
	bool expected = building(x) && !optional && expected_mount_failure(x);
	if (!optional && !expected)
		fail(x);
	if (!building(x) || x->ev->unfinished)
		return;
	/* runc's own bind mount of its cloned binary comes before any namespace: only
	 * mounts after namespace setup build the rootfs. */
	if (x->c->rank >= PH_NS && x->p->built)
		phase_advance(x->m, x->c, PH_MOUNTS, "rootfs mounts", NULL, ev_entry_us(x->ev),
			      x->ev, x->o);
	phase_count_mount(x->c, !x->ok, optional, expected);
}

static void on_pivot_root(struct sc_ctx *x)
{
	fail(x);
	if (!x->ok)
		return;
	x->p->built = true;
	char a[64], b[64];
	if (!strcmp(x->ev->sc_name, "chroot"))
		note_add(x->n, "%s changes its root to %s", x->who,
			 arg_str(x->ev, "path", a, sizeof(a), NULL) ? a : "the container rootfs");
	else if (arg_str(x->ev, "new_root", a, sizeof(a), NULL) && !strcmp(a, ".") &&
		 arg_str(x->ev, "put_old", b, sizeof(b), NULL) && !strcmp(b, "."))
		note_add(x->n,
			 "%s makes the rootfs (its cwd) the root; the old root is stacked "
			 "on it, to be detached next",
			 x->who);
	else
		note_add(x->n, "%s switches its root filesystem", x->who);
	if (building(x))
		phase_advance(x->m, x->c, PH_PIVOT, x->ev->sc_name, NULL, ev_entry_us(x->ev), x->ev,
			      x->o);
}

/* The flags of open(path, flags) or openat(dirfd, path, flags). */
static uint64_t open_flags(const struct ns_event *ev)
{
	return strcmp(ev->sc_name, "open") ? ev->raw_args[2] : ev->raw_args[1];
}

static bool is_exec_fifo(const struct sc_ctx *x, const char *path)
{
	/* runc:[2:INIT] opens the fifo by /proc/self/fd/N for writing: the open
	 * blocks until `runc start` opens the other end. (openat2, whose flags
	 * are in a struct, never gets here: runc and crun use openat.) */
	uint64_t flags = open_flags(x->ev);
	if ((flags & 3) != O_WRONLY_BITS || x->p->role != ROLE_RUNTIME_INIT || !x->p->built)
		return false;
	return strstr(path, "exec.fifo") || !strncmp(path, "/proc/self/fd/", 14);
}

/* `crun start` opens the exec fifo create made for writing: the container's
 * init, waiting on the other end, reads it and execs the entrypoint. (runc
 * start opens it for reading; runc init's own open shows the release.) */
static void on_start_opens_fifo(struct sc_ctx *x, const char *path)
{
	uint64_t flags = open_flags(x->ev);
	if (x->p->role != ROLE_RUNTIME || x->p->launch || !x->p->ctr_id[0] || !x->ok ||
	    (flags & 3) != O_WRONLY_BITS || !strstr(path, "exec.fifo"))
		return;
	struct container *c = ctr_find_open(x->m, x->p->ctr_id);
	if (!c || c->rank != PH_WAIT)
		return;
	note_add(x->n, "%s start opens container %s's exec fifo: its init goes on to the entrypoint",
		 x->p->runtime[0] ? x->p->runtime : "runtime", c->sum.id);
	phase_advance(x->m, c, PH_ENTRY, "entrypoint exec", NULL, ev_exit_us(x->ev), x->ev, x->o);
}

static void on_open(struct sc_ctx *x)
{
	watch_on_open(x->p, x->ev);
	char path[128];
	if (!strcmp(x->ev->sc_name, "openat2") ||
	    !arg_str(x->ev, "pathname", path, sizeof(path), NULL))
		return;
	if (!building(x)) {
		on_start_opens_fifo(x, path);
		return;
	}
	if (!is_exec_fifo(x, path) || x->c->rank >= PH_WAIT)
		return;
	int64_t waited = (int64_t)(x->ev->dur_ns / 1000);
	note_add(
	    x->n,
	    "%s waits on the exec fifo until `%s start` opens it: %" PRId64 ".%03" PRId64 " ms",
	    x->who, x->p->runtime[0] ? x->p->runtime : "runtime", waited / 1000, waited % 1000);
	phase_advance(x->m, x->c, PH_WAIT, "wait for start", "blocked on the exec fifo",
		      ev_entry_us(x->ev), x->ev, x->o);
	phase_advance(x->m, x->c, PH_ENTRY, "entrypoint exec", NULL, ev_exit_us(x->ev), x->ev,
		      x->o);
}

static void on_write(struct sc_ctx *x)
{
	/* a runtime's stderr or --log file: its words came whole through
	 * model_runtime_wrote; the call stays hidden */
	int fd = (int)x->ev->raw_args[0];
	if (said_watches(x->p, fd) || !watch_has(x->p, fd))
		return;
	/* Writing an id map sets up a user namespace as much as unshare does, so it
	 * is shown even when write(2) was not selected: the one place the model
	 * clears hidden. A refused map (EPERM: a range the writer may not map) fails
	 * the launch. */
	x->ev->hidden = false;
	fail(x);
	watch_on_write(x->m, x->p, x->ev, x->n);
}

static void on_sethostname(struct sc_ctx *x)
{
	fail(x);
	char name[72];
	if (!x->ok || !arg_str(x->ev, "name", name, sizeof(name), NULL))
		return;
	if (x->p->ns.ino[NS_UTS])
		note_add(x->n, "hostname \"%s\" in uts:[%" PRIu64 "]", name, x->p->ns.ino[NS_UTS]);
	else
		note_add(x->n, "hostname \"%s\"", name);
}

static void on_creds(struct sc_ctx *x)
{
	creds_on_syscall(x->m, x->p, x->ev, x->n);
	/* runc probes seccomp with a NULL filter (EFAULT) to learn what the kernel
	 * supports: those failures are expected, not worth a summary line. */
	if (!strcmp(x->ev->sc_name, "seccomp") && !x->ev->raw_args[2])
		return;
	fail(x);
}

static void on_exec_call(struct sc_ctx *x)
{
	fail(x); /* a successful exec is EV_EXEC; a failed one here is a missing entrypoint */
}

static const struct {
	const char *name;
	sc_handler fn;
} handlers[] = {
    {"clone", on_clone},	 {"clone3", on_clone},
    {"fork", on_clone},		 {"vfork", on_clone},
    {"unshare", on_unshare},	 {"setns", on_setns},
    {"prctl", on_prctl},	 {"mount", on_mount},
    {"umount2", on_mount},	 {"move_mount", on_mount},
    {"fsmount", on_mount},	 {"open_tree", on_mount},
    {"mount_setattr", on_mount}, {"pivot_root", on_pivot_root},
    {"chroot", on_pivot_root},	 {"openat", on_open},
    {"open", on_open},		 {"openat2", on_open},
    {"write", on_write},	 {"sethostname", on_sethostname},
    {"setuid", on_creds},	 {"setgid", on_creds},
    {"setreuid", on_creds},	 {"setregid", on_creds},
    {"setresuid", on_creds},	 {"setresgid", on_creds},
    {"setgroups", on_creds},	 {"capset", on_creds},
    {"seccomp", on_creds},	 {"execve", on_exec_call},
    {"execveat", on_exec_call},
};

void launch_on_syscall(struct model *m, struct proc *p, struct ns_event *ev, struct out *o,
		       struct note *n)
{
	if (ev->has_ns) {
		/* Only unshare and setns move the caller; on other calls a difference
		 * is a fresher read of what was unknown (pid_for_children cannot be
		 * read until the new namespace's pid 1 exists), not a change. */
		bool moves = ev->sc_name &&
			     (!strcmp(ev->sc_name, "unshare") || !strcmp(ev->sc_name, "setns"));
		if (moves && !ev->err) {
			ev->ns_old = p->ns;
			ev->ns_changed = ns_diff(&p->ns, &ev->ns);
		}
		p->ns = ev->ns;
	}
	if (!ev->sc_name)
		return;
	struct container *c = p->launch ? ctr_get(m, p) : NULL;
	struct sc_ctx x = {
	    .m = m,
	    .p = p,
	    .ev = ev,
	    .o = o,
	    .n = n,
	    .c = c && !c->done ? c : NULL,
	    .ok = !ev->err && ev->ret >= 0 && !ev->unfinished,
	    .who = proc_who(p, ev),
	};
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (!strcmp(ev->sc_name, handlers[i].name)) {
			handlers[i].fn(&x);
			return;
		}
}
