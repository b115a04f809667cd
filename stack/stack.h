/* stack.h - user stacks for -k: unwind a stopped task, name its frames.
 *
 * The tracer stops a task (a syscall stop of a shown syscall), reads its
 * registers with PTRACE_GETREGS and hands them here with its memory reader;
 * this stage never calls ptrace. Unwinding uses libunwind's remote API over
 * .eh_frame (C code), Go's own function table (.gopclntab, which survives
 * strip) for Go code, and frame pointers where neither knows the code.
 * Frames are named from .symtab, a separate debug file, .gopclntab or
 * .dynsym, in that order, and only by a symbol whose extent covers the
 * address; anything else stays module+offset.
 *
 * Executables are opened through /proc/PID/map_files (memfds, deleted files,
 * binaries of another mount namespace), and parsed once per build-id for the
 * life of the unwinder.
 */
#ifndef NSTRACE_STACK_H
#define NSTRACE_STACK_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/user.h>

#include "arena.h"
#include "event.h"
#include "syscalls.h"

struct stack_unwinder;

struct stack_unwinder *stack_unwinder_new(void);
void stack_unwinder_free(struct stack_unwinder *u);

/* Unwind the user stack of a stopped task. pid is the task's thread group
 * id (maps are cached per pid); regs its registers; read reads its memory
 * (the tracer's process_vm_readv reader with read_ctx). Frames, innermost
 * first, are allocated in arena with every string they point to; returns how
 * many (0 if not even the first frame could be read), at most max_frames.
 * A frame's offset is from its function when named, else the address in the
 * module's ELF address space (ip minus load bias: what addr2line and objdump
 * take). */
size_t stack_unwind(struct stack_unwinder *u, pid_t pid, const struct user_regs_struct *regs,
		    mem_reader_fn read, void *read_ctx, struct arena *arena,
		    struct stack_frame **frames_out, size_t max_frames);

/* The process exec'd or exited: drop its cached maps (not the symbol tables,
 * which are keyed by build-id and stay valid). */
void stack_forget(struct stack_unwinder *u, pid_t pid);

/* Where separate debug files live, /usr/lib/debug unless set (tests). The
 * string is copied. */
void stack_set_debug_root(struct stack_unwinder *u, const char *dir);

/* Counters, for tests and the bench. */
struct stack_stats {
	unsigned long modules_parsed; /* ELF files parsed (one per build-id) */
	unsigned long maps_reads;     /* /proc/PID/maps reads */
	unsigned long frames_dwarf, frames_go, frames_fp;
};
void stack_get_stats(const struct stack_unwinder *u, struct stack_stats *out);

#endif
