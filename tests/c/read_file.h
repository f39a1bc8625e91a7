/* Reads a whole file for a test (the packed digits, the JSON tables). */
#ifndef MG_READ_FILE_H
#define MG_READ_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The bytes of path with a NUL after them (so text can be parsed as a
 * string), their count in *len; NULL if the file cannot be read. The
 * caller frees. */
static inline uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *data = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size >= 0 && fseek(f, 0, SEEK_SET) == 0) {
            data = malloc((size_t)size + 1);
            if (data && fread(data, 1, (size_t)size, f) != (size_t)size) {
                free(data);
                data = NULL;
            }
            if (data)
                data[size] = 0;
            *len = (size_t)size;
        }
    }
    fclose(f);
    return data;
}

#endif
