/* syscall_table.h - per-architecture tables behind syscalls.h (internal). */
#ifndef NSTRACE_SYSCALL_TABLE_H
#define NSTRACE_SYSCALL_TABLE_H

#include "syscalls.h"

extern const struct syscall_ent sc_table_x86_64[];
extern const size_t sc_table_x86_64_size;

#endif
