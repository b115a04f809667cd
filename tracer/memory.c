/* memory.c - reading tracee memory.
 *
 * process_vm_readv copies in one syscall without stopping anything else; it
 * stops at the first unmapped page, so a read is retried page by page to get
 * the readable prefix (strings that end near a mapping's end). Where it is not
 * allowed at all (ENOSYS, EPERM under some LSMs) /proc/PID/mem is the fallback.
 */
#define _GNU_SOURCE
#include "tracer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/uio.h>
#include <unistd.h>

#define PAGE 4096u

static ssize_t vm_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = {.iov_base = buf, .iov_len = len};
	struct iovec remote = {.iov_base = (void *)(uintptr_t)addr, .iov_len = len};
	return process_vm_readv(tid, &local, 1, &remote, 1, 0);
}

static ssize_t mem_file_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/mem", tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = pread(fd, buf, len, (off_t)addr);
	close(fd);
	return n;
}

ssize_t tracer_read_mem(void *tid_ctx, uint64_t addr, void *buf, size_t len)
{
	pid_t tid = (pid_t)(intptr_t)tid_ctx;
	if (len == 0)
		return 0;
	if (addr == 0 || addr + len < addr)
		return -1;
	ssize_t n = vm_read(tid, addr, buf, len);
	if (n == (ssize_t)len)
		return n;
	if (n < 0 && (errno == ENOSYS || errno == EPERM))
		return mem_file_read(tid, addr, buf, len);
	if (n < 0 && errno != EFAULT)
		return -1;
	/* Partial: read page by page up to the first hole. */
	size_t got = n > 0 ? (size_t)n : 0;
	while (got < len) {
		uint64_t a = addr + got;
		size_t chunk = PAGE - (size_t)(a % PAGE);
		if (chunk > len - got)
			chunk = len - got;
		ssize_t r = vm_read(tid, a, (char *)buf + got, chunk);
		if (r <= 0)
			break;
		got += (size_t)r;
		if ((size_t)r < chunk)
			break;
	}
	return got ? (ssize_t)got : -1;
}
