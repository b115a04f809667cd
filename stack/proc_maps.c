/* proc_maps.c - parsing /proc/PID/maps (see proc_maps.h).
 *
 * A line: "start-end perms offset major:minor inode   path". The path is
 * everything after the inode's padding, spaces included ("(deleted)").
 */
#include "proc_maps.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fputs("nstrace: out of memory\n", stderr);
		abort();
	}
	return p;
}

void proc_maps_clear(struct proc_maps *pm)
{
	for (size_t i = 0; i < pm->n; i++)
		free(pm->ents[i].path);
	free(pm->ents);
	pm->ents = NULL;
	pm->n = 0;
}

static bool parse_line(const char *line, struct map_ent *e)
{
	uint64_t start, end, off, ino;
	char perms[5];
	unsigned maj, min;
	int pathpos = 0;
	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s %" SCNx64 " %x:%x %" SCNu64 " %n", &start,
		   &end, perms, &off, &maj, &min, &ino, &pathpos) < 7)
		return false;
	*e = (struct map_ent){.start = start, .end = end, .offset = off, .ino = ino};
	e->exec = perms[2] == 'x';
	const char *p = pathpos > 0 ? line + pathpos : "";
	if (*p)
		e->path = strdup(p);
	return true;
}

static uint64_t fnv1a(uint64_t h, uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		h = (h ^ (v & 0xff)) * 0x100000001b3ull;
	return h;
}

bool proc_maps_parse(struct proc_maps *pm, const char *text)
{
	proc_maps_clear(pm);
	size_t cap = 0;
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		char line[4096 + 256];
		if (len < sizeof(line)) {
			memcpy(line, text, len);
			line[len] = '\0';
			struct map_ent e;
			if (parse_line(line, &e)) {
				if (pm->n == cap) {
					cap = cap ? 2 * cap : 64;
					pm->ents = xrealloc(pm->ents, cap * sizeof(*pm->ents));
				}
				pm->ents[pm->n++] = e;
			}
		}
		text += len + (nl ? 1 : 0);
	}
	pm->layout = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < pm->n; i++) {
		const struct map_ent *e = &pm->ents[i];
		if (!e->exec)
			continue;
		pm->layout = fnv1a(pm->layout, e->start);
		pm->layout = fnv1a(pm->layout, e->end);
		pm->layout = fnv1a(pm->layout, e->offset);
		pm->layout = fnv1a(pm->layout, e->ino);
	}
	return pm->n > 0;
}

bool proc_maps_read(struct proc_maps *pm, pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	size_t len = 0, cap = 16384;
	char *buf = xrealloc(NULL, cap);
	for (;;) {
		if (cap - len < 4096)
			buf = xrealloc(buf, cap *= 2);
		ssize_t r = read(fd, buf + len, cap - len - 1);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	bool ok = proc_maps_parse(pm, buf);
	free(buf);
	return ok;
}

struct map_ent *proc_maps_find(const struct proc_maps *pm, uint64_t addr)
{
	size_t lo = 0, hi = pm->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct map_ent *e = &pm->ents[mid];
		if (addr < e->start)
			hi = mid;
		else if (addr >= e->end)
			lo = mid + 1;
		else
			return &pm->ents[mid];
	}
	return NULL;
}
