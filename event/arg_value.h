/* arg_value.h - typed decoded syscall arguments, the decoders' output.
 *
 * A decoder turns raw registers plus tracee memory into a tree of `struct av`
 * nodes. Nothing here prints: formatters/ render the tree either as strace-style
 * text or as typed JSON. Every node lives in the arena of the event that owns it,
 * so an event frees its arguments in one go and never points into a tracee.
 */
#ifndef NSTRACE_ARG_VALUE_H
#define NSTRACE_ARG_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

enum av_kind {
	AV_INT,	   /* signed decimal: i */
	AV_UINT,   /* unsigned decimal: u */
	AV_HEX,	   /* hexadecimal number: u, printed 0x... */
	AV_OCT,	   /* octal number (modes): u, printed 0755 */
	AV_FD,	   /* file descriptor: i (AT_FDCWD and friends come as AV_SYM) */
	AV_SYM,	   /* one named constant: sym (e.g. "PR_SET_NAME"), numeric value in u */
	AV_FLAGS,  /* bit set: names[nnames] plus unknown bits; 0 with no names prints zero_sym or "0" */
	AV_STR,	   /* string from the tracee: str/len (bytes, may hold NULs), truncated */
	AV_ADDR,   /* a pointer shown as an address: u (0 prints NULL); unreadable when it could not be read */
	AV_STRUCT, /* named fields: items[nitems], each with name set; more = fields elided */
	AV_ARRAY,  /* elements: items[nitems]; more = elements elided ("...") */
	AV_RAW,	   /* pre-rendered strace text kept verbatim in str (rare: e.g. "~[RTMIN]") */
};

struct av {
	enum av_kind kind;
	const char *name; /* argument or field name; static or arena string; NULL in arrays */
	int64_t i;
	uint64_t u;
	/* AV_SYM: the constant's name. AV_FLAGS: zero_sym, the name of 0 if any. */
	const char *sym;
	/* AV_FLAGS */
	const char **names;
	size_t nnames;
	uint64_t unknown; /* bits no name covers, printed as one hex number */
	/* AV_STR, AV_RAW */
	char *str;
	size_t len;
	bool truncated; /* the string was cut at the -s limit (strace prints "..." after it) */
	/* AV_STR: a path naming one of the caller's own fds ("/proc/self/fd/6", how
	 * runc mounts into the rootfs): the file it named at the call, printed as
	 * strace -y prints an fd's ("/proc/self/fd/6"</rootfs/proc>); NULL if none */
	const char *fd_path;
	/* AV_STRUCT, AV_ARRAY */
	struct av *items;
	size_t nitems;
	bool more;
	/* any kind */
	bool unreadable;     /* AV_ADDR: the memory behind the address could not be read */
	const char *comment; /* printed after the value as strace does: 0x7ffd... /+ 37 vars +/ */
	struct av *out;	     /* the value after the syscall returned: printed " => out" */
	/* The few arguments strace prints with a name (clone's "child_stack=",
	 * "flags=", "child_tidptr="): the text shows label=value. NULL: value only. */
	const char *label;
};

/* A decoded argument list, one node per argument in call order. */
struct av_list {
	struct av *items;
	size_t n;
	/* Decoded return value when the syscall's result is more than a number
	 * (e.g. a name for getters); NULL means print ret as the table says. */
	struct av *ret;
};

/* Constructors, all allocating from the arena; name may be NULL. */
struct av *av_new(struct arena *a, enum av_kind kind, const char *name);
struct av *av_int(struct arena *a, const char *name, int64_t v);
struct av *av_uint(struct arena *a, const char *name, uint64_t v);
struct av *av_hex(struct arena *a, const char *name, uint64_t v);
struct av *av_addr(struct arena *a, const char *name, uint64_t v);
struct av *av_sym(struct arena *a, const char *name, const char *sym, uint64_t v);
struct av *av_str(struct arena *a, const char *name, const char *bytes, size_t len, bool truncated);
/* Children are allocated in one array: reserve n, fill items[0..n-1] with av_set_* */
void av_reserve(struct arena *a, struct av *parent, size_t n);
/* Copy a node into a slot (struct field or array element) and name it. */
void av_set(struct av *slot, const struct av *src, const char *name);

#endif
