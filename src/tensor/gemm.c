/* The blocked, register-tiled float32 matrix product (see gemm.h).
 *
 * Blocking (GotoBLAS / BLIS style):
 *   for each NC block of columns:
 *     for each KC slice of k: pack B's block (KC x NC) into NR-column panels
 *       for each MC block of rows: pack A's block into MR-row micro-panels
 *         for each NR panel, for each MR micro-panel: the micro-kernel
 *         updates an MR x NR tile of C
 * B's block is packed once and used by every block of rows (it sits in the
 * L2 cache, a panel of it in L1 while the rows stream past). The
 * micro-kernel keeps the tile in MR x NV vector registers; each step of k
 * broadcasts one element of A per row and multiplies it into NV vectors of
 * B. Packing pads partial panels with zeros, and tiles at the edges of C
 * go through a small buffer, so the micro-kernel has one shape. Operands
 * stored with k contiguous (inp and weight of a dense layer's forward) are
 * packed with 4x4 in-register transposes.
 *
 * The vector type is simd.h's (16 floats with AVX-512, 4 in WebAssembly).
 * Products and sums are separate operations (the build uses
 * -ffp-contract=off), so the order of rounding is the one gemm.h promises
 * whatever the width. */
#include "gemm.h"

#include <string.h>

#include "simd.h"

#if defined(__AVX512F__)
#define MR_DEFAULT 8
#elif defined(__AVX__)
#define MR_DEFAULT 6
#elif defined(__wasm_simd128__)
#define MR_DEFAULT 4 /* 8 accumulators: V8 keeps them in x64's 16 registers */
#else
#define MR_DEFAULT 6
#endif
/* The register tile, MR rows by NV vectors; -DMG_GEMM_MR=... and
 * -DMG_GEMM_NV=... override it for tuning (the results do not change). */
#ifdef MG_GEMM_MR
#define MR MG_GEMM_MR
#else
#define MR MR_DEFAULT
#endif
#ifdef MG_GEMM_NV
#define NV MG_GEMM_NV
#else
#define NV 2
#endif

#define NR (VW * NV)
/* Cache blocking: B's block (KC x NC) in L2, a panel (KC x NR) in L1;
 * -DMG_GEMM_KC=... etc. override them for tuning. */
#ifndef MG_GEMM_KC
#define MG_GEMM_KC 256
#endif
#ifndef MG_GEMM_MC
#define MG_GEMM_MC (MR * 12)
#endif
#ifndef MG_GEMM_NC
#define MG_GEMM_NC (NR * 8)
#endif
#define KC MG_GEMM_KC
#define MC MG_GEMM_MC
#define NC MG_GEMM_NC

#define STR2(x) #x
#define STR(x) STR2(x)
const char *mg_gemm_describe(void)
{
    return SIMD_TARGET ": " STR(MR) " rows x " STR(NV) " vectors of " STR(VW) " floats, KC " STR(KC);
}

/* ---- operands ---------------------------------------------------------- */

mg_gemm_opnd mg_gemm_strided(const float *p, long sx, long sk)
{
    return (mg_gemm_opnd){.kind = MG_GEMM_STRIDED, .p = p, .sx = sx, .sk = sk};
}

mg_gemm_opnd mg_gemm_image(mg_gemm_kind kind, const float *img, int C, int H, int W, int K,
                           int stride, int pad)
{
    int OW = (W + 2 * pad - K) / stride + 1;
    return (mg_gemm_opnd){.kind = kind, .p = img, .C = C, .H = H, .W = W, .K = K,
                          .stride = stride, .pad = pad, .OW = OW};
}

/* ceil(a / b) for b > 0 and any a. */
static inline int ceil_div(int a, int b) { return a >= 0 ? (a + b - 1) / b : -(-a / b); }

/* Along one output row, the pixels under a kernel tap are one input row
 * read with the stride. For tap (c,kh,kw) and cnt positions from (oh,ow),
 * sets [lo, hi) to the positions inside the image (the others are in the
 * padding) and returns the index in channel c's plane of position 0's
 * pixel: position i reads plane[base + i*stride]. */
static inline long row_span(const mg_gemm_opnd *o, int kh, int kw, int oh, int ow, int cnt, int *lo,
                     int *hi)
{
    int s = o->stride, ih = oh * s - o->pad + kh, iw0 = ow * s - o->pad + kw;
    *lo = *hi = 0;
    if (ih >= 0 && ih < o->H) {
        *lo = iw0 < 0 ? ceil_div(-iw0, s) : 0;
        *hi = ceil_div(o->W - iw0, s);
        *lo = *lo > cnt ? cnt : *lo;
        *hi = *hi > cnt ? cnt : *hi < *lo ? *lo : *hi;
    }
    return (long)ih * o->W + iw0;
}

/* The pixels of image o under kernel tap q = (c,kh,kw) at the npos output
 * positions from pos0 (row-major (oh,ow)), 0 in the padding, written to
 * dst[0], dst[dstride], ... */
static void tap_run(float *dst, long dstride, const mg_gemm_opnd *o, int q, int pos0, int npos)
{
    int K = o->K, s = o->stride, kh = q / K % K, kw = q % K;
    const float *plane = o->p + (long)(q / (K * K)) * o->H * o->W;
    for (int oh = pos0 / o->OW, ow = pos0 % o->OW; npos > 0; oh++, ow = 0) {
        int cnt = o->OW - ow < npos ? o->OW - ow : npos, lo, hi, i = 0;
        long base = row_span(o, kh, kw, oh, ow, cnt, &lo, &hi);
        for (; i < lo; i++)
            dst[i * dstride] = 0.0f;
        for (; i < hi; i++)
            dst[i * dstride] = plane[base + (long)i * s];
        for (; i < cnt; i++)
            dst[i * dstride] = 0.0f;
        dst += cnt * dstride;
        npos -= cnt;
    }
}

void mg_gemm_col2im_add(float *img, const mg_gemm_opnd *geom, const float *cols, int q0,
                        int nq, int pos0, int npos)
{
    int K = geom->K, s = geom->stride;
    for (int r = 0; r < nq; r++) {
        int q = q0 + r, kh = q / K % K, kw = q % K, left = npos;
        float *plane = img + (long)(q / (K * K)) * geom->H * geom->W;
        const float *src = cols + (long)r * npos;
        for (int oh = pos0 / geom->OW, ow = pos0 % geom->OW; left > 0; oh++, ow = 0) {
            int cnt = geom->OW - ow < left ? geom->OW - ow : left, lo, hi;
            long base = row_span(geom, kh, kw, oh, ow, cnt, &lo, &hi);
            for (int i = lo; i < hi; i++)
                plane[base + (long)i * s] += src[i];
            src += cnt;
            left -= cnt;
        }
    }
}

/* Four by four through registers. */
void mg_gemm_transpose(float *restrict dst, int ld, const float *restrict p, long sx, int nx,
                       int kc)
{
    int x = 0;
    for (; x + 4 <= nx; x += 4) {
        const float *s0 = p + x * sx, *s1 = s0 + sx, *s2 = s1 + sx, *s3 = s2 + sx;
        int k = 0;
        for (; k + 4 <= kc; k += 4) {
            vf4 r0 = *(const vf4u *)(s0 + k), r1 = *(const vf4u *)(s1 + k);
            vf4 r2 = *(const vf4u *)(s2 + k), r3 = *(const vf4u *)(s3 + k);
            TRANSPOSE4(r0, r1, r2, r3);
            *(vf4u *)(dst + (k + 0) * ld + x) = r0;
            *(vf4u *)(dst + (k + 1) * ld + x) = r1;
            *(vf4u *)(dst + (k + 2) * ld + x) = r2;
            *(vf4u *)(dst + (k + 3) * ld + x) = r3;
        }
        for (; k < kc; k++) {
            float *d = dst + k * ld + x;
            d[0] = s0[k], d[1] = s1[k], d[2] = s2[k], d[3] = s3[k];
        }
    }
    for (; x < nx; x++)
        for (int k = 0; k < kc; k++)
            dst[k * ld + x] = p[x * sx + k];
}

/* dst[k*ld + x] = X(x0+x, k0+k) for x < nx and k < kc; 0 for nx <= x < ld.
 * Inlined with ld a constant (MR or NR), so that rows of a few floats are
 * copied by unrolled vector moves (clang turns a copy loop into a memcpy
 * call, costly in WebAssembly for 32 bytes). */
static inline __attribute__((always_inline)) void pack(float *dst, int ld, const mg_gemm_opnd *o,
                                                       int x0, int nx, int k0, int kc)
{
    if (nx < ld)
        memset(dst, 0, (size_t)kc * ld * sizeof *dst);
    switch (o->kind) {
    case MG_GEMM_STRIDED:
        if (o->sk == 1 && o->sx != 1) {
            mg_gemm_transpose(dst, ld, o->p + k0 + x0 * o->sx, o->sx, nx, kc);
            break;
        }
        for (int k = 0; k < kc; k++) {
            const float *src = o->p + (k0 + k) * o->sk + x0 * o->sx;
            float *d = dst + k * ld;
            if (o->sx == 1) {
#pragma GCC unroll 8
                for (int v = 0; v < ld; v += VW) {
                    if (nx - v >= VW)
                        vstore(d + v, vload(src + v));
                    else if (nx > v)
                        vstore_part(d + v, vload_part(src + v, nx - v), nx - v);
                }
            } else
                for (int x = 0; x < nx; x++)
                    d[x] = src[x * o->sx];
        }
        break;
    case MG_GEMM_IM2COL: /* x = pos, k = q: one tap across positions per row */
        for (int k = 0; k < kc; k++)
            tap_run(dst + k * ld, 1, o, k0 + k, x0, nx);
        break;
    case MG_GEMM_COL2IM_T: /* x = q, k = pos: the same runs, written down columns */
        for (int x = 0; x < nx; x++)
            tap_run(dst + x, ld, o, x0 + x, k0, kc);
        break;
    case MG_GEMM_OPND_COUNT: break;
    }
}

/* ---- the micro-kernel -------------------------------------------------- */

/* c (MR,NR), row stride ldc, = its start + a (kc,MR packed) @ b (kc,NR
 * packed), where the start is c's contents (ACCUMULATE), bias[r] on row r
 * (BIAS_ROW), bias[j] in column j (BIAS_COL) or 0; bias points at the
 * tile's first row or column. */
static void kernel(int kc, const float *restrict a, const float *restrict b, float *restrict c,
                   long ldc, mg_gemm_init init, const float *bias)
{
    vf acc[MR][NV];
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 4
        for (int v = 0; v < NV; v++)
            acc[r][v] = init == MG_GEMM_ACCUMULATE ? vload(c + r * ldc + v * VW)
                        : init == MG_GEMM_BIAS_ROW ? vsplat(bias[r])
                        : init == MG_GEMM_BIAS_COL ? vload(bias + v * VW)
                                                   : vsplat(0.0f);
    for (int k = 0; k < kc; k++) {
        vf bv[NV];
#pragma GCC unroll 4
        for (int v = 0; v < NV; v++)
            bv[v] = *(const vf *)(b + v * VW);
#pragma GCC unroll 16
        for (int r = 0; r < MR; r++) {
            float ar = a[r];
#pragma GCC unroll 4
            for (int v = 0; v < NV; v++)
                acc[r][v] += ar * bv[v];
        }
        a += MR;
        b += NR;
    }
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 4
        for (int v = 0; v < NV; v++)
            vstore(c + r * ldc + v * VW, acc[r][v]);
}

/* The tile at C (mr <= MR rows, nr <= NR columns): straight into C when it
 * is whole, else through a zero-padded copy. */
static void tile(int kc, const float *a, const float *b, float *C, long ldc, int mr, int nr,
                 mg_gemm_init init, const float *bias)
{
    if (mr == MR && nr == NR) {
        kernel(kc, a, b, C, ldc, init, bias);
        return;
    }
    float t[MR * NR] __attribute__((aligned(64))) = {0};
    for (int r = 0; r < mr; r++)
        for (int j = 0; j < nr; j++)
            t[r * NR + j] = init == MG_GEMM_ACCUMULATE ? C[r * ldc + j]
                            : init == MG_GEMM_BIAS_ROW ? bias[r]
                            : init == MG_GEMM_BIAS_COL ? bias[j]
                                                       : 0.0f;
    kernel(kc, a, b, t, NR, MG_GEMM_ACCUMULATE, NULL);
    for (int r = 0; r < mr; r++)
        for (int j = 0; j < nr; j++)
            C[r * ldc + j] = t[r * NR + j];
}

/* ---- the driver -------------------------------------------------------- */

/* C := init, for K = 0 (no products to start from it). */
static void init_c(int M, int N, float *C, long ldc, mg_gemm_init init, const float *bias)
{
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++)
            C[i * ldc + j] = init == MG_GEMM_ACCUMULATE ? C[i * ldc + j]
                             : init == MG_GEMM_BIAS_ROW ? bias[i]
                             : init == MG_GEMM_BIAS_COL ? bias[j]
                                                        : 0.0f;
}

void mg_gemm(int M, int N, int K, const mg_gemm_opnd *A, const mg_gemm_opnd *B, float *C,
             long ldc, mg_gemm_init init, const float *bias)
{
    if (K <= 0) {
        init_c(M, N, C, ldc, init, bias);
        return;
    }
    float pa[MC * KC] __attribute__((aligned(64)));
    float pb[KC * NC] __attribute__((aligned(64)));
    for (int j0 = 0; j0 < N; j0 += NC) {
        int nc = N - j0 < NC ? N - j0 : NC;
        for (int k0 = 0; k0 < K; k0 += KC) {
            int kc = K - k0 < KC ? K - k0 : KC;
            /* the first slice starts from init, the others from C */
            mg_gemm_init start = k0 == 0 ? init : MG_GEMM_ACCUMULATE;
            for (int jr = 0; jr < nc; jr += NR)
                pack(pb + jr * kc, NR, B, j0 + jr, nc - jr < NR ? nc - jr : NR, k0, kc);
            for (int i0 = 0; i0 < M; i0 += MC) {
                int mc = M - i0 < MC ? M - i0 : MC;
                for (int ir = 0; ir < mc; ir += MR)
                    pack(pa + ir * kc, MR, A, i0 + ir, mc - ir < MR ? mc - ir : MR, k0, kc);
                for (int jr = 0; jr < nc; jr += NR)
                    for (int ir = 0; ir < mc; ir += MR)
                        tile(kc, pa + ir * kc, pb + jr * kc, C + (i0 + ir) * ldc + j0 + jr, ldc,
                             mc - ir < MR ? mc - ir : MR, nc - jr < NR ? nc - jr : NR, start,
                             start == MG_GEMM_BIAS_ROW   ? bias + i0 + ir
                             : start == MG_GEMM_BIAS_COL ? bias + j0 + jr
                                                         : NULL);
            }
        }
    }
}
