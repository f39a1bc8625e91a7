#include "rng.h"

#include <math.h>

uint32_t mg_rng_u32(mg_rng *rng)
{
    uint64_t old = rng->state;
    rng->state = old * 6364136223846793005ULL + rng->inc;
    uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = (uint32_t)(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
}

void mg_rng_seed(mg_rng *rng, uint64_t seed, uint64_t stream)
{
    rng->state = 0u;
    rng->inc = (stream << 1u) | 1u;
    mg_rng_u32(rng);
    rng->state += seed;
    mg_rng_u32(rng);
}

double mg_rng_uniform(mg_rng *rng)
{
    uint64_t hi = mg_rng_u32(rng) >> 5; /* 27 bits */
    uint64_t lo = mg_rng_u32(rng) >> 6; /* 26 bits */
    return (double)((hi << 26) | lo) * (1.0 / 9007199254740992.0);
}

double mg_rng_range(mg_rng *rng, double lo, double hi)
{
    return lo + (hi - lo) * mg_rng_uniform(rng);
}

double mg_rng_normal(mg_rng *rng)
{
    double u1 = 1.0 - mg_rng_uniform(rng); /* (0, 1]: log(u1) is finite */
    double u2 = mg_rng_uniform(rng);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

uint32_t mg_rng_below(mg_rng *rng, uint32_t bound)
{
    uint32_t threshold = (0u - bound) % bound;
    for (;;) {
        uint32_t r = mg_rng_u32(rng);
        if (r >= threshold)
            return r % bound;
    }
}
