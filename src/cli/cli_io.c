/* Files for the CLI subcommands: whole files (gzip too) and MNIST pairs. */
#define _POSIX_C_SOURCE 200809L /* popen */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Everything left in f (up to 2 GiB) in a buffer the caller frees, or
 * NULL if memory runs out or reading fails; *len gets the size. */
static uint8_t *read_stream(FILE *f, size_t *len)
{
    size_t cap = 1 << 20, used = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        if (used == cap) {
            uint8_t *p = cap < ((size_t)1 << 31) ? realloc(buf, cap * 2) : NULL;
            if (!p) {
                free(buf);
                return NULL;
            }
            buf = p;
            cap *= 2;
        }
        size_t got = fread(buf + used, 1, cap - used, f);
        used += got;
        if (got == 0)
            break;
    }
    if (buf && ferror(f)) {
        free(buf);
        return NULL;
    }
    *len = used;
    return buf;
}

int mg_cli_read_file(const char *cmd, const char *path, uint8_t **out, size_t *len)
{
    size_t n = strlen(path);
    FILE *f;
    int gz = n > 3 && strcmp(path + n - 3, ".gz") == 0;
    if (gz) {
        if (strchr(path, '\'')) {
            fprintf(stderr, "%s: cannot decompress a file whose name has a quote: %s\n", cmd, path);
            return -1;
        }
        char line[4200];
        if (n > 4000)
            return -1;
        snprintf(line, sizeof line, "gzip -dc -- '%s'", path);
        f = popen(line, "r");
    } else {
        f = fopen(path, "rb");
    }
    if (!f) {
        fprintf(stderr, "%s: cannot open %s: %s\n", cmd, path, strerror(errno));
        return -1;
    }
    size_t used = 0;
    uint8_t *buf = read_stream(f, &used);
    int rc = gz ? pclose(f) : fclose(f);
    if (!buf || rc != 0) {
        fprintf(stderr, "%s: cannot read %s%s\n", cmd, path,
                gz ? " (is it a gzip file, and is gzip installed?)" : "");
        free(buf);
        return -1;
    }
    *out = buf;
    *len = used;
    return 0;
}

int mg_cli_load_mnist(const char *cmd, const char *images, const char *labels, mg_dataset *out)
{
    uint8_t *ib = NULL, *lb = NULL;
    size_t il = 0, ll = 0;
    int rc = -1;
    mg_buf err = {0};
    if (mg_cli_read_file(cmd, images, &ib, &il) == 0 &&
        mg_cli_read_file(cmd, labels, &lb, &ll) == 0) {
        if (mg_mnist_from_idx(ib, il, lb, ll, out, &err) == MG_OK)
            rc = 0;
        else
            fprintf(stderr, "%s: %s, %s: %s\n", cmd, images, labels, mg_buf_str(&err));
    }
    free(ib);
    free(lb);
    mg_buf_free(&err);
    return rc;
}
