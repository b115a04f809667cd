/* json_dump.c - a jansson value as compact JSON text, appended to a strbuf.
 *
 * The same bytes as json_dumps(j, JSON_COMPACT | flags) (tests/unit/
 * test_fmt_json.c compares them), written directly: jansson's dumper checks
 * every object and array for reference loops through a hashtable keyed by
 * its printed address and formats each integer with snprintf, which made it
 * two thirds of the cost of a -F json line (about 9 of 14 us an event here).
 * Our trees are built fresh per event and have no loops. Strings are UTF-8
 * already (json_bytes); they get jansson's escapes: \" \\ \b \f \n \r \t, and
 * \u00XX for the other control bytes.
 */
#include <stdio.h>
#include <string.h>

#include "fmt_private.h"

static void put_int(struct strbuf *sb, json_int_t v)
{
	char buf[24], *p = buf + sizeof(buf);
	/* in unsigned arithmetic, so that the most negative value negates too */
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	sb_putn(sb, p, (size_t)(buf + sizeof(buf) - p));
}

/* As jansson: %.*g (17 digits by default), a ".0" where that reads as an
 * integer, and the exponent without '+' or leading zeros. */
static void put_real(struct strbuf *sb, double v, int precision)
{
	char buf[64], out[72];
	snprintf(buf, sizeof(buf), "%.*g", precision ? precision : 17, v);
	size_t n = 0;
	for (const char *p = buf; *p; p++) {
		out[n++] = *p == ',' ? '.' : *p; /* a locale's decimal comma */
		if (*p != 'e')
			continue;
		if (p[1] == '+')
			p++;
		else if (p[1] == '-')
			out[n++] = *++p;
		while (p[1] == '0' && p[2])
			p++;
	}
	out[n] = '\0';
	if (!strpbrk(out, ".e")) {
		out[n++] = '.';
		out[n++] = '0';
	}
	sb_putn(sb, out, n);
}

static void put_string(struct strbuf *sb, const char *s, size_t n)
{
	sb_putc(sb, '"');
	size_t run = 0; /* bytes since the last escape, copied in one go */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		sb_putn(sb, s + run, i - run);
		run = i + 1;
		char esc[8] = {'\\', 0};
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04X", c);
		}
		sb_puts(sb, esc);
	}
	sb_putn(sb, s + run, n - run);
	sb_putc(sb, '"');
}

static void put_value(struct strbuf *sb, const json_t *j, int precision)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *v;
		bool first = true;
		sb_putc(sb, '{');
		json_object_foreach((json_t *)j, key, v) {
			if (!first)
				sb_putc(sb, ',');
			first = false;
			put_string(sb, key, strlen(key));
			sb_putc(sb, ':');
			put_value(sb, v, precision);
		}
		sb_putc(sb, '}');
		break;
	}
	case JSON_ARRAY:
		sb_putc(sb, '[');
		for (size_t i = 0; i < json_array_size(j); i++) {
			if (i)
				sb_putc(sb, ',');
			put_value(sb, json_array_get(j, i), precision);
		}
		sb_putc(sb, ']');
		break;
	case JSON_STRING:
		put_string(sb, json_string_value(j), json_string_length(j));
		break;
	case JSON_INTEGER:
		put_int(sb, json_integer_value(j));
		break;
	case JSON_REAL:
		put_real(sb, json_real_value(j), precision);
		break;
	case JSON_TRUE:
		sb_puts(sb, "true");
		break;
	case JSON_FALSE:
		sb_puts(sb, "false");
		break;
	case JSON_NULL:
		sb_puts(sb, "null");
		break;
	}
}

void json_dump_sb(struct strbuf *sb, const json_t *j, size_t flags)
{
	/* JSON_REAL_PRECISION(n) keeps n in bits 11 to 15 */
	put_value(sb, j, (int)((flags >> 11) & 0x1F));
}
