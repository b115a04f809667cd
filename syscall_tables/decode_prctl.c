/* decode_prctl.c - prctl(2): every option the container stack uses decoded
 * like strace; the rest as strace prints them (option name, hex arguments). */
#include <linux/prctl.h>
#include <linux/seccomp.h>

#include "decode.h"

#define TASK_COMM_LEN 16

static const char *const argn[] = { "option", "arg2", "arg3", "arg4", "arg5" };

/* strace's print_prctl_args: the remaining arguments as hex. */
static void hex_args(struct dcall *c, unsigned first)
{
	for (unsigned i = first; i < 5; i++)
		dc_put(c, dc_hexval(c, argn[i], c->args[i]));
}

/* struct sock_fprog (see decode.h). */
struct av *dc_seccomp_fprog(struct dcall *c, const char *name, uint64_t addr)
{
	struct {
		uint16_t len;
		uint16_t pad[3];
		uint64_t filter;
	} fprog;
	if (!dc_read(c, addr, &fprog, sizeof(fprog))) {
		struct av *v = av_addr(c->a, name, addr);
		v->unreadable = addr != 0;
		return v;
	}
	struct av *s = dc_struct(c, name, 2);
	dc_field(s, "len", av_uint(c->a, NULL, fprog.len));
	dc_field(s, "filter", av_addr(c->a, NULL, fprog.filter));
	s->u = addr;
	return s;
}

static void prctl_entry(struct dcall *c)
{
	uint32_t option = (uint32_t)c->args[0];
	uint64_t arg2 = c->args[1], arg3 = c->args[2];
	dc_put(c, av_xval(c->a, "option", &xl_prctl_options, option));
	switch (option) {
	case PR_GET_KEEPCAPS:
	case PR_GET_SECCOMP:
	case PR_GET_TIMERSLACK:
	case PR_GET_TIMING:
	case PR_GET_DUMPABLE:
	case PR_GET_SECUREBITS:
	case PR_TASK_PERF_EVENTS_DISABLE:
	case PR_TASK_PERF_EVENTS_ENABLE:
		break;
	case PR_GET_CHILD_SUBREAPER:
	case PR_GET_ENDIAN:
	case PR_GET_FPEMU:
	case PR_GET_FPEXC:
	case PR_GET_NAME:
	case PR_GET_PDEATHSIG:
	case PR_GET_TID_ADDRESS:
		/* an out-pointer: its value is filled in at exit */
		dc_put(c, av_addr(c->a, "arg2", arg2));
		break;
	case PR_SET_CHILD_SUBREAPER:
	case PR_SET_ENDIAN:
	case PR_SET_FPEMU:
	case PR_SET_FPEXC:
	case PR_SET_KEEPCAPS:
	case PR_SET_TIMING:
		dc_put(c, av_uint(c->a, "arg2", arg2));
		break;
	case PR_SET_DUMPABLE:
		dc_put(c, av_xval(c->a, "arg2", &xl_pr_dumpable, arg2));
		break;
	case PR_CAPBSET_DROP:
	case PR_CAPBSET_READ:
		dc_put(c, av_xval(c->a, "arg2", &xl_caps, arg2));
		break;
	case PR_CAP_AMBIENT:
		dc_put(c, av_xval(c->a, "arg2", &xl_pr_cap_ambient, arg2));
		if (arg2 == PR_CAP_AMBIENT_RAISE || arg2 == PR_CAP_AMBIENT_LOWER ||
		    arg2 == PR_CAP_AMBIENT_IS_SET) {
			dc_put(c, av_xval(c->a, "arg3", &xl_caps, arg3));
			hex_args(c, 3);
		} else {
			hex_args(c, 2);
		}
		break;
	case PR_SET_NAME:
		dc_put(c, dc_strn0(c, "arg2", arg2, TASK_COMM_LEN - 1));
		break;
	case PR_SET_PDEATHSIG:
		dc_put(c, arg2 > 128 ? av_uint(c->a, "arg2", arg2) : av_signal(c->a, "arg2", arg2));
		break;
	case PR_SET_PTRACER:
		if ((int32_t)arg2 == -1)
			dc_put(c, av_sym(c->a, "arg2", "PR_SET_PTRACER_ANY", arg2));
		else
			dc_put(c, av_int(c->a, "arg2", (int32_t)arg2));
		break;
	case PR_SET_SECCOMP:
		dc_put(c, av_xval(c->a, "arg2", &xl_seccomp_mode, arg2));
		if (arg2 == SECCOMP_MODE_FILTER)
			dc_put(c, dc_seccomp_fprog(c, "arg3", arg3));
		else if (arg2 != SECCOMP_MODE_STRICT)
			hex_args(c, 2);
		break;
	case PR_SET_SECUREBITS:
		dc_put(c, av_xflags(c->a, "arg2", &xl_secbits, arg2));
		break;
	case PR_SET_TIMERSLACK:
		dc_put(c, av_int(c->a, "arg2", (int64_t)arg2));
		break;
	case PR_SET_NO_NEW_PRIVS:
	case PR_SET_THP_DISABLE:
	case PR_SET_IO_FLUSHER:
		dc_put(c, av_uint(c->a, "arg2", arg2));
		hex_args(c, 2);
		break;
	default:
		hex_args(c, 1);
		break;
	}
}

static void prctl_exit(struct dcall *c)
{
	uint32_t option = (uint32_t)c->args[0];
	uint64_t arg2 = c->args[1];
	struct av *slot = dc_arg(c, "arg2");
	switch (option) {
	case PR_GET_CHILD_SUBREAPER:
	case PR_GET_ENDIAN:
	case PR_GET_FPEMU:
	case PR_GET_FPEXC: {
		struct av *v = dc_int_ptr(c, NULL, arg2);
		if (v->kind == AV_ARRAY)
			v->items[0].kind = AV_UINT, v->items[0].i = (uint32_t)v->items[0].i;
		dc_replace(slot, v);
		break;
	}
	case PR_GET_NAME:
		if (!c->failed)
			dc_replace(slot, dc_strn0(c, NULL, arg2, TASK_COMM_LEN));
		break;
	case PR_GET_PDEATHSIG: {
		struct av *v = dc_int_ptr(c, NULL, arg2);
		if (v->kind == AV_ARRAY)
			av_set(&v->items[0], av_signal(c->a, NULL, (uint32_t)v->items[0].i), NULL);
		dc_replace(slot, v);
		break;
	}
	case PR_GET_TID_ADDRESS: {
		uint64_t p;
		if (!c->failed && dc_read(c, arg2, &p, sizeof(p))) {
			struct av *arr = dc_array(c, NULL, 1);
			av_set(&arr->items[0], av_addr(c->a, NULL, p), NULL);
			dc_replace(slot, arr);
		}
		break;
	}
	case PR_GET_DUMPABLE:
		if (!c->failed) {
			c->list->ret = av_int(c->a, NULL, c->ret);
			c->list->ret->comment = xlat_name(&xl_pr_dumpable, (uint64_t)c->ret);
		}
		break;
	case PR_GET_SECUREBITS:
		if (!c->failed && c->ret != 0) {
			struct av *f = av_xflags(c->a, NULL, &xl_secbits, (uint64_t)c->ret);
			/* "= 0x2f (SECBIT_NOROOT|...)": the names go in the comment */
			struct av *r = av_hex(c->a, NULL, (uint64_t)c->ret);
			r->comment = av_flags_text(c->a, f);
			c->list->ret = r;
		}
		break;
	default:
		break;
	}
}

const struct decoder decoders_prctl[] = {
	{ "prctl", prctl_entry, prctl_exit },
	{ NULL, NULL, NULL },
};
