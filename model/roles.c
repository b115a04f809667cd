/* roles.c - who is who: programs to roles, runtime and shim command lines.
 *
 * Tables, not code: a program name decides a role (DESIGN.md, "Roles"), a
 * runtime's global options are skipped by a table of the ones that take a value.
 */
#include "model_internal.h"

#include <stdio.h>
#include <string.h>

enum match { M_EXACT, M_PREFIX };

struct role_rule {
	const char *name;
	enum match match;
	enum role role;
};

/* The first rule that matches wins, so prefixes come after exact names they cover. */
static const struct role_rule role_rules[] = {
    {"containerd", M_EXACT, ROLE_DAEMON},
    {"dockerd", M_EXACT, ROLE_DAEMON},
    {"crio", M_EXACT, ROLE_DAEMON},
    {"containerd-shim", M_PREFIX, ROLE_SHIM}, /* containerd-shim-runc-v2, -runsc-v1, ... */
    {"conmon", M_EXACT, ROLE_SHIM},
    {"podman", M_EXACT, ROLE_CLIENT}, /* "podman system service" is a daemon: see below */
    {"docker", M_EXACT, ROLE_CLIENT},
    {"ctr", M_EXACT, ROLE_CLIENT},
    {"nerdctl", M_EXACT, ROLE_CLIENT},
    {"crictl", M_EXACT, ROLE_CLIENT},
    {"runc", M_EXACT, ROLE_RUNTIME},
    {"crun", M_EXACT, ROLE_RUNTIME},
    {"youki", M_EXACT, ROLE_RUNTIME},
    {"runsc", M_EXACT, ROLE_RUNTIME},
};

/* Depth per role (DESIGN.md, "Roles"): true = syscall stops. */
static const bool role_syscalls[ROLE_COUNT] = {
    [ROLE_UNKNOWN] = true,   [ROLE_DAEMON] = false, [ROLE_SHIM] = false,
    [ROLE_CLIENT] = false,   [ROLE_RUNTIME] = true, [ROLE_RUNTIME_INIT] = true,
    [ROLE_WORKLOAD] = false, [ROLE_PROCESS] = true,
};

/* Global options of runc, crun, youki that take a value (before the subcommand). */
static const char *const runtime_global_valued[] = {
    "--root",		"--log", "--log-format", "--log-level", "--criu", "--rootless",
    "--cgroup-manager", "-root", "-log",	 "-log-format",
};

/* Options of create/run/exec/... that take a value (before the container id). */
static const char *const runtime_sub_valued[] = {
    "--bundle",
    "-b",
    "--pid-file",
    "--console-socket",
    "--preserve-fds",
    "--process",
    "-p",
    "--cwd",
    "--env",
    "-e",
    "--user",
    "-u",
    "--cap",
    "-c",
    "--apparmor",
    "--process-label",
    "--additional-gids",
    "-g",
    "--cgroup",
    "--image-path",
    "--work-path",
    "--parent-path",
    "--page-server",
    "--manage-cgroups-mode",
    "--empty-ns",
    "--status-fd",
    "--notify-socket",
};

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

#define IN(s, list) in_list(s, list, sizeof(list) / sizeof(list[0]))

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static enum role rule_role(const char *name)
{
	for (size_t i = 0; i < sizeof(role_rules) / sizeof(role_rules[0]); i++) {
		const struct role_rule *r = &role_rules[i];
		if (r->match == M_EXACT ? !strcmp(name, r->name)
					: !strncmp(name, r->name, strlen(r->name)))
			return r->role;
	}
	return ROLE_UNKNOWN;
}

static bool argv_has(const char *const *argv, size_t argc, const char *word)
{
	for (size_t i = 1; i < argc; i++)
		if (argv[i] && !strcmp(argv[i], word))
			return true;
	return false;
}

bool is_runtime_reexec(const char *exe, const char *filename, const char *const *argv, size_t argc)
{
	if (argc < 2 || !argv[1] || strcmp(argv[1], "init"))
		return false;
	/* runc re-executes itself: /proc/self/exe, then a memfd or a read-only bind
	 * copy under its state dir (CVE-2019-5736); argv stays "runc init". */
	if (exe && (strstr(exe, "/memfd:") == exe || strstr(exe, "runc_cloned")))
		return true;
	if (filename && !strcmp(filename, "/proc/self/exe"))
		return true;
	return argv[0] && rule_role(base_name(argv[0])) == ROLE_RUNTIME;
}

enum role role_of_program(const char *exe, const char *filename, const char *const *argv,
			  size_t argc, char *name, size_t namelen)
{
	/* The executable's real name first (dockerd may be called with any argv[0]),
	 * then argv[0] (a memfd or /run/runc copy of runc has no useful name), then the
	 * path that was exec'd. " (deleted)" is how /proc shows an unlinked file. */
	const char *cands[3] = {exe, argc && argv ? argv[0] : NULL, filename};
	for (size_t i = 0; i < 3; i++) {
		if (!cands[i] || !*cands[i])
			continue;
		char buf[256];
		snprintf(buf, sizeof(buf), "%s", base_name(cands[i]));
		char *del = strstr(buf, " (deleted)");
		if (del)
			*del = '\0';
		enum role r = rule_role(buf);
		if (r == ROLE_UNKNOWN)
			continue;
		if (name)
			snprintf(name, namelen, "%s", buf);
		if (r == ROLE_CLIENT && !strcmp(buf, "podman") && argv_has(argv, argc, "service"))
			r = ROLE_DAEMON;
		if (r == ROLE_RUNTIME && is_runtime_reexec(exe, filename, argv, argc))
			r = ROLE_RUNTIME_INIT;
		return r;
	}
	if (name && namelen)
		name[0] = '\0';
	return ROLE_PROCESS;
}

void parse_runtime_argv(const char *const *argv, size_t argc, struct argv_info *ai)
{
	memset(ai, 0, sizeof(*ai));
	size_t i = 1;
	/* global options, then the subcommand */
	for (; i < argc && argv[i]; i++) {
		const char *a = argv[i];
		if (a[0] != '-')
			break;
		if (!strncmp(a, "--log=", 6) || !strncmp(a, "-log=", 5))
			ai->log = strchr(a, '=') + 1;
		else if ((!strcmp(a, "--log") || !strcmp(a, "-log")) && i + 1 < argc)
			ai->log = argv[i + 1];
		if (!strchr(a, '=') && IN(a, runtime_global_valued))
			i++;
	}
	if (i >= argc || !argv[i])
		return;
	ai->sub = argv[i++];
	for (; i < argc && argv[i]; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			if (i + 1 < argc)
				ai->id = argv[i + 1];
			return;
		}
		if (a[0] != '-') {
			ai->id = a; /* the first positional: urfave/cli stops at it */
			return;
		}
		const char *eq = strchr(a, '=');
		if (eq && (!strncmp(a, "--bundle=", 9) || !strncmp(a, "-b=", 3)))
			ai->bundle = eq + 1;
		if (!eq && IN(a, runtime_sub_valued)) {
			if (i + 1 < argc && (!strcmp(a, "--bundle") || !strcmp(a, "-b")))
				ai->bundle = argv[i + 1];
			i++;
		}
	}
}

void parse_shim_argv(const char *const *argv, size_t argc, struct argv_info *ai)
{
	/* containerd-shim-runc-v2 -namespace NS -address A [-publish-binary B] -id ID
	 * [-bundle DIR] [start|delete]; conmon -c ID -b BUNDLE ... (Go's flag package
	 * accepts -x and --x alike). */
	memset(ai, 0, sizeof(*ai));
	for (size_t i = 1; i < argc && argv[i]; i++) {
		const char *a = argv[i];
		const char *o = a[0] == '-' && a[1] == '-' ? a + 1 : a;
		bool has_val = i + 1 < argc && argv[i + 1];
		if ((!strcmp(o, "-id") || !strcmp(o, "-c") || !strcmp(o, "-cid")) && has_val)
			ai->id = argv[++i];
		else if ((!strcmp(o, "-bundle") || !strcmp(o, "-b")) && has_val)
			ai->bundle = argv[++i];
		else if (a[0] == '-' && !strchr(a, '=') && has_val && argv[i + 1][0] != '-')
			i++; /* some other option and its value */
		else if (a[0] != '-')
			ai->sub = a; /* "start", "delete" */
	}
}

bool depth_wants_syscalls(enum role r, const struct model_opts *opts)
{
	if ((unsigned)r >= ROLE_COUNT)
		return true;
	if (opts && opts->trace_daemon && (r == ROLE_DAEMON || r == ROLE_SHIM || r == ROLE_CLIENT))
		return true;
	if (opts && opts->follow_workload && r == ROLE_WORKLOAD)
		return true;
	return role_syscalls[r];
}

int stage_number(const char *name)
{
	/* "<runtime>:[N:NAME]": runc:[0:PARENT], youki:[1:INTERMEDIATE], ... */
	const char *s = name ? strstr(name, ":[") : NULL;
	if (!s || s == name || s[2] < '0' || s[2] > '9' || s[3] != ':')
		return -1;
	return s[2] - '0';
}
