/* pidmap.c - open addressing with linear probing and backward-shift delete. */
#include "pidmap.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static size_t pid_hash(pid_t key, size_t cap)
{
	/* Fibonacci hashing: consecutive pids (the common case) spread out. */
	return (size_t)(((uint32_t)key * 2654435769u) >> 7) & (cap - 1);
}

void pidmap_init(struct pidmap *m)
{
	m->slots = NULL;
	m->cap = 0;
	m->n = 0;
}

void pidmap_free(struct pidmap *m)
{
	free(m->slots);
	pidmap_init(m);
}

void *pidmap_get(const struct pidmap *m, pid_t key)
{
	if (!m->cap || key <= 0)
		return NULL;
	for (size_t i = pid_hash(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (m->slots[i].key == key)
			return m->slots[i].val;
		if (!m->slots[i].key)
			return NULL;
	}
}

static void grow(struct pidmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64;
	struct pidmap_slot *ns = calloc(ncap, sizeof(*ns));
	if (!ns) {
		fputs("nstrace: out of memory\n", stderr);
		abort();
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->slots[i].key)
			continue;
		size_t j = pid_hash(m->slots[i].key, ncap);
		while (ns[j].key)
			j = (j + 1) & (ncap - 1);
		ns[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
}

void pidmap_put(struct pidmap *m, pid_t key, void *val)
{
	if (key <= 0)
		return;
	/* Keep the load under 1/2: probes stay short. */
	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	size_t i = pid_hash(key, m->cap);
	while (m->slots[i].key && m->slots[i].key != key)
		i = (i + 1) & (m->cap - 1);
	if (!m->slots[i].key)
		m->n++;
	m->slots[i].key = key;
	m->slots[i].val = val;
}

void *pidmap_del(struct pidmap *m, pid_t key)
{
	if (!m->cap || key <= 0)
		return NULL;
	size_t mask = m->cap - 1, i = pid_hash(key, m->cap);
	while (m->slots[i].key != key) {
		if (!m->slots[i].key)
			return NULL;
		i = (i + 1) & mask;
	}
	void *val = m->slots[i].val;
	/* Shift back every later entry of the run that may sit in the hole. */
	size_t hole = i;
	for (size_t j = (i + 1) & mask; m->slots[j].key; j = (j + 1) & mask) {
		size_t home = pid_hash(m->slots[j].key, m->cap);
		/* j can move to hole if its home is not in (hole, j] cyclically. */
		bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
		if (stays)
			continue;
		m->slots[hole] = m->slots[j];
		hole = j;
	}
	m->slots[hole].key = 0;
	m->slots[hole].val = NULL;
	m->n--;
	return val;
}
