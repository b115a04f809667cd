/* filter.c - strace's -e trace= syntax over the x86_64 table.
 *
 *   [trace=][!]SET      SET = all | none | ITEM[,ITEM...]
 *   ITEM = name | ?name (ignored if unknown) | %class | /regex
 *
 * Each -e trace= replaces the previous selection, as in strace.
 */
#include "syscall_table.h"

#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct class_name {
	const char *name;
	unsigned bit;
};

/* Classes nstrace knows; strace's older spelling without '%' is accepted too. */
static const struct class_name classes[] = {
	{ "container", SC_CONTAINER }, { "ns", SC_NS },		  { "mount", SC_MOUNT },
	{ "creds", SC_CREDS },	       { "security", SC_SECURITY }, { "process", SC_PROCESS },
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void filter_clear(struct sc_filter *f)
{
	memset(f, 0, sizeof(*f));
}

void sc_filter_add(struct sc_filter *f, long nr)
{
	if (nr >= 0 && nr < SC_FILTER_MAX)
		f->bits[nr / 64] |= 1ull << (nr % 64);
}

bool sc_filter_has(const struct sc_filter *f, long nr)
{
	if (nr < 0 || nr >= SC_FILTER_MAX)
		return false;
	return f->bits[nr / 64] & (1ull << (nr % 64));
}

static void add_class(struct sc_filter *f, unsigned bit)
{
	long max = syscall_max(SC_ARCH_X86_64);
	for (long nr = 0; nr < max; nr++) {
		const struct syscall_ent *e = syscall_ent(SC_ARCH_X86_64, nr);
		if (e && (e->classes & bit))
			sc_filter_add(f, nr);
	}
}

void sc_filter_default(struct sc_filter *f)
{
	filter_clear(f);
	add_class(f, SC_CONTAINER);
}

static const struct class_name *find_class(const char *name)
{
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strcmp(classes[i].name, name) == 0)
			return &classes[i];
	return NULL;
}

static int add_regex(struct sc_filter *f, const char *re, char *err, size_t errlen)
{
	regex_t rx;
	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0)
		return fail(err, errlen, "-e trace: invalid regular expression '%s'", re);
	bool any = false;
	long max = syscall_max(SC_ARCH_X86_64);
	for (long nr = 0; nr < max; nr++) {
		const struct syscall_ent *e = syscall_ent(SC_ARCH_X86_64, nr);
		if (e && regexec(&rx, e->name, 0, NULL, 0) == 0) {
			sc_filter_add(f, nr);
			any = true;
		}
	}
	regfree(&rx);
	if (!any)
		return fail(err, errlen, "-e trace: no syscall matches '/%s'", re);
	return 0;
}

static int add_item(struct sc_filter *f, const char *item, char *err, size_t errlen)
{
	if (*item == '%') {
		const struct class_name *c = find_class(item + 1);
		if (!c)
			return fail(err, errlen, "-e trace: unknown syscall class '%s'", item);
		add_class(f, c->bit);
		return 0;
	}
	if (*item == '/')
		return add_regex(f, item + 1, err, errlen);
	bool optional = *item == '?';
	if (optional)
		item++;
	long nr = syscall_nr(SC_ARCH_X86_64, item);
	if (nr >= 0) {
		sc_filter_add(f, nr);
		return 0;
	}
	const struct class_name *c = find_class(item);
	if (c) {
		add_class(f, c->bit);
		return 0;
	}
	if (optional)
		return 0;
	return fail(err, errlen, "-e trace: unknown syscall '%s'", item);
}

int sc_filter_parse(struct sc_filter *f, const char *expr, char *err, size_t errlen)
{
	if (!expr)
		return fail(err, errlen, "-e trace: empty syscall set");
	if (strncmp(expr, "trace=", 6) == 0)
		expr += 6;
	bool negate = false;
	while (*expr == '!') {
		negate = !negate;
		expr++;
	}
	if (!*expr)
		return fail(err, errlen, "-e trace: empty syscall set");

	struct sc_filter set;
	filter_clear(&set);
	if (strcmp(expr, "all") == 0) {
		long max = syscall_max(SC_ARCH_X86_64);
		for (long nr = 0; nr < max; nr++)
			if (syscall_ent(SC_ARCH_X86_64, nr))
				sc_filter_add(&set, nr);
	} else if (strcmp(expr, "none") != 0) {
		const char *p = expr;
		char item[256];
		for (;;) {
			const char *comma = strchr(p, ',');
			size_t n = comma ? (size_t)(comma - p) : strlen(p);
			if (n == 0)
				return fail(err, errlen, "-e trace: empty name in '%s'", expr);
			if (n >= sizeof(item))
				return fail(err, errlen, "-e trace: name too long in '%s'", expr);
			memcpy(item, p, n);
			item[n] = '\0';
			if (add_item(&set, item, err, errlen) < 0)
				return -1;
			if (!comma)
				break;
			p = comma + 1;
		}
	}
	if (negate)
		for (size_t i = 0; i < SC_FILTER_MAX / 64; i++)
			set.bits[i] = ~set.bits[i];
	*f = set;
	return 0;
}
