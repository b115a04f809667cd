/* namespaces.c - namespace sets: what changed, what a flag creates, notes in words.
 *
 * unshare(CLONE_NEWPID) and unshare(CLONE_NEWTIME) do not move the caller: they
 * change pid_for_children / time_for_children, and the caller's next child is the
 * first process of the new namespace (pid 1 for a pid namespace).
 */
#include "model_internal.h"

#include <inttypes.h>
#include <stdio.h>

#define BIT(t) (1u << (t))
#define FOR_CHILDREN (BIT(NS_PID_FOR_CHILDREN) | BIT(NS_TIME_FOR_CHILDREN))

uint32_t ns_diff(const struct ns_set *old, const struct ns_set *new)
{
	uint32_t bits = 0;
	for (int t = 0; t < NS_COUNT; t++)
		if (old->ino[t] && new->ino[t] && old->ino[t] != new->ino[t])
			bits |= BIT(t);
	return bits;
}

uint32_t ns_type_of_nstype(uint64_t nstype)
{
	return ns_created_by_flags(nstype);
}

void ns_list(struct note *n, uint32_t bits)
{
	bool first = true;
	for (int t = 0; t < NS_COUNT; t++) {
		if (!(bits & BIT(t)))
			continue;
		int k = snprintf(n->buf + n->len, sizeof(n->buf) - n->len, "%s%s",
				 first ? "" : ", ", ns_type_name(t));
		if (k > 0 && (size_t)k < sizeof(n->buf) - n->len)
			n->len += k;
		first = false;
	}
}

static const char *plural(uint32_t bits)
{
	return (bits & (bits - 1)) ? "namespaces" : "namespace";
}

/* "its next child starts in new pid namespace pid:[X] as pid 1" */
static void for_children_note(struct note *n, uint32_t bits, const struct ns_event *ev,
			      bool created)
{
	if (bits & BIT(NS_PID_FOR_CHILDREN)) {
		if (ev && ev->has_ns && (ev->ns_changed & BIT(NS_PID_FOR_CHILDREN)) &&
		    ev->ns.ino[NS_PID_FOR_CHILDREN])
			note_add(n, "its next child %s pid namespace pid:[%" PRIu64 "]%s",
				 created ? "starts in new" : "joins",
				 ev->ns.ino[NS_PID_FOR_CHILDREN], created ? " as pid 1" : "");
		else
			note_add(n, "its next child %s pid namespace%s",
				 created ? "starts in a new" : "joins the",
				 created ? " as pid 1" : "");
	}
	if (bits & BIT(NS_TIME_FOR_CHILDREN)) {
		if (ev && ev->has_ns && (ev->ns_changed & BIT(NS_TIME_FOR_CHILDREN)) &&
		    ev->ns.ino[NS_TIME_FOR_CHILDREN])
			note_add(n, "its children %s time namespace time:[%" PRIu64 "]",
				 created ? "start in new" : "join",
				 ev->ns.ino[NS_TIME_FOR_CHILDREN]);
		else
			note_add(n, "its children %s time namespace",
				 created ? "start in a new" : "join the");
	}
}

void ns_note_unshare(struct note *n, const char *who, uint64_t flags, const struct ns_event *ev)
{
	/* The flags say what was asked; what changed confirms it (a new pid
	 * namespace's inode cannot be read before its pid 1 exists). */
	uint32_t bits = ns_changed_by_flags(flags) | (ev && ev->has_ns ? ev->ns_changed : 0);
	uint32_t self = bits & ~FOR_CHILDREN;
	if (self) {
		note_add(n, "%s enters new ", who);
		ns_list(n, self);
		note_cat(n, " %s", plural(self));
	}
	for_children_note(n, bits, ev, true);
}

void ns_note_setns(struct note *n, const char *who, uint32_t types, const struct ns_event *ev)
{
	uint32_t bits = ev && ev->has_ns && ev->ns_changed ? ev->ns_changed : types;
	uint32_t self = bits & ~FOR_CHILDREN;
	for (int t = 0; t < NS_COUNT; t++) {
		if (!(self & BIT(t)))
			continue;
		if (ev && ev->has_ns && ev->ns.ino[t])
			note_add(n, "%s joins %s namespace %s:[%" PRIu64 "]", who, ns_type_name(t),
				 ns_type_name(t), ev->ns.ino[t]);
		else
			note_add(n, "%s joins an existing %s namespace", who, ns_type_name(t));
	}
	if (types & BIT(NS_PID) && !(bits & BIT(NS_PID_FOR_CHILDREN)) && !(ev && ev->has_ns))
		bits |= BIT(NS_PID_FOR_CHILDREN);
	for_children_note(n, bits, ev, false);
}

/* ": pid 2 in pid:[X], host pid N" when the child's pid namespace is among bits */
static void pid_there(struct note *n, uint32_t bits, const struct ns_event *ev)
{
	if (bits & BIT(NS_PID) && ev->has_ns && ev->ns.ino[NS_PID] && ev->nspid)
		note_cat(n, ": pid %d in pid:[%" PRIu64 "], host pid %d", ev->nspid,
			 ev->ns.ino[NS_PID], ev->pid);
	else if (bits & BIT(NS_PID) && ev->nspid)
		note_cat(n, ": pid %d there, host pid %d", ev->nspid, ev->pid);
}

void ns_note_spawn(struct note *n, const struct ns_event *ev, uint32_t joined)
{
	uint32_t created = ns_created_by_flags(ev->clone_flags);
	uint32_t self = (ev->ns_changed & ~FOR_CHILDREN) | created;
	if (!self) {
		/* A child of unshare(CLONE_NEWPID): pid 1 there, inode not read yet. */
		if (ev->nspid == 1 && ev->pid != 1)
			note_add(n, "starts as pid 1 of a new pid namespace, host pid %d", ev->pid);
		return;
	}
	/* Its parent's setns chose an existing pid or time namespace for it. */
	uint32_t existing = self & joined & ~created;
	uint32_t fresh = self & ~existing;
	if (fresh) {
		note_add(n, "starts in new ");
		ns_list(n, fresh);
		note_cat(n, " %s", plural(fresh));
		pid_there(n, fresh, ev);
	}
	if (existing) {
		note_add(n, "starts in the existing ");
		ns_list(n, existing);
		note_cat(n, " %s its spawner joined", plural(existing));
		pid_there(n, existing, ev);
	}
}
