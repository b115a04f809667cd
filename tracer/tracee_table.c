/* tracee_table.c - hash table of traced tasks by tid (see tracee_table.h). */
#define _GNU_SOURCE /* cpu_set_t */
#include "tracee_table.h"

#include <stdio.h>
#include <stdlib.h>

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);
	if (!p) {
		fputs("nstrace: out of memory\n", stderr);
		abort();
	}
	return p;
}

void tt_init(struct tracee_table *tt)
{
	tt->nbuckets = 256;
	tt->buckets = xcalloc(tt->nbuckets, sizeof(*tt->buckets));
	tt->count = 0;
}

void tt_free(struct tracee_table *tt)
{
	for (size_t i = 0; i < tt->nbuckets; i++) {
		struct tracee *t = tt->buckets[i];
		while (t) {
			struct tracee *next = t->next;
			free(t);
			t = next;
		}
	}
	free(tt->buckets);
	tt->buckets = NULL;
	tt->nbuckets = tt->count = 0;
}

static size_t slot(const struct tracee_table *tt, pid_t tid)
{
	return ((uint32_t)tid * 2654435761u) & (tt->nbuckets - 1);
}

struct tracee *tt_find(const struct tracee_table *tt, pid_t tid)
{
	for (struct tracee *t = tt->buckets[slot(tt, tid)]; t; t = t->next)
		if (t->tid == tid)
			return t;
	return NULL;
}

static void grow(struct tracee_table *tt)
{
	size_t old_n = tt->nbuckets;
	struct tracee **old = tt->buckets;
	tt->nbuckets *= 2;
	tt->buckets = xcalloc(tt->nbuckets, sizeof(*tt->buckets));
	for (size_t i = 0; i < old_n; i++) {
		struct tracee *t = old[i];
		while (t) {
			struct tracee *next = t->next;
			size_t s = slot(tt, t->tid);
			t->next = tt->buckets[s];
			tt->buckets[s] = t;
			t = next;
		}
	}
	free(old);
}

struct tracee *tt_get(struct tracee_table *tt, pid_t tid, bool *created)
{
	struct tracee *t = tt_find(tt, tid);
	if (created)
		*created = !t;
	if (t)
		return t;
	if (tt->count + 1 > tt->nbuckets)
		grow(tt);
	t = xcalloc(1, sizeof(*t));
	t->tid = tid;
	t->tgid = tid;
	size_t s = slot(tt, tid);
	t->next = tt->buckets[s];
	tt->buckets[s] = t;
	tt->count++;
	return t;
}

void tt_remove(struct tracee_table *tt, pid_t tid)
{
	struct tracee **pp = &tt->buckets[slot(tt, tid)];
	for (; *pp; pp = &(*pp)->next) {
		if ((*pp)->tid == tid) {
			struct tracee *t = *pp;
			*pp = t->next;
			free(t);
			tt->count--;
			return;
		}
	}
}

void tt_foreach(struct tracee_table *tt, void (*fn)(void *ctx, struct tracee *t), void *ctx)
{
	/* fn may remove the tracee it is given: take next first */
	for (size_t i = 0; i < tt->nbuckets; i++) {
		struct tracee *t = tt->buckets[i];
		while (t) {
			struct tracee *next = t->next;
			fn(ctx, t);
			t = next;
		}
	}
}
