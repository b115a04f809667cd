/* test_tracer_seccomp.c - the --seccomp BPF program, run by a small interpreter
 * of the classic BPF the program uses: exactly the selected syscalls trace,
 * clone only with a CLONE_NEW* bit, openat only as the exec fifo's open, other
 * architectures always pass. */
#include <criterion/criterion.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>

#include "seccomp_filter.h"

/* Run prog on one seccomp_data; fails the test on anything it does not expect. */
static size_t last_steps; /* instructions the last run executed */

static unsigned run(const struct seccomp_prog *p, const struct seccomp_data *d)
{
	unsigned acc = 0;
	size_t pc = 0, steps = 0;
	while (pc < p->len) {
		cr_assert_lt(++steps, 1000, "the program loops");
		const struct sock_filter *f = &p->insns[pc];
		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			cr_assert_leq(f->k + 4, sizeof(*d));
			memcpy(&acc, (const char *)d + f->k, 4);
			pc++;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += 1 + (acc == f->k ? f->jt : f->jf);
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += 1 + (acc >= f->k ? f->jt : f->jf);
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			pc += 1 + ((acc & f->k) ? f->jt : f->jf);
			break;
		case BPF_JMP | BPF_JA:
			pc += 1 + f->k;
			break;
		case BPF_RET | BPF_K:
			last_steps = steps;
			return f->k;
		default:
			cr_assert_fail("unexpected instruction %#x at %zu", f->code, pc);
		}
	}
	cr_assert_fail("fell off the end of the program");
	return 0;
}

static unsigned verdict(const struct seccomp_prog *p, unsigned arch, int nr, uint64_t arg0)
{
	struct seccomp_data d = {.nr = nr, .arch = arch};
	d.args[0] = arg0;
	return run(p, &d);
}

static unsigned verdict3(const struct seccomp_prog *p, int nr, uint64_t arg2)
{
	struct seccomp_data d = {.nr = nr, .arch = AUDIT_ARCH_X86_64};
	d.args[2] = arg2;
	return run(p, &d);
}

Test(tracer_seccomp, selected_syscalls_trace_others_pass)
{
	/* unsorted, as the pipeline may give them */
	long nrs[] = {SYS_unshare,    SYS_mount,  SYS_setns,  SYS_pivot_root, SYS_clone3,
		      SYS_execve,     SYS_prctl,  SYS_umount2, SYS_sethostname, SYS_chroot,
		      SYS_open_tree,  SYS_fsopen, SYS_capset, SYS_setuid,     SYS_seccomp,
		      SYS_mknodat,    SYS_keyctl, SYS_bpf,    SYS_memfd_create, SYS_clone};
	size_t n = sizeof(nrs) / sizeof(nrs[0]);
	struct seccomp_prog p;
	cr_assert_eq(seccomp_prog_build(&p, nrs, n, SECCOMP_NARROW_CLONE_NS), 0);
	size_t worst = 0;
	for (int nr = 0; nr < 600; nr++) {
		bool selected = false;
		for (size_t i = 0; i < n; i++)
			selected |= nrs[i] == nr && nr != SYS_clone;
		unsigned want = selected ? SECCOMP_RET_TRACE : SECCOMP_RET_ALLOW;
		if (nr == SYS_clone)
			continue;
		cr_assert_eq(verdict(&p, AUDIT_ARCH_X86_64, nr, 0), want, "syscall %d", nr);
		worst = last_steps > worst ? last_steps : worst;
		cr_assert_eq(verdict(&p, AUDIT_ARCH_I386, nr, 0), SECCOMP_RET_ALLOW,
			     "other architectures pass (syscall %d)", nr);
	}
	/* clone: a thread or a fork passes, a namespace-making clone traces */
	cr_assert_eq(verdict(&p, AUDIT_ARCH_X86_64, SYS_clone, 0x3d0f00), SECCOMP_RET_ALLOW);
	cr_assert_eq(verdict(&p, AUDIT_ARCH_X86_64, SYS_clone, 0x8000 | 17), SECCOMP_RET_ALLOW);
	cr_assert_eq(verdict(&p, AUDIT_ARCH_X86_64, SYS_clone, 0x20000000 | 17), SECCOMP_RET_TRACE);
	cr_assert_eq(verdict(&p, AUDIT_ARCH_X86_64, SYS_clone, 0x00020000), SECCOMP_RET_TRACE);
	/* a binary search: any syscall runs a handful of instructions, not one
	 * compare per selected syscall (which every workload syscall would pay) */
	cr_assert_leq(worst, 14, "worst path %zu instructions", worst);
}

Test(tracer_seccomp, clone_in_full_and_edges)
{
	struct seccomp_prog p;
	long one[] = {SYS_clone};
	cr_assert_eq(seccomp_prog_build(&p, one, 1, 0), 0);
	cr_assert_eq(verdict(&p, AUDIT_ARCH_X86_64, SYS_clone, 0x3d0f00), SECCOMP_RET_TRACE,
		     "without narrowing every clone traces");
	cr_assert_eq(verdict(&p, AUDIT_ARCH_X86_64, SYS_read, 0), SECCOMP_RET_ALLOW);
	cr_assert_eq(seccomp_prog_build(&p, NULL, 0, SECCOMP_NARROW_CLONE_NS), 0);
	cr_assert_eq(verdict(&p, AUDIT_ARCH_X86_64, SYS_unshare, 0), SECCOMP_RET_ALLOW,
		     "an empty selection traces nothing");
	/* -e trace=all: every syscall fits, every jump in reach */
	long many[400];
	for (int i = 0; i < 400; i++)
		many[i] = i * 2;
	cr_assert_eq(seccomp_prog_build(&p, many, 200, 0), 0);
	for (int nr = 0; nr < 420; nr++)
		cr_assert_eq(verdict(&p, AUDIT_ARCH_X86_64, nr, 0),
			     (nr % 2 == 0 && nr < 400) ? SECCOMP_RET_TRACE : SECCOMP_RET_ALLOW,
			     "syscall %d", nr);
}

Test(tracer_seccomp, openat_only_the_exec_fifo)
{
	long nrs[] = {SYS_mount, SYS_openat, SYS_clone, SYS_unshare};
	struct seccomp_prog p;
	cr_assert_eq(seccomp_prog_build(&p, nrs, 4,
					SECCOMP_NARROW_CLONE_NS | SECCOMP_NARROW_OPENAT_FIFO),
		     0);
	/* runc's open of /proc/self/fd/N (the exec fifo) traps; reads, O_PATH walks,
	 * creates and appends pass */
	cr_assert_eq(verdict3(&p, SYS_openat, 01 | 02000000), SECCOMP_RET_TRACE);
	cr_assert_eq(verdict3(&p, SYS_openat, 02000000), SECCOMP_RET_ALLOW);
	cr_assert_eq(verdict3(&p, SYS_openat, 010000000 | 02000000), SECCOMP_RET_ALLOW);
	cr_assert_eq(verdict3(&p, SYS_openat, 01 | 0100 | 01000 | 02000000), SECCOMP_RET_ALLOW);
	cr_assert_eq(verdict3(&p, SYS_openat, 01 | 02000 | 02000000), SECCOMP_RET_ALLOW);
	cr_assert_eq(verdict3(&p, SYS_openat, 01), SECCOMP_RET_ALLOW);
	/* both narrowings at once, and the rest still searched */
	cr_assert_eq(verdict(&p, AUDIT_ARCH_X86_64, SYS_clone, 0x20000000 | 17), SECCOMP_RET_TRACE);
	cr_assert_eq(verdict(&p, AUDIT_ARCH_X86_64, SYS_clone, 17), SECCOMP_RET_ALLOW);
	cr_assert_eq(verdict(&p, AUDIT_ARCH_X86_64, SYS_mount, 0), SECCOMP_RET_TRACE);
	cr_assert_eq(verdict(&p, AUDIT_ARCH_X86_64, SYS_unshare, 0), SECCOMP_RET_TRACE);
	cr_assert_eq(verdict(&p, AUDIT_ARCH_X86_64, SYS_read, 0), SECCOMP_RET_ALLOW);
	/* not narrowed: every openat traps */
	cr_assert_eq(seccomp_prog_build(&p, nrs, 4, SECCOMP_NARROW_CLONE_NS), 0);
	cr_assert_eq(verdict3(&p, SYS_openat, 02000000), SECCOMP_RET_TRACE);
}
