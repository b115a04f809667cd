/* escape.c - bytes that came from a tracee, made safe for JSON and terminals.
 *
 * comm, exe, argv, paths and decoded strings are whatever bytes the tracee had:
 * invalid UTF-8, NULs, escape sequences. JSON output must stay valid whatever
 * they hold, and text output must not let a tracee drive the user's terminal.
 */
#include <stdio.h>
#include <string.h>

#include "fmt_private.h"

size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	if (n == 0)
		return 0;
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	/* Lead byte: sequence length and the allowed range of the second byte
	 * (RFC 3629 table: it excludes overlongs, surrogates and > U+10FFFF). */
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c == 0xe0)
		len = 3, lo = 0xa0;
	else if (c == 0xed)
		len = 3, hi = 0x9f;
	else if (c >= 0xe1 && c <= 0xef)
		len = 3;
	else if (c == 0xf0)
		len = 4, lo = 0x90;
	else if (c == 0xf4)
		len = 4, hi = 0x8f;
	else if (c >= 0xf1 && c <= 0xf3)
		len = 4;
	else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

bool utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t l = utf8_seq_len(p + i, n - i);
		if (!l)
			return false;
		i += l;
	}
	return true;
}

json_t *json_bytes(const char *s, size_t n)
{
	if (utf8_valid(s, n))
		return json_stringn_nocheck(s, n); /* checked just now */
	struct strbuf sb;
	sb_init(&sb);
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t l = utf8_seq_len(p + i, n - i);
		if (l) {
			sb_putn(&sb, s + i, l);
			i += l;
		} else {
			sb_puts(&sb, "\xef\xbf\xbd"); /* U+FFFD, one per bad byte */
			i++;
		}
	}
	json_t *j = json_stringn_nocheck(sb_str(&sb), sb.len); /* valid by construction */
	sb_free(&sb);
	return j;
}

json_t *json_cstr(const char *s)
{
	return s ? json_bytes(s, strlen(s)) : json_null();
}

void text_escape(struct strbuf *sb, const char *s, size_t n, char quote)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned char c = p[i];
		if (c >= 0x80) {
			size_t l = utf8_seq_len(p + i, n - i);
			/* C1 controls (U+0080..U+009F) steer terminals too. */
			if (l && !(l == 2 && c == 0xc2 && p[i + 1] < 0xa0)) {
				sb_putn(sb, s + i, l);
				i += l;
				continue;
			}
			sb_printf(sb, "\\x%02x", c);
		} else if (c == '\\' || (quote && c == (unsigned char)quote)) {
			sb_putc(sb, '\\');
			sb_putc(sb, (char)c);
		} else if (c == '\n') {
			sb_puts(sb, "\\n");
		} else if (c == '\t') {
			sb_puts(sb, "\\t");
		} else if (c < 0x20 || c == 0x7f) {
			sb_printf(sb, "\\x%02x", c);
		} else {
			sb_putc(sb, (char)c);
		}
		i++;
	}
}

void text_escape_str(struct strbuf *sb, const char *s)
{
	if (!s)
		sb_putc(sb, '?');
	else
		text_escape(sb, s, strlen(s), 0);
}

void hex_bytes(struct strbuf *sb, const char *s, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		sb_putc(sb, digits[c >> 4]);
		sb_putc(sb, digits[c & 15]);
	}
}
