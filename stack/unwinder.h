/* unwinder.h - the unwinder's state, shared by its files (not an interface).
 *
 * One unwinder lives for a trace: the maps of each traced process, the
 * parsed modules keyed by build-id, and one libunwind address space whose
 * accessors read through the context of the unwind in progress.
 */
#ifndef NSTRACE_UNWINDER_H
#define NSTRACE_UNWINDER_H

#include <libunwind.h>

#include "elf_module.h"
#include "proc_maps.h"
#include "stack.h"

/* Tracee pages read during one unwind (stacks are read a word at a time). */
#define MEMCACHE_SLOTS 8
#define MEMCACHE_PAGE 4096
struct mem_cache {
	uint64_t page[MEMCACHE_SLOTS];
	ssize_t len[MEMCACHE_SLOTS]; /* bytes readable from page; -1: slot empty */
	uint8_t data[MEMCACHE_SLOTS][MEMCACHE_PAGE];
};

struct stack_unwinder {
	unw_addr_space_t as;
	struct mem_cache cache;
	struct proc_maps *procs; /* one per pid seen */
	struct elf_module **mods;
	size_t nmods, capmods;
	char *debug_root;
	/* libunwind caches unwind rules by ip for the whole address space;
	 * they hold while the code layout stays that of the last unwind. */
	uint64_t cached_layout;
	struct stack_stats stats;
};

/* The maps of pid, read on first use; NULL if /proc/PID/maps is unreadable. */
struct proc_maps *unwinder_maps(struct stack_unwinder *u, pid_t pid);

/* The mapping holding addr with its module resolved (opened through
 * /proc/PID/map_files, or /proc/PID/exe); reread the maps once if reread is
 * set and nothing holds addr. NULL if no mapping holds it. */
struct map_ent *unwinder_mapping(struct stack_unwinder *u, struct proc_maps *pm, uint64_t addr,
				 bool *reread);

#endif
