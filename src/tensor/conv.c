/* Float32 kernels for images (NCHW): 2D convolution (really
 * cross-correlation, as in every deep learning library) and K x K max and
 * average pooling, each op's forward and backward side by side: the plain
 * reference kernels first, the fast convolution (its own section) and the
 * fast max pooling beside them.
 *
 * Dimension letters: N batch, C input channels, OC output channels, H W
 * input height and width, OH OW output height and width, K kernel size.
 *
 * As in ops.c, every sum accumulates in double and is rounded to float once;
 * backward functions add into the gradients they are given and skip NULL
 * ones; nothing allocates. */
#include "ops.h"

#include "gemm.h"
#include "simd.h"

#include <stddef.h>
#include <string.h>

int mg_conv_out_size(int in, int K, int stride, int pad)
{
    if (in < 0 || K <= 0 || stride <= 0 || pad < 0)
        return 0;
    long long span = (long long)in + 2LL * pad - K;
    if (span < 0)
        return 0;
    return (int)(span / stride + 1);
}

/* Index of element (n, c, h, w) of a (N, C, H, W) tensor. */
static size_t at(int n, int c, int h, int w, int C, int H, int W)
{
    return (((size_t)n * C + c) * H + h) * W + w;
}

/* ---- convolution ------------------------------------------------------ */

/* out (N,OC,OH,OW) = bias[oc] + sum over c, kh, kw of
 *   weight (OC,C,K,K)[oc,c,kh,kw] * inp (N,C,H,W)[n, c, oh*stride-pad+kh,
 *   ow*stride-pad+kw], where positions outside inp are zero (padding). */
void mg_conv2d_forward_ref(float *out, const float *inp, const float *weight, const float *bias,
                       int N, int C, int H, int W, int OC, int K, int stride, int pad)
{
    int OH = mg_conv_out_size(H, K, stride, pad), OW = mg_conv_out_size(W, K, stride, pad);
    for (int n = 0; n < N; n++) {
        for (int oc = 0; oc < OC; oc++) {
            for (int oh = 0; oh < OH; oh++) {
                for (int ow = 0; ow < OW; ow++) {
                    double sum = bias ? bias[oc] : 0.0;
                    for (int c = 0; c < C; c++) {
                        for (int kh = 0; kh < K; kh++) {
                            int ih = oh * stride - pad + kh;
                            if (ih < 0 || ih >= H)
                                continue;
                            for (int kw = 0; kw < K; kw++) {
                                int iw = ow * stride - pad + kw;
                                if (iw < 0 || iw >= W)
                                    continue;
                                sum += (double)inp[at(n, c, ih, iw, C, H, W)] *
                                       weight[at(oc, c, kh, kw, C, K, K)];
                            }
                        }
                    }
                    out[at(n, oc, oh, ow, OC, OH, OW)] = (float)sum;
                }
            }
        }
    }
}

/* dout (N,OC,OH,OW). Each gradient is gathered (one double sum per element
 * it writes) rather than scattered:
 *   dinp (N,C,H,W)[n,c,ih,iw] += sum over oc and the (kh, kw) with
 *     ih = oh*stride - pad + kh (and likewise for w) of dout * weight;
 *   dweight (OC,C,K,K)[oc,c,kh,kw] += sum over n, oh, ow of dout * inp;
 *   dbias (OC)[oc] += sum over n, oh, ow of dout. */
void mg_conv2d_backward_ref(float *dinp, float *dweight, float *dbias, const float *dout,
                        const float *inp, const float *weight, int N, int C, int H, int W,
                        int OC, int K, int stride, int pad)
{
    int OH = mg_conv_out_size(H, K, stride, pad), OW = mg_conv_out_size(W, K, stride, pad);
    if (OH == 0 || OW == 0)
        return;
    if (dinp) {
        for (int n = 0; n < N; n++) {
            for (int c = 0; c < C; c++) {
                for (int ih = 0; ih < H; ih++) {
                    for (int iw = 0; iw < W; iw++) {
                        double sum = 0.0;
                        for (int oc = 0; oc < OC; oc++) {
                            /* the kh with oh*stride = ih+pad-kh: oh falls as kh rises */
                            for (int kh = (ih + pad) % stride; kh < K; kh += stride) {
                                int oh = (ih + pad - kh) / stride;
                                if (oh < 0)
                                    break;
                                if (oh >= OH)
                                    continue;
                                for (int kw = (iw + pad) % stride; kw < K; kw += stride) {
                                    int ow = (iw + pad - kw) / stride;
                                    if (ow < 0)
                                        break;
                                    if (ow >= OW)
                                        continue;
                                    sum += (double)dout[at(n, oc, oh, ow, OC, OH, OW)] *
                                           weight[at(oc, c, kh, kw, C, K, K)];
                                }
                            }
                        }
                        dinp[at(n, c, ih, iw, C, H, W)] += (float)sum;
                    }
                }
            }
        }
    }
    if (dweight) {
        for (int oc = 0; oc < OC; oc++) {
            for (int c = 0; c < C; c++) {
                for (int kh = 0; kh < K; kh++) {
                    for (int kw = 0; kw < K; kw++) {
                        double sum = 0.0;
                        for (int n = 0; n < N; n++) {
                            for (int oh = 0; oh < OH; oh++) {
                                int ih = oh * stride - pad + kh;
                                if (ih < 0 || ih >= H)
                                    continue;
                                for (int ow = 0; ow < OW; ow++) {
                                    int iw = ow * stride - pad + kw;
                                    if (iw < 0 || iw >= W)
                                        continue;
                                    sum += (double)dout[at(n, oc, oh, ow, OC, OH, OW)] *
                                           inp[at(n, c, ih, iw, C, H, W)];
                                }
                            }
                        }
                        dweight[at(oc, c, kh, kw, C, K, K)] += (float)sum;
                    }
                }
            }
        }
    }
    if (dbias) {
        for (int oc = 0; oc < OC; oc++) {
            double sum = 0.0;
            for (int n = 0; n < N; n++)
                for (int i = 0; i < OH * OW; i++)
                    sum += dout[((size_t)n * OC + oc) * OH * OW + i];
            dbias[oc] += (float)sum;
        }
    }
}

/* ---- the fast convolution ------------------------------------------------
 *
 * Every element is summed in the order of the gemm kernel (gemm.h), so the
 * three paths below give the same bits, in every build, whichever is taken:
 *   out[n][oc][p] = bias[oc] (or 0), then + w[oc][q] * x_n(q,p) for the taps
 *     q = (c,kh,kw) ascending, padding taps included (their x is 0);
 *   dweight[oc][q] = its old value, then + dout[n][oc][p] * x_n(q,p) for n
 *     ascending, and p ascending within each n;
 *   dinp: for each tap q ascending, the pixel under tap q at position p
 *     (if it is not padding) += dcol_n(q,p), where dcol_n(q,p) = 0, then +
 *     w[oc][q] * dout[n][oc][p] for oc ascending.
 * Here x_n(q,p) is the input pixel under tap q at output position p =
 * (oh,ow) of sample n (the im2col matrix, never stored whole).
 *
 * The direct path (stride 1): per sample, the input is copied once into K
 * "shifted planes" S[c][kw] (Hp rows of OW: S[c][kw][ih][ow] = the padded
 * input at (ih, ow+kw)), in which x_n(q,p) = S[off(q) + p] with
 * off(q) = ((c*K + kw)*Hp + kh)*OW: every tap reads a contiguous run of
 * positions, across output rows too, with plain vector loads, and nothing
 * is packed per tap.
 *   forward:  tiles of output channels x positions; the weights packed once
 *             per call, each step of q loads position vectors from S.
 *   dweight:  tiles of taps x output channels (its transpose, kept in a
 *             buffer for the call); each step of p broadcasts S[off(q)+p]
 *             per tap and loads dout^T[p] (dout transposed once per sample).
 *   dinp:     dcol_n = weight^T @ dout_n by tiles of taps x positions (both
 *             read in place, k = oc), then added back tap by tap (col2im).
 * Other shapes (a stride above 1, buffers over the limits below) take the
 * gemm path: the same products through mg_gemm with the image as an
 * IM2COL operand. */

#if defined(__AVX512F__)
#define F_MR 8 /* forward tile: F_MR channels x F_NV position vectors */
#define F_NV 2
#define W_MR 8 /* dweight tile: W_MR taps x W_NV channel vectors */
#define W_NV 1
#define D_MR 8 /* dcol tile: D_MR taps x D_NV position vectors */
#define D_NV 2
#elif defined(__wasm_simd128__)
#define F_MR 4 /* 8 accumulators: what V8 keeps in x64's 16 registers */
#define F_NV 2
#define W_MR 4
#define W_NV 2
#define D_MR 4
#define D_NV 2
#else
#define F_MR 6
#define F_NV 2
#define W_MR 6
#define W_NV 1
#define D_MR 6
#define D_NV 2
#endif

/* Stack buffers of the direct path (floats), each on its own path. */
#define MG_CONV_MAX_K 16   /* kernel size of the direct dinp */
#define MG_CONV_MAX_OC 256 /* output channels of the direct dweight */
#define CONV_S_MAX 16384   /* one sample's shifted planes */
#define CONV_BUF_MAX 16384 /* packed weights, dout^T, dweight^T */
#define CONV_DCOL_MAX 32768

/* ceil(a / b) * b */
static int round_up(int a, int b) { return (a + b - 1) / b * b; }

typedef struct conv_geom {
    int C, H, W, OC, K, pad; /* stride 1 */
    int OH, OW, P, CKK;
    int Hp;    /* padded input height: OH + K - 1 */
    int S_len; /* floats of the shifted planes: C*K*Hp*OW */
} conv_geom;

static conv_geom geom_of(int C, int H, int W, int OC, int K, int pad)
{
    conv_geom g = {C, H, W, OC, K, pad, 0, 0, 0, C * K * K, H + 2 * pad, 0};
    g.OH = mg_conv_out_size(H, K, 1, pad);
    g.OW = mg_conv_out_size(W, K, 1, pad);
    g.P = g.OH * g.OW;
    g.S_len = C * K * g.Hp * g.OW;
    return g;
}

/* The tap offsets off(q) into the shifted planes. */
static void tap_offsets(int *off, const conv_geom *g)
{
    for (int c = 0, q = 0; c < g->C; c++)
        for (int kh = 0; kh < g->K; kh++)
            for (int kw = 0; kw < g->K; kw++)
                off[q++] = ((c * g->K + kw) * g->Hp + kh) * g->OW;
}

/* S[c][kw][ih][ow] = the input img (C,H,W), zero-padded by pad, at
 * (ih, ow + kw), for ih < Hp and ow < OW. img_end: the end of the tensor
 * img is part of (the copies read whole vectors where they can). Writes
 * up to VW - 1 floats past S + S_len. */
static void shifted_planes(float *restrict S, const float *restrict img, const float *img_end,
                           const conv_geom *g)
{
    int K = g->K, OW = g->OW, pad = g->pad;
    if (pad == 0) {
        /* each row in whole vectors, the rows in ascending order: a vector
         * that runs past its row is overwritten by the next */
        for (int c = 0; c < g->C; c++)
            for (int kw = 0; kw < K; kw++) {
                float *d = S + (size_t)(c * K + kw) * g->Hp * OW;
                const float *src = img + (size_t)c * g->H * g->W + kw;
                for (int ih = 0; ih < g->H; ih++, d += OW, src += g->W)
                    for (int i = 0; i < OW; i += VW)
                        vstore(d + i, src + i + VW <= img_end ? vload(src + i)
                                                              : vload_part(src + i, OW - i));
            }
        return;
    }
    for (int c = 0; c < g->C; c++) {
        for (int kw = 0; kw < K; kw++) {
            /* the positions whose pixel is inside a row: [lo, hi) */
            int lo = pad - kw > 0 ? pad - kw : 0;
            int hi = g->W + pad - kw < OW ? g->W + pad - kw : OW;
            hi = hi < lo ? lo : hi;
            for (int ih = 0; ih < g->Hp; ih++) {
                float *d = S + ((size_t)(c * K + kw) * g->Hp + ih) * OW;
                int r = ih - pad;
                if (r < 0 || r >= g->H) {
                    memset(d, 0, (size_t)OW * sizeof *d);
                    continue;
                }
                const float *src = img + ((size_t)c * g->H + r) * g->W + kw - pad;
                for (int i = 0; i < lo; i++)
                    d[i] = 0.0f;
                vcopy(d + lo, src + lo, hi - lo);
                for (int i = hi; i < OW; i++)
                    d[i] = 0.0f;
            }
        }
    }
}

/* Forward tile: out (mr rows of ldo, nr positions) = bias (or 0), then +
 * a[q][r] * S[off[q] + j] for q < nq; a packed (nq, F_MR). */
static void fwd_tile(int nq, const float *restrict a, const float *restrict s,
                     const int *restrict off, const float *bias, float *restrict out, long ldo,
                     int mr, int nr)
{
    vf acc[F_MR][F_NV];
#pragma GCC unroll 16
    for (int r = 0; r < F_MR; r++)
#pragma GCC unroll 4
        for (int v = 0; v < F_NV; v++)
            acc[r][v] = vsplat(bias && r < mr ? bias[r] : 0.0f);
    for (int q = 0; q < nq; q++) {
        const float *b = s + off[q];
        vf bv[F_NV];
#pragma GCC unroll 4
        for (int v = 0; v < F_NV; v++)
            bv[v] = vload(b + v * VW);
#pragma GCC unroll 16
        for (int r = 0; r < F_MR; r++) {
            float ar = a[r];
#pragma GCC unroll 4
            for (int v = 0; v < F_NV; v++)
                acc[r][v] += ar * bv[v];
        }
        a += F_MR;
    }
    for (int r = 0; r < mr; r++)
        for (int v = 0; v < F_NV && v * VW < nr; v++) {
            if (nr - v * VW >= VW)
                vstore(out + r * ldo + v * VW, acc[r][v]);
            else
                vstore_part(out + r * ldo + v * VW, acc[r][v], nr - v * VW);
        }
}

/* dweight^T tile: t (mr taps, rows of ldt; W_NV vectors of channels) +=
 * ap[r][p] * b[p*ldb + lanes] for p < np, p ascending. With bs (the first
 * tile of a sample), also bs[j] += the doubles of b[p*ldb + 4j .. 4j+3]
 * for j < nbs <= 4, p ascending: the bias gradient's sums, in the shadow
 * of the products. */
typedef double vd4 __attribute__((vector_size(4 * sizeof(double))));
static void dw_tile(int np, const float *const *ap, const float *restrict b, long ldb,
                    float *restrict t, long ldt, int mr, vd4 *bs, int nbs)
{
    vf acc[W_MR][W_NV];
    const float *a[W_MR];
#pragma GCC unroll 16
    for (int r = 0; r < W_MR; r++) {
        a[r] = ap[r < mr ? r : 0];
#pragma GCC unroll 4
        for (int v = 0; v < W_NV; v++)
            acc[r][v] = vload(t + (r < mr ? r : 0) * ldt + v * VW);
    }
    vd4 s0 = nbs > 0 ? bs[0] : (vd4){0}, s1 = nbs > 1 ? bs[1] : s0;
    vd4 s2 = nbs > 2 ? bs[2] : s0, s3 = nbs > 3 ? bs[3] : s0;
    for (int p = 0; p < np; p++) {
        vf bv[W_NV];
#pragma GCC unroll 4
        for (int v = 0; v < W_NV; v++)
            bv[v] = vload(b + p * ldb + v * VW);
#pragma GCC unroll 16
        for (int r = 0; r < W_MR; r++) {
            float ar = a[r][p];
#pragma GCC unroll 4
            for (int v = 0; v < W_NV; v++)
                acc[r][v] += ar * bv[v];
        }
        if (nbs > 0) {
            const float *bp = b + p * ldb;
            s0 += __builtin_convertvector(*(const vf4u *)bp, vd4);
            if (nbs > 1)
                s1 += __builtin_convertvector(*(const vf4u *)(bp + 4), vd4);
            if (nbs > 2)
                s2 += __builtin_convertvector(*(const vf4u *)(bp + 8), vd4);
            if (nbs > 3)
                s3 += __builtin_convertvector(*(const vf4u *)(bp + 12), vd4);
        }
    }
    for (int r = 0; r < mr; r++)
#pragma GCC unroll 4
        for (int v = 0; v < W_NV; v++)
            vstore(t + r * ldt + v * VW, acc[r][v]);
    if (nbs > 0)
        bs[0] = s0;
    if (nbs > 1)
        bs[1] = s1;
    if (nbs > 2)
        bs[2] = s2;
    if (nbs > 3)
        bs[3] = s3;
}

/* dcol tile: dc (D_MR taps, rows of ldc; D_NV vectors of positions) = 0,
 * then + w[k*ldw + r] * d[k*ldd + lanes] for k < nk (k = the channel). */
static void dcol_tile(int nk, const float *restrict w, long ldw, const float *restrict d, long ldd,
                      float *restrict dc, long ldc)
{
    vf acc[D_MR][D_NV];
#pragma GCC unroll 16
    for (int r = 0; r < D_MR; r++)
#pragma GCC unroll 4
        for (int v = 0; v < D_NV; v++)
            acc[r][v] = vsplat(0.0f);
    for (int k = 0; k < nk; k++) {
        vf bv[D_NV];
#pragma GCC unroll 4
        for (int v = 0; v < D_NV; v++)
            bv[v] = vload(d + k * ldd + v * VW);
#pragma GCC unroll 16
        for (int r = 0; r < D_MR; r++) {
            float ar = w[k * ldw + r];
#pragma GCC unroll 4
            for (int v = 0; v < D_NV; v++)
                acc[r][v] += ar * bv[v];
        }
    }
#pragma GCC unroll 16
    for (int r = 0; r < D_MR; r++)
#pragma GCC unroll 4
        for (int v = 0; v < D_NV; v++)
            vstore(dc + r * ldc + v * VW, acc[r][v]);
}

#define F_NR (F_NV * VW)
#define D_NR (D_NV * VW)

/* The direct forward; 0 if it ran, -1 if the shape is not for it. */
static __attribute__((noinline)) int conv_forward_direct(float *out, const float *inp,
                                                         const float *weight, const float *bias,
                                                         int N, const conv_geom *g)
{
    int OCp = round_up(g->OC, F_MR);
    if (g->S_len + F_NR + VW > CONV_S_MAX || (size_t)OCp * g->CKK > CONV_BUF_MAX ||
        g->CKK > CONV_BUF_MAX)
        return -1;
    float S[CONV_S_MAX] __attribute__((aligned(64)));
    float pa[CONV_BUF_MAX] __attribute__((aligned(64)));
    int off[CONV_BUF_MAX];
    tap_offsets(off, g);
    /* the weights (OC, CKK) as F_MR-row panels (CKK, F_MR), zero rows past OC */
    memset(pa, 0, (size_t)OCp * g->CKK * sizeof *pa);
    for (int i0 = 0; i0 < g->OC; i0 += F_MR)
        mg_gemm_transpose(pa + (size_t)i0 * g->CKK, F_MR, weight + (size_t)i0 * g->CKK, g->CKK,
                          g->OC - i0 < F_MR ? g->OC - i0 : F_MR, g->CKK);
    const float *inp_end = inp + (size_t)N * g->C * g->H * g->W;
    for (int n = 0; n < N; n++) {
        shifted_planes(S, inp + (size_t)n * g->C * g->H * g->W, inp_end, g);
        memset(S + g->S_len, 0, F_NR * sizeof *S); /* read by the last partial panel */
        float *o = out + (size_t)n * g->OC * g->P;
        for (int j0 = 0; j0 < g->P; j0 += F_NR)
            for (int i0 = 0; i0 < g->OC; i0 += F_MR)
                fwd_tile(g->CKK, pa + (size_t)i0 * g->CKK, S + j0, off, bias ? bias + i0 : NULL,
                         o + (size_t)i0 * g->P + j0, g->P, g->OC - i0 < F_MR ? g->OC - i0 : F_MR,
                         g->P - j0 < F_NR ? g->P - j0 : F_NR);
    }
    return 0;
}

/* The direct dweight, and dbias (if not NULL) from the same transposed
 * dout: dbias[oc] += (float) of the double sum of dout[n][oc][p], n then p
 * ascending (the reference's sum, four channels at a time, in the first
 * tile of taps). 0 if it ran, -1 if the shape is not for it. */
static __attribute__((noinline)) int conv_dweight_direct(float *dweight, float *dbias,
                                                         const float *dout, const float *inp,
                                                         int N, const conv_geom *g)
{
    int OCp = round_up(g->OC, W_NV * VW), P = g->P, CKK = g->CKK;
    if (g->S_len + VW > CONV_S_MAX || (size_t)P * OCp > CONV_BUF_MAX ||
        (size_t)CKK * OCp > CONV_BUF_MAX || CKK > CONV_BUF_MAX)
        return -1;
    float S[CONV_S_MAX] __attribute__((aligned(64)));
    float dT[CONV_BUF_MAX] __attribute__((aligned(64))); /* dout_n^T (P, OCp) */
    float wT[CONV_BUF_MAX] __attribute__((aligned(64))); /* dweight^T (CKK, OCp) */
    int off[CONV_BUF_MAX];
    vd4 bsum[MG_CONV_MAX_OC / 4];
    if (OCp > MG_CONV_MAX_OC)
        return -1;
    for (int o = 0; o < OCp / 4; o++)
        bsum[o] = (vd4){0};
    tap_offsets(off, g);
    memset(wT, 0, (size_t)CKK * OCp * sizeof *wT);
    mg_gemm_transpose(wT, OCp, dweight, CKK, g->OC, CKK);
    if (OCp > g->OC)
        memset(dT, 0, (size_t)P * OCp * sizeof *dT);
    const float *inp_end = inp + (size_t)N * g->C * g->H * g->W;
    for (int n = 0; n < N; n++) {
        shifted_planes(S, inp + (size_t)n * g->C * g->H * g->W, inp_end, g);
        mg_gemm_transpose(dT, OCp, dout + (size_t)n * g->OC * P, P, g->OC, P);
        for (int q0 = 0; q0 < CKK; q0 += W_MR) {
            int mr = CKK - q0 < W_MR ? CKK - q0 : W_MR;
            const float *ap[W_MR];
            for (int r = 0; r < mr; r++)
                ap[r] = S + off[q0 + r];
            for (int o0 = 0; o0 < OCp; o0 += W_NV * VW) {
                /* the bias chains of this group's channels: 4 a chain */
                int nbs = dbias && q0 == 0 ? (g->OC - o0 + 3) / 4 : 0;
                nbs = nbs < W_NV * VW / 4 ? nbs : W_NV * VW / 4;
                dw_tile(P, ap, dT + o0, OCp, wT + (size_t)q0 * OCp + o0, OCp, mr,
                        nbs > 0 ? bsum + o0 / 4 : NULL, nbs);
            }
        }
    }
    mg_gemm_transpose(dweight, CKK, wT, OCp, CKK, g->OC);
    for (int oc = 0; dbias && oc < g->OC; oc++)
        dbias[oc] += (float)bsum[oc / 4][oc % 4];
    return 0;
}

#define DCOL_SLACK 64 /* floats before and after dcol, read under masks */
#define NVEC_MAX 64   /* vectors across an input row */

/* col2im of one sample: img (C,H,W) += dcol (CKK taps, rows of ldd; OH*OW
 * positions). Each vector of an input row gathers its taps in ascending
 * order (kh, then kw), masked (mask[kw][vector]) where the tap's output
 * column is outside the image, and is stored once; COL2IM_CG channels at a
 * time, so that their sums overlap in the pipeline. */
#define COL2IM_CG 4
static inline __attribute__((always_inline)) void col2im_masked(float *img, const float *dcol,
                                                                long ldd,
                                                                vi mask[][NVEC_MAX],
                                                                const conv_geom *g, int K)
{
    int W = g->W, pad = g->pad, nvec = (W + VW - 1) / VW;
    size_t plane = (size_t)g->H * W, tap_rows = (size_t)K * K * ldd;
    for (int c0 = 0; c0 < g->C; c0 += COL2IM_CG) {
        int cg = g->C - c0 < COL2IM_CG ? g->C - c0 : COL2IM_CG;
        for (int ih = 0; ih < g->H; ih++) {
            float *row = img + ((size_t)c0 * g->H + ih) * W;
            for (int iv = 0; iv < nvec; iv++) {
                int iw0 = iv * VW, nl = W - iw0 < VW ? W - iw0 : VW;
                vf acc[COL2IM_CG];
                for (int j = 0; j < COL2IM_CG; j++)
                    acc[j] = j >= cg ? vsplat(0.0f)
                             : nl == VW ? vload(row + j * plane + iw0)
                                        : vload_part(row + j * plane + iw0, nl);
                for (int kh = 0; kh < K; kh++) {
                    int oh = ih + pad - kh;
                    if (oh < 0 || oh >= g->OH)
                        continue;
                    const float *src = dcol + (size_t)((c0 * K + kh) * K) * ldd +
                                       (size_t)oh * g->OW + iw0 + pad;
                    for (int kw = 0; kw < K; kw++) {
                        vi m = mask[kw][iv];
                        const float *t = src + (size_t)kw * ldd - kw;
                        for (int j = 0; j < COL2IM_CG; j++) /* tap rows of channel c0+j */
                            acc[j] += (vf)((vi)vload(t + (j < cg ? j : 0) * tap_rows) & m);
                    }
                }
                for (int j = 0; j < cg; j++) {
                    if (nl == VW)
                        vstore(row + j * plane + iw0, acc[j]);
                    else
                        vstore_part(row + j * plane + iw0, acc[j], nl);
                }
            }
        }
    }
}

/* The direct dinp; 0 if it ran, -1 if the shape is not for it. */
static __attribute__((noinline)) int conv_dinp_direct(float *dinp, const float *dout,
                                                      const float *weight, int N,
                                                      const conv_geom *g)
{
    int P = g->P, Pr = round_up(P, D_NR), CKK = g->CKK, CKKp = round_up(CKK, D_MR), OC = g->OC;
    int K = g->K, OW = g->OW, W = g->W, pad = g->pad, nvec = (W + VW - 1) / VW;
    if ((size_t)CKKp * Pr > CONV_DCOL_MAX || (size_t)OC * Pr > CONV_BUF_MAX ||
        (size_t)OC * CKKp > CONV_BUF_MAX || nvec > NVEC_MAX)
        return -1;
    float dbuf[CONV_DCOL_MAX + 2 * DCOL_SLACK] __attribute__((aligned(64)));
    float *dcol = dbuf + DCOL_SLACK;                       /* (CKKp, Pr) */
    float dpad[CONV_BUF_MAX] __attribute__((aligned(64))); /* dout_n (OC, Pr) */
    float wpad[CONV_BUF_MAX] __attribute__((aligned(64))); /* weight (OC, CKKp) */
    /* mask[kw][iv]: the lanes of input columns iv*VW + l whose output
     * column iv*VW + l + pad - kw is in [0, OW) */
    vi mask[MG_CONV_MAX_K][NVEC_MAX];
    if (K > MG_CONV_MAX_K)
        return -1;
    for (int kw = 0; kw < K; kw++)
        for (int iv = 0; iv < nvec; iv++)
            for (int l = 0; l < VW; l++) {
                int ow = iv * VW + l + pad - kw;
                mask[kw][iv][l] = ow >= 0 && ow < OW ? -1 : 0;
            }
    memset(dbuf, 0, DCOL_SLACK * sizeof *dbuf);
    memset(dcol + (size_t)CKKp * Pr, 0, DCOL_SLACK * sizeof *dbuf);
    memset(wpad, 0, (size_t)OC * CKKp * sizeof *wpad);
    for (int oc = 0; oc < OC; oc++)
        memcpy(wpad + (size_t)oc * CKKp, weight + (size_t)oc * CKK, (size_t)CKK * sizeof *wpad);
    if (Pr > P)
        memset(dpad, 0, (size_t)OC * Pr * sizeof *dpad);
    for (int n = 0; n < N; n++) {
        for (int oc = 0; oc < OC; oc++)
            memcpy(dpad + (size_t)oc * Pr, dout + ((size_t)n * OC + oc) * P, (size_t)P * sizeof *dpad);
        for (int q0 = 0; q0 < CKK; q0 += D_MR)
            for (int j0 = 0; j0 < P; j0 += D_NR)
                dcol_tile(OC, wpad + q0, CKKp, dpad + j0, Pr, dcol + (size_t)q0 * Pr + j0, Pr);
        float *img = dinp + (size_t)n * g->C * g->H * W;
        switch (K) { /* a constant K unrolls the taps */
        case 3: col2im_masked(img, dcol, Pr, mask, g, 3); break;
        case 5: col2im_masked(img, dcol, Pr, mask, g, 5); break;
        default: col2im_masked(img, dcol, Pr, mask, g, K); break;
        }
    }
    return 0;
}

/* ---- the gemm path (any stride) ------------------------------------------ */

/* dcol blocks of conv_backward_gemm: on the stack, at most DCOL_FLOATS */
#define DCOL_FLOATS 16384

static __attribute__((noinline)) void conv_forward_gemm(float *out, const float *inp,
                                                        const float *weight, const float *bias,
                                                        int N, int C, int H, int W, int OC,
                                                        int K, int stride, int pad)
{
    int OH = mg_conv_out_size(H, K, stride, pad), OW = mg_conv_out_size(W, K, stride, pad);
    int CKK = C * K * K;
    mg_gemm_opnd A = mg_gemm_strided(weight, CKK, 1);
    for (int n = 0; n < N; n++) {
        mg_gemm_opnd B = mg_gemm_image(MG_GEMM_IM2COL, inp + (size_t)n * C * H * W, C, H, W, K,
                                       stride, pad);
        mg_gemm(OC, OH * OW, CKK, &A, &B, out + (size_t)n * OC * OH * OW, OH * OW,
                bias ? MG_GEMM_BIAS_ROW : MG_GEMM_ZERO, bias);
    }
}

static __attribute__((noinline)) void conv_backward_gemm(float *dinp, float *dweight,
                                                         const float *dout, const float *inp,
                                                         const float *weight, int N, int C,
                                                         int H, int W, int OC, int K, int stride,
                                                         int pad)
{
    int OH = mg_conv_out_size(H, K, stride, pad), OW = mg_conv_out_size(W, K, stride, pad);
    int CKK = C * K * K, P = OH * OW;
    /* whole rows of dcol (all positions of mq taps) in a block, so that
     * each pixel gets its taps in ascending order; a single tap's row in
     * pieces if it does not fit (one tap reaches a pixel once) */
    int mq = DCOL_FLOATS / P < 1 ? 1 : DCOL_FLOATS / P;
    mq = mq < CKK ? mq : CKK;
    int npos = P < DCOL_FLOATS ? P : DCOL_FLOATS;
    float dcol[DCOL_FLOATS];
    mg_gemm_opnd geom = mg_gemm_image(MG_GEMM_IM2COL, NULL, C, H, W, K, stride, pad);
    for (int n = 0; n < N; n++) {
        const float *dy = dout + (size_t)n * OC * P;
        if (dweight) {
            mg_gemm_opnd A = mg_gemm_strided(dy, P, 1);
            mg_gemm_opnd B = mg_gemm_image(MG_GEMM_COL2IM_T, inp + (size_t)n * C * H * W, C, H,
                                           W, K, stride, pad);
            mg_gemm(OC, CKK, P, &A, &B, dweight, CKK, MG_GEMM_ACCUMULATE, NULL);
        }
        if (!dinp)
            continue;
        for (int q0 = 0; q0 < CKK; q0 += mq) {
            int mb = CKK - q0 < mq ? CKK - q0 : mq;
            for (int p0 = 0; p0 < P; p0 += npos) {
                int nb = P - p0 < npos ? P - p0 : npos;
                /* A = weight^T (taps q, channels oc), B = dout_n (oc, positions) */
                mg_gemm_opnd A = mg_gemm_strided(weight + q0, 1, CKK);
                mg_gemm_opnd B = mg_gemm_strided(dy + p0, 1, P);
                mg_gemm(mb, nb, OC, &A, &B, dcol, nb, MG_GEMM_ZERO, NULL);
                mg_gemm_col2im_add(dinp + (size_t)n * C * H * W, &geom, dcol, q0, mb, p0, nb);
            }
        }
    }
}

void mg_conv2d_forward(float *out, const float *inp, const float *weight, const float *bias,
                       int N, int C, int H, int W, int OC, int K, int stride, int pad)
{
    int OH = mg_conv_out_size(H, K, stride, pad), OW = mg_conv_out_size(W, K, stride, pad);
    if (OH == 0 || OW == 0 || N <= 0)
        return;
    if (stride == 1) {
        conv_geom g = geom_of(C, H, W, OC, K, pad);
        if (conv_forward_direct(out, inp, weight, bias, N, &g) == 0)
            return;
    }
    conv_forward_gemm(out, inp, weight, bias, N, C, H, W, OC, K, stride, pad);
}

void mg_conv2d_backward(float *dinp, float *dweight, float *dbias, const float *dout,
                        const float *inp, const float *weight, int N, int C, int H, int W,
                        int OC, int K, int stride, int pad)
{
    int OH = mg_conv_out_size(H, K, stride, pad), OW = mg_conv_out_size(W, K, stride, pad);
    if (OH == 0 || OW == 0 || N <= 0)
        return;
    if (stride == 1) {
        conv_geom g = geom_of(C, H, W, OC, K, pad);
        if (dweight && conv_dweight_direct(dweight, dbias, dout, inp, N, &g) == 0)
            dweight = dbias = NULL;
        if (dinp && conv_dinp_direct(dinp, dout, weight, N, &g) == 0)
            dinp = NULL;
    }
    if (dinp || dweight)
        conv_backward_gemm(dinp, dweight, dout, inp, weight, N, C, H, W, OC, K, stride, pad);
    if (dbias)
        mg_conv2d_backward_ref(NULL, NULL, dbias, dout, inp, weight, N, C, H, W, OC, K, stride,
                               pad);
}

/* ---- pooling: K x K windows, stride K, no padding ---------------------- */

/* out, argmax (N,C,H/K,W/K) = max of each window of inp (N,C,H,W) and the
 * flat index into inp of its first maximum; rows and columns past the last
 * whole window are ignored. */
void mg_maxpool_forward_ref(float *out, int32_t *argmax, const float *inp, int N, int C, int H,
                            int W, int K)
{
    if (K <= 0)
        return;
    int OH = H / K, OW = W / K;
    for (int n = 0; n < N; n++) {
        for (int c = 0; c < C; c++) {
            for (int oh = 0; oh < OH; oh++) {
                for (int ow = 0; ow < OW; ow++) {
                    size_t best = at(n, c, oh * K, ow * K, C, H, W);
                    for (int kh = 0; kh < K; kh++) {
                        for (int kw = 0; kw < K; kw++) {
                            size_t i = at(n, c, oh * K + kh, ow * K + kw, C, H, W);
                            if (inp[i] > inp[best]) /* strict: the first max wins ties */
                                best = i;
                        }
                    }
                    size_t o = at(n, c, oh, ow, C, OH, OW);
                    out[o] = inp[best];
                    argmax[o] = (int32_t)best;
                }
            }
        }
    }
}

/* The same, fast: the same comparisons in the same order, a value
 * replacing the best so far only if it is greater (NaN never does), so
 * out and argmax are the reference's bit for bit; 2 x 2 windows four at a
 * time. */
void mg_maxpool_forward(float *out, int32_t *argmax, const float *inp, int N, int C, int H,
                        int W, int K)
{
    if (K <= 0)
        return;
    int OH = H / K, OW = W / K;
    for (size_t nc = 0; nc < (size_t)N * C; nc++) {
        for (int oh = 0; oh < OH; oh++) {
            const float *restrict r0 = inp + (nc * H + (size_t)oh * K) * W;
            float *restrict o = out + (nc * OH + oh) * OW;
            int32_t *restrict am = argmax + (nc * OH + oh) * OW;
            int32_t i0 = (int32_t)(nc * H + (size_t)oh * K) * W; /* index of r0[0] */
            if (K == 2) { /* the common case: four windows at a time */
                const float *restrict r1 = r0 + W;
                int ow = 0;
                for (; ow + 4 <= OW; ow += 4) {
                    vf4 x0 = *(const vf4u *)(r0 + 2 * ow), x1 = *(const vf4u *)(r0 + 2 * ow + 4);
                    vf4 y0 = *(const vf4u *)(r1 + 2 * ow), y1 = *(const vf4u *)(r1 + 2 * ow + 4);
                    vf4 best = SHUF4(x0, x1, 0, 2, 4, 6), b = SHUF4(x0, x1, 1, 3, 5, 7);
                    vf4 c = SHUF4(y0, y1, 0, 2, 4, 6), d = SHUF4(y0, y1, 1, 3, 5, 7);
                    vi4 i = i0 + 2 * ow + (vi4){0, 2, 4, 6}, bi = i, m;
                    m = b > best;
                    bi = (bi & ~m) | ((i + 1) & m);
                    best = (vf4)(((vi4)best & ~m) | ((vi4)b & m));
                    m = c > best;
                    bi = (bi & ~m) | ((i + W) & m);
                    best = (vf4)(((vi4)best & ~m) | ((vi4)c & m));
                    m = d > best;
                    bi = (bi & ~m) | ((i + W + 1) & m);
                    best = (vf4)(((vi4)best & ~m) | ((vi4)d & m));
                    *(vf4u *)(o + ow) = best;
                    *(vi4u *)(am + ow) = bi;
                }
                for (; ow < OW; ow++) {
                    float a = r0[2 * ow], b = r0[2 * ow + 1], c = r1[2 * ow], d = r1[2 * ow + 1];
                    int32_t i = i0 + 2 * ow, bi = i;
                    float best = a;
                    bi = b > best ? i + 1 : bi;
                    best = b > best ? b : best;
                    bi = c > best ? i + W : bi;
                    best = c > best ? c : best;
                    bi = d > best ? i + W + 1 : bi;
                    best = d > best ? d : best;
                    o[ow] = best;
                    am[ow] = bi;
                }
                continue;
            }
            for (int ow = 0; ow < OW; ow++) {
                int32_t bi = i0 + ow * K;
                float best = inp[bi];
                for (int kh = 0; kh < K; kh++)
                    for (int kw = 0; kw < K; kw++) {
                        int32_t i = i0 + kh * W + ow * K + kw;
                        if (inp[i] > best) { /* strict: the first max wins ties */
                            best = inp[i];
                            bi = i;
                        }
                    }
                o[ow] = best;
                am[ow] = bi;
            }
        }
    }
}

/* dinp[argmax[i]] += dout[i] for each of the n_out outputs */
void mg_maxpool_backward(float *dinp, const float *dout, const int32_t *argmax, int n_out)
{
    if (!dinp)
        return;
    for (int i = 0; i < n_out; i++)
        dinp[argmax[i]] += dout[i];
}

/* out (N,C,H/K,W/K) = mean of each K x K window of inp (N,C,H,W) */
void mg_avgpool_forward(float *out, const float *inp, int N, int C, int H, int W, int K)
{
    if (K <= 0)
        return;
    int OH = H / K, OW = W / K;
    for (int n = 0; n < N; n++) {
        for (int c = 0; c < C; c++) {
            for (int oh = 0; oh < OH; oh++) {
                for (int ow = 0; ow < OW; ow++) {
                    double sum = 0.0;
                    for (int kh = 0; kh < K; kh++)
                        for (int kw = 0; kw < K; kw++)
                            sum += inp[at(n, c, oh * K + kh, ow * K + kw, C, H, W)];
                    out[at(n, c, oh, ow, C, OH, OW)] = (float)(sum / ((double)K * K));
                }
            }
        }
    }
}

/* dinp (N,C,H,W) += dout (N,C,H/K,W/K) / (K*K) over each window; the
 * ignored rows and columns get nothing */
void mg_avgpool_backward(float *dinp, const float *dout, int N, int C, int H, int W, int K)
{
    if (!dinp || K <= 0)
        return;
    int OH = H / K, OW = W / K;
    for (int n = 0; n < N; n++) {
        for (int c = 0; c < C; c++) {
            for (int oh = 0; oh < OH; oh++) {
                for (int ow = 0; ow < OW; ow++) {
                    float g = (float)(dout[at(n, c, oh, ow, C, OH, OW)] / ((double)K * K));
                    for (int kh = 0; kh < K; kh++)
                        for (int kw = 0; kw < K; kw++)
                            dinp[at(n, c, oh * K + kh, ow * K + kw, C, H, W)] += g;
                }
            }
        }
    }
}
