/* The subcommands of the mg CLI, each in its own file. Each returns the
 * process exit status: 0 ok, 1 bad input, 2 usage error. */
#ifndef MG_CLI_H
#define MG_CLI_H

#include <stdint.h>
#include <stdio.h>

int mg_cmd_train(int argc, char **argv);
int mg_cmd_bench(int argc, char **argv);

/* Everything left in f (read up to 2 GiB), in a buffer the caller frees,
 * or NULL if memory runs out or reading fails; *len gets the size. */
uint8_t *mg_cli_read_stream(FILE *f, size_t *len);

#endif
