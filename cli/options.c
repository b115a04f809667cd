/* options.c - parse nstrace's command line (see options.h). */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int bad(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* A pid is a positive decimal number that fits pid_t, nothing else. */
static int parse_pid(const char *s, pid_t *out)
{
	char *end;
	errno = 0;
	if (!*s || *s == '-' || *s == '+')
		return -1;
	long v = strtol(s, &end, 10);
	if (errno || *end || v <= 0 || v > INT_MAX)
		return -1;
	*out = (pid_t)v;
	return 0;
}

static int add_pids(struct options *o, const char *list, char *err, size_t errlen)
{
	char *copy = strdup(list), *save = NULL;
	if (!copy)
		return bad(err, errlen, "out of memory");
	int rc = 0;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		pid_t pid;
		if (parse_pid(tok, &pid) < 0) {
			rc = bad(err, errlen, "-p: '%s' is not a process id", tok);
			break;
		}
		if (o->npids == OPT_MAX_PIDS) {
			rc = bad(err, errlen, "-p: at most %d processes", OPT_MAX_PIDS);
			break;
		}
		o->pids[o->npids++] = pid;
	}
	if (rc == 0 && o->npids == 0)
		rc = bad(err, errlen, "-p: no process id given");
	free(copy);
	return rc;
}

enum {
	OPT_COLOR = 256,
	OPT_SUMMARY_ONLY,
	OPT_DAEMON,
	OPT_NO_DAEMON,
	OPT_ONLY_MINE,
	OPT_ONCE,
	OPT_TIMEOUT,
	OPT_TRACE_DAEMON,
	OPT_FOLLOW_WORKLOAD,
	OPT_SECCOMP,
	OPT_NO_COLOCATE,
	OPT_COLOCATE_ALL,
	OPT_SHIMS,
};

static const struct option long_opts[] = {
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{"output", required_argument, NULL, 'o'},
	{"format", required_argument, NULL, 'F'},
	{"attach", required_argument, NULL, 'p'},
	{"attach-name", required_argument, NULL, 'a'},
	{"expr", required_argument, NULL, 'e'},
	{"string-limit", required_argument, NULL, 's'},
	{"stack-trace", no_argument, NULL, 'k'},
	{"color", optional_argument, NULL, OPT_COLOR},
	{"colour", optional_argument, NULL, OPT_COLOR},
	{"summary-only", no_argument, NULL, OPT_SUMMARY_ONLY},
	{"daemon", required_argument, NULL, OPT_DAEMON},
	{"no-daemon", no_argument, NULL, OPT_NO_DAEMON},
	{"only-mine", no_argument, NULL, OPT_ONLY_MINE},
	{"once", optional_argument, NULL, OPT_ONCE},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"trace-daemon", no_argument, NULL, OPT_TRACE_DAEMON},
	{"follow-workload", no_argument, NULL, OPT_FOLLOW_WORKLOAD},
	{"seccomp", no_argument, NULL, OPT_SECCOMP},
	{"no-colocate", no_argument, NULL, OPT_NO_COLOCATE},
	{"colocate-all", no_argument, NULL, OPT_COLOCATE_ALL},
	{"shims", no_argument, NULL, OPT_SHIMS},
	{NULL, 0, NULL, 0},
};

int options_parse(struct options *o, int argc, char **argv, char *err, size_t errlen)
{
	memset(o, 0, sizeof(*o));
	o->strsize = 32;
	o->color = -1;
	o->format = FMT_TEXT;
	o->ts = TS_DEFAULT;
	sc_filter_default(&o->filter);
	int nt = 0; /* how many -t */

	optind = 0; /* full reset of getopt, the tests parse many command lines */
	opterr = 0;
	int c;
	/* "+": stop at the first non-option, the command to run */
	while ((c = getopt_long(argc, argv, "+:hVo:F:p:a:e:s:kvqtrT", long_opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			o->help = true;
			break;
		case 'V':
			o->version = true;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'F':
			if (!strcmp(optarg, "text"))
				o->format = FMT_TEXT;
			else if (!strcmp(optarg, "json") || !strcmp(optarg, "jsonl"))
				o->format = FMT_JSON;
			else if (!strcmp(optarg, "chrome") || !strcmp(optarg, "perfetto"))
				o->format = FMT_CHROME;
			else
				return bad(err, errlen, "-F: unknown format '%s' (text, json, chrome)", optarg);
			break;
		case 'p':
			if (add_pids(o, optarg, err, errlen) < 0)
				return -1;
			break;
		case 'a':
			if (o->nattach_names == OPT_MAX_NAMES)
				return bad(err, errlen, "-a: at most %d names", OPT_MAX_NAMES);
			if (!*optarg)
				return bad(err, errlen, "-a: empty process name");
			o->attach_names[o->nattach_names++] = optarg;
			break;
		case 'e': {
			const char *e = optarg;
			if (strchr(e, '=') && strncmp(e, "trace=", 6) != 0)
				return bad(err, errlen, "-e: only trace=... is supported, not '%s'", e);
			if (sc_filter_parse(&o->filter, e, err, errlen) < 0)
				return -1;
			o->filter_given = true;
			break;
		}
		case 's': {
			char *end;
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (errno || *end || v < 0 || v > 1 << 20)
				return bad(err, errlen, "-s: '%s' is not a string length", optarg);
			o->strsize = (size_t)v;
			break;
		}
		case 'k':
			o->stack = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 't':
			nt++;
			o->ts = nt == 1 ? TS_TIME : nt == 2 ? TS_TIME_US : TS_EPOCH;
			break;
		case 'r':
			o->ts = TS_RELATIVE;
			break;
		case 'T':
			o->show_duration = true;
			break;
		case OPT_COLOR:
			if (!optarg || !strcmp(optarg, "always"))
				o->color = 1;
			else if (!strcmp(optarg, "never"))
				o->color = 0;
			else if (!strcmp(optarg, "auto"))
				o->color = -1;
			else
				return bad(err, errlen, "--color: '%s' is not auto, always or never", optarg);
			break;
		case OPT_SUMMARY_ONLY:
			o->summary_only = true;
			break;
		case OPT_DAEMON:
			o->daemon = optarg;
			break;
		case OPT_NO_DAEMON:
			o->no_daemon = true;
			break;
		case OPT_ONLY_MINE:
			o->only_mine = true;
			break;
		case OPT_ONCE:
			if (!optarg || !strcmp(optarg, "exec"))
				o->once = ONCE_EXEC;
			else if (!strcmp(optarg, "exit"))
				o->once = ONCE_EXIT;
			else
				return bad(err, errlen, "--once: '%s' is not exec or exit", optarg);
			break;
		case OPT_TIMEOUT: {
			char *end;
			errno = 0;
			double v = strtod(optarg, &end);
			if (errno || *end || !(v > 0) || v > 1e7)
				return bad(err, errlen, "--timeout: '%s' is not a number of seconds", optarg);
			o->timeout_s = v;
			break;
		}
		case OPT_TRACE_DAEMON:
			o->trace_daemon = true;
			break;
		case OPT_FOLLOW_WORKLOAD:
			o->follow_workload = true;
			break;
		case OPT_SECCOMP:
			o->seccomp = true;
			break;
		case OPT_NO_COLOCATE:
			o->no_colocate = true;
			break;
		case OPT_COLOCATE_ALL:
			o->colocate_all = true;
			break;
		case OPT_SHIMS:
			o->shims = true;
			break;
		case ':':
			return bad(err, errlen, "option %s needs an argument", argv[optind - 1]);
		default:
			if (optopt && optopt < 256)
				return bad(err, errlen, "unknown option -%c (see --help)", optopt);
			return bad(err, errlen, "unknown option %s (see --help)", argv[optind - 1]);
		}
	}
	if (o->help || o->version)
		return 0;
	if (optind < argc)
		o->command = &argv[optind];
	if (!o->command && o->npids == 0 && o->nattach_names == 0)
		return bad(err, errlen, "nothing to trace: give -p PID, -a NAME or -- COMMAND [ARGS]");
	if (o->no_daemon && o->daemon)
		return bad(err, errlen, "--daemon and --no-daemon contradict each other");
	if (o->no_colocate && o->colocate_all)
		return bad(err, errlen, "--colocate-all and --no-colocate contradict each other");
	if (o->shims && o->command && o->no_daemon)
		return bad(err, errlen, "--shims and --no-daemon contradict each other");
	return 0;
}

const char *options_usage(void)
{
	return "usage: nstrace [OPTIONS] -- COMMAND [ARGS...]   trace a command and its children\n"
	       "       nstrace [OPTIONS] -p PID[,PID...]       attach to running processes\n"
	       "       nstrace [OPTIONS] -a NAME               attach to the process named NAME\n"
	       "\n"
	       "What to trace:\n"
	       "  -p PID[,PID]      attach to every thread of PID (repeatable)   -p $(pidof containerd)\n"
	       "  -a NAME           attach to the running process NAME           -a containerd\n"
	       "  -e trace=SET      syscalls shown (strace syntax, %container)   -e trace=%ns,pivot_root\n"
	       "  --once[=exit]     stop after the first entrypoint exec (exit)   -a containerd --once\n"
	       "  --timeout SEC     stop after SEC seconds                        --timeout 30\n"
	       "  --daemon PID|NAME daemon to attach when wrapping a client       --daemon containerd\n"
	       "  --no-daemon       do not attach to the daemon for a client      --no-daemon -- docker ps\n"
	       "  --only-mine       hide launches the command did not cause       --only-mine -- ctr run ...\n"
	       "  --shims           attach containerd's running shims too (exec,  -p $(pidof containerd) --shims\n"
	       "                    a pod's next containers go through them)\n"
	       "  --trace-daemon    syscall-trace daemons, shims, clients too     --trace-daemon -p 1234\n"
	       "  --follow-workload syscall-trace the container's processes      --follow-workload\n"
	       "  --seccomp         stop only at shown syscalls (seccomp-bpf)     --seccomp -- runc run x\n"
	       "  --no-colocate     do not run traced runtimes on nstrace's CPU   --no-colocate\n"
	       "  --colocate-all    plain commands too (they see one CPU)         --colocate-all -- make\n"
	       "\n"
	       "Output:\n"
	       "  -F text|json|chrome  output format (default text)               -F json\n"
	       "  -o FILE           write to FILE (- for stdout; default stderr)  -o launch.jsonl\n"
	       "  -s N              longest string printed (default 32)           -s 256\n"
	       "  -v                print structures whole                        -v\n"
	       "  -k                user stack under each shown syscall           -k\n"
	       "  -t, -tt, -ttt     wall clock, with microseconds, epoch          -tt\n"
	       "  -r                time since the previous line                  -r\n"
	       "  -T                time spent in each syscall                    -T\n"
	       "  --color[=WHEN]    auto, always or never (honours NO_COLOR)      --color=never\n"
	       "  --summary-only    print only the launch summary                 --summary-only\n"
	       "  -q                no attach/detach messages                     -q\n"
	       "  -h, --help        this text; -V, --version: the version\n";
}
