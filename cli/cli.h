/* cli.h - the command line: options, and the run that wires the stages. */
#ifndef NSTRACE_CLI_H
#define NSTRACE_CLI_H

int cli_main(int argc, char **argv);

#endif
