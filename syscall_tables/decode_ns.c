/* decode_ns.c - unshare and setns. */
#include "decode.h"

static void unshare_entry(struct dcall *c)
{
	dc_put(c, av_xflags(c->a, "flags", &xl_unshare_flags, c->args[0]));
}

/* nstype is an int; a pidfd join may name several CLONE_NEW* bits. */
static void setns_entry(struct dcall *c)
{
	dc_put(c, dc_fd(c, "fd", c->args[0]));
	dc_put(c, av_xflags(c->a, "nstype", &xl_setns_types, (uint32_t)c->args[1]));
}

const struct decoder decoders_ns[] = {
	{ "unshare", unshare_entry, NULL },
	{ "setns", setns_entry, NULL },
	{ NULL, NULL, NULL },
};
