/* test_decode_memory.c - decoders on hostile tracee memory: strings that end
 * at a page boundary before an unmapped page, strings and arrays that run into
 * one, -s limits, NULL and wild pointers. Nothing may crash; bad pointers
 * print as addresses, as strace prints them. */
#include <criterion/criterion.h>
#include <linux/sched.h>
#include <stdio.h>

#include "test_decode_fakemem.h"

TestSuite(decode_memory, .init = fm_reset);

Test(decode_memory, string_ending_at_page_before_hole)
{
	/* "/mnt\0" ends exactly at the end of page 1, page 2 is unmapped */
	uint64_t p = fm_put_at_page_end(1, "/mnt", 5);
	fm.hole[2] = true;
	EXPECT_CALL("chroot(\"/mnt\") = 0", "chroot", 0, p);
	/* the same for a -s limited string */
	uint64_t n = fm_put_at_page_end(1, "runc", 5);
	EXPECT_CALL("prctl(PR_SET_NAME, \"runc\") = 0", "prctl", 0, 15, n);
}

Test(decode_memory, string_running_into_hole)
{
	/* no NUL before the unmapped page: unreadable, the address is shown */
	uint64_t p = fm_put_at_page_end(1, "/mnt", 4);
	fm.hole[2] = true;
	char expected[64];
	snprintf(expected, sizeof(expected), "chroot(%#llx) = -1 EFAULT (Bad address)",
		 (unsigned long long)p);
	EXPECT_CALL(expected, "chroot", -14, p);
	/* a pointer into the hole itself */
	uint64_t h = fm_addr_of_page(2) + 16;
	snprintf(expected, sizeof(expected), "chroot(%#llx) = -1 EFAULT (Bad address)",
		 (unsigned long long)h);
	EXPECT_CALL(expected, "chroot", -14, h);
}

Test(decode_memory, long_string_cut_before_hole_is_truncated_not_unreadable)
{
	/* 40 bytes without NUL, then the hole: -s 32 only needs 33 bytes */
	char buf[40];
	memset(buf, 'a', sizeof(buf));
	uint64_t p = fm_put_at_page_end(1, buf, sizeof(buf));
	fm.hole[2] = true;
	uint64_t t = fm_str("/t");
	EXPECT_CALL("mount(\"/t\", \"/t\", \"tmpfs\", 0, \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"...) = 0",
		    "mount", 0, t, t, fm_str("tmpfs"), 0, p);
	/* -s 0: nothing of the string, but it is cut */
	EXPECT_CALL_S("sethostname(\"\"..., 4) = 0", 0, "sethostname", 0, t, 4);
}

Test(decode_memory, paths_ignore_strsize)
{
	uint64_t p = fm_str("/a/very/long/path/that/is/longer/than/the/string/limit");
	EXPECT_CALL_S("chroot(\"/a/very/long/path/that/is/longer/than/the/string/limit\") = 0", 4,
		      "chroot", 0, p);
}

Test(decode_memory, write_buffer_partly_unmapped)
{
	/* 10 bytes requested, only 4 mapped: unreadable */
	uint64_t p = fm_put_at_page_end(1, "abcd", 4);
	fm.hole[2] = true;
	char expected[64];
	snprintf(expected, sizeof(expected), "write(1, %#llx, 10) = 4", (unsigned long long)p);
	EXPECT_CALL(expected, "write", 4, 1, p, 10);
	/* with -s 4 only the mapped part is needed */
	EXPECT_CALL_S("write(1, \"abcd\"..., 10) = 4", 4, "write", 4, 1, p, 10);
}

Test(decode_memory, argv_with_bad_elements)
{
	uint64_t path = fm_str("/x");
	uint64_t v1[3] = { fm_str("ok"), 0x10, 0 };
	uint64_t a1 = fm_put(v1, sizeof(v1));
	EXPECT_CALL("execve(\"/x\", [\"ok\", 0x10], NULL) = -1 ENOENT (No such file or directory)",
		    "execve", -2, path, a1, 0);
	/* the pointer array itself runs into the hole after two elements */
	uint64_t v2[2] = { fm_str("a"), fm_str("b") };
	uint64_t a2 = fm_put_at_page_end(1, v2, sizeof(v2));
	fm.hole[2] = true;
	EXPECT_CALL("execve(\"/x\", [\"a\", \"b\", ...], NULL) = -1 ENOENT (No such file or "
		    "directory)",
		    "execve", -2, path, a2, 0);
}

Test(decode_memory, envp_count_unterminated_and_unreadable)
{
	uint64_t path = fm_str("/x");
	uint64_t e[3] = { fm_str("A=1"), fm_str("B=2"), fm_str("C=3") };
	uint64_t pe = fm_put_at_page_end(1, e, sizeof(e));
	fm.hole[2] = true;
	char expected[160];
	snprintf(expected, sizeof(expected),
		 "execve(\"/x\", NULL, %#llx /* 3 vars, unterminated */) = -1 EFAULT (Bad address)",
		 (unsigned long long)pe);
	EXPECT_CALL(expected, "execve", -14, path, 0, pe);
	uint64_t h = fm_addr_of_page(2);
	snprintf(expected, sizeof(expected), "execve(\"/x\", NULL, %#llx) = -1 EFAULT (Bad address)",
		 (unsigned long long)h);
	EXPECT_CALL(expected, "execve", -14, path, 0, h);
	struct rendered r;
	decode_render_opts(&r, "execve", -14, 32, path, 0, h, 0, 0, 0);
	cr_assert_eq(arg_named(r.ev, "envp")->i, -1);
	cr_assert(arg_named(r.ev, "envp")->unreadable);
	rendered_free(&r);
}

Test(decode_memory, structs_in_unmapped_memory)
{
	uint64_t h = fm_addr_of_page(3);
	fm.hole[3] = true;
	char expected[160];
	snprintf(expected, sizeof(expected), "clone3(%#llx, 88) = -1 EFAULT (Bad address)",
		 (unsigned long long)h);
	EXPECT_CALL(expected, "clone3", -14, h, 88);
	snprintf(expected, sizeof(expected), "setrlimit(RLIMIT_NOFILE, %#llx) = -1 EFAULT (Bad address)",
		 (unsigned long long)h);
	EXPECT_CALL(expected, "setrlimit", -14, 7, h);
	struct rendered r;
	decode_render_opts(&r, "clone3", -14, 32, h, 88, 0, 0, 0, 0);
	cr_assert_eq(arg_named(r.ev, "cl_args")->kind, AV_ADDR);
	cr_assert(arg_named(r.ev, "cl_args")->unreadable);
	rendered_free(&r);
}

Test(decode_memory, reads_are_bounded)
{
	/* a huge write buffer reads at most -s bytes */
	uint64_t p = fm_str("0123456789");
	fm.reads = 0;
	EXPECT_CALL_S("write(1, \"0123\"..., 1000000) = 1000000", 4, "write", 1000000, 1, p, 1000000);
	cr_assert_leq(fm.reads, 2);
}

Test(decode_memory, no_reader_at_all)
{
	/* a context without a reader (e.g. the process is gone) decodes values only */
	uint64_t args[6] = { 0x7f00, 0x7f10, 0, 1 << 14, 0, 0 };
	struct arena a;
	arena_init(&a);
	struct decode_ctx ctx = { .arena = &a, .strsize = 32, .arch = SC_ARCH_X86_64 };
	struct av_list *l = decode_syscall_entry(&ctx, syscall_nr(SC_ARCH_X86_64, "mount"), args);
	cr_assert_eq(l->n, 5);
	cr_assert_eq(l->items[0].kind, AV_ADDR);
	cr_assert_eq(l->items[3].kind, AV_FLAGS);
	decode_syscall_exit(&ctx, syscall_nr(SC_ARCH_X86_64, "mount"), args, 0, l);
	/* an unknown architecture or number still gets raw arguments */
	struct av_list *u = decode_syscall_entry(&ctx, 400, args);
	cr_assert_eq(u->n, 6);
	ctx.arch = SC_ARCH_UNKNOWN;
	struct av_list *v = decode_syscall_entry(&ctx, 56, args);
	cr_assert_eq(v->n, 6);
	decode_syscall_exit(&ctx, 56, args, 0, v);
	decode_syscall_exit(&ctx, 56, args, 0, NULL);
	arena_reset(&a);
}
