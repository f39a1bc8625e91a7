/* PCG32 (O'Neill, pcg-random.org): the one seeded random number generator
 * that all randomness in the C core shares (init, shuffles, datasets,
 * dropout). Same seed, same numbers, natively and in WebAssembly.
 *
 * The state is a plain struct owned by the caller; there is no global RNG. */
#ifndef MG_RNG_H
#define MG_RNG_H

#include <stdint.h>

typedef struct mg_rng {
    uint64_t state;
    uint64_t inc;
} mg_rng;

/* Seeds like pcg32_srandom_r(rng, seed, stream). */
void mg_rng_seed(mg_rng *rng, uint64_t seed, uint64_t stream);
uint32_t mg_rng_u32(mg_rng *rng);
/* Uniform double in [0, 1) with 53 random bits. */
double mg_rng_uniform(mg_rng *rng);
/* Uniform double in [lo, hi). */
double mg_rng_range(mg_rng *rng, double lo, double hi);

/* Uniform integer in 0..bound-1 (bound >= 1) without modulo bias, as
 * pcg32_boundedrand_r. */
uint32_t mg_rng_below(mg_rng *rng, uint32_t bound);
/* Standard normal (Box-Muller; uses two uniforms per call). */
double mg_rng_normal(mg_rng *rng);

#endif
