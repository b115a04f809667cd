/* exe_cache.h - the executable behind an exec'd path, remembered.
 *
 * readlink(/proc/PID/exe) is the costliest part of following an exec: procfs
 * builds a new pid's directory for it first (about 35 us on the 2-vCPU VMs of
 * docs/performance.md). A daemon's fork/exec storm execs the same few paths over
 * and over, so for those execs the pipeline asks here first. An answer is only
 * reused for the same path exec'd, in the same mount namespace, of a program
 * with the same GNU build ID: another binary behind the path (a symlink
 * flipped, a package upgraded, a chroot with other files) is another build and
 * is looked up again.
 */
#ifndef NSTRACE_EXE_CACHE_H
#define NSTRACE_EXE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest build ID kept (SHA-1 ones are 20 bytes). */
#define EXE_CACHE_ID_MAX 32

struct exe_cache;

struct exe_cache *exe_cache_new(void);
void exe_cache_free(struct exe_cache *c);

/* Whether a path may be looked up at all: absolute, and not one whose target
 * depends on the process (/proc/self/exe, /dev/fd/N of fexecve). */
bool exe_cache_path_ok(const char *path);

/* The exe remembered for (mount namespace, path exec'd, build ID), or NULL. */
const char *exe_cache_get(struct exe_cache *c, uint64_t mnt_ns, const char *path,
			  const unsigned char *id, size_t id_len);

/* Remember exe for that key (an empty exe or an unlinked one is not kept). */
void exe_cache_put(struct exe_cache *c, uint64_t mnt_ns, const char *path, const unsigned char *id,
		   size_t id_len, const char *exe);

/* How many lookups found their answer here (NSTRACE_STATS). */
unsigned long exe_cache_hits(const struct exe_cache *c);

#endif
