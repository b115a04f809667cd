/* syscalls.h - syscall tables, classes, -e trace= filters and decoders.
 *
 * The tables are data (one line a syscall, as strace's syscallent.h): number,
 * name, argument count, classes for -e trace=%class, and flags the tracer core
 * acts on. Decoders are pure functions from raw arguments plus a memory reader
 * to typed values (event/arg_value.h); they never print and never call ptrace.
 */
#ifndef NSTRACE_SYSCALLS_H
#define NSTRACE_SYSCALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "arg_value.h"
#include "event.h"

/* Classes, for -e trace=%name. */
enum sc_class {
	SC_NS = 1u << 0,       /* %ns: clone, clone3, unshare, setns */
	SC_MOUNT = 1u << 1,    /* %mount: mount, umount2, pivot_root, chroot, new mount API */
	SC_CREDS = 1u << 2,    /* %creds: set*id, setgroups, capset/capget */
	SC_SECURITY = 1u << 3, /* %security: seccomp, prctl, keyctl, bpf, ... */
	SC_PROCESS = 1u << 4,  /* %process: fork, vfork, clone*, execve*, exit*, wait*, kill */
	SC_CONTAINER = 1u << 5, /* %container: the default set */
};

/* Behaviour flags the pipeline acts on. */
enum sc_flag {
	SCF_NS_CHANGE = 1u << 0,   /* may change the caller's namespaces: re-read /proc/TID/ns */
	SCF_COMM_CHANGE = 1u << 1, /* may rename the task (prctl PR_SET_NAME) */
	SCF_EXEC = 1u << 2,	   /* execve, execveat */
	SCF_SPAWN = 1u << 3,	   /* creates a task: fork, vfork, clone, clone3 */
	SCF_MODEL = 1u << 4,	   /* the model needs it decoded even when not shown */
	SCF_NORETURN = 1u << 5,	   /* exit, exit_group: no exit stop */
};

/* How the return value prints when it is not an error. */
enum sc_ret {
	SCR_DEC, /* decimal (most) */
	SCR_HEX, /* addresses: mmap, brk, ... */
	SCR_OCT, /* modes: umask */
};

struct syscall_ent {
	const char *name;
	unsigned char nargs;
	unsigned classes; /* enum sc_class bits */
	unsigned flags;	  /* enum sc_flag bits */
	unsigned char rfmt; /* enum sc_ret */
};

/* Architectures, from PTRACE_GET_SYSCALL_INFO's audit arch. */
enum sc_arch { SC_ARCH_X86_64, SC_ARCH_I386, SC_ARCH_AARCH64, SC_ARCH_UNKNOWN };
enum sc_arch sc_arch_of_audit(uint32_t audit_arch);

/* The table entry of a syscall number, or NULL if the number is unknown. */
const struct syscall_ent *syscall_ent(enum sc_arch arch, long nr);
/* The number of a syscall by name on an architecture, or -1. */
long syscall_nr(enum sc_arch arch, const char *name);
/* One more than the highest syscall number of the table. */
long syscall_max(enum sc_arch arch);

/* -e trace= selection: a set of syscall numbers (x86_64 numbering). */
#define SC_FILTER_MAX 1024
struct sc_filter {
	uint64_t bits[SC_FILTER_MAX / 64];
};

/* Parse strace's -e trace= syntax (NAME,%class,all,!negation, "trace=" prefix optional).
 * Returns 0, or -1 with a one-line message in err. */
int sc_filter_parse(struct sc_filter *f, const char *expr, char *err, size_t errlen);
void sc_filter_default(struct sc_filter *f); /* %container */
bool sc_filter_has(const struct sc_filter *f, long nr);
void sc_filter_add(struct sc_filter *f, long nr);

/* Reads len bytes of tracee memory at addr; returns bytes read (may be short),
 * or -1 when nothing could be read. */
typedef ssize_t (*mem_reader_fn)(void *ctx, uint64_t addr, void *buf, size_t len);
/* What fd of the task read_ctx names refers to (readlink of /proc/TID/fd/N):
 * its length, or -1. */
typedef ssize_t (*fd_path_fn)(void *ctx, int fd, char *buf, size_t len);

struct decode_ctx {
	struct arena *arena;	/* where the decoded values go (the event's) */
	mem_reader_fn read;
	void *read_ctx;
	fd_path_fn fd_path; /* NULL: /proc/self/fd/N paths are left as they are */
	size_t strsize; /* -s: longest string printed, strace's default 32 */
	bool verbose;	/* -v: structures in full */
	enum sc_arch arch;
};

/* Argument names are the kernel's / man page parameter names (clone: flags, stack,
 * parent_tid, child_tid, tls; openat: dirfd, pathname, flags, mode; ...), so the
 * model can look them up by name. execve/execveat's envp is an AV_ADDR whose
 * comment is "N vars" and whose `i` holds N (the variables themselves are never
 * read into the event); N is -1 when the array could not be read.
 * A decoded list's `ret` is set when a successful return prints other than
 * plain decimal: hex (SCR_HEX), octal (SCR_OCT), or with a comment call_text
 * shows in parentheses (prctl: "= 0 (SUID_DUMP_DISABLE)"); errors leave it NULL
 * (call_text prints "-1 ENAME (strerror text)").
 *
 * Decode a syscall's arguments at entry (reads input memory), then complete the
 * decoding at exit (out-values such as clone3's parent_tid, getters' results).
 * Unknown or undecoded syscalls get raw numbers. Never fails. */
struct av_list *decode_syscall_entry(const struct decode_ctx *ctx, long nr, const uint64_t args[6]);
void decode_syscall_exit(const struct decode_ctx *ctx, long nr, const uint64_t args[6], int64_t ret,
			 struct av_list *list);

/* Clone flags as strace prints them (CLONE_VM|...|SIGCHLD), as an AV_FLAGS value
 * (just the signal, or 0, when no flag is set). */
struct av *decode_clone_flags(struct arena *a, const char *name, uint64_t raw);
/* Fill the names an event's raw numbers have: spawn_flags, signame,
 * si_code_name (event.h). The pipeline calls it for every spawn, signal and
 * exit; tests call it on synthetic events. */
void decode_event_names(struct ns_event *ev);

#endif
