/* gopclntab.c - reading Go's function table (see gopclntab.h).
 *
 * Layout (runtime/symtab.go, Go 1.18+): a pcHeader, then sub-tables at
 * offsets the header gives. The function table ("ftab", at pclnOffset) holds
 * nfunc+1 pairs {entryoff, funcoff} sorted by entry, the last pair's entry
 * being the end of the text, so a function's extent is up to the next entry.
 * funcoff points at a _func record in the same sub-table.
 */
#include "gopclntab.h"

#include <string.h>

enum {
	GO_MAGIC_118 = 0xfffffff0, /* Go 1.18, 1.19 */
	GO_MAGIC_120 = 0xfffffff1, /* Go 1.20 and later: _func gained startLine */
};

/* Offsets of _func fields the unwinder reads (all uint32 before the flags). */
enum {
	FUNC_ENTRYOFF = 0,
	FUNC_NAMEOFF = 4,
	FUNC_PCSP = 16,
	FUNC_FLAG_118 = 37, /* after cuOffset (32) and funcID (36) */
	FUNC_FLAG_120 = 41, /* after startLine (36) and funcID (40) */
};

static bool in_bounds(const struct go_table *t, size_t off, size_t len)
{
	return off <= t->size && len <= t->size - off;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t rdptr(const uint8_t *p, unsigned ptrsize)
{
	if (ptrsize == 4)
		return rd32(p);
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

size_t go_table_textstart_field(unsigned ptrsize)
{
	return 8 + 2 * (size_t)ptrsize; /* magic, pads, minLC, ptrSize; nfunc, nfiles */
}

bool go_table_init(struct go_table *t, const uint8_t *data, size_t size, uint64_t textstart_reloc)
{
	memset(t, 0, sizeof(*t));
	t->data = data;
	t->size = size;
	if (size < 8)
		return false;
	t->magic = rd32(data);
	if (t->magic != GO_MAGIC_118 && t->magic != GO_MAGIC_120)
		return false;
	if (data[4] != 0 || data[5] != 0)
		return false;
	t->quantum = data[6];
	t->ptrsize = data[7];
	if ((t->ptrsize != 4 && t->ptrsize != 8) || t->quantum == 0)
		return false;
	unsigned ps = t->ptrsize;
	if (!in_bounds(t, 8, 8 * (size_t)ps))
		return false;
	const uint8_t *f = data + 8;
	t->nfunc = rdptr(f, ps);
	t->text_start = rdptr(f + 2 * ps, ps);
	if (t->text_start == 0)
		t->text_start = textstart_reloc;
	t->funcname_off = rdptr(f + 3 * ps, ps);
	t->pctab_off = rdptr(f + 6 * ps, ps);
	t->pcln_off = rdptr(f + 7 * ps, ps);
	t->func_flag_off = t->magic == GO_MAGIC_118 ? FUNC_FLAG_118 : FUNC_FLAG_120;
	if (t->nfunc == 0 || t->nfunc > size / 8)
		return false;
	if (!in_bounds(t, t->pcln_off, (t->nfunc + 1) * 8) || t->funcname_off >= size ||
	    t->pctab_off >= size)
		return false;
	return true;
}

/* ftab pair i: entry offset (from text_start) and _func offset. */
static uint32_t ftab_entry(const struct go_table *t, uint64_t i)
{
	return rd32(t->data + t->pcln_off + i * 8);
}

static const uint8_t *func_rec(const struct go_table *t, long i)
{
	size_t off = t->pcln_off + (size_t)rd32(t->data + t->pcln_off + (size_t)i * 8 + 4);
	if (!in_bounds(t, off, t->func_flag_off + 1))
		return NULL;
	return t->data + off;
}

long go_func_find(const struct go_table *t, uint64_t vaddr)
{
	if (vaddr < t->text_start)
		return -1;
	uint64_t off = vaddr - t->text_start;
	if (off >= ftab_entry(t, t->nfunc))
		return -1;
	uint64_t lo = 0, hi = t->nfunc; /* entry(lo) <= off < entry(hi) */
	if (off < ftab_entry(t, 0))
		return -1;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (ftab_entry(t, mid) <= off)
			lo = mid;
		else
			hi = mid;
	}
	return (long)lo;
}

uint64_t go_func_entry(const struct go_table *t, long i)
{
	return t->text_start + ftab_entry(t, (uint64_t)i);
}

const char *go_func_name(const struct go_table *t, long i)
{
	const uint8_t *f = func_rec(t, i);
	if (!f)
		return NULL;
	int32_t nameoff = (int32_t)rd32(f + FUNC_NAMEOFF);
	if (nameoff < 0)
		return NULL;
	size_t off = t->funcname_off + (size_t)nameoff;
	if (off >= t->size)
		return NULL;
	const char *s = (const char *)t->data + off;
	if (!memchr(s, '\0', t->size - off))
		return NULL;
	return s;
}

unsigned go_func_flags(const struct go_table *t, long i)
{
	const uint8_t *f = func_rec(t, i);
	return f ? f[t->func_flag_off] : 0;
}

/* One varint of a pc-value table; false past the end of the table. */
static bool read_uvarint(const struct go_table *t, size_t *pos, uint32_t *out)
{
	uint32_t v = 0;
	for (unsigned shift = 0; shift < 35; shift += 7) {
		if (*pos >= t->size)
			return false;
		uint8_t b = t->data[(*pos)++];
		v |= (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*out = v;
			return true;
		}
	}
	return false;
}

/* runtime.pcvalue: pairs of (zigzag value delta, pc delta / quantum), value
 * starting at -1, up to a zero value delta after the first pair. */
bool go_func_spdelta(const struct go_table *t, long i, uint64_t vaddr, int32_t *delta)
{
	const uint8_t *f = func_rec(t, i);
	if (!f)
		return false;
	uint32_t pcsp = rd32(f + FUNC_PCSP);
	if (pcsp == 0)
		return false;
	size_t pos = t->pctab_off + pcsp;
	uint64_t pc = go_func_entry(t, i);
	int32_t val = -1;
	for (bool first = true;; first = false) {
		uint32_t uv, pcd;
		if (pos >= t->size || (t->data[pos] == 0 && !first))
			return false;
		if (!read_uvarint(t, &pos, &uv) || !read_uvarint(t, &pos, &pcd))
			return false;
		val += (int32_t)(-(uv & 1) ^ (uv >> 1));
		pc += (uint64_t)pcd * t->quantum;
		if (vaddr < pc) {
			*delta = val;
			return val >= 0;
		}
	}
}

long go_func_by_name(const struct go_table *t, const char *name)
{
	for (uint64_t i = 0; i < t->nfunc; i++) {
		const char *n = go_func_name(t, (long)i);
		if (n && strcmp(n, name) == 0)
			return (long)i;
	}
	return -1;
}
