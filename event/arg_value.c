/* arg_value.c - constructors for typed decoded arguments (see arg_value.h). */
#include "arg_value.h"

#include <string.h>

struct av *av_new(struct arena *a, enum av_kind kind, const char *name)
{
	struct av *v = arena_alloc(a, sizeof(*v));
	v->kind = kind;
	v->name = name;
	return v;
}

struct av *av_int(struct arena *a, const char *name, int64_t val)
{
	struct av *v = av_new(a, AV_INT, name);
	v->i = val;
	v->u = (uint64_t)val;
	return v;
}

struct av *av_uint(struct arena *a, const char *name, uint64_t val)
{
	struct av *v = av_new(a, AV_UINT, name);
	v->u = val;
	v->i = (int64_t)val;
	return v;
}

struct av *av_hex(struct arena *a, const char *name, uint64_t val)
{
	struct av *v = av_uint(a, name, val);
	v->kind = AV_HEX;
	return v;
}

struct av *av_addr(struct arena *a, const char *name, uint64_t val)
{
	struct av *v = av_uint(a, name, val);
	v->kind = AV_ADDR;
	return v;
}

struct av *av_sym(struct arena *a, const char *name, const char *sym, uint64_t val)
{
	struct av *v = av_uint(a, name, val);
	v->kind = AV_SYM;
	v->sym = sym;
	return v;
}

struct av *av_str(struct arena *a, const char *name, const char *bytes, size_t len, bool truncated)
{
	struct av *v = av_new(a, AV_STR, name);
	v->str = arena_strndup(a, bytes, len);
	v->len = len;
	v->truncated = truncated;
	return v;
}

void av_reserve(struct arena *a, struct av *parent, size_t n)
{
	parent->items = n ? arena_alloc(a, n * sizeof(struct av)) : NULL;
	parent->nitems = n;
}

void av_set(struct av *slot, const struct av *src, const char *name)
{
	*slot = *src;
	if (name)
		slot->name = name;
}
