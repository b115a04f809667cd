/* model.h - the launch model: roles, stages, namespaces, pids, containers, phases.
 *
 * Events in, annotated events out. The model keeps per-process state, annotates
 * each event in place (role, stage, container, ns changes, note) and may emit
 * events of its own (stage, container, phase) around it. No ptrace, no /proc, no
 * decoding here: everything it knows comes in the events.
 */
#ifndef NSTRACE_MODEL_H
#define NSTRACE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "event.h"

struct model_opts {
	bool trace_daemon;    /* syscall depth for daemon/shim/client too */
	bool follow_workload; /* syscall depth for the workload too */
};

struct model;

/* Takes ownership of ev; calls emit for it and any events it adds, in output order. */
typedef void (*model_emit_fn)(void *ctx, struct ns_event *ev);

struct model *model_new(const struct model_opts *opts);
void model_feed(struct model *m, struct ns_event *ev, model_emit_fn emit, void *ctx);
/* Whether a task should get syscall stops (DESIGN.md, "Roles"). */
bool model_wants_syscalls(const struct model *m, pid_t tid);
/* Whether a task is a runtime building a container (roles runtime and
 * runtime-init): the short-lived tasks worth running on the tracer's CPU. */
bool model_is_runtime(const struct model *m, pid_t tid);
/* The task runs a language runtime's housekeeping loop that never returns and
 * never builds a container (Go's sysmon, recognized by the caller from its
 * stack): it needs no syscall stops whatever its process's role. */
void model_set_idle_loop(struct model *m, pid_t tid);
/* Whether a write(2) to fd by tid concerns the model (an id map or setgroups
 * file it saw opened, a runtime's stderr or --log file): other writes need not
 * even be decoded. */
bool model_watches_fd(const struct model *m, pid_t tid, int fd);
/* Whether the text a write(2) to fd by tid wrote is the runtime's words (its
 * stderr or --log file): then give it, whole, to model_runtime_wrote. */
bool model_wants_words(const struct model *m, pid_t tid, int fd);
void model_runtime_wrote(struct model *m, pid_t tid, const char *text, size_t len);
/* The summary so far; valid until model_free. */
const struct trace_summary *model_summary(struct model *m);
/* Whether the launch of container id was caused by the command nstrace runs
 * (see caused_by_command in launch.c for how that is judged); true for an
 * unknown id. For --only-mine. */
bool model_container_is_mine(const struct model *m, const char *id);
void model_free(struct model *m);
/* Live state, for tests and memory accounting: processes and threads the model
 * holds (both drop back as tasks exit, so they stay flat over long traces). */
size_t model_live_processes(const struct model *m);
size_t model_live_tasks(const struct model *m);

#endif
