/* arena.h - a bump allocator owned by one event.
 *
 * Decoded arguments, strings read from a tracee and notes all belong to the
 * event that carries them. Allocating them from one arena means an event is freed
 * with one call and nothing can dangle. Allocation never fails: out of memory
 * aborts, as there is no sane way to keep tracing without memory.
 */
#ifndef NSTRACE_ARENA_H
#define NSTRACE_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
	size_t used; /* bytes handed out, for tests and memory accounting */
};

void arena_init(struct arena *a);
/* Zeroed memory aligned for any type. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Free every block but keep the arena usable (empty). */
void arena_reset(struct arena *a);

#endif
