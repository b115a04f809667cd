/* elf_module.h - one mapped ELF file: its segments, unwind table and symbols.
 *
 * A module is parsed once per build-id and shared by every process that maps
 * it. Addresses here are ELF virtual addresses (what the file says); callers
 * add the load bias of a given mapping.
 */
#ifndef NSTRACE_ELF_MODULE_H
#define NSTRACE_ELF_MODULE_H

#include <libelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gopclntab.h"

struct elf_sym {
	uint64_t addr, size;
	const char *name; /* points into the module's (or debug file's) image */
	unsigned char bind;
};

struct load_seg {
	uint64_t vaddr, offset, filesz;
	bool write;
};

struct sym_table {
	struct elf_sym *syms; /* sorted by addr */
	size_t n;
};

struct elf_module {
	char *key;	 /* "build-id:HEX" or "file:DEV:INO:SIZE:MTIME" */
	char *seen_path; /* a real path a process mapped this build from, or NULL */
	int fd;
	Elf *elf;
	const uint8_t *image;
	size_t size;
	bool is_dyn;
	struct load_seg *loads;
	size_t nloads;

	/* .eh_frame_hdr's binary search table, for libunwind */
	uint64_t eh_hdr_vaddr; /* 0: none */
	uint64_t eh_table_vaddr;
	uint64_t eh_fde_count;

	struct sym_table symtab; /* .symtab, own or from the debug file */
	struct sym_table dynsym;
	bool has_go;
	struct go_table go;

	int debug_fd; /* separate debug file whose .symtab we use, or -1 */
	Elf *debug_elf;
	char *debug_path;
};

/* The GNU build-id of a file into out (at most cap bytes); its length, 0 if
 * it has none. */
size_t elf_build_id(Elf *e, uint8_t *out, size_t cap);

/* The cache key of an opened file: its build-id, else its identity. NULL if
 * the file is not ELF. */
char *elf_module_key(int fd);

/* Parse the file open on fd (the module takes it). path is where the tracee
 * found it, used only to look for a .gnu_debuglink file beside it (NULL for
 * memfds and deleted files); debug_root is /usr/lib/debug or a test's. */
struct elf_module *elf_module_open(int fd, char *key, const char *path, const char *debug_root);
void elf_module_free(struct elf_module *m);

/* Copy len bytes at vaddr out of the file if a read-only loaded segment holds
 * them all (text, .eh_frame, .rodata: what unwinding reads). False otherwise:
 * writable data must come from the tracee. */
bool elf_module_read(const struct elf_module *m, uint64_t vaddr, void *buf, size_t len);

/* The bias of a mapping of this module that starts at start with file offset
 * offset: runtime address minus ELF vaddr. */
uint64_t elf_module_bias(const struct elf_module *m, uint64_t start, uint64_t offset);

/* The name of the function whose extent covers vaddr, from .symtab, Go's
 * table, then .dynsym; *start is its entry. NULL if no symbol covers it. */
const char *elf_module_symbol(const struct elf_module *m, uint64_t vaddr, uint64_t *start);

/* For tests and tools: the vaddr of a function by name (.symtab/.dynsym), 0 if
 * absent. */
uint64_t elf_module_lookup(const struct elf_module *m, const char *name);

#endif
