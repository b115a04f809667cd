/* event.c - allocation and names for the event model (see event.h). */
#include "event.h"

#include <stdio.h>
#include <stdlib.h>

struct ns_event *ns_event_new(enum ev_kind kind)
{
	struct ns_event *ev = calloc(1, sizeof(*ev));
	if (!ev) {
		fputs("nstrace: out of memory\n", stderr);
		abort();
	}
	arena_init(&ev->arena);
	ev->kind = kind;
	return ev;
}

void ns_event_free(struct ns_event *ev)
{
	if (!ev)
		return;
	arena_reset(&ev->arena);
	free(ev);
}

static const char *const kind_names[EV_KIND_COUNT] = {
	[EV_SYSCALL] = "syscall", [EV_SPAWN] = "spawn",	  [EV_EXEC] = "exec",
	[EV_SIGNAL] = "signal",	  [EV_EXIT] = "exit",	  [EV_STAGE] = "stage",
	[EV_PHASE] = "phase",	  [EV_CONTAINER] = "container", [EV_ATTACH] = "attach",
	[EV_DETACH] = "detach",	  [EV_START] = "start",	  [EV_END] = "end",
};

const char *ev_kind_name(enum ev_kind k)
{
	return (unsigned)k < EV_KIND_COUNT ? kind_names[k] : "unknown";
}

static const char *const ns_names[NS_COUNT] = {
	[NS_MNT] = "mnt",
	[NS_UTS] = "uts",
	[NS_IPC] = "ipc",
	[NS_PID] = "pid",
	[NS_PID_FOR_CHILDREN] = "pid_for_children",
	[NS_NET] = "net",
	[NS_USER] = "user",
	[NS_CGROUP] = "cgroup",
	[NS_TIME] = "time",
	[NS_TIME_FOR_CHILDREN] = "time_for_children",
};

const char *ns_type_name(enum ns_type t)
{
	return (unsigned)t < NS_COUNT ? ns_names[t] : "unknown";
}

static const char *const role_names[ROLE_COUNT] = {
	[ROLE_UNKNOWN] = "unknown",	     [ROLE_DAEMON] = "daemon",	 [ROLE_SHIM] = "shim",
	[ROLE_CLIENT] = "client",	     [ROLE_RUNTIME] = "runtime",
	[ROLE_RUNTIME_INIT] = "runtime-init", [ROLE_WORKLOAD] = "workload",
	[ROLE_PROCESS] = "process",
};

const char *role_name(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? role_names[r] : "unknown";
}

static const char *const reason_names[END_REASON_COUNT] = {
	[END_NONE] = "none",	     [END_FINISHED] = "finished", [END_SIGNAL] = "signal",
	[END_OUTPUT] = "output",     [END_ERROR] = "error",	  [END_ONCE] = "once",
	[END_TIMEOUT] = "timeout",   [END_CMD_EXITED] = "command-exited",
};

const char *end_reason_name(enum end_reason r)
{
	return (unsigned)r < END_REASON_COUNT ? reason_names[r] : "unknown";
}

/* CLONE_NEW* values from <linux/sched.h>; as a table so the note code stays generic. */
struct ns_flag {
	uint64_t flag;
	enum ns_type created; /* the namespace the flag makes */
	enum ns_type changes; /* what unshare(flag) changes in the caller */
};

static const struct ns_flag ns_flags[] = {
    {0x00020000, NS_MNT, NS_MNT},		 /* CLONE_NEWNS */
    {0x04000000, NS_UTS, NS_UTS},		 /* CLONE_NEWUTS */
    {0x08000000, NS_IPC, NS_IPC},		 /* CLONE_NEWIPC */
    {0x40000000, NS_NET, NS_NET},		 /* CLONE_NEWNET */
    {0x10000000, NS_USER, NS_USER},		 /* CLONE_NEWUSER */
    {0x02000000, NS_CGROUP, NS_CGROUP},		 /* CLONE_NEWCGROUP */
    {0x20000000, NS_PID, NS_PID_FOR_CHILDREN},	 /* CLONE_NEWPID */
    {0x00000080, NS_TIME, NS_TIME_FOR_CHILDREN}, /* CLONE_NEWTIME */
};

static uint32_t ns_bits(uint64_t flags, bool changes)
{
	uint32_t bits = 0;
	for (size_t i = 0; i < sizeof(ns_flags) / sizeof(ns_flags[0]); i++)
		if (flags & ns_flags[i].flag)
			bits |= NS_BIT(changes ? ns_flags[i].changes : ns_flags[i].created);
	return bits;
}

uint32_t ns_created_by_flags(uint64_t flags)
{
	return ns_bits(flags, false);
}

uint32_t ns_changed_by_flags(uint64_t flags)
{
	return ns_bits(flags, true);
}
