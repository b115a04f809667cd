/* debug_file.c - build-id and .gnu_debuglink lookups (see debug_file.h). */
#include "debug_file.h"
#include "elf_module.h"

#include <fcntl.h>
#include <gelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

uint32_t debuglink_crc32(uint32_t crc, const uint8_t *buf, size_t len)
{
	static uint32_t table[256];
	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	crc = ~crc;
	for (size_t i = 0; i < len; i++)
		crc = table[(crc ^ buf[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static bool file_crc_is(int fd, uint32_t want)
{
	struct stat st;
	if (fstat(fd, &st) < 0 || st.st_size <= 0)
		return false;
	void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return false;
	uint32_t crc = debuglink_crc32(0, p, (size_t)st.st_size);
	munmap(p, (size_t)st.st_size);
	return crc == want;
}

/* Same build: the build-ids match, or (no build-id) the CRC does. */
static bool is_debug_file_of(int fd, const uint8_t *id, size_t idlen, bool check_crc, uint32_t crc)
{
	if (idlen > 0) {
		Elf *e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
		if (!e)
			return false;
		uint8_t other[64];
		size_t n = elf_build_id(e, other, sizeof(other));
		elf_end(e);
		return n == idlen && memcmp(other, id, n) == 0;
	}
	return check_crc && file_crc_is(fd, crc);
}

static int try_candidate(const char *cand, const uint8_t *id, size_t idlen, bool check_crc,
			 uint32_t crc, char **found)
{
	int fd = open(cand, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (!is_debug_file_of(fd, id, idlen, check_crc, crc)) {
		close(fd);
		return -1;
	}
	*found = strdup(cand);
	return fd;
}

/* The .gnu_debuglink name (NUL-terminated, then padding, then a 4-byte CRC). */
static const char *debuglink_of(Elf *e, uint32_t *crc)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(e, &shstrndx) != 0)
		return NULL;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	while ((scn = elf_nextscn(e, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		const char *n = elf_strptr(e, shstrndx, sh.sh_name);
		if (!n || strcmp(n, ".gnu_debuglink") != 0)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		if (!d || d->d_size < 8)
			return NULL;
		const char *name = d->d_buf;
		size_t len = strnlen(name, d->d_size);
		size_t crc_off = (len + 4) & ~(size_t)3;
		if (len == 0 || crc_off + 4 > d->d_size || strchr(name, '/'))
			return NULL;
		memcpy(crc, (const char *)d->d_buf + crc_off, 4);
		return name;
	}
	return NULL;
}

int debug_file_open(Elf *e, const uint8_t *id, size_t idlen, const char *path,
		    const char *debug_root, char **found)
{
	char cand[4096];
	int fd;
	*found = NULL;
	if (idlen > 1) {
		int n = snprintf(cand, sizeof(cand), "%s/.build-id/%02x/", debug_root, id[0]);
		for (size_t i = 1; i < idlen && n > 0 && (size_t)n < sizeof(cand) - 3; i++)
			n += snprintf(cand + n, sizeof(cand) - (size_t)n, "%02x", id[i]);
		if (n > 0 && (size_t)n < sizeof(cand) - 7) {
			strcat(cand, ".debug");
			if ((fd = try_candidate(cand, id, idlen, false, 0, found)) >= 0)
				return fd;
		}
	}
	uint32_t crc = 0;
	const char *link = debuglink_of(e, &crc);
	if (!link || !path || path[0] != '/')
		return -1;
	const char *slash = strrchr(path, '/');
	int dirlen = (int)(slash - path);
	static const char *const forms[] = {"%.*s/%s", "%.*s/.debug/%s", "%s%.*s/%s"};
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		int n =
		    i < 2 ? snprintf(cand, sizeof(cand), forms[i], dirlen, path, link)
			  : snprintf(cand, sizeof(cand), forms[i], debug_root, dirlen, path, link);
		if (n <= 0 || (size_t)n >= sizeof(cand) || strcmp(cand, path) == 0)
			continue;
		if ((fd = try_candidate(cand, id, idlen, true, crc, found)) >= 0)
			return fd;
	}
	return -1;
}
