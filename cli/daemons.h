/* daemons.h - finding the processes to attach to: by name, and the daemon side
 * of a container client (docker -> dockerd + containerd, ctr/nerdctl ->
 * containerd), found by the owner of the socket the client talks to. */
#ifndef NSTRACE_DAEMONS_H
#define NSTRACE_DAEMONS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "options.h"
#include "tracer.h"

#define DAEMONS_MAX 4

struct daemon_attach {
	pid_t pids[DAEMONS_MAX];
	size_t n;
};

/* The one running process whose comm or executable basename is name. Returns
 * the pid, or -1 with a message in err (none, or several unrelated ones). */
pid_t daemon_find_by_name(const char *name, char *err, size_t errlen);

/* The pid of the process listening on the unix socket at path, or -1. */
pid_t daemon_socket_owner(const char *path);

/* The running shims of containerd pid: containerd-shim* processes whose
 * -address is a path containerd listens on. Returns how many, their pids in
 * *out (malloc'd, NULL when none). */
size_t daemon_shims_of(pid_t containerd, pid_t **out);

/* Whether argv[0] is a container client whose launches happen in a daemon. */
const char *daemon_client_kind(const char *argv0); /* "docker", "ctr", "nerdctl" or NULL */

/* Whether a wrapped client runs a process in a running container (docker
 * exec, nerdctl exec, ctr task exec): that goes through the container's shim,
 * so the daemon's shims are attached as with --shims. */
bool daemon_client_execs(char **argv);

/* Client wrap: attach (events only) to the daemons the client will talk to.
 * Nothing to do for other commands. Returns 0, or -1 with a message in err. */
int daemon_attach_for_client(struct tracer *tr, const struct options *o, struct daemon_attach *out,
			     char *err, size_t errlen);

#endif
