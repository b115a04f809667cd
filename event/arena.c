/* arena.c - bump allocator for per-event data (see arena.h). */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Most events need a few hundred bytes; big strings get a block of their own. */
#define ARENA_BLOCK 2048

struct arena_block {
	struct arena_block *next;
	size_t size, off;
	max_align_t data[];
};

static void *xcalloc(size_t n)
{
	void *p = calloc(1, n);
	if (!p) {
		fputs("nstrace: out of memory\n", stderr);
		abort();
	}
	return p;
}

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->used = 0;
}

void *arena_alloc(struct arena *a, size_t size)
{
	size_t align = _Alignof(max_align_t);
	size = (size + align - 1) & ~(align - 1);
	if (size == 0)
		size = align;
	struct arena_block *b = a->head;
	if (!b || b->size - b->off < size) {
		size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;
		b = xcalloc(sizeof(*b) + cap);
		b->size = cap;
		b->next = a->head;
		a->head = b;
	}
	void *p = (char *)b->data + b->off;
	b->off += size;
	a->used += size;
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return arena_strdup(a, "");
	char *d = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(d, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return d;
}

void arena_reset(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
}
