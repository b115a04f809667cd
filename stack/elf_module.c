/* elf_module.c - parsing one ELF file for unwinding and naming (elf_module.h).
 *
 * The file is mapped once (libelf's ELF_C_READ_MMAP); symbol names, the Go
 * table and the unwind table are used in place. Only functions with a size
 * enter the symbol tables: a symbol names an address only when its extent
 * covers it, so the C code of a stripped binary never borrows the name of
 * the nearest exported symbol (strace -k's `runc(_cgo_topofstack+0x4c4a8)`).
 */
#define _GNU_SOURCE
#include "elf_module.h"
#include "debug_file.h"

#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NT_GNU_BUILD_ID_TYPE 3

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p) {
		fputs("nstrace: out of memory\n", stderr);
		abort();
	}
	return p;
}

static Elf *elf_open_fd(int fd)
{
	elf_version(EV_CURRENT);
	Elf *e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (e && elf_kind(e) != ELF_K_ELF) {
		elf_end(e);
		return NULL;
	}
	return e;
}

size_t elf_build_id(Elf *e, uint8_t *out, size_t cap)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		if (!d)
			continue;
		GElf_Nhdr nh;
		size_t off = 0, name_off, desc_off, next;
		while ((next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
			if (nh.n_type == NT_GNU_BUILD_ID_TYPE && nh.n_namesz == 4 &&
			    memcmp((char *)d->d_buf + name_off, "GNU", 4) == 0 &&
			    nh.n_descsz <= cap && nh.n_descsz > 0) {
				memcpy(out, (char *)d->d_buf + desc_off, nh.n_descsz);
				return nh.n_descsz;
			}
			off = next;
		}
	}
	return 0;
}

char *elf_module_key(int fd)
{
	Elf *e = elf_open_fd(fd);
	if (!e)
		return NULL;
	uint8_t id[64];
	size_t n = elf_build_id(e, id, sizeof(id));
	elf_end(e);
	char *key;
	if (n > 0) {
		key = xcalloc(1, 10 + 2 * n);
		strcpy(key, "build-id:");
		for (size_t i = 0; i < n; i++)
			sprintf(key + 9 + 2 * i, "%02x", id[i]);
		return key;
	}
	struct stat st;
	if (fstat(fd, &st) < 0)
		return NULL;
	if (asprintf(&key, "file:%ju:%ju:%jd:%jd", (uintmax_t)st.st_dev, (uintmax_t)st.st_ino,
		     (intmax_t)st.st_size, (intmax_t)st.st_mtim.tv_sec) < 0)
		return NULL;
	return key;
}

static int sym_cmp(const void *a, const void *b)
{
	static const int bind_rank[] = {[STB_GLOBAL] = 0, [STB_WEAK] = 1, [STB_LOCAL] = 2};
	const struct elf_sym *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	int rx = x->bind <= STB_WEAK ? bind_rank[x->bind] : 3;
	int ry = y->bind <= STB_WEAK ? bind_rank[y->bind] : 3;
	return rx - ry;
}

/* Functions with an extent from the first section of type sh_type. */
static void load_symbols(Elf *e, Elf64_Word sh_type, struct sym_table *out)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	while ((scn = elf_nextscn(e, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == sh_type)
			break;
	if (!scn || sh.sh_entsize == 0)
		return;
	Elf_Data *d = elf_getdata(scn, NULL);
	if (!d)
		return;
	size_t count = sh.sh_size / sh.sh_entsize;
	out->syms = xcalloc(count, sizeof(*out->syms));
	size_t n = 0;
	for (size_t i = 0; i < count; i++) {
		GElf_Sym s;
		if (!gelf_getsym(d, (int)i, &s))
			break;
		int type = GELF_ST_TYPE(s.st_info);
		if ((type != STT_FUNC && type != STT_GNU_IFUNC) || s.st_size == 0 ||
		    s.st_shndx == SHN_UNDEF || s.st_value == 0)
			continue;
		const char *name = elf_strptr(e, sh.sh_link, s.st_name);
		if (!name || !*name)
			continue;
		out->syms[n++] = (struct elf_sym){s.st_value, s.st_size, name,
						  (unsigned char)GELF_ST_BIND(s.st_info)};
	}
	qsort(out->syms, n, sizeof(*out->syms), sym_cmp);
	/* One name per address: the global one sorts first. */
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (w == 0 || out->syms[w - 1].addr != out->syms[i].addr)
			out->syms[w++] = out->syms[i];
	out->n = w;
}

static bool has_section(Elf *e, Elf64_Word sh_type)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	while ((scn = elf_nextscn(e, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == sh_type && sh.sh_size > 0)
			return true;
	return false;
}

static Elf_Scn *section_by_name(Elf *e, const char *name, GElf_Shdr *sh)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(e, &shstrndx) != 0)
		return NULL;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(e, scn))) {
		if (!gelf_getshdr(scn, sh))
			continue;
		const char *n = elf_strptr(e, shstrndx, sh->sh_name);
		if (n && strcmp(n, name) == 0)
			return scn;
	}
	return NULL;
}

/* PIE Go binaries store 0 in pcHeader.textStart and let a RELATIVE
 * relocation fill it in at load time: take the relocation's addend. */
static uint64_t relative_reloc_at(Elf *e, uint64_t vaddr)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	while ((scn = elf_nextscn(e, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA || sh.sh_entsize == 0)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		if (!d)
			continue;
		size_t count = sh.sh_size / sh.sh_entsize;
		for (size_t i = 0; i < count; i++) {
			GElf_Rela r;
			if (gelf_getrela(d, (int)i, &r) && r.r_offset == vaddr &&
			    GELF_R_TYPE(r.r_info) == 8 /* R_X86_64_RELATIVE */)
				return (uint64_t)r.r_addend;
		}
	}
	return 0;
}

static void load_go_table(struct elf_module *m)
{
	static const char *const names[] = {".gopclntab", ".data.rel.ro.gopclntab"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		GElf_Shdr sh;
		if (!section_by_name(m->elf, names[i], &sh) || sh.sh_type == SHT_NOBITS)
			continue;
		if (sh.sh_offset > m->size || sh.sh_size > m->size - sh.sh_offset)
			continue;
		uint64_t reloc = 0;
		if (m->is_dyn)
			reloc = relative_reloc_at(m->elf, sh.sh_addr + go_table_textstart_field(8));
		m->has_go = go_table_init(&m->go, m->image + sh.sh_offset, sh.sh_size, reloc);
		if (m->has_go)
			return;
	}
}

static size_t eh_enc_size(uint8_t enc)
{
	switch (enc & 0x0f) {
	case 0x00: /* absptr */
	case 0x04: /* udata8 */
	case 0x0c: /* sdata8 */
		return 8;
	case 0x03: /* udata4 */
	case 0x0b: /* sdata4 */
		return 4;
	case 0x02: /* udata2 */
	case 0x0a: /* sdata2 */
		return 2;
	default:
		return 0;
	}
}

/* .eh_frame_hdr: version, three encodings, eh_frame_ptr, fde_count, then the
 * sorted table libunwind searches; it must be datarel sdata4 pairs (0x3b). */
static void load_eh_frame_hdr(struct elf_module *m, uint64_t hdr_vaddr)
{
	uint8_t h[4 + 8 + 8];
	if (!elf_module_read(m, hdr_vaddr, h, 4) || h[0] != 1 || h[3] != 0x3b)
		return;
	size_t ptr_size = eh_enc_size(h[1]), cnt_size = eh_enc_size(h[2]);
	if (!ptr_size || !cnt_size || !elf_module_read(m, hdr_vaddr, h, 4 + ptr_size + cnt_size))
		return;
	uint64_t count = 0;
	memcpy(&count, h + 4 + ptr_size, cnt_size); /* little endian */
	if (count == 0)
		return;
	m->eh_hdr_vaddr = hdr_vaddr;
	m->eh_table_vaddr = hdr_vaddr + 4 + ptr_size + cnt_size;
	m->eh_fde_count = count;
}

static bool load_segments(struct elf_module *m)
{
	size_t n;
	if (elf_getphdrnum(m->elf, &n) != 0)
		return false;
	m->loads = xcalloc(n, sizeof(*m->loads));
	uint64_t eh_hdr = 0;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(m->elf, (int)i, &ph))
			continue;
		if (ph.p_type == PT_LOAD)
			m->loads[m->nloads++] = (struct load_seg){
			    ph.p_vaddr, ph.p_offset, ph.p_filesz, (ph.p_flags & PF_W) != 0};
		else if (ph.p_type == PT_GNU_EH_FRAME)
			eh_hdr = ph.p_vaddr;
	}
	if (eh_hdr)
		load_eh_frame_hdr(m, eh_hdr);
	return m->nloads > 0;
}

/* A stripped file: take .symtab from a separate debug file if one is there. */
static void load_debug_symbols(struct elf_module *m, const char *path, const char *debug_root)
{
	uint8_t id[64];
	size_t idlen = elf_build_id(m->elf, id, sizeof(id));
	m->debug_fd = debug_file_open(m->elf, id, idlen, path, debug_root, &m->debug_path);
	if (m->debug_fd < 0)
		return;
	m->debug_elf = elf_open_fd(m->debug_fd);
	if (m->debug_elf)
		load_symbols(m->debug_elf, SHT_SYMTAB, &m->symtab);
}

struct elf_module *elf_module_open(int fd, char *key, const char *path, const char *debug_root)
{
	struct elf_module *m = xcalloc(1, sizeof(*m));
	m->fd = fd;
	m->key = key;
	m->debug_fd = -1;
	m->elf = elf_open_fd(fd);
	GElf_Ehdr eh;
	if (!m->elf || !gelf_getehdr(m->elf, &eh) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_machine != EM_X86_64)
		goto fail;
	m->image = (const uint8_t *)elf_rawfile(m->elf, &m->size);
	if (!m->image)
		goto fail;
	m->is_dyn = eh.e_type == ET_DYN;
	if (!load_segments(m))
		goto fail;
	if (has_section(m->elf, SHT_SYMTAB))
		load_symbols(m->elf, SHT_SYMTAB, &m->symtab);
	else
		load_debug_symbols(m, path, debug_root);
	load_symbols(m->elf, SHT_DYNSYM, &m->dynsym);
	load_go_table(m);
	return m;
fail:
	elf_module_free(m);
	return NULL;
}

void elf_module_free(struct elf_module *m)
{
	if (!m)
		return;
	free(m->symtab.syms);
	free(m->dynsym.syms);
	free(m->loads);
	if (m->debug_elf)
		elf_end(m->debug_elf);
	if (m->debug_fd >= 0)
		close(m->debug_fd);
	free(m->debug_path);
	free(m->seen_path);
	if (m->elf)
		elf_end(m->elf);
	if (m->fd >= 0)
		close(m->fd);
	free(m->key);
	free(m);
}

bool elf_module_read(const struct elf_module *m, uint64_t vaddr, void *buf, size_t len)
{
	for (size_t i = 0; i < m->nloads; i++) {
		const struct load_seg *s = &m->loads[i];
		if (s->write || vaddr < s->vaddr || vaddr - s->vaddr >= s->filesz ||
		    len > s->filesz - (vaddr - s->vaddr))
			continue;
		uint64_t off = s->offset + (vaddr - s->vaddr);
		if (off > m->size || len > m->size - off)
			return false;
		memcpy(buf, m->image + off, len);
		return true;
	}
	return false;
}

uint64_t elf_module_bias(const struct elf_module *m, uint64_t start, uint64_t offset)
{
	/* The kernel maps a PT_LOAD from its page-aligned offset. */
	for (size_t i = 0; i < m->nloads; i++) {
		const struct load_seg *s = &m->loads[i];
		if ((s->offset & ~0xfffull) == offset)
			return start - (s->vaddr - (s->offset - offset));
	}
	return start - offset;
}

static const char *sym_lookup(const struct sym_table *t, uint64_t vaddr, uint64_t *start)
{
	size_t lo = 0, hi = t->n; /* first index with addr > vaddr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->syms[mid].addr <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Nested symbols (a local alias inside a bigger function) are rare and
	 * close: look back a few for one whose extent covers vaddr. */
	for (size_t i = lo, k = 0; i > 0 && k < 16; i--, k++) {
		const struct elf_sym *s = &t->syms[i - 1];
		if (vaddr - s->addr < s->size) {
			*start = s->addr;
			return s->name;
		}
	}
	return NULL;
}

const char *elf_module_symbol(const struct elf_module *m, uint64_t vaddr, uint64_t *start)
{
	const char *name = sym_lookup(&m->symtab, vaddr, start);
	if (name)
		return name;
	if (m->has_go) {
		long i = go_func_find(&m->go, vaddr);
		if (i >= 0 && (name = go_func_name(&m->go, i))) {
			*start = go_func_entry(&m->go, i);
			return name;
		}
	}
	return sym_lookup(&m->dynsym, vaddr, start);
}

uint64_t elf_module_lookup(const struct elf_module *m, const char *name)
{
	const struct sym_table *tabs[] = {&m->symtab, &m->dynsym};
	for (size_t t = 0; t < 2; t++)
		for (size_t i = 0; i < tabs[t]->n; i++)
			if (strcmp(tabs[t]->syms[i].name, name) == 0)
				return tabs[t]->syms[i].addr;
	return 0;
}
