/* debug_file.h - finding the separate debug file of a stripped ELF file.
 *
 * Debian's -dbgsym packages install DEBUG_ROOT/.build-id/xx/yyyy.debug; other
 * setups leave a .gnu_debuglink name found beside the file, in its .debug/
 * folder or under DEBUG_ROOT/<its folder>. A candidate is taken only if it is
 * the same build (same build-id, else the CRC the link records).
 */
#ifndef NSTRACE_DEBUG_FILE_H
#define NSTRACE_DEBUG_FILE_H

#include <libelf.h>
#include <stddef.h>
#include <stdint.h>

/* An open fd of the debug file of e, or -1. id/idlen is e's build-id (idlen
 * 0 if none); path the file's own path in the tracer's view, NULL when it has
 * none (memfd, deleted); *found gets the debug file's path (malloc'd). */
int debug_file_open(Elf *e, const uint8_t *id, size_t idlen, const char *path,
		    const char *debug_root, char **found);

/* The CRC-32 a .gnu_debuglink section records (the zlib/IEEE one). */
uint32_t debuglink_crc32(uint32_t crc, const uint8_t *buf, size_t len);

#endif
