/* PCG32 against the reference output of pcg-c-basic's pcg32-demo
 * (pcg32_srandom_r(&rng, 42u, 54u)), and the uniform helpers' ranges. */
#include "base/rng.h"
#include "check.h"

int main(void)
{
    static const uint32_t want[6] = {0xa15c02b7u, 0x7b47f409u, 0xba1d3330u,
                                     0x83d2f293u, 0xbfa4784bu, 0xcbed606eu};
    mg_rng rng;
    mg_rng_seed(&rng, 42u, 54u);
    for (int i = 0; i < 6; i++)
        CHECK_INT(mg_rng_u32(&rng), want[i]);

    mg_rng a, b;
    mg_rng_seed(&a, 7, 1);
    mg_rng_seed(&b, 7, 1);
    double sum = 0, lo = 1, hi = 0;
    for (int i = 0; i < 100000; i++) {
        double u = mg_rng_uniform(&a);
        CHECK_NEAR(u, mg_rng_uniform(&b), 0); /* same seed, same numbers */
        if (u < lo)
            lo = u;
        if (u > hi)
            hi = u;
        sum += u;
        double r = mg_rng_range(&a, -1.0, 1.0);
        mg_rng_range(&b, -1.0, 1.0);
        if (r < -1.0 || r >= 1.0)
            CHECK(r >= -1.0 && r < 1.0);
    }
    CHECK(lo >= 0.0 && lo < 1e-3 && hi < 1.0 && hi > 1 - 1e-3);
    CHECK_NEAR(sum / 100000, 0.5, 0.005);
    return check_done("test_rng");
}
