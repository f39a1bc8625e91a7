/* A growable, always NUL-terminated text buffer (used to build JSON and
 * messages). The owner embeds an mg_buf, starts it zeroed, and calls
 * mg_buf_free when done. On allocation failure the buffer sets `failed`,
 * keeps its previous text, and ignores further appends. */
#ifndef MG_BUF_H
#define MG_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "status.h"

typedef struct mg_buf {
    char *data;   /* NUL-terminated text, or NULL while empty */
    size_t len;
    size_t cap;
    int failed;
} mg_buf;

void mg_buf_clear(mg_buf *b);
void mg_buf_free(mg_buf *b);
void mg_buf_append(mg_buf *b, const char *s, size_t n);
void mg_buf_puts(mg_buf *b, const char *s);
void mg_buf_printf(mg_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void mg_buf_vprintf(mg_buf *b, const char *fmt, va_list ap);
/* The usual failure: replaces err's text (when err is not NULL) with the
 * message and returns st. */
mg_status mg_buf_fail(mg_buf *err, mg_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Appends s as a JSON string literal, quotes included. */
void mg_buf_json_string(mg_buf *b, const char *s);
/* Appends a finite double with full precision (%.17g); non-finite values
 * (which callers must reject earlier) are written as null. */
void mg_buf_json_number(mg_buf *b, double v);
/* The text, or "" when empty. */
const char *mg_buf_str(const mg_buf *b);

#endif
