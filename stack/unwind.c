/* unwind.c - walking a stopped task's user stack and naming its frames.
 *
 * Each step picks the method that knows the code at the frame's address:
 *   Go code (the module has .gopclntab and a function covers the pc): the
 *     function's SP delta at that pc gives the return address, as the Go
 *     runtime's own traceback does. Frame pointers alone would skip the
 *     caller of a frameless assembly leaf, which is exactly where a Go
 *     program sits at a syscall (runtime/internal/syscall.Syscall6).
 *   code with .eh_frame (C: libc, the cgo part of runc): libunwind's remote
 *     API with our accessors. Its table lookup is served by
 *     dwarf_search_unwind_table over the module's .eh_frame_hdr, read from
 *     the mapped file, not word by word from the tracee.
 *   anything else, or when DWARF fails: the frame pointer chain (for the
 *     innermost frame, first a return address at SP, as glibc's clone3).
 * A cgo call (runtime.asmcgocall) is followed back from the thread's stack
 * to the goroutine's. Before the first frame is named, its code is compared
 * with the cached module's: a mismatch means the maps are stale (exec).
 * The walk stops at the outermost frame (DWARF's undefined return address,
 * Go's TOPFRAME functions), at a return address outside executable
 * mappings, or when the stack pointer stops growing.
 */
#include "unwinder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libunwind's binary search over an .eh_frame_hdr table; exported by
 * libunwind-x86_64 (perf and others use it) but not in its public headers. */
extern int _Ux86_64_dwarf_search_unwind_table(unw_addr_space_t as, unw_word_t ip,
					      unw_dyn_info_t *di, unw_proc_info_t *pi,
					      int need_unwind_info, void *arg);

struct uregs {
	uint64_t ip, sp, bp, bx, r12, r13, r14, r15;
};

/* STEP_SWITCHED: the caller's frame is on another stack (a cgo call's Go
 * side), so its SP need not be above the callee's. */
enum step_result { STEP_OK, STEP_SWITCHED, STEP_END, STEP_FAIL };

/* What one stack_unwind call reads through; libunwind's accessors get it as
 * their arg. regs is what access_reg answers for the cursor's first frame. */
struct unwind_ctx {
	struct stack_unwinder *u;
	struct proc_maps *pm;
	mem_reader_fn read;
	void *read_ctx;
	unw_word_t regs[UNW_X86_64_RIP + 1];
	unw_cursor_t cursor;
	bool cursor_ok; /* the cursor stands at the current frame */
	/* libunwind reads a word at a time, mostly from one .eh_frame: the
	 * last mapping read answers most lookups. Reset with the maps. */
	const struct map_ent *last;
};

static bool tracee_read(struct unwind_ctx *c, uint64_t addr, void *buf, size_t len)
{
	struct mem_cache *mc = &c->u->cache;
	uint8_t *out = buf;
	while (len > 0) {
		uint64_t page = addr & ~(uint64_t)(MEMCACHE_PAGE - 1);
		unsigned slot = (unsigned)(page / MEMCACHE_PAGE) % MEMCACHE_SLOTS;
		if (mc->len[slot] < 0 || mc->page[slot] != page) {
			ssize_t n = c->read(c->read_ctx, page, mc->data[slot], MEMCACHE_PAGE);
			mc->page[slot] = page;
			mc->len[slot] = n < 0 ? 0 : n;
		}
		size_t off = (size_t)(addr - page);
		size_t chunk = MEMCACHE_PAGE - off < len ? MEMCACHE_PAGE - off : len;
		if ((ssize_t)(off + chunk) > mc->len[slot])
			return false;
		memcpy(out, mc->data[slot] + off, chunk);
		out += chunk;
		addr += chunk;
		len -= chunk;
	}
	return true;
}

/* Read-only file contents come from the mapped file, the rest from the tracee.
 * Resolving the mapping here matters: .eh_frame lives in another mapping of
 * the module than the code whose ip brought us there. */
static bool mem_read(struct unwind_ctx *c, uint64_t addr, void *buf, size_t len)
{
	const struct map_ent *e = c->last;
	if (!e || addr < e->start || addr >= e->end)
		c->last = e = unwinder_mapping(c->u, c->pm, addr, NULL);
	if (e && e->mod && elf_module_read(e->mod, addr - e->bias, buf, len))
		return true;
	return tracee_read(c, addr, buf, len);
}

static bool read_word(struct unwind_ctx *c, uint64_t addr, uint64_t *val)
{
	return mem_read(c, addr, val, sizeof(*val));
}

/* ---- libunwind accessors ---- */

static int acc_find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t *pi,
			      int need_unwind_info, void *arg)
{
	struct unwind_ctx *c = arg;
	const struct map_ent *e = unwinder_mapping(c->u, c->pm, ip, NULL);
	if (!e || !e->mod || !e->mod->eh_hdr_vaddr)
		return -UNW_ENOINFO;
	const struct elf_module *m = e->mod;
	unw_dyn_info_t di;
	memset(&di, 0, sizeof(di));
	di.format = UNW_INFO_FORMAT_REMOTE_TABLE;
	di.start_ip = e->start;
	di.end_ip = e->end;
	di.u.rti.segbase = e->bias + m->eh_hdr_vaddr;
	di.u.rti.table_data = e->bias + m->eh_table_vaddr;
	/* In words; each entry is two 4-byte offsets. */
	di.u.rti.table_len = m->eh_fde_count * 8 / sizeof(unw_word_t);
	return _Ux86_64_dwarf_search_unwind_table(as, ip, &di, pi, need_unwind_info, arg);
}

/* libunwind frees table-format unwind info itself; nothing of ours to free. */
static void acc_put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi, void *arg)
{
	(void)as, (void)pi, (void)arg;
}

static int acc_get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *addr, void *arg)
{
	(void)as, (void)addr, (void)arg;
	return -UNW_ENOINFO;
}

static int acc_access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *val, int write,
			  void *arg)
{
	(void)as;
	if (write)
		return -UNW_EINVAL;
	uint64_t v;
	if (!read_word(arg, addr, &v))
		return -UNW_EINVAL;
	*val = v;
	return 0;
}

static int acc_access_reg(unw_addr_space_t as, unw_regnum_t reg, unw_word_t *val, int write,
			  void *arg)
{
	(void)as;
	struct unwind_ctx *c = arg;
	if (write)
		return -UNW_EREADONLYREG;
	if (reg < 0 || reg > UNW_X86_64_RIP)
		return -UNW_EBADREG;
	*val = c->regs[reg];
	return 0;
}

static int acc_access_fpreg(unw_addr_space_t as, unw_regnum_t reg, unw_fpreg_t *val, int write,
			    void *arg)
{
	(void)as, (void)reg, (void)val, (void)write, (void)arg;
	return -UNW_EBADREG;
}

static int acc_resume(unw_addr_space_t as, unw_cursor_t *cursor, void *arg)
{
	(void)as, (void)cursor, (void)arg;
	return -UNW_EINVAL;
}

static int acc_get_proc_name(unw_addr_space_t as, unw_word_t addr, char *buf, size_t len,
			     unw_word_t *off, void *arg)
{
	(void)as, (void)addr, (void)buf, (void)len, (void)off, (void)arg;
	return -UNW_ENOINFO;
}

static unw_accessors_t accessors = {
    .find_proc_info = acc_find_proc_info,
    .put_unwind_info = acc_put_unwind_info,
    .get_dyn_info_list_addr = acc_get_dyn_info_list_addr,
    .access_mem = acc_access_mem,
    .access_reg = acc_access_reg,
    .access_fpreg = acc_access_fpreg,
    .resume = acc_resume,
    .get_proc_name = acc_get_proc_name,
};

/* ---- steps ---- */

/* runtime.asmcgocall calls C on the thread's system stack; before the call
 * it stores, 48 and 40 bytes above the SP it calls from, the goroutine (g)
 * and how deep into g's stack it was (g.stack.hi - SP; or, with g 0, the SP
 * itself). Its own frame is empty, so the Go caller's return address is at
 * that goroutine SP. This is how cgo calls (runc's libseccomp) get their Go
 * callers back. */
static enum step_result cgocall_step(struct unwind_ctx *c, struct uregs *r)
{
	uint64_t g, depth, hi, gsp, ra;
	if (!read_word(c, r->sp + 48, &g) || !read_word(c, r->sp + 40, &depth))
		return STEP_FAIL;
	if (g == 0) {
		gsp = depth;
	} else {
		/* g.stack is g's first field: {lo, hi} */
		if (!read_word(c, g + 8, &hi) || depth > hi || depth > (1ull << 30))
			return STEP_FAIL;
		gsp = hi - depth;
	}
	if (!read_word(c, gsp, &ra))
		return STEP_FAIL;
	r->ip = ra;
	r->sp = gsp + 8;
	c->u->stats.frames_go++;
	return STEP_SWITCHED;
}

static enum step_result go_step(struct unwind_ctx *c, const struct map_ent *e, long fn,
				struct uregs *r, bool innermost)
{
	const struct go_table *t = &e->mod->go;
	const char *name = go_func_name(t, fn);
	if (!innermost && name && strcmp(name, "runtime.asmcgocall") == 0)
		return cgocall_step(c, r);
	unsigned flags = go_func_flags(t, fn);
	if (flags & GO_FUNCFLAG_TOPFRAME)
		return STEP_END;
	/* As Go's traceback: past the innermost frame, a function that writes
	 * SP (a stack switch) cannot be unwound through. */
	if ((flags & GO_FUNCFLAG_SPWRITE) && !innermost)
		return STEP_END;
	uint64_t vaddr = r->ip - e->bias;
	int32_t delta;
	if (!go_func_spdelta(t, fn, vaddr, &delta) && !go_func_spdelta(t, fn, vaddr - 1, &delta))
		return STEP_FAIL;
	uint64_t ra, bp = r->bp;
	if (!read_word(c, r->sp + (uint64_t)delta, &ra))
		return STEP_FAIL;
	/* A Go frame with a size saves the caller's BP just below the return
	 * address; kept for a frame-pointer step further up. */
	if (delta >= 8 && !read_word(c, r->sp + (uint64_t)delta - 8, &bp))
		bp = r->bp;
	r->ip = ra;
	r->sp += (uint64_t)delta + 8;
	r->bp = bp;
	c->u->stats.frames_go++;
	return STEP_OK;
}

static void set_cursor_regs(struct unwind_ctx *c, const struct uregs *r, bool innermost,
			    const struct user_regs_struct *regs)
{
	memset(c->regs, 0, sizeof(c->regs));
	if (innermost) {
		c->regs[UNW_X86_64_RAX] = regs->rax;
		c->regs[UNW_X86_64_RDX] = regs->rdx;
		c->regs[UNW_X86_64_RCX] = regs->rcx;
		c->regs[UNW_X86_64_RSI] = regs->rsi;
		c->regs[UNW_X86_64_RDI] = regs->rdi;
		c->regs[UNW_X86_64_R8] = regs->r8;
		c->regs[UNW_X86_64_R9] = regs->r9;
		c->regs[UNW_X86_64_R10] = regs->r10;
		c->regs[UNW_X86_64_R11] = regs->r11;
	}
	c->regs[UNW_X86_64_RBX] = r->bx;
	c->regs[UNW_X86_64_RBP] = r->bp;
	c->regs[UNW_X86_64_RSP] = r->sp;
	c->regs[UNW_X86_64_R12] = r->r12;
	c->regs[UNW_X86_64_R13] = r->r13;
	c->regs[UNW_X86_64_R14] = r->r14;
	c->regs[UNW_X86_64_R15] = r->r15;
	/* A fresh cursor takes its ip as exact (frame 0). For a caller's frame
	 * the ip is a return address: point into the call instruction so the
	 * lookup cannot fall into the next function after a noreturn call. */
	c->regs[UNW_X86_64_RIP] = innermost ? r->ip : r->ip - 1;
}

static enum step_result dwarf_step(struct unwind_ctx *c, struct uregs *r, bool innermost,
				   const struct user_regs_struct *regs)
{
	unw_proc_info_t pi;
	/* Only code with an FDE: elsewhere libunwind would guess from RBP,
	 * which the frame-pointer step does under our own checks. */
	if (acc_find_proc_info(c->u->as, innermost ? r->ip : r->ip - 1, &pi, 0, c) < 0) {
		c->cursor_ok = false;
		return STEP_FAIL;
	}
	if (!c->cursor_ok) {
		set_cursor_regs(c, r, innermost, regs);
		if (unw_init_remote(&c->cursor, c->u->as, c) < 0)
			return STEP_FAIL;
		c->cursor_ok = true;
	}
	int ret = unw_step(&c->cursor);
	if (ret <= 0) {
		c->cursor_ok = false;
		return ret == 0 ? STEP_END : STEP_FAIL;
	}
	static const struct {
		unw_regnum_t reg;
		size_t off;
	} back[] = {
	    {UNW_REG_IP, offsetof(struct uregs, ip)},
	    {UNW_REG_SP, offsetof(struct uregs, sp)},
	    {UNW_X86_64_RBP, offsetof(struct uregs, bp)},
	    {UNW_X86_64_RBX, offsetof(struct uregs, bx)},
	    {UNW_X86_64_R12, offsetof(struct uregs, r12)},
	    {UNW_X86_64_R13, offsetof(struct uregs, r13)},
	    {UNW_X86_64_R14, offsetof(struct uregs, r14)},
	    {UNW_X86_64_R15, offsetof(struct uregs, r15)},
	};
	struct uregs n = {0};
	for (size_t i = 0; i < sizeof(back) / sizeof(back[0]); i++) {
		unw_word_t v = 0;
		if (unw_get_reg(&c->cursor, back[i].reg, &v) < 0 && i < 2) {
			c->cursor_ok = false;
			return STEP_FAIL;
		}
		memcpy((char *)&n + back[i].off, &v, sizeof(uint64_t));
	}
	*r = n;
	c->u->stats.frames_dwarf++;
	return STEP_OK;
}

static enum step_result fp_step(struct unwind_ctx *c, struct uregs *r)
{
	uint64_t bp = r->bp, next_bp, ra;
	if (bp < r->sp || (bp & 7) || !read_word(c, bp, &next_bp) || !read_word(c, bp + 8, &ra))
		return STEP_FAIL;
	r->ip = ra;
	r->sp = bp + 16;
	r->bp = next_bp;
	c->cursor_ok = false;
	c->u->stats.frames_fp++;
	return STEP_OK;
}

/* Does a call instruction end just before ra? The common x86-64 forms:
 * call rel32; call *disp32(%rip); call *%reg; call *(%reg), *disp8(%reg),
 * *disp32(%reg), with or without SIB (a REX prefix sits before all of them). */
static bool call_precedes(struct unwind_ctx *c, uint64_t ra)
{
	uint8_t b[8];
	if (ra < sizeof(b) || !mem_read(c, ra - sizeof(b), b, sizeof(b)))
		return false;
	const uint8_t *end = b + sizeof(b); /* end[-k] is the byte at ra-k */
	if (end[-5] == 0xe8)
		return true;
	if (end[-2] == 0xff && ((end[-1] & 0xf8) == 0xd0 || (end[-1] & 0xf8) == 0x10))
		return true;
	if (end[-3] == 0xff && ((end[-2] & 0xf8) == 0x50 || end[-2] == 0x14))
		return true;
	if (end[-4] == 0xff && end[-3] == 0x54)
		return true;
	if (end[-6] == 0xff && (end[-5] == 0x15 || (end[-5] & 0xf8) == 0x90))
		return true;
	return end[-7] == 0xff && end[-6] == 0x94;
}

/* The innermost frame in code without unwind info and without a frame of
 * its own: glibc's clone3 makes its syscall after its FDE has ended. If
 * [sp] is a return address (right after a call, in code), take it. */
static enum step_result leaf_step(struct unwind_ctx *c, struct uregs *r)
{
	uint64_t ra;
	if (!read_word(c, r->sp, &ra))
		return STEP_FAIL;
	const struct map_ent *e = unwinder_mapping(c->u, c->pm, ra, NULL);
	if (!e || !e->exec || !call_precedes(c, ra))
		return STEP_FAIL;
	r->ip = ra;
	r->sp += 8;
	c->cursor_ok = false;
	c->u->stats.frames_fp++;
	return STEP_OK;
}

static enum step_result step(struct unwind_ctx *c, const struct map_ent *e, struct uregs *r,
			     bool innermost, const struct user_regs_struct *regs)
{
	enum step_result s = STEP_FAIL;
	const struct elf_module *m = e ? e->mod : NULL;
	uint64_t look = r->ip - (innermost ? 0 : 1);
	long fn = m && m->has_go ? go_func_find(&m->go, look - e->bias) : -1;
	if (fn >= 0) {
		c->cursor_ok = false;
		s = go_step(c, e, fn, r, innermost);
	} else if (m && m->eh_hdr_vaddr) {
		s = dwarf_step(c, r, innermost, regs);
	}
	if (s == STEP_FAIL && innermost && fn < 0)
		s = leaf_step(c, r);
	if (s == STEP_FAIL)
		s = fp_step(c, r);
	return s;
}

/* The cached maps may predate an exec (or the pid was reused): the code at
 * the first ip must be what the cached module says is there. */
static bool maps_match_code(struct unwind_ctx *c, const struct map_ent *e, uint64_t ip)
{
	uint8_t want[16], got[16];
	size_t len = e->end - ip < sizeof(want) ? (size_t)(e->end - ip) : sizeof(want);
	if (!e->mod || !elf_module_read(e->mod, ip - e->bias, want, len))
		return true; /* nothing to compare with */
	/* Direct, not through the page cache: code is otherwise read from files. */
	return c->read(c->read_ctx, ip, got, len) == (ssize_t)len && memcmp(want, got, len) == 0;
}

/* ---- frames ---- */

static void name_frame(struct stack_frame *f, const struct map_ent *e, uint64_t ip, bool innermost,
		       struct arena *arena)
{
	f->ip = ip;
	const char *module = e ? e->path : NULL;
	if (module && strcmp(module, "/") == 0 && e->mod && e->mod->seen_path)
		module = e->mod->seen_path;
	f->module = module ? arena_strdup(arena, module) : NULL;
	f->function = NULL;
	if (!e) {
		f->offset = ip;
		return;
	}
	if (!e->mod) {
		f->offset = ip - e->start + e->offset;
		return;
	}
	uint64_t vaddr = ip - e->bias, start;
	/* A return address may be the first byte after its function (a call
	 * to a noreturn function ends it): name the call, not what follows. */
	const char *name = elf_module_symbol(e->mod, innermost ? vaddr : vaddr - 1, &start);
	if (name) {
		/* .symtab spells versioned symbols "__libc_start_main@@GLIBC_2.34". */
		size_t len = strcspn(name, "@");
		f->function = arena_strndup(arena, name, len ? len : strlen(name));
		f->offset = vaddr - start;
	} else {
		f->offset = vaddr;
	}
}

size_t stack_unwind(struct stack_unwinder *u, pid_t pid, const struct user_regs_struct *regs,
		    mem_reader_fn read, void *read_ctx, struct arena *arena,
		    struct stack_frame **frames_out, size_t max_frames)
{
	*frames_out = NULL;
	if (max_frames == 0)
		return 0;
	struct proc_maps *pm = unwinder_maps(u, pid);
	if (!pm)
		return 0;
	struct unwind_ctx *c = calloc(1, sizeof(*c));
	if (!c)
		return 0;
	*c = (struct unwind_ctx){.u = u, .pm = pm, .read = read, .read_ctx = read_ctx};
	for (size_t i = 0; i < MEMCACHE_SLOTS; i++)
		u->cache.len[i] = -1;

	struct uregs r = {regs->rip, regs->rsp, regs->rbp, regs->rbx,
			  regs->r12, regs->r13, regs->r14, regs->r15};
	struct stack_frame *frames = arena_alloc(arena, max_frames * sizeof(*frames));
	bool reread = true;
	size_t n = 0;
	for (;;) {
		const struct map_ent *e = unwinder_mapping(u, pm, r.ip, &reread);
		if (n == 0 && e && reread && !maps_match_code(c, e, r.ip)) {
			reread = false;
			u->stats.maps_reads++;
			proc_maps_read(pm, pid);
			e = unwinder_mapping(u, pm, r.ip, NULL);
		}
		c->last = NULL; /* the maps may have been read again */
		if (pm->layout != u->cached_layout) {
			/* Another process, or new code: cached rules may not hold. */
			unw_flush_cache(u->as, 0, 0);
			u->cached_layout = pm->layout;
		}
		/* Past the first frame an address outside code is no return
		 * address: the walk went wrong or ran off the stack's end. */
		if (n > 0 && (!e || !e->exec))
			break;
		name_frame(&frames[n], e, r.ip, n == 0, arena);
		if (++n == max_frames)
			break;
		uint64_t sp = r.sp;
		enum step_result s = step(c, e, &r, n == 1, regs);
		if ((s != STEP_OK && s != STEP_SWITCHED) || r.ip == 0 ||
		    (s == STEP_OK && r.sp <= sp))
			break;
	}
	free(c);
	*frames_out = frames;
	return n;
}

struct stack_unwinder *stack_unwinder_new(void)
{
	struct stack_unwinder *u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	u->as = unw_create_addr_space(&accessors, 0);
	if (!u->as) {
		free(u);
		return NULL;
	}
	unw_set_caching_policy(u->as, UNW_CACHE_GLOBAL);
	stack_set_debug_root(u, NULL);
	return u;
}
