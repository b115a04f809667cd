/* decode_core.c - dispatch from syscall number to decoder, raw fallback, and the
 * helpers decoders share to read tracee memory safely. */
#include "decode.h"

#include <stdlib.h>
#include <string.h>

static const struct decoder *const decoder_sets[] = {
	decoders_process, decoders_ns,	     decoders_mount, decoders_prctl,
	decoders_creds,	  decoders_security, decoders_file,  decoders_bpf,
	decoders_path,	  decoders_stat,     decoders_fd,
};

static const struct decoder *find_decoder(const char *name)
{
	if (!name)
		return NULL;
	for (size_t s = 0; s < sizeof(decoder_sets) / sizeof(decoder_sets[0]); s++)
		for (const struct decoder *d = decoder_sets[s]; d->name; d++)
			if (strcmp(d->name, name) == 0)
				return d;
	return NULL;
}

struct av *dc_put(struct dcall *c, const struct av *v)
{
	struct av_list *l = c->list;
	if (l->n >= DC_MAX_ARGS)
		return &l->items[DC_MAX_ARGS - 1];
	struct av *slot = &l->items[l->n++];
	av_set(slot, v, NULL);
	return slot;
}

void dc_replace(struct av *slot, const struct av *v)
{
	const char *name = slot->name, *label = slot->label;
	*slot = *v;
	slot->name = name;
	slot->label = label;
}

struct av *dc_arg(struct dcall *c, const char *name)
{
	for (size_t i = 0; i < c->list->n; i++)
		if (c->list->items[i].name && strcmp(c->list->items[i].name, name) == 0)
			return &c->list->items[i];
	return NULL;
}

/* strace prints unknown syscalls' arguments as hex, 0 as "0". */
static void decode_raw(struct dcall *c, unsigned nargs)
{
	static const char *const names[] = { "arg1", "arg2", "arg3", "arg4", "arg5", "arg6" };
	for (unsigned i = 0; i < nargs && i < 6; i++)
		dc_put(c, dc_hexval(c, names[i], c->args[i]));
}

static struct av_list *new_list(struct arena *a)
{
	struct av_list *l = arena_alloc(a, sizeof(*l));
	l->items = arena_alloc(a, DC_MAX_ARGS * sizeof(struct av));
	return l;
}

struct av_list *decode_syscall_entry(const struct decode_ctx *ctx, long nr, const uint64_t args[6])
{
	struct dcall c = { .ctx = ctx, .a = ctx->arena, .args = args };
	c.list = new_list(ctx->arena);
	const struct syscall_ent *e = syscall_ent(ctx->arch, nr);
	const struct decoder *d = e ? find_decoder(e->name) : NULL;
	if (d)
		d->entry(&c);
	else
		decode_raw(&c, e ? e->nargs : 6);
	return c.list;
}

void decode_syscall_exit(const struct decode_ctx *ctx, long nr, const uint64_t args[6], int64_t ret,
			 struct av_list *list)
{
	if (!list)
		return;
	struct dcall c = { .ctx = ctx, .a = ctx->arena, .args = args, .list = list, .ret = ret };
	c.failed = ret < 0 && ret >= -4095;
	const struct syscall_ent *e = syscall_ent(ctx->arch, nr);
	const struct decoder *d = e ? find_decoder(e->name) : NULL;
	if (d && d->exit)
		d->exit(&c);
	if (!c.failed && e && !list->ret) {
		if (e->rfmt == SCR_HEX)
			list->ret = av_hex(ctx->arena, NULL, (uint64_t)ret);
		else if (e->rfmt == SCR_OCT) {
			list->ret = av_uint(ctx->arena, NULL, (uint64_t)ret);
			list->ret->kind = AV_OCT;
		}
	}
}

/* ---- tracee memory ---- */

#define PAGE 4096u

bool dc_read(struct dcall *c, uint64_t addr, void *buf, size_t len)
{
	if (!c->ctx->read || addr == 0)
		return false;
	size_t done = 0;
	while (done < len) {
		ssize_t n = c->ctx->read(c->ctx->read_ctx, addr + done, (char *)buf + done, len - done);
		if (n <= 0)
			return false;
		done += (size_t)n;
	}
	return true;
}

/* Reads up to want bytes, stopping at a NUL; chunks never cross a page so an
 * unmapped page after the string does not make it unreadable.
 * Returns the bytes before the NUL (want when there is none), -1 if unreadable. */
static ssize_t read_cstr(struct dcall *c, uint64_t addr, char *buf, size_t want)
{
	size_t got = 0;
	while (got < want) {
		size_t chunk = PAGE - (size_t)((addr + got) % PAGE);
		if (chunk > want - got)
			chunk = want - got;
		ssize_t n = c->ctx->read(c->ctx->read_ctx, addr + got, buf + got, chunk);
		if (n <= 0)
			return -1;
		char *nul = memchr(buf + got, '\0', (size_t)n);
		if (nul)
			return nul - buf;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static struct av *unreadable_addr(struct dcall *c, const char *name, uint64_t addr)
{
	struct av *v = av_addr(c->a, name, addr);
	v->unreadable = addr != 0;
	return v;
}

struct av *dc_bad_addr(struct dcall *c, const char *name, uint64_t addr)
{
	return unreadable_addr(c, name, addr);
}

struct av *dc_cstr_ex(struct dcall *c, const char *name, uint64_t addr, size_t readlen,
		      size_t showlen)
{
	if (addr == 0 || !c->ctx->read)
		return unreadable_addr(c, name, addr);
	/* read into a scratch buffer: the event keeps only what the string holds
	 * (a big -s must not cost its full size for every short string) */
	char *buf = malloc(readlen + 1);
	if (!buf)
		return unreadable_addr(c, name, addr);
	ssize_t n = readlen ? read_cstr(c, addr, buf, readlen) : 0;
	if (n < 0) {
		free(buf);
		return unreadable_addr(c, name, addr);
	}
	bool trunc = (size_t)n == readlen;
	struct av *v = av_str(c->a, name, buf, trunc && showlen < (size_t)n ? showlen : (size_t)n,
			      trunc);
	free(buf);
	v->u = addr;
	return v;
}

struct av *dc_cstr(struct dcall *c, const char *name, uint64_t addr, size_t max)
{
	return dc_cstr_ex(c, name, addr, max + 1, max);
}

struct av *dc_strn0(struct dcall *c, const char *name, uint64_t addr, size_t len)
{
	size_t s = c->ctx->strsize, n = len < s + 1 ? len : s + 1;
	if (len == 0 && addr) /* nothing to read: an empty string, not a cut one */
		return av_str(c->a, name, "", 0, false);
	return dc_cstr_ex(c, name, addr, n, s);
}

/* "/proc/self/fd/6" or "/proc/thread-self/fd/6" -> 6; -1 for any other path. */
static int own_fd_of_path(const char *s)
{
	static const char *const prefixes[] = {"/proc/self/fd/", "/proc/thread-self/fd/"};
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t l = strlen(prefixes[i]);
		if (strncmp(s, prefixes[i], l) || !s[l])
			continue;
		long fd = 0;
		for (const char *p = s + l; *p; p++) {
			if (*p < '0' || *p > '9' || fd > 1000000)
				return -1;
			fd = fd * 10 + (*p - '0');
		}
		return (int)fd;
	}
	return -1;
}

struct av *dc_path(struct dcall *c, const char *name, uint64_t addr)
{
	struct av *v = dc_cstr(c, name, addr, DC_PATH_MAX);
	int fd;
	if (v->kind == AV_STR && v->str && !v->truncated && c->ctx->fd_path &&
	    (fd = own_fd_of_path(v->str)) >= 0) {
		char buf[DC_PATH_MAX];
		ssize_t n = c->ctx->fd_path(c->ctx->read_ctx, fd, buf, sizeof(buf));
		if (n > 0)
			v->fd_path = arena_strndup(c->a, buf, (size_t)n);
	}
	return v;
}

struct av *dc_str(struct dcall *c, const char *name, uint64_t addr)
{
	return dc_cstr(c, name, addr, c->ctx->strsize);
}

struct av *dc_buf(struct dcall *c, const char *name, uint64_t addr, uint64_t len)
{
	if (addr == 0)
		return unreadable_addr(c, name, addr);
	size_t n = len < c->ctx->strsize ? (size_t)len : c->ctx->strsize;
	char *buf = arena_alloc(c->a, n + 1);
	if (n && !dc_read(c, addr, buf, n))
		return unreadable_addr(c, name, addr);
	struct av *v = av_str(c->a, name, buf, n, len > n);
	v->u = addr;
	return v;
}

struct av *dc_int_ptr(struct dcall *c, const char *name, uint64_t addr)
{
	int32_t val;
	if (c->failed) /* the kernel wrote nothing: strace shows the address */
		return av_addr(c->a, name, addr);
	if (!dc_read(c, addr, &val, sizeof(val)))
		return unreadable_addr(c, name, addr);
	struct av *arr = dc_array(c, name, 1);
	av_set(&arr->items[0], av_int(c->a, NULL, val), NULL);
	arr->u = addr;
	return arr;
}

size_t dc_max_elements(const struct dcall *c)
{
	return c->ctx->verbose ? DC_VERBOSE_MAX_ELEMENTS : c->ctx->strsize;
}

/* Bytes of strings one argv-like array may copy out of a tracee, whatever -s
 * and -v say: enough for any real command line, and a bound on the time a
 * hostile array can hold the single tracing loop. */
#define DC_STRV_BYTES_MAX (1u << 20)
#define DC_STRV_ELEMENTS_MAX 4096

struct av *dc_strv(struct dcall *c, const char *name, uint64_t addr)
{
	if (addr == 0)
		return unreadable_addr(c, name, addr);
	size_t max = dc_max_elements(c), n = 0;
	if (max > DC_STRV_ELEMENTS_MAX)
		max = DC_STRV_ELEMENTS_MAX;
	uint64_t ptr;
	/* count first, so the elements go into one array */
	while (n <= max) {
		if (!dc_read(c, addr + n * 8, &ptr, 8)) {
			if (n == 0)
				return unreadable_addr(c, name, addr);
			break;
		}
		if (ptr == 0)
			break;
		n++;
	}
	bool more = n > max || (n < max && ptr != 0);
	if (n > max)
		n = max;
	struct av *arr = dc_array(c, name, n);
	size_t bytes = 0;
	for (size_t i = 0; i < n; i++) {
		dc_read(c, addr + i * 8, &ptr, 8);
		av_set(&arr->items[i], dc_str(c, NULL, ptr), NULL);
		bytes += arr->items[i].len;
		if (bytes > DC_STRV_BYTES_MAX && i + 1 < n) {
			/* a huge -s times a huge hostile array: elide the rest */
			arr->nitems = i + 1;
			more = true;
			break;
		}
	}
	arr->more = more;
	arr->u = addr;
	return arr;
}

/* More than execve could ever take: the strings and pointers must fit in a
 * quarter of the stack rlimit (2 MiB by default, 9+ bytes an entry). A hostile
 * tracee's endless array stops here instead of stalling the trace. */
#define STRV_COUNT_MAX (1u << 18)

struct av *dc_strv_count(struct dcall *c, const char *name, uint64_t addr)
{
	struct av *v = av_addr(c->a, name, addr);
	v->i = -1;
	if (addr == 0 || !c->ctx->read)
		return v;
	uint64_t ptrs[512];
	size_t n = 0;
	bool unterminated = false, capped = false, done = false;
	/* a page of pointers per read, up to the page's end */
	while (!done) {
		uint64_t at = addr + n * 8;
		size_t want = (4096 - (size_t)(at % 4096)) / 8;
		if (want == 0 || want > 512)
			want = 512;
		ssize_t got = c->ctx->read(c->ctx->read_ctx, at, ptrs, want * 8);
		if (got < 8) {
			if (n == 0) {
				v->unreadable = true;
				return v;
			}
			unterminated = true;
			break;
		}
		for (size_t k = 0; k < (size_t)got / 8; k++, n++) {
			if (ptrs[k] == 0) {
				done = true;
				break;
			}
		}
		if (!done && n >= STRV_COUNT_MAX) {
			capped = true;
			break;
		}
	}
	v->i = (int64_t)n;
	v->comment = arena_printf(c->a, "%zu%s var%s%s", n, capped ? "+" : "", n == 1 ? "" : "s",
				  unterminated ? ", unterminated" : "");
	return v;
}

/* ---- values ---- */

struct av *dc_fd(struct dcall *c, const char *name, uint64_t v)
{
	struct av *r = av_int(c->a, name, (int32_t)v);
	r->kind = AV_FD;
	return r;
}

struct av *dc_dirfd(struct dcall *c, const char *name, uint64_t v)
{
	if ((int32_t)v == -100)
		return av_sym(c->a, name, "AT_FDCWD", (uint64_t)(int64_t)-100);
	return dc_fd(c, name, v);
}

struct av *dc_hexval(struct dcall *c, const char *name, uint64_t v)
{
	return av_hex(c->a, name, v);
}

struct av *dc_mode(struct dcall *c, const char *name, uint64_t v)
{
	struct av *r = av_uint(c->a, name, v);
	r->kind = AV_OCT;
	return r;
}

struct av *dc_umode(struct dcall *c, const char *name, uint64_t v)
{
	return dc_mode(c, name, (uint16_t)v);
}

struct av *dc_symbolic_mode(struct dcall *c, const char *name, uint32_t mode)
{
	const uint32_t ifmt = 0170000;
	const char *type = (mode & ifmt) ? xlat_name(&xl_file_types, mode & ifmt) : "";
	struct av *r = av_new(c->a, AV_RAW, name);
	if (!type) /* a type with no name: the whole mode in octal, as strace */
		r->str = arena_printf(c->a, "%#03o", mode);
	else
		r->str = arena_printf(c->a, "%s%s%s%s%s%#03o", type, type[0] ? "|" : "",
				      (mode & 04000) ? "S_ISUID|" : "", (mode & 02000) ? "S_ISGID|" : "",
				      (mode & 01000) ? "S_ISVTX|" : "", mode & ~(ifmt | 07000u));
	r->len = strlen(r->str);
	r->u = mode;
	return r;
}

struct av *dc_id(struct dcall *c, const char *name, uint64_t v)
{
	uint32_t id = (uint32_t)v;
	return id == UINT32_MAX ? av_int(c->a, name, -1) : av_uint(c->a, name, id);
}

struct av *dc_dev(struct dcall *c, const char *name, uint64_t dev)
{
	uint32_t major = (uint32_t)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffull));
	uint32_t minor = (uint32_t)((dev & 0xff) | ((dev >> 12) & ~0xffull));
	struct av *r = av_new(c->a, AV_RAW, name);
	r->str = arena_printf(c->a, "makedev(%#x, %#x)", major, minor);
	r->len = strlen(r->str);
	r->u = dev;
	return r;
}

/* O_RDONLY|O_CLOEXEC: the access mode is a value, the rest flags; strace
 * prints the mode first. */
struct av *dc_open_flags(struct dcall *c, const char *name, uint64_t v)
{
	uint32_t flags = (uint32_t)v;
	struct av *f = av_xflags(c->a, name, &xl_open_flags, flags & ~3u);
	f->u = flags;
	f->i = (int64_t)flags;
	f->comment = NULL;
	const char *acc = xlat_name(&xl_open_access, flags & 3u);
	const char **names = arena_alloc(c->a, (f->nnames + 1) * sizeof(*names));
	names[0] = acc;
	if (f->nnames)
		memcpy(names + 1, f->names, f->nnames * sizeof(*names));
	f->names = names;
	f->nnames++;
	return f;
}

struct av *dc_struct(struct dcall *c, const char *name, size_t n)
{
	struct av *s = av_new(c->a, AV_STRUCT, name);
	av_reserve(c->a, s, n);
	s->nitems = 0;
	return s;
}

void dc_field(struct av *s, const char *name, const struct av *v)
{
	av_set(&s->items[s->nitems++], v, name);
}

struct av *dc_array(struct dcall *c, const char *name, size_t n)
{
	struct av *s = av_new(c->a, AV_ARRAY, name);
	av_reserve(c->a, s, n);
	return s;
}
