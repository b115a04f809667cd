/* fuzz_formatters.c - libFuzzer target: random events through every format.
 *
 * The input is read as a stream of choices that build up to 16 events of any
 * kind, with random strings (any bytes: invalid UTF-8, controls, quotes),
 * random decoded-argument trees (every av kind, nested, with out-values and
 * comments), random namespaces, summaries, stacks, credentials and id maps.
 * The same events go through the text, JSON Lines and Chrome formatters with
 * random options. JSON Lines must parse back line by line and the Chrome
 * trace as one document (jansson), and the text must hold no raw control
 * byte; anything else aborts.
 */
#include "fuzz_util.h"

#include "arg_value.h"
#include "syscalls.h"
#include "event.h"
#include "formatter.h"
#include "syscalls.h"

#define MAX_EVENTS 16
#define PID_MAX_LIMIT 4194304 /* the kernel's bound on pid_max (2^22) */
#define US_MAX (1LL << 50)    /* ~35 years in microseconds */

/* Values nstrace makes itself (pids from the kernel, times from its clocks)
 * stay in the ranges they can have; what a tracee controls (strings, syscall
 * numbers and arguments, flags, return values, a queued signal's sender) is
 * taken whole. */
static pid_t fz_pid(struct fuzz_in *in)
{
	return (pid_t)(fz_value(in) % (PID_MAX_LIMIT + 1));
}

static int64_t fz_us(struct fuzz_in *in)
{
	return (int64_t)(fz_value(in) % (uint64_t)US_MAX);
}

/* A string of up to 63 random bytes (stops at a NUL like a C string), or NULL. */
static const char *fz_str(struct fuzz_in *in, struct arena *a)
{
	uint8_t l = fz_u8(in);
	if (l >= 0xf0)
		return NULL;
	l &= 63;
	char buf[64];
	size_t i = 0;
	for (; i < l; i++)
		buf[i] = (char)fz_u8(in);
	buf[i] = 0;
	return arena_strdup(a, buf);
}

static const char *fz_str_nn(struct fuzz_in *in, struct arena *a)
{
	const char *s = fz_str(in, a);
	return s ? s : "";
}

/* Names, symbols, labels and comments of decoded values come from the
 * decoders' own tables, never from the tracee: one of theirs, or NULL. Only
 * AV_STR bytes (and numbers) are the tracee's. */
static const char *fz_ident(struct fuzz_in *in)
{
	static const char *const idents[] = {
		"flags",     "stack",	 "parent_tid",	"pathname", "argv",	  "envp",
		"fd",	     "CLONE_NEWNS", "MS_BIND",	"PR_SET_NAME", "AT_FDCWD", "37 vars",
		"0 vars, unterminated", "~[RTMIN]", "x", "",	  "child_stack", "exit_signal",
	};
	uint8_t k = fz_u8(in);
	return k < sizeof(idents) / sizeof(idents[0]) ? idents[k] : NULL;
}

static const char *fz_ident_nn(struct fuzz_in *in)
{
	const char *s = fz_ident(in);
	return s ? s : "x";
}

static void fz_av(struct fuzz_in *in, struct arena *a, struct av *v, int depth);

static struct av *fz_av_new(struct fuzz_in *in, struct arena *a, int depth)
{
	struct av *v = av_new(a, AV_INT, NULL);
	fz_av(in, a, v, depth);
	return v;
}

/* Fill v as a random node; children only while depth allows. */
static void fz_av(struct fuzz_in *in, struct arena *a, struct av *v, int depth)
{
	uint8_t k = fz_u8(in);
	v->kind = (enum av_kind)(k % (AV_RAW + 1));
	if (k & 0x80)
		v->name = fz_ident(in);
	v->i = (int64_t)fz_value(in);
	v->u = fz_value(in);
	uint8_t f = fz_u8(in);
	switch (v->kind) {
	case AV_SYM:
		v->sym = fz_ident_nn(in);
		break;
	case AV_FLAGS:
		v->sym = f & 1 ? fz_ident(in) : NULL;
		v->nnames = fz_u8(in) % 6;
		v->names = arena_alloc(a, (v->nnames + 1) * sizeof(char *));
		for (size_t i = 0; i < v->nnames; i++)
			v->names[i] = fz_ident_nn(in);
		v->unknown = f & 2 ? fz_value(in) : 0;
		break;
	case AV_STR:
	case AV_RAW: {
		size_t len = fz_u8(in);
		if (f & 4)
			len *= 64;
		char *s = arena_alloc(a, len + 1);
		for (size_t i = 0; i < len; i++)
			s[i] = (char)fz_u8(in);
		if (v->kind == AV_RAW) /* decoder-made text: printable */
			for (size_t i = 0; i < len; i++)
				s[i] = (char)(0x20 + (unsigned char)s[i] % 0x5f);
		v->str = s;
		v->len = len;
		v->truncated = f & 8;
		/* a /proc/self/fd/N path's file: readlink's bytes, the tracee's */
		if (v->kind == AV_STR && (f & 16))
			v->fd_path = fz_str(in, a);
		break;
	}
	case AV_STRUCT:
	case AV_ARRAY:
		if (depth < 4) {
			size_t n = fz_u8(in) % 5;
			av_reserve(a, v, n);
			for (size_t i = 0; i < n; i++) {
				fz_av(in, a, &v->items[i], depth + 1);
				if (v->kind == AV_STRUCT && !v->items[i].name)
					v->items[i].name = "field";
				if (v->kind == AV_ARRAY && !(f & 16))
					v->items[i].name = NULL;
			}
		}
		v->more = f & 32;
		break;
	default:
		break;
	}
	v->unreadable = f & 64;
	if (f & 128)
		v->comment = fz_ident(in);
	if ((k & 0x40) && depth < 3)
		v->out = fz_av_new(in, a, depth + 1);
	if ((k & 0x20) && (f & 1))
		v->label = fz_ident(in);
}

static struct trace_summary *fz_summary(struct fuzz_in *in, struct arena *a)
{
	struct trace_summary *s = arena_alloc(a, sizeof(*s));
	s->nevents = fz_value(in);
	s->nsyscalls = fz_value(in);
	s->nprocesses = fz_value(in);
	s->containers_dropped = fz_value(in);
	s->ncontainers = fz_u8(in) % 4;
	s->containers = arena_alloc(a, (s->ncontainers + 1) * sizeof(*s->containers));
	for (size_t i = 0; i < s->ncontainers; i++) {
		struct container_summary *c = &s->containers[i];
		c->id = fz_str(in, a);
		c->runtime = fz_str(in, a);
		c->bundle = fz_str(in, a);
		c->ns_created = (uint32_t)fz_value(in) & ((1u << NS_COUNT) - 1);
		c->ns_joined = (uint32_t)fz_value(in) & ((1u << NS_COUNT) - 1);
		c->nphases = fz_u8(in) % 4;
		c->phases = arena_alloc(a, (c->nphases + 1) * sizeof(*c->phases));
		for (size_t j = 0; j < c->nphases; j++) {
			c->phases[j].name = fz_str_nn(in, a);
			c->phases[j].pid = fz_pid(in);
			c->phases[j].start_us = fz_us(in);
			c->phases[j].dur_us = fz_us(in);
			c->phases[j].detail = fz_str(in, a);
		}
		c->entrypoint = fz_str(in, a);
		c->entry_pid = fz_pid(in);
		c->entry_nspid = fz_pid(in);
		c->start_us = fz_us(in);
		c->dur_us = fz_us(in);
		c->nfailures = fz_u8(in) % 3;
		c->failures = arena_alloc(a, (c->nfailures + 1) * sizeof(char *));
		for (size_t j = 0; j < c->nfailures; j++)
			c->failures[j] = fz_ident_nn(in); /* call text: rendered, escaped */
		c->caused_by_command = fz_u8(in) & 1;
		c->nmounts = (unsigned)fz_value(in);
		c->nmounts_failed = (unsigned)fz_value(in);
		c->nmounts_optional = (unsigned)fz_value(in);
		c->nmounts_expected = (unsigned)fz_value(in);
	}
	s->nexecs = fz_u8(in) % 3;
	s->execs = arena_alloc(a, (s->nexecs + 1) * sizeof(*s->execs));
	for (size_t i = 0; i < s->nexecs; i++) {
		struct exec_summary *x = &s->execs[i];
		x->container = fz_str_nn(in, a);
		x->runtime = fz_str(in, a);
		x->path = fz_str_nn(in, a);
		x->pid = fz_pid(in);
		x->nspid = fz_pid(in);
		x->start_us = fz_us(in);
		x->dur_us = fz_us(in);
		x->end = fz_str(in, a);
	}
	s->execs_dropped = fz_value(in);
	return s;
}

static struct ns_event *fz_event(struct fuzz_in *in, uint64_t seq)
{
	struct ns_event *ev = ns_event_new((enum ev_kind)(fz_u8(in) % EV_KIND_COUNT));
	struct arena *a = &ev->arena;
	uint8_t f = fz_u8(in), g = fz_u8(in);
	ev->seq = seq;
	ev->mono_ns = fz_value(in) % (1ULL << 62);
	ev->wall_ns = fz_value(in) % (1ULL << 62);
	ev->rel_us = fz_us(in);
	ev->pid = fz_pid(in);
	ev->tid = f & 1 ? ev->pid : fz_pid(in);
	ev->ppid = fz_pid(in);
	ev->spawner = fz_pid(in);
	ev->nspid = fz_pid(in);
	ev->nstid = fz_pid(in);
	ev->comm = fz_str(in, a);
	ev->exe = fz_str(in, a);
	ev->role = (enum role)(fz_u8(in) % ROLE_COUNT);
	ev->stage = fz_str(in, a);
	ev->container = fz_str(in, a);
	ev->note = fz_str(in, a);
	ev->hidden = (g & 3) == 3;

	ev->nr = (long)fz_value(in);
	/* the name is nstrace's own (table or "syscall_0x..."), never the tracee's */
	const struct syscall_ent *ent = syscall_ent(SC_ARCH_X86_64, ev->nr);
	ev->sc_name = ent ? ent->name : arena_printf(a, "syscall_%#lx", ev->nr);
	for (int i = 0; i < 6; i++)
		ev->raw_args[i] = fz_value(in);
	if (f & 4) {
		ev->args = arena_alloc(a, sizeof(*ev->args));
		ev->args->n = fz_u8(in) % 7;
		ev->args->items = arena_alloc(a, (ev->args->n + 1) * sizeof(struct av));
		for (size_t i = 0; i < ev->args->n; i++)
			fz_av(in, a, &ev->args->items[i], 0);
		if (f & 8)
			ev->args->ret = fz_av_new(in, a, 1);
	}
	ev->ret = (int64_t)fz_value(in);
	ev->err = f & 16 ? (int)(fz_value(in) % 4200) : 0;
	ev->unfinished = f & 32;
	ev->entry_mono_ns = fz_value(in) % (1ULL << 62);
	ev->dur_ns = (uint64_t)fz_us(in) * 1000;

	ev->has_ns = f & 64;
	for (int i = 0; i < NS_COUNT; i++) {
		ev->ns.ino[i] = fz_value(in);
		ev->ns_old.ino[i] = g & 4 ? fz_value(in) : ev->ns.ino[i];
	}
	ev->ns_changed = (uint32_t)fz_value(in) & ((1u << NS_COUNT) - 1);

	ev->child_tid = fz_pid(in);
	ev->clone_flags = fz_value(in);
	ev->is_thread = g & 8;

	ev->filename = fz_str(in, a);
	if (f & 128) {
		ev->argc = fz_u8(in) % 9;
		ev->argv = arena_alloc(a, (ev->argc + 1) * sizeof(char *));
		for (size_t i = 0; i < ev->argc; i++)
			ev->argv[i] = fz_str_nn(in, a);
	}
	ev->envc = (size_t)(fz_value(in) % (1ULL << 31));
	ev->old_tid = fz_pid(in);

	ev->signo = (int)(fz_value(in) % 80);
	ev->si_code = (int)fz_value(in);
	ev->sig_pid = (pid_t)fz_value(in);

	ev->exited = g & 16;
	ev->exit_code = (int)(fz_value(in) % 256);
	ev->term_sig = (int)(fz_value(in) % 65);
	ev->core_dumped = g & 32;

	ev->phase = fz_str(in, a);
	ev->phase_start_us = fz_us(in);
	ev->phase_dur_us = fz_us(in);

	ev->reason = (enum end_reason)(fz_u8(in) % END_REASON_COUNT);
	ev->reason_text = fz_str(in, a);
	ev->exit_status = (int)(fz_value(in) % 256);
	if (ev->kind == EV_END && (g & 64))
		ev->summary = fz_summary(in, a);

	if (g & 128) {
		ev->nstack = fz_u8(in) % 5;
		ev->stack = arena_alloc(a, (ev->nstack + 1) * sizeof(*ev->stack));
		for (size_t i = 0; i < ev->nstack; i++) {
			ev->stack[i].ip = fz_value(in);
			ev->stack[i].module = fz_str(in, a);
			ev->stack[i].function = fz_str(in, a);
			ev->stack[i].offset = fz_value(in);
		}
	}

	uint8_t h = fz_u8(in);
	ev->creds_changed = h & 63;
	ev->creds.uid = (int64_t)(fz_value(in) % (1ULL << 32)) - 1;
	ev->creds.gid = (int64_t)(fz_value(in) % (1ULL << 32)) - 1;
	ev->creds.host_uid = (int64_t)(fz_value(in) % (1ULL << 32)) - 1;
	ev->creds.host_gid = (int64_t)(fz_value(in) % (1ULL << 32)) - 1;
	ev->creds.cap_effective = fz_value(in);
	ev->creds.cap_known = h & 64;
	ev->creds.no_new_privs = h & 128;
	ev->creds.seccomp_mode = (int)(fz_value(in) % 4);
	if (fz_u8(in) & 1) {
		struct id_map_info *m = arena_alloc(a, sizeof(*m));
		m->file = fz_ident_nn(in);
		m->target = fz_pid(in);
		m->n = fz_u8(in) % 4;
		m->ext = arena_alloc(a, (m->n + 1) * sizeof(*m->ext));
		for (size_t i = 0; i < m->n; i++) {
			m->ext[i].inside = (uint32_t)fz_value(in);
			m->ext[i].outside = (uint32_t)fz_value(in);
			m->ext[i].count = (uint32_t)fz_value(in);
		}
		m->truncated = h & 1;
		m->setgroups = fz_str(in, a);
		ev->idmap = m;
	}
	return ev;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	uint8_t opt = fz_u8(&in);
	size_t n = 1 + fz_u8(&in) % MAX_EVENTS;
	struct ns_event *evs[MAX_EVENTS];
	for (size_t i = 0; i < n; i++)
		evs[i] = fz_event(&in, i + 1);

	for (enum fmt_kind k = FMT_TEXT; k <= FMT_CHROME; k++) {
		int fd = fz_memfd();
		struct formatter_opts o = {
			.fd = fd,
			.ts = (enum ts_mode)((opt & 7) % (TS_RELATIVE + 1)),
			.show_duration = opt & 8,
			.summary_only = (opt & 48) == 48,
		};
		struct formatter *f = formatter_new(k, &o);
		if (!f || formatter_begin(f) < 0)
			abort();
		for (size_t i = 0; i < n; i++) {
			decode_event_names(evs[i]);
			if (formatter_event(f, evs[i]) < 0)
				abort();
		}
		if (formatter_end(f) < 0)
			abort();
		formatter_free(f);
		size_t len;
		char *out = fz_slurp(fd, &len);
		close(fd);
		if (k == FMT_JSON)
			fz_check_json_lines(out, len);
		else if (k == FMT_CHROME)
			fz_check_json_doc(out, len);
		else
			fz_check_text(out, len);
		free(out);
	}
	for (size_t i = 0; i < n; i++)
		ns_event_free(evs[i]);
	return 0;
}
