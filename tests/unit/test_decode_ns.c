/* test_decode_ns.c - clone, clone3, unshare, setns, fork, execve decoders,
 * rendered as strace prints them, on fake tracee memory. */
#include <criterion/criterion.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>

#include "test_decode_fakemem.h"

#define ENOENT_TXT "-1 ENOENT (No such file or directory)"

TestSuite(decode_ns, .init = fm_reset);

Test(decode_ns, unshare_flags)
{
	EXPECT_CALL("unshare(CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWPID) = 0", "unshare", 0,
		    CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWPID);
	EXPECT_CALL("unshare(CLONE_NEWNS|CLONE_NEWUTS|CLONE_NEWIPC|CLONE_NEWPID|CLONE_NEWNET) = 0",
		    "unshare", 0,
		    CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET);
	EXPECT_CALL("unshare(0) = 0", "unshare", 0, 0);
	EXPECT_CALL("unshare(CLONE_NEWIPC|0x2) = -1 EINVAL (Invalid argument)", "unshare", -22,
		    CLONE_NEWIPC | 0x2);
	EXPECT_CALL("unshare(0x2 /* CLONE_??? */) = -1 EINVAL (Invalid argument)", "unshare", -22,
		    0x2);
	EXPECT_CALL("unshare(CLONE_NEWTIME|CLONE_FS|CLONE_FILES|CLONE_SYSVSEM|CLONE_NEWCGROUP) = 0",
		    "unshare", 0,
		    CLONE_FS | CLONE_FILES | CLONE_SYSVSEM | CLONE_NEWCGROUP | CLONE_NEWTIME);
}

Test(decode_ns, unshare_typed)
{
	struct rendered r;
	decode_render_opts(&r, "unshare", 0, 32, CLONE_NEWPID | CLONE_NEWNET | 0x2, 0, 0, 0, 0, 0);
	const struct av *f = arg_named(r.ev, "flags");
	cr_assert_not_null(f);
	cr_assert_eq(f->kind, AV_FLAGS);
	cr_assert_eq(f->nnames, 2);
	cr_assert_str_eq(f->names[0], "CLONE_NEWPID");
	cr_assert_str_eq(f->names[1], "CLONE_NEWNET");
	cr_assert_eq(f->unknown, 0x2);
	rendered_free(&r);
}

Test(decode_ns, setns)
{
	EXPECT_CALL("setns(99, CLONE_NEWPID|CLONE_NEWNET) = -1 EBADF (Bad file descriptor)", "setns",
		    -9, 99, CLONE_NEWNET | CLONE_NEWPID);
	EXPECT_CALL("setns(3, 0) = 0", "setns", 0, 3, 0);
	EXPECT_CALL("setns(5, CLONE_NEWNS) = 0", "setns", 0, 5, CLONE_NEWNS);
	EXPECT_CALL("setns(5, 0x1 /* CLONE_NEW??? */) = -1 EINVAL (Invalid argument)", "setns", -22,
		    5, 1);
}

Test(decode_ns, clone_plain_and_signal)
{
	EXPECT_CALL("clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, "
		    "child_tidptr=0x7f835051da10) = 10484",
		    "clone", 10484, CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | SIGCHLD, 0, 0,
		    0x7f835051da10, 0);
	EXPECT_CALL("clone(child_stack=0x56053b4d40b0, flags=CLONE_NEWNS|CLONE_NEWUTS|SIGCHLD) = 2",
		    "clone", 2, CLONE_NEWNS | CLONE_NEWUTS | SIGCHLD, 0x56053b4d40b0, 0, 0, 0);
	EXPECT_CALL("clone(child_stack=NULL, flags=SIGCHLD) = 7", "clone", 7, SIGCHLD, 0, 0, 0, 0);
	EXPECT_CALL("clone(child_stack=NULL, flags=0) = 7", "clone", 7, 0, 0, 0, 0, 0);
	EXPECT_CALL("clone(child_stack=NULL, flags=CLONE_VM|CLONE_VFORK|CLONE_PARENT|SIGCHLD) = -1 "
		    "EINVAL (Invalid argument)",
		    "clone", -22, CLONE_VM | CLONE_VFORK | CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
	EXPECT_CALL("clone(child_stack=NULL, flags=CLONE_THREAD|CLONE_SETTLS, tls=0x1234) = -1 EINVAL "
		    "(Invalid argument)",
		    "clone", -22, CLONE_THREAD | CLONE_SETTLS, 0, 0, 0, 0x1234);
}

Test(decode_ns, clone_parent_tid_written_back)
{
	int32_t tid = 3;
	uint64_t ptid = fm_put(&tid, sizeof(tid));
	char expected[256];
	snprintf(expected, sizeof(expected),
		 "clone(child_stack=NULL, flags=CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID|0x100000000|"
		 "SIGUSR1, parent_tid=[3], child_tidptr=%#llx) = 3",
		 (unsigned long long)ptid);
	EXPECT_CALL(expected, "clone", 3,
		    CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | 0x100000000ull | SIGUSR1, 0, ptid,
		    ptid, 0);
	/* on failure the kernel wrote nothing: the address */
	snprintf(expected, sizeof(expected),
		 "clone(child_stack=NULL, flags=CLONE_PARENT_SETTID|SIGCHLD, parent_tid=%#llx) = -1 "
		 "EPERM (Operation not permitted)",
		 (unsigned long long)ptid);
	EXPECT_CALL(expected, "clone", -1, CLONE_PARENT_SETTID | SIGCHLD, 0, ptid, 0, 0);
	/* unreadable parent_tid */
	fm.hole[0] = true;
	snprintf(expected, sizeof(expected),
		 "clone(child_stack=NULL, flags=CLONE_PARENT_SETTID|SIGCHLD, parent_tid=%#llx) = 9",
		 (unsigned long long)ptid);
	EXPECT_CALL(expected, "clone", 9, CLONE_PARENT_SETTID | SIGCHLD, 0, ptid, 0, 0);
}

Test(decode_ns, clone_arg_names_and_labels)
{
	struct rendered r;
	decode_render_opts(&r, "clone", 5, 32, CLONE_NEWPID | SIGCHLD, 0x1000, 0, 0, 0, 0);
	const struct av *f = arg_named(r.ev, "flags");
	cr_assert_not_null(f);
	cr_assert_eq(f->u, CLONE_NEWPID | SIGCHLD);
	cr_assert_not_null(arg_named(r.ev, "stack"));
	cr_assert_str_eq(arg_named(r.ev, "stack")->label, "child_stack");
	rendered_free(&r);
}

struct clone_args_t {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
		set_tid_size, cgroup;
};

Test(decode_ns, clone3_struct_and_writeback)
{
	int32_t tid = 4;
	uint64_t ptid = fm_put(&tid, sizeof(tid));
	struct clone_args_t ca = { .flags = CLONE_NEWUTS | CLONE_PARENT_SETTID,
				   .exit_signal = SIGCHLD,
				   .parent_tid = ptid };
	uint64_t a = fm_put(&ca, sizeof(ca));
	char expected[512];
	snprintf(expected, sizeof(expected),
		 "clone3({flags=CLONE_PARENT_SETTID|CLONE_NEWUTS, parent_tid=%#llx, "
		 "exit_signal=SIGCHLD, stack=NULL, stack_size=0} => {parent_tid=[4]}, 88) = 4",
		 (unsigned long long)ptid);
	EXPECT_CALL(expected, "clone3", 4, a, 88);

	struct clone_args_t cb = { .flags = CLONE_PIDFD, .pidfd = ptid, .stack = 0x56053b4c40c0,
				   .stack_size = 1000 };
	uint64_t b = fm_put(&cb, sizeof(cb));
	snprintf(expected, sizeof(expected),
		 "clone3({flags=CLONE_PIDFD, pidfd=%#llx, exit_signal=0, stack=0x56053b4c40c0, "
		 "stack_size=0x3e8} => {pidfd=[4]}, 88) = 5",
		 (unsigned long long)ptid);
	EXPECT_CALL(expected, "clone3", 5, b, 88);

	/* no write-back on failure, and none without PIDFD/PARENT_SETTID */
	struct clone_args_t cc = { .flags = CLONE_NEWPID | CLONE_NEWTIME | CLONE_INTO_CGROUP,
				   .exit_signal = SIGCHLD,
				   .cgroup = 7 };
	uint64_t cp = fm_put(&cc, sizeof(cc));
	EXPECT_CALL("clone3({flags=CLONE_NEWPID|CLONE_NEWTIME|CLONE_INTO_CGROUP, exit_signal=SIGCHLD, "
		    "stack=NULL, stack_size=0, cgroup=7}, 88) = -1 EPERM (Operation not permitted)",
		    "clone3", -1, cp, 88);
}

Test(decode_ns, clone3_set_tid_and_bad_pointers)
{
	int32_t tids[2] = { 1, 42 };
	uint64_t t = fm_put(tids, sizeof(tids));
	struct clone_args_t ca = { .flags = CLONE_NEWPID, .exit_signal = SIGCHLD, .set_tid = t,
				   .set_tid_size = 2 };
	uint64_t a = fm_put(&ca, sizeof(ca));
	EXPECT_CALL("clone3({flags=CLONE_NEWPID, exit_signal=SIGCHLD, stack=NULL, stack_size=0, "
		    "set_tid=[1, 42], set_tid_size=2}, 88) = 1",
		    "clone3", 1, a, 88);
	EXPECT_CALL("clone3(0x10, 88) = -1 EFAULT (Bad address)", "clone3", -14, 0x10, 88);
	EXPECT_CALL("clone3(NULL, 88) = -1 EFAULT (Bad address)", "clone3", -14, 0, 88);
	/* too small for the first version of the struct: the address only */
	char expected[128];
	snprintf(expected, sizeof(expected), "clone3(%#llx, 32) = -1 EINVAL (Invalid argument)",
		 (unsigned long long)a);
	EXPECT_CALL(expected, "clone3", -22, a, 32);
}

Test(decode_ns, fork_vfork)
{
	EXPECT_CALL("fork() = 12", "fork", 12, 0);
	EXPECT_CALL("vfork() = 13", "vfork", 13, 0);
}

Test(decode_ns, execve_argv_and_env_count)
{
	uint64_t path = fm_str("/nonexistent");
	uint64_t strs[4] = { fm_str("/bin/true"), fm_str("a b"), fm_str("c\"d"), 0 };
	uint64_t argv = fm_put(strs, sizeof(strs));
	uint64_t envs[3] = { fm_str("A=1"), fm_str("SECRET=hunter2"), 0 };
	uint64_t envp = fm_put(envs, sizeof(envs));
	char expected[256];
	snprintf(expected, sizeof(expected),
		 "execve(\"/nonexistent\", [\"/bin/true\", \"a b\", \"c\\\"d\"], %#llx /* 2 vars */) "
		 "= " ENOENT_TXT,
		 (unsigned long long)envp);
	EXPECT_CALL(expected, "execve", -2, path, argv, envp);

	struct rendered r;
	decode_render_opts(&r, "execve", 0, 32, path, argv, envp, 0, 0, 0);
	const struct av *e = arg_named(r.ev, "envp");
	cr_assert_eq(e->kind, AV_ADDR);
	cr_assert_eq(e->i, 2);
	cr_assert_null(strstr(r.text, "hunter2"));
	rendered_free(&r);

	snprintf(expected, sizeof(expected),
		 "execveat(AT_FDCWD, \"/nonexistent\", [\"/bin/true\", \"a b\", \"c\\\"d\"], %#llx /* "
		 "2 vars */, AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH) = " ENOENT_TXT,
		 (unsigned long long)envp);
	EXPECT_CALL(expected, "execveat", -2, (uint64_t)-100, path, argv, envp, 0x1100);
	EXPECT_CALL("execve(\"/nonexistent\", 0x10, 0x20) = " ENOENT_TXT, "execve", -2, path, 0x10,
		    0x20);
	EXPECT_CALL("execve(NULL, NULL, NULL) = -1 EFAULT (Bad address)", "execve", -14, 0, 0, 0);
}

Test(decode_ns, execve_argv_cut_at_strsize)
{
	uint64_t strs[6] = { fm_str("a"), fm_str("b"), fm_str("c"), fm_str("d"), fm_str("e"), 0 };
	uint64_t argv = fm_put(strs, sizeof(strs));
	uint64_t path = fm_str("/x");
	char expected[256];
	snprintf(expected, sizeof(expected), "execve(\"/x\", [\"a\", \"b\", \"c\", ...], NULL) = 0");
	EXPECT_CALL_S(expected, 3, "execve", 0, path, argv, 0);
	/* -v: every element, strings still cut at -s */
	fm_verbose = true;
	EXPECT_CALL_S("execve(\"/x\", [\"a\", \"b\", \"c\", \"d\", \"e\"], NULL) = 0", 3, "execve", 0,
		      path, argv, 0);
}

Test(decode_ns, exit_group_unfinished)
{
	struct rendered r;
	decode_render_opts(&r, "exit_group", 0, 32, 0, 0, 0, 0, 0, 0);
	r.ev->unfinished = true;
	struct strbuf sb;
	sb_init(&sb);
	call_text_render(&sb, r.ev);
	cr_expect_str_eq(sb_str(&sb), "exit_group(0) = ?");
	sb_free(&sb);
	rendered_free(&r);
}
