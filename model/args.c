/* args.c - read decoded syscall arguments by their man-page names.
 *
 * The model never decodes: it reads what syscall_tables/ decoded. Numbers come
 * from raw_args (always present); strings only exist decoded.
 */
#include "model_internal.h"

#include <string.h>

const struct av *arg_find(const struct ns_event *ev, const char *name)
{
	if (!ev->args)
		return NULL;
	for (size_t i = 0; i < ev->args->n; i++) {
		const struct av *a = &ev->args->items[i];
		if (a->name && !strcmp(a->name, name))
			return a;
	}
	return NULL;
}

const char *arg_str(const struct ns_event *ev, const char *name, char *buf, size_t len,
		    bool *truncated)
{
	const struct av *a = arg_find(ev, name);
	if (!a || a->kind != AV_STR || !a->str || !len)
		return NULL;
	size_t n = a->len < len - 1 ? a->len : len - 1;
	memcpy(buf, a->str, n);
	buf[n] = '\0';
	if (truncated)
		*truncated = a->truncated || n < a->len;
	return buf;
}

size_t arg_strs(const struct ns_event *ev, const struct av **out, size_t n)
{
	size_t k = 0;
	if (!ev->args)
		return 0;
	for (size_t i = 0; i < ev->args->n && k < n; i++) {
		const struct av *a = &ev->args->items[i];
		/* a NULL among the leading arguments keeps its place: mount(NULL,
		 * "/", ...) must not read as mount("/", ...) */
		bool lead_null = a->kind == AV_ADDR && !a->u && !a->unreadable && i == k;
		if ((a->kind == AV_STR && a->str) || lead_null)
			out[k++] = a;
	}
	return k;
}
