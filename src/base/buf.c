#include "buf.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(mg_buf *b, size_t extra)
{
    if (b->failed)
        return 0;
    if (b->len + extra + 1 <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return 0;
    }
    b->data = p;
    b->cap = cap;
    return 1;
}

void mg_buf_clear(mg_buf *b)
{
    b->len = 0;
    b->failed = 0;
    if (b->data)
        b->data[0] = '\0';
}

void mg_buf_free(mg_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

void mg_buf_append(mg_buf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void mg_buf_puts(mg_buf *b, const char *s)
{
    mg_buf_append(b, s, strlen(s));
}

void mg_buf_vprintf(mg_buf *b, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    if (n >= 0 && reserve(b, (size_t)n)) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
        b->len += (size_t)n;
    }
    va_end(again);
}

void mg_buf_printf(mg_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mg_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void mg_buf_json_string(mg_buf *b, const char *s)
{
    mg_buf_append(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': mg_buf_puts(b, "\\\""); break;
        case '\\': mg_buf_puts(b, "\\\\"); break;
        case '\n': mg_buf_puts(b, "\\n"); break;
        case '\r': mg_buf_puts(b, "\\r"); break;
        case '\t': mg_buf_puts(b, "\\t"); break;
        default:
            if (*p < 0x20)
                mg_buf_printf(b, "\\u%04x", *p);
            else
                mg_buf_append(b, (const char *)p, 1);
        }
    }
    mg_buf_append(b, "\"", 1);
}

void mg_buf_json_number(mg_buf *b, double v)
{
    if (!isfinite(v))
        mg_buf_puts(b, "null");
    else
        mg_buf_printf(b, "%.17g", v);
}

const char *mg_buf_str(const mg_buf *b)
{
    return b->data ? b->data : "";
}

mg_status mg_buf_fail(mg_buf *err, mg_status st, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        mg_buf_clear(err);
        mg_buf_vprintf(err, fmt, ap);
        va_end(ap);
    }
    return st;
}
