/* The subcommands of the mg CLI, each in its own file. Each returns the
 * process exit status: 0 ok, 1 bad input, 2 usage error. */
#ifndef MG_CLI_H
#define MG_CLI_H

int mg_cmd_train(int argc, char **argv);
int mg_cmd_bench(int argc, char **argv);

#endif
