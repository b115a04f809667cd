/* test_cli_daemons.c - which wrapped client commands run a process in a running
 * container (their daemon's shims are then attached, as with --shims). */
#include <criterion/criterion.h>

#include "daemons.h"

#define ARGV(...) ((char *[]){__VA_ARGS__, NULL})

Test(cli_daemons, clients_that_exec)
{
	cr_assert(daemon_client_execs(ARGV("docker", "exec", "-it", "web", "sh")));
	cr_assert(daemon_client_execs(ARGV("/usr/bin/docker", "-H", "unix:///d.sock", "exec", "web", "ls")));
	cr_assert(daemon_client_execs(ARGV("docker", "--context=x", "container", "exec", "web", "ls")));
	cr_assert(daemon_client_execs(ARGV("nerdctl", "-n", "k8s.io", "exec", "web", "ls")));
	cr_assert(daemon_client_execs(ARGV("ctr", "--address", "/c.sock", "--namespace", "ns", "task",
					   "exec", "--exec-id", "e1", "web", "ls")));
	cr_assert(daemon_client_execs(ARGV("ctr", "-n", "ns", "t", "exec", "--exec-id", "e", "web", "ls")));
}

Test(cli_daemons, clients_that_do_not)
{
	/* "exec" as a value or in the container's command is not the subcommand */
	cr_assert_not(daemon_client_execs(ARGV("docker", "run", "busybox", "sh", "-c", "exec true")));
	cr_assert_not(daemon_client_execs(ARGV("docker", "-H", "exec", "run", "busybox")));
	cr_assert_not(daemon_client_execs(ARGV("ctr", "run", "--rm", "img", "exec", "sh")));
	cr_assert_not(daemon_client_execs(ARGV("ctr", "-n", "exec", "task", "ls")));
	cr_assert_not(daemon_client_execs(ARGV("ctr", "exec")));
	cr_assert_not(daemon_client_execs(ARGV("runc", "exec", "web", "ls")), "not a client");
	cr_assert_not(daemon_client_execs(ARGV("docker")));
	cr_assert_not(daemon_client_execs(NULL));
}
