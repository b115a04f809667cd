/* main.c - nstrace's entry point: parse options, wire the stages, run. */
#include "cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
