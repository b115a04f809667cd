/* test_stack_unwind.c - unwinding real stopped processes: C fixtures with and
 * without symbols, through a debug file, from a memfd and a deleted file,
 * by frame pointers, stripped Go, and the real (stripped, Go + C) runc.
 */
#include "test_stack_tracee.h"

#include <criterion/criterion.h>
#include <gelf.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "elf_module.h"

#define MAX_FRAMES 64

struct unwound {
	struct arena arena;
	struct stack_frame *f;
	size_t n;
};

static void unwind_tid(struct stack_unwinder *u, pid_t pid, pid_t tid,
		       const struct user_regs_struct *regs, struct unwound *out)
{
	arena_init(&out->arena);
	out->n = stack_unwind(u, pid, regs, tracee_read, (void *)(intptr_t)tid, &out->arena,
			      &out->f, MAX_FRAMES);
	frames_dump(out->f, out->n);
}

/* Run a program to its SIGSTOP and unwind it. */
static void unwind_at_sigstop(struct stack_unwinder *u, char *const argv[], int exec_fd,
			      struct unwound *out, pid_t *pid_out)
{
	pid_t pid = tracee_start_fd(argv, NULL, exec_fd);
	cr_assert_gt(pid, 0, "start %s", argv[0]);
	struct user_regs_struct regs;
	cr_assert_eq(tracee_run_until(pid, false, NULL, &regs), pid, "%s: no SIGSTOP", argv[0]);
	unwind_tid(u, pid, pid, &regs, out);
	if (pid_out)
		*pid_out = pid;
	else
		tracee_kill(pid);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = s ? strlen(s) : 0, m = strlen(suffix);
	return s && n >= m && strcmp(s + n - m, suffix) == 0;
}

/* main -> chain_outer -> chain_middle -> chain_inner, innermost first and
 * adjacent, in module_suffix. */
static void expect_chain(const struct unwound *w, const char *module_suffix)
{
	static const char *const chain[] = {"chain_inner", "chain_middle", "chain_outer", "main"};
	long at = frame_index(w->f, w->n, 0, chain[0]);
	cr_assert_geq(at, 1, "chain_inner not found above the libc frames");
	for (size_t i = 0; i < 4; i++) {
		const struct stack_frame *f = &w->f[at + (long)i];
		cr_assert((size_t)at + i < w->n, "stack ends before %s", chain[i]);
		cr_assert_str_eq(f->function ? f->function : "(none)", chain[i]);
		cr_assert(ends_with(f->module, module_suffix), "module %s", f->module);
	}
	cr_assert(strstr(w->f[0].module, "libc.so"), "frame 0 is in libc (raise)");
}

Test(stack_unwind, c_fixture_with_symbols)
{
	struct stack_unwinder *u = stack_unwinder_new();
	char *argv[] = {(char *)fixture_path("stack_chain"), NULL};
	struct unwound w;
	unwind_at_sigstop(u, argv, -1, &w, NULL);
	expect_chain(&w, "/stack_chain");
	/* The walk reaches the ELF entry point: nothing lost past main. */
	cr_assert_geq(frame_index(w.f, w.n, 0, "_start"), frame_index(w.f, w.n, 0, "main"));
	cr_assert_gt(frame_index(w.f, w.n, 0, "_start"), 0);
	arena_reset(&w.arena);
	stack_unwinder_free(u);
}

/* Stripped: the fixture's frames are module+offset, and each offset is the
 * address of the right function in the unstripped twin (no name borrowed). */
Test(stack_unwind, c_fixture_stripped_is_module_offset)
{
	struct stack_unwinder *u = stack_unwinder_new();
	char *argv[] = {(char *)fixture_path("stack_chain_stripped"), NULL};
	struct unwound w;
	unwind_at_sigstop(u, argv, -1, &w, NULL);

	int fd = open(fixture_path("stack_chain"), O_RDONLY);
	cr_assert_geq(fd, 0);
	struct elf_module *twin = elf_module_open(fd, strdup("twin"), NULL, "/nonexistent");
	cr_assert_not_null(twin);
	const char *expect[] = {"chain_inner", "chain_middle", "chain_outer", "main"};
	size_t k = 0;
	for (size_t i = 1; i < w.n; i++) {
		if (!ends_with(w.f[i].module, "/stack_chain_stripped"))
			continue;
		cr_assert_null(w.f[i].function, "frame %zu named %s in a stripped file", i,
			       w.f[i].function);
		uint64_t start;
		const char *name = elf_module_symbol(twin, w.f[i].offset - 1, &start);
		if (k < 4 && name && strcmp(name, expect[k]) == 0)
			k++;
	}
	cr_assert_eq(k, 4, "the offsets map to the chain in the unstripped twin");
	elf_module_free(twin);
	arena_reset(&w.arena);
	stack_unwinder_free(u);
}

Test(stack_unwind, debuglink_gives_names)
{
	struct stack_unwinder *u = stack_unwinder_new();
	char *argv[] = {(char *)fixture_path("stack_chain_dbglink"), NULL};
	struct unwound w;
	unwind_at_sigstop(u, argv, -1, &w, NULL);
	expect_chain(&w, "/stack_chain_dbglink");
	arena_reset(&w.arena);
	stack_unwinder_free(u);
}

Test(stack_unwind, build_id_debug_file_gives_names)
{
	char root[] = "/tmp/stack-debug-XXXXXX";
	cr_assert_not_null(mkdtemp(root));
	int fd = open(fixture_path("stack_chain_stripped"), O_RDONLY);
	elf_version(EV_CURRENT);
	Elf *e = elf_begin(fd, ELF_C_READ, NULL);
	uint8_t id[64];
	size_t n = elf_build_id(e, id, sizeof(id));
	elf_end(e);
	close(fd);
	cr_assert_gt(n, 1, "the fixture has a build-id");
	char dir[256], link[512], hex[130] = "";
	for (size_t i = 1; i < n; i++)
		sprintf(hex + 2 * (i - 1), "%02x", id[i]);
	snprintf(dir, sizeof(dir), "%s/.build-id", root);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/.build-id/%02x", root, id[0]);
	mkdir(dir, 0755);
	snprintf(link, sizeof(link), "%s/%s.debug", dir, hex);
	cr_assert_eq(symlink(fixture_path("stack_chain.debug"), link), 0);

	struct stack_unwinder *u = stack_unwinder_new();
	stack_set_debug_root(u, root);
	char *argv[] = {(char *)fixture_path("stack_chain_stripped"), NULL};
	struct unwound w;
	unwind_at_sigstop(u, argv, -1, &w, NULL);
	unlink(link);
	rmdir(dir);
	snprintf(dir, sizeof(dir), "%s/.build-id", root);
	rmdir(dir);
	rmdir(root);
	expect_chain(&w, "/stack_chain_stripped");
	arena_reset(&w.arena);
	stack_unwinder_free(u);
}

/* runc re-executes itself from a memfd: read it through map_files. */
Test(stack_unwind, memfd_executable)
{
	int src = open(fixture_path("stack_chain"), O_RDONLY);
	cr_assert_geq(src, 0);
	struct stat st;
	fstat(src, &st);
	int mfd = memfd_create("stack_chain_memfd", MFD_CLOEXEC);
	cr_assert_geq(mfd, 0);
	char buf[65536];
	ssize_t r;
	while ((r = read(src, buf, sizeof(buf))) > 0)
		cr_assert_eq(write(mfd, buf, (size_t)r), r);
	close(src);

	struct stack_unwinder *u = stack_unwinder_new();
	char *argv[] = {"stack_chain_memfd", NULL};
	struct unwound w;
	unwind_at_sigstop(u, argv, mfd, &w, NULL);
	close(mfd);
	long at = frame_index(w.f, w.n, 0, "chain_inner");
	cr_assert_geq(at, 1);
	cr_assert(strstr(w.f[at].module, "/memfd:stack_chain_memfd"), "module %s", w.f[at].module);
	expect_chain(&w, "(deleted)");
	arena_reset(&w.arena);
	stack_unwinder_free(u);
}

/* The executable is gone from its path (deleted, or a mount that is gone). */
Test(stack_unwind, deleted_executable)
{
	char path[] = "/tmp/stack-chain-XXXXXX";
	int dst = mkstemp(path);
	int src = open(fixture_path("stack_chain"), O_RDONLY);
	cr_assert(dst >= 0 && src >= 0);
	char buf[65536];
	ssize_t r;
	while ((r = read(src, buf, sizeof(buf))) > 0)
		cr_assert_eq(write(dst, buf, (size_t)r), r);
	close(src);
	fchmod(dst, 0755);
	close(dst);

	pid_t pid = tracee_start((char *[]){path, NULL}, NULL);
	cr_assert_gt(pid, 0);
	struct user_regs_struct regs;
	cr_assert_eq(tracee_run_until(pid, false, NULL, &regs), pid);
	unlink(path);
	struct stack_unwinder *u = stack_unwinder_new();
	struct unwound w;
	unwind_tid(u, pid, pid, &regs, &w);
	tracee_kill(pid);
	expect_chain(&w, " (deleted)");
	arena_reset(&w.arena);
	stack_unwinder_free(u);
}

/* No .eh_frame in the fixture: past libc only the frame pointers lead on. */
Test(stack_unwind, frame_pointer_fallback)
{
	struct stack_unwinder *u = stack_unwinder_new();
	char *argv[] = {(char *)fixture_path("stack_fp"), NULL};
	struct unwound w;
	unwind_at_sigstop(u, argv, -1, &w, NULL);
	expect_chain(&w, "/stack_fp");
	struct stack_stats s;
	stack_get_stats(u, &s);
	cr_assert_geq(s.frames_fp, 3, "chain_inner..main were walked by frame pointers");
	arena_reset(&w.arena);
	stack_unwinder_free(u);
}

static void expect_go_chain(const char *fixture)
{
	struct stack_unwinder *u = stack_unwinder_new();
	char *argv[] = {(char *)fixture_path(fixture), NULL};
	struct unwound w;
	unwind_at_sigstop(u, argv, -1, &w, NULL);
	cr_assert_gt(w.n, 5);
	/* The raw syscall is a frameless assembly leaf: its caller must not be
	 * skipped, as a frame-pointer walk would. */
	cr_assert_str_eq(w.f[0].function ? w.f[0].function : "",
			 "runtime/internal/syscall.Syscall6");
	static const char *const chain[] = {"syscall.Tgkill", "main.inner", "main.(*chain).middle",
					    "main.outer",     "main.main",  "runtime.main"};
	long at = 0;
	for (size_t i = 0; i < sizeof(chain) / sizeof(chain[0]); i++) {
		long j = frame_index(w.f, w.n, (size_t)at, chain[i]);
		cr_assert_geq(j, at, "%s: %s missing or out of order", fixture, chain[i]);
		at = j;
	}
	cr_assert_eq(frame_index(w.f, w.n, 4, "main.inner") + 1,
		     frame_index(w.f, w.n, 4, "main.(*chain).middle"));
	cr_assert_str_eq(w.f[w.n - 1].function, "runtime.goexit", "the walk ends at the top frame");
	for (size_t i = 0; i < w.n; i++)
		cr_assert_not_null(w.f[i].function, "Go frame %zu unnamed", i);
	struct stack_stats s;
	stack_get_stats(u, &s);
	cr_assert_geq(s.frames_go, 6);
	arena_reset(&w.arena);
	stack_unwinder_free(u);
}

Test(stack_unwind, go_stripped)
{
	expect_go_chain("stack_go");
}

Test(stack_unwind, go_stripped_pie)
{
	expect_go_chain("stack_go_pie");
}

static bool is_write_stdout(const struct user_regs_struct *r)
{
	return r->orig_rax == SYS_write && r->rdi == 1;
}

static bool is_write_stderr(const struct user_regs_struct *r)
{
	return r->orig_rax == SYS_write && r->rdi == 2;
}

/* Debian's runc is stripped Go: `runc --version` writes from Go code. */
Test(stack_unwind, runc_go_frames_named)
{
	char *argv[] = {"/usr/sbin/runc", "--version", NULL};
	pid_t pid = tracee_start(argv, NULL);
	cr_assert_gt(pid, 0);
	struct user_regs_struct regs;
	pid_t tid = tracee_run_until(pid, true, is_write_stdout, &regs);
	cr_assert_gt(tid, 0, "runc --version wrote nothing");
	struct stack_unwinder *u = stack_unwinder_new();
	struct unwound w;
	unwind_tid(u, pid, tid, &regs, &w);
	tracee_kill(pid);
	cr_assert_str_eq(w.f[0].function ? w.f[0].function : "",
			 "runtime/internal/syscall.Syscall6");
	cr_assert_geq(frame_index(w.f, w.n, 0, "syscall.write"), 1);
	long m = frame_index(w.f, w.n, 0, "main.main");
	cr_assert_gt(m, 3);
	cr_assert_eq(frame_index(w.f, w.n, (size_t)m, "runtime.main"), m + 1);
	cr_assert_str_eq(w.f[w.n - 1].function, "runtime.goexit");
	for (size_t i = 0; i < w.n; i++)
		cr_assert_not_null(w.f[i].function, "runc Go frame %zu unnamed", i);
	arena_reset(&w.arena);
	stack_unwinder_free(u);
}

/* runc's C part (nsexec) runs before Go. With a bad _LIBCONTAINER_INITPIPE it
 * logs and exits from C: write <- write_log <- bail (static, stripped) <-
 * nsexec (exported, with a size) <- libc's constructor loop <- _start.
 * strace -k names the static ones "escape_json_string+0x38f", a symbol
 * whose extent ends far before; here they must stay module+offset. */
Test(stack_unwind, runc_c_frames_honest)
{
	char *argv[] = {"/usr/sbin/runc", "init", NULL};
	char *envp[] = {"_LIBCONTAINER_INITPIPE=notanumber", "_LIBCONTAINER_LOGPIPE=2", NULL};
	pid_t pid = tracee_start(argv, envp);
	cr_assert_gt(pid, 0);
	struct user_regs_struct regs;
	pid_t tid = tracee_run_until(pid, true, is_write_stderr, &regs);
	cr_assert_eq(tid, pid, "nsexec did not log");
	struct stack_unwinder *u = stack_unwinder_new();
	struct unwound w;
	unwind_tid(u, pid, tid, &regs, &w);
	tracee_kill(pid);
	cr_assert(strstr(w.f[0].module, "libc.so") && w.f[0].function, "frame 0: libc's write");
	long ns = frame_index(w.f, w.n, 0, "nsexec");
	cr_assert_geq(ns, 2, "nsexec found above its static helpers");
	for (long i = 1; i < ns; i++) {
		cr_assert_str_eq(w.f[i].module, "/usr/sbin/runc");
		cr_assert_null(w.f[i].function, "static C frame %ld named %s", i, w.f[i].function);
		cr_assert_gt(w.f[i].offset, 0x400000, "module offset is the ELF address");
	}
	cr_assert_eq(frame_index(w.f, w.n, 0, "escape_json_string"), -1);
	cr_assert_str_eq(w.f[w.n - 1].function ? w.f[w.n - 1].function : "", "_start");
	arena_reset(&w.arena);
	stack_unwinder_free(u);
}

/* Two processes of one binary: parsed once. A forgotten pid reads its maps
 * again, and still unwinds. */
Test(stack_unwind, caches_per_build_id_and_forget)
{
	struct stack_unwinder *u = stack_unwinder_new();
	char *argv[] = {(char *)fixture_path("stack_chain"), NULL};
	struct unwound w1, w2, w3;
	pid_t pid;
	unwind_at_sigstop(u, argv, -1, &w1, NULL);
	struct stack_stats s1, s2, s3;
	stack_get_stats(u, &s1);
	unwind_at_sigstop(u, argv, -1, &w2, &pid);
	stack_get_stats(u, &s2);
	cr_assert_eq(s2.modules_parsed, s1.modules_parsed, "second process parsed nothing new");
	cr_assert_eq(w1.n, w2.n);
	stack_forget(u, pid);
	struct user_regs_struct regs;
	ptrace(PTRACE_GETREGS, pid, 0, &regs);
	unwind_tid(u, pid, pid, &regs, &w3);
	stack_get_stats(u, &s3);
	tracee_kill(pid);
	cr_assert_eq(s3.maps_reads, s2.maps_reads + 1);
	cr_assert_eq(w3.n, w2.n);
	for (size_t i = 0; i < w2.n; i++)
		cr_assert_eq(w3.f[i].ip, w2.f[i].ip);
	arena_reset(&w1.arena);
	arena_reset(&w2.arena);
	arena_reset(&w3.arena);
	stack_unwinder_free(u);
}

/* glibc's __clone3 makes its syscall past the end of its FDE: the innermost
 * frame has no unwind info, and its return address is at SP. */
static bool is_clone3(const struct user_regs_struct *r)
{
	return r->orig_rax == SYS_clone3;
}

Test(stack_unwind, clone3_without_unwind_info)
{
	char *argv[] = {(char *)fixture_path("stack_thread"), NULL};
	pid_t pid = tracee_start(argv, NULL);
	cr_assert_gt(pid, 0);
	struct user_regs_struct regs;
	pid_t tid = tracee_run_until(pid, true, is_clone3, &regs);
	cr_assert_eq(tid, pid, "no clone3 from pthread_create");
	struct stack_unwinder *u = stack_unwinder_new();
	struct unwound w;
	unwind_tid(u, pid, tid, &regs, &w);
	tracee_kill(pid);
	long at = frame_index(w.f, w.n, 1, "spawn_worker");
	cr_assert_geq(at, 2, "pthread_create's frames, then spawn_worker");
	cr_assert_eq(frame_index(w.f, w.n, (size_t)at, "spawn_outer"), at + 1);
	cr_assert_eq(frame_index(w.f, w.n, (size_t)at, "main"), at + 2);
	arena_reset(&w.arena);
	stack_unwinder_free(u);
}

/* The process execs after an unwind and nobody called stack_forget: the
 * cached maps say a non-PIE C program is at 0x400000, where the new (Go,
 * also non-PIE) program now runs. Its code does not match: read them again. */
Test(stack_unwind, exec_without_forget_rereads_maps)
{
	char go[PATH_MAX];
	snprintf(go, sizeof(go), "%s", fixture_path("stack_go"));
	char *argv[] = {(char *)fixture_path("stack_fp"), "exec", go, NULL};
	pid_t pid = tracee_start(argv, NULL);
	cr_assert_gt(pid, 0);
	struct stack_unwinder *u = stack_unwinder_new();
	struct user_regs_struct regs;
	struct unwound w1, w2;
	cr_assert_eq(tracee_run_until(pid, false, NULL, &regs), pid);
	unwind_tid(u, pid, pid, &regs, &w1);
	expect_chain(&w1, "/stack_fp");
	cr_assert_eq(tracee_run_until(pid, false, NULL, &regs), pid, "stack_go's SIGSTOP");
	unwind_tid(u, pid, pid, &regs, &w2);
	tracee_kill(pid);
	cr_assert_str_eq(w2.f[0].function ? w2.f[0].function : "",
			 "runtime/internal/syscall.Syscall6");
	cr_assert(ends_with(w2.f[0].module, "/stack_go"), "module %s", w2.f[0].module);
	cr_assert_geq(frame_index(w2.f, w2.n, 0, "main.(*chain).middle"), 1);
	arena_reset(&w1.arena);
	arena_reset(&w2.arena);
	stack_unwinder_free(u);
}
