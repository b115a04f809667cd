/* test_decode_fuzz.c - "never crash": every syscall of the table decoded and
 * rendered with arguments that are random numbers, NULL, wild pointers, or
 * pointers into random tracee bytes next to unmapped pages, under ASan/UBSan.
 * The seed is fixed so a failure reproduces. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "test_decode_fakemem.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next_random(void)
{
	/* xorshift64*: small, deterministic, good enough to vary the inputs */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

static uint64_t random_arg(void)
{
	uint64_t r = next_random();
	switch (r % 6) {
	case 0:
		return 0;
	case 1:
		return r >> 40; /* small numbers: fds, flags, sizes */
	case 2:
		return r; /* anything */
	case 3: /* inside the fake tracee, possibly near a hole */
		return FAKE_BASE + (r >> 8) % (FAKE_PAGES * FAKE_PAGE);
	case 4: /* just before the end of a mapped page */
		return FAKE_BASE + FAKE_PAGE - 1 - (r >> 8) % 16;
	default:
		return (uint64_t)(int64_t)(int32_t)(r >> 32); /* negative ints: AT_FDCWD, -1 */
	}
}

Test(decode_fuzz, every_syscall_random_memory)
{
	fm_reset();
	long max = syscall_max(SC_ARCH_X86_64);
	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < sizeof(fm.bytes); i++)
			fm.bytes[i] = (unsigned char)(next_random() >> 56);
		for (unsigned p = 0; p < FAKE_PAGES; p++)
			fm.hole[p] = p > 0 && (next_random() & 1);
		for (long nr = 0; nr < max; nr++) {
			const struct syscall_ent *e = syscall_ent(SC_ARCH_X86_64, nr);
			if (!e)
				continue;
			struct rendered r;
			size_t strsize = (size_t)(next_random() % 40);
			fm_verbose = next_random() & 1;
			int64_t ret = (int64_t)(next_random() % 3 == 0 ? -(int64_t)(next_random() % 4095 + 1)
								: (int64_t)(next_random() % 100));
			decode_render_opts(&r, e->name, ret, strsize, random_arg(), random_arg(),
					   random_arg(), random_arg(), random_arg(), random_arg());
			size_t n = strlen(e->name);
			cr_assert(strncmp(r.text, e->name, n) == 0 && r.text[n] == '(', "%s: %s", e->name,
				  r.text);
			cr_assert(strstr(r.text, ") = "), "%s: %s", e->name, r.text);
			rendered_free(&r);
		}
	}
}
