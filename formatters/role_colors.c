/* role_colors.c - the terminal colour of each role. (Constants arrive already
 * named in the event, by syscall_tables/; errno names live with the
 * strace-style return text in call_text.c.) */
#include "fmt_private.h"

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
