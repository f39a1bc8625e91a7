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

/* ---- the same, VW lanes at a time ------------------------------------------
 * Lane for lane the very operations of the functions above, in the same
 * order (selects instead of ?:), so each lane is bit for bit the scalar
 * function's result; whole buffers go through these (ops.c). Two changes
 * of form that keep every bit: exp's n comes from the bits of the rounding
 * sum (n + 1.5 * 2^23 holds n in its low mantissa bits), not from a float
 * to int conversion; and selects are bitwise. */

#include "simd.h"

/* m ? a : b, lane by lane (m all ones or all zeros per lane). */
static inline vf vselect(vi m, vf a, vf b) { return (vf)(((vi)a & m) | ((vi)b & ~m)); }

/* x > c ? c : x and x < c ? c : x. Clang turns these selects into
 * WebAssembly's f32x4.min and max, which V8 lowers to eight x64
 * instructions each (for their NaN rules); pmin and pmax are exactly these
 * selects, one instruction each. */
#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
static inline vf vmin_c(vf x, float c) { return (vf)wasm_f32x4_pmin((v128_t)x, (v128_t)vsplat(c)); }
static inline vf vmax_c(vf x, float c) { return (vf)wasm_f32x4_pmax((v128_t)x, (v128_t)vsplat(c)); }
#else
static inline vf vmin_c(vf x, float c) { return vselect(x > c, vsplat(c), x); }
static inline vf vmax_c(vf x, float c) { return vselect(x < c, vsplat(c), x); }
#endif

static inline vf mg_vexpf(vf x)
{
    vi nan = x != x;
    vf xc = (vf)((vi)x & ~nan); /* NaN -> +0, as (x == x ? x : 0) */
    xc = vmin_c(xc, 88.7228317f);
    xc = vmax_c(xc, -87.33f);
    vf t = xc * 1.44269504f + 12582912.0f;
    vf n = t - 12582912.0f;
    vf r = (xc - n * 0.693359375f) - n * -2.12194440e-4f;
    vf p = vsplat(1.98412698e-4f);
    p = p * r + 1.38888889e-3f;
    p = p * r + 8.33333333e-3f;
    p = p * r + 4.16666667e-2f;
    p = p * r + 1.66666667e-1f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    vi ni = (vi)t - 0x4b400000, h = ni >> 1; /* 0x4b400000: the bits of 1.5 * 2^23 */
    vf s1 = (vf)((h + 127) << 23), s2 = (vf)((ni - h + 127) << 23);
    vf y = p * s1 * s2;
    y = vselect(x > 88.7228317f, vsplat(__builtin_inff()), y);
    y = vselect(x < -87.33f, vsplat(0.0f), y);
    return vselect(nan, x, y);
}

/* tanh's two forms, lane by lane as in mg_tanhf: the series (|x| < 0.55)
 * and the one through exp. */
static inline vf mg_vtanhf_small(vf x, vf a)
{
    vf z = x * x;
    vf p = vsplat(5.90027441e-4f);
    p = p * z - 1.45583439e-3f;
    p = p * z + 3.59212804e-3f;
    p = p * z - 8.86323553e-3f;
    p = p * z + 2.18694885e-2f;
    p = p * z - 5.39682540e-2f;
    p = p * z + 1.33333333e-1f;
    p = p * z - 3.33333333e-1f;
    return vselect(a == 0.0f, x, x + x * z * p);
}

static inline vf mg_vtanhf_big(vf x, vf a)
{
    vf e = mg_vexpf(2.0f * vmin_c(a, 9.0f));
    vf big = 1.0f - 2.0f / (e + 1.0f);
    big = vselect(a > 9.0f, vsplat(1.0f), big);
    return vselect(x < 0.0f, -big, big);
}

/* The form each lane takes is computed only if some lane takes it. */
static inline vf mg_vtanhf(vf x)
{
    vf a = vselect(x < 0.0f, -x, x);
    vi small = a < 0.55f;
    if (vall(small))
        return mg_vtanhf_small(x, a);
    if (!vany(small))
        return mg_vtanhf_big(x, a);
    return vselect(small, mg_vtanhf_small(x, a), mg_vtanhf_big(x, a));
}

static inline vf mg_vsigmoidf(vf x)
{
    vf e = mg_vexpf(vselect(x < 0.0f, x, -x));
    return vselect(x >= 0.0f, 1.0f / (1.0f + e), e / (1.0f + e));
}

#endif
