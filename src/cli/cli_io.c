/* Reading a whole file for the CLI subcommands. */
#include "cli.h"

#include <stdlib.h>

uint8_t *mg_cli_read_stream(FILE *f, size_t *len)
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
