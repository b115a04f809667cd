/* seccomp_filter.h - the BPF program behind --seccomp.
 *
 * Only the selected syscalls stop (SECCOMP_RET_TRACE); everything else runs
 * without the tracer ever waking up. clone can be narrowed to the calls that
 * create namespaces: forks and threads are still reported by ptrace's fork and
 * clone events, which do not depend on syscall stops.
 */
#ifndef NSTRACE_SECCOMP_FILTER_H
#define NSTRACE_SECCOMP_FILTER_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>

#define SECCOMP_FILTER_MAX 1024 /* the kernel takes up to 4096 */

struct seccomp_prog {
	struct sock_filter insns[SECCOMP_FILTER_MAX];
	unsigned short len;
};

/* Build the program for x86_64 syscall numbers nrs[0..n-1]. clone_ns_only:
 * clone traps only when its flags hold a CLONE_NEW* bit. Returns 0, or -1 when
 * the set is too large for one program. */
int seccomp_prog_build(struct seccomp_prog *p, const long *nrs, size_t n, bool clone_ns_only);

#endif
