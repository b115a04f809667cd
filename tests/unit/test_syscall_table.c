/* test_syscall_table.c - x86_64 table lookups, classes, flags and -e trace= parsing. */
#include <criterion/criterion.h>
#include <linux/audit.h>
#include <string.h>

#include "syscalls.h"

Test(syscall_table, known_numbers)
{
	cr_assert_str_eq(syscall_ent(SC_ARCH_X86_64, 0)->name, "read");
	cr_assert_str_eq(syscall_ent(SC_ARCH_X86_64, 56)->name, "clone");
	cr_assert_str_eq(syscall_ent(SC_ARCH_X86_64, 272)->name, "unshare");
	cr_assert_str_eq(syscall_ent(SC_ARCH_X86_64, 308)->name, "setns");
	cr_assert_str_eq(syscall_ent(SC_ARCH_X86_64, 155)->name, "pivot_root");
	cr_assert_str_eq(syscall_ent(SC_ARCH_X86_64, 435)->name, "clone3");
	cr_assert_str_eq(syscall_ent(SC_ARCH_X86_64, 442)->name, "mount_setattr");
	cr_assert_eq(syscall_ent(SC_ARCH_X86_64, 56)->nargs, 5);
	cr_assert_eq(syscall_ent(SC_ARCH_X86_64, 157)->nargs, 5);
	cr_assert_eq(syscall_ent(SC_ARCH_X86_64, 59)->nargs, 3);
	cr_assert_eq(syscall_ent(SC_ARCH_X86_64, 322)->nargs, 5);
	cr_assert_eq(syscall_ent(SC_ARCH_X86_64, 9)->rfmt, SCR_HEX);
}

Test(syscall_table, holes_and_bounds)
{
	cr_assert_null(syscall_ent(SC_ARCH_X86_64, 400)); /* 335..423 unassigned */
	cr_assert_null(syscall_ent(SC_ARCH_X86_64, -1));
	cr_assert_null(syscall_ent(SC_ARCH_X86_64, 100000));
	cr_assert_null(syscall_ent(SC_ARCH_UNKNOWN, 0));
	cr_assert_geq(syscall_max(SC_ARCH_X86_64), 451);
	cr_assert_eq(syscall_max(SC_ARCH_UNKNOWN), 0);
}

Test(syscall_table, names_to_numbers)
{
	cr_assert_eq(syscall_nr(SC_ARCH_X86_64, "clone3"), 435);
	cr_assert_eq(syscall_nr(SC_ARCH_X86_64, "execve"), 59);
	cr_assert_eq(syscall_nr(SC_ARCH_X86_64, "exit_group"), 231);
	cr_assert_eq(syscall_nr(SC_ARCH_X86_64, "no_such_call"), -1);
	cr_assert_eq(syscall_nr(SC_ARCH_X86_64, NULL), -1);
	/* every name maps back to its own number */
	for (long nr = 0; nr < syscall_max(SC_ARCH_X86_64); nr++) {
		const struct syscall_ent *e = syscall_ent(SC_ARCH_X86_64, nr);
		if (e)
			cr_assert_eq(syscall_nr(SC_ARCH_X86_64, e->name), nr, "%s", e->name);
	}
}

Test(syscall_table, audit_arch)
{
	cr_assert_eq(sc_arch_of_audit(AUDIT_ARCH_X86_64), SC_ARCH_X86_64);
	cr_assert_eq(sc_arch_of_audit(AUDIT_ARCH_I386), SC_ARCH_I386);
	cr_assert_eq(sc_arch_of_audit(AUDIT_ARCH_AARCH64), SC_ARCH_AARCH64);
	cr_assert_eq(sc_arch_of_audit(0x1234), SC_ARCH_UNKNOWN);
}

static unsigned flags_of(const char *name)
{
	return syscall_ent(SC_ARCH_X86_64, syscall_nr(SC_ARCH_X86_64, name))->flags;
}

Test(syscall_table, behaviour_flags)
{
	const char *ns[] = { "clone", "clone3", "unshare", "setns" };
	for (size_t i = 0; i < 4; i++)
		cr_assert(flags_of(ns[i]) & SCF_NS_CHANGE, "%s", ns[i]);
	cr_assert(flags_of("prctl") & SCF_COMM_CHANGE);
	cr_assert(flags_of("execve") & SCF_EXEC);
	cr_assert(flags_of("execveat") & SCF_EXEC);
	const char *spawn[] = { "fork", "vfork", "clone", "clone3" };
	for (size_t i = 0; i < 4; i++)
		cr_assert(flags_of(spawn[i]) & SCF_SPAWN, "%s", spawn[i]);
	cr_assert(flags_of("exit") & SCF_NORETURN);
	cr_assert(flags_of("exit_group") & SCF_NORETURN);
	cr_assert_not(flags_of("read") & (SCF_NS_CHANGE | SCF_EXEC | SCF_SPAWN | SCF_MODEL));
	const char *model[] = { "clone", "clone3", "fork", "vfork", "unshare", "setns", "execve",
				"execveat", "prctl", "pivot_root", "chroot", "mount", "umount2",
				"move_mount", "fsmount", "open_tree", "openat", "write", "sethostname",
				"setuid", "setgid", "setresuid", "setresgid", "setgroups", "capset",
				"seccomp", "exit_group" };
	for (size_t i = 0; i < sizeof(model) / sizeof(model[0]); i++)
		cr_assert(flags_of(model[i]) & SCF_MODEL, "%s", model[i]);
	cr_assert_not(flags_of("close") & SCF_MODEL);
}

static bool has(const struct sc_filter *f, const char *name)
{
	return sc_filter_has(f, syscall_nr(SC_ARCH_X86_64, name));
}

Test(filter, default_is_container_set)
{
	struct sc_filter f;
	sc_filter_default(&f);
	const char *in[] = { "clone", "clone3", "fork", "vfork", "unshare", "setns", "execve",
			     "execveat", "pivot_root", "chroot", "mount", "umount2", "open_tree",
			     "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
			     "openat2", "mknodat", "symlinkat", "sethostname", "setdomainname", "prctl",
			     "seccomp", "capset", "capget", "setuid", "setgid", "setresuid",
			     "setresgid", "setgroups", "setsid", "memfd_create", "keyctl", "setrlimit",
			     "prlimit64", "bpf" };
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		cr_assert(has(&f, in[i]), "%s", in[i]);
	cr_assert_not(has(&f, "read"));
	cr_assert_not(has(&f, "openat"));
	cr_assert_not(has(&f, "write"));
}

Test(filter, names_prefix_and_classes)
{
	struct sc_filter f;
	char err[128] = "";
	cr_assert_eq(sc_filter_parse(&f, "trace=openat,write", err, sizeof(err)), 0, "%s", err);
	cr_assert(has(&f, "openat"));
	cr_assert(has(&f, "write"));
	cr_assert_not(has(&f, "clone"));

	cr_assert_eq(sc_filter_parse(&f, "%ns", err, sizeof(err)), 0);
	cr_assert(has(&f, "unshare") && has(&f, "setns") && has(&f, "clone3"));
	cr_assert_not(has(&f, "mount"));

	cr_assert_eq(sc_filter_parse(&f, "%mount,setns", err, sizeof(err)), 0);
	cr_assert(has(&f, "mount") && has(&f, "pivot_root") && has(&f, "fsconfig") && has(&f, "setns"));
	cr_assert_not(has(&f, "unshare"));

	cr_assert_eq(sc_filter_parse(&f, "%creds", err, sizeof(err)), 0);
	cr_assert(has(&f, "setresuid") && has(&f, "capset") && has(&f, "getuid"));
	cr_assert_eq(sc_filter_parse(&f, "%security", err, sizeof(err)), 0);
	cr_assert(has(&f, "seccomp") && has(&f, "bpf") && has(&f, "keyctl"));
	cr_assert_eq(sc_filter_parse(&f, "%process", err, sizeof(err)), 0);
	cr_assert(has(&f, "execve") && has(&f, "wait4") && has(&f, "exit_group"));
	cr_assert_not(has(&f, "mount"));
}

Test(filter, all_none_negation)
{
	struct sc_filter f;
	char err[128];
	cr_assert_eq(sc_filter_parse(&f, "all", err, sizeof(err)), 0);
	cr_assert(has(&f, "read") && has(&f, "clone3") && has(&f, "rseq"));
	cr_assert_eq(sc_filter_parse(&f, "none", err, sizeof(err)), 0);
	cr_assert_not(has(&f, "read"));
	cr_assert_eq(sc_filter_parse(&f, "trace=!write,read", err, sizeof(err)), 0);
	cr_assert_not(has(&f, "write"));
	cr_assert_not(has(&f, "read"));
	cr_assert(has(&f, "openat"));
	cr_assert_eq(sc_filter_parse(&f, "!%ns", err, sizeof(err)), 0);
	cr_assert_not(has(&f, "unshare"));
	cr_assert(has(&f, "mount"));
}

Test(filter, later_expression_replaces)
{
	struct sc_filter f;
	char err[128];
	sc_filter_default(&f);
	cr_assert_eq(sc_filter_parse(&f, "write", err, sizeof(err)), 0);
	cr_assert(has(&f, "write"));
	cr_assert_not(has(&f, "clone"));
}

Test(filter, optional_and_regex)
{
	struct sc_filter f;
	char err[128];
	cr_assert_eq(sc_filter_parse(&f, "?nosuchcall,unshare", err, sizeof(err)), 0);
	cr_assert(has(&f, "unshare"));
	cr_assert_eq(sc_filter_parse(&f, "/^set.*id$", err, sizeof(err)), 0);
	cr_assert(has(&f, "setuid") && has(&f, "setresgid") && has(&f, "setfsuid"));
	cr_assert_not(has(&f, "getuid"));
}

Test(filter, errors)
{
	struct sc_filter f;
	char err[128] = "";
	cr_assert_eq(sc_filter_parse(&f, "trace=foo", err, sizeof(err)), -1);
	cr_assert_str_eq(err, "-e trace: unknown syscall 'foo'");
	cr_assert_eq(sc_filter_parse(&f, "unshare,bar", err, sizeof(err)), -1);
	cr_assert_str_eq(err, "-e trace: unknown syscall 'bar'");
	cr_assert_eq(sc_filter_parse(&f, "%nope", err, sizeof(err)), -1);
	cr_assert(strstr(err, "%nope"));
	cr_assert_eq(sc_filter_parse(&f, "trace=", err, sizeof(err)), -1);
	cr_assert_eq(sc_filter_parse(&f, "a,,b", err, sizeof(err)), -1);
	cr_assert_eq(sc_filter_parse(&f, "/(", err, sizeof(err)), -1);
}

Test(filter, add_and_bounds)
{
	struct sc_filter f;
	memset(&f, 0, sizeof(f));
	sc_filter_add(&f, 1023);
	sc_filter_add(&f, 1024); /* ignored: out of range */
	sc_filter_add(&f, -5);
	cr_assert(sc_filter_has(&f, 1023));
	cr_assert_not(sc_filter_has(&f, 1024));
	cr_assert_not(sc_filter_has(&f, -5));
}
