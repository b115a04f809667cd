/* seccomp_filter.c - build the --seccomp BPF program (see seccomp_filter.h).
 *
 * Layout: check the architecture (anything but x86_64 is allowed: we only
 * decode x86_64), load the number, one "jeq nr -> trace" per syscall, then
 * allow. clone gets its own block that tests the flags argument.
 */
#include "seccomp_filter.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/syscall.h>

#define CLONE_NEW_MASK                                                                             \
	(0x00020000u | 0x04000000u | 0x08000000u | 0x10000000u | 0x20000000u | 0x40000000u |      \
	 0x02000000u | 0x00000080u)

static void put(struct seccomp_prog *p, unsigned short code, unsigned char jt, unsigned char jf,
		unsigned k)
{
	struct sock_filter f = {code, jt, jf, k};
	p->insns[p->len++] = f;
}

int seccomp_prog_build(struct seccomp_prog *p, const long *nrs, size_t n, bool clone_ns_only)
{
	/* 4 header + n compares + clone block (3) + 2 returns; jumps reach 255 */
	if (n + 12 > SECCOMP_FILTER_MAX || n > 200)
		return -1;
	p->len = 0;
	size_t ncmp = 0;
	bool has_clone = false;
	for (size_t i = 0; i < n; i++) {
		if (nrs[i] == SYS_clone && clone_ns_only)
			has_clone = true;
		else
			ncmp++;
	}
	/* header: anything but x86_64 is allowed at once */
	put(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, arch));
	put(p, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, AUDIT_ARCH_X86_64);
	put(p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW);
	put(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr));
	size_t done = 0;
	for (size_t i = 0; i < n; i++) {
		if (nrs[i] == SYS_clone && clone_ns_only)
			continue;
		done++;
		/* distance to the trace return: the compares left, the clone block, allow */
		size_t left = ncmp - done;
		unsigned char jt = (unsigned char)(left + (has_clone ? 3 : 0) + 1);
		put(p, BPF_JMP | BPF_JEQ | BPF_K, jt, 0, (unsigned)nrs[i]);
	}
	if (has_clone) {
		/* clone: trace only when its flags create a namespace */
		put(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 2, SYS_clone);
		put(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, args[0]));
		put(p, BPF_JMP | BPF_JSET | BPF_K, 1, 0, CLONE_NEW_MASK);
	}
	put(p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW);
	put(p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_TRACE);
	return 0;
}
