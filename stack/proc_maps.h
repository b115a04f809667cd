/* proc_maps.h - a process's mappings, from /proc/PID/maps, cached per pid.
 *
 * The unwinder needs, for an address, the mapping and so the file and load
 * bias. The table is read once per pid and read again when an instruction
 * pointer falls outside every known mapping (a library loaded since).
 */
#ifndef NSTRACE_PROC_MAPS_H
#define NSTRACE_PROC_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct elf_module;

struct map_ent {
	uint64_t start, end, offset;
	uint64_t ino;
	bool exec;
	char *path;    /* as the tracee's kernel shows it: "/usr/lib/x.so", "/memfd:x (deleted)",
			  "[stack]"; NULL if anonymous */
	bool resolved; /* module lookup done (mod may still be NULL) */
	struct elf_module *mod; /* owned by the unwinder's module cache */
	uint64_t bias;		/* runtime address - ELF vaddr */
};

struct proc_maps {
	pid_t pid;
	struct map_ent *ents; /* sorted by start, as the kernel lists them */
	size_t n;
	/* A hash of the executable mappings (where, which file): two tables
	 * with the same layout run the same code at the same addresses. */
	uint64_t layout;
	struct proc_maps *next;
};

/* Read /proc/PID/maps into pm (replacing what it held); false if unreadable. */
bool proc_maps_read(struct proc_maps *pm, pid_t pid);
/* Parse the text of a maps file (tests feed their own). */
bool proc_maps_parse(struct proc_maps *pm, const char *text);
void proc_maps_clear(struct proc_maps *pm);
/* The mapping containing addr, or NULL. */
struct map_ent *proc_maps_find(const struct proc_maps *pm, uint64_t addr);

#endif
