/* test_call_text.c - strace-style rendering of typed values and whole calls:
 * quoting and octal escapes, cut strings, flags, NULL, structs, arrays,
 * write-backs, comments, return values and errno texts. */
#include <criterion/criterion.h>
#include <errno.h>

#include "call_text.h"
#include "event.h"

static struct arena a;
static struct strbuf sb;

static void setup(void)
{
	arena_init(&a);
	sb_init(&sb);
}

static void teardown(void)
{
	arena_reset(&a);
	sb_free(&sb);
}

TestSuite(call_text, .init = setup, .fini = teardown);

static const char *render(const struct av *v)
{
	sb_reset(&sb);
	av_text_render(&sb, v);
	return sb_str(&sb);
}

Test(call_text, string_escapes)
{
	cr_expect_str_eq(render(av_str(&a, NULL, "plain", 5, false)), "\"plain\"");
	cr_expect_str_eq(render(av_str(&a, NULL, "a\"b\\c", 5, false)), "\"a\\\"b\\\\c\"");
	cr_expect_str_eq(render(av_str(&a, NULL, "\n\t\r\f\v", 5, false)), "\"\\n\\t\\r\\f\\v\"");
	/* shortest octal, three digits when an octal digit follows */
	cr_expect_str_eq(render(av_str(&a, NULL, "\001x\377", 3, false)), "\"\\1x\\377\"");
	cr_expect_str_eq(render(av_str(&a, NULL, "\0017", 2, false)), "\"\\0017\"");
	cr_expect_str_eq(render(av_str(&a, NULL, "\0", 1, false)), "\"\\0\"");
	cr_expect_str_eq(render(av_str(&a, NULL, "\0\0", 2, false)), "\"\\0\\0\"");
	cr_expect_str_eq(render(av_str(&a, NULL, "\0" "8", 2, false)), "\"\\08\"");
	cr_expect_str_eq(render(av_str(&a, NULL, "\033[", 2, false)), "\"\\33[\"");
	cr_expect_str_eq(render(av_str(&a, NULL, "\177\200", 2, false)), "\"\\177\\200\"");
	cr_expect_str_eq(render(av_str(&a, NULL, "", 0, false)), "\"\"");
}

Test(call_text, truncated_string)
{
	cr_expect_str_eq(render(av_str(&a, NULL, "abc", 3, true)), "\"abc\"...");
	cr_expect_str_eq(render(av_str(&a, NULL, "", 0, true)), "\"\"...");
}

Test(call_text, numbers_and_addresses)
{
	cr_expect_str_eq(render(av_int(&a, NULL, -1)), "-1");
	cr_expect_str_eq(render(av_uint(&a, NULL, 4294967295u)), "4294967295");
	cr_expect_str_eq(render(av_hex(&a, NULL, 0)), "0");
	cr_expect_str_eq(render(av_hex(&a, NULL, 0x3e8)), "0x3e8");
	cr_expect_str_eq(render(av_addr(&a, NULL, 0)), "NULL");
	cr_expect_str_eq(render(av_addr(&a, NULL, 0x7ffd0000)), "0x7ffd0000");
	struct av *m = av_uint(&a, NULL, 0644);
	m->kind = AV_OCT;
	cr_expect_str_eq(render(m), "0644");
	m->u = 022;
	cr_expect_str_eq(render(m), "022");
	m->u = 0;
	cr_expect_str_eq(render(m), "000");
	cr_expect_str_eq(render(av_sym(&a, NULL, "AT_FDCWD", (uint64_t)-100)), "AT_FDCWD");
}

Test(call_text, flags)
{
	struct av *f = av_new(&a, AV_FLAGS, NULL);
	cr_expect_str_eq(render(f), "0");
	f->sym = "O_RDONLY";
	cr_expect_str_eq(render(f), "O_RDONLY");
	static const char *names[] = { "MNT_DETACH", "MNT_FORCE" };
	f->names = names;
	f->nnames = 2;
	cr_expect_str_eq(render(f), "MNT_DETACH|MNT_FORCE");
	f->unknown = 0x100;
	cr_expect_str_eq(render(f), "MNT_DETACH|MNT_FORCE|0x100");
	f->nnames = 0;
	f->comment = "MNT_???";
	cr_expect_str_eq(render(f), "0x100 /* MNT_??? */");
}

Test(call_text, structs_arrays_out_values)
{
	struct av *s = av_new(&a, AV_STRUCT, NULL);
	av_reserve(&a, s, 2);
	av_set(&s->items[0], av_int(&a, NULL, 1), "len");
	av_set(&s->items[1], av_addr(&a, NULL, 0x1000), "filter");
	cr_expect_str_eq(render(s), "{len=1, filter=0x1000}");
	s->more = true;
	cr_expect_str_eq(render(s), "{len=1, filter=0x1000, ...}");

	struct av *arr = av_new(&a, AV_ARRAY, NULL);
	cr_expect_str_eq(render(arr), "[]");
	av_reserve(&a, arr, 1);
	av_set(&arr->items[0], av_int(&a, NULL, 4), NULL);
	cr_expect_str_eq(render(arr), "[4]");
	arr->more = true;
	cr_expect_str_eq(render(arr), "[4, ...]");

	struct av *outer = av_new(&a, AV_STRUCT, NULL);
	av_reserve(&a, outer, 1);
	av_set(&outer->items[0], av_hex(&a, NULL, 0), "stack_size");
	struct av *wb = av_new(&a, AV_STRUCT, NULL);
	av_reserve(&a, wb, 1);
	arr->more = false;
	av_set(&wb->items[0], arr, "parent_tid");
	outer->out = wb;
	cr_expect_str_eq(render(outer), "{stack_size=0} => {parent_tid=[4]}");

	struct av *env = av_addr(&a, NULL, 0x7ffc1000);
	env->comment = "37 vars";
	cr_expect_str_eq(render(env), "0x7ffc1000 /* 37 vars */");

	struct av *raw = av_new(&a, AV_RAW, NULL);
	raw->str = "makedev(0x1, 0x3)";
	cr_expect_str_eq(render(raw), "makedev(0x1, 0x3)");
}

static const char *call(struct ns_event *ev)
{
	sb_reset(&sb);
	call_text_render(&sb, ev);
	return sb_str(&sb);
}

Test(call_text, whole_calls_and_returns)
{
	struct ns_event *ev = ns_event_new(EV_SYSCALL);
	ev->sc_name = "chroot";
	ev->args = arena_alloc(&ev->arena, sizeof(*ev->args));
	ev->args->items = av_str(&ev->arena, "path", "/x", 2, false);
	ev->args->n = 1;
	cr_expect_str_eq(call(ev), "chroot(\"/x\") = 0");
	ev->ret = -ENOENT;
	ev->err = ENOENT;
	cr_expect_str_eq(call(ev), "chroot(\"/x\") = -1 ENOENT (No such file or directory)");
	ev->err = EPERM;
	ev->ret = -EPERM;
	cr_expect_str_eq(call(ev), "chroot(\"/x\") = -1 EPERM (Operation not permitted)");
	/* err derived from ret when the caller did not set it */
	ev->err = 0;
	ev->ret = -EINVAL;
	cr_expect_str_eq(call(ev), "chroot(\"/x\") = -1 EINVAL (Invalid argument)");
	ev->ret = -512;
	cr_expect_str_eq(call(ev), "chroot(\"/x\") = ? ERESTARTSYS (To be restarted if SA_RESTART is set)");
	ev->ret = 0;
	ev->unfinished = true;
	cr_expect_str_eq(call(ev), "chroot(\"/x\") = ?");
	ev->unfinished = false;

	/* a decoded return value with its comment in parentheses */
	ev->sc_name = "prctl";
	ev->args->items = av_sym(&ev->arena, "option", "PR_GET_DUMPABLE", 3);
	ev->args->ret = av_int(&ev->arena, NULL, 0);
	ev->args->ret->comment = "SUID_DUMP_DISABLE";
	cr_expect_str_eq(call(ev), "prctl(PR_GET_DUMPABLE) = 0 (SUID_DUMP_DISABLE)");
	ev->args->ret = av_hex(&ev->arena, NULL, 0x7f0000001000);
	cr_expect_str_eq(call(ev), "prctl(PR_GET_DUMPABLE) = 0x7f0000001000");

	/* labels: clone's named arguments */
	ev->sc_name = "clone";
	ev->args->items = av_addr(&ev->arena, "stack", 0);
	ev->args->items->label = "child_stack";
	ev->args->ret = NULL;
	ev->ret = 42;
	cr_expect_str_eq(call(ev), "clone(child_stack=NULL) = 42");
	ns_event_free(ev);
}

Test(call_text, raw_args_when_not_decoded)
{
	struct ns_event *ev = ns_event_new(EV_SYSCALL);
	ev->nr = 999;
	ev->raw_args[0] = 1;
	ev->raw_args[2] = 0xdead;
	ev->ret = -ENOSYS;
	ev->err = ENOSYS;
	cr_expect_str_eq(call(ev), "syscall_0x3e7(0x1, 0, 0xdead, 0, 0, 0) = -1 ENOSYS (Function not "
				   "implemented)");
	ns_event_free(ev);
}
