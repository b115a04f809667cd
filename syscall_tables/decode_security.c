/* decode_security.c - seccomp, keyctl, setrlimit/prlimit64 (bpf: decode_bpf.c). */
#include <linux/keyctl.h>
#include <linux/seccomp.h>

#include <string.h>

#include "decode.h"

static void seccomp_entry(struct dcall *c)
{
	uint32_t op = (uint32_t)c->args[0], flags = (uint32_t)c->args[1];
	uint64_t addr = c->args[2];
	dc_put(c, av_xval(c->a, "operation", &xl_seccomp_ops, op));
	switch (op) {
	case SECCOMP_SET_MODE_FILTER:
		dc_put(c, av_xflags(c->a, "flags", &xl_seccomp_filter_flags, flags));
		dc_put(c, dc_seccomp_fprog(c, "args", addr));
		break;
	case SECCOMP_GET_ACTION_AVAIL: {
		dc_put(c, av_hex(c->a, "flags", flags));
		uint32_t act;
		if (dc_read(c, addr, &act, sizeof(act))) {
			struct av *arr = dc_array(c, "args", 1);
			av_set(&arr->items[0], av_xval(c->a, NULL, &xl_seccomp_ret_action, act), NULL);
			dc_put(c, arr);
		} else {
			struct av *v = dc_put(c, av_addr(c->a, "args", addr));
			v->unreadable = addr != 0;
		}
		break;
	}
	default:
		/* SECCOMP_GET_NOTIF_SIZES fills args at exit */
		dc_put(c, av_hex(c->a, "flags", flags));
		dc_put(c, av_addr(c->a, "args", addr));
		break;
	}
}

/* struct seccomp_notif_sizes, what the kernel wrote for GET_NOTIF_SIZES. */
static void seccomp_exit(struct dcall *c)
{
	struct av *slot = dc_arg(c, "args");
	uint16_t sz[3];
	if ((uint32_t)c->args[0] != SECCOMP_GET_NOTIF_SIZES || !slot || c->failed ||
	    !dc_read(c, c->args[2], sz, sizeof(sz)))
		return;
	struct av *s = dc_struct(c, NULL, 3);
	dc_field(s, "seccomp_notif", av_uint(c->a, NULL, sz[0]));
	dc_field(s, "seccomp_notif_resp", av_uint(c->a, NULL, sz[1]));
	dc_field(s, "seccomp_data", av_uint(c->a, NULL, sz[2]));
	s->u = c->args[2];
	dc_replace(slot, s);
}

/* Key serials: the special keyrings by name, others as plain decimal. */
static struct av *key_serial(struct dcall *c, const char *name, uint64_t v)
{
	int32_t serial = (int32_t)v;
	const char *s = xlat_name(&xl_key_spec, (uint64_t)(int64_t)serial);
	return s ? av_sym(c->a, name, s, (uint64_t)(int64_t)serial) : av_int(c->a, name, serial);
}

static const char *const kargn[] = { "operation", "arg2", "arg3", "arg4", "arg5" };

static void keyctl_entry(struct dcall *c)
{
	uint32_t op = (uint32_t)c->args[0];
	dc_put(c, av_xval(c->a, "operation", &xl_keyctl_cmds, op));
	switch (op) {
	case KEYCTL_GET_KEYRING_ID:
		dc_put(c, key_serial(c, "arg2", c->args[1]));
		dc_put(c, av_int(c->a, "arg3", (int32_t)c->args[2]));
		break;
	case KEYCTL_JOIN_SESSION_KEYRING:
		dc_put(c, dc_str(c, "arg2", c->args[1]));
		break;
	case KEYCTL_REVOKE:
	case KEYCTL_CLEAR:
	case KEYCTL_INVALIDATE:
	case KEYCTL_ASSUME_AUTHORITY:
		dc_put(c, key_serial(c, "arg2", c->args[1]));
		break;
	case KEYCTL_SETPERM:
		dc_put(c, key_serial(c, "arg2", c->args[1]));
		dc_put(c, av_xflags(c->a, "arg3", &xl_key_perms, (uint32_t)c->args[2]));
		break;
	case KEYCTL_LINK:
	case KEYCTL_UNLINK:
		dc_put(c, key_serial(c, "arg2", c->args[1]));
		dc_put(c, key_serial(c, "arg3", c->args[2]));
		break;
	case KEYCTL_SESSION_TO_PARENT:
		break;
	case KEYCTL_DESCRIBE:
	case KEYCTL_READ:
	case KEYCTL_GET_SECURITY:
		/* the buffer is filled in at exit */
		dc_put(c, key_serial(c, "arg2", c->args[1]));
		dc_put(c, av_addr(c->a, "arg3", c->args[2]));
		dc_put(c, av_uint(c->a, "arg4", c->args[3]));
		break;
	default:
		for (unsigned i = 1; i < 5; i++)
			dc_put(c, dc_hexval(c, kargn[i], c->args[i]));
		break;
	}
}

/* The key description or payload the kernel copied out: at most buflen of the
 * returned length; descriptions end with a NUL that strace does not show. */
static void keyctl_exit(struct dcall *c)
{
	uint32_t op = (uint32_t)c->args[0];
	if (op != KEYCTL_DESCRIBE && op != KEYCTL_READ && op != KEYCTL_GET_SECURITY)
		return;
	struct av *slot = dc_arg(c, "arg3");
	if (!slot || c->failed)
		return;
	uint64_t addr = c->args[2], buflen = c->args[3];
	uint64_t len = c->ret >= 0 && (uint64_t)c->ret > buflen ? buflen : (uint64_t)c->ret;
	size_t n = len < c->ctx->strsize ? (size_t)len : c->ctx->strsize;
	char *buf = arena_alloc(c->a, n + 1);
	if (n && !dc_read(c, addr, buf, n))
		return;
	if (op != KEYCTL_READ && n && buf[n - 1] == '\0')
		n--;
	struct av *v = av_str(c->a, NULL, buf, n, len > c->ctx->strsize);
	v->u = addr;
	dc_replace(slot, v);
}

/* "4*1024" for multiples of 1024, as strace shortens limits. */
static struct av *rlim_value(struct dcall *c, uint64_t v)
{
	if (v == UINT64_MAX)
		return av_sym(c->a, NULL, "RLIM64_INFINITY", v);
	if (v > 1024 && v % 1024 == 0) {
		struct av *r = av_new(c->a, AV_RAW, NULL);
		r->str = arena_printf(c->a, "%llu*1024", (unsigned long long)(v / 1024));
		r->len = strlen(r->str);
		r->u = v;
		return r;
	}
	return av_uint(c->a, NULL, v);
}

static struct av *rlimit_struct(struct dcall *c, const char *name, uint64_t addr)
{
	uint64_t lim[2];
	if (c->failed || addr == 0)
		return av_addr(c->a, name, addr);
	if (!dc_read(c, addr, lim, sizeof(lim))) {
		struct av *v = av_addr(c->a, name, addr);
		v->unreadable = true;
		return v;
	}
	struct av *s = dc_struct(c, name, 2);
	dc_field(s, "rlim_cur", rlim_value(c, lim[0]));
	dc_field(s, "rlim_max", rlim_value(c, lim[1]));
	s->u = addr;
	return s;
}

static void setrlimit_entry(struct dcall *c)
{
	dc_put(c, av_xval(c->a, "resource", &xl_rlimits, (uint32_t)c->args[0]));
	dc_put(c, rlimit_struct(c, "rlim", c->args[1]));
}

static void prlimit64_entry(struct dcall *c)
{
	dc_put(c, av_int(c->a, "pid", (int32_t)c->args[0]));
	dc_put(c, av_xval(c->a, "resource", &xl_rlimits, (uint32_t)c->args[1]));
	dc_put(c, rlimit_struct(c, "new_limit", c->args[2]));
	dc_put(c, av_addr(c->a, "old_limit", c->args[3]));
}

static void prlimit64_exit(struct dcall *c)
{
	struct av *slot = dc_arg(c, "old_limit");
	if (slot && c->args[3])
		dc_replace(slot, rlimit_struct(c, NULL, c->args[3]));
}

const struct decoder decoders_security[] = {
	{ "seccomp", seccomp_entry, seccomp_exit },
	{ "keyctl", keyctl_entry, keyctl_exit },
	{ "setrlimit", setrlimit_entry, NULL },
	{ "prlimit64", prlimit64_entry, prlimit64_exit },
	{ NULL, NULL, NULL },
};
