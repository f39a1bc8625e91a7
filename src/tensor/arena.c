#include "arena.h"

#include <stdlib.h>
#include <string.h>

#define ALIGN_FLOATS 16 /* 64 bytes */

size_t mg_arena_cost(size_t n) { return (n + ALIGN_FLOATS - 1) / ALIGN_FLOATS * ALIGN_FLOATS; }

int mg_arena_init(mg_arena *a, size_t cap)
{
    a->cap = mg_arena_cost(cap);
    a->used = a->peak = 0;
    a->base = a->cap ? aligned_alloc(64, a->cap * sizeof(float)) : NULL;
    return a->cap && !a->base ? -1 : 0;
}

void mg_arena_free(mg_arena *a)
{
    free(a->base);
    a->base = NULL;
    a->cap = a->used = 0;
}

void mg_arena_reset(mg_arena *a) { a->used = 0; }

float *mg_arena_alloc(mg_arena *a, size_t n)
{
    size_t cost = mg_arena_cost(n);
    if (cost > a->cap - a->used)
        return NULL;
    float *p = a->base + a->used;
    a->used += cost;
    if (a->used > a->peak)
        a->peak = a->used;
    return p;
}

float *mg_arena_zeros(mg_arena *a, size_t n)
{
    float *p = mg_arena_alloc(a, n);
    if (p)
        memset(p, 0, n * sizeof *p);
    return p;
}
