/* A bump allocator for the per-step activations and gradients: sized once
 * up front, reset at the start of each step, never freed piece by piece.
 * Allocations are 64-byte aligned (room for SIMD kernels). */
#ifndef MG_ARENA_H
#define MG_ARENA_H

#include <stddef.h>

typedef struct mg_arena {
    float *base;
    size_t cap;  /* floats */
    size_t used; /* floats */
    size_t peak; /* most floats ever in use */
} mg_arena;

/* Allocates room for cap floats; 0 on success, -1 if out of memory. */
int mg_arena_init(mg_arena *a, size_t cap);
void mg_arena_free(mg_arena *a);
void mg_arena_reset(mg_arena *a);
/* n floats, zeroed; NULL if the arena is full (a bug in the sizing). */
float *mg_arena_zeros(mg_arena *a, size_t n);
/* n floats, not zeroed: for buffers the next call overwrites whole (a
 * forward output); NULL if the arena is full. */
float *mg_arena_alloc(mg_arena *a, size_t n);
/* Floats that mg_arena_zeros(n) takes, alignment included. */
size_t mg_arena_cost(size_t n);

#endif
