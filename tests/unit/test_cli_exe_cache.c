/* test_cli_exe_cache.c - the exe cache answers only for the same path, mount
 * namespace and build ID, never for a path whose target depends on the process,
 * and stays bounded. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "exe_cache.h"

static const unsigned char id_true[20] = {0xc8, 0x91, 0x56, 0xeb, 1, 2, 3};
static const unsigned char id_false[20] = {0x7a, 0x10, 0x22, 0x01, 9, 8, 7};
#define MNT 4026531832ull

Test(cli_exe_cache, hit_only_for_the_same_key)
{
	struct exe_cache *c = exe_cache_new();
	cr_assert_not_null(c);
	cr_assert_null(exe_cache_get(c, MNT, "/bin/true", id_true, 20), "empty cache answered");
	exe_cache_put(c, MNT, "/bin/true", id_true, 20, "/usr/bin/true");
	cr_assert_str_eq(exe_cache_get(c, MNT, "/bin/true", id_true, 20), "/usr/bin/true");
	cr_assert_eq(exe_cache_hits(c), 1);
	/* another build behind the same path: a symlink flipped, an upgrade */
	cr_assert_null(exe_cache_get(c, MNT, "/bin/true", id_false, 20));
	/* another mount namespace, another path, another id length */
	cr_assert_null(exe_cache_get(c, MNT + 1, "/bin/true", id_true, 20));
	cr_assert_null(exe_cache_get(c, MNT, "/usr/bin/true", id_true, 20));
	cr_assert_null(exe_cache_get(c, MNT, "/bin/true", id_true, 16));
	cr_assert_eq(exe_cache_hits(c), 1, "a miss was counted as a hit");
	/* a newer answer for the key replaces the old one */
	exe_cache_put(c, MNT, "/bin/true", id_true, 20, "/opt/true");
	cr_assert_str_eq(exe_cache_get(c, MNT, "/bin/true", id_true, 20), "/opt/true");
	exe_cache_free(c);
}

Test(cli_exe_cache, refuses_what_it_cannot_key)
{
	struct exe_cache *c = exe_cache_new();
	/* the process decides these: runc's /proc/self/exe, fexecve's /dev/fd/N,
	 * a path relative to its working directory */
	const char *paths[] = {"/proc/self/exe", "/dev/fd/5", "bin/true", "", NULL};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		exe_cache_put(c, MNT, paths[i], id_true, 20, "/usr/sbin/runc");
		cr_assert_null(exe_cache_get(c, MNT, paths[i], id_true, 20), "%s was cached",
			       paths[i] ? paths[i] : "NULL");
	}
	cr_assert_not(exe_cache_path_ok("/proc/self/exe"));
	cr_assert(exe_cache_path_ok("/usr/bin/runc"));
	/* no build ID, no namespace: no identity to go by */
	exe_cache_put(c, MNT, "/bin/sh", id_true, 0, "/usr/bin/dash");
	cr_assert_null(exe_cache_get(c, MNT, "/bin/sh", id_true, 0));
	exe_cache_put(c, 0, "/bin/sh", id_true, 20, "/usr/bin/dash");
	cr_assert_null(exe_cache_get(c, 0, "/bin/sh", id_true, 20));
	/* nothing worth keeping: unknown, or a file since unlinked */
	exe_cache_put(c, MNT, "/bin/a", id_true, 20, "");
	exe_cache_put(c, MNT, "/bin/b", id_true, 20, NULL);
	exe_cache_put(c, MNT, "/bin/c", id_true, 20, "/tmp/c (deleted)");
	cr_assert_null(exe_cache_get(c, MNT, "/bin/a", id_true, 20));
	cr_assert_null(exe_cache_get(c, MNT, "/bin/b", id_true, 20));
	cr_assert_null(exe_cache_get(c, MNT, "/bin/c", id_true, 20));
	cr_assert_eq(exe_cache_hits(c), 0);
	exe_cache_free(c);
}

Test(cli_exe_cache, bounded_and_never_wrong_after_eviction)
{
	struct exe_cache *c = exe_cache_new();
	char path[64], exe[64];
	for (int i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), "/bin/p%d", i);
		snprintf(exe, sizeof(exe), "/usr/bin/p%d", i);
		exe_cache_put(c, MNT, path, id_true, 20, exe);
	}
	size_t kept = 0;
	for (int i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), "/bin/p%d", i);
		snprintf(exe, sizeof(exe), "/usr/bin/p%d", i);
		const char *got = exe_cache_get(c, MNT, path, id_true, 20);
		if (got) {
			cr_assert_str_eq(got, exe, "%s answered with another path's exe", path);
			kept++;
		}
	}
	cr_assert_gt(kept, 0);
	cr_assert_leq(kept, 64, "the table grew past its slots: %zu kept", kept);
	exe_cache_put(c, MNT, "/bin/p999", id_true, 20, "/usr/bin/p999");
	cr_assert_str_eq(exe_cache_get(c, MNT, "/bin/p999", id_true, 20), "/usr/bin/p999");
	exe_cache_free(c);
}
