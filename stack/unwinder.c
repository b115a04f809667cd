/* unwinder.c - the unwinder's caches: maps per pid, modules per build-id.
 *
 * A mapped file is opened through /proc/PID/map_files/START-END: that is the
 * very file the tracee mapped, whatever its path says. runc re-executes
 * itself from a memfd ("/memfd:runc_cloned:/proc/self/exe (deleted)") or
 * from a bind mount under /run/runc that is gone by the time we look, and a
 * container's binaries live in another mount namespace; a path would name the
 * wrong file or none.
 */
#define _GNU_SOURCE
#include "unwinder.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_DEBUG_ROOT "/usr/lib/debug"

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p) {
		fputs("nstrace: out of memory\n", stderr);
		abort();
	}
	return p;
}

struct proc_maps *unwinder_maps(struct stack_unwinder *u, pid_t pid)
{
	for (struct proc_maps *pm = u->procs; pm; pm = pm->next)
		if (pm->pid == pid)
			return pm;
	struct proc_maps *pm = xcalloc(1, sizeof(*pm));
	pm->pid = pid;
	u->stats.maps_reads++;
	if (!proc_maps_read(pm, pid)) {
		free(pm);
		return NULL;
	}
	pm->next = u->procs;
	u->procs = pm;
	return pm;
}

void stack_forget(struct stack_unwinder *u, pid_t pid)
{
	for (struct proc_maps **pp = &u->procs; *pp; pp = &(*pp)->next) {
		if ((*pp)->pid != pid)
			continue;
		struct proc_maps *pm = *pp;
		*pp = pm->next;
		proc_maps_clear(pm);
		free(pm);
		return;
	}
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A path the tracer may use to find a debug file beside it: a real file
 * the tracee still has at that name, not a memfd or a deleted file. */
static bool is_plain_path(const char *path)
{
	return path[0] == '/' && !ends_with(path, " (deleted)");
}

static int open_checked(const char *path, uint64_t ino)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) < 0 || (uint64_t)st.st_ino != ino || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The file of a mapping: map_files first (needs CAP_SYS_ADMIN, which a root
 * tracer has), then /proc/PID/exe for the executable itself, then the path
 * seen from the tracee's root; each checked against the mapping's inode. */
static int open_mapped_file(pid_t pid, const struct map_ent *e)
{
	char path[4096 + 64];
	snprintf(path, sizeof(path), "/proc/%d/map_files/%" PRIx64 "-%" PRIx64, (int)pid, e->start,
		 e->end);
	int fd = open_checked(path, e->ino);
	if (fd >= 0)
		return fd;
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	if ((fd = open_checked(path, e->ino)) >= 0)
		return fd;
	if (!is_plain_path(e->path))
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/root%s", (int)pid, e->path);
	return open_checked(path, e->ino);
}

/* A file on a mount that is gone shows as "/" (runc 1.1 runs `runc init`
 * from such a detached bind mount of itself): name it by a path the same
 * build was seen at, if any. */
static void remember_path(struct elf_module *m, const char *path)
{
	if (!m->seen_path && is_plain_path(path) && strcmp(path, "/") != 0)
		m->seen_path = strdup(path);
}

static struct elf_module *module_for_fd(struct stack_unwinder *u, int fd, const char *path)
{
	char *key = elf_module_key(fd);
	if (!key) {
		close(fd);
		return NULL;
	}
	for (size_t i = 0; i < u->nmods; i++) {
		if (strcmp(u->mods[i]->key, key) == 0) {
			free(key);
			close(fd);
			remember_path(u->mods[i], path);
			return u->mods[i];
		}
	}
	struct elf_module *m =
	    elf_module_open(fd, key, is_plain_path(path) ? path : NULL, u->debug_root);
	if (!m)
		return NULL;
	u->stats.modules_parsed++;
	remember_path(m, path);
	if (u->nmods == u->capmods) {
		u->capmods = u->capmods ? 2 * u->capmods : 16;
		struct elf_module **n = realloc(u->mods, u->capmods * sizeof(*n));
		if (!n) {
			fputs("nstrace: out of memory\n", stderr);
			abort();
		}
		u->mods = n;
	}
	u->mods[u->nmods++] = m;
	return m;
}

static void resolve(struct stack_unwinder *u, pid_t pid, struct map_ent *e)
{
	e->resolved = true;
	/* Pseudo-files ([stack], [vdso], [heap]) and anonymous memory. */
	if (!e->path || e->path[0] == '[' || e->ino == 0)
		return;
	int fd = open_mapped_file(pid, e);
	if (fd < 0)
		return;
	e->mod = module_for_fd(u, fd, e->path);
	if (e->mod)
		e->bias = elf_module_bias(e->mod, e->start, e->offset);
}

struct map_ent *unwinder_mapping(struct stack_unwinder *u, struct proc_maps *pm, uint64_t addr,
				 bool *reread)
{
	struct map_ent *e = proc_maps_find(pm, addr);
	if (!e && reread && *reread) {
		*reread = false;
		u->stats.maps_reads++;
		proc_maps_read(pm, pm->pid);
		e = proc_maps_find(pm, addr);
	}
	if (e && !e->resolved)
		resolve(u, pm->pid, e);
	return e;
}

void stack_set_debug_root(struct stack_unwinder *u, const char *dir)
{
	free(u->debug_root);
	u->debug_root = strdup(dir ? dir : DEFAULT_DEBUG_ROOT);
}

void stack_get_stats(const struct stack_unwinder *u, struct stack_stats *out)
{
	*out = u->stats;
}

void stack_unwinder_free(struct stack_unwinder *u)
{
	if (!u)
		return;
	while (u->procs)
		stack_forget(u, u->procs->pid);
	for (size_t i = 0; i < u->nmods; i++)
		elf_module_free(u->mods[i]);
	free(u->mods);
	free(u->debug_root);
	if (u->as)
		unw_destroy_addr_space(u->as);
	free(u);
}
