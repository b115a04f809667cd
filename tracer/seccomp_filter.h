/* seccomp_filter.h - the BPF program behind --seccomp.
 *
 * Only the selected syscalls stop (SECCOMP_RET_TRACE); everything else runs
 * without the tracer ever waking up. Two calls can be narrowed by an argument:
 * clone to the calls that create namespaces (forks and threads are still
 * reported by ptrace's fork and clone events, which do not depend on syscall
 * stops), and openat to flags of exactly O_WRONLY|O_CLOEXEC, how runc and crun
 * open the exec fifo whose wait is the "wait for start" phase (one open of a
 * launch's hundred).
 */
#ifndef NSTRACE_SECCOMP_FILTER_H
#define NSTRACE_SECCOMP_FILTER_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>

#include "tracer.h" /* SECCOMP_NARROW_* */

#define SECCOMP_FILTER_MAX 1024 /* the kernel takes up to 4096 */

struct seccomp_prog {
	struct sock_filter insns[SECCOMP_FILTER_MAX];
	unsigned short len;
};

/* Build the program for x86_64 syscall numbers nrs[0..n-1], the calls named
 * by narrow (SECCOMP_NARROW_*) trapping only as said above. Returns 0, or -1 when the set is too
 * large for one program. */
int seccomp_prog_build(struct seccomp_prog *p, const long *nrs, size_t n, unsigned narrow);

#endif
