/* cli.c - cli_main: options, then the run (being written). */
#include "cli.h"

#include <stdio.h>

#include "options.h"

int cli_main(int argc, char **argv)
{
	struct options o;
	char err[256];
	if (options_parse(&o, argc, argv, err, sizeof(err)) < 0) {
		fprintf(stderr, "nstrace: %s\n", err);
		return 2;
	}
	fputs(options_usage(), stdout);
	return 0;
}
