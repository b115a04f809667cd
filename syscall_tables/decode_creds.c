/* decode_creds.c - set*id, setgroups, setsid, capget and capset. */
#include <linux/capability.h>

#include "decode.h"

static void setuid_entry(struct dcall *c)
{
	dc_put(c, dc_id(c, "uid", c->args[0]));
}

static void setgid_entry(struct dcall *c)
{
	dc_put(c, dc_id(c, "gid", c->args[0]));
}

static void setresuid_entry(struct dcall *c)
{
	dc_put(c, dc_id(c, "ruid", c->args[0]));
	dc_put(c, dc_id(c, "euid", c->args[1]));
	dc_put(c, dc_id(c, "suid", c->args[2]));
}

static void setresgid_entry(struct dcall *c)
{
	dc_put(c, dc_id(c, "rgid", c->args[0]));
	dc_put(c, dc_id(c, "egid", c->args[1]));
	dc_put(c, dc_id(c, "sgid", c->args[2]));
}

static void setreuid_entry(struct dcall *c)
{
	dc_put(c, dc_id(c, "ruid", c->args[0]));
	dc_put(c, dc_id(c, "euid", c->args[1]));
}

static void setregid_entry(struct dcall *c)
{
	dc_put(c, dc_id(c, "rgid", c->args[0]));
	dc_put(c, dc_id(c, "egid", c->args[1]));
}

#define NGROUPS_MAX_KERNEL 65536

/* gid_t list[size]: at most -s elements (all with -v), then "...". */
static struct av *gid_array(struct dcall *c, const char *name, uint32_t n, uint64_t addr)
{
	if (n > NGROUPS_MAX_KERNEL || addr == 0)
		return av_addr(c->a, name, addr);
	size_t max = dc_max_elements(c), shown = n < max ? n : max;
	struct av *arr = dc_array(c, name, shown);
	for (size_t i = 0; i < shown; i++) {
		uint32_t g;
		if (!dc_read(c, addr + i * 4, &g, 4)) {
			if (i == 0) {
				struct av *v = av_addr(c->a, name, addr);
				v->unreadable = true;
				return v;
			}
			arr->nitems = i;
			arr->more = true;
			return arr;
		}
		av_set(&arr->items[i], dc_id(c, NULL, g), NULL);
	}
	arr->more = shown < n;
	arr->u = addr;
	return arr;
}

static void setgroups_entry(struct dcall *c)
{
	uint32_t n = (uint32_t)c->args[0];
	dc_put(c, av_int(c->a, "size", (int32_t)n));
	dc_put(c, gid_array(c, "list", n, c->args[1]));
}

static void noargs(struct dcall *c)
{
	(void)c;
}

struct cap_header {
	uint32_t version;
	int32_t pid;
};
struct cap_data {
	uint32_t effective, permitted, inheritable;
};

/* "1<<CAP_CHOWN|1<<CAP_KILL": the 64-bit set of both data words. */
static struct av *cap_set(struct dcall *c, uint32_t lo, uint32_t hi)
{
	return av_xflags(c->a, NULL, &xl_cap_mask, (uint64_t)hi << 32 | lo);
}

static bool read_cap_header(struct dcall *c, struct cap_header *h)
{
	return dc_read(c, c->args[0], h, sizeof(*h));
}

static struct av *cap_header_value(struct dcall *c, const struct cap_header *h, bool ok)
{
	if (!ok)
		return av_addr(c->a, "hdrp", c->args[0]);
	struct av *s = dc_struct(c, "hdrp", 2);
	dc_field(s, "version", av_xval(c->a, NULL, &xl_cap_versions, h->version));
	dc_field(s, "pid", av_int(c->a, NULL, h->pid));
	s->u = c->args[0];
	return s;
}

static struct av *cap_data_value(struct dcall *c, const struct cap_header *h, bool ok)
{
	uint64_t addr = c->args[1];
	if (!ok || addr == 0)
		return av_addr(c->a, "datap", addr);
	size_t n = (h->version == _LINUX_CAPABILITY_VERSION_2 ||
		    h->version == _LINUX_CAPABILITY_VERSION_3)
			   ? 2
			   : 1;
	struct cap_data d[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
	if (!dc_read(c, addr, d, n * sizeof(d[0]))) {
		struct av *v = av_addr(c->a, "datap", addr);
		v->unreadable = true;
		return v;
	}
	struct av *s = dc_struct(c, "datap", 3);
	dc_field(s, "effective", cap_set(c, d[0].effective, d[1].effective));
	dc_field(s, "permitted", cap_set(c, d[0].permitted, d[1].permitted));
	dc_field(s, "inheritable", cap_set(c, d[0].inheritable, d[1].inheritable));
	s->u = addr;
	return s;
}

static void capset_entry(struct dcall *c)
{
	struct cap_header h;
	bool ok = c->args[0] && read_cap_header(c, &h);
	dc_put(c, cap_header_value(c, &h, ok));
	dc_put(c, cap_data_value(c, &h, ok));
}

static void capget_entry(struct dcall *c)
{
	struct cap_header h;
	bool ok = c->args[0] && read_cap_header(c, &h);
	dc_put(c, cap_header_value(c, &h, ok));
	dc_put(c, av_addr(c->a, "datap", c->args[1]));
}

static void capget_exit(struct dcall *c)
{
	struct cap_header h;
	bool ok = !c->failed && c->args[0] && read_cap_header(c, &h);
	struct av *slot = dc_arg(c, "datap");
	if (slot)
		dc_replace(slot, cap_data_value(c, &h, ok));
}

const struct decoder decoders_creds[] = {
	{ "setuid", setuid_entry, NULL },
	{ "setgid", setgid_entry, NULL },
	{ "setfsuid", setuid_entry, NULL },
	{ "setfsgid", setgid_entry, NULL },
	{ "setresuid", setresuid_entry, NULL },
	{ "setresgid", setresgid_entry, NULL },
	{ "setreuid", setreuid_entry, NULL },
	{ "setregid", setregid_entry, NULL },
	{ "setgroups", setgroups_entry, NULL },
	{ "setsid", noargs, NULL },
	{ "getuid", noargs, NULL },
	{ "geteuid", noargs, NULL },
	{ "getgid", noargs, NULL },
	{ "getegid", noargs, NULL },
	{ "capset", capset_entry, NULL },
	{ "capget", capget_entry, capget_exit },
	{ NULL, NULL, NULL },
};
