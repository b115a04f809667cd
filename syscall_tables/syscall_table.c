/* syscall_table.c - number <-> name lookups over the per-architecture tables. */
#include "syscall_table.h"

#include <linux/audit.h>
#include <string.h>

struct arch_table {
	const struct syscall_ent *ents;
	const size_t *size;
};

/* One row per enum sc_arch; an architecture without a table has size NULL. */
static const struct arch_table tables[] = {
	[SC_ARCH_X86_64] = { sc_table_x86_64, &sc_table_x86_64_size },
	[SC_ARCH_I386] = { NULL, NULL },
	[SC_ARCH_AARCH64] = { NULL, NULL },
	[SC_ARCH_UNKNOWN] = { NULL, NULL },
};

enum sc_arch sc_arch_of_audit(uint32_t audit_arch)
{
	switch (audit_arch) {
	case AUDIT_ARCH_X86_64:
		return SC_ARCH_X86_64;
	case AUDIT_ARCH_I386:
		return SC_ARCH_I386;
	case AUDIT_ARCH_AARCH64:
		return SC_ARCH_AARCH64;
	default:
		return SC_ARCH_UNKNOWN;
	}
}

static const struct arch_table *table_of(enum sc_arch arch)
{
	if ((unsigned)arch >= sizeof(tables) / sizeof(tables[0]) || !tables[arch].size)
		return NULL;
	return &tables[arch];
}

long syscall_max(enum sc_arch arch)
{
	const struct arch_table *t = table_of(arch);
	return t ? (long)*t->size : 0;
}

const struct syscall_ent *syscall_ent(enum sc_arch arch, long nr)
{
	const struct arch_table *t = table_of(arch);
	if (!t || nr < 0 || (size_t)nr >= *t->size || !t->ents[nr].name)
		return NULL;
	return &t->ents[nr];
}

long syscall_nr(enum sc_arch arch, const char *name)
{
	const struct arch_table *t = table_of(arch);
	if (!t || !name)
		return -1;
	for (size_t nr = 0; nr < *t->size; nr++)
		if (t->ents[nr].name && strcmp(t->ents[nr].name, name) == 0)
			return (long)nr;
	return -1;
}
