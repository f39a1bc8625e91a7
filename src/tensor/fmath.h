/* exp, tanh and sigmoid in float, our own: straight-line float arithmetic (no libm,
 * no table, no branch the compiler cannot turn into a select), so loops
 * over them vectorize, and the native and WebAssembly builds (glibc and
 * musl have different expf and tanhf) give the same bits. Accuracy: exp
 * and tanh within 1.5 ulp of the exact value, sigmoid within 2.5 ulp, over
 * the whole float range (tests/c/test_fmath.c sweeps it; the worst it
 * finds: 1.17, 1.41 and 2.33); exp overflows to inf above 88.7228 (ln of
 * the largest float) and flushes to 0 below -87.33 (where the result would
 * be subnormal); NaN gives NaN; tanh keeps the sign of zero. */
#ifndef MG_FMATH_H
#define MG_FMATH_H

#include <stdint.h>
#include <string.h>

/* e^x: x = n ln2 + r with |r| <= ln2/2 (ln2 split in two so n ln2 is
 * exact), e^r by its Taylor polynomial to r^7 (remainder < 6e-9), times
 * 2^n built from the exponent bits. */
static inline float mg_expf(float x)
{
    /* clamped (and NaN replaced by 0, so the conversion to int below is
     * defined; the NaN is returned at the end) */
    float xc = x == x ? x : 0.0f;
    xc = xc > 88.7228317f ? 88.7228317f : xc;
    xc = xc < -87.33f ? -87.33f : xc;
    /* n = xc log2(e) rounded to the nearest integer (ties to even): adding
     * and taking away 1.5 * 2^23 leaves no fraction bits */
    float n = (xc * 1.44269504f + 12582912.0f) - 12582912.0f;
    float r = (xc - n * 0.693359375f) - n * -2.12194440e-4f;
    float p = 1.98412698e-4f; /* 1/7! */
    p = p * r + 1.38888889e-3f;
    p = p * r + 8.33333333e-3f;
    p = p * r + 4.16666667e-2f;
    p = p * r + 1.66666667e-1f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    /* times 2^n in two halves, each a normal float for n in [-126, 128] */
    int32_t ni = (int32_t)n, h = ni >> 1;
    int32_t b1 = (h + 127) << 23, b2 = (ni - h + 127) << 23;
    float s1, s2;
    memcpy(&s1, &b1, sizeof s1);
    memcpy(&s2, &b2, sizeof s2);
    float y = p * s1 * s2;
    y = x > 88.7228317f ? __builtin_inff() : y;
    y = x < -87.33f ? 0.0f : y;
    return x != x ? x : y;
}

/* tanh x: near 0 its odd Taylor series to x^17 (|x| < 0.55, remainder
 * below 1e-8 relative); beyond, sign(x) (1 - 2 / (e^2|x| + 1)), which
 * loses nothing there; 1 beyond 9 (within 1 ulp of tanh there). */
static inline float mg_tanhf(float x)
{
    float a = x < 0 ? -x : x, z = x * x;
    float p = 5.90027441e-4f; /* x^17 */
    p = p * z - 1.45583439e-3f;
    p = p * z + 3.59212804e-3f;
    p = p * z - 8.86323553e-3f;
    p = p * z + 2.18694885e-2f;
    p = p * z - 5.39682540e-2f;
    p = p * z + 1.33333333e-1f;
    p = p * z - 3.33333333e-1f; /* x^3 */
    float small = a == 0.0f ? x : x + x * z * p; /* x itself keeps -0 */
    float e = mg_expf(2.0f * (a > 9.0f ? 9.0f : a));
    float big = 1.0f - 2.0f / (e + 1.0f);
    big = a > 9.0f ? 1.0f : big;
    big = x < 0 ? -big : big;
    return a < 0.55f ? small : big;
}

/* 1 / (1 + e^-x) without overflow: exp of -|x| only. */
static inline float mg_sigmoidf(float x)
{
    float e = mg_expf(x < 0 ? x : -x);
    return x >= 0 ? 1.0f / (1.0f + e) : e / (1.0f + e);
}

#endif
