/* runtime_said.c - why a runtime failed, in its own words.
 *
 * runc, crun and youki say why a launch failed on stderr, or in the file given
 * by --log when a shim runs them (containerd: log.json, JSON lines). The model
 * keeps the message of the last error a runtime process wrote there, so that
 * the launch summary can say "runc exited with 1: runc run failed: ... exec:
 * "/bin/nope": no such file or directory" instead of a bare exit code. The
 * pipeline hands over what such a write wrote (model_runtime_wrote), whole:
 * the event's own buffer is cut at -s when write is shown.
 *
 * Lines are read as logrus writes them:
 *   time="..." level=error msg="..."          (text, not a terminal)
 *   {"level":"error","msg":"...",...}          (JSON, --log-format json)
 *   ERRO[0000] runc run failed: ...             (text on a terminal, coloured)
 * The msg of a line of level error, fatal or panic is kept; lines of a lower
 * level are passed over. A line with no level (crun's "crun: ...") is kept
 * whole, but never over a message a line with a level gave.
 */
#include "model_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool said_watches(const struct proc *p, int fd)
{
	if (p->role != ROLE_RUNTIME)
		return false;
	if (fd == 2)
		return true;
	for (size_t i = 0; i < p->nwatch; i++)
		if (p->watch[i].fd == fd && p->watch[i].what == WATCH_LOG)
			return true;
	return false;
}

/* The value of a \uXXXX escape at s (after the u), or -1. */
static int hex4(const char *s)
{
	char h[5] = {0};
	for (int i = 0; i < 4; i++) {
		if (!s[i] || !strchr("0123456789abcdefABCDEF", s[i]))
			return -1;
		h[i] = s[i];
	}
	return (int)strtol(h, NULL, 16);
}

/* Copy the quoted string at s (after its opening quote) into out, unescaping
 * \" \\ \n \t and \u00XX (JSON's <, >, &); stops at the closing quote or at
 * the end of the text. */
static void unquote(const char *s, char *out, size_t outlen)
{
	size_t n = 0;
	for (; *s && *s != '"' && n + 1 < outlen; s++) {
		char ch = *s;
		if (ch == '\\' && s[1]) {
			s++;
			int u = *s == 'u' ? hex4(s + 1) : -1;
			if (u >= 0x20 && u < 0x7f) {
				ch = (char)u;
				s += 4;
			} else {
				ch = *s == 'n' || *s == 't' ? ' ' : *s;
			}
		}
		out[n++] = ch;
	}
	out[n] = '\0';
}

/* The value of key in a logfmt (key=value, key="v") or JSON ("key":"v") line,
 * or NULL; whether it was quoted. */
static const char *field(const char *line, const char *key, bool *quoted)
{
	char pat[32];
	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	const char *v = strstr(line, pat);
	if (v) {
		*quoted = true;
		return v + strlen(pat);
	}
	snprintf(pat, sizeof(pat), "%s=", key);
	for (v = strstr(line, pat); v; v = strstr(v + 1, pat)) {
		if (v != line && v[-1] != ' ')
			continue; /* inside another key or value */
		v += strlen(pat);
		*quoted = *v == '"';
		return *quoted ? v + 1 : v;
	}
	return NULL;
}

static bool is_error_level(const char *v)
{
	static const char *const levels[] = {"error", "fatal", "panic"};
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (!strncmp(v, levels[i], strlen(levels[i])))
			return true;
	return false;
}

/* The line without terminal colours (ESC [ ... m). */
static void strip_colours(const char *in, char *out, size_t outlen)
{
	size_t n = 0;
	for (; *in && n + 1 < outlen; in++) {
		if (in[0] == '\033' && in[1] == '[') {
			in += 2;
			while (*in && *in != 'm')
				in++;
			if (!*in)
				break;
			continue;
		}
		out[n++] = *in;
	}
	out[n] = '\0';
}

enum said_kind { SAID_NONE, SAID_PLAIN, SAID_LEVELED };

/* What one line says: an error's message (leveled), a plain line, or nothing. */
static enum said_kind line_message(const char *raw, char *out, size_t outlen)
{
	char line[1024];
	strip_colours(raw, line, sizeof(line));
	/* logrus on a terminal: "ERRO[0000] message" */
	static const char *const tty_errors[] = {"ERRO[", "FATA[", "PANI["};
	static const char *const tty_others[] = {"WARN[", "INFO[", "DEBU[", "TRAC["};
	for (size_t i = 0; i < sizeof(tty_others) / sizeof(tty_others[0]); i++)
		if (!strncmp(line, tty_others[i], 5))
			return SAID_NONE;
	for (size_t i = 0; i < sizeof(tty_errors) / sizeof(tty_errors[0]); i++) {
		const char *end = strchr(line, ']');
		if (strncmp(line, tty_errors[i], 5) || !end)
			continue;
		end += strspn(end + 1, " ") + 1;
		snprintf(out, outlen, "%s", end);
		return out[0] ? SAID_LEVELED : SAID_NONE;
	}
	bool quoted = false;
	const char *level = field(line, "level", &quoted);
	if (level && !is_error_level(level))
		return SAID_NONE;
	const char *msg = field(line, "msg", &quoted);
	if (level && msg) {
		if (quoted) {
			unquote(msg, out, outlen);
		} else {
			size_t len = strcspn(msg, " ");
			snprintf(out, outlen, "%.*s", (int)len, msg);
		}
		return out[0] ? SAID_LEVELED : SAID_NONE;
	}
	size_t len = strnlen(line, outlen - 1); /* a long line is cut */
	memcpy(out, line, len);
	out[len] = '\0';
	return len ? SAID_PLAIN : SAID_NONE;
}

void said_on_text(struct proc *p, const char *text, size_t len)
{
	char buf[1024];
	len = len < sizeof(buf) - 1 ? len : sizeof(buf) - 1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	/* one write may carry several lines: the last error among them counts */
	for (char *line = buf, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char msg[sizeof(p->said)];
		enum said_kind k = line_message(line, msg, sizeof(msg));
		if (k == SAID_NONE || (k == SAID_PLAIN && p->said_leveled))
			continue;
		snprintf(p->said, sizeof(p->said), "%s", msg);
		p->said_leveled = k == SAID_LEVELED;
	}
}
