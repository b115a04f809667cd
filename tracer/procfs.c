/* procfs.c - /proc readers for the tracer (see procfs.h). */
#include "procfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int procfs_ns(pid_t tid, struct ns_set *ns)
{
	return procfs_ns_some(tid, ns, NS_BIT(NS_COUNT) - 1);
}

int procfs_ns_some(pid_t tid, struct ns_set *ns, uint32_t which)
{
	char path[64];
	struct stat sb;
	int n = 0;
	for (int i = 0; i < NS_COUNT; i++) {
		if (!(which & NS_BIT(i)))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", tid, ns_type_name(i));
		/* stat follows the magic link to the nsfs inode */
		if (stat(path, &sb) == 0) {
			ns->ino[i] = sb.st_ino;
			n++;
		} else {
			ns->ino[i] = 0;
		}
	}
	return n;
}

/* Read a small /proc file whole; returns bytes or -1. */
static ssize_t read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t got = 0;
	while (got + 1 < len) {
		ssize_t r = read(fd, buf + got, len - 1 - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	return (ssize_t)got;
}

/* The last number of a whitespace-separated list ("NSpid:\t1234\t1"). */
static pid_t last_number(const char *s)
{
	pid_t v = 0;
	char *end;
	for (;;) {
		long x = strtol(s, &end, 10);
		if (end == s)
			break;
		v = (pid_t)x;
		s = end;
	}
	return v;
}

int procfs_status(pid_t pid, pid_t tid, struct proc_status *st)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", pid, tid);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return -1;
	memset(st, 0, sizeof(*st));
	for (char *line = buf, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *val = strchr(line, ':');
		if (!val)
			continue;
		*val++ = '\0';
		while (*val == ' ' || *val == '\t')
			val++;
		if (!strcmp(line, "Name"))
			snprintf(st->name, sizeof(st->name), "%s", val);
		else if (!strcmp(line, "State"))
			st->state = val[0];
		else if (!strcmp(line, "Tgid"))
			st->tgid = atoi(val);
		else if (!strcmp(line, "PPid"))
			st->ppid = atoi(val);
		else if (!strcmp(line, "TracerPid"))
			st->tracer_pid = atoi(val);
		else if (!strcmp(line, "NSpid"))
			st->nstid = last_number(val); /* in task/TID/status: the thread's */
		else if (!strcmp(line, "NStgid"))
			st->nspid = last_number(val);
		else if (!strcmp(line, "Kthread"))
			st->kthread = atoi(val) != 0;
		else if (!strcmp(line, "Seccomp"))
			st->seccomp = atoi(val);
	}
	if (!st->nspid)
		st->nspid = st->nstid;
	return 0;
}

int procfs_comm(pid_t tid, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/comm", tid);
	ssize_t n = read_small(path, buf, len);
	if (n <= 0)
		return -1;
	if (buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

ssize_t procfs_fd_path(void *tid_ctx, int fd, char *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)(intptr_t)tid_ctx, fd);
	return readlink(path, buf, len);
}

const char *procfs_exe(pid_t pid, struct arena *a)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return NULL;
	return arena_strndup(a, buf, (size_t)n);
}

size_t procfs_cmdline(pid_t pid, struct arena *a, const char ***argv_out)
{
	char path[64];
	static char buf[65536]; /* argv can be long; single-threaded tracer */
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	ssize_t n = read_small(path, buf, sizeof(buf));
	*argv_out = NULL;
	if (n <= 0)
		return 0;
	size_t argc = 0;
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\0')
			argc++;
	if (buf[n - 1] != '\0')
		argc++; /* last argument without its NUL (truncated read) */
	const char **argv = arena_alloc(a, (argc + 1) * sizeof(*argv));
	size_t k = 0;
	for (ssize_t i = 0; i < n && k < argc;) {
		size_t l = strnlen(buf + i, (size_t)(n - i));
		argv[k++] = arena_strndup(a, buf + i, l);
		i += (ssize_t)l + 1;
	}
	argv[k] = NULL;
	*argv_out = argv;
	return k;
}

bool procfs_is_kthread(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return false;
	/* comm may hold spaces and parens: the fields start after the last ')' */
	char *p = strrchr(buf, ')');
	if (!p)
		return false;
	unsigned long flags = 0;
	/* fields 3..9: state ppid pgrp session tty_nr tpgid flags */
	if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %lu", &flags) != 1)
		return false;
	return (flags & 0x00200000UL) != 0; /* PF_KTHREAD */
}

int procfs_tasks(pid_t pid, pid_t *tids, size_t max)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) && n < max) {
		char *end;
		long t = strtol(de->d_name, &end, 10);
		if (*end || t <= 0)
			continue;
		tids[n++] = (pid_t)t;
	}
	closedir(d);
	return (int)n;
}
