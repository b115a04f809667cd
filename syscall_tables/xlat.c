/* xlat.c - lookups over constant tables and the typed values they produce. */
#include "xlat.h"

#include <stdio.h>
#include <string.h>

const char *xlat_name(const struct xlat *x, uint64_t v)
{
	for (size_t i = 0; i < x->n; i++)
		if (x->ents[i].val == v)
			return x->ents[i].name;
	return NULL;
}

struct av *av_xval(struct arena *a, const char *name, const struct xlat *x, uint64_t v)
{
	const char *s = xlat_name(x, v);
	if (s)
		return av_sym(a, name, s, v);
	struct av *r = av_hex(a, name, v);
	r->comment = x->unknown;
	return r;
}

struct av *av_xval_dec(struct arena *a, const char *name, const struct xlat *x, int64_t v)
{
	const char *s = xlat_name(x, (uint64_t)v);
	if (s)
		return av_sym(a, name, s, (uint64_t)v);
	struct av *r = av_int(a, name, v);
	r->comment = x->unknown;
	return r;
}

void av_flags_append(struct arena *a, struct av *f, const char *name)
{
	const char **names = arena_alloc(a, (f->nnames + 1) * sizeof(*names));
	if (f->nnames)
		memcpy(names, f->names, f->nnames * sizeof(*names));
	names[f->nnames++] = name;
	f->names = names;
}

struct av *av_xflags(struct arena *a, const char *name, const struct xlat *x, uint64_t v)
{
	struct av *f = av_new(a, AV_FLAGS, name);
	f->u = v;
	f->i = (int64_t)v;
	uint64_t left = v;
	for (size_t i = 0; i < x->n; i++) {
		uint64_t bits = x->ents[i].val;
		if (bits == 0) {
			f->sym = x->ents[i].name;
			continue;
		}
		if ((left & bits) == bits) {
			av_flags_append(a, f, x->ents[i].name);
			left &= ~bits;
		}
	}
	f->unknown = left;
	if (f->nnames == 0 && left)
		f->comment = x->unknown;
	return f;
}

char *av_flags_text(struct arena *a, const struct av *f)
{
	size_t len = 24;
	for (size_t i = 0; i < f->nnames; i++)
		len += strlen(f->names[i]) + 1;
	char *txt = arena_alloc(a, len), *p = txt;
	for (size_t i = 0; i < f->nnames; i++)
		p += sprintf(p, "%s%s", i ? "|" : "", f->names[i]);
	if (f->unknown)
		sprintf(p, "%s%#llx", f->nnames ? "|" : "", (unsigned long long)f->unknown);
	return txt;
}

/* The kernel's real-time signals start at 32 (glibc reserves a few of them,
 * strace names them from the kernel's numbering). */
const char *xlat_signal_name(struct arena *a, uint64_t sig)
{
	const char *s = xlat_name(&xl_signals, sig);
	if (s)
		return s;
	if (sig >= 32 && sig <= 64)
		return sig == 32 ? "SIGRTMIN" : arena_printf(a, "SIGRT_%u", (unsigned)(sig - 32));
	return NULL;
}

struct av *av_signal(struct arena *a, const char *name, uint64_t sig)
{
	const char *s = xlat_signal_name(a, sig);
	if (s)
		return av_sym(a, name, s, sig);
	return av_uint(a, name, sig);
}
