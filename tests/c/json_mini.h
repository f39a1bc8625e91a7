/* A small JSON reader for test tables shared with the JS tests (such as
 * tests/bad_inputs.json): objects, arrays, strings (all escapes, \u0000
 * included: a string keeps its length), numbers, true, false, null. The
 * whole tree is one allocation per value; json_free releases it. Test code
 * only: on malformed text it returns NULL and says where on stderr. */
#ifndef MG_JSON_MINI_H
#define MG_JSON_MINI_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_type;

typedef struct json {
    json_type type;
    double num;          /* number, or bool as 0/1 */
    char *str;           /* string (NUL-terminated, may hold NULs: see len) */
    size_t len;
    int n;               /* items of an array or object */
    struct json **items;
    char **keys;         /* object keys */
} json;

typedef struct json_reader {
    const char *s, *end;
    int failed;
} json_reader;

static inline void json_free(json *v)
{
    if (!v)
        return;
    for (int i = 0; i < v->n; i++) {
        json_free(v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
    free(v);
}

static inline void json_ws(json_reader *r)
{
    while (r->s < r->end && (*r->s == ' ' || *r->s == '\n' || *r->s == '\r' || *r->s == '\t'))
        r->s++;
}

static inline json *json_fail(json_reader *r, const char *what)
{
    if (!r->failed)
        fprintf(stderr, "json: %s at '%.20s'\n", what, r->s);
    r->failed = 1;
    return NULL;
}

static inline void json_put_utf8(char *out, size_t *n, unsigned c)
{
    if (c < 0x80) {
        out[(*n)++] = (char)c;
    } else if (c < 0x800) {
        out[(*n)++] = (char)(0xc0 | c >> 6);
        out[(*n)++] = (char)(0x80 | (c & 0x3f));
    } else {
        out[(*n)++] = (char)(0xe0 | c >> 12);
        out[(*n)++] = (char)(0x80 | ((c >> 6) & 0x3f));
        out[(*n)++] = (char)(0x80 | (c & 0x3f));
    }
}

/* A string at r->s (just after the quote); *len gets its length. */
static inline char *json_string(json_reader *r, size_t *len)
{
    char *out = malloc((size_t)(r->end - r->s) + 1);
    size_t n = 0;
    while (r->s < r->end && *r->s != '"') {
        char c = *r->s++;
        if (c != '\\') {
            out[n++] = c;
            continue;
        }
        if (r->s >= r->end)
            break;
        c = *r->s++;
        switch (c) {
        case 'n': out[n++] = '\n'; break;
        case 't': out[n++] = '\t'; break;
        case 'r': out[n++] = '\r'; break;
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'u': {
            unsigned u = 0;
            for (int i = 0; i < 4 && r->s < r->end; i++, r->s++)
                u = u * 16 + (unsigned)(*r->s <= '9' ? *r->s - '0' : (*r->s | 0x20) - 'a' + 10);
            json_put_utf8(out, &n, u); /* no surrogate pairs in our tables */
            break;
        }
        default: out[n++] = c; break; /* \" \\ \/ */
        }
    }
    if (r->s >= r->end) {
        free(out);
        json_fail(r, "unterminated string");
        return NULL;
    }
    r->s++;
    out[n] = '\0';
    *len = n;
    return out;
}

static inline json *json_value(json_reader *r, int depth)
{
    json_ws(r);
    if (r->s >= r->end || depth > 64)
        return json_fail(r, "expected a value");
    json *v = calloc(1, sizeof *v);
    char c = *r->s;
    if (c == '{' || c == '[') {
        v->type = c == '{' ? JSON_OBJECT : JSON_ARRAY;
        r->s++;
        json_ws(r);
        if (r->s < r->end && *r->s == (c == '{' ? '}' : ']')) {
            r->s++;
            return v;
        }
        for (;;) {
            v->items = realloc(v->items, (size_t)(v->n + 1) * sizeof *v->items);
            if (c == '{') {
                v->keys = realloc(v->keys, (size_t)(v->n + 1) * sizeof *v->keys);
                json_ws(r);
                size_t kl;
                char *key = r->s < r->end && *r->s == '"' ? (r->s++, json_string(r, &kl)) : NULL;
                json_ws(r);
                if (!key || r->s >= r->end || *r->s != ':') {
                    free(key);
                    json_free(v);
                    return json_fail(r, "expected \"key\":");
                }
                r->s++;
                v->keys[v->n] = key;
            }
            v->items[v->n] = json_value(r, depth + 1);
            if (!v->items[v->n]) {
                if (v->keys)
                    free(v->keys[v->n]);
                json_free(v);
                return NULL;
            }
            v->n++;
            json_ws(r);
            if (r->s < r->end && *r->s == ',') {
                r->s++;
                continue;
            }
            if (r->s < r->end && *r->s == (c == '{' ? '}' : ']')) {
                r->s++;
                return v;
            }
            json_free(v);
            return json_fail(r, "expected ',' or a closing bracket");
        }
    }
    if (c == '"') {
        r->s++;
        v->type = JSON_STRING;
        v->str = json_string(r, &v->len);
        if (!v->str) {
            free(v);
            return NULL;
        }
        return v;
    }
    static const char *const words[] = {"true", "false", "null"};
    for (int i = 0; i < 3; i++) {
        size_t wl = strlen(words[i]);
        if ((size_t)(r->end - r->s) >= wl && memcmp(r->s, words[i], wl) == 0) {
            r->s += wl;
            v->type = i == 2 ? JSON_NULL : JSON_BOOL;
            v->num = i == 0;
            return v;
        }
    }
    char *stop;
    v->num = strtod(r->s, &stop);
    if (stop == r->s) {
        free(v);
        return json_fail(r, "bad value");
    }
    r->s = stop;
    v->type = JSON_NUMBER;
    return v;
}

/* Parses len bytes of text; NULL on malformed text. */
static inline json *json_parse(const char *text, size_t len)
{
    json_reader r = {text, text + len, 0};
    json *v = json_value(&r, 0);
    json_ws(&r);
    if (v && r.s != r.end) {
        json_free(v);
        return json_fail(&r, "trailing text");
    }
    return v;
}

/* The member key of an object, or NULL. */
static inline json *json_get(const json *obj, const char *key)
{
    if (!obj || obj->type != JSON_OBJECT)
        return NULL;
    for (int i = 0; i < obj->n; i++)
        if (strcmp(obj->keys[i], key) == 0)
            return obj->items[i];
    return NULL;
}

/* Conveniences with a default for a missing member. */
static inline double json_num(const json *obj, const char *key, double dflt)
{
    const json *v = json_get(obj, key);
    return v && (v->type == JSON_NUMBER || v->type == JSON_BOOL) ? v->num : dflt;
}

static inline const char *json_str(const json *obj, const char *key, const char *dflt)
{
    const json *v = json_get(obj, key);
    return v && v->type == JSON_STRING ? v->str : dflt;
}

#endif
