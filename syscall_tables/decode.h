/* decode.h - what every decoder shares (internal to syscall_tables/).
 *
 * A decoder is a pair of functions over one `struct dcall`: `entry` fills the
 * argument list from registers and input memory, `exit` (optional) completes
 * it with what the kernel wrote back. Values are built with the helpers below
 * and never printed here.
 */
#ifndef NSTRACE_DECODE_H
#define NSTRACE_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "syscalls.h"
#include "xlat.h"

#define DC_MAX_ARGS 8
/* strace reads pathnames up to PATH_MAX whatever -s says. */
#define DC_PATH_MAX 4096

struct dcall {
	const struct decode_ctx *ctx;
	struct arena *a;
	const uint64_t *args;
	struct av_list *list;
	/* exit only */
	int64_t ret;
	bool failed; /* the call returned -errno */
};

typedef void (*decode_fn)(struct dcall *c);

struct decoder {
	const char *name;
	decode_fn entry;
	decode_fn exit;
};

/* Decoder tables of each file, terminated by a NULL name. */
extern const struct decoder decoders_process[], decoders_ns[], decoders_mount[],
	decoders_prctl[], decoders_creds[], decoders_security[], decoders_file[],
	decoders_bpf[], decoders_path[], decoders_stat[], decoders_fd[];

/* The next argument slot, filled with a copy of v; returns the slot. */
struct av *dc_put(struct dcall *c, const struct av *v);
/* Overwrite a slot with v at exit, keeping its name and label. */
void dc_replace(struct av *slot, const struct av *v);
/* The argument slot named name, or NULL. */
struct av *dc_arg(struct dcall *c, const char *name);

/* Tracee memory. */
bool dc_read(struct dcall *c, uint64_t addr, void *buf, size_t len); /* all or nothing */
/* An address whose memory could not be read (AV_ADDR, unreadable unless NULL). */
struct av *dc_bad_addr(struct dcall *c, const char *name, uint64_t addr);
/* A NUL-terminated string of at most max bytes (read page by page so a string
 * ending just before an unmapped page reads fine): AV_STR, or AV_ADDR when
 * NULL or unreadable. */
struct av *dc_cstr(struct dcall *c, const char *name, uint64_t addr, size_t max);
/* strace's two string limits: read at most readlen bytes; without a NUL in
 * them the string is cut to showlen and marked truncated. dc_cstr is
 * (max + 1, max); dc_strn0 is (min(len, -s + 1), -s), strace's printstr_ex
 * with a length: PR_SET_NAME reads 15 bytes, so a 15-byte name shows "..."
 * while with -s 8 an 8-byte name does not. */
struct av *dc_cstr_ex(struct dcall *c, const char *name, uint64_t addr, size_t readlen,
		      size_t showlen);
struct av *dc_strn0(struct dcall *c, const char *name, uint64_t addr, size_t len);
struct av *dc_path(struct dcall *c, const char *name, uint64_t addr); /* max PATH_MAX */
struct av *dc_str(struct dcall *c, const char *name, uint64_t addr); /* max -s */
/* len bytes (not NUL-terminated), cut at -s. */
struct av *dc_buf(struct dcall *c, const char *name, uint64_t addr, uint64_t len);
/* An int the kernel wrote at addr, shown as [N]; the address when unreadable
 * or when the call failed (exit only). */
struct av *dc_int_ptr(struct dcall *c, const char *name, uint64_t addr);
/* strace shows at most -s elements of an array, all of them with -v (we stop
 * at a sanity bound so a wild pointer cannot make us read forever). */
#define DC_VERBOSE_MAX_ELEMENTS 65536
size_t dc_max_elements(const struct dcall *c);
/* A NULL-terminated array of string pointers (argv), at most dc_max_elements. */
struct av *dc_strv(struct dcall *c, const char *name, uint64_t addr);
/* The address of a NULL-terminated pointer array with its length as a comment
 * ("N vars"); the count is also stored in i (-1 if unreadable). */
struct av *dc_strv_count(struct dcall *c, const char *name, uint64_t addr);

/* Values. */
struct av *dc_fd(struct dcall *c, const char *name, uint64_t v);    /* int fd */
struct av *dc_dirfd(struct dcall *c, const char *name, uint64_t v); /* AT_FDCWD or fd */
struct av *dc_hexval(struct dcall *c, const char *name, uint64_t v); /* 0x..., 0 as "0" */
struct av *dc_open_flags(struct dcall *c, const char *name, uint64_t v);
struct av *dc_mode(struct dcall *c, const char *name, uint64_t v); /* 0644 */
/* A mode_t argument as strace's print_numeric_umode_t: the low 16 bits in octal. */
struct av *dc_umode(struct dcall *c, const char *name, uint64_t v);
/* "S_IFCHR|S_ISVTX|0600": file type by name, permission bits in octal. */
struct av *dc_symbolic_mode(struct dcall *c, const char *name, uint32_t mode);
/* uid_t/gid_t: (uid_t)-1 as -1, the rest unsigned. */
struct av *dc_id(struct dcall *c, const char *name, uint64_t v);
/* A user-space dev_t as "makedev(0x1, 0x3)" (glibc's major/minor split). */
struct av *dc_dev(struct dcall *c, const char *name, uint64_t dev);
/* struct sock_fprog as strace shows it without -v: {len=N, filter=0x...}
 * (prctl PR_SET_SECCOMP and seccomp SECCOMP_SET_MODE_FILTER). */
struct av *dc_seccomp_fprog(struct dcall *c, const char *name, uint64_t addr);
/* A struct with room for n fields, filled in order with dc_field. */
struct av *dc_struct(struct dcall *c, const char *name, size_t n);
void dc_field(struct av *s, const char *name, const struct av *v);
/* An array of n elements (items[0..n-1] to fill). */
struct av *dc_array(struct dcall *c, const char *name, size_t n);

#endif
