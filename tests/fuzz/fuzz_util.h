/* fuzz_util.h - what the two libFuzzer targets share: taking typed values
 * from the fuzz input, and checking a formatter's output parses back.
 *
 * Header-only (static functions): each target is one translation unit.
 */
#ifndef NSTRACE_FUZZ_UTIL_H
#define NSTRACE_FUZZ_UTIL_H

#define _GNU_SOURCE
#include <ctype.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "formatter.h"

/* The fuzz input, consumed from the front; past its end every value is 0. */
struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static inline uint64_t fz_bytes(struct fuzz_in *in, size_t k)
{
	uint64_t v = 0;
	for (size_t i = 0; i < k && i < 8; i++) {
		v |= in->n ? (uint64_t)in->p[0] << (8 * i) : 0;
		if (in->n) {
			in->p++;
			in->n--;
		}
	}
	return v;
}

static inline uint8_t fz_u8(struct fuzz_in *in) { return (uint8_t)fz_bytes(in, 1); }
static inline uint64_t fz_u64(struct fuzz_in *in) { return fz_bytes(in, 8); }

/* An interesting 64-bit value: small, negative, boundary, or raw. */
static inline uint64_t fz_value(struct fuzz_in *in)
{
	static const uint64_t edges[] = {0, 1, 2, 31, 32, 64, 88, 4096, 65536, 0x7fffffff, 0x80000000,
					 0xffffffff, 0x7fffffffffffffffULL, 0x8000000000000000ULL,
					 UINT64_MAX, UINT64_MAX - 1, (uint64_t)-4095, (uint64_t)-100};
	uint8_t sel = fz_u8(in);
	if (sel < 64)
		return edges[sel % (sizeof(edges) / sizeof(edges[0]))];
	if (sel < 128)
		return fz_u8(in);
	return fz_u64(in);
}

/* A memfd the formatters write to, read back as one NUL-terminated string. */
static inline int fz_memfd(void)
{
	int fd = memfd_create("fuzz-out", MFD_CLOEXEC);
	if (fd < 0) {
		perror("memfd_create");
		abort();
	}
	return fd;
}

static inline char *fz_slurp(int fd, size_t *len)
{
	off_t end = lseek(fd, 0, SEEK_END);
	char *buf = malloc((size_t)end + 1);
	if (!buf || pread(fd, buf, (size_t)end, 0) != end)
		abort();
	buf[end] = 0;
	*len = (size_t)end;
	return buf;
}

/* Abort unless every line of a JSON Lines text parses as a JSON object. */
static inline void fz_check_json_lines(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl) {
			fprintf(stderr, "JSON Lines output ends without a newline: %.200s\n", p);
			abort();
		}
		json_error_t err;
		/* "\u0000" is valid JSON (RFC 8259); jansson wants it allowed */
		json_t *v = json_loadb(p, (size_t)(nl - p), JSON_ALLOW_NUL, &err);
		if (!v || !json_is_object(v)) {
			fprintf(stderr, "JSON line does not parse (%s): %.*s\n", err.text, (int)(nl - p), p);
			abort();
		}
		json_decref(v);
		p = nl + 1;
	}
}

/* Abort unless the text is one JSON document (the Chrome trace). */
static inline void fz_check_json_doc(const char *buf, size_t len)
{
	json_error_t err;
	json_t *v = json_loadb(buf, len, JSON_ALLOW_NUL, &err);
	if (!v) {
		fprintf(stderr, "Chrome trace does not parse (%s, line %d col %d)\n", err.text, err.line,
			err.column);
		abort();
	}
	json_decref(v);
}

/* Abort if a text trace holds a raw control byte: a tracee must not be able to
 * write escape sequences to the terminal of the person tracing it. */
static inline void fz_check_text(const char *buf, size_t len)
{
	if (getenv("FUZZ_DUMP")) /* to see a failing output whole */
		fwrite(buf, 1, len, stderr);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
			size_t from = i > 60 ? i - 60 : 0;
			fprintf(stderr, "raw control byte %#x at %zu in the text output, after: ", c, i);
			for (size_t j = from; j < i; j++)
				fprintf(stderr, isprint((unsigned char)buf[j]) ? "%c" : "\\x%02x",
					(unsigned char)buf[j]);
			fputc('\n', stderr);
			abort();
		}
	}
}

#endif
