/* test_decode_prctl.c - prctl options the container stack uses, unknown
 * options and values, out-pointers filled at exit, decoded return values. */
#include <criterion/criterion.h>
#include <linux/capability.h>
#include <linux/prctl.h>
#include <signal.h>
#include <stdio.h>

#include "test_decode_fakemem.h"

TestSuite(decode_prctl, .init = fm_reset);

Test(decode_prctl, names)
{
	uint64_t n = fm_str("runc:[1:CHILD]");
	uint64_t longn = fm_str("a-name-longer-than-fifteen-bytes");
	EXPECT_CALL("prctl(PR_SET_NAME, \"runc:[1:CHILD]\") = 0", "prctl", 0, PR_SET_NAME, n);
	EXPECT_CALL("prctl(PR_GET_NAME, \"runc:[1:CHILD]\") = 0", "prctl", 0, PR_GET_NAME, n);
	/* PR_SET_NAME reads 15 bytes, PR_GET_NAME 16 */
	EXPECT_CALL("prctl(PR_SET_NAME, \"a-name-longer-t\"...) = 0", "prctl", 0, PR_SET_NAME, longn);
	/* with -s 8 the limit is -s, and a name of exactly 8 bytes is whole */
	uint64_t eight = fm_str("12345678");
	EXPECT_CALL_S("prctl(PR_SET_NAME, \"12345678\") = 0", 8, "prctl", 0, PR_SET_NAME, eight);
	EXPECT_CALL_S("prctl(PR_SET_NAME, \"runc:[1:\"...) = 0", 8, "prctl", 0, PR_SET_NAME, n);
	EXPECT_CALL("prctl(PR_SET_NAME, 0x10) = -1 EFAULT (Bad address)", "prctl", -14, PR_SET_NAME,
		    0x10);
	EXPECT_CALL("prctl(PR_GET_NAME, 0x10) = -1 EFAULT (Bad address)", "prctl", -14, PR_GET_NAME,
		    0x10);
	struct rendered r;
	decode_render_opts(&r, "prctl", 0, 32, PR_SET_NAME, n, 0, 0, 0, 0);
	cr_assert_str_eq(arg_named(r.ev, "option")->sym, "PR_SET_NAME");
	cr_assert_str_eq(arg_named(r.ev, "arg2")->str, "runc:[1:CHILD]");
	rendered_free(&r);
}

Test(decode_prctl, capabilities)
{
	EXPECT_CALL("prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN) = 0", "prctl", 0, PR_CAPBSET_DROP,
		    CAP_SYS_ADMIN);
	EXPECT_CALL("prctl(PR_CAPBSET_READ, 0x4d /* CAP_??? */) = -1 EINVAL (Invalid argument)",
		    "prctl", -22, PR_CAPBSET_READ, 77);
	EXPECT_CALL("prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_ADMIN, 0, 0) = -1 EPERM "
		    "(Operation not permitted)",
		    "prctl", -1, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_ADMIN, 0, 0);
	EXPECT_CALL("prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) = 0", "prctl", 0,
		    PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	EXPECT_CALL("prctl(PR_CAP_AMBIENT, 0x9 /* PR_CAP_AMBIENT_??? */, 0x1, 0x2, 0x3) = -1 EINVAL "
		    "(Invalid argument)",
		    "prctl", -22, PR_CAP_AMBIENT, 9, 1, 2, 3);
}

Test(decode_prctl, simple_values)
{
	EXPECT_CALL("prctl(PR_SET_CHILD_SUBREAPER, 1) = 0", "prctl", 0, PR_SET_CHILD_SUBREAPER, 1);
	EXPECT_CALL("prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) = 0", "prctl", 0, PR_SET_NO_NEW_PRIVS, 1);
	EXPECT_CALL("prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) = 1", "prctl", 1, PR_GET_NO_NEW_PRIVS);
	EXPECT_CALL("prctl(PR_SET_KEEPCAPS, 1) = 0", "prctl", 0, PR_SET_KEEPCAPS, 1);
	EXPECT_CALL("prctl(PR_GET_KEEPCAPS) = 1", "prctl", 1, PR_GET_KEEPCAPS);
	EXPECT_CALL("prctl(PR_SET_DUMPABLE, SUID_DUMP_DISABLE) = 0", "prctl", 0, PR_SET_DUMPABLE, 0);
	EXPECT_CALL("prctl(PR_SET_DUMPABLE, 0x7 /* SUID_DUMP_??? */) = -1 EINVAL (Invalid argument)",
		    "prctl", -22, PR_SET_DUMPABLE, 7);
	EXPECT_CALL("prctl(PR_SET_PDEATHSIG, SIGKILL) = 0", "prctl", 0, PR_SET_PDEATHSIG, SIGKILL);
	EXPECT_CALL("prctl(PR_SET_PDEATHSIG, 200) = -1 EINVAL (Invalid argument)", "prctl", -22,
		    PR_SET_PDEATHSIG, 200);
	EXPECT_CALL("prctl(PR_SET_SECUREBITS, SECBIT_NO_SETUID_FIXUP|SECBIT_KEEP_CAPS) = 0", "prctl",
		    0, PR_SET_SECUREBITS, 0x14);
	EXPECT_CALL("prctl(PR_SET_SECUREBITS, 0x100000 /* SECBIT_??? */) = -1 EPERM (Operation not "
		    "permitted)",
		    "prctl", -1, PR_SET_SECUREBITS, 0x100000);
	EXPECT_CALL("prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY) = 0", "prctl", 0, PR_SET_PTRACER,
		    (uint64_t)-1);
	EXPECT_CALL("prctl(0x99 /* PR_??? */, 0x1, 0x2, 0x3, 0x4) = -1 EINVAL (Invalid argument)",
		    "prctl", -22, 0x99, 1, 2, 3, 4);
}

Test(decode_prctl, getters_filled_at_exit)
{
	int32_t one = 1, sig = SIGKILL, zero = 0;
	uint64_t p1 = fm_put(&one, 4), ps = fm_put(&sig, 4), pz = fm_put(&zero, 4);
	EXPECT_CALL("prctl(PR_GET_CHILD_SUBREAPER, [1]) = 0", "prctl", 0, PR_GET_CHILD_SUBREAPER, p1);
	EXPECT_CALL("prctl(PR_GET_PDEATHSIG, [SIGKILL]) = 0", "prctl", 0, PR_GET_PDEATHSIG, ps);
	EXPECT_CALL("prctl(PR_GET_PDEATHSIG, [0]) = 0", "prctl", 0, PR_GET_PDEATHSIG, pz);
	EXPECT_CALL("prctl(PR_GET_CHILD_SUBREAPER, 0x10) = -1 EFAULT (Bad address)", "prctl", -14,
		    PR_GET_CHILD_SUBREAPER, 0x10);
	/* the call failed: nothing was written, the address stays */
	char expected[128];
	snprintf(expected, sizeof(expected),
		 "prctl(PR_GET_PDEATHSIG, %#llx) = -1 EINVAL (Invalid argument)",
		 (unsigned long long)ps);
	EXPECT_CALL(expected, "prctl", -22, PR_GET_PDEATHSIG, ps);
	uint64_t zero64 = 0;
	uint64_t pt = fm_put(&zero64, 8);
	EXPECT_CALL("prctl(PR_GET_TID_ADDRESS, [NULL]) = 0", "prctl", 0, PR_GET_TID_ADDRESS, pt);
}

Test(decode_prctl, decoded_return_values)
{
	EXPECT_CALL("prctl(PR_GET_DUMPABLE) = 0 (SUID_DUMP_DISABLE)", "prctl", 0, PR_GET_DUMPABLE);
	EXPECT_CALL("prctl(PR_GET_DUMPABLE) = 1 (SUID_DUMP_USER)", "prctl", 1, PR_GET_DUMPABLE);
	EXPECT_CALL("prctl(PR_GET_DUMPABLE) = 5", "prctl", 5, PR_GET_DUMPABLE);
	EXPECT_CALL("prctl(PR_GET_SECUREBITS) = 0x2f (SECBIT_NOROOT|SECBIT_NOROOT_LOCKED|"
		    "SECBIT_NO_SETUID_FIXUP|SECBIT_NO_SETUID_FIXUP_LOCKED|SECBIT_KEEP_CAPS_LOCKED)",
		    "prctl", 0x2f, PR_GET_SECUREBITS);
	EXPECT_CALL("prctl(PR_GET_SECUREBITS) = 0", "prctl", 0, PR_GET_SECUREBITS);
}

Test(decode_prctl, seccomp_mode)
{
	struct {
		uint16_t len;
		uint16_t pad[3];
		uint64_t filter;
	} prog = { 3, { 0, 0, 0 }, 0x5000 };
	uint64_t p = fm_put(&prog, sizeof(prog));
	EXPECT_CALL("prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, {len=3, filter=0x5000}) = 0", "prctl",
		    0, PR_SET_SECCOMP, 2, p);
	EXPECT_CALL("prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, NULL) = -1 EFAULT (Bad address)",
		    "prctl", -14, PR_SET_SECCOMP, 2, 0);
	EXPECT_CALL("prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT) = 0", "prctl", 0, PR_SET_SECCOMP, 1);
	EXPECT_CALL("prctl(PR_SET_SECCOMP, 0x9 /* SECCOMP_MODE_??? */, 0x1, 0x2, 0x3) = -1 EINVAL "
		    "(Invalid argument)",
		    "prctl", -22, PR_SET_SECCOMP, 9, 1, 2, 3);
}
