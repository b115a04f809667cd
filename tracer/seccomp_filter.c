/* seccomp_filter.c - build the --seccomp BPF program (see seccomp_filter.h).
 *
 * Every syscall of the filtered tree runs this program, the workload's too, so
 * it is a binary search over the sorted syscall numbers (about six compares)
 * rather than one compare per selected syscall. Layout:
 *
 *   load arch; anything but x86_64 is allowed (we only decode x86_64)
 *   load nr; [clone: load flags, trace only with a CLONE_NEW* bit]
 *            [openat: load flags, trace only if O_WRONLY|O_CLOEXEC]
 *   binary search: "jge pivot" splits; each leaf is a few "jeq nr" followed by
 *   its own "ret allow" and "ret trace"
 *
 * A conditional jump only reaches 255 instructions forward, hence returns per
 * leaf; targets are kept as indices while building and made relative at the end.
 */
#include "seccomp_filter.h"

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/syscall.h>

#define CLONE_NEW_MASK                                                                             \
	(0x00020000u | 0x04000000u | 0x08000000u | 0x10000000u | 0x20000000u | 0x40000000u |      \
	 0x02000000u | 0x00000080u)

/* A jump target while building: the next instruction or an instruction index. */
enum { T_NEXT = -1 };

#define LEAF_MAX 4

struct builder {
	struct seccomp_prog *p;
	int jt[SECCOMP_FILTER_MAX], jf[SECCOMP_FILTER_MAX];
	bool overflow;
};

static int put(struct builder *b, unsigned short code, int jt, int jf, unsigned k)
{
	if (b->p->len >= SECCOMP_FILTER_MAX) {
		b->overflow = true;
		return 0;
	}
	int at = b->p->len++;
	struct sock_filter f = {code, 0, 0, k};
	b->p->insns[at] = f;
	b->jt[at] = jt;
	b->jf[at] = jf;
	return at;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return x < y ? -1 : x > y;
}

/* Emit the search over nrs[lo, hi): a match jumps to trace, no match to allow. */
static void search(struct builder *b, const long *nrs, size_t lo, size_t hi)
{
	if (hi - lo <= LEAF_MAX) {
		/* each leaf has its own returns, so every jump stays short */
		int first = b->p->len;
		for (size_t i = lo; i < hi; i++)
			put(b, BPF_JMP | BPF_JEQ | BPF_K, 0, T_NEXT, (unsigned)nrs[i]);
		put(b, BPF_RET | BPF_K, T_NEXT, T_NEXT, SECCOMP_RET_ALLOW);
		int trace = put(b, BPF_RET | BPF_K, T_NEXT, T_NEXT, SECCOMP_RET_TRACE);
		for (int i = first; i < trace - 1; i++)
			b->jt[i] = trace;
		return;
	}
	size_t mid = lo + (hi - lo) / 2;
	int split = put(b, BPF_JMP | BPF_JGE | BPF_K, 0, T_NEXT, (unsigned)nrs[mid]);
	search(b, nrs, lo, mid);
	b->jt[split] = b->p->len; /* the upper half starts here */
	search(b, nrs, mid, hi);
}

/* Turn symbolic targets into relative offsets; -1 when one is out of reach. */
static int resolve(struct builder *b)
{
	for (int i = 0; i < b->p->len; i++) {
		struct sock_filter *f = &b->p->insns[i];
		int targets[2] = {b->jt[i], b->jf[i]};
		int off[2];
		for (int k = 0; k < 2; k++) {
			int t = targets[k] == T_NEXT ? i + 1 : targets[k];
			off[k] = t - (i + 1);
		}
		if (BPF_CLASS(f->code) != BPF_JMP)
			continue;
		if (off[0] < 0 || off[0] > 255 || off[1] < 0 || off[1] > 255)
			return -1;
		f->jt = (unsigned char)off[0];
		f->jf = (unsigned char)off[1];
	}
	return 0;
}

/* Syscall nr traps only when the low 32 bits of argument arg pass test
 * (jset: any bit of k; jeq: equal to k). Emitted while the accumulator holds
 * the syscall number: any other call jumps past the block, the accumulator
 * untouched, so each block costs other calls one compare. */
static void narrow_by_arg(struct builder *b, long nr, int arg, unsigned short test, unsigned k)
{
	int jeq = put(b, BPF_JMP | BPF_JEQ | BPF_K, T_NEXT, 0, (unsigned)nr);
	put(b, BPF_LD | BPF_W | BPF_ABS, T_NEXT, T_NEXT, offsetof(struct seccomp_data, args[arg]));
	int hit = put(b, BPF_JMP | test | BPF_K, 0, T_NEXT, k);
	put(b, BPF_RET | BPF_K, T_NEXT, T_NEXT, SECCOMP_RET_ALLOW);
	b->jt[hit] = put(b, BPF_RET | BPF_K, T_NEXT, T_NEXT, SECCOMP_RET_TRACE);
	b->jf[jeq] = b->p->len; /* what follows the block */
}

int seccomp_prog_build(struct seccomp_prog *p, const long *nrs, size_t n, unsigned narrow)
{
	long *sorted = malloc((n ? n : 1) * sizeof(*sorted));
	if (!sorted)
		return -1;
	size_t m = 0;
	bool has_clone = false, has_openat = false;
	for (size_t i = 0; i < n; i++) {
		if (nrs[i] == SYS_clone && (narrow & SECCOMP_NARROW_CLONE_NS))
			has_clone = true;
		else if (nrs[i] == SYS_openat && (narrow & SECCOMP_NARROW_OPENAT_FIFO))
			has_openat = true;
		else
			sorted[m++] = nrs[i];
	}
	qsort(sorted, m, sizeof(*sorted), cmp_long);

	struct builder b = {.p = p};
	p->len = 0;
	put(&b, BPF_LD | BPF_W | BPF_ABS, T_NEXT, T_NEXT, offsetof(struct seccomp_data, arch));
	int arch = put(&b, BPF_JMP | BPF_JEQ | BPF_K, 0, T_NEXT, AUDIT_ARCH_X86_64);
	put(&b, BPF_RET | BPF_K, T_NEXT, T_NEXT, SECCOMP_RET_ALLOW);
	b.jt[arch] = put(&b, BPF_LD | BPF_W | BPF_ABS, T_NEXT, T_NEXT,
			 offsetof(struct seccomp_data, nr));
	if (has_clone)
		narrow_by_arg(&b, SYS_clone, 0, BPF_JSET, CLONE_NEW_MASK);
	if (has_openat)
		narrow_by_arg(&b, SYS_openat, 2, BPF_JEQ, O_WRONLY | O_CLOEXEC);
	search(&b, sorted, 0, m); /* an empty set is one leaf: allow */
	free(sorted);
	if (b.overflow)
		return -1;
	return resolve(&b);
}
