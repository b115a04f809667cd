/* decode_bpf.c - bpf(2) the way strace 6 prints the commands a container
 * runtime uses: the cgroup device filter (BPF_PROG_LOAD of a
 * BPF_PROG_TYPE_CGROUP_DEVICE program, then BPF_PROG_ATTACH or
 * BPF_LINK_CREATE, BPF_PROG_QUERY, BPF_PROG_DETACH), maps and pinning.
 *
 * union bpf_attr grew field by field over kernel releases, and callers pass
 * the size they know. Like strace, a field that arrived in a later release
 * (`since`) is shown only when the size given covers its offset, bytes past
 * the last known field are "..." when any is non-zero, and other commands
 * leave the attribute an address.
 */
#include <linux/bpf.h>
#include <string.h>

#include "decode.h"

enum bpf_kind {
	BK_U32,	    /* decimal */
	BK_U64,	    /* decimal */
	BK_FD,	    /* int fd */
	BK_XVAL,    /* u32 named by x */
	BK_FLAGS,   /* u32 flags of x */
	BK_ADDR,    /* u64 pointer shown as an address */
	BK_STR,	    /* u64 pointer to a NUL-terminated string, -s limited */
	BK_PATH,    /* u64 pointer to a path */
	BK_LOGBUF,  /* u64 pointer to a string of at most log_size (the u32 at +off-4) */
	BK_NAME16,  /* char[16] inside the attribute */
	BK_KVER,    /* u32 KERNEL_VERSION(a, b, c) */
	BK_NUMA,    /* u32, only with BPF_F_NUMA_NODE in map_flags (the u32 at 16) */
};

struct bpf_field {
	const char *name;
	uint16_t off;
	uint8_t kind;
	bool since; /* added by a later kernel: shown only when the size covers it */
	const struct xlat *x;
};

struct bpf_layout {
	uint32_t cmd;
	const char *wrap;   /* the fields sit in a named sub-struct: query={...} */
	uint16_t attr_size; /* the struct strace knows for the command */
	const struct bpf_field *fields;
	size_t nfields;
};

#define F(name, off, kind) { name, off, kind, false, NULL }
#define FX(name, off, kind, x) { name, off, kind, false, x }
#define S(name, off, kind) { name, off, kind, true, NULL }
#define SX(name, off, kind, x) { name, off, kind, true, x }
#define LAYOUT(cmd, wrap, size, fields) { cmd, wrap, size, fields, sizeof(fields) / sizeof(fields[0]) }

static const struct bpf_field map_create[] = {
	FX("map_type", 0, BK_XVAL, &xl_bpf_map_types),
	F("key_size", 4, BK_U32),
	F("value_size", 8, BK_U32),
	F("max_entries", 12, BK_U32),
	SX("map_flags", 16, BK_FLAGS, &xl_bpf_map_flags),
	S("inner_map_fd", 20, BK_FD),
	S("numa_node", 24, BK_NUMA),
	S("map_name", 28, BK_NAME16),
	S("map_ifindex", 44, BK_U32),
	S("btf_fd", 48, BK_FD),
	F("btf_key_type_id", 52, BK_U32),
	F("btf_value_type_id", 56, BK_U32),
	S("btf_vmlinux_value_type_id", 60, BK_U32),
	S("map_extra", 64, BK_U64),
};

static const struct bpf_field prog_load[] = {
	FX("prog_type", 0, BK_XVAL, &xl_bpf_prog_types),
	F("insn_cnt", 4, BK_U32),
	F("insns", 8, BK_ADDR),
	F("license", 16, BK_STR),
	S("log_level", 24, BK_U32),
	F("log_size", 28, BK_U32),
	F("log_buf", 32, BK_LOGBUF),
	S("kern_version", 40, BK_KVER),
	SX("prog_flags", 44, BK_FLAGS, &xl_bpf_prog_flags),
	S("prog_name", 48, BK_NAME16),
	S("prog_ifindex", 64, BK_U32),
	SX("expected_attach_type", 68, BK_XVAL, &xl_bpf_attach_type),
	S("prog_btf_fd", 72, BK_FD),
	F("func_info_rec_size", 76, BK_U32),
	F("func_info", 80, BK_ADDR),
	F("func_info_cnt", 88, BK_U32),
	F("line_info_rec_size", 92, BK_U32),
	F("line_info", 96, BK_ADDR),
	F("line_info_cnt", 104, BK_U32),
	S("attach_btf_id", 108, BK_U32),
	S("attach_prog_fd", 112, BK_FD),
	S("fd_array", 120, BK_ADDR),
};

static const struct bpf_field obj_pin[] = {
	F("pathname", 0, BK_PATH),
	F("bpf_fd", 8, BK_FD),
	SX("file_flags", 12, BK_FLAGS, &xl_bpf_file_mode_flags),
};

static const struct bpf_field prog_attach[] = {
	F("target_fd", 0, BK_FD),
	F("attach_bpf_fd", 4, BK_FD),
	FX("attach_type", 8, BK_XVAL, &xl_bpf_attach_type),
	FX("attach_flags", 12, BK_FLAGS, &xl_bpf_attach_flags),
	S("replace_bpf_fd", 16, BK_FD),
};

static const struct bpf_field prog_detach[] = {
	F("target_fd", 0, BK_FD),
	FX("attach_type", 8, BK_XVAL, &xl_bpf_attach_type),
};

/* prog_ids and prog_cnt are completed at exit (bpf_exit). */
static const struct bpf_field prog_query[] = {
	F("target_fd", 0, BK_FD),
	FX("attach_type", 4, BK_XVAL, &xl_bpf_attach_type),
	FX("query_flags", 8, BK_FLAGS, &xl_bpf_query_flags),
	FX("attach_flags", 12, BK_FLAGS, &xl_bpf_attach_flags),
	F("prog_ids", 16, BK_ADDR),
	F("prog_cnt", 24, BK_U32),
};

static const struct bpf_field link_create[] = {
	F("prog_fd", 0, BK_FD),
	F("target_fd", 4, BK_FD),
	FX("attach_type", 8, BK_XVAL, &xl_bpf_attach_type),
	F("flags", 12, BK_U32),
};

static const struct bpf_field prog_get_fd_by_id[] = {
	F("prog_id", 0, BK_U32),
	F("next_id", 4, BK_U32),
	SX("open_flags", 8, BK_FLAGS, &xl_bpf_file_mode_flags),
};

static const struct bpf_field map_get_fd_by_id[] = {
	F("map_id", 0, BK_U32),
	F("next_id", 4, BK_U32),
	SX("open_flags", 8, BK_FLAGS, &xl_bpf_file_mode_flags),
};

static const struct bpf_layout layouts[] = {
	LAYOUT(BPF_MAP_CREATE, NULL, 72, map_create),
	LAYOUT(BPF_PROG_LOAD, NULL, 128, prog_load),
	LAYOUT(BPF_OBJ_PIN, NULL, 16, obj_pin),
	LAYOUT(BPF_OBJ_GET, NULL, 16, obj_pin),
	LAYOUT(BPF_PROG_ATTACH, NULL, 20, prog_attach),
	LAYOUT(BPF_PROG_DETACH, NULL, 12, prog_detach),
	LAYOUT(BPF_PROG_QUERY, "query", 28, prog_query),
	LAYOUT(BPF_LINK_CREATE, "link_create", 16, link_create),
	LAYOUT(BPF_PROG_GET_FD_BY_ID, NULL, 12, prog_get_fd_by_id),
	LAYOUT(BPF_MAP_GET_FD_BY_ID, NULL, 12, map_get_fd_by_id),
};

static const struct bpf_layout *layout_of(uint32_t cmd)
{
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (layouts[i].cmd == cmd)
			return &layouts[i];
	return NULL;
}

/* strace reads at most a page of the attribute. */
#define BPF_ATTR_MAX 4096

struct attr_copy {
	unsigned char known[256]; /* the first `len` bytes, zero after: what fields see */
	bool extra;		  /* non-zero bytes past the known struct */
};

static bool read_attr(struct dcall *c, const struct bpf_layout *l, struct attr_copy *ac)
{
	uint64_t addr = c->args[1];
	size_t size = (uint32_t)c->args[2] < BPF_ATTR_MAX ? (uint32_t)c->args[2] : BPF_ATTR_MAX;
	unsigned char *buf = arena_alloc(c->a, size ? size : 1);
	if (!size || !dc_read(c, addr, buf, size))
		return false;
	size_t len = size < l->attr_size ? size : l->attr_size;
	memset(ac, 0, sizeof(*ac));
	memcpy(ac->known, buf, len);
	for (size_t i = l->attr_size; i < size; i++)
		if (buf[i]) {
			ac->extra = true;
			break;
		}
	return true;
}

static uint32_t u32_at(const struct attr_copy *ac, size_t off)
{
	uint32_t v;
	memcpy(&v, ac->known + off, sizeof(v));
	return v;
}

static uint64_t u64_at(const struct attr_copy *ac, size_t off)
{
	uint64_t v;
	memcpy(&v, ac->known + off, sizeof(v));
	return v;
}

static struct av *field_value(struct dcall *c, const struct bpf_field *f, const struct attr_copy *ac)
{
	uint32_t v32 = u32_at(ac, f->off);
	switch (f->kind) {
	case BK_U32:
	case BK_NUMA:
		return av_uint(c->a, NULL, v32);
	case BK_U64:
		return av_uint(c->a, NULL, u64_at(ac, f->off));
	case BK_FD:
		return dc_fd(c, NULL, v32);
	case BK_XVAL:
		return av_xval(c->a, NULL, f->x, v32);
	case BK_FLAGS:
		return av_xflags(c->a, NULL, f->x, v32);
	case BK_ADDR:
		return av_addr(c->a, NULL, u64_at(ac, f->off));
	case BK_STR:
		return dc_str(c, NULL, u64_at(ac, f->off));
	case BK_PATH:
		return dc_path(c, NULL, u64_at(ac, f->off));
	case BK_LOGBUF:
		return dc_strn0(c, NULL, u64_at(ac, f->off), u32_at(ac, f->off - 4));
	case BK_NAME16: {
		const char *s = (const char *)ac->known + f->off;
		size_t n = strnlen(s, 16);
		return av_str(c->a, NULL, s, n, n == 16);
	}
	case BK_KVER: {
		struct av *r = av_new(c->a, AV_RAW, NULL);
		r->str = arena_printf(c->a, "KERNEL_VERSION(%u, %u, %u)", v32 >> 16, (v32 >> 8) & 0xff,
				      v32 & 0xff);
		r->len = strlen(r->str);
		r->u = v32;
		return r;
	}
	}
	return av_uint(c->a, NULL, v32);
}

static struct av *attr_struct(struct dcall *c, const struct bpf_layout *l,
			      const struct attr_copy *ac)
{
	size_t size = (uint32_t)c->args[2], len = size < l->attr_size ? size : l->attr_size;
	struct av *s = dc_struct(c, l->wrap ? NULL : "attr", l->nfields + 1);
	for (size_t i = 0; i < l->nfields; i++) {
		const struct bpf_field *f = &l->fields[i];
		if (f->since && len <= f->off)
			break;
		if (f->kind == BK_NUMA && !(u32_at(ac, 16) & 4 /* BPF_F_NUMA_NODE */))
			continue;
		dc_field(s, f->name, field_value(c, f, ac));
	}
	if (!l->wrap) {
		s->more = ac->extra;
		return s;
	}
	struct av *outer = dc_struct(c, "attr", 1);
	dc_field(outer, l->wrap, s);
	outer->more = ac->extra;
	return outer;
}

static void bpf_entry(struct dcall *c)
{
	uint32_t cmd = (uint32_t)c->args[0];
	uint64_t addr = c->args[1];
	dc_put(c, av_xval(c->a, "cmd", &xl_bpf_cmds, cmd));
	const struct bpf_layout *l = layout_of(cmd);
	struct attr_copy ac;
	if (l && read_attr(c, l, &ac)) {
		struct av *s = attr_struct(c, l, &ac);
		s->u = addr;
		dc_put(c, s);
	} else {
		struct av *v = dc_put(c, av_addr(c->a, "attr", addr));
		v->unreadable = l && addr;
	}
	dc_put(c, av_uint(c->a, "size", (uint32_t)c->args[2]));
}

/* BPF_PROG_QUERY: the kernel wrote the ids and their count. */
static void bpf_exit(struct dcall *c)
{
	const struct bpf_layout *l = layout_of((uint32_t)c->args[0]);
	struct av *attr = dc_arg(c, "attr");
	struct attr_copy ac;
	if (!l || l->cmd != BPF_PROG_QUERY || !attr || attr->kind != AV_STRUCT ||
	    !read_attr(c, l, &ac))
		return;
	struct av *q = &attr->items[0];
	uint32_t cnt_in = 0;
	for (size_t i = 0; i < q->nitems; i++)
		if (strcmp(q->items[i].name, "prog_cnt") == 0)
			cnt_in = (uint32_t)q->items[i].u;
	/* strace 6 shows as many ids as the kernel counted */
	uint32_t cnt_out = u32_at(&ac, 24), n = cnt_out;
	uint64_t ids = u64_at(&ac, 16);
	for (size_t i = 0; i < q->nitems; i++) {
		struct av *f = &q->items[i];
		if (strcmp(f->name, "prog_ids") == 0 && ids) {
			size_t shown = n < dc_max_elements(c) ? n : dc_max_elements(c);
			uint32_t *v = arena_alloc(c->a, (shown ? shown : 1) * sizeof(*v));
			if (shown && !dc_read(c, ids, v, shown * sizeof(*v)))
				continue;
			struct av *arr = dc_array(c, NULL, shown);
			for (size_t k = 0; k < shown; k++)
				av_set(&arr->items[k], av_uint(c->a, NULL, v[k]), NULL);
			arr->more = shown < n;
			arr->u = ids;
			dc_replace(f, arr);
		} else if (strcmp(f->name, "prog_cnt") == 0 && cnt_out != cnt_in) {
			f->out = av_uint(c->a, NULL, cnt_out);
		}
	}
	attr->more = ac.extra;
}

const struct decoder decoders_bpf[] = {
	{ "bpf", bpf_entry, bpf_exit },
	{ NULL, NULL, NULL },
};
