/* Our float exp, tanh and sigmoid (src/tensor/fmath.h) against libm's
 * double exp and tanh rounded to float: every float in [-100, 100] at a
 * stride, plus the special values. The bars are the ones fmath.h and the
 * README state: 1.5 ulp for exp and tanh, 2.5 for sigmoid (ulp of the exact
 * value), with exp's documented flush below -87.33 (which sigmoid, e^x / (1
 * + e^x) there, follows). And the vector forms (mg_vexpf, mg_vtanhf,
 * mg_vsigmoidf) against the scalar ones, bit for bit, over the whole float
 * range (NaN, infinities and subnormals included). */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "tensor/fmath.h"

/* |got - want| in units of the last place of want (as a float). */
static double ulps(float got, double want)
{
    float w = (float)want;
    double ulp = nextafterf(fabsf(w), INFINITY) - fabsf(w);
    return fabs((double)got - want) / ulp;
}

static uint32_t bits_of(float x)
{
    uint32_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

/* Every float at a stride (and the specials), through the vector and the
 * scalar form of each function: the same bits. */
static void vector_forms_match(void)
{
    static const float specials[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, -NAN, 1e-45f,
                                     -1e-45f, FLT_MIN, 88.7228317f, 88.73f, -87.33f, -87.34f,
                                     0.55f, -0.55f, 0.5499999f, 9.0f, -9.0f, 9.000001f, 1e-30f};
    enum { NS = sizeof specials / sizeof *specials };
    long bad[3] = {0}, n = 0;
    float x[VW];
    int k = 0;
    for (uint64_t b = 0; b < (1ull << 32) + NS * 101; b += 101) {
        if (b < (1ull << 32)) {
            uint32_t v = (uint32_t)b;
            memcpy(&x[k], &v, sizeof v);
        } else {
            x[k] = specials[(b - (1ull << 32)) / 101];
        }
        if (++k < VW)
            continue;
        k = 0;
        vf vx = vload(x), r[3] = {mg_vexpf(vx), mg_vtanhf(vx), mg_vsigmoidf(vx)};
        for (int l = 0; l < VW; l++) {
            float s[3] = {mg_expf(x[l]), mg_tanhf(x[l]), mg_sigmoidf(x[l])};
            for (int f = 0; f < 3; f++) {
                if (bits_of(r[f][l]) != bits_of(s[f]) && bad[f]++ < 3)
                    fprintf(stderr, "  %s(%.9g): vector %.9g, scalar %.9g\n",
                            f == 0 ? "exp" : f == 1 ? "tanh" : "sigmoid", x[l], r[f][l], s[f]);
            }
            n++;
        }
    }
    printf("%ld values through the %d-lane forms: %ld exp, %ld tanh, %ld sigmoid differ\n", n, VW,
           bad[0], bad[1], bad[2]);
    CHECK(bad[0] == 0 && bad[1] == 0 && bad[2] == 0);
}

int main(void)
{
    vector_forms_match();
    double worst_exp = 0, worst_tanh = 0, worst_sig = 0;
    float at_exp = 0, at_tanh = 0, at_sig = 0;
    long n = 0;
    /* every 61st float from -100 to 100 (all exponents, random-ish
     * mantissas), about 35 million values per function */
    for (uint32_t b = 0; b < 0x42c80000u; b += 61) {
        for (int sign = 0; sign < 2; sign++) {
            float x;
            uint32_t v = b | (sign ? 0x80000000u : 0);
            memcpy(&x, &v, sizeof x);
            n++;
            if (x > -87.33f) {
                double e = ulps(mg_expf(x), exp((double)x));
                if (e > worst_exp && isfinite(exp((double)x)) && exp((double)x) <= FLT_MAX)
                    worst_exp = e, at_exp = x;
            }
            double t = ulps(mg_tanhf(x), tanh((double)x));
            if (t > worst_tanh)
                worst_tanh = t, at_tanh = x;
            double sig = 1.0 / (1.0 + exp(-(double)x));
            if (x > -87.33f) {
                double e = ulps(mg_sigmoidf(x), sig);
                if (e > worst_sig)
                    worst_sig = e, at_sig = x;
            }
        }
    }
    printf("%ld values: exp worst %.2f ulp at %.9g, tanh worst %.2f ulp at %.9g, sigmoid worst "
           "%.2f ulp at %.9g\n",
           n, worst_exp, at_exp, worst_tanh, at_tanh, worst_sig, at_sig);
    CHECK(worst_exp <= 1.5);
    CHECK(worst_tanh <= 1.5);
    CHECK(worst_sig <= 2.5);

    /* special values */
    CHECK(mg_expf(0.0f) == 1.0f);
    CHECK(mg_expf(-0.0f) == 1.0f);
    CHECK(isinf(mg_expf(89.0f)) && mg_expf(89.0f) > 0);
    CHECK(isinf(mg_expf(INFINITY)));
    CHECK(mg_expf(-INFINITY) == 0.0f);
    CHECK(mg_expf(-88.0f) == 0.0f); /* flushed (exact: 6e-39, subnormal) */
    CHECK(isnan(mg_expf(NAN)));
    CHECK(mg_tanhf(0.0f) == 0.0f);
    CHECK(bits_of(mg_tanhf(-0.0f)) == bits_of(-0.0f));
    CHECK(mg_tanhf(INFINITY) == 1.0f);
    CHECK(mg_tanhf(-INFINITY) == -1.0f);
    CHECK(mg_tanhf(20.0f) == 1.0f);
    CHECK(mg_tanhf(1e-30f) == 1e-30f);
    CHECK(isnan(mg_tanhf(NAN)));
    CHECK(mg_sigmoidf(0.0f) == 0.5f);
    CHECK(mg_sigmoidf(INFINITY) == 1.0f);
    CHECK(mg_sigmoidf(-INFINITY) == 0.0f);
    CHECK(mg_sigmoidf(-100.0f) == 0.0f); /* e^-100 is flushed (exp's flush) */
    CHECK(isnan(mg_sigmoidf(NAN)));
    /* odd */
    for (float x = 0.001f; x < 12; x *= 1.37f)
        CHECK(mg_tanhf(-x) == -mg_tanhf(x));
    return check_done("test_fmath");
}
