/* exec_info.c - what a task just exec'd, read from its new stack.
 *
 * At the exec stop the new program has not run yet: its stack holds argc, argv,
 * envp and the aux vector as the kernel laid them out, argv's strings in one
 * block (the bytes /proc/PID/cmdline reads) and AT_EXECFN, the path execve was
 * given, whose basename the kernel made the comm. Two process_vm_readv calls
 * cost less than opening /proc/PID/cmdline and /proc/PID/comm of a new process,
 * which a fork storm under a daemon does hundreds of times a second. Anything
 * unusual (a 32-bit program, a huge environment) returns -1: the caller reads
 * /proc instead.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "tracee_table.h"
#include "tracer_internal.h"

#define STACK_WORDS 1024     /* argc, argv, envp, auxv: 8 KiB covers ~900 env vars */
#define ARGS_MAX (64 * 1024) /* as procfs_cmdline */
#define USER_CS_64 0x33

/* A NUL-terminated string of at most 4095 bytes: its page first. */
static const char *read_string(pid_t tid, uint64_t addr, struct arena *a)
{
	char buf[4096];
	size_t first = 4096 - (addr & 4095);
	ssize_t n = tracer_read_mem((void *)(intptr_t)tid, addr, buf, first);
	if (n <= 0)
		return NULL;
	if ((size_t)n == first && !memchr(buf, '\0', first) && first < sizeof(buf) - 1) {
		ssize_t m = tracer_read_mem((void *)(intptr_t)tid, addr + first, buf + first,
					    sizeof(buf) - 1 - first);
		if (m > 0)
			n += m;
	}
	buf[n] = '\0';
	return arena_strdup(a, buf);
}

/* Whether words w[0..nw) hold argc, argv, envp and the aux vector to AT_NULL. */
static bool aux_complete(const uint64_t *w, size_t nw)
{
	if (nw < 1 || w[0] >= nw)
		return false;
	size_t i = 1 + w[0] + 1; /* past argv's NULL */
	while (i < nw && w[i])
		i++;
	for (i++; i + 1 < nw; i += 2)
		if (w[i] == AT_NULL)
			return true;
	return false;
}

int tracer_exec_info(struct tracee *t, struct arena *a, struct exec_info *out)
{
	memset(out, 0, sizeof(*out));
	struct user_regs_struct regs;
	if (tracer_get_regs(t, &regs) < 0 || regs.cs != USER_CS_64)
		return -1;
	static uint64_t w[STACK_WORDS]; /* single-threaded tracer */
	/* up to the end of its page first: argc to auxv usually fit (every page
	 * process_vm_readv touches is pinned, so fewer is cheaper) */
	size_t first = 4096 - (regs.rsp & 4095);
	if (first < 1024)
		first += 4096;
	ssize_t got = tracer_read_mem((void *)(intptr_t)t->tid, regs.rsp, w, first);
	if (got < (ssize_t)sizeof(uint64_t))
		return -1;
	if ((size_t)got == first && !aux_complete(w, (size_t)got / sizeof(uint64_t))) {
		ssize_t more = tracer_read_mem((void *)(intptr_t)t->tid, regs.rsp + first,
					       (char *)w + first, sizeof(w) - first);
		if (more > 0)
			got += more;
	}
	size_t nw = (size_t)got / sizeof(uint64_t);
	uint64_t argc = w[0];
	if (argc > nw)
		return -1;
	size_t i = 1 + argc; /* argv's NULL */
	if (i >= nw || w[i] != 0)
		return -1;
	size_t env0 = ++i; /* envp, then its NULL */
	while (i < nw && w[i])
		i++;
	if (i >= nw)
		return -1;
	uint64_t envp0 = i > env0 ? w[env0] : 0;
	uint64_t execfn = 0;
	for (i++; i + 1 < nw && w[i] != AT_NULL; i += 2)
		if (w[i] == AT_EXECFN)
			execfn = w[i + 1];
	if (!execfn)
		return -1;

	/* argv's strings are one block, followed by envp's */
	const char **argv = arena_alloc(a, (argc + 1) * sizeof(*argv));
	if (argc) {
		static char s[ARGS_MAX];
		uint64_t base = w[1];
		size_t len = ARGS_MAX;
		if (envp0 > base && envp0 - base < len)
			len = (size_t)(envp0 - base);
		ssize_t n = tracer_read_mem((void *)(intptr_t)t->tid, base, s, len);
		if (n <= 0)
			return -1;
		for (size_t k = 0; k < argc; k++) {
			uint64_t off = w[1 + k] - base;
			if (w[1 + k] < base || off >= (uint64_t)n) {
				argc = k; /* past what we could read: truncated, as cmdline would be */
				break;
			}
			argv[k] = arena_strndup(a, s + off, strnlen(s + off, (size_t)n - off));
		}
	}
	argv[argc] = NULL;
	out->argc = argc;
	out->argv = argv;
	out->execfn = read_string(t->tid, execfn, a);
	return out->execfn ? 0 : -1;
}
