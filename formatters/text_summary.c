/* text_summary.c - the launch summary printed at the end of a text trace (and
 * alone with --summary-only): each container, its phases with durations, the
 * namespaces it created and joined, its entrypoint with both pids, the failures
 * that mattered, and why the trace ended.
 */
#include <inttypes.h>
#include <string.h>

#include "fmt_private.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[31m"

void fmt_put_ms(struct strbuf *sb, int64_t us)
{
	/* unsigned magnitude: -INT64_MIN does not fit an int64_t */
	uint64_t mag = us < 0 ? 0 - (uint64_t)us : (uint64_t)us;
	if (us < 0)
		sb_putc(sb, '-');
	sb_printf(sb, "%" PRIu64 ".%03" PRIu64 " ms", mag / 1000, mag % 1000);
}

static void put_ns_bits(struct strbuf *sb, uint32_t bits)
{
	if (!bits) {
		sb_puts(sb, "none");
		return;
	}
	bool first = true;
	for (int t = 0; t < NS_COUNT; t++) {
		if (bits & (1u << t)) {
			sb_printf(sb, "%s%s", first ? "" : " ", ns_type_name(t));
			first = false;
		}
	}
}

/* "container ID (runc, bundle B): 188.010 ms, from 11.704 ms" (what: "container
 * ", "exec in container "), without its newline */
static void put_heading(struct strbuf *sb, const char *what, const char *id, const char *runtime,
			const char *bundle, int64_t dur_us, int64_t start_us, bool color)
{
	if (color)
		sb_puts(sb, C_BOLD);
	sb_puts(sb, what);
	text_escape_str(sb, id ? id : "(no id)");
	if (color)
		sb_puts(sb, C_RESET);
	if (runtime || bundle) {
		sb_puts(sb, " (");
		if (runtime)
			text_escape_str(sb, runtime);
		if (runtime && bundle)
			sb_puts(sb, ", ");
		if (bundle) {
			sb_puts(sb, "bundle ");
			text_escape_str(sb, bundle);
		}
		sb_putc(sb, ')');
	}
	sb_puts(sb, ": ");
	fmt_put_ms(sb, dur_us);
	sb_puts(sb, ", from ");
	fmt_put_ms(sb, start_us);
}

/* "PATH, host pid P, pid N in the container" (the pids when known) */
static void put_process(struct strbuf *sb, const char *path, pid_t pid, pid_t nspid)
{
	text_escape_str(sb, path ? path : "?");
	if (pid)
		sb_printf(sb, ", host pid %d", pid);
	if (nspid)
		sb_printf(sb, ", pid %d in the container", nspid);
}

static void put_container(struct strbuf *sb, const struct container_summary *c, bool color)
{
	put_heading(sb, "container ", c->id, c->runtime, c->bundle, c->dur_us, c->start_us, color);
	if (c->caused_by_command)
		sb_puts(sb, ", started by the traced command");
	sb_putc(sb, '\n');

	if (c->nphases)
		sb_puts(sb, "  phases:\n");
	for (size_t i = 0; i < c->nphases; i++) {
		const struct phase_info *p = &c->phases[i];
		sb_puts(sb, "    ");
		size_t at = sb->len;
		text_escape_str(sb, p->name);
		for (size_t w = sb->len - at; w < 22; w++)
			sb_putc(sb, ' ');
		sb_putc(sb, ' ');
		fmt_put_ms(sb, p->dur_us);
		sb_puts(sb, " at ");
		fmt_put_ms(sb, p->start_us);
		if (p->pid)
			sb_printf(sb, ", pid %d", p->pid);
		if (p->detail) {
			sb_puts(sb, ": ");
			text_escape_str(sb, p->detail);
		}
		sb_putc(sb, '\n');
	}
	sb_puts(sb, "  namespaces created: ");
	put_ns_bits(sb, c->ns_created);
	sb_puts(sb, "\n  namespaces joined: ");
	put_ns_bits(sb, c->ns_joined);
	sb_putc(sb, '\n');
	if (c->entrypoint || c->entry_pid) {
		sb_puts(sb, "  entrypoint: ");
		put_process(sb, c->entrypoint, c->entry_pid, c->entry_nspid);
		sb_putc(sb, '\n');
	}
	if (c->nmounts) {
		/* failures the runtime goes past by design, by kind (notes on their lines) */
		sb_printf(sb, "  mounts: %u (%u failed", c->nmounts, c->nmounts_failed);
		const char *sep = ", ";
		if (c->nmounts_optional) {
			sb_printf(sb, "%s%u of them optional /proc or /sys paths the runtime goes past",
				  sep, c->nmounts_optional);
			sep = "; ";
		}
		if (c->nmounts_expected)
			sb_printf(sb, "%s%u of them EINVAL the runtime's code expects: not a mount "
				      "point, the end of an unmount loop",
				  sep, c->nmounts_expected);
		sb_puts(sb, ")\n");
	}
	if (c->nfailures)
		sb_printf(sb, "  failures (%zu):\n", c->nfailures);
	for (size_t i = 0; i < c->nfailures; i++) {
		sb_puts(sb, color ? "    " C_RED : "    ");
		text_escape_str(sb, c->failures[i]);
		sb_puts(sb, color ? C_RESET "\n" : "\n");
	}
}

/* exec in container web (runc): 41.250 ms, from 174.489 ms
 *   process: /bin/sh, host pid 6550, pid 7 in the container; exited with 0 */
static void put_exec(struct strbuf *sb, const struct exec_summary *x, bool color)
{
	put_heading(sb, "exec in container ", x->container, x->runtime, NULL, x->dur_us,
		    x->start_us, color);
	sb_puts(sb, "\n  process: ");
	put_process(sb, x->path, x->pid, x->nspid);
	sb_puts(sb, "; ");
	text_escape_str(sb, x->end ? x->end : "still running when the trace ended");
	sb_putc(sb, '\n');
}

void text_summary(struct strbuf *sb, const struct ns_event *ev, bool color)
{
	const struct trace_summary *s = ev->summary;
	sb_puts(sb,
		color ? C_BOLD "=== launch summary ===" C_RESET "\n" : "=== launch summary ===\n");
	if (s) {
		if (!s->ncontainers && !s->nexecs)
			sb_puts(sb, "no container launch seen\n");
		for (size_t i = 0; i < s->ncontainers; i++)
			put_container(sb, &s->containers[i], color);
		if (s->containers_dropped)
			sb_printf(sb, "(%" PRIu64 " earlier launches not kept)\n",
				  s->containers_dropped);
		for (size_t i = 0; i < s->nexecs; i++)
			put_exec(sb, &s->execs[i], color);
		if (s->execs_dropped)
			sb_printf(sb, "(%" PRIu64 " later execs not kept)\n", s->execs_dropped);
		sb_printf(sb, "%" PRIu64 " events, %" PRIu64 " syscalls, %" PRIu64 " processes\n",
			  s->nevents, s->nsyscalls, s->nprocesses);
	} else {
		sb_puts(sb, "no summary (the model did not run)\n");
	}
	sb_puts(sb, "=== trace ended: ");
	sb_puts(sb, end_reason_name(ev->reason));
	if (ev->reason_text && strcmp(ev->reason_text, end_reason_name(ev->reason)) != 0) {
		sb_puts(sb, " (");
		text_escape_str(sb, ev->reason_text);
		sb_putc(sb, ')');
	}
	sb_printf(sb, ", exit status %d after ", ev->exit_status);
	fmt_put_ms(sb, ev->rel_us);
	sb_puts(sb, " ===\n");
	if (ev->note) {
		sb_puts(sb, "         | ");
		text_escape_str(sb, ev->note);
		sb_putc(sb, '\n');
	}
}
