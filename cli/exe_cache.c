/* exe_cache.c - the executable behind an exec'd path, remembered (exe_cache.h).
 *
 * A small table indexed by a hash of the key; a new entry replaces whatever
 * held its slot, so memory stays bounded however many programs a trace sees.
 */
#include "exe_cache.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 64

struct entry {
	char *path, *exe; /* NULL: free slot */
	uint64_t mnt_ns;
	unsigned char id[EXE_CACHE_ID_MAX];
	size_t id_len;
};

struct exe_cache {
	struct entry e[SLOTS];
	unsigned long hits;
};

struct exe_cache *exe_cache_new(void)
{
	return calloc(1, sizeof(struct exe_cache));
}

void exe_cache_free(struct exe_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < SLOTS; i++) {
		free(c->e[i].path);
		free(c->e[i].exe);
	}
	free(c);
}

bool exe_cache_path_ok(const char *path)
{
	return path && path[0] == '/' && strncmp(path, "/proc/", 6) && strncmp(path, "/dev/fd/", 8);
}

static size_t slot_of(uint64_t mnt_ns, const char *path, const unsigned char *id, size_t id_len)
{
	uint64_t h = 1469598103934665603ull ^ mnt_ns; /* FNV-1a */
	for (const char *p = path; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	for (size_t i = 0; i < id_len; i++)
		h = (h ^ id[i]) * 1099511628211ull;
	return (size_t)(h % SLOTS);
}

static bool usable(uint64_t mnt_ns, const char *path, size_t id_len)
{
	return mnt_ns && id_len && id_len <= EXE_CACHE_ID_MAX && exe_cache_path_ok(path);
}

const char *exe_cache_get(struct exe_cache *c, uint64_t mnt_ns, const char *path,
			  const unsigned char *id, size_t id_len)
{
	if (!c || !usable(mnt_ns, path, id_len))
		return NULL;
	struct entry *e = &c->e[slot_of(mnt_ns, path, id, id_len)];
	if (!e->path || e->mnt_ns != mnt_ns || e->id_len != id_len || memcmp(e->id, id, id_len) ||
	    strcmp(e->path, path))
		return NULL;
	c->hits++;
	return e->exe;
}

void exe_cache_put(struct exe_cache *c, uint64_t mnt_ns, const char *path, const unsigned char *id,
		   size_t id_len, const char *exe)
{
	if (!c || !usable(mnt_ns, path, id_len) || !exe || !*exe || strstr(exe, " (deleted)"))
		return;
	char *p = strdup(path), *x = strdup(exe);
	if (!p || !x) {
		free(p);
		free(x);
		return;
	}
	struct entry *e = &c->e[slot_of(mnt_ns, path, id, id_len)];
	free(e->path);
	free(e->exe);
	e->path = p;
	e->exe = x;
	e->mnt_ns = mnt_ns;
	memcpy(e->id, id, id_len);
	e->id_len = id_len;
}

unsigned long exe_cache_hits(const struct exe_cache *c)
{
	return c ? c->hits : 0;
}
