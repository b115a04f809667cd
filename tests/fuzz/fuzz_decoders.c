/* fuzz_decoders.c - libFuzzer target: every syscall decoder on random
 * registers and random tracee memory, rendered as strace text and as JSON.
 *
 * Input: a header (six argument values, a return value, options) and then the
 * bytes of the fake tracee memory. The fake reader serves that memory in one of
 * two ways the header picks: one region at MEM_BASE with short reads at its
 * end (a string running into an unmapped page), or the whole user address
 * space wrapping over the bytes (so pointers inside read structs, argv arrays
 * and so on lead somewhere). Kernel and low addresses never read.
 *
 * An input names four syscall numbers to decode, or (a header bit) asks for a
 * sweep of every number of the table and a few past it; the seed corpus has
 * sweeps, so every decoder is reached from the first run. Each is decoded at
 * entry and exit, rendered with call_text_render, and written with the JSON
 * and text formatters; each JSON line must parse back (jansson), else abort.
 * The reader checks the decoders ask only for what fits their buffer (ASan
 * catches the rest) and counts the bytes asked, to bound what one syscall may
 * read.
 */
#include "fuzz_util.h"

#include "call_text.h"
#include "event.h"
#include "formatter.h"
#include "strbuf.h"
#include "syscalls.h"

#define MEM_BASE 0x10000ULL
#define USER_END 0x800000000000ULL
/* no decoder needs more than this from one syscall's memory (argv of -s
 * strings, a few structs): a runaway loop over tracee memory shows up here */
#define READ_BUDGET (64u << 20)

struct fake_mem {
	const uint8_t *bytes;
	size_t len;
	bool wrap;
	size_t asked;
};

static ssize_t fake_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct fake_mem *m = ctx;
	m->asked += len;
	if (m->asked > READ_BUDGET) {
		fprintf(stderr, "a decoder read more than %u bytes for one syscall\n", READ_BUDGET);
		abort();
	}
	if (len == 0)
		return 0;
	/* the decoder must own len bytes at buf: touch both ends (ASan checks) */
	((volatile char *)buf)[0] = 0;
	((volatile char *)buf)[len - 1] = 0;
	if (m->len == 0 || addr < 4096 || addr >= USER_END)
		return -1;
	if (m->wrap) {
		size_t done = 0;
		while (done < len) {
			size_t off = (size_t)((addr + done) % m->len);
			size_t k = m->len - off < len - done ? m->len - off : len - done;
			memcpy((char *)buf + done, m->bytes + off, k);
			done += k;
		}
		return (ssize_t)len;
	}
	if (addr < MEM_BASE || addr >= MEM_BASE + m->len)
		return -1;
	size_t off = (size_t)(addr - MEM_BASE);
	size_t k = m->len - off < len ? m->len - off : len;
	memcpy(buf, m->bytes + off, k);
	return (ssize_t)k;
}

static struct formatter *json_fmt;
static struct formatter *text_fmt;
static int json_fd = -1, text_fd = -1;

static void outputs_reset(void)
{
	if (json_fmt)
		formatter_free(json_fmt);
	if (text_fmt)
		formatter_free(text_fmt);
	if (json_fd >= 0)
		close(json_fd);
	if (text_fd >= 0)
		close(text_fd);
	json_fd = fz_memfd();
	text_fd = fz_memfd();
	struct formatter_opts o = {.fd = json_fd, .ts = TS_DEFAULT};
	json_fmt = formatter_new(FMT_JSON, &o);
	o.fd = text_fd;
	o.show_duration = true;
	text_fmt = formatter_new(FMT_TEXT, &o);
	if (!json_fmt || !text_fmt || formatter_begin(json_fmt) < 0 || formatter_begin(text_fmt) < 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	uint64_t args[6];
	for (int i = 0; i < 6; i++)
		args[i] = fz_value(&in);
	uint64_t ret = fz_value(&in);
	uint8_t opt = fz_u8(&in);
	long pick[4];
	for (int i = 0; i < 4; i++)
		pick[i] = (long)(fz_bytes(&in, 2) % 1024) - 1;
	/* pointer-ish arguments: pull some into the memory region */
	uint8_t into_mem = fz_u8(&in);

	struct fake_mem mem = {.bytes = in.p, .len = in.n, .wrap = opt & 1};
	for (int i = 0; i < 6; i++)
		if (into_mem & (1u << i))
			args[i] = MEM_BASE + (mem.len ? args[i] % (mem.len + 16) : args[i] % 16);
	static const size_t strsizes[] = {32, 0, 1, 4, 256, 4096, 65536, 3};

	outputs_reset();
	struct strbuf sb;
	sb_init(&sb);
	long max = syscall_max(SC_ARCH_X86_64);
	bool sweep = opt & 64;
	long count = sweep ? max + 4 : 4;
	for (long j = 0; j < count; j++) {
		long nr = sweep ? j - 1 : pick[j];
		struct ns_event *ev = ns_event_new(EV_SYSCALL);
		ev->seq = (uint64_t)nr + 2;
		ev->pid = ev->tid = 42;
		ev->comm = "fuzz";
		ev->nr = nr;
		const struct syscall_ent *ent = syscall_ent(SC_ARCH_X86_64, nr);
		ev->sc_name = ent ? ent->name : arena_printf(&ev->arena, "syscall_%#lx", nr);
		memcpy(ev->raw_args, args, sizeof(args));
		struct decode_ctx dc = {
			.arena = &ev->arena,
			.read = fake_read,
			.read_ctx = &mem,
			.strsize = strsizes[(opt >> 1) & 7],
			.verbose = opt & 16,
			.arch = SC_ARCH_X86_64,
		};
		mem.asked = 0;
		ev->args = decode_syscall_entry(&dc, nr, args);
		if (!(opt & 32)) {
			int64_t r = (int64_t)ret;
			ev->ret = r;
			ev->err = r < 0 && r >= -4095 ? (int)-r : 0;
			decode_syscall_exit(&dc, nr, args, r, ev->args);
		} else {
			ev->unfinished = true;
		}
		sb_reset(&sb);
		call_text_render(&sb, ev);
		if (sb.len == 0 || strlen(sb_str(&sb)) != sb.len) {
			fprintf(stderr, "call_text for syscall %ld is empty or holds a NUL\n", nr);
			abort();
		}
		if (formatter_event(json_fmt, ev) < 0 || formatter_event(text_fmt, ev) < 0)
			abort();
		ns_event_free(ev);
	}
	sb_free(&sb);
	if (formatter_flush(json_fmt) < 0 || formatter_flush(text_fmt) < 0)
		abort();

	size_t len;
	char *out = fz_slurp(json_fd, &len);
	fz_check_json_lines(out, len);
	free(out);
	out = fz_slurp(text_fd, &len);
	fz_check_text(out, len);
	free(out);
	return 0;
}
