/* daemons.c - find daemons by name or by the socket a client uses (see daemons.h). */
#define _GNU_SOURCE
#include "daemons.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "procfs.h"

static bool numeric(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static const char *base(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

/* Whether pid's comm or exe basename is name. */
static bool named(pid_t pid, const char *name)
{
	char comm[64];
	if (procfs_comm(pid, comm, sizeof(comm)) == 0 && !strcmp(comm, name))
		return true;
	char path[64], exe[PATH_MAX];
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	ssize_t n = readlink(path, exe, sizeof(exe) - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	char *del = strstr(exe, " (deleted)");
	if (del)
		*del = '\0';
	return !strcmp(base(exe), name);
}

static pid_t parent_of(pid_t pid)
{
	struct proc_status st;
	return procfs_status(pid, pid, &st) == 0 ? st.ppid : 0;
}

pid_t daemon_find_by_name(const char *name, char *err, size_t errlen)
{
	if (numeric(name)) {
		pid_t pid = atoi(name);
		if (pid > 0 && kill(pid, 0) == 0)
			return pid;
		snprintf(err, errlen, "pid %s: no such process", name);
		return -1;
	}
	DIR *d = opendir("/proc");
	if (!d) {
		snprintf(err, errlen, "cannot read /proc: %s", strerror(errno));
		return -1;
	}
	pid_t found[64];
	size_t n = 0;
	struct dirent *de;
	pid_t self = getpid();
	while ((de = readdir(d))) {
		if (!numeric(de->d_name))
			continue;
		pid_t pid = atoi(de->d_name);
		if (pid == self || procfs_is_kthread(pid))
			continue;
		if (named(pid, name) && n < 64)
			found[n++] = pid;
	}
	closedir(d);
	if (n == 0) {
		snprintf(err, errlen, "no running process is named '%s'", name);
		return -1;
	}
	/* Several: keep the ones whose parent is not also one of them (a daemon
	 * that forks helpers of the same name is still one daemon). */
	pid_t roots[64];
	size_t nr = 0;
	for (size_t i = 0; i < n; i++) {
		pid_t pp = parent_of(found[i]);
		bool child = false;
		for (size_t j = 0; j < n; j++)
			if (found[j] == pp)
				child = true;
		if (!child)
			roots[nr++] = found[i];
	}
	if (nr == 1)
		return roots[0];
	int off = snprintf(err, errlen, "%zu processes are named '%s' (", nr, name);
	for (size_t i = 0; i < nr && off > 0 && (size_t)off < errlen; i++)
		off += snprintf(err + off, errlen - (size_t)off, "%s%d", i ? ", " : "", roots[i]);
	if (off > 0 && (size_t)off < errlen)
		snprintf(err + off, errlen - (size_t)off, "): choose one with -p PID");
	return -1;
}

/* One line of /proc/net/unix: a socket's inode and the path it is bound to. */
static bool unix_socket_line(const char *line, unsigned long *inode, char path[PATH_MAX])
{
	/* Num RefCount Protocol Flags Type St Inode Path */
	path[0] = '\0';
	return sscanf(line, "%*s %*s %*s %*s %*s %*s %lu %4095s", inode, path) == 2;
}

/* The inode of the listening unix socket bound to path, from /proc/net/unix. */
static unsigned long socket_inode(const char *path)
{
	FILE *f = fopen("/proc/net/unix", "re");
	if (!f)
		return 0;
	char line[4096];
	unsigned long found = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long inode;
		char p[PATH_MAX];
		if (unix_socket_line(line, &inode, p) && !strcmp(p, path)) {
			found = inode;
			break;
		}
	}
	fclose(f);
	return found;
}

/* The inodes of the sockets pid holds open, into a malloc'd array. */
static size_t socket_inodes(pid_t pid, unsigned long **out)
{
	char fdir[64];
	snprintf(fdir, sizeof(fdir), "/proc/%d/fd", pid);
	DIR *fds = opendir(fdir);
	*out = NULL;
	if (!fds)
		return 0;
	size_t n = 0, cap = 0;
	struct dirent *fe;
	while ((fe = readdir(fds))) {
		char link[320], target[64];
		snprintf(link, sizeof(link), "%s/%s", fdir, fe->d_name);
		ssize_t len = readlink(link, target, sizeof(target) - 1);
		unsigned long ino;
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (sscanf(target, "socket:[%lu]", &ino) != 1)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			unsigned long *grown = realloc(*out, cap * sizeof(**out));
			if (!grown)
				break;
			*out = grown;
		}
		(*out)[n++] = ino;
	}
	closedir(fds);
	return n;
}

pid_t daemon_socket_owner(const char *path)
{
	char real[PATH_MAX];
	if (realpath(path, real))
		path = real;
	unsigned long ino = socket_inode(path);
	if (!ino)
		return -1;
	DIR *d = opendir("/proc");
	if (!d)
		return -1;
	pid_t owner = -1;
	struct dirent *de;
	while (owner < 0 && (de = readdir(d))) {
		if (!numeric(de->d_name))
			continue;
		unsigned long *inos;
		size_t n = socket_inodes(atoi(de->d_name), &inos);
		for (size_t i = 0; i < n && owner < 0; i++)
			if (inos[i] == ino)
				owner = atoi(de->d_name);
		free(inos);
	}
	closedir(d);
	return owner;
}

/* The value of an option in argv (--name VALUE, --name=VALUE, or -s VALUE). */
static const char *argv_option(char **argv, const char *lng, const char *shrt)
{
	size_t l = strlen(lng);
	for (size_t i = 1; argv[i]; i++) {
		if (!strcmp(argv[i], lng) || (shrt && !strcmp(argv[i], shrt)))
			return argv[i + 1];
		if (!strncmp(argv[i], lng, l) && argv[i][l] == '=')
			return argv[i] + l + 1;
	}
	return NULL;
}

static const char *strip_unix(const char *addr)
{
	return !strncmp(addr, "unix://", 7) ? addr + 7 : addr;
}

/* Whether a shim's -address is one of the paths in the list (NUL-separated). */
static bool listed(const char *paths, size_t len, const char *path)
{
	for (size_t i = 0; i < len; i += strlen(paths + i) + 1)
		if (!strcmp(paths + i, path))
			return true;
	return false;
}

size_t daemon_shims_of(pid_t containerd, pid_t **out)
{
	/* The paths containerd listens on: its sockets' inodes, named in
	 * /proc/net/unix. A shim is told the same path with -address. */
	unsigned long *inos;
	size_t nino = socket_inodes(containerd, &inos);
	char paths[4096];
	size_t plen = 0;
	FILE *f = nino ? fopen("/proc/net/unix", "re") : NULL;
	if (f) {
		char line[4096];
		while (fgets(line, sizeof(line), f)) {
			unsigned long inode;
			char p[PATH_MAX];
			if (!unix_socket_line(line, &inode, p))
				continue;
			for (size_t i = 0; i < nino; i++) {
				size_t l = strlen(p) + 1;
				if (inos[i] == inode && plen + l <= sizeof(paths)) {
					memcpy(paths + plen, p, l);
					plen += l;
					break;
				}
			}
		}
		fclose(f);
	}
	free(inos);
	*out = NULL;
	if (!plen)
		return 0;

	size_t n = 0, cap = 0;
	DIR *d = opendir("/proc");
	if (!d)
		return 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		char comm[64];
		if (!numeric(de->d_name))
			continue;
		pid_t pid = atoi(de->d_name);
		/* comm holds 15 bytes: "containerd-shim-runc-v2" reads "containerd-shim" */
		if (pid == containerd || procfs_comm(pid, comm, sizeof(comm)) < 0 ||
		    strncmp(comm, "containerd-shim", 15))
			continue;
		struct arena a;
		arena_init(&a);
		const char **argv;
		if (procfs_cmdline(pid, &a, &argv)) {
			const char *addr = argv_option((char **)argv, "-address", NULL);
			if (addr && listed(paths, plen, strip_unix(addr))) {
				if (n == cap) {
					cap = cap ? 2 * cap : 16;
					pid_t *grown = realloc(*out, cap * sizeof(**out));
					if (!grown) {
						arena_reset(&a);
						break;
					}
					*out = grown;
				}
				(*out)[n++] = pid;
			}
		}
		arena_reset(&a);
	}
	closedir(d);
	return n;
}

const char *daemon_client_kind(const char *argv0)
{
	const char *b = base(argv0);
	if (!strcmp(b, "docker"))
		return "docker";
	if (!strcmp(b, "ctr"))
		return "ctr";
	if (!strcmp(b, "nerdctl"))
		return "nerdctl";
	return NULL;
}

/* The first word of a client's command line after its global options: those
 * that take a value are skipped with it ("-H unix:///x", "--namespace k8s"). */
static size_t client_subcommand(char **argv)
{
	static const char *const with_value[] = {
	    "-H",     "--host",	     "-c",	    "--context",      "--config",
	    "-l",     "--log-level", "--tlscacert", "--tlscert",      "--tlskey",
	    "-a",     "--address",   "-n",	    "--namespace",    "--timeout",
	    "--connect-timeout",
	};
	size_t i = 1;
	while (argv[i] && argv[i][0] == '-') {
		bool takes = false;
		for (size_t k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++)
			takes |= !strcmp(argv[i], with_value[k]);
		i += takes && argv[i + 1] ? 2 : 1;
	}
	return i;
}

bool daemon_client_execs(char **argv)
{
	const char *kind = argv && argv[0] ? daemon_client_kind(argv[0]) : NULL;
	if (!kind)
		return false;
	size_t i = client_subcommand(argv);
	const char *sub = argv[i], *sub2 = sub ? argv[i + 1] : NULL;
	if (!sub)
		return false;
	if (!strcmp(kind, "ctr")) /* ctr task exec, ctr t exec */
		return sub2 && !strcmp(sub2, "exec") &&
		       (!strcmp(sub, "task") || !strcmp(sub, "tasks") || !strcmp(sub, "t"));
	/* docker exec, docker container exec; nerdctl the same */
	return !strcmp(sub, "exec") || (!strcmp(sub, "container") && sub2 && !strcmp(sub2, "exec"));
}

/* containerd behind dockerd: its --containerd socket, else a containerd child. */
static pid_t containerd_of_dockerd(pid_t dockerd)
{
	struct arena a;
	arena_init(&a);
	const char **argv;
	size_t argc = procfs_cmdline(dockerd, &a, &argv);
	pid_t pid = -1;
	if (argc) {
		const char *sock = argv_option((char **)argv, "--containerd", NULL);
		if (sock)
			pid = daemon_socket_owner(strip_unix(sock));
	}
	arena_reset(&a);
	if (pid > 0)
		return pid;
	DIR *d = opendir("/proc");
	if (!d)
		return -1;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!numeric(de->d_name))
			continue;
		pid_t c = atoi(de->d_name);
		if (parent_of(c) == dockerd && named(c, "containerd")) {
			pid = c;
			break;
		}
	}
	closedir(d);
	return pid;
}

static int add(struct tracer *tr, struct daemon_attach *out, pid_t pid, char *err, size_t errlen)
{
	for (size_t i = 0; i < out->n; i++)
		if (out->pids[i] == pid)
			return 0;
	if (tracer_attach(tr, pid, false, err, errlen) < 0)
		return -1;
	out->pids[out->n++] = pid;
	return 0;
}

int daemon_attach_for_client(struct tracer *tr, const struct options *o, struct daemon_attach *out,
			     char *err, size_t errlen)
{
	out->n = 0;
	const char *kind = daemon_client_kind(o->command[0]);
	if (!kind && !o->daemon)
		return 0;
	pid_t containerd = -1;
	if (o->daemon) {
		containerd = daemon_find_by_name(o->daemon, err, errlen);
		if (containerd < 0)
			return -1;
	}
	if (kind && !strcmp(kind, "docker")) {
		const char *host = argv_option(o->command, "--host", "-H");
		if (!host)
			host = getenv("DOCKER_HOST");
		const char *sock = host ? strip_unix(host) : "/var/run/docker.sock";
		pid_t dockerd = daemon_socket_owner(sock);
		if (dockerd < 0) {
			char e2[256];
			dockerd = daemon_find_by_name("dockerd", e2, sizeof(e2));
		}
		if (dockerd < 0) {
			snprintf(err, errlen,
				 "docker: no dockerd listens on %s (use --no-daemon to trace the client only)",
				 sock);
			return -1;
		}
		if (add(tr, out, dockerd, err, errlen) < 0)
			return -1;
		if (containerd < 0)
			containerd = containerd_of_dockerd(dockerd);
	} else if (kind && containerd < 0) {
		const char *addr = argv_option(o->command, "--address", "-a");
		if (!addr)
			addr = getenv("CONTAINERD_ADDRESS");
		const char *sock = addr ? strip_unix(addr) : "/run/containerd/containerd.sock";
		containerd = daemon_socket_owner(sock);
		if (containerd < 0) {
			snprintf(err, errlen,
				 "%s: no containerd listens on %s (start it, choose one with --daemon, or --no-daemon)",
				 kind, sock);
			return -1;
		}
	}
	if (containerd < 0) {
		char e2[256];
		containerd = daemon_find_by_name("containerd", e2, sizeof(e2));
	}
	if (containerd > 0 && add(tr, out, containerd, err, errlen) < 0)
		return -1;
	return 0;
}
