/* event_names.c - names for the raw numbers an event carries: the clone flags
 * of a spawn, a delivered or fatal signal, a signal's si_code. Looked up here,
 * with the other constant tables, so formatters print names without tables.
 */
#include <signal.h>
#include <stddef.h>

#include "syscalls.h"
#include "xlat.h"

struct code_name {
	int sig; /* 0: any signal */
	int code;
	const char *name;
};

/* si_code values: the generic ones, then per signal (asm-generic/siginfo.h). */
static const struct code_name si_codes[] = {
	{0, 0, "SI_USER"},	     {0, 0x80, "SI_KERNEL"},	     {0, -1, "SI_QUEUE"},
	{0, -2, "SI_TIMER"},	     {0, -3, "SI_MESGQ"},	     {0, -4, "SI_ASYNCIO"},
	{0, -5, "SI_SIGIO"},	     {0, -6, "SI_TKILL"},	     {SIGCHLD, 1, "CLD_EXITED"},
	{SIGCHLD, 2, "CLD_KILLED"},  {SIGCHLD, 3, "CLD_DUMPED"},     {SIGCHLD, 4, "CLD_TRAPPED"},
	{SIGCHLD, 5, "CLD_STOPPED"}, {SIGCHLD, 6, "CLD_CONTINUED"}, {SIGSEGV, 1, "SEGV_MAPERR"},
	{SIGSEGV, 2, "SEGV_ACCERR"}, {SIGBUS, 1, "BUS_ADRALN"},	     {SIGBUS, 2, "BUS_ADRERR"},
	{SIGBUS, 3, "BUS_OBJERR"},   {SIGTRAP, 1, "TRAP_BRKPT"},     {SIGTRAP, 2, "TRAP_TRACE"},
	{SIGSYS, 1, "SYS_SECCOMP"},  {SIGILL, 1, "ILL_ILLOPC"},	     {SIGFPE, 1, "FPE_INTDIV"},
	{SIGIO, 1, "POLL_IN"},	     {SIGIO, 2, "POLL_OUT"},
};

static const char *si_code_name(int sig, int code)
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

static const char *signal_name(struct arena *a, int sig)
{
	return sig > 0 ? xlat_signal_name(a, (uint64_t)sig) : NULL;
}

void decode_event_names(struct ns_event *ev)
{
	switch (ev->kind) {
	case EV_SPAWN:
		ev->spawn_flags = decode_clone_flags(&ev->arena, "clone_flags", ev->clone_flags);
		break;
	case EV_SIGNAL:
		ev->signame = signal_name(&ev->arena, ev->signo);
		ev->si_code_name = si_code_name(ev->signo, ev->si_code);
		break;
	case EV_EXIT:
		if (!ev->exited)
			ev->signame = signal_name(&ev->arena, ev->term_sig);
		break;
	default:
		break;
	}
}
