/* names.c - names for the constants an event carries as numbers (signals,
 * si_code, errno, clone flags of a spawn) and the colour of each role.
 *
 * Decoded syscall arguments arrive already named (syscall_tables/); these are the
 * few raw fields of the event itself that formatters must still show by name.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "fmt_private.h"

/* Standard signals of Linux (x86_64 and aarch64 share these numbers). */
static const char *const signal_names[] = {
    [1] = "SIGHUP",	[2] = "SIGINT",	  [3] = "SIGQUIT",   [4] = "SIGILL",   [5] = "SIGTRAP",
    [6] = "SIGABRT",	[7] = "SIGBUS",	  [8] = "SIGFPE",    [9] = "SIGKILL",  [10] = "SIGUSR1",
    [11] = "SIGSEGV",	[12] = "SIGUSR2", [13] = "SIGPIPE",  [14] = "SIGALRM", [15] = "SIGTERM",
    [16] = "SIGSTKFLT", [17] = "SIGCHLD", [18] = "SIGCONT",  [19] = "SIGSTOP", [20] = "SIGTSTP",
    [21] = "SIGTTIN",	[22] = "SIGTTOU", [23] = "SIGURG",   [24] = "SIGXCPU", [25] = "SIGXFSZ",
    [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH", [29] = "SIGIO",   [30] = "SIGPWR",
    [31] = "SIGSYS",
};

#define KERNEL_SIGRTMIN 32
#define KERNEL_SIGRTMAX 64

const char *signal_name(int sig, char *buf, size_t len)
{
	if (sig > 0 && (size_t)sig < sizeof(signal_names) / sizeof(signal_names[0]))
		return signal_names[sig];
	if (sig >= KERNEL_SIGRTMIN && sig <= KERNEL_SIGRTMAX) {
		/* strace's spelling: real-time signals counted from the kernel's SIGRTMIN */
		snprintf(buf, len, "SIGRT_%d", sig - KERNEL_SIGRTMIN);
		return buf;
	}
	return NULL;
}

struct code_name {
	int sig; /* 0: any signal */
	int code;
	const char *name;
};

/* si_code values: the generic ones, then per signal (asm-generic/siginfo.h). */
static const struct code_name si_codes[] = {
    {0, 0, "SI_USER"},		 {0, 0x80, "SI_KERNEL"},	{0, -1, "SI_QUEUE"},
    {0, -2, "SI_TIMER"},	 {0, -3, "SI_MESGQ"},		{0, -4, "SI_ASYNCIO"},
    {0, -5, "SI_SIGIO"},	 {0, -6, "SI_TKILL"},		{SIGCHLD, 1, "CLD_EXITED"},
    {SIGCHLD, 2, "CLD_KILLED"},	 {SIGCHLD, 3, "CLD_DUMPED"},	{SIGCHLD, 4, "CLD_TRAPPED"},
    {SIGCHLD, 5, "CLD_STOPPED"}, {SIGCHLD, 6, "CLD_CONTINUED"}, {SIGSEGV, 1, "SEGV_MAPERR"},
    {SIGSEGV, 2, "SEGV_ACCERR"}, {SIGBUS, 1, "BUS_ADRALN"},	{SIGBUS, 2, "BUS_ADRERR"},
    {SIGBUS, 3, "BUS_OBJERR"},	 {SIGTRAP, 1, "TRAP_BRKPT"},	{SIGTRAP, 2, "TRAP_TRACE"},
    {SIGSYS, 1, "SYS_SECCOMP"},	 {SIGILL, 1, "ILL_ILLOPC"},	{SIGFPE, 1, "FPE_INTDIV"},
    {SIGIO, 1, "POLL_IN"},	 {SIGIO, 2, "POLL_OUT"},
};

const char *si_code_name(int sig, int code)
{
	/* Positive codes are the kernel's and mean something per signal; zero and
	 * negative ones (sent by a process) mean the same for every signal. */
	for (size_t i = 0; i < sizeof(si_codes) / sizeof(si_codes[0]); i++) {
		const struct code_name *c = &si_codes[i];
		if (c->code != code)
			continue;
		if (c->sig == sig || (c->sig == 0 && (code <= 0 || code == 0x80)))
			return c->name;
	}
	return NULL;
}

/* Kernel-internal codes a tracer sees when a syscall is interrupted; libc has no
 * names for them (include/linux/errno.h). */
static const char *const kernel_errnos[] = {
    [512 - 512] = "ERESTARTSYS",	   [513 - 512] = "ERESTARTNOINTR",
    [514 - 512] = "ERESTARTNOHAND",	   [515 - 512] = "ENOIOCTLCMD",
    [516 - 512] = "ERESTART_RESTARTBLOCK",
};

const char *errno_name(int err)
{
	if (err >= 512 && err < 512 + (int)(sizeof(kernel_errnos) / sizeof(kernel_errnos[0])))
		return kernel_errnos[err - 512];
	return err > 0 ? strerrorname_np(err) : NULL;
}

struct flag_name {
	uint64_t bit;
	const char *name;
};

/* linux/sched.h; the low byte of clone(2)'s flags is the exit signal (CSIGNAL). */
static const struct flag_name clone_flag_names[] = {
    {0x00000100, "CLONE_VM"},
    {0x00000200, "CLONE_FS"},
    {0x00000400, "CLONE_FILES"},
    {0x00000800, "CLONE_SIGHAND"},
    {0x00001000, "CLONE_PIDFD"},
    {0x00002000, "CLONE_PTRACE"},
    {0x00004000, "CLONE_VFORK"},
    {0x00008000, "CLONE_PARENT"},
    {0x00010000, "CLONE_THREAD"},
    {0x00020000, "CLONE_NEWNS"},
    {0x00040000, "CLONE_SYSVSEM"},
    {0x00080000, "CLONE_SETTLS"},
    {0x00100000, "CLONE_PARENT_SETTID"},
    {0x00200000, "CLONE_CHILD_CLEARTID"},
    {0x00400000, "CLONE_DETACHED"},
    {0x00800000, "CLONE_UNTRACED"},
    {0x01000000, "CLONE_CHILD_SETTID"},
    {0x02000000, "CLONE_NEWCGROUP"},
    {0x04000000, "CLONE_NEWUTS"},
    {0x08000000, "CLONE_NEWIPC"},
    {0x10000000, "CLONE_NEWUSER"},
    {0x20000000, "CLONE_NEWPID"},
    {0x40000000, "CLONE_NEWNET"},
    {0x80000000, "CLONE_IO"},
    {0x100000000ULL, "CLONE_CLEAR_SIGHAND"},
    {0x200000000ULL, "CLONE_INTO_CGROUP"},
};

/* Calls add(name) per flag, then the exit signal; returns the unknown bits. */
static uint64_t clone_flags_walk(uint64_t flags, void (*add)(void *ctx, const char *name),
				 void *ctx)
{
	uint64_t rest = flags & ~0xffULL;
	for (size_t i = 0; i < sizeof(clone_flag_names) / sizeof(clone_flag_names[0]); i++) {
		if (rest & clone_flag_names[i].bit) {
			add(ctx, clone_flag_names[i].name);
			rest &= ~clone_flag_names[i].bit;
		}
	}
	unsigned low = (unsigned)(flags & 0xff);
	/* clone3 has no exit signal in its flags, but CLONE_NEWTIME (0x80) */
	if (low & 0x80) {
		add(ctx, "CLONE_NEWTIME");
		low &= 0x7f;
	}
	if (low) {
		char buf[16];
		const char *s = signal_name((int)low, buf, sizeof(buf));
		if (s)
			add(ctx, s);
		else
			rest |= low;
	}
	return rest;
}

static void add_json(void *ctx, const char *name)
{
	json_array_append_new(ctx, json_string(name));
}

void clone_flags_json(json_t *arr, uint64_t flags)
{
	uint64_t rest = clone_flags_walk(flags, add_json, arr);
	if (rest) {
		char buf[32];
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)rest);
		json_array_append_new(arr, json_string(buf));
	}
}

static void add_text(void *ctx, const char *name)
{
	struct strbuf *sb = ctx;
	if (sb->len)
		sb_putc(sb, '|');
	sb_puts(sb, name);
}

void clone_flags_text(struct strbuf *sb, uint64_t flags)
{
	struct strbuf tmp;
	sb_init(&tmp);
	uint64_t rest = clone_flags_walk(flags, add_text, &tmp);
	if (rest)
		sb_printf(&tmp, "%s0x%llx", tmp.len ? "|" : "", (unsigned long long)rest);
	sb_puts(sb, tmp.len ? sb_str(&tmp) : "0");
	sb_free(&tmp);
}

/* Role colours: the launch reads top-down from blue daemons to magenta workloads. */
static const char *const role_colors[ROLE_COUNT] = {
    [ROLE_UNKNOWN] = "",	  [ROLE_DAEMON] = "\033[34m",  [ROLE_SHIM] = "\033[36m",
    [ROLE_CLIENT] = "\033[1m",	  [ROLE_RUNTIME] = "\033[32m", [ROLE_RUNTIME_INIT] = "\033[33m",
    [ROLE_WORKLOAD] = "\033[35m", [ROLE_PROCESS] = "",
};

const char *role_color(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? role_colors[r] : "";
}
