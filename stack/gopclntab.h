/* gopclntab.h - Go's function table (.gopclntab), read from a mapped binary.
 *
 * Go binaries keep their function table even when stripped: the runtime
 * needs it for its own tracebacks and panics. It gives each function's entry,
 * name, flags and a table of stack-pointer deltas per pc, which is enough both
 * to name Go code and to unwind it exactly the way the Go runtime does (Go's
 * assembly leaf functions, like the raw syscall, have no frame pointer of
 * their own). Layouts of Go 1.18/1.19 (magic 0xfffffff0) and 1.20+
 * (0xfffffff1) are understood; the data is untrusted and bounds-checked.
 */
#ifndef NSTRACE_GOPCLNTAB_H
#define NSTRACE_GOPCLNTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Function flags (runtime.funcFlag). */
enum {
	GO_FUNCFLAG_TOPFRAME = 1 << 0, /* outermost frame of a stack: goexit, mstart, rt0_go */
	GO_FUNCFLAG_SPWRITE = 1 << 1,  /* writes SP in ways pcsp does not describe */
};

struct go_table {
	const uint8_t *data; /* the whole table, starting with its header */
	size_t size;
	uint32_t magic;
	unsigned ptrsize, quantum;
	uint64_t nfunc;
	uint64_t text_start; /* ELF vaddr that function entry offsets are relative to */
	size_t funcname_off, pctab_off, pcln_off; /* sub-tables, from data */
	size_t func_flag_off;			  /* offset of the flag byte in a _func */
};

/* Parse the header of a table of size bytes at data. textstart_reloc is the
 * value a dynamic relocation gives pcHeader.textStart (PIE binaries store 0
 * there), or 0 if there is none. Returns false if this is no table we know. */
bool go_table_init(struct go_table *t, const uint8_t *data, size_t size, uint64_t textstart_reloc);

/* ELF vaddr of pcHeader.textStart within the table, for relocation lookups. */
size_t go_table_textstart_field(unsigned ptrsize);

/* Index of the function whose extent covers vaddr, or -1. */
long go_func_find(const struct go_table *t, uint64_t vaddr);
uint64_t go_func_entry(const struct go_table *t, long i);
const char *go_func_name(const struct go_table *t, long i); /* NULL if corrupt */
unsigned go_func_flags(const struct go_table *t, long i);
/* The stack-pointer delta of function i at vaddr: bytes between SP and the
 * return address. False if the table has no value for vaddr. */
bool go_func_spdelta(const struct go_table *t, long i, uint64_t vaddr, int32_t *delta);
/* Index of the function named name, or -1 (a linear scan: tests, tools). */
long go_func_by_name(const struct go_table *t, const char *name);

#endif
