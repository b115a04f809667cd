/* exec_info.c - what a task just exec'd, read from its new stack.
 *
 * At the exec stop the new program has not run yet: its stack holds argc, argv,
 * envp and the aux vector as the kernel laid them out, argv's strings in one
 * block (the bytes /proc/PID/cmdline reads) and AT_EXECFN, the path execve was
 * given, whose basename the kernel made the comm. One process_vm_readv from the
 * stack pointer up usually gets it all, for less than opening /proc/PID/cmdline
 * and /proc/PID/comm of a new process, which a fork storm under a daemon does
 * hundreds of times a second. Anything unusual (a 32-bit program, a huge
 * environment) returns -1: the caller reads /proc instead.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "tracee_table.h"
#include "tracer_internal.h"

#define STACK_BYTES (16 * 1024) /* argc, argv, envp, auxv: ~1900 env vars */
#define FIRST_PAGES 2		/* after the stack pointer's: usually all of it */
#define ARGS_MAX (64 * 1024)	/* as procfs_cmdline */
#define USER_CS_64 0x33
#define PAGE 4096

/* Read [addr, addr+len) in one process_vm_readv, page by page on the remote
 * side so that the top of the stack (the end of its mapping) ends the read
 * short instead of failing it. Returns bytes read, or -1. */
static ssize_t read_block(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	struct iovec remote[STACK_BYTES / PAGE + 1];
	size_t n = 0, off = 0;
	while (off < len && n < sizeof(remote) / sizeof(remote[0])) {
		size_t chunk = PAGE - (size_t)((addr + off) % PAGE);
		if (chunk > len - off)
			chunk = len - off;
		remote[n].iov_base = (void *)(uintptr_t)(addr + off);
		remote[n++].iov_len = chunk;
		off += chunk;
	}
	struct iovec local = {.iov_base = buf, .iov_len = off};
	return process_vm_readv(tid, &local, 1, remote, n, 0);
}

/* The NUL-terminated string at addr if it lies whole in the block read from
 * the stack (blk holds [base, base+len)), else NULL. */
static const char *in_block(const char *blk, uint64_t base, size_t len, uint64_t addr)
{
	if (addr < base || addr >= base + len)
		return NULL;
	size_t off = (size_t)(addr - base);
	return memchr(blk + off, '\0', len - off) ? blk + off : NULL;
}

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

/* argv's strings: one block, followed by envp's (argv[0] at base). From the
 * stack block when they lie whole in it, else read. Returns argc kept, -1. */
static ssize_t read_argv(pid_t tid, const uint64_t *ptrs, size_t argc, uint64_t envp0,
			 const char *blk, uint64_t blk_base, size_t blk_len, struct arena *a,
			 const char **argv)
{
	const char *last = in_block(blk, blk_base, blk_len, ptrs[argc - 1]);
	const char *s;
	size_t n;
	uint64_t base = ptrs[0];
	if (last && base >= blk_base && base <= ptrs[argc - 1]) {
		s = blk + (base - blk_base);
		n = (size_t)(last - s) + strlen(last) + 1;
	} else {
		static char buf[ARGS_MAX];
		size_t len = ARGS_MAX;
		if (envp0 > base && envp0 - base < len)
			len = (size_t)(envp0 - base);
		ssize_t got = tracer_read_mem((void *)(intptr_t)tid, base, buf, len);
		if (got <= 0)
			return -1;
		s = buf;
		n = (size_t)got;
	}
	for (size_t k = 0; k < argc; k++) {
		uint64_t off = ptrs[k] - base;
		if (ptrs[k] < base || off >= (uint64_t)n)
			return (ssize_t)k; /* past what we could read: truncated, as cmdline would be */
		argv[k] = arena_strndup(a, s + off, strnlen(s + off, n - off));
	}
	return (ssize_t)argc;
}

/* The GNU build ID of the program just exec'd. AT_PHDR points at its program
 * headers; with the usual layout the ELF header, the program headers and the
 * notes all sit in the first page of the file, mapped from offset 0, so one
 * read of that page finds the NT_GNU_BUILD_ID note at its file offset. Any
 * other layout gives 0 (the caller then has no identity to go by). */
size_t tracer_exec_build_id(struct tracee *t, const struct exec_info *xi, unsigned char *id,
			    size_t max)
{
	static unsigned char pg[PAGE];
	uint64_t phdr = xi->phdr, phnum = xi->phnum;
	uint64_t base = phdr & ~(uint64_t)(PAGE - 1);
	if (!phdr || !phnum || read_block(t->tid, base, pg, PAGE) != PAGE)
		return 0;
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)pg;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_phoff != phdr - base || eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    eh->e_phnum != phnum || eh->e_phoff + phnum * sizeof(Elf64_Phdr) > PAGE)
		return 0;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(pg + eh->e_phoff);
	for (uint64_t i = 0; i < phnum; i++) {
		if (ph[i].p_type != PT_NOTE || ph[i].p_offset >= PAGE ||
		    ph[i].p_filesz > PAGE - ph[i].p_offset)
			continue;
		size_t off = (size_t)ph[i].p_offset, end = off + (size_t)ph[i].p_filesz;
		while (off + sizeof(Elf64_Nhdr) <= end) {
			const Elf64_Nhdr *nh = (const Elf64_Nhdr *)(pg + off);
			size_t name = off + sizeof(*nh);
			size_t desc = name + ((nh->n_namesz + 3u) & ~3u);
			size_t next = desc + ((nh->n_descsz + 3u) & ~3u);
			if (nh->n_namesz > PAGE || nh->n_descsz > PAGE || next > end)
				break;
			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
			    !memcmp(pg + name, "GNU", 4) && nh->n_descsz &&
			    nh->n_descsz <= max) {
				memcpy(id, pg + desc, nh->n_descsz);
				return nh->n_descsz;
			}
			off = next;
		}
	}
	return 0;
}

int tracer_exec_info(struct tracee *t, struct arena *a, struct exec_info *out)
{
	memset(out, 0, sizeof(*out));
	struct user_regs_struct regs;
	if (tracer_get_regs(t, &regs) < 0 || regs.cs != USER_CS_64)
		return -1;
	static uint64_t w[STACK_BYTES / sizeof(uint64_t)]; /* single-threaded tracer */
	/* One read from the stack pointer: argc to auxv, and with a usual
	 * environment the strings above them up to the top of the stack too
	 * (each process_vm_readv costs more than the bytes it copies). */
	size_t first = PAGE - (size_t)(regs.rsp % PAGE) + FIRST_PAGES * PAGE;
	ssize_t got = read_block(t->tid, regs.rsp, w, first);
	if (got < (ssize_t)sizeof(uint64_t))
		return -1;
	if ((size_t)got == first && !aux_complete(w, (size_t)got / sizeof(uint64_t))) {
		ssize_t more = read_block(t->tid, regs.rsp + first, (char *)w + first,
					  sizeof(w) - first);
		if (more > 0)
			got += more;
	}
	const char *blk = (const char *)w;
	size_t blk_len = (size_t)got;
	size_t nw = blk_len / sizeof(uint64_t);
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
	size_t envc = i - env0;
	uint64_t envp0 = envc ? w[env0] : 0;
	uint64_t execfn = 0, phdr = 0, phnum = 0;
	for (i++; i + 1 < nw && w[i] != AT_NULL; i += 2) {
		if (w[i] == AT_EXECFN)
			execfn = w[i + 1];
		else if (w[i] == AT_PHDR)
			phdr = w[i + 1];
		else if (w[i] == AT_PHNUM)
			phnum = w[i + 1];
	}
	if (!execfn)
		return -1;

	const char **argv = arena_alloc(a, (argc + 1) * sizeof(*argv));
	if (argc) {
		ssize_t kept = read_argv(t->tid, &w[1], argc, envp0, blk, regs.rsp, blk_len, a, argv);
		if (kept < 0)
			return -1;
		argc = (uint64_t)kept;
	}
	argv[argc] = NULL;
	out->argc = argc;
	out->argv = argv;
	out->envc = envc;
	const char *fn = in_block(blk, regs.rsp, blk_len, execfn);
	out->execfn = fn ? arena_strdup(a, fn) : read_string(t->tid, execfn, a);
	out->phdr = phdr;
	out->phnum = phnum;
	return out->execfn ? 0 : -1;
}
