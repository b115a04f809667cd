/* test_stack_elf.c - the stack stage's parts on files, no process: maps
 * parsing, the debuglink CRC, Go's function table of the real (stripped)
 * runc and of a stripped PIE fixture, and symbol extents on runc's C code.
 */
#include "test_stack_tracee.h"

#include <criterion/criterion.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "debug_file.h"
#include "elf_module.h"
#include "gopclntab.h"
#include "proc_maps.h"

#define RUNC "/usr/sbin/runc"

static struct elf_module *open_module(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	cr_assert_geq(fd, 0, "open %s", path);
	char *key = elf_module_key(fd);
	cr_assert_not_null(key);
	struct elf_module *m = elf_module_open(fd, key, NULL, "/nonexistent");
	cr_assert_not_null(m, "parse %s", path);
	return m;
}

Test(stack_maps, parse_lines_and_find)
{
	const char *text =
	    "00400000-00405000 r--p 00000000 08:01 1234   /usr/sbin/runc\n"
	    "00405000-00805000 r-xp 00005000 08:01 1234   /usr/sbin/runc\n"
	    "7f0000000000-7f0000021000 rw-p 00000000 00:00 0 \n"
	    "7f0000100000-7f0000101000 r-xp 00002000 00:01 77   /memfd:runc_cloned:/proc/self/exe "
	    "(deleted)\n"
	    "7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0                          [stack]\n";
	struct proc_maps pm = {0};
	cr_assert(proc_maps_parse(&pm, text));
	cr_assert_eq(pm.n, 5);
	struct map_ent *e = proc_maps_find(&pm, 0x405840);
	cr_assert_not_null(e);
	cr_assert_eq(e->offset, 0x5000);
	cr_assert(e->exec);
	cr_assert_eq(e->ino, 1234);
	cr_assert_str_eq(e->path, "/usr/sbin/runc");
	cr_assert_null(proc_maps_find(&pm, 0x7f0000000000)->path, "anonymous mapping");
	cr_assert_str_eq(proc_maps_find(&pm, 0x7f0000100010)->path,
			 "/memfd:runc_cloned:/proc/self/exe (deleted)");
	cr_assert_str_eq(proc_maps_find(&pm, 0x7ffc00000008)->path, "[stack]");
	cr_assert_null(proc_maps_find(&pm, 0x805000), "end is exclusive");
	cr_assert_null(proc_maps_find(&pm, 0x1000));
	proc_maps_clear(&pm);
}

Test(stack_debug, crc32_matches_gnu_debuglink)
{
	/* The IEEE CRC-32 check value. */
	cr_assert_eq(debuglink_crc32(0, (const uint8_t *)"123456789", 9), 0xcbf43926u);
	/* Incremental use gives the same result. */
	uint32_t c = debuglink_crc32(0, (const uint8_t *)"1234", 4);
	cr_assert_eq(debuglink_crc32(c, (const uint8_t *)"56789", 5), 0xcbf43926u);
}

Test(stack_runc, go_table_names_runc)
{
	struct elf_module *m = open_module(RUNC);
	cr_assert(m->has_go, "runc has .gopclntab");
	cr_assert_eq(m->symtab.n, 0, "Debian's runc is stripped");
	static const char *const known[] = {
	    "github.com/opencontainers/runc/libcontainer.(*linuxStandardInit).Init",
	    "golang.org/x/sys/unix.PivotRoot",
	    "github.com/opencontainers/runc/libcontainer.(*linuxContainer).Run",
	    "main.main",
	};
	for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
		long i = go_func_by_name(&m->go, known[k]);
		cr_assert_geq(i, 0, "%s in runc's table", known[k]);
		uint64_t entry = go_func_entry(&m->go, i), start;
		for (uint64_t d = 0; d < 3; d++) {
			const char *name = elf_module_symbol(m, entry + d, &start);
			cr_assert_str_eq(name ? name : "(none)", known[k]);
			cr_assert_eq(start, entry);
		}
	}
	elf_module_free(m);
}

/* Every function: name -> entry -> the same name, and a zero SP delta at the
 * entry (the return address is at SP when a function starts): a wrong
 * pc-value decoder or table offset breaks one or the other. */
Test(stack_runc, go_table_round_trip_all_functions)
{
	struct elf_module *m = open_module(RUNC);
	size_t bad_name = 0, bad_sp = 0, with_sp = 0;
	for (uint64_t i = 0; i < m->go.nfunc; i++) {
		uint64_t entry = go_func_entry(&m->go, (long)i);
		if (i + 1 < m->go.nfunc && go_func_entry(&m->go, (long)i + 1) == entry)
			continue; /* zero-size function: the next one owns the address */
		if (go_func_find(&m->go, entry) != (long)i)
			bad_name++;
		int32_t d;
		if (go_func_spdelta(&m->go, (long)i, entry, &d)) {
			with_sp++;
			if (d != 0)
				bad_sp++;
		}
	}
	cr_assert_eq(bad_name, 0);
	cr_assert_eq(bad_sp, 0);
	cr_assert_gt(with_sp, m->go.nfunc / 2, "most functions have an SP table");
	cr_assert_gt(m->go.nfunc, 10000);
	elf_module_free(m);
}

/* runc's C code (nsexec and its static helpers) has unwind info but, stripped,
 * only a few exported names. Every function start from .eh_frame_hdr either
 * gets a name whose extent covers it, or none; never a Go name; and some of
 * them (the static helpers) must get none. */
Test(stack_runc, c_code_never_borrows_a_name)
{
	struct elf_module *m = open_module(RUNC);
	cr_assert_gt(m->eh_fde_count, 10);
	size_t unnamed = 0;
	bool saw_nsexec = false;
	for (uint64_t i = 0; i < m->eh_fde_count; i++) {
		int32_t loc;
		cr_assert(elf_module_read(m, m->eh_table_vaddr + i * 8, &loc, 4));
		uint64_t addr = m->eh_hdr_vaddr + (uint64_t)(int64_t)loc, start;
		cr_assert_eq(go_func_find(&m->go, addr), -1, "C code at %#lx in Go's table",
			     (unsigned long)addr);
		const char *name = elf_module_symbol(m, addr + 1, &start);
		if (!name) {
			unnamed++;
			continue;
		}
		const struct elf_sym *sym = NULL;
		for (size_t k = 0; k < m->dynsym.n && !sym; k++)
			if (strcmp(m->dynsym.syms[k].name, name) == 0)
				sym = &m->dynsym.syms[k];
		cr_assert_not_null(sym, "%s is an exported C function", name);
		cr_assert_eq(sym->addr, start, "%s", name);
		cr_assert_lt(addr + 1 - sym->addr, sym->size, "%s+%#lx is past its extent", name,
			     (unsigned long)(addr + 1 - sym->addr));
		saw_nsexec |= strcmp(name, "nsexec") == 0;
	}
	cr_assert(saw_nsexec);
	cr_assert_gt(unnamed, 0, "static C functions stay unnamed");
	elf_module_free(m);
}

/* A PIE Go binary stores 0 in pcHeader.textStart and relies on a RELATIVE
 * relocation: the table must still place functions right. */
Test(stack_go, pie_text_start_from_relocation)
{
	struct elf_module *m = open_module(fixture_path("stack_go_pie"));
	cr_assert(m->has_go);
	cr_assert(m->is_dyn);
	cr_assert_neq(m->go.text_start, 0);
	long i = go_func_by_name(&m->go, "main.(*chain).middle");
	cr_assert_geq(i, 0);
	uint64_t start;
	const char *name = elf_module_symbol(m, go_func_entry(&m->go, i) + 4, &start);
	cr_assert_str_eq(name ? name : "(none)", "main.(*chain).middle");
	elf_module_free(m);
}

/* Symbols name only what their extent covers. */
Test(stack_symbols, extent_is_respected)
{
	struct elf_module *m = open_module(fixture_path("stack_chain"));
	uint64_t inner = elf_module_lookup(m, "chain_inner"), start;
	cr_assert_neq(inner, 0);
	const char *name = elf_module_symbol(m, inner, &start);
	cr_assert_str_eq(name, "chain_inner");
	/* Find the first address past chain_inner's extent that no symbol
	 * covers (alignment padding) and check it stays unnamed. */
	uint64_t size = 0;
	for (size_t i = 0; i < m->symtab.n; i++)
		if (m->symtab.syms[i].addr == inner)
			size = m->symtab.syms[i].size;
	cr_assert_gt(size, 0);
	name = elf_module_symbol(m, inner + size, &start);
	cr_assert(!name || strcmp(name, "chain_inner") != 0, "past the extent");
	elf_module_free(m);
}

/* A container's binaries are not trusted: a corrupt Go table or unwind table
 * must give wrong names at worst, never reads outside the file (ASan). */
Test(stack_go, corrupt_tables_stay_in_bounds)
{
	int fd = open(fixture_path("stack_go_pie"), O_RDONLY);
	cr_assert_geq(fd, 0);
	struct stat st;
	fstat(fd, &st);
	uint8_t *orig = malloc((size_t)st.st_size);
	cr_assert_eq(read(fd, orig, (size_t)st.st_size), st.st_size);
	close(fd);
	struct elf_module *m = open_module(fixture_path("stack_go_pie"));
	size_t go_off = (size_t)(m->go.data - m->image), go_size = m->go.size;
	uint64_t text = m->go.text_start;
	elf_module_free(m);

	uint32_t seed = 12345;
	for (int round = 0; round < 64; round++) {
		int mfd = memfd_create("corrupt", MFD_CLOEXEC);
		uint8_t *img = malloc((size_t)st.st_size);
		memcpy(img, orig, (size_t)st.st_size);
		for (int k = 0; k < 32 + round * 8; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = go_off + (seed >> 8) % go_size;
			seed = seed * 1103515245u + 12345u;
			img[at] = (uint8_t)(seed >> 16);
		}
		cr_assert_eq(write(mfd, img, (size_t)st.st_size), st.st_size);
		free(img);
		struct elf_module *c =
		    elf_module_open(mfd, strdup("corrupt"), NULL, "/nonexistent");
		if (!c)
			continue;
		for (uint64_t a = text; a < text + 0x60000; a += 0x37) {
			uint64_t start;
			(void)elf_module_symbol(c, a, &start);
			long i = c->has_go ? go_func_find(&c->go, a) : -1;
			int32_t d;
			if (i >= 0) {
				(void)go_func_spdelta(&c->go, i, a, &d);
				(void)go_func_flags(&c->go, i);
			}
		}
		elf_module_free(c);
	}
	free(orig);
}
