/* xlat.h - constant and flag tables (data) and the typed values built from them.
 *
 * One table per constant set, in the order strace prints them (mostly by value,
 * a few sets, such as open flags, in strace's own order so the text matches).
 * `unknown` is strace's comment for a value no entry names ("CLONE_???").
 */
#ifndef NSTRACE_XLAT_H
#define NSTRACE_XLAT_H

#include <stddef.h>
#include <stdint.h>

#include "arg_value.h"

struct xlat_ent {
	uint64_t val;
	const char *name;
};

struct xlat {
	const struct xlat_ent *ents;
	size_t n;
	const char *unknown;
};

#define XE(c) { (uint64_t)(c), #c }
#define XLAT_DEFINE(id, unknown_str, ...)                                                          \
	static const struct xlat_ent id##_ents[] = { __VA_ARGS__ };                                \
	const struct xlat id = { id##_ents, sizeof(id##_ents) / sizeof(id##_ents[0]), unknown_str }

/* The name of exactly v, or NULL. */
const char *xlat_name(const struct xlat *x, uint64_t v);

/* One constant: AV_SYM when named, else AV_HEX with the table's "???" comment
 * (strace: "0x99 /+ PR_??? +/"). */
struct av *av_xval(struct arena *a, const char *name, const struct xlat *x, uint64_t v);
/* Same, but an unnamed value prints in decimal (strace's XLAT_STYLE_FMT_D / _U). */
struct av *av_xval_dec(struct arena *a, const char *name, const struct xlat *x, int64_t v);
/* A bit set: names in table order, leftover bits in `unknown`; with no name at
 * all the value prints as hex with the "???" comment, as strace does. */
struct av *av_xflags(struct arena *a, const char *name, const struct xlat *x, uint64_t v);
/* Append a name (or an unknown-bits hex string) to an AV_FLAGS node. */
void av_flags_append(struct arena *a, struct av *flags, const char *name);
/* The names of an AV_FLAGS node joined by '|' (unknown bits as hex). */
char *av_flags_text(struct arena *a, const struct av *flags);
/* A signal number as strace prints it: SIGKILL, SIGRT_3, or the number. */
struct av *av_signal(struct arena *a, const char *name, uint64_t sig);
const char *xlat_signal_name(struct arena *a, uint64_t sig); /* NULL for 0 and huge values */

/* Tables (xlat_*.c). */
extern const struct xlat xl_clone_flags, xl_clone3_flags, xl_unshare_flags, xl_setns_types;
extern const struct xlat xl_wait4_options, xl_pidfd_open_flags;
extern const struct xlat xl_mount_flags, xl_umount_flags, xl_open_tree_flags, xl_move_mount_flags;
extern const struct xlat xl_fsopen_flags, xl_fsconfig_cmds, xl_fsmount_flags, xl_mount_attr;
extern const struct xlat xl_fspick_flags, xl_mount_setattr_flags, xl_mount_propagation;
extern const struct xlat xl_resolve_flags, xl_open_access, xl_open_flags, xl_at_flags;
extern const struct xlat xl_execveat_flags, xl_file_types;
extern const struct xlat xl_prctl_options, xl_pr_cap_ambient, xl_pr_dumpable, xl_caps, xl_secbits;
extern const struct xlat xl_seccomp_mode, xl_seccomp_ops, xl_seccomp_filter_flags;
extern const struct xlat xl_signals, xl_memfd_flags, xl_keyctl_cmds, xl_key_spec;
extern const struct xlat xl_rlimits, xl_bpf_cmds, xl_bpf_prog_types, xl_cap_versions;
extern const struct xlat xl_mount_attr_idmap, xl_cap_mask, xl_seccomp_ret_action, xl_key_perms;
extern const struct xlat xl_bpf_map_types, xl_bpf_map_flags, xl_bpf_prog_flags, xl_bpf_attach_type;
extern const struct xlat xl_bpf_attach_flags, xl_bpf_query_flags, xl_bpf_file_mode_flags;
extern const struct xlat xl_access_modes, xl_faccessat_flags, xl_fchmodat_flags, xl_rename_flags;
extern const struct xlat xl_statx_sync_types, xl_statx_masks, xl_statx_attrs, xl_fcntl_cmds;
extern const struct xlat xl_fd_flags, xl_f_seals, xl_lock_types, xl_notify_flags, xl_f_owner_types;
extern const struct xlat xl_whence, xl_close_range_flags;

#endif
