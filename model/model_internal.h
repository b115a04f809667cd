/* model_internal.h - the model's state, shared by the files of model/.
 *
 * One struct proc per live thread group, one struct task per live thread (so
 * the tracer can ask about a tid), one struct container per recognised
 * container (kept after its processes are gone, up to MODEL_MAX_CONTAINERS).
 * Nothing here points into an event: events are freed right after emit.
 */
#ifndef NSTRACE_MODEL_INTERNAL_H
#define NSTRACE_MODEL_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "event.h"
#include "model.h"
#include "pidmap.h"

/* Containers kept for the summary; past this the oldest is dropped (counted in
 * trace_summary.containers_dropped), so a daemon traced for days stays bounded. */
#define MODEL_MAX_CONTAINERS 1024
/* Failed syscalls kept per container. */
#define MODEL_MAX_FAILURES 64
#define MODEL_MAX_EXECS 1024 /* execs into running containers kept for the summary */
#define STAGE_LEN 32
#define CTR_ID_LEN 128
#define RUNTIME_LEN 16
/* One-shot fd watches per process: /proc/PID/{uid_map,gid_map,setgroups} opened for writing. */
#define MAX_WATCH 4
/* Extents kept per id map: the kernel allows 340, runtimes write one or a few. */
#define MAX_EXTENTS 8

/* Launch phases in the order a launch goes through them. A phase begins only when
 * its rank is above the current one, so phases never go back and never overlap:
 * each one ends where the next begins. */
enum phase_rank {
	PH_NONE,
	PH_SHIM,     /* "shim start": the shim's exec until the runtime's */
	PH_RUNTIME,  /* "runtime create": runc create/run until its init child exists */
	PH_INIT,     /* "runtime init": runc init re-exec (cloned binary) until a stage name */
	PH_STAGE0,   /* "runc:[0:PARENT]" */
	PH_STAGE1,   /* "runc:[1:CHILD]" */
	PH_NS,	     /* "namespace setup": from the first unshare/setns/clone(CLONE_NEW*) */
	PH_STAGE2,   /* "runc:[2:INIT]" */
	PH_MOUNTS,   /* "rootfs mounts": from the first mount after namespace setup */
	PH_PIVOT,    /* "pivot_root": pivot_root/chroot, then masks, hostname, credentials */
	PH_WAIT,     /* "wait for start": blocked opening the exec fifo until runtime start */
	PH_ENTRY,    /* "entrypoint exec": from the fifo's release to the workload's exec */
	PH_WORKLOAD, /* "workload": the entrypoint's life until it exits */
	PH_DONE,
};

/* fds the model reads the writes of: id map files, a runtime's --log file */
enum watch_kind { WATCH_UID_MAP = 1, WATCH_GID_MAP, WATCH_SETGROUPS, WATCH_LOG };

struct idmap {
	size_t n;
	struct id_map_extent ext[MAX_EXTENTS];
};

struct container {
	uint64_t serial;
	int slot;	      /* in model.ctrs */
	struct arena strings; /* id, runtime, bundle, phase names and details, failures */
	struct container_summary sum;
	size_t phases_cap;
	/* the open phase */
	enum phase_rank rank;
	const char *name, *detail;
	int64_t start_us;
	pid_t pid;
	/* who opened it, kept for its phase line should that process be gone by then */
	pid_t owner_ppid, owner_nspid;
	enum role owner_role;
	char owner_comm[16];
	char owner_stage[STAGE_LEN];
	unsigned mounts, mounts_failed; /* during the open phase */
	bool done;
	pid_t entry_pid;
};

struct fd_watch {
	int fd;
	enum watch_kind what;
	pid_t target;
};

struct proc {
	pid_t pid, ppid, spawner;
	enum role role;
	char comm[16];
	char stage[STAGE_LEN];
	char runtime[RUNTIME_LEN]; /* the runtime whose tree this is ("runc") */
	char ctr_id[CTR_ID_LEN];   /* container id carried by the process, "" if none */
	int ctr_slot;		   /* its container's slot if this process builds it, else -1 */
	uint64_t ctr_serial;
	bool launch; /* part of a container's launch (shim, runtime create/run, init) */
	bool built;  /* namespaces or root changed: an exec out of runtime-init is the workload */
	bool from_command; /* descends from the command nstrace started, not an attached process */
	/* a client (ctr) that names its container: its argv words, NUL-separated,
	 * so a launch can be matched to the command that asked for it */
	char client_words[512];
	size_t client_words_len;
	bool client_names_ids;
	bool quiet_lineage; /* descends from a daemon, shim or client: a plain program it runs
			     * (a hook, iptables, a fork storm) is followed by events only */
	bool housekeeping;  /* a runtime command that builds nothing (start, delete, state...) */
	bool creates;	     /* runtime `create`: exits once the container waits for `start` */
	bool in_exec;	       /* in a `runtime exec`'s tree, before the exec'd program */
	int64_t exec_since_us; /* then: when the runtime exec'd */
	size_t exec_slot;      /* the process it exec'd in the container: m->execs index + 1 */
	/* NS_PID / NS_TIME bits: its children start in a namespace it joined with
	 * setns, not in a new one (unshare clears the bit) */
	uint32_t joined_for_children;
	struct ns_set ns;
	pid_t *tids;
	size_t ntids, tidcap;
	struct fd_watch watch[MAX_WATCH];
	size_t nwatch;
	struct cred_info creds;
	struct idmap uid_map, gid_map;
	/* a runtime's --log file, and the message of the last error it wrote there
	 * or on stderr: why it failed, for the launch summary (runtime_said.c) */
	char log_path[256];
	char said[256];
	bool said_leveled; /* said came from a line with a level (kept over plain ones) */
};

struct task {
	pid_t tid;
	struct proc *p;
	pid_t last_child; /* host tid of the last task it spawned, to translate clone's result */
	bool idle_loop;	  /* a runtime's housekeeping loop (Go's sysmon): events only */
};

/* Events the model adds around the one being fed, in output order. */
#define OUT_MAX 16
struct out {
	struct ns_event *pre[OUT_MAX];
	size_t npre;
	struct ns_event *post[OUT_MAX];
	size_t npost;
};

/* A note being written for an event: sentences joined with "; ". */
struct note {
	char buf[768];
	size_t len;
};

struct model {
	struct model_opts opts;
	struct pidmap tasks;			      /* tid -> struct task */
	struct pidmap procs;			      /* tgid -> struct proc */
	struct container *ctrs[MODEL_MAX_CONTAINERS]; /* ring, oldest at ctr_first */
	size_t ctr_first, nctrs;
	uint64_t next_serial;
	uint64_t host_userns; /* user namespace of the first process seen: ids there are host ids */
	struct trace_summary summary;
	size_t summary_cap;
	struct exec_summary *execs; /* MODEL_MAX_EXECS at most, strings in exec_strings */
	size_t nexecs;
	uint64_t execs_dropped;
	struct arena exec_strings;
};

/* model.c */
void *model_calloc(size_t n, size_t size); /* calloc, or abort with a line */
/* note_add starts a sentence ("; " between sentences), note_cat continues one. */
void note_add(struct note *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void note_cat(struct note *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct ns_event *model_event_like(const struct ns_event *trigger, enum ev_kind kind,
				  const struct proc *p);
void out_pre(struct out *o, struct ns_event *ev);
void out_post(struct out *o, struct ns_event *ev);
const char *proc_who(const struct proc *p, const struct ns_event *ev);
struct proc *proc_of_pid(struct model *m, pid_t pid);

struct proc *proc_new(struct model *m, pid_t pid);
void proc_drop(struct model *m, struct proc *p);
void task_drop(struct model *m, pid_t tid);
struct task *proc_add_tid(struct model *m, struct proc *p, pid_t tid);
void proc_only_leader(struct model *m, struct proc *p);

/* launch.c: what each kind of event means for the launch */
struct proc *launch_on_attach(struct model *m, struct ns_event *ev, struct out *o, struct note *n);
struct proc *launch_on_spawn(struct model *m, struct ns_event *ev, struct out *o, struct note *n);
void launch_on_exec(struct model *m, struct proc *p, struct ns_event *ev, struct out *o,
		    struct note *n);
void launch_on_syscall(struct model *m, struct proc *p, struct ns_event *ev, struct out *o,
		       struct note *n);
void launch_on_exit(struct model *m, struct proc *p, struct ns_event *ev, struct out *o,
		    struct note *n);
void launch_on_end(struct model *m, struct ns_event *ev, struct out *o);

/* args.c: finding decoded arguments by their man-page names */
const struct av *arg_find(const struct ns_event *ev, const char *name);
/* The string of a named AV_STR argument (NUL-terminated copy in buf), or NULL. */
const char *arg_str(const struct ns_event *ev, const char *name, char *buf, size_t len,
		    bool *truncated);
/* The first n AV_STR arguments, and NULL pointers before any other argument,
 * for failure texts. */
size_t arg_strs(const struct ns_event *ev, const struct av **out, size_t n);

/* roles.c */
struct argv_info {
	const char *sub;    /* runtime/shim subcommand: "create", "run", "start", ... or NULL */
	const char *id;	    /* container id or NULL */
	const char *bundle; /* --bundle/-b, or NULL */
	const char *log;    /* the runtime's --log file, or NULL */
};
/* The program an exec or attach is about, as the role table names it. */
enum role role_of_program(const char *exe, const char *filename, const char *const *argv,
			  size_t argc, char *name, size_t namelen);
bool is_runtime_reexec(const char *exe, const char *filename, const char *const *argv, size_t argc);
void parse_runtime_argv(const char *const *argv, size_t argc, struct argv_info *ai);
void parse_shim_argv(const char *const *argv, size_t argc, struct argv_info *ai);
bool depth_wants_syscalls(enum role r, const struct model_opts *opts);
/* "runc:[1:CHILD]" -> 1; -1 when the name is not a runtime stage name. */
int stage_number(const char *name);

/* runtime_said.c */
bool said_watches(const struct proc *p, int fd);
void said_on_text(struct proc *p, const char *text, size_t len);

/* namespaces.c */
uint32_t ns_diff(const struct ns_set *old, const struct ns_set *new);
uint32_t ns_type_of_nstype(uint64_t nstype);
void ns_note_unshare(struct note *n, const char *who, uint64_t flags, const struct ns_event *ev);
void ns_note_setns(struct note *n, const char *who, uint32_t types, const struct ns_event *ev);
void ns_note_spawn(struct note *n, const struct ns_event *ev, uint32_t joined);
void ns_list(struct note *n, uint32_t bits);

/* containers.c */
struct container *ctr_get(struct model *m, const struct proc *p);
struct container *ctr_find_open(struct model *m, const char *id);
void launch_note_client(struct proc *p, const char *const *argv, size_t argc);
struct container *ctr_new(struct model *m, const char *id, const char *runtime, const char *bundle);
void ctr_attach_proc(struct container *c, struct proc *p);
void ctr_add_failure(struct container *c, const struct ns_event *ev);
void ctr_add_failure_text(struct container *c, const char *text);
void ctr_free_all(struct model *m);
const struct trace_summary *ctr_summary(struct model *m);

/* phases.c */
void phase_advance(struct model *m, struct container *c, enum phase_rank rank, const char *name,
		   const char *detail, int64_t at_us, const struct ns_event *trigger,
		   struct out *o);
void phase_finish(struct model *m, struct container *c, int64_t at_us,
		  const struct ns_event *trigger, struct out *o, const char *why);
/* A mount of the launch; failed, and whether the failure is an optional kernel
 * path the runtime goes past or one its code expects (launch_syscalls.c:
 * optional_path_mount, expected_mount_failure). */
void phase_count_mount(struct container *c, bool failed, bool optional, bool expected);
int64_t ev_entry_us(const struct ns_event *ev);
int64_t ev_exit_us(const struct ns_event *ev);

/* creds.c */
void creds_init(struct cred_info *c);
void creds_on_syscall(struct model *m, struct proc *p, struct ns_event *ev, struct note *n);
void watch_on_open(struct proc *p, const struct ns_event *ev);
bool watch_has(const struct proc *p, int fd);
void watch_on_write(struct model *m, struct proc *p, struct ns_event *ev, struct note *n);

#endif
