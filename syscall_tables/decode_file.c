/* decode_file.c - openat, openat2, write, mknodat, symlinkat, memfd_create,
 * sethostname, setdomainname. */
#include <string.h>

#include "decode.h"

#define O_CREAT_K 0100
#define O_TMPFILE_BIT 020000000

/* The mode argument only means something when a file may be created. */
static void openat_entry(struct dcall *c)
{
	uint32_t flags = (uint32_t)c->args[2];
	dc_put(c, dc_dirfd(c, "dirfd", c->args[0]));
	dc_put(c, dc_path(c, "pathname", c->args[1]));
	dc_put(c, dc_open_flags(c, "flags", flags));
	if (flags & (O_CREAT_K | O_TMPFILE_BIT))
		dc_put(c, dc_mode(c, "mode", c->args[3] & 07777));
}

struct open_how_v0 {
	uint64_t flags, mode, resolve;
};

static void openat2_entry(struct dcall *c)
{
	uint64_t addr = c->args[2], size = c->args[3];
	struct open_how_v0 how;
	dc_put(c, dc_dirfd(c, "dirfd", c->args[0]));
	dc_put(c, dc_path(c, "pathname", c->args[1]));
	if (size < sizeof(how)) {
		dc_put(c, av_addr(c->a, "how", addr));
	} else if (!dc_read(c, addr, &how, sizeof(how))) {
		struct av *v = dc_put(c, av_addr(c->a, "how", addr));
		v->unreadable = addr != 0;
	} else {
		struct av *s = dc_struct(c, "how", 3);
		dc_field(s, "flags", dc_open_flags(c, NULL, how.flags));
		if ((how.flags & (O_CREAT_K | O_TMPFILE_BIT)) || how.mode)
			dc_field(s, "mode", dc_mode(c, NULL, how.mode));
		dc_field(s, "resolve", av_xflags(c->a, NULL, &xl_resolve_flags, how.resolve));
		s->u = addr;
		dc_put(c, s);
	}
	dc_put(c, av_uint(c->a, "size", size));
}

static void write_entry(struct dcall *c)
{
	dc_put(c, dc_fd(c, "fd", c->args[0]));
	dc_put(c, dc_buf(c, "buf", c->args[1], c->args[2]));
	dc_put(c, av_uint(c->a, "count", c->args[2]));
}

static void mknodat_entry(struct dcall *c)
{
	uint32_t mode = (uint32_t)c->args[2];
	dc_put(c, dc_dirfd(c, "dirfd", c->args[0]));
	dc_put(c, dc_path(c, "pathname", c->args[1]));
	dc_put(c, dc_symbolic_mode(c, "mode", mode));
	uint32_t type = mode & 0170000;
	if (type == 0020000 || type == 0060000) {
		/* the kernel's new_decode_dev: 12 bits of major, 20 of minor */
		uint32_t dev = (uint32_t)c->args[3];
		uint32_t major = (dev & 0xfff00) >> 8;
		uint32_t minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
		struct av *r = av_new(c->a, AV_RAW, "dev");
		r->str = arena_printf(c->a, "makedev(%#x, %#x)", major, minor);
		r->len = strlen(r->str);
		r->u = c->args[3];
		dc_put(c, r);
	}
}

static void symlinkat_entry(struct dcall *c)
{
	/* stored text, not resolved now (see decode_path.c, symlink) */
	dc_put(c, dc_cstr(c, "target", c->args[0], DC_PATH_MAX));
	dc_put(c, dc_dirfd(c, "newdirfd", c->args[1]));
	dc_put(c, dc_path(c, "linkpath", c->args[2]));
}

#define MFD_NAME_MAX_LEN 249
#define MFD_HUGE_SHIFT 26

static void memfd_create_entry(struct dcall *c)
{
	uint32_t flags = (uint32_t)c->args[1];
	dc_put(c, dc_strn0(c, "name", c->args[0], MFD_NAME_MAX_LEN + 1));
	struct av *f = av_xflags(c->a, "flags", &xl_memfd_flags, flags & ((1u << MFD_HUGE_SHIFT) - 1));
	if (flags >> MFD_HUGE_SHIFT) {
		av_flags_append(c->a, f, arena_printf(c->a, "%u<<MFD_HUGE_SHIFT", flags >> MFD_HUGE_SHIFT));
		f->comment = NULL;
	}
	f->u = flags;
	dc_put(c, f);
}

static void sethostname_entry(struct dcall *c)
{
	dc_put(c, dc_buf(c, "name", c->args[0], c->args[1]));
	dc_put(c, av_uint(c->a, "len", c->args[1]));
}

const struct decoder decoders_file[] = {
	{ "openat", openat_entry, NULL },
	{ "openat2", openat2_entry, NULL },
	{ "write", write_entry, NULL },
	{ "mknodat", mknodat_entry, NULL },
	{ "symlinkat", symlinkat_entry, NULL },
	{ "memfd_create", memfd_create_entry, NULL },
	{ "sethostname", sethostname_entry, NULL },
	{ "setdomainname", sethostname_entry, NULL },
	{ NULL, NULL, NULL },
};
