/* test_decode_creds.c - identity and security decoders: set*id, setgroups,
 * sethostname, capget/capset, seccomp, keyctl, rlimits, memfd_create,
 * plus openat and write which the model reads. */
#include <criterion/criterion.h>
#include <linux/capability.h>
#include <stdio.h>

#include "test_decode_fakemem.h"

TestSuite(decode_creds, .init = fm_reset);

Test(decode_creds, ids_and_groups)
{
	EXPECT_CALL("setuid(0) = 0", "setuid", 0, 0);
	EXPECT_CALL("setuid(-1) = -1 EINVAL (Invalid argument)", "setuid", -22, 0xffffffff);
	EXPECT_CALL("setresuid(-1, 0, -1) = 0", "setresuid", 0, 0xffffffff, 0, 0xffffffff);
	EXPECT_CALL("setresgid(1000, 1000, 1000) = 0", "setresgid", 0, 1000, 1000, 1000);
	EXPECT_CALL("setgid(65534) = 0", "setgid", 0, 65534);
	EXPECT_CALL("setsid() = 1", "setsid", 1, 0);
	uint32_t g[3] = { 0, 1, 65534 };
	uint64_t pg = fm_put(g, sizeof(g));
	EXPECT_CALL("setgroups(3, [0, 1, 65534]) = 0", "setgroups", 0, 3, pg);
	EXPECT_CALL("setgroups(0, NULL) = 0", "setgroups", 0, 0, 0);
	EXPECT_CALL("setgroups(2, 0x10) = -1 EFAULT (Bad address)", "setgroups", -14, 2, 0x10);
	EXPECT_CALL_S("setgroups(3, [0, ...]) = 0", 1, "setgroups", 0, 3, pg);
	fm_verbose = true;
	EXPECT_CALL_S("setgroups(3, [0, 1, 65534]) = 0", 1, "setgroups", 0, 3, pg);
}

Test(decode_creds, hostname)
{
	uint64_t h = fm_str("ctr-host\n");
	uint64_t l = fm_str("a-hostname-that-is-longer-than-thirty-two-bytes");
	EXPECT_CALL("sethostname(\"ctr-host\\n\", 9) = 0", "sethostname", 0, h, 9);
	EXPECT_CALL("sethostname(\"ctr\", 3) = 0", "sethostname", 0, h, 3);
	EXPECT_CALL("sethostname(\"a-hostname-that-is-longer-than-t\"..., 47) = 0", "sethostname", 0,
		    l, 47);
	EXPECT_CALL("sethostname(0x10, 4) = -1 EFAULT (Bad address)", "sethostname", -14, 0x10, 4);
	EXPECT_CALL("setdomainname(\"ctr\", 3) = 0", "setdomainname", 0, h, 3);
}

Test(decode_creds, capset_capget)
{
	struct {
		uint32_t version;
		int32_t pid;
	} hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	uint32_t data[6] = { 1u << CAP_CHOWN | 1u << CAP_KILL, 1u << CAP_CHOWN, 0,
			     1u << (CAP_MAC_ADMIN - 32), 0, 0 };
	uint64_t ph = fm_put(&hdr, sizeof(hdr)), pd = fm_put(data, sizeof(data));
	EXPECT_CALL("capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_CHOWN|"
		    "1<<CAP_KILL|1<<CAP_MAC_ADMIN, permitted=1<<CAP_CHOWN, inheritable=0}) = 0",
		    "capset", 0, ph, pd);
	EXPECT_CALL("capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, {effective=1<<CAP_CHOWN|"
		    "1<<CAP_KILL|1<<CAP_MAC_ADMIN, permitted=1<<CAP_CHOWN, inheritable=0}) = 0",
		    "capget", 0, ph, pd);
	char expected[200];
	snprintf(expected, sizeof(expected),
		 "capget({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, %#llx) = -1 EINVAL (Invalid "
		 "argument)",
		 (unsigned long long)pd);
	EXPECT_CALL(expected, "capget", -22, ph, pd);
	EXPECT_CALL("capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, 0x10) = -1 EFAULT (Bad "
		    "address)",
		    "capset", -14, ph, 0x10);
	snprintf(expected, sizeof(expected), "capset(0x10, %#llx) = -1 EFAULT (Bad address)",
		 (unsigned long long)pd);
	EXPECT_CALL(expected, "capset", -14, 0x10, pd);
	/* v1: one data word only */
	hdr.version = _LINUX_CAPABILITY_VERSION_1;
	uint64_t ph1 = fm_put(&hdr, sizeof(hdr));
	EXPECT_CALL("capset({version=_LINUX_CAPABILITY_VERSION_1, pid=0}, {effective=1<<CAP_CHOWN|"
		    "1<<CAP_KILL, permitted=1<<CAP_CHOWN, inheritable=0}) = 0",
		    "capset", 0, ph1, pd);
}

Test(decode_creds, seccomp_keyctl_rlimits_memfd)
{
	EXPECT_CALL("seccomp(0x63 /* SECCOMP_SET_MODE_??? */, 0, NULL) = -1 EINVAL (Invalid "
		    "argument)",
		    "seccomp", -22, 99, 0, 0);
	EXPECT_CALL("seccomp(SECCOMP_SET_MODE_FILTER, 0, 0x10) = -1 EFAULT (Bad address)", "seccomp",
		    -14, 1, 0, 0x10);
	uint32_t act = 0;
	uint64_t pa = fm_put(&act, 4);
	EXPECT_CALL("seccomp(SECCOMP_GET_ACTION_AVAIL, 0, [SECCOMP_RET_KILL_THREAD]) = 0", "seccomp",
		    0, 2, 0, pa);
	uint64_t ses = fm_str("_ses.x");
	EXPECT_CALL("keyctl(KEYCTL_JOIN_SESSION_KEYRING, \"_ses.x\") = 1234", "keyctl", 1234, 1, ses);
	EXPECT_CALL("keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0) = 1234", "keyctl",
		    1234, 0, (uint64_t)-3, 0);
	EXPECT_CALL("keyctl(KEYCTL_SETPERM, KEY_SPEC_SESSION_KEYRING, KEY_POS_VIEW|KEY_POS_READ|"
		    "KEY_POS_WRITE|KEY_POS_SEARCH|KEY_POS_LINK|KEY_POS_SETATTR|KEY_USR_VIEW) = 0",
		    "keyctl", 0, 5, (uint64_t)-3, 0x3f010000);
	/* the description the kernel wrote, without its NUL, at most buflen */
	uint64_t desc = fm_put("keyring;0;0;3f130000;_ses.abc", 30);
	EXPECT_CALL("keyctl(KEYCTL_DESCRIBE, KEY_SPEC_SESSION_KEYRING, \"\", 0) = 30", "keyctl", 30,
		    6, (uint64_t)-3, desc, 0);
	EXPECT_CALL("keyctl(KEYCTL_DESCRIBE, KEY_SPEC_SESSION_KEYRING, \"keyring;0;0;3f130000;_ses.abc\""
		    ", 128) = 30",
		    "keyctl", 30, 6, (uint64_t)-3, desc, 128);
	EXPECT_CALL("keyctl(KEYCTL_DESCRIBE, KEY_SPEC_SESSION_KEYRING, \"keyring;\", 8) = 30",
		    "keyctl", 30, 6, (uint64_t)-3, desc, 8);
	char expected[160];
	snprintf(expected, sizeof(expected),
		 "keyctl(KEYCTL_DESCRIBE, 1, %#llx, 128) = -1 ENOKEY (Required key not available)",
		 (unsigned long long)desc);
	EXPECT_CALL(expected, "keyctl", -126, 6, 1, desc, 128);
	uint16_t sizes[3] = { 80, 24, 64 };
	uint64_t ps = fm_put(sizes, sizeof(sizes));
	EXPECT_CALL("seccomp(SECCOMP_GET_NOTIF_SIZES, 0, {seccomp_notif=80, seccomp_notif_resp=24, "
		    "seccomp_data=64}) = 0",
		    "seccomp", 0, 3, 0, ps);
	EXPECT_CALL("seccomp(SECCOMP_SET_MODE_STRICT, 0x1, NULL) = -1 EINVAL (Invalid argument)",
		    "seccomp", -22, 0, 1, 0);
	EXPECT_CALL("keyctl(KEYCTL_REVOKE, 1) = -1 ENOKEY (Required key not available)", "keyctl",
		    -126, 3, 1);
	uint64_t lim[2] = { 1024, 4096 }, inf[2] = { UINT64_MAX, UINT64_MAX };
	uint64_t pl = fm_put(lim, sizeof(lim)), pi = fm_put(inf, sizeof(inf));
	EXPECT_CALL("setrlimit(RLIMIT_NOFILE, {rlim_cur=1024, rlim_max=4*1024}) = 0", "setrlimit", 0,
		    7, pl);
	EXPECT_CALL("prlimit64(0, RLIMIT_CORE, {rlim_cur=RLIM64_INFINITY, rlim_max=RLIM64_INFINITY}, "
		    "{rlim_cur=1024, rlim_max=4*1024}) = 0",
		    "prlimit64", 0, 0, 4, pi, pl);
	EXPECT_CALL("prlimit64(0, RLIMIT_NPROC, NULL, 0x10) = -1 EFAULT (Bad address)", "prlimit64",
		    -14, 0, 6, 0, 0x10);
	uint64_t mn = fm_str("runc_cloned:/proc/self/exe");
	EXPECT_CALL("memfd_create(\"runc_cloned:/proc/self/exe\", MFD_CLOEXEC|MFD_ALLOW_SEALING) = 3",
		    "memfd_create", 3, mn, 3);
	EXPECT_CALL("memfd_create(\"runc_cloned:/proc/self/exe\", MFD_HUGETLB|21<<MFD_HUGE_SHIFT) = 3",
		    "memfd_create", 3, mn, 4 | (21u << 26));
}

Test(decode_creds, openat_write)
{
	uint64_t p = fm_str("/etc/hostname");
	EXPECT_CALL("openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY|O_CLOEXEC) = 3", "openat", 3,
		    (uint64_t)-100, p, 02000000);
	EXPECT_CALL("openat(AT_FDCWD, \"/etc/hostname\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3",
		    "openat", 3, (uint64_t)-100, p, 01 | 0100 | 01000, 0644);
	EXPECT_CALL("openat(3, \"/etc/hostname\", O_RDONLY|O_NOFOLLOW|O_PATH|O_DIRECTORY) = -1 "
		    "ENOTDIR (Not a directory)",
		    "openat", -20, 3, p, 0400000 | 010000000 | 0200000);
	EXPECT_CALL("openat(AT_FDCWD, \"/etc/hostname\", O_RDWR|O_TMPFILE, 0600) = 3", "openat", 3,
		    (uint64_t)-100, p, 2 | 020200000, 0600);
	EXPECT_CALL("openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY|0x40000000) = 3", "openat", 3,
		    (uint64_t)-100, p, 0x40000000);
	uint64_t b = fm_put("hello\n\x01\x7f\xff world and a lot of text to make it long", 48);
	EXPECT_CALL("write(1, \"hello\\n\\1\\177\\377 world and a lot of tex\"..., 48) = 48", "write",
		    48, 1, b, 48);
	EXPECT_CALL("write(99, 0x10, 5) = -1 EBADF (Bad file descriptor)", "write", -9, 99, 0x10, 5);
	EXPECT_CALL("write(1, \"\", 0) = 0", "write", 0, 1, b, 0);
}

Test(decode_creds, unknown_syscalls_raw_and_hex_returns)
{
	EXPECT_CALL("read(0x3, 0x1000, 0x10) = 16", "read", 16, 3, 0x1000, 0x10);
	EXPECT_CALL("mmap(0, 0x1000, 0x1, 0x22, 0xffffffffffffffff, 0) = 0x7f0000001000", "mmap",
		    0x7f0000001000, 0, 0x1000, 1, 0x22, (uint64_t)-1, 0);
	/* umask is decoded (decode_path.c); its octal return comes from the table */
	EXPECT_CALL("umask(077) = 022", "umask", 022, 077);
}
