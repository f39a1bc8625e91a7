/* The subcommands of the mg CLI, each in its own file. Each returns the
 * process exit status: 0 ok, 1 bad input, 2 usage error. */
#ifndef MG_CLI_H
#define MG_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../data/data.h"

int mg_cmd_train(int argc, char **argv);
int mg_cmd_bench(int argc, char **argv);

/* A whole file (a name ending in .gz through gzip) in a buffer the caller
 * frees; -1 after saying on stderr, as command cmd, what went wrong. */
int mg_cli_read_file(const char *cmd, const char *path, uint8_t **out, size_t *len);
/* An MNIST images + labels pair of IDX files (.gz or not) into out; -1
 * after saying what is wrong with which file. */
int mg_cli_load_mnist(const char *cmd, const char *images, const char *labels, mg_dataset *out);

#endif
