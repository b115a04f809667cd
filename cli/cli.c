/* cli.c - cli_main: parse the options, answer --help/--version, run the trace. */
#include "cli.h"

#include <stdio.h>

#include "options.h"
#include "pipeline.h"

int cli_main(int argc, char **argv)
{
	struct options o;
	char err[512];
	if (options_parse(&o, argc, argv, err, sizeof(err)) < 0) {
		fprintf(stderr, "nstrace: %s\n", err);
		return EXIT_USAGE;
	}
	if (o.help) {
		fputs(options_usage(), stdout);
		return EXIT_OK;
	}
	if (o.version) {
		printf("nstrace %s\n", NSTRACE_VERSION);
		return EXIT_OK;
	}
	return pipeline_run(&o);
}
