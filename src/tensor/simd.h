/* The vector type of the fast kernels (gemm.c, conv.c, ops.c), private to
 * src/tensor. GCC/Clang vector extensions: 16 floats with AVX-512, 8 with
 * AVX, 4 otherwise (SSE, WebAssembly SIMD128, or plain scalar code the
 * compiler lowers). Products and sums stay separate operations (the build
 * uses -ffp-contract=off), so a kernel that adds in a fixed order gives the
 * same bits whatever VW is. */
#ifndef MG_SIMD_H
#define MG_SIMD_H

#include <stdint.h>
#include <string.h>

#if defined(__AVX512F__)
#define VW 16
#define SIMD_TARGET "avx512"
#elif defined(__AVX__)
#define VW 8
#define SIMD_TARGET "avx"
#elif defined(__wasm_simd128__)
#define VW 4
#define SIMD_TARGET "wasm-simd128"
#else
#define VW 4
#define SIMD_TARGET "generic-4"
#endif

typedef float vf __attribute__((vector_size(VW * sizeof(float))));
typedef int32_t vi __attribute__((vector_size(VW * sizeof(int32_t))));
/* The same vectors, readable at any float-aligned address. */
typedef float vfu __attribute__((vector_size(VW * sizeof(float)), aligned(sizeof(float))));
typedef int32_t viu __attribute__((vector_size(VW * sizeof(int32_t)), aligned(sizeof(int32_t))));

/* Four lanes whatever VW is (the transposes of gemm's packing). */
typedef float vf4 __attribute__((vector_size(4 * sizeof(float))));
typedef float vf4u __attribute__((vector_size(4 * sizeof(float)), aligned(sizeof(float))));
typedef int32_t vi4 __attribute__((vector_size(4 * sizeof(int32_t))));
typedef int32_t vi4u __attribute__((vector_size(4 * sizeof(int32_t)), aligned(sizeof(int32_t))));

static inline vf vload(const float *p) { return *(const vfu *)p; }
static inline void vstore(float *p, vf v) { *(vfu *)p = v; }
static inline vf vsplat(float x) { return (vf){0} + x; }

/* Lanes [0, n) of p, 0 in the others (0 <= n <= VW); never reads past
 * p + n. vstore_part stores lanes [0, n) of v at p, never past p + n. */
#if defined(__AVX512F__)
#include <immintrin.h>
static inline vf vload_part(const float *p, int n)
{
    return (vf)_mm512_maskz_loadu_ps((__mmask16)((1u << n) - 1), p);
}
static inline void vstore_part(float *p, vf v, int n)
{
    _mm512_mask_storeu_ps(p, (__mmask16)((1u << n) - 1), (__m512)v);
}
#else /* lane by lane: a memcpy of a few bytes is a call in WebAssembly */
static inline vf vload_part(const float *p, int n)
{
    vf v = {0};
    for (int l = 0; l < n; l++)
        v[l] = p[l];
    return v;
}
static inline void vstore_part(float *p, vf v, int n)
{
    for (int l = 0; l < n; l++)
        p[l] = v[l];
}
#endif

/* Whether every lane of m (all ones or all zeros per lane) is set, and
 * whether any is. */
#if defined(__AVX512F__)
static inline int vall(vi m) { return _mm512_test_epi32_mask((__m512i)m, (__m512i)m) == 0xffff; }
static inline int vany(vi m) { return _mm512_test_epi32_mask((__m512i)m, (__m512i)m) != 0; }
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
static inline int vall(vi m) { return wasm_i32x4_all_true((v128_t)m); }
static inline int vany(vi m) { return wasm_v128_any_true((v128_t)m); }
#else
static inline int vall(vi m)
{
    int r = 1;
    for (int l = 0; l < VW; l++)
        r &= m[l] != 0;
    return r;
}
static inline int vany(vi m)
{
    int r = 0;
    for (int l = 0; l < VW; l++)
        r |= m[l] != 0;
    return r;
}
#endif

/* d[0..n) = s[0..n) for buffers that do not overlap, in vectors. */
static inline void vcopy(float *restrict d, const float *restrict s, int n)
{
    int i = 0;
    for (; i + VW <= n; i += VW)
        vstore(d + i, vload(s + i));
    if (i < n)
        vstore_part(d + i, vload_part(s + i, n - i), n - i);
}

/* A shuffle of two 4-lane vectors by constant lane indices (0-3 a, 4-7 b). */
#if defined(__clang__)
#define SHUF4(a, b, i, j, k, l) __builtin_shufflevector(a, b, i, j, k, l)
#else
#define SHUF4(a, b, i, j, k, l) __builtin_shuffle(a, b, (vi4){i, j, k, l})
#endif

/* Transposes the 4x4 block r0..r3 in place. */
#define TRANSPOSE4(r0, r1, r2, r3)                                                         \
    do {                                                                                   \
        vf4 t0_ = SHUF4(r0, r1, 0, 4, 1, 5), t1_ = SHUF4(r0, r1, 2, 6, 3, 7);              \
        vf4 t2_ = SHUF4(r2, r3, 0, 4, 1, 5), t3_ = SHUF4(r2, r3, 2, 6, 3, 7);              \
        r0 = SHUF4(t0_, t2_, 0, 1, 4, 5);                                                  \
        r1 = SHUF4(t0_, t2_, 2, 3, 6, 7);                                                  \
        r2 = SHUF4(t1_, t3_, 0, 1, 4, 5);                                                  \
        r3 = SHUF4(t1_, t3_, 2, 3, 6, 7);                                                  \
    } while (0)

#endif
