/* names.c - errno names (libc's, plus the kernel-internal restart codes) and
 * the colour of each role. Every other constant arrives already named in the
 * event (syscall_tables/: decoded arguments, decode_event_names). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "fmt_private.h"

/* Kernel-internal codes a tracer sees when a syscall is interrupted; libc has no
 * names for them (include/linux/errno.h). */
static const char *const kernel_errnos[] = {
    [512 - 512] = "ERESTARTSYS",	   [513 - 512] = "ERESTARTNOINTR",
    [514 - 512] = "ERESTARTNOHAND",	   [515 - 512] = "ENOIOCTLCMD",
    [516 - 512] = "ERESTART_RESTARTBLOCK",
};

const char *errno_name(int err)
{
	if (err >= 512 && err < 512 + (int)(sizeof(kernel_errnos) / sizeof(kernel_errnos[0])))
		return kernel_errnos[err - 512];
	return err > 0 ? strerrorname_np(err) : NULL;
}

/* Role colours: the launch reads top-down from blue daemons to magenta workloads. */
static const char *const role_colors[ROLE_COUNT] = {
    [ROLE_UNKNOWN] = "",	  [ROLE_DAEMON] = "\033[34m",  [ROLE_SHIM] = "\033[36m",
    [ROLE_CLIENT] = "\033[1m",	  [ROLE_RUNTIME] = "\033[32m", [ROLE_RUNTIME_INIT] = "\033[33m",
    [ROLE_WORKLOAD] = "\033[35m", [ROLE_PROCESS] = "",
};

const char *role_color(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? role_colors[r] : "";
}
