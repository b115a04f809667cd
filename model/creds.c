/* creds.c - credentials where they change, and the id maps a runtime writes.
 *
 * uid/gid as set (in the caller's user namespace) and as the host sees them
 * through the maps written to /proc/PID/uid_map and gid_map; effective
 * capabilities from capset; no_new_privs and seccomp mode. The maps are caught
 * by remembering which fd an openat of /proc/PID/{uid_map,gid_map,setgroups}
 * returned and decoding the one write the kernel allows on it.
 */
#include "model_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PR_SET_SECCOMP 22
#define PR_SET_NO_NEW_PRIVS 38
#define SECCOMP_SET_MODE_STRICT 0
#define SECCOMP_SET_MODE_FILTER 1
#define O_ACCMODE_BITS 3

void creds_init(struct cred_info *c)
{
	memset(c, 0, sizeof(*c));
	c->uid = c->gid = c->host_uid = c->host_gid = -1;
}

static int64_t map_id(const struct idmap *map, int64_t id)
{
	for (size_t i = 0; i < map->n; i++) {
		const struct id_map_extent *e = &map->ext[i];
		if (id >= e->inside && id < (int64_t)e->inside + e->count)
			return (int64_t)e->outside + (id - e->inside);
	}
	return -1;
}

/* The host's view of an id set in p's user namespace, or -1 when unknown. */
static int64_t host_id(const struct model *m, const struct proc *p, const struct idmap *map,
		       int64_t id)
{
	if (map->n)
		return map_id(map, id);
	if (m->host_userns && p->ns.ino[NS_USER] == m->host_userns)
		return id;
	return -1;
}

static void note_id(struct note *n, const char *what, int64_t id, int64_t host)
{
	if (host >= 0 && host != id)
		note_add(n, "%s %" PRId64 " in its user namespace (host %s %" PRId64 ")", what, id,
			 what, host);
	else
		note_add(n, "%s set to %" PRId64, what, id);
}

static void set_uid(struct model *m, struct proc *p, struct ns_event *ev, struct note *n,
		    int64_t uid)
{
	if (uid < 0 || uid == (int64_t)(uint32_t)-1)
		return;
	p->creds.uid = uid;
	p->creds.host_uid = host_id(m, p, &p->uid_map, uid);
	ev->creds_changed |= CRED_UID;
	note_id(n, "uid", uid, p->creds.host_uid);
}

static void set_gid(struct model *m, struct proc *p, struct ns_event *ev, struct note *n,
		    int64_t gid)
{
	if (gid < 0 || gid == (int64_t)(uint32_t)-1)
		return;
	p->creds.gid = gid;
	p->creds.host_gid = host_id(m, p, &p->gid_map, gid);
	ev->creds_changed |= CRED_GID;
	note_id(n, "gid", gid, p->creds.host_gid);
}

static void on_capset(struct proc *p, struct ns_event *ev, struct note *n)
{
	/* capset(hdrp, datap): the decoder shows datap as a struct with an
	 * "effective" field (flags of CAP_* names, the value in u). */
	const struct av *d = arg_find(ev, "datap");
	if (!d)
		d = arg_find(ev, "data");
	const struct av *eff = NULL;
	for (size_t i = 0; d && i < d->nitems; i++)
		if (d->items[i].name && !strcmp(d->items[i].name, "effective"))
			eff = &d->items[i];
	if (!eff) {
		note_add(n, "capabilities changed");
		return;
	}
	p->creds.cap_effective = eff->u;
	p->creds.cap_known = true;
	ev->creds_changed |= CRED_CAPS;
	if (eff->kind == AV_FLAGS && eff->nnames) {
		note_add(n, "effective capabilities now ");
		for (size_t i = 0; i < eff->nnames; i++) {
			const char *name = eff->names[i];
			if (!strncmp(name, "1<<", 3)) /* strace prints bit masks as 1<<CAP_X */
				name += 3;
			note_cat(n, "%s%s", i ? ", " : "", name);
		}
	} else if (eff->kind == AV_FLAGS && !eff->unknown) {
		note_add(n, "effective capabilities now none");
	} else {
		note_add(n, "effective capabilities now 0x%" PRIx64, eff->u);
	}
}

static void set_seccomp(struct proc *p, struct ns_event *ev, struct note *n, int mode)
{
	p->creds.seccomp_mode = mode;
	ev->creds_changed |= CRED_SECCOMP;
	note_add(n, mode == 1 ? "seccomp strict mode: only read, write, exit and sigreturn remain"
			      : "seccomp filter installed: its later syscalls are filtered");
}

void creds_on_syscall(struct model *m, struct proc *p, struct ns_event *ev, struct note *n)
{
	const char *s = ev->sc_name;
	const uint64_t *a = ev->raw_args;
	if (ev->err || ev->ret < 0 || ev->unfinished)
		return;
	if (!strcmp(s, "setuid")) {
		set_uid(m, p, ev, n, (int64_t)(uint32_t)a[0]);
	} else if (!strcmp(s, "setgid")) {
		set_gid(m, p, ev, n, (int64_t)(uint32_t)a[0]);
	} else if (!strcmp(s, "setreuid") || !strcmp(s, "setresuid")) {
		set_uid(m, p, ev, n, (int64_t)(uint32_t)a[1]); /* the effective id */
	} else if (!strcmp(s, "setregid") || !strcmp(s, "setresgid")) {
		set_gid(m, p, ev, n, (int64_t)(uint32_t)a[1]);
	} else if (!strcmp(s, "setgroups")) {
		ev->creds_changed |= CRED_GROUPS;
		if (a[0])
			note_add(n, "%" PRIu64 " supplementary group%s set", a[0],
				 a[0] == 1 ? "" : "s");
		else
			note_add(n, "supplementary groups cleared");
	} else if (!strcmp(s, "capset")) {
		on_capset(p, ev, n);
	} else if (!strcmp(s, "prctl") && a[0] == PR_SET_NO_NEW_PRIVS && a[1] == 1) {
		p->creds.no_new_privs = true;
		ev->creds_changed |= CRED_NO_NEW_PRIVS;
		note_add(n, "no_new_privs set: exec can no longer grant privileges "
			    "(setuid bits, file capabilities)");
	} else if (!strcmp(s, "prctl") && a[0] == PR_SET_SECCOMP && (a[1] == 1 || a[1] == 2)) {
		set_seccomp(p, ev, n, (int)a[1]);
	} else if (!strcmp(s, "seccomp") && a[0] == SECCOMP_SET_MODE_STRICT) {
		set_seccomp(p, ev, n, 1);
	} else if (!strcmp(s, "seccomp") && a[0] == SECCOMP_SET_MODE_FILTER && a[2]) {
		set_seccomp(p, ev, n, 2);
	}
	if (ev->creds_changed)
		ev->creds = p->creds;
}

/* "/proc/123/uid_map" -> WATCH_UID_MAP and 123; "self" is the caller. */
static enum watch_kind proc_map_path(const char *path, pid_t self, pid_t *target)
{
	static const struct {
		const char *file;
		enum watch_kind kind;
	} files[] = {
	    {"uid_map", WATCH_UID_MAP},
	    {"gid_map", WATCH_GID_MAP},
	    {"setgroups", WATCH_SETGROUPS},
	};
	if (strncmp(path, "/proc/", 6))
		return 0;
	const char *p = path + 6, *slash = strchr(p, '/');
	if (!slash)
		return 0;
	if (!strncmp(p, "self/", 5) || !strncmp(p, "thread-self/", 12)) {
		*target = self;
	} else {
		char *end;
		long v = strtol(p, &end, 10);
		if (end != slash || v <= 0)
			return 0;
		*target = (pid_t)v;
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (!strcmp(slash + 1, files[i].file))
			return files[i].kind;
	return 0;
}

void watch_on_open(struct proc *p, const struct ns_event *ev)
{
	char path[256];
	if (ev->err || ev->ret < 0 || ev->unfinished)
		return;
	if (!arg_str(ev, "pathname", path, sizeof(path), NULL) &&
	    !arg_str(ev, "filename", path, sizeof(path), NULL))
		return;
	/* open(pathname, flags) vs openat(dirfd, pathname, flags); openat2 keeps its
	 * flags in a struct: assume writable there, the write decides. */
	bool is_open = !strcmp(ev->sc_name, "open");
	bool is_openat2 = !strcmp(ev->sc_name, "openat2");
	uint64_t flags = is_open ? ev->raw_args[1] : ev->raw_args[2];
	if (!is_openat2 && (flags & O_ACCMODE_BITS) == 0)
		return; /* read-only: runc reads /proc/self/uid_map to learn its own */
	pid_t target = 0;
	enum watch_kind k = proc_map_path(path, ev->pid, &target);
	if (!k && p->log_path[0] && !strcmp(path, p->log_path))
		k = WATCH_LOG;
	if (!k)
		return;
	struct fd_watch w = {.fd = (int)ev->ret, .what = k, .target = target};
	for (size_t i = 0; i < p->nwatch; i++)
		if (p->watch[i].fd == w.fd) {
			p->watch[i] = w;
			return;
		}
	if (p->nwatch == MAX_WATCH)
		memmove(p->watch, p->watch + 1, (MAX_WATCH - 1) * sizeof(p->watch[0]));
	else
		p->nwatch++;
	p->watch[p->nwatch - 1] = w;
}

/* "0 100000 65536\n1 ..." -> extents; returns how many were parsed. */
static size_t parse_map(const char *s, struct id_map_extent *ext, size_t max)
{
	size_t n = 0;
	while (*s && n < max) {
		unsigned long in, out, count;
		int used = 0;
		if (sscanf(s, " %lu %lu %lu%n", &in, &out, &count, &used) != 3)
			break;
		ext[n++] = (struct id_map_extent){(uint32_t)in, (uint32_t)out, (uint32_t)count};
		s += used;
	}
	return n;
}

static void note_map(struct note *n, const char *file, pid_t target, const char *who,
		     const struct id_map_extent *ext, size_t count, bool truncated)
{
	const char *id = !strcmp(file, "uid_map") ? "uid" : "gid";
	note_add(n, "%s of %d (%s):", file, target, who);
	for (size_t i = 0; i < count; i++) {
		const struct id_map_extent *e = &ext[i];
		note_cat(n,
			 "%s %s %" PRIu32 "-%" PRIu64 " in its user namespace = host %s %" PRIu32
			 "-%" PRIu64,
			 i ? "," : "", id, e->inside, (uint64_t)e->inside + e->count - 1, id,
			 e->outside, (uint64_t)e->outside + e->count - 1);
	}
	if (!count)
		note_cat(n, " (no extent could be read)");
	if (truncated)
		note_cat(n, " (buffer cut at the -s limit: more lines may follow)");
}

bool watch_has(const struct proc *p, int fd)
{
	for (size_t i = 0; i < p->nwatch; i++)
		if (p->watch[i].fd == fd)
			return true;
	return false;
}

void watch_on_write(struct model *m, struct proc *p, struct ns_event *ev, struct note *n)
{
	if (ev->err || ev->ret <= 0 || ev->unfinished)
		return;
	int fd = (int)ev->raw_args[0];
	size_t i;
	for (i = 0; i < p->nwatch; i++)
		if (p->watch[i].fd == fd)
			break;
	if (i == p->nwatch)
		return;
	struct fd_watch w = p->watch[i];
	/* One write per map file (the kernel allows no second one): forget the fd,
	 * so a reused fd number is not mistaken for the map later. */
	memmove(p->watch + i, p->watch + i + 1, (p->nwatch - i - 1) * sizeof(p->watch[0]));
	p->nwatch--;

	char buf[256];
	bool truncated = false;
	if (!arg_str(ev, "buf", buf, sizeof(buf), &truncated))
		return;
	struct proc *t = proc_of_pid(m, w.target);
	const char *who = t ? proc_who(t, NULL) : "?";
	struct id_map_info *info = arena_alloc(&ev->arena, sizeof(*info));
	info->target = w.target;
	info->truncated = truncated;
	if (w.what == WATCH_SETGROUPS) {
		info->file = "setgroups";
		size_t l = strcspn(buf, "\n");
		buf[l] = '\0';
		info->setgroups = arena_strdup(&ev->arena, buf);
		note_add(n, "setgroups of %d (%s): %s%s", w.target, who, buf,
			 !strcmp(buf, "deny") ? " (setgroups(2) disabled in its user namespace)"
					      : "");
		ev->idmap = info;
		return;
	}
	struct id_map_extent ext[MAX_EXTENTS];
	size_t cnt = parse_map(buf, ext, MAX_EXTENTS);
	info->file = w.what == WATCH_UID_MAP ? "uid_map" : "gid_map";
	info->n = cnt;
	info->ext = arena_alloc(&ev->arena, (cnt ? cnt : 1) * sizeof(*info->ext));
	memcpy(info->ext, ext, cnt * sizeof(*ext));
	ev->idmap = info;
	note_map(n, info->file, w.target, who, ext, cnt, truncated);
	if (t) {
		struct idmap *dst = w.what == WATCH_UID_MAP ? &t->uid_map : &t->gid_map;
		dst->n = cnt;
		memcpy(dst->ext, ext, cnt * sizeof(*ext));
	}
}
