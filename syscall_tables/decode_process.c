/* decode_process.c - clone, clone3, fork, vfork, execve, execveat, exit, and the
 * rest of %process strace users read: wait4, kill, tkill, tgkill, pidfd_*. */
#include <linux/sched.h>
#include <stddef.h>
#include <string.h>

#include "decode.h"

#define CSIGNAL_MASK 0xffull

/* clone(2)'s flags argument carries the exit signal in its low byte; strace
 * prints it after the flags: CLONE_NEWNS|CLONE_NEWUTS|SIGCHLD. */
struct av *decode_clone_flags(struct arena *a, const char *name, uint64_t raw)
{
	uint64_t flags = raw & ~CSIGNAL_MASK, sig = raw & CSIGNAL_MASK;
	if (!flags)
		return av_signal(a, name, sig);
	struct av *f = av_xflags(a, name, &xl_clone_flags, flags);
	if (f->unknown) {
		/* unknown bits go before the signal, as one hex string */
		av_flags_append(a, f, arena_printf(a, "%#llx", (unsigned long long)f->unknown));
		f->unknown = 0;
	}
	if (sig) {
		const char *s = xlat_signal_name(a, sig);
		av_flags_append(a, f, s ? s : arena_printf(a, "%llu", (unsigned long long)sig));
	}
	f->u = raw;
	f->i = (int64_t)raw;
	f->comment = NULL;
	return f;
}

static struct av *clone_flags_value(struct dcall *c, uint64_t raw)
{
	return decode_clone_flags(c->a, "flags", raw);
}

static struct av *labelled(struct av *slot, const char *label)
{
	slot->label = label;
	return slot;
}

static void clone_entry(struct dcall *c)
{
	uint64_t flags = c->args[0];
	labelled(dc_put(c, av_addr(c->a, "stack", c->args[1])), "child_stack");
	labelled(dc_put(c, clone_flags_value(c, flags)), "flags");
	if (flags & (CLONE_PARENT_SETTID | CLONE_PIDFD))
		labelled(dc_put(c, av_addr(c->a, "parent_tid", c->args[2])), "parent_tid");
	if (flags & CLONE_SETTLS)
		labelled(dc_put(c, av_addr(c->a, "tls", c->args[4])), "tls");
	if (flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID))
		labelled(dc_put(c, av_addr(c->a, "child_tid", c->args[3])), "child_tidptr");
}

/* The kernel stored the new tid (or the pidfd) at parent_tid. */
static void clone_exit(struct dcall *c)
{
	struct av *slot = dc_arg(c, "parent_tid");
	if (slot)
		dc_replace(slot, dc_int_ptr(c, NULL, c->args[2]));
}

/* struct clone_args as of Linux 5.7 (cgroup is the last field). */
struct clone_args_v2 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size, cgroup;
};
#define CLONE_ARGS_SIZE_VER0 64

static struct av *clone3_set_tid(struct dcall *c, const struct clone_args_v2 *ca)
{
	if (!ca->set_tid || !ca->set_tid_size || ca->set_tid_size > 32)
		return av_addr(c->a, NULL, ca->set_tid);
	int32_t tids[32];
	size_t n = (size_t)ca->set_tid_size;
	if (!dc_read(c, ca->set_tid, tids, n * sizeof(tids[0]))) {
		struct av *v = av_addr(c->a, NULL, ca->set_tid);
		v->unreadable = true;
		return v;
	}
	struct av *arr = dc_array(c, NULL, n);
	for (size_t i = 0; i < n; i++)
		av_set(&arr->items[i], av_int(c->a, NULL, tids[i]), NULL);
	return arr;
}

static void clone3_entry(struct dcall *c)
{
	uint64_t addr = c->args[0], size = c->args[1];
	struct clone_args_v2 ca;
	size_t fetch = size < sizeof(ca) ? (size_t)size : sizeof(ca);
	memset(&ca, 0, sizeof(ca));
	if (fetch < CLONE_ARGS_SIZE_VER0) {
		dc_put(c, av_addr(c->a, "cl_args", addr));
	} else if (!dc_read(c, addr, &ca, fetch)) {
		struct av *v = dc_put(c, av_addr(c->a, "cl_args", addr));
		v->unreadable = addr != 0;
	} else {
		struct av *s = dc_struct(c, "cl_args", 11);
		dc_field(s, "flags", av_xflags(c->a, NULL, &xl_clone3_flags, ca.flags));
		if (ca.flags & CLONE_PIDFD)
			dc_field(s, "pidfd", av_addr(c->a, NULL, ca.pidfd));
		if (ca.flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID))
			dc_field(s, "child_tid", av_addr(c->a, NULL, ca.child_tid));
		if (ca.flags & CLONE_PARENT_SETTID)
			dc_field(s, "parent_tid", av_addr(c->a, NULL, ca.parent_tid));
		if (ca.exit_signal < 0x7fffffff)
			dc_field(s, "exit_signal", av_signal(c->a, NULL, ca.exit_signal));
		else
			dc_field(s, "exit_signal", av_uint(c->a, NULL, ca.exit_signal));
		dc_field(s, "stack", av_addr(c->a, NULL, ca.stack));
		dc_field(s, "stack_size", av_hex(c->a, NULL, ca.stack_size));
		if (ca.flags & CLONE_SETTLS)
			dc_field(s, "tls", av_addr(c->a, NULL, ca.tls));
		if (ca.set_tid || ca.set_tid_size) {
			dc_field(s, "set_tid", clone3_set_tid(c, &ca));
			dc_field(s, "set_tid_size", av_uint(c->a, NULL, ca.set_tid_size));
		}
		if (fetch > offsetof(struct clone_args_v2, cgroup) &&
		    (ca.cgroup || (ca.flags & 0x200000000ULL /* CLONE_INTO_CGROUP */)))
			dc_field(s, "cgroup", av_uint(c->a, NULL, ca.cgroup));
		s->u = addr;
		dc_put(c, s);
	}
	dc_put(c, av_uint(c->a, "size", size));
}

/* What the kernel wrote back: " => {pidfd=[N], parent_tid=[N]}". */
static void clone3_exit(struct dcall *c)
{
	struct av *arg = dc_arg(c, "cl_args");
	if (c->failed || !arg || arg->kind != AV_STRUCT)
		return;
	struct clone_args_v2 ca;
	size_t fetch = c->args[1] < sizeof(ca) ? (size_t)c->args[1] : sizeof(ca);
	memset(&ca, 0, sizeof(ca));
	if (!(arg->items[0].u & (CLONE_PIDFD | CLONE_PARENT_SETTID)))
		return;
	if (!dc_read(c, c->args[0], &ca, fetch)) {
		arg->out = av_addr(c->a, NULL, c->args[0]);
		arg->out->unreadable = true;
		return;
	}
	struct av *out = dc_struct(c, NULL, 2);
	if (ca.flags & CLONE_PIDFD)
		dc_field(out, "pidfd", dc_int_ptr(c, NULL, ca.pidfd));
	if (ca.flags & CLONE_PARENT_SETTID)
		dc_field(out, "parent_tid", dc_int_ptr(c, NULL, ca.parent_tid));
	if (out->nitems)
		arg->out = out;
}

static void noargs(struct dcall *c)
{
	(void)c;
}

static void execve_args(struct dcall *c, unsigned i)
{
	dc_put(c, dc_path(c, "pathname", c->args[i]));
	dc_put(c, dc_strv(c, "argv", c->args[i + 1]));
	dc_put(c, dc_strv_count(c, "envp", c->args[i + 2]));
}

static void execve_entry(struct dcall *c)
{
	execve_args(c, 0);
}

static void execveat_entry(struct dcall *c)
{
	dc_put(c, dc_dirfd(c, "dirfd", c->args[0]));
	execve_args(c, 1);
	dc_put(c, av_xflags(c->a, "flags", &xl_execveat_flags, (uint32_t)c->args[4]));
}

static void exit_entry(struct dcall *c)
{
	dc_put(c, av_int(c->a, "status", (int32_t)c->args[0]));
}

static void kill_entry(struct dcall *c)
{
	dc_put(c, av_int(c->a, "pid", (int32_t)c->args[0]));
	dc_put(c, av_signal(c->a, "sig", (uint32_t)c->args[1]));
}

static void tkill_entry(struct dcall *c)
{
	dc_put(c, av_int(c->a, "tid", (int32_t)c->args[0]));
	dc_put(c, av_signal(c->a, "sig", (uint32_t)c->args[1]));
}

static void tgkill_entry(struct dcall *c)
{
	dc_put(c, av_int(c->a, "tgid", (int32_t)c->args[0]));
	dc_put(c, av_int(c->a, "tid", (int32_t)c->args[1]));
	dc_put(c, av_signal(c->a, "sig", (uint32_t)c->args[2]));
}

static void wait4_entry(struct dcall *c)
{
	dc_put(c, av_int(c->a, "pid", (int32_t)c->args[0]));
	dc_put(c, av_addr(c->a, "wstatus", c->args[1]));
	dc_put(c, av_xflags(c->a, "options", &xl_wait4_options, (uint32_t)c->args[2]));
	dc_put(c, av_addr(c->a, "rusage", c->args[3]));
}

/* The wait status as strace spells it: {WIFEXITED(s) && WEXITSTATUS(s) == 0}. */
static struct av *wait_status(struct dcall *c, int32_t st)
{
	struct av *r = av_new(c->a, AV_RAW, NULL);
	int sig = st & 0x7f;
	if ((st & 0xff) == 0x7f)
		r->str = arena_printf(c->a, "{WIFSTOPPED(s) && WSTOPSIG(s) == %s}",
				      xlat_signal_name(c->a, (st >> 8) & 0x7f)
					      ?: arena_printf(c->a, "%d", (st >> 8) & 0x7f));
	else if (st == 0xffff)
		r->str = "{WIFCONTINUED(s)}";
	else if (sig)
		r->str = arena_printf(c->a, "{WIFSIGNALED(s) && WTERMSIG(s) == %s%s}",
				      xlat_signal_name(c->a, (uint64_t)sig)
					      ?: arena_printf(c->a, "%d", sig),
				      (st & 0x80) ? " && WCOREDUMP(s)" : "");
	else
		r->str = arena_printf(c->a, "{WIFEXITED(s) && WEXITSTATUS(s) == %d}", (st >> 8) & 0xff);
	r->len = strlen(r->str);
	r->u = (uint32_t)st;
	r->i = st;
	return r;
}

/* The status is only meaningful when a child was reaped (ret > 0). */
static void wait4_exit(struct dcall *c)
{
	struct av *slot = dc_arg(c, "wstatus");
	int32_t st;
	if (!slot || !c->args[1] || c->failed || c->ret == 0 ||
	    !dc_read(c, c->args[1], &st, sizeof(st)))
		return;
	struct av *arr = dc_array(c, NULL, 1);
	av_set(&arr->items[0], wait_status(c, st), NULL);
	arr->u = c->args[1];
	dc_replace(slot, arr);
}

static void pidfd_open_entry(struct dcall *c)
{
	dc_put(c, av_int(c->a, "pid", (int32_t)c->args[0]));
	dc_put(c, av_xflags(c->a, "flags", &xl_pidfd_open_flags, (uint32_t)c->args[1]));
}

static void pidfd_send_signal_entry(struct dcall *c)
{
	dc_put(c, dc_fd(c, "pidfd", c->args[0]));
	dc_put(c, av_signal(c->a, "sig", (uint32_t)c->args[1]));
	dc_put(c, av_addr(c->a, "info", c->args[2]));
	dc_put(c, av_hex(c->a, "flags", (uint32_t)c->args[3]));
}

const struct decoder decoders_process[] = {
	{ "clone", clone_entry, clone_exit },
	{ "clone3", clone3_entry, clone3_exit },
	{ "fork", noargs, NULL },
	{ "vfork", noargs, NULL },
	{ "execve", execve_entry, NULL },
	{ "execveat", execveat_entry, NULL },
	{ "exit", exit_entry, NULL },
	{ "exit_group", exit_entry, NULL },
	{ "kill", kill_entry, NULL },
	{ "tkill", tkill_entry, NULL },
	{ "tgkill", tgkill_entry, NULL },
	{ "wait4", wait4_entry, wait4_exit },
	{ "pidfd_open", pidfd_open_entry, NULL },
	{ "pidfd_send_signal", pidfd_send_signal_entry, NULL },
	{ NULL, NULL, NULL },
};
