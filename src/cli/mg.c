/* mg: the native command-line front end of the C core.
 *
 *   mg expr [--json] PROGRAM     evaluate a program, print values and grads
 *   mg train --data D --model S  train a network (cmd_train.c)
 *   mg bench [--json]            time the engines natively (cmd_bench.c)
 *   mg catalog                   every table of names, as JSON
 *
 * Exit status: 0 on success, 1 when the input is wrong (the message says
 * what and where), 2 on a usage error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../api/api.h"
#include "../scalar/expr.h"
#include "cli.h"

static const char usage[] =
    "usage: mg expr [--json] PROGRAM\n"
    "       mg train --data NAME --model SPEC [options]   (mg train --help)\n"
    "       mg bench [--json] [--only LIST]               (mg bench --help)\n"
    "       mg catalog     the settings, losses, optimizers, schedules, activations,\n"
    "                      layers, initializers and datasets, as one JSON object\n"
    "\n"
    "  expr     evaluate an expression program and run backward from the last\n"
    "           assigned name; PROGRAM is one argument, or - to read stdin.\n"
    "           Text mode prints every named value with data and grad (12\n"
    "           significant digits); --json prints one JSON object with full\n"
    "           double precision.\n"
    "\n"
    "example: mg expr 'a = 2; b = -3; c = 10; e = a*b; d = e + c; f = -2; L = d*f'\n";

/* Reads all of stdin, up to limit bytes, into *out (length *len); 0 on
 * success, or -1 with a message. */
static int read_stdin(size_t limit, char **out, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n + 1 >= cap) {
            if (cap > limit + 1) {
                fprintf(stderr, "mg expr: the program on stdin is longer than %zu bytes\n", limit);
                free(buf);
                return -1;
            }
            char *p = realloc(buf, cap * 2);
            if (!p)
                break;
            buf = p;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, stdin);
        n += got;
        if (got == 0) {
            if (ferror(stdin)) {
                fprintf(stderr, "mg expr: cannot read stdin\n");
                free(buf);
                return -1;
            }
            buf[n] = '\0';
            *out = buf;
            *len = n;
            return 0;
        }
    }
    free(buf);
    fprintf(stderr, "mg expr: out of memory reading stdin\n");
    return -1;
}

/* Prints the source line of the error with a caret under the column
 * (lines end with \n, \r\n or \r; tabs are kept so the caret lines up). */
static void show_error_place(const char *src, size_t len, int line, int col)
{
    const char *s = src, *end = src + len;
    for (int l = 1; l < line && s < end; l++) {
        while (s < end && *s != '\n' && *s != '\r')
            s++;
        if (s < end)
            s += *s == '\r' && s + 1 < end && s[1] == '\n' ? 2 : 1;
    }
    if (line <= 0 || s > end)
        return;
    int n = 0;
    while (s + n < end && s[n] != '\n' && s[n] != '\r')
        n++;
    if (n > 200 || col < 1 || col > n + 1)
        return;
    fprintf(stderr, "%5d | %.*s\n      | ", line, n, s);
    for (int i = 0; i < col - 1; i++)
        fputc(s[i] == '\t' ? '\t' : ' ', stderr);
    fputs("^\n", stderr);
}

static void print_table(mg_program *p)
{
    mg_graph *g = mg_program_graph(p);
    int w = 4;
    for (int i = 0; i < mg_program_nbindings(p); i++) {
        int n = (int)strlen(mg_program_binding(p, i)->name);
        if (n > w)
            w = n;
    }
    printf("%4s  %-*s  %-20s  %s\n", "line", w, "name", "data", "grad");
    for (int i = 0; i < mg_program_nbindings(p); i++) {
        const mg_binding *b = mg_program_binding(p, i);
        printf("%4d  %-*s  %-20.12g  %.12g%s\n", b->line, w, b->name,
               mg_graph_data(g, b->node), mg_graph_grad(g, b->node), b->is_leaf ? "  (leaf)" : "");
    }
    printf("output %s = %.12g (%ld nodes)\n", mg_program_output_name(p),
           mg_graph_data(g, mg_program_output(p)), (long)mg_graph_size(g));
}

static int cmd_expr(int argc, char **argv)
{
    int json = 0;
    const char *arg = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            fprintf(stderr, "mg expr: unknown option '%s'\n%s", argv[i], usage);
            return 2;
        } else if (arg) {
            fprintf(stderr,
                    "mg expr: give the program as one argument (quote it); "
                    "found a second argument '%s'\n",
                    argv[i]);
            return 2;
        } else {
            arg = argv[i];
        }
    }
    if (!arg) {
        fprintf(stderr, "mg expr: missing PROGRAM\n%s", usage);
        return 2;
    }
    char *owned = NULL;
    size_t len = strlen(arg);
    if (strcmp(arg, "-") == 0) {
        if (read_stdin(MG_EXPR_MAX_SOURCE, &owned, &len))
            return 1;
        arg = owned; /* may hold NUL bytes: the parser reports them */
    }
    mg_program *p = mg_program_create(0);
    if (!p) {
        fprintf(stderr, "mg expr: out of memory\n");
        free(owned);
        return 1;
    }
    int rc = 0;
    if (mg_program_run_len(p, arg, len) != MG_OK) {
        fprintf(stderr, "mg expr: %s\n", mg_program_error(p));
        show_error_place(arg, len, mg_program_error_line(p), mg_program_error_col(p));
        rc = 1;
    } else if (json) {
        const char *out = mg_program_json(p);
        if (out) {
            puts(out);
        } else {
            fprintf(stderr, "mg expr: out of memory writing JSON\n");
            rc = 1;
        }
    } else {
        print_table(p);
    }
    mg_program_free(p);
    free(owned);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "mg expr: cannot write the output\n");
        rc = 1;
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "expr") == 0)
        return cmd_expr(argc - 2, argv + 2);
    if (strcmp(argv[1], "train") == 0)
        return mg_cmd_train(argc - 2, argv + 2);
    if (strcmp(argv[1], "bench") == 0)
        return mg_cmd_bench(argc - 2, argv + 2);
    if (strcmp(argv[1], "catalog") == 0) {
        const char *c = mg_api_catalog();
        if (!c) {
            fprintf(stderr, "mg catalog: out of memory\n");
            return 1;
        }
        puts(c);
        return 0;
    }
    fprintf(stderr, "mg: unknown command '%s'\n%s", argv[1], usage);
    return 2;
}
