/* test_cli_options.c - the command line: what each option sets, and a clear
 * one-line error for everything wrong. */
#include <criterion/criterion.h>
#include <string.h>

#include "options.h"

static struct options o;
static char err[512];
/* o.command points into argv: it must outlive each PARSE */
static char *argv_store[64];

static int parse(char *const *args, size_t n)
{
	memcpy(argv_store, args, n * sizeof(*args));
	return options_parse(&o, (int)n - 1, argv_store, err, sizeof(err));
}

#define PARSE(...)                                                                                 \
	({                                                                                         \
		char *args_[] = {"nstrace", __VA_ARGS__, NULL};                                    \
		parse(args_, sizeof(args_) / sizeof(args_[0]));                                    \
	})

Test(cli_options, run_mode_defaults)
{
	cr_assert_eq(PARSE("--", "runc", "run", "c1"), 0, "%s", err);
	cr_assert_str_eq(o.command[0], "runc");
	cr_assert_str_eq(o.command[2], "c1");
	cr_assert_null(o.command[3]);
	cr_assert_eq(o.format, FMT_TEXT);
	cr_assert_eq(o.strsize, 32);
	cr_assert_eq(o.color, -1, "colour is auto by default");
	cr_assert_null(o.output, "stderr by default");
	cr_assert(!o.filter_given);
	long unshare = syscall_nr(SC_ARCH_X86_64, "unshare");
	long read_nr = syscall_nr(SC_ARCH_X86_64, "read");
	cr_assert(sc_filter_has(&o.filter, unshare), "%%container is the default set");
	cr_assert_not(sc_filter_has(&o.filter, read_nr));
	/* the command's own options are not ours */
	cr_assert_eq(PARSE("ls", "-la"), 0);
	cr_assert_str_eq(o.command[1], "-la");
}

Test(cli_options, attach_and_outputs)
{
	cr_assert_eq(PARSE("-p", "12,34", "-p", "56", "-F", "json", "-o", "t.jsonl", "-s", "256",
			   "-v", "-k", "-tt", "-T", "--color=never", "--summary-only", "-q"),
		     0, "%s", err);
	cr_assert_eq(o.npids, 3);
	cr_assert_eq(o.pids[0], 12);
	cr_assert_eq(o.pids[2], 56);
	cr_assert_null(o.command);
	cr_assert_eq(o.format, FMT_JSON);
	cr_assert_str_eq(o.output, "t.jsonl");
	cr_assert_eq(o.strsize, 256);
	cr_assert(o.verbose && o.stack && o.show_duration && o.summary_only && o.quiet);
	cr_assert_eq(o.ts, TS_TIME_US);
	cr_assert_eq(o.color, 0);
	cr_assert_eq(PARSE("-ttt", "-a", "containerd", "--once=exit", "--timeout", "2.5",
			   "-F", "chrome", "--trace-daemon", "--follow-workload", "--seccomp",
			   "--no-colocate", "--only-mine", "--daemon", "containerd", "--", "ctr"),
		     0, "%s", err);
	cr_assert_eq(o.ts, TS_EPOCH);
	cr_assert_str_eq(o.attach_names[0], "containerd");
	cr_assert_eq(o.once, ONCE_EXIT);
	cr_assert_float_eq(o.timeout_s, 2.5, 1e-9);
	cr_assert_eq(o.format, FMT_CHROME);
	cr_assert(o.trace_daemon && o.follow_workload && o.seccomp && o.no_colocate &&
		  o.only_mine);
	cr_assert_str_eq(o.daemon, "containerd");
	cr_assert_eq(PARSE("--colocate-all", "--", "make"), 0);
	cr_assert(o.colocate_all && !o.no_colocate);
	cr_assert_eq(PARSE("-p", "1", "--shims"), 0, "%s", err);
	cr_assert(o.shims);
	cr_assert_eq(PARSE("-r", "--once", "-p", "1"), 0);
	cr_assert_eq(o.ts, TS_RELATIVE);
	cr_assert_eq(o.once, ONCE_EXEC);
}

Test(cli_options, trace_expressions)
{
	cr_assert_eq(PARSE("-e", "trace=unshare,pivot_root", "--", "true"), 0, "%s", err);
	cr_assert(o.filter_given);
	cr_assert(sc_filter_has(&o.filter, syscall_nr(SC_ARCH_X86_64, "pivot_root")));
	cr_assert_not(sc_filter_has(&o.filter, syscall_nr(SC_ARCH_X86_64, "mount")));
	cr_assert_eq(PARSE("-e", "%ns", "--", "true"), 0, "trace= is optional: %s", err);
	cr_assert(sc_filter_has(&o.filter, syscall_nr(SC_ARCH_X86_64, "setns")));
	cr_assert_eq(PARSE("-e", "trace=!%mount", "--", "true"), 0, "%s", err);
	cr_assert_not(sc_filter_has(&o.filter, syscall_nr(SC_ARCH_X86_64, "mount")));
	cr_assert(sc_filter_has(&o.filter, syscall_nr(SC_ARCH_X86_64, "read")));
}

/* Each bad command line: -1, and one line saying what is wrong. */
static void bad(const char *want, int rc)
{
	cr_assert_eq(rc, -1, "accepted, but should fail with '%s'", want);
	cr_assert(strstr(err, want), "'%s' expected in: %s", want, err);
	cr_assert_null(strchr(err, '\n'), "one line: %s", err);
}

Test(cli_options, bad_input)
{
	bad("nothing to trace", PARSE("-v"));
	bad("not a process id", PARSE("-p", "abc"));
	bad("not a process id", PARSE("-p", "-3"));
	bad("not a process id", PARSE("-p", "0"));
	bad("not a process id", PARSE("-p", "99999999999"));
	bad("not a process id", PARSE("-p", "12,x"));
	bad("unknown format", PARSE("-F", "xml", "--", "true"));
	bad("unknown syscall", PARSE("-e", "trace=nosuchcall", "--", "true"));
	bad("only trace=", PARSE("-e", "signal=none", "--", "true"));
	bad("not a string length", PARSE("-s", "-1", "--", "true"));
	bad("auto, always or never", PARSE("--color=sometimes", "--", "true"));
	bad("not exec or exit", PARSE("--once=later", "-p", "1"));
	bad("seconds", PARSE("--timeout", "soon", "-p", "1"));
	bad("seconds", PARSE("--timeout", "0", "-p", "1"));
	bad("contradict", PARSE("--daemon", "x", "--no-daemon", "--", "ctr"));
	bad("contradict", PARSE("--colocate-all", "--no-colocate", "--", "make"));
	bad("contradict", PARSE("--shims", "--no-daemon", "--", "ctr", "run"));
	bad("unknown option", PARSE("--no-such-option", "--", "true"));
	bad("unknown option -Z", PARSE("-Z", "--", "true"));
	bad("needs an argument", PARSE("-p"));
	bad("empty process name", PARSE("-a", ""));
}

Test(cli_options, help_and_version)
{
	cr_assert_eq(PARSE("--help"), 0);
	cr_assert(o.help);
	cr_assert_eq(PARSE("-V"), 0);
	cr_assert(o.version);
	/* the help fits a screen and names every long option the parser takes */
	const char *u = options_usage();
	size_t lines = 0;
	for (const char *c = u; *c; c++)
		lines += *c == '\n';
	cr_assert_leq(lines, 40, "--help is %zu lines", lines);
	const char *longs[] = {"--once", "--timeout", "--daemon", "--no-daemon", "--only-mine",
			       "--trace-daemon", "--follow-workload", "--seccomp", "--no-colocate",
			       "--colocate-all",
			       "--color", "--summary-only"};
	for (size_t i = 0; i < sizeof(longs) / sizeof(longs[0]); i++)
		cr_assert(strstr(u, longs[i]), "--help does not mention %s", longs[i]);
}
