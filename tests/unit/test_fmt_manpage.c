/* test_fmt_manpage.c - the man page (docs/nstrace.1) and --help keep up with
 * the option parser: every long option of cli/options.c, and every short one,
 * is in the man page, with an example line.
 */
#include "test_fmt_util.h"

static char *slurp(const char *root, const char *rel)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	FILE *f = fopen(path, "r");
	cr_assert(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *buf = calloc(1, (size_t)n + 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/* "--no-daemon" as groff spells it in the page: "\-\-no\-daemon". */
static void groff_dashes(char *out, size_t len, const char *opt)
{
	size_t o = 0;
	for (const char *p = opt; *p && o + 3 < len; p++) {
		if (*p == '-')
			out[o++] = '\\';
		out[o++] = *p;
	}
	out[o] = '\0';
}

Test(fmt_manpage, every_option_is_documented)
{
	char *root = source_root();
	char *src = slurp(root, "cli/options.c");
	char *man = slurp(root, "docs/nstrace.1");
	/* long options: the {"name", ...} rows of long_opts[] */
	char *p = strstr(src, "long_opts[]");
	cr_assert(p, "no long_opts[] in cli/options.c");
	char *end = strstr(p, "{NULL");
	cr_assert(end);
	size_t n = 0;
	while ((p = strstr(p, "{\"")) && p < end) {
		p += 2;
		char name[64], opt[70], groff[160];
		size_t len = strcspn(p, "\"");
		cr_assert(len < sizeof(name));
		memcpy(name, p, len);
		name[len] = '\0';
		if (strcmp(name, "colour") == 0) /* the British spelling is an alias */
			continue;
		snprintf(opt, sizeof(opt), "--%s", name);
		groff_dashes(groff, sizeof(groff), opt);
		cr_assert(strstr(man, groff), "option %s is not in docs/nstrace.1", opt);
		n++;
	}
	cr_assert(n >= 15, "only %zu long options found: did options.c change shape?", n);
	/* short options: the getopt string */
	p = strstr(src, "getopt_long(argc, argv, \"");
	cr_assert(p);
	p += strlen("getopt_long(argc, argv, \"");
	for (; *p != '"'; p++) {
		if (*p == '+' || *p == ':')
			continue;
		char groff[8] = {'\\', '-', *p, '\0'};
		cr_assert(strstr(man, groff), "option -%c is not in docs/nstrace.1", *p);
	}
	/* one example per option: as many "Example:" lines as options listed */
	size_t examples = 0;
	for (char *q = man; (q = strstr(q, "Example:")); q++)
		examples++;
	cr_assert(examples >= n - 2, "%zu examples for %zu options", examples, n);
	free(src);
	free(man);
	free(root);
}
