/* pidmap.h - a small open-addressing hash from pid/tid to a pointer.
 *
 * The model looks a task up on every event, so this is on the hot path; it
 * shrinks nothing but deletes in place (backward shift), so it stays as small
 * as the set of live tasks and never fills with tombstones on long traces.
 */
#ifndef NSTRACE_MODEL_PIDMAP_H
#define NSTRACE_MODEL_PIDMAP_H

#include <stddef.h>
#include <sys/types.h>

struct pidmap_slot {
	pid_t key; /* 0: empty (pid 0 is never a traced task) */
	void *val;
};

struct pidmap {
	struct pidmap_slot *slots;
	size_t cap; /* power of two, or 0 */
	size_t n;
};

void pidmap_init(struct pidmap *m);
void pidmap_free(struct pidmap *m);
void *pidmap_get(const struct pidmap *m, pid_t key);
/* Insert or replace; key must be > 0. */
void pidmap_put(struct pidmap *m, pid_t key, void *val);
/* Remove and return the value, or NULL. */
void *pidmap_del(struct pidmap *m, pid_t key);

/* Iteration: for (i = 0; i < m->cap; i++) if (m->slots[i].key) ... */

#endif
