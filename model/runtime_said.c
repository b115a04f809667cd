/* runtime_said.c - why a runtime failed, in its own words.
 *
 * runc, crun and youki say why a launch failed on stderr, or in the file given
 * by --log when a shim runs them (containerd: log.json, JSON lines). The model
 * keeps the message of the last error a runtime process wrote there, so that
 * the launch summary can say "runc exited with 1: runc run failed: ... exec:
 * "/bin/nope": no such file or directory" instead of a bare exit code.
 *
 * logrus writes `time="..." level=error msg="..."` (text) or
 * {"level":"error","msg":"...",...} (JSON): the msg is taken and unescaped,
 * and lines of a lower level (warnings) are passed over. A line with no level
 * (a plain "crun: ...") is taken whole.
 */
#include "model_internal.h"

#include <stdio.h>
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

/* Copy the quoted string at s (after its opening quote) into out, unescaping
 * \" \\ \n \t; stops at the closing quote or the end of the text. */
static void unquote(const char *s, char *out, size_t outlen)
{
	size_t n = 0;
	for (; *s && *s != '"' && n + 1 < outlen; s++) {
		char ch = *s;
		if (ch == '\\' && s[1]) {
			s++;
			ch = *s == 'n' ? ' ' : *s == 't' ? ' ' : *s;
		}
		out[n++] = ch;
	}
	out[n] = '\0';
}

/* The value of key in a logfmt (key=value, key="v") or JSON ("key":"v") line,
 * or NULL; for logfmt, whether it was quoted. */
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

/* The message of one line, or false if it is no error. */
static bool line_message(const char *line, char *out, size_t outlen)
{
	bool quoted = false;
	const char *level = field(line, "level", &quoted);
	if (level && !is_error_level(level))
		return false;
	const char *msg = field(line, "msg", &quoted);
	if (level && msg) {
		if (quoted) {
			unquote(msg, out, outlen);
		} else {
			size_t len = strcspn(msg, " ");
			snprintf(out, outlen, "%.*s", (int)len, msg);
		}
		return out[0] != '\0';
	}
	size_t len = strnlen(line, outlen - 1); /* a long line is cut */
	memcpy(out, line, len);
	out[len] = '\0';
	return len > 0;
}

void said_on_write(struct proc *p, const struct ns_event *ev)
{
	char buf[1024];
	if (ev->err || ev->ret <= 0 || ev->unfinished ||
	    !arg_str(ev, "buf", buf, sizeof(buf), NULL))
		return;
	/* one write may carry several lines: the last error among them counts */
	for (char *line = buf, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char msg[sizeof(p->said)];
		if (line_message(line, msg, sizeof(msg)))
			snprintf(p->said, sizeof(p->said), "%s", msg);
	}
}
