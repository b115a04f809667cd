/* event.h - the event model: the one contract between the stages.
 *
 *   tracer/ + pipeline fill the process and raw parts,
 *   syscall_tables/ fill the decoded arguments,
 *   model/ fills role, stage, container, namespace changes, notes, phases,
 *   formatters/ read it and print.
 *
 * An event owns everything it points to (its arena); it never points into a
 * tracee or into another stage's state, so a formatter may run after the process
 * it describes is long gone. See DESIGN.md, "Event model".
 */
#ifndef NSTRACE_EVENT_H
#define NSTRACE_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "arena.h"
#include "arg_value.h"

enum ev_kind {
	EV_SYSCALL,   /* a shown syscall, reported at its exit (or at the tracee's death) */
	EV_SPAWN,     /* a new task appeared: fork, vfork, clone, clone3 */
	EV_EXEC,      /* a successful execve/execveat */
	EV_SIGNAL,    /* a signal delivered to a tracee */
	EV_EXIT,      /* a tracee exited or was killed */
	EV_STAGE,     /* model: a runtime stage began (runc:[1:CHILD]) */
	EV_PHASE,     /* model: a launch phase ended (name, start, duration) */
	EV_CONTAINER, /* model: a container was recognised */
	EV_ATTACH,    /* the tracer attached to a running process */
	EV_DETACH,    /* the tracer detached from a process */
	EV_START,     /* first event of a trace */
	EV_END,	      /* last event of a trace: why it ended, the summary */
	EV_KIND_COUNT
};

enum ns_type {
	NS_MNT,
	NS_UTS,
	NS_IPC,
	NS_PID,
	NS_PID_FOR_CHILDREN,
	NS_NET,
	NS_USER,
	NS_CGROUP,
	NS_TIME,
	NS_TIME_FOR_CHILDREN,
	NS_COUNT
};

/* Namespace inodes of one task; 0 means unknown (not read, or not supported). */
struct ns_set {
	uint64_t ino[NS_COUNT];
};

enum role {
	ROLE_UNKNOWN,
	ROLE_DAEMON,
	ROLE_SHIM,
	ROLE_CLIENT,
	ROLE_RUNTIME,
	ROLE_RUNTIME_INIT,
	ROLE_WORKLOAD,
	ROLE_PROCESS,
	ROLE_COUNT
};

/* How a traced task stopped being traced, or how a trace ended. */
enum end_reason {
	END_NONE,
	END_FINISHED,	 /* every tracee is gone / the command exited */
	END_SIGNAL,	 /* SIGINT, SIGTERM or SIGHUP to nstrace */
	END_OUTPUT,	 /* the output could not be written (EPIPE, ENOSPC) */
	END_ERROR,	 /* an internal error */
	END_ONCE,	 /* --once reached its condition */
	END_TIMEOUT,	 /* --timeout */
	END_CMD_EXITED,	 /* run mode, client wrap: the command exited, daemons detached */
	END_REASON_COUNT
};

/* One frame of a user stack (-k). */
struct stack_frame {
	uint64_t ip;
	const char *module;   /* path or name of the mapping, NULL if unknown */
	const char *function; /* symbol, NULL if unknown */
	uint64_t offset;      /* from function if known, else from the module's base */
};

/* A finished launch phase, kept in the summary. */
struct phase_info {
	const char *name;
	pid_t pid;
	int64_t start_us; /* relative to trace start */
	int64_t dur_us;
	const char *detail;
};

struct container_summary {
	const char *id;
	const char *runtime; /* "runc" */
	const char *bundle;
	uint32_t ns_created; /* bit per enum ns_type */
	uint32_t ns_joined;
	struct phase_info *phases;
	size_t nphases;
	const char *entrypoint; /* path exec'd as the workload */
	pid_t entry_pid;	/* host pid of the workload */
	pid_t entry_nspid;	/* its pid inside the container */
	int64_t start_us, dur_us;
	const char **failures; /* failed syscalls that mattered, as call text */
	size_t nfailures;
	bool caused_by_command; /* run mode, client wrap: this launch was ours */
	unsigned nmounts, nmounts_failed; /* additive, model: mounts during the launch */
	unsigned nmounts_optional;	  /* of the failed: kernel paths the runtime went past */
	unsigned nmounts_expected;	  /* of the failed: EINVALs the runtime's code expects */
};

/* A process run in a container that was already running (runc exec, crun
 * exec: docker exec, ctr task exec), from the runtime's exec to its end. */
struct exec_summary {
	const char *container;
	const char *runtime;
	const char *path; /* what the runtime exec'd in the container */
	pid_t pid;	  /* host pid */
	pid_t nspid;	  /* its pid inside the container */
	int64_t start_us, dur_us;
	const char *end; /* "exited with 0", "killed by signal 9"; NULL: running at the end */
};

struct trace_summary {
	struct container_summary *containers;
	size_t ncontainers;
	uint64_t nevents, nsyscalls, nprocesses;
	uint64_t containers_dropped; /* additive, model: oldest summaries dropped past its bound */
	struct exec_summary *execs;  /* additive, model: execs into running containers */
	size_t nexecs;
	uint64_t execs_dropped; /* past MODEL_MAX_EXECS: not kept, counted */
};

/* Model: credentials of a task after an event that changed them (additive, model). */
enum cred_bit {
	CRED_UID = 1u << 0,
	CRED_GID = 1u << 1,
	CRED_GROUPS = 1u << 2,
	CRED_CAPS = 1u << 3,
	CRED_NO_NEW_PRIVS = 1u << 4,
	CRED_SECCOMP = 1u << 5,
};

struct cred_info {
	int64_t uid, gid;	    /* as seen in the task's user namespace; -1 unknown */
	int64_t host_uid, host_gid; /* through the user namespace's id maps; -1 unknown */
	uint64_t cap_effective;	    /* valid when cap_known */
	bool cap_known;
	bool no_new_privs;
	int seccomp_mode; /* 0 none, 1 strict, 2 filter */
};

/* Model: a write to /proc/PID/uid_map, gid_map or setgroups, decoded. */
struct id_map_extent {
	uint32_t inside, outside, count;
};

struct id_map_info {
	const char *file; /* "uid_map", "gid_map" or "setgroups" */
	pid_t target;	  /* host pid whose map was written */
	struct id_map_extent *ext;
	size_t n;
	bool truncated;	       /* the written buffer was cut: extents may be missing */
	const char *setgroups; /* "deny" / "allow" for setgroups */
};

struct ns_event {
	struct arena arena; /* owns every pointer below */

	uint64_t seq;
	enum ev_kind kind;
	uint64_t mono_ns; /* CLOCK_MONOTONIC */
	uint64_t wall_ns; /* CLOCK_REALTIME, ns since the epoch */
	int64_t rel_us;	  /* since the trace started */

	/* who */
	pid_t pid;     /* thread group id */
	pid_t tid;     /* thread */
	pid_t ppid;    /* real parent (tgid) */
	pid_t spawner; /* the task that issued the clone; != ppid with CLONE_PARENT */
	pid_t nspid;   /* pid inside the task's own pid namespace; 0 unknown */
	pid_t nstid;
	const char *comm;
	const char *exe;

	/* model annotations */
	enum role role;
	const char *stage;     /* runtime stage, e.g. "runc:[1:CHILD]" */
	const char *container; /* container id */
	const char *note;      /* a sentence for people */
	bool hidden;	       /* decoded for the model but not selected by -e: don't print */

	/* EV_SYSCALL */
	long nr;
	const char *sc_name;
	uint64_t raw_args[6];
	struct av_list *args; /* decoded; NULL before decoding */
	int64_t ret;	      /* raw return value */
	int err;	      /* errno when the call failed, else 0 */
	bool unfinished;      /* no exit seen (the task died or the trace stopped) */
	uint64_t entry_mono_ns;
	uint64_t dur_ns;

	/* namespaces after the event; ns_changed has a bit per enum ns_type */
	bool has_ns;
	struct ns_set ns;
	struct ns_set ns_old;
	uint32_t ns_changed;

	/* EV_SPAWN: pid/tid are the new task, spawner the caller */
	pid_t child_tid;
	uint64_t clone_flags;
	bool is_thread;

	/* EV_EXEC */
	const char *filename;
	const char **argv;
	size_t argc;
	size_t envc;	/* count only: the environment is never copied */
	pid_t old_tid; /* exec and its execve call: the thread that called exec, if not the leader */

	/* Names for the raw numbers below, looked up by syscall_tables'
	 * decode_event_names() so that formatters need no constant tables. */
	struct av *spawn_flags;	  /* EV_SPAWN: clone_flags as AV_FLAGS (exit signal last) */
	const char *signame;	  /* EV_SIGNAL: signo; EV_EXIT: term_sig; NULL if unnamed */
	const char *si_code_name; /* EV_SIGNAL: si_code; NULL if unnamed */

	/* EV_SIGNAL */
	int signo;
	int si_code;
	pid_t sig_pid; /* sender (siginfo si_pid; that name is a libc macro) */

	/* EV_EXIT */
	bool exited;   /* exited with exit_code; else killed by term_sig */
	int exit_code;
	int term_sig;
	bool core_dumped;

	/* EV_PHASE */
	const char *phase;
	int64_t phase_start_us;
	int64_t phase_dur_us;

	/* EV_DETACH, EV_END */
	enum end_reason reason;
	const char *reason_text;
	int exit_status; /* EV_END: nstrace's exit status */
	const struct trace_summary *summary; /* EV_END, owned by the model */

	/* -k */
	struct stack_frame *stack;
	size_t nstack;

	/* model (additive): credentials after the event, a bit per enum cred_bit changed */
	uint32_t creds_changed;
	struct cred_info creds;
	/* model (additive): the id map a write set; NULL for other events */
	struct id_map_info *idmap;
};

/* Allocate a zeroed event of a kind; ns_event_free releases it and its arena. */
struct ns_event *ns_event_new(enum ev_kind kind);
void ns_event_free(struct ns_event *ev);

const char *ev_kind_name(enum ev_kind k);     /* "syscall", "spawn", ... */
const char *ns_type_name(enum ns_type t);
#define NS_BIT(t) (1u << (t))
/* CLONE_NEW* flags -> NS_BIT()s of the namespaces created (NS_PID for CLONE_NEWPID). */
uint32_t ns_created_by_flags(uint64_t flags);
/* What unshare(flags) moves in the caller (pid_for_children for CLONE_NEWPID). */
uint32_t ns_changed_by_flags(uint64_t flags);     /* "mnt", "pid_for_children": /proc/PID/ns names */
const char *role_name(enum role r);	      /* "daemon", "runtime-init", ... */
const char *end_reason_name(enum end_reason r); /* "finished", "signal", ... */

#endif
